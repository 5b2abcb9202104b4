"""Regenerate docs/screenshot.svg: the app on the bundled sample, 120x36, textual-dark theme.

    python docs/make_screenshot.py

Runs headless (Textual's test driver); the sample is invented data built by our generator.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from inventory.tui.app import InventoryApp

SIZE = (120, 36)
OUTPUT = Path(__file__).resolve().parent / "screenshot.svg"


async def main() -> None:
    with tempfile.TemporaryDirectory(prefix="inventory-shot-") as folder:
        app = InventoryApp([], lang="en", options={"state_path": Path(folder) / "state.json",
                                                    "theme": "textual-dark"})
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            app.clear_notifications()
            await pilot.pause()
            app.save_screenshot(OUTPUT.name, str(OUTPUT.parent))
    print(OUTPUT)


if __name__ == "__main__":
    asyncio.run(main())
