"""Read one or more exports into one item table.

Basic and Complete of the same member are merged file by file: the Complete copy of a file is
preferred and Basic contributes only files Complete lacks (format reference §1.1); items that
still share an id (chunk overlap, Receipts and Receipts_v2) are kept once and counted.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Sequence

import polars as pl

from inventory import catalogue
from inventory.archive import Entry, ExportSource, open_source
from inventory.errors import ArchiveError, InventoryError, LimitExceeded
from inventory.items import ITEM_SCHEMA, empty_items
from inventory.limits import DEFAULT_LIMITS, Limits
from inventory.problems import Problem
from inventory.csvdialect import TableRefused, read_table
from inventory.readers import read_member

Progress = Callable[[str, int, int], None]

_DELIVERY = re.compile(r"(?i)(basic|complete)_linkedindataexport_(\d{2})-(\d{2})-(\d{4})")


@dataclass
class FileReport:
    archive: str
    path: str
    recognized_as: str | None  # catalogue id, or None for files the catalogue does not know
    items: int = 0
    rows: int = 0
    status: str = "read"  # read | skipped (why in warnings) | superseded | duplicate-archive | error
    warnings: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "archive": self.archive, "path": self.path, "recognized_as": self.recognized_as,
            "items": self.items, "rows": self.rows, "status": self.status,
            "warnings": [w.as_dict() for w in self.warnings],
        }


@dataclass
class ArchiveInfo:
    label: str
    delivery: str  # Basic | Complete | unknown
    export_date: date | None
    container: str  # zip | folder


@dataclass
class ScanResult:
    archives: list[ArchiveInfo]
    files: list[FileReport]
    items: pl.DataFrame
    problems: list[Problem]  # archive-level problems (not tied to a file report)
    duplicates_merged: int = 0

    @property
    def export_kind(self) -> str:
        kinds = sorted({a.delivery for a in self.archives if a.delivery != "unknown"})
        if not kinds:
            return "unknown"
        return " + ".join(kinds)

    @property
    def export_date(self) -> date | None:
        dates = [a.export_date for a in self.archives if a.export_date]
        return max(dates) if dates else None

    def all_problems(self) -> list[Problem]:
        return self.problems + [w for f in self.files for w in f.warnings]

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.all_problems())


def _delivery(source: ExportSource, paths: list[str]) -> tuple[str, date | None]:
    found = _DELIVERY.search(source.label) or next(
        (m for p in paths if (m := _DELIVERY.search(p))), None)
    if found:
        month, day, year = int(found.group(2)), int(found.group(3)), int(found.group(4))
        try:
            when = date(year, month, day)
        except ValueError:
            when = None
        return found.group(1).capitalize(), when
    stems = {catalogue.normalise_stem(p) for p in paths}
    if stems & catalogue.COMPLETE_ONLY:
        return "Complete", None
    if stems & {"profile", "connections", "messages"}:
        return "Basic", None
    return "unknown", None


def _member_identity(source: ExportSource, entries: list[Entry]) -> str | None:
    """First and last name from Profile.csv, to refuse mixing two members' exports."""
    for entry in entries:
        if catalogue.normalise_stem(entry.path) == "profile" and entry.status == "ok":
            try:
                table = read_table(source.read(entry), source=source.label, member=entry.path,
                                   limits=source.limits)
            except (InventoryError, TableRefused):
                return None  # the file's own reading reports the problem
            if table.frame.height and {"First Name", "Last Name"} <= set(table.header):
                row = table.frame.row(0, named=True)
                return f"{row['First Name']} {row['Last Name']}".strip().casefold()
    return None


def _file_identity(path: str, found: catalogue.Match | None) -> str:
    """What makes two archives' members "the same file": the catalogue id and chunk for known
    tables (so a flattened `Jobs/` folder still matches), the file name for articles, else the path."""
    if found is not None and found.recognised and found.spec.reader != "article":
        return f"{found.spec.id}#{found.chunk}"
    return path.rsplit("/", 1)[-1].casefold() if found is not None and found.recognised else path.casefold()


def scan_exports(paths: Sequence[Path], limits: Limits = DEFAULT_LIMITS, *,
                 progress: Progress | None = None,
                 cancelled: Callable[[], bool] | None = None) -> ScanResult:
    if len(paths) > limits.max_archives:
        raise LimitExceeded(str(paths[0]), f"more than {limits.max_archives} exports given "
                            "(limit --max-archives)")
    started = time.monotonic()
    sources: list[ExportSource] = []
    try:
        seen_hashes: dict[str, str] = {}
        archives: list[ArchiveInfo] = []
        problems: list[Problem] = []
        files: list[FileReport] = []
        identities: dict[str, str] = {}
        for path in paths:
            source = open_source(Path(path), limits)
            digest = source.sha256()
            if digest in seen_hashes:
                problems.append(Problem(source.label, None, None, "same-archive-twice",
                                        f"same content as {seen_hashes[digest]}; read once"))
                source.close()
                continue
            seen_hashes[digest] = source.label
            sources.append(source)
            problems.extend(source.problems)
            delivery, when = _delivery(source, [e.path for e in source.entries])
            archives.append(ArchiveInfo(source.label, delivery, when, source.kind))
            identity = _member_identity(source, source.entries)
            if identity:
                for other, other_identity in identities.items():
                    if other_identity != identity:
                        raise ArchiveError(source.label, f"belongs to a different member's export "
                                           f"than {other}; give one member's exports at a time")
                identities[source.label] = identity

        # Complete first, so its copy of a file wins over Basic's.
        order = sorted(range(len(sources)), key=lambda i: archives[i].delivery != "Complete")
        chosen: dict[str, tuple[ExportSource, Entry]] = {}
        plan: list[tuple[ExportSource, Entry, catalogue.Match | None]] = []
        for i in order:
            source = sources[i]
            for entry in source.entries:
                found = catalogue.match(entry.path)
                identity = _file_identity(entry.path, found)
                if entry.status == "ok" and identity in chosen and len(sources) > 1:
                    files.append(FileReport(source.label, entry.path, found.spec.id if found and found.recognised
                                            else None, status="superseded", warnings=[Problem(
                                                source.label, entry.path, None, "superseded",
                                                f"same file read from {chosen[identity][0].label}", "info")]))
                    continue
                if entry.status == "ok":
                    chosen[identity] = (source, entry)
                plan.append((source, entry, found))

        # Nothing in an export can be dated after the export itself (or today, if undated).
        latest = {a.label: datetime.combine(max(a.export_date or date.today(), date.today()),
                                            datetime.max.time(), timezone.utc) + timedelta(days=1)
                  for a in archives}
        frames: list[pl.DataFrame] = []
        seen_ids: dict[str, pl.Series] = {}
        merged = 0
        total = len(plan)
        for done, (source, entry, found) in enumerate(plan, start=1):
            if cancelled is not None and cancelled():
                raise InventoryError(source.label, "cancelled")
            if time.monotonic() - started > limits.time_budget:
                raise LimitExceeded(source.label, f"took longer than {limits.time_budget:g} s "
                                    "(limit --time-budget)")
            if progress is not None:
                progress(entry.path, done, total)
            recognised = found.spec.id if found and found.recognised else None
            report = FileReport(source.label, entry.path, recognised)
            files.append(report)
            if entry.status != "ok":
                report.status = "skipped"
                report.warnings.append(Problem(source.label, entry.path, None, entry.status,
                                               f"not read: {entry.status.replace('-', ' ')}",
                                               "info" if entry.status == "debris" else "warning"))
                continue
            if found is None:
                report.status = "skipped"
                report.warnings.append(Problem(source.label, entry.path, None, "not-a-table",
                                               "not a CSV or HTML file; listed, not read", "info"))
                continue
            data = source.read(entry)
            reading = read_member(found.spec, data, source=source.label, member=entry.path, limits=limits)
            del data
            _drop_future_dates(reading, latest[source.label], source.label, entry.path)
            report.rows = reading.rows
            report.items = reading.items.height
            report.warnings.extend(reading.problems)
            if any(p.severity == "error" for p in reading.problems):
                report.status = "error"
            if reading.items.height:
                # Keep the first copy of an id (Complete before Basic) without a whole-table
                # `unique`, which would copy every item once more at the memory peak.
                fresh = reading.items.unique(subset="id", keep="first", maintain_order=True)
                kind = found.spec.kind
                if kind in seen_ids:  # ids start with the kind: only same-kind files can collide
                    fresh = fresh.filter(~pl.col("id").is_in(seen_ids[kind].implode()))
                    seen_ids[kind] = pl.concat([seen_ids[kind], fresh["id"]])
                else:
                    seen_ids[kind] = fresh["id"]
                merged += reading.items.height - fresh.height
                frames.append(fresh)
            del reading
        items = pl.concat(frames, how="vertical", rechunk=False) if frames else empty_items()
        if merged:
            problems.append(Problem(", ".join(a.label for a in archives), None, None, "duplicates-merged",
                                    f"{merged} item(s) appeared more than once (chunk overlap, "
                                    "Receipts and Receipts_v2, repeated rows) and are kept once", "info"))
        return ScanResult(archives, files, items.select(list(ITEM_SCHEMA)), problems, merged)
    finally:
        for source in sources:
            source.close()


def _drop_future_dates(reading, latest: datetime, source: str, member: str) -> None:
    """Dates after the export are impossible: kept as text in the item's fields and counted."""
    items = reading.items
    if not items.height:
        return
    future = items["date"] > latest
    count = int(future.sum() or 0)
    if count:
        reading.items = items.with_columns(items["date"].set(future.fill_null(False), None))
        reading.problems.append(Problem(source, member, None, "unparsed-date",
                                        f"{count} date(s) later than the export itself; kept as text "
                                        "in the item's fields"))


def summarise(result: ScanResult) -> dict[str, object]:
    items = result.items
    by_kind = dict(sorted(items.group_by("kind").len().rows())) if items.height else {}
    by_source = dict(sorted(items.group_by("source").len().rows())) if items.height else {}
    problems = result.all_problems()
    return {
        "total_items": items.height,
        "by_kind": by_kind,
        "by_source": by_source,
        "files": len(result.files),
        "unrecognized_files": sum(1 for f in result.files if f.recognized_as is None and f.status == "read"),
        "warnings": sum(1 for p in problems if p.severity == "warning"),
        "errors": sum(1 for p in problems if p.severity == "error"),
        "duplicates_merged": result.duplicates_merged,
    }
