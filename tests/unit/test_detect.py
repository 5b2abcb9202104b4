"""Detectors on frames: exposure gating, findings, risk reasons, suggestions, redacted texts,
action URLs, near-duplicate clusters and the watch-list file. Small invented frames only."""

from __future__ import annotations

import polars as pl
import pytest

from inventory.detect import (FINDING_TYPES, PROFILE_NOTE, WatchList, WatchListError, WatchTerm,
                              detect, detect_text, load_watchlist)
from inventory.detect.patterns import iban_valid, nir_valid
from inventory.errors import InventoryError
from inventory.items import items_frame
from inventory.render import words


def frame(rows: list[dict]) -> pl.DataFrame:
    """Classified items from rows; a row's `fields` dict (its original cells) becomes
    `fields.<cell>` columns as ScanResult.with_cells gives them."""
    base = items_frame(rows)
    cells = sorted({name for r in rows for name in r.get("fields") or {}})
    return base.with_columns(
        pl.Series("exposure", [r.get("exposure", "training") for r in rows], dtype=pl.String),
        pl.Series("exposure_reason", [r.get("exposure_reason") for r in rows], dtype=pl.String),
        pl.Series("flags", [r.get("flags", []) for r in rows], dtype=pl.List(pl.String)),
        *[pl.Series(f"fields.{name}", [(r.get("fields") or {}).get(name) for r in rows], dtype=pl.String)
          for name in cells],
    )


def conn(i: int, first: str, last: str) -> dict:
    return {"id": f"connection:{i}", "kind": "connection", "exposure": "excluded",
            "fields": {"First Name": first, "Last Name": last, "URL": ""}}


def types(findings) -> list[tuple[str, str]]:
    return sorted((f.type, f.text) for f in findings)


# ------------------------------------------------------------------ per detector, EN and FR
@pytest.mark.parametrize("text,expected", [
    ("Mail me at a.b@example.org", [("email", "a.b@example.org")]),
    ("Écrire à rh@exemple.fr", [("email", "rh@exemple.fr")]),
    ("Follow @acme and #ai", []),
    ("Portable : 06 12 34 56 78", [("phone", "06 12 34 56 78")]),
    ("Call +1 415 555 0132 now", [("phone", "+1 415 555 0132")]),
    ("Le 12/03/2024 nous étions 1 200 000", []),
    ("Offices at 221B Baker Street", [("address", "221B Baker Street")]),
    ("Au 12 rue de la Paix, 75002 Paris", [("address", "12 rue de la Paix, 75002 Paris")]),
    ("Top 10 Street Food", []),
    ("Il y a 3 places de parking", []),
    ("born on 12/03/1985", [("birth-date", "12/03/1985")]),
    ("née le 3 mai 1990", [("birth-date", "3 mai 1990")]),
    ("Lancé le 3 mai 2024", []),
    ("Published on March 12, 2024", []),
    ("IBAN FR76 3000 6000 0112 3456 7890 189", [("iban", "FR76 3000 6000 0112 3456 7890 189")]),
    ("IBAN GB29 NWBK 6016 1331 9268 18", []),  # checksum off by one
    ("Sécu 1 85 05 78 006 084 91", [("national-id", "1 85 05 78 006 084 91")]),
    ("Sécu 1 85 05 78 006 084 90", []),
    ("See https://docs.google.com/spreadsheets/d/1Ab/edit", [("private-url", "https://docs.google.com/spreadsheets/d/1Ab/edit")]),
    ("Voir https://exemple.fr/docs/d/1Ab", []),
    ("Salary: €45k", [("salary", "€45k")]),
    ("salaire de 45 k€ brut annuel", [("salary", "45 k€")]),
    ("le package npm est à jour", []),
    ("Our revenue hit €3M", [("money", "€3M")]),
    ("Budget de 150 000 € validé", [("money", "150 000 €")]),
    ("2 millions d'utilisateurs", []),
    ("Strictly confidential draft", [("confidential", "Strictly confidential")]),
    ("Usage interne uniquement", [("confidential", "Usage interne")]),
    ("I am a Project Manager", []),
    ("I have diabetes", [("special-category", "diabetes")]),
    ("Je suis enceinte", [("special-category", "enceinte")]),
    ("The European Union votes", []),
    ("L'Union européenne vote", []),
    ("union de fait", []),
])
def test_detector_examples(text, expected):
    assert types(detect_text(text)) == sorted(expected)


def test_special_category_detail_names_the_category():
    found = detect_text("Fier d'être syndiqué ; je prie chaque soir à la mosquée.")
    assert {(f.text, f.key, f.values) for f in found} == {
        ("syndiqué", "special", (("category", "trade-union"),)), ("mosquée", "special", (("category", "religion"),))}


def test_validators():
    assert iban_valid("DE89370400440532013000") and not iban_valid("DE89370400440532013001")
    assert nir_valid(("2", "69", "02", "99", "350", "123", "36"))
    assert nir_valid(("1", "85", "05", "2A", "006", "084", "32")) is (97 - int("1850519006084") % 97 == 32)


def test_finding_types_vocabulary_is_fixed():
    assert FINDING_TYPES == ("email", "phone", "address", "birth-date", "iban", "national-id",
                             "private-url", "person", "salary", "money", "confidential",
                             "special-category", "watch-list")


# ------------------------------------------------------------------ people
def test_names_need_first_and_last_name_and_respect_stop_words():
    people = [("Rose", "Garden"), ("Pierre", "Lefèvre"), ("Marie", "Dupont")]
    assert types(detect_text("our rose garden", people=people)) == []
    assert types(detect_text("Pierre a fini, merci Lefèvre", people=people)) == []
    assert types(detect_text("merci Pierre lefevre", people=people)) == [("person", "Pierre lefevre")]
    assert types(detect_text("merci pierre lefevre", people=people)) == []  # stop word not capitalised
    assert types(detect_text("Marie est là", people=people)) == []
    assert types(detect_text("Merci Marie Dupond", people=people)) == [("person", "Marie Dupond")]


def test_member_own_name_is_never_another_person():
    people = [("Jean", "Durand"), ("Marie", "Dupont")]
    found = detect_text("Jean Durand et Marie Dupont", people=people, member=("Jean", "Durand"))
    assert types(found) == [("person", "Marie Dupont")]


def test_names_from_recommendations_and_endorsements():
    rows = [
        {"id": "post:1", "kind": "post", "text": "Thanks Ana Lopez and Bo Chen and Cy Diaz!"},
        {"id": "rec:1", "kind": "recommendation-received", "exposure": "training",
         "fields": {"First Name": "Ana", "Last Name": "Lopez"}},
        {"id": "end:1", "kind": "endorsement-received", "exposure": "excluded",
         "fields": {"Endorser First Name": "Bo", "Endorser Last Name": "Chen"}},
        {"id": "end:2", "kind": "endorsement-given", "exposure": "excluded",
         "fields": {"Endorsee First Name": "Cy", "Endorsee Last Name": "Diaz"}},
    ]
    out = detect(frame(rows))
    assert [f["text"] for f in out["findings"][0]] == ["Ana Lopez", "Bo Chen", "Cy Diaz"]


# ------------------------------------------------------------------ suggestions and redaction
def test_suggestions_and_redacted_texts_are_pinned():
    rows = [
        conn(0, "Marie", "Dupont"),
        {"id": "post:a", "kind": "post", "visibility": "MEMBER_NETWORK",
         "url": "https://www.linkedin.com/feed/update/urn:li:share:1",
         "text": "Call Marie Dupont on 06 12 34 56 78 or marie@example.com"},
        {"id": "post:b", "kind": "post", "visibility": "PUBLIC",
         "url": "https://www.linkedin.com/feed/update/urn:li:share:2",
         "text": "Congratulations Marie Dupont on the new role!"},
        # an explicitly restricted audience: nothing to narrow, so a name calls for a look
        {"id": "post:c", "kind": "post", "visibility": "CONNECTIONS", "text": "Congratulations Marie Dupont!"},
        # what every real post carries: its audience, not recorded, may be anyone
        {"id": "post:i", "kind": "post", "visibility": "MEMBER_NETWORK", "text": "Congratulations Marie Dupont!"},
        {"id": "comment:d", "kind": "comment", "text": "IBAN FR76 3000 6000 0112 3456 7890 189"},
        {"id": "profile-field:s", "kind": "profile-field", "field": "Summary",
         "text": "Reach me: FR76 3000 6000 0112 3456 7890 189, salaire 45 k€"},
        {"id": "post:e", "kind": "post", "text": "I took sick leave after the burnout."},
        {"id": "message:f", "kind": "message", "exposure": "excluded", "exposure_reason": "private-message",
         "text": "my number is 06 12 34 56 78"},
        {"id": "post:g", "kind": "post", "text": "A lovely walk by the river."},
        {"id": "post:h", "kind": "post", "exposure": "uncertain", "text": "Working with Acme on Phoenix."},
    ]
    watch = WatchList((WatchTerm("Acme", (), 90, "[client]"), WatchTerm("Phoenix", (), 90, "[project]")))
    out = detect(frame(rows), watch).filter(pl.col("kind") != "connection")
    got = {r["id"]: (r["suggestion"], r["suggested_text"]) for r in out.iter_rows(named=True)}
    assert got == {
        "post:a": ("edit", "Call [person] on [phone] or [email]"),
        "post:b": ("restrict", None),
        "post:c": ("review", "Congratulations [person]!"),
        "post:i": ("restrict", None),
        "comment:d": ("delete", None),
        "profile-field:s": ("edit", "Reach me: [iban], salaire [salary]"),
        "post:e": ("review", "I took [sensitive] after the [sensitive]."),
        "message:f": ("keep", None),
        "post:g": ("keep", None),
        "post:h": ("edit", "Working with [client] on [project]."),
    }
    reasons = dict(zip(out["id"], words(out)["risk_reasons"].to_list()))
    assert PROFILE_NOTE in reasons["profile-field:s"]
    assert reasons["message:f"] == ["exposure excluded (private-message): not training material, nothing to do: +0"]
    assert reasons["post:g"] == ["exposure training: +20", "no risky content found"]
    assert out.filter(pl.col("id") == "message:f")["findings"][0].to_list() == []


def test_profile_items_are_never_deleted():
    rows = [{"id": f"p:{k}", "kind": k, "field": "Summary" if k == "profile-field" else None,
             "text": "IBAN DE89 3704 0044 0532 0130 00"} for k in ("profile-field", "position", "project")]
    out = detect(frame(rows))
    assert out["suggestion"].to_list() == ["edit", "edit", "edit"]
    assert all(PROFILE_NOTE in r for r in words(out)["risk_reasons"].to_list())


def test_risk_reasons_add_up_to_the_score():
    rows = [{"id": "post:1", "kind": "post", "text": "Call 06 12 34 56 78 or 06 98 76 54 32, a@b.fr",
             "flags": ["salary-in-training-material"]},
            {"id": "post:2", "kind": "post", "exposure": "uncertain", "text": "mail a@b.fr"}]
    out = words(detect(frame(rows)))
    assert out["risk_reasons"][0].to_list() == [
        "exposure training: +20", "phone ×2: +35", "email ×1: +25",
        "policy flag salary-in-training-material: +20", "suggestion edit: holds email, phone; the suggested text replaces each flagged span"]
    assert out["risk"].to_list() == [100, 25]  # 20+35+25+20 capped at 100; 10 + 25*0.6
    assert "email ×1: +15 (×0.6 for uncertain)" in out["risk_reasons"][1].to_list()


def test_rows_without_findings_read_as_assess_would_have_them():
    # detect() runs `assess` only on rows with findings or a flag that scores points; the other
    # rows (a zero-point flag on nearly every exposed row included) get defaults built once per
    # (exposure, exposure_reason). They must be exactly what `assess` says.
    from inventory.detect import load_rules
    from inventory.detect.words import render_reason
    from inventory.detect.findings import Finding
    from inventory.detect.risk import assess

    long = "We are hiring a senior data engineer in Lyon, remote friendly, apply via the link below."
    rows = [{"id": f"post:{i}", "kind": kind, "text": text, "exposure": exposure, "exposure_reason": reason,
             "flags": flags, "visibility": "PUBLIC"}
            for i, (kind, text, exposure, reason, flags) in enumerate([
                ("post", "Hello there", "training", None, ["eu-lookback-unknown"]),
                ("post", "Hello there", "uncertain", None, ["eu-lookback-unknown"]),
                ("post", "Hello there", "uncertain", None, ["salary-in-training-material"]),
                ("post", "Hello there", "training", None, ["eu-lookback-unknown", "salary-in-training-material"]),
                ("post", "Hello there", "training", None, []),
                ("post", "Hello there", "excluded", "private message", ["eu-lookback-unknown"]),
                ("post", "Hello there", "other", None, []),
                ("post", "Hello there", None, None, []),
                ("post", "mail a@b.fr", "training", None, ["eu-lookback-unknown"]),
                ("post", long, "training", None, ["eu-lookback-unknown"]),
                ("comment", "Reposting: " + long, "excluded", "private message", []),
                ("post", long + " !", "uncertain", None, ["salary-in-training-material"]),
            ])]
    out = words(detect(frame(rows)))
    rules = load_rules()
    for row in out.iter_rows(named=True):
        findings = [Finding(f["start"], f["end"], f["type"], f["text"]) for f in row["findings"]]
        a = assess(row["text"], row["exposure"], row["exposure_reason"], row["kind"], row["visibility"],
                   row["flags"], findings, rules)
        cluster = [render_reason("cluster", {"cluster": row["cluster"]}, "en")] if row["cluster"] else []
        assert (row["risk"], row["risk_reasons"], row["suggestion"], row["suggested_text"]) == (
            a.risk, a.reasons + cluster, a.suggestion, a.suggested_text), row["id"]
    assert out["cluster"][9] is not None and out["cluster"][9] == out["cluster"][10] == out["cluster"][11]
    assert out["risk"].to_list()[:4] == [20, 10, 22, 40]  # a scoring flag counts, a zero-point one not


@pytest.mark.parametrize("shape", ["{cue} 03/05/1990", "({cue}: 03/05/1990)", "x\n{cue} 03/05/1990"])
def test_every_birth_date_cue_passes_the_prefilter_in_any_case(shape):
    # The polars pre-filter spells the cues' word boundaries its own way; it must let through
    # every text the Python pattern would match, whatever the case.
    from inventory.detect import load_rules

    for cue in load_rules()["birth_date"]["cues"]:
        for written in (cue, cue.upper(), cue.title()):
            text = shape.format(cue=written)
            assert ("birth-date", "03/05/1990") in types(detect_text(text)), text
    # A cue inside a word is no cue ("née" in "donnée").
    assert not [f for f in detect_text("Ma donnée du 03/05/1990") if f.type == "birth-date"]


def test_action_urls():
    rows = [
        {"id": "post:1", "kind": "post", "url": "https://www.linkedin.com/feed/update/urn:li:share:9", "text": "x"},
        {"id": "post:2", "kind": "post", "text": "x"},
        {"id": "pf:1", "kind": "profile-field", "field": "Summary", "text": "x"},
        {"id": "pf:2", "kind": "profile-field", "field": "Websites", "text": "x"},
        {"id": "pf:3", "kind": "profile-field", "field": "Something New", "text": "x"},
        {"id": "pos:1", "kind": "position", "text": "x"},
        {"id": "ad:1", "kind": "ad-targeting", "text": "x"},
        {"id": "unk:1", "kind": "login", "text": "x"},
    ]
    assert detect(frame(rows))["action_url"].to_list() == [
        "https://www.linkedin.com/feed/update/urn:li:share:9",
        "https://www.linkedin.com/in/me/recent-activity/all/",
        "https://www.linkedin.com/in/me/edit/forms/summary/new/",
        "https://www.linkedin.com/in/me/edit/contact-info/",
        "https://www.linkedin.com/in/me/",
        "https://www.linkedin.com/in/me/details/experience/",
        "https://www.linkedin.com/mypreferences/d/categories/ads",
        "https://www.linkedin.com/mypreferences/d/categories/account",
    ]


def test_output_columns_and_types():
    out = detect(frame([{"id": "post:1", "kind": "post", "text": "hello"}]))
    # A finding in the frame is its type code, place and matched text: no words (no `detail`).
    assert out.schema["findings"] == pl.List(pl.Struct({"type": pl.String, "start": pl.Int64, "end": pl.Int64,
                                                         "text": pl.String}))
    assert out.schema["risk"] == pl.Int64 and out.schema["cluster"] == pl.String
    # Risk reasons are stored as keys and values (a categorical of terms), rendered at the edge.
    assert out.schema["risk_terms"] == pl.List(pl.Categorical) and "risk_reasons" not in out.columns
    assert words(out).schema["risk_reasons"] == pl.List(pl.String)
    assert detect(out).columns == out.columns  # re-running replaces, never duplicates


def test_the_frame_findings_hold_keys_and_values_not_words():
    """Each finding's struct holds its type code, offsets and matched span only; what it is
    (its explanation) is the term beside it in finding_terms, rendered at the edge."""
    from inventory.detect.words import parse_term, render_finding

    text = "Appelez le 06 12 34 56 78, bureau au 12 rue de la Paix, 75002 Paris"
    out = detect(frame([{"id": "post:1", "kind": "post", "visibility": "MEMBER_NETWORK", "text": text}]),
                 lang_hint="fr")
    assert out.schema["findings"].inner.to_schema() == {  # type: ignore[union-attr]
        "type": pl.String, "start": pl.Int64, "end": pl.Int64, "text": pl.String}
    row = out.row(0, named=True)
    assert sorted(f["type"] for f in row["findings"]) == ["address", "phone"]
    assert len(row["finding_terms"]) == len(row["findings"])
    for finding, stored in zip(row["findings"], row["finding_terms"]):
        assert finding["type"] in FINDING_TYPES and finding["text"] == text[finding["start"]:finding["end"]]
        key, values = parse_term(stored)  # type: ignore[misc]
        said = {render_finding(key, values, lang) for lang in ("en", "fr")}
        assert not said & {v for v in finding.values() if isinstance(v, str)}


def test_finding_offsets_point_into_the_text():
    text = "Élodie Martin-Petit: née le 3 mai 1990, tél. 06 12 34 56 78"
    for f in detect_text(text, people=[("Elodie", "Martin-Petit")]):
        assert text[f.start:f.end] == f.text


# ------------------------------------------------------------------ near-duplicates
def test_near_duplicates_cluster_own_texts_only():
    long = "We are hiring a senior data engineer in Lyon, remote friendly, apply via the link below."
    rows = [
        {"id": "post:1", "kind": "post", "text": long},
        {"id": "post:2", "kind": "post", "text": long.replace("Lyon", "Lyon!").upper()},
        {"id": "comment:3", "kind": "comment", "text": "Reposting: " + long},
        {"id": "post:4", "kind": "post", "text": "A completely different text about gardening and roses, long enough."},
        {"id": "message:5", "kind": "message", "exposure": "excluded", "text": long},
        {"id": "post:6", "kind": "post", "text": "Thanks!"},
        {"id": "post:7", "kind": "post", "text": "Thanks!"},
    ]
    out = detect(frame(rows))
    clusters = dict(zip(out["id"], out["cluster"]))
    assert clusters["post:1"] is not None
    assert clusters["post:1"] == clusters["post:2"] == clusters["comment:3"]
    assert clusters["post:4"] is None and clusters["message:5"] is None
    assert clusters["post:6"] is None  # too short to be worth grouping
    assert any("near-duplicate group" in r for r in words(out)["risk_reasons"][0].to_list())


# ------------------------------------------------------------------ watch-list file
def test_load_watchlist(tmp_path):
    path = tmp_path / "watch.toml"
    path.write_text('default_threshold = 80\n[[term]]\nname = "Acme Corporation"\naliases = ["Acme"]\n'
                    'label = "[client]"\n[[term]]\nname = "Globex"\nthreshold = 100\n', encoding="utf-8")
    wl = load_watchlist(path)
    assert wl.terms == (WatchTerm("Acme Corporation", ("Acme",), 80, "[client]"),
                        WatchTerm("Globex", (), 100, "[watch-list]"))


@pytest.mark.parametrize("content,reason", [
    ("[[term]\nname=1", "not valid TOML"),
    ("[[term]]\nname = \"\"\n", "term 1: `name`"),
    ("[[term]]\nname = \"A\"\nthreshold = 120\n", "term 1: `threshold`"),
    ("[[term]]\nname = \"A\"\naliases = \"B\"\n", "term 1: `aliases`"),
    ("[[term]]\nname = \"A\"\ncolour = \"red\"\n", "unknown key(s): colour"),
    ("terms = []\n", "unknown key(s): terms"),
])
def test_bad_watchlist_is_one_line_error_naming_the_file(tmp_path, content, reason):
    path = tmp_path / "watch.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(WatchListError) as exc:
        load_watchlist(path)
    assert isinstance(exc.value, InventoryError)
    assert str(path) in str(exc.value) and reason in str(exc.value) and "\n" not in str(exc.value)


def test_missing_watchlist(tmp_path):
    with pytest.raises(WatchListError, match="not found"):
        load_watchlist(tmp_path / "nope.toml")


def test_watchlist_thresholds_per_term():
    wl = WatchList((WatchTerm("Globex", (), 100, "[employer]"), WatchTerm("Phoenix", (), 80, "[p]")))
    assert types(detect_text("Globax and Pheonix", wl)) == [("watch-list", "Pheonix")]
    assert types(detect_text("GLOBEX and the Phoenicians", wl)) == [("watch-list", "GLOBEX")]
    assert types(detect_text("phénix", wl)) == [("watch-list", "phénix")]  # ratio 92 >= 80


# ------------------------------------------------------------------ speed
def test_detect_on_20000_synthetic_posts():
    """benchmarks/bench_core.py times the same frame."""
    templates = [
        "Great quarter for the team, thanks everyone {i}",
        "Call Marie Dupont on 06 12 34 56 78 about order {i}",
        "We are hiring in Lyon, apply now {i} and share",
        "Budget {i} € approved for the European Union project",
    ]
    rows = [conn(0, "Marie", "Dupont")] + [
        {"id": f"post:{i}", "kind": "post", "text": templates[i % 4].format(i=i)} for i in range(20_000)]
    f = frame(rows)
    out = detect(f, WatchList((WatchTerm("Acme", (), 90, "[client]"),)))
    assert out.height == f.height
    edits = out.filter(pl.col("suggestion") == "edit")
    assert edits.height == 10_000  # the phone/person rows and the budget (money) rows
    assert edits["suggested_text"].str.contains(r"^Call \[person\] on \[phone\]|^Budget \[amount\]").all()


def test_empty_frame_and_missing_policy_columns():
    from inventory.items import empty_items
    assert detect(empty_items()).height == 0
    out = detect(items_frame([{"id": "post:1", "kind": "post", "text": "06 12 34 56 78"}]))
    # No exposure column: nothing is read, nothing is dropped.
    assert out["findings"][0].to_list() == [] and out["suggestion"].to_list() == ["keep"]


# ------------------------------------------------------------------ explanations in the member's language
def test_explanations_rebuild_the_english_json_texts_exactly_on_the_sample():
    from inventory.detect import explain_findings, explain_reasons
    from inventory.pipeline import analyse_sample

    out = analyse_sample().frame
    shown = words(out)
    explained = 0
    for row, reasons, findings in zip(out.iter_rows(named=True), shown["risk_reasons"].to_list(),
                                      shown["findings"].to_list()):
        assert explain_reasons(row, "en") == reasons, row["id"]
        assert explain_findings(row, "en") == [f["detail"] for f in findings], row["id"]
        explained += len(row["findings"])
    assert explained >= 10  # the sample has findings of several types


def test_explanations_in_french():
    from inventory.detect import explain_findings, explain_reasons

    out = detect(frame([
        {"id": "post:1", "kind": "post", "visibility": "MEMBER_NETWORK",
         "text": "Appelez le 06 12 34 56 78, bureau au 12 rue de la Paix, 75002 Paris"},
        {"id": "post:2", "kind": "post", "exposure": "excluded", "exposure_reason": "private message",
         "text": "hello"},
        {"id": "profile-field:b", "kind": "profile-field", "field": "Birth Date", "text": "May 3"},
    ]), lang_hint="fr")
    shown = words(out)
    rows = {r["id"]: {**r, "risk_reasons": reasons, "shown_findings": findings}
            for r, reasons, findings in zip(out.iter_rows(named=True), shown["risk_reasons"].to_list(),
                                            shown["findings"].to_list())}
    post = rows["post:1"]
    fr = explain_findings(post, "fr")
    assert sorted(fr) == ["adresse postale (numéro + type de voie)", "numéro de téléphone (FR, vérifié)"]
    # The English column is English (this French street used to be explained in French there).
    assert sorted(f["detail"] for f in post["shown_findings"]) == [
        "French postal address (number + street type)", "phone number (FR, validated)"]
    reasons = explain_reasons(post, "fr")
    assert reasons[0] == post["risk_reasons"][0].replace("exposure training:", "exposition entraînement\u00a0:")
    assert any(r.startswith("téléphone ×1\u00a0: +") for r in reasons)
    assert reasons[-1].startswith("suggestion modifier\u00a0: contient adresse, téléphone\u202f;")
    assert not any("exposure" in r or "suggestion edit" in r for r in reasons)
    assert explain_reasons(rows["post:2"], "fr") == [
        "exposition exclu (private message)\u00a0: pas une donnée d'entraînement, rien à faire\u00a0: +0"]
    profile = rows["profile-field:b"]
    assert explain_findings(profile, "fr") == ["champ Date de naissance du profil"]
    assert "les champs du profil peuvent seulement être modifiés sur LinkedIn, pas supprimés" in explain_reasons(profile, "fr")
    assert explain_reasons(profile, "en") == profile["risk_reasons"]
    # finding_terms is a display aid, not part of the JSON contract.
    from inventory.pipeline import JSON_ITEM_COLUMNS
    assert "finding_terms" not in JSON_ITEM_COLUMNS


def test_every_exclude_pattern_of_the_packaged_rules_compiles():
    # Word lists' exclude patterns are compiled on first use, not at start: one that does not
    # compile must fail here rather than in the middle of a member's scan.
    import re

    from inventory.detect import load_rules

    rules = load_rules()
    lists = [*rules.special.values(), rules.confidential, rules.salary_cues, rules.money_cues]
    patterns = [pattern for word_list in lists for pattern in word_list.excludes]
    assert patterns and all(isinstance(pattern, str) for pattern in patterns)
    for pattern in patterns:
        re.compile(pattern)
