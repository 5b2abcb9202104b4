"""Problems are values: readers return them beside their items instead of aborting, and the
summary lists every one (nothing is dropped silently). Details never quote a cell's content."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    source: str  # archive or folder label
    member: str | None  # member path inside it, sanitised
    line: int | None  # 1-based physical line, where it applies
    code: str  # short stable code: "ragged-row", "unsafe-name", "encrypted", ...
    detail: str  # one human sentence, no cell values
    severity: str = "warning"  # "info" (expected, listed), "warning" (counted, carried on), "error" (member not read)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def __str__(self) -> str:
        where = self.source
        if self.member:
            where += f": {self.member}"
        if self.line:
            where += f":{self.line}"
        return f"{where}: {self.detail}"
