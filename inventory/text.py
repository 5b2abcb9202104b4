"""Untrusted text made safe to show: no control character, escape sequence, bidi override or
zero-width character from an export reaches a terminal or a report as itself."""

from __future__ import annotations

import re
import unicodedata

# C0 (except tab and line feed), DEL, C1; bidi controls; zero-width characters.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}{_ZERO_WIDTH}]")


def _visible(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # ␛ for ESC, ␀ for NUL: the Control Pictures block
    if code == 0x7F:
        return "\u2421"
    return f"<U+{code:04X}>"


def sanitise(text: str, *, keep_newlines: bool = True) -> str:
    """Replace every unsafe character by a visible placeholder."""
    if not keep_newlines:
        text = text.replace("\r\n", " ").replace("\n", " ")
    return _UNSAFE.sub(_visible, text)


def has_unsafe(text: str) -> bool:
    return bool(_UNSAFE.search(text)) or any(unicodedata.category(c) == "Cc" and c not in "\t\n" for c in text)
