"""Turning strings into what widgets display. Export text only ever becomes `rich.text.Text`
built from `inventory.text.sanitise_text`, never markup; UI strings come from the gettext catalogues (inventory/locale)."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from inventory.i18n import t, value_label
from inventory.text import safe_linkedin_url, sanitise_text
from inventory.views import finding_spans


def label(key: str, lang: str, **values: object) -> str:
    """A UI string (key `tui.<key>`); an unknown value label (`v-<code>`) falls back to the code."""
    if key.startswith("v-"):
        return sanitise_text(value_label(key[2:], lang), single_line=True)
    return t(f"tui.{key}", lang, **values)


def safe(value: object, *, single_line: bool = False, limit: int | None = None, style: str | Style = "") -> Text:
    """Export text as literal, sanitised Text (markup characters stay characters)."""
    return Text(sanitise_text(value, single_line=single_line, limit=limit), style=style, no_wrap=single_line,
                end="")


def with_findings(text: str, findings: object, highlight: str | Style = "bold reverse") -> Text:
    """The full text with each finding's span highlighted; offsets refer to the original text,
    so each piece is sanitised separately (placeholders change lengths)."""
    text = text or ""
    result = Text(end="")
    position = 0
    for start, end, _kind in finding_spans(findings, len(text)):
        if start < position:
            continue
        result.append(sanitise_text(text[position:start]))
        result.append(sanitise_text(text[start:end]), style=highlight)
        position = end
    result.append(sanitise_text(text[position:]))
    return result


def link(url: object, caption: str) -> Text:
    """An OSC 8 hyperlink only for a validated LinkedIn https URL; otherwise plain caption text."""
    checked = safe_linkedin_url(url)
    if checked is None:
        return Text(caption, end="")
    return Text(caption, style=Style(link=checked, underline=True), end="")
