"""The cleanup checklist: content, order, decisions over suggestions, and each format's safety."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timezone

import polars as pl
import pytest

from inventory import checklist
from inventory.checklist import build_checklist, csv_cell, followed_actions, render, what_if
from inventory.i18n import catalogue, french_typography
from inventory.items import items_frame

FINDING = pl.Struct({"type": pl.String, "start": pl.Int64, "end": pl.Int64, "text": pl.String})  # no words
ANALYSIS_SCHEMA = {
    "exposure": pl.String, "exposure_reason": pl.String, "rule": pl.String, "source_url": pl.String,
    "eligible_from": pl.Datetime("us", "UTC"), "eligible_until": pl.Datetime("us", "UTC"),
    "flags": pl.List(pl.String), "findings": pl.List(FINDING), "risk": pl.Int64,
    "risk_reasons": pl.List(pl.String), "suggestion": pl.String, "suggested_text": pl.String,
    "action_url": pl.String, "cluster": pl.String,
}


def day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def analysed(rows: list[dict]) -> pl.DataFrame:
    """An analysed frame (ITEM_SCHEMA + policy and detector columns) from compact dicts."""
    items = items_frame(rows)
    extra = {name: pl.Series(name, [r.get(name, [] if "List" in str(dtype) else None) for r in rows], dtype=dtype)
             for name, dtype in ANALYSIS_SCHEMA.items()}
    return items.with_columns(**extra)


def finding(kind: str, text: str, body: str) -> dict:
    start = body.index(text)
    return {"type": kind, "start": start, "end": start + len(text), "text": text}


PHONE_POST = "Call me on +33 6 12 34 56 78 about the Acme deal"
SALARY_POST = "=HYPERLINK(\"http://evil\") my salary is 80k"
ROWS = [
    {"id": "post:aaaa", "kind": "post", "date": day("2024-03-01"), "text": PHONE_POST,
     "url": "https://www.linkedin.com/feed/update/urn:li:activity:1", "exposure": "training",
     "exposure_reason": "public post", "findings": [finding("phone", "+33 6 12 34 56 78", PHONE_POST)],
     "risk": 80, "suggestion": "delete", "action_url": "https://www.linkedin.com/feed/update/urn:li:activity:1"},
    {"id": "post:bbbb", "kind": "post", "date": day("2024-05-02"), "text": SALARY_POST,
     "exposure": "training", "exposure_reason": "public post",
     "findings": [finding("salary", "80k", SALARY_POST)], "risk": 60, "suggestion": "edit",
     "suggested_text": "=HYPERLINK(\"http://evil\") my salary is [salary]",
     "action_url": "javascript:alert(1)"},
    {"id": "comment:cccc", "kind": "comment", "date": day("2023-01-10"), "text": "Great news \x1b[2J<b>yay</b>",
     "exposure": "training", "exposure_reason": "comment", "risk": 5, "suggestion": "keep",
     "action_url": "https://www.linkedin.com/feed/update/urn:li:activity:3"},
    {"id": "comment:dddd", "kind": "comment", "date": day("2023-02-11"), "text": "I met Jane Example at the clinic",
     "exposure": "training", "findings": [finding("person", "Jane Example", "I met Jane Example at the clinic")],
     "risk": 70, "suggestion": "delete", "action_url": "https://www.linkedin.com/feed/update/urn:li:activity:4"},
    {"id": "post:eeee", "kind": "post", "date": day("2022-06-06"), "text": "Connections-only musings",
     "visibility": "CONNECTIONS", "exposure": "uncertain", "exposure_reason": "connections-only post",
     "risk": 20, "suggestion": "restrict"},
    {"id": "message:ffff", "kind": "message", "date": day("2024-01-01"), "text": "private hello",
     "exposure": "excluded", "exposure_reason": "private-message", "risk": 0, "suggestion": "keep"},
    {"id": "message:gggg", "kind": "message", "date": day("2024-01-02"), "text": "another",
     "exposure": "excluded", "exposure_reason": "private-message", "risk": 0, "suggestion": "keep"},
    {"id": "profile-field:hhhh", "kind": "profile-field", "field": "Headline", "text": "Engineer at Acme",
     "exposure": "training", "exposure_reason": "profile", "risk": 10, "suggestion": "keep",
     "action_url": "https://www.linkedin.com/in/me/edit/intro/"},
    {"id": "connection:iiii", "kind": "connection", "text": "Jane Example", "exposure": "other", "risk": 0,
     "suggestion": "keep"},
]
CONTEXT = {"policy": "linkedin-genai", "policy_version": "2025-11-03", "region": "fr",
           "opted_out_on": None, "export_date": "2025-11-20"}
DECISIONS = {
    "comment:dddd": "keep",        # member keeps what the tool wanted deleted
    "comment:cccc": "delete",      # member deletes what the tool would keep
    "profile-field:hhhh": "later",  # postponed
    "gone:zzzz": "delete",         # not in this export
}


@pytest.fixture
def frame():
    return analysed(ROWS)


def built(frame, lang="en", decisions=DECISIONS, context=CONTEXT):
    return build_checklist(frame, decisions, lang=lang, context=context)


def test_decisions_override_suggestions(frame):
    c = built(frame)
    assert [e.id for e in c.delete] == ["post:aaaa", "comment:cccc"]  # risk 80, then 5
    assert c.delete[1].decision == "delete" and c.delete[0].decision is None
    assert [e.id for e in c.edit] == ["post:bbbb"]
    assert [e.id for e in c.postponed] == ["profile-field:hhhh"]
    assert [e.id for e in c.review] == ["post:eeee"]
    assert "comment:dddd" not in {e.id for e in c.delete + c.edit + c.review + c.postponed}
    assert c.plan == {"comment:cccc": "delete", "post:aaaa": "delete", "post:bbbb": "edit"}
    listed = {e.id: a for a, entries in (("delete", c.delete), ("edit", c.edit), ("later", c.postponed),
                                         ("review", c.review)) for e in entries}
    assert {i: a for i, (a, _) in followed_actions(frame, DECISIONS).items()} == listed
    assert c.summary["stale_decisions"] == 1
    assert c.summary["counts"] == {"delete": 2, "edit": 1, "postponed": 1, "review": 1}


def test_without_decisions_suggestions_are_the_plan(frame):
    c = built(frame, decisions={})
    assert [e.id for e in c.delete] == ["post:aaaa", "comment:dddd"]
    assert c.postponed == []


def test_what_if_counts(frame):
    w = what_if(frame, {"post:aaaa": "delete", "post:bbbb": "edit", "nothere": "delete"})
    assert w["before"] == {"training": 5, "excluded": 2, "other": 1, "uncertain": 1, "risky": 3, "total": 9}
    assert w["after"] == {"training": 4, "excluded": 2, "other": 1, "uncertain": 1, "risky": 1, "total": 8}
    assert (w["deleted"], w["edited"]) == (1, 1)


def test_groups_excluded_and_uncertain(frame):
    c = built(frame, lang="fr")
    assert [(g.code, g.kind, g.count) for g in c.excluded] == [("private-message", "message", 2)]
    assert c.excluded[0].why == "LinkedIn exclut les messages privés et les InMails"
    assert [(g.why, g.count) for g in c.uncertain] == [("connections-only post", 1)]


def test_uncertain_reasons_in_french_from_the_policy():
    from inventory.policy import load_policy

    connections = ("Connections-only post: LinkedIn's notice speaks of \"public content\", its FAQ of posts "
                   "without any visibility condition.")
    # The frame stores the reason's key (policy.Policy.words); a text that is no key (a frame made
    # by hand) is shown as it is.
    rows = [
        {"id": "post:1", "kind": "post", "text": "a", "exposure": "uncertain",
         "exposure_reason": "rule.post.connections-only", "rule": "post.connections-only", "risk": 0,
         "suggestion": "keep"},
        {"id": "post:2", "kind": "post", "text": "b", "exposure": "uncertain",
         "exposure_reason": "override.minor-at-creation", "rule": "member.minor-at-creation", "risk": 0,
         "suggestion": "keep"},
        {"id": "note:3", "kind": "note", "text": "c", "exposure": "uncertain", "exposure_reason": "My own wording",
         "rule": "note", "risk": 0, "suggestion": "keep"},
    ]
    frame = analysed(rows)
    fr = render(build_checklist(frame, {}, lang="fr", context={}), "md").splitlines()
    assert ("- 1 post\u00a0: Post réservé aux relations\u00a0: l'avis de LinkedIn parle de «\u202fcontenu "
            "public\u202f», sa FAQ des posts sans condition de visibilité.") in fr
    assert any(line.startswith("- 1 post\u00a0: Créé alors que vous aviez peut-être moins de 18 ans") for line in fr)
    assert "- 1 note\u00a0: My own wording" in fr
    assert connections in [g.why for g in build_checklist(frame, {}, lang="en", context={}).uncertain]
    # a policy file of one's own (not the packaged one) is shown as it words it
    plain = load_policy()
    plain.translated = False
    kept = build_checklist(frame, {}, lang="fr", context={}, policy=plain)
    assert connections in [g.why for g in kept.uncertain]


def test_excerpt_has_no_control_characters(frame):
    c = built(frame)
    comment = next(e for e in c.delete if e.id == "comment:cccc")
    assert "\x1b" not in comment.excerpt and "\ufffd[2J" in comment.excerpt
    assert checklist.clean_text("a\u202eb\u200bc\x9bd\te\nf") == "a\ufffdb\ufffdc\ufffdd e f"
    assert len(checklist.excerpt("x" * 500)) == checklist.EXCERPT_CHARS


def test_settings_region_rules(frame):
    fr = built(frame, context={**CONTEXT, "region": "FR"})
    assert [s.id for s in fr.settings] == ["genai-training", "objection-form", "dpo-form", "public-profile",
                                            "job-applications"]
    us = built(frame, context={**CONTEXT, "region": "us"})
    assert "microsoft-ads" in [s.id for s in us.settings]
    assert "Article 21" not in next(s for s in us.settings if s.objection_text).objection_text
    unknown = built(frame, context={**CONTEXT, "region": None})
    ads = next(s for s in unknown.settings if s.id == "microsoft-ads")
    assert ads.note and not ads.confirmed


def test_objection_text_names_categories_and_counts(frame):
    en = next(s for s in built(frame).settings if s.objection_text).objection_text
    assert "Article 21(1) of the General Data Protection Regulation" in en
    assert "export of November 20, 2025" in en  # dates in prose are in words
    assert "3 posts; 2 comments; 1 profile field." in en  # training + uncertain, biggest first
    fr = next(s for s in built(frame, lang="fr").settings if s.objection_text).objection_text
    assert "article 21, paragraphe 1, du Règlement général sur la protection des données" in fr
    assert "3 posts\u202f; 2 commentaires\u202f; 1 champ du profil." in fr
    given = built(frame, context={**CONTEXT, "counts": {"post": 12, "skill": 4}})
    text = next(s for s in given.settings if s.objection_text).objection_text
    assert "12 posts; 4 skills" in text


def _letter(frame, lang, region, counts=None):
    context = {**CONTEXT, "region": region, **({"counts": counts} if counts else {})}
    step = next(s for s in built(frame, lang=lang, context=context).settings if s.objection_text)
    return step.objection_text, step.note


# What an Art. 21(1) objection needs (issue 13; docs/checklist.md), per region and language:
# the controller, the articles, the escalation route, and what every letter carries.
LETTERS = {
    ("en", "fr"): ["LinkedIn Ireland Unlimited Company, Wilton Place, Dublin 2", "Article 21(1)",
                   "Article 18(1)(d) GDPR", "Article 12(3) GDPR", "within one month",
                   "Irish Data Protection Commission", "European Regional Privacy Notice"],
    ("en", "uk"): ["LinkedIn Corporation", "Article 21(1) of the UK General Data Protection Regulation",
                   "Article 18(1)(d) UK GDPR", "Article 12(3) UK GDPR", "within one month",
                   "Information Commissioner's Office (ICO)", "with Microsoft for Microsoft's own AI training",
                   "job postings"],
    ("fr", "fr"): ["LinkedIn Ireland Unlimited Company, Wilton Place, Dublin 2", "article 21, paragraphe 1",
                   "article 18, paragraphe 1, point d, du RGPD", "article 12, paragraphe 3, du RGPD",
                   "dans un délai d'un mois", "Data Protection Commission irlandaise"],
    ("fr", "gb"): ["LinkedIn Corporation", "UK GDPR", "article 18, paragraphe 1, point d, du UK GDPR",
                   "Information Commissioner's Office (ICO)", "avec Microsoft pour l'entraînement des modèles d'IA de Microsoft",
                   "offres d'emploi"],
}
FILL_IN = {"en": ["Account e-mail address: [", "Profile URL: [", "relates to my particular situation: [complete"],
           "fr": ["Adresse e-mail du compte\u00a0: [", "URL du profil\u00a0: [", "situation particulière\u00a0: [complétez"]}


@pytest.mark.parametrize(("lang", "region"), sorted(LETTERS))
def test_objection_letter_carries_what_an_article_21_objection_needs(frame, lang, region):
    text, note = _letter(frame, lang, region)
    for needle in LETTERS[(lang, region)] + FILL_IN[lang]:
        assert needle in text, needle
    assert {"en": "November 20, 2025", "fr": "20 novembre 2025"}[lang] in text and note is None
    other = "Ireland" if region in ("uk", "gb") else "LinkedIn Corporation"
    assert other not in text and ("ICO" in text) is (region in ("uk", "gb"))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_objection_letter_outside_the_gdpr_and_for_an_unknown_region(frame, lang):
    plain, note = _letter(frame, lang, "us")
    assert "21" not in plain and "RGPD" not in plain and "GDPR" not in plain and note is None
    assert all(needle in plain for needle in FILL_IN[lang][:2])
    unknown, note = _letter(frame, lang, None)
    assert "LinkedIn Ireland Unlimited Company" in unknown and note and "ICO" in note and "--region" in note


@pytest.mark.parametrize(("lang", "counts", "expected"), [
    ("en", {"post": 1, "comment": 3, "unknown": 7, "skill": 0}, "3 comments; 1 post."),
    ("fr", {"post": 1, "comment": 3, "unknown": 7}, "3 commentaires\u202f; 1 post."),
    ("en", {"profile-field": 1, "search-query": 2}, "2 search queries; 1 profile field."),
    ("fr", {"profile-field": 1, "search-query": 2}, "2 recherches\u202f; 1 champ du profil."),
    ("fr", {"saved-answer": 1}, "1 réponse de présélection enregistrée."),
    ("en", {"unknown": 4}, ": -."),
])
def test_objection_counts_use_plural_forms_and_leave_out_unrecognised_entries(frame, lang, counts, expected):
    text, _ = _letter(frame, lang, "fr", counts)
    assert expected in text
    assert "unrecognised" not in text and "non reconnue" not in text


def test_plural_forms_follow_each_language():
    from inventory.checklist import count_text
    from inventory.items import KINDS

    assert [count_text("post", n, "en") for n in (0, 1, 2)] == ["0 posts", "1 post", "2 posts"]
    assert [count_text("post", n, "fr") for n in (0, 1, 2)] == ["0 post", "1 post", "2 posts"]  # French: 0 is singular
    for kind in KINDS:  # every kind has both forms in both languages, and they differ where they should
        for lang in ("en", "fr"):
            one, many = count_text(kind, 1, lang), count_text(kind, 2, lang)
            assert one.startswith("1 ") and many.startswith("2 ") and "{" not in one + many, (kind, lang)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_settings_after_the_august_2026_re_reading(frame, lang):
    by_id = {s.id: s for s in built(frame, lang=lang, context={**CONTEXT, "region": "us"}).settings}
    assert by_id["microsoft-ads"].url == "https://www.linkedin.com/mypreferences/s/settings/share-data-with-trusted-partners"
    assert ("not AI training" if lang == "en" else "pas de l'entraînement d'IA") in by_id["microsoft-ads"].does
    assert by_id["dpo-form"].url == "https://www.linkedin.com/help/linkedin/ask/TSO-DPO"
    form = by_id["objection-form"].does
    assert (("content-generating AI too" in form and "without a LinkedIn account" in form) if lang == "en"
            else ("aussi l'IA générative" in form and "sans compte LinkedIn" in form))
    toggle = by_id["genai-training"].does
    assert "Microsoft" in toggle and ("UK" in toggle or "Royaume-Uni" in toggle)
    assert ("job postings" in toggle) if lang == "en" else ("offres d'emploi" in toggle)


@pytest.mark.parametrize(("lang", "needles"), [
    ("en", ["within 24 hours", "up to 72 hours", "within 30 days", "legal, security or fraud", "undoes training"]),
    ("fr", ["sous 24 heures", "jusqu'à 72 heures", "sous 30 jours", "légales, de sécurité ou de lutte contre la fraude",
            "n'annulent l'entraînement déjà effectué"]),
])
def test_the_checklist_states_retention_and_that_past_training_stays(frame, lang, needles):
    for fmt in ("md", "html"):
        text = render(built(frame, lang=lang), fmt)
        assert all(needle.replace("'", "&#x27;" if fmt == "html" else "'") in text for needle in needles), fmt


def test_french_wording_uses_no_break_spaces():
    # French typography (narrow) no-break space before : ; ! ? and inside « », in the texts this
    # module and the policy own: settings, letters, retention, and the policy's French reasons.
    from inventory.checklist import load_settings
    from inventory.i18n import catalogue, french_typography
    from inventory.policy import load_policy

    texts = [french_typography(v) for k, v in catalogue()["fr"].items()
             if k.startswith(("checklist.objection", "checklist.retention", "checklist.count_",
                              "checklist.excluded_line", "checklist.uncertain_line"))]
    texts += [s["fr"][f] for s in load_settings()["setting"] for f in ("title", "path", "does")]
    pol = load_policy()
    texts += [catalogue()["fr"][f"policy.{key}"] for key in pol.words]
    assert len(texts) > 60
    bad = [t for t in texts if re.search(r" [:;!?]|« | »", t)]
    assert not bad


def test_markdown_english(frame):
    md = render(built(frame), "md")
    lines = md.splitlines()
    assert lines[0] == "# LinkedIn cleanup checklist"
    assert lines[2] == "Export of November 20, 2025 · policy 2025-11-03 · region fr"
    assert "## 1. Settings to change now" in lines
    assert "- [ ] **Turn off “Data for Generative AI Improvement”**" in lines
    assert ("  - Where: Me › Settings & Privacy › Data privacy › Data for Generative AI Improvement › "
            "toggle “Use my data for training content creation AI models”") in lines
    assert "  - Link: <https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement>" in lines
    assert "- [ ] **2024-03-01** · posts · risk 80 — Call me on +33 6 12 34 56 78 about the Acme deal" in lines
    assert "  - Why: training material; found: phone number" in lines
    assert "  - Link: <https://www.linkedin.com/feed/update/urn:li:activity:1>" in lines
    # member's own delete, escaped HTML and control characters
    assert ("- [ ] **2023-01-10** · comments · risk 5 · *your decision* — Great news \ufffd\\[2J\\<b\\>yay\\</b\\>"
            in lines)
    # edit: suggested text verbatim in a fence, hostile link not made clickable
    assert "    =HYPERLINK(\"http://evil\") my salary is [salary]" in lines
    assert "  - Link: javascript:alert(1)" in lines
    assert "- 2 messages: private messages and InMail are excluded by LinkedIn" in lines
    assert "| training material | 5 | 3 |" in lines
    assert "| exposed items with findings | 3 | 1 |" in lines
    assert "The analysis ran on this machine with no network access." in lines
    order = [md.index(h) for h in ("## 1.", "## 2.", "## 3.", "## 4.", "## 5.")]
    assert order == sorted(order)
    assert md.index("post:aaaa".replace("post:aaaa", "Call me on")) < md.index("Great news")


def test_markdown_french(frame):
    lines = render(built(frame, lang="fr"), "md").splitlines()
    assert lines[0] == "# Liste de nettoyage LinkedIn"
    assert "## 1. Réglages à modifier maintenant" in lines
    assert "- [ ] **Désactiver «\u202fDonnées pour l'amélioration de l'IA générative\u202f»**" in lines
    assert ("  - Où\u00a0: Vous › Préférences et confidentialité › Confidentialité des données › Données pour "
            "l'amélioration de l'IA générative › «\u202fUtiliser mes données pour entraîner les modèles d'IA de "
            "création de contenu\u202f»") in lines
    assert "- [ ] **2024-03-01** · posts · risque 80 — Call me on +33 6 12 34 56 78 about the Acme deal" in lines
    assert french_typography("  - Pourquoi : données d'entraînement; trouvé : numéro de téléphone") in lines
    assert french_typography("### Reportés (vous avez choisi « plus tard »)") in lines
    assert "  - Les champs du profil se modifient, ils ne se suppriment pas." not in lines  # postponed, not delete
    assert "L'analyse a été effectuée sur cette machine, sans aucun accès réseau." in lines


def test_markdown_fence_cannot_be_closed_by_content():
    rows = [dict(ROWS[1], suggested_text="a\n```\n# not a heading\n````", id="post:x")]
    md = render(built(analysed(rows)), "md")
    fence_line = next(line for line in md.splitlines() if line.strip().startswith("`````"))
    assert fence_line.strip() == "`````"


HTML_REF_RE = re.compile(r"""(?:src|href|action|formaction|poster|data)\s*=\s*["']?\s*([a-z][a-z0-9+.-]*:)?""", re.I)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_html_self_contained_escaped_no_script(frame, lang):
    page = render(built(frame, lang=lang), "html")
    assert page.startswith("<!DOCTYPE html>")
    assert f'<html lang="{lang}">' in page
    assert ('<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;; '
            'style-src &#x27;unsafe-inline&#x27;">') in page
    assert "<script" not in page.lower()
    assert "javascript:alert(1)</div>" in page  # shown as text only
    for match in HTML_REF_RE.finditer(page):
        assert match.group(1) in (None, "mailto:"), match.group(0)
    assert "@import" not in page and "url(" not in page
    assert "<b>yay" not in page and "&lt;b&gt;yay&lt;/b&gt;" in page
    assert "\x1b" not in page
    assert page.count('<input type="checkbox">') == 5 + 2 + 1 + 1 + 1  # settings, delete, edit, later, review
    label = "[salary]" if lang == "en" else "[salaire]"  # redaction labels in the member's language
    assert f"<pre>=HYPERLINK(&quot;http://evil&quot;) my salary is {label}</pre>" in page


def test_html_section_texts(frame):
    page = render(built(frame, lang="fr"), "html")
    assert "<h2>2. Éléments à supprimer (les plus risqués d&#x27;abord)</h2>" in page
    assert "<td>données d&#x27;entraînement</td><td class=\"n\">5</td><td class=\"n\">3</td>" in page


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+33 6", "'+33 6"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("plain", "plain"), ("", ""), (None, ""), (80, "80"), ("a=b", "a=b"),
])
def test_csv_cell_injection(value, expected):
    assert csv_cell(value) == expected


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_csv_rows(frame, lang):
    text = render(built(frame, lang=lang), "csv")
    # French: a byte-order mark and ";" so that a French spreadsheet opens it as it is
    assert text.startswith("\ufeff") == (lang == "fr")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";" if lang == "fr" else ","))
    assert list(rows[0]) == list(checklist.CSV_COLUMNS)
    sections = [r["section"] for r in rows]
    assert sections == ["settings"] * 5 + ["delete", "delete", "edit", "postponed", "review", "excluded", "uncertain"]
    edit = next(r for r in rows if r["section"] == "edit")
    assert edit["excerpt"] == "'=HYPERLINK(\"http://evil\") my salary is 80k"
    assert edit["suggested_text"] == "'=HYPERLINK(\"http://evil\") my salary is " + ("[salary]" if lang == "en" else "[salaire]")
    assert edit["risk"] == "60" and edit["action"] == "edit"
    for row in rows:
        for cell in row.values():
            assert not (cell or "").startswith(("=", "+", "-", "@", "\t", "\r"))
    first = rows[5]  # after the five settings
    assert first["id"] == "post:aaaa" and first["date"] == "2024-03-01"
    assert first["kind"] == ("posts" if lang == "en" else "posts")
    assert first["why"] == ("training material; found: phone number" if lang == "en"
                            else french_typography("données d'entraînement; trouvé : numéro de téléphone"))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_json_stable_and_complete(frame, lang):
    c = built(frame, lang=lang)
    text = render(c, "json")
    assert text == render(built(frame, lang=lang), "json")  # deterministic
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert data["format"] == "inventory-checklist" and data["version"] == 1 and data["lang"] == lang
    assert data["plan"] == {"comment:cccc": "delete", "post:aaaa": "delete", "post:bbbb": "edit"}
    # every listed item, with its action, for verify to follow (review and postponed ones too)
    assert [(i["id"], i["action"]) for i in data["planned_items"]] == [
        ("comment:cccc", "delete"), ("post:aaaa", "delete"), ("post:bbbb", "edit"), ("post:eeee", "review"),
        ("profile-field:hhhh", "later")]
    assert data["planned_items"][1]["findings"][0]["text"] == "+33 6 12 34 56 78"
    assert data["exposed_ids"] == sorted(["post:aaaa", "post:bbbb", "comment:cccc", "comment:dddd",
                                          "post:eeee", "profile-field:hhhh"])
    assert data["summary"]["offline"] is True and data["summary"]["policy_version"] == "2025-11-03"
    assert data["settings"][0]["url"] == "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_saved_plan_renders_each_findings_english_detail_from_its_key(lang):
    """The checklist JSON keeps each finding's `detail` (the file format verify reads), in
    English whatever the checklist's language, rendered when the file is written from the
    finding's key and values: the frame's findings hold no words."""
    from inventory.detect.words import term

    frame = analysed(ROWS[:2]).with_columns(pl.Series(
        "finding_terms", [[term("phone", {"where": "FR"})], [None]], dtype=pl.List(pl.String)))
    assert "detail" not in frame.schema["findings"].inner.to_schema()  # type: ignore[union-attr]
    data = json.loads(render(built(frame, lang=lang, decisions={}), "json"))
    saved = {item["id"]: item["findings"] for item in data["planned_items"]}
    start = PHONE_POST.index("+33")
    assert saved["post:aaaa"] == [{"type": "phone", "start": start, "end": start + 17, "text": "+33 6 12 34 56 78",
                                   "detail": "phone number (FR, validated)"}]
    assert saved["post:bbbb"][0]["detail"] == ""  # a finding without a term, as in `scan --json`


def test_unknown_format_is_a_bug(frame):
    with pytest.raises(ValueError):
        render(built(frame), "pdf")


def test_frame_without_detector_columns():
    frame = items_frame([{"id": "post:1", "kind": "post", "text": "hello"}])
    c = build_checklist(frame, {"post:1": "delete"}, lang="en", context={})
    assert [e.id for e in c.delete] == ["post:1"]
    assert "Nothing here." in render(c, "md")
    assert what_if(frame, {"post:1": "delete"})["after"]["total"] == 0


def test_every_string_in_both_languages():
    table = catalogue()
    for area in ("checklist", "verify"):
        en = {k for k in table["en"] if k.startswith(area + ".")}
        fr = {k for k in table["fr"] if k.startswith(area + ".")}
        assert en and en == fr
        for key in en:
            assert set(re.findall(r"{(\w+)}", table["en"][key])) == set(re.findall(r"{(\w+)}", table["fr"][key])), key


def test_context_as_dataclass_and_policy_id(frame):
    from dataclasses import dataclass as make_dataclass
    from datetime import date

    @make_dataclass
    class Member:
        region: str
        opted_out_on: date | None

    c = build_checklist(frame, {}, lang="en", context=Member(region="us", opted_out_on=date(2025, 10, 1)))
    assert c.summary["region"] == "us" and c.summary["opted_out_on"] == "2025-10-01"
    assert "Opted out on: October 1, 2025." in render(c, "md")
    json.loads(render(c, "json"))
    c = build_checklist(frame, {}, lang="en", context={"policy_id": "linkedin-2025", "policy_version": "3",
                                                       "summary": {"problems": [object()]}})
    assert c.summary["policy"] == "linkedin-2025"
    assert json.loads(render(c, "json"))["context"]["summary"]["problems"][0].startswith("<object")


@pytest.mark.parametrize("lang,wanted,foreign", [
    ("fr", [french_typography("trouvé : "), french_typography("détails : relation : Julie Bernard (exact)"),
            "numéro de téléphone (FR, vérifié)", "adresse e-mail"], ["validated", "e-mail address", "details:"]),
    ("en", ["found: ", "details: connection: Julie Bernard (exact)", "phone number (FR, validated)",
            "e-mail address"], ["vérifié", "détails"]),
])
def test_finding_explanations_in_the_checklist_language(lang, wanted, foreign):
    from inventory.pipeline import analyse_sample

    c = build_checklist(analyse_sample().frame, {}, lang=lang, context={})
    entries = c.delete + c.edit + c.review
    meetup = next(e for e in entries if e.excerpt.startswith("Pour toute question sur le meetup"))
    why = "; ".join(meetup.why)
    for part in wanted:
        assert part in why, (lang, part, why)
    for part in foreign:
        assert part not in why, (lang, part, why)
    assert why in render(c, "md").replace("\\", "")


def test_followed_actions_follow_the_decision_then_the_suggestion_row_by_row():
    """The listed items and their actions, worked out by polars, are what the rule gives item by
    item: a delete/edit/later decision wins, keep drops the item, else delete/edit suggestions
    are followed and restrict/review become review; order is the frame's."""
    import random

    from inventory.checklist import followed_actions

    rng = random.Random(7)
    suggestions = ["delete", "edit", "restrict", "review", "keep", None]
    ids = [f"post:{i:016x}" for i in range(400)]
    frame = pl.DataFrame({"id": ids, "suggestion": [rng.choice(suggestions) for _ in ids]},
                         schema={"id": pl.String, "suggestion": pl.String})
    decisions = {i: rng.choice(["delete", "edit", "keep", "later", "unknown-value"])
                 for i in rng.sample(ids, 150)}
    decisions["post:gone"] = "delete"  # no longer in the export: not listed

    expected = {}
    for item_id, suggestion in frame.iter_rows():
        decision = decisions.get(item_id)
        if decision in ("delete", "edit", "later"):
            expected[item_id] = (decision, decision)
        elif decision == "keep":
            continue
        elif suggestion in ("delete", "edit"):
            expected[item_id] = (suggestion, None)
        elif suggestion in ("restrict", "review"):
            expected[item_id] = ("review", None)
    got = followed_actions(frame, decisions)
    assert got == expected and list(got) == list(expected)
    assert {action for action, _ in got.values()} == {"delete", "edit", "later", "review"}
    assert followed_actions(frame.drop("suggestion"), {}) == {}
