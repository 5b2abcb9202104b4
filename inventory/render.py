"""Words at the edge: the frame stores reasons as keys and values (detect/words.py, the
policy's `exposure_reason` keys); this module turns a frame (or one batch of it) into the texts
the JSON contract names, in the member's language."""

from __future__ import annotations

import polars as pl

from inventory.detect import render_findings, render_reasons
from inventory.policy import Policy, packaged_policy, reason_words


def words(frame: pl.DataFrame, lang: str = "en", policy: Policy | None = None) -> pl.DataFrame:
    """`frame` with its words in `lang`: `exposure_reason` as text (an exclusion code stays a
    code), `risk_reasons` in place of the stored `risk_terms`, and each finding's `detail` in
    place of the stored `finding_terms`. `policy` is the one that classified the frame
    (default: the packaged one)."""
    policy = policy or packaged_policy()

    def said(key: str, lang: str) -> str:
        return reason_words(policy, key, lang)

    if "exposure_reason" in frame.columns:
        keys = frame["exposure_reason"].cast(pl.String)
        mapping = {key: said(key, lang) for key in keys.drop_nulls().unique().to_list()}
        frame = frame.with_columns(keys.replace_strict(
            list(mapping), list(mapping.values()), default=keys, return_dtype=pl.String) if mapping else keys)
    if "risk_terms" in frame.columns:
        frame = frame.with_columns(render_reasons(frame["risk_terms"], lang, said)).drop("risk_terms")
    if "finding_terms" in frame.columns and "findings" in frame.columns:
        frame = frame.with_columns(render_findings(frame["findings"], frame["finding_terms"], lang)).drop("finding_terms")
    return frame
