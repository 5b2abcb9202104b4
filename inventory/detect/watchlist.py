"""The member's watch-list: employer, client, colleague and project names to look for.

File format (TOML, documented in docs/detectors.md):

    default_threshold = 90          # optional, 0-100
    default_label = "[watch-list]"  # optional

    [[term]]
    name = "Acme Corporation"
    aliases = ["Acme", "ACME Corp"]   # optional
    threshold = 85                    # optional: rapidfuzz ratio after case/accent folding
    label = "[client]"                # optional: what replaces the name in suggested edits

Matching never compares every term with every text: variants are looked up in the token index
(exactly, or with rapidfuzz inside a (first letter, length) block), searched as padded literals
with one vectorised `extract_many`, then confirmed per hit row with rapidfuzz.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from rapidfuzz import fuzz

from inventory.errors import InventoryError
from inventory.files import describe_os_error, read_regular
from inventory.fold import fold_words as fold

from .findings import Finding
from .text import blocked, literal_occurrences


class WatchListError(InventoryError):
    """The watch-list file cannot be read or is not in the documented format."""


@dataclass(frozen=True)
class WatchTerm:
    name: str
    aliases: tuple[str, ...] = ()
    threshold: int = 90
    label: str = "[watch-list]"


@dataclass(frozen=True)
class WatchList:
    terms: tuple[WatchTerm, ...] = field(default_factory=tuple)


def load_watchlist(path: Path) -> WatchList:
    where = str(path)
    try:
        data = tomllib.loads(read_regular(Path(path)).decode("utf-8"))
    except FileNotFoundError:
        raise WatchListError(where, "watch-list file not found") from None
    except OSError as exc:
        raise WatchListError(where, f"cannot read the watch-list ({describe_os_error(exc)})") from None
    except UnicodeDecodeError:
        raise WatchListError(where, "cannot read the watch-list (not UTF-8 text)") from None
    except tomllib.TOMLDecodeError as exc:
        # The decoder's message gives line and column, never the file's content.
        raise WatchListError(where, f"not valid TOML ({exc})") from None
    except RecursionError:
        raise WatchListError(where, "not valid TOML (nested too deeply)") from None
    unknown = set(data) - {"term", "default_threshold", "default_label"}
    if unknown:
        raise WatchListError(where, f"unknown key(s): {', '.join(sorted(unknown))}")
    default_threshold = data.get("default_threshold", 90)
    default_label = data.get("default_label", "[watch-list]")
    raw_terms = data.get("term", [])
    if not isinstance(raw_terms, list):
        raise WatchListError(where, "`term` must be a list of [[term]] tables")
    terms = []
    for n, raw in enumerate(raw_terms, 1):
        if not isinstance(raw, dict):
            raise WatchListError(where, f"term {n}: must be a [[term]] table")
        extra = set(raw) - {"name", "aliases", "threshold", "label"}
        if extra:
            raise WatchListError(where, f"term {n}: unknown key(s): {', '.join(sorted(extra))}")
        name = raw.get("name")
        aliases = raw.get("aliases", [])
        threshold = raw.get("threshold", default_threshold)
        label = raw.get("label", default_label)
        if not isinstance(name, str) or not fold(name).strip():
            raise WatchListError(where, f"term {n}: `name` must be a non-empty string")
        if not isinstance(aliases, list) or not all(isinstance(a, str) and fold(a).strip() for a in aliases):
            raise WatchListError(where, f"term {n}: `aliases` must be a list of non-empty strings")
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 100:
            raise WatchListError(where, f"term {n}: `threshold` must be a number from 0 to 100")
        if not isinstance(label, str) or not label:
            raise WatchListError(where, f"term {n}: `label` must be a non-empty string")
        terms.append(WatchTerm(name, tuple(aliases), int(threshold), label))
    return WatchList(tuple(terms))


def _token_variants(token: str, threshold: int, blocks: dict) -> set[str]:
    if threshold >= 100 or len(token) < 4:
        return set()
    out = set()
    spread = max(1, len(token) // 5)
    for length in range(len(token) - spread, len(token) + spread + 1):
        for cand in blocks.get((token[0], length), ()):
            if cand != token and fuzz.ratio(token, cand, score_cutoff=threshold - 10):
                out.add(cand)
    return out


def find_watchlist(frame: pl.DataFrame, scan_mask: pl.Series, folded: pl.Series, index: set[str],
                   watchlist: WatchList) -> dict[int, list[Finding]]:
    if not watchlist.terms or not index:
        return {}
    blocks = blocked(index)
    literals: dict[str, tuple[WatchTerm, str]] = {}
    for term in watchlist.terms:
        for variant in (term.name, *term.aliases):
            fv = fold(variant).strip()
            tokens = fv.split()
            literals.setdefault(f" {fv} ", (term, fv))
            # One near-miss token at a time (typos of "Phoenix" -> "Pheonix"), from the index only.
            for i, tok in enumerate(tokens):
                for alt in _token_variants(tok, term.threshold, blocks):
                    lit = " ".join(tokens[:i] + [alt] + tokens[i + 1:])
                    literals.setdefault(f" {lit} ", (term, fv))
    texts = frame["text"]
    out: dict[int, list[Finding]] = {}
    for row, lit, s, e in literal_occurrences(texts, folded, scan_mask, list(literals)):
        term, canonical = literals[lit]
        score = fuzz.ratio(lit.strip(), canonical)
        if score < term.threshold:
            continue
        out.setdefault(row, []).append(
            Finding.explained(s, e, "watch-list", texts[row][s:e], "watch-exact", label=term.label, term=term.name)
            if score == 100 else
            Finding.explained(s, e, "watch-list", texts[row][s:e], "watch-near", label=term.label,
                              term=term.name, score=f"{score:.0f}"))
    return out
