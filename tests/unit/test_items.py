"""items.distinct_rows: the distinct key combinations of a frame and each row's, as the policy's
rule chain (policy._match_rules) and the detectors' defaults (detect._pairs) use them."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from inventory.items import distinct_rows


def check(frame: pl.DataFrame) -> None:
    first, positions = distinct_rows(frame)
    rows = frame.rows()
    firsts = {}
    for i, row in enumerate(rows):
        firsts.setdefault(row, i)
    # One row per distinct combination, the first holding it; every row points at its own.
    assert sorted(first.to_list()) == sorted(firsts.values())
    assert [rows[first[p]] for p in positions.to_list()] == rows


values = st.sampled_from([None, "", "a", "b", "A", "a ", "é", "training", "uncertain"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(values, values, st.sampled_from([None, True, False])), max_size=40))
def test_each_row_points_at_the_first_row_of_its_combination(rows):
    frame = pl.DataFrame(rows, schema={"s": pl.String, "t": pl.String, "b": pl.Boolean}, orient="row")
    check(frame)
    check(frame.with_columns(pl.col("t").cast(pl.Categorical)))


def test_null_empty_and_false_are_values_of_their_own():
    frame = pl.DataFrame({"s": [None, "", None, "x", ""], "b": [None, False, False, None, False]})
    first, positions = distinct_rows(frame)
    assert first.len() == 4
    assert positions[1] == positions[4] != positions[2]


def test_more_key_bits_than_an_integer_holds():
    # 70 boolean columns: the combinations so far are numbered before more codes are packed.
    # Rows 2k and 2k+1 differ in the first column only, whose code would be shifted out.
    import random

    rng = random.Random(7)
    rest = [[rng.random() < 0.5 for _ in range(69)] for _ in range(150)]
    rows = [[first, *bits] for bits in rest for first in (False, True)]
    frame = pl.DataFrame(rows, schema=[f"c{i}" for i in range(70)], orient="row")
    frame = pl.concat([frame, frame.head(50)])  # repeated combinations
    check(frame)
    assert distinct_rows(frame)[0].len() == 300


def test_an_empty_frame_has_no_combination():
    first, positions = distinct_rows(pl.DataFrame(schema={"s": pl.String, "b": pl.Boolean}))
    assert first.len() == positions.len() == 0
