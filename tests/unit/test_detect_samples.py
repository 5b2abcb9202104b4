"""Findings, suggestions and redacted texts pinned on the committed samples (issue 4)."""

from __future__ import annotations

import polars as pl
import pytest

from inventory import pipeline
from inventory.render import words

from conftest import SAMPLES

PAIR = ["Basic_LinkedInDataExport_11-20-2026.zip", "Complete_LinkedInDataExport_11-21-2026.zip"]


@pytest.fixture(scope="module")
def frame():
    return words(pipeline.analyse([SAMPLES / n for n in PAIR], region="eu").frame)


def _one(frame, contains: str) -> dict:
    rows = frame.filter(pl.col("text").str.contains(contains, literal=True))
    assert rows.height == 1, (contains, rows.height)
    return rows.row(0, named=True)


def _types(row) -> list[str]:
    return sorted(f["type"] for f in row["findings"])


def test_meetup_post_with_a_colleagues_contact_details_is_edited(frame):
    row = _one(frame, "Pour toute question sur le meetup")
    assert _types(row) == ["email", "person", "phone"]
    assert row["suggestion"] == "edit"
    assert row["suggested_text"] == "Pour toute question sur le meetup, contactez [person] au [phone] ou [email]."
    assert row["action_url"].startswith("https://www.linkedin.com/feed/update/")
    assert row["risk"] >= 80 and any("phone" in r for r in row["risk_reasons"])


def test_salary_figure_in_a_post_is_redacted_and_flagged(frame):
    row = _one(frame, "Transparence : mon salaire de 52 k€")
    assert _types(row) == ["salary"] and row["suggestion"] == "edit"
    assert "[salary]" in row["suggested_text"] and "52 k€" not in row["suggested_text"]
    assert "salary-in-training-material" in row["flags"]


def test_resume_keeps_its_period_and_loses_its_contact_details(frame):
    row = frame.filter(pl.col("kind") == "resume").row(0, named=True)
    assert _types(row) == ["address", "email", "phone", "salary"]  # "(2020-2024)" is not a phone
    assert "(2020-2024)" in row["suggested_text"]
    assert "[address]" in row["suggested_text"] and "[phone] | [email]" in row["suggested_text"]


def test_connection_named_in_a_public_post_suggests_restricting(frame):
    row = _one(frame, "Merci Élodie Lefèvre pour la super présentation")
    assert _types(row) == ["person"] and row["visibility"] == "MEMBER_NETWORK"
    assert row["suggestion"] == "restrict"


def test_health_mention_is_a_special_category_to_review(frame):
    row = _one(frame, "trois mois d'arrêt pour burn-out")
    assert [f["detail"] for f in row["findings"] if f["type"] == "special-category"] == ["health"]
    assert row["suggestion"] == "review"
    assert row["suggested_text"] == "De retour après trois mois d'arrêt pour [sensitive]. Prenez soin de vous."


def test_confidential_code_name_is_found_in_french_and_english(frame):
    assert "confidential" in _types(_one(frame, 'Le "projet ORCHIDÉE" est confidentiel'))
    assert "confidential" in _types(_one(frame, "BLUE HERON migration (internal only"))


def test_reposted_near_duplicates_form_one_cluster(frame):
    clustered = frame.filter(pl.col("cluster").is_not_null())
    assert clustered.height == 2 and clustered["cluster"].n_unique() == 1
    assert clustered["text"].str.starts_with("5 conseils pour réussir sa migration vers le cloud").all()


def test_excluded_and_other_items_have_no_findings_and_are_kept(frame):
    quiet = frame.filter(pl.col("exposure").is_in(["excluded", "other"]))
    assert quiet["findings"].list.len().sum() == 0
    assert set(quiet["suggestion"]) == {"keep"}


def test_profile_fields_are_never_suggested_for_deletion(frame):
    profile = frame.filter(pl.col("kind") == "profile-field")
    assert "delete" not in set(profile["suggestion"])
