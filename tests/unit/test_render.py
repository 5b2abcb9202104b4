"""Words at the edge (inventory/render.py, detect/words.py): the frame stores reasons as keys
and values; the JSON writer renders them. The English JSON is pinned on the bundled sample."""

from __future__ import annotations

import hashlib
import io
import json

import polars as pl

from inventory import pipeline
from inventory.render import words

# The fields made of words (verdicts, reasons, findings, suggestions) of every item of
# `inventory scan --json` on the bundled sample, as main wrote them before the frame stored
# keys. A change here is a change of the JSON contract's texts: make it on purpose.
WORD_FIELDS = ("id", "exposure", "exposure_reason", "rule", "source_url", "flags", "risk", "risk_reasons",
               "suggestion", "suggested_text", "findings", "cluster", "action_url")
SAMPLE_ITEMS = 235
SAMPLE_WORDS_SHA256 = "73cd5c507cedcefcd9673d6e5c0fcdcad3f544614e6654f8c037a438e4fb6707"


def _digest(items: list[dict]) -> str:
    rows = [[item.get(f) for f in WORD_FIELDS] for item in items]
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def test_the_sample_json_says_the_same_words():
    out = io.StringIO()
    pipeline.write_json(pipeline.analyse_sample(), out)
    items = json.loads(out.getvalue())["items"]
    assert len(items) == SAMPLE_ITEMS
    assert _digest(items) == SAMPLE_WORDS_SHA256


def test_the_frame_keeps_terms_and_the_edge_renders_them():
    frame = pipeline.analyse_sample().frame
    assert "risk_reasons" not in frame.columns and frame.schema["risk_terms"] == pl.List(pl.Categorical)
    # Strings repeated on every row are stored once each (issue 14): reason keys, rule ids,
    # source URLs, places to act.
    for name in ("exposure_reason", "rule", "source_url", "action_url"):
        assert frame.schema[name] == pl.Categorical, name
    assert set(frame.filter(pl.col("exposure") != "excluded")["exposure_reason"].cast(pl.String).str.extract(
        r"^(rule|override|window)\.", 1).unique()) <= {"rule", "override", "window"}
    shown = words(frame)
    assert "risk_terms" not in shown.columns and shown.schema["risk_reasons"] == pl.List(pl.String)
    french = words(frame, "fr")["risk_reasons"].explode().drop_nulls().to_list()
    english = shown["risk_reasons"].explode().drop_nulls().to_list()
    assert "no risky content found" in english and "no risky content found" not in french
    assert not any(r.startswith("{") for r in english + french)  # no term left unrendered


def test_each_json_detail_is_rendered_at_the_edge_from_the_findings_term(monkeypatch):
    """The frame's findings hold no words; `scan --json` gives each one's `detail` (last, after
    type, start, end, text) from its term in finding_terms, through the one renderer."""
    from inventory.detect import words as detector_words

    analysis = pipeline.analyse_sample()
    assert set(analysis.frame.schema["findings"].inner.to_schema()) == {  # type: ignore[union-attr]
        "type", "start", "end", "text"}
    monkeypatch.setattr(detector_words, "render_finding",
                        lambda key, values, lang: f"<{lang} {key} {json.dumps(values, sort_keys=True)}>")
    out = io.StringIO()
    pipeline.write_json(analysis, out)
    items = json.loads(out.getvalue())["items"]
    seen = 0
    for item, terms in zip(items, analysis.frame["finding_terms"].to_list()):
        expected = [f"<en {json.loads(x)['key']} {json.dumps(json.loads(x)['values'], sort_keys=True)}>"
                    for x in terms]
        assert [f["detail"] for f in item["findings"]] == expected, item["id"]
        assert all(list(f) == ["type", "start", "end", "text", "detail"] for f in item["findings"])
        seen += len(terms)
    assert seen >= 10


def test_findings_without_a_term_say_nothing_and_empty_lists_stay_empty():
    from inventory.detect import FINDINGS_DTYPE, render_findings
    from inventory.detect.words import term

    found = {"type": "phone", "start": 0, "end": 5, "text": "06 12"}
    findings = pl.Series("findings", [[found, {**found, "start": 6}], [], None, [found]], dtype=FINDINGS_DTYPE)
    terms = pl.Series("finding_terms", [[term("phone", {"where": "FR"}), None], [], None, []],
                      dtype=pl.List(pl.String))
    for lang, said in (("en", "phone number (FR, validated)"), ("fr", "numéro de téléphone (FR, vérifié)")):
        shown = render_findings(findings, terms, lang)
        assert shown.name == "findings" and shown.to_list() == [
            [{**found, "detail": said}, {**found, "start": 6, "detail": ""}], [], None,
            [{**found, "detail": ""}]]  # the last row's terms do not pair with its findings
        # Rows without a finding, with none in the whole column either: the same as beside one.
        alone = render_findings(findings.slice(1, 2), terms.slice(1, 2), lang)
        assert alone.dtype == shown.dtype and alone.name == "findings"
        assert alone.to_list() == shown.slice(1, 2).to_list() == [[], None]
