"""Paths given to a command (docs/bad-input.md, section M): where a file is read (an export,
`--policy`, `--watchlist`, `--state`, the old or new side of `verify`) or written (`checklist -o`),
a FIFO, a folder, a device, a symbolic link to nothing or an unreadable file gets one line on
stderr naming the path and a non-zero exit; never a wait, a traceback or a replaced file.

A FIFO here is fed valid content whenever something opens it (conftest `fifo_with_writer`): code
that wrongly reads it gets a usable file and the test fails on the exit status instead of hanging.
The device is a link to /dev/null where it is read (so a regression could at worst move the link),
and a device node made in the test's folder where a write must refuse it."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from conftest import SAMPLES, run_cli as run
from inventory.state import encode_state

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on Windows")

BASIC = SAMPLES / "Basic_LinkedInDataExport_11-20-2026.zip"
POLICY = (Path(__file__).parents[2] / "inventory" / "data" / "policy.toml").read_bytes()
WATCHLIST = b'[[term]]\nname = "Example Person"\n'
STATE = encode_state({}, [])

# option -> (argv with {p} for the path, what a FIFO there is fed, exit status)
READS = {
    "scan --policy": (["scan", str(BASIC), "--policy", "{p}"], POLICY, 2),
    "policy --policy": (["policy", "--policy", "{p}"], POLICY, 2),
    "checklist --watchlist": (["checklist", str(BASIC), "--watchlist", "{p}"], WATCHLIST, 2),
    "scan EXPORT": (["scan", "{p}"], BASIC.read_bytes(), 2),
    "checklist --state": (["checklist", str(BASIC), "--state", "{p}"], STATE, 3),
    "verify OLD": (["verify", "{p}", str(BASIC)], BASIC.read_bytes(), 2),
    "verify NEW": (["verify", str(BASIC), "{p}"], BASIC.read_bytes(), 2),
    "verify --state": (["verify", str(BASIC), str(BASIC), "--state", "{p}"], STATE, 3),
}
REASONS = {"fifo": "named pipe", "folder": "folder", "device": "device",
           "dangling": "symbolic link to a missing file", "unreadable": "permission denied"}


def make(kind: str, path: Path, content: bytes, fifo_with_writer, monkeypatch) -> None:
    if kind == "fifo":
        fifo_with_writer(path, content)
    elif kind == "folder":
        path.mkdir()
        (path / "Connections.csv").write_bytes(b"First Name,Last Name\n")  # not an empty folder
    elif kind == "device":
        path.symlink_to(os.devnull)
    elif kind == "dangling":
        path.symlink_to(path.with_name("gone"))
    else:  # the file is there and valid, but the system refuses to open it (root ignores chmod 000)
        path.write_bytes(content)
        real_open = os.open

        def refuse(file, *args, **kw):
            if os.fsdecode(file) == str(path):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
            return real_open(file, *args, **kw)

        monkeypatch.setattr(os, "open", refuse)


def kind_at(path: Path) -> str:
    mode = os.lstat(path).st_mode
    return ("link" if stat.S_ISLNK(mode) else "fifo" if stat.S_ISFIFO(mode) else
            "folder" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "device")


# a folder is a valid export (an extracted one), so not a bad one where an export is read
CASES = [(option, kind) for option in READS for kind in REASONS
         if not (kind == "folder" and option in ("scan EXPORT", "verify OLD", "verify NEW"))]


@pytest.mark.parametrize("option, kind", CASES)
def test_a_path_that_is_not_a_readable_file_is_one_line_and_never_waited_on(
        capsys, tmp_path, fifo_with_writer, monkeypatch, option, kind):  # 75
    argv, content, expected = READS[option]
    path = tmp_path / ("old.json" if option == "verify OLD" else "given")
    make(kind, path, content, fifo_with_writer, monkeypatch)
    before = kind_at(path)
    status, out, err = run(capsys, *[a.replace("{p}", str(path)) for a in argv])
    assert status == expected and err.count("\n") == 1, (status, err)
    assert path.name in err and REASONS[kind] in err and "internal error" not in err
    assert out == ""
    if kind == "fifo" and option.endswith("--state"):
        # issue 14: a FIFO state is moved aside, so the next start works
        moved = list(tmp_path.glob("given.corrupt-*"))
        assert not os.path.lexists(path) and [kind_at(p) for p in moved] == ["fifo"]
    else:
        assert kind_at(path) == before  # left as it was: nothing moved or replaced


def test_a_device_as_the_state_is_left_in_place(capsys, tmp_path):  # 75
    """As root, moving a device aside as a corrupt state would move /dev/null itself."""
    link = tmp_path / "state.json"
    link.symlink_to(os.devnull)
    status, _out, err = run(capsys, "checklist", str(BASIC), "--state", str(link))
    assert status == 3 and "not a regular file (a device); left in place" in err
    assert link.is_symlink() and sorted(p.name for p in tmp_path.iterdir()) == ["home", "state.json"]


def special_file(kind: str, path: Path) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        try:
            os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # what /dev/null is
        except PermissionError:  # not root: a socket is refused by the same check
            import socket

            with socket.socket(socket.AF_UNIX) as sock:
                sock.bind(str(path))


@pytest.mark.parametrize("force", [False, True])
@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_output_onto_a_fifo_folder_or_device_is_refused_even_with_force(capsys, tmp_path, kind, force):  # 76
    target = tmp_path / "out.md"
    special_file(kind, target)
    before = os.lstat(target)
    status, out, err = run(capsys, "checklist", str(BASIC), "-o", str(target), *(["--force"] if force else []))
    assert status == 3 and err.count("\n") == 1 and str(target) in err and "not replaced" in err, err
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino) and out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "out.md"]  # no temporary file left


@pytest.mark.parametrize("command", ["scan", "verify"])
def test_an_empty_folder_is_not_an_export(capsys, tmp_path, command):  # 77
    """Read as an export with nothing in it, verify said every planned item was gone."""
    empty = tmp_path / "export"
    empty.mkdir()
    argv = ["scan", str(empty)] if command == "scan" else ["verify", str(BASIC), str(empty)]
    status, out, err = run(capsys, *argv)
    assert status == 2 and err == "inventory: export: an empty folder, not an export\n" and out == ""


def test_sample_out_onto_a_file_is_one_line(capsys, tmp_path):
    mine = tmp_path / "mine.txt"
    mine.write_text("keep me")
    status, _out, err = run(capsys, "sample", "--out", str(mine))
    assert status == 3 and err == f"inventory: {mine}: exists and is not a folder\n"
    assert mine.read_text() == "keep me"
