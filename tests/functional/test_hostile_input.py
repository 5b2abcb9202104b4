"""The bad-input checklist (docs/bad-input.md) end to end: through `inventory.cli.main`
(exit status, one stderr line naming archive and member, nothing written) or `scan_exports`
(visible, counted warnings; rows read + skipped == data lines). The reader-level tests in
test_archive.py and test_csvdialect.py check each defence on its own; these check that the whole
tool keeps the promise. Every table here holds a canary e-mail address in every cell, and no
message may ever show it (G8).

tests/unit/test_coverage_of_checklist.py maps each case number to its tests."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))
import zipbuild as zb  # noqa: E402

from conftest import SAMPLES, run_cli as run  # noqa: E402
from inventory.errors import EnvironmentProblem, InventoryError, LimitExceeded  # noqa: E402
from inventory.limits import Limits  # noqa: E402
from inventory.scan import scan_exports  # noqa: E402

MiB = 1024 * 1024
CANARY = "canary.person@example.invalid"
ARCHIVE = "Basic_LinkedInDataExport_01-01-2026.zip"
BASIC = SAMPLES / "Basic_LinkedInDataExport_11-20-2026.zip"
COMPLETE = SAMPLES / "Complete_LinkedInDataExport_11-21-2026.zip"
CONNECTIONS_HEADER = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On"


def canary_rows(rows: int = 3, header: bytes = CONNECTIONS_HEADER) -> bytes:
    """Connections.csv with the canary in every cell (made distinct per row so nothing merges)."""
    width = header.count(b",") + 1
    lines = [header]
    for i in range(rows):
        lines.append(",".join(f"{CANARY}{i}" for _ in range(width)).encode())
    return b"\n".join(lines) + b"\n"


CANARY_CSV = canary_rows()
PROFILE = b"First Name,Last Name,Headline\n" + f"{CANARY},{CANARY},{CANARY}".encode() + b"\n"




def export(folder: Path, members: list[zb.RawMember] | bytes, name: str = ARCHIVE) -> Path:
    data = members if isinstance(members, bytes) else zb.build(members)
    path = folder / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def tree(root: Path) -> list[tuple[str, int]]:
    return sorted((str(p.relative_to(root)), p.stat().st_size if p.is_file() else -1)
                  for p in root.rglob("*") if not p.is_symlink())


def assert_refused(status: int, out: str, err: str, archive: str, reason: str, member: str | None = None) -> None:
    """Err2: one stderr line `inventory: <archive>: [<member>: ]<reason>`, exit 2, no traceback,
    no data, nothing on stdout."""
    assert status == 2, err
    assert err.count("\n") == 1 and err.startswith(f"inventory: {archive}: "), err
    assert reason in err, err
    if member is not None:
        assert f"{archive}: {member}" in err, err
    assert "Traceback" not in err and CANARY not in err and out == ""


def scan_refused(capsys, tmp_path: Path, data: bytes | list, reason: str, member: str | None = None,
                 name: str = ARCHIVE) -> str:
    path = export(tmp_path, data, name)
    before = tree(tmp_path)
    status, out, err = run(capsys, "scan", str(path))
    assert_refused(status, out, err, name, reason, member)
    assert tree(tmp_path) == before  # G1: nothing written, not even in HOME
    return err


def scan_json(capsys, path: Path | list[Path], *extra: str) -> tuple[int, dict, str]:
    paths = [str(p) for p in (path if isinstance(path, list) else [path])]
    status, out, err = run(capsys, "scan", *paths, "--json", *extra)
    return status, json.loads(out), err


def warnings_of(report: dict) -> list[dict]:
    return [w for f in report["export"]["files"] for w in f["warnings"]] + report["export"].get("problems", [])


def file_entry(report: dict, path: str) -> dict:
    return next(f for f in report["export"]["files"] if f["path"] == path)


def scan_one(tmp_path: Path, members: list[zb.RawMember], limits: Limits = Limits()):
    return scan_exports([export(tmp_path, members)], limits)


def original_cells(result) -> list[list[str]]:
    """Each item's original cells (the values of its row in its file's parsed table)."""
    return [list(result.original(source, row).values()) for source, row in result.items.select("source", "row").rows()]


def problems_text(result) -> str:
    return "\n".join(str(p) for p in result.all_problems())


def accounted(result, member: str, data_lines: int) -> None:
    """G7: every data line is an item's row or a counted skip."""
    report = next(f for f in result.files if f.path == member)
    skipped = sum(1 for w in report.warnings if w.code in ("ragged-row", "line-too-long", "too-long"))
    assert report.rows == data_lines or report.rows + skipped == data_lines, (report.rows, skipped)


# --- A. container: refused with one line, exit 2, nothing written -----------------------------


def _half_sample() -> bytes:
    data = COMPLETE.read_bytes()
    return data[: len(data) // 2]


def _count_plus_one() -> bytes:
    return zb.build([zb.deflated("Connections.csv", CANARY_CSV)], count_delta=1)


REFUSED_CONTAINERS = {
    "01-empty": (lambda: b"", "not a ZIP archive"),
    "02-pdf-renamed": (lambda: b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"%%EOF\n", "not a ZIP archive"),
    "02-html-renamed": (lambda: b"<!doctype html><html><body>" + CANARY.encode() + b"</body></html>",
                        "not a ZIP archive"),
    "03-half-sample": (_half_sample, "truncated or damaged"),
    "04-count-plus-one": (_count_plus_one, "central directory inconsistent"),
    "05-10001-entries": (lambda: zb.build([zb.stored(f"{i}.csv", b"") for i in range(10_001)]), "--max-entries"),
    "06-quoted-overlap": (lambda: zb.quoted_overlap_bomb(entries=100, kernel_bytes=MiB), "overlapping entries"),
    "07-shared-header": (lambda: zb.shared_header_bomb(entries=100, kernel_bytes=MiB), "overlapping entries"),
    "08-name-mismatch": (lambda: zb.build([zb.stored("Connections.csv", CANARY_CSV, local_name=b"Profile.csvx")]),
                         "header mismatch"),
    "09-hidden-central-directory": (zb.hidden_central_directory, "ambiguous end of archive"),
    "10-split": (lambda: zb.build([zb.stored("Connections.csv", CANARY_CSV)], disk=1), "split archives not supported"),
    "12-trailing-bytes": (lambda: zb.build([zb.deflated("Connections.csv", CANARY_CSV)]) + bytes(range(100)),
                          "data after end of archive"),
    "16-long-name": (lambda: zb.build([zb.stored("a" * 65_531 + ".csv", b"")]), "--max-name-bytes"),
    "17-duplicate": (lambda: zb.build([zb.stored("Connections.csv", CANARY_CSV),
                                       zb.stored("Connections.csv", canary_rows(1))]), "duplicate member"),
    "20-undecodable-name": (lambda: zb.build([zb.stored(b"R\xff.csv", CANARY_CSV, flags=zb.FLAG_UTF8)]),
                            "undecodable member name"),
}


@pytest.mark.parametrize("case", sorted(REFUSED_CONTAINERS))
def test_hostile_container_is_one_line_exit_2(capsys, tmp_path, case):
    make, reason = REFUSED_CONTAINERS[case]
    scan_refused(capsys, tmp_path, make(), reason)


def test_checklist_on_hostile_archive_writes_no_output_file(capsys, tmp_path):
    """Err2 also means the requested report is not written (not even an empty one)."""
    path = export(tmp_path, zb.hidden_central_directory())
    out_file = tmp_path / "checklist.md"
    status, out, err = run(capsys, "checklist", str(path), "-o", str(out_file))
    assert_refused(status, out, err, ARCHIVE, "ambiguous end of archive")
    assert not out_file.exists() and not any(p.name.startswith(".") for p in tmp_path.iterdir())


def test_stub_before_archive_warns_and_reads(capsys, tmp_path):  # 11
    plain = export(tmp_path, [zb.deflated("Connections.csv", CANARY_CSV)], "Basic_LinkedInDataExport_01-01-2026.zip")
    stubbed = export(tmp_path, zb.build([zb.deflated("Connections.csv", CANARY_CSV)], prefix=b"MZ" + bytes(4094)),
                     "Basic_LinkedInDataExport_02-01-2026.zip")
    status, report, err = scan_json(capsys, stubbed)
    assert status == 0 and err == ""
    details = [w["detail"] for w in warnings_of(report)]
    assert any("4,096 bytes before archive" in d for d in details), details
    assert report["summary"]["warnings"] >= 1
    _status, reference, _err = scan_json(capsys, plain)
    assert [i["id"] for i in report["items"]] == [i["id"] for i in reference["items"]] and report["items"]


@pytest.mark.parametrize("writer", ["force-zip64", "data-descriptors"])
def test_zip64_and_data_descriptor_archives_read_normally(capsys, tmp_path, writer):  # 13
    files = {"Connections.csv": CANARY_CSV, "Profile.csv": PROFILE}
    data = zb.python_zip(files, force_zip64=writer == "force-zip64", non_seekable=writer == "data-descriptors")
    status, report, _err = scan_json(capsys, export(tmp_path, data))
    assert status == 0
    assert file_entry(report, "Connections.csv")["items"] == 3 and file_entry(report, "Profile.csv")["items"] == 3


# --- B. entry names: listed with a warning, never read or joined to a path ----------------------


@pytest.mark.parametrize("name", ["/etc/passwd", "../../Connections.csv", "..\\..\\Connections.csv", "C:/Connections.csv"])
def test_unsafe_names_listed_unknown_never_read(capsys, tmp_path, name):  # 14
    path = export(tmp_path, [zb.stored(name, CANARY_CSV), zb.stored("Profile.csv", PROFILE)])
    before = tree(tmp_path)
    status, report, err = scan_json(capsys, path)
    assert status == 0 and CANARY not in err
    unsafe = [f for f in report["export"]["files"] if f["path"] != "Profile.csv"]
    assert len(unsafe) == 1 and unsafe[0]["items"] == 0 and unsafe[0]["status"] == "skipped"
    assert any(w["code"] == "unsafe-name" for w in warnings_of(report))
    assert {i["source"] for i in report["items"]} == {"Profile.csv"}
    assert tree(tmp_path) == before
    assert not (tmp_path / "Connections.csv").exists() and not (tmp_path.parent / "Connections.csv").exists()


def test_nul_in_name_is_not_read_as_the_truncated_name(capsys, tmp_path):  # 15
    status, report, _err = scan_json(capsys, export(tmp_path, [zb.stored(b"Connections.csv\x00.exe", CANARY_CSV)]))
    assert status == 0
    assert report["items"] == [] and not any(f["recognized_as"] == "connections" for f in report["export"]["files"])
    assert any(w["code"] == "unsafe-name" for w in warnings_of(report))


def test_case_twins_warn_and_one_is_parsed(capsys, tmp_path):  # 18
    members = [zb.stored("Connections.csv", CANARY_CSV), zb.stored("connections.csv", canary_rows(5))]
    status, report, _err = scan_json(capsys, export(tmp_path, members))
    assert status == 0
    assert file_entry(report, "Connections.csv")["items"] == 3
    assert file_entry(report, "connections.csv")["status"] == "skipped"
    assert any(w["code"] == "duplicate-case" for w in warnings_of(report))


@pytest.mark.parametrize("name", ["\x1b[2JConnections.csv", "Conne\u202ections.csv", "\x1b]0;PWNED\x07.csv"])
def test_escape_or_bidi_in_name_warns_and_never_reaches_the_terminal(capsys, tmp_path, name):  # 21
    status, out, err = run(capsys, "scan", str(export(tmp_path, [zb.stored(name, CANARY_CSV)])))
    assert status == 0
    assert "\x1b" not in out + err and "\u202e" not in out + err and "\x07" not in out + err
    assert "\ufffd" in out and "unsafe name" in out


def test_directory_with_data_warns_and_is_not_read(capsys, tmp_path):  # 22
    status, report, _err = scan_json(capsys, export(tmp_path, [zb.stored("messages/", b"hello world")]))
    assert status == 0 and report["items"] == []
    assert any(w["code"] == "directory-with-data" for w in warnings_of(report))


def test_symlink_member_listed_never_followed(capsys, tmp_path):  # 23
    link = zb.stored("Connections.csv", b"/etc/passwd", made_by=zb.MADE_BY_UNIX, external_attr=zb.UNIX_SYMLINK_ATTR)
    status, report, _err = scan_json(capsys, export(tmp_path, [link]))
    assert status == 0 and report["items"] == []
    assert file_entry(report, "Connections.csv")["status"] == "skipped"
    assert any(w["code"] == "symlink" for w in warnings_of(report))


def test_inner_zip_listed_not_opened(capsys, tmp_path):  # 24
    inner = zb.build([zb.deflated("Connections.csv", CANARY_CSV)])
    status, report, _err = scan_json(capsys, export(tmp_path, [zb.stored("old/inner.zip", inner)]))
    assert status == 0 and report["items"] == []
    listed = file_entry(report, "old/inner.zip")
    assert listed["status"] == "skipped" and any(w["code"] == "nested-archive" for w in listed["warnings"])


# --- C. compression -----------------------------------------------------------------------------


def test_encrypted_member_skipped_with_counted_warning(capsys, tmp_path):  # 25
    members = [zb.stored("Connections.csv", b"\x8a" * 40, flags=zb.FLAG_ENCRYPTED), zb.stored("Profile.csv", PROFILE)]
    status, report, _err = scan_json(capsys, export(tmp_path, members))
    assert status == 0 and report["summary"]["warnings"] >= 1
    assert file_entry(report, "Connections.csv")["status"] == "skipped"
    assert any(w["code"] == "encrypted" for w in warnings_of(report))


@pytest.mark.parametrize("method", [99, 93, 95, 98, 77])
def test_unsupported_method_skipped_with_counted_warning(capsys, tmp_path, method):  # 26
    members = [zb.with_method(zb.stored("Connections.csv", CANARY_CSV), method)]
    status, report, err = scan_json(capsys, export(tmp_path, members))
    assert status == 0 and CANARY not in err and report["items"] == []
    assert any(w["detail"] == f"unsupported method {method}" for w in warnings_of(report))


@pytest.mark.parametrize(("compression", "flag"), [(zipfile.ZIP_BZIP2, "bzip2"), (zipfile.ZIP_LZMA, "lzma")])
def test_bzip2_lzma_warn_unless_allowed_by_flag(capsys, tmp_path, compression, flag):  # 27
    path = export(tmp_path, zb.python_zip({"Connections.csv": CANARY_CSV}, compression=compression))
    status, report, _err = scan_json(capsys, path)
    assert status == 0 and report["items"] == []
    assert any("--allow-method" in w["detail"] for w in warnings_of(report))
    status, report, _err = scan_json(capsys, path, "--allow-method", flag)
    assert status == 0 and file_entry(report, "Connections.csv")["items"] == 3


def test_deflate64_csv_parsed_like_deflate(capsys, tmp_path):  # 28
    deflate = export(tmp_path, [zb.deflated("Connections.csv", CANARY_CSV)], "Basic_LinkedInDataExport_01-01-2026.zip")
    d64 = export(tmp_path, [zb.deflated64("Connections.csv", CANARY_CSV)], "Basic_LinkedInDataExport_01-02-2026.zip")
    _s, one, _e = scan_json(capsys, deflate)
    status, other, _e = scan_json(capsys, d64)
    assert status == 0 and one["items"] and [i["id"] for i in one["items"]] == [i["id"] for i in other["items"]]


REFUSED_MEMBERS = {
    "29-deflate64-bomb": (lambda: zb.deflate64_bomb(1_000_000_000), "member exceeds 512 MiB"),
    "30-deflate64-bomb-declaring-1KiB": (lambda: zb.deflate64_bomb(1_000_000_000, declared=1024),
                                         "member larger than declared"),
    "32-declared-smaller": (lambda: zb.build([_declared_smaller()]), "size mismatch"),
    "33-stored-byte-flipped": (lambda: zb.flip_byte(zb.build([zb.stored("Connections.csv", CANARY_CSV)]),
                                                    30 + len("Connections.csv") + 5), "checksum mismatch"),
    "34-compressed-byte-flipped": (lambda: zb.flip_byte(zb.build([zb.deflated("Connections.csv", CANARY_CSV)]),
                                                        30 + len("Connections.csv"), 0xFF), "corrupt data"),
}


def _declared_smaller() -> zb.RawMember:
    member = zb.deflated("Connections.csv", CANARY_CSV)
    member.size -= 10
    return member


@pytest.mark.parametrize("case", sorted(REFUSED_MEMBERS))
def test_hostile_member_is_one_line_exit_2_naming_the_member(capsys, tmp_path, case):
    make, reason = REFUSED_MEMBERS[case]
    scan_refused(capsys, tmp_path, make(), reason, member="Connections.csv")


def test_deflate_bomb_ratio_warning_then_refused_by_lowered_limit(tmp_path):  # 31
    path = export(tmp_path, zb.deflate_bomb(64 * MiB))
    with pytest.raises(LimitExceeded) as refused:
        scan_exports([path], Limits(max_member_bytes=8 * MiB, max_total_bytes=16 * MiB))
    assert "--max-member-bytes" in refused.value.reason and refused.value.where.endswith("Connections.csv")
    from inventory.archive import open_source
    with open_source(path) as source:
        assert [p.code for p in source.problems] == ["high-ratio"]


# --- D. CSV bytes (through the scan: every row read or counted, no canary in messages) ----------


def test_invalid_utf8_value_read_lossy_and_counted(tmp_path):  # 35
    data = CANARY_CSV.replace(f"{CANARY}1,".encode(), f"{CANARY}1".encode() + b"\xff\xfe,", 1)
    result = scan_one(tmp_path, [zb.stored("Connections.csv", data)])
    assert result.items.height == 3 and "invalid-utf8" in [p.code for p in result.all_problems()]
    assert any("\ufffd" in cell for cells in original_cells(result) for cell in cells)
    assert CANARY not in problems_text(result)


def test_invalid_utf8_header_refuses_that_table_exit_2(capsys, tmp_path):  # 36
    data = CANARY_CSV.replace(b"First Name", b"First\xff Name", 1)
    alone = export(tmp_path / "alone", [zb.stored("Connections.csv", data)])
    status, report, err = scan_json(capsys, alone)
    # Nothing usable: exit 2 and one line naming the file and the problem, after the report.
    assert status == 2 and len(err.splitlines()) == 1 and "Connections.csv" in err and "UTF-8" in err
    assert CANARY not in err
    path = export(tmp_path, [zb.stored("Connections.csv", data), zb.stored("Profile.csv", PROFILE)])
    status, report, err = scan_json(capsys, path)
    # The export was read (the failed table is listed, with why): exit 0.
    assert status == 0 and err == ""
    refused = file_entry(report, "Connections.csv")
    assert refused["status"] == "error" and refused["items"] == 0
    assert any(w["code"] == "bad-encoding" and w["severity"] == "error" for w in refused["warnings"])
    assert file_entry(report, "Profile.csv")["items"] == 3  # the other tables are still read


def test_utf16_decoded_like_utf8(tmp_path):  # 37
    utf8 = scan_one(tmp_path / "a", [zb.stored("Connections.csv", CANARY_CSV)])
    utf16 = scan_one(tmp_path / "b", [zb.stored("Connections.csv", CANARY_CSV.decode().encode("utf-16"))])
    assert utf16.items["id"].to_list() == utf8.items["id"].to_list() and utf16.items.height == 3
    assert original_cells(utf16) == original_cells(utf8)
    assert not any("\x00" in cell for cells in original_cells(utf16) for cell in cells)


def test_utf8_bom_read_normally(tmp_path):  # 38
    plain = scan_one(tmp_path / "a", [zb.stored("Connections.csv", CANARY_CSV)])
    bom = scan_one(tmp_path / "b", [zb.stored("Connections.csv", b"\xef\xbb\xbf" + CANARY_CSV)])
    assert bom.items["id"].to_list() == plain.items["id"].to_list()
    assert [p.code for p in bom.all_problems()] == [p.code for p in plain.all_problems()]


def test_nul_in_values_counted_and_never_output(capsys, tmp_path):  # 39
    data = CANARY_CSV.replace(f"{CANARY}0,".encode(), f"{CANARY}\x000,".encode(), 1)
    path = export(tmp_path, [zb.stored("Connections.csv", data)])
    status, report, err = scan_json(capsys, path)
    assert status == 0 and any(w["code"] == "nul-bytes" or "NUL" in w["detail"] for w in warnings_of(report))
    assert len(report["items"]) == 3
    assert "\x00" not in json.dumps(report, ensure_ascii=False) and "\\u0000" not in json.dumps(report)


def test_cr_only_line_ends_never_a_silent_empty_table(tmp_path):  # 40
    result = scan_one(tmp_path, [zb.stored("Connections.csv", CANARY_CSV.replace(b"\n", b"\r"))])
    assert result.items.height == 3
    assert "cr-line-ends" in [p.code for p in result.all_problems()]


def test_two_mib_line_skipped_and_counted(tmp_path):  # 41
    long_row = b",".join([b"x" * (2 * MiB)] + [b"y"] * 6)
    data = CANARY_CSV + long_row + b"\n"
    result = scan_one(tmp_path, [zb.stored("Connections.csv", data)])
    assert result.items.height == 3
    report = result.files[0]
    assert report.rows == 4 and any(p.line == 5 for p in report.warnings), [str(p) for p in report.warnings]


def test_two_mib_header_refuses_the_table(capsys, tmp_path):  # 41
    data = b"x" * (2 * MiB) + b"\n" + CANARY_CSV
    status, report, err = scan_json(capsys, export(tmp_path, [zb.stored("Connections.csv", data)]))
    assert status == 2 and file_entry(report, "Connections.csv")["status"] == "error"
    assert CANARY not in err


# --- E. CSV structure ------------------------------------------------------------------------------


def test_row_with_extra_field_skipped_counted_never_truncated(tmp_path):  # 42
    data = CANARY_CSV + ",".join([CANARY + "X"] * 8).encode() + b"\n"
    result = scan_one(tmp_path, [zb.stored("Connections.csv", data)])
    assert result.items.height == 3
    assert not any(f"{CANARY}X" in cell for cells in original_cells(result) for cell in cells)
    ragged = [p for p in result.all_problems() if p.code == "ragged-row"]
    assert len(ragged) == 1 and ragged[0].line == 5 and CANARY not in str(ragged[0])
    accounted(result, "Connections.csv", 4)


def test_row_missing_fields_kept_and_reported(tmp_path):  # 43
    data = CANARY_CSV + ",".join([CANARY + "S"] * 5).encode() + b"\n"
    result = scan_one(tmp_path, [zb.stored("Connections.csv", data)])
    assert result.items.height == 4 and "short-row" in [p.code for p in result.all_problems()]


def test_duplicate_column_refuses_the_table(capsys, tmp_path):  # 44
    data = b"First Name,First Name,Headline\n" + f"{CANARY},{CANARY},{CANARY}".encode() + b"\n"
    status, report, err = scan_json(capsys, export(tmp_path, [zb.stored("Profile.csv", data)]))
    assert status == 2 and file_entry(report, "Profile.csv")["status"] == "error"
    assert any("duplicate column" in w["detail"] for w in warnings_of(report)) and CANARY not in err


def test_empty_header_name_warns(tmp_path):  # 45
    data = CANARY_CSV.replace(b",Company,", b",,", 1)
    result = scan_one(tmp_path, [zb.stored("Connections.csv", data)])
    assert result.items.height == 3
    assert any("empty" in p.code or "empty" in p.detail for p in result.all_problems())


def test_unterminated_quote_costs_its_record_with_line_number(capsys, tmp_path):  # 46
    # The issue tracker (issue 12) asks for recovery: the record is lost, never the file.
    data = CANARY_CSV + f'"{CANARY},a,b,c,d,e,f\n'.encode() + canary_rows(1).split(b"\n", 1)[1].replace(
        b"0", b"9")
    status, report, err = scan_json(capsys, export(tmp_path, [zb.stored("Connections.csv", data)]))
    assert status == 0 and err == ""
    skipped = [w for w in warnings_of(report) if w["code"] == "malformed-row"]
    assert [w["line"] for w in skipped] == [5] and skipped[0]["severity"] == "warning"
    assert file_entry(report, "Connections.csv")["items"] == 4  # the three before it and the one after
    assert CANARY not in json.dumps(warnings_of(report))


@pytest.mark.parametrize(("member", "data"), [("Connections.csv", CONNECTIONS_HEADER + b"\n"), ("Profile.csv", b"")],
                         ids=["header-only", "zero-bytes"])
def test_header_only_or_empty_table_is_an_empty_table_with_notice(tmp_path, member, data):  # 47
    result = scan_one(tmp_path, [zb.stored(member, data), zb.stored("Shares.csv", b"Date,ShareLink\n")])
    assert not result.has_errors and result.files[0].items == 0
    assert result.files[0].warnings and "empty" in " ".join(p.code + p.detail for p in result.files[0].warnings)


def test_renamed_required_column_refuses_without_quoting_cells(capsys, tmp_path):  # 48
    data = CANARY_CSV.replace(b"First Name,Last Name,URL", b"Given Name,Family Name,Link", 1)
    status, report, err = scan_json(capsys, export(tmp_path, [zb.stored("Connections.csv", data)]))
    assert status == 2 and file_entry(report, "Connections.csv")["status"] == "error"
    assert CANARY not in json.dumps(warnings_of(report))


def test_preamble_lines_skipped_and_counted(tmp_path):  # 49
    data = b"Notes:\n\"When exporting your connection data, you may notice...\"\n\n" + CANARY_CSV
    result = scan_one(tmp_path, [zb.stored("Connections.csv", data)])
    assert result.items.height == 3 and result.files[0].rows == 3
    assert CANARY not in problems_text(result)


# --- F. values ---------------------------------------------------------------------------------


def test_impossible_date_kept_as_text_and_counted(tmp_path):  # 50
    row = b"Ada,Example,https://www.linkedin.com/in/ada,,Example Ltd,Engineer,31 Feb 2020\n"
    result = scan_one(tmp_path, [zb.stored("Connections.csv", CONNECTIONS_HEADER + b"\n" + row)])
    assert result.items.height == 1 and result.items["date"][0] is None
    assert "31 Feb 2020" in original_cells(result)[0]
    assert "unparsed-date" in [p.code for p in result.all_problems()]


def test_twenty_mb_field_skipped_and_counted(tmp_path):  # 52
    data = CANARY_CSV + b"a,b,c,d,e,f," + b"z" * (20 * MiB) + b"\n"
    result = scan_one(tmp_path, [zb.stored("Connections.csv", data)])
    assert result.items.height == 3 and result.files[0].rows == 4
    assert any(p.line == 5 for p in result.files[0].warnings)


# --- G. HTML -----------------------------------------------------------------------------------

ARTICLE = "Articles/Articles/An invented article.html"


def test_article_scripts_handlers_and_links_become_text(capsys, tmp_path):  # 53, 54
    html = (b"<html><head><script>steal()</script></head><body onload=\"steal()\"><h1>Title</h1>"
            b"<p>Visible words <a href=\"javascript:steal()\">click</a></p>"
            b"<img src=\"http://tracker.invalid/pixel.gif\"><script>more()</script></body></html>")
    path = export(tmp_path, [zb.stored(ARTICLE, html)])
    status, report, _err = scan_json(capsys, path)
    assert status == 0
    (item,) = report["items"]
    assert "Visible words" in item["text"] and "click" in item["text"]
    assert "steal()" not in item["text"] and "more()" not in item["text"] and "<" not in item["text"]
    assert item["url"] is None  # javascript: and foreign links are never the item's link
    scanned = scan_exports([path])
    cells = scanned.original(*scanned.items.select("source", "row").row(0))
    assert json.loads(cells["images"]) == ["http://tracker.invalid/pixel.gif"]  # kept as text; the guard proves no fetch
    # the HTML checklist never embeds article markup or a remote resource
    out = tmp_path / "list.html"
    status, _out, _err = run(capsys, "checklist", str(path), "--format", "html", "-o", str(out))
    page = out.read_text()
    assert status == 0 and "<script" not in page.lower() and "javascript:" not in page
    assert "src=\"http" not in page and "onload" not in page


@pytest.mark.parametrize("html", [b"<p>" + b"a" * (9 * MiB) + b"</p>", b"<div>" * 10_000 + b"x" + b"</div>" * 10_000],
                         ids=["9-MiB", "10000-nested-divs"])
def test_huge_or_deep_article_skipped_with_warning(tmp_path, html):  # 55
    result = scan_one(tmp_path, [zb.stored(ARTICLE, html)])
    assert result.items.height == 0
    assert [p.code for p in result.files[0].warnings] == ["article-skipped"]


# --- H. multiple archives ---------------------------------------------------------------------


def test_same_file_twice_warns_and_reads_once(capsys, tmp_path):  # 57
    copy = tmp_path / "copy of basic.zip"
    shutil.copyfile(BASIC, copy)
    status, both, _err = scan_json(capsys, [BASIC, copy])
    _s, one, _e = scan_json(capsys, BASIC)
    assert status == 0 and len(both["items"]) == len(one["items"])
    assert any(w["code"] == "same-archive-twice" for w in warnings_of(both)) or "same content" in json.dumps(both)


def test_two_members_exports_refused(capsys, tmp_path):  # 58
    mine = export(tmp_path, [zb.stored("Profile.csv", b"First Name,Last Name,Headline\nAda,Example,x\n")],
                  "Basic_LinkedInDataExport_01-01-2026.zip")
    theirs = export(tmp_path, [zb.stored("Profile.csv", b"First Name,Last Name,Headline\nBob,Other,y\n")],
                    "Complete_LinkedInDataExport_01-02-2026.zip")
    status, out, err = run(capsys, "scan", str(mine), str(theirs))
    assert status == 2 and err.count("\n") == 1 and "different member" in err and out == ""


# --- I. state file, through the commands that read it ---------------------------------------


def test_truncated_state_exit_3_and_file_kept_aside(capsys, tmp_path):  # 59
    state = tmp_path / "state.json"
    state.write_bytes(b'{"schema": 1, "items": {"a": "del')
    status, out, err = run(capsys, "checklist", str(BASIC), "--state", str(state))
    assert status == 3 and err.count("\n") == 1 and "corrupt" in err and out == ""
    kept = list(tmp_path.glob("state.json.corrupt-*"))
    assert not state.exists() and [p.read_bytes() for p in kept] == [b'{"schema": 1, "items": {"a": "del']
    assert str(kept[0]) in err


@pytest.mark.parametrize("kind", ["fifo", "nested"])
def test_fifo_or_deeply_nested_state_exit_3_and_moved_aside(capsys, tmp_path, fifo_with_writer, kind):  # 59
    """A FIFO as the state file hung `checklist`; 200,000 nested brackets were an internal error."""
    state = tmp_path / "state.json"
    if kind == "fifo":
        fifo_with_writer(state, b'{"schema": 1, "items": {}, "seen": []}')
    else:
        state.write_bytes(b"[" * 200_000)
    status, out, err = run(capsys, "checklist", str(BASIC), "--state", str(state))
    assert status == 3 and err.count("\n") == 1 and out == "", err
    assert ("not a regular file" if kind == "fifo" else "nested too deeply") in err
    assert not os.path.lexists(state) and len(list(tmp_path.glob("state.json.corrupt-*"))) == 1


def test_deeply_nested_plan_for_verify_is_refused_in_one_line(capsys, tmp_path):
    old = tmp_path / "checklist.json"
    old.write_bytes(b'{"format": ' + b"[" * 200_000)
    status, out, err = run(capsys, "verify", str(old), str(BASIC))
    assert status == 2 and err.count("\n") == 1 and str(old) in err and "internal error" not in err, err


@pytest.mark.parametrize("kind", ["fifo", "nested"])
def test_fifo_or_deeply_nested_watchlist_is_refused_in_one_line(capsys, tmp_path, fifo_with_writer, kind):
    watchlist = tmp_path / "watch.toml"
    if kind == "fifo":
        fifo_with_writer(watchlist, b'[[term]]\nname = "Example"\n')
    else:
        watchlist.write_bytes(b"a = " + b"[" * 200_000)
    status, out, err = run(capsys, "scan", str(BASIC), "--watchlist", str(watchlist))
    assert status == 2 and err.count("\n") == 1 and str(watchlist) in err and out == "", err
    assert ("not a regular file" if kind == "fifo" else "nested too deeply") in err


def test_newer_schema_state_never_modified_by_the_cli(capsys, tmp_path):  # 60
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"schema": 99, "items": {}}))
    before = state.read_bytes()
    status, _out, err = run(capsys, "checklist", str(BASIC), "--state", str(state))
    assert status in (0, 3) and "Traceback" not in err
    assert state.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["home", "state.json"]


# --- J. output files -------------------------------------------------------------------------


def test_existing_output_refused_without_force(capsys, tmp_path):  # 63
    target = tmp_path / "checklist.md"
    target.write_text("mine")
    status, _out, err = run(capsys, "checklist", str(BASIC), "-o", str(target))
    assert status == 3 and "--force" in err and target.read_text() == "mine"


@pytest.mark.parametrize("dangling", [False, True])
def test_symlink_output_refused_and_never_followed(capsys, tmp_path, dangling):  # 63
    victim = tmp_path / "victim.txt"
    if not dangling:
        victim.write_text("keep me")
    link = tmp_path / "checklist.md"
    link.symlink_to(victim)
    status, _out, err = run(capsys, "checklist", str(BASIC), "-o", str(link))
    assert status == 3 and "symbolic link" in err and err.count("\n") == 1
    assert link.is_symlink() and (victim.read_text() == "keep me" if not dangling else not victim.exists())
    status, _out, _err = run(capsys, "checklist", str(BASIC), "-o", str(link), "--force")
    assert status == 0 and not link.is_symlink() and (victim.read_text() == "keep me" if not dangling
                                                      else not victim.exists())


@pytest.mark.parametrize("failure", [errno.EACCES, errno.ENOSPC, errno.EROFS])
def test_unwritable_output_exit_3_and_no_temp_left(capsys, tmp_path, monkeypatch, failure):  # 64
    real_replace, real_link = os.replace, os.link

    def refuse(*_args, **_kw):
        raise OSError(failure, os.strerror(failure))

    monkeypatch.setattr(os, "link", refuse)
    monkeypatch.setattr(os, "replace", refuse)
    target = tmp_path / "out" / "checklist.md"
    target.parent.mkdir()
    status, out, err = run(capsys, "checklist", str(BASIC), "-o", str(target))
    monkeypatch.setattr(os, "replace", real_replace)
    monkeypatch.setattr(os, "link", real_link)
    assert status == 3 and err.count("\n") == 1 and str(target) in err and "Traceback" not in err
    assert list(target.parent.iterdir()) == []


# --- K. environment -----------------------------------------------------------------------------


def test_read_only_home_is_exit_3_naming_the_path_and_state_option_works(capsys, tmp_path, monkeypatch):  # 65
    from inventory.state import DecisionStore

    home = Path(os.environ["HOME"])
    real_mkdir = os.mkdir

    def read_only_home(path, *args, **kwargs):
        if str(path).startswith(str(home)):
            raise PermissionError(errno.EROFS, "Read-only file system", str(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", read_only_home)
    with pytest.raises(EnvironmentProblem) as refused:
        DecisionStore.open()
    assert refused.value.exit_status == 3 and str(home) in str(refused.value)
    elsewhere = tmp_path / "elsewhere" / "state.json"
    store = DecisionStore.open(elsewhere)
    store.close()
    status, _out, err = run(capsys, "checklist", str(BASIC), "--state", str(elsewhere))
    assert status == 0 and err == ""


def test_ui_without_terminal_exit_3_one_line(capsys, tmp_path):  # 67
    status, out, err = run(capsys, "ui", str(BASIC), "--state", str(tmp_path / "s.json"))
    assert status == 3 and err.count("\n") == 1 and "needs a terminal" in err and out == ""
    assert err.startswith("inventory: standard input/output: ")  # the program is named once
    assert not (tmp_path / "s.json").exists()


@pytest.mark.parametrize("lang", ["C", "tr_TR.UTF-8"])
def test_messages_print_in_any_locale(tmp_path, allow_subprocess, lang):  # 69
    import subprocess

    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    env.update(LANG=lang, LC_ALL=lang, PYTHONIOENCODING="ascii" if lang == "C" else "utf-8")
    bad = export(tmp_path, [zb.stored("Réactions ünicode\u202e.csv", CANARY_CSV), zb.stored("Profile.csv", PROFILE)])
    done = subprocess.run([sys.executable, "-m", "inventory", "scan", str(bad)], env=env, capture_output=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr[-500:]
    assert b"Traceback" not in done.stderr and b"UnicodeEncodeError" not in done.stderr
    assert b"R\\xe9actions" in done.stdout or "Réactions".encode() in done.stdout
    assert b"INSTAGRAM" not in done.stdout  # Turkish dotted/dotless i did not corrupt case folding
    assert b"profile" in done.stdout


def test_umask_000_output_0600(capsys, tmp_path):  # 70
    old = os.umask(0)
    try:
        target = tmp_path / "new" / "checklist.md"
        target.parent.mkdir()
        status, _out, _err = run(capsys, "checklist", str(BASIC), "-o", str(target))
    finally:
        os.umask(old)
    assert status == 0 and (target.stat().st_mode & 0o777) == 0o600


# --- L. terminal rendering (what the UI is given) ------------------------------------------------


@pytest.mark.parametrize("cell", ["[@click=app.quit]x[/]", "[link=http://evil.invalid]x[/link]", "[bold]x"])
def test_markup_in_a_cell_is_shown_literally(cell):  # 71
    from rich.console import Console

    from inventory.tui.text import safe

    text = safe(cell)
    assert text.plain == cell and not text.spans
    console = Console(force_terminal=True, color_system="truecolor", width=80, record=True)
    with console.capture() as captured:
        console.print(text)
    rendered = captured.get()
    assert cell in rendered and "\x1b]8;" not in rendered


ESCAPES = {"CSI 2J": "\x1b[2J", "OSC 0": "\x1b]0;PWNED\x1b\\", "OSC 8": "\x1b]8;;http://evil.invalid\x1b\\x\x1b]8;;\x1b\\",
           "OSC 52": "\x1b]52;c;Y2FuYXJ5\x1b\\", "C1 CSI": "\x9b2J", "RLO": "\u202e", "ZWSP": "\u200b",
           "BEL": "\x07", "DEL": "\x7f"}


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_control_bidi_and_zero_width_never_reach_the_screen(name):  # 72 (unit part), 73
    from rich.console import Console

    from inventory.tui.text import safe

    value = f"before{ESCAPES[name]}after"
    console = Console(force_terminal=True, color_system=None, width=200)
    with console.capture() as captured:
        console.print(safe(value))
    shown = captured.get()
    assert "before" in shown and "after" in shown
    bad = [c for c in shown if c == "\x1b" or c == "\x07" or c == "\x7f" or 0x80 <= ord(c) <= 0x9f
           or c in "\u202e\u200b"]
    assert bad == []


def test_crash_with_canary_in_locals_prints_no_data(capsys, monkeypatch):  # 74
    from inventory import pipeline

    def explode(*_args, **_kwargs):
        secret = CANARY  # noqa: F841 - a local a traceback-with-locals would print
        raise ValueError(f"cell value {CANARY} broke something")

    monkeypatch.setattr(pipeline, "analyse", explode)
    status, out, err = run(capsys, "scan", str(BASIC))
    assert status == 1 and err.count("\n") == 1 and err.startswith("inventory: internal error")
    assert CANARY not in out + err and "Traceback" not in err


def test_typed_errors_only_from_scan(tmp_path):
    """G10 in one line: what scan_exports raises on a hostile archive is an InventoryError."""
    with pytest.raises(InventoryError):
        scan_exports([export(tmp_path, zb.quoted_overlap_bomb(entries=20, kernel_bytes=MiB))])


# --- cases fixed after they were reported (first written in pending_hostile.py) -----------


def test_nfc_nfd_twins_of_a_parsed_table_refused(capsys, tmp_path):  # 19
    """Err2 "duplicate member" when the twins are a parsed table."""
    nfc = "Réactions.csv"
    table = b"Date,Type,Link\n2024-01-02 10:00:00,LIKE,https://www.linkedin.com/feed/update/urn:li:activity:1\n"
    scan_refused(capsys, tmp_path, [zb.stored(zb.nfd(nfc), table), zb.stored(nfc, table)], "duplicate member")


def test_zero_byte_connections_is_an_empty_table(tmp_path):  # 47
    """0-row table with an "empty table" notice."""
    result = scan_one(tmp_path, [zb.stored("Connections.csv", b""), zb.stored("Profile.csv", PROFILE)])
    assert result.files[0].items == 0 and "empty" in " ".join(p.code for p in result.files[0].warnings)


def test_connections_preamble_lines_are_counted(tmp_path):  # 49
    """preamble lines skipped AND counted."""
    data = b"Notes:\n\"When exporting your connection data...\"\n\n" + CANARY_CSV
    result = scan_one(tmp_path, [zb.stored("Connections.csv", data)])
    assert any(p.code == "preamble" for p in result.files[0].warnings)


def test_unknown_preamble_before_a_known_header_does_not_lose_rows(tmp_path):  # 49
    """rows after an unexpected preamble line are read (preamble skipped and counted) or
    the table is refused visibly."""
    data = (b"Exported by LinkedIn for you\nDate,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"
            b"2024-01-01 10:00:00,https://www.linkedin.com/feed/update/urn:li:share:1,hello,,,MEMBER_NETWORK\n")
    result = scan_one(tmp_path, [zb.stored("Shares.csv", data)])
    report = result.files[0]
    assert report.items == 1 or any(p.severity != "info" for p in report.warnings)


@pytest.mark.parametrize("when", ["01 Jan 2099", "01 Jan 1990"])
def test_implausible_years_kept_as_text_and_counted(tmp_path, when):  # 50
    """a date before LinkedIn existed (2003) or after the export is kept as text and
    counted."""
    row = f"Ada,Example,https://www.linkedin.com/in/ada,,Example Ltd,Engineer,{when}\n".encode()
    result = scan_one(tmp_path, [zb.stored("Connections.csv", CONNECTIONS_HEADER + b"\n" + row)])
    assert result.items["date"][0] is None and "unparsed-date" in [p.code for p in result.all_problems()]


def test_renamed_required_column_names_the_expected_column(capsys, tmp_path):  # 48
    """"expected column X"."""
    data = CANARY_CSV.replace(b"First Name,Last Name,URL", b"Given Name,Family Name,Link", 1)
    result = scan_one(tmp_path, [zb.stored("Connections.csv", data)])
    assert any("expected column" in p.detail and "First Name" in p.detail for p in result.all_problems())


def test_missing_header_never_quotes_a_data_row_as_column_names(tmp_path):  # G8, found by test_fuzz
    """no cell value in any message."""
    data = f"{CANARY},{CANARY},{CANARY}\nx,y,z\n".encode()
    result = scan_one(tmp_path, [zb.stored("Comments.csv", data)])
    assert result.all_problems() and all(CANARY not in str(p) for p in result.all_problems())


def test_unset_home_is_exit_3_naming_home(capsys, tmp_path, monkeypatch):  # 65
    """with HOME (and XDG_STATE_HOME) unset, exit 3 naming the path, not a write into the
    password-database home."""
    for var in ("HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "INVENTORY_STATE_DIR"):
        monkeypatch.delenv(var, raising=False)
    from inventory import paths

    with pytest.raises(EnvironmentProblem):
        paths.state_dir()

# --- G4: the offline/containment guard itself can fail a test -------------------------------------


def test_offline_guard_records_connect_lookup_and_stray_write():
    """The conftest audit hook is what proves the offline guarantee for every other test: show it
    catches a connection to a closed local port, a name look-up and a write outside the temp
    folders, then clear what this test caused so it passes."""
    import socket

    import conftest

    conftest._violations.clear()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        with pytest.raises(OSError):
            probe.connect(("127.0.0.1", 9))  # discard port, closed here: refused, never reaches out
    socket.getaddrinfo("localhost", None)  # /etc/hosts only; the event fires all the same
    with pytest.raises(OSError):
        open("/nonexistent-inventory-dir/out.txt", "w")  # noqa: SIM115 - the audit event fires first
    found = list(conftest._violations)
    conftest._violations.clear()
    assert any("socket.connect" in v for v in found), found
    assert any("socket.getaddrinfo" in v for v in found), found
    assert any("/nonexistent-inventory-dir/out.txt" in v for v in found), found


def test_scan_and_checklist_state_they_ran_offline(capsys, tmp_path):
    status, out, _err = run(capsys, "scan", str(BASIC))
    assert status == 0 and "no network access" in out
    status, page, _err = run(capsys, "checklist", str(BASIC))
    assert status == 0 and "network" in page.lower()


def test_problems_are_told_in_french_from_their_code_and_values(capsys, tmp_path):
    """`inventory scan --lang fr` says a problem in French (i18n.problem_detail: its catalogue
    key and values), with French spacing after the severity and the place."""
    data = CANARY_CSV + f'"{CANARY},a,b,c,d,e,f\n'.encode() + canary_rows(1).split(b"\n", 1)[1].replace(b"0", b"9")
    path = export(tmp_path, [zb.stored("Connections.csv", data)])
    status, out, err = run(capsys, "scan", "--lang", "fr", str(path))
    assert status == 0
    line = next(line for line in out.splitlines() if "Connections.csv:5" in line)
    assert line.strip().startswith("alerte\u00a0: ") and "guillemets mal formés" in " ".join(out.split())
    assert "malformed quoting" not in out and CANARY not in out
    status, out, err = run(capsys, "scan", str(path))
    assert "warning: " in out and "malformed quoting (an unterminated or stray quote)" in " ".join(out.split())
