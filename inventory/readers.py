"""From one archive member's bytes to items in ITEM_SCHEMA, driven by its catalogue FileSpec."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import unquote

import polars as pl
from selectolax.lexbor import LexborHTMLParser

from inventory.catalogue import FileSpec
from inventory.csvdialect import Table, TableRefused, read_table
from inventory.dates import count_unparsed, parse_dates
from inventory.items import ITEM_SCHEMA, empty_items, item_id
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
_URN = re.compile(r"urn:li:([A-Za-z]+):([\w\-]+(?:\([^)]*\))?)")
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


def urn_of(url: str) -> str | None:
    """The LinkedIn URN inside a (percent-encoded or not) link, as `type:id`."""
    found = _URN.search(unquote(url or ""))
    return f"{found.group(1)}:{found.group(2)}" if found else None


def _fix_url(url: str) -> str | None:
    url = (url or "").strip()
    if not url or url in ("N/A", "-"):
        return None
    if url.startswith("www."):
        url = "https://" + url
    return url


# --- the readers --------------------------------------------------------------------------


class _Rows:
    """Column access over a parsed Table, tolerant of absent columns (headers vary by era)."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.index = {name.casefold(): i for i, name in enumerate(table.header)}

    def has(self, name: str) -> bool:
        return name.casefold() in self.index

    def col(self, name: str) -> list[str]:
        i = self.index.get(name.casefold())
        if i is None:
            return [""] * len(self.table.rows)
        return [row[i] for row in self.table.rows]

    def first_present(self, names: tuple[str, ...]) -> str | None:
        return next((n for n in names if self.has(n)), None)


def _join(columns: list[list[str]], sep: str, n: int) -> list[str]:
    if not columns:
        return [""] * n
    return [sep.join(v.strip() for v in values if v and v.strip()) for values in zip(*columns)]


def _dates(raw: list[str], source: str, member: str, column: str | None) -> tuple[pl.Series, list[Problem]]:
    series = pl.Series("date", raw, dtype=pl.String)
    parsed = parse_dates(series)
    problems = []
    bad = count_unparsed(series, parsed)
    if bad:
        problems.append(Problem(source, member, None, "unparsed-date",
                                f"{bad} value(s) of column {column!r} in no known date format; "
                                "kept as text in the item's fields"))
    return parsed, problems


def _fields_json(table: Table) -> list[str]:
    header = table.header
    return [json.dumps(dict(zip(header, row)), ensure_ascii=False) for row in table.rows]


def _frame(columns: dict[str, object], n: int) -> pl.DataFrame:
    data = {}
    for name, dtype in ITEM_SCHEMA.items():
        value = columns.get(name)
        if value is None:
            data[name] = pl.Series(name, [None] * n, dtype=dtype)
        elif isinstance(value, pl.Series):
            data[name] = value.alias(name).cast(dtype)
        else:
            data[name] = pl.Series(name, value, dtype=dtype)
    return pl.DataFrame(data)


def _key_values(spec: FileSpec, rows: _Rows, texts: list[str]) -> list[tuple[str, ...]]:
    n = len(rows.table.rows)
    parts: list[list[str]] = []
    for key in spec.key:
        if key == "@text":
            parts.append(texts)
        elif key.startswith("@urn:"):
            links = rows.col(key[5:])
            parts.append([urn_of(link) or unquote(link).strip() for link in links])
        elif rows.has(key):
            column = rows.col(key)
            if "url" in key.lower() or key.lower() in ("link", "saveditem"):
                column = [unquote(v).strip().lower().rstrip("/") for v in column]
            parts.append(column)
    if not parts:  # no identity column: the whole row is the identity
        return [tuple(row) for row in rows.table.rows]
    return list(zip(*parts)) if parts else [()] * n


def read_rows(spec: FileSpec, table: Table, source: str, member: str) -> Reading:
    rows = _Rows(table)
    n = len(table.rows)
    problems: list[Problem] = []
    html_cols = {c.casefold() for c in spec.html}

    def column(name: str) -> list[str]:
        values = rows.col(name)
        if name.casefold() in html_cols:
            values = [html_to_text(v) if v else v for v in values]
        return values

    date_col = rows.first_present(spec.date)
    if date_col is not None:
        date, date_problems = _dates(rows.col(date_col), source, member, date_col)
        problems += date_problems
    else:
        date = None
    titles = _join([column(c) for c in spec.title if rows.has(c)], " ", n)
    texts = _join([column(c) for c in spec.text if rows.has(c)], "\n", n)
    urls: list[str | None] = [None] * n
    for name in spec.url:
        if rows.has(name):
            urls = [u if u else _fix_url(v) for u, v in zip(urls, rows.col(name))]
    keys = _key_values(spec, rows, texts)
    ids = [item_id(spec.kind, spec.id if spec.kind == "unknown" else "", *k) for k in keys]
    if spec.field is None:
        fields_col = None
    elif spec.field.startswith("@column:"):
        fields_col = [spec.field[8:]] * n
    else:
        fields_col = rows.col(spec.field)
    visibility = rows.col(spec.visibility) if spec.visibility and rows.has(spec.visibility) else None
    frame = _frame({
        "id": ids, "source": [member] * n, "line": table.lines, "kind": [spec.kind] * n,
        "file_kind": [spec.id] * n, "field": fields_col, "date": date, "title": titles, "text": texts,
        "url": urls, "visibility": visibility, "fields": _fields_json(table),
    }, n)
    return Reading(frame, n, problems)


def read_fields(spec: FileSpec, table: Table, source: str, member: str) -> Reading:
    """One item per non-empty cell: members edit profile fields one at a time."""
    records = []
    for row, line in zip(table.rows, table.lines):
        for name, value in zip(table.header, row):
            if not value.strip():
                continue
            records.append({
                "id": item_id(spec.kind, spec.id, name), "source": member, "line": line,
                "kind": spec.kind, "file_kind": spec.id, "field": name, "title": name,
                "text": html_to_text(value.strip()) if "<" in value else value.strip(),
                "fields": json.dumps({name: value}, ensure_ascii=False),
            })
    return Reading(_frame({k: [r.get(k) for r in records] for k in ITEM_SCHEMA}, len(records)),
                   len(table.rows))


def read_messages(spec: FileSpec, table: Table, source: str, member: str) -> Reading:
    reading = read_rows(spec, table, source, member)
    rows = _Rows(table)
    senders, recipients = rows.col("FROM"), rows.col("TO")
    conversation = rows.col("CONVERSATION ID")
    fallback = [f"{s} → {r}".strip(" →") for s, r in zip(senders, recipients)]
    frame = reading.items.with_columns(
        pl.when(pl.col("title") == "").then(pl.Series(fallback)).otherwise(pl.col("title")).alias("title"),
        pl.Series("url", [f"https://www.linkedin.com/messaging/thread/{c.strip()}/" if c.strip() else None
                          for c in conversation], dtype=pl.String),
    )
    reading.items = frame
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
    rows = _Rows(table)
    answers = rows.col("Question And Answers")
    job_urls, app_dates = rows.col("Job Url"), rows.col("Application Date")
    parent_rows = reading.items.select("id", "date", "url").rows()
    records = []
    for (parent_id, date, url), raw, line, job_url, app_date in zip(
            parent_rows, answers, table.lines, job_urls, app_dates):
        for question, answer in _split_answers(raw):
            records.append({
                "id": item_id("job-application-answer", job_url, app_date, question),
                "source": member, "line": line, "kind": "job-application-answer",
                "file_kind": spec.id, "field": question, "date": date, "title": question,
                "text": answer, "url": url, "parent": parent_id,
                "fields": json.dumps({"Question": question, "Answer": answer}, ensure_ascii=False),
            })
    if records:
        subs = _frame({k: [r.get(k) for r in records] for k in ITEM_SCHEMA}, len(records))
        reading.items = pl.concat([reading.items, subs])
    return reading


def read_generic(spec: FileSpec, table: Table, source: str, member: str) -> Reading:
    """A file the catalogue does not know: every row kept as an `unknown` item."""
    rows = _Rows(table)
    date_cols = tuple(h for h in table.header if re.search(r"(?i)date|time|\bon$|\bat$", h))
    generic = FileSpec("unknown", "unknown", date=date_cols, title=tuple(table.header[:1]),
                       text=tuple(table.header))
    reading = read_rows(generic, table, source, member)
    stem = member.rsplit("/", 1)[-1]
    reading.items = reading.items.with_columns(
        pl.Series("id", [item_id("unknown", stem, *row) for row in rows.table.rows], dtype=pl.String))
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
    frame = _frame({
        "id": [item_id("article", key)], "source": [member], "line": [1], "kind": ["article"],
        "file_kind": ["articles"], "date": date, "title": [title or (draft.group(5) if draft else name)],
        "text": [text], "url": [url],
        "visibility": ["DRAFT" if is_draft else None],
        "fields": [json.dumps({"file": name, "draft": is_draft, "images": images}, ensure_ascii=False)],
    }, 1)
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
    if spec.id == "rich_media" and [h.casefold() for h in table.header] == ["type", "link"]:
        # 2024 `Rich Media.csv`: two fixed rows pointing to download pages, not member items.
        return Reading(empty_items(), len(table.rows), table.problems + [Problem(
            source, member, None, "download-links", f"{len(table.rows)} row(s) are links to LinkedIn's "
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
