"""Memory bounds of inventory.archive against bombs (docs/bad-input.md G2, C).

Each case runs in a child process that measures its own peak RSS (ru_maxrss) after imports,
then opens and reads the archive; the parent asserts on the growth. A reader that hands
Deflate64 64 KiB of input at a time (zipfile-deflate64's default) or trusts header sizes grows
by about 1 GiB here (E4). The Deflate64 cases run with each of the two decoders."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))
import zipbuild as zb  # noqa: E402

MiB = 1024 * 1024

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from inventory import archive
from inventory.archive import open_source
from inventory.errors import ArchiveError
from inventory.limits import Limits

archive.DEFLATE64_DECODER = sys.argv[3]
archive.DEFLATE64_DECODERS[sys.argv[3]][1]()  # its module imported before the baseline

def peak():
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024  # Linux reports KiB

limits = Limits(**json.loads(sys.argv[2]))
baseline = peak()
started = time.monotonic()
try:
    with open_source(Path(sys.argv[1]), limits) as source:
        for entry in source.entries:
            source.read(entry)
    outcome = "read"
except ArchiveError as exc:
    outcome = exc.reason
print(json.dumps({"growth": peak() - baseline, "outcome": outcome,
                  "seconds": time.monotonic() - started}))
"""


DECODERS = pytest.mark.parametrize("decoder", ["inflate64", "zipfile-deflate64"])


def run_child(path: Path, decoder: str = "inflate64", **limits: int) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), json.dumps(limits), decoder],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@DECODERS
def test_deflate64_bomb_declaring_1_kib_stays_small(tmp_path, allow_subprocess, decoder):
    path = tmp_path / "d64.zip"
    path.write_bytes(zb.deflate64_bomb(1_000_000_000, declared=1024))  # 55 KB -> 1 GB
    result = run_child(path, decoder)
    assert "member larger than declared" in result["outcome"]
    # one 512-byte input step expands to at most ~9 MiB, refused before it is kept
    assert result["growth"] < 32 * MiB, result


@DECODERS
def test_deflate64_bomb_counted_up_to_the_declared_size(tmp_path, allow_subprocess, decoder):
    """Declared 48 MiB, under the (lowered) 64 MiB member limit: bytes are really decompressed
    and kept until the count passes the declaration."""
    path = tmp_path / "d64.zip"
    path.write_bytes(zb.deflate64_bomb(1_000_000_000, declared=48 * MiB))
    result = run_child(path, decoder, max_member_bytes=64 * MiB)
    assert "member larger than declared" in result["outcome"]
    assert result["growth"] < 48 * MiB + 64 * MiB, result


@DECODERS
def test_deflate64_bomb_with_honest_header_refused_at_default_limits(tmp_path, allow_subprocess, decoder):
    path = tmp_path / "d64.zip"
    path.write_bytes(zb.deflate64_bomb(1_000_000_000))
    result = run_child(path, decoder)
    assert "member exceeds 512 MiB" in result["outcome"]
    assert result["growth"] < 32 * MiB, result


def test_deflate_bomb_counted_and_refused(tmp_path, allow_subprocess):
    """512 MiB of zeros (about 1,030:1) declaring 32 MiB: counted, refused, RSS flat beyond it."""
    path = tmp_path / "deflate.zip"
    path.write_bytes(zb.deflate_bomb(512 * MiB, declared=32 * MiB))
    result = run_child(path, max_member_bytes=64 * MiB)
    assert "member larger than declared" in result["outcome"]
    assert result["growth"] < 32 * MiB + 48 * MiB, result


def test_overlap_bomb_refused_without_growing(tmp_path, allow_subprocess):
    """benchmarks/bench_core.py times it."""
    path = tmp_path / "overlap.zip"
    path.write_bytes(zb.quoted_overlap_bomb(entries=100, kernel_bytes=10 * MiB))  # ~1 GB in zipfile 3.11.7
    result = run_child(path)
    assert result["outcome"] == "overlapping entries"
    assert result["growth"] < 16 * MiB, result
