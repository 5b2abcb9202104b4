"""LinkedIn's CSV dialect and its quirks (docs/export-format.md §2), read into string columns.

Every physical line is accounted for: each record keeps the line it starts on, and every line
that does not become a row is either a known preamble/blank line or a counted Problem
(docs/bad-input.md G7: rows read + rows skipped == data lines). Values are never shown in messages.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from dataclasses import dataclass, field, replace

import polars as pl

from inventory.limits import Limits
from inventory.i18n import t
from inventory.problems import Message, Problem

# One-column headers that are real tables, so a comma-less first line is not "no table".
ONE_COLUMN_HEADERS = frozenset(
    {"name", "profile summary", "supported cause", "member posts about hashtags", "notes:"}
)

_COMMENT_RECORD_START = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


@dataclass(frozen=True)
class Quirks:
    """Per-file repairs, chosen by the catalogue (never guessed from content)."""

    header_marker: frozenset[str] = frozenset()  # skip lines until a row holds all of these
    backslash_escapes: bool = False  # Comments: \" inside quoted fields
    continuation_first_cell: re.Pattern[str] | None = None  # Comments 2024: unquoted line breaks
    free_text_last: bool = False  # SearchQueries: last column unquoted free text, read line by line
    quote_newline_quote: tuple[str, ...] = ()  # Shares ShareCommentary: `"\n"` means a line break
    duplicate_headers_ok: bool = False  # Ad_Targeting: same name three times
    trailing_empty_header_ok: bool = False  # Learning: header ends with a comma
    skip_lines: int = 0  # lines before the header found while reading (not a catalogue setting)


COMMENT_QUIRKS = Quirks(backslash_escapes=True, continuation_first_cell=_COMMENT_RECORD_START)


@dataclass
class Table:
    header: list[str]
    frame: pl.DataFrame  # one String column per header name, one row per record
    lines: pl.Series  # 1-based physical line each row starts on
    problems: list[Problem] = field(default_factory=list)
    not_a_table: bool = False  # e.g. LearningCoachMessages.csv "No conversations found"
    physical_lines: int = 0
    skipped_rows: int = 0

    @property
    def rows(self) -> list[list[str]]:
        return [list(r) for r in self.frame.rows()]

    @classmethod
    def empty(cls, problems: list[Problem], **kw: object) -> "Table":
        return cls([], pl.DataFrame(), pl.Series("line", [], dtype=pl.Int64), problems, **kw)  # type: ignore[arg-type]

    @classmethod
    def from_rows(cls, header: list[str], rows: list[list[str]], lines: list[int], problems: list[Problem],
                  **kw: object) -> "Table":
        columns = list(zip(*rows)) if rows else [()] * len(header)
        frame = pl.DataFrame({f"c{i}": pl.Series(list(v), dtype=pl.String) for i, v in enumerate(columns)})
        frame.columns = header
        return cls(header, frame, pl.Series("line", lines, dtype=pl.Int64), problems, **kw)  # type: ignore[arg-type]


# A decoding note: (code, English detail, values for its catalogue text).
Note = tuple[str, str, dict[str, object]]


class TableRefused(Exception):
    """The table cannot be read at all (header undecodable, unterminated quote...)."""

    def __init__(self, code: str, detail: str, line: int | None = None, key: str | None = None,
                 **values: object) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.line = line
        self.key, self.values = key, values  # for the Problem's catalogue text (Problem.values)


def decode(data: bytes) -> tuple[str, list[Note], str]:
    """Bytes to text. Returns (text, [(code, detail, values)], delimiter). UTF-16 (Excel re-saves) is
    decoded here and never handed to a CSV parser raw (docs/bad-input.md E10)."""
    notes: list[Note] = []
    delimiter = ","
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise TableRefused("bad-encoding", "UTF-16 file cannot be decoded",
                               key="problem.bad-encoding.utf16") from exc
        notes.append(("utf16", "UTF-16 file (an Excel re-save) decoded", {}))
        first = text.split("\n", 1)[0]
        if "\t" in first and "," not in first:
            delimiter = "\t"
        return text, notes, delimiter
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    header_end = data.find(b"\n")
    header_bytes = data if header_end < 0 else data[:header_end]
    try:
        header_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TableRefused("bad-encoding", "header is not valid UTF-8", 1, "problem.bad-encoding.header") from exc
    try:
        return data.decode("utf-8"), notes, delimiter
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    notes.append(("invalid-utf8", f"{replaced} invalid byte sequence(s) replaced by U+FFFD", {"count": replaced}))
    return text, notes, delimiter


def _normalise_text(text: str, notes: list[Note]) -> str:
    if "\x00" in text:
        notes.append(("nul-bytes", f"{text.count(chr(0))} NUL byte(s) replaced by U+FFFD",
                      {"count": text.count(chr(0))}))
        text = text.replace("\x00", "\ufffd")
    if "\r" in text and "\n" not in text:
        notes.append(("cr-line-ends", "old Mac (CR-only) line ends converted", {}))
        text = text.replace("\r", "\n")
    return text


def _clean_header(raw: list[str], quirks: Quirks, source: str, member: str,
                  problems: list[Problem]) -> list[str]:
    header: list[str] = []
    seen: dict[str, int] = {}
    for position, name in enumerate(raw, start=1):
        name = name.strip().strip('"').strip()
        if not name:
            name = f"column_{position}"
            if not (quirks.trailing_empty_header_ok and position == len(raw)):
                problems.append(Problem(source, member, 1, "empty-header",
                                        f"column {position} has no name; kept as {name}",
                                        values={"position": position, "name": name}))
        key = name.casefold()
        if key in seen:
            seen[key] += 1
            if not quirks.duplicate_headers_ok:
                # By position, never by name: a missing header makes a data row the "header".
                first = next(i for i, h in enumerate(raw, start=1) if h.strip().strip('"').strip().casefold() == key)
                raise TableRefused("duplicate-column",
                                   f"duplicate column: columns {first} and {position} have the same name", 1,
                                   first=first, position=position)
            name = f"{name} ({seen[key]})"
        else:
            seen[key] = 1
        header.append(name)
    return header


def read_table(data: bytes, *, source: str, member: str, limits: Limits,
               quirks: Quirks = Quirks()) -> Table:
    """Parse one CSV member. Raises TableRefused when nothing can be read; otherwise every
    skipped or repaired row is a Problem in the result."""
    if len(data) >= POLARS_MIN_BYTES and _fast_path_allowed(quirks, data):
        fast = _read_with_polars(data, quirks, source, member, limits)
        if fast is not None:
            return fast
    text, notes, delimiter = decode(data)
    text = _normalise_text(text, notes)
    problems = [Problem(source, member, None, code, detail, "info" if code == "utf16" else "warning",
                        values=values) for code, detail, values in notes]

    if not re.search(r"\S", text):
        problems.append(Problem(source, member, None, "empty-table", "empty file (no header)",
                                "info", key="problem.empty-table.empty-file"))
        return Table.empty(problems)
    start = re.search(r"\S", text).start()  # type: ignore[union-attr]
    end = text.find("\n", start)
    first_line = text[start:end if end >= 0 else len(text)].strip()
    if _is_sentence(first_line, delimiter, quirks):
        following = text[start:].split("\n", 11)[1:11]
        header_at = next((i for i, line in enumerate(following, start=1) if delimiter in line), None)
        if header_at is None:
            # LearningCoachMessages.csv: a sentence, not a table (docs/export-format.md §6.2). Listed as such.
            return Table.empty(problems, not_a_table=True, physical_lines=text.count("\n") + 1)
        # Lines before a real header: read the table after them, counted as a preamble.
        quirks = replace(quirks, skip_lines=text[:start].count("\n") + header_at)
    return _read_with_csv_module(text, delimiter, quirks, source, member, limits, problems)


def _is_sentence(first_line: str, delimiter: str, quirks: Quirks) -> bool:
    bare = first_line.strip('"')
    return (delimiter not in first_line and " " in bare and bare.casefold() not in ONE_COLUMN_HEADERS
            and not quirks.header_marker)


# Below this size the csv module reads a whole file in less than polars' fixed cost per call
# (about 0.6 ms): most of an export's 60-odd files are a few hundred bytes.
POLARS_MIN_BYTES = 64 * 1024
# A preamble (Connections' "Notes:" block) is looked for in this many records and bytes.
_PREAMBLE_RECORDS = 20
_PREAMBLE_BYTES = 64 * 1024
# Every byte except the two separators: `translate` deletes them in one pass, which is cheaper
# than counting commas and line feeds in two.
_ALL_BUT_SEPARATORS = bytes(b for b in range(256) if b not in b",\n")


def _fast_path_allowed(quirks: Quirks, data: bytes) -> bool:
    """polars parses regular, clean UTF-8 files straight from the bytes (no copy as text);
    repairs that need record-by-record logic, and any byte-level oddity (BOM, NUL, CR-only line
    ends) go to the careful path, which reports them."""
    return (not quirks.backslash_escapes and quirks.continuation_first_cell is None
            and not quirks.free_text_last
            and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
            and b"\x00" not in data and b"\n" in data and data[:1] not in (b"\n", b"\r", b" "))


def _preamble_problem(preamble: int, quirks: Quirks, source: str, member: str) -> Problem:
    known = bool(quirks.header_marker) and preamble <= 4  # the Connections "Notes:" block
    return Problem(source, member, 1, "preamble", f"{preamble} line(s) before the header skipped",
                   "info" if known else "warning", values={"count": preamble})


def _header_start(data: bytes, quirks: Quirks) -> tuple[int, int, int] | None:
    """For a file whose header follows a preamble: the header's byte offset, the physical lines
    before it and the records skipped (counted as the careful path counts them), or None."""
    markers = {m.casefold() for m in quirks.header_marker}
    reader = csv.reader(io.StringIO(data[:_PREAMBLE_BYTES].decode("utf-8", errors="replace"), newline=""))
    records = lines = 0
    try:
        for record in itertools.islice(reader, _PREAMBLE_RECORDS):
            if markers <= {c.strip().casefold() for c in record}:
                offset = 0
                for _ in range(lines):
                    offset = data.index(b"\n", offset) + 1
                return offset, lines, records
            records, lines = records + 1, reader.line_num
    except (csv.Error, ValueError):
        return None
    return None


def _read_with_polars(data: bytes, quirks: Quirks, source: str, member: str,
                      limits: Limits) -> Table | None:
    """Parse with polars, then prove the result accounts for every physical line and every
    field; on any doubt return None and let the csv module read it record by record."""
    skipped_lines = preamble = 0
    if quirks.header_marker:
        found = _header_start(data, quirks)
        if found is None:
            return None
        offset, skipped_lines, preamble = found
        if offset:
            data = data[offset:]
    first_line = data[: data.find(b"\n")].decode("utf-8", errors="replace").strip()
    if "," not in first_line:
        return None  # one-column tables and sentences: the careful path decides
    try:
        # Empty unquoted cells, missing cells and blank lines come out null; a quoted "" is "".
        frame = pl.read_csv(data, has_header=False, infer_schema=False, quote_char='"',
                            empty_string_is_null=True, truncate_ragged_lines=False,
                            raise_if_empty=False, encoding="utf8")
    except Exception:  # invalid UTF-8, ragged or malformed: the careful path says where
        return None
    if frame.height == 0 or frame.width < 2 or frame.width > limits.max_fields:
        return None
    nulls = frame.null_count().sum_horizontal()[0]
    if nulls:
        frame = frame.fill_null("")
    spans = _line_spans(frame, data, bool(nulls), limits)
    if spans is None:
        return None
    physical = int(spans.sum())
    problems: list[Problem] = []
    if preamble:
        problems.append(_preamble_problem(preamble, quirks, source, member))
    header = _clean_header(list(frame.row(0)), quirks, source, member, problems)
    frame = frame.slice(1)
    frame.columns = header
    starts = (spans.cum_sum() - spans + 1 + skipped_lines).slice(1)
    if frame.height > limits.max_rows:
        raise TableRefused("too-many-rows", f"more than {limits.max_rows} rows (limit --max-rows)",
                           limit=limits.max_rows)
    return finish(Table(header, frame, starts.cast(pl.Int64).alias("line"), problems,
                        physical_lines=physical + skipped_lines), quirks, source, member)


def _line_spans(frame: pl.DataFrame, data: bytes, had_nulls: bool, limits: Limits) -> pl.Series | None:
    """The physical lines each record of `frame` (as polars parsed `data`) takes, or None
    where polars may have parsed differently from the careful path.

    polars pads short rows and turns blank lines into rows, silently, but only ever with nulls:
    a table without a null cell has neither (too many cells is an error), so each record took
    exactly one line plus the line breaks inside its cells. Where there were nulls (an unquoted
    empty cell looks the same as a missing one), every separator outside the cells must be
    accounted for: raw commas == commas inside cells + (width - 1) per record, and physical
    lines == the sum over records of 1 + the line breaks inside its cells."""
    cells = pl.all().str
    # (Separate selects: polars runs these faster one by one than side by side.)
    if len(data) > limits.max_line_bytes and \
            frame.select(pl.sum_horizontal(cells.len_bytes()).max()).item() + frame.width > limits.max_line_bytes:
        return None  # an over-long row: the careful path skips and reports it
    spans = frame.select(pl.sum_horizontal(cells.count_matches("\n", literal=True)) + 1).to_series()
    if not had_nulls:
        return spans
    separators = data.translate(None, _ALL_BUT_SEPARATORS)
    commas = separators.count(b",")
    if commas != frame.select(pl.sum_horizontal(cells.count_matches(",", literal=True)).sum()).item() \
            + (frame.width - 1) * frame.height:
        return None
    trailing = 0
    while trailing < len(data) and data[-1 - trailing] in (10, 13):
        trailing += 1
    if int(spans.sum()) != len(separators) - commas - data.count(b"\n", len(data) - trailing) + 1:
        return None
    return spans


def _read_with_csv_module(text: str, delimiter: str, quirks: Quirks, source: str, member: str,
                          limits: Limits, problems: list[Problem]) -> Table:
    """Record by record. A malformed record costs that record only: it is re-read leniently
    where that keeps its fields, else skipped with its line, and reading resumes on the next
    physical line (a record start)."""
    csv.field_size_limit(limits.max_line_bytes)
    records = _Records(text, delimiter, quirks, limits)
    rows = _RowsRead(quirks, limits, source, member, problems)
    for start, record, trouble in records:
        if rows.skipped_for(start, trouble):
            continue
        if rows.header is None:
            if rows.take_header(start, record) and rows.header is not None:
                records.width = len(rows.header)
            continue
        rows.add(start, record, trouble)
    return rows.table(records.line_num)


@dataclass
class _RowsRead:
    """What the careful path has read so far: the header, the rows and their lines, and the
    records skipped or taken as a preamble, each reported in `problems`."""

    quirks: Quirks
    limits: Limits
    source: str
    member: str
    problems: list[Problem]
    header: list[str] | None = None
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    skipped: int = 0
    preamble: int = 0

    def _problem(self, line: int | None, code: str, detail: str, key: str | None = None,
                 **values: object) -> None:
        self.problems.append(Problem(self.source, self.member, line, code, detail, values=values, key=key))

    def skipped_for(self, start: int, trouble: str | None) -> bool:
        """A record too long or malformed is skipped (in the header: the table is refused)."""
        if trouble == "too-long":
            self._problem(start, "line-too-long", f"row longer than {self.limits.max_line_bytes} bytes skipped",
                          "problem.line-too-long.row", limit=self.limits.max_line_bytes)
            self.skipped += 1
            if self.header is None:
                raise TableRefused("line-too-long", "header line too long", start, "problem.line-too-long.header")
            return True
        if trouble == "malformed":
            if self.header is None:
                raise TableRefused("malformed", "unterminated quote or malformed CSV in the header", start)
            self._problem(start, "malformed-row", "malformed quoting (an unterminated or stray quote): row "
                          "skipped, reading resumed on the next line")
            self.skipped += 1
            return True
        return False

    def take_header(self, start: int, record: list[str]) -> bool:
        """Whether `record` is the header (else a preamble line or a blank one)."""
        if start <= self.quirks.skip_lines:
            self.preamble += 1
            return False
        if self.quirks.header_marker:
            cells = {c.strip().casefold() for c in record}
            if not {m.casefold() for m in self.quirks.header_marker} <= cells:
                self.preamble += 1
                return False
        if not record:
            return False
        if len(record) > self.limits.max_fields:
            raise TableRefused("too-many-fields", f"header has {len(record)} columns (limit --max-fields "
                               f"{self.limits.max_fields})", start, count=len(record), limit=self.limits.max_fields)
        self.header = _clean_header(record, self.quirks, self.source, self.member, self.problems)
        return True

    def add(self, start: int, record: list[str], trouble: str | None) -> None:
        """A data record: kept (short ones padded), joined to the previous one (a Comments
        continuation line) or skipped (blank, or more fields than the header)."""
        assert self.header is not None
        if trouble == "repaired":
            self._problem(start, "stray-quote", "a quote inside an unquoted field: read as written")
        if not record or (len(record) == 1 and not record[0].strip()):
            return  # blank line
        if self.quirks.continuation_first_cell is not None and self.rows and \
                not self.quirks.continuation_first_cell.match(record[0]):
            # A Comments line that does not start with a timestamp continues the previous message.
            self.rows[-1][-1] += "\n" + ",".join(record)
            return
        width = len(self.header)
        if len(record) > width:
            self._problem(start, "ragged-row", f"row has {len(record)} fields, header has {width}; row skipped",
                          fields=len(record), width=width)
            self.skipped += 1
            return
        if len(record) < width:
            self._problem(start, "short-row", f"row has {len(record)} of {width} fields; missing ones left empty",
                          fields=len(record), width=width)
            record = record + [""] * (width - len(record))
        self.rows.append(record)
        self.lines.append(start)
        if len(self.rows) > self.limits.max_rows:
            raise TableRefused("too-many-rows", f"more than {self.limits.max_rows} rows (limit --max-rows)", start,
                               limit=self.limits.max_rows)

    def table(self, physical_lines: int) -> Table:
        if self.header is None:
            if self.quirks.header_marker:
                expected = ", ".join(sorted(self.quirks.header_marker))
                raise TableRefused("missing-header", f"expected column(s) {expected} not found in any header row",
                                   columns=expected)
            self.problems.append(Problem(self.source, self.member, None, "empty-table", "no header", "info",
                                         key="problem.empty-table.no-header"))
            return Table.empty(self.problems, physical_lines=physical_lines)
        if self.preamble:
            self.problems.append(_preamble_problem(self.preamble, self.quirks, self.source, self.member))
        table = Table.from_rows(self.header, self.rows, self.lines, self.problems, physical_lines=physical_lines,
                                skipped_rows=self.skipped)
        # Its blank rows are known from the Python lists: a polars query per small table would
        # cost more than reading it (about 0.6 ms a table, 70 tables in an export).
        return finish(table, self.quirks, self.source, self.member, blank=[not any(row) for row in self.rows])


class _Records:
    """(start line, cells, trouble) for each record of `text`; trouble is None, "repaired"
    (a stray quote read leniently), "malformed" (the record is skipped) or "too-long".

    After a malformed record, reading resumes on the physical line after the record's first
    one, so one stray quote never swallows the rest of the file."""

    def __init__(self, text: str, delimiter: str, quirks: Quirks, limits: Limits) -> None:
        self.text, self.delimiter, self.quirks, self.limits = text, delimiter, quirks, limits
        self.width = 0  # the header's, once known (free-text files split on it)
        self.line_num = 0  # physical lines consumed so far
        self._starts: list[int] | None = None  # offset of each physical line, built on first need

    def _reader(self, offset: int, strict: bool = True) -> "csv._reader":
        return csv.reader(io.StringIO(self.text[offset:], newline=""), delimiter=self.delimiter, quotechar='"',
                          doublequote=True, escapechar="\\" if self.quirks.backslash_escapes else None,
                          strict=strict)

    def _offset(self, line: int) -> int:
        """Character offset of physical line `line` (1-based)."""
        if self._starts is None:
            self._starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        return self._starts[line - 1] if line - 1 < len(self._starts) else len(self.text)

    def __iter__(self):
        base = 0  # physical lines before the current reader's text
        reader = self._reader(0)
        while True:
            start = self.line_num + 1
            if self.quirks.free_text_last and self.width:
                yield from self._free_text(start)
                return
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    self.line_num = base + reader.line_num
                    yield start, [], "too-long"
                    continue
                record, span = self._lenient(start)
                if record is not None:
                    self.line_num = start + span - 1
                    yield start, record, "repaired"
                else:
                    self.line_num = start
                    yield start, [], "malformed"
                base = self.line_num
                reader = self._reader(self._offset(self.line_num + 1))
                continue
            self.line_num = base + reader.line_num
            yield start, record, None

    def _lenient(self, start: int) -> tuple[list[str] | None, int]:
        """The record at line `start` read without strict quoting, if that gives a record of the
        header's width that ends before the text does (an unterminated quote would run to the
        end): `"data" engineer` is kept as `data engineer`."""
        reader = self._reader(self._offset(start), strict=False)
        try:
            record = next(reader)
        except (csv.Error, StopIteration):
            return None, 0
        span = reader.line_num
        ends_early = self._offset(start + span) < len(self.text) or span == 1
        if self.width and len(record) == self.width and ends_early:
            return record, span
        return None, 0

    def _free_text(self, first: int):
        """Line by line: the first `width - 1` cells at the delimiter, the rest of the line is the
        last cell as written (quotes included)."""
        for number, line in enumerate(self.text[self._offset(first):].split("\n"), start=first):
            self.line_num = number
            line = line.rstrip("\r")
            if not line.strip():
                continue
            if len(line) > self.limits.max_line_bytes:
                yield number, [], "too-long"
                continue
            yield number, line.split(self.delimiter, self.width - 1), None


_NOT_IN_KEY = re.compile(r"[\W_]+")


def column_key(name: str) -> str:
    """`Share Commentary`, `ShareCommentary`, `createdTime` and `CreatedTime` differ between eras
    only in case, spaces and punctuation (docs/export-format.md §2.9, §4): header names are compared by this."""
    return _NOT_IN_KEY.sub("", name.casefold())


def _remove_quote_newline_quote(column: pl.Series) -> pl.Series:
    """Shares: each line break is written `"` + break + `"`. One pass replaces every separate
    occurrence (an empty line, `"\n""\n"`, is two of them); a line that ends and the next that
    starts with a quote mark (`.""\n""x`) leaves one more, so passes repeat until none is left."""
    while column.str.contains('"\r?\n"').any():
        column = column.str.replace_all('"\r?\n"', "\n")
    return column


def finish(table: Table, quirks: Quirks, source: str, member: str, blank: list[bool] | None = None) -> Table:
    """What every table gets, whichever parser read it: the quote-newline-quote repair, rows
    whose every cell is empty reported and dropped (they describe nothing), the empty-table
    notice. `blank`: which rows have every cell empty, if the parser knows (the repair never
    empties a cell)."""
    frame, lines = table.frame, table.lines
    if frame.width and frame.height:
        repaired = {column_key(n) for n in quirks.quote_newline_quote}
        for name in (h for h in table.header if column_key(h) in repaired):
            frame = frame.with_columns(_remove_quote_newline_quote(frame.get_column(name)))
        if blank is None:
            empty = pl.sum_horizontal(pl.all().str.len_bytes()) == 0  # null cells count 0 bytes
            blank_rows = frame.select(empty.alias("e")).to_series()
        else:
            blank_rows = pl.Series("e", blank, dtype=pl.Boolean)
        if blank_rows.any():
            where = lines.filter(blank_rows).to_list()
            values = {"count": len(where), "lines": _line_list(where)}
            table.problems.append(Problem(source, member, where[0], "empty-row", t("problem.empty-row", "en", **values),
                                          "info", values=values))
            frame, lines = frame.filter(~blank_rows), lines.filter(~blank_rows)
            table.skipped_rows += len(where)
    if table.header and frame.height == 0:
        table.problems.append(Problem(source, member, None, "empty-table", "header only, no rows", "info",
                                      key="problem.empty-table.no-rows"))
    table.frame, table.lines = frame, lines
    return table


def _line_list(lines: list[int], most: int = 10) -> str | Message:
    """The first `most` line numbers, then how many more, in the member's language when shown."""
    shown = ", ".join(str(n) for n in lines[:most])
    if len(lines) <= most:
        return shown
    return Message("problem.lines-and-more", {"lines": shown, "count": len(lines) - most})
