"""Records that share an id: merged only when they are the same record, otherwise all kept.

An id is a hash of an item's natural key (items.py), and real exports hold distinct records
with the same key: a certification renewed under the same name, a course watched twice, one
question answered twice, one post written as one row per medium. Two records merge only when
they are the same record:
- every cell identical, in one file or in twin files (chunks `_1`, `_2`..., the spaced and the
  underscored name, Basic and Complete copies: files of one catalogue id);
- the same key in files the catalogue declares twins of one another (Receipts and Receipts_v2
  write the same invoice with differently formatted dates);
- the same post in rows that differ only in their media columns (one row per medium): one post
  item that keeps every medium's URL.
Every merge is listed (file, line, merged into which file and line). Records that share an id
but differ are all kept: the earliest-dated keeps the id (it has existed longest, so decisions
made on it stay with it), each other one gets an id derived from its id and its own cells,
which is the same in every export that holds the same record; each such id is listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import polars as pl

from inventory.csvdialect import column_key
from inventory.items import KEY_SEPARATOR, filled, id_expr, key_digest


@dataclass(frozen=True)
class Merge:
    source: str
    line: int
    into_source: str
    into_line: int
    reason: str  # identical | twin | medium

    def as_dict(self) -> dict[str, object]:
        return {"file": self.source, "line": self.line, "into_file": self.into_source,
                "into_line": self.into_line, "reason": self.reason}


@dataclass(frozen=True)
class Disambiguated:
    id: str
    base_id: str
    source: str
    line: int

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "base_id": self.base_id, "file": self.source, "line": self.line}


@dataclass(frozen=True)
class Family:
    """How a file's records compare with those of other files (from its catalogue spec)."""

    name: str  # files of one family are twins
    by_key: bool = False  # twins written differently: the same key is the same record
    media: tuple[str, ...] = ()  # columns that differ between the rows of one record


def resolve(items: pl.DataFrame, originals: Mapping[str, pl.DataFrame],
            families: Mapping[str, Family]) -> tuple[pl.DataFrame, pl.Series | None, list[Merge], list[Disambiguated]]:
    """`items` (in the export's file order) with repeats merged and shared ids disambiguated, and
    the rows to keep (None: all): the caller drops the merged rows (scan.py does it a column at a
    time; filtering the whole table here would copy it at once).
    `families` maps a file kind to its Family (absent: a family of its own, compared by cells)."""
    # Candidates by a 64-bit hash of the id, faster to compare than the strings: a collision only
    # adds a row with an id of its own, which every step below leaves as it is.
    repeated = items.get_column("id").hash().is_duplicated()
    if not repeated.any():
        return items, None, [], []
    positions = repeated.arg_true()
    sub = items.gather(positions).with_columns(pl.Series("_position", positions, dtype=pl.Int64))
    family_of = {kind: families.get(kind, Family(kind)) for kind in sub.get_column("file_kind").unique().to_list()}
    sub = sub.with_columns(
        pl.col("file_kind").replace_strict({k: f.name for k, f in family_of.items()}, return_dtype=pl.String)
        .alias("_family"),
        _contents(sub, originals, family_of).alias("_content"))

    first = pl.struct("_family", "id", "_content").is_first_distinct()
    keeper = pl.col("_position").first().over("_family", "id", "_content")
    sub = sub.with_columns(first.alias("_first"), keeper.alias("_into"))
    merges = _merges(sub, items)
    kept = sub.filter(pl.col("_first"))
    dropped = set(sub.filter(~pl.col("_first")).get_column("_position").to_list())

    renamed, disambiguated = _disambiguate(kept)
    columns: list[pl.Series] = []
    media = _media(sub, family_of)
    if media is not None:
        # (polars cannot scatter into a list column: this joins that one column only)
        at = pl.DataFrame({"_p": pl.Series(media[0], dtype=pl.UInt32), "_m": media[1]})
        columns.append(items.select("media").with_row_index("_p")
                       .join(at, on="_p", how="left", maintain_order="left")
                       .select(pl.coalesce("_m", "media").alias("media")).to_series())
    if renamed is not None:
        columns += _renamed(items, renamed)
    # Columns replaced in place (scatter), not joined: a join copies the whole item table.
    out = items.with_columns(columns) if columns else items
    keep = None
    if dropped:
        keep = filled(True, items.height, pl.Boolean).scatter(sorted(dropped), False)
    return out, keep, merges, disambiguated


def _contents(sub: pl.DataFrame, originals: Mapping[str, pl.DataFrame], family_of: Mapping[str, Family]) -> pl.Series:
    """What tells two records apart: every original cell of the item's row (but the media
    columns), and the item's own field, title and text (several items can come from one row).
    Empty for families compared by key."""
    parts = []
    for (source, kind), group in sub.group_by("source", "file_kind", maintain_order=True):
        family = family_of[kind]
        table = originals.get(source)
        if family.by_key:
            cells = pl.Series("_cells", [""] * group.height, dtype=pl.String)
        elif table is None or table.width == 0:
            cells = pl.Series("_cells", [""] * group.height, dtype=pl.String)
        else:
            media = {column_key(m) for m in family.media}
            columns = [c for c in table.columns if column_key(c) not in media]
            picked = table.select(columns).gather(group.get_column("row"))
            cells = picked.select(pl.concat_str([pl.col(c).fill_null("") for c in columns],
                                                separator=KEY_SEPARATOR).alias("_cells")).to_series()
        own = group.select(pl.concat_str([pl.col(c).fill_null("") for c in ("field", "title", "text")],
                                         separator=KEY_SEPARATOR)).to_series()
        content = cells if family.by_key else (cells + KEY_SEPARATOR + own)
        parts.append(pl.DataFrame({"_position": group.get_column("_position"), "_content": content}))
    contents = pl.concat(parts)
    return (sub.select("_position").join(contents, on="_position", how="left", maintain_order="left")
            .get_column("_content"))


def _merges(sub: pl.DataFrame, items: pl.DataFrame) -> list[Merge]:
    merged = sub.filter(~pl.col("_first"))
    if merged.height == 0:
        return []
    into = items.select("source", "line", "media").gather(merged.get_column("_into"))
    out = []
    for (source, line, media), (into_source, into_line, into_media) in zip(
            merged.select("source", "line", "media").rows(), into.rows()):
        if source != into_source:
            reason = "twin"
        elif (media or []) != (into_media or []):
            reason = "medium"
        else:
            reason = "identical"
        out.append(Merge(source, line, into_source, into_line, reason))
    return out


def _media(sub: pl.DataFrame, family_of: Mapping[str, Family]) -> tuple[list[int], pl.Series] | None:
    """Every medium of a merged post, on the item that stays (in file order, each URL once):
    the positions of those items and their media lists."""
    if not any(f.media for f in family_of.values()):
        return None
    groups = sub.filter(pl.col("_into") != pl.col("_position"))
    if groups.height == 0:
        return None
    into = set(groups.get_column("_into").to_list())
    members = sub.filter(pl.col("_into").is_in(sorted(into)))
    lists = (members.group_by("_into", maintain_order=True)
             .agg(pl.col("media").explode().drop_nulls().unique(maintain_order=True)))
    return lists.get_column("_into").to_list(), lists.get_column("media")


def _disambiguate(kept: pl.DataFrame) -> tuple[pl.DataFrame | None, list[Disambiguated]]:
    """Distinct records that share an id: the earliest-dated (then the first in file order) keeps
    it; each other gets an id from its id and its content (stable for the same record)."""
    shared = kept.filter(pl.col("id").is_duplicated())
    if shared.height == 0:
        return None, []
    ordered = shared.sort(["date", "_position"], nulls_last=True)
    others = ordered.filter(~pl.col("id").is_first_distinct())
    others = others.with_columns(key_digest(pl.col("id") + KEY_SEPARATOR + pl.col("_content")).alias("_digest"))
    others = others.with_columns(id_expr(pl.col("kind"), pl.col("_digest")).alias("_new_id"))
    renamed = others.select("_position", "source", "row", pl.col("id").alias("_old_id"), "_new_id").sort("_position")
    listed = [Disambiguated(new, old, source, line) for new, old, source, line in
              others.sort("_position").select("_new_id", "id", "source", "line").rows()]
    return renamed, listed


def _renamed(items: pl.DataFrame, renamed: pl.DataFrame) -> list[pl.Series]:
    """The id column with the new ids, and the parent column of their sub-items (the question
    and answer pairs of a job application come from the same row of the same file)."""
    ids = items.get_column("id").scatter(renamed.get_column("_position"), renamed.get_column("_new_id"))
    parents = items.get_column("parent")
    children = parents.is_in(renamed.get_column("_old_id").implode()).fill_null(False)
    if not children.any():
        return [ids]
    rows = children.arg_true()
    new_parent = {(source, row, old): new for source, row, old, new in
                  renamed.select("source", "row", "_old_id", "_new_id").rows()}
    values = [new_parent.get((source, row, parent), parent) for source, row, parent in
              items.select("source", "row", "parent").gather(rows).rows()]
    return [ids, parents.scatter(rows, pl.Series(values, dtype=pl.String))]
