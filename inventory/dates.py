"""Every date format of the export (docs/export-format.md §3), parsed in one vectorised step.

Zone-less values are taken as UTC ("Store zone-less values as naive with a
tz_assumed=UTC flag"); the export never says otherwise. Values no format accepts stay in the
item's original fields and are counted as a warning, never guessed.
"""

from __future__ import annotations

import polars as pl

# Ordered: the first format that parses a value wins. Literal " UTC"/"(GMT)" parts are part of
# the pattern so that a value is only accepted in the exact shape LinkedIn writes.
FORMATS: tuple[str, ...] = (
    "%Y-%m-%d %H:%M:%S UTC",  # 2 messages DATE
    "%Y-%m-%d %H:%M:%S",  # 3 Shares, Comments, Reactions ...
    "%Y/%m/%d %H:%M:%S UTC",  # 4 Endorsements, SearchQueries, Ads Clicked
    "%m/%d/%y, %I:%M %p",  # 6 Invitations, Registration, Job Applications ...
    "%m/%d/%y %I:%M %p UTC",  # 7 Receipts_v2
    "%a %b %d %H:%M:%S UTC %Y",  # 8 Java Date.toString: Logins, Company Follows
    "%Y-%m-%d %H:%M UTC",  # 9 Learning
    "%Y-%m-%dT%H:%M:%S",  # 19 pre-2020 messages
    "%Y-%m-%d %H:%M",  # 17 article created/published (prefix stripped by the reader)
    "%d %b %Y",  # 1 Connections Connected On
    "%b %d, %Y %I:%M %p",  # 14 Events, first half of the range
    "%B %d, %Y at %I:%M %p",  # 15 Rich_Media sentence, after extraction
    "%b %d, %Y",  # 13 Publications
    "%Y/%m/%d",  # 5 LAN Ads Engagement
    "%Y-%m-%d",  # 16 Verifications
    "%d-%b-%y",  # Excel re-save of format 1
    "%b %Y",  # 10 Positions, Education ...
    "%Y",  # 11 year only
)

# Values that mean "no date" and are not a parse failure.
NO_DATE = ("", "N/A", "n/a", "---", "-")

_RICH_MEDIA = r"on (.+?) \(GMT\)\s*$"


def _prepare(values: pl.Series) -> pl.Series:
    """Bring the two sentence/range shapes to a plain value before trying FORMATS (only when the
    column holds them: the regexes are the costly part at 100,000 rows)."""
    col = pl.col(values.name).str.strip_chars()
    if values.str.contains(" (GMT)", literal=True).any():
        sentence = col.str.extract(_RICH_MEDIA, 1)
        col = pl.when(sentence.is_not_null()).then(sentence).otherwise(col)
    if values.str.contains(" - ", literal=True).any():
        # Event ranges "Sep 18, 2025 06:00 PM - Sep 18, 2025 08:00 PM": keep the start.
        col = col.str.split(" - ").list.first()
    return values.to_frame().select(col)[values.name]


def _try(values: pl.Series, formats: tuple[str, ...] | list[str]) -> pl.Series:
    frame = values.to_frame("v")
    return frame.select(pl.coalesce(
        [pl.col("v").str.strptime(pl.Datetime("us"), fmt, strict=False) for fmt in formats]).alias("d"))["d"]


# Columns shorter than this are parsed together, trying every format: finding a column's own
# formats first costs a few polars calls, more than trying them all on a few hundred values.
_OWN_FORMATS_FROM = 1000


def parse_dates(values: pl.Series, groups: pl.Series | None = None) -> pl.Series:
    """Parse a string column holding any export date format; unparsed values become null.

    `groups` labels contiguous runs of values from one source file. A long run uses one or two
    formats: they are found on a sample, the run is parsed with those only, and whatever is left
    is tried with every format. Short runs are parsed together with every format. Formats are
    always tried in FORMATS order, so a value parses the same whichever way it is read."""
    name = values.name
    values = values.cast(pl.String)
    lengths = groups.rle().struct.field("len").to_list() if groups is not None else [len(values)]
    runs, offset = [], 0
    for length in lengths:
        runs.append((offset, length))
        offset += length
    short = [(o, n) for o, n in runs if n < _OWN_FORMATS_FROM]
    short_parsed = _parse_run(pl.concat([values.slice(o, n) for o, n in short]), own_formats=False) \
        if short else None
    pieces, taken = [], 0
    for o, n in runs:
        if n < _OWN_FORMATS_FROM:
            pieces.append(short_parsed.slice(taken, n))  # type: ignore[union-attr]
            taken += n
        else:
            pieces.append(_parse_run(values.slice(o, n), own_formats=True))
    parsed = pl.concat(pieces) if pieces else pl.Series("d", [], dtype=pl.Datetime("us"))
    return parsed.dt.replace_time_zone("UTC").alias(name)


def _parse_run(values: pl.Series, *, own_formats: bool) -> pl.Series:
    if not own_formats:
        return _try(_prepare(values.alias("v")), FORMATS)
    values = values.alias("v")
    present = values.is_not_null() & (values != "")
    sample = _prepare(values.filter(present).head(200))
    if sample.len() == 0:
        return pl.Series("d", [None] * len(values), dtype=pl.Datetime("us"))
    # One pass over the sample for all formats: which ones parse anything at all.
    hits = sample.to_frame("v").select(
        [pl.col("v").str.strptime(pl.Datetime("us"), fmt, strict=False).is_not_null().any().alias(str(i))
         for i, fmt in enumerate(FORMATS)]).row(0)
    candidates = [fmt for fmt, hit in zip(FORMATS, hits) if hit]
    # The run as written; only what that leaves (padding, sentences, other formats) is prepared
    # and tried with every format.
    parsed = _try(values, candidates) if candidates else pl.Series("d", [None] * len(values),
                                                                   dtype=pl.Datetime("us"))
    left = present & parsed.is_null()
    if left.any():
        rows = left.arg_true()
        parsed = parsed.scatter(rows, _try(_prepare(values.gather(rows)), FORMATS))
    return parsed


def unparsed(raw: pl.Series, parsed: pl.Series) -> pl.Series:
    """Which values were written but no format accepted ("N/A", "-" and blanks are no date, not
    failures). The cheap test runs on every value, the text one only where nothing parsed."""
    failed = parsed.is_null() & raw.is_not_null() & (raw != "")
    if failed.any():
        rows = failed.arg_true()
        failed = failed.scatter(rows, ~raw.gather(rows).str.strip_chars().is_in(list(NO_DATE)))
    return failed


def count_unparsed(raw: pl.Series, parsed: pl.Series) -> int:
    """How many non-empty values no format accepted (reported as a warning)."""
    return int(unparsed(raw, parsed).sum())
