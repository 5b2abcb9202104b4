"""Property-based fuzzing of the whole read path (docs/bad-input.md: Fuzzing, G2, G3, G8, G10).

Archives are mutated at the ZIP layer (truncation, byte flips anywhere or inside a local header,
central record or end record, method and size fields patched, central records duplicated or
dropped) and at the CSV layer (header dropped, duplicated, renamed, NUL or quote inserted, ragged
rows, invalid UTF-8, stray CR), then handed to `scan_exports`. Whatever the mutant, the only
exception allowed out is an `InventoryError` subclass, within a time bound, with no canary value
in any message and nothing written.

Everything here is marked `fuzz` and left out of the default run. CI runs it as its own step,
`pytest -m "fuzz and not nightly" -n0`, in one process (its last test counts what the others
ran): a little over 2,000 derandomized examples (the same ones every run) and 200 bomb-biased
mutants from a fixed seed in a child process that checks its peak RSS. `pytest -m nightly -n0`
runs many more with fresh randomness.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parents[1]))
import zipbuild as zb  # noqa: E402

from conftest import SAMPLES  # noqa: E402
from inventory.errors import InventoryError  # noqa: E402
from inventory.limits import Limits  # noqa: E402
from inventory.scan import scan_exports  # noqa: E402

pytestmark = pytest.mark.fuzz

MiB = 1024 * 1024
CANARY = "canary.fuzz@example.invalid"
# Lowered limits make bombs and slow paths cheap; the CLI never allows lowering them.
FUZZ_LIMITS = Limits(max_member_bytes=8 * MiB, max_total_bytes=16 * MiB, time_budget=2.0)
PER_EXAMPLE_SECONDS = 5.0  # generous bound on one scan of a ~2 KB mutant (time budget is 2 s)

CI = dict(deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
NIGHTLY = dict(deadline=None, database=None, derandomize=False,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                      HealthCheck.data_too_large])

# --- seeds: small builder-made exports, every cell a canary ----------------------------------

TABLES = {
    "Connections.csv": b"First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    "Profile.csv": b"First Name,Last Name,Headline,Summary",
    "Shares.csv": b"Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility",
    "Comments.csv": b"Date,Link,Message",
    "messages.csv": b"CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,FOLDER",
}


def canary_table(header: bytes, rows: int = 3) -> bytes:
    width = header.count(b",") + 1
    body = [header] + [",".join(f'"{CANARY}{r}, {c}"' for c in range(width)).encode() for r in range(rows)]
    return b"\n".join(body) + b"\n"


def seed_members(maker) -> list[zb.RawMember]:
    members = [maker(name, canary_table(header)) for name, header in TABLES.items()]
    members.append(maker("Articles/Articles/A post.html", f"<h1>{CANARY}</h1><p>{CANARY}</p>".encode()))
    return members


SEEDS = {name: zb.assemble(seed_members(maker)) for name, maker in
         (("stored", zb.stored), ("deflate", zb.deflated), ("deflate64", zb.deflated64))}
SAMPLE_FILES = sorted(p for p in SAMPLES.glob("*.zip"))


def _record_offsets(built: zb.Built) -> list[int]:
    """Start of each central record, walked from the builder's known central offset."""
    offsets, position = [], built.central_offset
    data = built.data
    while data[position:position + 4] == b"PK\x01\x02":
        offsets.append(position)
        n, m, k = struct.unpack_from("<3H", data, position + 28)
        position += 46 + n + m + k
    return offsets


# --- ZIP-layer mutations ------------------------------------------------------------------------


@st.composite
def zip_mutants(draw, seeds: dict[str, zb.Built] = SEEDS) -> bytes:
    built = seeds[draw(st.sampled_from(sorted(seeds)))]
    data = bytearray(built.data)
    records = _record_offsets(built)
    kind = draw(st.sampled_from(["truncate", "flip", "flip-header", "method", "size", "duplicate-record",
                                 "drop-record", "several"]))
    kinds = [kind] if kind != "several" else draw(st.lists(
        st.sampled_from(["flip", "flip-header", "method", "size"]), min_size=2, max_size=4))
    for kind in kinds:
        if kind == "truncate":
            data = data[:draw(st.integers(0, len(data) - 1))]
        elif kind == "flip":
            for _ in range(draw(st.integers(1, 8))):
                data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        elif kind == "flip-header":
            region = draw(st.sampled_from(["local", "central", "eocd"]))
            start = {"local": draw(st.sampled_from(built.local_offsets)),
                     "central": draw(st.sampled_from(records)) if records else built.central_offset,
                     "eocd": built.eocd_offset}[region]
            span = {"local": 30, "central": 46, "eocd": 22}[region]
            for _ in range(draw(st.integers(1, 4))):
                at = min(start + draw(st.integers(0, span - 1)), len(data) - 1)
                data[at] = draw(st.integers(0, 255))
        elif kind == "method":
            method = draw(st.one_of(st.sampled_from([0, 8, 9, 12, 14, 93, 99]), st.integers(0, 0xFFFF)))
            if draw(st.booleans()) and records:
                struct.pack_into("<H", data, draw(st.sampled_from(records)) + 10, method)
            else:
                struct.pack_into("<H", data, draw(st.sampled_from(built.local_offsets)) + 8, method)
        elif kind == "size":
            value = draw(st.sampled_from(["zero", "max", "plus", "minus", "any"]))
            at = draw(st.sampled_from(records)) + draw(st.sampled_from([20, 24])) if records else 0
            if draw(st.booleans()):
                at = draw(st.sampled_from(built.local_offsets)) + draw(st.sampled_from([18, 22]))
            old = struct.unpack_from("<L", data, at)[0]
            new = {"zero": 0, "max": 0xFFFFFFFF, "plus": old + 1, "minus": max(old - 1, 0),
                   "any": draw(st.integers(0, 0xFFFFFFFF))}[value]
            struct.pack_into("<L", data, at, new & 0xFFFFFFFF)
        elif kind in ("duplicate-record", "drop-record") and records:
            i = draw(st.integers(0, len(records) - 1))
            end = records[i + 1] if i + 1 < len(records) else built.eocd_offset
            record = bytes(data[records[i]:end])
            central = bytes(data[built.central_offset:built.eocd_offset])
            rel = records[i] - built.central_offset
            central = central[:rel] + record + central[rel:] if kind == "duplicate-record" \
                else central[:rel] + central[rel + len(record):]
            count = len(records) + (1 if kind == "duplicate-record" else -1)
            fix_counts = draw(st.booleans())  # a consistent end record, or a lying one
            eocd = bytearray(data[built.eocd_offset:])
            if fix_counts:
                struct.pack_into("<HHL", eocd, 8, count, count, len(central))
            data = bytearray(data[:built.central_offset] + central + eocd)
    return bytes(data)


# --- CSV-layer mutations ----------------------------------------------------------------------


@st.composite
def csv_mutants(draw) -> bytes:
    name = draw(st.sampled_from(sorted(TABLES)))
    header = TABLES[name]
    lines = canary_table(header, draw(st.integers(0, 4))).split(b"\n")
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["drop-header", "duplicate-header", "rename-column", "nul", "quote",
                                     "ragged", "short", "invalid-utf8", "cr", "bom", "utf16", "empty",
                                     "blank-lines", "long-line"]))
        if kind == "drop-header" and lines:
            lines = lines[1:]
        elif kind == "duplicate-header" and lines:
            lines = [lines[0]] + lines
        elif kind == "rename-column" and lines:
            cols = lines[0].split(b",")
            cols[draw(st.integers(0, len(cols) - 1))] = draw(st.sampled_from([b"", b"X", cols[0], b'"', b"a\x00"]))
            lines[0] = b",".join(cols)
        elif kind in ("nul", "quote", "invalid-utf8", "cr"):
            i = draw(st.integers(0, max(len(lines) - 1, 0)))
            insert = {"nul": b"\x00", "quote": b'"', "invalid-utf8": draw(st.sampled_from(
                [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xfe\xff"])), "cr": b"\r"}[kind]
            line = lines[i] if lines else b""
            at = draw(st.integers(0, len(line)))
            if lines:
                lines[i] = line[:at] + insert + line[at:]
        elif kind == "ragged":
            lines.append(b",".join([CANARY.encode()] * draw(st.integers(header.count(b",") + 2, 40))))
        elif kind == "short":
            lines.append(CANARY.encode())
        elif kind == "blank-lines":
            lines.insert(draw(st.integers(0, len(lines))), b"")
        elif kind == "long-line":
            lines.append(b"x," * 600)  # beyond the lowered field count if any
        elif kind == "empty":
            lines = []
    data = b"\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "bom", "utf-16", "cr-only"]))
    if encoding == "bom":
        data = b"\xef\xbb\xbf" + data
    elif encoding == "utf-16":
        data = data.decode("utf-8", "replace").encode("utf-16")
    elif encoding == "cr-only":
        data = data.replace(b"\n", b"\r")
    maker = draw(st.sampled_from([zb.stored, zb.deflated, zb.deflated64]))
    others = [zb.stored("Profile.csv", canary_table(TABLES["Profile.csv"]))] if name != "Profile.csv" else []
    return zb.build([maker(name, data)] + others)


# --- the property ------------------------------------------------------------------------------


class Workdir:
    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="inventory-fuzz-"))
        self.counter = 0
        self.stats = {"ok": 0, "refused": 0, "seconds": 0.0}


@pytest.fixture(scope="module")
def workdir():
    return Workdir()


def check_mutant(workdir: Workdir, data: bytes, name: str = "Basic_LinkedInDataExport_01-01-2026.zip") -> None:
    folder = workdir.path / str(workdir.counter)
    workdir.counter += 1
    folder.mkdir()
    path = folder / name
    path.write_bytes(data)
    started = time.monotonic()
    try:
        result = scan_exports([path], FUZZ_LIMITS)
    except InventoryError as error:  # the only exception allowed out (G10)
        messages = [str(error)]
        workdir.stats["refused"] += 1
    else:
        workdir.stats["ok"] += 1
        messages = [str(p) for p in result.all_problems()]
        for report in result.files:  # G7: no item without a row behind it
            assert report.rows > 0 or report.items == 0, report
    elapsed = time.monotonic() - started
    workdir.stats["seconds"] += elapsed
    assert elapsed < PER_EXAMPLE_SECONDS
    for message in messages:  # G8: structure is named, content never quoted
        assert CANARY not in message, message
        assert "\n" not in message.rstrip("\n")
    assert [p.name for p in folder.iterdir()] == [name]  # G1: nothing written beside it
    path.unlink()
    folder.rmdir()


@settings(max_examples=1200, **CI)
@given(data=zip_mutants())
def test_zip_layer_mutants_raise_only_inventory_errors(workdir, data):
    check_mutant(workdir, data)


@settings(max_examples=700, **CI)
@given(data=csv_mutants())
def test_csv_layer_mutants_raise_only_inventory_errors(workdir, data):
    check_mutant(workdir, data)


SAMPLE_SEEDS = {p.name: zb.Built(p.read_bytes()) for p in SAMPLE_FILES}


@st.composite
def sample_mutants(draw) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(SAMPLE_SEEDS)))
    data = bytearray(SAMPLE_SEEDS[name].data)
    if draw(st.booleans()):
        data = data[:draw(st.integers(0, len(data) - 1))]
    else:
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return name, bytes(data)


@settings(max_examples=200, **CI)
@given(case=sample_mutants())
def test_committed_sample_mutants_raise_only_inventory_errors(workdir, case):
    name, data = case
    check_mutant(workdir, data, name)


def test_default_run_executed_over_2000_examples(workdir):
    """Runs after the three properties above (file order): they really ran, and at what speed."""
    done = workdir.stats["ok"] + workdir.stats["refused"]
    assert done >= 2000, workdir.stats
    assert workdir.stats["ok"] > 50 and workdir.stats["refused"] > 500, workdir.stats
    print(f"\nfuzz: {done} mutants, {workdir.stats['ok']} read, {workdir.stats['refused']} refused, "
          f"{done / workdir.stats['seconds']:.0f} per second of scanning")


# --- nightly-style: many more, fresh randomness --------------------------------------------------


@pytest.mark.nightly
@settings(max_examples=20_000, **NIGHTLY)
@given(data=zip_mutants())
def test_nightly_zip_layer(workdir, data):
    check_mutant(workdir, data)


@pytest.mark.nightly
@settings(max_examples=10_000, **NIGHTLY)
@given(data=csv_mutants())
def test_nightly_csv_layer(workdir, data):
    check_mutant(workdir, data)


@pytest.mark.nightly
@settings(max_examples=5_000, **NIGHTLY)
@given(case=sample_mutants())
def test_nightly_committed_samples(workdir, case):
    name, data = case
    check_mutant(workdir, data, name)


# --- memory: bomb-biased mutants in a child process ---------------------------------------------

MEMORY_CHILD = r"""
import json, random, resource, struct, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import zipbuild as zb
from inventory.errors import InventoryError
from inventory.limits import Limits
from inventory.scan import scan_exports

MiB = 1024 * 1024
def peak():
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss if sys.platform == "darwin" else rss * 1024

limits = Limits(max_member_bytes=64 * MiB, max_total_bytes=128 * MiB, time_budget=10.0)
seeds = [zb.deflate64_bomb(256 * MiB), zb.deflate64_bomb(256 * MiB, declared=1024),
         zb.deflate64_bomb(256 * MiB, declared=32 * MiB), zb.deflate_bomb(128 * MiB, declared=48 * MiB),
         zb.quoted_overlap_bomb(entries=50, kernel_bytes=4 * MiB), zb.shared_header_bomb(entries=50, kernel_bytes=4 * MiB)]
# one real table first, so polars and the readers are in the baseline
warm = Path(sys.argv[2]) / "warm.zip"
warm.write_bytes(zb.build([zb.deflated("Connections.csv", zb.SAMPLE_CONNECTIONS)]))
scan_exports([warm], limits)
baseline = peak()
rng = random.Random(7)
outcomes, started, path = {}, time.monotonic(), Path(sys.argv[2]) / "bomb.zip"
for i in range(int(sys.argv[3])):
    data = bytearray(rng.choice(seeds))
    move = rng.choice(["size", "size", "flip", "method", "none"])
    if move == "size":  # lie about sizes in the central record or local header
        cd = data.rfind(b"PK\x01\x02") if rng.random() < 0.5 else data.find(b"PK\x01\x02")
        at = (cd + rng.choice([20, 24])) if rng.random() < 0.7 else rng.choice([18, 22])
        struct.pack_into("<L", data, at, rng.choice([0, 1024, 32 * MiB, 63 * MiB, 0xFFFFFFFF,
                                                     rng.randrange(1 << 32)]))
    elif move == "flip":
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif move == "method":
        struct.pack_into("<H", data, data.find(b"PK\x01\x02") + 10, rng.choice([0, 8, 9]))
        struct.pack_into("<H", data, 8, rng.choice([0, 8, 9]))
    path.write_bytes(bytes(data))
    try:
        scan_exports([path], limits)
        outcome = "read"
    except InventoryError as exc:
        outcome = exc.reason.split(" (")[0][:40]
    outcomes[outcome] = outcomes.get(outcome, 0) + 1
print(json.dumps({"growth": peak() - baseline, "seconds": time.monotonic() - started, "outcomes": outcomes}))
"""


def test_bomb_biased_mutants_stay_within_memory_bound(tmp_path, allow_subprocess):
    """G2 with the member limit lowered to 64 MiB: 200 mutants of Deflate64, deflate and overlap
    bombs with lying sizes and methods; peak RSS growth stays under the limit plus 256 MiB."""
    done = subprocess.run([sys.executable, "-c", MEMORY_CHILD, str(Path(__file__).parents[1]), str(tmp_path), "200"],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONHASHSEED": "0"})
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    print(f"\nbomb mutants: peak growth {result['growth'] / MiB:.0f} MiB in {result['seconds']:.1f} s; "
          f"{result['outcomes']}")
    assert result["growth"] < 64 * MiB + 256 * MiB, result
    assert sum(result["outcomes"].values()) == 200
