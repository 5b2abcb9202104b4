"""Disk full while deciding in the terminal UI: the UI says at once that saving failed, keeps the
decisions in memory and retries; if the disk is still full at the end, the exit status is 3 and
the last line says the decisions were not saved (it used to say they were, with exit 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from inventory.errors import StateError
from inventory.state import DecisionStore, decode_state
from inventory.tui import app as tui_app
from inventory.tui.app import InventoryApp
from conftest import full_disk
from test_tui_support import analysis_with, loader_for, sample_frame

SIZE = (120, 36)


@pytest.fixture
def disk(monkeypatch, tmp_path):
    """`disk["full"] = True` makes every save of the state file fail with ENOSPC."""
    return full_disk(monkeypatch, tmp_path / "state" / "state.json", full=False)


def make_app(state: Path) -> InventoryApp:
    store = DecisionStore.open(state)
    return InventoryApp([], lang="en", options={}, store=store, loader=loader_for(analysis_with(sample_frame())))


def toasts(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_disk_full_is_said_at_once_decisions_kept_and_saved_when_room_returns(disk):
    app = make_app(disk["state"])
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.store.retry_interval = 0.05
        disk["full"] = True
        await pilot.press("2", "d")
        await pilot.pause()
        decided = app.screen.table.cursor_id
        assert app.store.get(decided) == "delete" and app.store.unsaved
        failed = [m for m in toasts(app) if "could not be saved" in m]
        assert failed and "disk full" in failed[0] and "retried" in failed[0]
        disk["full"] = False
        for _ in range(2000):  # the retry timer saves without any further key
            if not app.store.unsaved:
                break
            await pilot.pause(0.01)
        assert decode_state(disk["state"].read_bytes())[1] == {decided: "delete"}
        await pilot.pause()
        assert any("saved again" in m for m in toasts(app))
    assert tui_app.exit_status(app, app.store) == 0


async def test_disk_still_full_at_the_end_exits_3_and_says_so(disk, capsys):
    app = make_app(disk["state"])
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        disk["full"] = True
        await pilot.press("2", "k")
        await pilot.pause()
        decided = app.screen.table.cursor_id
        assert app.store.get(decided) == "keep"
    assert app.return_code != 1  # not a crash any more
    with pytest.raises(StateError) as caught:
        tui_app.exit_status(app, app.store)
    message = str(caught.value)
    assert caught.value.exit_status == 3
    assert str(disk["state"]) in message and "disk full" in message and "not saved" in message
    printed = capsys.readouterr()
    assert "were saved" not in printed.out + printed.err
    assert not disk["state"].exists()


def test_crash_with_unsaved_decisions_does_not_claim_they_were_saved(disk, capsys, monkeypatch):
    """Through `run`, which prints the crash line (the app overrides no private Textual method)."""
    import sys
    from functools import partialmethod

    from textual.app import App

    original = InventoryApp.on_export_loaded

    def loaded_then_explode(self, message) -> None:
        original(self, message)
        disk["full"] = True
        self.decide([self.session.frame["id"][0]], "delete")
        raise RuntimeError("boom")

    monkeypatch.setattr(InventoryApp, "on_export_loaded", loaded_then_explode)
    monkeypatch.setattr(InventoryApp, "run", partialmethod(App.run, headless=True, size=SIZE))
    monkeypatch.setattr(tui_app, "load_with_pipeline", loader_for(analysis_with(sample_frame())))
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    assert tui_app.run([], lang="en", options={"state_path": disk["state"]}) == 1
    printed = capsys.readouterr()
    assert "internal error" in printed.err and "NOT be saved" in printed.err and "were saved" not in printed.err
