"""Read one or more exports into one item table.

Basic and Complete of the same member are merged file by file: the Complete copy of a file is
preferred and Basic contributes only files Complete lacks (docs/export-format.md §1.1); records that
share an id are merged only when they are the same record, else kept apart (repeats.py).
"""

from __future__ import annotations

import collections
import re
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterable, Sequence

import polars as pl

from inventory import catalogue, repeats
from inventory.archive import Entry, ExportSource, open_source
from inventory.errors import ArchiveError, InventoryError, LimitExceeded
from inventory.csvdialect import TableRefused, read_table
from inventory.i18n import t
from inventory.items import ITEM_SCHEMA, empty_items, filled
from inventory.limits import DEFAULT_LIMITS, Limits
from inventory.problems import Problem
from inventory.assemble import Assembled, Member, assemble
from inventory.readers import item_kinds, read_member

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
    merged: int = 0  # records merged into another item (listed in ScanResult.merges)

    def as_dict(self) -> dict[str, object]:
        return {
            "archive": self.archive, "path": self.path, "recognized_as": self.recognized_as,
            "items": self.items, "rows": self.rows, "merged": self.merged, "status": self.status,
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
    # Each read member's parsed table, by source path: the items' original cells, kept once
    # (an item's `row` is its row here) instead of copied into every item; only the columns
    # asked for when scan_exports was given `cells`.
    originals: dict[str, pl.DataFrame] = field(default_factory=dict)
    merges: list[repeats.Merge] = field(default_factory=list)  # each record merged into another
    disambiguated: list[repeats.Disambiguated] = field(default_factory=list)  # ids given to distinct records sharing a key
    _column_keys: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)  # source -> column_key -> column
    cells_released: bool = False  # see release_cells
    kept: frozenset[str] | None = None  # the column keys `originals` keep (scan_exports(cells=...)); None: all

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

    def cells(self, items: pl.DataFrame, name: str) -> pl.Series:
        """The original cell `name` (matched by catalogue.column_key: every era's spelling) of
        each of `items`, as a String Series aligned with them; null where the item's file has no
        such column."""
        return self._cells(items, name, _runs(items))

    def _cells(self, items: pl.DataFrame, name: str, runs: list[tuple[int, str]]) -> pl.Series:
        """`cells`, given the items' runs of one source (_runs)."""
        if self.cells_released:
            raise RuntimeError("the original cells were released once read (ScanResult.release_cells)")
        key = catalogue.column_key(name)
        if self.kept is not None and key not in self.kept:
            raise RuntimeError(f"the original cell {name!r} was not kept (scan_exports(cells=...))")
        if items.height == 0:
            return pl.Series(name, [], dtype=pl.String)
        # Items come in runs of one source (file order): each run gathers its cells by row,
        # with no join over the whole table. Runs whose file lacks the column are one null part
        # each (nothing is written for them); with few parts the Series keeps them as chunks,
        # with many (thousands of one-item files) they are written into one array instead.
        rows = items.get_column("row")
        segments: list[tuple[int, int, pl.Series | None]] = []
        start = 0
        for length, source in runs:
            column = self._column(source, key)
            if column is None and segments and segments[-1][2] is None:
                segments[-1] = (segments[-1][0], segments[-1][1] + length, None)
            else:
                segments.append((start, length, column))
            start += length
        if all(column is None for _, _, column in segments):
            return filled(None, items.height, pl.String, name)
        if len(segments) <= _MAX_CHUNKS:
            parts = [filled(None, length, pl.String) if column is None
                     else column.gather(rows.slice(begin, length)) for begin, length, column in segments]
            return pl.concat(parts, rechunk=False).alias(name)
        present = [(begin, length, column) for begin, length, column in segments if column is not None]
        positions = pl.concat([pl.int_range(b, b + n, eager=True, dtype=pl.UInt32) for b, n, _ in present])
        values = pl.concat([column.gather(rows.slice(b, n)) for b, n, column in present])
        return filled(None, items.height, pl.String, name).scatter(positions, values)

    def _column(self, source: str, key: str) -> pl.Series | None:
        """The original column of `source` whose column_key is `key`, as String, or None."""
        keys = self._column_keys.get(source)
        if keys is None:
            table = self.originals.get(source)
            keys = {} if table is None else {catalogue.column_key(c): c for c in reversed(table.columns)}
            self._column_keys[source] = keys
        column = keys.get(key)
        if column is None:
            return None
        values = self.originals[source].get_column(column)
        return values if values.dtype == pl.String else values.cast(pl.String)

    def release_cells(self) -> None:
        """Drop the original cells (their memory): `cells` refuses from then on, rather than
        reading every cell as empty."""
        self.originals.clear()
        self._column_keys.clear()
        self.cells_released = True

    def with_cells(self, items: pl.DataFrame, names: Iterable[str]) -> pl.DataFrame:
        """`items` plus a `fields.<name>` column per original cell asked for (see `cells`)."""
        runs = _runs(items)
        return items.with_columns([self._cells(items, name, runs).alias(f"fields.{name}")
                                   for name in sorted(set(names))])

    def original(self, source: str, row: int) -> dict[str, str]:
        """One item's original cells, as its file has them (only the kept ones: scan_exports(cells=...))."""
        table = self.originals.get(source)
        if table is None or not 0 <= row < table.height:
            return {}
        return {k: v for k, v in table.row(row, named=True).items() if v is not None}


def _runs(items: pl.DataFrame) -> list[tuple[int, str]]:
    """The items' runs of one source, in order: (length, source)."""
    if items.height == 0:
        return []
    return items.get_column("source").rle().struct.unnest().select("len", "value").rows()


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
    if found is not None and found.recognised and found.by == "name" and found.spec.reader != "article":
        return f"{found.spec.id}#{found.chunk}"
    return path.rsplit("/", 1)[-1].casefold() if found is not None and found.recognised else path.casefold()


def scan_exports(paths: Sequence[Path], limits: Limits = DEFAULT_LIMITS, *, cells: Iterable[str] | None = None,
                 progress: Progress | None = None,
                 cancelled: Callable[[], bool] | None = None) -> ScanResult:
    """Read the exports into one item table: open them, plan which member to read from which
    archive, read the planned members, then resolve repeated records.

    `cells`: the original cells to keep (ScanResult.cells reads only those), every other column
    of a member's parsed table is let go where the member is read; None keeps them all."""
    if len(paths) > limits.max_archives:
        raise LimitExceeded(str(paths[0]), f"more than {limits.max_archives} exports given "
                            "(limit --max-archives)")
    started = time.monotonic()
    sources: list[ExportSource] = []
    try:
        archives, problems = _open(paths, limits, sources)
        plan, superseded = _plan(sources, archives)
        reports, to_read = _reports(plan)
        kept = None if cells is None else frozenset(catalogue.column_key(name) for name in cells)
        groups, assembled = _read(plan, to_read, reports, _latest(archives), limits, kept, started, progress,
                                  cancelled)
        return _result(archives, problems, superseded, reports, groups, assembled, kept)
    finally:
        for source in sources:
            source.close()


Planned = tuple[ExportSource, Entry, "catalogue.Match | None"]


def _open(paths: Sequence[Path], limits: Limits,
          sources: list[ExportSource]) -> tuple[list[ArchiveInfo], list[Problem]]:
    """Open each export (appended to `sources`, which the caller closes), once per content;
    refuse exports of two different members."""
    seen_hashes: dict[str, str] = {}
    archives: list[ArchiveInfo] = []
    problems: list[Problem] = []
    identities: dict[str, str] = {}
    for path in paths:
        source = open_source(Path(path), limits)
        digest = source.sha256()
        if digest in seen_hashes:
            problems.append(Problem(source.label, None, None, "same-archive-twice",
                                    f"same content as {seen_hashes[digest]}; read once",
                                    values={"other": seen_hashes[digest]}))
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
    return archives, problems


def _plan(sources: list[ExportSource], archives: list[ArchiveInfo]) -> tuple[list[Planned], list[FileReport]]:
    """Every member to list, with its catalogue match; a file another archive also has is read
    once, from Complete first (Basic's copy is reported as superseded)."""
    order = sorted(range(len(sources)), key=lambda i: archives[i].delivery != "Complete")
    chosen: dict[str, ExportSource] = {}
    plan: list[Planned] = []
    superseded: list[FileReport] = []
    for i in order:
        source = sources[i]
        for entry in source.entries:
            # By name and header: a renamed or older file is still recognised (first bytes only).
            found = catalogue.match(entry.path, None if entry.status != "ok" else
                                    lambda: source.head(entry, catalogue.HEAD_BYTES))
            identity = _file_identity(entry.path, found)
            if entry.status == "ok" and identity in chosen and len(sources) > 1:
                superseded.append(FileReport(source.label, entry.path, found.spec.id if found and found.recognised
                                             else None, status="superseded", warnings=[Problem(
                                                 source.label, entry.path, None, "superseded",
                                                 f"same file read from {chosen[identity].label}", "info",
                                                 values={"other": chosen[identity].label})]))
                continue
            if entry.status == "ok":
                chosen[identity] = source
            plan.append((source, entry, found))
    return plan, superseded


def _latest(archives: list[ArchiveInfo]) -> dict[str, datetime]:
    """Nothing in an export can be dated after the export itself (or today, if undated)."""
    return {a.label: datetime.combine(max(a.export_date or date.today(), date.today()),
                                      datetime.max.time(), timezone.utc) + timedelta(days=1)
            for a in archives}


def _reports(plan: list[Planned]) -> tuple[list[FileReport], list[int]]:
    """A report per planned member, and the plan indices to read (the others say why not)."""
    reports: list[FileReport] = []
    to_read: list[int] = []
    for index, (source, entry, found) in enumerate(plan):
        recognised = found.spec.id if found and found.recognised else None
        report = FileReport(source.label, entry.path, recognised)
        reports.append(report)
        if entry.status != "ok":
            report.status = "skipped"
            report.warnings.append(Problem(source.label, entry.path, None, entry.status,
                                           f"not read: {entry.status.replace('-', ' ')}",
                                           "info" if entry.status == "debris" else "warning",
                                           key=f"problem.not-read.{entry.status}"))
        elif found is None:
            report.status = "skipped"
            report.warnings.append(Problem(source.label, entry.path, None, "not-a-table",
                                           "not a CSV or HTML file; listed, not read", "info",
                                           key="problem.not-a-table.not-csv"))
        else:
            if found.note:
                report.warnings.append(Problem(source.label, entry.path, None, "recognised-by-header",
                                               t(found.note.key, "en", **found.note.values), "info",
                                               values=found.note.values, key=found.note.key))
            to_read.append(index)
    return reports, to_read


def _read(plan: list[Planned], to_read: list[int], reports: list[FileReport], latest: dict[str, datetime],
          limits: Limits, kept: frozenset[str] | None, started: float, progress: Progress | None,
          cancelled: Callable[[], bool] | None) -> tuple[list[list[int]], dict[int, Assembled]]:
    """Read the planned members: the small ones in a group per worker (reading them is mostly
    polars' fixed cost per call, paid side by side), each large member alone, largest first. The
    largest is handed over right after the first small group, so that its reading, the longest,
    starts at once (`--scale 100` `scan` 7 % faster than after every small group, benchmarks/README.md);
    the other large members wait for it to end: its parse is the export's largest transient (an
    export's messages.csv is often most of it). The archive is read here, one member at a time;
    parsing and assembling run in the pool (polars and the inflater release the GIL). Returns the groups
    and, by the first plan index of each group, what it assembled."""
    ordered = _groups(plan, to_read)
    groups = [group for group, _ in ordered]
    prunable = _prunable(plan, to_read)
    assembled: dict[int, Assembled] = {}
    done = 0
    with ThreadPoolExecutor(max_workers=_WORKERS, thread_name_prefix="inventory-read") as pool:
        pending: list[tuple[list[int], Future[Assembled]]] = []
        large_pending: list[Future[Assembled]] = []  # the small groups hold too little to count
        for group, large in ordered:
            # No more large groups inflated than the pool works on: a queued group's bytes would
            # be held while it waits.
            running = [future for future in large_pending if not future.done()]
            if len(running) >= _WORKERS:
                wait(running, return_when=FIRST_COMPLETED)
            datas = []
            for index in group:
                source, entry, _ = plan[index]
                if cancelled is not None and cancelled():
                    raise InventoryError(source.label, "cancelled")
                if time.monotonic() - started > limits.time_budget:
                    raise LimitExceeded(source.label, f"took longer than {limits.time_budget:g} s "
                                        "(limit --time-budget)")
                done += 1
                if progress is not None:
                    progress(entry.path, done, len(to_read))
                datas.append(source.read(entry))
            # The largest (the first large group) with no other large member: the next one waits
            # for it (inflated meanwhile).
            if large and large_pending:
                wait(large_pending[:1])
            future = pool.submit(_read_group, [plan[i] for i in group], datas, latest, limits, kept, prunable)
            pending.append((group, future))
            if large:
                large_pending.append(future)
            del datas
        for group, future in pending:
            result = future.result()
            for index in group:
                report = reports[index]
                report.rows = result.rows[report.path]
                report.warnings.extend(result.problems[report.path])
            assembled[group[0]] = result
    for index in to_read:
        if any(p.severity == "error" for p in reports[index].warnings):
            reports[index].status = "error"
    return groups, assembled


def _groups(plan: list[Planned], to_read: list[int]) -> list[tuple[list[int], bool]]:
    """The groups in the order they are handed over (see _read), each with whether it is large."""
    large = sorted((i for i in to_read if plan[i][1].size >= _LARGE_MEMBER), key=lambda i: -plan[i][1].size)
    smalls = [(group, False) for group in _shares([i for i in to_read if plan[i][1].size < _LARGE_MEMBER],
                                                  lambda i: _MEMBER_COST + plan[i][1].size, _WORKERS)]
    larges = [([i], True) for i in large]
    return smalls[:1] + larges[:1] + smalls[1:] + larges[1:]


def _prunable(plan: list[Planned], to_read: list[int]) -> frozenset[str]:
    """The members whose kinds of item no other member gives: no other file's record can share
    an id with theirs, so their tables can be cut down where they are read."""
    kinds = {i: item_kinds(plan[i][2].spec) for i in to_read}
    givers = collections.Counter(kind for i in to_read for kind in kinds[i])
    return frozenset(plan[i][1].path for i in to_read if all(givers[kind] == 1 for kind in kinds[i]))


def _shares(indices: list[int], size: Callable[[int], int], count: int) -> list[list[int]]:
    """`indices` cut into at most `count` runs of consecutive ones of about the same total size
    (consecutive: the items then come in as few slices as groups, see _in_file_order)."""
    total = sum(size(i) for i in indices)
    shares: list[list[int]] = []
    done = 0
    for index in indices:
        if not shares or (len(shares) < count and done >= total * len(shares) / count):
            shares.append([])
        shares[-1].append(index)
        done += size(index)
    return shares


def _result(archives: list[ArchiveInfo], problems: list[Problem], superseded: list[FileReport],
            reports: list[FileReport], groups: list[list[int]],
            assembled: dict[int, Assembled], kept: frozenset[str] | None) -> ScanResult:
    """The items in file order with repeated records resolved (repeats.py), and the counts."""
    originals = {path: table for result in assembled.values() for path, table in result.originals.items()}
    items = _in_file_order(groups, assembled, reports)
    assembled.clear()  # from here only `items` holds the groups' item tables
    items, keep, merges, disambiguated = repeats.resolve(items, originals, _FAMILIES)
    if kept is not None:
        originals = {path: _pruned(table, kept) for path, table in originals.items()}
    # One contiguous table without the merged rows. Left as the groups' slices (an export with no
    # repeated record), every later stage pays for the pieces: +90 MiB at `--scale 100`, +570 MiB
    # at `--scale 800` (measured, benchmarks/README.md). Copied a column at a time, each column's
    # pieces freed once copied (nothing else holds them): the table is never held twice.
    columns = []
    for name in items.columns:
        column = items.get_column(name)
        items = items.drop(name)
        columns.append((column if keep is None else column.filter(keep)).rechunk())
        del column
    items = pl.DataFrame(columns, schema=ITEM_SCHEMA)
    _count(items, merges, reports)
    labels = ", ".join(a.label for a in archives)
    if merges:
        problems.append(Problem(labels, None, None, "duplicates-merged",
                                f"{len(merges)} record(s) repeated another one (same cells, a twin file, "
                                "or one more medium of a post) and were merged into it; each is listed "
                                "in scan --json", "info", values={"count": len(merges)}))
    if disambiguated:
        problems.append(Problem(labels, None, None, "ids-disambiguated",
                                f"{len(disambiguated)} record(s) share their key with a different record; "
                                "both are kept, each with its own id", "info",
                                values={"count": len(disambiguated)}))
    return ScanResult(archives, superseded + reports, items, problems, len(merges), originals,
                      merges, disambiguated, kept=kept)


# A cell column of at most this many runs is kept as chunks (see ScanResult.cells).
_MAX_CHUNKS = 64
# Members at least this large (uncompressed) are read alone; the others together.
_LARGE_MEMBER = 512 * 1024
# What reading a member costs whatever its size (its polars calls), in bytes read in as long: a
# small member takes about 2 ms, messages.csv about 3 ms per MiB (one thread, --scale 100).
_MEMBER_COST = 512 * 1024
# Groups read at a time. polars parses one member on every core already; a third group in
# flight parsed at the same time as two others (`--scale 100` scan peak 285 -> 270 MiB, time
# within 3 %, benchmarks/README.md).
_WORKERS = 2


def _read_group(members: list[tuple[ExportSource, Entry, catalogue.Match]], datas: list[bytes],
                latest: dict[str, datetime], limits: Limits, kept: frozenset[str] | None,
                prunable: frozenset[str]) -> Assembled:
    """The group's items and its members' parsed tables. Given `kept` (column keys; None keeps
    every column), the table of a member in `prunable` (no other member gives its kinds of item)
    keeps only those columns at once, unless two of its records share an id (repeats.py compares
    their cells): a group's whole tables do not outlive its reading. The other tables are cut
    down once repeats are resolved (_result)."""
    readings = []
    for (source, entry, found), data in zip(members, datas):
        reading = read_member(found.spec, data, source=source.label, member=entry.path, limits=limits)
        readings.append(Member(source.label, entry.path, reading, latest[source.label], found.spec.id))
    datas.clear()
    result = assemble(readings)
    del readings
    # Only a group with a member to cut down looks for repeats: a large member that keeps its
    # table whole would have every id hashed for nothing.
    if kept is not None and any(path in prunable for path in result.originals):
        items = result.items
        # Candidates by a 64-bit hash of the id (as repeats.resolve) mixed with the item's run of
        # one member (items come in such runs): numbers, not strings, to compare (hashing the
        # member paths with the ids took 50 MiB at 600,000 messages). A collision only keeps a
        # table whole.
        run = items.get_column("source").rle_id().cast(pl.UInt64) * _MIX
        repeated = (items.get_column("id").hash() ^ run).is_duplicated()
        needed = set(items.get_column("source").filter(repeated).unique().to_list()) if repeated.any() else set()
        result.originals = {path: _pruned(table, kept) if path in prunable and path not in needed else table
                            for path, table in result.originals.items()}
    return result


_MIX = 0x9E3779B97F4A7C15  # an odd 64-bit constant: run numbers spread over all bits


def _pruned(table: pl.DataFrame, kept: frozenset[str]) -> pl.DataFrame:
    """`table` with only its columns whose column key is `kept` (a view: nothing is copied;
    made from the columns, as a select would plan a query for each of 70 members)."""
    return pl.DataFrame([table.get_column(c) for c in table.columns if catalogue.column_key(c) in kept])


def _in_file_order(groups: list[list[int]], assembled: dict[int, Assembled],
                   reports: list[FileReport]) -> pl.DataFrame:
    """All items in the export's file order (Complete before Basic), as few slices as can be:
    consecutive members of one group stay one slice (thousands of one-item slices would make a
    frame of thousands of chunks)."""
    pieces = []  # (plan index, group, offset in the group's items, count)
    for group in groups:
        offset = 0
        for index in group:
            count = assembled[group[0]].counts.get(reports[index].path, 0)
            pieces.append((index, group[0], offset, count))
            offset += count
    runs: list[list[int]] = []  # [group, offset, count]
    for _, group_id, offset, count in sorted(pieces):
        if runs and runs[-1][0] == group_id and runs[-1][1] + runs[-1][2] == offset:
            runs[-1][2] += count
        else:
            runs.append([group_id, offset, count])
    frames = [assembled[g].items.slice(offset, count) for g, offset, count in runs if count]
    return pl.concat(frames, how="vertical", rechunk=False) if frames else empty_items()


def _count(items: pl.DataFrame, merges: list[repeats.Merge], reports: list[FileReport]) -> None:
    """Each file's items, and its records merged into another one."""
    per_source = dict(items.group_by("source").len().rows()) if items.height else {}
    merged: dict[str, int] = {}
    for merge in merges:
        merged[merge.source] = merged.get(merge.source, 0) + 1
    for report in reports:
        if report.status in ("read", "error"):
            report.items = per_source.get(report.path, 0)
            report.merged = merged.get(report.path, 0)


def _families() -> dict[str, repeats.Family]:
    """Each catalogue file kind's family (repeats.py): twins declared by the catalogue compare
    by key, the others by their cells; a post's media columns are not compared."""
    twinned = {spec.twin for spec in catalogue.FILE_SPECS if spec.twin}
    return {spec.id: repeats.Family(spec.twin or spec.id, by_key=(spec.twin or spec.id) in twinned, media=spec.media)
            for spec in catalogue.FILE_SPECS}


_FAMILIES = _families()


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
