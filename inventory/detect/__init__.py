"""Detectors: what in the exposed material is risky, and what to do about each item.

`detect(frame)` takes the classified item table (ITEM_SCHEMA + exposure, exposure_reason, flags)
and adds findings, risk, risk_terms (the risk reasons as keys and values, words.py),
suggestion, suggested_text, action_url and cluster.
Only rows whose exposure is training or uncertain are read; the vectorised pre-filters choose
the few rows on which per-row Python runs.
"""

from __future__ import annotations

import polars as pl

from inventory.fold import fold_words_expr
from inventory.items import distinct_rows, filled, items_frame

from .duplicates import find_clusters
from .explain import explain_findings, explain_reasons, finding_term
from .findings import FINDING_TYPES, Finding, resolve_overlaps
from .patterns import PATTERN_DETECTORS, Context
from .people import cell_names as _people_cells, find_people
from .risk import PROFILE_NOTE, action_url_expr, assess
from .rules import Rules, load_rules
from .text import token_index
from .words import parse_term, render_findings, render_reasons, term, type_label
from .watchlist import WatchList, WatchListError, WatchTerm, find_watchlist, load_watchlist

__all__ = [
    "FINDING_TYPES", "Finding", "WatchList", "WatchTerm", "WatchListError", "load_watchlist",
    "detect", "detect_text", "FINDINGS_DTYPE", "PROFILE_NOTE", "load_rules",
    "explain_findings", "explain_reasons", "type_label", "cell_names", "render_reasons", "render_findings",
    "TERMS_DTYPE",
]

# A finding holds its place and matched text, no words: its explanation is the term beside it.
FINDINGS_DTYPE = pl.List(pl.Struct({"type": pl.String, "start": pl.Int64, "end": pl.Int64, "text": pl.String}))
# finding_terms: per finding (same order as `findings`), its explanation as a term (words.py);
# risk_terms: the risk reasons as terms. Neither is in the JSON output, which renders each
# finding's `detail` from finding_terms and `risk_reasons` from risk_terms (render.py).
ADDED_COLUMNS = ("findings", "finding_terms", "risk", "risk_terms", "suggestion", "suggested_text",
                 "action_url", "cluster")


def cell_names(rules: Rules | None = None) -> frozenset[str]:
    """The original cells `detect` reads (people's names), to add to its input as
    `fields.<cell>` columns (ScanResult.with_cells); absent ones read as empty."""
    return _people_cells(rules or load_rules())


def _regions(rules: Rules, lang_hint: str | None) -> tuple[str, ...]:
    cfg = rules["phone"]
    regions = list(cfg["regions"])
    first = cfg["lang_regions"].get((lang_hint or "")[:2].lower())
    if first:
        regions.remove(first) if first in regions else None
        regions.insert(0, first)
    return tuple(regions)


def _field_findings(frame: pl.DataFrame, scan: pl.Series) -> dict[int, list[Finding]]:
    """Profile cells whose column says what they are (the whole value is the finding)."""
    by_field = {"Birth Date": ("birth-date", "profile-birth-date"), "Address": ("address", "profile-address")}
    # Two filters: the strip runs only on the few profile fields, not on every text.
    rows = (frame.select("kind", "field", "text").with_row_index("row")
            .filter(scan & (pl.col("kind") == "profile-field") & pl.col("field").is_in(list(by_field)))
            .filter(pl.col("text").str.strip_chars() != ""))
    out: dict[int, list[Finding]] = {}
    for row, _, fld, text in rows.iter_rows():
        ftype, key = by_field[fld]
        out[row] = [Finding.explained(0, len(text), ftype, text, key)]
    return out


def detect(frame: pl.DataFrame, watchlist: WatchList | None = None, *,
           lang_hint: str | None = None, rules: Rules | None = None) -> pl.DataFrame:
    rules = rules or load_rules()
    frame = frame.drop([c for c in ADDED_COLUMNS if c in frame.columns])
    for col, dtype in (("exposure", pl.String), ("exposure_reason", pl.String), ("flags", pl.List(pl.String))):
        if col not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=dtype).alias(col))
    ctx = Context(_regions(rules, lang_hint))
    scan = frame.select(
        (pl.col("exposure").is_in(rules["scan_exposures"]) & pl.col("text").is_not_null()
         & (pl.col("text") != "")).fill_null(False)).to_series()

    found: dict[int, list[Finding]] = {}

    def add(more: dict[int, list[Finding]]) -> None:
        for row, fs in more.items():
            found.setdefault(row, []).extend(fs)

    # Pattern detectors: one lazy pass computes every pre-filter mask (polars runs them in
    # parallel), over the scanned rows only: most rows of an export (messages, reactions,
    # connections) are never read. Python runs on hits only.
    texts = frame["text"]
    prefilters = (
        frame.lazy().select("text").with_row_index("_row").filter(scan)
        .with_columns(pl.col("text").str.to_lowercase().alias("_lower"))
        .select("_row", *[d.prefilter(rules).fill_null(False).alias(d.name) for d in PATTERN_DETECTORS])
    )
    # Folding (NFKD + punctuation collapse) is the costliest expression: only on rows searched
    # for names and near-duplicates. The text column alone is filtered: filtering the frame would
    # copy every column of those rows. Collected with the masks: polars runs both side by side.
    dup = rules["duplicates"]
    needs_fold = scan | (frame["kind"].is_in(dup["kinds"]) | (
        (frame["kind"] == "profile-field") & frame["field"].is_in(dup["profile_fields"]))).fill_null(False)
    masks, subset = pl.collect_all([prefilters, frame.lazy().select("text").with_row_index("_row").filter(needs_fold)
                                    .select("_row", fold_words_expr(pl.col("text")).alias("f"))])
    for det in PATTERN_DETECTORS:
        for row in masks["_row"].filter(masks[det.name]).to_list():
            fs = det.find(texts[row], rules, ctx)
            if fs:
                found.setdefault(row, []).extend(fs)
    add(_field_findings(frame, scan))

    # Names and watch-list terms share one folded column and one token index.
    people_scan = scan & frame["kind"].is_in(rules["people"]["scan_kinds"])
    needs_index = bool(watchlist and watchlist.terms) or frame["kind"].is_in(list(rules["people"]["sources"])).any()
    folded = filled(None, frame.height, pl.String, "folded").scatter(
        subset["_row"], subset["f"])
    del subset
    index: set[str] = set()
    if needs_index:
        index = token_index(folded.filter(scan))
        add(find_people(frame, people_scan, folded, index, rules))
        if watchlist and watchlist.terms:
            add(find_watchlist(frame, scan, folded, index, watchlist))
    clusters = find_clusters(frame, folded, rules)
    del folded, index, masks  # not held while the added columns are made
    return _assemble(frame, found, clusters, rules)


# The reason each row's risk would have without findings depends only on these two columns.
_KEYS = ["exposure", "exposure_reason"]
TERMS_DTYPE = pl.List(pl.Categorical)


def _pairs(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.Series]:
    """The distinct (exposure, exposure_reason) pairs (a few dozen) and each row's position
    among them (a join or a `unique` on the two string keys of every row would cost 15-20 MiB
    at 210,000 rows)."""
    keys = frame.select(_KEYS)
    first, positions = distinct_rows(keys)
    return keys[first], positions


def _defaults(pairs: pl.DataFrame, rules: Rules) -> pl.DataFrame:
    """Risk and risk terms of a row `assess` need not see, per (exposure, exposure_reason)
    pair: `assess` itself on a row without findings or flags."""
    risks, terms = [], []
    for exposure, reason in pairs.iter_rows():
        a = assess(None, exposure, reason, "", None, [], [], rules)
        risks.append(a.risk)
        terms.append(a.stored_terms)
    return pl.DataFrame([pl.Series("default_risk", risks, dtype=pl.Int64),
                         pl.Series("default_terms", terms, dtype=pl.List(pl.String))])


def _assessed(frame: pl.DataFrame, found: dict[int, list[Finding]], rules: Rules) -> pl.DataFrame:
    """`assess` on the rows where the defaults would differ from it: rows with findings, and
    scanned rows carrying a flag that scores points (a flag worth nothing, such as
    eu-lookback-unknown on nearly every exposed row, leaves the defaults exact)."""
    r = rules["risk"]
    scanned = pl.col("exposure").is_in(rules["scan_exposures"]).fill_null(False)
    scoring_flags = [flag for flag, points in r["flag_points"].items() if points]
    scored_flag = (pl.col("flags").list.eval(pl.element().is_in(scoring_flags)).list.any().fill_null(False)
                   if scoring_flags else pl.lit(False))
    with_findings = pl.col("_row").is_in(list(found))
    # Two filters: the flags (a list per row) are searched on the scanned rows only.
    to_assess = (frame.select("text", "exposure", "exposure_reason", "kind", "visibility", "flags")
                 .with_row_index("_row").filter(with_findings | scanned).filter(with_findings | scored_flag))
    # Built as flat columns, grouped by polars: a list column from Python lists is slow.
    per_row: dict[str, list] = {k: [] for k in ("_row", "risk", "suggestion", "suggested_text")}
    reasons: dict[str, list] = {k: [] for k in ("_row", "term")}
    flat: dict[str, list] = {k: [] for k in ("_row", "type", "start", "end", "text", "term")}
    for row, text, exposure, reason, kind, vis, flags in to_assess.iter_rows():
        fs = resolve_overlaps(found.get(row, []))
        a = assess(text, exposure, reason, kind, vis, flags, fs, rules)
        for name, value in zip(per_row, (row, a.risk, a.suggestion, a.suggested_text)):
            per_row[name].append(value)
        for stored in a.stored_terms:
            reasons["_row"].append(row)
            reasons["term"].append(stored)
        for f in fs:
            for name, value in zip(flat, (row, f.type, f.start, f.end, f.text, finding_term(f))):
                flat[name].append(value)
    findings = (
        pl.DataFrame(flat, schema={"_row": pl.UInt32, "type": pl.String, "start": pl.Int64,
                                   "end": pl.Int64, "text": pl.String, "term": pl.String})
        .group_by("_row", maintain_order=True)
        .agg(pl.struct("type", "start", "end", "text").alias("findings"),
             pl.col("term").alias("finding_terms"))
    )
    return (
        pl.DataFrame(per_row, schema={"_row": pl.UInt32, "risk": pl.Int64, "suggestion": pl.String,
                                      "suggested_text": pl.String})
        .join(pl.DataFrame(reasons, schema={"_row": pl.UInt32, "term": pl.String})
              .group_by("_row", maintain_order=True).agg(pl.col("term").alias("risk_terms")),
              on="_row", how="left", maintain_order="left")
        .join(findings, on="_row", how="left", maintain_order="left")
    )


def _special(pairs_of: pl.Series, defaults: pl.DataFrame, assessed: pl.DataFrame,
             clusters: dict[int, str]) -> pl.DataFrame:
    """The added columns of the rows assessed or in a near-duplicate group (a small part of
    the export), with the group's reason appended to their terms; `pairs_of`: each row's
    (exposure, exposure_reason) pair, the position of its defaults."""
    rows = pl.Series("_row", sorted({*assessed["_row"].to_list(), *clusters}), dtype=pl.UInt32)
    cluster_frame = pl.DataFrame({"_row": list(clusters), "cluster": list(clusters.values())},
                                 schema={"_row": pl.UInt32, "cluster": pl.String})
    cluster_terms = {cid: term("cluster", {"cluster": cid}) for cid in set(clusters.values())}
    cluster_term = pl.col("cluster").replace_strict(
        list(cluster_terms), list(cluster_terms.values()), default=None, return_dtype=pl.String)
    return (
        pl.DataFrame([rows]).hstack(defaults[pairs_of.gather(rows)])
        .join(assessed, on="_row", how="left", maintain_order="left")
        .join(cluster_frame, on="_row", how="left", maintain_order="left")
        .with_columns(pl.col("risk").fill_null(pl.col("default_risk")),
                      pl.col("risk_terms").fill_null(pl.col("default_terms")))
        .with_columns(pl.when(pl.col("cluster").is_not_null()).then(pl.col("risk_terms").list.concat(
            pl.concat_list([cluster_term]))).otherwise(pl.col("risk_terms")).alias("risk_terms"))
        .drop("default_risk", "default_terms")
    )


def _assemble(frame: pl.DataFrame, found: dict[int, list[Finding]], clusters: dict[int, str],
              rules: Rules) -> pl.DataFrame:
    # From the input's own columns, and first: its look-ups' working memory is given back
    # before the added columns exist (at 1.7 million rows the peak is 45 MiB lower than last).
    action_url = frame.select(action_url_expr(rules))
    pairs, pairs_of = _pairs(frame)
    defaults = _defaults(pairs, rules)
    special = _special(pairs_of, defaults, _assessed(frame, found, rules), clusters)
    # Every row's added values are one row of a small table: its pair's defaults, or its own
    # row among the special ones. The added columns are that table gathered once per row and
    # put beside the input: a join of every row with the defaults and the special rows would
    # copy each column several times, and joining the whole input would copy it for nothing.
    # Risk terms are categorical: the same few dozen terms repeat on every row. One chunk: a
    # gather from list columns of two chunks took 300 MiB and 0.5 s at 210,000 rows.
    table = pl.concat([
        defaults.select(
            pl.col("default_risk").alias("risk"), pl.col("default_terms").alias("risk_terms"),
            pl.lit("keep").alias("suggestion"), pl.lit(None, dtype=pl.String).alias("suggested_text"),
            pl.lit([], dtype=FINDINGS_DTYPE).alias("findings"),
            pl.lit([], dtype=pl.List(pl.String)).alias("finding_terms"),
            pl.lit(None, dtype=pl.String).alias("cluster")),
        special.select("risk", "risk_terms", pl.col("suggestion").fill_null(pl.lit("keep")), "suggested_text",
                       pl.col("findings").fill_null(pl.lit([], dtype=FINDINGS_DTYPE)),
                       pl.col("finding_terms").fill_null(pl.lit([], dtype=pl.List(pl.String))), "cluster"),
    ], rechunk=True).with_columns(pl.col("risk_terms").cast(TERMS_DTYPE))
    positions = pairs_of.scatter(special["_row"], pl.int_range(defaults.height, table.height, dtype=pl.UInt32,
                                                               eager=True))
    added = table[positions]
    return frame.hstack([*added.get_columns(), action_url.to_series()])


def detect_text(text: str, watchlist: WatchList | None = None, *, lang_hint: str | None = None,
                people: list[tuple[str, str]] | None = None, member: tuple[str, str] | None = None,
                rules: Rules | None = None) -> list[Finding]:
    """Findings for one text treated as an exposed post; `people` = connections' (first, last)."""
    rows: list[dict] = [{"id": "post:0", "kind": "post", "file_kind": "shares", "text": text}]
    # Connections' names as the cells a Connections.csv row gives.
    cells: dict[str, list[str | None]] = {"fields.First Name": [None], "fields.Last Name": [None]}
    for i, (first, last) in enumerate(people or []):
        rows.append({"id": f"connection:{i}", "kind": "connection", "file_kind": "connections"})
        cells["fields.First Name"].append(first)
        cells["fields.Last Name"].append(last)
    if member:
        rows.append({"id": "profile-field:f", "kind": "profile-field", "field": "First Name", "text": member[0]})
        rows.append({"id": "profile-field:l", "kind": "profile-field", "field": "Last Name", "text": member[1]})
        for column in cells.values():
            column += [None, None]
    frame = items_frame(rows).with_columns(
        [pl.Series(name, values, dtype=pl.String) for name, values in cells.items()]
    ).with_columns(
        pl.when(pl.col("id") == "post:0").then(pl.lit("training")).otherwise(pl.lit("other")).alias("exposure"),
        pl.lit(None, dtype=pl.String).alias("exposure_reason"),
        pl.lit([], dtype=pl.List(pl.String)).alias("flags"),
    )
    out = detect(frame, watchlist, lang_hint=lang_hint, rules=rules)
    terms = [parse_term(x) for x in out["finding_terms"][0]]
    return [Finding(f["start"], f["end"], f["type"], f["text"], parsed[0] if parsed else "",
                    tuple((k, str(v)) for k, v in parsed[1].items()) if parsed else ())
            for f, parsed in zip(out["findings"][0], terms)]
