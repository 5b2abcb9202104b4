"""No function in inventory/ is over 60 lines (issue 16: long functions are split by phase),
except the data tables listed below. A function's length runs from its first decorator (or
`def`) to its last line, docstring and comments included; a nested function counts on its own
and inside its parent."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[2] / "inventory"
MAX_LINES = 60

# Data tables: one literal that reads as a list, where a split would only cut it in arbitrary
# places. Key "path/from/repo.py::qualified.name": why it is a table.
EXEMPT: dict[str, str] = {}

def long_functions(source: str, name: str, limit: int = MAX_LINES) -> dict[str, int]:
    """{"name::qualified.name": lines} for each function in `source` over `limit` lines."""
    found: dict[str, int] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                qualname = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    first = min([child.lineno, *(d.lineno for d in child.decorator_list)])
                    lines = (child.end_lineno or child.lineno) - first + 1
                    if lines > limit:
                        found[f"{name}::{qualname}"] = lines
                visit(child, f"{qualname}.")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return found


def package_long_functions() -> dict[str, int]:
    found: dict[str, int] = {}
    root = PACKAGE.parent
    for path in sorted(PACKAGE.rglob("*.py")):
        found.update(long_functions(path.read_text(encoding="utf-8"), path.relative_to(root).as_posix()))
    return found


def test_no_function_in_inventory_is_over_60_lines():
    allowed = dict(EXEMPT)
    too_long = {key: lines for key, lines in package_long_functions().items() if key not in allowed}
    assert not too_long, (
        f"functions over {MAX_LINES} lines (split them by phase; a pure data table goes in EXEMPT "
        f"with why): {too_long}")


def test_every_exemption_and_pending_split_is_still_needed():
    found = package_long_functions()
    stale = sorted(set(EXEMPT) - set(found))
    assert not stale, f"no longer over {MAX_LINES} lines: remove from EXEMPT: {stale}"


def test_the_measure_counts_decorators_and_nested_functions():
    body = "\n".join(f"    x{i} = {i}" for i in range(57))
    at_limit = f"@decorator\ndef f():\n    '''doc'''\n{body}\n    return x0\n"  # 61 lines with its decorator
    assert long_functions(at_limit, "m.py") == {"m.py::f": 61}
    assert long_functions(at_limit.removeprefix("@decorator\n"), "m.py") == {}
    nested = "class C:\n    def outer(self):\n        def inner():\n" + "\n".join(
        f"            y{i} = {i}" for i in range(60)) + "\n        return inner\n"
    assert long_functions(nested, "m.py") == {"m.py::C.outer": 63, "m.py::C.outer.inner": 61}
