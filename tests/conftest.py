"""Suite-wide guards, and the shared helpers (zipbuild, test_tui_support) made importable from
tests/unit, tests/functional and tests/snapshots.

The offline guarantee is enforced here, for every test: an audit hook records any network
look-up or connection, any process spawn, and any file opened for writing outside the test's
temporary folders; the test that triggered it fails. Tests that must start a subprocess (memory
bounds measured in a child) use the `allow_subprocess` fixture.
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_exports"
sys.path.insert(0, str(REPO / "tests"))

# Hypothesis keeps caches (".hypothesis/constants", unicode tables) in the working directory,
# at moments of its choosing, sometimes in the middle of a test: that tripped the write guard
# below at random. Give it a temporary home instead.
try:
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(tempfile.mkdtemp(prefix="inventory-hypothesis-"))
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    pass

_INET = {socket.AF_INET, socket.AF_INET6}
_violations: list[str] = []
_state = {"allow_subprocess": False}
_WRITE_ROOTS = [
    os.path.realpath(tempfile.gettempdir()),
    "/dev/",
    str(REPO / "tests" / "snapshots" / "__snapshots__"),
    str(REPO / "snapshot_report.html"),
]


def _is_write(mode: object, flags: object) -> bool:
    if isinstance(mode, str) and any(c in mode for c in "wax+"):
        return True
    if isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
        return True
    return False


def _guard(event: str, args: tuple) -> None:
    if event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr"):
        _violations.append(f"network look-up: {event}")
    elif event in ("socket.connect", "socket.bind", "socket.sendto"):
        sock = args[0]
        if getattr(sock, "family", None) in _INET:
            _violations.append(f"network use: {event}")
    elif event in ("subprocess.Popen", "os.system", "os.posix_spawn", "webbrowser.open"):
        if not _state["allow_subprocess"]:
            _violations.append(f"process spawn: {event}")
    elif event == "open" and len(args) >= 3 and _is_write(args[1], args[2]):
        path = args[0]
        if isinstance(path, int):
            return
        path = os.path.realpath(os.fsdecode(path))
        if path.endswith((".pyc", ".pyc.tmp")) or "__pycache__" in path:
            return
        if not any(path.startswith(root) for root in _WRITE_ROOTS):
            _violations.append(f"file written outside the allowed folders: {path}")


sys.addaudithook(_guard)  # cannot be removed; installed once for the whole session


@pytest.fixture(autouse=True)
def _offline_and_contained(tmp_path, monkeypatch):
    """Every test runs with HOME and the XDG folders in its own temp dir, and fails if the code
    under test touched the network, spawned a process or wrote elsewhere."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (("XDG_STATE_HOME", "state"), ("XDG_CONFIG_HOME", "config"),
                     ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache")):
        monkeypatch.setenv(var, str(home / sub))
    _violations.clear()
    yield
    found = list(_violations)
    _violations.clear()
    _state["allow_subprocess"] = False
    if found:
        pytest.fail("offline/containment guard: " + "; ".join(sorted(set(found))[:5]), pytrace=False)


@pytest.fixture
def allow_subprocess():
    """For tests that measure memory in a child process; the child itself runs no network code."""
    _state["allow_subprocess"] = True
    yield
    _state["allow_subprocess"] = False


@pytest.fixture
def samples() -> Path:
    return SAMPLES


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run `inventory ARGV...` in-process: (exit status, stdout, stderr)."""
    from inventory.cli import main

    with pytest.raises(SystemExit) as done:
        main(list(argv))
        raise SystemExit(0)
    out, err = capsys.readouterr()
    return done.value.code or 0, out, err


_TERMINAL_REPORT: list[str] = []


@pytest.fixture
def terminal_report():
    """Lines a test wants in the run's summary (shown without -s), e.g. detector metrics."""
    return _TERMINAL_REPORT


def pytest_terminal_summary(terminalreporter):
    if _TERMINAL_REPORT:
        terminalreporter.section("inventory measurements")
        for line in _TERMINAL_REPORT:
            terminalreporter.write_line(line)


@pytest.fixture
def fifo_with_writer(tmp_path):
    """make(path, data): a FIFO at `path` that a background thread feeds `data` to whenever a
    reader opens it. Code that (wrongly) opens it as a file then reads `data` and fails an
    assertion, instead of hanging the suite forever."""
    import threading
    import time

    stop = threading.Event()
    threads = []

    def make(path: Path, data: bytes) -> None:
        os.mkfifo(path, 0o600)

        def feed() -> None:
            while not stop.is_set():
                try:  # succeeds only while a reader has it open
                    fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
                except OSError:
                    time.sleep(0.01)
                    continue
                try:
                    os.write(fd, data)
                except OSError:
                    pass
                finally:
                    os.close(fd)

        thread = threading.Thread(target=feed, daemon=True)
        thread.start()
        threads.append(thread)

    yield make
    stop.set()
    for thread in threads:
        thread.join()


def full_disk(monkeypatch, path, *, full: bool = True) -> dict:
    """Every save of `path` (its atomic rename) fails with ENOSPC while `disk["full"]` is true;
    set it to False to give the disk room again."""
    import errno

    disk = {"full": full, "state": path}
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if disk["full"] and os.fspath(dst) == os.fspath(path):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    return disk
