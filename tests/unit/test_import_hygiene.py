"""The core never imports Textual or Rich: each module outside inventory.tui is imported alone in
a fresh interpreter (which also catches imports deferred to module level of a dependency)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import inventory

CORE = sorted(
    name for _, name, _ in pkgutil.walk_packages(inventory.__path__, "inventory.")
    # __main__ runs the CLI when imported; what it imports (inventory.cli) is probed on its own.
    if not name.startswith("inventory.tui") and name != "inventory.__main__"
)
PROBE = (
    "import importlib, sys\n"
    "for name in sys.argv[1:]:\n"
    "    importlib.import_module(name)\n"
    "    bad = sorted(m for m in ('textual', 'rich') if m in sys.modules)\n"
    "    if bad:\n"
    "        print(name, *bad)\n"
    "        sys.exit(1)\n"
)


def test_core_modules_are_found():
    assert "inventory.views" in CORE and "inventory.pipeline" in CORE
    assert not any(name.startswith("inventory.tui") for name in CORE)


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_neither_textual_nor_rich(module, allow_subprocess):
    result = subprocess.run([sys.executable, "-c", PROBE, module], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr[-500:]


def test_the_tui_does_import_textual(allow_subprocess):
    """The probe itself works: the UI package does pull Textual in."""
    result = subprocess.run([sys.executable, "-c", PROBE, "inventory.tui.app"], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1 and "textual" in result.stdout


ALLOCATOR_PROBE = (
    "import os, sys\n"
    "import inventory.cli\n"
    "assert 'polars' not in sys.modules, 'polars loaded before its allocator setting'\n"
    "print(os.environ.get('_RJEM_MALLOC_CONF'))\n"
)


def _allocator_setting(env: dict[str, str]) -> str:
    result = subprocess.run([sys.executable, "-c", ALLOCATOR_PROBE], capture_output=True, text=True, timeout=60,
                            env=env)
    assert result.returncode == 0, result.stderr[-500:]
    return result.stdout.strip()


def test_the_cli_sets_polars_allocator_decay_before_polars_loads(allow_subprocess):
    """jemalloc reads its setting once, when polars loads: the CLI module sets it before
    anything imports polars (see the comment in inventory/cli.py)."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"}
    assert _allocator_setting(env) == "narenas:1,dirty_decay_ms:50,muzzy_decay_ms:0,tcache_max:4096"


def test_a_members_own_allocator_setting_is_kept(allow_subprocess):
    import os

    env = dict(os.environ, _RJEM_MALLOC_CONF="narenas:2")
    assert _allocator_setting(env) == "narenas:2"
