"""Accent/case folding shared by the vectorised pre-filters (polars) and the per-row Python
confirmation, so an exact look-up in one matches in the other.

Folded form: NFKD, combining marks removed, lower-cased, every run of characters that are not
letters or digits turned into one space, padded with one space each side. " marie dupont " can
then be searched as a plain substring and still respect word boundaries."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Iterator

import polars as pl


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    out = []
    for x in unicodedata.normalize("NFKD", c):
        if unicodedata.combining(x):
            continue
        for y in x.lower():
            out.append(y if y.isalnum() else " ")
    return "".join(out)


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Folded text and, for each folded character, the index of the original character."""
    chars = [" "]
    index = [0]
    for i, c in enumerate(text):
        for y in _fold_char(c):
            if y == " ":
                if chars[-1] == " ":
                    continue
            chars.append(y)
            index.append(i)
    if chars[-1] != " ":
        chars.append(" ")
        index.append(len(text))
    return "".join(chars), index


def fold(text: str) -> str:
    return fold_with_map(text)[0]


def folded_expr(col: str | pl.Expr = "text") -> pl.Expr:
    expr = pl.col(col) if isinstance(col, str) else col
    body = (
        expr.str.normalize("NFKD")
        .str.replace_all(r"\p{M}+", "")
        .str.to_lowercase()
        .str.replace_all(r"[^\p{L}\p{N}]+", " ")
        .str.strip_chars(" ")
    )
    return pl.concat_str([pl.lit(" "), body, pl.lit(" ")])


def original_span(index: list[int], fstart: int, fend: int) -> tuple[int, int]:
    """Original [start, end) for folded [fstart, fend) (both on word characters)."""
    return index[fstart], index[fend - 1] + 1


def token_index(folded: pl.Series) -> set[str]:
    """Unique tokens of all folded texts, computed once, vectorised."""
    tokens = folded.str.strip_chars(" ").str.split(" ").explode().unique().drop_nulls()
    return set(tokens.to_list()) - {""}


def blocked(tokens: set[str]) -> dict[tuple[str, int], list[str]]:
    """Blocking for fuzzy look-ups: tokens by (first character, length)."""
    blocks: dict[tuple[str, int], list[str]] = {}
    for t in tokens:
        blocks.setdefault((t[0], len(t)), []).append(t)
    return blocks


def literal_occurrences(texts: pl.Series, folded: pl.Series, scan_mask: pl.Series,
                        literals: list[str]) -> Iterator[tuple[int, str, int, int]]:
    """Every (row, literal, start, end) where a space-padded folded literal occurs in a scanned
    row: one polars `extract_many` pass over all rows, then offsets mapped back to the original
    text for the few rows that hit. Never compares every literal with every text in Python."""
    hits = (
        pl.DataFrame({"folded": folded, "scan": scan_mask})
        .with_row_index("row")
        .filter(pl.col("scan"))
        .select("row", pl.col("folded").str.extract_many(literals, overlapping=True).alias("hits"))
        .filter(pl.col("hits").list.len() > 0)
    )
    for row, row_hits in hits.iter_rows():
        ftext, fmap = fold_with_map(texts[row])
        for lit in set(row_hits):
            pos = ftext.find(lit)
            while pos >= 0:
                start, end = original_span(fmap, pos + 1, pos + len(lit) - 1)
                yield row, lit, start, end
                pos = ftext.find(lit, pos + 1)

