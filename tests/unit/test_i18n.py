"""The one translation mechanism: gettext catalogues (Babel), English and French."""

from __future__ import annotations

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
