"""Detector rules loaded from inventory/data/detectors.toml (word lists, cues, weights, URLs)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from inventory.errors import InventoryError

_UPPER_TERM = re.compile(r"^[A-Z0-9+.\-]{2,6}$")


_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class WordList:
    """Terms matched on word boundaries. Short all-caps acronyms (NDA, CGT, HIV) match
    case-sensitively so ordinary words do not fire; the rest ignore case.

    Speed: a big regex alternation is slow in Python, so terms are keyed by their first word;
    the text's words are looked up in that dict and only the terms keyed by a present word are
    tried, anchored at that word."""

    # word -> (pattern, flags, lead chars): compiled on first use (_compiled), as most of the
    # hundreds of terms never occur in one export and compiling them all cost 0.1 s per start.
    by_first_word: dict[str, tuple[tuple[str, int, int], ...]]
    excludes: tuple[str, ...]  # patterns, compiled on first use (_compiled) as the terms are
    lowered: tuple[str, ...]  # for the vectorised pre-filter (contains_any on lower-cased text)

    def find(self, text: str, context: int) -> list[tuple[int, int]]:
        hits: list[tuple[int, int]] = []
        for w in _WORD.finditer(text):
            candidates = self.by_first_word.get(w.group().lower())
            if not candidates:
                continue
            best = None
            for pattern, flags, lead in candidates:
                m = _compiled(pattern, flags).match(text, max(0, w.start() - lead))
                if m and (best is None or m.end() > best[1]):
                    best = m.span()
            if best and not self._excluded(text, best[0], best[1], context):
                hits.append(best)
        return hits

    def _excluded(self, text: str, s: int, e: int, context: int) -> bool:
        lo = max(0, s - context)
        window = text[lo:e + context]
        for pattern in self.excludes:
            for m in _compiled(pattern).finditer(window):
                if m.start() + lo < e and s < m.end() + lo:
                    return True
        return False


def term_pattern(term: str) -> str:
    parts = [re.escape(p) for p in re.split(r"[\s\-]+", term.strip()) if p]
    body = r"[\s\-]+".join(parts)
    return rf"(?<![\w]){body}(?![\w])" if term.strip()[-1:].isalnum() else rf"(?<![\w]){body}"


_compiled = lru_cache(maxsize=None)(re.compile)


def compile_wordlist(terms: list[str], excludes: list[str] | None = None) -> WordList:
    """Terms are escaped (term_pattern), so compiling one later cannot fail."""
    keyed: dict[str, list[tuple[str, int, int, int]]] = {}
    for term in set(terms):
        first = _WORD.search(term)
        if first is None:
            continue
        flags = 0 if _UPPER_TERM.match(term) else re.IGNORECASE
        pattern = term_pattern(term)
        keyed.setdefault(first.group().lower(), []).append((pattern, flags, first.start(), len(term)))
    return WordList(
        by_first_word={k: tuple((pattern, flags, lead) for pattern, flags, lead, _ in sorted(v, key=lambda x: -x[3]))
                       for k, v in keyed.items()},
        excludes=tuple(excludes or []),
        lowered=tuple(sorted({t.lower() for t in terms})),
    )


@dataclass(frozen=True)
class Rules:
    raw: dict[str, Any]
    special: dict[str, WordList]
    confidential: WordList
    code_names: tuple[re.Pattern[str], ...]
    salary_cues: WordList
    money_cues: WordList
    birth_cues: re.Pattern[str]
    birth_cues_prefilter: str  # polars regex on the lower-cased text, see _birth_cues_prefilter
    private_url: re.Pattern[str]
    private_url_prefilter: str

    def __getitem__(self, key: str) -> Any:
        return self.raw[key]


# Letters, decimal digits and "_" are word characters for Python's `re` too, so a cue with no
# such character on either side may be a `birth_cues` match: the pre-filter stays
# over-inclusive, while "donnée" no longer passes for the cue "née".
_NOT_WORD = r"[^\p{L}\p{Nd}_]"


def _birth_cues_prefilter(cues: list[str]) -> str:
    """`birth_cues` as a polars (Rust) regex on the lower-cased text. Rust has no look-around:
    the word boundaries become "start or end, or a non-word character"."""
    alts = "|".join(re.escape(c.lower()) + (rf"(?:$|{_NOT_WORD})" if c[-1].isalnum() else "") for c in cues)
    return rf"(?:^|{_NOT_WORD})(?:{alts})"


def _build(raw: dict[str, Any]) -> Rules:
    special = {cat: compile_wordlist(t["terms"], t.get("exclude")) for cat, t in raw["special"].items()}
    conf = raw["confidential"]
    money = raw["money"]
    cues = sorted(raw["birth_date"]["cues"], key=len, reverse=True)
    url_alts = "|".join(f"(?:{p})" for p in raw["private_url"]["patterns"])
    return Rules(
        raw=raw,
        special=special,
        confidential=compile_wordlist(conf["terms"], conf.get("exclude")),
        code_names=tuple(re.compile(p) for p in conf["code_name_patterns"]),
        salary_cues=compile_wordlist(money["salary_cues"]),
        money_cues=compile_wordlist(money["money_cues"]),
        birth_cues=re.compile("|".join(
            rf"(?<![\w]){re.escape(c)}" + (r"(?![\w])" if c[-1].isalnum() else "") for c in cues),
            re.IGNORECASE),
        birth_cues_prefilter=_birth_cues_prefilter(cues),
        private_url=re.compile(rf"(?:https?://)?(?:{url_alts})[^\s<>\"'\)\]]*", re.IGNORECASE),
        private_url_prefilter=f"(?i)(?:{url_alts})",
    )


def load_rules(path: Path | None = None) -> Rules:
    if path is None:
        return _default_rules()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        return _build(raw)
    except (OSError, UnicodeDecodeError) as exc:
        raise InventoryError(str(path), f"cannot read detector rules ({type(exc).__name__})") from None
    except (tomllib.TOMLDecodeError, KeyError, TypeError, re.error) as exc:
        raise InventoryError(str(path), f"invalid detector rules ({type(exc).__name__})") from None


@lru_cache(maxsize=1)
def _default_rules() -> Rules:
    text = (resources.files("inventory") / "data" / "detectors.toml").read_text(encoding="utf-8")
    return _build(tomllib.loads(text))
