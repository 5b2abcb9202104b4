"""Pilot tests of the flow a new member meets (issue 15): deciding safely, inputs that must not
fail silently, what the screens say. On hand-built frames (tests/test_tui_support.py)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from textual.widgets import Button, Select

from inventory.tui.app import InventoryApp
from inventory.tui.screens.main import ItemsScreen
from inventory.tui.screens.modals import ChoiceModal
from test_tui_support import analysis_with, loader_for, sample_analysis, sample_frame, screen_text

SMALL, LARGE = (80, 24), (130, 40)


def make_app(tmp_path: Path, analysis=None, lang: str = "en", **options) -> InventoryApp:
    options.setdefault("state_path", tmp_path / "state" / "state.json")
    return InventoryApp([], lang=lang, options=options, loader=loader_for(analysis or sample_analysis()))


async def ready(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


def items_screen(app) -> ItemsScreen:
    assert isinstance(app.screen, ItemsScreen)
    return app.screen


# --- 1. bulk decisions open on a harmless choice, arrows move, labels whole -------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_bulk_dialog_opens_on_cancel_with_whole_labels_at_80_columns(tmp_path, lang):
    app = make_app(tmp_path, analysis_with(sample_frame()), lang=lang)
    async with app.run_test(size=SMALL) as pilot:
        await ready(app, pilot)
        await pilot.press("2", "a")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        assert app.focused is app.screen.query_one("#choice-cancel")
        shown = screen_text(app)
        for button in app.screen.query(Button):
            caption = str(button.label)
            assert caption in shown, caption  # not cut
            region = button.region
            assert region.right <= SMALL[0] and region.width >= len(caption) + 2, caption
        await pilot.press("enter")  # Enter typed ahead cancels
        await pilot.pause()
        assert app.store.all() == {}


async def test_bulk_dialog_arrows_move_between_buttons_and_reopens_on_a_harmless_answer(tmp_path):
    app = make_app(tmp_path, analysis_with(sample_frame()))
    async with app.run_test(size=SMALL) as pilot:
        await ready(app, pilot)
        await pilot.press("2", "a")
        await pilot.pause()
        await pilot.press("left")
        assert app.focused is app.screen.query_one("#choice-later")
        await pilot.press("left", "right", "right")
        assert app.focused is app.screen.query_one("#choice-cancel")
        await pilot.press("left", "enter")
        await pilot.pause()
        assert set(app.store.all().values()) == {"later"}
        await pilot.press("a")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#choice-later")  # the last, harmless answer
        await pilot.press("left", "left", "left", "enter")  # delete
        await pilot.pause()
        assert set(app.store.all().values()) == {"delete"}
        await pilot.press("a")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#choice-cancel")  # never a destructive one


# --- 2. space selects in place; a bulk decision clears the selection ----------------------------------


async def test_space_selects_without_moving_and_a_decision_clears_the_selection(tmp_path):
    app = make_app(tmp_path, analysis_with(sample_frame()))
    async with app.run_test(size=SMALL) as pilot:
        await ready(app, pilot)
        await pilot.press("2")
        table = items_screen(app).table
        first = table.cursor_id
        await pilot.press("space")
        assert table.cursor_id == first and table.selected == {first}
        await pilot.press("down", "space")
        second = table.cursor_id
        await pilot.press("k")
        await pilot.pause()
        assert app.store.all() == {first: "keep", second: "keep"}
        assert not table.selected
        await pilot.press("space", "a")
        await pilot.pause()
        await pilot.click("#choice-later")
        await pilot.pause()
        assert not table.selected
        assert set(app.store.all().values()) == {"later"}
