"""Item ids: XXH3-64 computed by polars-hash must equal the reference implementation, so that an
id never changes with a library upgrade (decisions are keyed by ids)."""

from __future__ import annotations

import re

import polars as pl
import xxhash
from hypothesis import given, settings
from hypothesis import strategies as st

from inventory.items import KEY_SEPARATOR, hash_ids, item_id, key_expr


def reference_id(kind: str, key: str) -> str:
    return f"{kind}:{xxhash.xxh3_64_intdigest(key.encode('utf-8')):016x}"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=300), min_size=1, max_size=50))
def test_vectorised_ids_equal_the_reference_xxh3(keys):
    ids = hash_ids("message", pl.Series(keys, dtype=pl.String)).to_list()
    assert ids == [reference_id("message", key) for key in keys]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.text(max_size=80))
def test_item_id_lowercases_text_parts_and_joins_them(first, second):
    expected = reference_id("post", first.lower() + KEY_SEPARATOR + second.lower())
    assert item_id("post", first, second) == expected


def test_identifier_parts_are_taken_as_written():
    frame = pl.DataFrame({"url": ["https://www.linkedin.com/in/Camille"], "text": ["Bonjour"]})
    key = frame.select(key_expr([pl.col("url"), pl.col("text")], frozenset({0})).alias("k"))["k"]
    assert key.to_list() == ["https://www.linkedin.com/in/Camille" + KEY_SEPARATOR + "bonjour"]
    assert hash_ids("connection", key)[0] == reference_id("connection", key[0])


def test_ids_have_the_documented_shape_and_differ_by_kind():
    ids = hash_ids("post", pl.Series(["", "a", "é" * 10_000]))
    assert all(re.fullmatch(r"post:[0-9a-f]{16}", i) for i in ids)
    assert len(set(ids)) == 3
    assert item_id("post", "x") != item_id("comment", "x")
