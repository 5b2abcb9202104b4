"""Where inventory keeps its files (platformdirs), in one place; `inventory locate` prints them.

Nothing here creates a folder: callers use files.private_dir when they write.
INVENTORY_STATE_DIR overrides the state folder (tests, and the CLI's --state option).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from inventory.errors import EnvironmentProblem

APP = "inventory"
STATE_ENV = "INVENTORY_STATE_DIR"
STATE_NAME = "state.json"
WATCHLIST_NAME = "watchlist.toml"


def _require_home(xdg_variable: str) -> None:
    """Without HOME (and without the XDG variable), platformdirs would fall back to the password
    database's home, possibly someone else's folder: refuse and say how to choose (docs/bad-input.md case 65)."""
    if not os.environ.get("HOME") and not os.environ.get(xdg_variable):
        raise EnvironmentProblem("HOME", f"not set (nor {xdg_variable}); use --state PATH or set HOME")


def state_dir() -> Path:
    override = os.environ.get(STATE_ENV)
    if override:
        return Path(override).expanduser()
    _require_home("XDG_STATE_HOME")
    return platformdirs.user_state_path(APP, appauthor=False)


def config_dir() -> Path:
    _require_home("XDG_CONFIG_HOME")
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
