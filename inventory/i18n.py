"""One translation mechanism for every user-facing string: gettext catalogues (English and
French) read with Babel.

The catalogues are ordinary `.po` files, `inventory/locale/<lang>/LC_MESSAGES/inventory.po`, so
translators can use their usual tools (Poedit, Weblate). Message ids are stable keys of the form
`area.name` (`tui.quit`, `checklist.title`); the English catalogue holds the English text. They
are compiled in memory when first needed, never written to disk. A test checks that both
languages carry every key with the same `{placeholders}`.

A string that counts (a `{count}` placeholder) may have plural forms (`msgid_plural`, one
`msgstr[i]` per form); `t(key, lang, count=n)` picks the form with the catalogue's Plural-Forms
rule, which a test checks against Babel's (CLDR) plural rules for each language. French text
gets its typography when rendered (`french_typography`: a no-break space before `:`, a narrow
one before `; ! ?` and inside « », docs/translations.md), so translators type ordinary spaces.
"""

from __future__ import annotations

import gettext
import io
import locale
import os
import re
from datetime import date
from functools import lru_cache
from importlib import resources
from collections.abc import Callable, Iterator, Mapping
from string import Formatter
from typing import TYPE_CHECKING, TypeVar

from inventory.problems import Message

if TYPE_CHECKING:
    from inventory.problems import Problem

LANGUAGES = ("en", "fr")
T = TypeVar("T")
DOMAIN = "inventory"


def _catalogue_file(lang: str, suffix: str):
    return resources.files("inventory") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.GNUTranslations:
    """The gettext translations of one language, from its compiled catalogue (.mo), loaded once,
    when first needed (an English run never loads the French one). The .po is the source; the
    .mo beside it is what `python -m inventory.i18n` compiles from it (a test checks they agree):
    parsing the .po with Babel at every start cost 40 to 50 ms of every command."""
    with _catalogue_file(lang, ".mo").open("rb") as handle:
        return gettext.GNUTranslations(handle)


def compile_catalogue(lang: str) -> bytes:
    """The .mo of one language's .po, as Babel compiles it (untranslated and fuzzy entries left out)."""
    from babel.messages.mofile import write_mo  # a developer's tool: Babel is not loaded at run time
    from babel.messages.pofile import read_po

    with _catalogue_file(lang, ".po").open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    return compiled.getvalue()


class _PerLanguage(Mapping[str, dict[str, T]]):
    """{language: its entries}, each language's built when first asked for."""

    def __init__(self, build: Callable[[str], dict[str, T]]) -> None:
        self._build = lru_cache(maxsize=None)(build)

    def __getitem__(self, lang: str) -> dict[str, T]:
        if lang not in LANGUAGES:
            raise KeyError(lang)
        return self._build(lang)

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)


def _language_entries(lang: str) -> dict[str, tuple[str, ...]]:
    """Each key and its forms (one, or one per plural form), from the compiled catalogue: gettext
    keeps a plural entry's forms under (key, n) and its header under ""."""
    forms: dict[str, dict[int, str]] = {}
    for msgid, text in translations(lang)._catalog.items():  # type: ignore[attr-defined]
        key, n = msgid if isinstance(msgid, tuple) else (msgid, 0)
        if key:
            forms.setdefault(key, {})[n] = text
    return {key: tuple(texts[n] for n in sorted(texts)) for key, texts in forms.items() if all(texts.values())}


_ENTRIES: Mapping[str, dict[str, tuple[str, ...]]] = _PerLanguage(_language_entries)
_TEXTS: Mapping[str, dict[str, str]] = _PerLanguage(
    lambda lang: {key: forms[-1] for key, forms in _ENTRIES[lang].items()})
_PLURALS: Mapping[str, dict[str, tuple[str, ...]]] = _PerLanguage(
    lambda lang: {key: forms for key, forms in _ENTRIES[lang].items() if len(forms) > 1})


def catalogue() -> Mapping[str, dict[str, str]]:
    """Every key and its text, per language (for parity tests and `key in catalogue()` checks);
    a key with plural forms maps to its last (most general) form."""
    return _TEXTS


def plural_forms() -> Mapping[str, dict[str, tuple[str, ...]]]:
    """The keys that have plural forms, with every form, per language."""
    return _PLURALS


def _entries() -> Mapping[str, dict[str, tuple[str, ...]]]:
    return _ENTRIES


def detect_language(explicit: str | None = None) -> str:
    """--lang wins, then LC_ALL/LC_MESSAGES/LANG, then the system locale; default English."""
    candidates = [explicit, os.environ.get("LC_ALL"), os.environ.get("LC_MESSAGES"), os.environ.get("LANG")]
    try:
        candidates.append(locale.getlocale()[0])
    except ValueError:
        pass
    for value in candidates:
        if value and value[:2].lower() in LANGUAGES:
            return value[:2].lower()
    return "en"


def value_label(code: str, lang: str) -> str:
    """The word for a value code (exposure, reason, suggestion, decision, status…: `tui.v-<code>`);
    a code the catalogues do not know is shown as it is."""
    key = f"tui.v-{code}"
    return t(key, lang) if key in catalogue()["en"] else code


def reason_label(code: str, lang: str) -> str:
    """The short word for a reason code (the Reason filter's values): an exclusion reason
    (`tui.v-<code>`: salary, private-message…) or a policy rule id (`rule-label.<id>`: one
    for every rule of inventory/data/policy.toml, a test checks), else the code itself (a rule
    of the member's own policy file)."""
    for key in (f"tui.v-{code}", f"rule-label.{code}"):
        if key in catalogue()["en"]:
            return t(key, lang)
    return code


def problem_detail(problem: "Problem", lang: str) -> str:
    """A problem's detail in `lang`: its catalogue key (`problem.key`, else `problem.<code>`)
    formatted with its values; its English `detail` when the catalogue has no such key or the
    problem lacks a value the text needs (a code from elsewhere, a new one)."""
    key = problem.key or f"problem.{problem.code}"
    template = catalogue()["en"].get(key)
    if template is None:
        return problem.detail
    needed = {name for text in plural_forms()["en"].get(key, (template,))
              for _, name, _, _ in Formatter().parse(text) if name}
    if not needed <= set(problem.values):
        return problem.detail
    return t(key, lang, **problem.values)


def kind_label(kind: str, lang: str) -> str:
    """An item kind in words (the checklist's labels, `checklist.kind_<kind>`), else the code."""
    key = f"checklist.kind_{kind}"
    return t(key, lang) if key in catalogue()["en"] else kind


def region_label(region: str, lang: str) -> str:
    """A policy region code in words ("eu" -> "EU/EEA"), else the code as it is."""
    key = f"region.{region}"
    return t(key, lang) if key in catalogue()["en"] else region


def format_day(day: date, lang: str) -> str:
    """A date in words in the member's language ("February 28, 2026", "28 février 2026"; French
    writes the first of a month "1er"), from the catalogue: CLDR's long format, which a test
    checks against Babel's (loading Babel's locale data cost 60 ms of every command that prints one)."""
    number = t("date.first-day", lang) if day.day == 1 else str(day.day)
    return t("date.long", lang, day=number, month=t(f"date.month.{day.month:02d}", lang), year=day.year)


def t(key: str, lang: str = "en", /, **values: object) -> str:
    """The text for `key` ("area.name") in `lang`, formatted with `values`; the plural form for
    `count` when the key has plural forms. A value that is a `Message` is said first, in the
    same language. A missing key is a bug caught by tests; at run time it falls back to English,
    then to the key itself."""
    lang = lang if lang in LANGUAGES else "en"
    values = {name: t(value.key, lang, **value.values) if isinstance(value, Message) else value
              for name, value in values.items()}
    text = _template(key, lang, values.get("count"))
    if text == key and lang != "en":
        lang, text = "en", _template(key, "en", values.get("count"))
    if lang == "fr":
        text = french_typography(text)
    return text.format(**values) if values else text


def _template(key: str, lang: str, count: object) -> str:
    if key in plural_forms()[lang]:
        number = count if isinstance(count, int) and not isinstance(count, bool) else 2
        return translations(lang).ngettext(key, key, number)
    return translations(lang).gettext(key)


_SPACES = "[ \u00a0\u202f]"
NBSP, NNBSP = "\u00a0", "\u202f"
# The Imprimerie nationale rule (docs/translations.md): a narrow no-break space (U+202F) inside
# « » and before ; ! ?, a no-break space (U+00A0) before a colon. Whatever space the template
# holds there (ordinary, no-break or narrow) becomes the right one; a sign with no space before
# it (a URL's "https:", "?x=1") is left alone.
_FRENCH_SPACES = (
    (re.compile(f"«{_SPACES}*"), "«" + NNBSP),
    (re.compile(f"{_SPACES}*»"), NNBSP + "»"),
    (re.compile(f"{_SPACES}+(?=[;!?])"), NNBSP),
    (re.compile(f"{_SPACES}+(?=:)"), NBSP),
)


def typography(text: str, lang: str) -> str:
    """Text written outside the catalogues (a policy file's French reasons) spaced by the same
    rule as the catalogues' texts: `french_typography` in French, unchanged otherwise."""
    return french_typography(text) if lang == "fr" else text


def french_typography(text: str) -> str:
    """French spacing, the one place it is made: translators type ordinary spaces before
    `: ; ! ?`, after « and before », and rendering makes them no-break ones, so the sign never
    starts a line. Applied to templates (never to the member's own text)."""
    for pattern, space in _FRENCH_SPACES:
        text = pattern.sub(space, text)
    return text


if __name__ == "__main__":  # python -m inventory.i18n: compile every .po into the .mo beside it
    for language in LANGUAGES:
        with resources.as_file(_catalogue_file(language, ".mo")) as target:
            target.write_bytes(compile_catalogue(language))
