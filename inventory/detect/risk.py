"""Risk score, reasons, suggestion, redacted text and the place to act, per item.

Every point in a score is listed in `risk_reasons` ("phone ×2: +35"), so no number is opaque.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import polars as pl

from .findings import Finding, redact
from .rules import Rules
from .words import render_reason, term

_STRENGTH = {"delete": 4, "edit": 3, "review": 2, "restrict": 1, "keep": 0}
PROFILE_NOTE = "profile fields can only be edited on LinkedIn, not deleted"  # = detect.reason.profile-note


@dataclass(frozen=True)
class Assessment:
    risk: int
    terms: list[tuple[str, dict[str, object]]]  # each reason as (catalogue key, values): see words.py
    suggestion: str
    suggested_text: str | None

    @property
    def reasons(self) -> list[str]:
        """The reasons in English (the JSON contract's `risk_reasons`)."""
        return [render_reason(key, values, "en") for key, values in self.terms]

    @property
    def stored_terms(self) -> list[str]:
        """The reasons as the frame stores them (`risk_terms`)."""
        return [term(key, values) for key, values in self.terms]


def verdict_points(exposure: str | None, rules: Rules) -> tuple[int, float]:
    r = rules["risk"]
    key = exposure or "other"
    return int(r["verdict_base"].get(key, 0)), float(r["verdict_factor"].get(key, 0.0))


def assess(text: str | None, exposure: str | None, reason: str | None, kind: str,
           visibility: str | None, flags: list[str] | None, findings: list[Finding],
           rules: Rules) -> Assessment:
    r = rules["risk"]
    sug = rules["suggest"]
    base, factor = verdict_points(exposure, rules)
    if exposure not in rules["scan_exposures"]:
        shown = exposure or "unknown"
        terms = [("not-training-why", {"exposure": shown, "reason": reason}) if reason
                 else ("not-training", {"exposure": shown})]
        return Assessment(0, terms, "keep", None)
    terms: list[tuple[str, dict[str, object]]] = [("exposure", {"exposure": exposure, "points": str(base)})]
    score = float(base)
    counts = Counter(f.type for f in findings)
    for ftype, count in sorted(counts.items(), key=lambda kv: -r["weights"][kv[0]]):
        points = (r["weights"][ftype] + r["extra_occurrence"] * (count - 1)) * factor
        score += points
        values = {"type": ftype, "count": str(count), "points": f"{points:.0f}"}
        if factor == 1.0:
            terms.append(("finding", values))
        else:
            terms.append(("finding-scaled", {**values, "factor": f"{factor:g}", "exposure": exposure}))
    for flag in flags or []:
        pts = r["flag_points"].get(flag, 0) * factor
        if pts:
            score += pts
            terms.append(("flag", {"flag": flag, "points": f"{pts:.0f}"}))
    risk = int(min(100, round(score)))
    if not findings:
        terms.append(("nothing-found", {}))
        return Assessment(risk, terms, "keep", None)
    actions = sug["actions"]
    wanted = max((actions[t] for t in counts), key=_STRENGTH.__getitem__)
    if wanted == "restrict" and (visibility or "") not in sug["public_visibilities"]:
        wanted = "review"  # a name in a non-public item: worth a look, no audience to narrow
    profile = kind in sug["profile_kinds"]
    if profile:
        terms.append(("profile-note", {}))
        if wanted in ("delete", "restrict"):
            wanted = "edit"
    labels = rules["labels"]
    suggested = redact(text or "", findings, labels) if wanted in ("edit", "review") else None
    terms.append((f"suggest-{wanted}", {"types": tuple(sorted(counts))}))
    return Assessment(risk, terms, wanted, suggested)


def action_url_expr(rules: Rules) -> pl.Expr:
    """Categorical: most items' place to act is one page per kind, repeated on every row. Each
    branch is categorical already, and the kinds and fields are looked up as categoricals:
    string branches would each be a copy of every row's URL (34 MiB at 210,000 rows against
    6), and a look-up of every row's string costs twice a categorical's (83 MiB at 1.7
    million rows against 48)."""
    urls = rules["action_urls"]
    own_url_kinds = ["post", "comment", "repost", "article", "vote", "event"]
    by_field = pl.col("field").cast(pl.Categorical).replace_strict(
        urls["profile_fields"], default=urls["profile"], return_dtype=pl.Categorical)
    by_kind = pl.col("kind").cast(pl.Categorical).replace_strict(
        urls["kinds"], default=urls["default"], return_dtype=pl.Categorical)
    # The item's own URL where it has one: only those URLs become categories.
    own = pl.when(pl.col("kind").is_in(own_url_kinds) & pl.col("url").str.starts_with("https://www.linkedin.com/"))
    return pl.coalesce(
        own.then(pl.col("url")).cast(pl.Categorical),
        pl.when(pl.col("kind") == "profile-field").then(by_field).otherwise(by_kind),
    ).alias("action_url")
