"""What the interface shows, computed from the analysed frame: filters, sorting, search, counts,
timeline buckets, and the one function that makes export text safe to display.

Pure functions over polars frames, no Textual or Rich: the TUI and the benchmarks call them
directly. `prepare()` adds helper columns (prefixed `_`) once per analysis so that each filter
change costs one vectorised pass (< 100 ms at 300,000 rows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta, timezone
from typing import Iterable, Mapping, Sequence

import polars as pl
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from rapidfuzz.utils import default_process

from inventory.fold import fold, fold_expr

EXPOSURES = ("training", "excluded", "other", "uncertain")
SUGGESTIONS = ("delete", "edit", "restrict", "keep", "review")
DECISIONS = ("delete", "edit", "keep", "later")
UNDECIDED = "undecided"
# Decision-filter value: items whose id was not in the previous export reviewed (state `seen`).
NEW = "new"
SEARCH_MODES = ("plain", "fuzzy")
# Columns the items table can sort on (visible ones).
SORTABLE = ("date", "kind", "exposure", "risk", "suggestion", "title")

# ---------------------------------------------------------------------------------------------
# Preparing and filtering
# ---------------------------------------------------------------------------------------------


def prepare(frame: pl.DataFrame, *, search: bool = True) -> pl.DataFrame:
    """Add the helper columns every filter relies on (computed once per analysis):
    `_row` (original position), `_finding_types` (List[String]) and, unless `search` is False,
    `_search` (see `with_search`). The terminal UI leaves `_search` for after its first screen:
    folding 300,000 texts takes a quarter of the time of a scan."""
    if "findings" in frame.columns:
        types = pl.col("findings").list.eval(pl.element().struct.field("type")).alias("_finding_types")
    else:
        types = pl.lit([], dtype=pl.List(pl.String)).alias("_finding_types")
    prepared = frame.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias("_row"), types, _reason(frame))
    return with_search(prepared) if search else prepared


def _reason(frame: pl.DataFrame) -> pl.Expr:
    """`_reason`, what the Reason filter offers: a short code for every item, the exclusion
    reason of an excluded item (private-message, salary…), else the policy rule that gave the
    verdict (the sentence in `exposure_reason` is too long for a filter)."""
    reason = pl.col("exposure_reason") if "exposure_reason" in frame.columns else pl.lit(None, dtype=pl.String)
    if "rule" not in frame.columns or "exposure" not in frame.columns:
        return reason.alias("_reason")
    return pl.when(pl.col("exposure") == "excluded").then(reason).otherwise(pl.col("rule")).alias("_reason")


# Rows folded, or split into words, at a time: each step of fold_expr and of a word split copies
# every text it is given, so a whole column at once peaks at several times the column's size.
_SLICE_ROWS = 1 << 14


def _by_slices(series: Iterable[pl.Series]) -> pl.Series:
    return pl.concat(list(series), rechunk=False)


def with_search(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with `_search`: title + field + text, folded (inventory.fold) as a query is.
    Kept as it is if already there."""
    if "_search" in frame.columns:
        return frame
    text = pl.concat_str(
        [pl.col("title").fill_null(""), pl.col("field").fill_null(""), pl.col("text").fill_null("")],
        separator=" ",
    )
    # (One slice, empty, for an empty frame: the column is there all the same.)
    return frame.with_columns(_by_slices(frame.slice(start, _SLICE_ROWS).select(fold_expr(text).alias("_search")).to_series()
                                         for start in range(0, max(frame.height, 1), _SLICE_ROWS)))


@dataclass(frozen=True)
class Filters:
    """What the user asked to see. `None` means any value."""

    exposure: str | None = None
    reason: str | None = None
    kind: str | None = None
    finding: str | None = None
    suggestion: str | None = None
    decision: str | None = None  # one of DECISIONS, UNDECIDED or NEW
    date_from: date | None = None
    date_to: date | None = None
    search: str = ""
    search_mode: str = "plain"  # plain (accent/case-insensitive) | fuzzy

    def with_(self, **changes: object) -> "Filters":
        return replace(self, **changes)

    @property
    def active(self) -> bool:
        return any(
            getattr(self, f.name) not in (None, "", "plain") for f in fields(self)
        )


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")


def parse_member_date(text: str) -> date | None:
    """A date as a member types it: `2026-02-28`, or day first as in most of Europe
    (`28/02/2026`, `28.02.2026`, `28-02-2026`); month first (`02/28/2026`) only when the day
    cannot be first. None for an empty text; ValueError for anything else. Callers show the
    understood date in words, which settles the ambiguous cases (`03/04/2026` is 3 April)."""
    raw = text.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        pass
    found = _DAY_MONTH_YEAR.fullmatch(raw)
    if found is None:
        raise ValueError(f"not a date: {raw!r}")
    first, second, year = (int(g) for g in found.groups())
    try:
        return date(year, second, first)
    except ValueError:
        return date(year, first, second)  # ValueError again if neither order is a date


def _utc(day: date, end: bool = False) -> datetime:
    moment = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    return moment + timedelta(days=1) if end else moment


def decision_ids(decisions: Mapping[str, str], action: str) -> list[str]:
    return [item for item, chosen in decisions.items() if chosen == action]


# The columns `apply_filters` reads (with `_search`'s sources, for a search built on demand).
FILTER_COLUMNS = ("id", "exposure", "_reason", "kind", "_finding_types", "suggestion", "date", "_search",
                  "title", "field", "text")


def apply_filters(
    frame: pl.DataFrame,
    filters: Filters,
    decisions: Mapping[str, str] | None = None,
    words: Sequence[str] | None = None,
    new_ids: pl.Series | None = None,
) -> pl.DataFrame:
    """Rows of a `prepare()`d frame matching every filter. `decisions` (id -> action) serves the
    decision filter, `new_ids` (see `new_since`) its NEW value; `words` is the frame's
    `vocabulary()` for fuzzy search (computed if None)."""
    conditions: list[pl.Expr] = []
    if filters.exposure:
        conditions.append(pl.col("exposure") == filters.exposure)
    if filters.reason:
        conditions.append(pl.col("_reason") == filters.reason)
    if filters.kind:
        conditions.append(pl.col("kind") == filters.kind)
    if filters.finding:
        conditions.append(pl.col("_finding_types").list.contains(filters.finding))
    if filters.suggestion:
        conditions.append(pl.col("suggestion") == filters.suggestion)
    if filters.decision:
        decisions = decisions or {}
        if filters.decision == UNDECIDED:
            conditions.append(~pl.col("id").is_in(list(decisions)))
        elif filters.decision == NEW:
            conditions.append(pl.col("id").is_in(new_ids.implode() if new_ids is not None else []))
        else:
            conditions.append(pl.col("id").is_in(decision_ids(decisions, filters.decision)))
    if filters.date_from:
        conditions.append(pl.col("date") >= _utc(filters.date_from))
    if filters.date_to:
        conditions.append(pl.col("date") < _utc(filters.date_to, end=True))
    query = filters.search.strip()
    if query:
        frame = with_search(frame)
    if query and filters.search_mode != "fuzzy":
        conditions.append(pl.col("_search").str.contains(fold(query), literal=True))
    result = frame.filter(*conditions) if conditions else frame
    if query and filters.search_mode == "fuzzy":
        result = fuzzy_search(result, query, words)
    return result


def reasons_left(frame: pl.DataFrame, filters: Filters, decisions: Mapping[str, str] | None = None,
                 words: Sequence[str] | None = None, new_ids: pl.Series | None = None,
                 view: pl.DataFrame | None = None) -> list[str]:
    """The Reason filter's values among the items every other filter leaves (`view`, the rows
    of `filters`, saves a pass when no reason is chosen)."""
    if view is None or filters.reason:
        view = apply_filters(frame, filters.with_(reason=None), decisions, words, new_ids)
    return sorted(v for v, _ in count_by(view, "_reason"))


def new_since(ids: pl.Series, seen: pl.Series) -> pl.Series:
    """Ids not in `seen` (the ids of the export reviewed last time). An empty `seen` means no
    review yet: nothing is new, rather than everything. Series, not Python sets: an export
    holds up to millions of ids."""
    if not seen.len():
        return ids.clear()
    return ids.filter(~ids.is_in(seen.implode()))


def vocabulary(frame: pl.DataFrame) -> list[str]:
    """Distinct words of a `prepare()`d frame's search column (what fuzzy search matches
    against). Compute once per analysis and pass to `apply_filters` to keep searches fast."""
    if frame.height == 0:
        return []
    search = with_search(frame)["_search"]
    words = _by_slices(search.slice(start, _SLICE_ROWS).str.extract_all(r"[\p{L}\p{N}]+").explode().unique().drop_nulls()
                       for start in range(0, search.len(), _SLICE_ROWS))
    return words.unique().to_list()


def similar_words(word: str, words: Sequence[str]) -> list[str]:
    """The word itself plus vocabulary words about one edit in four letters away (Levenshtein
    distance after default_process, at most len/4 rounded; words under four letters must match
    exactly)."""
    allowed = round(len(word) / 4) if len(word) >= 4 else 0
    if not allowed:
        return [word]
    found = process.extract(word, words, scorer=Levenshtein.distance, processor=default_process,
                            score_cutoff=allowed, limit=None)
    return [word, *(match[0] for match in found if match[0] != word)]


def fuzzy_search(frame: pl.DataFrame, query: str, words: Sequence[str] | None = None) -> pl.DataFrame:
    """Rows containing, for every word of `query`, that word or one close to it, as a whole
    word: typos and missing accents are forgiven ("conferance lyon" finds "Conférence à Lyon"),
    and a close word inside a longer one does not count ("conferance" does not find "France").
    Each query word is matched against the vocabulary (tens of thousands of words, not 300,000
    texts), then one vectorised regular expression per word filters the rows."""
    terms = default_process(fold(query)).split()
    if not terms:
        return frame
    frame = with_search(frame)
    if words is None:
        words = vocabulary(frame)
    conditions = []
    for term in terms:
        alternatives = "|".join(re.escape(w) for w in similar_words(term, words))
        conditions.append(pl.col("_search").str.contains(rf"(?:^|[^\p{{L}}\p{{N}}])(?:{alternatives})(?:$|[^\p{{L}}\p{{N}}])"))
    return frame.filter(*conditions)


def sort_frame(frame: pl.DataFrame, column: str | None, descending: bool = False) -> pl.DataFrame:
    if not column or column not in frame.columns:
        return frame
    return frame.sort(column, descending=descending, nulls_last=True, maintain_order=True)


# ---------------------------------------------------------------------------------------------
# Counts and summaries
# ---------------------------------------------------------------------------------------------


def count_by(frame: pl.DataFrame, column: str) -> list[tuple[str, int]]:
    """(value, rows) for a column, most frequent first; list columns are exploded; nulls dropped."""
    if column not in frame.columns or frame.height == 0:
        return []
    series = frame.get_column(column)
    if isinstance(series.dtype, pl.List):
        series = series.explode()
    counts = series.drop_nulls().value_counts(sort=True, name="n")
    pairs = [(str(value), int(n)) for value, n in counts.iter_rows()]
    return sorted(pairs, key=lambda p: (-p[1], p[0]))


def exposure_counts(frame: pl.DataFrame) -> dict[str, int]:
    found = dict(count_by(frame, "exposure"))
    return {name: found.get(name, 0) for name in EXPOSURES}


def excluded_reasons(frame: pl.DataFrame) -> list[tuple[str, int]]:
    # Only the two columns read: a filter copies every column it is given, of up to millions of rows.
    return count_by(frame.select("exposure", "exposure_reason").filter(pl.col("exposure") == "excluded"),
                    "exposure_reason")


def facet_values(frame: pl.DataFrame) -> dict[str, list[str]]:
    """Distinct values offered by each filter, in a stable order."""
    return {
        "exposure": [e for e in EXPOSURES],
        "reason": sorted(v for v, _ in count_by(frame, "_reason")),
        "kind": sorted(v for v, _ in count_by(frame, "kind")),
        "finding": sorted(v for v, _ in count_by(frame, "_finding_types")),
        "suggestion": [s for s in SUGGESTIONS],
        "decision": [*DECISIONS, UNDECIDED, NEW],
    }


def riskiest(frame: pl.DataFrame, limit: int = 10) -> pl.DataFrame:
    if frame.height == 0:
        return frame
    # The rows are found on their positions and sort keys, then only `limit` of them gathered
    # whole (filtering the whole frame would copy every column of every risky item).
    found = (frame.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("position"), "risk", "date")
             .filter(pl.col("risk") > 0)
             .sort(["risk", "date"], descending=[True, True], nulls_last=True, maintain_order=True)
             .head(limit))
    return frame[found["position"]]


def timeline(frame: pl.DataFrame, exposure: str = "training") -> list[tuple[str, int]]:
    """Items of one exposure created per month ("YYYY-MM", count), gaps filled with 0; per year
    when the span exceeds 8 years so the chart stays readable."""
    dated = frame.select("exposure", "date").filter((pl.col("exposure") == exposure) & pl.col("date").is_not_null())
    if dated.height == 0:
        return []
    first = dated["date"].min()
    last = dated["date"].max()
    yearly = (last.year - first.year) > 8
    if yearly:
        keyed = dated.select(pl.col("date").dt.year().cast(pl.Int64).alias("k"))
        counts = dict(keyed.group_by("k").len().iter_rows())
        return [(str(y), int(counts.get(y, 0))) for y in range(first.year, last.year + 1)]
    keyed = dated.select((pl.col("date").dt.year() * 12 + pl.col("date").dt.month() - 1).cast(pl.Int64).alias("k"))
    counts = dict(keyed.group_by("k").len().iter_rows())
    start = first.year * 12 + first.month - 1
    end = last.year * 12 + last.month - 1
    return [(f"{k // 12:04d}-{k % 12 + 1:02d}", int(counts.get(k, 0))) for k in range(start, end + 1)]


def cluster_ids(frame: pl.DataFrame, item_id: str) -> list[str]:
    """Ids of every item in the near-duplicate cluster of `item_id` (itself included)."""
    row = frame.filter(pl.col("id") == item_id)
    if row.height == 0:
        return []
    cluster = row["cluster"][0] if "cluster" in frame.columns else None
    if cluster is None:
        return [item_id]
    return frame.filter(pl.col("cluster") == cluster)["id"].to_list()


def near_duplicates(frame: pl.DataFrame, item_id: str) -> pl.DataFrame:
    ids = [i for i in cluster_ids(frame, item_id) if i != item_id]
    return frame.filter(pl.col("id").is_in(ids))


def finding_spans(findings: object, text_length: int) -> list[tuple[int, int, str]]:
    """(start, end, type) for findings that fall inside the text, sorted, clamped. Their
    explanations are not here: detect.explain_findings renders them in the member's language."""
    spans = []
    for finding in findings or []:
        start, end = finding.get("start"), finding.get("end")
        if start is None or end is None:
            continue
        start, end = max(0, int(start)), min(text_length, int(end))
        if start < end:
            spans.append((start, end, str(finding.get("type") or "")))
    return sorted(spans)

