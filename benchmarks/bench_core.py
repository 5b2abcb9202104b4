"""Speed of core steps that tests used to time (wall-clock limits do not belong in tests: a
loaded machine fails them). Each is measured here and compared with its budget; the tests keep
the behaviour checks.

detect   = detectors on 20,000 synthetic posts (tests/unit/test_detect.py builds the same frame)
views    = median of filter, search and fuzzy search with sort on 300,000 rows (terminal UI)
overlap  = refusing a quoted-overlap zip bomb (100 entries; zipfile 3.11.7 reads ~1 GB)

    python benchmarks/bench_core.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path[:0] = [str(TESTS), str(TESTS / "unit")]

import zipbuild as zb  # noqa: E402
from test_detect import conn, frame  # noqa: E402
from test_tui_support import big_frame  # noqa: E402

from inventory import views  # noqa: E402
from inventory.archive import open_source  # noqa: E402
from inventory.detect import WatchList, WatchTerm, detect  # noqa: E402
from inventory.errors import ArchiveError  # noqa: E402
from inventory.views import Filters  # noqa: E402

BUDGETS = {"detect": 10.0, "views": 0.1, "overlap": 1.0}  # seconds


def bench_detect() -> float:
    templates = ["Great quarter for the team, thanks everyone {i}", "Call Marie Dupont on 06 12 34 56 78 about order {i}",
                 "We are hiring in Lyon, apply now {i} and share", "Budget {i} € approved for the European Union project"]
    rows = [conn(0, "Marie", "Dupont")] + [
        {"id": f"post:{i}", "kind": "post", "text": templates[i % 4].format(i=i)} for i in range(20_000)]
    f = frame(rows)
    started = time.perf_counter()
    detect(f, WatchList((WatchTerm("Acme", (), 90, "[client]"),)))
    return time.perf_counter() - started


def bench_views() -> float:
    prepared = views.prepare(big_frame(300_000))
    words = views.vocabulary(prepared)
    cases = [Filters(exposure="training"), Filters(kind="comment", suggestion="edit"),
             Filters(search="télétravail"), Filters(search="securite", exposure="training"),
             Filters(finding="email"), Filters(search="securty formaton", search_mode="fuzzy")]
    timings = []
    for filters in cases * 3:
        started = time.perf_counter()
        views.sort_frame(views.apply_filters(prepared, filters, words=words), "risk", descending=True)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def bench_overlap() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "overlap.zip"
        path.write_bytes(zb.quoted_overlap_bomb(entries=100, kernel_bytes=10 * 1024 * 1024))
        started = time.perf_counter()
        try:
            with open_source(path) as source:
                for entry in source.entries:
                    source.read(entry)
        except ArchiveError:
            pass
        return time.perf_counter() - started


def main() -> int:
    over = 0
    for name, bench in (("detect", bench_detect), ("views", bench_views), ("overlap", bench_overlap)):
        seconds = bench()
        within = seconds < BUDGETS[name]
        over += not within
        print(f"{name:8} {seconds * 1000:9.1f} ms   budget {BUDGETS[name] * 1000:8.0f} ms   "
              f"{'ok' if within else 'OVER'}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
