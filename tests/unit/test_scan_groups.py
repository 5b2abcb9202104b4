"""How scan.py groups the small members for its workers: runs of consecutive members of about
the same weight, and the same items whatever the grouping."""

from __future__ import annotations

import random
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor

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


def test_the_largest_member_is_read_beside_the_small_ones_and_alone_among_the_large(monkeypatch):
    """Its reading, the longest, starts with the first small group (not after every small one);
    no other large member is read meanwhile: its parse is the export's largest transient."""
    archive = SAMPLES / "Complete_LinkedInDataExport_11-21-2026.zip"
    with zipfile.ZipFile(archive) as z:
        sizes = {info.filename: info.file_size for info in z.infolist()}
    monkeypatch.setattr(scan, "_LARGE_MEMBER", 1500)  # messages.csv and three more are large
    large = {path for path, size in sizes.items() if size >= 1500}
    largest = max(large, key=sizes.__getitem__)
    assert len(large) >= 3 and len(sizes) - len(large) >= 2 * scan._WORKERS
    events: list[tuple[str, tuple[str, ...]]] = []
    lock = threading.Lock()
    read_group = scan._read_group

    def recorded(members, *args):
        paths = tuple(entry.path for _, entry, _ in members)
        with lock:
            events.append(("start", paths))
        try:
            return read_group(members, *args)
        finally:
            with lock:
                events.append(("end", paths))

    submitted: list[tuple[str, ...]] = []

    class Pool(ThreadPoolExecutor):
        def submit(self, fn, members, *args):
            submitted.append(tuple(entry.path for _, entry, _ in members))
            return super().submit(fn, members, *args)

    monkeypatch.setattr(scan, "_read_group", recorded)
    monkeypatch.setattr(scan, "ThreadPoolExecutor", Pool)
    scan.scan_exports([archive])
    assert submitted.index((largest,)) == 1  # handed over right after the first small group
    assert len(submitted[0]) > 1 and len(submitted[2]) > 1  # the small groups around it
    during = events[events.index(("start", (largest,))) + 1:events.index(("end", (largest,)))]
    assert not [paths for event, paths in during if event == "start" and set(paths) & large]
    assert {paths for paths in submitted if set(paths) & large} == {(path,) for path in large}
