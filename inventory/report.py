"""Plain-text renderings for the command line (no colours, no markup: safe in any terminal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from inventory.i18n import t
from inventory.text import sanitise_text

if TYPE_CHECKING:
    from inventory.pipeline import Analysis
    from inventory.policy import Policy


def _table(rows: list[tuple[object, ...]], header: tuple[str, ...]) -> list[str]:
    cells = [tuple(str(c) for c in header)] + [tuple(sanitise_text(str(c), single_line=True) for c in r) for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def render_scan(analysis: "Analysis") -> str:
    from inventory.pipeline import summary

    scan = analysis.scan
    info = summary(analysis)
    out = [f"Export: {scan.export_kind}" + (f", delivered {scan.export_date}" if scan.export_date else "")]
    for archive in scan.archives:
        out.append(f"  {sanitise_text(archive.label, single_line=True)} ({archive.container}, {archive.delivery})")
    out.append("")
    rows = [(f.path, f.recognized_as or "UNRECOGNISED", f.rows, f.items, f.status,
             sum(1 for w in f.warnings if w.severity != "info")) for f in scan.files]
    out += _table(rows, ("file", "recognised as", "rows", "items", "status", "warnings"))
    out.append("")
    out.append(f"Items: {info['total_items']}")
    if scan.merges or scan.disambiguated:
        out.append(f"  {len(scan.merges)} record(s) repeated another one and were merged into it; "
                   f"{len(scan.disambiguated)} record(s) share their key with a different record and "
                   "have their own id (each listed in scan --json)")
    exposure = info.get("by_exposure", {})
    reasons = info.get("by_reason", {})
    policy = info["policy"]
    member = info["member"]
    out.append(f"Policy {policy['id']} v{policy['version']} (verified {policy['last_verified']}); "
               f"region {member['region'] or 'unknown'}"
               + (" (inferred from profile)" if member["region_inferred"] else "")
               + (f"; opted out on {member['opted_out_on']}" if member["opted_out_on"] else ""))
    out += _table([(k, v) for k, v in exposure.items()], ("exposure", "items"))
    if reasons:
        out += _table([(k, v) for k, v in reasons.items()], ("excluded because", "items"))
    findings = info.get("findings_by_type", {})
    if findings:
        out += _table([(k, v) for k, v in findings.items()], ("finding", "count"))
    suggestions = info.get("by_suggestion", {})
    if suggestions:
        out += _table([(k, v) for k, v in suggestions.items()], ("suggestion", "items"))
    problems = [p for p in scan.all_problems() if p.severity != "info"]
    if problems:
        out.append("")
        out.append(f"Warnings ({len(problems)}):")
        out += [f"  {p.severity}: {sanitise_text(str(p), single_line=True)}" for p in problems]
    out.append("")
    out.append(t("cli.offline"))
    return "\n".join(out)


def render_policy(policy: "Policy") -> str:
    from inventory.policy import describe_policy

    rules = describe_policy(policy)
    out = [f"Policy {policy.id} version {policy.version}, last verified {policy.last_verified}", ""]
    keys = ("id", "verdict", "reason", "source")
    rows = [tuple(str(r.get(k, "")) for k in keys) for r in rules]
    out += _table(rows, keys)
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
