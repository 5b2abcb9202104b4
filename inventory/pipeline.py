"""The whole analysis in one call: scan -> classify -> detect, and the JSON contract.

The CLI, the terminal UI and the checklist all go through `analyse`, so they always agree.
"""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Callable, Sequence, TextIO

import polars as pl
import polars.selectors as cs

from inventory import __version__, detect, policy as policy_mod, render
from inventory.errors import NothingRead
from inventory.limits import DEFAULT_LIMITS, Limits
from inventory.scan import ScanResult, scan_exports, summarise
from inventory.text import escape_json_text, has_json_unsafe

Progress = Callable[[str, int, int], None]


@dataclass
class Analysis:
    scan: ScanResult
    policy: policy_mod.Policy
    context: policy_mod.MemberContext
    frame: pl.DataFrame  # items + verdict columns + finding columns
    region_inferred: bool = False
    watchlist: object | None = None
    # The `fields.<cell>` columns the policy and detectors read, aligned with scan.items: all a
    # re-classification needs of the original cells (None: released, analyse(keep_cells=False)).
    cells: pl.DataFrame | None = None


BIRTH_YEAR = "Year of birth"  # the Verifications cell birth_year reads


def birth_year(scan: ScanResult) -> int | None:
    """The member's birth year where the export states it (Verifications `Year of birth`), so
    that data created while a minor can be told apart (policy: uncertain)."""
    verifications = scan.items.filter(pl.col("file_kind") == "verifications")
    for raw in scan.cells(verifications, BIRTH_YEAR).drop_nulls().to_list():
        year = raw.strip()
        if year.isdigit() and 1900 < int(year) <= date.today().year:
            return int(year)
    return None


def _context(scan: ScanResult, items: pl.DataFrame, region: str | None, opted_out_on: date | None,
             minor: bool) -> tuple[policy_mod.MemberContext, bool]:
    """`items`: the scan's items with the policy's cells (`infer_region` reads some)."""
    inferred = False
    if region:
        region = policy_mod.normalise_region(region)
    else:
        region = policy_mod.infer_region(items)
        inferred = region is not None
    return policy_mod.MemberContext(region=region, opted_out_on=opted_out_on, minor=minor,
                                    born_in=birth_year(scan)), inferred


def cell_names(policy: policy_mod.Policy) -> frozenset[str]:
    """The original cells an analysis reads (policy, detectors, birth year): the only ones the
    scan keeps of the members' parsed tables."""
    return policy.cell_names() | detect.cell_names() | {BIRTH_YEAR}


def _with_cells(scan: ScanResult, policy: policy_mod.Policy) -> pl.DataFrame:
    """The scan's items plus the original cells the policy and the detectors read, as
    `fields.<cell>` columns (only those: copying every cell would double the memory)."""
    return scan.with_cells(scan.items, policy.cell_names() | detect.cell_names())


def _classify_and_detect(items: pl.DataFrame, policy: policy_mod.Policy, context: policy_mod.MemberContext,
                         watchlist: detect.WatchList | None) -> pl.DataFrame:
    frame = detect.detect(policy_mod.classify(items, policy, context), watchlist)
    # The cells were only inputs: the frame keeps the item columns and what was added.
    return frame.drop(cs.starts_with("fields."))


def _watchlist(path: Path | None):
    """The given watch-list, else the member's default one if it exists (`inventory locate`)."""
    from inventory.paths import watchlist_file

    if path is None:
        default = watchlist_file()
        path = default if default.is_file() else None
    return detect.load_watchlist(path) if path else None


def analyse(paths: Sequence[Path], *, limits: Limits = DEFAULT_LIMITS, policy_path: Path | None = None,
            region: str | None = None, opted_out_on: date | None = None, minor: bool = False,
            watchlist_path: Path | None = None, progress: Progress | None = None,
            cancelled: Callable[[], bool] | None = None, keep_cells: bool = True) -> Analysis:
    """The original cells are released once read: only the few the policy and detectors read
    are kept (`Analysis.cells`), for `reclassify`, and with `keep_cells=False` (a command that
    prints and exits) not even those."""
    policy = policy_mod.load_policy(policy_path)
    watchlist = _watchlist(watchlist_path)
    result = scan_exports(paths, limits, cells=cell_names(policy), progress=progress, cancelled=cancelled)
    items = _with_cells(result, policy)
    context, inferred = _context(result, items, region, opted_out_on, minor)
    result.release_cells()
    cells = items.select(cs.starts_with("fields.")) if keep_cells else None
    frame = _classify_and_detect(items, policy, context, watchlist)
    return Analysis(result, policy, context, frame, inferred, watchlist, cells)


def ensure_read(analysis: Analysis) -> Analysis:
    """`analysis` itself, or NothingRead when no item could be read and some file failed: the
    one case every command (scan, checklist, verify, the UI) stops on, with one line naming the
    file and its problem. Any item read makes the export usable; the failures stay listed."""
    scan = analysis.scan
    if scan.items.height == 0 and scan.has_errors:
        failed = [(f, p) for f in scan.files for p in f.warnings if p.severity == "error"]
        if failed:
            report, problem = failed[0]
            where = f"{report.archive}: {report.path}" + (f" line {problem.line}" if problem.line else "")
            more = f" ({len(failed)} file(s) failed)" if len(failed) > 1 else ""
            raise NothingRead(where, f"nothing could be read: {problem.detail}{more}")
        problem = next(p for p in scan.problems if p.severity == "error")
        raise NothingRead(problem.source, f"nothing could be read: {problem.detail}")
    return analysis


# reclassify(): "leave the opt-out date as it is" (None means "not opted out").
KEEP_DATE = date.min


def reclassify(analysis: Analysis, *, region: str | None = None, opted_out_on: date | None = KEEP_DATE,
               minor: bool | None = None) -> Analysis:
    """Re-run the verdicts and detectors with a new member context (the UI's "what if I...").
    A region or minor of None keeps the current one; `opted_out_on=None` clears the date."""
    context = replace(
        analysis.context,
        region=policy_mod.normalise_region(region) if region else analysis.context.region,
        opted_out_on=analysis.context.opted_out_on if opted_out_on is KEEP_DATE else opted_out_on,
        minor=analysis.context.minor if minor is None else minor,
    )
    if analysis.cells is None:
        raise RuntimeError("this analysis kept no cells to re-classify: released (analyse(keep_cells=False))")
    items = analysis.scan.items.hstack(analysis.cells.get_columns())
    frame = _classify_and_detect(items, analysis.policy, context, analysis.watchlist)
    return replace(analysis, context=context, frame=frame, region_inferred=False)


def sample_archives() -> list[resources.abc.Traversable]:
    """The bundled synthetic sample (Basic + Complete of an invented member), shipped as package
    data (inventory/data/samples/, copies of sample_exports/ that tests keep identical): nothing
    is generated at start."""
    folder = resources.files("inventory") / "data" / "samples"
    return sorted((f for f in folder.iterdir() if f.name.endswith(".zip")), key=lambda f: f.name)


def analyse_sample(**kwargs: object) -> Analysis:
    with contextlib.ExitStack() as stack:
        paths = [stack.enter_context(resources.as_file(archive)) for archive in sample_archives()]
        return analyse(paths, **kwargs)  # type: ignore[arg-type]


# --- JSON contract ---------------------------------------------------------------------------

JSON_ITEM_COLUMNS = (
    "id", "source", "line", "kind", "file_kind", "field", "date", "title", "text", "url", "visibility",
    "parent", "media", "exposure", "exposure_reason", "rule", "source_url", "eligible_from", "eligible_until",
    "flags", "findings", "risk", "risk_reasons", "suggestion", "suggested_text", "action_url", "cluster",
)
_ISO = "%Y-%m-%dT%H:%M:%SZ"


def summary(analysis: Analysis) -> dict[str, object]:
    frame = analysis.frame
    base = summarise(analysis.scan)
    base.update(policy_mod.summarise(frame))
    base["findings_by_type"] = dict(sorted(
        frame.select(pl.col("findings").explode().struct.field("type").alias("t"))
        .drop_nulls().group_by("t").len().rows())) if frame.height else {}
    base["by_suggestion"] = dict(sorted(frame.group_by("suggestion").len().rows())) if frame.height else {}
    base["policy"] = {"id": analysis.policy.id, "version": analysis.policy.version,
                      "last_verified": str(analysis.policy.last_verified)}
    ctx = analysis.context
    base["member"] = {"region": ctx.region, "region_inferred": analysis.region_inferred,
                      "opted_out_on": ctx.opted_out_on.isoformat() if ctx.opted_out_on else None,
                      "minor": ctx.minor}
    base["offline"] = True
    return base


def export_info(scan: ScanResult) -> dict[str, object]:
    return {
        "kind": scan.export_kind,
        "date": scan.export_date.isoformat() if scan.export_date else None,
        "archives": [{"name": a.label, "delivery": a.delivery, "container": a.container,
                      "date": a.export_date.isoformat() if a.export_date else None} for a in scan.archives],
        "files": [f.as_dict() for f in scan.files],
        "problems": [p.as_dict() for p in scan.problems],
        "merges": [m.as_dict() for m in scan.merges],
        "disambiguated": [d.as_dict() for d in scan.disambiguated],
    }


def _json_items(frame: pl.DataFrame, policy: policy_mod.Policy | None = None) -> pl.DataFrame:
    """The items as the JSON lists them: its columns, words rendered in English by the words of
    `policy` (the one that classified the frame; render.py), ISO 8601 dates."""
    frame = render.words(frame, policy=policy)
    columns = [c for c in JSON_ITEM_COLUMNS if c in frame.columns]
    return frame.select(columns).with_columns(
        [pl.col(c).dt.strftime(_ISO) for c in ("date", "eligible_from", "eligible_until") if c in columns])


def json_head(analysis: Analysis) -> dict[str, object]:
    """Everything in the JSON document before the items."""
    return {"inventory": __version__, "export": export_info(analysis.scan), "summary": summary(analysis)}


JSON_BATCH = 5_000  # items serialised at a time: the text of one batch is a few MiB, held about twice


def write_json(analysis: Analysis, out: TextIO) -> None:
    """Write the JSON document to `out` batch by batch, never as one string (it would be several
    times the item table). Characters a terminal would act on are escaped (text.escape_json_text).
    Where `out` has a binary buffer (standard output), polars' bytes go to it as they are, with no
    round trip through str."""
    head = json.dumps(json_head(analysis), ensure_ascii=False, indent=1)
    out.write(escape_json_text(head[:-2]) + ',\n "items": [')
    binary = getattr(out, "buffer", None)
    if binary is not None:
        out.flush()
    frame = analysis.frame
    for offset in range(0, frame.height, JSON_BATCH):
        batch = _json_items(frame.slice(offset, JSON_BATCH), analysis.policy)
        serialised = io.BytesIO()
        batch.write_json(serialised)
        items = serialised.getbuffer()[1:-1]  # the batch's items, without its brackets
        separator = "," if offset else ""
        # Looked for in the values (polars), not in the text: almost no batch has any.
        if has_json_unsafe(batch):
            out.write(separator + escape_json_text(bytes(items).decode("utf-8")))
            if binary is not None:
                out.flush()  # before the next bytes written under the text layer
        elif binary is not None:
            binary.write(separator.encode())
            binary.write(items)
        else:
            out.write(separator + bytes(items).decode("utf-8"))
        del items
    out.write("]\n}\n")
