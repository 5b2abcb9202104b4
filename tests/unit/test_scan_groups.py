"""How scan.py groups the small members for its workers: runs of consecutive members of about
the same weight, and the same items whatever the grouping."""

from __future__ import annotations

import random

import polars.testing
import pytest

from inventory import scan
from inventory.scan import _shares

from conftest import SAMPLES


@pytest.mark.parametrize("seed", range(20))
def test_small_members_are_cut_into_consecutive_runs_of_about_the_same_weight(seed):
    rng = random.Random(seed)
    indices = sorted(rng.sample(range(500), rng.randint(1, 120)))
    weights = {i: rng.choice([1, 1, 1, 5, 40]) for i in indices}
    count = rng.randint(1, 4)
    shares = _shares(indices, weights.__getitem__, count)
    assert [i for share in shares for i in share] == indices  # every member once, in order
    assert len(shares) == min(count, len(indices)) and all(shares)
    totals = [sum(weights[i] for i in share) for share in shares]
    heaviest = max(weights.values())
    # Each run ends at the first member that takes it past its part of the whole.
    assert max(totals) - min(totals) <= sum(weights.values()) / count + heaviest


def test_the_items_are_the_same_whatever_the_grouping(monkeypatch):
    archive = [SAMPLES / "Complete_LinkedInDataExport_11-21-2026.zip"]
    split = scan.scan_exports(archive)
    monkeypatch.setattr(scan, "_shares", lambda indices, size, count: [indices] if indices else [])
    together = scan.scan_exports(archive)
    assert split.items.height > 0
    polars.testing.assert_frame_equal(split.items, together.items)
    assert [f.as_dict() for f in split.files] == [f.as_dict() for f in together.files]
