"""Plain-text renderings for the command line (no colours, no markup: safe in any terminal)."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from inventory.detect.explain import type_label
from inventory.i18n import format_day, problem_detail, t, typography, value_label
from inventory.text import sanitise_text

if TYPE_CHECKING:
    from inventory.pipeline import Analysis
    from inventory.policy import Policy


WIDTH = 100  # the text output fits a 100-column terminal


def _fit(text: str, width: int) -> str:
    """`text` cut in the middle with "…" when longer than `width` (both ends of a path tell)."""
    if len(text) <= width:
        return text
    keep = width - 1
    return text[: keep - keep // 2] + "\u2026" + text[len(text) - keep // 2:]


def _table(rows: list[tuple[object, ...]], header: tuple[str, ...], *, fit: int | None = None,
           indent: str = "") -> list[str]:
    """Left-aligned columns; with `fit`, column `fit` is cut to keep lines within WIDTH."""
    cells = [tuple(str(c) for c in header)] + [tuple(sanitise_text(str(c), single_line=True) for c in r) for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    if fit is not None:
        room = WIDTH - len(indent) - (sum(widths) - widths[fit]) - 2 * (len(header) - 1)
        widths[fit] = max(min(widths[fit], room), 12)
        cells = [tuple(_fit(c, widths[fit]) if i == fit else c for i, c in enumerate(r)) for r in cells]
    lines = [indent + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, indent + "  ".join("-" * w for w in widths))
    return lines


def _wrapped(text: str, indent: str = "  ", hanging: str = "    ") -> list[str]:
    return textwrap.wrap(sanitise_text(text, single_line=True), WIDTH, initial_indent=indent,
                         subsequent_indent=hanging, break_on_hyphens=False) or [indent]


def render_scan(analysis: "Analysis", lang: str = "en") -> str:
    """What `inventory scan` prints, within WIDTH columns: the summary first, then every file
    (the Basic files a Complete export supersedes folded into one line), then every notice:
    warnings and errors, and the informational ones (hidden connections, preamble, merges…)."""
    from inventory.pipeline import summary

    scan = analysis.scan
    info = summary(analysis)
    member, policy = info["member"], info["policy"]
    out = [t("scan.export", lang, kind=scan.export_kind)
           + (t("scan.delivered", lang, date=format_day(scan.export_date, lang)) if scan.export_date else "")]
    for archive in scan.archives:
        out += _wrapped(f"{archive.label} ({archive.container}, {archive.delivery})")
    exposure = info.get("by_exposure", {})
    out.append("")
    out += _wrapped(t("scan.items", lang, count=info["total_items"]) + " · " + " · ".join(
        f"{value_label(k, lang)} {v}" for k, v in exposure.items()), indent="")
    region = (member["region"] or t("scan.unknown", lang)) + (
        " " + t("scan.inferred", lang) if member["region_inferred"] else "")
    line = t("scan.policy", lang, id=policy["id"], version=policy["version"],
             verified=format_day(analysis.policy.last_verified, lang), region=region)
    opted_out_on = analysis.context.opted_out_on
    if opted_out_on:
        line += " · " + t("scan.opted_out", lang, date=format_day(opted_out_on, lang))
    out += _wrapped(line, indent="")
    for key, header, labels in (("by_reason", "scan.col-reason", value_label),
                                ("findings_by_type", "scan.col-finding", type_label),
                                ("by_suggestion", "scan.col-suggestion", value_label)):
        values = info.get(key) or {}
        if values:
            out.append("")
            out += _table([(labels(str(k), lang), v) for k, v in values.items()], (t(header, lang), t("scan.col-items", lang)))
    superseded = [f for f in scan.files if f.status == "superseded"]
    shown = [f for f in scan.files if f.status != "superseded"]
    out.append("")
    rows = [(f.path, _fit(f.recognized_as or t("scan.unrecognised", lang), 26), f.rows, f.items, value_label(f.status, lang),
             sum(1 for w in f.warnings if w.severity != "info")) for f in shown]
    out += _table(rows, tuple(t(f"scan.col-{c}", lang) for c in ("file", "recognised", "rows", "items", "status",
                                                                  "warnings")), fit=0)
    if superseded:
        out += _wrapped(t("scan.superseded", lang, count=len(superseded)) + " "
                        + ", ".join(sorted(f.path for f in superseded)), indent="", hanging="  ")
    problems = scan.all_problems()
    notices = [p for p in problems if p.severity == "info" and p.code != "superseded"]
    warnings = [p for p in problems if p.severity != "info"]
    if scan.duplicates_merged:
        out += ["", t("scan.merged", lang, count=scan.duplicates_merged)]
    for heading, listed in (("scan.warnings", warnings), ("scan.notices", notices)):
        if listed:
            out += ["", t(heading, lang, count=len(listed))]
            for p in listed:
                out += _wrapped(t("scan.problem", lang, severity=value_label(p.severity, lang), where=p.where(),
                                  detail=problem_detail(p, lang)))
    out.append("")
    out.append(t("cli.offline", lang))
    return "\n".join(out)


def render_policy(policy: "Policy", lang: str = "en") -> str:
    """The rules in force, one per paragraph (a reason is a sentence: a table would not fit)."""
    from inventory.policy import describe_policy, reason_words

    out = [t("scan.policy-head", lang, id=policy.id, version=policy.version,
             verified=format_day(policy.last_verified, lang))]
    for rule in describe_policy(policy):
        out.append("")
        out += _wrapped(f"{rule.get('id', '')} \u2192 {value_label(str(rule.get('verdict', '')), lang)}", indent="")
        key = rule.get("key")
        out += _wrapped(typography(reason_words(policy, key, lang) if key else str(rule.get("reason") or ""), lang))
        if rule.get("source"):
            out += _wrapped(t("scan.source", lang, source=rule["source"]))
    return "\n".join(out)


def checklist_context(analysis: "Analysis") -> dict[str, object]:
    from inventory.pipeline import summary

    info = summary(analysis)
    return {
        "policy_id": analysis.policy.id, "policy_version": analysis.policy.version,
        "region": analysis.context.region,
        "opted_out_on": analysis.context.opted_out_on.isoformat() if analysis.context.opted_out_on else None,
        "export_date": analysis.scan.export_date.isoformat() if analysis.scan.export_date else None,
        "export_kind": analysis.scan.export_kind, "summary": info,
    }
