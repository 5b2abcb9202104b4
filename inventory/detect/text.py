"""Helpers shared by the vectorised pre-filters (polars) and the per-row Python confirmation.
Both sides compare texts folded by inventory.fold.fold_words (one space-padded, case- and
accent-folded form), so an exact look-up in one matches in the other."""

from __future__ import annotations

from typing import Iterator

import polars as pl

from inventory.fold import fold_words_with_map


def original_span(index: list[int], fstart: int, fend: int) -> tuple[int, int]:
    """Original [start, end) for folded [fstart, fend) (both on word characters)."""
    return index[fstart], index[fend - 1] + 1


def token_index(folded: pl.Series) -> set[str]:
    """Unique tokens of all folded texts, computed once, vectorised. Lazily and without
    stripping the padding first (it splits off as empty tokens): 24 MiB at 120,000 texts
    against 36, in half the time."""
    tokens = pl.DataFrame([folded.alias("f")]).lazy().select(pl.col("f").str.split(" ").explode().unique()).collect()
    return set(tokens.to_series().to_list()) - {"", None}


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
        ftext, fmap = fold_words_with_map(texts[row])
        for lit in set(row_hits):
            pos = ftext.find(lit)
            while pos >= 0:
                start, end = original_span(fmap, pos + 1, pos + len(lit) - 1)
                yield row, lit, start, end
                pos = ftext.find(lit, pos + 1)

