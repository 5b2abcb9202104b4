"""Bad CSV bytes and structures (docs/bad-input.md D-F): each case ends in a visible,
counted Problem or a refusal naming the line, never a silent change or a dropped row."""

from __future__ import annotations

import polars as pl
import pytest

from inventory import catalogue
from inventory.csvdialect import Quirks, TableRefused, read_table
from inventory.dates import count_unparsed, parse_dates
from inventory.limits import DEFAULT_LIMITS, Limits
from inventory.readers import read_member


def _read(data: bytes, quirks: Quirks = Quirks(), limits: Limits = DEFAULT_LIMITS):
    return read_table(data, source="x.zip", member="T.csv", limits=limits, quirks=quirks)


def _codes(table) -> list[str]:
    return [p.code for p in table.problems]


def test_ragged_row_is_skipped_counted_and_located():
    table = _read(b"a,b\n1,2\n3,4,5\n6,7\n")
    assert table.rows == [["1", "2"], ["6", "7"]]
    ragged = [p for p in table.problems if p.code == "ragged-row"]
    assert len(ragged) == 1 and ragged[0].line == 3
    assert table.skipped_rows == 1
    # G7: rows read + rows skipped == data lines
    assert len(table.rows) + table.skipped_rows == 3


def test_short_row_is_kept_padded_and_reported():
    table = _read(b"a,b,c\n1,2\n")
    assert table.rows == [["1", "2", ""]]
    assert _codes(table) == ["short-row"]


def test_invalid_utf8_value_is_replaced_and_counted():
    table = _read(b"a,b\nok,\xff\xfe bad\n")
    assert table.rows[0][1].startswith("\ufffd")
    assert "invalid-utf8" in _codes(table)


def test_invalid_utf8_header_refuses_the_table():
    with pytest.raises(TableRefused) as refused:
        _read(b"a\xff,b\n1,2\n")
    assert refused.value.code == "bad-encoding" and refused.value.line == 1


def test_utf16_with_bom_is_decoded_never_parsed_raw():
    data = "a\tb\n1\t2\n".encode("utf-16")
    table = _read(data)
    assert table.header == ["a", "b"] and table.rows == [["1", "2"]]


def test_utf8_bom_is_stripped():
    table = _read(b"\xef\xbb\xbfName\nPython\n")
    assert table.header == ["Name"]


def test_nul_bytes_are_replaced_and_counted():
    table = _read(b"a,b\nx\x00y,2\n")
    assert table.rows == [["x\ufffdy", "2"]]
    assert "nul-bytes" in _codes(table)


def test_cr_only_line_ends_are_not_a_silent_empty_table():
    table = _read(b"a,b\r1,2\r3,4\r")
    assert table.rows == [["1", "2"], ["3", "4"]]
    assert "cr-line-ends" in _codes(table)


def test_overlong_row_is_skipped_and_counted():
    limits = Limits(max_line_bytes=1024)
    table = _read(b"a,b\n1,2\n3," + b"x" * 4096 + b"\n5,6\n", limits=limits)
    assert table.rows[0] == ["1", "2"] and table.rows[-1] == ["5", "6"]
    assert "line-too-long" in _codes(table)


def test_duplicate_column_is_refused_unless_the_file_is_known_to_repeat_names():
    with pytest.raises(TableRefused) as refused:
        _read(b"a,a,b\n1,2,3\n")
    assert refused.value.code == "duplicate-column"
    table = _read(b"a,a,b\n1,2,3\n", Quirks(duplicate_headers_ok=True))
    assert table.header == ["a", "a (2)", "b"]


def test_empty_header_name_is_reported_except_learning_trailing_comma():
    table = _read(b"a,,b\n1,2,3\n")
    assert table.header == ["a", "column_2", "b"] and "empty-header" in _codes(table)
    learning = _read(b"a,b,\n1,2,\n", Quirks(trailing_empty_header_ok=True))
    assert learning.header == ["a", "b", "column_3"] and "empty-header" not in _codes(learning)


def test_unterminated_quote_costs_its_record_only_and_reading_resumes_on_the_next_line():
    table = _read(b'a,b\n1,2\n3,"never closed\n4,5\n6,7\n')
    assert table.rows == [["1", "2"], ["4", "5"], ["6", "7"]]
    assert table.lines.to_list() == [2, 4, 5]
    skipped = [p for p in table.problems if p.code == "malformed-row"]
    assert [p.line for p in skipped] == [3] and skipped[0].severity == "warning"
    assert table.skipped_rows == 1


def test_stray_quote_inside_a_field_keeps_the_record_and_says_so():
    table = _read(b'a,b\n1,2\n"x" y,3\n4,5\n')
    assert table.rows == [["1", "2"], ["x y", "3"], ["4", "5"]]
    assert [(p.code, p.line) for p in table.problems] == [("stray-quote", 3)]


def test_unterminated_quote_in_the_header_is_refused_with_its_line():
    with pytest.raises(TableRefused) as refused:
        _read(b'a,"b\n1,2\n')
    assert refused.value.code == "malformed" and refused.value.line == 1


def test_free_text_last_column_is_read_line_by_line_at_the_first_comma():
    quirks = catalogue.SPECS_BY_ID["searchqueries"].quirks
    table = _read(b'Time,Search Query\n2025/03/14 09:15:27 UTC,"data" engineer\n'
                  b"2025/03/14 09:15:28 UTC,a, b, c\n\n2025/03/14 09:15:29 UTC,x\n", quirks)
    assert table.rows == [["2025/03/14 09:15:27 UTC", '"data" engineer'],
                          ["2025/03/14 09:15:28 UTC", "a, b, c"], ["2025/03/14 09:15:29 UTC", "x"]]
    assert table.lines.to_list() == [2, 3, 5] and table.problems == []


def test_rows_whose_every_cell_is_empty_are_reported_with_their_lines_not_listed():
    table = _read(b"a,b\n,\n1,2\n,\n")
    assert table.rows == [["1", "2"]] and table.lines.to_list() == [3]
    empty = [p for p in table.problems if p.code == "empty-row"]
    assert len(empty) == 1 and empty[0].line == 2 and "2, 4" in empty[0].detail


def test_quote_newline_quote_is_removed_even_next_to_quotes_in_the_text():
    quirks = catalogue.SPECS_BY_ID["shares"].quirks
    table = _read(b'Date,ShareCommentary\n1,"a""\n""""\n""b"\n2,"q.""""\n""""x"\n', quirks)
    assert [row[1] for row in table.rows] == ["a\n\nb", "q.\nx"]


def test_header_only_and_empty_files_are_empty_tables_with_a_notice():
    assert _read(b"a,b\n").rows == [] and "empty-table" in _codes(_read(b"a,b\n"))
    assert "empty-table" in _codes(_read(b""))


def test_preamble_is_skipped_only_up_to_the_expected_header():
    spec = catalogue.SPECS_BY_ID["connections"]
    data = (b'Notes:\n"When exporting your connection data, you may notice..."\n\n'
            b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
            b"Ana,Lopez,https://www.linkedin.com/in/ana,,Acme,CTO,03 Nov 2025\n")
    table = _read(data, spec.quirks)
    assert table.rows[0][0] == "Ana" and table.lines.to_list() == [5]
    with pytest.raises(TableRefused):
        _read(b"Notes:\nno header here\n", spec.quirks)


def test_too_many_columns_is_refused():
    with pytest.raises(TableRefused) as refused:
        _read(b",".join(b"c%d" % i for i in range(300)) + b"\n", limits=Limits(max_fields=256))
    assert refused.value.code == "too-many-fields"


def test_refused_table_becomes_an_error_problem_not_an_exception():
    reading = read_member(catalogue.UNKNOWN, b'a,"b\n1,2\n', source="x.zip", member="T.csv",
                          limits=DEFAULT_LIMITS)
    assert reading.items.collect().height == 0
    assert reading.problems[0].severity == "error" and reading.problems[0].code == "malformed"


def test_spreadsheet_formulas_are_kept_verbatim_as_data():
    table = _read(b"a\n=HYPERLINK(\"http://x\")\n")
    assert table.rows == [['=HYPERLINK("http://x")']]


@pytest.mark.parametrize(("value", "expected"), [
    ("03 Nov 2025", "2025-11-03T00:00:00"),
    ("2025-11-03 09:15:27 UTC", "2025-11-03T09:15:27"),
    ("2025-11-03 09:15:27", "2025-11-03T09:15:27"),
    ("2025/11/03 09:15:27 UTC", "2025-11-03T09:15:27"),
    ("2025/11/03", "2025-11-03T00:00:00"),
    ("11/3/25, 9:15 AM", "2025-11-03T09:15:00"),
    ("11/13/25 10:15 PM UTC", "2025-11-13T22:15:00"),
    ("Mon Nov 03 09:15:27 UTC 2025", "2025-11-03T09:15:27"),
    ("2025-11-03 09:15 UTC", "2025-11-03T09:15:00"),
    ("Nov 2025", "2025-11-01T00:00:00"),
    ("2025", "2025-01-01T00:00:00"),
    ("Apr 9, 2024", "2024-04-09T00:00:00"),
    ("Sep 18, 2025 06:00 PM - Sep 18, 2025 08:00 PM", "2025-09-18T18:00:00"),
    ("You uploaded a feed photo on March 4, 2025 at 3:07 PM (GMT)", "2025-03-04T15:07:00"),
    ("2025-11-03", "2025-11-03T00:00:00"),
    ("2019-11-06T02:08:20", "2019-11-06T02:08:20"),
    ("4-Apr-21", "2021-04-04T00:00:00"),
])
def test_every_date_format_parses_to_utc(value, expected):
    parsed = parse_dates(pl.Series("d", [value]))
    assert parsed.dtype == pl.Datetime("us", "UTC")
    assert parsed[0].strftime("%Y-%m-%dT%H:%M:%S") == expected


def test_impossible_or_unknown_dates_stay_null_and_are_counted():
    raw = pl.Series("d", ["31 Feb 2020", "someday", "N/A", "", "Mar 9"])
    parsed = parse_dates(raw)
    assert parsed.null_count() == 5
    assert count_unparsed(raw, parsed) == 3  # N/A and empty are "no date", not failures


def test_fast_and_careful_parsers_agree_on_every_sample_file():
    """polars (fast path) and the csv module (careful path) must give the same cells and lines."""
    from inventory.archive import open_source
    from inventory.csvdialect import _fast_path_allowed, _read_with_csv_module, _read_with_polars, decode

    from conftest import SAMPLES

    compared = 0
    for sample in ("Complete_LinkedInDataExport_11-21-2026.zip", "legacy_2024_export.zip"):
        with open_source(SAMPLES / sample) as source:
            for entry in source.entries:
                found = catalogue.match(entry.path)
                if not entry.path.endswith(".csv") or found is None:
                    continue
                data = source.read(entry)
                text, notes, delimiter = decode(data)
                if notes or not _fast_path_allowed(found.spec.quirks, data):
                    continue
                quirks = Quirks(quote_newline_quote=found.spec.quirks.quote_newline_quote,
                                header_marker=found.spec.quirks.header_marker,
                                duplicate_headers_ok=True, trailing_empty_header_ok=True)
                fast = _read_with_polars(data, quirks, "s", entry.path, DEFAULT_LIMITS)
                if fast is None:
                    continue
                careful = _read_with_csv_module(text, delimiter, quirks, "s", entry.path, DEFAULT_LIMITS, [])
                assert fast.header == careful.header, entry.path
                assert fast.rows == careful.rows, entry.path
                assert fast.lines.to_list() == careful.lines.to_list(), entry.path
                compared += 1
    assert compared >= 40


# The polars path is taken from POLARS_MIN_BYTES on; these build files that large, so the
# proof that polars accounted for every line and cell is what they test.
def _big(rows: list[bytes], header: bytes = b'"Date","From","Content"') -> bytes:
    from inventory.csvdialect import POLARS_MIN_BYTES

    body = b"\n".join(rows) + b"\n"
    filler = []
    i = 0
    while len(body) + sum(map(len, filler)) < POLARS_MIN_BYTES:
        filler.append(b'"2026-01-01 00:00:%02d","Camille","message %d"\n' % (i % 60, i))
        i += 1
    return header + b"\n" + body + b"".join(filler)


def _read_both(data: bytes):
    from inventory.csvdialect import _read_with_csv_module, _read_with_polars

    fast = _read_with_polars(data, Quirks(), "s", "m.csv", DEFAULT_LIMITS)
    careful = _read_with_csv_module(data.decode(), ",", Quirks(), "s", "m.csv", DEFAULT_LIMITS, [])
    return fast, careful


def test_all_quoted_short_row_is_not_taken_from_polars():
    fast, careful = _read_both(_big(['"2026-01-02 10:00:00","Élodie","ok"'.encode(), b'"2026-01-02 10:01:00","cut"']))
    assert fast is None  # polars padded it; the careful path reports it
    table = read_table(_big(['"2026-01-02 10:00:00","Élodie","ok"'.encode(), b'"2026-01-02 10:01:00","cut"']),
                       source="s", member="m.csv", limits=DEFAULT_LIMITS)
    assert [p.code for p in table.problems] == ["short-row"] and table.problems[0].line == 3


def test_all_quoted_blank_line_is_not_taken_from_polars():
    fast, _ = _read_both(_big([b'"2026-01-02 10:00:00","A","x"', b"", b'"2026-01-02 10:02:00","B","y"']))
    assert fast is None


def test_all_quoted_file_with_line_breaks_in_cells_keeps_every_line_number():
    data = _big([b'"2026-01-02 10:00:00","A","two\nlines"', b'"2026-01-02 10:01:00","B",""',
                 b'"2026-01-02 10:02:00","C","three\n\nlines"'])
    fast, careful = _read_both(data)
    assert fast is not None and fast.frame.null_count().sum_horizontal()[0] == 0
    assert fast.lines.to_list() == careful.lines.to_list()
    assert fast.rows[:3] == [["2026-01-02 10:00:00", "A", "two\nlines"], ["2026-01-02 10:01:00", "B", ""],
                             ["2026-01-02 10:02:00", "C", "three\n\nlines"]]


def test_unquoted_empty_cells_are_proved_by_the_separator_count_and_read_as_empty():
    data = _big([b"2026-01-02 10:00:00,,x", b"2026-01-02 10:01:00,B,"], header=b"Date,From,Content")
    fast, careful = _read_both(data)
    assert fast is not None and fast.rows[:2] == [["2026-01-02 10:00:00", "", "x"], ["2026-01-02 10:01:00", "B", ""]]
    assert fast.lines.to_list() == careful.lines.to_list()
    short = _big([b"2026-01-02 10:00:00,,x", b"2026-01-02 10:01:00,B"], header=b"Date,From,Content")
    assert _read_both(short)[0] is None
