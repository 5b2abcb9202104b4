"""The one text-safety function used by the UI, the reports and the CLI."""

from inventory.text import safe_linkedin_url, sanitise_text


def test_line_breaks_survive_in_non_ascii_text():
    # Regression: a category check turned every line break of accented text into U+FFFD.
    assert sanitise_text("Élodie\nà Lyon") == "Élodie\nà Lyon"
    assert sanitise_text("Élodie\nà Lyon", visible=False) == "Élodie\nà Lyon"


def test_controls_escapes_bidi_and_zero_width_are_made_visible():
    shown = sanitise_text("a\x1b[2J\x9b\u202eb\u200bc\x00")
    assert "\x1b" not in shown and "\x9b" not in shown and "\u202e" not in shown and "\x00" not in shown
    assert shown == "a\u241b[2J\ufffd<U+202E>b<U+200B>c\u2400"


def test_reports_use_the_replacement_character():
    assert sanitise_text("a\x1b]52;c;x\x07b\u202e", visible=False) == "a\ufffd]52;c;x\ufffdb\ufffd"


def test_single_line_folds_breaks_and_tabs():
    assert sanitise_text("a\tb\r\nc", single_line=True) == "a b \u23ce c"


def test_markup_is_left_as_characters():
    assert sanitise_text("[@click=app.quit]x[/]") == "[@click=app.quit]x[/]"


def test_only_plain_linkedin_links_are_clickable():
    assert safe_linkedin_url("https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A1")
    for bad in ("https://evil.example/", "javascript:alert(1)", "https://www.linkedin.com/x\x1b]8;;",
                "https://www.linkedin.com/a b", None):
        assert safe_linkedin_url(bad) is None


def test_json_escapes_every_character_a_terminal_would_act_on():
    """Every character Python's Unicode table calls a control (beyond C0, which JSON escapes
    itself), a format character or a line/paragraph separator is written as an escape, and the
    JSON decodes back to the same text."""
    import json
    import unicodedata

    from inventory.text import escape_json_text

    unsafe = "".join(chr(c) for c in [*range(0x7F, 0x30000), *range(0xE0000, 0xE0080)]
                     if unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp"))
    text = "é a\u202eb " + unsafe + " 🙂"
    serialised = json.dumps({"text": text}, ensure_ascii=False)
    escaped = escape_json_text(serialised)
    assert not any(c in escaped for c in unsafe)
    assert "é" in escaped and "🙂" in escaped  # the rest stays as it is
    assert json.loads(escaped) == {"text": text}
    assert escape_json_text('{"a": "plain, accentué"}') == '{"a": "plain, accentué"}'


def test_unsafe_characters_are_found_in_strings_lists_and_structs():
    import polars as pl

    from inventory.text import has_json_unsafe

    clean = pl.DataFrame({"s": ["accentué", None], "l": [["a", "b"], None],
                          "f": [[{"type": "email", "text": "x"}], []]})
    assert not has_json_unsafe(clean)
    assert not has_json_unsafe(pl.DataFrame({"n": [1, 2]}))  # no text at all
    for column, value in (("s", ["ok", "a\u202eb"]), ("s", ["plain ascii", "del\x7f"]), ("l", [["a"], ["b\x9b"]]),
                          ("f", [[{"type": "email", "text": "x"}], [{"type": "email", "text": "\u200b"}]])):
        dirty = clean.with_columns(pl.Series(column, value, dtype=clean.schema[column]))
        assert has_json_unsafe(dirty), column
