"""Untrusted text made safe to show. One implementation for every output: no control
character, escape sequence, bidi override or zero-width character from an export reaches a
terminal or a report as itself. The terminal UI shows visible placeholders (ESC as U+241B,
bidi and zero-width characters as <U+XXXX>); reports (`visible=False`) use U+FFFD."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl

LINKEDIN_PREFIX = "https://www.linkedin.com/"

_REPLACEMENT = "\ufffd"
# Bidi embeddings/overrides/isolates and marks, zero-width characters: shown as <U+XXXX>.
_INVISIBLE = (
    [0x061C, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0x2061, 0x2062, 0x2063,
     0x2064, 0xFEFF, 0x00AD]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)


def _build_table(single_line: bool, visible: bool = True) -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20):
        # control pictures: ESC -> U+241B, NUL -> U+2400 (reports: U+FFFD)
        table[code] = chr(0x2400 + code) if visible else _REPLACEMENT
    table[0x7F] = "\u2421" if visible else _REPLACEMENT
    for code in range(0x80, 0xA0):
        table[code] = _REPLACEMENT
    for code in _INVISIBLE:
        table[code] = f"<U+{code:04X}>" if visible else _REPLACEMENT
    table[0x2028] = "\n"
    table[0x2029] = "\n"
    if single_line:
        table[0x09] = " "
        table[0x0A] = " \u23ce "
        table[0x2028] = " \u23ce "
        table[0x2029] = " \u23ce "
    else:
        table[0x09] = "    "
        table[0x0A] = "\n"
    return table


_TABLES = {(single, visible): _build_table(single, visible) for single in (False, True) for visible in (False, True)}


def sanitise_text(text: object, *, single_line: bool = False, limit: int | None = None,
                  visible: bool = True) -> str:
    """Export text made safe for a terminal: C0/C1 controls and DEL become visible placeholders
    (ESC -> U+241B, C1 -> U+FFFD), bidi and zero-width characters become `<U+XXXX>`, other
    format characters and surrogates U+FFFD. Markup characters are left alone: the UI renders the
    result as plain Text, never as markup. `single_line` also folds newlines and tabs;
    `visible=False` (reports) turns every unsafe character into U+FFFD."""
    if text is None:
        return ""
    value = str(text)
    if limit is not None and len(value) > limit:
        value = value[:limit] + "\u2026"
    value = value.replace("\r\n", "\n")
    value = value.translate(_TABLES[single_line, visible])
    if not value.isascii():
        value = "".join(
            _REPLACEMENT if c != "\n" and unicodedata.category(c) in ("Cf", "Cs", "Cc") else c for c in value
        )
    return value


# DEL, the C1 controls, every format character (bidi marks and overrides, zero-width characters,
# tags) and the line and paragraph separators: what sanitise_text replaces beyond C0, which JSON
# escapes already. Unicode classes of polars' regex engine: nothing to build at start.
_JSON_UNSAFE = r"[\x{7F}-\x{9F}\p{Cf}\p{Zl}\p{Zp}]"


def _json_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # a JSON escape is UTF-16: a surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def escape_json_text(serialised: str) -> str:
    """JSON text with the characters a terminal would act on or hide written as \\uXXXX escapes,
    so `scan --json` printed to a terminal shows them as text. The values decode unchanged: such
    characters can only stand inside a JSON string, never inside an escape sequence."""
    import polars as pl

    # polars' regex engine finds the few distinct characters present; one multi-literal replace
    # then escapes them all (Python's re.sub over megabytes cost more than the serialising).
    text = pl.Series([serialised])
    if not text.str.contains(_JSON_UNSAFE).item():  # almost no text has any
        return serialised
    found = text.str.extract_all(_JSON_UNSAFE).explode().unique().to_list()
    return text.str.replace_many(found, [_json_escape(c) for c in found]).item()


def has_json_unsafe(frame: pl.DataFrame) -> bool:
    """Whether any text in `frame` (strings, inside lists and structs too) holds a character
    escape_json_text escapes."""
    import polars as pl

    # Every string leaf in one Series, looked at once: a regex per column costs its compiling each
    # time, which was most of the check's time (a JSON batch has two dozen string leaves).
    leaves = [frame.select(text.alias("v")).to_series() for name, dtype in frame.schema.items()
              for text in _texts(pl.col(name), dtype)]
    if not leaves:
        return False
    return bool(pl.concat(leaves, rechunk=False).to_frame("v").select(_holds_unsafe(pl.col("v"))).item())


def _texts(expr: pl.Expr, dtype: object) -> list[pl.Expr]:
    """Every string leaf of a column, flattened (lists exploded, struct fields taken)."""
    import polars as pl

    if dtype == pl.String or isinstance(dtype, (pl.Categorical, pl.Enum)):
        return [expr.cast(pl.String)]
    if isinstance(dtype, pl.List):
        return _texts(expr.explode(), dtype.inner)
    if isinstance(dtype, pl.Struct):
        return [text for f in dtype.fields for text in _texts(expr.struct.field(f.name), f.dtype)]
    return []


def _holds_unsafe(text: pl.Expr) -> pl.Expr:
    """Whether any value holds DEL (the one ASCII character to escape) or, among the values that
    are not plain ASCII (a byte count above the character count), a character of _JSON_UNSAFE:
    the Unicode classes are looked for only where they can be."""
    wide = text.filter(text.str.len_bytes() != text.str.len_chars())
    return text.str.contains("\x7f", literal=True).any() | wide.str.contains(_JSON_UNSAFE).any()


def safe_linkedin_url(url: object) -> str | None:
    """The URL if it is a plain https link on www.linkedin.com (safe to make clickable), else
    None. Rejects anything with whitespace, quotes, controls or a different host."""
    if not isinstance(url, str) or not url.startswith(LINKEDIN_PREFIX):
        return None
    if any(c.isspace() or c in "\"'<>\\`" or ord(c) < 0x21 or 0x7F <= ord(c) <= 0x9F for c in url):
        return None
    if len(url) > 2_000:
        return None
    return url


