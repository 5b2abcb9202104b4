"""Words at the edge: the frame stores reasons as keys and values (detect/words.py); this
module turns a frame (or one batch of it) into the texts the JSON contract names."""

from __future__ import annotations

import polars as pl

from inventory.detect import render_reasons


def words(frame: pl.DataFrame, lang: str = "en") -> pl.DataFrame:
    """`frame` with `risk_reasons` (sentences in `lang`) in place of the stored `risk_terms`."""
    if "risk_terms" not in frame.columns:
        return frame
    return frame.with_columns(render_reasons(frame["risk_terms"], lang)).drop("risk_terms")
