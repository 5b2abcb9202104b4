"""The one translation mechanism: gettext catalogues (Babel), English and French."""

from __future__ import annotations

import re
from string import Formatter

from inventory import i18n


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in Formatter().parse(text) if f}


def test_every_string_exists_in_both_languages_with_the_same_placeholders():
    catalogue = i18n.catalogue()
    assert set(catalogue["en"]) == set(catalogue["fr"])
    areas = {key.split(".", 1)[0] for key in catalogue["en"]}
    assert {"cli", "tui", "checklist", "verify"} <= areas
    for key, text in catalogue["en"].items():
        assert bool(text.strip()) == bool(catalogue["fr"][key].strip()), key  # blank only on purpose
        assert _fields(text) == _fields(catalogue["fr"][key]), key


def test_the_shipped_compiled_catalogues_are_those_of_the_po_files():
    """The .mo files read at run time are what `python -m inventory.i18n` compiles from the .po
    files; after editing a .po, run it. The entries read from them are the .po's translated ones."""
    from babel.messages.pofile import read_po

    for lang in i18n.LANGUAGES:
        shipped = (i18n._catalogue_file(lang, ".mo")).read_bytes()
        assert shipped == i18n.compile_catalogue(lang), f"{lang}: run python -m inventory.i18n"
        with i18n._catalogue_file(lang, ".po").open("rb") as handle:
            source = read_po(handle, locale=lang)
        translated = {(m.id[0] if isinstance(m.id, tuple) else m.id):
                      (tuple(m.string) if isinstance(m.string, tuple) else (m.string,))
                      for m in source if m.id and m.string and all(m.string) and not m.fuzzy}
        assert i18n._entries()[lang] == translated


def test_t_goes_through_gettext_and_formats():
    assert i18n.translations("fr").gettext("cli.offline") == i18n.t("cli.offline", "fr")
    assert i18n.t("cli.written", "fr", path="/x") == "Écrit dans /x (lisible par vous seul)."
    assert i18n.t("cli.written", "en", path="/x").startswith("Written to /x")


def test_unknown_language_and_unknown_key_fall_back():
    assert i18n.t("cli.offline", "de") == i18n.t("cli.offline", "en")
    assert i18n.t("cli.no-such-key", "fr") == "cli.no-such-key"


def test_language_from_flag_then_environment(monkeypatch):
    monkeypatch.setenv("LC_ALL", "fr_FR.UTF-8")
    assert i18n.detect_language(None) == "fr"
    assert i18n.detect_language("en") == "en"
    monkeypatch.setenv("LC_ALL", "C")
    monkeypatch.setenv("LANG", "tr_TR.UTF-8")
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert i18n.detect_language(None) in ("en", "fr")


def test_plural_forms_follow_babels_plural_rules():
    """Each language's Plural-Forms rule picks the form Babel's (CLDR) rules name: `one` is the
    first form, every other category the second."""
    from babel import Locale

    assert all(i18n.plural_forms()[lang] for lang in i18n.LANGUAGES)
    for lang in i18n.LANGUAGES:
        rule = Locale.parse(lang).plural_form
        for key, forms in i18n.plural_forms()[lang].items():
            assert len(forms) == 2 and set(i18n.plural_forms()["en"]) == set(i18n.plural_forms()["fr"]), key
            for n in (0, 1, 2, 5, 21, 1000):
                expected = forms[0] if rule(n) == "one" else forms[1]
                if lang == "fr":
                    expected = i18n.french_typography(expected)
                values = {name: "x" for name in _fields(expected) | _fields(forms[1]) if name != "count"}
                assert i18n.t(key, lang, count=n, **values) == expected.format(count=n, **values)


def test_counts_are_singular_and_plural_in_each_language():
    assert i18n.t("tui.n-deleted", "fr", count=0) == "0 supprimé" and i18n.t("tui.n-deleted", "fr", count=2) == "2 supprimés"
    assert i18n.t("tui.n-items-of", "en", count=1, total=3) == "1 item of 3"
    assert i18n.t("tui.n-items-of", "fr", count=0, total=3) == "0 élément sur 3"
    assert i18n.t("scan.items", "en", count=1) == "1 item" and i18n.t("scan.items", "en", count=0) == "0 items"
    assert i18n.t("scan.items", "fr", count=0) == "0 élément" and i18n.t("scan.items", "fr", count=2) == "2 éléments"


RULE_ID = re.compile(r"[a-z-]+(?:\.[a-z-]+)+")  # what a label must not look like


def test_every_policy_rule_and_exclusion_code_has_a_short_label_in_both_languages():
    """The Reason filter shows a short word for each of its values: an exclusion reason or the
    id of the rule that gave the verdict (i18n.reason_label), short enough for its column."""
    from inventory.policy import EXCLUDED_CODES, load_policy
    from inventory.tui.screens.main import REASON_LABEL_MAX

    rules = [rule.id for rule in load_policy().rules]
    assert len(rules) > 40
    for lang in i18n.LANGUAGES:
        for rule in rules:
            assert f"rule-label.{rule}" in i18n.catalogue()[lang], (lang, rule)
        for code in [*rules, *EXCLUDED_CODES]:
            label = i18n.reason_label(code, lang)
            assert 0 < len(label) <= REASON_LABEL_MAX and not RULE_ID.fullmatch(label), (lang, code, label)
            assert label == code or label not in rules, (lang, code, label)
    assert i18n.reason_label("post.public", "fr") == "post public"
    assert i18n.reason_label("private-message", "fr") == "message privé"
    assert i18n.reason_label("my-own-rule", "fr") == "my-own-rule"  # a member's policy file


NBSP, NNBSP = "\u00a0", "\u202f"


def test_french_typography_is_one_convention_whatever_space_was_typed():
    """U+202F inside « » and before ; ! ?, U+00A0 before a colon (docs/translations.md);
    no space is added where none was typed before a sign (URLs, times)."""
    fix = i18n.french_typography
    for typed in (" ", NBSP, NNBSP, ""):
        assert fix(f"«{typed}a{typed}»") == f"«{NNBSP}a{NNBSP}»"
    for typed in (" ", NBSP, NNBSP, "  "):
        assert fix(f"Objet{typed}: x{typed}; y{typed}! z{typed}?") == f"Objet{NBSP}: x{NNBSP}; y{NNBSP}! z{NNBSP}?"
    assert fix("https://www.linkedin.com/x?y=1 à 12:30") == "https://www.linkedin.com/x?y=1 à 12:30"


def _french_spacing_faults(text: str) -> list[str]:
    faults = []
    plain = re.sub(r"\{[^{}]*\}", "{}", text)  # placeholders (format specs hold colons)
    for match in re.finditer(r"[:;!?»«]", plain):
        i, sign = match.start(), match.group()
        before, after = plain[i - 1:i], plain[i + 1:i + 2]
        if sign == "«":
            ok = after == NNBSP
        elif sign == "»" or sign in ";!?":
            ok = before == NNBSP or (sign in "?!" and before not in " " + NBSP and after not in " \n")
        else:  # ":" of a URL or a time stays glued; otherwise a no-break space before it
            ok = before == NBSP or plain[i + 1:i + 3] == "//" or (before.isdigit() and after.isdigit())
        if not ok:
            faults.append(plain[max(0, i - 15):i + 5])
    return faults


def test_french_catalogue_has_one_spacing_convention():
    """Every French text of the catalogues, as shown (i18n.french_typography, whatever space the
    translator typed), follows the convention."""
    faults = {key: _french_spacing_faults(i18n.french_typography(form))
              for key, forms in i18n._entries()["fr"].items() for form in forms}
    assert {key: found for key, found in faults.items() if found} == {}
    assert len(_french_spacing_faults("Objet : x «\u00a0a » ; b")) == 4  # the scan itself sees faults


def test_a_problem_is_said_from_its_code_and_values_with_english_as_the_fallback():
    from inventory.problems import Problem

    fixed = Problem("x.zip", "a.csv", 3, "stray-quote", "a quote inside an unquoted field: read as written")
    assert i18n.problem_detail(fixed, "fr") == f"un guillemet dans un champ sans guillemets{NBSP}: lu tel quel"
    assert i18n.problem_detail(fixed, "en") == fixed.detail
    counted = Problem("x.zip", "a.csv", 1, "preamble", "1 line(s) before the header skipped", values={"count": 1})
    assert i18n.problem_detail(counted, "fr") == "1 ligne avant l'en-tête ignorée"
    assert i18n.problem_detail(counted, "en") == "1 line before the header skipped"
    many = Problem("x.zip", "a.csv", 1, "ragged-row", "row has 9 fields, header has 7; row skipped",
                   values={"fields": 9, "width": 7})
    assert i18n.problem_detail(many, "fr") == f"la ligne a 9 champs, l'en-tête 7{NNBSP}; ligne ignorée"
    variant = Problem("x.zip", "a.csv", None, "empty-table", "header only, no rows", "info", key="problem.empty-table.no-rows")
    assert i18n.problem_detail(variant, "fr") == "en-tête seul, aucune ligne"
    # a value missing, or a code no catalogue knows: the English detail, never a bare template
    assert i18n.problem_detail(Problem("x", None, None, "ragged-row", "row has 9 fields"), "fr") == "row has 9 fields"
    assert i18n.problem_detail(Problem("x", None, None, "new-code", "something new"), "fr") == "something new"
    assert fixed.as_dict() == {"source": "x.zip", "member": "a.csv", "line": 3, "code": "stray-quote",
                               "detail": fixed.detail, "severity": "warning"}  # the JSON contract unchanged


def test_a_day_is_said_in_words_in_the_members_language():
    from datetime import date

    from inventory.i18n import format_day

    assert format_day(date(2026, 11, 21), "en") == "November 21, 2026"
    assert format_day(date(2026, 11, 21), "fr") == "21 novembre 2026"
    assert format_day(date(2025, 12, 1), "fr") == "1er décembre 2025"
    assert format_day(date(2025, 12, 1), "en") == "December 1, 2025"
    assert format_day(date(2025, 12, 11), "fr") == "11 décembre 2025"


def test_a_day_in_words_is_cldrs_long_format():
    """format_day says a date from the catalogue; Babel (CLDR) says it the same way, "1er" aside."""
    from datetime import date

    from babel.dates import format_date

    from inventory.i18n import format_day

    for lang in i18n.LANGUAGES:
        for month in range(1, 13):
            for day in (1, 9, 28):
                said = format_date(date(2026, month, day), format="long", locale=lang)
                if lang == "fr" and day == 1:
                    said = "1er" + said[1:]
                assert format_day(date(2026, month, day), lang) == said


def test_the_scan_report_writes_its_dates_in_words(capsys):
    """Dates in prose are in the member's language (ISO stays in JSON and CSV fields)."""
    from conftest import run_cli

    for lang, delivered, verified, opted in (
            ("fr", "livré le 21 novembre 2026", "vérifiée le 2 décembre 2026", "refus exprimé le 1er décembre 2025"),
            ("en", "delivered November 21, 2026", "verified December 2, 2026", "opted out on December 1, 2025")):
        code, out, err = run_cli(capsys, "scan", "--lang", lang, "--opted-out-on", "2025-12-01")
        said = " ".join(out.split())
        assert code == 0, err
        assert delivered in said and verified in said and opted in said, said[:400]
