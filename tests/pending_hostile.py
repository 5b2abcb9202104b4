"""Checklist cases (reliability-and-security.md §4) whose required behaviour the code does not have
yet. NOT collected by the default run (the name does not start with test_); run them with
`pytest tests/pending_hostile.py`. Each test states the required safe behaviour; once the code is
fixed, move the test into tests/test_hostile_input.py and update test_coverage_of_checklist.py."""

from __future__ import annotations



async def test_tiny_terminal_says_too_small(tmp_path):  # 68
    """Required: at 20x5 (and resized to 1x1) no crash and a visible "terminal too small".
    Fix: in tui/app.py, on_resize: below a minimum (e.g. 40x10) show a single Static with the
    tui.toml string `too-small` instead of the screens."""
    from inventory.state import DecisionStore
    from inventory.tui.app import InventoryApp

    store = DecisionStore.open(tmp_path / "state.json")
    app = InventoryApp([], lang="en", options={}, store=store)
    async with app.run_test(size=(20, 5)) as pilot:
        await pilot.pause(0.5)
        await pilot.resize_terminal(1, 1)
        await pilot.pause(0.2)
        shown = " ".join(str(w.render()) for w in app.screen.walk_children() if hasattr(w, "render"))
    store.close()
    assert "too small" in shown.lower()
