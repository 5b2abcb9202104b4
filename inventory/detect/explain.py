"""Detector explanations in the member's language.

The detectors keep writing English `detail` and `risk_reasons` (the JSON contract); each is
rendered from a catalogue key (`detect.finding.*`, `detect.reason.*`) and values, so a display
can render the very same explanation in another language with `inventory.i18n.t`. Risk reasons
are rebuilt by running `assess` again on the item (same code, so the same terms); finding
details come from the `finding_terms` column written next to `findings`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from inventory.i18n import catalogue, t

from .findings import FINDING_TYPES, Finding, redact
from .risk import assess
from .rules import Rules, load_rules

# Values that are codes (exposure, finding type...) are shown through `detect.<area>.<code>`
# when the catalogue has it; the English text of each is the code itself.
_WORDS = {"exposure": "exposure", "type": "type", "flag": "flag", "category": "category", "source": "source"}


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
            out[name] = ", ".join(_word("type", str(v), lang) for v in value)  # type: ignore[union-attr]
        elif name in _WORDS:
            out[name] = _word(_WORDS[name], str(value), lang)
        else:
            out[name] = str(value)
    return out


def render_finding(key: str, values: Mapping[str, object], lang: str) -> str:
    return t(f"detect.finding.{key}", lang, **_shown(values, lang))


def render_reason(key: str, values: Mapping[str, object], lang: str) -> str:
    return t(f"detect.reason.{key}", lang, **_shown(values, lang))


def finding_term(finding: Finding) -> str | None:
    """The JSON stored in `finding_terms` for one finding (None when it has no key)."""
    return json.dumps({"key": finding.key, "values": dict(finding.values)}) if finding.key else None


def explain_findings(row: Mapping[str, object], lang: str) -> list[str]:
    """One explanation per entry of `row["findings"]`, in `lang` (the English detail when the
    row carries no structured term for it)."""
    findings = list(row.get("findings") or [])  # type: ignore[call-overload]
    terms = list(row.get("finding_terms") or [])  # type: ignore[call-overload]
    out = []
    for i, finding in enumerate(findings):
        term = terms[i] if i < len(terms) and len(terms) == len(findings) else None
        if term:
            data = json.loads(term)
            out.append(render_finding(data["key"], data["values"], lang))
        else:
            out.append(str(finding.get("detail") or ""))
    return out


def explain_reasons(row: Mapping[str, object], lang: str, rules: Rules | None = None) -> list[str]:
    """The item's risk reasons in `lang`: the same terms `detect` turned into `risk_reasons`."""
    stored = row.get("risk_reasons")
    try:
        terms = _reason_terms(row, rules or load_rules())
    except (KeyError, TypeError, ValueError):  # a hand-made row (unknown type, missing offsets)
        return [str(r) for r in stored or []]  # type: ignore[union-attr]
    # Detected with other rules (a custom detectors file): the terms would not be the same ones,
    # so the stored English reasons are shown rather than different numbers.
    if stored is not None and [render_reason(k, v, "en") for k, v in terms] != list(stored):  # type: ignore[call-overload]
        return [str(r) for r in stored]  # type: ignore[union-attr]
    return [render_reason(key, values, lang) for key, values in terms]


def _reason_terms(row: Mapping[str, object], rules: Rules) -> list[tuple[str, dict[str, object]]]:
    findings = [Finding(int(f["start"]), int(f["end"]), str(f["type"]), str(f.get("text") or ""),
                        str(f.get("detail") or "")) for f in (row.get("findings") or [])]  # type: ignore[union-attr]
    a = assess(row.get("text"), row.get("exposure"), row.get("exposure_reason"),  # type: ignore[arg-type]
               str(row.get("kind") or ""), row.get("visibility"), row.get("flags"),  # type: ignore[arg-type]
               findings, rules)
    terms = list(a.terms)
    if row.get("cluster"):
        terms.append(("cluster", {"cluster": row["cluster"]}))
    return terms


def suggested_text(row: Mapping, lang: str) -> str | None:
    """The item's suggested text with the redaction labels of `lang` (`detect.label.<type>`):
    the detectors store it with the English ones (the JSON contract), so another language
    redacts the same spans again with its own words. A watch-list term's own label gives way
    to the generic one there."""
    stored = row.get("suggested_text")
    if not stored or lang == "en":
        return stored
    spans = [Finding(int(f["start"]), int(f["end"]), str(f.get("type") or ""), str(f.get("text") or ""), "")
             for f in row.get("findings") or [] if f.get("start") is not None and f.get("end") is not None]
    labels = {kind: t(f"detect.label.{kind}", lang) for kind in FINDING_TYPES}
    return redact(str(row.get("text") or ""), spans, labels)
