"""ScanResult.cells: each item's original cell, gathered from its file's table by row, whatever
the mix of files with and without the column (few runs are kept as chunks, many are scattered)."""

from __future__ import annotations

import random
from datetime import date

import polars as pl
import pytest

from inventory.scan import ScanResult


def _scan(layout: list[tuple[str, bool, int]], seed: int) -> tuple[ScanResult, list[str | None]]:
    """Files in `layout` (name, has the column, rows), items in runs of one file each, rows in a
    shuffled order; and the expected cells, computed row by row."""
    rng = random.Random(seed)
    originals, sources, rows, expected = {}, [], [], []
    for name, has_column, height in layout:
        values = [None if rng.random() < 0.2 else f"{name}-{i}" for i in range(height)]
        table = {"Other": [f"o{i}" for i in range(height)]}
        if has_column:
            table["Geo Location"] = values  # asked for as "GeoLocation": matched by column_key
        originals[name] = pl.DataFrame(table, schema=dict.fromkeys(table, pl.String))
        order = list(range(height))
        rng.shuffle(order)
        sources += [name] * height
        rows += order
        expected += [values[r] if has_column else None for r in order]
    items = pl.DataFrame({"source": sources, "row": rows}, schema={"source": pl.String, "row": pl.Int64})
    return ScanResult([], [], items, [], originals=originals), expected


@pytest.mark.parametrize("files", [3, 40, 300])  # few runs (chunks) and many (scattered)
def test_cells_follow_each_items_file_and_row(files):
    rng = random.Random(files)
    layout = [(f"f{i}.csv", rng.random() < 0.5, rng.randint(1, 30)) for i in range(files)]
    scan, expected = _scan(layout, files)
    cells = scan.cells(scan.items, "GeoLocation")
    assert cells.dtype == pl.String and cells.name == "GeoLocation"
    assert cells.to_list() == expected
    assert scan.with_cells(scan.items, ["GeoLocation"])["fields.GeoLocation"].to_list() == expected


def test_a_cell_no_file_has_is_null_everywhere():
    scan, _ = _scan([("a.csv", True, 5), ("b.csv", False, 3)], 1)
    assert scan.cells(scan.items, "Nowhere").to_list() == [None] * 8
    assert scan.cells(scan.items.clear(), "Nowhere").to_list() == []


def test_released_cells_are_refused_not_read_as_empty():
    scan, expected = _scan([("a.csv", True, 5)], 2)
    assert scan.cells(scan.items, "GeoLocation").to_list() == expected
    scan.release_cells()
    assert scan.originals == {}
    with pytest.raises(RuntimeError, match="released"):
        scan.cells(scan.items, "GeoLocation")


def test_a_command_that_exits_gives_the_same_verdicts_without_keeping_the_cells():
    """The CLI releases the cells once read (pipeline.analyse(keep_cells=False)): the verdicts
    and findings are those of an analysis that keeps them."""
    from inventory import pipeline

    kept = pipeline.analyse_sample()
    released = pipeline.analyse_sample(keep_cells=False)
    assert released.cells is None
    assert kept.frame.equals(released.frame)


def test_an_analysis_keeps_only_the_cells_it_reads_again():
    """The originals go once read, whatever the caller: the UI keeps only the `fields.<cell>`
    columns the policy and detectors read, and re-classifying from them gives what a fresh
    analysis of the same exports with that context gives."""
    from inventory import detect, pipeline, policy as policy_mod

    kept = pipeline.analyse_sample()
    assert kept.scan.cells_released and kept.scan.originals == {}
    wanted = {f"fields.{name}" for name in policy_mod.load_policy(None).cell_names() | detect.cell_names()}
    assert kept.cells is not None and set(kept.cells.columns) == wanted
    assert kept.cells.height == kept.scan.items.height
    assert kept.cells.select(pl.any_horizontal(pl.all().is_not_null())).to_series().any()
    again = pipeline.reclassify(kept, region="FR", opted_out_on=date(2025, 12, 1))
    fresh = pipeline.analyse_sample(region="FR", opted_out_on=date(2025, 12, 1))
    assert again.frame.equals(fresh.frame)
    assert not again.frame.equals(kept.frame)


def test_a_released_analysis_refuses_to_reclassify():
    from inventory import pipeline

    with pytest.raises(RuntimeError, match="released"):
        pipeline.reclassify(pipeline.analyse_sample(keep_cells=False), region="FR")
