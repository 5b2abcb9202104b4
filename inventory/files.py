"""Private, atomic file writes: the one write path for state, backups and reports.

A write goes to a temporary file in the destination's folder (created 0600 by mkstemp), is
flushed and fsynced, then renamed over the destination, and the folder is fsynced. A crash at
any point leaves either the old file or the new one, never a mix; the temporary file is removed
on any failure. Failures of the environment (disk full, read-only folder, permissions) become
`EnvironmentProblem` naming the path.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from inventory.errors import EnvironmentProblem

TEMP_PREFIX = ".tmp-"

_REASONS = {
    errno.ENOSPC: "disk full",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENOENT: "folder does not exist",
    errno.ENOTDIR: "a parent is not a folder",
    errno.EISDIR: "is a folder",
    errno.ENAMETOOLONG: "name too long",
}


def describe_os_error(exc: OSError) -> str:
    """A short reason for an OSError, without the path (the caller names it)."""
    reason = _REASONS.get(exc.errno or 0) or (exc.strerror or type(exc).__name__).lower()
    code = errno.errorcode.get(exc.errno or 0)
    return f"{reason} ({code})" if code else reason


class NotRegularFile(OSError):
    """A FIFO, a device or a socket where a file was expected: reading it could wait forever
    for a writer, or never end."""

    def __init__(self) -> None:
        super().__init__(None, "not a regular file")


def read_regular(path: Path, max_bytes: int | None = None) -> bytes:
    """The regular file at `path`, or at most `max_bytes` + 1 bytes of it (one more than allowed
    tells the caller it is too big). Opened without blocking, so a FIFO in the file's place is refused
    at once instead of waited on. Raises OSError: FileNotFoundError, IsADirectoryError,
    NotRegularFile..."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder")
        if not stat.S_ISREG(mode):
            raise NotRegularFile()
        # O_NONBLOCK changes nothing for a regular file's reads.
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            return handle.read(-1 if max_bytes is None else max_bytes + 1)
    finally:
        if fd >= 0:
            os.close(fd)


def _refuse_existing(path: Path) -> None:
    if os.path.lexists(path):
        what = "is a symbolic link" if path.is_symlink() else "exists"
        raise EnvironmentProblem(str(path), f"{what}, use --force to replace it")


def _fsync_dir(folder: Path) -> None:
    try:
        dfd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # not supported on this platform (Windows); the rename is still atomic
    try:
        with contextlib.suppress(OSError):  # some file systems refuse fsync on a folder
            os.fsync(dfd)
    finally:
        os.close(dfd)


def atomic_write(path: Path, data: bytes, *, force: bool = True) -> None:
    """Write `data` to `path` atomically, mode 0600.

    force=False refuses an existing destination or a symbolic link (even a dangling one).
    A symbolic link is never followed: with force=True the link itself is replaced.
    """
    path = Path(path)
    folder = path.parent
    if not force:
        _refuse_existing(path)
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX, suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if force:
            os.replace(tmp, path)
        else:
            _link_without_replacing(tmp, path)
        tmp = None
    except OSError as exc:
        raise EnvironmentProblem(str(path), f"cannot write: {describe_os_error(exc)}") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    _fsync_dir(folder)


def _link_without_replacing(tmp: str, path: Path) -> None:
    """Publish `tmp` at `path` only if nothing is there: link() fails on an existing name, which
    closes the gap between the existence check and the rename. File systems without hard links
    fall back to check-then-rename."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        _refuse_existing(path)
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        _refuse_existing(path)
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def private_dir(path: Path) -> Path:
    """Create `path` and any missing parents with mode 0700 whatever the umask; return it.

    Folders that already exist are left as they are (they may be the member's own)."""
    path = Path(path)
    missing: list[Path] = []
    current = path
    while not current.exists():
        if current.is_symlink():
            raise EnvironmentProblem(str(current), "is a dangling symbolic link")
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    try:
        for folder in reversed(missing):
            try:
                os.mkdir(folder, 0o700)
            except FileExistsError:
                continue  # created meanwhile by another process
            os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask; chmod is not
        if not stat.S_ISDIR(os.stat(path).st_mode):
            raise EnvironmentProblem(str(path), "exists and is not a folder")
    except OSError as exc:
        raise EnvironmentProblem(str(path), f"cannot create folder: {describe_os_error(exc)}") from None
    return path
