"""Scan speed and memory on a heavy synthetic export, as ratios against a floor measured in the
same run (not a timed test).

floor  = benchmarks/floor.py: inflate every member and parse every CSV with polars (all strings)
scan   = `inventory scan` work: scan_exports (archive checks, dialect, readers, item table)
full   = scan + policy + detectors (what `inventory scan --json` computes)
peer   = linkedin2md (PyPI), a converter of the same export, on the same archive, if installed

Peak memory of the scan is measured in a child process (VmHWM) and compared with the
uncompressed size of the export and with the floor's own peak, measured the same way.

    python benchmarks/bench_scan.py --scale 100
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path


from floor import floor  # noqa: F401 - also imported from here by the children below
from inventory.samples import build_export, write_zip


def timed(fn, *args) -> float:
    started = time.perf_counter()
    fn(*args)
    return time.perf_counter() - started


# Peak memory, in a child process each: VmHWM is the process's own peak (ru_maxrss would include
# the parent's, kept across exec). RssFile at the end is the part of it that is shared library
# code paged in (polars' CSV reader, string kernels...), not data.
_STATUS = """
def status():
    found = {}
    for line in open("/proc/self/status"):
        key, _, value = line.partition(":")
        if key in ("VmHWM", "RssFile", "RssAnon"):
            found[key] = int(value.split()[0])
    return found
"""

_CHILD_SCAN = _STATUS + """
import json, sys, time
from pathlib import Path
from inventory.scan import scan_exports
base = status()
started = time.perf_counter()
result = scan_exports([Path(sys.argv[1])])
print(json.dumps({"items": result.items.height, "seconds": time.perf_counter() - started,
                  "base": base, "end": status()}))
"""

# The floor's own peak, for comparison: imports as the scan's child has them, then inflate and
# parse every CSV, keeping nothing.
_CHILD_FLOOR = _STATUS + """
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from bench_scan import floor
import inventory.scan  # the same imports as the scan's child
base = status()
floor(Path(sys.argv[1]))
print(json.dumps({"base": base, "end": status()}))
"""


# Time of the floor or the scan in a fresh process: imports and a first warm-up run excluded,
# best of three runs.
_CHILD_TIME = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from bench_scan import floor, timed
from inventory.scan import scan_exports
archive = Path(sys.argv[1])
run = (lambda: floor(archive)) if sys.argv[2] == "floor" else (lambda: timed(scan_exports, [archive]))
run()
print(json.dumps({"seconds": min(run() for _ in range(3))}))
"""


def child(code: str, archive: Path, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, str(archive), *args, str(Path(__file__).parent)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def mib(kib: int) -> float:
    return round(kib / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from inventory import detect, policy
    from inventory.scan import scan_exports

    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / "Complete_LinkedInDataExport_11-21-2026.zip"
        files = build_export("complete", scale=args.scale)
        write_zip(files, archive)
        uncompressed = sum(len(b) for b in files.values())
        archive_bytes = archive.stat().st_size
        del files
        with zipfile.ZipFile(archive) as z:
            counts = {}
            for name in ("messages.csv", "Connections.csv", "SearchQueries.csv"):
                counts[name] = z.read(name).count(b"\n")

        # Each timed in its own child process (one leaves the allocator in a state that slows or
        # speeds the other by about 5%), children alternating so a background load hits both
        # alike; the best of each.
        floors, scans = [], []
        for _ in range(args.repeat):
            floors.append(child(_CHILD_TIME, archive, "floor")["seconds"])
            scans.append(child(_CHILD_TIME, archive, "scan")["seconds"])
        result = scan_exports([archive])
        pol = policy.load_policy()
        ctx = policy.MemberContext(region="eu")
        # As pipeline.analyse does: the original cells the rules and detectors read, then both.
        items = result.with_cells(result.items, pol.cell_names() | detect.cell_names())
        classify_s = min(timed(policy.classify, items, pol, ctx) for _ in range(args.repeat))
        classified = policy.classify(items, pol, ctx)
        detect_s = min(timed(detect.detect, classified) for _ in range(args.repeat))

        mem = child(_CHILD_SCAN, archive)
        floor_mem = child(_CHILD_FLOOR, archive)

        peer = None
        if shutil.which("linkedin2md"):
            out = Path(folder) / "md"
            started = time.perf_counter()
            done = subprocess.run(["linkedin2md", "-q", "-o", str(out), str(archive)], capture_output=True)
            peer = (time.perf_counter() - started, done.returncode)

    best_floor, best_scan = min(floors), min(scans)
    report = {
        "scale": args.scale,
        "archive_mib": round(archive_bytes / 2**20, 1),
        "uncompressed_mib": round(uncompressed / 2**20, 1),
        "items": result.items.height,
        "rows_in": counts,
        "floor_s": round(best_floor, 3),
        "scan_s": round(best_scan, 3),
        "scan_over_floor": round(best_scan / best_floor, 2),
        "classify_s": round(classify_s, 3),
        "detect_s": round(detect_s, 3),
        "detect_over_scan": round(detect_s / best_scan, 2),
        "peak_rss_mib": mib(mem["end"]["VmHWM"]),
        "rss_after_imports_mib": mib(mem["base"]["VmHWM"]),
        "library_code_paged_in_mib": mib(mem["end"]["RssFile"]),
        "peak_over_uncompressed": round(mem["end"]["VmHWM"] * 1024 / uncompressed, 2),
        "peak_above_imports_over_uncompressed": round((mem["end"]["VmHWM"] - mem["base"]["VmHWM"]) * 1024
                                                      / uncompressed, 2),
        "floor_peak_rss_mib": mib(floor_mem["end"]["VmHWM"]),
        "floor_peak_over_uncompressed": round(floor_mem["end"]["VmHWM"] * 1024 / uncompressed, 2),
        "peak_over_floor_peak": round(mem["end"]["VmHWM"] / floor_mem["end"]["VmHWM"], 2),
        "linkedin2md_s": round(peer[0], 3) if peer else None,
        "linkedin2md_exit": peer[1] if peer else None,
    }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
