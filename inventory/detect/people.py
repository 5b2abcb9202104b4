"""Names of the member's connections in the member's texts.

Never all-pairs: the unique tokens of all scanned texts are indexed once (polars); each
connection's first and last name is looked up in that index exactly (after accent/case
folding) and, for long names, with one or two typos inside a (first letter, length) block.
The surviving full-name variants ("marie dupont", "dupont marie") are searched as padded
literals with one vectorised `extract_many`, and only the rows that hit are confirmed in
Python with rapidfuzz (token_set_ratio, folding processor) and the stop-word rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from inventory.fold import fold_words as fold, fold_words_expr

from .findings import Finding
from .rules import Rules
from .text import blocked, literal_occurrences


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    source: str  # kind the name came from (connection, endorsement-received, ...)
    folded: tuple[str, str] = ("", "")  # (first, last) as _fold_names gives them


def _fold_names(column: pl.Expr) -> pl.Expr:
    """Names folded as the texts are (fold_words_expr), without the padding: the folded names
    are looked up among the folded texts' tokens."""
    return fold_words_expr(column).str.strip_chars(" ")


def cell_names(rules: Rules) -> frozenset[str]:
    """The original cells (first and last name columns) `collect_people` reads, which the
    caller supplies as `fields.<cell>` columns (ScanResult.with_cells)."""
    return frozenset(col for pairs in rules["people"]["sources"].values() for pair in pairs for col in pair)


def collect_people(frame: pl.DataFrame, rules: Rules) -> tuple[list[Person], set[str]]:
    """Other people named in the export, and the member's own folded full-name forms. Names
    come from `fields.<cell>` columns (see `cell_names`); a pair whose columns are absent is
    skipped. Folded in polars, once per distinct pair (60,000 connections fold in a few ms);
    the first source in the rules' order names a person."""
    sources: dict[str, list[list[str]]] = rules["people"]["sources"]
    # One query for every source (polars runs the parts side by side), not one per kind and pair.
    rows = frame.lazy().filter(pl.col("kind").is_in(list(sources)))
    parts = []
    for kind, pairs in sources.items():
        for first_col, last_col in pairs:
            first_name, last_name = f"fields.{first_col}", f"fields.{last_col}"
            if first_name not in frame.columns or last_name not in frame.columns:
                continue
            parts.append(rows.filter(pl.col("kind") == kind).select(
                pl.col(first_name).cast(pl.String).alias("f"), pl.col(last_name).cast(pl.String).alias("l"),
                pl.lit(kind, dtype=pl.String).alias("kind")).drop_nulls())
    member = member_name(frame)
    own = {f"{member[0]} {member[1]}", f"{member[1]} {member[0]}"} if member else set()
    if not parts:
        return [], own
    names = (
        pl.concat(parts).unique(maintain_order=True)
        .with_columns(_fold_names(pl.col("f")).alias("ff"), _fold_names(pl.col("l")).alias("lf"))
        .filter((pl.col("ff") != "") & (pl.col("lf") != ""))
        .unique(["ff", "lf"], keep="first", maintain_order=True)
        .filter(~pl.concat_str("ff", pl.lit(" "), "lf").is_in(list(own)))
        .collect()
    )
    return [Person(f.strip(), l.strip(), kind, (ff, lf)) for f, l, kind, ff, lf in names.iter_rows()], own


def member_name(frame: pl.DataFrame) -> tuple[str, str] | None:
    prof = frame.filter((pl.col("kind") == "profile-field") & pl.col("field").is_in(["First Name", "Last Name"]))
    values = dict(zip(prof["field"].to_list(), prof["text"].to_list()))
    first, last = values.get("First Name"), values.get("Last Name")
    if first and last:
        folded = pl.DataFrame({"n": [first, last]}).select(_fold_names(pl.col("n"))).to_series().to_list()
        return folded[0], folded[1]
    return None


def _variants(name: str, index: set[str], blocks: dict, cfg: dict) -> tuple[set[str], set[str]]:
    """(exact, fuzzy) folded variants of one name present in the token index."""
    tokens = name.split()
    exact = {name} if all(t in index for t in tokens) else set()
    fuzzy: set[str] = set()
    if len(tokens) == 1 and len(name) >= cfg["fuzzy_min_chars"]:
        k = 2 if len(name) >= cfg["fuzzy_long_chars"] else 1
        for length in range(len(name) - k, len(name) + k + 1):
            for cand in blocks.get((name[0], length), ()):
                if cand != name and Levenshtein.distance(name, cand, score_cutoff=k) <= k:
                    fuzzy.add(cand)
    return exact, fuzzy


def find_people(frame: pl.DataFrame, scan_mask: pl.Series, folded: pl.Series,
                index: set[str], rules: Rules) -> dict[int, list[Finding]]:
    cfg = rules["people"]["match"]
    people, own = collect_people(frame, rules)
    if not people or not index:
        return {}
    stop = set(cfg["stop_words"])
    blocks = blocked(index)
    cache: dict[str, tuple[set[str], set[str]]] = {}
    literals: dict[str, Person] = {}
    for p in people:
        f, l = p.folded
        if min(len(f), len(l)) < cfg["min_token_chars"]:
            continue
        # Not setdefault: its default argument would compute the variants on every cache hit.
        if f not in cache:
            cache[f] = _variants(f, index, blocks, cfg)
        if l not in cache:
            cache[l] = _variants(l, index, blocks, cfg)
        (fe, ff), (le, lf) = cache[f], cache[l]
        # At most one of the two names may be a near miss.
        pairs = [(a, b) for a in fe for b in le | lf] + [(a, b) for a in ff for b in le]
        for a, b in pairs:
            for lit in (f" {a} {b} ", f" {b} {a} "):
                if lit.strip() not in own:
                    literals.setdefault(lit, p)
    if not literals:
        return {}
    texts = frame["text"]
    out: dict[int, list[Finding]] = {}
    for row, lit, s, e in literal_occurrences(texts, folded, scan_mask, list(literals)):
        person = literals[lit]
        found = texts[row][s:e]
        if not _capitalised_where_needed(found, stop):
            continue
        score = fuzz.token_set_ratio(found, f"{person.first} {person.last}", processor=fold)
        if score < cfg["confirm_score"]:
            continue
        name = f"{person.first} {person.last}"
        out.setdefault(row, []).append(
            Finding.explained(s, e, "person", found, "person-exact", source=person.source, name=name)
            if score == 100 else
            Finding.explained(s, e, "person", found, "person-near", source=person.source, name=name,
                              score=f"{score:.0f}"))
    return out


def _capitalised_where_needed(found: str, stop: set[str]) -> bool:
    """Common words that are also names ("Rose", "Will") count only when capitalised."""
    for word in found.replace("-", " ").split():
        if fold(word).strip() in stop and not word[:1].isupper():
            return False
    return True
