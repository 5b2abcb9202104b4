"""Pilot tests of the flow a new member meets (issue 15): deciding safely, inputs that must not
fail silently, what the screens say. On hand-built frames (tests/test_tui_support.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Button, Input

from inventory import views
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


# --- 5. dates typed in other habits; Escape leaves any box; placeholders match labels --------------


@pytest.mark.parametrize("typed, expected", [("2026-02-28", date(2026, 2, 28)), ("28/02/2026", date(2026, 2, 28)),
                                             ("28.02.2026", date(2026, 2, 28)), ("28-02-2026", date(2026, 2, 28)),
                                             ("02/28/2026", date(2026, 2, 28)), ("3/4/2026", date(2026, 4, 3)),
                                             ("  ", None)])
def test_member_dates_in_every_habit(typed, expected):
    assert views.parse_member_date(typed) == expected


@pytest.mark.parametrize("typed", ["31/13/2026", "2026/02/28", "28/02/26", "yesterday", "30.02.2026"])
def test_member_dates_refused(typed):
    with pytest.raises(ValueError):
        views.parse_member_date(typed)


async def test_context_form_reads_a_french_date_and_says_what_it_understood(tmp_path):
    app = make_app(tmp_path, lang="fr")
    async with app.run_test(size=SMALL) as pilot:
        await ready(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        box = app.screen.query_one("#opted-out", Input)
        assert "AAAA" in box.placeholder and "YYYY" not in box.placeholder
        assert "JJ/MM/AAAA" in box.placeholder or "AAAA-MM-JJ" in box.placeholder
        box.value = "31/31/2026"
        await pilot.pause()
        assert "Date non comprise" in screen_text(app)
        box.value = "28.02.2026"
        await pilot.pause()
        assert "28 février 2026" in screen_text(app)
        await pilot.click("#apply")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session.analysis.context.opted_out_on == date(2026, 2, 28)


async def test_date_filter_reads_other_habits_and_escape_leaves_the_box(tmp_path):
    app = make_app(tmp_path, analysis_with(sample_frame()))
    async with app.run_test(size=LARGE) as pilot:
        await ready(app, pilot)
        await pilot.press("2")
        screen = items_screen(app)
        screen.query_one("#date-from", Input).focus()
        await pilot.press(*"15.02.2023")
        assert app.session.filters.date_from == date(2023, 2, 15)
        await pilot.press("escape")
        assert app.focused is screen.table and app.session.filters.date_from == date(2023, 2, 15)
        assert any("February 15, 2023" in n.message for n in app._notifications)
        screen.query_one("#date-to", Input).focus()
        await pilot.press(*"99/99/2023", "enter")
        assert app.focused is screen.table
        assert any("Not a date" in n.message for n in app._notifications)


# --- 6. the member context set with `m` is kept with the state --------------------------------------


async def test_member_context_persists_for_the_next_start_and_the_commands(tmp_path):
    from inventory.cli import _analysis_kwargs

    state = tmp_path / "state" / "state.json"
    seen_options: list[dict] = []

    def loader(paths, options, progress, cancelled):
        seen_options.append(dict(options))
        return sample_analysis()

    app = InventoryApp([], lang="en", options={"state_path": state}, loader=loader)
    async with app.run_test(size=LARGE) as pilot:
        await ready(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one("#region", Input).value = "CH"
        app.screen.query_one("#opted-out", Input).value = "01/03/2025"
        await pilot.click("#apply")
        await app.workers.wait_for_complete()
        await pilot.pause()
    again = InventoryApp([], lang="en", options={"state_path": state}, loader=loader)
    async with again.run_test(size=LARGE) as pilot:
        await ready(again, pilot)
    assert seen_options[-1]["region"] == "CH" and seen_options[-1]["opted_out_on"] == date(2025, 3, 1)
    kwargs = _analysis_kwargs({}, state)
    assert kwargs["region"] == "CH" and kwargs["opted_out_on"] == date(2025, 3, 1) and not kwargs["minor"]
    flagged = _analysis_kwargs({"region": "FR", "opted_out_on": None}, state)
    assert flagged["region"] == "FR" and flagged["opted_out_on"] == date(2025, 3, 1)  # a flag wins


async def test_clearing_the_opt_out_date_clears_it(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=LARGE) as pilot:
        await ready(app, pilot)
        for typed, expected in (("2020-01-01", date(2020, 1, 1)), ("", None)):
            await pilot.press("m")
            await pilot.pause()
            app.screen.query_one("#opted-out", Input).value = typed
            await pilot.click("#apply")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.session.analysis.context.opted_out_on == expected
