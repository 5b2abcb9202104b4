"""SVG snapshots of the main screens on the bundled sample, at a fixed size and theme. They pin
layout only; behaviour is asserted in test_tui.py. Regenerate with
`pytest tests/snapshots/test_tui_snapshots.py --snapshot-update` after a deliberate visual change."""

from __future__ import annotations

from pathlib import Path

from inventory.tui.app import InventoryApp
from test_tui_support import loader_for, sample_analysis

SIZE = (120, 36)


def sample_app(tmp_path: Path) -> InventoryApp:
    return InventoryApp([], lang="en", options={"state_path": tmp_path / "state.json", "theme": "textual-dark"},
                        loader=loader_for(sample_analysis()))


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()


def test_overview_snapshot(snap_compare, tmp_path):
    """Overview: exposure/reason/kind counts, member context, timeline, riskiest list."""
    assert snap_compare(sample_app(tmp_path), terminal_size=SIZE, run_before=settle)


def test_items_snapshot(snap_compare, tmp_path):
    """Items: filter row, search row, virtual table sorted by risk, counts and what-if lines."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("2", "d", "down", "k")
        await pilot.pause()

    assert snap_compare(sample_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_detail_snapshot(snap_compare, tmp_path):
    """Detail of the riskiest item: highlighted findings, verdict, suggestion, link."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("2", "enter")
        await pilot.pause()

    assert snap_compare(sample_app(tmp_path), terminal_size=SIZE, run_before=run_before)


def test_help_snapshot(snap_compare, tmp_path):
    """Help screen over the overview."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(sample_app(tmp_path), terminal_size=SIZE, run_before=run_before)
