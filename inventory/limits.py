"""Every numeric limit in one place. Each can be raised (never disabled) by a CLI flag;
`inventory --show-limits` prints them. See SECURITY.md."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB


@dataclass(frozen=True)
class Limits:
    max_archive_bytes: int = 8 * GiB
    max_entries: int = 10_000
    max_central_dir_bytes: int = 16 * MiB
    max_name_bytes: int = 1_024
    max_member_bytes: int = 512 * MiB
    max_total_bytes: int = 2 * GiB
    ratio_warn: int = 200
    max_declared_ratio: int = 1_032
    deflate64_chunk: int = 512  # one step expands to at most ~9 MiB (inflate64 peaks at ~12 MiB)
    max_line_bytes: int = 1 * MiB
    max_fields: int = 256
    max_rows: int = 2_000_000
    max_html_bytes: int = 8 * MiB
    max_cell_display: int = 500
    max_state_bytes: int = 64 * MiB
    max_archives: int = 16
    time_budget: float = 120.0
    allowed_methods: tuple[int, ...] = (0, 8, 9)

    def raised(self, **changes: Any) -> "Limits":
        """A copy with some limits raised; lowering below the default is allowed only in tests
        (the CLI refuses it), so fuzzing can make bombs cheap."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def describe(self) -> list[tuple[str, object, str]]:
        return [(f.name, getattr(self, f.name),
                 "--allow-method bzip2|lzma" if f.name == "allowed_methods" else "--" + f.name.replace("_", "-"))
                for f in fields(self)]


DEFAULT_LIMITS = Limits()
