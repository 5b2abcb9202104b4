"""docs/architecture.md lists the signatures other stages rely on: each line must be the real
signature of the function it names, so the page cannot drift from the code."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import tomllib
from pathlib import Path

import inventory

from inventory.limits import DEFAULT_LIMITS

DOC = Path(__file__).parents[2] / "docs" / "architecture.md"


def listed() -> list[str]:
    """The lines of the code block under "Public functions", comments removed."""
    text = DOC.read_text(encoding="utf-8")
    block = text.split("## Public functions", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    return [line.split("  #", 1)[0].rstrip() for line in block.splitlines() if line.strip()]


def _annotation(value: object) -> str:
    return str(value).strip("'\"")


def _default(value: object) -> str:
    if value is DEFAULT_LIMITS:
        return "DEFAULT_LIMITS"
    return repr(value)


def signature_line(dotted: str) -> str:
    """`module.name(params) -> result`, annotations as written in the code."""
    module, _, attr = dotted.partition(".")
    obj: object = importlib.import_module(f"inventory.{module}")
    for part in attr.split("."):
        obj = getattr(obj, part)
    sig = inspect.signature(obj)  # type: ignore[arg-type]
    params, star_done = [], False
    for p in sig.parameters.values():
        if p.kind is p.KEYWORD_ONLY and not star_done:
            params.append("*")
            star_done = True
        text = p.name
        if p.annotation is not p.empty:
            text += f": {_annotation(p.annotation)}"
        if p.default is not p.empty:
            text += f" = {_default(p.default)}"
        params.append(text)
    line = f"{dotted}({', '.join(params)})"
    if inspect.isclass(obj):
        return line
    return line + f" -> {_annotation(sig.return_annotation)}"


def test_the_listed_signatures_are_the_code_s():
    lines = listed()
    assert len(lines) >= 15
    for line in lines:
        dotted = re.match(r"[\w.]+", line).group()
        assert line == signature_line(dotted)


def test_every_module_is_under_the_import_contracts():
    """A new module must be placed in a layer, and outside the UI it must import no Textual."""
    contracts = tomllib.loads((DOC.parent.parent / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    forbidden = next(c for c in contracts if c["type"] == "forbidden")["source_modules"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    in_layers = {m.strip() for layer in layers for m in re.split(r"[:|]", layer)}
    modules = {f"inventory.{name.split('.')[1]}"
               for _, name, _ in pkgutil.walk_packages(inventory.__path__, "inventory.")}
    assert modules - in_layers == set()
    assert modules - set(forbidden) == {"inventory.tui", "inventory.cli", "inventory.__main__"}


# Citations of texts kept outside this repository (the project's reference notes): comments and
# docs cite docs/export-format.md, docs/bad-input.md or docs/policy.md instead.
ELSEWHERE = re.compile(r"format reference|reference case|reliability[- ]and[- ]security|reliability reference"
                       r"|linkedin-export-format|genai-training-policy|style-and-ecosystem|shared/reference"
                       r"|(?<![\w/.])reference('s)? §", re.IGNORECASE)


def test_comments_and_docs_cite_only_files_of_this_repository():
    root = DOC.parent.parent
    files = [*root.glob("*.md"), *root.glob("docs/*.md"), *root.glob("inventory/**/*.py"),
             *root.glob("inventory/data/*.toml"), *root.glob("tests/**/*.py"), *root.glob("benchmarks/*.py"),
             root / "pyproject.toml"]
    found = [f"{path.relative_to(root)}:{number}: {line.strip()}"
             for path in files for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if ELSEWHERE.search(line) and path.name != "test_architecture_doc.py"]
    assert found == []
