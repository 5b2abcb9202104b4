"""inventory.fold: its Python and polars forms agree on any text, and fold what they promise."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inventory import views
from inventory.detect import detect_text
from inventory.fold import fold, fold_expr, fold_words, fold_words_expr, fold_words_with_map
from inventory.policy import normalise_region
from inventory.views import Filters

sys.path.insert(0, str(Path(__file__).parents[1]))
from test_tui_support import sample_frame  # noqa: E402

# Any character assigned in Python's Unicode database. Surrogates cannot reach polars; code points
# unassigned there (Cn) may be letters in the newer Unicode polars is built with, and no export
# written by LinkedIn's software uses characters that new.
TEXT = st.text(st.characters(exclude_categories=("Cs", "Cn")), max_size=40)
# Letters with case and accents, and the characters casefolding treats specially, more often.
TRICKY = st.text(st.sampled_from("aAßẞςΣσİıiIǅﬁ²ÉéE\u0301 \t\n\u00a0\u3000.,-'’ÆæØøŒœ"), max_size=30)


def polars_form(expr, texts: list[str]) -> list[str]:
    return pl.DataFrame({"t": texts}, schema={"t": pl.String}).select(expr(pl.col("t"))).to_series().to_list()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(TEXT, TRICKY), min_size=1, max_size=20))
def test_python_and_polars_forms_agree_on_any_text(texts):
    assert polars_form(fold_expr, texts) == [fold(t) for t in texts]
    assert polars_form(fold_words_expr, texts) == [fold_words(t) for t in texts]


def test_python_and_polars_forms_agree_on_every_character():
    """Each assigned character after a Greek capital sigma (which lower-cases by context) and
    before a letter."""
    texts = [f"Σ{chr(i)}b" for i in range(0x110000) if unicodedata.category(chr(i)) not in ("Cs", "Cn")]
    for python, expr in ((fold, fold_expr), (fold_words, fold_words_expr)):
        mismatched = [t for t, p in zip(texts, polars_form(expr, texts)) if p != python(t)]
        assert mismatched == []


@settings(max_examples=300, deadline=None)
@given(st.one_of(TEXT, TRICKY))
def test_word_map_points_each_folded_character_at_its_source(text):
    folded, index = fold_words_with_map(text)
    assert len(index) == len(folded)
    for ch, i in zip(folded, index):
        if ch != " ":
            assert ch in fold(text[i])


def test_casefolding_beyond_lower_case():
    assert fold("Straße") == fold("STRASSE") == fold("strasse") == fold("STRAẞE") == "strasse"
    assert fold("ΟΔΥΣΣΕΥΣ") == fold("οδυσσευς") == "οδυσσευσ"


def test_accents_ligatures_and_white_space():
    assert fold("  Élodie\u00a0 Ünal\t") == "elodie unal"
    assert fold("Ｅｌｏｄｉｅ ﬁne ²") == "elodie fine 2"
    assert fold("İstanbul") == "istanbul"
    assert fold("e\u0301") == fold("é") == "e"


def test_punctuation_is_kept_by_fold_and_separates_words_in_fold_words():
    assert fold("C++, Jean-Luc") == "c++, jean-luc"
    assert fold_words("C++, Jean-Luc") == " c jean luc "
    assert fold_words("") == fold_words("...") == "  "
    folded, index = fold_words_with_map("Ève, Zoë")
    assert folded == " eve zoe "
    assert index[1:4] == [0, 1, 2] and index[5:8] == [5, 6, 7]


# --- its users fold the same way ---------------------------------------------------------------


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    base = sample_frame()
    texts = ["Nous habitons Hauptstraße 5.", "Wir wohnen in der Hauptstrasse 7.", "ΟΔΥΣΣΕΥΣ était là."]
    replaced = base.head(len(texts)).with_columns(pl.Series("text", texts))
    return views.prepare(pl.concat([replaced, base.slice(len(texts))]))


@pytest.mark.parametrize("query", ["Straße", "strasse", "STRASSE", "STRAẞE", "straße 5"])
def test_search_for_a_sharp_s_finds_both_spellings(frame, query):
    found = views.apply_filters(frame, Filters(search=query))["text"].to_list()
    expected = {"Nous habitons Hauptstraße 5.", "Wir wohnen in der Hauptstrasse 7."}
    assert expected & set(found) == (expected if query != "straße 5" else {"Nous habitons Hauptstraße 5."})


def test_search_for_a_greek_final_sigma(frame):
    assert views.apply_filters(frame, Filters(search="οδυσσευς"))["text"].to_list() == ["ΟΔΥΣΣΕΥΣ était là."]


def test_fuzzy_search_folds_the_query_as_the_texts(frame):
    found = views.apply_filters(frame, Filters(search="hauptstraße", search_mode="fuzzy"))["text"].to_list()
    assert {"Nous habitons Hauptstraße 5.", "Wir wohnen in der Hauptstrasse 7."} <= set(found)


def test_people_detector_matches_a_name_spelled_with_or_without_sharp_s():
    found = detect_text("Merci à JÜRGEN GROSS pour son aide", people=[("Jürgen", "Groß")])
    assert [(f.type, f.text) for f in found] == [("person", "JÜRGEN GROSS")]


def test_country_names_fold_like_everything_else():
    assert normalise_region("Österreich") == normalise_region("osterreich") == "eu"
