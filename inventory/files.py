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
import io
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


def special_kind(mode: int) -> str | None:
    """What stands at a path when it is neither a regular file, a folder nor a symbolic link."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode):
        return None
    return "not a file"


class NotRegularFile(OSError):
    """A FIFO, a device or a socket where a file was expected: reading it could wait forever
    for a writer, or never end."""

    def __init__(self, kind: str | None = None) -> None:
        super().__init__(None, f"not a regular file ({kind})" if kind else "not a regular file")
        self.kind = kind


BROKEN_LINK = "a symbolic link to a missing file"


class BrokenLink(OSError):
    """A symbolic link to nothing where a file was expected: not the same as no file at all,
    since writing there would replace the member's link."""

    def __init__(self) -> None:
        super().__init__(None, BROKEN_LINK)


def open_regular(path: Path | str | bytes, *, follow_symlinks: bool = True) -> io.BufferedReader:
    """The regular file at `path`, open for reading: the one way to open a file the member
    names or that an export holds. Opened without blocking, so a FIFO in the file's place is
    refused at once instead of waited on, and checked on the open descriptor (no race).
    Raises OSError: FileNotFoundError, BrokenLink, IsADirectoryError, NotRegularFile,
    PermissionError..."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        if os.path.islink(path):
            raise BrokenLink() from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder")
        if not stat.S_ISREG(mode):
            raise NotRegularFile(special_kind(mode))
        # O_NONBLOCK changes nothing for a regular file's reads.
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path, max_bytes: int | None = None) -> bytes:
    """The regular file at `path` (see open_regular), or at most `max_bytes` + 1 bytes of it
    (one more than allowed tells the caller it is too big)."""
    with open_regular(path) as handle:
        return handle.read(-1 if max_bytes is None else max_bytes + 1)


def _refuse_special(path: Path) -> None:
    """A folder, FIFO, device or socket at the destination is never replaced, even with force:
    it is not a file the member wrote (replacing /dev/null as root breaks the system)."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return  # nothing there (or unreachable: the write itself will say why)
    if stat.S_ISDIR(mode):
        raise EnvironmentProblem(str(path), "is a folder, not replaced")
    kind = special_kind(mode)
    if kind:
        raise EnvironmentProblem(str(path), f"is {kind}, not a regular file; not replaced")


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
    A symbolic link is never followed: with force=True the link itself is replaced. A folder,
    FIFO, device or socket is never replaced.
    """
    path = Path(path)
    folder = path.parent
    _refuse_special(path)
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
