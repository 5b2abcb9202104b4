"""Safe, read-only access to a LinkedIn export: a ZIP archive or an already-extracted folder.

Nothing is ever extracted or written. For ZIPs the central directory is parsed and validated
here, byte by byte, before any member is decompressed: CPython 3.11.7 accepts overlapping-entry
bombs, hidden second central directories, split-archive markers, duplicate and truncated names
(docs/bad-input.md, E1-E20). Members are then decompressed by this module in bounded
chunks, counting the bytes actually produced; header sizes are never trusted. Only stdlib
codecs and a Deflate64 decoder (inflate64, or zipfile-deflate64 where inflate64 is missing) touch
member data, and every exception they raise is wrapped in ArchiveError.
"""

from __future__ import annotations

import bz2
import hashlib
import importlib.util
import io
import lzma
import os
import re
import stat
import struct
import time
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from inventory.errors import ArchiveError, LimitExceeded
from inventory.files import BROKEN_LINK, NotRegularFile, describe_os_error, open_regular, special_kind
from inventory.limits import DEFAULT_LIMITS, Limits
from inventory.problems import Problem

# --- ZIP record layouts (PKWARE APPNOTE 4.3) -------------------------------------------------

SIG_LOCAL = b"PK\x03\x04"
SIG_CENTRAL = b"PK\x01\x02"
SIG_EOCD = b"PK\x05\x06"
SIG_ZIP64_EOCD = b"PK\x06\x06"
SIG_ZIP64_LOCATOR = b"PK\x06\x07"

EOCD = struct.Struct("<4s4H2LH")  # sig, disk, cd disk, entries here, entries total, cd size, cd offset, comment len
ZIP64_LOCATOR = struct.Struct("<4sLQL")  # sig, disk of zip64 eocd, its offset, disk count
ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")  # sig, size, made by, needed, disk, cd disk, here, total, cd size, cd offset
CENTRAL = struct.Struct("<4s6H3L5H2L")  # see _parse_central_record
LOCAL = struct.Struct("<4s5H3L2H")  # sig, needed, flags, method, time, date, crc, csize, usize, name len, extra len

MAX_COMMENT = 0xFFFF
ZIP64_EXTRA_ID = 0x0001
FLAG_ENCRYPTED = 0x0001
FLAG_UTF8 = 0x0800
HOST_UNIX = 3

METHOD_NAMES = {0: "stored", 8: "deflate", 9: "deflate64", 12: "bzip2", 14: "lzma"}
STATUSES = ("ok", "nested-archive", "encrypted", "unsupported-method", "unsafe-name", "symlink",
            "directory-with-data", "debris", "duplicate-case")

# Sub-folders LinkedIn itself uses (docs/export-format.md §1.3): never mistaken for a
# wrapping folder, so an archive holding only `Jobs/...` keeps its layout.
EXPORT_SUBFOLDERS = frozenset({"jobs", "articles", "verifications", "services marketplace"})
DEBRIS_FOLDERS = frozenset({"__macosx"})
DEBRIS_FILES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
NESTED_SUFFIXES = (".zip", ".7z", ".rar", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".jar")
# Bidirectional controls reorder what the terminal shows (Trojan Source); C0/C1 controls drive it.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
DRIVE_LETTER = re.compile(r"^[A-Za-z]:")

STREAM_CHUNK = 64 * 1024  # compressed bytes read per step for codecs that bound their output
OUTPUT_CHUNK = 1024 * 1024  # most bytes one decompress call may return (deflate, bzip2, lzma)
HASH_CHUNK = 1024 * 1024
HEAD_INPUT_CHUNK = 1024  # compressed bytes per step when only a member's first bytes are wanted


# --- public values ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    path: str  # '/' separators, wrapping folder(s) stripped, NFC, controls shown as U+FFFD
    raw_name: bytes  # name bytes as stored (os.fsencode of the relative path for folders)
    size: int  # declared uncompressed size (file size for folders)
    compressed_size: int
    method: int  # ZIP method; -1 for files of a folder
    status: str  # "ok" or the reason it will not be read (see STATUSES)


@dataclass
class _Member:
    """What read() needs about one ZIP member, validated at open time."""

    entry: Entry
    data_offset: int
    crc: int


def _flag(limit: str) -> str:
    return "--" + limit.replace("_", "-")


def _human(n: int | float) -> str:
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20)):
        if n >= size and n % size == 0:
            return f"{n // size:,} {unit}"
    return f"{n:,} bytes"


def _limit_error(where: str, what: str, limits: Limits, limit: str) -> LimitExceeded:
    value = getattr(limits, limit)
    shown = _human(value) if limit.endswith("bytes") else f"{value:,}"
    return LimitExceeded(where, f"{what} exceeds {shown} ({limit}; raise with {_flag(limit)})")


# --- names ------------------------------------------------------------------------------------


def _is_hostile_char(ch: str) -> bool:
    """Controls and bidi overrides could drive or reorder the terminal; lone surrogates come
    from undecodable file names. Other format characters (ZWJ in emoji) are legitimate."""
    return unicodedata.category(ch) in ("Cc", "Cs") or ch in BIDI_CONTROLS


def sanitise_name(name: str) -> str:
    """A name safe to display: NFC, hostile characters replaced by U+FFFD."""
    name = unicodedata.normalize("NFC", name)
    return "".join("\ufffd" if _is_hostile_char(ch) else ch for ch in name)


def _has_hostile_chars(name: str) -> bool:
    return any(_is_hostile_char(ch) for ch in name)


def _is_unsafe_path(name: str) -> bool:
    """Names that would escape or confuse a folder if anyone ever joined them to one."""
    if name.startswith("/") or "\\" in name or DRIVE_LETTER.match(name):
        return True
    parts = name.rstrip("/").split("/")
    return any(part in ("", ".", "..") for part in parts)


def _is_debris(path: str) -> bool:
    parts = path.lower().split("/")
    return (any(p in DEBRIS_FOLDERS for p in parts[:-1]) or parts[-1].startswith("._")
            or parts[-1] in DEBRIS_FILES)


def _is_nested_archive(path: str) -> bool:
    return path.lower().endswith(NESTED_SUFFIXES)


def _decode_name(raw: bytes, flags: int, where: str) -> str:
    if flags & FLAG_UTF8:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ArchiveError(where, "undecodable member name") from None
    # Without the flag the APPNOTE says CP437, but many tools write UTF-8 anyway; valid
    # non-ASCII UTF-8 is very unlikely to be meant as CP437.
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp437")


# --- the source -------------------------------------------------------------------------------


class ExportSource:
    """One archive or folder, opened for reading. Use open_source()."""

    def __init__(self, path: Path, kind: str, limits: Limits) -> None:
        self.label = path.name
        self.path = path
        self.kind = kind
        self.limits = limits
        self.entries: list[Entry] = []
        self.problems: list[Problem] = []
        self._members: dict[bytes, _Member] = {}
        self._file: io.BufferedReader | None = None
        self._total_read = 0
        self._reading_seconds = 0.0  # time budget counts time spent reading, not time open
        self._read_started = 0.0
        self._digest: str | None = None

    # context manager
    def __enter__(self) -> "ExportSource":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def warn(self, member: str | None, code: str, detail: str, key: str | None = None, **values: object) -> None:
        self.problems.append(Problem(self.label, member, None, code, detail, values=values, key=key))

    def _where(self, entry: Entry) -> str:
        return f"{self.label}: {entry.path}"

    def sha256(self) -> str:
        """Of the archive file; for a folder, of its listing (relative names and sizes), so the
        same folder given twice, or an identical copy, is recognised."""
        if self._digest is None:
            digest = hashlib.sha256()
            if self.kind == "zip":
                try:
                    with open_regular(self.path) as f:
                        while block := f.read(HASH_CHUNK):
                            digest.update(block)
                except OSError as exc:
                    raise ArchiveError(self.label, f"cannot read ({exc.strerror})") from None
            else:
                for entry in self.entries:
                    digest.update(entry.raw_name + b"\0" + str(entry.size).encode() + b"\n")
            self._digest = digest.hexdigest()
        return self._digest

    def read(self, entry: Entry) -> bytes:
        """The whole member, decompressed, bounded by max_member_bytes and, over all reads of
        this source, max_total_bytes. Raises ArchiveError or LimitExceeded, nothing else."""
        member = self._members.get(entry.raw_name)
        if member is None or member.entry != entry:
            raise ArchiveError(self._where(entry), "not a member of this source")
        if entry.status != "ok":
            raise ArchiveError(self._where(entry), f"member not readable ({entry.status})")
        self._check_declared_size(entry)
        if entry.size == 0 and entry.compressed_size == 0:
            return b""  # some writers store empty files as deflate with no stream at all
        self._read_started = time.monotonic()
        try:
            if self.kind == "folder":
                return self._read_file(entry)
            return self._read_member(member)
        except ArchiveError:
            raise
        except MemoryError:
            raise ArchiveError(self._where(entry), "out of memory while reading") from None
        except (zlib.error, INFLATE.error, lzma.LZMAError, EOFError, ValueError, RuntimeError,
                NotImplementedError, UnicodeDecodeError) as exc:
            raise ArchiveError(self._where(entry), f"corrupt data ({type(exc).__name__})") from None
        except OSError as exc:
            if exc.errno is None:  # bz2 reports bad data as a bare OSError
                raise ArchiveError(self._where(entry), "corrupt data (OSError)") from None
            raise ArchiveError(self._where(entry), f"cannot read ({exc.strerror})") from None
        finally:
            self._reading_seconds += time.monotonic() - self._read_started

    def head(self, entry: Entry, size: int) -> bytes:
        """At most the member's first `size` bytes, to recognise it by its header before it is
        read; b"" when they cannot be had (read() then says why). Only as much compressed data
        as yields them is inflated, a little at a time, so a bomb gives no more than `size`."""
        member = self._members.get(entry.raw_name)
        if member is None or member.entry != entry or entry.status != "ok" or size <= 0:
            return b""
        try:
            if self.kind == "folder":
                with self._open_file(entry) as f:
                    return f.read(size)
            if self._file is None:
                return b""
            self._file.seek(member.data_offset)
            decoder = _decoder_for(entry.method, entry.size, self.limits)
            out = bytearray()
            left = entry.compressed_size
            while left > 0 and len(out) < size and not decoder.eof:
                chunk = self._file.read(min(HEAD_INPUT_CHUNK, decoder.input_chunk, left))
                if not chunk:
                    break
                left -= len(chunk)
                for piece in decoder.feed(chunk):
                    out += piece[: size - len(out)]
                    if len(out) >= size:
                        break
            return bytes(out)
        except (ArchiveError, MemoryError, zlib.error, INFLATE.error, lzma.LZMAError, EOFError, ValueError,
                RuntimeError, NotImplementedError, UnicodeDecodeError, OSError):
            return b""

    # -- reading helpers

    def _check_declared_size(self, entry: Entry) -> None:
        """Refuse before decompressing when the header already says it is too big."""
        where = self._where(entry)
        if entry.size > self.limits.max_member_bytes:
            raise _limit_error(where, "member", self.limits, "max_member_bytes")
        if self._total_read + entry.size > self.limits.max_total_bytes:
            raise _limit_error(where, "total decompressed size", self.limits, "max_total_bytes")

    def _count(self, entry: Entry, produced: int, piece: int) -> None:
        """Called after every decompressed piece: the real sizes, never the header's."""
        where = self._where(entry)
        self._total_read += piece
        if produced > self.limits.max_member_bytes:
            raise _limit_error(where, "member", self.limits, "max_member_bytes")
        if produced > entry.size:
            raise ArchiveError(where, "size mismatch: member larger than declared")
        if self._total_read > self.limits.max_total_bytes:
            raise _limit_error(where, "total decompressed size", self.limits, "max_total_bytes")
        if self._reading_seconds + time.monotonic() - self._read_started > self.limits.time_budget:
            raise _limit_error(where, "time spent reading", self.limits, "time_budget")

    def _read_member(self, member: _Member) -> bytes:
        entry = member.entry
        if self._file is None:
            raise ArchiveError(self._where(entry), "archive already closed")
        self._file.seek(member.data_offset)
        decoder = _decoder_for(entry.method, entry.size, self.limits)
        out = _buffer(entry.size)
        crc = 0
        left = entry.compressed_size
        while left > 0 and not decoder.eof:
            chunk = self._file.read(min(decoder.input_chunk, left))
            if not chunk:
                raise ArchiveError(self._where(entry), "truncated or damaged")
            left -= len(chunk)
            for piece in decoder.feed(chunk):
                self._count(entry, out.tell() + len(piece), len(piece))  # before keeping it
                out.write(piece)
                crc = INFLATE.crc32(piece, crc)
        for piece in decoder.finish():
            self._count(entry, out.tell() + len(piece), len(piece))
            out.write(piece)
            crc = INFLATE.crc32(piece, crc)
        self._check_complete(entry, decoder, left, out.tell(), crc, member.crc)
        return out.getvalue()

    def _check_complete(self, entry: Entry, decoder: "_Decoder", left: int, produced: int,
                        crc: int, expected_crc: int) -> None:
        where = self._where(entry)
        if not decoder.eof and not decoder.may_end_without_marker:
            raise ArchiveError(where, "corrupt data (compressed stream ends early)")
        if left > 0 or decoder.unused:
            raise ArchiveError(where, "size mismatch (compressed data longer than its stream)")
        if produced != entry.size:
            raise ArchiveError(where, "size mismatch: member smaller than declared")
        if crc != expected_crc:
            raise ArchiveError(where, "checksum mismatch")

    def _open_file(self, entry: Entry) -> io.BufferedReader:
        full = os.path.join(os.fsencode(self.path), entry.raw_name)
        # The file was a regular file when listed; refuse anything else now, links included.
        try:
            return open_regular(full, follow_symlinks=False)
        except (NotRegularFile, IsADirectoryError):
            raise ArchiveError(self._where(entry), "not a regular file") from None

    def _read_file(self, entry: Entry) -> bytes:
        with self._open_file(entry) as f:
            out = _buffer(entry.size)
            while block := f.read(STREAM_CHUNK):
                self._count(entry, out.tell() + len(block), len(block))
                out.write(block)
        if out.tell() != entry.size:
            raise ArchiveError(self._where(entry), "size mismatch (file changed while reading)")
        return out.getvalue()


PREALLOCATE_MAX = 64 * 1024 * 1024


def _buffer(declared: int) -> io.BytesIO:
    """A buffer sized once for the declared size (capped: a header may lie; what is really
    produced is what the limits check). Growing it piece by piece would hold up to twice the
    member while it grows; getvalue() then hands the buffer over without a copy, as long as
    exactly the declared size was written (anything else is refused as a size mismatch)."""
    out = io.BytesIO()
    if declared:
        out.seek(min(declared, PREALLOCATE_MAX) - 1)
        out.write(b"\0")
        out.seek(0)
    return out


# --- decoders: one per method, each bounded in what one step may produce -----------------------


class _Decoder:
    input_chunk = STREAM_CHUNK
    may_end_without_marker = False  # True where a stream may legally stop at end of input

    def __init__(self) -> None:
        self.eof = False
        self.unused = b""

    def feed(self, data: bytes) -> Iterator[bytes]:
        raise NotImplementedError

    def finish(self) -> Iterator[bytes]:
        return iter(())


class _Stored(_Decoder):
    may_end_without_marker = True

    def feed(self, data: bytes) -> Iterator[bytes]:
        yield data


class _BoundedDecoder(_Decoder):
    """zlib, bz2 and lzma accept max_length: output comes in pieces of at most OUTPUT_CHUNK."""

    def _step(self, data: bytes) -> bytes:
        raise NotImplementedError

    def _more_pending(self) -> bool:
        raise NotImplementedError

    def feed(self, data: bytes) -> Iterator[bytes]:
        while True:
            piece = self._step(data)
            yield piece
            data = b""
            # A full piece may leave output pending even when all input was consumed.
            if self.eof or (not self._more_pending() and len(piece) < OUTPUT_CHUNK):
                return

    def finish(self) -> Iterator[bytes]:
        while not self.eof:
            piece = self._step(b"")
            if not piece:
                return
            yield piece


def _fastest_inflate() -> ModuleType:
    try:
        from isal import isal_zlib  # only importer of this dependency, by design
    except ImportError:
        return zlib
    return isal_zlib


# Deflate (method 8: nearly every member) and every member's CRC-32: ISA-L's (isal) where it is
# installed, two to four times zlib's speed (benchmarks/README.md), else zlib's. isal is a
# dependency with wheels for CPython 3.11-3.14 on Linux, macOS and Windows, but for Windows on
# ARM (pyproject.toml asks for it only where a wheel exists). The same interface, bytes and checksums as zlib's
# (tests/unit/test_archive.py reads with both).
INFLATE: ModuleType = _fastest_inflate()


class _Inflate(_BoundedDecoder):
    def __init__(self) -> None:
        super().__init__()
        self._z = INFLATE.decompressobj(-zlib.MAX_WBITS)

    def _step(self, data: bytes) -> bytes:
        piece = self._z.decompress(self._z.unconsumed_tail + data, OUTPUT_CHUNK)
        self.eof = self._z.eof
        self.unused = self._z.unused_data
        return piece

    def _more_pending(self) -> bool:
        return bool(self._z.unconsumed_tail)


class _Bzip2(_BoundedDecoder):
    def __init__(self) -> None:
        super().__init__()
        self._d = bz2.BZ2Decompressor()

    def _step(self, data: bytes) -> bytes:
        piece = self._d.decompress(data, OUTPUT_CHUNK)
        self.eof = self._d.eof
        self.unused = self._d.unused_data
        return piece

    def _more_pending(self) -> bool:
        return not self._d.needs_input


class _Lzma(_BoundedDecoder):
    """ZIP method 14: 2-byte version, 2-byte property length, LZMA1 properties, raw stream."""

    may_end_without_marker = True  # the end-of-stream marker is optional (flag bit 1)

    def __init__(self, declared_size: int) -> None:
        super().__init__()
        self._d: lzma.LZMADecompressor | None = None
        self._header = b""
        # A window larger than the member is useless; the header's value (up to 4 GiB) would be
        # allocated up front.
        self._max_dict = max(declared_size, 4096)

    def _start(self, data: bytes) -> bytes:
        self._header += data
        if len(self._header) < 4:
            return b""
        props_len = struct.unpack_from("<H", self._header, 2)[0]
        if len(self._header) < 4 + props_len:
            return b""
        props = self._header[4:4 + props_len]
        if props_len != 5:
            raise ValueError("bad LZMA properties")
        lc_lp_pb, dict_size = props[0], struct.unpack_from("<L", props, 1)[0]
        pb, rest = divmod(lc_lp_pb, 45)
        lp, lc = divmod(rest, 9)
        dict_size = min(dict_size, self._max_dict)
        filters = [{"id": lzma.FILTER_LZMA1, "dict_size": dict_size, "lc": lc, "lp": lp, "pb": pb}]
        self._d = lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=filters)
        remainder, self._header = self._header[4 + props_len:], b""
        return remainder

    def _step(self, data: bytes) -> bytes:
        if self._d is None:
            data = self._start(data)
            if self._d is None:
                return b""
        piece = self._d.decompress(data, OUTPUT_CHUNK)
        self.eof = self._d.eof
        self.unused = self._d.unused_data
        return piece

    def _more_pending(self) -> bool:
        return self._d is not None and not self._d.needs_input


class _Inflate64:
    """inflate64's Inflater under the name zipfile-deflate64's decoder uses."""

    def __init__(self) -> None:
        import inflate64  # only importer of this dependency, by design

        self._d = inflate64.Inflater()

    def decompress(self, data: bytes) -> bytes:
        return self._d.inflate(data)

    @property
    def eof(self) -> bool:
        return bool(self._d.eof)


def _zipfile_deflate64() -> object:
    from zipfile_deflate64 import deflate64  # only importer of this dependency, by design

    return deflate64.Deflate64()


def _importable(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


# Deflate64 (method 9) decoders, most preferred first. inflate64 is a dependency with wheels for
# CPython 3.11-3.14 on Linux, macOS and Windows; zipfile-deflate64 (the `deflate64` extra) has
# none for Python >= 3.11, so it is only the fallback where inflate64 cannot be installed. Both
# give the same bytes (tests/unit/test_archive.py) and are bounded the same way (see _Deflate64).
DEFLATE64_DECODERS: dict[str, tuple[str, Callable[[], object]]] = {
    "inflate64": ("inflate64", _Inflate64),
    "zipfile-deflate64": ("zipfile_deflate64", _zipfile_deflate64),
}
DEFLATE64_DECODER: str | None = next(
    (name for name, (module, _) in DEFLATE64_DECODERS.items() if _importable(module)), None)


class _Deflate64(_Decoder):
    """Neither Deflate64 decoder has max_length: one call expands its whole input (up to
    ~18,000:1), so the input step itself is kept small (limits.deflate64_chunk; E4, E5).
    zipfile-deflate64 restarts if fed after the end, so feeding stops at eof."""

    def __init__(self, input_chunk: int) -> None:
        super().__init__()
        self.input_chunk = input_chunk
        if DEFLATE64_DECODER is None:
            raise NotImplementedError("no Deflate64 decoder installed")
        self._d = DEFLATE64_DECODERS[DEFLATE64_DECODER][1]()

    def feed(self, data: bytes) -> Iterator[bytes]:
        piece = self._d.decompress(data)  # type: ignore[attr-defined]
        self.eof = bool(self._d.eof)  # type: ignore[attr-defined]
        yield piece


def _decoder_for(method: int, declared_size: int, limits: Limits) -> _Decoder:
    if method == 0:
        return _Stored()
    if method == 8:
        return _Inflate()
    if method == 9:
        return _Deflate64(max(1, limits.deflate64_chunk))
    if method == 12:
        return _Bzip2()
    if method == 14:
        return _Lzma(declared_size)
    raise NotImplementedError(f"method {method}")


# --- opening ----------------------------------------------------------------------------------


def open_source(path: Path, limits: Limits = DEFAULT_LIMITS) -> ExportSource:
    """Open a ZIP archive or an extracted folder. Raises ArchiveError (where = file name)."""
    path = Path(path)
    label = path.name or str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ArchiveError(label, BROKEN_LINK if os.path.islink(path) else "no such file or folder") from None
    except OSError as exc:
        raise ArchiveError(label, f"cannot read: {describe_os_error(exc)}") from None
    except ValueError:  # a NUL in the name
        raise ArchiveError(label, "no such file or folder") from None
    if stat.S_ISDIR(st.st_mode):
        source = ExportSource(path, "folder", limits)
        try:
            _open_folder(source)
        except OSError as exc:
            raise ArchiveError(label, f"cannot list the folder ({exc.strerror or 'I/O error'})") from None
        if not source.entries and not source.problems:  # read as an export, verify would say all is gone
            raise ArchiveError(label, "an empty folder, not an export")
    elif stat.S_ISREG(st.st_mode):
        source = ExportSource(path, "zip", limits)
        try:
            _open_zip(source, st.st_size)
        except BaseException:
            source.close()
            raise
    else:
        raise ArchiveError(label, f"not a regular file or folder ({special_kind(st.st_mode)})")
    _finish_entries(source)
    return source


# -- ZIP: end of central directory


@dataclass
class _Directory:
    offset: int  # where the central directory really starts in the file
    size: int
    count: int
    prefix: int  # bytes before the archive (self-extractor stub); offsets are relative to it
    end: int  # where the central directory must end (EOCD or ZIP64 EOCD record)


def _open_zip(source: ExportSource, size: int) -> None:
    limits, label = source.limits, source.label
    if size > limits.max_archive_bytes:
        raise _limit_error(label, "archive size", limits, "max_archive_bytes")
    try:
        source._file = open_regular(source.path)
        directory = _find_directory(source._file, size, label, limits)
        if directory.prefix:
            source.warn(None, "prefix-data", f"{directory.prefix:,} bytes before archive, ignored",
                        bytes=directory.prefix)
        members = _read_central_directory(source._file, directory, label, limits)
        _check_local_headers(source._file, members, directory, label)
        _check_overlaps(members, directory, label)
    except OSError as exc:
        raise ArchiveError(label, f"cannot read: {describe_os_error(exc)}") from None
    except (struct.error, ValueError, UnicodeDecodeError):
        raise ArchiveError(label, "truncated or damaged") from None
    _check_duplicates(members, label)
    for record in members:
        _classify_member(source, record)


def _find_directory(f: io.BufferedReader, size: int, label: str, limits: Limits) -> _Directory:
    """Exactly one end-of-central-directory record, ending exactly at the end of the file."""
    if size < EOCD.size:
        raise ArchiveError(label, _not_zip_reason(f))
    tail_start = max(0, size - EOCD.size - MAX_COMMENT)
    f.seek(tail_start)
    tail = f.read()
    ends: list[int] = []  # candidates whose comment length reaches exactly the end of file
    others: list[int] = []
    pos = tail.rfind(SIG_EOCD)
    while pos >= 0:
        if pos + EOCD.size <= len(tail):
            comment_len = EOCD.unpack_from(tail, pos)[7]
            (ends if pos + EOCD.size + comment_len == len(tail) else others).append(pos)
        pos = tail.rfind(SIG_EOCD, 0, pos)
    if not ends:
        if others and any(pos + EOCD.size + EOCD.unpack_from(tail, pos)[7] < len(tail) for pos in others):
            raise ArchiveError(label, "data after end of archive")
        raise ArchiveError(label, _not_zip_reason(f))
    if len(ends) > 1:
        raise ArchiveError(label, "ambiguous end of archive")
    pos = ends[0]
    _sig, disk, cd_disk, here, total, cd_size, cd_offset, comment_len = EOCD.unpack_from(tail, pos)
    comment = tail[pos + EOCD.size:]
    # A central directory hidden in the comment is what other readers may pick instead (E20).
    if SIG_CENTRAL in comment or SIG_EOCD in comment or SIG_ZIP64_EOCD in comment:
        raise ArchiveError(label, "ambiguous end of archive")
    eocd_offset = tail_start + pos
    end = eocd_offset
    if 0xFFFF in (disk, cd_disk, here, total) or 0xFFFFFFFF in (cd_size, cd_offset):
        end, disk, cd_disk, here, total, cd_size, cd_offset = _read_zip64_end(f, eocd_offset, label)
    if disk != 0 or cd_disk != 0 or here != total:
        raise ArchiveError(label, "split archives not supported")
    if total > limits.max_entries:
        raise _limit_error(label, "number of entries", limits, "max_entries")
    if cd_size > limits.max_central_dir_bytes:
        raise _limit_error(label, "central directory", limits, "max_central_dir_bytes")
    prefix = end - cd_size - cd_offset
    if prefix < 0:
        raise ArchiveError(label, "central directory inconsistent")
    return _Directory(offset=prefix + cd_offset, size=cd_size, count=total, prefix=prefix, end=end)


def _not_zip_reason(f: io.BufferedReader) -> str:
    """A file that starts like a ZIP but has no end record was cut short; anything else is not
    a ZIP at all."""
    f.seek(0)
    return "truncated or damaged" if f.read(4) == SIG_LOCAL else "not a ZIP archive"


def _read_zip64_end(f: io.BufferedReader, eocd_offset: int, label: str) -> tuple[int, ...]:
    locator_offset = eocd_offset - ZIP64_LOCATOR.size
    if locator_offset < 0:
        raise ArchiveError(label, "central directory inconsistent")
    f.seek(locator_offset)
    sig, z64_disk, z64_offset, disks = ZIP64_LOCATOR.unpack(f.read(ZIP64_LOCATOR.size))
    if sig != SIG_ZIP64_LOCATOR:
        raise ArchiveError(label, "central directory inconsistent")
    if z64_disk != 0 or disks != 1:
        raise ArchiveError(label, "split archives not supported")
    # The record sits right before the locator; its stored offset lacks any prefix stub.
    record_offset = locator_offset - ZIP64_EOCD.size
    if record_offset < 0:
        raise ArchiveError(label, "central directory inconsistent")
    f.seek(record_offset)
    fields = ZIP64_EOCD.unpack(f.read(ZIP64_EOCD.size))
    if fields[0] != SIG_ZIP64_EOCD or record_offset < z64_offset:
        raise ArchiveError(label, "central directory inconsistent")
    _sig, _rsize, _made, _need, disk, cd_disk, here, total, cd_size, cd_offset = fields
    return record_offset, disk, cd_disk, here, total, cd_size, cd_offset


# -- ZIP: central directory


@dataclass
class _Record:
    """One central-directory record, validated, before it becomes an Entry."""

    raw_name: bytes
    name: str
    flags: int
    method: int
    crc: int
    compressed_size: int
    size: int
    local_offset: int  # absolute, prefix included
    host: int
    external_attr: int
    data_offset: int = 0
    data_end: int = 0


def _read_central_directory(f: io.BufferedReader, directory: _Directory, label: str,
                            limits: Limits) -> list[_Record]:
    f.seek(directory.offset)
    data = f.read(directory.size)
    if len(data) != directory.size:
        raise ArchiveError(label, "truncated or damaged")
    records: list[_Record] = []
    pos = 0
    while pos < len(data):
        if len(records) >= directory.count:
            raise ArchiveError(label, "central directory inconsistent")
        record, pos = _parse_central_record(data, pos, directory, label, limits)
        records.append(record)
    if len(records) != directory.count or pos != directory.size:
        raise ArchiveError(label, "central directory inconsistent")
    return records


def _parse_central_record(data: bytes, pos: int, directory: _Directory, label: str,
                          limits: Limits) -> tuple[_Record, int]:
    if pos + CENTRAL.size > len(data) or data[pos:pos + 4] != SIG_CENTRAL:
        raise ArchiveError(label, "central directory inconsistent")
    (_sig, made_by, _needed, flags, method, _time, _date, crc, csize, usize,
     name_len, extra_len, comment_len, disk, _internal, external, offset) = CENTRAL.unpack_from(data, pos)
    if name_len > limits.max_name_bytes:
        raise _limit_error(label, f"member name of {name_len:,} bytes", limits, "max_name_bytes")
    name_start = pos + CENTRAL.size
    end = name_start + name_len + extra_len + comment_len
    if end > len(data):
        raise ArchiveError(label, "central directory inconsistent")
    raw_name = data[name_start:name_start + name_len]
    extra = data[name_start + name_len:name_start + name_len + extra_len]
    usize, csize, offset, disk = _apply_zip64_extra(extra, usize, csize, offset, disk, label)
    if disk != 0:
        raise ArchiveError(label, "split archives not supported")
    name = _decode_name(raw_name, flags, label)
    record = _Record(raw_name=raw_name, name=name, flags=flags, method=method,
                     crc=crc, compressed_size=csize, size=usize,
                     local_offset=directory.prefix + offset, host=made_by >> 8,
                     external_attr=external)
    return record, end


def _apply_zip64_extra(extra: bytes, usize: int, csize: int, offset: int, disk: int,
                       label: str) -> tuple[int, int, int, int]:
    """ZIP64 extended information: 8-byte values for each 32-bit field set to all ones, in order."""
    pos = 0
    while pos + 4 <= len(extra):
        tag, length = struct.unpack_from("<2H", extra, pos)
        body = extra[pos + 4:pos + 4 + length]
        pos += 4 + length
        if tag != ZIP64_EXTRA_ID:
            continue
        values: list[int | None] = []
        at = 0
        for value, width, all_ones in ((usize, 8, 0xFFFFFFFF), (csize, 8, 0xFFFFFFFF),
                                       (offset, 8, 0xFFFFFFFF), (disk, 4, 0xFFFF)):
            if value != all_ones:
                values.append(value)
                continue
            values.append(int.from_bytes(body[at:at + width], "little") if at + width <= len(body) else None)
            at += width
        if None in values:
            raise ArchiveError(label, "central directory inconsistent")
        usize, csize, offset, disk = (int(v) for v in values if v is not None)
    return usize, csize, offset, disk


# -- ZIP: local headers and overlaps


def _check_local_headers(f: io.BufferedReader, records: list[_Record], directory: _Directory,
                         label: str) -> None:
    """Each local header must exist where the central directory says and repeat its name and
    method; a reader trusting either copy must see the same member."""
    for record in records:
        if record.local_offset + LOCAL.size > directory.offset:
            raise ArchiveError(label, "central directory inconsistent")
        f.seek(record.local_offset)
        header = f.read(LOCAL.size)
        (sig, _needed, _flags, method, _time, _date, _crc, _csize, _usize,
         name_len, extra_len) = LOCAL.unpack(header)
        if sig != SIG_LOCAL:
            raise ArchiveError(label, "central directory inconsistent")
        if f.read(name_len) != record.raw_name or method != record.method:
            raise ArchiveError(label, "header mismatch")
        record.data_offset = record.local_offset + LOCAL.size + name_len + extra_len
        record.data_end = record.data_offset + record.compressed_size


def _check_overlaps(records: list[_Record], directory: _Directory, label: str) -> None:
    """No two members may share bytes, and none may run into the central directory. This is
    what stops the quoted-overlap and shared-header bombs (E1, E2; CPython issue 109858)."""
    previous_end = directory.prefix
    for record in sorted(records, key=lambda r: r.local_offset):
        if record.local_offset < previous_end:
            raise ArchiveError(label, "overlapping entries")
        previous_end = record.data_end
    if previous_end > directory.offset:
        raise ArchiveError(label, "overlapping entries")


# -- names across the archive


def _check_duplicates(records: list[_Record], label: str) -> None:
    """zipfile silently returns the last of two same-named members (E17): refuse."""
    seen: set[str] = set()
    for record in records:
        if record.name in seen:
            raise ArchiveError(label, f"duplicate member {sanitise_name(record.name)}")
        seen.add(record.name)


def _classify_member(source: ExportSource, record: _Record) -> None:
    name = record.name
    is_dir = name.endswith("/")
    if is_dir and record.size == 0:
        return  # plain directory entries carry nothing
    status = _member_status(source, record, is_dir)
    entry = Entry(path=sanitise_name(name.rstrip("/") if is_dir else name), raw_name=record.raw_name,
                  size=record.size, compressed_size=record.compressed_size, method=record.method,
                  status=status)
    source.entries.append(entry)
    source._members[record.raw_name] = _Member(entry=entry, data_offset=record.data_offset,
                                               crc=record.crc)


def _member_status(source: ExportSource, record: _Record, is_dir: bool) -> str:
    """The first reason not to read a member, most serious first; each one warned about."""
    shown = sanitise_name(record.name)
    limits = source.limits
    if _common_name_status(source, record.name, shown) == "unsafe-name":
        return "unsafe-name"
    is_symlink = record.host == HOST_UNIX and stat.S_ISLNK(record.external_attr >> 16)
    if is_symlink:
        source.warn(shown, "symlink", "symbolic link, not followed")
        return "symlink"
    if is_dir:
        source.warn(shown, "directory-with-data", "directory with data, ignored")
        return "directory-with-data"
    if _is_debris(record.name):
        return "debris"
    if record.flags & FLAG_ENCRYPTED:
        source.warn(shown, "encrypted", "encrypted member skipped")
        return "encrypted"
    if record.method not in limits.allowed_methods:
        known = record.method in METHOD_NAMES
        detail = (f"method not allowed: {METHOD_NAMES[record.method]} (allow with --allow-method)"
                  if known else f"unsupported method {record.method}")
        source.warn(shown, "unsupported-method", detail, "problem.unsupported-method."
                    + ("not-allowed" if known else "unknown"),
                    method=METHOD_NAMES[record.method] if known else record.method)
        return "unsupported-method"
    if record.method not in METHOD_NAMES:
        source.warn(shown, "unsupported-method", f"unsupported method {record.method}",
                    "problem.unsupported-method.unknown", method=record.method)
        return "unsupported-method"
    if record.method == 9 and DEFLATE64_DECODER is None:
        source.warn(shown, "unsupported-method", "Deflate64 needs inflate64 (pip install inflate64)",
                    "problem.unsupported-method.deflate64")
        return "unsupported-method"
    if record.method == 8 and record.size > limits.max_declared_ratio * max(record.compressed_size, 1):
        # Deflate cannot exceed ~1032:1, so the header lies: refuse the archive.
        raise _limit_error(f"{source.label}: {shown}", "declared compression ratio", limits,
                           "max_declared_ratio")
    if record.compressed_size and record.size > limits.ratio_warn * record.compressed_size:
        ratio = record.size // record.compressed_size
        source.warn(shown, "high-ratio", f"compression ratio {ratio:,}:1 is unusual for text", ratio=ratio)
    if _is_nested_archive(record.name):
        source.warn(shown, "nested-archive", "archive inside the archive, listed but not opened",
                    "problem.nested-archive.archive")
        return "nested-archive"
    return "ok"


def _common_name_status(source: ExportSource, name: str, shown: str) -> str:
    """Checks shared by ZIP members and folder files."""
    if _has_hostile_chars(name):
        # Shown with U+FFFD and never read: `Connections.csv\0.exe` must not pass for
        # `Connections.csv` (zipfile truncates at NUL, E17).
        source.warn(shown, "unsafe-name", "control or bidi character in name", "problem.unsafe-name.characters")
        return "unsafe-name"
    if _is_unsafe_path(name.rstrip("/")):
        source.warn(shown, "unsafe-name", "unsafe name (absolute, '..', backslash or drive)",
                    "problem.unsafe-name.path")
        return "unsafe-name"
    return "ok"


def _finish_entries(source: ExportSource) -> None:
    """Archive-wide steps after listing: strip wrapping folders, mark case twins, count debris."""
    _strip_wrapping_folders(source)
    _mark_case_twins(source)
    debris = sum(1 for e in source.entries if e.status == "debris")
    if debris:
        source.warn(None, "debris", f"{debris} re-zip leftover file(s) ignored (__MACOSX, ._*, .DS_Store)",
                    count=debris)


def _replace_entry(source: ExportSource, old: Entry, new: Entry) -> None:
    member = source._members.get(old.raw_name)
    if member is not None:
        member.entry = new


def _strip_wrapping_folders(source: ExportSource) -> None:
    while True:
        readable = [e for e in source.entries if e.status == "ok"]
        if not readable:
            return
        heads = {e.path.split("/", 1)[0] for e in readable}
        if len(heads) != 1 or any("/" not in e.path for e in readable):
            return
        head = heads.pop()
        if head.lower() in EXPORT_SUBFOLDERS:
            return
        prefix = head + "/"
        stripped = []
        for entry in source.entries:
            new = entry
            if entry.path.startswith(prefix):
                new = Entry(entry.path[len(prefix):], entry.raw_name, entry.size,
                            entry.compressed_size, entry.method, entry.status)
                _replace_entry(source, entry, new)
            stripped.append(new)
        source.entries = stripped


def _mark_case_twins(source: ExportSource) -> None:
    """`Connections.csv` + `connections.csv`, or NFC/NFD twins (same path after NFC): only the
    first in archive order stays readable, so a table is never parsed twice."""
    seen: set[str] = set()
    exact: set[str] = set()
    for i, entry in enumerate(source.entries):
        if entry.status != "ok":
            continue
        if entry.path in exact and entry.path.lower().endswith((".csv", ".html", ".htm")):
            # Same table name after NFC (docs/bad-input.md case 19): which copy is the real one is
            # undecidable, so refuse rather than pick.
            raise ArchiveError(source.label, f"duplicate member {entry.path} (same name in two "
                               "Unicode forms)")
        exact.add(entry.path)
        key = entry.path.casefold()
        if key in seen:
            new = Entry(entry.path, entry.raw_name, entry.size, entry.compressed_size,
                        entry.method, "duplicate-case")
            _replace_entry(source, entry, new)
            source.entries[i] = new
            source.warn(entry.path, "duplicate-case", "differs from another member only by case "
                        "or Unicode form; only the first is read")
        else:
            seen.add(key)


# -- folders


def _open_folder(source: ExportSource) -> None:
    """Walk without following symlinks, in sorted order so listings are reproducible."""
    root = os.fsencode(source.path)
    pending = [b""]
    while pending:
        relative = pending.pop(0)
        try:
            with os.scandir(os.path.join(root, relative) if relative else root) as it:
                children = sorted(it, key=lambda d: d.name)
        except OSError:
            if not relative:
                raise
            source.warn(sanitise_name(os.fsdecode(relative)), "unreadable-folder", "folder cannot be listed, skipped")
            continue
        for child in children:
            rel = relative + b"/" + child.name if relative else child.name
            _add_folder_child(source, child, rel, pending)


def _add_folder_child(source: ExportSource, child: os.DirEntry, rel: bytes, pending: list[bytes]) -> None:
    limits = source.limits
    name = os.fsdecode(rel)
    shown = sanitise_name(name)
    if len(child.name) > limits.max_name_bytes:
        raise _limit_error(source.label, f"file name of {len(child.name):,} bytes", limits, "max_name_bytes")
    if child.is_dir(follow_symlinks=False):
        pending.append(rel)
        return
    if len(source.entries) >= limits.max_entries:
        raise _limit_error(source.label, "number of files", limits, "max_entries")
    st = child.stat(follow_symlinks=False)
    if child.is_symlink():
        source.warn(shown, "symlink", "symbolic link, not followed")
        status = "symlink"
    elif not stat.S_ISREG(st.st_mode):
        source.warn(shown, "special-file", "not a regular file, skipped")
        return
    else:
        status = _common_name_status(source, name, shown)
        if status == "ok" and _is_debris(name):
            status = "debris"
        elif status == "ok" and _is_nested_archive(name):
            source.warn(shown, "nested-archive", "archive inside the folder, listed but not opened",
                        "problem.nested-archive.folder")
            status = "nested-archive"
    entry = Entry(path=shown, raw_name=rel, size=st.st_size, compressed_size=st.st_size,
                  method=-1, status=status)
    source.entries.append(entry)
    source._members[rel] = _Member(entry=entry, data_offset=0, crc=0)
