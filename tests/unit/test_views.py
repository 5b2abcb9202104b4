"""Core view functions: filters, search, sort, counts, timeline, sanitising (no Textual)."""

from __future__ import annotations

import re
from datetime import date

import polars as pl
import pytest

from inventory import views
from inventory.fold import fold
from inventory.text import safe_linkedin_url, sanitise_text
from inventory.views import Filters
from test_tui_support import HOSTILE, big_frame, sample_frame


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    return views.prepare(sample_frame())


def ids(frame: pl.DataFrame) -> set[str]:
    return set(frame["id"].to_list())


def test_sanitise_makes_escapes_and_invisible_characters_visible():
    shown = sanitise_text(HOSTILE)
    assert "\x1b" not in shown and "\x07" not in shown
    assert "\u241b[2J" in shown  # ESC shown as the control picture, rest literal
    assert "<U+202E>" in shown and "<U+200B>" in shown and "\u202e" not in shown
    assert "[@click=app.quit]x[/]" in shown  # markup characters kept literally
    assert sanitise_text("a\x85b\x9bc") == "a\ufffdb\ufffdc"  # C1 controls
    assert sanitise_text("a\x7f") == "a\u2421"
    assert sanitise_text(None) == ""


def test_sanitise_single_line_and_limit():
    assert "\n" not in sanitise_text("one\r\ntwo\tthree", single_line=True)
    assert sanitise_text("one\r\ntwo", single_line=False) == "one\ntwo"
    assert sanitise_text("abcdef", limit=3) == "abc\u2026"
    for code in list(range(0x20)) + [0x7F] + list(range(0x80, 0xA0)):
        out = sanitise_text(f"x{chr(code)}y", single_line=True)
        assert all(not (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F) for c in out), hex(code)


def test_safe_linkedin_url_accepts_only_plain_linkedin_https():
    good = "https://www.linkedin.com/feed/update/urn:li:share:7001"
    assert safe_linkedin_url(good) == good
    for bad in ("http://www.linkedin.com/x", "https://evil.example/", "https://www.linkedin.com.evil.example/",
                "https://www.linkedin.com/\x1b]8;;x", "https://www.linkedin.com/a b", None, 3,
                "javascript:alert(1)"):
        assert safe_linkedin_url(bad) is None, bad


def test_no_filter_keeps_everything(frame):
    assert views.apply_filters(frame, Filters()).height == frame.height
    assert not Filters().active and Filters(kind="post").active


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(exposure="excluded"), 2),
        (Filters(reason="private-message"), 1),
        (Filters(kind="post"), 5),
        (Filters(finding="phone"), 1),
        (Filters(finding="email"), 1),
        (Filters(suggestion="delete"), 3),
        (Filters(kind="post", suggestion="delete"), 2),
        (Filters(date_from=date(2023, 3, 1)), 5),
        (Filters(date_from=date(2023, 2, 24), date_to=date(2023, 2, 25)), 2),
    ],
)
def test_filters_count(frame, filters, expected):
    assert views.apply_filters(frame, filters).height == expected


def test_decision_filter(frame):
    decisions = {"post:0000000000000000": "delete", "comment:0000000000000003": "delete",
                 "message:0000000000000005": "keep"}
    deleted = views.apply_filters(frame, Filters(decision="delete"), decisions)
    assert ids(deleted) == {"post:0000000000000000", "comment:0000000000000003"}
    undecided = views.apply_filters(frame, Filters(decision=views.UNDECIDED), decisions)
    assert undecided.height == frame.height - 3


def test_new_since_last_review_filter(frame):
    all_ids = frame["id"]
    nothing = pl.Series([], dtype=pl.String)
    assert views.new_since(all_ids, nothing).len() == 0  # first review: nothing is "new"
    seen = pl.Series(sorted(set(all_ids) - {"post:0000000000000001", "comment:0000000000000003"} | {"post:gone"}))
    new = views.new_since(all_ids, seen)
    assert set(new) == {"post:0000000000000001", "comment:0000000000000003"} and new.len() == 2
    found = views.apply_filters(frame, Filters(decision=views.NEW), {}, new_ids=new)
    assert ids(found) == set(new)
    # combines with the other filters, and without a baseline shows nothing
    assert ids(views.apply_filters(frame, Filters(decision=views.NEW, kind="post"), new_ids=new)) == {
        "post:0000000000000001"}
    assert views.apply_filters(frame, Filters(decision=views.NEW)).height == 0
    assert views.NEW in views.facet_values(frame)["decision"]


def test_plain_search_is_case_and_accent_insensitive(frame):
    for query in ("ELAN conseil", "élan", "ecrivez-moi", "TRÈS inspirant"):
        found = views.apply_filters(frame, Filters(search=query))
        assert found.height >= 1, query
    assert ids(views.apply_filters(frame, Filters(search="tres INSPIRANT"))) == {"comment:0000000000000004"}
    assert views.apply_filters(frame, Filters(search="nothing like this")).height == 0


def test_plain_search_treats_query_literally(frame):
    found = views.apply_filters(frame, Filters(search="[@click=app.quit]"))
    assert ids(found) == {"post:000000000000000b"}
    assert views.apply_filters(frame, Filters(search=".*")).height == 0


def test_fuzzy_search_tolerates_typos(frame):
    plain = views.apply_filters(frame, Filters(search="conferance lyon"))
    assert plain.height == 0
    fuzzy = views.apply_filters(frame, Filters(search="conferance lyon", search_mode="fuzzy"))
    assert ids(fuzzy) == {"post:0000000000000001", "post:0000000000000002"}
    # accents and case forgiven, one typo per word forgiven, every word must match
    assert ids(views.apply_filters(frame, Filters(search="INSPIRENT", search_mode="fuzzy"))) == {"comment:0000000000000004"}
    assert views.apply_filters(frame, Filters(search="conferance paris", search_mode="fuzzy")).height == 0
    words = views.vocabulary(frame)
    assert "elan" in words and "conference" in words
    assert views.apply_filters(frame, Filters(search="zzzzqqqq", search_mode="fuzzy")).height == 0


def test_sort(frame):
    by_risk = views.sort_frame(frame, "risk", descending=True)
    assert by_risk["risk"][0] == 95 and by_risk["risk"][-1] == 0
    by_date = views.sort_frame(frame, "date")
    assert by_date["date"][-1] is None  # nulls last
    assert by_date["date"].drop_nulls().is_sorted()
    assert views.sort_frame(frame, "nope").equals(frame)


def test_counts_and_facets(frame):
    assert views.exposure_counts(frame) == {"training": 8, "excluded": 2, "other": 1, "uncertain": 1}
    assert dict(views.excluded_reasons(frame)) == {"private-message": 1, "job-application": 1}
    assert views.count_by(frame, "kind")[0] == ("post", 5)
    facets = views.facet_values(frame)
    assert facets["finding"] == ["email", "phone", "salary"]
    assert "undecided" in facets["decision"]
    assert views.riskiest(frame, 2)["risk"].to_list() == [95, 85]
    # every item with a risk, riskiest first, whole rows (the overview opens them by id)
    risky = views.riskiest(frame, 20)
    assert risky["id"].to_list() == ["post:000000000000000b", "comment:0000000000000003", "post:0000000000000000",
                                     "post:0000000000000002", "post:000000000000000a"]
    assert risky.columns == frame.columns
    assert risky.row(1, named=True) == frame.filter(pl.col("id") == "comment:0000000000000003").row(0, named=True)


def test_timeline_fills_empty_months(frame):
    months = views.timeline(frame)
    labels = [m for m, _ in months]
    assert labels[0] == "2021-12" and labels[-1] == "2023-08"
    assert len(labels) == len(set(labels)) == 21
    assert sum(n for _, n in months) == 7  # training items with a date
    assert dict(months)["2022-05"] == 0 and dict(months)["2023-02"] == 2


def test_clusters(frame):
    assert set(views.cluster_ids(frame, "post:0000000000000001")) == {"post:0000000000000001", "post:0000000000000002"}
    assert views.cluster_ids(frame, "post:0000000000000000") == ["post:0000000000000000"]
    assert ids(views.near_duplicates(frame, "post:0000000000000002")) == {"post:0000000000000001"}
    assert views.cluster_ids(frame, "missing") == []


def test_finding_spans_are_clamped_and_sorted():
    spans = views.finding_spans([{"type": "b", "start": 5, "end": 99, "text": "x"},
                                 {"type": None, "start": 0, "end": 2, "text": "y"},
                                 {"type": "c", "start": 4, "end": 4}], 10)
    assert spans == [(0, 2, ""), (5, 10, "b")]


def test_filters_and_searches_at_300k_find_rows():
    """Every kind of filter and search works on 300,000 rows (their speed is measured by
    benchmarks/bench_tui.py, not asserted here: a shared machine makes timings flaky)."""
    prepared = views.prepare(big_frame(300_000))
    words = views.vocabulary(prepared)
    cases = [Filters(exposure="training"), Filters(kind="comment", suggestion="edit"),
             Filters(search="télétravail"), Filters(search="securite", exposure="training"),
             Filters(finding="email"), Filters(search="securty formaton", search_mode="fuzzy")]
    for filters in cases:
        result = views.sort_frame(views.apply_filters(prepared, filters, words=words), "risk", descending=True)
        assert 0 < result.height < prepared.height, filters


def test_search_column_and_vocabulary_over_many_slices_are_each_texts_own():
    # Built a slice of rows at a time (views._SLICE_ROWS): every row keeps its own folded text
    # across the slice boundaries, and the vocabulary holds each word once.
    rows = 2 * views._SLICE_ROWS + 5
    frame = views.prepare(big_frame(rows))
    texts = frame["text"].to_list()
    assert frame["_search"].to_list() == [fold(t) for t in texts]
    words = views.vocabulary(frame)
    assert sorted(words) == sorted({w for t in texts for w in re.findall(r"\w+", fold(t))})


@pytest.mark.parametrize("filters", [Filters(search="ELAN  conseil"), Filters(search="tres inspirant"),
                                     Filters(search="conferance", search_mode="fuzzy"), Filters(kind="post")])
def test_a_frame_prepared_without_its_search_column_filters_the_same(frame, filters):
    """The terminal UI shows its first screen before the search column exists: a search made
    before it arrives builds it on demand and finds the same rows."""
    quick = views.prepare(sample_frame(), search=False)
    assert "_search" not in quick.columns
    found = ids(views.apply_filters(frame, filters))
    assert found and ids(views.apply_filters(quick, filters)) == found
    assert views.with_search(quick)["_search"].to_list() == frame["_search"].to_list()


def test_an_empty_frame_gets_an_empty_search_column():
    from inventory.items import empty_items

    searched = views.with_search(empty_items())
    assert searched.height == 0 and searched.schema["_search"] == pl.String
