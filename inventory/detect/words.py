"""Detector explanations as data, rendered in the member's language.

A finding's explanation and each risk reason are a catalogue key (`detect.finding.<key>`,
`detect.reason.<key>`) and values. The detectors store them as such: `Finding.key`/`values`,
the frame's `finding_terms` and `risk_terms` (one JSON term per entry, see `term`). Text is
made here only, at the edge (the JSON writer in English, the UI and the checklist in the
member's language). This module imports no other detector module.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache

import polars as pl

from inventory.i18n import catalogue, t

# Values that are codes (exposure, finding type...) are shown through `detect.<area>.<code>`
# when the catalogue has it; the English text of each is the code itself.
_WORDS = {"exposure": "exposure", "type": "type", "flag": "flag", "category": "category", "source": "source"}
Term = tuple[str, Mapping[str, object]]


def _word(area: str, code: str, lang: str) -> str:
    key = f"detect.{area}.{code}"
    return t(key, lang) if key in catalogue()["en"] else code


def type_label(finding_type: str, lang: str) -> str:
    """A finding type's name in `lang` (English: the type code itself)."""
    return _word("type", finding_type, lang)


def _shown(values: Mapping[str, object], lang: str) -> dict[str, str]:
    out = {}
    for name, value in values.items():
        if name == "types":
            out[name] = ", ".join(_word("type", str(v), lang) for v in value)  # type: ignore[attr-defined]
        elif name in _WORDS:
            out[name] = _word(_WORDS[name], str(value), lang)
        else:
            out[name] = str(value)
    return out


def render_finding(key: str, values: Mapping[str, object], lang: str) -> str:
    return t(f"detect.finding.{key}", lang, **_shown(values, lang))


def render_reason(key: str, values: Mapping[str, object], lang: str) -> str:
    return t(f"detect.reason.{key}", lang, **_shown(values, lang))


def term(key: str, values: Mapping[str, object]) -> str:
    """One explanation as the JSON the frame stores: {"key": ..., "values": {...}}."""
    return json.dumps({"key": key, "values": {k: list(v) if isinstance(v, tuple) else v
                                              for k, v in values.items()}}, ensure_ascii=False)


def parse_term(stored: str) -> Term | None:
    """(key, values) of a stored term; None for anything else (a hand-made frame's text)."""
    try:
        data = json.loads(stored)
    except (TypeError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("key"), str):
        return None
    return data["key"], data.get("values") or {}


@lru_cache(maxsize=4096)
def _reason_of(stored: str, lang: str) -> str:
    parsed = parse_term(stored)
    return stored if parsed is None else render_reason(parsed[0], parsed[1], lang)


def reasons_text(terms: Iterable[str] | None, lang: str) -> list[str]:
    """Stored risk terms as sentences in `lang` (a stored plain text is shown as it is)."""
    return [_reason_of(str(x), lang) for x in terms or []]


def render_reasons(terms: pl.Series, lang: str) -> pl.Series:
    """A `risk_terms` column as the `risk_reasons` sentences in `lang`: each distinct term is
    rendered once (a few dozen per export), then mapped back."""
    strings = terms.cast(pl.List(pl.String))
    distinct = strings.explode().drop_nulls().unique().to_list()
    mapping = {s: _reason_of(s, lang) for s in distinct}
    if not mapping:
        return strings.alias("risk_reasons")
    return strings.list.eval(
        pl.element().replace_strict(list(mapping), list(mapping.values()), default=pl.element(),
                                    return_dtype=pl.String)).alias("risk_reasons")
