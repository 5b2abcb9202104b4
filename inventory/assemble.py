"""From the readers' staged rows to items: one collect, then dates, markup and hidden
connections, for a group of members at once.

scan.py hands the members to a small thread pool in groups: each large member alone, all the
small ones together (polars' fixed cost per call is then paid once for them, not per file).
Repeated ids are resolved afterwards, by scan.py over the whole export (repeats.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Sequence

import polars as pl

from inventory.dates import parse_dates, unparsed
from inventory.items import ITEM_SCHEMA, empty_items, filled
from inventory.problems import Problem
from inventory.readers import Reading, html_to_text, staged_articles

# Dates of one's own history (jobs, studies...) may be old; everything LinkedIn itself recorded
# (activity, messages, connections...) is from its launch in 2003 on. Earlier values are kept as
# text in the original cells and counted, never trusted (docs/bad-input.md case 50); the upper bound is
# the export's own date.
HISTORY_KINDS = frozenset({
    "position", "education", "certification", "honor", "project", "publication", "patent",
    "volunteering", "course", "organization", "test-score", "language",
})
_EARLIEST_HISTORY = datetime(1900, 1, 1, tzinfo=timezone.utc)
_EARLIEST_RECORDED = datetime(2003, 1, 1, tzinfo=timezone.utc)


@dataclass
class Member:
    archive: str  # the archive's label, for problems
    path: str  # the member path: the items' `source`
    reading: Reading
    latest: datetime  # no date in it can be later (the export's own date)
    file_kind: str = ""  # the catalogue id of the member


@dataclass
class Assembled:
    items: pl.DataFrame  # ITEM_SCHEMA, in the members' order
    counts: dict[str, int]  # items each member gave (rows of `items` per member)
    problems: dict[str, list[Problem]]  # per member path
    rows: dict[str, int] = field(default_factory=dict)  # data rows each member read
    originals: dict[str, pl.DataFrame] = field(default_factory=dict)  # each member's parsed table


def assemble(members: Sequence[Member]) -> Assembled:
    # Each member's problems: its reading's first, then what is found here.
    problems: dict[str, list[Problem]] = {m.path: list(m.reading.problems) for m in members}
    rows = {m.path: m.reading.rows for m in members}
    originals = {m.path: m.reading.original for m in members if m.reading.original is not None}
    if not members:
        return Assembled(empty_items(), {}, problems)
    stage = pl.concat(_stages(members, originals), how="vertical").collect(engine="in-memory")
    if stage.height == 0:
        return Assembled(empty_items(), {m.path: 0 for m in members}, problems, rows=rows, originals=originals)
    by_path = {m.path: m for m in members}
    sources = stage.get_column("source")

    parsed = _dates(stage, by_path, problems)
    stage = _markup(stage)

    # `,,,,,,14 Mar 2025` connection rows are members who hid or closed their profile: counted,
    # not people.
    hidden = filled(False, stage.height, pl.Boolean)
    if any(m.file_kind == "connections" for m in members):
        hidden = ((stage.get_column("file_kind") == "connections") & (stage.get_column("title") == "")
                  & (stage.get_column("text").str.strip_chars() == "") & stage.get_column("url").is_null())
    # Items of one member are contiguous: run lengths count them without hashing every source.
    counts = dict(sources.rle().struct.unnest().select("value", "len").rows())
    if hidden.any():
        for path, count in sources.filter(hidden).value_counts().rows():
            counts[path] -= count
            member = by_path[path]
            problems[path].append(Problem(member.archive, path, None, "hidden-connections",
                                          f"{count} row(s) with only a date: hidden or closed profiles, "
                                          "counted but not listed as people", "info", values={"count": count}))
    items = stage.with_columns(parsed.alias("date"))
    del stage
    # Repeated ids are resolved by scan.py over the whole export (repeats.py).
    if hidden.any():
        items = items.filter(~hidden)
    return Assembled(items.select(list(ITEM_SCHEMA)), counts, problems, rows, originals)


def _stages(members: Sequence[Member], originals: dict[str, pl.DataFrame]) -> list[pl.LazyFrame]:
    """The members' staged frames in order, each run of articles as one frame; each article's
    original cells (a zero-copy row of one table) are added to `originals` under its path."""
    frames: list[pl.LazyFrame] = []
    run: list[tuple[str, dict[str, str | None]]] = []  # (path, record) of consecutive articles

    def close_run() -> None:
        frame, cells = staged_articles([record for _, record in run])
        frames.append(frame)
        originals.update((path, cells.slice(k, 1)) for k, (path, _) in enumerate(run))
        run.clear()

    for member in members:
        if member.reading.record is not None:
            run.append((member.path, member.reading.record))
            continue
        if run:
            close_run()
        frames.append(member.reading.items)
    if run:
        close_run()
    return frames


def _dates(stage: pl.DataFrame, by_path: dict[str, Member], problems: dict[str, list[Problem]]) -> pl.Series:
    """Parsed per member's formats; impossible dates (before LinkedIn or one's own history, after
    the export) are kept only as text in the original cells, and counted."""
    raw = stage.get_column("date_raw")
    sources = stage.get_column("source")
    parsed = parse_dates(raw, sources)
    # Cheap numeric tests on the whole run first; the per-row ones only where they may hold.
    early = (parsed < _EARLIEST_RECORDED).fill_null(False)
    if early.any():
        rows = early.arg_true()
        recorded = ~stage.get_column("kind").gather(rows).is_in(list(HISTORY_KINDS))
        early = early.scatter(rows, recorded | (parsed.gather(rows) < _EARLIEST_HISTORY).fill_null(False))
    late = (parsed > min(m.latest for m in by_path.values())).fill_null(False)
    if late.any():
        rows = late.arg_true()
        limits = sources.gather(rows).replace_strict({p: m.latest for p, m in by_path.items()},
                                                     return_dtype=pl.Datetime("us", "UTC"))
        late = late.scatter(rows, parsed.gather(rows) > limits)
    failed = unparsed(raw, parsed)
    flagged = early | late | failed
    if not flagged.any():
        return parsed
    if (early | late).any():
        parsed = parsed.set(early | late, None)
    counts = (pl.DataFrame({"source": sources, "early": early, "unparsed": failed, "late": late})
              .filter(flagged).group_by("source", maintain_order=True)
              .agg(pl.col("early", "unparsed", "late").sum()))
    for path, early_count, unparsed_count, late_count in counts.rows():
        member = by_path[path]
        if early_count + unparsed_count:
            problems[path].append(Problem(
                member.archive, path, None, "unparsed-date",
                f"{early_count + unparsed_count} value(s) of column {member.reading.date_column!r} in no known "
                "date format or outside plausible years; kept as text in the item's original cells",
                key="problem.unparsed-date.unknown-format",
                values={"count": early_count + unparsed_count, "column": repr(member.reading.date_column)}))
        if late_count:
            problems[path].append(Problem(member.archive, path, None, "unparsed-date",
                                          f"{late_count} date(s) later than the export itself; kept as text in "
                                          "the item's original cells", key="problem.unparsed-date.after-export",
                                          values={"count": late_count}))
    return parsed


def _markup(stage: pl.DataFrame) -> pl.DataFrame:
    """HTML to text, per row that holds some (sponsored messages, job descriptions)."""
    html = stage.get_column("html")
    if not html.any():
        return stage
    rows = html.arg_true()
    text = stage.get_column("text")
    return stage.with_columns(text.scatter(rows, [html_to_text(v) for v in text.gather(rows).to_list()]))
