"""One translation mechanism for every user-facing string: gettext catalogues (English and
French) read with Babel.

The catalogues are ordinary `.po` files, `inventory/locale/<lang>/LC_MESSAGES/inventory.po`, so
translators can use their usual tools (Poedit, Weblate). Message ids are stable keys of the form
`area.name` (`tui.quit`, `checklist.title`); the English catalogue holds the English text. They
are compiled in memory when first needed, never written to disk. A test checks that both
languages carry every key with the same `{placeholders}`.
"""

from __future__ import annotations

import io
import locale
import os
from functools import lru_cache
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES = ("en", "fr")
DOMAIN = "inventory"


def _po_file(lang: str):
    return resources.files("inventory") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def translations(lang: str) -> Translations:
    """The gettext translations of one language, compiled from its .po file in memory."""
    with _po_file(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """Every key and its text, per language (for parity tests and `key in catalogue()` checks)."""
    merged: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        with _po_file(lang).open("rb") as handle:
            catalog = read_po(handle, locale=lang, domain=DOMAIN)
        merged[lang] = {str(m.id): str(m.string) for m in catalog if m.id and m.string}
    return merged


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


def t(key: str, lang: str = "en", /, **values: object) -> str:
    """The text for `key` ("area.name") in `lang`, formatted with `values`. A missing key is a
    bug caught by tests; at run time it falls back to English, then to the key itself."""
    text = translations(lang if lang in LANGUAGES else "en").gettext(key)
    if text == key and lang != "en":
        text = translations("en").gettext(key)
    return text.format(**values) if values else text
