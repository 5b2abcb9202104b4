"""LinkedIn's CSV dialect and its quirks (format reference §2), read into string columns.

Every physical line is accounted for: each record keeps the line it starts on, and every line
that does not become a row is either a known preamble/blank line or a counted Problem
(G7: rows read + rows skipped == data lines). Values are never shown in messages.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field

from inventory.limits import Limits
from inventory.problems import Problem

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
    join_extra_cells: bool = False  # SearchQueries: unquoted commas in the last column
    quote_newline_quote: tuple[str, ...] = ()  # Shares ShareCommentary: `"\n"` means a line break
    duplicate_headers_ok: bool = False  # Ad_Targeting: same name three times
    trailing_empty_header_ok: bool = False  # Learning: header ends with a comma


COMMENT_QUIRKS = Quirks(backslash_escapes=True, continuation_first_cell=_COMMENT_RECORD_START)


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    lines: list[int]  # 1-based physical line each row starts on
    problems: list[Problem] = field(default_factory=list)
    not_a_table: bool = False  # e.g. LearningCoachMessages.csv "No conversations found"
    physical_lines: int = 0
    skipped_rows: int = 0

    def column(self, name: str) -> list[str]:
        i = self.header.index(name)
        return [r[i] for r in self.rows]


class TableRefused(Exception):
    """The table cannot be read at all (header undecodable, unterminated quote...)."""

    def __init__(self, code: str, detail: str, line: int | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.line = line


def decode(data: bytes) -> tuple[str, list[tuple[str, str]], str]:
    """Bytes to text. Returns (text, [(code, detail)], delimiter). UTF-16 (Excel re-saves) is
    decoded here and never handed to a CSV parser raw (E10)."""
    notes: list[tuple[str, str]] = []
    delimiter = ","
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise TableRefused("bad-encoding", "UTF-16 file cannot be decoded") from exc
        notes.append(("utf16", "UTF-16 file (an Excel re-save) decoded"))
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
        raise TableRefused("bad-encoding", "header is not valid UTF-8", 1) from exc
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    if replaced > 0:
        notes.append(("invalid-utf8", f"{replaced} invalid byte sequence(s) replaced by U+FFFD"))
    return text, notes, delimiter


def _normalise_text(text: str, notes: list[tuple[str, str]]) -> str:
    if "\x00" in text:
        notes.append(("nul-bytes", f"{text.count(chr(0))} NUL byte(s) replaced by U+FFFD"))
        text = text.replace("\x00", "\ufffd")
    if "\r" in text and "\n" not in text:
        notes.append(("cr-line-ends", "old Mac (CR-only) line ends converted"))
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
                                        f"column {position} has no name; kept as {name}"))
        key = name.casefold()
        if key in seen:
            seen[key] += 1
            if not quirks.duplicate_headers_ok:
                raise TableRefused("duplicate-column", f"duplicate column name {name!r}", 1)
            name = f"{name} ({seen[key]})"
        else:
            seen[key] = 1
        header.append(name)
    return header


def read_table(data: bytes, *, source: str, member: str, limits: Limits,
               quirks: Quirks = Quirks()) -> Table:
    """Parse one CSV member. Raises TableRefused when nothing can be read; otherwise every
    skipped or repaired row is a Problem in the result."""
    text, notes, delimiter = decode(data)
    text = _normalise_text(text, notes)
    problems = [Problem(source, member, None, code, detail, "info" if code == "utf16" else "warning")
                for code, detail in notes]

    stripped = text.strip()
    if not stripped:
        problems.append(Problem(source, member, None, "empty-table", "empty file (no header)",
                                "info"))
        return Table([], [], [], problems, physical_lines=0)
    first_line = stripped.split("\n", 1)[0].strip()
    bare = first_line.strip('"')
    if (delimiter not in first_line and " " in bare and bare.casefold() not in ONE_COLUMN_HEADERS
            and not quirks.header_marker):
        # LearningCoachMessages.csv: a sentence, not a table (reference §6.2). Listed as such.
        return Table([], [], [], problems, not_a_table=True, physical_lines=text.count("\n") + 1)

    csv.field_size_limit(limits.max_line_bytes)
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=delimiter,
        quotechar='"',
        doublequote=True,
        escapechar="\\" if quirks.backslash_escapes else None,
        strict=True,
    )
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    skipped = 0
    prev_line = 0
    preamble = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            start = prev_line + 1
            message = str(exc)
            if "field larger than field limit" in message:
                # Skip the oversized record: resynchronise on the next physical line.
                problems.append(Problem(source, member, start, "line-too-long",
                                        f"row longer than {limits.max_line_bytes} bytes skipped"))
                skipped += 1
                if header is None:
                    raise TableRefused("line-too-long", "header line too long", start) from exc
                prev_line = reader.line_num
                continue
            raise TableRefused("malformed", "unterminated quote or malformed CSV", start) from exc
        start, prev_line = prev_line + 1, reader.line_num
        if header is None:
            if quirks.header_marker:
                cells = {c.strip().casefold() for c in record}
                if not {m.casefold() for m in quirks.header_marker} <= cells:
                    preamble += 1
                    continue
            if not record:
                continue
            if len(record) > limits.max_fields:
                raise TableRefused("too-many-fields",
                                   f"header has {len(record)} columns (limit --max-fields "
                                   f"{limits.max_fields})", start)
            header = _clean_header(record, quirks, source, member, problems)
            continue
        if not record or (len(record) == 1 and not record[0].strip()):
            continue  # blank line
        if quirks.continuation_first_cell is not None and rows and \
                not quirks.continuation_first_cell.match(record[0]):
            # A Comments line that does not start with a timestamp continues the previous message.
            rows[-1][-1] += "\n" + ",".join(record)
            continue
        width = len(header)
        if len(record) > width:
            if quirks.join_extra_cells:
                record = record[: width - 1] + [",".join(record[width - 1:])]
            else:
                problems.append(Problem(source, member, start, "ragged-row",
                                        f"row has {len(record)} fields, header has {width}; "
                                        "row skipped"))
                skipped += 1
                continue
        elif len(record) < width:
            problems.append(Problem(source, member, start, "short-row",
                                    f"row has {len(record)} of {width} fields; missing ones "
                                    "left empty"))
            record = record + [""] * (width - len(record))
        rows.append(record)
        lines.append(start)
        if len(rows) > limits.max_rows:
            raise TableRefused("too-many-rows", f"more than {limits.max_rows} rows "
                               "(limit --max-rows)", start)
    if header is None:
        if quirks.header_marker:
            raise TableRefused("missing-header", "expected header row not found")
        problems.append(Problem(source, member, None, "empty-table", "no header", "info"))
        return Table([], [], [], problems, physical_lines=prev_line)
    if quirks.quote_newline_quote:
        for name in quirks.quote_newline_quote:
            if name in header:
                i = header.index(name)
                for row in rows:
                    if '"\n"' in row[i] or '"\r\n"' in row[i]:
                        row[i] = row[i].replace('"\r\n"', "\n").replace('"\n"', "\n")
    if not rows:
        problems.append(Problem(source, member, None, "empty-table", "header only, no rows",
                                "info"))
    return Table(header, rows, lines, problems, physical_lines=prev_line, skipped_rows=skipped)
