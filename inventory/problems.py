"""Problems are values: readers return them beside their items instead of aborting, and the
summary lists every one (nothing is dropped silently). Details never quote a cell's content."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Mapping


@dataclass(frozen=True)
class Message:
    """A catalogue text (key and values) inside another's values, or carried until it is shown:
    said in the member's language where the outer text is (i18n.t), so the core never builds
    words in English only ("4, 5 and 3 more", why a file was recognised by its header)."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    source: str  # archive or folder label
    member: str | None  # member path inside it, sanitised
    line: int | None  # 1-based physical line, where it applies
    code: str  # short stable code: "ragged-row", "unsafe-name", "encrypted", ...
    detail: str  # one human sentence, no cell values
    severity: str = "warning"  # "info" (expected, listed), "warning" (counted, carried on), "error" (member not read)
    # The detail in the member's language (docs/translations.md): the catalogue key `key`
    # (default `problem.<code>`) formatted with `values`, by i18n.problem_detail; `detail`, in
    # English, is what JSON carries and the fallback when the catalogue cannot say it.
    values: Mapping[str, object] = field(default_factory=dict, compare=False)
    key: str | None = field(default=None, compare=False)

    def as_dict(self) -> dict[str, object]:
        found = asdict(self)
        del found["values"], found["key"]
        return found

    def where(self) -> str:
        """The archive, member and line it is about: `export.zip: Shares.csv:12`."""
        where = self.source
        if self.member:
            where += f": {self.member}"
        if self.line:
            where += f":{self.line}"
        return where

    def __str__(self) -> str:
        return f"{self.where()}: {self.detail}"
