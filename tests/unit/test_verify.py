"""Verification across exports: every outcome, the OLD side as frame, checklist JSON or state."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import polars as pl
import pytest

from inventory.checklist import build_checklist, render as render_checklist
from inventory.detect.words import term
from inventory.errors import InventoryError
from inventory.items import items_frame
from inventory.state import DecisionStore
from inventory.verify import exit_status, load_plan, render, verify

FINDING = pl.Struct({"type": pl.String, "start": pl.Int64, "end": pl.Int64, "text": pl.String})  # no words
PHONE_TERM = term("phone", {"where": "FR"})


def day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def frame_of(rows: list[dict]) -> pl.DataFrame:
    """Analysed items: ITEM_SCHEMA plus exposure, findings, risk, suggestion, suggested_text."""
    return items_frame(rows).with_columns(
        pl.Series("exposure", [r.get("exposure", "training") for r in rows], dtype=pl.String),
        pl.Series("findings", [r.get("findings", []) for r in rows], dtype=pl.List(FINDING)),
        pl.Series("finding_terms", [[PHONE_TERM] * len(r.get("findings", [])) for r in rows], dtype=pl.List(pl.String)),
        pl.Series("risk", [r.get("risk", 0) for r in rows], dtype=pl.Int64),
        pl.Series("suggestion", [r.get("suggestion", "keep") for r in rows], dtype=pl.String),
        pl.Series("suggested_text", [r.get("suggested_text") for r in rows], dtype=pl.String),
    )


def phone(body: str, number: str = "+33 6 12 34 56 78") -> list[dict]:
    start = body.index(number)
    return [{"type": "phone", "start": start, "end": start + len(number), "text": number}]


ED1 = "Reach me at +33 6 12 34 56 78 for the offsite plans"
ED2 = "Reach me at +33 6 12 34 56 78 for the Q3 roadmap"
ED3 = "Call +33 6 12 34 56 78 today"
ED4 = "Thanks! My direct line is +33 6 12 34 56 78, call any time this week"
DEL4 = "Our team is hiring three backend engineers in Lyon, send me your CV"
OLD = frame_of([
    {"id": "post:del1", "kind": "post", "date": day("2024-01-01"), "text": "Gone soon", "risk": 70},
    {"id": "post:del2", "kind": "post", "date": day("2024-01-02"), "text": "Stubborn post", "risk": 60},
    {"id": "post:del3", "kind": "post", "date": day("2024-01-03"), "text": "Comes back", "risk": 50},
    {"id": "post:del4", "kind": "post", "date": day("2024-01-04"), "text": DEL4, "risk": 40},
    {"id": "post:ed1", "kind": "post", "date": day("2024-02-01"), "text": ED1, "findings": phone(ED1)},
    {"id": "post:ed2", "kind": "post", "date": day("2024-02-02"), "text": ED2, "findings": phone(ED2)},
    {"id": "post:ed3", "kind": "post", "date": day("2024-02-03"), "text": ED3, "findings": phone(ED3)},
    {"id": "comment:ed4", "kind": "comment", "date": day("2024-02-04"), "text": ED4, "findings": phone(ED4)},
    {"id": "comment:ed5", "kind": "comment", "date": day("2024-02-05"), "text": "Removed entirely +33 1 23 45 67 89"},
    {"id": "post:same", "kind": "post", "date": day("2023-05-05"), "text": "Untouched"},
    {"id": "message:m1", "kind": "message", "date": day("2023-05-06"), "text": "hi", "exposure": "excluded"},
])
PLAN = {"post:del1": "delete", "post:del2": "delete", "post:del3": "delete", "post:del4": "delete",
        "post:ed1": "edit", "post:ed2": "edit", "post:ed3": "edit", "comment:ed4": "edit", "comment:ed5": "edit"}
NEW = frame_of([
    {"id": "post:del2", "kind": "post", "date": day("2024-01-02"), "text": "Stubborn post", "risk": 60},
    {"id": "post:del3", "kind": "post", "date": day("2025-03-03"), "text": "Comes back", "risk": 50},
    {"id": "post:repost", "kind": "post", "date": day("2025-04-04"), "text": DEL4 + "!", "risk": 40},
    {"id": "post:ed1", "kind": "post", "date": day("2024-02-01"), "text": "Reach me via LinkedIn for the offsite plans"},
    {"id": "post:ed2", "kind": "post", "date": day("2024-02-02"), "text": "Reach me at +33 6 12 34 56 78 for the Q4 roadmap",
     "findings": phone("Reach me at +33 6 12 34 56 78 for the Q4 roadmap")},
    {"id": "post:ed3", "kind": "post", "date": day("2024-02-03"), "text": ED3, "findings": phone(ED3)},
    {"id": "comment:new4", "kind": "comment", "date": day("2024-02-04"),
     "text": "Thanks! My direct line is in my profile, call any time this week"},
    {"id": "post:same", "kind": "post", "date": day("2023-05-05"), "text": "Untouched"},
    {"id": "message:m1", "kind": "message", "date": day("2023-05-06"), "text": "hi", "exposure": "excluded"},
    {"id": "message:m2", "kind": "message", "date": day("2025-05-06"), "text": "new dm", "exposure": "excluded"},
    {"id": "post:fresh", "kind": "post", "date": day("2025-06-01"), "text": "Brand new \x1b]0;pwned\x07 post", "risk": 30},
])


def by_id(report):
    return {o.id: o for o in report.outcomes}


def test_every_outcome():
    report = verify(OLD, PLAN, NEW)
    got = by_id(report)
    assert got["post:del1"].outcome == "gone" and got["post:del1"].done
    assert got["post:del2"].outcome == "still-present" and not got["post:del2"].done
    assert got["post:del3"].outcome == "reappeared" and got["post:del3"].new_date == "2025-03-03"
    assert got["post:del4"].outcome == "reappeared" and got["post:del4"].new_id == "post:repost"
    assert got["post:del4"].score >= 95
    ed1 = got["post:ed1"]
    assert (ed1.outcome, ed1.spans_gone, ed1.remaining, ed1.done) == ("edited", True, [], True)
    ed2 = got["post:ed2"]
    assert (ed2.outcome, ed2.spans_gone, ed2.remaining, ed2.done) == ("edited", False, ["phone"], False)
    assert got["post:ed3"].outcome == "still-present" and got["post:ed3"].remaining == ["phone"]
    ed4 = got["comment:ed4"]
    assert (ed4.outcome, ed4.new_id, ed4.spans_gone) == ("edited", "comment:new4", True)
    assert 60 <= ed4.score < 100
    assert got["comment:ed5"].outcome == "gone" and got["comment:ed5"].done
    counts = report.counts()
    assert counts == {"gone": 2, "still-present": 2, "edited": 3, "reappeared": 2, "planned": 9, "done": 4,
                      "left": 5, "followed": 0, "new_exposure": 1}
    assert [n.id for n in report.new_exposure] == ["post:fresh"]  # not the excluded DM, not matched items
    assert exit_status(report) == 1


def test_exit_zero_when_all_done():
    plan = {"post:del1": "delete", "post:ed1": "edit", "comment:ed4": "edit", "comment:ed5": "edit"}
    report = verify(OLD, plan, NEW)
    assert report.done and exit_status(report) == 0
    assert exit_status(verify(OLD, {}, NEW)) == 0  # nothing planned, nothing left


def test_fuzzy_match_needs_same_kind_and_day():
    new = NEW.with_columns(
        pl.when(pl.col("id") == "comment:new4").then(pl.lit(day("2024-03-09"))).otherwise(pl.col("date")).alias("date"))
    assert by_id(verify(OLD, {"comment:ed4": "edit"}, new))["comment:ed4"].outcome == "gone"
    new = NEW.with_columns(pl.when(pl.col("id") == "comment:new4").then(pl.lit("post")).otherwise(pl.col("kind")).alias("kind"))
    assert by_id(verify(OLD, {"comment:ed4": "edit"}, new))["comment:ed4"].outcome == "gone"


def test_delete_planned_but_edited_under_new_id_is_still_present():
    new = NEW.vstack(frame_of([{"id": "post:del1b", "kind": "post", "date": day("2024-01-01"), "text": "Gone soon!!"}]))
    o = by_id(verify(OLD, {"post:del1": "delete"}, new))["post:del1"]
    assert (o.outcome, o.new_id) == ("still-present", "post:del1b")


def test_text_render_english_and_french():
    report = verify(OLD, PLAN, NEW)
    en = render(report, "text", "en").splitlines()
    assert en[0] == "Cleanup verification"
    assert "9 planned: 4 done, 5 left." in en
    assert "Something is left to do." in en
    assert "gone           to delete  2024-01-01  posts  post:del1" in en
    assert "reappeared     to delete  2024-01-04  posts  post:del4" in en
    assert any(line.startswith("    now post:repost (") and "% similar); back with a later date (2025-04-04)" in line
               for line in en)
    assert "    still contains: phone number" in en
    assert "    flagged parts removed" in en
    assert "New exposure since the old export (1)" in en
    fresh = next(line for line in en if "Brand new" in line)
    assert fresh == "  2025-06-01 · posts · risk 30 — Brand new \ufffd]0;pwned\ufffd post"
    fr = render(report, "text", "fr").splitlines()
    assert fr[0] == "Vérification du nettoyage"
    assert "9 prévus\u00a0: 4 faits, 5 restants." in fr  # French spacing before the colon
    assert "disparu           à supprimer  2024-01-01  posts  post:del1" in fr
    assert "    contient encore\u00a0: numéro de téléphone" in fr
    assert "Nouvelle exposition depuis l'ancien export (1)" in fr


def test_markdown_and_json_render():
    report = verify(OLD, PLAN, NEW)
    md = render(report, "md", "en").splitlines()
    assert md[0] == "# Cleanup verification"
    assert "- [x] **gone** · to delete · 2024-01-01 · posts — Gone soon" in md
    assert "- [ ] **still present** · to edit · 2024-02-03 · posts — Call +33 6 12 34 56 78 today" in md
    assert "## New exposure since the old export (1)" in md
    data = json.loads(render(report, "json", "fr"))
    assert list(data) == sorted(data) and data["format"] == "inventory-verify"
    assert data["done"] is False and data["counts"]["left"] == 5
    assert {o["id"]: o["outcome"] for o in data["outcomes"]}["post:del3"] == "reappeared"
    assert render(report, "json", "en") == render(verify(OLD, PLAN, NEW), "json", "en")
    with pytest.raises(ValueError):
        render(report, "html", "en")


def test_old_side_from_checklist_json(tmp_path):
    old = OLD.with_columns(pl.Series("suggestion", ["keep"] * OLD.height))
    checklist = build_checklist(old, PLAN, lang="en", context={"export_date": "2024-06-01"})
    path = tmp_path / "checklist.json"
    path.write_text(render_checklist(checklist, "json"))
    # The file keeps each finding's English detail (its format since the first version); the
    # frame read back holds none.
    saved = {i["id"]: i["findings"] for i in json.loads(path.read_text())["planned_items"]}
    assert [f["detail"] for f in saved["post:ed1"]] == ["phone number (FR, validated)"]
    frame, plan = load_plan(path)
    assert plan == PLAN
    assert "detail" not in frame.schema["findings"].inner.to_schema()  # type: ignore[union-attr]
    from_file = verify(frame, plan, NEW)
    direct = verify(OLD, PLAN, NEW)
    assert [(o.id, o.outcome, o.new_id, o.spans_gone) for o in from_file.outcomes] == \
           [(o.id, o.outcome, o.new_id, o.spans_gone) for o in direct.outcomes]
    assert [n.id for n in from_file.new_exposure] == ["post:fresh"]


def test_a_checklist_saved_before_the_frame_dropped_detail_still_loads(tmp_path):
    """Every checklist JSON written so far holds each finding's English `detail` (sometimes
    null, in hand-made ones); verify reads only where the finding was and what it matched."""
    start = ED3.index("+33")
    document = {"format": "inventory-checklist", "version": 1, "plan": {"post:ed3": "edit", "post:ed1": "edit"},
                "exposed_ids": ["post:ed1", "post:ed3"], "planned_items": [
                    {"id": "post:ed3", "action": "edit", "kind": "post", "date": "2024-02-03T00:00:00+00:00",
                     "text": ED3, "exposure": "training", "findings": [
                         {"type": "phone", "start": start, "end": start + 17, "text": "+33 6 12 34 56 78",
                          "detail": "phone number (FR, validated)"}]},
                    {"id": "post:ed1", "action": "edit", "kind": "post", "date": "2024-02-01T00:00:00+00:00",
                     "text": ED1, "exposure": "training", "findings": [
                         {"type": "phone", "start": 12, "end": 29, "text": "+33 6 12 34 56 78", "detail": None}]}]}
    path = tmp_path / "old-checklist.json"
    path.write_text(json.dumps(document))
    frame, plan = load_plan(path)
    assert plan == {"post:ed3": "edit", "post:ed1": "edit"} and frame is not None
    assert frame.filter(pl.col("id") == "post:ed3")["findings"].to_list() == [
        [{"type": "phone", "start": start, "end": start + 17, "text": "+33 6 12 34 56 78"}]]
    got = by_id(verify(frame, plan, NEW))
    assert got["post:ed3"].outcome == "still-present" and got["post:ed3"].remaining == ["phone"]
    assert got["post:ed1"].outcome == "edited" and got["post:ed1"].spans_gone


def test_old_side_from_state_file(tmp_path):
    path = tmp_path / "state.json"
    with DecisionStore.open(path) as store:
        store.decide(["post:del1", "post:del2"], "delete")
        store.decide(["post:ed1", "post:ed3"], "edit")
        store.decide(["post:same"], "keep")
        store.record_review(OLD["id"].to_list(), None)
    frame, plan = load_plan(path)
    assert plan == {"post:del1": "delete", "post:del2": "delete", "post:ed1": "edit", "post:ed3": "edit"}
    got = by_id(verify(frame, plan, NEW))
    assert got["post:del1"].outcome == "gone" and got["post:del2"].outcome == "still-present"
    # no old text: the detectors' findings on the new version decide
    assert got["post:ed1"].outcome == "edited" and got["post:ed1"].spans_gone
    assert got["post:ed3"].outcome == "still-present" and got["post:ed3"].remaining == ["phone"]
    report = verify(frame, plan, NEW)
    assert sorted(n.id for n in report.new_exposure) == ["comment:new4", "post:fresh", "post:repost"]
    # without a baseline there is no new-exposure list, and the text says so
    bare = tmp_path / "bare.json"
    with DecisionStore.open(bare) as store:
        store.decide(["post:del1"], "delete")
    frame, plan = load_plan(bare)
    assert frame is None and plan == {"post:del1": "delete"}
    report = verify(frame, plan, NEW)
    assert report.new_exposure is None
    assert "New exposure not computed" in render(report, "text", "en")


@pytest.mark.parametrize("content", [b"", b"{not json", b'{"hello": 1}', b'{"format": "inventory-checklist", "plan": {"a": "burn"}}',
                                     b'{"schema": 1, "items": {"a": "delete"}, "checksum": "sha256:00"}'])
def test_bad_old_file_is_a_clean_error(tmp_path, content):
    path = tmp_path / "old.json"
    path.write_bytes(content)
    with pytest.raises(InventoryError) as caught:
        load_plan(path)
    assert caught.value.where == str(path) and caught.value.exit_status == 2
    assert "burn" not in str(caught.value)


def test_missing_old_file(tmp_path):
    with pytest.raises(InventoryError, match="cannot read"):
        load_plan(tmp_path / "nope.json")


def test_plan_from_old_export_uses_decisions_over_suggestions():
    from inventory.verify import plan_from_frame

    old = OLD.with_columns(pl.when(pl.col("id") == "post:del1").then(pl.lit("delete"))
                           .when(pl.col("id") == "post:ed1").then(pl.lit("edit"))
                           .otherwise(pl.lit("keep")).alias("suggestion"))
    assert plan_from_frame(old) == {"post:del1": "delete", "post:ed1": "edit"}
    assert plan_from_frame(old, {"post:del1": "keep", "post:same": "delete"}) == {"post:ed1": "edit", "post:same": "delete"}


# --- the same verdicts from the state file as from the old export (issue 15, points 3 and 4) ------


def _state_as_the_ui_leaves_it(path, old: pl.DataFrame, decisions: dict[str, str]):
    """What closing the UI on `old` writes: decisions, baseline and the followed items."""
    from inventory.checklist import followed_items

    with DecisionStore.open(path) as store:
        for item_id, action in decisions.items():
            store.decide([item_id], action)
        store.record_review(old["id"], followed_items(old, store.all()))
    return path


def test_state_and_old_export_give_the_same_verdicts(tmp_path):
    from inventory.verify import plan_from_frame

    # post:same is marked edit but its text is unchanged in NEW: still present, whichever OLD
    decisions = {"post:del1": "delete", "post:del2": "delete", "post:ed1": "edit", "post:ed3": "edit",
                 "post:same": "edit", "comment:ed4": "edit"}
    direct = verify(OLD, plan_from_frame(OLD, decisions), NEW)
    state = _state_as_the_ui_leaves_it(tmp_path / "state.json", OLD, decisions)
    from_state = verify(*load_plan(state), NEW)
    shape = lambda r: [(o.id, o.planned, o.outcome, o.spans_gone, o.new_id, o.kind, o.date) for o in r.outcomes]
    assert shape(from_state) == shape(direct)
    same = by_id(from_state)["post:same"]
    assert same.outcome == "still-present" and not same.done
    assert by_id(from_state)["comment:ed4"].outcome == "edited"  # found under its new id
    for lang in ("en", "fr"):
        text = render(from_state, "text", lang)
        line = next(line for line in text.splitlines() if line.rstrip().endswith("post:same"))
        assert "2023-05-05" in line and ("posts" in line)
        assert render(direct, "text", lang) == text


def test_a_state_without_followed_items_still_shows_kind_and_date(tmp_path):
    path = tmp_path / "old-state.json"
    with DecisionStore.open(path) as store:
        store.decide(["post:ed3"], "edit")
    report = verify(*load_plan(path), NEW)
    o = by_id(report)["post:ed3"]
    assert (o.kind, o.date) == ("post", "2024-02-03")
    assert "sans date" not in render(report, "text", "fr") and "no date" not in render(report, "text", "en")


def test_items_listed_for_review_are_followed_without_being_required(tmp_path):
    old = OLD.with_columns(pl.when(pl.col("id").is_in(["post:del1", "post:ed1", "post:same"]))
                           .then(pl.lit("review")).otherwise(pl.lit("keep")).alias("suggestion"))
    from inventory.verify import plan_from_frame

    plan = plan_from_frame(old, {"post:del2": "delete"})
    assert plan == {"post:del1": "review", "post:ed1": "review", "post:same": "review", "post:del2": "delete"}
    for report in (verify(old, plan, NEW),
                   verify(*load_plan(_state_as_the_ui_leaves_it(tmp_path / "s.json", old, {"post:del2": "delete"})),
                          NEW)):
        got = by_id(report)
        assert got["post:del1"].outcome == "gone"  # deleted after review: says so
        assert got["post:ed1"].outcome == "edited"  # edited after review: says so
        assert got["post:same"].outcome == "still-present" and got["post:same"].done
        assert report.counts()["planned"] == 1 and report.counts()["followed"] == 3
        assert exit_status(report) == 1  # only the deletion left undone counts
        text = render(report, "text", "en")
        assert "to review" in text and "3 items to review or postponed are followed too" in text
