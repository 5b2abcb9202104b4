"""One translation mechanism for every user-facing string (English and French).

Strings live in inventory/data/strings/*.toml, one file per area, each with an [en] and [fr]
table of identical keys. Two languages do not justify gettext's compiled catalogues; a test
checks that both languages carry every key with the same placeholders.
"""

from __future__ import annotations

import locale
import os
import tomllib
from functools import lru_cache
from importlib import resources

LANGUAGES = ("en", "fr")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    folder = resources.files("inventory") / "data" / "strings"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        area = entry.name.removesuffix(".toml")
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        for lang in LANGUAGES:
            for key, text in data.get(lang, {}).items():
                merged[lang][f"{area}.{key}"] = text
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
    table = catalogue()
    text = table.get(lang, {}).get(key) or table["en"].get(key) or key
    return text.format(**values) if values else text
