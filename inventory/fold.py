"""Text folding: the one case- and accent-insensitive form of a text, in Python and in polars.

Searching, matching names, country names and re-finding edited texts all compare folded forms,
so "Straße", "STRASSE" and "strasse" meet, and "Élodie" matches "elodie". Each form has a
Python function (one text at a time) and a polars expression (a whole column) that give the
same string for any text (tests/unit/test_fold.py checks this on random Unicode).

fold: NFKD (compatibility decomposition: "ﬁ" -> "fi", "²" -> "2"), lower case, "ß" -> "ss" and
"ς" -> "σ" (what casefolding adds over lower case for Latin and Greek), marks (accents) removed,
every run of white space turned into one space, none at either end.

fold_words: fold, then every run of characters that are not letters or digits turned into one
space, padded with one space each side: " marie dupont " can then be found as a plain substring
and still respect word boundaries."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import polars as pl

# Unicode White_Space, spelled out: Python's `\s` and Rust's `\s` disagree on U+001C-U+001F.
_WHITE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_WHITE_RUN = re.compile(f"[{_WHITE}]+")
_CASEFOLD_EXTRA = {"ß": "ss", "ς": "σ"}


@lru_cache(maxsize=8192)
def fold_char(c: str) -> str:
    """One character folded (without the white-space step)."""
    out = unicodedata.normalize("NFKD", c).lower()
    for old, new in _CASEFOLD_EXTRA.items():
        out = out.replace(old, new)
    return "".join(x for x in out if unicodedata.category(x)[0] != "M")


def fold(text: str) -> str:
    folded = "".join(fold_char(c) for c in text)
    return _WHITE_RUN.sub(" ", folded).strip(" ")


def fold_expr(expr: pl.Expr) -> pl.Expr:
    return (
        expr.str.normalize("NFKD")
        .str.to_lowercase()
        .str.replace_many(list(_CASEFOLD_EXTRA), list(_CASEFOLD_EXTRA.values()))
        .str.replace_all(r"\p{M}+", "")
        .str.replace_all(f"[{_WHITE}]+", " ")
        .str.strip_chars(" ")
    )


def _is_word(c: str) -> bool:
    return unicodedata.category(c)[0] in "LN"


def fold_words_with_map(text: str) -> tuple[str, list[int]]:
    """fold_words(text) and, for each of its characters, the index of the original character
    it came from (len(text) for the closing space)."""
    chars = [" "]
    index = [0]
    for i, c in enumerate(text):
        for y in fold_char(c):
            if not _is_word(y):
                if chars[-1] == " ":
                    continue
                y = " "
            chars.append(y)
            index.append(i)
    if chars[-1] != " " or len(chars) == 1:
        chars.append(" ")
        index.append(len(text))
    return "".join(chars), index


def fold_words(text: str) -> str:
    return fold_words_with_map(text)[0]


def fold_words_expr(expr: pl.Expr) -> pl.Expr:
    body = fold_expr(expr).str.replace_all(r"[^\p{L}\p{N}]+", " ").str.strip_chars(" ")
    return pl.concat_str([pl.lit(" "), body, pl.lit(" ")])
