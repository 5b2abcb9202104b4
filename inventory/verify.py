"""Did the cleanup work? Compare the plan made on an old export with a newer export.

Outcomes for each planned item (see docs/checklist.md for the exact definitions):
- gone: the item is no longer in the new export (for a planned edit, deleting it is fine too);
- still-present: it is there (same id, or the same item edited under a new id when it was to be
  deleted), or a planned edit left its text unchanged;
- edited: planned edit, the text changed; `spans_gone` says whether every flagged span is gone;
- reappeared: planned deletion, and the same item is back with a later date: the same id dated
  after the old item, or a new id of the same kind with near-identical text and a later date.
Items the checklist lists for review (or postponed with "later") are followed as edits are
(gone, edited or still present) but nothing is required of them: they never make the exit
status fail.
Identity follows the stable ids; when an edit changed an id (content-keyed items), the new
version is found by fuzzy matching (rapidfuzz) among new items of the same kind and day.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Mapping

import polars as pl
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from inventory.checklist import (CHECKLIST_FORMAT, EXPOSED, _label, clean_text, excerpt, followed_actions,
                                 md_escape)
from inventory.errors import InventoryError
from inventory.files import describe_os_error, read_regular
from inventory.fold import fold
from inventory.i18n import t
from inventory.items import KINDS, items_frame
from inventory.limits import DEFAULT_LIMITS
from inventory.state import State, decode_state

OUTCOMES = ("gone", "still-present", "edited", "reappeared")
REQUIRED = ("delete", "edit")  # planned actions the exit status waits for
FOLLOWED = (*REQUIRED, "review", "later")  # every action the checklist lists
EDIT_MATCH_SCORE = 60.0  # ratio (0-100) for "same item, edited" among same kind and same day
REAPPEAR_SCORE = 95.0  # ratio for "the deleted text is back" under a new id and a later date
# A saved finding as verify reads it: where it was and what it matched. The file's English
# `detail` is for the reader of the file (checklist.py writes it); no frame keeps words.
FINDING_DTYPE = pl.Struct({"type": pl.String, "start": pl.Int64, "end": pl.Int64, "text": pl.String})
FORMATS = ("text", "md", "json")


@dataclass
class Outcome:
    id: str
    planned: str  # one of FOLLOWED
    outcome: str  # one of OUTCOMES
    kind: str | None
    date: str | None
    excerpt: str
    new_id: str | None = None  # the matching item in the new export, when found
    score: float | None = None  # fuzzy similarity when matched under another id
    spans_gone: bool | None = None  # edited: every flagged span removed?
    remaining: list[str] | None = None  # finding types still in the new text
    new_date: str | None = None

    @property
    def required(self) -> bool:
        return self.planned in REQUIRED

    @property
    def done(self) -> bool:
        """Carried out (a review or postponed item requires nothing, so it is never left)."""
        return (not self.required or self.outcome == "gone"
                or (self.outcome == "edited" and bool(self.spans_gone)))


@dataclass
class NewExposure:
    id: str
    kind: str | None
    date: str | None
    exposure: str | None
    risk: int
    excerpt: str
    finding_types: list[str]


@dataclass
class VerifyReport:
    outcomes: list[Outcome]
    new_exposure: list[NewExposure] | None  # None: the old side lists no reviewed items

    @property
    def done(self) -> bool:
        return all(o.done for o in self.outcomes)

    def counts(self) -> dict[str, int]:
        found = {name: 0 for name in OUTCOMES}
        for o in self.outcomes:
            found[o.outcome] += 1
        required = [o for o in self.outcomes if o.required]
        done = sum(o.done for o in required)
        return {**found, "planned": len(required), "done": done, "left": len(required) - done,
                "followed": len(self.outcomes) - len(required),
                "new_exposure": len(self.new_exposure) if self.new_exposure is not None else None}


def _iso_day(value: object) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, str) and value:
        return clean_text(value)[:10]
    return None


def _as_datetime(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _text(row: Mapping | None) -> str | None:
    if not row:
        return None
    return row.get("text") or row.get("title")


def _finding_list(row: Mapping | None) -> list[dict] | None:
    if row is None or "findings" not in row or row["findings"] is None:
        return None
    return [f for f in row["findings"] if isinstance(f, dict)]


def _rows_by_id(frame: pl.DataFrame | None, ids: list[str]) -> dict[str, dict]:
    if frame is None or not ids:
        return {}
    return {row["id"]: row for row in frame.filter(pl.col("id").is_in(ids)).iter_rows(named=True)}


def _spans_remaining(old_findings: list[dict] | None, new_row: Mapping) -> list[str]:
    """Finding types whose flagged text is still in the new text. Without the old findings, the
    detectors' findings on the new version stand in."""
    if old_findings is None:
        return sorted({str(f.get("type")) for f in (_finding_list(new_row) or []) if f.get("type")})
    new_text = fold(_text(new_row) or "")
    left = set()
    for finding in old_findings:
        span = fold(finding.get("text") or "")
        if span and span in new_text:
            left.add(str(finding.get("type") or "?"))
    return sorted(left)


def kind_of(item_id: str) -> str | None:
    """The kind an id starts with ("<kind>:<16 hex>", items.ITEM_SCHEMA), when there is no row."""
    kind = item_id.partition(":")[0]
    return kind if kind in KINDS else None


def _same_day(a: datetime | None, b: datetime | None) -> bool:
    return a is None or b is None or a.date() == b.date()


def verify(old_frame: pl.DataFrame | None, old_plan: Mapping[str, str], new_frame: pl.DataFrame) -> VerifyReport:
    """Follow each planned item into the new export (phases: the plan, the new versions to
    match against, one outcome per item, then what the new export exposes that was not reviewed)."""
    plan = {item_id: action for item_id, action in old_plan.items() if action in FOLLOWED}
    planned_ids = sorted(plan)
    old_rows = _rows_by_id(old_frame, planned_ids)
    new_rows = _rows_by_id(new_frame, planned_ids)
    old_ids = set(old_frame["id"].to_list()) if old_frame is not None else set(planned_ids)
    versions = _NewVersions(new_frame, old_ids)
    outcomes = [_follow(item_id, plan[item_id], old_rows.get(item_id) or {}, new_rows.get(item_id), versions)
                for item_id in planned_ids]
    return VerifyReport(outcomes=outcomes, new_exposure=_new_exposure(old_frame, new_frame, versions.used))


class _NewVersions:
    """New items the old export did not have, by kind: where an item whose id changed (edited
    content-keyed items) or a deleted item posted again is looked for. Each is matched once."""

    def __init__(self, new_frame: pl.DataFrame, old_ids: set[str]) -> None:
        fresh = new_frame.filter(~pl.col("id").is_in(list(old_ids)))
        self.by_kind: dict[str, dict[str, tuple[str, datetime | None]]] = {}
        for row in fresh.select("id", "kind", "text", "title", "date").iter_rows(named=True):
            text = _text(row)
            if text:
                self.by_kind.setdefault(row["kind"] or "unknown", {})[row["id"]] = (text, row["date"])
        self.used: set[str] = set()

    def take(self, old: Mapping, *, later_only: bool, cutoff: float) -> tuple[str, float, datetime | None] | None:
        """The closest unused new item of the old item's kind scoring at least `cutoff`: on the
        same day, or with `later_only` dated after it; marked used when found."""
        text = _text(old)
        if not text:
            return None
        old_date = _as_datetime(old.get("date"))
        pool = self.by_kind.get(old.get("kind") or "unknown", {})
        choices = {}
        for cid, (ctext, cdate) in pool.items():
            if cid in self.used:
                continue
            if later_only:
                if old_date is None or cdate is None or cdate <= old_date:
                    continue
            elif not _same_day(old_date, cdate):
                continue
            choices[cid] = ctext
        found = process.extractOne(text, choices, scorer=fuzz.ratio, processor=default_process, score_cutoff=cutoff)
        if found is None:
            return None
        _, score, cid = found
        self.used.add(cid)
        return cid, float(score), pool[cid][1]

    def text(self, old: Mapping, cid: str) -> str:
        return self.by_kind[old.get("kind") or "unknown"][cid][0]


def _follow(item_id: str, planned: str, old: Mapping, new: Mapping | None, versions: _NewVersions) -> Outcome:
    """One planned item's outcome: by its own id when the new export has it, else by text."""
    shown = old or new or {}
    result = Outcome(id=item_id, planned=planned, outcome="gone", kind=shown.get("kind") or kind_of(item_id),
                     date=_iso_day(shown.get("date") or (new or {}).get("date")), excerpt=excerpt(_text(shown)))
    if new is not None:
        _judge_same_id(result, old, new)
    elif old:
        _judge_by_text(result, old, versions)
    return result


def _judge_same_id(result: Outcome, old: Mapping, new: Mapping) -> None:
    """The new export still has the id: a deletion is still present (or back, dated later);
    an edit is still present when the text is unchanged, else edited."""
    old_date = _as_datetime(old.get("date"))
    new_date = new.get("date")
    result.new_id, result.new_date = result.id, _iso_day(new_date)
    if result.planned == "delete":
        later = old_date is not None and new_date is not None and new_date > old_date
        result.outcome = "reappeared" if later else "still-present"
        return
    old_text = _text(old)
    remaining = _spans_remaining(_finding_list(old) if old_text is not None else None, new)
    if old_text is not None and fold(old_text) == fold(_text(new) or ""):
        result.outcome, result.remaining = "still-present", remaining
    elif old_text is None and remaining:
        result.outcome, result.remaining = "still-present", remaining  # cannot tell; flags remain
    else:
        result.outcome, result.remaining, result.spans_gone = "edited", remaining, not remaining


def _judge_by_text(result: Outcome, old: Mapping, versions: _NewVersions) -> None:
    """The id is gone: a close text of the same kind and day is the item edited (for a deletion,
    still present); a deleted item's near-identical text dated later has reappeared; else gone."""
    match = versions.take(old, later_only=False, cutoff=EDIT_MATCH_SCORE)
    if match is not None:
        cid, score, cdate = match
        result.new_id, result.score, result.new_date = cid, round(score, 1), _iso_day(cdate)
        remaining = _spans_remaining(_finding_list(old), {"text": versions.text(old, cid)})
        result.remaining = remaining
        if result.planned == "delete":
            result.outcome = "still-present"  # edited instead of deleted
        else:
            result.outcome, result.spans_gone = "edited", not remaining
    elif result.planned == "delete":
        match = versions.take(old, later_only=True, cutoff=REAPPEAR_SCORE)
        if match is not None:
            cid, score, cdate = match
            result.outcome, result.new_id, result.score = "reappeared", cid, round(score, 1)
            result.new_date = _iso_day(cdate)


def _exposed(frame: pl.DataFrame) -> pl.Expr:
    if "exposure" not in frame.columns:
        return pl.lit(True)
    return pl.col("exposure").is_null() | pl.col("exposure").is_in(EXPOSED)


def _new_exposure(old_frame: pl.DataFrame | None, new_frame: pl.DataFrame, matched: set[str]) -> list[NewExposure] | None:
    if old_frame is None:
        return None
    old_exposed = set(old_frame.filter(_exposed(old_frame))["id"].to_list()) if old_frame.height else set()
    new_exposed = new_frame.filter(_exposed(new_frame) & ~pl.col("id").is_in(list(old_exposed | matched)))
    found = []
    for row in new_exposed.iter_rows(named=True):
        found.append(NewExposure(
            id=row["id"], kind=row.get("kind"), date=_iso_day(row.get("date")), exposure=row.get("exposure"),
            risk=int(row.get("risk") or 0), excerpt=excerpt(_text(row)),
            finding_types=sorted({str(f.get("type")) for f in (_finding_list(row) or []) if f.get("type")})))
    found.sort(key=lambda n: n.id)
    found.sort(key=lambda n: n.date or "", reverse=True)
    found.sort(key=lambda n: -n.risk)
    return found


# ---------------------------------------------------------------------------------------------
# the OLD side when it is a file


def plan_from_frame(old_frame: pl.DataFrame, decisions: Mapping[str, str] | None = None) -> dict[str, str]:
    """The plan when OLD is an export: every item the checklist made from that export lists
    (the member's decisions over the tool's suggestions), with its action (FOLLOWED)."""
    return {item_id: action for item_id, (action, _) in followed_actions(old_frame, decisions or {}).items()}


def load_plan(path: Path, *, max_bytes: int = DEFAULT_LIMITS.max_state_bytes) -> tuple[pl.DataFrame | None, dict[str, str]]:
    """(old frame or None, plan) from a checklist saved as JSON or from the state file.

    From a checklist: the planned items in full and every exposed id. From the state file: the
    member's own delete/edit decisions, and the reviewed ids (baseline) as the old frame when
    there are any; without old texts, edits are judged by the detectors' findings on the new text.
    """
    where = str(path)
    try:
        data = read_regular(path, max_bytes)
    except OSError as exc:
        raise InventoryError(where, f"cannot read: {describe_os_error(exc)}") from None
    if len(data) > max_bytes:
        raise InventoryError(where, f"larger than max_state_bytes ({max_bytes})")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise InventoryError(where, "not an export, a checklist JSON or a state file") from None
    if isinstance(document, dict) and document.get("format") == CHECKLIST_FORMAT:
        return _from_checklist(where, document)
    if isinstance(document, dict) and "schema" in document and "items" in document:
        try:
            state = decode_state(data)
        except Exception:
            raise InventoryError(where, "state file is damaged (checksum or structure)") from None
        return _from_state(where, state)
    raise InventoryError(where, "not an export, a checklist JSON or a state file")


def _from_state(where: str, state: State) -> tuple[pl.DataFrame | None, dict[str, str]]:
    """From the state: the items the checklist followed when the UI last closed (in full, as a
    checklist JSON holds them), with the member's decisions as they stand now over them, and
    the reviewed ids (baseline). Without followed items (a state written before schema 2),
    only the decisions: edits are then judged by the detectors' findings on the new text."""
    followed = {item["id"]: item.get("action") for item in state.followed}
    plan = {item_id: action for item_id, action in followed.items() if action in FOLLOWED}
    for item_id, decision in state.items.items():
        if decision == "keep":
            plan.pop(item_id, None)
        else:
            plan[item_id] = decision
    if not state.seen and not state.followed:
        return None, plan
    return _frame_of_items(where, state.followed, sorted(state.seen | set(plan))), plan


def _from_checklist(where: str, document: dict) -> tuple[pl.DataFrame, dict[str, str]]:
    plan = document.get("plan")
    items = document.get("planned_items", [])
    exposed = document.get("exposed_ids", [])
    if (not isinstance(plan, dict) or not all(isinstance(k, str) and v in REQUIRED for k, v in plan.items())
            or not isinstance(items, list) or not isinstance(exposed, list)):
        raise InventoryError(where, "checklist JSON is damaged (plan)")
    followed = {item.get("id"): item.get("action") for item in items if isinstance(item, dict)}
    plan = {**{k: v for k, v in followed.items() if isinstance(k, str) and v in FOLLOWED}, **plan}
    return _frame_of_items(where, items, exposed), plan


def _frame_of_items(where: str, items: list, exposed: list) -> pl.DataFrame:
    """The old side as a frame: followed items in full (the checklist JSON's `planned_items`),
    then the other exposed or reviewed ids as bare rows (exposure unknown)."""
    rows, findings, exposures = [], [], []
    listed = set()
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise InventoryError(where, "damaged (planned items)")
        listed.add(item["id"])
        rows.append({"id": item["id"], "kind": item.get("kind"), "date": _as_datetime(item.get("date")),
                     "title": item.get("title"), "text": item.get("text"), "url": item.get("url")})
        findings.append([{k: f.get(k) for k in FINDING_DTYPE.to_schema()}
                         for f in item.get("findings") or [] if isinstance(f, dict)])
        exposures.append(item.get("exposure"))
    for item_id in exposed:
        if isinstance(item_id, str) and item_id not in listed:
            listed.add(item_id)
            rows.append({"id": item_id})
            findings.append(None)
            exposures.append(None)
    return items_frame(rows).with_columns(
        pl.Series("exposure", exposures, dtype=pl.String),
        pl.Series("findings", findings, dtype=pl.List(FINDING_DTYPE)))


# ---------------------------------------------------------------------------------------------
# output


def exit_status(report: VerifyReport) -> int:
    """0 when everything planned is done, 1 when something is left (new exposure does not count)."""
    return 0 if report.done else 1


def _detail(o: Outcome, lang: str) -> str:
    parts = []
    if o.new_id and o.new_id != o.id and o.score is not None:
        parts.append(t("verify.matched", lang, new_id=clean_text(o.new_id), score=f"{o.score:g}"))
    if o.outcome == "reappeared" and o.new_date:
        parts.append(t("verify.reappeared_later", lang, date=o.new_date))
    if o.outcome == "edited" and o.spans_gone:
        parts.append(t("verify.spans_gone", lang))
    elif o.remaining and o.outcome in ("edited", "still-present"):
        parts.append(t("verify.spans_left", lang, list=", ".join(_label("finding", r, lang) for r in o.remaining)))
    return "; ".join(parts)


def _summary(report: VerifyReport, lang: str) -> list[str]:
    c = report.counts()
    if not report.outcomes:
        return [t("verify.nothing_planned", lang)]
    lines = [t("verify.summary", lang, planned=c["planned"], done=c["done"], left=c["left"])]
    if c["followed"]:
        lines.append(t("verify.followed", lang, count=c["followed"]))
    return lines + [t("verify.all_done" if report.done else "verify.something_left", lang)]


def render(report: VerifyReport, fmt: str, lang: str) -> str:
    if fmt == "json":
        return render_json(report)
    if fmt == "md":
        return render_markdown(report, lang)
    if fmt == "text":
        return render_text(report, lang)
    raise ValueError(f"unknown verify format {fmt!r}; expected one of {', '.join(FORMATS)}")


def render_text(report: VerifyReport, lang: str) -> str:
    out = [t("verify.title", lang), ""] + _summary(report, lang) + [""]
    width = max((len(t(f"verify.outcome_{o}", lang)) for o in OUTCOMES), default=10)
    for o in report.outcomes:
        label = t(f"verify.outcome_{o.outcome}", lang).ljust(width)
        line = (f"{label}  {t('verify.planned_' + o.planned, lang)}  {o.date or t('verify.date_unknown', lang)}  "
                f"{_label('kind', o.kind or 'unknown', lang)}  {clean_text(o.id)}")
        out.append(line)
        if o.excerpt:
            out.append(f"    {o.excerpt}")
        detail = _detail(o, lang)
        if detail:
            out.append(f"    {detail}")
    out.append("")
    out += _new_lines(report, lang, bullet="  ")
    return "\n".join(out).rstrip() + "\n"


def _new_lines(report: VerifyReport, lang: str, *, bullet: str, escape=lambda s: s) -> list[str]:
    if report.new_exposure is None:
        return [escape(t("verify.new_unknown", lang))]
    lines = [t("verify.new_heading", lang, count=len(report.new_exposure))]
    if not report.new_exposure:
        lines.append(bullet + t("verify.none", lang))
    for n in report.new_exposure:
        text = f"{n.date or t('verify.date_unknown', lang)} · {_label('kind', n.kind or 'unknown', lang)}"
        if n.risk:
            text += f" · {t('verify.label_risk', lang, risk=n.risk)}"
        if n.excerpt:
            text += f" — {n.excerpt}"
        lines.append(bullet + escape(text))
    return lines


def render_markdown(report: VerifyReport, lang: str) -> str:
    out = [f"# {t('verify.title', lang)}", ""]
    for line in _summary(report, lang):
        out += [md_escape(line), ""]
    for o in report.outcomes:
        mark = ("[x] " if o.done else "[ ] ") if o.required else ""
        head = (f"- {mark}**{t(f'verify.outcome_{o.outcome}', lang)}** · {t('verify.planned_' + o.planned, lang)} · "
                f"{o.date or t('verify.date_unknown', lang)} · {md_escape(_label('kind', o.kind or 'unknown', lang))}")
        out.append(head + (f" — {md_escape(o.excerpt)}" if o.excerpt else ""))
        detail = _detail(o, lang)
        if detail:
            out.append(f"  - {md_escape(detail)}")
    out.append("")
    new = _new_lines(report, lang, bullet="- ", escape=md_escape)
    if report.new_exposure is not None:
        new[0] = "## " + new[0]
    out += new
    return "\n".join(out).rstrip() + "\n"


def report_dict(report: VerifyReport) -> dict:
    return {
        "format": "inventory-verify",
        "version": 1,
        "done": report.done,
        "counts": report.counts(),
        "outcomes": [{**asdict(o), "done": o.done} for o in report.outcomes],
        "new_exposure": [asdict(n) for n in report.new_exposure] if report.new_exposure is not None else None,
    }


def render_json(report: VerifyReport) -> str:
    return json.dumps(report_dict(report), sort_keys=True, ensure_ascii=False, indent=2) + "\n"
