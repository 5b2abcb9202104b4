"""Risk score, reasons, suggestion, redacted text and the place to act, per item.

Every point in a score is listed in `risk_reasons` ("phone ×2: +35"), so no number is opaque.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import polars as pl

from .findings import Finding, redact
from .rules import Rules

_STRENGTH = {"delete": 4, "edit": 3, "review": 2, "restrict": 1, "keep": 0}
PROFILE_NOTE = "profile fields can only be edited on LinkedIn, not deleted"


@dataclass(frozen=True)
class Assessment:
    risk: int
    reasons: list[str]
    suggestion: str
    suggested_text: str | None


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
        why = f"exposure {exposure or 'unknown'}" + (f" ({reason})" if reason else "")
        return Assessment(0, [f"{why}: not training material, nothing to do: +0"], "keep", None)
    reasons = [f"exposure {exposure}: +{base}"]
    score = float(base)
    counts = Counter(f.type for f in findings)
    for ftype, count in sorted(counts.items(), key=lambda kv: -r["weights"][kv[0]]):
        points = (r["weights"][ftype] + r["extra_occurrence"] * (count - 1)) * factor
        score += points
        scaled = "" if factor == 1.0 else f" (×{factor:g} for {exposure})"
        reasons.append(f"{ftype} ×{count}: +{points:.0f}{scaled}")
    for flag in flags or []:
        pts = r["flag_points"].get(flag, 0) * factor
        if pts:
            score += pts
            reasons.append(f"policy flag {flag}: +{pts:.0f}")
    risk = int(min(100, round(score)))
    if not findings:
        reasons.append("no risky content found")
        return Assessment(risk, reasons, "keep", None)
    actions = sug["actions"]
    wanted = max((actions[t] for t in counts), key=_STRENGTH.__getitem__)
    if wanted == "restrict" and (visibility or "") not in sug["public_visibilities"]:
        wanted = "review"  # a name in a non-public item: worth a look, no audience to narrow
    profile = kind in sug["profile_kinds"]
    if profile:
        reasons.append(PROFILE_NOTE)
        if wanted in ("delete", "restrict"):
            wanted = "edit"
    labels = rules["labels"]
    suggested = redact(text or "", findings, labels) if wanted in ("edit", "review") else None
    reasons.append(f"suggestion {wanted}: " + _why(wanted, counts))
    return Assessment(risk, reasons, wanted, suggested)


def _why(action: str, counts: Counter) -> str:
    kinds = ", ".join(sorted(counts))
    return {
        "delete": f"holds {kinds}; identity or bank data should not stay in training material",
        "edit": f"holds {kinds}; the suggested text replaces each flagged span",
        "review": f"holds {kinds}; only you can judge whether it should stay",
        "restrict": f"names other people ({kinds}) in a public item; narrow its audience or edit it",
    }[action]


def action_url_expr(rules: Rules) -> pl.Expr:
    urls = rules["action_urls"]
    own_url_kinds = ["post", "comment", "repost", "article", "vote", "event"]
    by_field = pl.col("field").replace_strict(urls["profile_fields"], default=urls["profile"])
    by_kind = pl.col("kind").replace_strict(urls["kinds"], default=urls["default"])
    return (
        pl.when(pl.col("kind").is_in(own_url_kinds) & pl.col("url").str.starts_with("https://www.linkedin.com/"))
        .then(pl.col("url"))
        .when(pl.col("kind") == "profile-field").then(by_field)
        .otherwise(by_kind)
    ).alias("action_url")
