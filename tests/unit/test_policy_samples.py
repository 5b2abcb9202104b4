"""Verdicts pinned on the committed samples, read by the real readers (region EU, no opt-out).

Each expected verdict was checked against the categories in docs/policy.md: a change of policy file or
reader that moves an item to another verdict shows up here.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import polars as pl
import pytest

from inventory import pipeline, policy
from inventory.items import KINDS

from conftest import SAMPLES

EXPORTS = {
    "2026 Basic + Complete": ["Basic_LinkedInDataExport_11-20-2026.zip", "Complete_LinkedInDataExport_11-21-2026.zip"],
    "2024 legacy": ["legacy_2024_export.zip"],
}

# (file_kind, kind) -> {rule: exposure}. Where a file holds items of several verdicts, each rule is
# listed (public vs connections-only posts; salary answers; the member's prompt vs the reply...).
EXPECTED: dict[tuple[str, str], dict[str, str]] = {
    ("profile", "profile-field"): {"profile.name": "training", "profile.text": "training",
                                   "profile.location": "training", "profile.contact": "other",
                                   "profile.birth-date": "other"},
    ("causes_you_care_about", "profile-field"): {"profile.causes-hashtags": "training"},
    ("member_hashtags", "profile-field"): {"profile.causes-hashtags": "training"},
    ("positions", "position"): {"profile.named-section": "training"},
    ("education", "education"): {"profile.named-section": "training"},
    ("skills", "skill"): {"profile.named-section": "training"},
    ("certifications", "certification"): {"profile.named-section": "training"},
    ("publications", "publication"): {"profile.named-section": "training"},
    ("volunteering", "volunteering"): {"profile.named-section": "training"},
    ("languages", "language"): {"profile.unnamed-section": "training"},
    ("honors", "honor"): {"profile.unnamed-section": "training"},
    ("projects", "project"): {"profile.unnamed-section": "training"},
    ("courses", "course"): {"profile.minor-section": "training"},
    ("organizations", "organization"): {"profile.minor-section": "training"},
    ("duolingo", "test-score"): {"profile.minor-section": "training"},
    ("recommendations_received", "recommendation-received"): {"profile.named-section": "training"},
    ("endorsement_received_info", "endorsement-received"): {"profile.named-section": "training"},
    ("recommendations_given", "recommendation-given"): {"profile.given-to-others": "training"},
    ("endorsement_given_info", "endorsement-given"): {"profile.given-to-others": "training"},
    ("rich_media", "media"): {"media.profile-photo": "training", "media.upload": "training"},
    ("private_identity_asset", "resume"): {"resume": "training"},
    # every sample post carries MEMBER_NETWORK, as every real one does
    ("shares", "post"): {"post.audience-not-recorded": "training"},
    ("comments", "comment"): {"comment": "training"},
    ("votes", "vote"): {"vote": "training"},
    ("articles", "article"): {"article": "training", "article.draft": "uncertain"},
    ("instantreposts", "repost"): {"post.without-own-text": "uncertain"},
    ("notes", "note"): {"note": "uncertain"},
    ("reactions", "reaction"): {"reaction": "other"},
    ("saved_items", "saved-item"): {"saved-and-follows": "other"},
    ("company_follows", "follow"): {"saved-and-follows": "other"},
    ("member_follows", "follow"): {"saved-and-follows": "other"},
    ("hashtag_follows", "follow"): {"saved-and-follows": "other"},
    ("events", "event"): {"event": "other"},
    ("messages", "message"): {"message.private": "excluded"},
    ("learning_coach_messages", "ai-chat"): {"ai-chat.prompt": "training", "ai-chat.reply.europe": "training"},
    ("coach_messages", "ai-chat"): {"ai-chat.prompt": "training", "ai-chat.reply.europe": "training"},
    ("connections", "connection"): {"network": "other"},
    ("contacts", "imported-contact"): {"network": "other"},
    ("invitations", "invitation"): {"network": "other", "invitation.with-note": "uncertain"},
    ("calendar", "account-setting"): {"account.contact": "other"},
    ("job_applications", "job-application"): {"job-application": "excluded"},
    ("job_applications", "job-application-answer"): {"job-application.answer": "excluded",
                                                     "job-application.salary-answer": "excluded"},
    ("job_applicant_saved_answers", "saved-answer"): {"saved-answer": "training", "saved-answer.salary": "excluded"},
    ("job_applicant_saved_screening_question_responses", "saved-answer"): {
        "saved-answer": "training", "saved-answer.salary": "excluded"},
    ("job_seeker_preferences", "job-preference"): {"jobs.other": "other"},
    ("saved_jobs", "saved-job"): {"jobs.other": "other"},
    ("savedjobalerts", "job-alert"): {"jobs.other": "other"},
    ("online_job_postings", "job-posting"): {"job-posting": "uncertain"},
    ("providers", "service-listing"): {"service-listing": "uncertain"},
    ("learning", "learning"): {"learning": "other"},
    ("searchqueries", "search-query"): {"search-query": "other"},
    ("ad_targeting", "ad-targeting"): {"ads": "other"},
    ("ads_clicked", "ad-click"): {"ads": "other"},
    ("lan_ads_engagement", "ad-engagement"): {"ads": "other"},
    ("inferences_about_you", "inference"): {"ads": "other"},
    ("email_addresses", "email-address"): {"account.contact": "other"},
    ("phonenumbers", "phone-number"): {"account.contact": "other"},
    # the same number in both phone files is two records (one per file), no longer merged
    ("whatsapp_phone_numbers", "phone-number"): {"account.contact": "other"},
    ("registration", "registration"): {"account.contact": "other"},
    ("logins", "login"): {"account.security": "other"},
    ("security_challenges", "security-event"): {"account.security": "other"},
    ("verifications", "verification"): {"verification": "other"},
    ("receipts", "receipt"): {"receipt": "other"},
    ("receipts_v2", "receipt"): {"receipt": "other"},
    ("unknown", "unknown"): {"fallback.unknown": "uncertain"},
}


@pytest.fixture(scope="module")
def frames():
    return {name: pipeline.analyse([SAMPLES / n for n in names], region="eu").frame
            for name, names in EXPORTS.items()}


@pytest.mark.parametrize("export", list(EXPORTS))
def test_every_item_on_the_samples_gets_the_reviewed_verdict(frames, export):
    frame = frames[export]
    wrong = []
    for file_kind, kind, rule, exposure in frame.select("file_kind", "kind", "rule", "exposure").unique().rows():
        expected = EXPECTED.get((file_kind, kind))
        if expected is None or expected.get(rule) != exposure:
            wrong.append((file_kind, kind, rule, exposure))
    assert not wrong


def test_the_samples_exercise_most_of_the_table(frames):
    seen = defaultdict(set)
    for frame in frames.values():
        for file_kind, kind, rule in frame.select("file_kind", "kind", "rule").unique().rows():
            seen[(file_kind, kind)].add(rule)
    # every file of the samples is covered, and every listed rule actually occurs on them
    assert set(seen) == set(EXPECTED)
    assert {k: set(v) for k, v in EXPECTED.items()} == dict(seen)


def test_salary_answers_are_split_out_of_applications_and_saved_answers(frames):
    frame = frames["2026 Basic + Complete"]
    salary = frame.filter(pl.col("exposure_reason") == "salary")
    assert set(salary["kind"]) == {"job-application-answer", "saved-answer"}
    assert salary["field"].str.contains(r"(?i)salar|salaire|rémunération|ctc|prétentions").all()
    # a salary figure inside training material is flagged, not excluded
    flagged = frame.filter(pl.col("flags").list.contains("salary-in-training-material"))
    assert flagged.height and set(flagged["exposure"]) <= {"training", "uncertain"}


def test_member_overrides_on_the_samples(frames):
    items = pipeline.analyse([SAMPLES / n for n in EXPORTS["2026 Basic + Complete"]], region="eu").scan.items
    pol = policy.load_policy()
    minor = policy.classify(items, pol, policy.MemberContext(region="eu", minor=True))
    assert set(minor["exposure"]) - {"other"} == {"excluded"}
    assert set(minor.filter(pl.col("exposure") == "excluded")["exposure_reason"]) >= {"minor"}
    early = policy.classify(items, pol, policy.MemberContext(region="eu", opted_out_on=date(2025, 10, 1)))
    assert "training" not in set(early["exposure"])  # opted out before the EU start: nothing used
    assert "region-not-enabled" in set(early["exposure_reason"]) | {"opted-out"}


def test_every_kind_in_the_vocabulary_has_a_rule(frames):
    pol = policy.load_policy()
    rows = [{"id": f"{k}:0", "kind": k, "file_kind": "unknown", "source": "x", "line": 1, "text": "x"}
            for k in KINDS]
    from inventory.items import items_frame

    verdicts = policy.classify(items_frame(rows), pol, policy.MemberContext(region="eu"))
    assert verdicts["rule"].null_count() == 0 and verdicts["source_url"].null_count() == 0
