"""Verdicts under the packaged policy file, member-level overrides, region handling, and the
policy file as data (a changed file changes verdicts; a broken file fails cleanly)."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timezone
from importlib import resources

import polars as pl
import pytest

from inventory import items as items_mod
from inventory.errors import InventoryError
from inventory.items import items_frame
from inventory.i18n import catalogue
from inventory.render import words
from inventory.policy import (
    ADDED_COLUMNS, VERDICTS, MemberContext, PolicyError, classify, describe_policy,
    infer_region, load_policy, normalise_region, reason_words, summarise,
)

TODAY = date(2026, 11, 1)


def utc(y: int, m: int, d: int, h: int = 12) -> datetime:
    return datetime(y, m, d, h, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def policy():
    return load_policy()


def with_cells(rows: list[dict]) -> pl.DataFrame:
    """Items from rows, a row's `fields` dict (its original cells) becoming `fields.<cell>`
    columns as ScanResult.with_cells gives them."""
    frame = items_frame(rows)
    names = sorted({name for row in rows for name in row.get("fields") or {}})
    return frame.with_columns([pl.Series(f"fields.{name}", [(row.get("fields") or {}).get(name) for row in rows],
                                         dtype=pl.String) for name in names])


def one(policy, row: dict, **ctx) -> dict:
    """One item classified, its reason rendered in English as the JSON says it (`classify`
    stores a key: see test_exposure_reason_is_a_key_rendered_at_the_edge)."""
    ctx.setdefault("today", TODAY)
    frame = classify(with_cells([{"id": "x", **row}]), policy, MemberContext(**ctx))
    return words(frame, policy=policy).row(0, named=True)


# --------------------------------------------------------------------------- every kind, every file

# file_kind -> (kind, extra cells, expected verdict, expected rule). The catalogue ids the readers
# emit; a minimal but realistic item from each file, for a US member who never opted out.
AI = {"SENDER PROFILE URL": "https://www.linkedin.com/in/camille-exemple"}
FILE_KINDS: dict[str, tuple[str, dict, str, str]] = {
    "profile": ("profile-field", {"field": "Headline", "text": "Data engineer"}, "training", "profile.text"),
    "profile_summary": ("profile-field", {"field": "Profile Summary", "text": "About me"}, "training", "profile.text"),
    "positions": ("position", {"text": "Data engineer"}, "training", "profile.named-section"),
    "education": ("education", {"text": "Master"}, "training", "profile.named-section"),
    "skills": ("skill", {"text": "SQL"}, "training", "profile.named-section"),
    "languages": ("language", {"text": "Français"}, "training", "profile.unnamed-section"),
    "certifications": ("certification", {"text": "Cloud"}, "training", "profile.named-section"),
    "honors": ("honor", {"text": "Prix"}, "training", "profile.unnamed-section"),
    "projects": ("project", {"text": "Tableau"}, "training", "profile.unnamed-section"),
    "publications": ("publication", {"text": "Blog"}, "training", "profile.named-section"),
    "patents": ("patent", {"text": "Brevet"}, "training", "profile.named-section"),
    "volunteering": ("volunteering", {"text": "Bénévole"}, "training", "profile.named-section"),
    "courses": ("course", {"text": "Stats"}, "training", "profile.minor-section"),
    "organizations": ("organization", {"text": "Asso"}, "training", "profile.minor-section"),
    "causes_you_care_about": ("profile-field", {"text": "Education"}, "training", "profile.causes-hashtags"),
    "test_scores": ("test-score", {"text": "TOEIC"}, "training", "profile.minor-section"),
    "recommendations_received": ("recommendation-received", {"text": "Great"}, "training", "profile.named-section"),
    "recommendations_given": ("recommendation-given", {"text": "Great"}, "training", "profile.given-to-others"),
    "endorsement_received_info": ("endorsement-received", {"text": "SQL"}, "training", "profile.named-section"),
    "endorsement_given_info": ("endorsement-given", {"text": "SQL"}, "training", "profile.given-to-others"),
    "rich_media": ("media", {"title": "You uploaded a feed photo on March 4, 2025 at 3:07 PM (GMT)"}, "training", "media.upload"),
    "private_identity_asset": ("resume", {"text": "CV"}, "training", "resume"),
    "duolingo": ("test-score", {"text": "English 120"}, "training", "profile.minor-section"),
    "verifications": ("verification", {"text": "ID verification"}, "other", "verification"),
    "member_hashtags": ("profile-field", {"text": "#data"}, "training", "profile.causes-hashtags"),
    "shares": ("post", {"text": "Hello", "visibility": "PUBLIC"}, "training", "post.public"),
    "comments": ("comment", {"text": "Bravo"}, "training", "comment"),
    "instantreposts": ("repost", {}, "uncertain", "post.without-own-text"),
    "votes": ("vote", {"text": "Option A"}, "training", "vote"),
    "articles": ("article", {"text": "Body", "url": "https://www.linkedin.com/pulse/x"}, "training", "article"),
    "notes": ("note", {"text": "Met at meetup"}, "uncertain", "note"),
    "reactions": ("reaction", {"url": "https://www.linkedin.com/feed/update/urn:li:activity:1"}, "other", "reaction"),
    "saved_items": ("saved-item", {}, "other", "saved-and-follows"),
    "company_follows": ("follow", {}, "other", "saved-and-follows"),
    "member_follows": ("follow", {}, "other", "saved-and-follows"),
    "hashtag_follows": ("follow", {}, "other", "saved-and-follows"),
    "events": ("event", {}, "other", "event"),
    "groups": ("group", {}, "uncertain", "group.membership"),
    "messages": ("message", {"text": "Salut"}, "excluded", "message.private"),
    "guide_messages": ("ai-chat", {"fields": AI}, "training", "ai-chat.prompt"),
    "coach_messages": ("ai-chat", {"fields": AI}, "training", "ai-chat.prompt"),
    "learning_coach_messages": ("ai-chat", {"fields": AI}, "training", "ai-chat.prompt"),
    "learning_role_play_messages": ("ai-chat", {"fields": AI}, "training", "ai-chat.prompt"),
    "learningcoachmessages": ("ai-chat", {"fields": AI}, "training", "ai-chat.prompt"),
    "connections": ("connection", {}, "other", "network"),
    "invitations": ("invitation", {}, "other", "network"),
    "contacts": ("imported-contact", {}, "other", "network"),
    "importedcontacts": ("imported-contact", {}, "other", "network"),
    "calendar": ("account-setting", {}, "other", "account.contact"),
    "job_applications": ("job-application", {}, "excluded", "job-application"),
    "saved_jobs": ("saved-job", {}, "other", "jobs.other"),
    "job_seeker_preferences": ("job-preference", {"field": "Job Titles"}, "other", "jobs.other"),
    "job_applicant_saved_answers": ("saved-answer", {"field": "Years of experience", "text": "7"}, "training", "saved-answer"),
    "job_applicant_saved_screening_question_responses": ("saved-answer", {"field": "Relocate?", "text": "No"}, "training", "saved-answer"),
    "savedjobalerts": ("job-alert", {}, "other", "jobs.other"),
    "online_job_postings": ("job-posting", {}, "uncertain", "job-posting"),
    "providers": ("service-listing", {}, "uncertain", "service-listing"),
    "learning": ("learning", {}, "other", "learning"),
    "searchqueries": ("search-query", {"text": "data engineer lyon"}, "other", "search-query"),
    "ad_targeting": ("ad-targeting", {"field": "Member Age"}, "other", "ads"),
    "ads_clicked": ("ad-click", {}, "other", "ads"),
    "lan_ads_engagement": ("ad-engagement", {}, "other", "ads"),
    "inferences_about_you": ("inference", {}, "other", "ads"),
    "email_addresses": ("email-address", {}, "other", "account.contact"),
    "phonenumbers": ("phone-number", {}, "other", "account.contact"),
    "whatsapp_phone_numbers": ("phone-number", {}, "other", "account.contact"),
    "registration": ("registration", {}, "other", "account.contact"),
    "logins": ("login", {}, "other", "account.security"),
    "security_challenges": ("security-event", {}, "other", "account.security"),
    "receipts": ("receipt", {}, "other", "receipt"),
    "receipts_v2": ("receipt", {}, "other", "receipt"),
    "unknown": ("unknown", {"text": "something new"}, "uncertain", "fallback.unknown"),
}

# Kinds that only appear as sub-items (no file of their own above).
SUB_KINDS = {"job-application-answer": ({"field": "Notice period?", "text": "3 mois"}, "excluded", "job-application.answer")}


def _row(file_kind: str, kind: str, extra: dict) -> dict:
    return {"file_kind": file_kind, "kind": kind, "date": utc(2025, 12, 1), **extra}


@pytest.mark.parametrize("file_kind", sorted(FILE_KINDS))
def test_every_file_kind_has_a_sourced_verdict(policy, file_kind):
    kind, extra, verdict, rule = FILE_KINDS[file_kind]
    out = one(policy, _row(file_kind, kind, extra), region="us")
    assert (out["exposure"], out["rule"]) == (verdict, rule)
    assert out["source_url"].startswith("http")
    assert out["exposure_reason"]


@pytest.mark.parametrize("kind", items_mod.KINDS)
def test_every_kind_is_classified_by_a_rule_even_from_an_unknown_file(policy, kind):
    # A file the catalogue does not know yet but whose rows were given a kind: the kind decides.
    extra = next((e for k, e, _, _ in FILE_KINDS.values() if k == kind), None)
    if extra is None:
        extra = SUB_KINDS[kind][0]
    out = one(policy, _row("some_new_file", kind, extra), region="us")
    assert out["exposure"] in VERDICTS
    assert out["source_url"].startswith("http")
    if kind == "unknown":
        assert out["rule"] == "fallback.unknown" and out["exposure"] == "uncertain"
    else:
        assert out["rule"] != "fallback.unknown", kind


def test_the_tables_above_cover_every_kind():
    covered = {k for k, _, _, _ in FILE_KINDS.values()} | set(SUB_KINDS)
    assert covered == set(items_mod.KINDS)


def test_unknown_kind_and_file_are_uncertain_never_silently_classified(policy):
    out = one(policy, {"kind": "brand-new-kind", "file_kind": "profile_views", "text": "x"}, region="us")
    assert out["exposure"] == "uncertain" and out["rule"] == "fallback.unknown"
    assert "not covered" in out["exposure_reason"]


def test_output_columns_types_and_row_order(policy):
    rows = [_row(fk, k, e) | {"id": f"i{n}"} for n, (fk, (k, e, _, _)) in enumerate(sorted(FILE_KINDS.items()))]
    frame = items_frame(rows)
    out = classify(frame, policy, MemberContext(region="eu", today=TODAY))
    assert out.columns == list(frame.columns) + list(ADDED_COLUMNS)
    assert out.get_column("id").to_list() == frame.get_column("id").to_list()
    assert out.schema["eligible_from"] == pl.Datetime("us", "UTC")
    assert out.schema["eligible_until"] == pl.Datetime("us", "UTC")
    assert out.schema["flags"] == pl.List(pl.String)
    excluded = out.filter(pl.col("exposure") == "excluded")
    assert set(excluded.get_column("exposure_reason")) <= {"private-message", "job-application"}


# --------------------------------------------------------------------------- content details


@pytest.mark.parametrize(("visibility", "verdict", "rule", "flagged"), [
    ("PUBLIC", "training", "post.public", False),
    # Every post of real exports carries MEMBER_NETWORK: posts are named, the audience is unknown.
    ("MEMBER_NETWORK", "training", "post.audience-not-recorded", True),
    (" member_network ", "training", "post.audience-not-recorded", True),
    (None, "training", "post.audience-not-recorded", True),
    ("", "training", "post.audience-not-recorded", True),
    # An explicit restricted audience stays unsettled.
    ("CONNECTIONS", "uncertain", "post.connections-only", False),
    ("CONNECTIONS_ONLY", "uncertain", "post.connections-only", False),
    ("CONTAINER", "training", "post.group", False),
    ("LOGGED_IN", "uncertain", "post.other-visibility", False),
])
def test_post_visibility(policy, visibility, verdict, rule, flagged):
    out = one(policy, {"kind": "post", "file_kind": "shares", "text": "Hello", "visibility": visibility}, region="us")
    assert (out["exposure"], out["rule"]) == (verdict, rule)
    assert ("audience-not-recorded" in out["flags"]) is flagged
    if flagged:
        assert "does not record" in out["exposure_reason"]


def test_the_audience_flag_follows_the_item_until_an_override_excludes_it(policy):
    post = {"kind": "post", "file_kind": "shares", "text": "Hello", "visibility": "MEMBER_NETWORK"}
    kept = one(policy, post | {"date": utc(2025, 12, 1)}, region="eu", opted_out_on=date(2026, 1, 1))
    assert kept["exposure"] == "training" and "audience-not-recorded" in kept["flags"]
    assert "eu-lookback-unknown" in kept["flags"]
    after = one(policy, post | {"date": utc(2026, 2, 1)}, region="eu", opted_out_on=date(2026, 1, 1))
    assert after["exposure"] == "excluded" and after["flags"] == []
    window = one(policy, post | {"date": utc(2024, 10, 1)}, region="ca", opted_out_on=date(2025, 1, 1))
    assert window["exposure"] == "uncertain" and window["flags"] == ["audience-not-recorded"]
    assert one(policy, post, minor=True, region="eu")["flags"] == []
    # A repost without own text is decided before the visibility rules, and carries no flag.
    bare = one(policy, post | {"text": ""}, region="us")
    assert bare["rule"] == "post.without-own-text" and "audience-not-recorded" not in bare["flags"]


def test_share_without_text_or_media_is_a_repost_uncertain_but_a_photo_post_is_not(policy):
    bare = one(policy, {"kind": "post", "file_kind": "shares", "visibility": "PUBLIC",
                        "fields": {"ShareCommentary": "", "MediaUrl": ""}}, region="us")
    photo = one(policy, {"kind": "post", "file_kind": "shares", "visibility": "PUBLIC",
                         "fields": {"ShareCommentary": "", "MediaURL": "https://media.licdn.com/x"}}, region="us")
    assert (bare["exposure"], bare["rule"]) == ("uncertain", "post.without-own-text")
    assert (photo["exposure"], photo["rule"]) == ("training", "post.public")


@pytest.mark.parametrize(("title", "verdict", "rule"), [
    ("You uploaded a profile photo on March 4, 2025 at 3:07 PM (GMT)", "training", "media.profile-photo"),
    ("You uploaded a profile background photo on March 4, 2025 at 3:07 PM (GMT)", "uncertain", "media.background-photo"),
    ("You uploaded a document on March 4, 2025 at 3:07 PM (GMT)", "training", "media.upload"),
])
def test_rich_media_kinds(policy, title, verdict, rule):
    out = one(policy, {"kind": "media", "file_kind": "rich_media", "title": title}, region="us")
    assert (out["exposure"], out["rule"]) == (verdict, rule)


@pytest.mark.parametrize(("field", "verdict", "rule"), [
    ("First Name", "training", "profile.name"),
    ("Geo Location", "training", "profile.location"),
    ("Summary", "training", "profile.text"),
    ("Birth Date", "other", "profile.birth-date"),
    ("Websites", "other", "profile.contact"),
    ("Address", "other", "profile.contact"),
    ("Gender", "uncertain", "profile.self-id"),
])
def test_profile_fields(policy, field, verdict, rule):
    out = one(policy, {"kind": "profile-field", "file_kind": "profile", "field": field, "text": "x"}, region="us")
    assert (out["exposure"], out["rule"]) == (verdict, rule)


@pytest.mark.parametrize(("region", "reply_verdict", "reply_rule"), [
    # The European Regional Privacy Notice names AI features' "input and output data" (docs/policy.md).
    ("eu", "training", "ai-chat.reply.europe"),
    ("ch", "training", "ai-chat.reply.europe"),
    ("uk", "training", "ai-chat.reply.europe"),
    ("us", "uncertain", "ai-chat.reply"),
    ("ca", "uncertain", "ai-chat.reply"),
    (None, "uncertain", "ai-chat.reply"),
])
def test_ai_chat_prompt_is_training_and_the_assistant_reply_depends_on_the_notice(policy, region, reply_verdict,
                                                                                   reply_rule):
    reply = {"SENDER PROFILE URL": "", "FROM": ""}
    for file_kind in ("coach_messages", "guide_messages", "learning_role_play_messages"):
        prompt = one(policy, {"kind": "ai-chat", "file_kind": file_kind, "fields": AI}, region=region)
        answer = one(policy, {"kind": "ai-chat", "file_kind": file_kind, "fields": reply}, region=region)
        assert (prompt["exposure"], prompt["rule"]) == ("training", "ai-chat.prompt")
        assert (answer["exposure"], answer["rule"]) == (reply_verdict, reply_rule)
        assert answer["source_url"] == "https://www.linkedin.com/legal/privacy/eu"
        assert "output" in answer["exposure_reason"]


@pytest.mark.parametrize(("region", "verdict", "rule"), [
    ("uk", "training", "job-posting.uk"),
    ("eu", "uncertain", "job-posting"),
    ("us", "uncertain", "job-posting"),
    (None, "uncertain", "job-posting"),
])
def test_job_postings_are_training_for_uk_members_shared_with_microsoft(policy, region, verdict, rule):
    out = one(policy, {"kind": "job-posting", "file_kind": "online_job_postings", "title": "Data engineer"},
              region=region)
    assert (out["exposure"], out["rule"]) == (verdict, rule)
    if region == "uk":
        assert "Microsoft" in out["exposure_reason"] and "stops both" in out["exposure_reason"]
        assert "Microsoft" in reason_words(policy, f"rule.{rule}", "fr")


@pytest.mark.parametrize(("source", "rule", "verdict"), [
    ("Feedback.csv", "feedback", "training"),
    ("AI/Generative AI Feedback.csv", "feedback", "training"),
    ("LinkedIn Salary.csv", "salary.file", "excluded"),
    ("Salary_Insights.csv", "salary.file", "excluded"),
])
def test_unknown_files_named_feedback_or_salary_are_judged_by_their_name(policy, source, rule, verdict):
    out = one(policy, {"kind": "unknown", "file_kind": "unknown", "source": source, "text": "x"}, region="us")
    assert (out["exposure"], out["rule"]) == (verdict, rule)


@pytest.mark.parametrize(("row", "rule"), [
    # A known file is judged by its kind: an article's file name is its title, a folder is not a file.
    ({"kind": "article", "file_kind": "articles", "source": "Articles/Articles/Mon salaire et moi.html",
      "url": "https://www.linkedin.com/pulse/x"}, "article"),
    ({"kind": "article", "file_kind": "articles", "source": "Articles/Articles/Feedback culture.html",
      "url": "https://www.linkedin.com/pulse/y"}, "article"),
    ({"kind": "unknown", "file_kind": "unknown", "source": "Feedback/Notes.csv"}, "fallback.unknown"),
])
def test_a_file_name_decides_only_for_unknown_files(policy, row, rule):
    assert one(policy, {**row, "text": "x"}, region="us")["rule"] == rule


def test_receipts_are_billing_data_not_training_nor_excluded(policy):
    out = one(policy, {"kind": "receipt", "file_kind": "receipts_v2", "title": "Premium Career"}, region="eu")
    assert (out["exposure"], out["rule"]) == ("other", "receipt")
    assert "Billing" in out["exposure_reason"]


def test_every_source_is_defined_and_cited(policy):
    # Cited but undefined fails on load (test_malformed_policy_file_gives_one_clean_line); defined
    # but never cited is checked here, on the packaged file's raw TOML.
    import tomllib

    data = tomllib.loads(_packaged_text())
    cited: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("source", "dated_flag_source") and isinstance(value, str):
                    cited.add(value)
                elif key not in ("seen_in", "match"):  # there `source` is an item column
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk({k: v for k, v in data.items() if k != "sources"})
    assert cited == set(data["sources"]) == set(policy.sources)
    assert policy.sources["L-ERPN"] == "https://www.linkedin.com/legal/privacy/eu"
    for code in ("eu", "ch", "uk"):  # the notice gives the start date (the ICO page gives none)
        assert policy.regions[code].source == "L-ERPN"
    assert "2003" in policy.regions["eu"].dated_flag_reason
    assert "2003" in reason_words(policy, "dated-flag.eu", "fr")


def test_every_excluded_code_of_the_contract_is_produced_and_documented(policy):
    from inventory.policy import EXCLUDED_CODES

    produced = {r.code for r in policy.rules if r.verdict == "excluded"}
    produced |= {"minor", "opted-out", "region-not-enabled"}  # the member-level overrides
    assert produced == set(EXCLUDED_CODES)
    from conftest import REPO as root

    for doc in ("README.md", "docs/policy.md"):
        text = (root / doc).read_text(encoding="utf-8")
        line = next(line for line in text.split("\n\n") if "`private-message`" in line)
        assert set(re.findall(r"`([a-z-]+)`", line)) & _CODE_LIKE == set(EXCLUDED_CODES), doc


_CODE_LIKE = {"private-message", "salary", "payment", "job-application", "credentials", "minor", "opted-out",
              "region-not-enabled"}


def test_article_draft_is_uncertain(policy):
    out = one(policy, {"kind": "article", "file_kind": "articles", "text": "brouillon", "url": None}, region="us")
    assert (out["exposure"], out["rule"]) == ("uncertain", "article.draft")


def test_invitation_with_a_note_is_uncertain_without_is_other(policy):
    note = one(policy, {"kind": "invitation", "file_kind": "invitations", "text": "Bonjour, ravie de..."}, region="us")
    bare = one(policy, {"kind": "invitation", "file_kind": "invitations", "fields": {"Message": ""}}, region="us")
    assert (note["exposure"], bare["exposure"]) == ("uncertain", "other")


# --------------------------------------------------------------------------- salary, field level


@pytest.mark.parametrize(("question", "salary"), [
    ("What is your expected salary?", True),
    ("Current CTC?", True),
    ("Quelles sont vos prétentions salariales ?", True),
    ("Rémunération actuelle", True),
    ("Salaire souhaité (brut annuel)", True),
    ("Expected compensation", True),
    ("What is your daily rate (TJM)?", True),
    ("Notice period?", False),
    ("How many years of experience do you have with Python?", False),
    ("Are you authorized to work in France?", False),
])
def test_salary_answers_split_out_of_job_applications_and_saved_answers(policy, question, salary):
    answer = one(policy, {"kind": "job-application-answer", "file_kind": "job_applications",
                          "field": question, "text": "60000", "parent": "job-application:1"}, region="us")
    saved = one(policy, {"kind": "saved-answer", "file_kind": "job_applicant_saved_answers",
                         "field": question, "title": question, "text": "60000"}, region="us")  # as the reader makes it
    if salary:
        assert (answer["exposure"], answer["exposure_reason"]) == ("excluded", "salary")
        assert (saved["exposure"], saved["exposure_reason"]) == ("excluded", "salary")
    else:
        assert (answer["exposure"], answer["exposure_reason"]) == ("excluded", "job-application")
        assert saved["exposure"] == "training"


@pytest.mark.parametrize(("kind", "file_kind", "text", "flagged"), [
    ("post", "shares", "Transparence : mon salaire de 52 k€ brut, parlons-en.", True),
    ("post", "shares", "My salary went from $85,000 to $110k this year.", True),
    ("profile-field", "profile", "Looking for roles around 65k EUR gross per year.", True),
    ("saved-answer", "job_applicant_saved_screening_question_responses", "Rémunération : 4 200 € par mois", True),
    ("article", "articles", "Pourquoi j'ai refusé 70k€ de salaire", True),
    ("post", "shares", "We raised 50 000 € for the food bank!", False),
    ("post", "shares", "Our salary survey is out: read it here.", False),
    ("message", "messages", "Mon salaire est de 52 k€", False),  # excluded: not training material
])
def test_salary_figure_inside_training_text_is_flagged(policy, kind, file_kind, text, flagged):
    row = {"kind": kind, "file_kind": file_kind, "text": text, "visibility": "PUBLIC",
           "field": "Summary" if kind == "profile-field" else "Do you like remote work?",
           "url": "https://www.linkedin.com/pulse/x"}
    if kind not in ("profile-field", "saved-answer"):
        row["field"] = None
    out = one(policy, row, region="us")
    assert ("salary-in-training-material" in out["flags"]) is flagged


def test_the_salary_flag_comes_first_and_only_while_the_item_stays_exposed(policy):
    # The flag is one bit of the flags table (policy._flag_table), set where the text states a
    # salary and the overrides leave the item training material or uncertain.
    post = {"kind": "post", "file_kind": "shares", "text": "Mon salaire : 52 k€ brut", "visibility": "MEMBER_NETWORK"}
    kept = one(policy, post | {"date": utc(2025, 12, 1)}, region="eu", opted_out_on=date(2026, 1, 1))
    assert kept["exposure"] == "training"
    assert kept["flags"] == ["salary-in-training-material", "eu-lookback-unknown", "audience-not-recorded"]
    after = one(policy, post | {"date": utc(2026, 2, 1)}, region="eu", opted_out_on=date(2026, 1, 1))
    assert after["exposure"] == "excluded" and after["flags"] == []
    window = one(policy, post | {"date": utc(2024, 10, 1)}, region="ca", opted_out_on=date(2025, 1, 1))
    assert window["exposure"] == "uncertain"
    assert window["flags"] == ["salary-in-training-material", "audience-not-recorded"]
    assert one(policy, post, minor=True, region="eu")["flags"] == []
    assert one(policy, post | {"text": "Hello", "date": utc(2025, 12, 1)}, region="eu")["flags"] == [
        "eu-lookback-unknown", "audience-not-recorded"]


# --------------------------------------------------------------------------- member-level overrides


POST = {"kind": "post", "file_kind": "shares", "text": "Hello", "visibility": "PUBLIC"}


def test_minor_excludes_everything(policy):
    rows = [_row(fk, k, e) for fk, (k, e, _, _) in FILE_KINDS.items()]
    out = classify(items_frame(rows), policy, MemberContext(region="us", minor=True, today=TODAY))
    assert set(out.get_column("exposure")) == {"excluded"}
    assert set(out.get_column("exposure_reason")) == {"minor"}
    assert out.get_column("eligible_from").null_count() == out.height


def test_opted_out_on_d_excludes_items_dated_from_d_on(policy):
    d = date(2025, 3, 10)
    rows = [
        {**POST, "id": "before", "date": datetime(2025, 3, 9, 23, 59, tzinfo=timezone.utc)},
        {**POST, "id": "same-day", "date": datetime(2025, 3, 10, 8, 0, tzinfo=timezone.utc)},
        {**POST, "id": "after", "date": utc(2025, 6, 1)},
        {"id": "profile", "kind": "profile-field", "file_kind": "profile", "field": "Headline", "text": "x"},
        {"id": "message", "kind": "message", "file_kind": "messages", "date": utc(2025, 6, 1)},
        {"id": "login", "kind": "login", "file_kind": "logins", "date": utc(2025, 6, 1)},
    ]
    out = classify(items_frame(rows), policy, MemberContext(region="us", opted_out_on=d, today=TODAY))
    got = {r["id"]: r for r in out.iter_rows(named=True)}
    d_utc = datetime(2025, 3, 10, tzinfo=timezone.utc)
    assert got["before"]["exposure"] == "training"
    assert got["before"]["eligible_from"] == datetime(2025, 3, 9, 23, 59, tzinfo=timezone.utc)
    assert got["before"]["eligible_until"] == d_utc
    for key in ("same-day", "after"):
        assert (got[key]["exposure"], got[key]["exposure_reason"], got[key]["rule"]) == (
            "excluded", "opted-out", "member.opted-out")
        assert got[key]["eligible_from"] is None
    # Undated profile data existed before the opt-out: eligible from the US start to D.
    assert got["profile"]["eligible_from"] == datetime(2024, 9, 18, tzinfo=timezone.utc)
    assert got["profile"]["eligible_until"] == d_utc
    # The setting does not govern what was never training material.
    assert got["message"]["exposure_reason"] == "private-message"
    assert got["login"]["exposure"] == "other"


def test_region_start_and_item_date_give_the_window(policy):
    old = one(policy, {**POST, "date": utc(2019, 5, 1)}, region="eu")
    new = one(policy, {**POST, "date": utc(2025, 12, 24)}, region="eu")
    assert (old["exposure"], old["eligible_from"], old["eligible_until"]) == (
        "training", datetime(2025, 11, 3, tzinfo=timezone.utc), None)
    assert new["eligible_from"] == utc(2025, 12, 24)
    assert "eu-lookback-unknown" in old["flags"]


@pytest.mark.parametrize("region", ["eu", "ch", "uk"])
def test_opted_out_before_region_start_means_region_not_enabled(policy, region):
    out = one(policy, {**POST, "date": utc(2025, 10, 1)}, region=region, opted_out_on=date(2025, 10, 20))
    assert (out["exposure"], out["exposure_reason"], out["rule"]) == (
        "excluded", "region-not-enabled", "member.region-not-enabled")
    assert out["source_url"].startswith("http")
    later = one(policy, {**POST, "date": utc(2025, 10, 1)}, region=region, opted_out_on=date(2025, 11, 20))
    assert (later["exposure"], later["eligible_from"], later["eligible_until"]) == (
        "training", datetime(2025, 11, 3, tzinfo=timezone.utc), datetime(2025, 11, 20, tzinfo=timezone.utc))


def test_hong_kong_2024_window_then_pause(policy):
    in_window = one(policy, {**POST, "date": utc(2024, 9, 25)}, region="hk", opted_out_on=date(2025, 1, 5))
    in_pause = one(policy, {**POST, "date": utc(2024, 11, 2)}, region="hk", opted_out_on=date(2025, 1, 5))
    assert (in_window["exposure"], in_window["eligible_from"], in_window["eligible_until"]) == (
        "training", utc(2024, 9, 25), datetime(2024, 10, 11, tzinfo=timezone.utc))
    assert in_pause["exposure_reason"] == "region-not-enabled"


def test_region_unknown_keeps_verdicts_flags_and_still_applies_the_opt_out(policy):
    kept = one(policy, {**POST, "date": utc(2024, 1, 1)}, opted_out_on=date(2025, 1, 1))
    after = one(policy, {**POST, "date": utc(2025, 2, 1)}, opted_out_on=date(2025, 1, 1))
    assert kept["exposure"] == "training" and "region-unknown" in kept["flags"]
    assert kept["eligible_until"] == datetime(2025, 1, 1, tzinfo=timezone.utc)
    assert after["exposure_reason"] == "opted-out"


def test_context_errors_are_clean(policy):
    frame = items_frame([{**POST, "id": "a"}])
    with pytest.raises(InventoryError, match="future"):
        classify(frame, policy, MemberContext(opted_out_on=date(2030, 1, 1), today=TODAY))
    with pytest.raises(InventoryError, match="region"):
        classify(frame, policy, MemberContext(region="France", today=TODAY))


# --------------------------------------------------------------------------- ambiguities


@pytest.mark.parametrize(("row", "ctx", "needle"), [
    # 2. connections-only content
    ({**POST, "visibility": "CONNECTIONS"}, {"region": "us"}, "public content"),
    # 5. Canada's pause date: a member who opted out in Nov 2024
    ({**POST, "date": utc(2024, 10, 1)}, {"region": "ca", "opted_out_on": date(2024, 11, 1)}, "pause"),
    # 6. UK before the 20 Sep 2024 suspension
    ({**POST, "date": utc(2024, 6, 1)}, {"region": "uk", "opted_out_on": date(2024, 10, 1)}, "suspended"),
    # 7. created while a minor, now an adult
    ({**POST, "date": utc(2024, 10, 1)}, {"region": "us", "born_in": 2007}, "under 18"),
    # 10/unnamed items: background photo, group membership, reposts, invitation notes, drafts
    ({"kind": "media", "title": "You uploaded a profile background photo on May 1, 2025 at 9:00 AM (GMT)"}, {"region": "us"}, "background photo"),
    ({"kind": "group", "file_kind": "groups", "title": "Data Lyon"}, {"region": "us"}, "membership"),
    ({"kind": "repost", "file_kind": "instantreposts"}, {"region": "us"}, "repost"),
    ({"kind": "invitation", "file_kind": "invitations", "text": "Hi!"}, {"region": "us"}, "private message"),
])
def test_open_questions_are_uncertain_with_a_reason(policy, row, ctx, needle):
    out = one(policy, row, **ctx)
    assert out["exposure"] == "uncertain"
    assert needle in out["exposure_reason"]
    assert out["source_url"].startswith("http")


def test_uncertain_region_windows_give_the_possible_window_and_flags(policy):
    ca = one(policy, {**POST, "date": utc(2024, 10, 1)}, region="ca", opted_out_on=date(2024, 11, 1))
    assert (ca["rule"], ca["eligible_from"], ca["eligible_until"]) == (
        "member.region-window", utc(2024, 10, 1), datetime(2024, 11, 1, tzinfo=timezone.utc))
    # Not opted out: surely used from 3 Nov 2025, and possibly in 2024 too.
    ca_open = one(policy, {**POST, "date": utc(2024, 10, 1)}, region="ca")
    assert ca_open["exposure"] == "training" and "canada-2024-use-possible" in ca_open["flags"]
    uk_recent = one(policy, {**POST, "date": utc(2025, 1, 1)}, region="uk")
    assert "uk-pre-suspension-use-possible" not in uk_recent["flags"]


# --------------------------------------------------------------------------- regions


@pytest.mark.parametrize(("place", "region"), [
    ("Lyon, Auvergne-Rhône-Alpes, France", "eu"),
    ("75001 Paris, France", "eu"),
    ("Munich, Bavaria, Germany", "eu"),
    ("Bruxelles, Région de Bruxelles-Capitale, Belgique", "eu"),
    ("Oslo, Norway", "eu"),
    ("Genève, Suisse", "ch"),
    ("London, England, United Kingdom", "uk"),
    ("Édimbourg, Écosse, Royaume-Uni", "uk"),
    ("Montréal, Québec, Canada", "ca"),
    ("Hong Kong SAR", "hk"),
    ("Austin, Texas, United States", "us"),
    ("Tokyo, Japon", "other"),
    ("Greater Lyon Area", None),
])
def test_infer_region_from_profile_geo_location(place, region):
    frame = items_frame([{"id": "g", "kind": "profile-field", "file_kind": "profile",
                          "field": "Geo Location", "text": place}])
    assert infer_region(frame) == region


def test_infer_region_falls_back_to_account_records():
    frame = with_cells([
        {"id": "g", "kind": "profile-field", "file_kind": "profile", "field": "Geo Location", "text": "Greater Lyon Area"},
        {"id": "v", "kind": "verification", "file_kind": "verifications", "fields": {"Country": "France"}},
        {"id": "s", "kind": "security-event", "file_kind": "security_challenges", "fields": {"Country": "US"}},
    ])
    assert infer_region(frame) == "eu"
    assert infer_region(frame.filter(pl.col("id") == "s")) == "us"
    assert infer_region(items_frame([])) is None


def test_policy_lists_the_cells_it_reads(policy):
    # Every `fields.<cell>` a rule refers to, and the account records' place columns.
    names = policy.cell_names()
    assert {"SENDER PROFILE URL", "Date/Time", "MediaUrl", "MediaURL", "Message"} <= names
    assert {"Country", "Billing Country"} <= names
    assert not any(name.startswith("fields.") or "|" in name for name in names)


@pytest.mark.parametrize(("value", "region"), [
    ("FR", "eu"), ("gb", "uk"), ("eu", "eu"), ("UK", "uk"), ("CH", "ch"), ("other", "other"),
    ("Royaume-Uni", "uk"), ("Deutschland", "eu"), ("JP", "other"), ("Japan", "other"),
    ("États-Unis", "us"), ("hk", "hk"), ("Canada", "ca"), ("Islande", "eu"),
])
def test_normalise_region(value, region):
    assert normalise_region(value) == region


@pytest.mark.parametrize("value", ["Atlantis", "", "XX"])
def test_normalise_region_rejects_unknown(value):
    with pytest.raises(InventoryError, match="unknown region"):
        normalise_region(value)


# --------------------------------------------------------------------------- policy as data


def _packaged_text() -> str:
    return (resources.files("inventory") / "data" / "policy.toml").read_text(encoding="utf-8")


def test_changed_policy_file_changes_verdicts_without_code_changes(policy, tmp_path):
    reaction = {"kind": "reaction", "file_kind": "reactions", "date": utc(2025, 12, 1)}
    assert one(policy, reaction, region="eu")["exposure"] == "other"
    text = _packaged_text()
    old = '''id = "reaction"
match = { kind = ["reaction"] }
verdict = "other"'''
    assert old in text
    changed = text.replace(old, '''id = "reaction"
match = { kind = ["reaction"] }
verdict = "training"''')
    changed = re.sub(r'^version = "[^"]*"', 'version = "2026.1.0"', changed, flags=re.M)
    # and a region change: the EU start moves
    changed = changed.replace('[regions.eu]\nname = "European Union / EEA"\nsource = "L-ERPN"\nenabled = [{ from = 2025-11-03 }]',
                              '[regions.eu]\nname = "European Union / EEA"\nsource = "L-ERPN"\nenabled = [{ from = 2026-01-15 }]')
    path = tmp_path / "newer.toml"
    path.write_text(changed, encoding="utf-8")
    newer = load_policy(path)
    assert newer.version == "2026.1.0"
    out = one(newer, reaction, region="eu")
    assert (out["exposure"], out["rule"], out["eligible_from"]) == (
        "training", "reaction", datetime(2026, 1, 15, tzinfo=timezone.utc))


@pytest.mark.parametrize(("edit", "message"), [
    (lambda t: t + "\n[[[broken", "not valid TOML"),
    (lambda t: t.replace('verdict = "other"', 'verdict = "maybe"', 1), "verdict must be one of"),
    (lambda t: t.replace('source = "L-PP"', 'source = "L-NOPE"', 1), "source key 'L-NOPE'"),
    (lambda t: t.replace("field_regex = '\\b(?:gender", "field_regex = '(?:gender(", 1), "invalid regular expression"),
    (lambda t: t.replace('id = "fallback.unknown"\nmatch = {}', 'id = "fallback.unknown"\nmatch = { kind = ["x"] }'), "fallback"),
    (lambda t: t.replace('code = "salary"', 'code = "money"', 1), "excluded rules need a code"),
    (lambda t: t.replace('match = { kind = ["reaction"] }', 'match = { knd = ["reaction"] }'), "unknown match key 'knd'"),
    (lambda t: t.replace("schema = 1", "schema = 9"), "schema"),
    (lambda t: t.replace("effective = 2025-11-03", 'effective = "soon"'), "'effective' must be a date"),
    (lambda t: t.replace("[regions.ch]", "[regions.xx]"), "unknown region code"),
    (lambda t: t.replace('seen_in = { PUBLIC = "synthetic', 'seen_in = { PUBLICK = "synthetic', 1),
     "seen_in names 'PUBLICK'"),
    (lambda t: t.replace('flag = "audience-not-recorded"', 'flag = ""', 1), "'flag' must be a non-empty string"),
])
def test_malformed_policy_file_gives_one_clean_line(tmp_path, edit, message):
    text = _packaged_text()
    broken = edit(text)
    assert broken != text
    path = tmp_path / "bad.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    assert isinstance(info.value, InventoryError)
    assert message in str(info.value)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_every_export_value_a_rule_keys_on_says_where_it_was_seen(policy):
    # Issue 12: a rule keyed on a value only our samples hold misjudged every real post. Each value
    # a packaged rule matches (visibility, field, file kind, cell, regex) carries a `seen_in` note,
    # one of three kinds, so a reader knows which rules real exports exercise.
    from inventory.policy import _match_values

    missing = [(rule.id, value) for rule in policy.rules for value in _match_values(rule.match)
               if value not in rule.seen_in]
    assert not missing
    notes = [note for rule in policy.rules for note in rule.seen_in.values()]
    assert notes and all(note.startswith(("real exports ", "synthetic samples only", "not seen in any "))
                         for note in notes)
    member_network = next(r for r in policy.rules if "MEMBER_NETWORK" in r.match.get("visibility", []))
    assert member_network.seen_in["MEMBER_NETWORK"].startswith("real exports")
    assert member_network.verdict == "training" and member_network.flag == "audience-not-recorded"
    public = next(r for r in policy.rules if "PUBLIC" in r.match.get("visibility", []))
    assert public.seen_in["PUBLIC"] == "synthetic samples only"
    described = {row["id"]: row for row in describe_policy(policy)}
    assert described[member_network.id]["seen_in"]["MEMBER_NETWORK"] == member_network.seen_in["MEMBER_NETWORK"]
    assert described[member_network.id]["flag"] == "audience-not-recorded"


# --------------------------------------------------------------------------- French reasons


def test_every_reason_in_the_packaged_policy_is_in_both_catalogues(policy):
    # One mechanism: the packaged file words its reasons in English; the catalogues carry them
    # as `policy.<key>`, the English entry equal to the file (so the two never drift apart).
    en, fr = catalogue()["en"], catalogue()["fr"]
    assert policy.translated and len(policy.words) > 40
    for key, english in policy.words.items():
        assert en.get(f"policy.{key}") == english, key
        assert fr.get(f"policy.{key}", "").strip() and fr[f"policy.{key}"] != english, key
    assert {k for k in en if k.startswith("policy.")} == {f"policy.{k}" for k in policy.words}
    assert "Données pour l'amélioration de l'IA générative" in reason_words(policy, "override.opted-out", "fr")
    assert "reason_fr" not in _packaged_text()


def test_exposure_reason_is_a_key_rendered_at_the_edge(policy):
    assert reason_words(policy, "rule.comment", "fr") == "Les commentaires sont cités comme données d'entraînement."
    assert reason_words(policy, "rule.comment", "en") == "Comments are named as training data."
    assert "moins de 18 ans" in reason_words(policy, "override.minor-at-creation", "fr")
    # classify stores the key of the window that applies; the English JSON and the French
    # display render the same key (no English text is compared to find the French).
    frame = classify(with_cells([{**POST, "id": "x", "date": utc(2024, 10, 1)}]), policy,
                     MemberContext(region="ca", opted_out_on=date(2024, 11, 1), today=TODAY))
    key = frame["exposure_reason"][0]
    assert key == "window.ca.0" and frame.schema["exposure_reason"] == pl.Categorical
    assert frame["rule"][0] == "member.region-window" and frame.schema["rule"] == pl.Categorical
    assert reason_words(policy, key, "en").startswith("Canadian data")
    assert reason_words(policy, key, "fr").startswith("Des données canadiennes")
    assert words(frame, policy=policy)["exposure_reason"][0].startswith("Canadian data")
    assert words(frame, "fr", policy=policy)["exposure_reason"][0].startswith("Des données canadiennes")
    # an exclusion code, or a text that is no key, is its own word
    assert reason_words(policy, "private-message", "fr") == "private-message"
    assert reason_words(policy, "no.such.rule", "fr") == "no.such.rule"


def test_a_policy_file_of_ones_own_is_shown_as_it_words_it(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(_packaged_text().replace("Comments are named as training data.", "My comments."),
                    encoding="utf-8")
    mine = load_policy(path)
    assert not mine.translated
    assert reason_words(mine, "rule.comment", "fr") == "My comments."
    assert reason_words(mine, "rule.post.public", "fr") == "Public posts are named as training data."
    out = one(mine, {"kind": "comment", "file_kind": "comments", "date": utc(2025, 12, 1)}, region="eu")
    assert out["exposure_reason"] == "My comments."
    # French wording lives in the catalogues only: a `reason_fr` key is not a policy key.
    bad = tmp_path / "bad.toml"
    bad.write_text(_packaged_text().replace('reason = "Comments are named as training data."',
                                            'reason = "x"\nreason_fr = "y"', 1), encoding="utf-8")
    with pytest.raises(PolicyError, match="unknown key 'reason_fr'"):
        load_policy(bad)


def test_missing_or_binary_policy_file(tmp_path):
    with pytest.raises(InventoryError, match="not found"):
        load_policy(tmp_path / "absent.toml")
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InventoryError, match="UTF-8"):
        load_policy(binary)


def test_packaged_policy_header_rules_and_description(policy):
    assert policy.id and policy.version
    assert policy.last_verified >= policy.effective == date(2025, 11, 3)
    assert policy.rules[-1].id == "fallback.unknown"
    rows = describe_policy(policy)
    rule_rows = [r for r in rows if r["section"] == "rule"]
    assert [r["id"] for r in rule_rows] == [r.id for r in policy.rules]
    assert all(r["source_url"].startswith("http") and r["reason"] for r in rows)
    assert {r["id"] for r in rows if r["section"] == "region"} >= {"region.eu", "region.uk", "region.ca", "region.hk"}


def test_summarise_counts(policy):
    rows = [
        {**POST, "id": "a"}, {**POST, "id": "b", "text": "Mon salaire : 52 k€ brut"},
        {"id": "c", "kind": "message", "file_kind": "messages"},
        {"id": "d", "kind": "job-application-answer", "field": "Expected salary?", "text": "60k"},
        {"id": "e", "kind": "login", "file_kind": "logins"},
        {"id": "f", "kind": "repost", "file_kind": "instantreposts"},
    ]
    out = classify(items_frame(rows), policy, MemberContext(region="us", today=TODAY))
    summary = summarise(out)
    assert summary["total"] == 6
    assert summary["by_exposure"] == {"training": 2, "excluded": 2, "other": 1, "uncertain": 1}
    assert summary["by_reason"] == {"private-message": 1, "salary": 1}
    assert summary["by_flag"]["salary-in-training-material"] == 1


def test_300k_items_classify_with_the_same_verdicts_as_one_item_each(policy):
    # Speed is measured by benchmarks/bench_scan.py (classify_s); here, the vectorised pass over
    # many rows gives each row the verdict it gets alone.
    rows = [_row(fk, k, e) for fk, (k, e, _, _) in FILE_KINDS.items()]
    base = items_frame(rows).with_columns(pl.col("text").fill_null("Un texte de post assez ordinaire, rien de plus."))
    frame = pl.concat([base] * (300_000 // base.height + 1)).head(300_000)
    frame = frame.with_columns(id=pl.int_range(pl.len()).cast(pl.String))
    context = MemberContext(region="ca", opted_out_on=date(2025, 12, 1), today=TODAY)
    out = classify(frame, policy, context)
    alone = classify(base.with_columns(id=pl.int_range(pl.len()).cast(pl.String)), policy, context)
    assert out.height == 300_000
    expected = alone.select("exposure", "rule", "flags")
    assert out.head(base.height).select("exposure", "rule", "flags").equals(expected)
    assert out.tail(base.height).select("rule").n_unique() == expected.select("rule").n_unique()


def test_empty_item_table_gives_an_empty_typed_result(policy):
    out = classify(items_mod.empty_items(), policy, MemberContext(region="uk", opted_out_on=date(2025, 1, 1), today=TODAY))
    assert out.height == 0 and out.columns[-len(ADDED_COLUMNS):] == list(ADDED_COLUMNS)
    assert out.schema["flags"] == pl.List(pl.String)
    assert summarise(out)["by_exposure"] == {v: 0 for v in VERDICTS}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_a_named_pipe_as_the_policy_file_is_refused_not_waited_on(tmp_path):
    """Even past the CLI's own check (a pipe put in the file's place afterwards): the loader
    opens regular files only, so nothing waits for a writer."""
    pipe = tmp_path / "policy.toml"
    os.mkfifo(pipe)
    with pytest.raises(PolicyError, match="not a regular file"):
        load_policy(pipe)


def test_country_names_are_folded_as_the_python_fold_does():
    """The country table is folded by polars in one call at start; its keys are what
    fold.fold_words gives, so `--region "Côte d'Ivoire"` and a profile's place still match."""
    import json

    from inventory import policy as policy_mod

    names = json.loads(policy_mod._packaged("countries.json")[0])["names"]
    table = policy_mod._countries().code_of_name
    for name, _code in names[:: max(1, len(names) // 400)]:
        assert policy_mod._fold(name) in table, name
    assert normalise_region("Côte d'Ivoire") == "other" and normalise_region("Allemagne") == "eu"


@pytest.mark.parametrize("region", [None, "eu", "hk", "us"])
def test_each_row_finds_its_outcome_and_flags_by_position(policy, region):
    # _apply_overrides gathers a row's outcome and flags by position, not by a join on the keys:
    # each table row must be where the position computed from its keys points.
    from inventory.policy import _flag_table, _outcome_row, _outcome_table

    spec = policy.regions[region] if region else None
    outcome = _outcome_table(policy, spec)
    assert outcome.select(_outcome_row(spec)).to_series().to_list() == list(range(outcome.height))
    flags = _flag_table(policy, spec)
    assert flags["_flagbits"].to_list() == list(range(flags.height))
