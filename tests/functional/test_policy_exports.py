"""Verdicts pinned on small synthetic exports of our own, read as a user reads them: an archive
built like LinkedIn's (tests/zipbuild.py), then `inventory scan --json`, `inventory checklist` and
`inventory policy`. Each case is a shape real exports hold (docs/policy.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import zipbuild as zb
from conftest import run_cli

SHARES_HEADER = "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"


def _share(n: int, text: str, visibility: str, media: str = "") -> str:
    link = f"https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A74000000000000{n:05d}"
    return f'2025-12-{n:02d} 10:00:00,{link},"{text}",,{media},{visibility}\n'


def export(tmp_path: Path, files: dict[str, str], name: str = "Basic_LinkedInDataExport_12-01-2026.zip") -> Path:
    """A LinkedIn-like archive (deflate, data descriptors, UTF-8 names) holding `files`."""
    members = [zb.deflated(path, text.encode("utf-8"), flags=zb.FLAG_UTF8, descriptor=True)
               for path, text in files.items()]
    target = tmp_path / name
    target.write_bytes(zb.build(members))
    return target


def scan(capsys, archive: Path, *options: str) -> dict:
    code, out, err = run_cli(capsys, "scan", str(archive), "--json", *options)
    assert code == 0, err
    return json.loads(out)


def by_text(doc: dict) -> dict[str, dict]:
    return {item["text"]: item for item in doc["items"] if item["text"]}


# --------------------------------------------------------------------------- posts (issue 12, point 4)


def test_member_network_posts_are_training_flagged_and_restricted_ones_stay_uncertain(tmp_path, capsys):
    archive = export(tmp_path, {"Shares.csv": SHARES_HEADER + "".join([
        _share(1, "An invented post about data pipelines", "MEMBER_NETWORK"),
        _share(2, "A second invented post", "MEMBER_NETWORK", media="https://media.licdn.com/dms/image/x/1"),
        _share(3, "A post explicitly for connections", "CONNECTIONS"),
        _share(4, "", "MEMBER_NETWORK"),
    ])})
    doc = scan(capsys, archive, "--region", "eu")
    items = by_text(doc)
    for text in ("An invented post about data pipelines", "A second invented post"):
        post = items[text]
        assert (post["exposure"], post["rule"]) == ("training", "post.audience-not-recorded")
        assert "audience-not-recorded" in post["flags"]
        assert "does not record" in post["exposure_reason"]
    restricted = items["A post explicitly for connections"]
    assert (restricted["exposure"], restricted["rule"]) == ("uncertain", "post.connections-only")
    assert "audience-not-recorded" not in restricted["flags"]
    bare = next(i for i in doc["items"] if i["kind"] in ("post", "repost") and not i["text"])
    assert bare["exposure"] == "uncertain" and bare["rule"] == "post.without-own-text"
    assert doc["summary"]["by_flag"]["audience-not-recorded"] == 2


def test_member_network_posts_enter_the_checklist_as_training_material(tmp_path, capsys):
    archive = export(tmp_path, {"Shares.csv": SHARES_HEADER + _share(1, "An invented post", "MEMBER_NETWORK")})
    code, out, err = run_cli(capsys, "checklist", str(archive), "--region", "eu", "--format", "json",
                             "--lang", "en")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["summary"]["what_if"]["before"]["training"] == 1
    assert doc["summary"]["what_if"]["before"]["uncertain"] == 0


# --------------------------------------------------------------------------- issue 13: the August 2026 re-reading

MESSAGES_HEADER = "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER\n"
ME = "Ada Exemple,https://www.linkedin.com/in/ada-exemple-000"
JOB_POSTINGS = (
    "Company Name,Title,Employment Status,Company Description,Job Description,Location Description,"
    "Job Functions,Company Industries,Seniority Level,Required Skills,Education Levels,Onsite Apply,"
    "Contact Email,Company Apply Url,Base Salary,Additional Compensation,Job State,Create Date,"
    "List Date,Close Date,Expiration Date\n"
    "Exemple Ltd,Invented analyst role,FULL_TIME,An invented company.,<p>Invented duties.</p>,Leeds,"
    "Analyst,IT Services,ENTRY_LEVEL,SQL,Bachelor,true,jobs@exemple.example.com,,,,CLOSED,"
    '"2/1/26, 9:00 AM","2/1/26, 9:05 AM","3/15/26, 6:00 PM","3/31/26, 11:59 PM"\n'
)
RECEIPTS = (
    "First Name,Last Name,Billing Country,Postal Code,Transaction Made At,Payment Method Type,"
    "Invoice Number,Description,Tax Amount,Sub Total,Total Amount,Currency Code\n"
    "Ada,Exemple,GB,LS1,11/13/26 10:15 AM UTC,VISA,EX-INV-000900,Invented subscription,1.00,9.00,10.00,GBP\n"
)


def re_read_export(tmp_path: Path) -> Path:
    """An assistant chat (the member's question, the assistant's reply), a job posting the member
    published, receipts, and a file named as feedback that no catalogue entry knows."""
    return export(tmp_path, {
        "coach_messages.csv": MESSAGES_HEADER
        + f"conv-1,,{ME},LinkedIn Coach,,2026-02-10 18:00:00 UTC,,An invented question to the coach,INBOX\n"
        + f"conv-1,,LinkedIn Coach,,{ME},2026-02-10 18:01:00 UTC,,An invented answer from the coach,INBOX\n",
        "Online Job Postings.csv": JOB_POSTINGS,
        "Receipts_v2.csv": RECEIPTS,
        "AI Feedback.csv": "Date,Feature,Rating,Comment\n2026-03-01,Writing assistant,THUMBS_DOWN,An invented remark\n",
    })


def _one_of(doc: dict, kind: str, **cells: str) -> dict:
    return next(i for i in doc["items"] if i["kind"] == kind and all(v in (i.get(k) or "") for k, v in cells.items()))


@pytest.mark.parametrize(("region", "reply", "posting"), [
    ("uk", ("training", "ai-chat.reply.europe"), ("training", "job-posting.uk")),
    ("eu", ("training", "ai-chat.reply.europe"), ("uncertain", "job-posting")),
    ("us", ("uncertain", "ai-chat.reply"), ("uncertain", "job-posting")),
])
def test_the_re_read_verdicts_on_an_export(tmp_path, capsys, region, reply, posting):
    doc = scan(capsys, re_read_export(tmp_path), "--region", region)
    question = _one_of(doc, "ai-chat", text="question")
    answer = _one_of(doc, "ai-chat", text="answer")
    assert (question["exposure"], question["rule"]) == ("training", "ai-chat.prompt")
    assert (answer["exposure"], answer["rule"]) == reply
    job = _one_of(doc, "job-posting")
    assert (job["exposure"], job["rule"]) == posting
    if region == "uk":
        assert "Microsoft" in job["exposure_reason"]
    receipt = _one_of(doc, "receipt")
    assert (receipt["exposure"], receipt["rule"]) == ("other", "receipt")
    feedback = [i for i in doc["items"] if i["source"].endswith("AI Feedback.csv")]
    assert feedback and {(i["exposure"], i["rule"]) for i in feedback} == {("training", "feedback")}
    assert set(doc["summary"]["by_reason"]) <= {"private-message", "salary", "job-application", "minor",
                                                "opted-out", "region-not-enabled"}


def test_policy_command_prints_the_re_reading_and_its_sources(capsys):
    code, out, err = run_cli(capsys, "policy")
    assert code == 0, err
    assert out.splitlines()[0] == "Policy linkedin-genai-training version 2026.12.1, last verified December 2, 2026"
    for rule in ("ai-chat.reply.europe", "job-posting.uk", "feedback", "post.audience-not-recorded"):
        assert any(line.startswith(rule + " ") for line in out.splitlines()), rule
    code, out, err = run_cli(capsys, "policy", "--json")
    doc = json.loads(out)
    assert (doc["version"], doc["last_verified"]) == ("2026.12.1", "2026-12-02")
    regions = {r["match"]: r for r in doc["rules"] if r["section"] == "region" and r["verdict"] == "training"}
    for name in ("European Union / EEA", "Switzerland", "United Kingdom"):
        assert regions[name]["source_url"] == "https://www.linkedin.com/legal/privacy/eu"


@pytest.mark.parametrize(("lang", "region", "needles"), [
    ("en", "uk", ["LinkedIn Corporation", "Information Commissioner's Office (ICO)", "1 job posting",
                  "2 messages with an AI assistant", "Microsoft for Microsoft's own AI training"]),
    ("fr", "uk", ["LinkedIn Corporation", "Information Commissioner's Office (ICO)", "1 offre publiée"]),
    ("en", "eu", ["LinkedIn Ireland Unlimited Company", "Irish Data Protection Commission", "2 messages with an AI assistant"]),
    ("en", "us", ["I object to the processing", "2 messages with an AI assistant; 1 job posting."]),
    ("fr", "eu", ["LinkedIn Ireland Unlimited Company", "Data Protection Commission irlandaise"]),
])
def test_checklist_letter_for_the_member_s_region(tmp_path, capsys, lang, region, needles):
    code, out, err = run_cli(capsys, "checklist", str(re_read_export(tmp_path)), "--region", region,
                             "--format", "json", "--lang", lang)
    assert code == 0, err
    doc = json.loads(out)
    letter = next(s["objection_text"] for s in doc["settings"] if s["objection_text"])
    assert all(needle in letter for needle in needles), letter
    # the feedback file is recognised by no catalogue entry, but its rule names it: it is counted
    # by kind ("unknown"), which the letter never lists
    assert "unrecognised" not in letter and "non reconnue" not in letter
    assert [s["id"] for s in doc["settings"]][:3] == ["genai-training", "objection-form", "dpo-form"]
