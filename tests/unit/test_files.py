"""Atomic private writes (docs/bad-input.md cases 63, 64, 70; guarantee G5)."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from inventory import files, paths
from inventory.errors import EnvironmentProblem
from inventory.files import atomic_write, private_dir


@pytest.fixture
def umask_000():
    old = os.umask(0)
    yield
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_file_0600_and_folders_0700_under_umask_000(tmp_path, umask_000):
    folder = private_dir(tmp_path / "a" / "b" / "c")
    assert folder.is_dir()
    for part in (tmp_path / "a", tmp_path / "a" / "b", folder):
        assert mode(part) == 0o700, part
    target = folder / "report.md"
    atomic_write(target, b"hello")
    assert target.read_bytes() == b"hello"
    assert mode(target) == 0o600
    atomic_write(target, b"again")  # replacing keeps it private
    assert target.read_bytes() == b"again" and mode(target) == 0o600


def test_existing_folder_is_left_alone(tmp_path, umask_000):
    own = tmp_path / "mine"
    own.mkdir(0o755)
    os.chmod(own, 0o755)
    private_dir(own)
    assert mode(own) == 0o755


def test_private_dir_refuses_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(EnvironmentProblem, match="not a folder"):
        private_dir(tmp_path / "f")


def test_private_dir_on_read_only_parent_names_the_path(tmp_path, monkeypatch):
    # Simulated: the suite may run as root, for whom folder permissions are not enforced.
    def refuse(*args, **kwargs):
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "mkdir", refuse)
    with pytest.raises(EnvironmentProblem) as caught:
        private_dir(tmp_path / "ro" / "state")
    assert caught.value.where == str(tmp_path / "ro" / "state")
    assert "permission denied" in caught.value.reason and caught.value.exit_status == 3


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(files.TEMP_PREFIX))


@pytest.mark.parametrize("victim", ["fsync", "replace"])
def test_disk_full_leaves_old_file_and_no_temp(tmp_path, monkeypatch, victim):
    target = tmp_path / "state.json"
    atomic_write(target, b"old")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, victim, full)
    with pytest.raises(EnvironmentProblem) as caught:
        atomic_write(target, b"new content")
    monkeypatch.undo()
    assert caught.value.exit_status == 3
    assert caught.value.where == str(target)
    assert "disk full" in caught.value.reason and "ENOSPC" in caught.value.reason
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_read_only_folder_is_an_environment_problem(tmp_path, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(files.tempfile, "mkstemp", read_only)
    with pytest.raises(EnvironmentProblem, match="read-only file system"):
        atomic_write(tmp_path / "out.html", b"x")


def test_existing_destination_refused_without_force(tmp_path):
    target = tmp_path / "checklist.md"
    target.write_bytes(b"member's file")
    with pytest.raises(EnvironmentProblem, match="exists, use --force"):
        atomic_write(target, b"new", force=False)
    assert target.read_bytes() == b"member's file"
    assert leftovers(tmp_path) == []
    atomic_write(target, b"new", force=True)
    assert target.read_bytes() == b"new"


def test_new_destination_written_without_force(tmp_path):
    target = tmp_path / "checklist.md"
    atomic_write(target, b"fresh", force=False)
    assert target.read_bytes() == b"fresh" and mode(target) == 0o600
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("dangling", [False, True])
def test_symlink_destination_refused_and_never_followed(tmp_path, dangling):
    victim = tmp_path / "victim.txt"
    if not dangling:
        victim.write_bytes(b"precious")
    link = tmp_path / "report.md"
    link.symlink_to(victim)
    with pytest.raises(EnvironmentProblem, match="symbolic link"):
        atomic_write(link, b"evil", force=False)
    assert link.is_symlink()
    assert victim.exists() == (not dangling)
    # With --force the link itself is replaced; its target is untouched.
    atomic_write(link, b"report", force=True)
    assert not link.is_symlink() and link.read_bytes() == b"report"
    if not dangling:
        assert victim.read_bytes() == b"precious"
    else:
        assert not victim.exists()


def test_paths_follow_platformdirs_and_override(tmp_path, monkeypatch):
    monkeypatch.delenv(paths.STATE_ENV, raising=False)
    home = tmp_path / "home"
    assert paths.state_dir() == home / "state" / "inventory"
    assert paths.config_dir() == home / "config" / "inventory"
    assert paths.state_file() == home / "state" / "inventory" / "state.json"
    assert paths.watchlist_file() == home / "config" / "inventory" / "watchlist.toml"
    monkeypatch.setenv(paths.STATE_ENV, str(tmp_path / "elsewhere"))
    found = paths.locations()
    assert found["decisions"] == tmp_path / "elsewhere" / "state.json"
    assert found["backup"] == tmp_path / "elsewhere" / "state.json.bak"
    assert found["lock"] == tmp_path / "elsewhere" / "state.lock"
    assert not (tmp_path / "elsewhere").exists()  # locating creates nothing


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on Windows")
def test_open_regular_refuses_at_once_what_is_not_a_regular_file(tmp_path):
    os.mkfifo(tmp_path / "pipe")  # no writer: a plain open would wait forever
    with pytest.raises(files.NotRegularFile, match=r"not a regular file \(a named pipe\)"):
        files.open_regular(tmp_path / "pipe")
    (tmp_path / "link").symlink_to(tmp_path / "gone")
    with pytest.raises(files.BrokenLink):
        files.read_regular(tmp_path / "link")
    with pytest.raises(FileNotFoundError) as missing:
        files.read_regular(tmp_path / "gone")
    assert not isinstance(missing.value, files.BrokenLink)
    with pytest.raises(IsADirectoryError):
        files.read_regular(tmp_path)
    (tmp_path / "file").write_bytes(b"12345")
    (tmp_path / "to-file").symlink_to(tmp_path / "file")
    assert files.read_regular(tmp_path / "to-file", 2) == b"123"
    with pytest.raises(OSError):  # a member of an export folder: its links are never followed
        files.open_regular(tmp_path / "to-file", follow_symlinks=False)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on Windows")
@pytest.mark.parametrize("force", [False, True])
def test_atomic_write_never_replaces_a_fifo_or_a_folder(tmp_path, force):
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "folder").mkdir()
    for name, what in (("pipe", "is a named pipe, not a regular file; not replaced"),
                       ("folder", "is a folder, not replaced")):
        with pytest.raises(EnvironmentProblem, match=what):
            atomic_write(tmp_path / name, b"data", force=force)
    assert stat.S_ISFIFO(os.lstat(tmp_path / "pipe").st_mode) and list((tmp_path / "folder").iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["folder", "pipe"]
