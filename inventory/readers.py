"""From one archive member's bytes to its items, driven by its catalogue FileSpec.

A reader does not collect its items: it returns a lazy projection of the member's parsed table
onto STAGE_SCHEMA (the item columns, with the date as written). assemble.py collects a group of
members' projections in one go and parses their dates: per-member polars calls are what made 64
small files cost more than the one big one. The parsed table itself is kept as the items'
original cells (`Reading.original`), never copied into each item.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Callable

import polars as pl
from selectolax.lexbor import LexborHTMLParser

from inventory.catalogue import FileSpec, column_key, known_columns
from inventory.csvdialect import Table, TableRefused, read_table
from inventory.items import ITEM_SCHEMA, id_expr, key_digest, key_expr
from inventory.limits import Limits
from inventory.problems import Problem

# What a reader hands to assemble.py: the item columns (the date not yet parsed), the date as
# written, and whether the text may hold markup.
STAGE_SCHEMA: dict[str, pl.DataType] = {
    **{name: dtype for name, dtype in ITEM_SCHEMA.items() if name != "date"},
    "date_raw": pl.String(),
    "html": pl.Boolean(),
}


@dataclass
class Reading:
    items: pl.LazyFrame  # STAGE_SCHEMA, not yet collected
    rows: int  # data rows (or files, for HTML) read
    problems: list[Problem] = field(default_factory=list)
    original: pl.DataFrame | None = None  # the member's cells: the items' original fields
    date_column: str | None = None  # named in "unparsed date" warnings
    not_a_table: bool = False
    # An article's one item and its cells as plain values (ARTICLE_RECORD, ARTICLE_CELLS), staged with the other articles of
    # its group in one frame (staged_articles): thousands of one-row frames cost seconds to concat.
    record: dict[str, str | None] | None = None


def empty_stage() -> pl.LazyFrame:
    return pl.LazyFrame(schema=STAGE_SCHEMA)


_NO_STAGE = empty_stage()  # an article's: its item is staged from its record (staged_articles)


_DIGEST = "\x00digest"  # no header can hold a NUL (such files take the careful path)


def staged(frame: pl.LazyFrame, *, key: pl.Expr, **columns: pl.Expr) -> pl.LazyFrame:
    """The STAGE_SCHEMA columns, from `columns` where given, else null, and the id from `key`
    (see items.key_expr) and `columns["kind"]`. (Named explicitly: asking a lazy frame for its
    schema costs a planning pass per member.)"""
    columns["id"] = id_expr(columns["kind"], pl.col(_DIGEST))
    return frame.with_columns(key_digest(key).alias(_DIGEST)).select(
        [columns[name].alias(name) if name in columns else pl.lit(None, dtype=dtype).alias(name)
         for name, dtype in STAGE_SCHEMA.items()])


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



# --- the readers (lazy projections of the member's polars frame) -------------------------

_URL_ESCAPES = (["%3A", "%3a", "%28", "%29", "%2C", "%2c"], [":", ":", "(", ")", ",", ","])
_URN_PATTERN = r"urn:li:([A-Za-z]+:[\w\-]+(?:\([^)]*\))?)"


class _Columns:
    """Expressions over a parsed Table, tolerant of absent columns (headers vary by era), each
    found by its catalogue.column_key whatever its era's spelling (`SharedURL`, `Shared Url`)."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.names: dict[str, str] = {}
        for name in table.header:
            self.names.setdefault(column_key(name), name)  # the first of two look-alikes

    def has(self, name: str) -> bool:
        return column_key(name) in self.names

    def raw(self, name: str) -> pl.Expr:
        real = self.names.get(column_key(name))
        return pl.col(real) if real is not None else pl.lit("", dtype=pl.String)

    def first_present(self, names: tuple[str, ...]) -> str | None:
        return next((self.names[column_key(n)] for n in names if self.has(n)), None)


def _non_empty(expr: pl.Expr) -> pl.Expr:
    stripped = expr.str.strip_chars()
    return pl.when(stripped != "").then(stripped)


def _joined(cols: _Columns, names: tuple[str, ...], sep: str) -> pl.Expr:
    present = [n for n in names if cols.has(n)]
    if not present:
        return pl.lit("", dtype=pl.String)
    if len(present) == 1:
        return cols.raw(present[0]).fill_null("").str.strip_chars()
    return pl.concat_str([_non_empty(cols.raw(n)) for n in present], separator=sep,
                         ignore_nulls=True).fill_null("")


def _text(spec: FileSpec, cols: _Columns) -> pl.Expr:
    """The spec's text columns; where they are absent or empty, the row's cells in columns the
    catalogue does not know for this file (an older or newer header's text column, by another
    name), so that a row with text never gives an item without."""
    text = _joined(cols, spec.text, "\n")
    known = known_columns(spec)
    unplaced = tuple(name for name in cols.table.header if column_key(name) not in known)
    if not unplaced:
        return text
    return pl.when(text == "").then(_joined(cols, unplaced, "\n")).otherwise(text)


def _urn(expr: pl.Expr) -> pl.Expr:
    decoded = expr.str.replace_many(*_URL_ESCAPES)
    return pl.coalesce(decoded.str.extract(_URN_PATTERN, 1), decoded.str.strip_chars())


def _key(spec: FileSpec, cols: _Columns, text: str) -> pl.Expr:
    """The natural key of each row (see items.key_expr); `text` names the item-text column."""
    parts: list[pl.Expr] = []
    identifiers: set[int] = set()
    for key in spec.key:
        if key == "@text":  # as written: LinkedIn keeps a text's case, the member's edits change more
            identifiers.add(len(parts))
            parts.append(pl.col(text))
        elif key.startswith("@urn:"):
            identifiers.add(len(parts))
            parts.append(_urn(cols.raw(key[5:])))
        elif cols.has(key):
            column = cols.raw(key)
            lowered = key.lower()
            if lowered.endswith("link") or lowered == "saveditem":
                # Feed links carry a URN, written escaped in some eras and not in others.
                column = column.str.replace_many(*_URL_ESCAPES).str.strip_chars_end("/ ")
                identifiers.add(len(parts))
            elif "url" in lowered or key in spec.date or lowered == "id" or lowered.endswith(" id"):
                identifiers.add(len(parts))
            parts.append(column)
    if not parts:  # no identity column: the whole row is the identity
        parts = [cols.raw(name) for name in cols.table.header]
    return key_expr(parts, frozenset(identifiers))


def _html_flag(spec: FileSpec, cols: _Columns) -> pl.Expr:
    """True where a column declared as HTML may hold markup or entities (converted per such row
    in assemble.py, where html_to_text makes the exact test). Two literal searches are a fraction
    of the cost of the regex over 100,000 messages."""
    marked = [cols.raw(n).str.contains("<", literal=True) | cols.raw(n).str.contains("&", literal=True)
              for n in spec.html if cols.has(n)]
    return pl.any_horizontal(marked) if marked else pl.lit(False)


def _media(spec: FileSpec, cols: _Columns) -> pl.Expr:
    """The row's media URLs (a post written as one row per medium), null for other files."""
    present = [_non_empty(cols.raw(n)) for n in spec.media if cols.has(n)]
    if not present:
        return pl.lit(None, dtype=pl.List(pl.String))
    return pl.concat_list(present).list.drop_nulls()


def _free_name(name: str, header: list[str]) -> str:
    """A column name for our own use that no header cell of the file already takes."""
    taken = {h.casefold() for h in header}
    while name.casefold() in taken:
        name = "_" + name
    return name


def read_rows(spec: FileSpec, table: Table, source: str, member: str, *,
              title: Callable[[pl.Expr], pl.Expr] | None = None, url: pl.Expr | None = None) -> Reading:
    """One item per row. `title` rewrites the title expression, `url` replaces the link."""
    cols = _Columns(table)
    date_col = cols.first_present(spec.date)
    if url is None:
        urls = [_non_empty(cols.raw(n)) for n in spec.url if cols.has(n)]
        url = pl.coalesce(urls) if urls else pl.lit(None, dtype=pl.String)
        url = pl.when(url.str.starts_with("www.")).then(pl.lit("https://") + url).otherwise(url)
    if spec.field is None:
        field_expr = pl.lit(None, dtype=pl.String)
    elif spec.field.startswith("@column:"):
        field_expr = pl.lit(spec.field[8:])
    else:
        field_expr = cols.raw(spec.field)
    title_expr = _joined(cols, spec.title, " ")
    scope = spec.id if spec.kind == "unknown" else ""  # unknown files: ids scoped by file name
    line, row = _free_name("line", table.header), _free_name("row", table.header)
    positions = [table.lines.alias(line), pl.int_range(0, table.frame.height, dtype=pl.Int64, eager=True).alias(row)]
    title_name, text_name = _free_name("title", table.header), _free_name("text", table.header)
    key = _key(spec, cols, text_name)
    lazy = table.frame.hstack(positions).lazy().with_columns(
        title_expr.alias(title_name), _text(spec, cols).alias(text_name))
    lazy = staged(
        lazy,
        title=title(pl.col(title_name)) if title else pl.col(title_name), text=pl.col(text_name),
        line=pl.col(line), row=pl.col(row), source=pl.lit(member),
        kind=pl.lit(spec.kind), file_kind=pl.lit(spec.id if spec.kind != "unknown" else "unknown"),
        field=field_expr, url=url,
        visibility=cols.raw(spec.visibility) if spec.visibility and cols.has(spec.visibility)
        else pl.lit(None, dtype=pl.String),
        media=_media(spec, cols),
        date_raw=cols.raw(date_col) if date_col else pl.lit(None, dtype=pl.String),
        key=(pl.lit(scope + "\x1f") + key) if scope else key,
        html=_html_flag(spec, cols),
    )
    return Reading(lazy, table.frame.height, original=table.frame, date_column=date_col)


def read_fields(spec: FileSpec, table: Table, source: str, member: str) -> Reading:
    """One item per non-empty cell: members edit profile fields one at a time."""
    if not table.header or table.frame.height == 0:
        return Reading(empty_stage(), table.frame.height, original=table.frame)
    long = (table.frame.with_columns(table.lines.alias("line"), pl.int_range(pl.len(), dtype=pl.Int64).alias("row"))
            .unpivot(index=["line", "row"], variable_name="field", value_name="value")
            .filter(pl.col("value").str.strip_chars() != ""))
    values = [html_to_text(v.strip()) if "<" in v else v.strip() for v in long["value"].to_list()]
    lazy = staged(long.lazy().with_columns(pl.Series("text", values, dtype=pl.String)),
                  line=pl.col("line"), row=pl.col("row"), field=pl.col("field"), text=pl.col("text"),
                  title=pl.col("field"), source=pl.lit(member), kind=pl.lit(spec.kind),
                  file_kind=pl.lit(spec.id), key=key_expr([pl.lit(spec.id), pl.col("field")]),
                  html=pl.lit(False))
    return Reading(lazy, table.frame.height, original=table.frame)


def read_messages(spec: FileSpec, table: Table, source: str, member: str) -> Reading:
    """Rows, with the sender and recipients as the title of messages that have none, and the
    conversation's page as the link."""
    cols = _Columns(table)
    fallback = pl.concat_str([_non_empty(cols.raw("FROM")), _non_empty(cols.raw("TO"))], separator=" → ",
                             ignore_nulls=True).fill_null("")
    conversation = cols.raw("CONVERSATION ID").str.strip_chars()
    thread = pl.when(conversation != "").then(
        pl.lit("https://www.linkedin.com/messaging/thread/") + conversation + pl.lit("/"))
    return read_rows(spec, table, source, member,
                     title=lambda title: pl.when(title == "").then(fallback).otherwise(title), url=thread)


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


ANSWER_KIND = "job-application-answer"  # the question/answer sub-items of a job application


def item_kinds(spec: FileSpec) -> frozenset[str]:
    """The kinds of the items read from a file of `spec`. An item's id begins with its kind,
    so two files can give items of one id only if they share a kind (scan.py)."""
    return frozenset({spec.kind, ANSWER_KIND} if spec.reader == "applications" else {spec.kind})


def read_applications(spec: FileSpec, table: Table, source: str, member: str) -> Reading:
    """Each job application, plus one sub-item per question/answer pair, so that a salary answer
    can be told apart from the rest of the application."""
    reading = read_rows(spec, table, source, member)
    cols = _Columns(table)
    raw = table.frame.select(cols.raw("Question And Answers").alias("qa"), cols.raw("Job Url").alias("job"),
                             cols.raw("Application Date").alias("applied"))
    parents = reading.items.select("id", "date_raw", "url", "line", "row").collect(engine="in-memory")
    records: dict[str, list[object]] = {k: [] for k in ("question", "answer", "job", "applied", "parent",
                                                         "date_raw", "url", "line", "row")}
    for (parent_id, date_raw, url, line, row), (qa, job, applied) in zip(parents.rows(), raw.rows()):
        for question, answer in _split_answers(qa):
            for name, value in (("question", question), ("answer", answer), ("job", job), ("applied", applied),
                                ("parent", parent_id), ("date_raw", date_raw), ("url", url), ("line", line),
                                ("row", row)):
                records[name].append(value)
    if not records["question"]:
        return reading
    subs = pl.LazyFrame(records, schema={"question": pl.String, "answer": pl.String, "job": pl.String,
                                         "applied": pl.String, "parent": pl.String, "date_raw": pl.String,
                                         "url": pl.String, "line": pl.Int64, "row": pl.Int64})
    subs = staged(subs, source=pl.lit(member), kind=pl.lit(ANSWER_KIND), file_kind=pl.lit(spec.id),
                  field=pl.col("question"), title=pl.col("question"), text=pl.col("answer"),
                  parent=pl.col("parent"), date_raw=pl.col("date_raw"), url=pl.col("url"),
                  line=pl.col("line"), row=pl.col("row"),
                  key=key_expr([pl.col("job"), pl.col("applied"), pl.col("question")]),
                  html=pl.lit(False))
    reading.items = pl.concat([reading.items, subs])
    return reading


def read_generic(spec: FileSpec, table: Table, source: str, member: str) -> Reading:
    """A file the catalogue does not know: every row kept as an `unknown` item, its id scoped by
    the file's name."""
    date_cols = tuple(h for h in table.header if re.search(r"(?i)date|time|\bon$|\bat$", h))
    stem = member.rsplit("/", 1)[-1]
    generic = FileSpec(stem, "unknown", date=date_cols, title=tuple(table.header[:1]),
                       text=tuple(table.header))
    return read_rows(generic, table, source, member)


_PUBLISHED = re.compile(r"Published on\s+(\d{4}-\d{2}-\d{2} \d{2}:\d{2})")
_CREATED = re.compile(r"Created on\s+(\d{4}-\d{2}-\d{2} \d{2}:\d{2})")
_DRAFT_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2})_(\d{2})_(\d{2})\.0-(.*)\.html?$", re.I)


def read_article(spec: FileSpec, data: bytes, source: str, member: str, limits: Limits) -> Reading:
    if len(data) > limits.max_html_bytes:
        return Reading(empty_stage(), 0, [Problem(source, member, None, "article-skipped",
                       f"article larger than {limits.max_html_bytes} bytes skipped "
                       "(limit --max-html-bytes)", key="problem.article-skipped.too-large",
                       values={"limit": limits.max_html_bytes})])
    html = data.decode("utf-8", errors="replace")
    if html.lower().count("<div") > 2000:
        return Reading(empty_stage(), 0, [Problem(source, member, None, "article-skipped",
                       "article nested too deeply; skipped", key="problem.article-skipped.too-deep")])
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
    key = url if url else name.rsplit(".", 1)[0]
    record = {"title": title or (draft.group(5) if draft else name), "text": text, "source": member,
              "url": url, "visibility": "DRAFT" if is_draft else None, "date_raw": stamp, "key": key,
              "file": name, "draft": "yes" if is_draft else "no", "images": json.dumps(images, ensure_ascii=False)}
    return Reading(_NO_STAGE, 1, date_column="Published on", record=record)


ARTICLE_RECORD = dict.fromkeys(("title", "text", "source", "url", "visibility", "date_raw", "key"), pl.String)
ARTICLE_CELLS = ("file", "draft", "images")  # an article's original cells


def staged_articles(records: list[dict[str, str | None]]) -> tuple[pl.LazyFrame, pl.DataFrame]:
    """Articles' records (Reading.record) as one staged frame, in their order, and their original
    cells as one table (each article's own table is its one-row slice of it, row 0)."""
    frame = pl.LazyFrame({name: [r[name] for r in records] for name in ARTICLE_RECORD}, schema=ARTICLE_RECORD)
    cells = pl.DataFrame({name: [r[name] for r in records] for name in ARTICLE_CELLS},
                         schema=dict.fromkeys(ARTICLE_CELLS, pl.String))
    staged_frame = staged(frame, title=pl.col("title"), text=pl.col("text"),
                          source=pl.col("source"), line=pl.lit(1, dtype=pl.Int64), row=pl.lit(0, dtype=pl.Int64),
                          kind=pl.lit("article"), file_kind=pl.lit("articles"), url=pl.col("url"),
                          visibility=pl.col("visibility"), date_raw=pl.col("date_raw"),
                          key=key_expr([pl.col("key")]), html=pl.lit(False))
    return staged_frame, cells


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
        return Reading(empty_stage(), 0, [Problem(source, member, refused.line, refused.code,
                                                  refused.detail, "error", values=refused.values,
                                                  key=refused.key)])
    if table.not_a_table:
        return Reading(empty_stage(), 0, table.problems + [Problem(
            source, member, None, "not-a-table", "holds a sentence, not a table: no data", "info",
            key="problem.not-a-table.sentence")],
            not_a_table=True)
    if not table.header:  # empty file: nothing to build items from (the table says why)
        return Reading(empty_stage(), 0, table.problems)
    if spec.id == "rich_media" and [h.casefold() for h in table.header] == ["type", "link"]:
        # 2024 `Rich Media.csv`: two fixed rows pointing to download pages, not member items.
        return Reading(empty_stage(), table.frame.height, table.problems + [Problem(
            source, member, None, "download-links", f"{table.frame.height} row(s) are links to LinkedIn's "
            "media download pages, not items", "info", values={"count": table.frame.height})])
    reading = TABLE_READERS[spec.reader](spec, table, source, member)
    reading.problems = table.problems + reading.problems
    if table.skipped_rows:
        reading.rows += table.skipped_rows
    return reading
