"""Near-duplicate clusters among the member's own texts (posts, comments, articles, summary).

Blocking keeps the cost near-linear: texts are grouped by the first and by the last
`block_chars` characters of their folded form (computed in polars). Only texts sharing a block
are compared, with rapidfuzz `ratio` (folding processor), against the block's cluster leaders;
two texts edited at both ends are not paired (accepted: the cost stays bounded).
"""

from __future__ import annotations

import hashlib

import polars as pl
from rapidfuzz import fuzz, process

from .rules import Rules


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def find_clusters(frame: pl.DataFrame, folded: pl.Series, rules: Rules) -> dict[int, str]:
    """Row position -> cluster id ("dup:<8 hex>") for rows in a cluster of two or more."""
    cfg = rules["duplicates"]
    n = cfg["block_chars"]
    own = pl.col("kind").is_in(cfg["kinds"]) | (
        (pl.col("kind") == "profile-field") & pl.col("field").is_in(cfg["profile_fields"]))
    cand = (
        frame.select(own.alias("own"), pl.col("id"))
        .with_columns(folded.str.strip_chars(" ").alias("f"))
        .with_row_index("row")
        .filter(pl.col("own") & (pl.col("f").str.len_chars() >= cfg["min_chars"]))
        .with_columns(pl.col("f").str.head(n).alias("head"), pl.col("f").str.tail(n).alias("tail"))
    )
    if cand.height < 2:
        return {}
    texts = dict(zip(cand["row"].to_list(), cand["f"].to_list()))
    uf = _UnionFind()
    for key in ("head", "tail"):
        groups = (cand.group_by(key).agg(pl.col("row").sort()).filter(pl.col("row").list.len() > 1))
        for rows in groups["row"].to_list():
            _cluster_block(rows, texts, uf, cfg["min_ratio"])
    members: dict[int, list[int]] = {}
    for row in uf.parent:
        members.setdefault(uf.find(row), []).append(row)
    ids = frame["id"]
    out: dict[int, str] = {}
    for rows in members.values():
        if len(rows) < 2:
            continue
        first_id = min(str(ids[r]) for r in rows)
        cid = "dup:" + hashlib.blake2b(first_id.encode(), digest_size=4).hexdigest()
        for r in rows:
            out[r] = cid
    return out


def _cluster_block(rows: list[int], texts: dict[int, str], uf: _UnionFind, min_ratio: int) -> None:
    # Leader clustering: each text is compared with the leaders found so far, not with every
    # other text, so a big block (many posts opening with the same phrase) stays cheap.
    leaders: list[int] = []
    leader_texts: list[str] = []
    for row in rows:
        best = process.extractOne(texts[row], leader_texts, scorer=fuzz.ratio, score_cutoff=min_ratio) if leaders else None
        if best is None:
            leaders.append(row)
            leader_texts.append(texts[row])
        else:
            uf.union(leaders[best[2]], row)
