"""The cleanup checklist: what to change, delete and edit, in the order that protects most.

build_checklist() turns the analysed frame and the member's decisions into a Checklist value
(plain data, no formatting); render() writes it as Markdown, HTML, CSV or JSON. Every piece of
export text is untrusted: control, bidi and zero-width characters are replaced, and each format
escapes what it must (Markdown punctuation, HTML entities, spreadsheet formulas).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import tomllib
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Mapping

import polars as pl

from inventory.detect.explain import explain_findings, suggested_text
from inventory.i18n import catalogue, format_day, t, typography
from inventory.text import safe_linkedin_url, sanitise_text

if TYPE_CHECKING:
    from inventory.policy import Policy

EXPOSURES = ("training", "excluded", "other", "uncertain")
EXPOSED = ("training", "uncertain")  # what the member may want to act on
EXCERPT_CHARS = 120
FORMATS = ("md", "html", "csv", "json")
CHECKLIST_FORMAT = "inventory-checklist"
CHECKLIST_VERSION = 1

# ---------------------------------------------------------------------------------------------
# untrusted text


# Runs of whitespace collapse to one space, but no-break spaces stay: French typography needs them
# before : ; ! ? and inside « » (the policy's French reasons, the letters).
_SPACE_RE = re.compile(r"[^\S\u00a0\u202f]+")


def clean_text(text: str | None, *, keep_newlines: bool = False) -> str:
    """Export text made safe for a report (inventory.text, U+FFFD for anything unsafe), with
    whitespace collapsed unless keep_newlines."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    if keep_newlines:
        text = sanitise_text(text.replace("\t", " "), visible=False)
        return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
    return sanitise_text(_SPACE_RE.sub(" ", text), visible=False).strip()


def excerpt(text: str | None, limit: int = EXCERPT_CHARS) -> str:
    text = clean_text(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def is_linkedin_url(url: str | None) -> bool:
    return safe_linkedin_url(url) is not None


# ---------------------------------------------------------------------------------------------
# data


@lru_cache(maxsize=1)
def load_settings() -> dict:
    text = (resources.files("inventory") / "data" / "settings.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@dataclass
class SettingStep:
    id: str
    title: str
    path: str
    url: str
    does: str
    confirmed: bool
    note: str | None = None
    objection_text: str | None = None


@dataclass
class Entry:
    id: str
    kind: str
    kind_label: str
    date: str | None
    excerpt: str
    why: list[str]
    link: str | None
    risk: int
    exposure: str | None
    suggestion: str | None
    decision: str | None  # the member's, when there is one
    action: str  # delete | edit | later | review
    suggested_text: str | None = None
    note: str | None = None
    finding_types: list[str] = field(default_factory=list)


@dataclass
class Group:
    code: str
    kind: str
    label: str
    count: int
    why: str


@dataclass
class Checklist:
    lang: str
    context: dict
    settings: list[SettingStep]
    delete: list[Entry]
    edit: list[Entry]
    postponed: list[Entry]
    review: list[Entry]
    excluded: list[Group]
    uncertain: list[Group]
    summary: dict
    plan: dict[str, str]
    # what `inventory verify` needs from the old export: planned items in full, exposed ids
    planned_items: list[dict]
    exposed_ids: list[str]


def _has(frame: pl.DataFrame, name: str) -> bool:
    return name in frame.columns


def _key_exists(key: str, lang: str) -> bool:
    return key in catalogue().get(lang, {}) or key in catalogue()["en"]


def _label(prefix: str, code: str, lang: str) -> str:
    key = f"checklist.{prefix}_{code}"
    return t(key, lang) if _key_exists(key, lang) else clean_text(code)


def count_text(kind: str, count: int, lang: str) -> str:
    """"1 post", "3 posts", "1 champ du profil": the count with the kind's right plural form."""
    key = f"checklist.count_{kind}"
    if _key_exists(key, lang):
        return t(key, lang, count=count)
    return f"{count} {_label('kind', kind, lang)}"


def _date_text(value: object) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if value:
        return clean_text(str(value))[:32]
    return None


def followed_actions(frame: pl.DataFrame, decisions: Mapping[str, str]) -> dict[str, tuple[str, str | None]]:
    """Item id -> (action, the member's decision or None) for every item the checklist lists:
    action delete|edit from the member's decision or else the tool's suggestion, `later` when
    postponed, `review` for a suggested review or audience restriction; kept items are left out.
    In the frame's order. (Worked out by polars: only the listed items become Python values.)"""
    suggestion = pl.col("suggestion") if _has(frame, "suggestion") else pl.lit(None, dtype=pl.String)
    decision = (pl.col("id").replace_strict(list(decisions), list(decisions.values()), default=None,
                                            return_dtype=pl.String)
                if decisions else pl.lit(None, dtype=pl.String))
    decided = pl.col("decision").is_in(["delete", "edit", "later"])
    action = (pl.when(decided).then(pl.col("decision"))
              .when(pl.col("decision") == "keep").then(None)
              .when(pl.col("suggestion").is_in(["delete", "edit"])).then(pl.col("suggestion"))
              .when(pl.col("suggestion").is_in(["restrict", "review"])).then(pl.lit("review")))
    listed = (frame.select("id", suggestion.alias("suggestion"), decision.alias("decision"))
              .with_columns(action.alias("action"), pl.when(decided).then(pl.col("decision")).alias("decision"))
              .filter(pl.col("action").is_not_null()))
    return {item_id: (act, dec) for item_id, act, dec in listed.select("id", "action", "decision").iter_rows()}


def followed_items(frame: pl.DataFrame, decisions: Mapping[str, str]) -> list[dict]:
    """Every item the checklist lists, in full, as its JSON's `planned_items` holds them (what
    `inventory verify` needs of the old export), by id."""
    actions = followed_actions(frame, decisions)
    rows = frame.filter(pl.col("id").is_in(list(actions))).iter_rows(named=True)
    return sorted((_planned_item(row, actions[row["id"]][0]) for row in rows), key=lambda item: item["id"])


def _risky(frame: pl.DataFrame) -> pl.Series:
    """Per row: exposed (training or uncertain) and at least one finding."""
    if not (_has(frame, "exposure") and _has(frame, "findings")):
        return pl.Series("risky", [False] * frame.height, dtype=pl.Boolean)
    return frame.select(
        (pl.col("exposure").is_in(EXPOSED).fill_null(False)
         & (pl.col("findings").list.len().fill_null(0) > 0)).alias("risky"))["risky"]


def what_if(frame: pl.DataFrame, decisions: Mapping[str, str]) -> dict:
    """Exposure counts now, and after the deletions and edits in `decisions` are carried out.
    Deleted items leave every count; edited items stay but no longer count as risky (the edit
    removes what was flagged). Only ids present in `frame` count."""
    ids = frame["id"]
    delete_ids = [i for i, a in decisions.items() if a == "delete"]
    edit_ids = [i for i, a in decisions.items() if a == "edit"]
    deleted = ids.is_in(delete_ids)
    edited = ids.is_in(edit_ids)

    def counts(sub: pl.DataFrame, risky: pl.Series) -> dict[str, int]:
        found = (dict(sub.group_by("exposure").len().iter_rows()) if _has(sub, "exposure") else {})
        result = {exposure: int(found.get(exposure, 0)) for exposure in EXPOSURES}
        result["risky"] = int(risky.sum())
        result["total"] = sub.height
        return result

    risky = _risky(frame)
    keep = ~deleted
    after_risky = risky & keep & ~edited
    return {
        "before": counts(frame, risky),
        "after": counts(frame.filter(keep), after_risky.filter(keep)),
        "deleted": int(deleted.sum()),
        "edited": int((edited & keep).sum()),
    }


def _finding_types(findings: object) -> list[str]:
    types: list[str] = []
    for finding in findings or []:
        kind = finding.get("type") if isinstance(finding, dict) else None
        if kind and kind not in types:
            types.append(str(kind))
    return types


def _finding_details(row: dict, lang: str) -> list[str]:
    """What each finding is ("phone number (FR, validated)"), in `lang`, once each. Only for
    rows the detectors explained as data (`finding_terms`), so a French list is never English."""
    findings, terms = row.get("findings") or [], row.get("finding_terms") or []
    if not findings or len(terms) != len(findings) or not all(terms):
        return []
    return list(dict.fromkeys(clean_text(d) for d in explain_findings(row, lang) if d))


def _entry(row: dict, action: str, decision: str | None, lang: str) -> Entry:
    kind = row.get("kind") or "unknown"
    exposure = row.get("exposure")
    types = _finding_types(row.get("findings"))
    why = []
    if exposure:
        why.append(_label("exposure", exposure, lang))
    if types:
        labels = ", ".join(_label("finding", ft, lang) for ft in types)
        why.append(t("checklist.findings", lang, list=labels))
    details = _finding_details(row, lang)
    if details:
        why.append(t("checklist.finding_details", lang, list=", ".join(details)))
    text = row.get("text") or row.get("title") or ""
    if row.get("field"):
        text = f"{row['field']}: {text}"
    note = None
    if kind == "profile-field" and action == "delete":
        note = t("checklist.label_profile_edit", lang)
    elif action == "review":
        note = t("checklist.label_restrict" if row.get("suggestion") == "restrict" else "checklist.label_review", lang)
    link = row.get("action_url") or row.get("url")
    suggested = suggested_text(row, lang) if action == "edit" else None
    return Entry(
        id=str(row["id"]), kind=kind, kind_label=_label("kind", kind, lang), date=_date_text(row.get("date")),
        excerpt=excerpt(text), why=why, link=clean_text(link) or None, risk=int(row.get("risk") or 0),
        exposure=exposure, suggestion=row.get("suggestion"), decision=decision, action=action,
        suggested_text=clean_text(suggested, keep_newlines=True) if suggested else None, note=note,
        finding_types=types,
    )


def _in_region(region: str | None, codes: list[str]) -> bool | None:
    if not region:
        return None
    return region.strip().lower() in {c.lower() for c in codes}


def _objection_key(gdpr: bool | None, uk: bool | None) -> str:
    """The objection letter for the member's region: UK GDPR to LinkedIn Corporation, GDPR to
    LinkedIn Ireland (also when the region is unknown, with a note), else a plain objection."""
    if uk:
        return "checklist.objection_uk"
    return "checklist.objection_generic" if gdpr is False else "checklist.objection_gdpr"


def _in_words(value: object, lang: str) -> str | None:
    """A date in prose, in the member's language ("21 November 2026", "21 novembre 2026"); the
    fields of the JSON and CSV keep ISO 8601 (_date_text)."""
    text = _date_text(value)
    try:
        return format_day(date.fromisoformat(text[:10]), lang) if text else None
    except ValueError:
        return text  # not a date: shown as it was given


def _settings(lang: str, context: dict, categories: str) -> list[SettingStep]:
    data = load_settings()
    region = context.get("region")
    gdpr = _in_region(region, data["regions"]["gdpr"])
    uk = _in_region(region, data["regions"]["uk"])
    europe = _in_region(region, data["regions"]["no_microsoft_ads_sharing"])
    export_date = _in_words(context.get("export_date"), lang) or t("checklist.unknown", lang)
    steps = []
    for setting in data["setting"]:
        text = setting.get(lang) or setting["en"]
        note = None
        if setting.get("when") == "microsoft-ads":
            if europe:
                continue
            if europe is None:
                note = t("checklist.label_region_unknown", lang)
        objection = None
        if setting.get("objection"):
            objection = t(_objection_key(gdpr, uk), lang, export_date=export_date, categories=categories)
            if gdpr is None:
                note = t("checklist.objection_region_unknown", lang)
        steps.append(SettingStep(id=setting["id"], title=text["title"], path=text["path"], url=setting["url"],
                                 does=text["does"], confirmed=bool(setting.get("confirmed")), note=note,
                                 objection_text=objection))
    return steps


def _category_text(frame: pl.DataFrame, context: dict, lang: str) -> str:
    """The exposed kinds with their counts, biggest first ("12 posts; 1 comment"). Unrecognised
    entries are left out: the letter names what LinkedIn processes, not what the tool missed."""
    counts = context.get("counts")
    if not counts:
        exposed = frame.filter(pl.col("exposure").is_in(EXPOSED)) if _has(frame, "exposure") else frame
        counts = {kind: n for kind, n in exposed.group_by("kind").len().iter_rows()}
    kinds = [(int(n), str(kind)) for kind, n in counts.items() if n and kind and kind != "unknown"]
    kinds.sort(key=lambda pair: (-pair[0], _label("kind", pair[1], lang)))
    # French spaces the semicolon like the catalogues' texts (i18n.typography).
    return typography(" ; " if lang == "fr" else "; ", lang).join(count_text(kind, n, lang) for n, kind in kinds) or "-"


@lru_cache(maxsize=1)
def _packaged_policy() -> "Policy":
    from inventory.policy import load_policy  # noqa: PLC0415 - only when no policy is given

    return load_policy()


def _reason(policy: "Policy | None", key: str, lang: str) -> str:
    """The verdict reason in `lang`, from its key (the frame's `exposure_reason`); a text that
    is no key of the policy (a hand-made frame) is shown as it is."""
    from inventory.policy import reason_words  # noqa: PLC0415

    return reason_words(policy or _packaged_policy(), key, lang) if key else key


def _groups(frame: pl.DataFrame, exposure: str, prefix: str, lang: str,
            policy: "Policy | None" = None) -> list[Group]:
    if not _has(frame, "exposure"):
        return []
    sub = frame.filter(pl.col("exposure") == exposure)
    reason = pl.col("exposure_reason") if _has(sub, "exposure_reason") else pl.lit(None, pl.String)
    rows = (sub.select(reason.cast(pl.String).fill_null("").alias("code"), pl.col("kind").fill_null("unknown"))
            .group_by("code", "kind").agg(pl.len().alias("len"))
            .sort(["len", "code", "kind"], descending=[True, False, False]))
    groups = []
    for code, kind, count in rows.select("code", "kind", "len").iter_rows():
        if prefix and code:
            why = _label(prefix, code, lang)
        else:
            why = clean_text(_reason(policy, code, lang)) or t("checklist.unknown", lang)
        groups.append(Group(code=code, kind=kind, label=_label("kind", kind, lang), count=int(count), why=why))
    return groups


def _order(entries: list[Entry]) -> None:
    """Riskiest first, then newest first, then by id (stable sorts, applied last key first)."""
    entries.sort(key=lambda e: e.id)
    entries.sort(key=lambda e: e.date or "", reverse=True)
    entries.sort(key=lambda e: -e.risk)


def build_checklist(frame: pl.DataFrame, decisions: Mapping[str, str], *, lang: str, context: dict,
                    policy: "Policy | None" = None) -> "Checklist":
    """frame: analysed items; decisions: item id -> delete|edit|keep|later (the state file);
    context: policy, policy_version, region, opted_out_on, export_date, counts (category -> n);
    policy: the Policy that classified the frame, for its French reasons (default: the packaged one)."""
    context = _context_dict(context)
    actions = followed_actions(frame, decisions)
    wanted = frame.filter(pl.col("id").is_in(list(actions)))
    sections: dict[str, list[Entry]] = {"delete": [], "edit": [], "later": [], "review": []}
    planned_items = []
    for row in wanted.iter_rows(named=True):
        action, decision = actions[row["id"]]
        sections[action].append(_entry(row, action, decision, lang))
        planned_items.append(_planned_item(row, action))  # verify follows every listed item
    for entries in sections.values():
        _order(entries)
    plan = {item_id: action for item_id, (action, _) in actions.items() if action in ("delete", "edit")}
    stale = len(decisions) - int(pl.Series(list(decisions), dtype=pl.String).is_in(frame["id"].implode()).sum())
    exposed_ids = (sorted(frame.filter(pl.col("exposure").is_in(EXPOSED))["id"].to_list())
                   if _has(frame, "exposure") else [])
    summary = {
        "what_if": what_if(frame, plan),
        "counts": {"delete": len(sections["delete"]), "edit": len(sections["edit"]),
                   "postponed": len(sections["later"]), "review": len(sections["review"])},
        "stale_decisions": stale,
        "policy": context.get("policy") or context.get("policy_id"),
        "policy_version": context.get("policy_version"),
        "export_date": _date_text(context.get("export_date")),
        "opted_out_on": _date_text(context.get("opted_out_on")),
        "region": context.get("region"),
        "offline": True,
    }
    return Checklist(
        lang=lang, context={k: _json_safe(v) for k, v in context.items()},
        settings=_settings(lang, context, _category_text(frame, context, lang)),
        delete=sections["delete"], edit=sections["edit"], postponed=sections["later"], review=sections["review"],
        excluded=_groups(frame, "excluded", "excluded", lang), uncertain=_groups(frame, "uncertain", "", lang, policy),
        summary=summary, plan=dict(sorted(plan.items())),
        planned_items=sorted(planned_items, key=lambda item: item["id"]), exposed_ids=exposed_ids,
    )


def _context_dict(context: object) -> dict:
    """Accept a mapping or a dataclass (e.g. policy.MemberContext) as context."""
    if context is None:
        return {}
    if is_dataclass(context) and not isinstance(context, type):
        return {f.name: getattr(context, f.name) for f in fields(context)}
    if isinstance(context, Mapping):
        return dict(context)
    return {}


def _json_safe(value: object) -> object:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_json_safe(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return _json_safe({f.name: getattr(value, f.name) for f in fields(value)})
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _planned_item(row: dict, action: str) -> dict:
    """The old item as verify needs it (raw text: the checklist JSON is itself private data).
    Each finding keeps the file's English `detail`, rendered here from its term (the frame
    holds none)."""
    findings = [{**{k: f.get(k) for k in ("type", "start", "end", "text")}, "detail": detail}
                for f, detail in zip(row.get("findings") or [], explain_findings(row, "en")) if isinstance(f, dict)]
    return {
        "id": row["id"], "action": action, "kind": row.get("kind"),
        "date": row["date"].isoformat() if isinstance(row.get("date"), datetime) else None,
        "title": row.get("title"), "text": row.get("text"), "url": row.get("url"),
        "exposure": row.get("exposure"), "findings": findings,
    }


# ---------------------------------------------------------------------------------------------
# rendering


def render(checklist: Checklist, fmt: str) -> str:
    if fmt == "md":
        return render_markdown(checklist)
    if fmt == "html":
        return render_html(checklist)
    if fmt == "csv":
        return render_csv(checklist)
    if fmt == "json":
        return render_json(checklist)
    raise ValueError(f"unknown checklist format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _subtitle(c: Checklist) -> str:
    s = c.summary
    unknown = t("checklist.unknown", c.lang)
    return t("checklist.subtitle", c.lang, export_date=_in_words(s["export_date"], c.lang) or unknown,
             policy=clean_text(str(s["policy_version"] or s["policy"] or unknown)),
             region=clean_text(str(s["region"] or unknown)))


def _summary_rows(c: Checklist) -> list[tuple[str, int, int]]:
    w = c.summary["what_if"]
    rows = [(_label("exposure", e, c.lang), w["before"][e], w["after"][e]) for e in EXPOSURES]
    rows.append((t("checklist.summary_risky", c.lang), w["before"]["risky"], w["after"]["risky"]))
    rows.append((t("checklist.summary_total", c.lang), w["before"]["total"], w["after"]["total"]))
    return rows


def _summary_lines(c: Checklist) -> list[str]:
    s, lang = c.summary, c.lang
    unknown = t("checklist.unknown", lang)
    lines = [t("checklist.summary_counts", lang, deleted=s["counts"]["delete"], edited=s["counts"]["edit"],
               postponed=s["counts"]["postponed"], review=s["counts"]["review"])]
    lines.append(t("checklist.summary_policy", lang, policy=clean_text(str(s["policy"] or unknown)),
                   version=clean_text(str(s["policy_version"] or unknown))))
    lines.append(t("checklist.summary_export", lang, export_date=_in_words(s["export_date"], lang) or unknown))
    if s["opted_out_on"]:
        lines.append(t("checklist.summary_opted_out", lang, date=_in_words(s["opted_out_on"], lang)))
    if s["stale_decisions"]:
        lines.append(t("checklist.summary_stale", lang, count=s["stale_decisions"]))
    lines.append(t("checklist.past_training", lang))
    lines.append(t("checklist.retention", lang))
    lines.append(t("checklist.offline", lang))
    return lines


# ---- Markdown ----

_MD_SPECIAL_RE = re.compile(r"([\\`*_\[\]<>|~]|&(?=#?\w+;))")
_MD_AUTOLINK_RE = re.compile(r"://|\bwww\.", re.I)  # GFM would make these clickable
_MD_LINE_START_RE = re.compile(r"^([#+\-=>]|\d+[.)])")


def md_escape(text: str) -> str:
    """Inline Markdown text: characters that could start emphasis, code, a link, raw HTML, an
    entity or a table cell are backslash-escaped (CommonMark allows escaping any ASCII
    punctuation), and so is a first character that could start a block."""
    text = _MD_SPECIAL_RE.sub(r"\\\1", text)
    text = _MD_AUTOLINK_RE.sub(lambda m: m.group(0).replace("/", "\\/").replace(".", "\\."), text)
    return _MD_LINE_START_RE.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], text)


def _md_link(url: str | None) -> str:
    if not url:
        return ""
    return f"<{url}>" if is_linkedin_url(url) else md_escape(url)


def _md_fence(text: str, indent: str) -> list[str]:
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [indent + fence] + [indent + line for line in text.split("\n")] + [indent + fence]


def _md_entry(e: Entry, lang: str, *, checkbox: bool = True) -> list[str]:
    head = f"**{e.date or t('checklist.date_unknown', lang)}** · {md_escape(e.kind_label)}"
    if e.risk:
        head += f" · {t('checklist.label_risk', lang, risk=e.risk)}"
    if e.decision:
        head += f" · *{t('checklist.label_your_decision', lang)}*"
    lines = [("- [ ] " if checkbox else "- ") + head + (f" — {md_escape(e.excerpt)}" if e.excerpt else "")]
    if e.why:
        lines.append(f"  - {t('checklist.label_why', lang)} {md_escape('; '.join(e.why))}")
    if e.note:
        lines.append(f"  - {md_escape(e.note)}")
    if e.suggested_text:
        lines += _md_labelled_block(t("checklist.label_suggested", lang), e.suggested_text)
    if e.link:
        lines.append(f"  - {t('checklist.label_link', lang)} {_md_link(e.link)}")
    return lines


def _md_labelled_block(label: str, text: str) -> list[str]:
    """A list entry followed by a fenced block (suggested text, objection text)."""
    return [f"  - {label}", "", *_md_fence(text, "    "), ""]


def render_markdown(c: Checklist) -> str:
    lang = c.lang
    out = [f"# {t('checklist.title', lang)}", "", md_escape(_subtitle(c)), "", f"## {t('checklist.settings_heading', lang)}", ""]
    for s in c.settings:
        title = f"**{md_escape(s.title)}**" + ("" if s.confirmed else f" {t('checklist.label_unconfirmed', lang)}")
        out.append(f"- [ ] {title}")
        out.append(f"  - {t('checklist.label_path', lang)} {md_escape(s.path)}")
        out.append(f"  - {t('checklist.label_link', lang)} {_md_link(s.url)}")
        out.append(f"  - {md_escape(s.does)}")
        if s.note:
            out.append(f"  - {md_escape(s.note)}")
        if s.objection_text:
            out += _md_labelled_block(t("checklist.label_objection", lang), s.objection_text)
    for heading, entries, level in (("delete_heading", c.delete, "##"), ("edit_heading", c.edit, "##"),
                                    ("postponed_heading", c.postponed, "###"), ("review_heading", c.review, "###")):
        out += ["", f"{level} {t('checklist.' + heading, lang)}", ""]
        if not entries:
            out.append(t("checklist.none", lang))
        for e in entries:
            out.extend(_md_entry(e, lang))
    out += ["", f"## {t('checklist.excluded_heading', lang)}", ""]
    out += [f"- {md_escape(t('checklist.excluded_line', lang, items=count_text(g.kind, g.count, lang), why=g.why))}"
            for g in c.excluded] or [t("checklist.none", lang)]
    out += ["", f"### {t('checklist.uncertain_heading', lang)}", ""]
    out += [f"- {md_escape(t('checklist.uncertain_line', lang, items=count_text(g.kind, g.count, lang), why=g.why))}"
            for g in c.uncertain] or [t("checklist.none", lang)]
    out += ["", f"## {t('checklist.summary_heading', lang)}", "",
            f"| {t('checklist.summary_items', lang)} | {t('checklist.summary_now', lang)} | {t('checklist.summary_after', lang)} |",
            "|---|---:|---:|"]
    out += [f"| {md_escape(name)} | {now} | {after} |" for name, now, after in _summary_rows(c)]
    out.append("")
    for line in _summary_lines(c):
        out += [md_escape(line), ""]
    return "\n".join(out).rstrip() + "\n"


# ---- HTML ----

CSP = "default-src 'none'; style-src 'unsafe-inline'"
_CSS = """
body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:1.5rem auto;padding:0 1rem;color:#111}
h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:1px solid #999;margin-top:2rem}h3{font-size:1.05rem}
ul.items{list-style:none;padding-left:0}ul.items>li{margin:.6rem 0;padding:.4rem;border-left:3px solid #bbb;break-inside:avoid}
.meta{font-weight:600}.why,.note{color:#333;font-size:.92rem}.url{font-family:monospace;font-size:.85rem;word-break:break-all}
pre{white-space:pre-wrap;word-wrap:break-word;background:#f4f4f4;padding:.5rem;border:1px solid #ddd}
table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2rem .6rem}td.n{text-align:right}
.risk{color:#900}.unconfirmed{color:#666;font-style:italic}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}input{-webkit-print-color-adjust:exact}}
""".strip()


def h(text: object) -> str:
    return html.escape(str(text), quote=True)


def _html_url(url: str | None, lang: str) -> str:
    # Links are text, never href: the report must reference no remote resource (docs/bad-input.md G4).
    if not url:
        return ""
    return f'<div class="url">{h(t("checklist.label_link", lang))} {h(url)}</div>'


def _html_entry(e: Entry, lang: str) -> str:
    meta = f"{h(e.date or t('checklist.date_unknown', lang))} · {h(e.kind_label)}"
    if e.risk:
        meta += f' · <span class="risk">{h(t("checklist.label_risk", lang, risk=e.risk))}</span>'
    if e.decision:
        meta += f" · <em>{h(t('checklist.label_your_decision', lang))}</em>"
    parts = [f'<li><label><input type="checkbox"> <span class="meta">{meta}</span></label>']
    if e.excerpt:
        parts.append(f"<div>{h(e.excerpt)}</div>")
    if e.why:
        parts.append(f'<div class="why">{h(t("checklist.label_why", lang))} {h("; ".join(e.why))}</div>')
    if e.note:
        parts.append(f'<div class="note">{h(e.note)}</div>')
    if e.suggested_text:
        parts.append(f'<div>{h(t("checklist.label_suggested", lang))}</div><pre>{h(e.suggested_text)}</pre>')
    parts.append(_html_url(e.link, lang))
    parts.append("</li>")
    return "".join(parts)


def _html_list(entries: list[Entry], lang: str) -> str:
    if not entries:
        return f"<p>{h(t('checklist.none', lang))}</p>"
    return '<ul class="items">' + "\n".join(_html_entry(e, lang) for e in entries) + "</ul>"


def render_html(c: Checklist) -> str:
    lang = c.lang
    out = [
        "<!DOCTYPE html>", f'<html lang="{h(lang)}">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{h(CSP)}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{h(t('checklist.title', lang))}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
        f"<h1>{h(t('checklist.title', lang))}</h1>", f"<p>{h(_subtitle(c))}</p>",
        f"<p class=\"note\">{h(t('checklist.links_as_text', lang))}</p>",
        f"<h2>{h(t('checklist.settings_heading', lang))}</h2>", '<ul class="items">',
    ]
    for s in c.settings:
        item = [f'<li><label><input type="checkbox"> <span class="meta">{h(s.title)}</span></label>']
        if not s.confirmed:
            item.append(f' <span class="unconfirmed">{h(t("checklist.label_unconfirmed", lang))}</span>')
        item.append(f'<div>{h(t("checklist.label_path", lang))} {h(s.path)}</div>')
        item.append(_html_url(s.url, lang))
        item.append(f'<div class="why">{h(s.does)}</div>')
        if s.note:
            item.append(f'<div class="note">{h(s.note)}</div>')
        if s.objection_text:
            item.append(f'<div>{h(t("checklist.label_objection", lang))}</div><pre>{h(s.objection_text)}</pre>')
        item.append("</li>")
        out.append("".join(item))
    out.append("</ul>")
    for heading, entries, tag in (("delete_heading", c.delete, "h2"), ("edit_heading", c.edit, "h2"),
                                  ("postponed_heading", c.postponed, "h3"), ("review_heading", c.review, "h3")):
        out.append(f"<{tag}>{h(t('checklist.' + heading, lang))}</{tag}>")
        out.append(_html_list(entries, lang))
    for heading, groups, key, tag in (("excluded_heading", c.excluded, "excluded_line", "h2"),
                                      ("uncertain_heading", c.uncertain, "uncertain_line", "h3")):
        out.append(f"<{tag}>{h(t('checklist.' + heading, lang))}</{tag}>")
        if groups:
            out.append("<ul>" + "".join(
                f"<li>{h(t('checklist.' + key, lang, items=count_text(g.kind, g.count, lang), why=g.why))}</li>" for g in groups) + "</ul>")
        else:
            out.append(f"<p>{h(t('checklist.none', lang))}</p>")
    out.append(f"<h2>{h(t('checklist.summary_heading', lang))}</h2>")
    out.append(f"<table><tr><th>{h(t('checklist.summary_items', lang))}</th><th>{h(t('checklist.summary_now', lang))}</th>"
               f"<th>{h(t('checklist.summary_after', lang))}</th></tr>")
    out += [f'<tr><td>{h(name)}</td><td class="n">{now}</td><td class="n">{after}</td></tr>'
            for name, now, after in _summary_rows(c)]
    out.append("</table>")
    out += [f"<p>{h(line)}</p>" for line in _summary_lines(c)]
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


# ---- CSV ----

CSV_COLUMNS = ("section", "done", "id", "kind", "date", "risk", "action", "title", "excerpt", "why",
               "link", "path", "suggested_text", "count")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell a spreadsheet will not run: text starting with = + - @ tab or CR gets a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


CSV_DELIMITER = {"en": ",", "fr": ";"}  # the separator a spreadsheet of that language expects


def render_csv(c: Checklist) -> str:
    rows: list[dict[str, object]] = []
    for s in c.settings:
        rows.append({"section": "settings", "id": s.id, "title": s.title, "path": s.path, "link": s.url,
                     "why": s.does if not s.note else f"{s.does} {s.note}", "suggested_text": s.objection_text})
    for section, entries in (("delete", c.delete), ("edit", c.edit), ("postponed", c.postponed), ("review", c.review)):
        for e in entries:
            rows.append({"section": section, "id": e.id, "kind": e.kind_label, "date": e.date, "risk": e.risk,
                         "action": e.decision or e.suggestion, "excerpt": e.excerpt,
                         "why": "; ".join(e.why + ([e.note] if e.note else [])), "link": e.link,
                         "suggested_text": e.suggested_text})
    for section, groups in (("excluded", c.excluded), ("uncertain", c.uncertain)):
        for g in groups:
            rows.append({"section": section, "kind": g.label, "why": g.why, "count": g.count})
    buffer = io.StringIO()
    # A French spreadsheet (Excel, LibreOffice in a French locale) splits on ";" (the comma is
    # the decimal mark) and reads UTF-8 only after a byte-order mark.
    french = c.lang == "fr"
    writer = csv.writer(buffer, lineterminator="\r\n", delimiter=CSV_DELIMITER[c.lang] if c.lang in CSV_DELIMITER else ",")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([csv_cell(row.get(col)) for col in CSV_COLUMNS])
    return ("\ufeff" if french else "") + buffer.getvalue()


# ---- JSON ----


def checklist_dict(c: Checklist) -> dict:
    return {
        "format": CHECKLIST_FORMAT,
        "version": CHECKLIST_VERSION,
        "lang": c.lang,
        "context": c.context,
        "settings": [asdict(s) for s in c.settings],
        "delete": [asdict(e) for e in c.delete],
        "edit": [asdict(e) for e in c.edit],
        "postponed": [asdict(e) for e in c.postponed],
        "review": [asdict(e) for e in c.review],
        "excluded": [asdict(g) for g in c.excluded],
        "uncertain": [asdict(g) for g in c.uncertain],
        "summary": c.summary,
        "plan": c.plan,
        "planned_items": c.planned_items,
        "exposed_ids": c.exposed_ids,
    }


def render_json(c: Checklist) -> str:
    return json.dumps(checklist_dict(c), sort_keys=True, ensure_ascii=False, indent=2) + "\n"
