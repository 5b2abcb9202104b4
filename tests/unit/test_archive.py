"""inventory.archive against ordinary, odd and hostile inputs (docs/bad-input.md A-C).

Every archive is built by tests/zipbuild.py at test time."""

from __future__ import annotations

import hashlib
import io
import os
import random
import struct
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))
import zipbuild as zb  # noqa: E402

from inventory import archive  # noqa: E402
from inventory.archive import Entry, open_source  # noqa: E402
from inventory.errors import ArchiveError, LimitExceeded  # noqa: E402
from inventory.limits import Limits  # noqa: E402

MiB = 1024 * 1024


def write(tmp_path: Path, data: bytes, name: str = "export.zip") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refused(tmp_path: Path, data: bytes, limits: Limits = Limits()) -> ArchiveError:
    with pytest.raises(ArchiveError) as info:
        open_source(write(tmp_path, data), limits)
    return info.value


def read_all(path: Path, limits: Limits = Limits()) -> dict[str, bytes]:
    with open_source(path, limits) as source:
        return {e.path: source.read(e) for e in source.entries if e.status == "ok"}


def entry(source, path: str) -> Entry:
    return next(e for e in source.entries if e.path == path)


def codes(source) -> list[str]:
    return [p.code for p in source.problems]


# --- ordinary archives -------------------------------------------------------------------------


def test_linkedin_style_archive_reads_every_member(tmp_path):
    path = write(tmp_path, zb.linkedin_like())
    with open_source(path) as source:
        assert source.kind == "zip" and source.label == "export.zip"
        assert [e.path for e in source.entries] == [
            "Connections.csv", "Jobs/Job Applications.csv", "Profile.csv",
            "Articles/Articles/An invented article.html"]
        assert all(e.status == "ok" and e.method == 8 for e in source.entries)
        assert source.read(entry(source, "Connections.csv")) == zb.SAMPLE_CONNECTIONS
        assert source.problems == []


def test_python_zip_with_data_descriptors_and_flags_0808(tmp_path):
    files = {"Réactions.csv": b"Date,Type\n2024-01-02,LIKE\n" * 50, "Jobs/Saved Jobs.csv": b"a\n"}
    data = zb.python_zip(files, non_seekable=True)
    flags = struct.unpack_from("<H", data, 6)[0]
    assert flags == 0x0808  # descriptor + UTF-8 name, as LinkedIn writes them
    assert read_all(write(tmp_path, data)) == files


@pytest.mark.parametrize("maker", [
    lambda f: zb.python_zip(f, force_zip64=True),
    lambda f: zb.build([zb.deflated(n, d) for n, d in f.items()], zip64=True),
    lambda f: zb.build([zb.deflated(n, d) for n, d in f.items()], zip64=True, prefix=b"MZ" + bytes(100)),
], ids=["python-force-zip64", "zip64-records", "zip64-with-stub"])
def test_zip64_reads_normally(tmp_path, maker):
    files = {"Connections.csv": zb.SAMPLE_CONNECTIONS, "Profile.csv": zb.SAMPLE_PROFILE}
    assert read_all(write(tmp_path, maker(files))) == files


def test_wrapping_folders_are_stripped_but_export_subfolders_kept(tmp_path):
    wrapper = "Basic_LinkedInDataExport_12-24-2025/Data/"
    members = [zb.stored("Basic_LinkedInDataExport_12-24-2025/", b""), zb.stored(wrapper, b"")]
    data = zb.build(members + [zb.deflated(wrapper + n, b"x\n") for n in
                               ("Connections.csv", "Jobs/Job Applications.csv", "Articles/Articles/a.html")])
    with open_source(write(tmp_path, data)) as source:
        # directory entries omitted; both wrapping levels stripped
        assert [e.path for e in source.entries] == [
            "Connections.csv", "Jobs/Job Applications.csv", "Articles/Articles/a.html"]
        assert source.read(source.entries[1]) == b"x\n"


def test_archive_holding_only_an_export_subfolder_keeps_it(tmp_path):
    data = zb.build([zb.stored("Jobs/Job Applications.csv", b"a\n"), zb.stored("Jobs/Saved Jobs.csv", b"b\n")])
    with open_source(write(tmp_path, data)) as source:
        assert [e.path for e in source.entries] == ["Jobs/Job Applications.csv", "Jobs/Saved Jobs.csv"]


def test_macos_rezip_wrapper_and_debris(tmp_path):
    members = [
        zb.deflated("LinkedIn export/Connections.csv", zb.SAMPLE_CONNECTIONS),
        zb.stored("__MACOSX/LinkedIn export/._Connections.csv", b"\0\x05\x16\x07 apple double"),
        zb.stored("LinkedIn export/.DS_Store", b"\0\0\0\1Bud1"),
        zb.stored("LinkedIn export/Thumbs.db", b"x"),
    ]
    with open_source(write(tmp_path, zb.build(members))) as source:
        assert [(e.path, e.status) for e in source.entries] == [
            ("Connections.csv", "ok"),
            ("__MACOSX/LinkedIn export/._Connections.csv", "debris"),
            (".DS_Store", "debris"),
            ("Thumbs.db", "debris"),
        ]
        assert codes(source) == ["debris"]  # counted once, not silently dropped
        with pytest.raises(ArchiveError, match="not readable"):
            source.read(source.entries[1])


def test_sha256_is_of_the_archive_file(tmp_path):
    data = zb.linkedin_like()
    with open_source(write(tmp_path, data)) as source:
        assert source.sha256() == hashlib.sha256(data).hexdigest()


def test_nothing_is_written_or_extracted(tmp_path):
    path = write(tmp_path, zb.linkedin_like())
    before = sorted(p for p in tmp_path.rglob("*"))
    read_all(path)
    assert sorted(p for p in tmp_path.rglob("*")) == before


# --- A. container --------------------------------------------------------------------------------


def test_empty_file_is_not_a_zip(tmp_path):
    assert refused(tmp_path, b"").reason == "not a ZIP archive"


def test_pdf_renamed_is_not_a_zip(tmp_path):
    err = refused(tmp_path, b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"%%EOF\n")
    assert err.reason == "not a ZIP archive" and err.where == "export.zip"


def test_half_archive_is_truncated(tmp_path):
    assert refused(tmp_path, zb.truncated(zb.linkedin_like())).reason == "truncated or damaged"


def test_entry_count_patched_is_inconsistent(tmp_path):
    data = zb.build([zb.stored("a.csv", b"a")], count_delta=1)
    assert refused(tmp_path, data).reason == "central directory inconsistent"


def test_too_many_entries_names_limit_and_flag(tmp_path):
    data = zb.build([zb.stored(f"{i}.csv", b"") for i in range(10_001)])
    err = refused(tmp_path, data)
    assert isinstance(err, LimitExceeded)
    assert "10,000" in err.reason and "--max-entries" in err.reason


def test_quoted_overlap_bomb_refused(tmp_path):
    data = zb.quoted_overlap_bomb(entries=20, kernel_bytes=MiB)
    # The bomb is genuine: each member is, alone, valid deflate with a correct CRC.
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    for info in (infos[0], infos[-1]):
        start = info.header_offset + 30 + len(info.filename)
        out = zlib.decompress(data[start:start + info.compress_size], -15)
        assert len(out) == info.file_size and zlib.crc32(out) == info.CRC
    assert refused(tmp_path, data).reason == "overlapping entries"


def test_many_central_records_on_one_local_header_refused(tmp_path):
    assert refused(tmp_path, zb.shared_header_bomb(entries=100, kernel_bytes=MiB)).reason == "overlapping entries"


def test_member_running_into_central_directory_refused(tmp_path):
    member = zb.stored("a.csv", b"abc")
    built = zb.assemble([member])
    # central record claims more compressed bytes than lie before the directory
    patched = bytearray(built.data)
    struct.pack_into("<L", patched, built.central_offset + 20, 400)
    assert refused(tmp_path, bytes(patched)).reason == "overlapping entries"


def test_local_name_differs_from_central_name(tmp_path):
    data = zb.build([zb.stored("Connections.csv", b"a", local_name=b"Connection5.csv")])
    assert refused(tmp_path, data).reason == "header mismatch"


def test_local_method_differs_from_central_method(tmp_path):
    data = zb.build([zb.stored("Connections.csv", b"a", local_method=8)])
    assert refused(tmp_path, data).reason == "header mismatch"


def test_second_central_directory_in_comment_is_ambiguous(tmp_path):
    data = zb.hidden_central_directory()
    # what zipfile makes of it: only the hidden entry (E20)
    assert zipfile.ZipFile(io.BytesIO(data)).namelist() == ["Profile.csv"]
    assert refused(tmp_path, data).reason == "ambiguous end of archive"


def test_split_archive_refused(tmp_path):
    data = zb.build([zb.stored("a.csv", b"a")], disk=1)
    assert refused(tmp_path, data).reason == "split archives not supported"


def test_stub_before_archive_warns_and_reads(tmp_path):
    data = zb.build([zb.deflated("Connections.csv", zb.SAMPLE_CONNECTIONS)], prefix=b"MZ" + bytes(4094))
    with open_source(write(tmp_path, data)) as source:
        assert [str(p) for p in source.problems] == ["export.zip: 4,096 bytes before archive, ignored"]
        assert source.read(source.entries[0]) == zb.SAMPLE_CONNECTIONS


def test_trailing_garbage_refused(tmp_path):
    data = zb.linkedin_like() + random.Random(1).randbytes(100)
    assert refused(tmp_path, data).reason == "data after end of archive"


def test_central_directory_over_limit(tmp_path):
    data = zb.build([zb.stored(f"{i}.csv", b"") for i in range(10)])
    err = refused(tmp_path, data, Limits(max_central_dir_bytes=200))
    assert isinstance(err, LimitExceeded) and "--max-central-dir-bytes" in err.reason


def test_archive_over_size_limit(tmp_path):
    err = refused(tmp_path, zb.linkedin_like(), Limits(max_archive_bytes=100))
    assert isinstance(err, LimitExceeded) and "--max-archive-bytes" in err.reason


def test_neither_file_nor_folder(tmp_path):
    with pytest.raises(ArchiveError, match="no such file or folder") as info:
        open_source(tmp_path / "missing.zip")
    assert info.value.where == "missing.zip"
    os.mkfifo(tmp_path / "pipe.zip")
    with pytest.raises(ArchiveError, match=r"not a regular file or folder \(a named pipe\)"):
        open_source(tmp_path / "pipe.zip")
    (tmp_path / "link.zip").symlink_to(tmp_path / "gone.zip")
    with pytest.raises(ArchiveError, match="a symbolic link to a missing file"):
        open_source(tmp_path / "link.zip")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ArchiveError, match="an empty folder, not an export"):
        open_source(tmp_path / "empty")


# --- B. entry names ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["/etc/passwd", "../../x.csv", "..\\..\\x.csv", "C:/x.csv", "a/./b.csv"])
def test_unsafe_names_are_listed_never_read(tmp_path, name):
    data = zb.build([zb.stored(name, b"secret"), zb.stored("Profile.csv", b"p")])
    with open_source(write(tmp_path, data)) as source:
        unsafe = source.entries[0]
        assert unsafe.status == "unsafe-name" and unsafe.raw_name == name.encode()
        assert codes(source) == ["unsafe-name"] and "unsafe name" in source.problems[0].detail
        with pytest.raises(ArchiveError):
            source.read(unsafe)
        assert source.read(entry(source, "Profile.csv")) == b"p"


def test_nul_in_name_is_not_the_truncated_name(tmp_path):
    data = zb.build([zb.stored(b"Connections.csv\x00.exe", b"a")])
    with open_source(write(tmp_path, data)) as source:
        (only,) = source.entries
        assert only.path == "Connections.csv\ufffd.exe"
        assert only.raw_name == b"Connections.csv\x00.exe"
        assert only.status == "unsafe-name"
        assert source.problems[0].member == "Connections.csv\ufffd.exe"


@pytest.mark.parametrize("name", ["\x1b[2JConnections.csv", "Conne\u202ections.csv", "a\x9bb.csv"])
def test_escape_and_bidi_in_name_shown_as_replacement(tmp_path, name):
    with open_source(write(tmp_path, zb.build([zb.stored(name, b"a")]))) as source:
        shown = source.entries[0].path
        assert "\ufffd" in shown and not any(c in shown for c in "\x1b\u202e\x9b")
        assert source.entries[0].status == "unsafe-name"
        assert all("\x1b" not in str(p) and "\u202e" not in str(p) for p in source.problems)


def test_emoji_joiner_in_article_name_is_kept(tmp_path):
    name = "Articles/Articles/Women in tech \U0001f469\u200d\U0001f4bb.html"
    with open_source(write(tmp_path, zb.build([zb.stored(name, b"<p>x</p>")]))) as source:
        assert source.entries[0].path == name and source.entries[0].status == "ok"


def test_name_over_limit(tmp_path):
    data = zb.build([zb.stored("a" * 65_531 + ".csv", b"")])
    err = refused(tmp_path, data)
    assert isinstance(err, LimitExceeded) and "--max-name-bytes" in err.reason and "1,024" in err.reason


def test_duplicate_member_refused(tmp_path):
    data = zb.build([zb.stored("Connections.csv", b"a"), zb.stored("Connections.csv", b"b")])
    assert refused(tmp_path, data).reason == "duplicate member Connections.csv"


def test_duplicate_message_sanitises_the_name(tmp_path):
    name = "\x1b]0;owned\x07.csv"
    err = refused(tmp_path, zb.build([zb.stored(name, b"a"), zb.stored(name, b"b")]))
    assert "\x1b" not in str(err) and "\x07" not in str(err) and "\ufffd" in str(err)


def test_case_twins_warn_and_only_first_is_read(tmp_path):
    data = zb.build([zb.stored("Connections.csv", b"a"), zb.stored("connections.csv", b"b")])
    with open_source(write(tmp_path, data)) as source:
        assert [e.status for e in source.entries] == ["ok", "duplicate-case"]
        assert codes(source) == ["duplicate-case"]


def test_nfc_and_nfd_twins_of_a_table_are_refused(tmp_path):
    """docs/bad-input.md case 19: which of two same-named tables is real is undecidable."""
    nfc = "Réactions.csv"
    data = zb.build([zb.stored(zb.nfd(nfc), b"a"), zb.stored(nfc, b"b")])
    assert "duplicate member" in refused(tmp_path, data).reason


def test_nfc_and_nfd_twins_of_other_files_warn_and_only_first_is_read(tmp_path):
    nfc = "Réactions.txt"
    data = zb.build([zb.stored(zb.nfd(nfc), b"a"), zb.stored(nfc, b"b")])
    with open_source(write(tmp_path, data)) as source:
        assert [e.path for e in source.entries] == [nfc, nfc]  # shown in NFC
        assert [e.status for e in source.entries] == ["ok", "duplicate-case"]
        assert source.entries[0].raw_name == zb.nfd(nfc).encode()


def test_undecodable_utf8_name_refused(tmp_path):
    data = zb.build([zb.stored(b"R\xff.csv", b"a", flags=zb.FLAG_UTF8)])
    assert refused(tmp_path, data).reason == "undecodable member name"


def test_cp437_name_without_utf8_flag_decodes(tmp_path):
    data = zb.build([zb.stored(b"R\x82actions.csv", b"a")])  # 0x82 is é in CP437
    with open_source(write(tmp_path, data)) as source:
        assert source.entries[0].path == "Réactions.csv"


def test_directory_with_data_is_listed_not_read(tmp_path):
    data = zb.build([zb.stored("messages/", b"hello world"), zb.stored("empty/", b"")])
    with open_source(write(tmp_path, data)) as source:
        assert [(e.path, e.status) for e in source.entries] == [("messages", "directory-with-data")]
        assert codes(source) == ["directory-with-data"]


def test_symlink_member_listed_never_followed(tmp_path):
    link = zb.stored("Connections.csv", b"/etc/passwd", made_by=zb.MADE_BY_UNIX,
                     external_attr=zb.UNIX_SYMLINK_ATTR)
    with open_source(write(tmp_path, zb.build([link]))) as source:
        assert source.entries[0].status == "symlink" and codes(source) == ["symlink"]
        with pytest.raises(ArchiveError):
            source.read(source.entries[0])


def test_nested_archive_listed_with_size_not_opened(tmp_path):
    inner = zb.linkedin_like()
    with open_source(write(tmp_path, zb.build([zb.stored("old/inner.zip", inner),
                                               zb.stored("Profile.csv", b"p")]))) as source:
        nested = entry(source, "old/inner.zip")
        assert nested.status == "nested-archive" and nested.size == len(inner)
        with pytest.raises(ArchiveError, match="nested-archive"):
            source.read(nested)


# --- C. compression ------------------------------------------------------------------------------


def test_encrypted_member_skipped_with_warning(tmp_path):
    data = zb.build([zb.stored("Connections.csv", b"\x8a" * 20, flags=zb.FLAG_ENCRYPTED)])
    with open_source(write(tmp_path, data)) as source:
        assert source.entries[0].status == "encrypted"
        assert source.problems[0].detail == "encrypted member skipped"


@pytest.mark.parametrize("method", [99, 93, 95, 98, 77])
def test_unsupported_methods_listed_with_warning(tmp_path, method):
    data = zb.build([zb.with_method(zb.stored("Connections.csv", b"\x01\x02\x03"), method)])
    with open_source(write(tmp_path, data)) as source:
        assert source.entries[0].status == "unsupported-method"
        assert source.problems[0].detail == f"unsupported method {method}"
        with pytest.raises(ArchiveError):
            source.read(source.entries[0])


@pytest.mark.parametrize("compression,method", [(zipfile.ZIP_BZIP2, 12), (zipfile.ZIP_LZMA, 14)])
def test_bzip2_and_lzma_only_when_allowed(tmp_path, compression, method):
    files = {"Connections.csv": zb.SAMPLE_CONNECTIONS * 100}
    path = write(tmp_path, zb.python_zip(files, compression=compression))
    with open_source(path) as source:
        assert source.entries[0].status == "unsupported-method"
        assert "--allow-method" in source.problems[0].detail
    assert read_all(path, Limits(allowed_methods=(0, 8, 9, method))) == files


SAMPLES = Path(__file__).parents[2] / "sample_exports"


def test_inflate64_is_the_deflate64_decoder_used():
    assert archive.DEFLATE64_DECODER == "inflate64"


def read_with_each_deflate64_decoder(monkeypatch, path: Path, limits: Limits = Limits()) -> dict:
    found = {}
    for name in archive.DEFLATE64_DECODERS:
        monkeypatch.setattr(archive, "DEFLATE64_DECODER", name)
        found[name] = read_all(path, limits)
    return found


def test_both_deflate64_decoders_give_identical_members_of_the_7zip_sample(monkeypatch):
    path = SAMPLES / "Complete_deflate64.zip"
    with open_source(path) as source:
        assert sum(e.method == 9 and e.status == "ok" for e in source.entries) >= 50
    found = read_with_each_deflate64_decoder(monkeypatch, path)
    assert found["inflate64"] == found["zipfile-deflate64"]
    # and the same bytes as the plain-deflate archive it was re-zipped from
    plain = read_all(SAMPLES / "Complete_LinkedInDataExport_11-21-2026.zip")
    assert found["inflate64"] == {name: plain[name] for name in found["inflate64"]}


@pytest.mark.parametrize("chunk", [1, 7, 1024, 64 * 1024])
def test_both_deflate64_decoders_agree_at_any_input_step(monkeypatch, tmp_path, chunk):
    """Long matches (code 285) and a stream cut anywhere between two input steps."""
    csv = zb.SAMPLE_CONNECTIONS * 50 + b"," * 70_000 + bytes(range(256)) * 40 + b"\n"
    path = write(tmp_path, zb.build([zb.deflated64("Connections.csv", csv)]))
    found = read_with_each_deflate64_decoder(monkeypatch, path, Limits(deflate64_chunk=chunk))
    assert found == {name: {"Connections.csv": csv} for name in archive.DEFLATE64_DECODERS}


def test_corrupt_deflate64_is_an_archive_error_with_either_decoder(monkeypatch, tmp_path):
    member = zb.deflated64("Connections.csv", zb.SAMPLE_CONNECTIONS)
    member.payload = b"\xff" * len(member.payload)
    path = write(tmp_path, zb.build([member]))
    for name in archive.DEFLATE64_DECODERS:
        monkeypatch.setattr(archive, "DEFLATE64_DECODER", name)
        with open_source(path) as source, pytest.raises(ArchiveError, match="corrupt data"):
            source.read(source.entries[0])


def test_without_a_deflate64_decoder_its_members_are_listed_not_read(monkeypatch, tmp_path):
    monkeypatch.setattr(archive, "DEFLATE64_DECODER", None)
    data = zb.build([zb.deflated64("Connections.csv", zb.SAMPLE_CONNECTIONS),
                     zb.deflated("Profile.csv", b"First Name\nAda\n")])
    with open_source(write(tmp_path, data)) as source:
        assert [e.status for e in source.entries] == ["unsupported-method", "ok"]
        assert source.problems[0].detail == "Deflate64 needs inflate64 (pip install inflate64)"


def test_deflate64_member_reads_like_deflate(tmp_path):
    csv = zb.SAMPLE_CONNECTIONS * 20 + b"," * 70_000 + b"\n"  # the long run uses code 285
    data = zb.build([zb.deflated64("Connections.csv", csv)])
    assert read_all(write(tmp_path, data)) == {"Connections.csv": csv}


def test_deflate64_bomb_refused_before_decompressing(tmp_path):
    path = write(tmp_path, zb.deflate64_bomb(1_000_000_000))
    with open_source(path) as source:
        assert "high-ratio" in codes(source)
        with pytest.raises(LimitExceeded) as info:
            source.read(source.entries[0])
    assert "member exceeds 512 MiB" in info.value.reason and "--max-member-bytes" in info.value.reason


def test_deflate64_bomb_declaring_1_kib(tmp_path):
    path = write(tmp_path, zb.deflate64_bomb(1_000_000_000, declared=1024))
    with open_source(path) as source, pytest.raises(ArchiveError, match="member larger than declared"):
        source.read(source.entries[0])


def test_deflate_bomb_warns_then_refused_by_lowered_limit(tmp_path):
    path = write(tmp_path, zb.deflate_bomb(64 * MiB))
    limits = Limits(max_member_bytes=8 * MiB)
    with open_source(path, limits) as source:
        assert source.problems[0].code == "high-ratio"
        with pytest.raises(LimitExceeded, match="--max-member-bytes"):
            source.read(source.entries[0])


def test_counted_bytes_stop_a_lying_deflate_member(tmp_path):
    path = write(tmp_path, zb.deflate_bomb(64 * MiB, declared=MiB))
    with open_source(path) as source, pytest.raises(ArchiveError, match="member larger than declared"):
        source.read(source.entries[0])


def test_declared_ratio_beyond_deflate_refused(tmp_path):
    member = zb.deflated("Connections.csv", b"abc")
    member.size = len(member.payload) * 2000
    err = refused(tmp_path, zb.build([member]))
    assert isinstance(err, LimitExceeded) and "--max-declared-ratio" in err.reason


def test_declared_size_smaller_than_real(tmp_path):
    member = zb.deflated("Connections.csv", zb.SAMPLE_CONNECTIONS)
    member.size -= 10
    with open_source(write(tmp_path, zb.build([member]))) as source:
        with pytest.raises(ArchiveError, match="size mismatch"):
            source.read(source.entries[0])


def test_declared_size_larger_than_real(tmp_path):
    member = zb.stored("Connections.csv", zb.SAMPLE_CONNECTIONS)
    member.size += 10
    with open_source(write(tmp_path, zb.build([member]))) as source:
        with pytest.raises(ArchiveError, match="size mismatch: member smaller than declared"):
            source.read(source.entries[0])


def test_flipped_stored_byte_is_checksum_mismatch(tmp_path):
    built = zb.assemble([zb.stored("Connections.csv", zb.SAMPLE_CONNECTIONS)])
    data = zb.flip_byte(built.data, 30 + len("Connections.csv") + 5)
    with open_source(write(tmp_path, data)) as source:
        with pytest.raises(ArchiveError, match="checksum mismatch") as info:
            source.read(source.entries[0])
    assert info.value.where == "export.zip: Connections.csv"


def test_flipped_compressed_byte_is_corrupt_data(tmp_path):
    built = zb.assemble([zb.deflated("Connections.csv", zb.SAMPLE_CONNECTIONS)])
    data = zb.flip_byte(built.data, 30 + len("Connections.csv"), 0xFF)  # reserved block type 3
    with open_source(write(tmp_path, data)) as source:
        with pytest.raises(ArchiveError, match="corrupt data"):
            source.read(source.entries[0])


def test_total_decompressed_bytes_bounded_across_reads(tmp_path):
    data = zb.build([zb.deflated(f"{i}.csv", b"x" * MiB) for i in range(3)])
    with open_source(write(tmp_path, data), Limits(max_total_bytes=2 * MiB + 10)) as source:
        source.read(source.entries[0])
        source.read(source.entries[1])
        with pytest.raises(LimitExceeded, match="--max-total-bytes"):
            source.read(source.entries[2])


def test_time_budget_counts_reading_time_not_time_open(tmp_path, monkeypatch):
    clock = {"now": 0.0, "step": 0.0}

    def monotonic() -> float:
        clock["now"] += clock["step"]
        return clock["now"]

    monkeypatch.setattr("inventory.archive.time.monotonic", monotonic)
    with open_source(write(tmp_path, zb.linkedin_like()), Limits(time_budget=10.0)) as source:
        clock["now"] = 3600.0  # an hour in the UI between opening and reading
        clock["step"] = 1.0  # each look at the clock: one second of reading
        source.read(source.entries[0])
        clock["step"] = 20.0
        with pytest.raises(LimitExceeded, match="--time-budget"):
            source.read(source.entries[1])


def test_read_after_close_is_an_archive_error(tmp_path):
    source = open_source(write(tmp_path, zb.linkedin_like()))
    source.close()
    with pytest.raises(ArchiveError, match="closed"):
        source.read(source.entries[0])


def test_empty_deflate_member_without_stream(tmp_path):
    member = zb.RawMember(b"Certifications.csv", b"", 0, 0, method=8)
    assert read_all(write(tmp_path, zb.build([member]))) == {"Certifications.csv": b""}


def test_entry_from_another_source_refused(tmp_path):
    one = write(tmp_path, zb.build([zb.stored("a.csv", b"a")]), "one.zip")
    other = write(tmp_path, zb.build([zb.stored("b.csv", b"b")]), "two.zip")
    with open_source(one) as a, open_source(other) as b:
        with pytest.raises(ArchiveError, match="not a member"):
            a.read(b.entries[0])


def test_mutated_archives_raise_only_archive_errors(tmp_path):
    """A small seeded fuzz: truncations and byte flips of three seeds; anything but a result or
    ArchiveError (zlib.error, struct.error, ValueError, ...) fails."""
    seeds = [zb.linkedin_like(),
             zb.build([zb.stored("Profile.csv", zb.SAMPLE_PROFILE), zb.deflated("a.csv", b"a,b\n" * 50)]),
             zb.build([zb.deflated64("Connections.csv", zb.SAMPLE_CONNECTIONS * 5)])]
    rng = random.Random(20251224)
    path = tmp_path / "mutant.zip"
    outcomes = {"ok": 0, "error": 0}
    for _ in range(600):
        data = bytearray(rng.choice(seeds))
        if rng.random() < 0.3:
            data = data[: rng.randrange(len(data))]
        else:
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        path.write_bytes(bytes(data))
        try:
            read_all(path, Limits(max_member_bytes=4 * MiB, max_total_bytes=8 * MiB))
            outcomes["ok"] += 1
        except ArchiveError:
            outcomes["error"] += 1
    assert outcomes["error"] > 300 and outcomes["ok"] > 0


# --- folders ----------------------------------------------------------------------------------


def make_folder(root: Path) -> Path:
    top = root / "Basic_LinkedInDataExport_12-24-2025.zip"  # users rename folders like this
    (top / "Jobs").mkdir(parents=True)
    (top / "Connections.csv").write_bytes(zb.SAMPLE_CONNECTIONS)
    (top / "Jobs" / "Job Applications.csv").write_bytes(b"a\n")
    (top / ".DS_Store").write_bytes(b"x")
    (top / "old.zip").write_bytes(zb.linkedin_like())
    os.symlink("/etc/passwd", top / "Profile.csv")
    os.symlink(root, top / "loop")
    return root


def test_folder_input_lists_and_reads(tmp_path):
    with open_source(make_folder(tmp_path / "given")) as source:
        assert source.kind == "folder" and source.label == "given"
        by_path = {e.path: e for e in source.entries}
        assert {p: e.status for p, e in by_path.items()} == {
            ".DS_Store": "debris", "Connections.csv": "ok", "Profile.csv": "symlink",
            "loop": "symlink", "old.zip": "nested-archive", "Jobs/Job Applications.csv": "ok"}
        assert by_path["Connections.csv"].method == -1
        assert by_path["Connections.csv"].raw_name == b"Basic_LinkedInDataExport_12-24-2025.zip/Connections.csv"
        assert source.read(by_path["Connections.csv"]) == zb.SAMPLE_CONNECTIONS
        with pytest.raises(ArchiveError):
            source.read(by_path["Profile.csv"])
        assert "symlink" in codes(source)
        assert len(source.sha256()) == 64


def test_folder_file_over_member_limit(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "Connections.csv").write_bytes(b"x" * 5000)
    with open_source(folder, Limits(max_member_bytes=4096)) as source:
        with pytest.raises(LimitExceeded, match="--max-member-bytes"):
            source.read(source.entries[0])


def test_folder_unlistable_subfolder_skipped_with_problem(tmp_path, monkeypatch):
    folder = tmp_path / "export"
    (folder / "locked").mkdir(parents=True)
    (folder / "Profile.csv").write_bytes(b"p")
    real_scandir = os.scandir

    def scandir(path):  # permissions cannot be tested as root, so refuse like EACCES would
        if os.fsdecode(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr("inventory.archive.os.scandir", scandir)
    with open_source(folder) as source:
        assert [e.path for e in source.entries] == ["Profile.csv"]
        assert [(p.member, p.code) for p in source.problems] == [("locked", "unreadable-folder")]


def test_folder_special_files_skipped_with_problem(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    os.mkfifo(folder / "Connections.csv")
    with open_source(folder) as source:
        assert source.entries == [] and codes(source) == ["special-file"]


# --- Deflate: isal's inflater where installed, zlib's elsewhere (archive.INFLATE) -------------

INFLATERS = {"zlib": zlib}
if archive._fastest_inflate() is not zlib:
    INFLATERS["isal"] = archive._fastest_inflate()


def test_isal_is_the_inflater_used():
    assert archive.INFLATE.__name__ == "isal.isal_zlib"


@pytest.fixture(params=list(INFLATERS))
def inflater(request, monkeypatch):
    monkeypatch.setattr(archive, "INFLATE", INFLATERS[request.param])
    return request.param


def test_both_inflaters_give_identical_members_of_the_samples(monkeypatch):
    for path in sorted(SAMPLES.glob("*.zip")):
        found = {}
        for name, module in INFLATERS.items():
            monkeypatch.setattr(archive, "INFLATE", module)
            found[name] = read_all(path)
        assert len(found) == 2 and found["isal"] == found["zlib"], path.name


def test_a_member_of_many_output_pieces_reads_whole_with_either_inflater(tmp_path, inflater):
    # Incompressible runs between long repeats: several OUTPUT_CHUNK pieces, input steps ending
    # inside blocks.
    rng = random.Random(7)
    data = b"".join(bytes(rng.getrandbits(8) for _ in range(3000)) + b"x" * 200_000 for _ in range(12))
    path = write(tmp_path, zb.build([zb.deflated("Connections.csv", data)]))
    assert read_all(path) == {"Connections.csv": data}


def test_corrupt_truncated_or_mislabelled_deflate_is_an_archive_error_with_either_inflater(tmp_path, inflater):
    flipped = zb.assemble([zb.deflated("Connections.csv", zb.SAMPLE_CONNECTIONS)])
    data = zb.flip_byte(flipped.data, 30 + len("Connections.csv"), 0xFF)  # reserved block type 3
    cut = zb.deflated("Connections.csv", zb.SAMPLE_CONNECTIONS)
    cut.payload = cut.payload[: len(cut.payload) // 2]
    wrong_crc = zb.deflated("Connections.csv", zb.SAMPLE_CONNECTIONS)
    wrong_crc.crc ^= 1
    trailing = zb.deflated("Connections.csv", zb.SAMPLE_CONNECTIONS)
    trailing.payload += b"more"
    for archive_bytes, message in [(data, "corrupt data"), (zb.build([cut]), "corrupt data"),
                                   (zb.build([wrong_crc]), "checksum mismatch"),
                                   (zb.build([trailing]), "size mismatch")]:
        with open_source(write(tmp_path, archive_bytes)) as source:
            with pytest.raises(ArchiveError, match=message):
                source.read(source.entries[0])
