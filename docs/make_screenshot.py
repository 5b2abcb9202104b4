"""Regenerate docs/screenshot.svg: the real flow on the bundled sample at 130x40, textual-dark
theme: the Items screen after the member filtered the training material, deleted the riskiest
item and kept the next one (the "what if" line shows the effect).

    python docs/make_screenshot.py

Runs headless (Textual's test driver); the sample is invented data built by our generator.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from inventory.tui.app import InventoryApp

SIZE = (130, 40)
OUTPUT = Path(__file__).resolve().parent / "screenshot.svg"


async def main() -> None:
    with tempfile.TemporaryDirectory(prefix="inventory-shot-") as folder:
        app = InventoryApp([], lang="en", options={"state_path": Path(folder) / "state.json",
                                                    "theme": "textual-dark"})
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("2")
            app.screen.query_one("#filter-exposure").value = "training"
            await pilot.pause()
            await pilot.press("d", "down", "k")
            await pilot.pause()
            app.clear_notifications()
            await pilot.pause()
            app.save_screenshot(OUTPUT.name, str(OUTPUT.parent))
    print(OUTPUT)


if __name__ == "__main__":
    asyncio.run(main())
