"""Terminal UI speed on a heavy synthetic export (about 300,000 items), against `inventory scan`
measured in the same run (not a timed test).

first_screen = from app start to the refresh that draws the overview of the loaded export
               (headless, 140x45); the search column is built after it
scan         = what `inventory scan EXPORT` computes and prints (analysis + plain summary)
filter/search = median time of the UI's refilter (filters + search + sort + table sync) over a
                set of typical changes, measured inside the running app

    python benchmarks/bench_tui.py --scale 143
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

from inventory import pipeline, views
from inventory.report import render_scan
from inventory.samples import build_export, write_zip
from inventory.state import DecisionStore
from inventory.tui.app import InventoryApp

CHANGES = [
    dict(exposure="training"), dict(exposure=None, kind="post"), dict(kind=None, suggestion="edit"),
    dict(suggestion=None, finding="phone"), dict(finding=None, search="salaire"),
    dict(search="lyon data"), dict(search="conferance", search_mode="fuzzy"),
    dict(search="", search_mode="plain", decision=views.UNDECIDED if hasattr(views, "UNDECIDED") else None),
    dict(decision=None),
]


async def first_screen(archive: Path, state: Path) -> tuple[float, list[float], int]:
    store = DecisionStore.open(state)
    app = InventoryApp([archive], lang="en", options={}, store=store)
    drawn: list[float] = []
    after_first_screen = app._after_first_screen

    def record(prepared) -> None:  # called after the refresh that drew the loaded overview
        drawn.append(time.perf_counter())
        after_first_screen(prepared)

    app._after_first_screen = record
    started = time.perf_counter()
    async with app.run_test(size=(140, 45)) as pilot:
        while not drawn:
            await asyncio.sleep(0.005)
        shown = drawn[0] - started
        await pilot.pause()  # the search column and vocabulary, built after the first screen
        await pilot.press("2")  # the items screen, so refilters redraw the table
        await pilot.pause()
        timings = []
        for change in CHANGES:
            app.session.filters = app.session.filters.with_(**change)
            t = time.perf_counter()
            app.refilter()
            await pilot.pause()
            timings.append(time.perf_counter() - t)
        rows = app.session.frame.height
    store.close()
    return shown, timings, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=143)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / "Complete_LinkedInDataExport_11-21-2026.zip"
        write_zip(build_export("complete", scale=args.scale), archive)
        scans = []
        for _ in range(2):
            t = time.perf_counter()
            render_scan(pipeline.analyse([archive]))
            scans.append(time.perf_counter() - t)
        runs = [asyncio.run(first_screen(archive, Path(folder) / f"state{i}.json")) for i in range(2)]
    shown = min(r[0] for r in runs)
    timings = [t for r in runs for t in r[1]]
    print(json.dumps({
        "items": runs[0][2],
        "scan_s": round(min(scans), 3),
        "first_screen_s": round(shown, 3),
        "first_screen_over_scan": round(shown / min(scans), 2),
        "refilter_median_ms": round(statistics.median(timings) * 1000, 1),
        "refilter_max_ms": round(max(timings) * 1000, 1),
    }, indent=1))


if __name__ == "__main__":
    main()
