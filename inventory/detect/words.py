"""Detector explanations as data, rendered in the member's language.

A finding's explanation and each risk reason are a catalogue key (`detect.finding.<key>`,
`detect.reason.<key>`) and values. The detectors store them as such: `Finding.key`/`values`,
the frame's `finding_terms` and `risk_terms` (one JSON term per entry, see `term`). Text is
made here only, at the edge (the JSON writer in English, the UI and the checklist in the
member's language). This module imports no other detector module.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping

import polars as pl

from inventory.i18n import catalogue, t

# Values that are codes (exposure, finding type...) are shown through `detect.<area>.<code>`
# when the catalogue has it; the English text of each is the code itself.
_WORDS = {"exposure": "exposure", "type": "type", "flag": "flag", "category": "category", "source": "source"}
Term = tuple[str, Mapping[str, object]]
# (reason key, lang) -> words: how a verdict's reason inside a risk reason is rendered
# (policy.reason_words with the policy that classified the frame).
ReasonWords = Callable[[str, str], str]


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


def _reason_of(stored: str, lang: str, reason_words: ReasonWords | None) -> str:
    parsed = parse_term(stored)
    if parsed is None:
        return stored
    key, values = parsed
    if key == "not-training-why" and reason_words is not None:  # the verdict's reason is a key too
        values = {**values, "reason": reason_words(str(values.get("reason") or ""), lang)}
    return render_reason(key, values, lang)


def reasons_text(terms: Iterable[str] | None, lang: str, reason_words: ReasonWords | None = None) -> list[str]:
    """Stored risk terms as sentences in `lang` (a stored plain text is shown as it is)."""
    return [_reason_of(str(x), lang, reason_words) for x in terms or []]


def render_reasons(terms: pl.Series, lang: str, reason_words: ReasonWords | None = None) -> pl.Series:
    """A `risk_terms` column as the `risk_reasons` sentences in `lang`: each distinct term is
    rendered once (a few dozen per export), then mapped back."""
    strings = terms.cast(pl.List(pl.String))
    distinct = strings.explode().drop_nulls().unique().to_list()
    mapping = {s: _reason_of(s, lang, reason_words) for s in distinct}
    if not mapping:
        return strings.alias("risk_reasons")
    return strings.list.eval(
        pl.element().replace_strict(list(mapping), list(mapping.values()), default=pl.element(),
                                    return_dtype=pl.String)).alias("risk_reasons")


def finding_text(stored: str | None, lang: str) -> str:
    """One stored finding term as its explanation in `lang`; "" for a finding without one (a
    stored plain text is shown as it is)."""
    if stored is None:
        return ""
    parsed = parse_term(stored)
    return render_finding(parsed[0], parsed[1], lang) if parsed else stored


def render_findings(findings: pl.Series, terms: pl.Series, lang: str) -> pl.Series:
    """A `findings` column with each finding's `detail` (the JSON contract's field, last):
    its term in `terms` (`finding_terms`, same order) in `lang`, "" where it has none or where
    a row's terms do not pair with its findings. Each distinct term is rendered once, and only
    the rows with findings are taken apart and rebuilt."""
    shown = pl.List(pl.Struct({**findings.dtype.inner.to_schema(), "detail": pl.String}))  # type: ignore[attr-defined]
    if not (findings.list.len() > 0).any():  # most of `scan --json`'s batches: one query, not six
        return findings.to_frame("f").select(
            pl.when(pl.col("f").is_not_null()).then(pl.lit([], dtype=shown))
            .otherwise(pl.lit(None, dtype=shown)).alias(findings.name)).to_series()
    strings = terms.cast(pl.List(pl.String))
    mapping = {s: finding_text(s, lang) for s in strings.explode().drop_nulls().unique().to_list()}
    paired = pl.col("t").list.len() == pl.col("f").list.len()
    rows = pl.DataFrame([findings.alias("f"), strings.alias("t")]).with_row_index("_row")
    rebuilt = (
        rows.filter(pl.col("f").list.len() > 0)
        # Terms that do not pair with the findings become one null term per finding.
        .with_columns(pl.when(paired).then(pl.col("t"))
                      .otherwise(pl.lit(None, dtype=pl.String).repeat_by(pl.col("f").list.len())))
        .explode(["f", "t"])
        .select("_row", pl.col("f").struct.with_fields(
            pl.col("t").replace_strict(list(mapping), list(mapping.values()), default=None,
                                       return_dtype=pl.String).fill_null("").alias("detail")))
        .group_by("_row", maintain_order=True).agg(pl.col("f").alias("rebuilt"))
    )
    # Joined back, not scattered: polars cannot scatter into a list of structs.
    return (
        rows.select("_row", "f").join(rebuilt, on="_row", how="left", maintain_order="left")
        .select(pl.when(pl.col("rebuilt").is_not_null()).then(pl.col("rebuilt"))
                .when(pl.col("f").is_not_null()).then(pl.lit([], dtype=shown))
                .otherwise(pl.lit(None, dtype=shown)).alias(findings.name))
        .to_series()
    )
