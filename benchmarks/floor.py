"""The floor every whole-command figure is compared with: start Python, inflate every member of
the archive with zipfile and parse every CSV with polars (all strings), keeping nothing.

    python benchmarks/floor.py EXPORT.zip
"""

from __future__ import annotations

import io
import sys
import time
import zipfile
from pathlib import Path

import polars as pl


def floor(path: Path) -> float:
    """Seconds to inflate every member and parse every CSV (imports excluded)."""
    started = time.perf_counter()
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename.endswith(".csv"):
                try:
                    pl.read_csv(io.BytesIO(data), infer_schema=False, truncate_ragged_lines=True,
                                encoding="utf8-lossy", quote_char='"')
                except Exception:  # files polars cannot parse at all still cost their inflate
                    pass
    return time.perf_counter() - started


if __name__ == "__main__":
    floor(Path(sys.argv[1]))
