"""The bundled sample ships as package data: the runtime reads the shipped archives and never
runs the generator (inventory.samples, behind `inventory sample` and the tests) or a process."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from inventory import pipeline
from inventory import samples as S

SAMPLES = Path(__file__).parents[2] / "sample_exports"


def test_the_shipped_archives_are_the_committed_basic_and_complete():
    shipped = pipeline.sample_archives()
    assert [a.name for a in shipped] == [S.BASIC_NAME, S.COMPLETE_NAME]
    for archive in shipped:
        assert archive.read_bytes() == (SAMPLES / archive.name).read_bytes(), (
            f"{archive.name}: copy sample_exports/{archive.name} to inventory/data/samples/")


def test_the_shipped_archives_hold_what_the_generator_builds():
    for kind, archive in zip(("basic", "complete"), pipeline.sample_archives()):
        with zipfile.ZipFile(archive.open("rb")) as zf:
            assert {name: zf.read(name) for name in zf.namelist()} == S.build_export(kind)


CHILD = r"""
import sys
spawned = []
sys.addaudithook(lambda event, args: spawned.append(event) if event in (
    "subprocess.Popen", "os.system", "os.posix_spawn", "os.spawn", "os.exec", "os.fork") else None)
sys.modules["inventory.samples"] = None  # importing the generator now fails
import inventory.cli, inventory.tui.app
from inventory import pipeline
analysis = pipeline.analyse_sample()
print(analysis.frame.height, spawned)
"""


def test_the_sample_opens_without_the_generator_or_a_process(allow_subprocess):
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    height, spawned = done.stdout.split(" ", 1)
    assert int(height) > 200 and spawned.strip() == "[]"
