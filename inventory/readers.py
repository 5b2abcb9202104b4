"""From one archive member's bytes to items in ITEM_SCHEMA, driven by its catalogue FileSpec."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from dataclasses import dataclass, field
from typing import Callable

import polars as pl
from selectolax.lexbor import LexborHTMLParser

from inventory.catalogue import FileSpec
from inventory.csvdialect import Table, TableRefused, read_table
from inventory.dates import count_unparsed, parse_dates
from inventory.items import ITEM_SCHEMA, conform, empty_items, hash_ids, item_id, items_frame, key_expr
from inventory.limits import Limits
from inventory.problems import Problem


@dataclass
class Reading:
    items: pl.DataFrame
    rows: int  # data rows (or files, for HTML) read
    problems: list[Problem] = field(default_factory=list)
    not_a_table: bool = False


# --- text helpers -----------------------------------------------------------------------

_BLOCK_END = re.compile(r"(?i)<br\s*/?>|</(p|div|li|h[1-6]|blockquote|tr)>")
_HTMLISH = re.compile(r"<[A-Za-z/!][^>]*>|&[#\w]+;")


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: block ends become line breaks, entities decoded, scripts
    and styles dropped. Nothing is fetched or executed (selectolax only parses)."""
    if not _HTMLISH.search(html):
        return html
    tree = LexborHTMLParser(_BLOCK_END.sub(lambda m: m.group(0) + "\n", html))
    for node in tree.css("script, style, head"):
        node.decompose()
    root = tree.body or tree.root
    text = root.text(deep=True) if root is not None else ""
    text = text.replace("\xa0", " ")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- the readers (vectorised over the table's polars frame) ----------------------------------

_URL_ESCAPES = (["%3A", "%3a", "%28", "%29", "%2C", "%2c"], [":", ":", "(", ")", ",", ","])
_URN_PATTERN = r"urn:li:([A-Za-z]+:[\w\-]+(?:\([^)]*\))?)"


class _Columns:
    """Expressions over a parsed Table, tolerant of absent columns (headers vary by era)."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.names = {name.casefold(): name for name in table.header}

    def has(self, name: str) -> bool:
        return name.casefold() in self.names

    def raw(self, name: str) -> pl.Expr:
        real = self.names.get(name.casefold())
        return pl.col(real) if real is not None else pl.lit("", dtype=pl.String)

    def first_present(self, names: tuple[str, ...]) -> str | None:
        return next((self.names[n.casefold()] for n in names if self.has(n)), None)


def _non_empty(expr: pl.Expr) -> pl.Expr:
    stripped = expr.str.strip_chars()
    return pl.when(stripped != "").then(stripped)


def _joined(cols: _Columns, names: tuple[str, ...], sep: str) -> pl.Expr:
    present = [_non_empty(cols.raw(n)) for n in names if cols.has(n)]
    if not present:
        return pl.lit("", dtype=pl.String)
    return pl.concat_str(present, separator=sep, ignore_nulls=True).fill_null("")


def _urn(expr: pl.Expr) -> pl.Expr:
    decoded = expr.str.replace_many(*_URL_ESCAPES)
    return pl.coalesce(decoded.str.extract(_URN_PATTERN, 1), decoded.str.strip_chars())


def _key_parts(spec: FileSpec, cols: _Columns) -> list[pl.Expr]:
    parts: list[pl.Expr] = []
    for key in spec.key:
        if key == "@text":
            parts.append(pl.col("text"))
        elif key.startswith("@urn:"):
            parts.append(_urn(cols.raw(key[5:])))
        elif cols.has(key):
            column = cols.raw(key)
            if "url" in key.lower() or key.lower() in ("link", "saveditem"):
                column = column.str.replace_many(*_URL_ESCAPES).str.strip_chars().str.strip_chars_end("/")
            parts.append(column)
    if not parts:  # no identity column: the whole row is the identity
        parts = [cols.raw(name) for name in cols.table.header]
    return parts


def _html_column(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    """HTML to text only on the rows that hold markup or entities (Python per such row)."""
    mask = frame[name].str.contains(_HTMLISH.pattern)
    if not mask.any():
        return frame
    rows = mask.arg_true()
    converted = [html_to_text(v) for v in frame[name].gather(rows).to_list()]
    return frame.with_columns(frame[name].scatter(rows, converted))


# Dates of one's own history (jobs, studies...) may be old; everything LinkedIn itself recorded
# (activity, messages, connections...) is from its launch in 2003 on. Earlier values are kept as
# text and counted, never trusted (reference case 50); scan.py applies the upper bound, the
# export's own date.
HISTORY_KINDS = frozenset({
    "position", "education", "certification", "honor", "project", "publication", "patent",
    "volunteering", "course", "organization", "test-score", "language",
})
_EARLIEST = {True: datetime(1900, 1, 1, tzinfo=timezone.utc), False: datetime(2003, 1, 1, tzinfo=timezone.utc)}


def _dates(series: pl.Series, source: str, member: str, column: str,
           kind: str) -> tuple[pl.Series, list[Problem]]:
    parsed = parse_dates(series)
    implausible = parsed < _EARLIEST[kind in HISTORY_KINDS]
    if implausible.any():
        parsed = parsed.set(implausible.fill_null(False), None)
    problems = []
    bad = count_unparsed(series, parsed)
    if bad:
        problems.append(Problem(source, member, None, "unparsed-date",
                                f"{bad} value(s) of column {column!r} in no known date format or "
                                "outside plausible years; kept as text in the item's fields"))
    return parsed, problems


def _fields_json(table: Table) -> pl.Expr:
    """The original cells of each row as a JSON object."""
    if not table.header:
        return pl.lit("{}")
    return pl.struct([pl.col(name) for name in table.header]).struct.json_encode()


def read_rows(spec: FileSpec, table: Table, source: str, member: str) -> Reading:
    cols = _Columns(table)
    frame = table.frame
    for name in spec.html:
        if cols.has(name):
            frame = _html_column(frame, cols.names[name.casefold()])
    problems: list[Problem] = []
    date_col = cols.first_present(spec.date)
    date = None
    if date_col is not None:
        date, problems = _dates(frame[date_col], source, member, date_col, spec.kind)
    urls = [_non_empty(cols.raw(n)) for n in spec.url if cols.has(n)]
    url = pl.coalesce(urls) if urls else pl.lit(None, dtype=pl.String)
    url = pl.when(url.str.starts_with("www.")).then(pl.lit("https://") + url).otherwise(url)
    if spec.field is None:
        field_expr = pl.lit(None, dtype=pl.String)
    elif spec.field.startswith("@column:"):
        field_expr = pl.lit(spec.field[8:])
    else:
        field_expr = cols.raw(spec.field)
    visibility = cols.raw(spec.visibility) if spec.visibility and cols.has(spec.visibility) \
        else pl.lit(None, dtype=pl.String)
    built = frame.lazy().with_columns(
        _joined(cols, spec.title, " ").alias("title"),
        _joined(cols, spec.text, "\n").alias("text"),
    ).select(
        pl.lit(member).alias("source"),
        pl.lit(spec.kind).alias("kind"),
        pl.lit(spec.id).alias("file_kind"),
        field_expr.alias("field"),
        pl.col("title"), pl.col("text"),
        url.alias("url"),
        visibility.alias("visibility"),
        _fields_json(table).alias("fields"),
        key_expr(_key_parts(spec, cols)).alias("__key"),
    ).collect()
    del frame
    scope = spec.id if spec.kind == "unknown" else ""
    ids = hash_ids(spec.kind, pl.Series([scope] * built.height, dtype=pl.String) + "\x1f" + built["__key"]) \
        if scope else hash_ids(spec.kind, built["__key"])
    built = built.drop("__key").with_columns(ids, table.lines.alias("line"),
                                              (date if date is not None else pl.Series("date", [None] * built.height,
                                                                                        dtype=ITEM_SCHEMA["date"])).alias("date"),
                                              pl.lit(None, dtype=pl.String).alias("parent"))
    return Reading(conform(built), built.height, problems)


def read_fields(spec: FileSpec, table: Table, source: str, member: str) -> Reading:
    """One item per non-empty cell: members edit profile fields one at a time."""
    if not table.header or table.frame.height == 0:
        return Reading(empty_items(), table.frame.height)
    long = (table.frame.with_columns(table.lines.alias("line"))
            .unpivot(index="line", variable_name="field", value_name="value")
            .filter(pl.col("value").str.strip_chars() != ""))
    values = [html_to_text(v.strip()) if "<" in v else v.strip() for v in long["value"].to_list()]
    keys = long.select(key_expr([pl.lit(spec.id), pl.col("field")]).alias("k"))["k"]
    built = long.with_columns(
        hash_ids(spec.kind, keys),
        pl.Series("text", values, dtype=pl.String),
        pl.col("field").alias("title"),
        pl.lit(member).alias("source"), pl.lit(spec.kind).alias("kind"), pl.lit(spec.id).alias("file_kind"),
        pl.struct([pl.col("value").alias("v")]).struct.json_encode().alias("fields"),
    )
    # the JSON object is {field: value}
    built = built.with_columns(pl.Series("fields", [json.dumps({f: v}, ensure_ascii=False) for f, v in
                                                    zip(built["field"].to_list(), built["value"].to_list())],
                                         dtype=pl.String))
    return Reading(conform(built), table.frame.height)


def read_messages(spec: FileSpec, table: Table, source: str, member: str) -> Reading:
    reading = read_rows(spec, table, source, member)
    cols = _Columns(table)
    if reading.items.height == 0:
        return reading
    extra = table.frame.with_columns(
        pl.concat_str([_non_empty(cols.raw("FROM")), _non_empty(cols.raw("TO"))], separator=" → ",
                      ignore_nulls=True).fill_null("").alias("fallback"),
        pl.when(cols.raw("CONVERSATION ID").str.strip_chars() != "")
        .then(pl.lit("https://www.linkedin.com/messaging/thread/") + cols.raw("CONVERSATION ID").str.strip_chars()
              + pl.lit("/")).alias("thread"),
    ).select("fallback", "thread")
    reading.items = reading.items.with_columns(
        pl.when(pl.col("title") == "").then(extra["fallback"]).otherwise(pl.col("title")).alias("title"),
        extra["thread"].alias("url"),
    )
    return reading


def _split_answers(raw: str) -> list[tuple[str, str]]:
    """`Question?:Answer | Question:Answer`: cut each pair at the first `?:`, else the first `:`
    (answers may be URLs holding colons)."""
    pairs = []
    for chunk in raw.split("|"):
        chunk = chunk.strip()
        if not chunk:
            continue
        if "?:" in chunk:
            question, answer = chunk.split("?:", 1)
            question += "?"
        elif ":" in chunk:
            question, answer = chunk.split(":", 1)
        else:
            question, answer = chunk, ""
        pairs.append((question.strip(), answer.strip()))
    return pairs


def read_applications(spec: FileSpec, table: Table, source: str, member: str) -> Reading:
    """Each job application, plus one sub-item per question/answer pair, so that a salary answer
    can be told apart from the rest of the application."""
    reading = read_rows(spec, table, source, member)
    cols = _Columns(table)
    raw = table.frame.with_columns(cols.raw("Question And Answers").alias("qa"), cols.raw("Job Url").alias("job"),
                                   cols.raw("Application Date").alias("applied")).select("qa", "job", "applied")
    parents = reading.items.select("id", "date", "url", "line")
    records: dict[str, list[object]] = {k: [] for k in ("question", "answer", "job", "applied", "parent",
                                                         "date", "url", "line")}
    for (parent_id, date, url, line), (qa, job, applied) in zip(parents.rows(), raw.rows()):
        for question, answer in _split_answers(qa):
            for name, value in (("question", question), ("answer", answer), ("job", job), ("applied", applied),
                                ("parent", parent_id), ("date", date), ("url", url), ("line", line)):
                records[name].append(value)
    if not records["question"]:
        return reading
    subs = pl.DataFrame({
        "question": pl.Series(records["question"], dtype=pl.String),
        "answer": pl.Series(records["answer"], dtype=pl.String),
        "job": pl.Series(records["job"], dtype=pl.String), "applied": pl.Series(records["applied"], dtype=pl.String),
        "parent": pl.Series(records["parent"], dtype=pl.String),
        "date": pl.Series(records["date"], dtype=ITEM_SCHEMA["date"]),
        "url": pl.Series(records["url"], dtype=pl.String), "line": pl.Series(records["line"], dtype=pl.Int64),
    })
    keys = subs.select(key_expr([pl.col("job"), pl.col("applied"), pl.col("question")]).alias("k"))["k"]
    subs = subs.with_columns(
        hash_ids("job-application-answer", keys),
        pl.lit(member).alias("source"), pl.lit("job-application-answer").alias("kind"),
        pl.lit(spec.id).alias("file_kind"), pl.col("question").alias("field"), pl.col("question").alias("title"),
        pl.col("answer").alias("text"),
        pl.struct(pl.col("question").alias("Question"), pl.col("answer").alias("Answer")).struct.json_encode()
        .alias("fields"),
    )
    reading.items = pl.concat([reading.items, conform(subs)])
    return reading


def read_generic(spec: FileSpec, table: Table, source: str, member: str) -> Reading:
    """A file the catalogue does not know: every row kept as an `unknown` item, its id scoped by
    the file's name."""
    date_cols = tuple(h for h in table.header if re.search(r"(?i)date|time|\bon$|\bat$", h))
    stem = member.rsplit("/", 1)[-1]
    generic = FileSpec(stem, "unknown", date=date_cols, title=tuple(table.header[:1]),
                       text=tuple(table.header))
    reading = read_rows(generic, table, source, member)
    reading.items = reading.items.with_columns(pl.lit("unknown").alias("file_kind"))
    return reading


_PUBLISHED = re.compile(r"Published on\s+(\d{4}-\d{2}-\d{2} \d{2}:\d{2})")
_CREATED = re.compile(r"Created on\s+(\d{4}-\d{2}-\d{2} \d{2}:\d{2})")
_DRAFT_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2})_(\d{2})_(\d{2})\.0-(.*)\.html?$", re.I)


def read_article(spec: FileSpec, data: bytes, source: str, member: str, limits: Limits) -> Reading:
    if len(data) > limits.max_html_bytes:
        return Reading(empty_items(), 0, [Problem(source, member, None, "article-skipped",
                       f"article larger than {limits.max_html_bytes} bytes skipped "
                       "(limit --max-html-bytes)")])
    html = data.decode("utf-8", errors="replace")
    if html.lower().count("<div") > 2000:
        return Reading(empty_items(), 0, [Problem(source, member, None, "article-skipped",
                       "article nested too deeply; skipped")])
    tree = LexborHTMLParser(html)
    h1 = tree.css_first("h1")
    title = h1.text(deep=True).strip() if h1 is not None else ""
    link = tree.css_first("h1 a")
    url = link.attributes.get("href") if link is not None else None
    if url and not url.startswith("https://www.linkedin.com/"):
        url = None  # only LinkedIn's own article links are kept as the item's link
    created = tree.css_first("p.created")
    published = tree.css_first("p.published")
    stamp = None
    for node, pattern in ((published, _PUBLISHED), (created, _CREATED)):
        if node is not None and (found := pattern.search(node.text())):
            stamp = found.group(1)
            break
    name = member.rsplit("/", 1)[-1]
    draft = _DRAFT_NAME.match(name)
    if stamp is None and draft:
        stamp = f"{draft.group(1)} {draft.group(2)}:{draft.group(3)}"
    for node in tree.css("h1, p.created, p.published, script, style, head"):
        node.decompose()
    images = [img.attributes.get("src") or "" for img in tree.css("img")]
    body = tree.body.html if tree.body is not None else ""
    text = html_to_text(body or "")
    is_draft = url is None
    date = parse_dates(pl.Series("d", [stamp], dtype=pl.String))
    key = url if url else name.rsplit(".", 1)[0]
    frame = items_frame([{
        "id": item_id("article", key), "source": member, "line": 1, "kind": "article",
        "file_kind": "articles", "date": date[0], "title": title or (draft.group(5) if draft else name),
        "text": text, "url": url, "visibility": "DRAFT" if is_draft else None,
        "fields": json.dumps({"file": name, "draft": is_draft, "images": images}, ensure_ascii=False),
    }])
    return Reading(frame, 1)


TABLE_READERS: dict[str, Callable[[FileSpec, Table, str, str], Reading]] = {
    "rows": read_rows, "fields": read_fields, "messages": read_messages,
    "applications": read_applications, "generic": read_generic,
}


def read_member(spec: FileSpec, data: bytes, *, source: str, member: str, limits: Limits) -> Reading:
    """Read one member. A table that cannot be read at all gives an error Problem and no items;
    the scan goes on with the other files."""
    if spec.reader == "article":
        return read_article(spec, data, source, member, limits)
    try:
        table = read_table(data, source=source, member=member, limits=limits, quirks=spec.quirks)
    except TableRefused as refused:
        return Reading(empty_items(), 0, [Problem(source, member, refused.line, refused.code,
                                                  refused.detail, "error")])
    if table.not_a_table:
        return Reading(empty_items(), 0, table.problems + [Problem(
            source, member, None, "not-a-table", "holds a sentence, not a table: no data", "info")],
            not_a_table=True)
    if not table.header:  # empty file: nothing to build items from (the table says why)
        return Reading(empty_items(), 0, table.problems)
    if spec.id == "rich_media" and [h.casefold() for h in table.header] == ["type", "link"]:
        # 2024 `Rich Media.csv`: two fixed rows pointing to download pages, not member items.
        return Reading(empty_items(), table.frame.height, table.problems + [Problem(
            source, member, None, "download-links", f"{table.frame.height} row(s) are links to LinkedIn's "
            "media download pages, not items", "info")])
    reading = TABLE_READERS[spec.reader](spec, table, source, member)
    reading.problems = table.problems + reading.problems
    if spec.id == "connections":
        reading = _drop_hidden_connections(reading, source, member)
    if table.skipped_rows:
        reading.rows += table.skipped_rows
    return reading


def _drop_hidden_connections(reading: Reading, source: str, member: str) -> Reading:
    """`,,,,,,14 Mar 2025` rows are members who hid or closed their profile: counted, not people."""
    items = reading.items
    hidden = (pl.col("title") == "") & (pl.col("text") == "") & pl.col("url").is_null()
    count = items.filter(hidden).height
    if count:
        reading.items = items.filter(~hidden)
        reading.problems.append(Problem(source, member, None, "hidden-connections",
                                        f"{count} row(s) with only a date: hidden or closed profiles, "
                                        "counted but not listed as people", "info"))
    return reading
