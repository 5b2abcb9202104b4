"""The item table: one row per thing LinkedIn holds about the member.

This schema is the contract between every stage (readers -> policy -> detectors -> decisions ->
views). Later stages add columns; they never rename or drop these.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Iterable, Mapping

import polars as pl

ITEM_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String(),  # stable across exports of the same member, "<kind>:<16 hex>"
    "source": pl.String(),  # archive member path, wrapping folders stripped
    "line": pl.Int64(),  # 1-based physical line where the record starts (1 for HTML files)
    "kind": pl.String(),  # one of KINDS
    "file_kind": pl.String(),  # catalogue id of the source file ("shares", "profile", ... "unknown")
    "field": pl.String(),  # column name for per-field items (Profile), question for Q/A sub-items
    "date": pl.Datetime("us", "UTC"),
    "title": pl.String(),
    "text": pl.String(),  # full plain text (HTML converted, entities decoded)
    "url": pl.String(),  # link to the item on LinkedIn where derivable
    "visibility": pl.String(),  # Shares `Visibility` etc., else null
    "parent": pl.String(),  # id of the enclosing item (job application of a Q/A pair)
    "fields": pl.String(),  # JSON object of the original cells
}

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

_SPACE_RE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Case-, accent- and whitespace-insensitive form used for ids and matching."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE_RE.sub(" ", stripped).strip()


def key_expr(parts: list[pl.Expr]) -> pl.Expr:
    """An item's natural key as one string: parts normalised for case and white space (so the
    same item in a later export, with other line ends or spacing, keeps its id) and joined."""
    cleaned = [p.cast(pl.String).fill_null("").str.replace_all(r"\s+", " ").str.strip_chars().str.to_lowercase()
               for p in parts]
    return pl.concat_str(cleaned, separator="\x1f")


def hash_ids(kind: str | pl.Series, keys: pl.Series) -> pl.Series:
    """`<kind>:<16 hex>` ids from key strings. blake2b, not polars' hash, because ids must stay
    the same across library versions: decisions are keyed by them."""
    kinds = [kind] * len(keys) if isinstance(kind, str) else kind.to_list()
    blake = hashlib.blake2b
    sep = "\x1e"
    return pl.Series("id", [k + ":" + blake((k + sep + key).encode(), digest_size=8).hexdigest()
                            for k, key in zip(kinds, keys.to_list())], dtype=pl.String)


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


def conform(frame: pl.DataFrame) -> pl.DataFrame:
    """Reorder/cast a frame to ITEM_SCHEMA, adding null columns that are missing."""
    exprs = []
    for name, dtype in ITEM_SCHEMA.items():
        if name in frame.columns:
            exprs.append(pl.col(name).cast(dtype))
        else:
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
    return frame.select(exprs)
