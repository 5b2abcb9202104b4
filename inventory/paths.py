"""Where inventory keeps its files (platformdirs), in one place; `inventory locate` prints them.

Nothing here creates a folder: callers use files.private_dir when they write.
INVENTORY_STATE_DIR overrides the state folder (tests, and the CLI's --state option).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "inventory"
STATE_ENV = "INVENTORY_STATE_DIR"
STATE_NAME = "state.json"
WATCHLIST_NAME = "watchlist.toml"


def state_dir() -> Path:
    override = os.environ.get(STATE_ENV)
    if override:
        return Path(override).expanduser()
    return platformdirs.user_state_path(APP, appauthor=False)


def config_dir() -> Path:
    return platformdirs.user_config_path(APP, appauthor=False)


def state_file() -> Path:
    return state_dir() / STATE_NAME


def backup_file(state: Path | None = None) -> Path:
    state = state or state_file()
    return state.with_name(state.name + ".bak")


def lock_file(state: Path | None = None) -> Path:
    state = state or state_file()
    return state.with_suffix(".lock")


def watchlist_file() -> Path:
    return config_dir() / WATCHLIST_NAME


def locations() -> dict[str, Path]:
    """What `inventory locate` prints, in this order."""
    return {
        "state": state_dir(),
        "decisions": state_file(),
        "backup": backup_file(),
        "lock": lock_file(),
        "config": config_dir(),
        "watchlist": watchlist_file(),
    }
