"""Builder of ordinary, odd and hostile ZIP archives, generated from code (no checked-in binaries).

Every case in docs/bad-input.md A-C is one call here. `assemble()` writes
local headers, data, central directory and end record from `RawMember`s, with every field
overridable, so a test can break exactly one thing. It also includes a tiny Deflate64 encoder
(fixed Huffman codes only) so Deflate64 members and bombs need no external tool.
"""

from __future__ import annotations

import io
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field, replace

FLAG_ENCRYPTED = 0x0001
FLAG_DESCRIPTOR = 0x0008
FLAG_UTF8 = 0x0800
UNIX_SYMLINK_ATTR = 0o120777 << 16
MADE_BY_UNIX = (3 << 8) | 20


@dataclass
class RawMember:
    name: bytes
    payload: bytes  # the compressed bytes as stored
    size: int  # uncompressed size written in the central directory
    crc: int
    method: int = 0
    flags: int = 0
    made_by: int = 20
    external_attr: int = 0
    local_name: bytes | None = None  # override the name in the local header only
    local_method: int | None = None
    descriptor: bool = False  # Java style: zeros in the local header, PK\x07\x08 record after data
    central_extra: bytes = b""


@dataclass
class Built:
    data: bytes
    local_offsets: list[int] = field(default_factory=list)
    central_offset: int = 0
    eocd_offset: int = 0


# --- members ----------------------------------------------------------------------------------


def _deflate_raw(data: bytes, level: int = 6) -> bytes:
    c = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return c.compress(data) + c.flush()


def stored(name: str | bytes, data: bytes, **kw) -> RawMember:
    raw = name.encode("utf-8") if isinstance(name, str) else name
    flags = kw.pop("flags", FLAG_UTF8 if isinstance(name, str) and not name.isascii() else 0)
    return RawMember(raw, data, len(data), zlib.crc32(data), method=0, flags=flags, **kw)


def deflated(name: str | bytes, data: bytes, **kw) -> RawMember:
    member = stored(name, data, **kw)
    member.payload, member.method = _deflate_raw(data), 8
    return member


def deflated64(name: str | bytes, data: bytes, **kw) -> RawMember:
    member = stored(name, data, **kw)
    member.payload, member.method = deflate64_encode(data), 9
    return member


def with_method(member: RawMember, method: int) -> RawMember:
    return replace(member, method=method)


# --- assembling -------------------------------------------------------------------------------


def _local_header(m: RawMember) -> bytes:
    name = m.name if m.local_name is None else m.local_name
    method = m.method if m.local_method is None else m.local_method
    flags = m.flags | (FLAG_DESCRIPTOR if m.descriptor else 0)
    crc, csize, usize = (0, 0, 0) if m.descriptor else (m.crc, len(m.payload), m.size)
    return struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, method, 0, 0x21,
                       crc, min(csize, 0xFFFFFFFF), min(usize, 0xFFFFFFFF), len(name), 0) + name


def _central_record(m: RawMember, offset: int, zip64: bool) -> bytes:
    flags = m.flags | (FLAG_DESCRIPTOR if m.descriptor else 0)
    csize, usize, extra = len(m.payload), m.size, m.central_extra
    if zip64:
        extra = struct.pack("<2H3Q", 0x0001, 24, usize, csize, offset) + extra
        csize = usize = offset = 0xFFFFFFFF
    return struct.pack("<4s6H3L5H2L", b"PK\x01\x02", m.made_by, 20, flags, m.method, 0, 0x21,
                       m.crc, csize, usize, len(m.name), len(extra), 0, 0, 0,
                       m.external_attr, offset) + m.name + extra


def eocd(count: int, cd_size: int, cd_offset: int, *, comment: bytes = b"", disk: int = 0) -> bytes:
    return struct.pack("<4s4H2LH", b"PK\x05\x06", disk, disk, count, count, cd_size, cd_offset,
                       len(comment)) + comment


def assemble(members: list[RawMember], *, prefix: bytes = b"", comment: bytes = b"",
             trailing: bytes = b"", count_delta: int = 0, disk: int = 0,
             zip64: bool = False) -> Built:
    """Offsets in the archive are relative to its own start, as when a stub is prepended later
    (what self-extractors do)."""
    out = io.BytesIO()
    offsets = []
    for m in members:
        offsets.append(out.tell())
        out.write(_local_header(m))
        out.write(m.payload)
        if m.descriptor:
            out.write(struct.pack("<4s3L", b"PK\x07\x08", m.crc, len(m.payload), m.size))
    cd_offset = out.tell()
    for m, offset in zip(members, offsets):
        out.write(_central_record(m, offset, zip64))
    cd_size = out.tell() - cd_offset
    count = len(members) + count_delta
    if zip64:
        z64_offset = out.tell()
        out.write(struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, disk, disk, count, count,
                              cd_size, cd_offset))
        out.write(struct.pack("<4sLQL", b"PK\x06\x07", disk, z64_offset, 1))
        eocd_offset = out.tell()
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF,
                              0xFFFFFFFF, 0xFFFFFFFF, len(comment)) + comment)
    else:
        eocd_offset = out.tell()
        out.write(eocd(count, cd_size, cd_offset, comment=comment, disk=disk))
    out.write(trailing)
    shift = len(prefix)
    return Built(prefix + out.getvalue(), [o + shift for o in offsets], cd_offset + shift,
                 eocd_offset + shift)


def build(members: list[RawMember], **kw) -> bytes:
    return assemble(members, **kw).data


# --- typical archives --------------------------------------------------------------------------

SAMPLE_CONNECTIONS = (b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                      b"Ada,Example,https://www.linkedin.com/in/ada-example,,Example Ltd,Engineer,"
                      b"01 Jan 2024\n")
SAMPLE_PROFILE = b"First Name,Last Name,Headline\nAda,Example,Invented person\n"


def linkedin_like(wrapper: str = "") -> bytes:
    """As LinkedIn writes it (docs/export-format.md §1.4): deflate, flags 0x0808, data descriptors,
    no directory entries, sub-folders only in names."""
    files = {
        "Connections.csv": SAMPLE_CONNECTIONS,
        "Jobs/Job Applications.csv": b"Application Date,Company Name\n1/2/24, 10:00 AM,Example Ltd\n",
        "Profile.csv": SAMPLE_PROFILE,
        "Articles/Articles/An invented article.html": b"<html><body><p>Hello</p></body></html>",
    }
    members = [deflated(wrapper + name, data, flags=FLAG_UTF8, descriptor=True)
               for name, data in files.items()]
    return build(members)


def python_zip(files: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED,
               force_zip64: bool = False, non_seekable: bool = False) -> bytes:
    """Written by Python's own zipfile; non_seekable forces data descriptors (flag bit 3)."""
    sink = io.BytesIO()
    target = _Unseekable(sink) if non_seekable else sink
    with zipfile.ZipFile(target, "w", compression=compression) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, (2024, 1, 2, 3, 4, 6))
            info.compress_type = compression
            with zf.open(info, "w", force_zip64=force_zip64) as f:
                f.write(data)
    return sink.getvalue()


class _Unseekable(io.RawIOBase):
    def __init__(self, sink: io.BytesIO) -> None:
        self._sink = sink

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return self._sink.write(data)


# --- container attacks ------------------------------------------------------------------------


def hidden_central_directory() -> bytes:
    """E20: the comment holds a second central directory and end record; readers that search
    backwards for the end record list only the hidden entry."""
    real = deflated("Connections.csv", SAMPLE_CONNECTIONS)
    decoy = stored("Profile.csv", SAMPLE_PROFILE)
    body = assemble([real, decoy])
    decoy_record = _central_record(decoy, body.local_offsets[1], False)
    fake_cd_offset = body.eocd_offset + 22  # where the comment starts
    fake = decoy_record + eocd(1, len(decoy_record), fake_cd_offset)
    return build([real, decoy], comment=fake)


def quoted_overlap_bomb(entries: int = 100, kernel_bytes: int = 10 * 1024 * 1024) -> bytes:
    """Fifield's construction (E1): one deflate kernel, and before it each entry's local header
    quoted in a stored deflate block of the previous entry, so every entry decompresses the
    kernel again. Each entry is, on its own, a valid deflate member with a correct CRC."""
    kernel = _deflate_raw(b"\0" * kernel_bytes, 9)
    kernel_crc = zlib.crc32(b"\0" * kernel_bytes)
    names = [f"{i:04d}.csv".encode() for i in range(entries)]
    # Build from the last entry back: entry i's output is header(i+1) + output(i+1).
    headers: list[bytes] = [b""] * entries
    payloads: list[bytes] = [b""] * entries
    sizes, crcs = [0] * entries, [0] * entries
    sizes[-1], crcs[-1], payloads[-1] = kernel_bytes, kernel_crc, kernel
    for i in range(entries - 1, -1, -1):
        header = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crcs[i],
                             len(payloads[i]), sizes[i], len(names[i]), 0) + names[i]
        headers[i] = header
        if i:
            quote = struct.pack("<BHH", 0, len(header), len(header) ^ 0xFFFF)
            payloads[i - 1] = quote + header + payloads[i]
            sizes[i - 1] = len(header) + sizes[i]
            crcs[i - 1] = _crc_of(headers[i:], kernel_bytes)
    file = headers[0] + payloads[0]
    offsets, position = [], 0
    for i in range(entries):
        offsets.append(position)
        position += len(headers[i]) + 5  # the next header starts after this one's quote
    central = b"".join(
        struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crcs[i],
                    len(payloads[i]), sizes[i], len(names[i]), 0, 0, 0, 0, 0, offsets[i]) + names[i]
        for i in range(entries))
    return file + central + eocd(entries, len(central), len(file))


def _crc_of(headers: list[bytes], kernel_bytes: int) -> int:
    """CRC of the quoted headers followed by the kernel's zeros."""
    return zlib.crc32(b"\0" * kernel_bytes, zlib.crc32(b"".join(headers)))


def shared_header_bomb(entries: int = 100, kernel_bytes: int = 10 * 1024 * 1024) -> bytes:
    """E2: many central records, one local header and one kernel."""
    data = b"\0" * kernel_bytes
    member = deflated("kernel.csv", data)
    body = assemble([member])
    record = _central_record(member, 0, False)
    central = record * entries
    file = body.data[:body.central_offset]
    return file + central + eocd(entries, len(central), len(file))


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def flip_byte(data: bytes, offset: int, value: int | None = None) -> bytes:
    b = bytearray(data)
    b[offset] = (b[offset] ^ 0xFF) if value is None else value
    return bytes(b)


# --- Deflate64 --------------------------------------------------------------------------------


class _BitWriter:
    """Deflate bit order: values LSB first, Huffman codes MSB first."""

    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def bits(self, value: int, count: int) -> None:
        self.acc |= value << self.n
        self.n += count
        while self.n >= 8:
            self.out.append(self.acc & 0xFF)
            self.acc >>= 8
            self.n -= 8

    def code(self, code: int, length: int) -> None:
        self.bits(int(f"{code:0{length}b}"[::-1], 2), length)

    def finish(self) -> bytes:
        if self.n:
            self.out.append(self.acc & 0xFF)
        self.acc = self.n = 0
        return bytes(self.out)


def _literal(w: _BitWriter, byte: int) -> None:
    if byte < 144:
        w.code(0x30 + byte, 8)
    else:
        w.code(0x190 + byte - 144, 9)


DEFLATE64_MAX_MATCH = 65538  # length code 285: base 3 + 16 extra bits (Deflate64 only)


def _long_match(w: _BitWriter, length: int) -> None:
    """A match at distance 1 with length code 285; in plain deflate 285 means 258, no extras."""
    w.code(0xC0 + (285 - 280), 8)
    w.bits(length - 3, 16)
    w.code(0, 5)  # distance code 0 = distance 1


def deflate64_encode(data: bytes) -> bytes:
    """A valid Deflate64 stream: one fixed-Huffman block, runs of one byte longer than three
    become a literal plus long matches (so code 285's Deflate64 meaning is exercised)."""
    w = _BitWriter()
    w.bits(1, 1)  # final block
    w.bits(1, 2)  # fixed Huffman
    i = 0
    while i < len(data):
        run = 1
        while i + run < len(data) and data[i + run] == data[i] and run < DEFLATE64_MAX_MATCH + 1:
            run += 1
        _literal(w, data[i])
        if run - 1 >= 3:
            _long_match(w, run - 1)
        else:
            for _ in range(run - 1):
                _literal(w, data[i])
        i += run
    w.code(0, 7)  # end of block
    return w.finish()


def deflate64_zeros(size: int) -> bytes:
    """`size` zero bytes in about size / 18,000 bytes of Deflate64: the E4 bomb."""
    w = _BitWriter()
    w.bits(1, 1)
    w.bits(1, 2)
    _literal(w, 0)
    left = size - 1
    while left >= 3:
        step = min(DEFLATE64_MAX_MATCH, left)
        if left - step and left - step < 3:
            step = left - 3
        _long_match(w, step)
        left -= step
    for _ in range(left):
        _literal(w, 0)
    w.code(0, 7)
    return w.finish()


def deflate64_bomb(size: int = 1_000_000_000, declared: int | None = None) -> bytes:
    payload = deflate64_zeros(size)
    crc = zeros_crc(size)
    declared = size if declared is None else declared
    return build([RawMember(b"Connections.csv", payload, declared, crc, method=9)])


def deflate_zeros(size: int) -> bytes:
    """`size` zero bytes as raw deflate (~1,030:1), compressed in 1 MiB steps to stay small."""
    c = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = b"\0" * (1 << 20)
    parts = []
    left = size
    while left:
        step = min(left, len(block))
        parts.append(c.compress(block[:step]))
        left -= step
    parts.append(c.flush())
    return b"".join(parts)


def zeros_crc(size: int) -> int:
    block = b"\0" * (1 << 20)
    crc, left = 0, size
    while left:
        step = min(left, len(block))
        crc = zlib.crc32(block[:step], crc)
        left -= step
    return crc


def deflate_bomb(size: int = 512 * 1024 * 1024, declared: int | None = None) -> bytes:
    payload = deflate_zeros(size)
    declared = size if declared is None else declared
    return build([RawMember(b"Connections.csv", payload, declared, zeros_crc(size), method=8)])


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)
