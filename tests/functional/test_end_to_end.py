"""End to end: checklist → cleanup → next export → verify, on the committed synthetic pair.

OLD is the committed Complete sample (with Basic for the checklist); NEW is the committed
follow-up export built by inventory/followup.py, whose manifest says what changed by natural key
(file, URL, date, profile field). Expected outcomes are derived from that manifest, never typed
in by hand. Everything goes through `inventory.cli.main([...])` unless it is about the library
(baseline, DecisionStore).
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from datetime import datetime, timezone
from pathlib import Path

import polars as pl
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from inventory import followup, pipeline
from conftest import run_cli as run
from inventory.i18n import t
from inventory.policy import load_policy
from inventory.samples import build_export, write_zip
from inventory.state import DecisionStore

# The sample export's date, as the checklist writes it in prose.
EXPORT_DAY = {"en": "November 21, 2026", "fr": "21 novembre 2026"}

SAMPLES = Path(__file__).resolve().parents[2] / "sample_exports"
BASIC = SAMPLES / "Basic_LinkedInDataExport_11-20-2026.zip"
COMPLETE = SAMPLES / "Complete_LinkedInDataExport_11-21-2026.zip"
FOLLOWUP = SAMPLES / followup.FOLLOWUP_NAME
GENAI_URL = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"
GENAI_NAME = {"en": "Data for Generative AI Improvement", "fr": "Données pour l'amélioration de l'IA générative"}
EXPOSED = ("training", "uncertain")


# ------------------------------------------------------------------------------------- helpers

def _date(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc)


def item_id(frame: pl.DataFrame, key: dict) -> str:
    """The tool's id for a manifest entry (natural key: kind + URL + date, or a profile field)."""
    if key["kind"] == "profile-field":
        (name,) = key["fields"]
        rows = frame.filter((pl.col("kind") == "profile-field") & (pl.col("field") == name))
    else:
        rows = frame.filter((pl.col("kind") == key["kind"]) & (pl.col("url") == key["url"])
                            & (pl.col("date") == _date(key["date"])))
    assert rows.height == 1, key
    return rows["id"][0]


def post_id(frame: pl.DataFrame, text_start: str) -> str:
    rows = frame.filter((pl.col("kind") == "post") & pl.col("text").str.starts_with(text_start))
    assert rows.height == 1, text_start
    return rows["id"][0]


@pytest.fixture(scope="module")
def built():
    return followup.build_followup(build_export("complete"))


@pytest.fixture(scope="module")
def manifest(built):
    return built[1]


@pytest.fixture(scope="module")
def old_frame():
    return pipeline.analyse([COMPLETE]).frame


@pytest.fixture(scope="module")
def pair_frame():
    return pipeline.analyse([BASIC, COMPLETE]).frame


@pytest.fixture(scope="module")
def new_frame():
    return pipeline.analyse([FOLLOWUP]).frame


def save_decisions(folder: Path, decisions: dict[str, str], seen: set[str] = frozenset()) -> Path:
    with DecisionStore.open(folder / "state.json") as store:
        for action in ("delete", "edit", "keep", "later"):
            store.decide([i for i, a in decisions.items() if a == action], action)
        store.record_review(seen, None)
    return folder / "state.json"


@pytest.fixture(scope="module")
def member_plan(manifest, old_frame):
    """The member's decisions on OLD, chosen so NEW shows every outcome: deleted as planned,
    left in place, came back, edited (comment under a new id, profile field)."""
    deleted = {item_id(old_frame, k) for k in manifest["deleted"]}
    reappeared = {item_id(old_frame, k["before"]) for k in manifest["reappeared"]}
    edited_by_member = {item_id(old_frame, k["before"]) for k in manifest["edited"]
                        if k["kind"] == "comment"}
    profile = {item_id(old_frame, k) for k in manifest["edited"] if k["kind"] == "profile-field"}
    left_alone = {post_id(old_frame, "Lessons learned from the BLUE HERON")}
    decisions = {**{i: "delete" for i in deleted | reappeared | left_alone},
                 **{i: "edit" for i in edited_by_member | profile}}
    return decisions, {"left_alone": left_alone, "reappeared": reappeared}


# ------------------------------------------------------------------------------- the follow-up

def test_committed_followup_is_what_the_builder_writes(tmp_path):
    written = followup.write_followup(tmp_path)
    assert written.read_bytes() == FOLLOWUP.read_bytes()


def test_followup_manifest_matches_what_the_reader_sees(manifest, old_frame, new_frame):
    old_ids, new_ids = set(old_frame["id"]), set(new_frame["id"])
    assert len(manifest["deleted"]) == 3 and len(manifest["reappeared"]) == 1
    assert {e["spans"] for e in manifest["edited"] if e["kind"] == "post"} == {"removed", "kept"}
    for key in manifest["deleted"]:
        assert item_id(old_frame, key) not in new_ids
    for key in manifest["edited"]:
        new = new_frame.filter(pl.col("id") == item_id(new_frame, key)).row(0, named=True)
        if key["kind"] != "profile-field":
            assert new["text"] == key["text"] != key["before"]["text"]
        assert (item_id(old_frame, key["before"] if key["kind"] != "profile-field" else key) == new["id"]) \
            == (key["identity"] == "same")
    for key in manifest["added"] + manifest["reappeared"]:
        assert item_id(new_frame, key) not in old_ids
    back = manifest["reappeared"][0]
    assert back["text"] == back["before"]["text"] and back["date"] > back["before"]["date"]
    # the added posts bring new risky findings
    risky = new_frame.filter(pl.col("id").is_in([item_id(new_frame, k) for k in manifest["added"]])
                             & (pl.col("findings").list.len() > 0))
    found = set(risky.select(pl.col("findings").explode().struct.field("type"))["type"])
    assert {"phone", "salary"} <= found


def test_build_followup_refuses_an_export_it_does_not_know():
    files = build_export("complete")
    files[followup.SHARES] = files[followup.SHARES].replace(b"\n", b"\r\n", 1)
    with pytest.raises(ValueError, match="Shares"):
        followup.build_followup(files)


# ------------------------------------------------------------------------------- the checklist

def _sections_md(text: str, lang: str) -> list[int]:
    keys = ("settings_heading", "delete_heading", "edit_heading", "excluded_heading", "uncertain_heading",
            "summary_heading")
    return [text.index(t(f"checklist.{k}", lang)) for k in keys]


def _expected_counts(frame: pl.DataFrame, lang: str) -> list[str]:
    """'9 posts'-like phrases the objection must hold, from the analysed frame."""
    from inventory.checklist import count_text
    exposed = frame.filter(pl.col("exposure").is_in(EXPOSED) & (pl.col("kind") != "unknown")).group_by("kind").len()
    return [count_text(kind, n, lang) for kind, n in exposed.iter_rows()]


@pytest.fixture
def checklist_state(tmp_path, pair_frame):
    """keep on an item the tool wants edited; delete on items it would keep (different risks)."""
    phone_post = post_id(pair_frame, "Pour toute question sur le meetup")
    big_news = post_id(pair_frame, "Big news from Acme SAS")
    heron = post_id(pair_frame, "Lessons learned from the BLUE HERON")
    state = save_decisions(tmp_path, {phone_post: "keep", big_news: "delete", heron: "delete"})
    return state, {"keep": phone_post, "delete": [heron, big_news]}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json"])
def test_checklist_content_each_format_and_language(capsys, pair_frame, checklist_state, fmt, lang):
    state, chosen = checklist_state
    code, out, _ = run(capsys, "checklist", str(BASIC), str(COMPLETE), "--format", fmt, "--lang", lang,
                       "--state", str(state))
    assert code == 0
    counts = _expected_counts(pair_frame, lang)
    risk = dict(zip(pair_frame["id"], pair_frame["risk"]))
    heron_excerpt = "Lessons learned from the BLUE HERON"
    phone_excerpt = "Pour toute question sur le meetup"
    salary_label = t("detect.label.salary", lang)  # redaction labels in the member's language
    if fmt == "json":
        doc = json.loads(out)
        assert doc["settings"][0]["id"] == "genai-training" and doc["settings"][0]["url"] == GENAI_URL
        assert GENAI_NAME[lang] in doc["settings"][0]["path"]
        objection = next(s["objection_text"] for s in doc["settings"] if s["objection_text"])
        assert "21" in objection and EXPORT_DAY[lang] in objection
        assert all(phrase in objection for phrase in counts)
        delete_ids = [e["id"] for e in doc["delete"]]
        assert delete_ids == chosen["delete"]  # riskiest first
        assert [risk[i] for i in delete_ids] == sorted((risk[i] for i in delete_ids), reverse=True)
        assert chosen["keep"] not in delete_ids + [e["id"] for e in doc["edit"]]
        assert chosen["keep"] not in doc["plan"]
        salary = next(e for e in doc["edit"] if e["excerpt"].startswith("Transparence"))
        assert salary_label in salary["suggested_text"] and "52 k€" not in salary["suggested_text"]
        assert {g["code"] for g in doc["excluded"]} >= {"private-message", "salary", "job-application"}
        assert doc["uncertain"]
        summary = doc["summary"]
        before, after = summary["what_if"]["before"], summary["what_if"]["after"]
        assert before["total"] == pair_frame.height and after["total"] == pair_frame.height - 2
        assert after["risky"] < before["risky"]
        assert summary["policy_version"] and summary["export_date"] == "2026-11-21" and summary["offline"] is True
        return
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff")), delimiter=";" if lang == "fr" else ","))
        sections = [r["section"] for r in rows]
        order = ["settings", "delete", "edit", "review", "excluded", "uncertain"]
        assert [s for s in dict.fromkeys(sections)] == [s for s in order if s in sections]
        assert rows[0]["id"] == "genai-training" and rows[0]["link"] == GENAI_URL
        assert GENAI_NAME[lang] in rows[0]["path"]
        objection = next(r["suggested_text"] for r in rows if r["suggested_text"] and r["section"] == "settings")
        assert all(phrase in objection for phrase in counts)
        assert [r["id"] for r in rows if r["section"] == "delete"] == chosen["delete"]
        assert chosen["keep"] not in [r["id"] for r in rows if r["section"] in ("delete", "edit")]
        assert any(salary_label in r["suggested_text"] for r in rows if r["section"] == "edit")
        return
    if fmt == "html":
        tree = HTMLParser(out)
        assert not tree.css("script") and not tree.css("[src]") and not tree.css("[href]")
        headings = [n.text() for n in tree.css("h2, h3")]
        wanted = [t(f"checklist.{k}", lang) for k in ("settings_heading", "delete_heading", "edit_heading",
                                                      "excluded_heading", "uncertain_heading", "summary_heading")]
        assert [h for h in headings if h in wanted] == wanted
        body = tree.body.text()
        first_setting = tree.css_first("ul.items li").text()
        assert GENAI_NAME[lang] in first_setting and GENAI_URL in first_setting
        objection = next(p.text() for p in tree.css("pre") if "21" in p.text())
        assert all(phrase in objection for phrase in counts)
        delete_list = tree.css("ul.items")[1].text()
        edit_list = tree.css("ul.items")[2].text()
        assert delete_list.index(heron_excerpt) < delete_list.index("Big news from Acme SAS")
        assert phone_excerpt not in delete_list + edit_list
        assert salary_label in edit_list
        assert t("checklist.offline", lang) in body and EXPORT_DAY[lang] in body
        return
    # Markdown
    positions = _sections_md(out, lang)
    assert positions == sorted(positions)
    settings = out[positions[0]:positions[1]]
    assert settings.index(GENAI_NAME[lang]) < settings.index(GENAI_URL) < settings.index("TS-DPRO")
    assert ("Article 21" if lang == "en" else "article 21") in settings
    assert all(phrase in settings for phrase in counts)
    deletions = out[positions[1]:positions[2]]
    assert deletions.count("- [ ] ") == 2
    assert deletions.index(heron_excerpt) < deletions.index("Big news from Acme SAS")
    edits = out[positions[2]:positions[3]]
    assert phone_excerpt not in deletions + edits
    assert f"{salary_label} brut à Lyon" in edits and t("detect.label.phone", lang) in edits
    summary = out[positions[5]:]
    assert f"| {pair_frame.height} | {pair_frame.height - 2} |" in summary
    assert EXPORT_DAY[lang] in summary and t("checklist.offline", lang) in summary
    assert load_policy().version in summary  # policy version


def test_checklist_output_file_is_private_and_never_overwritten(capsys, tmp_path):
    target = tmp_path / "checklist.md"
    code, out, err = run(capsys, "checklist", str(BASIC), str(COMPLETE), "-o", str(target))
    assert code == 0 and out == "" and str(target) in err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    first = target.read_bytes()
    assert first.startswith(b"# ")
    target.write_bytes(b"mine")
    code, _, err = run(capsys, "checklist", str(BASIC), str(COMPLETE), "-o", str(target), "--format", "json")
    assert code != 0 and "--force" in err and target.read_bytes() == b"mine"
    code, _, _ = run(capsys, "checklist", str(BASIC), str(COMPLETE), "-o", str(target), "--format", "json",
                     "--force")
    assert code == 0 and json.loads(target.read_text())["format"] == "inventory-checklist"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


# --------------------------------------------------------------------------------- verification

def _expected_outcomes(manifest, old_frame, new_frame, member_plan) -> dict[str, tuple[str, bool | None]]:
    decisions, extra = member_plan
    expected: dict[str, tuple[str, bool | None]] = {}
    for key in manifest["deleted"]:
        expected[item_id(old_frame, key)] = ("gone", None)
    for key in manifest["edited"]:
        before = key if key["kind"] == "profile-field" else key["before"]
        expected[item_id(old_frame, before)] = ("edited", key["spans"] != "kept")
    for old_id in extra["reappeared"]:
        expected[old_id] = ("reappeared", None)
    for old_id in extra["left_alone"]:
        expected[old_id] = ("still-present", None)
    # the tool's own edit suggestions the follow-up leaves untouched (résumé, article draft)
    for row in old_frame.filter(pl.col("suggestion") == "edit").iter_rows(named=True):
        expected.setdefault(row["id"], ("still-present", None))
    # and the items it lists for review, followed too (the follow-up leaves them untouched)
    for row in old_frame.filter(pl.col("suggestion").is_in(["review", "restrict"])).iter_rows(named=True):
        expected.setdefault(row["id"], ("still-present", None))
    return expected


def test_verify_every_outcome_old_export(capsys, tmp_path, manifest, old_frame, new_frame, member_plan):
    state = save_decisions(tmp_path, member_plan[0])
    code, out, _ = run(capsys, "verify", str(COMPLETE), str(FOLLOWUP), "--state", str(state), "--format", "json")
    assert code == 1
    report = json.loads(out)
    got = {o["id"]: (o["outcome"], o["spans_gone"] if o["outcome"] == "edited" else None) for o in report["outcomes"]}
    assert got == _expected_outcomes(manifest, old_frame, new_frame, member_plan)
    by_id = {o["id"]: o for o in report["outcomes"]}
    back = manifest["reappeared"][0]
    assert by_id[item_id(old_frame, back["before"])]["new_id"] == item_id(new_frame, back)
    comment = next(k for k in manifest["edited"] if k["kind"] == "comment")
    matched = by_id[item_id(old_frame, comment["before"])]
    assert matched["new_id"] == item_id(new_frame, comment) and matched["score"] >= 60
    kept = next(k for k in manifest["edited"] if k["spans"] == "kept")
    assert by_id[item_id(old_frame, kept["before"])]["remaining"] == ["salary"]
    # new exposure: exactly the posts added since (the reappeared post and edited comment are matched)
    assert {n["id"] for n in report["new_exposure"]} == {item_id(new_frame, k) for k in manifest["added"]}
    assert report["counts"]["left"] == sum(not o["done"] for o in report["outcomes"]) > 0


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_verify_text_and_markdown(capsys, tmp_path, manifest, old_frame, new_frame, member_plan, lang):
    state = save_decisions(tmp_path, member_plan[0])
    texts = {}
    for fmt in ("text", "md"):
        code, texts[fmt], _ = run(capsys, "verify", str(COMPLETE), str(FOLLOWUP), "--state", str(state),
                                  "--format", fmt, "--lang", lang)
        assert code == 1
    for fmt, out in texts.items():
        for outcome in ("gone", "still-present", "edited", "reappeared"):
            assert t(f"verify.outcome_{outcome}", lang) in out, (fmt, outcome)
        assert t("verify.something_left", lang) in out
        assert t("verify.spans_gone", lang) in out
        assert t("verify.new_heading", lang, count=len(manifest["added"])) in out
        assert "+33 6 00 00 00 77" in out  # a new exposure is listed
    review = set(old_frame.filter(pl.col("suggestion").is_in(["review", "restrict"]))["id"]) - set(member_plan[0])
    outcomes = _expected_outcomes(manifest, old_frame, new_frame, member_plan)
    expected = [v for k, v in outcomes.items() if k not in review]
    done = sum(outcome == "gone" or (outcome == "edited" and spans) for outcome, spans in expected)
    lines = texts["md"].splitlines()
    assert sum(line.startswith("- [x] ") for line in lines) == done
    assert sum(line.startswith("- [ ] ") for line in lines) == len(expected) - done > 0
    assert sum(line.startswith("- **") for line in lines) == len(review) > 0  # followed, nothing required


def test_verify_old_as_saved_checklist_json(capsys, tmp_path, manifest, old_frame, new_frame, member_plan):
    state = save_decisions(tmp_path, member_plan[0])
    saved = tmp_path / "old-checklist.json"
    code, _, _ = run(capsys, "checklist", str(COMPLETE), "--format", "json", "-o", str(saved), "--state", str(state))
    assert code == 0
    code, out, _ = run(capsys, "verify", str(saved), str(FOLLOWUP), "--format", "json")
    assert code == 1
    report = json.loads(out)
    got = {o["id"]: (o["outcome"], o["spans_gone"] if o["outcome"] == "edited" else None) for o in report["outcomes"]}
    assert got == _expected_outcomes(manifest, old_frame, new_frame, member_plan)
    assert {n["id"] for n in report["new_exposure"]} == {item_id(new_frame, k) for k in manifest["added"]}


def test_verify_old_as_state_file(capsys, tmp_path, manifest, old_frame, new_frame, member_plan):
    decisions, extra = member_plan
    state = save_decisions(tmp_path, decisions, seen=set(old_frame["id"]))
    code, out, _ = run(capsys, "verify", str(state), str(FOLLOWUP), "--format", "json")
    assert code == 1
    report = json.loads(out)
    got = {o["id"]: o["outcome"] for o in report["outcomes"]}
    assert set(got) == set(decisions)  # only the member's own decisions: no old suggestions
    for key in manifest["deleted"]:
        assert got[item_id(old_frame, key)] == "gone"
    for old_id in extra["left_alone"]:
        assert got[old_id] == "still-present"
    profile = next(k for k in manifest["edited"] if k["kind"] == "profile-field")
    assert got[item_id(old_frame, profile)] == "edited"
    # no old text or date in a state file: the post that came back under a new URN cannot be
    # matched to the deleted one, but it is listed as new exposure against the reviewed ids
    new_exposure = {n["id"] for n in report["new_exposure"]}
    assert item_id(new_frame, manifest["reappeared"][0]) in new_exposure
    assert {item_id(new_frame, k) for k in manifest["added"]} <= new_exposure


def test_verify_exit_zero_when_everything_planned_is_gone(capsys, tmp_path, old_frame):
    files = build_export("complete")
    planned = old_frame.filter(pl.col("suggestion").is_in(["delete", "edit"]))
    assert planned.height >= 3
    changes = []
    for row in planned.iter_rows(named=True):
        if row["source"] == followup.SHARES:
            changes.append(followup.Change("delete", followup.SHARES, {"ShareLink": row["url"]}))
        else:  # the résumé file and the article draft: one item each, so drop the member
            assert sum(old_frame["source"] == row["source"]) == 1, row["source"]
            changes.append(followup.Change("drop", row["source"]))
    new_files, manifest = followup.build_followup(files, tuple(changes))
    new_zip = tmp_path / "Complete_LinkedInDataExport_01-15-2027.zip"
    write_zip(new_files, new_zip)
    for fmt in ("json", "text"):
        code, out, _ = run(capsys, "verify", str(COMPLETE), str(new_zip), "--format", fmt)
        assert code == 0, out
    code, out, _ = run(capsys, "verify", str(COMPLETE), str(new_zip), "--format", "json")
    report = json.loads(out)
    assert report["done"] is True and report["counts"]["gone"] == planned.height == len(manifest["deleted"])
    assert report["new_exposure"] == []


# ------------------------------------------------------------------------------------- baseline

def test_decisions_carry_over_and_new_items_are_those_added(monkeypatch, tmp_path, capsys, manifest,
                                                            old_frame, new_frame, member_plan):
    monkeypatch.setenv("INVENTORY_STATE_DIR", str(tmp_path / "state"))
    decisions, extra = member_plan
    with DecisionStore.open() as store:  # first review, on OLD
        for item_id_, action in decisions.items():
            store.decide([item_id_], action)
        store.record_review(old_frame["id"].to_list(), None)
    assert stat.S_IMODE(os.stat(tmp_path / "state" / "state.json").st_mode) == 0o600

    with DecisionStore.open() as store:  # the next export
        new_ids = set(new_frame["id"]) - set(store.seen())
        carried = {i: a for i, a in store.all().items() if i in set(new_frame["id"])}
        store.record_review(new_frame["id"].to_list(), None)
    changed_identity = [k for k in manifest["edited"] if k["identity"] == "changed"]
    expected_new = {item_id(new_frame, k) for k in manifest["added"] + manifest["reappeared"] + changed_identity}
    assert new_ids == expected_new
    # ids are stable: every decision on an item still there applies unchanged
    assert carried == {i: a for i, a in decisions.items() if i in set(new_frame["id"])}
    assert set(carried) >= extra["left_alone"]
    with DecisionStore.open() as store:
        assert set(new_frame["id"]) - set(store.seen()) == set()

    # and the checklist of NEW uses them: the post left in place is still listed, as the member's deletion
    code, out, _ = run(capsys, "checklist", str(FOLLOWUP), "--format", "json")
    doc = json.loads(out)
    listed = {e["id"]: e for e in doc["delete"]}
    (heron,) = extra["left_alone"]
    assert heron in listed and listed[heron]["decision"] == "delete"


# -------------------------------------------------------------------------- CSV formula injection

def test_csv_cells_from_the_followup_cannot_run_as_formulas(capsys, tmp_path, new_frame):
    ids = {text: post_id(new_frame, text.strip()[:20]) for text in followup.FORMULA_TEXTS}
    assert len(ids) == 6
    state = save_decisions(tmp_path, {i: "delete" for i in ids.values()})
    code, out, _ = run(capsys, "checklist", str(FOLLOWUP), "--format", "csv", "--state", str(state))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    by_id = {r["id"]: r for r in rows if r["section"] == "delete"}
    for text, i in ids.items():
        cell = by_id[i]["excerpt"]
        if text[0] in "=+-@":
            assert cell == "'" + text, text  # the exact text, neutralised by a leading '
        else:  # tab and CR are control/space characters: cleaned away before the CSV
            assert cell == text.strip() and not cell.startswith(("'", "\t", "\r"))
    for row in rows:
        for value in row.values():
            assert not (value or "").startswith(("=", "+", "-", "@", "\t", "\r")), value
