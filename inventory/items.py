"""The item table: one row per thing LinkedIn holds about the member.

This schema is the contract between every stage (readers -> policy -> detectors -> decisions ->
views). Later stages add columns; they never rename or drop these.
"""

from __future__ import annotations

import functools
import threading
from typing import TYPE_CHECKING, Iterable, Mapping

import polars as pl
import polars_hash  # noqa: F401  (registers the `nchash` expression namespace: XXH3)

if TYPE_CHECKING:
    from polars._typing import PolarsDataType

ITEM_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String(),  # stable across exports of the same member, "<kind>:<16 hex>"
    "source": pl.String(),  # archive member path, wrapping folders stripped
    "line": pl.Int64(),  # 1-based physical line where the record starts (1 for HTML files)
    "row": pl.Int64(),  # 0-based row of the member's table that holds the item's original cells
    "kind": pl.String(),  # one of KINDS
    "file_kind": pl.String(),  # catalogue id of the source file ("shares", "profile", ... "unknown")
    "field": pl.String(),  # column name for per-field items (Profile), question for Q/A sub-items
    "date": pl.Datetime("us", "UTC"),
    "title": pl.String(),
    "text": pl.String(),  # full plain text (HTML converted, entities decoded)
    "url": pl.String(),  # link to the item on LinkedIn where derivable
    "visibility": pl.String(),  # Shares `Visibility` etc., else null
    "parent": pl.String(),  # id of the enclosing item (job application of a Q/A pair)
    "media": pl.List(pl.String()),  # URLs of a post's media (one row per medium in Shares), else null
}
# The original cells are not copied into the item table: ScanResult.originals keeps each member's
# parsed table once, and (source, row) points into it (ScanResult.cells / with_cells).

# Item kinds. Readers must use these names; policy rules and the UI rely on them.
KINDS: tuple[str, ...] = (
    # profile
    "profile-field", "position", "education", "skill", "language", "certification", "honor",
    "project", "publication", "patent", "volunteering", "course", "organization", "test-score",
    "recommendation-received", "recommendation-given", "endorsement-received",
    "endorsement-given", "media", "resume", "verification",
    # content
    "post", "comment", "repost", "vote", "article", "note",
    # activity
    "reaction", "saved-item", "follow", "event", "group", "learning", "search-query",
    # messages
    "message", "ai-chat",
    # network
    "connection", "invitation", "imported-contact",
    # jobs
    "job-application", "job-application-answer", "saved-job", "job-preference", "saved-answer",
    "job-alert", "job-posting", "service-listing",
    # ads
    "ad-targeting", "ad-click", "ad-engagement", "inference",
    # account
    "email-address", "phone-number", "registration", "account-setting", "login",
    "security-event", "receipt",
    # anything the catalogue does not know
    "unknown",
)

KEY_SEPARATOR = "\x1f"


def key_expr(parts: list[pl.Expr], identifiers: frozenset[int] = frozenset()) -> pl.Expr:
    """An item's natural key as one string: its parts joined, text parts lower-cased (so a later
    export that changes case keeps the id). Parts at the positions in `identifiers` (URLs, URNs,
    ids, dates) are taken as written. Nothing more is normalised: LinkedIn writes a stored value
    the same way in every export, each string pass costs about 3 ms per 100,000 rows, and a text
    the member edited gets a new id anyway (`verify` re-finds it by fuzzy matching)."""
    cleaned = [part.cast(pl.String).fill_null("") if position in identifiers
               else part.cast(pl.String).fill_null("").str.to_lowercase()
               for position, part in enumerate(parts)]
    return cleaned[0] if len(cleaned) == 1 else pl.concat_str(cleaned, separator=KEY_SEPARATOR)


_HEX4_BUILT = threading.Lock()  # the reading threads all ask for it first thing: built once


def _hex4() -> pl.Series:
    with _HEX4_BUILT:
        return _hex4_table()


@functools.cache
def _hex4_table() -> pl.Series:
    """The 65,536 four-digit hex strings, by value (built by polars in one query: a Python
    loop cost 30 ms of every start)."""
    codes = pl.int_range(0, 65536)
    nibbles = pl.lit(pl.Series(list("0123456789abcdef")))
    return pl.select(pl.concat_str([nibbles.gather(codes // 16 ** (3 - i) % 16) for i in range(4)])).to_series()


def id_expr(kind: pl.Expr, digest: pl.Expr) -> pl.Expr:
    """`<kind>:<16 hex>` from `key_digest` of the natural key. Give `digest` as a column, not
    as the hash itself: it is read four times, and polars does not share a plugin call between
    uses (the hash would run four times)."""
    # Four hex digits per 16 bits, looked up by position (polars has no integer-to-hex).
    hex_digits = [pl.lit(_hex4()).gather(digest // (65536 ** (3 - i)) % 65536) for i in range(4)]
    return pl.concat_str([kind, pl.lit(":"), *hex_digits])


def key_digest(key: pl.Expr) -> pl.Expr:
    """XXH3-64 of a natural key: a published, frozen hash (computed by polars-hash, checked
    against the reference implementation in the tests), not polars' own hash, because ids must
    stay the same across library versions: decisions are keyed by them."""
    return key.nchash.xxh3_64()  # type: ignore[attr-defined]  # a plugin namespace


def hash_ids(kind: str | pl.Series, keys: pl.Series) -> pl.Series:
    """Ids for a Series of keys made by `key_expr`."""
    kinds = pl.Series("k", [kind] * len(keys), dtype=pl.String) if isinstance(kind, str) else kind.alias("k")
    digests = pl.DataFrame([kinds, keys.alias("key")]).with_columns(key_digest(pl.col("key")).alias("d"))
    return digests.select(id_expr(pl.col("k"), pl.col("d")).alias("id"))["id"]


def item_id(kind: str, *key_parts: object) -> str:
    """The id of one item (same computation as the vectorised readers use)."""
    frame = pl.DataFrame({f"p{i}": pl.Series([None if p is None else str(p)], dtype=pl.String)
                          for i, p in enumerate(key_parts)}) if key_parts else pl.DataFrame({"p0": [""]})
    keys = frame.select(key_expr([pl.col(c) for c in frame.columns]).alias("k"))["k"]
    return hash_ids(kind, keys)[0]


def empty_items() -> pl.DataFrame:
    return pl.DataFrame(schema=ITEM_SCHEMA)


def items_frame(rows: Iterable[Mapping[str, object]]) -> pl.DataFrame:
    """Build a frame in ITEM_SCHEMA from dict rows (missing keys become null)."""
    rows = list(rows)
    if not rows:
        return empty_items()
    cols = {name: [r.get(name) for r in rows] for name in ITEM_SCHEMA}
    return pl.DataFrame(cols, schema=ITEM_SCHEMA)


def filled(value: object, length: int, dtype: PolarsDataType, name: str = "") -> pl.Series:
    """`value` `length` times, made from a one-element Series: `pl.repeat(..., eager=True)` runs
    a query (0.25 ms a call, paid per file and per cell read)."""
    return pl.Series(name, [value], dtype=dtype).new_from_index(0, length)


def distinct_rows(frame: pl.DataFrame) -> tuple[pl.Series, pl.Series]:
    """The first row of each distinct combination of `frame`'s values (string, categorical or
    boolean columns) and, per row, the position of its combination among those rows.

    For a rule or a default computed once per distinct key of a few key columns and given back
    to every row: each value is a small integer code (a string's code among the column's own
    distinct strings) and a row's codes are packed into one 32-bit integer, so no row's strings
    are hashed together or copied. A `unique` then a join on four string columns took 40 MiB at
    210,000 rows, this 11; 64-bit codes took 90 MiB at 1.7 million rows, these 59."""
    packed: pl.Series | None = None
    width = 0
    for column in frame.get_columns():
        if column.dtype == pl.Boolean:
            codes, top = column.cast(pl.UInt32), 1
        else:
            if column.dtype == pl.String:  # codes 0, 1, ... for this column's strings only
                column = column.cast(pl.Categorical(pl.Categories.random()))
            codes = column.to_physical()
            top = int(codes.max() or 0)  # type: ignore[arg-type]  # an integer column's maximum
        if column.null_count():  # null: the code after the last
            top += 1
            codes = codes.fill_null(top)
        bits = top.bit_length()
        if packed is not None and width + bits > 32:  # no room left: number the combinations so far
            first, packed = _distinct_codes(packed)
            width = (first.len() - 1).bit_length()
        packed = codes if packed is None else packed * (1 << bits) + codes
        width += bits
    if packed is None:
        raise ValueError("distinct_rows needs at least one column")
    return _distinct_codes(packed)


def _distinct_codes(codes: pl.Series) -> tuple[pl.Series, pl.Series]:
    """distinct_rows of one column of integer codes: the distinct codes sorted, each row's
    found by binary search."""
    first = codes.arg_unique()
    keyed = pl.DataFrame({"code": codes.gather(first), "row": first}).sort("code")
    return keyed["row"], keyed["code"].search_sorted(codes)
