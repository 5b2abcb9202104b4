"""`scan --json`: the streamed writer says exactly what a plain json.dumps of the same analysis
says, and no character a terminal would act on or hide leaves it unescaped."""

from __future__ import annotations

import io
import json
import sys

import pytest

from conftest import SAMPLES, run_cli
from inventory import pipeline, render
from inventory.samples import build_export, write_zip

BASIC = SAMPLES / "Basic_LinkedInDataExport_11-20-2026.zip"
COMPLETE = SAMPLES / "Complete_LinkedInDataExport_11-21-2026.zip"
DATES = ("date", "eligible_from", "eligible_until")


def plain_document(analysis: pipeline.Analysis) -> dict:
    """The document built with the json module alone, row by row (no polars serialiser), from
    the frame with its words rendered (reasons are stored as keys)."""
    frame = render.words(analysis.frame, policy=analysis.policy)
    columns = [c for c in pipeline.JSON_ITEM_COLUMNS if c in frame.columns]
    items = [{k: (v.strftime("%Y-%m-%dT%H:%M:%SZ") if k in DATES and v is not None else v) for k, v in row.items()}
             for row in frame.select(columns).iter_rows(named=True)]
    return json.loads(json.dumps({**pipeline.json_head(analysis), "items": items}, ensure_ascii=False))


def streamed(analysis: pipeline.Analysis) -> str:
    out = io.StringIO()
    pipeline.write_json(analysis, out)
    return out.getvalue()


@pytest.fixture(scope="module")
def sample_analyses() -> list[pipeline.Analysis]:
    return [pipeline.analyse([BASIC, COMPLETE]), pipeline.analyse([COMPLETE])]


def test_streamed_json_of_the_samples_equals_json_dumps_of_the_same_analysis(sample_analyses, monkeypatch):
    for analysis in sample_analyses:
        whole = streamed(analysis)
        document = json.loads(whole)
        assert document == plain_document(analysis)
        assert len(document["items"]) == analysis.frame.height > 100
        assert {i["id"] for i in document["items"]} == set(analysis.frame["id"])
        # Batches joined anywhere give the same text (the default batch holds every sample item).
        monkeypatch.setattr(pipeline, "JSON_BATCH", 7)
        assert streamed(analysis) == whole
        monkeypatch.undo()


def test_empty_item_list_is_still_a_document(sample_analyses):
    analysis = sample_analyses[1]
    empty = pipeline.Analysis(analysis.scan, analysis.policy, analysis.context, analysis.frame.clear())
    assert json.loads(streamed(empty))["items"] == []


# C1 CSI, OSC and ST; DEL; bidi override and isolate; zero-width space and joiner; BOM; line
# separator; a tag character (outside the BMP, escaped as a surrogate pair).
HOSTILE = "a\x9b2Jb\x9d0;title\x9cc\x7fd\u202ee\u2066f\u200bg\u200dh\ufeffi\u2028j\U000e0041k"
RAW = ["\x9b", "\x9d", "\x9c", "\x7f", "\u202e", "\u2066", "\u200b", "\u200d", "\ufeff", "\u2028", "\U000e0041"]


@pytest.mark.parametrize("tty", [False, True])
def test_scan_json_escapes_c1_bidi_and_zero_width_characters(capsys, monkeypatch, tmp_path, tty):
    files = build_export("basic")
    files["Shares.csv"] = ("Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"
                           "2026-01-05 10:00:00,https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A7000000000000009999,"
                           f'"{HOSTILE}",,,PUBLIC\n').encode("utf-8")
    path = tmp_path / "Complete_LinkedInDataExport_01-10-2026.zip"
    write_zip(files, path)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: tty)
    status, out, err = run_cli(capsys, "scan", "--json", str(path))
    assert status == 0, err
    assert [c for c in RAW if c in out] == []
    for escaped in ("\\u009b", "\\u009d", "\\u009c", "\\u007f", "\\u202e", "\\u2066", "\\u200b", "\\u2028",
                    "\\udb40\\udc41"):
        assert escaped in out
    texts = [item["text"] for item in json.loads(out)["items"]]
    assert HOSTILE in texts  # the value itself is unchanged


def test_escaping_leaves_every_other_character_and_escape_alone():
    from inventory.text import escape_json_text

    text = json.dumps({"k": "é 😀 \\ \" \u00e9\u0301 \x1b" + HOSTILE}, ensure_ascii=False)
    escaped = escape_json_text(text)
    assert json.loads(escaped) == json.loads(text)
    assert [c for c in RAW if c in escaped] == [] and "é 😀" in escaped


def test_every_unsafe_character_alone_is_found_and_escaped():
    """polars' regex engine decides whether a text needs escaping: it must find each character
    Python's class holds (one at a time, in otherwise safe text)."""
    import unicodedata

    from inventory.text import escape_json_text

    unsafe = [chr(c) for c in range(0x7F, 0x110000) if unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp")]
    assert len(unsafe) > 150
    for char in unsafe:
        text = json.dumps({"k": f"é{char}x"}, ensure_ascii=False)
        escaped = escape_json_text(text)
        assert char not in escaped and json.loads(escaped) == {"k": f"é{char}x"}, hex(ord(char))


def test_a_file_with_a_binary_buffer_gets_the_same_document_in_order(tmp_path, monkeypatch):
    """Standard output takes polars' bytes directly; a batch that holds a character to escape
    goes through the text layer in between: the document is the one a text stream gets."""
    import dataclasses

    import polars as pl

    monkeypatch.setattr(pipeline, "JSON_BATCH", 50)  # several batches on the sample
    analysis = pipeline.analyse_sample()
    texts = analysis.frame.get_column("text").to_list()
    texts[120] = "hidden \u202e direction"  # in the third batch of five
    analysis = dataclasses.replace(analysis, frame=analysis.frame.with_columns(pl.Series("text", texts)))
    as_text = io.StringIO()
    pipeline.write_json(analysis, as_text)
    path = tmp_path / "out.json"
    with open(path, "w", encoding="utf-8") as handle:
        assert hasattr(handle, "buffer")
        pipeline.write_json(analysis, handle)
    written = path.read_text(encoding="utf-8")
    assert written == as_text.getvalue()
    assert "\u202e" not in written and "\\u202e" in written
    assert json.loads(written)["items"][120]["text"] == "hidden \u202e direction"
