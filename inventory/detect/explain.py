"""Detector explanations in the member's language, from what the frame stores.

`detect` stores each finding's explanation (`finding_terms`) and each risk reason
(`risk_terms`) as a catalogue key and values (words.py); these functions render them for one
row. Nothing is recomputed and no English text is compared.
"""

from __future__ import annotations

from collections.abc import Mapping

from inventory.i18n import t
from inventory.policy import Policy, packaged_policy, reason_words

from .findings import FINDING_TYPES, Finding, redact
from .words import finding_text, reasons_text, render_finding, render_reason, term, type_label

__all__ = ["explain_findings", "explain_reasons", "finding_term", "render_finding", "render_reason",
           "suggested_text", "type_label"]


def finding_term(finding: Finding) -> str | None:
    """The term stored in `finding_terms` for one finding (None when it has no key)."""
    return term(finding.key, dict(finding.values)) if finding.key else None


def explain_findings(row: Mapping[str, object], lang: str) -> list[str]:
    """One explanation per entry of `row["findings"]`, in `lang`, from the row's `finding_terms`
    ("" for a finding without a term, and for all of them when the terms do not pair with the
    findings). A finding holds no words of its own: the frame keeps none."""
    findings = list(row.get("findings") or [])  # type: ignore[call-overload]
    terms = list(row.get("finding_terms") or [])  # type: ignore[call-overload]
    if len(terms) != len(findings):
        return [""] * len(findings)
    return [finding_text(stored, lang) for stored in terms]


def explain_reasons(row: Mapping[str, object], lang: str, policy: Policy | None = None) -> list[str]:
    """The item's risk reasons in `lang`, from its stored `risk_terms`; `policy` (default: the
    packaged one) words the verdict's reason inside them. A frame made by hand with
    `risk_reasons` sentences shows those as they are."""
    stored = row.get("risk_terms")
    if stored is None:
        stored = row.get("risk_reasons")
    words = policy or packaged_policy()
    return reasons_text(stored, lang, lambda key, lang: reason_words(words, key, lang))  # type: ignore[arg-type]


def suggested_text(row: Mapping, lang: str) -> str | None:
    """The item's suggested text with the redaction labels of `lang` (`detect.label.<type>`):
    the detectors store it with the English ones (the JSON contract), so another language
    redacts the same spans again with its own words. A watch-list term's own label gives way
    to the generic one there."""
    stored = row.get("suggested_text")
    if not stored or lang == "en":
        return stored
    spans = [Finding(int(f["start"]), int(f["end"]), str(f.get("type") or ""), str(f.get("text") or ""))
             for f in row.get("findings") or [] if f.get("start") is not None and f.get("end") is not None]
    labels = {kind: t(f"detect.label.{kind}", lang) for kind in FINDING_TYPES}
    return redact(str(row.get("text") or ""), spans, labels)
