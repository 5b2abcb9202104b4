"""Whole commands as a member meets them: each run is a separate process, timed from its start to
its exit (the UI: to its first screen with the export loaded), with its peak resident memory,
against the floor and linkedin2md on the same archive, in one run. Not a test.

    python benchmarks/run.py                 # every fixture, 3 rounds; writes benchmarks/report.md
    python benchmarks/run.py --quick         # scales 1 and 25 only, 2 rounds
    python benchmarks/run.py --baseline DIR  # also runs inventory from another checkout (DIR holds
                                             # its `inventory` package), paired with this one

Pairing: within a round every command runs once on the same archive, in an order rotated each
round, so a background load (the machine may be shared) falls on all of them alike; ratios are
taken within a round, then the median over rounds is reported. Peak memory is the child's
maximum resident set size (GNU time's %M; without it, wait4's ru_maxrss); processor time is its
user and system time (wait4's, its own and its children's: a diagnostic beside the time waited,
which a shared machine moves more). This driver imports no polars and stays small, so nothing of
its own memory is counted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GNU_TIME = "/usr/bin/time"
UI_SIZE = (45, 160)  # rows, columns
UI_LOADED = re.compile(r"\u00b7 [\d,.\u202f\u00a0 ]+ (items|éléments)")
ANSI = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])")
DEADLINE = 900.0  # seconds; a run past this is killed and reported as such


@dataclass
class Command:
    name: str
    argv: list[str]
    ui: bool = False
    env: dict[str, str] = field(default_factory=dict)
    ours: bool = True


@dataclass
class Run:
    seconds: float
    peak_kib: int
    status: int
    cpu_seconds: float = float("nan")  # user + system


def gnu_time() -> bool:
    if not Path(GNU_TIME).exists():
        return False
    done = subprocess.run([GNU_TIME, "-f", "%M", "true"], capture_output=True, text=True)
    return done.returncode == 0 and done.stderr.strip().isdigit()


def measure(argv: list[str], env: dict[str, str], workdir: Path, use_time: bool, ui: bool) -> Run:
    rss_file = workdir / "rss.txt"
    rss_file.unlink(missing_ok=True)
    full = [GNU_TIME, "-f", "%M", "-o", str(rss_file), *argv] if use_time else argv
    if ui:
        seconds, status, usage = _measure_ui(full, env, workdir)
    else:
        started = time.perf_counter()
        process = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env=env, cwd=workdir)
        status, usage = _wait(process, started)
        seconds = time.perf_counter() - started
    if use_time:
        peak = int(rss_file.read_text().split()[-1])
    else:  # Linux reports KiB, macOS bytes
        peak = usage.ru_maxrss // (1024 if sys.platform == "darwin" else 1)
    return Run(seconds, peak, status, usage.ru_utime + usage.ru_stime)


def _wait(process: subprocess.Popen, started: float):
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return process.returncode, usage
        if time.perf_counter() - started > DEADLINE:
            process.kill()
        time.sleep(0.005)


def _measure_ui(argv: list[str], env: dict[str, str], workdir: Path):
    """Start the UI in a pseudo-terminal; the time is until the loaded export's subtitle
    (`<archive> · N items`) is drawn; then `q` quits it and its peak memory covers the whole run."""
    import fcntl
    import pty
    import struct
    import termios

    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", UI_SIZE[0], UI_SIZE[1], 0, 0))
    ui_env = dict(env, TERM="xterm-256color", LINES=str(UI_SIZE[0]), COLUMNS=str(UI_SIZE[1]))
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdin=child, stdout=child, stderr=child, env=ui_env, cwd=workdir,
                               start_new_session=True)
    os.close(child)
    shown = None
    tail = ""
    try:
        while process.poll() is None:
            if time.perf_counter() - started > DEADLINE:
                process.kill()
                break
            ready, _, _ = select.select([main], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(main, 1 << 16)
            except OSError:
                break
            if shown is None:
                tail = (tail + ANSI.sub("", chunk.decode("utf-8", "replace")))[-4000:]
                if UI_LOADED.search(tail):
                    shown = time.perf_counter() - started
                    os.write(main, b"q")
        status, usage = _wait(process, started)
        # drain what is left so the child is never blocked writing
    finally:
        os.close(main)
    return (shown if shown is not None else float("nan")), status, usage


def fixtures(folder: Path, scales: list[int], extra: bool) -> dict[str, dict]:
    done = subprocess.run([sys.executable, str(HERE / "fixtures.py"), str(folder), *map(str, scales)]
                          + ([] if extra else ["--no-extra"]), capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def commands(archive: Path, state_dir: Path, out_dir: Path, baseline: Path | None) -> list[Command]:
    py = sys.executable
    ours = [
        ("scan", ["scan", str(archive)], False),
        ("scan --json", ["scan", "--json", str(archive)], False),
        ("checklist", ["checklist", str(archive)], False),
        ("ui first screen", ["ui", str(archive)], True),
    ]
    listed = [Command("floor", [py, str(HERE / "floor.py"), str(archive)], ours=False)]
    trees = [("", None)] + ([(" (baseline)", baseline)] if baseline else [])
    for suffix, tree in trees:
        env = {"PYTHONPATH": str(tree)} if tree else {}
        for name, args, ui in ours:
            listed.append(Command(name + suffix, [py, "-m", "inventory", *args], ui=ui, env=env))
    linkedin2md = shutil.which("linkedin2md") or str(Path(py).parent / "linkedin2md")
    if Path(linkedin2md).exists():
        listed.append(Command("linkedin2md 0.7.2", [linkedin2md, "-q", "-o", str(out_dir / "md"), str(archive)],
                              ours=False))
    return listed


def run_rounds(archive: Path, rounds: int, workdir: Path, baseline: Path | None, use_time: bool,
               log, only: set[str] | None = None) -> dict[str, list[Run]]:
    state_dir = workdir / "state"
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    out_dir = workdir / "out"
    listed = [c for c in commands(archive, state_dir, out_dir, baseline)
              if only is None or c.name == "floor" or c.name.removesuffix(" (baseline)") in only]
    results: dict[str, list[Run]] = {c.name: [] for c in listed}
    for round_ in range(rounds):
        order = listed[round_ % len(listed):] + listed[:round_ % len(listed)]
        for command in order:
            shutil.rmtree(state_dir, ignore_errors=True)  # every run starts with no decisions
            shutil.rmtree(out_dir, ignore_errors=True)
            out_dir.mkdir()
            # As a member's install has them: compiled modules (pip writes them at install).
            env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
            env.update(HOME=str(home), INVENTORY_STATE_DIR=str(state_dir), LANG="C.UTF-8", LC_ALL="C.UTF-8",
                       **command.env)
            run = measure(command.argv, env, workdir, use_time, command.ui)
            results[command.name].append(run)
            log(f"  round {round_ + 1} {command.name:22} {run.seconds:8.2f} s {run.cpu_seconds:6.2f} s cpu {run.peak_kib / 1024:8.0f} MiB"
                f"  exit {run.status}")
    return results


def against_baseline(results: dict[str, list[Run]]) -> list[str]:
    """Each command against the same command from the baseline tree, paired within rounds."""
    lines = []
    for name, runs in results.items():
        base = results.get(f"{name} (baseline)")
        if not base:
            continue
        time_ratio = statistics.median(r.seconds / b.seconds for r, b in zip(runs, base))
        peak_ratio = statistics.median(r.peak_kib / b.peak_kib for r, b in zip(runs, base))
        lines.append(f"`{name}`: {time_ratio:.2f}× the baseline's time, {peak_ratio:.2f}× its peak memory "
                     f"(median of {len(runs)} paired rounds).")
    return lines


def summarise(results: dict[str, list[Run]]) -> list[dict]:
    floors = results["floor"]
    rows = []
    for name, runs in results.items():
        ratios_t = [r.seconds / f.seconds for r, f in zip(runs, floors)]
        ratios_m = [r.peak_kib / f.peak_kib for r, f in zip(runs, floors)]
        rows.append({
            "command": name,
            "seconds": statistics.median(r.seconds for r in runs),
            "seconds_range": (min(r.seconds for r in runs), max(r.seconds for r in runs)),
            "over_floor": statistics.median(ratios_t),
            "peak_mib": statistics.median(r.peak_kib for r in runs) / 1024,
            "cpu_seconds": statistics.median(r.cpu_seconds for r in runs),
            "peak_over_floor": statistics.median(ratios_m),
            "statuses": sorted({r.status for r in runs}),
            "runs": len(runs),
        })
    return rows


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    with_cpuinfo = Path("/proc/cpuinfo")
    if with_cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", with_cpuinfo.read_text())
        cpu = found.group(1).strip() if found else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"MemTotal:\s*(\d+)", meminfo.read_text())
        memory = f"{int(found.group(1)) / 2**20:.1f} GiB" if found else ""
    versions = subprocess.run([sys.executable, "-c", "import polars, sys; print(polars.__version__)"],
                              capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    return {"os": f"{platform.system()} {platform.release()}", "cpu": cpu, "cores": str(os.cpu_count()),
            "memory": memory, "python": platform.python_version(), "polars": versions, "commit": commit}


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def report(meta: dict, tables: list[tuple[str, dict, list[dict]]], refilter: dict | None) -> str:
    lines = [
        "# Whole-command benchmark",
        "",
        f"Run {meta['started']} to {meta['finished']} (UTC), `python benchmarks/run.py {meta['args']}`.",
        "",
        f"Machine: {meta['machine']['os']}, {meta['machine']['cpu']}, {meta['machine']['cores']} cores, "
        f"{meta['machine']['memory']}; Python {meta['machine']['python']}, polars {meta['machine']['polars']}; "
        f"inventory at commit {meta['machine']['commit']}.",
        f"Load average (1, 5, 15 min) at the start: {meta['load_start']}; at the end: {meta['load_end']}.",
        "",
        "Each figure is the median of the rounds; `× floor` is the median of the ratios taken within each "
        "round (the floor ran in the same round, next to it), so a background load that slows a round "
        "slows both sides. The machine may be shared with other work: absolute seconds vary with it, "
        "the ratios much less.",
        "",
        "The floor: start Python, inflate every member with zipfile, parse every CSV with polars "
        "(`benchmarks/floor.py`). Time is from process start to exit; the UI's is from process start "
        "to its first screen with the export loaded (then it quits). Peak memory is the process's "
        "maximum resident set size. Processor time is the process's user and system time, its "
        "children's included (the UI's until it has quit).",
        "",
    ]
    for title, info, rows in tables:
        lines += [f"## {title}", "",
                  f"{info['zip_bytes'] / 2**20:.1f} MiB ZIP, {info['members']:,} members, "
                  f"{info['csv_bytes'] / 2**20:.1f} MiB of CSV.", "",
                  "| command | seconds (median, range) | × floor | processor s | peak MiB | × floor's peak | exit |",
                  "|---|---|---|---|---|---|---|"]
        for row in rows:
            low, high = row["seconds_range"]
            lines.append(f"| {row['command']} | {row['seconds']:.2f} ({low:.2f}–{high:.2f}) | "
                         f"{row['over_floor']:.2f} | {row['cpu_seconds']:.2f} | {row['peak_mib']:.0f} | "
                         f"{row['peak_over_floor']:.2f} | "
                         f"{','.join(map(str, row['statuses']))} |")
        by_name = {r["command"]: r for r in rows}
        if "linkedin2md 0.7.2" in by_name and "scan" in by_name:
            peer = by_name["linkedin2md 0.7.2"]
            lines += ["", f"`inventory scan` takes {by_name['scan']['seconds'] / peer['seconds']:.2f}× "
                          f"linkedin2md's time, {by_name['scan']['cpu_seconds'] / peer['cpu_seconds']:.2f}× its "
                          f"processor time and {by_name['scan']['peak_mib'] / peer['peak_mib']:.2f}× its peak memory."]
        if rows and rows[0].get("baseline"):
            lines += ["", f"Against the baseline tree ({meta['baseline']}):", ""] + [f"- {x}" for x in rows[0]["baseline"]]
        lines.append("")
    if len(tables) > 1:
        lines += ["## Memory added per MiB of CSV", "",
                  "Peak above the smallest archive's peak, per MiB of CSV above it (the scaled samples):", "",
                  "| command | " + " | ".join(t for t, _, _ in tables if t.startswith("scale")) + " |",
                  "|---|" + "---|" * sum(1 for t, _, _ in tables if t.startswith("scale"))]
        scaled = [(t, i, {r["command"]: r for r in rows}) for t, i, rows in tables if t.startswith("scale")]
        if scaled:
            _, base_info, base_rows = scaled[0]
            for name in base_rows:
                cells = []
                for _t, info, rows in scaled:
                    extra_csv = (info["csv_bytes"] - base_info["csv_bytes"]) / 2**20
                    cells.append(f"{(rows[name]['peak_mib'] - base_rows[name]['peak_mib']) / extra_csv:.1f}"
                                 if extra_csv > 0 else "–")
                lines.append(f"| {name} | " + " | ".join(cells) + " |")
        lines.append("")
    if refilter:
        lines += ["## Terminal UI: changing a filter or the search", "",
                  f"Inside the running app (headless, {refilter['items']:,} items, scale {refilter['scale']}): "
                  f"median {refilter['refilter_median_ms']:.0f} ms, slowest {refilter['refilter_max_ms']:.0f} ms "
                  "over its set of typical changes (`benchmarks/bench_tui.py`).", ""]
    return "\n".join(lines)


def compile_trees(trees: list[Path]) -> None:
    """Bytecode for every module run, as `pip install` writes it: otherwise each run would
    compile the package from source (and none would, where PYTHONDONTWRITEBYTECODE is set)."""
    import compileall

    for tree in trees:
        compileall.compile_dir(str(tree / "inventory"), quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default="1,25,100,400,800", help="sample scales (comma-separated)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="scales 1 and 25, no extra fixtures, 2 rounds")
    parser.add_argument("--baseline", type=Path, default=None, help="another checkout to run paired with this one")
    parser.add_argument("--out", type=Path, default=HERE / "report.md")
    parser.add_argument("--keep", type=Path, default=None, help="keep the fixtures in this folder (reused)")
    parser.add_argument("--only", default=None,
                        help="commands to run besides the floor, comma-separated (e.g. 'scan,scan --json')")
    parser.add_argument("--no-extra", action="store_true", help="only the scaled samples")
    args = parser.parse_args()
    scales = [1, 25] if args.quick else [int(s) for s in args.scales.split(",")]
    rounds = 2 if args.quick else args.rounds
    use_time = gnu_time()
    started = datetime.now(timezone.utc)
    meta = {"started": started.strftime("%Y-%m-%d %H:%M"), "args": " ".join(sys.argv[1:]),
            "baseline": str(args.baseline) if args.baseline else None,
            "machine": machine(), "load_start": load()}

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    compile_trees([REPO] + ([args.baseline] if args.baseline else []))
    with tempfile.TemporaryDirectory(prefix="inventory-bench-") as tmp:
        folder = args.keep or Path(tmp) / "fixtures"
        listing = folder / "fixtures.json"
        if listing.exists():
            made = json.loads(listing.read_text())
        else:
            log("writing the fixtures...")
            made = fixtures(folder, scales, extra=not (args.quick or args.no_extra))
            listing.write_text(json.dumps(made))
        tables = []
        for title, info in made.items():
            log(f"{title}:")
            workdir = Path(tmp) / "work"
            shutil.rmtree(workdir, ignore_errors=True)
            workdir.mkdir()
            only = {c.strip() for c in args.only.split(",")} if args.only else None
            results = run_rounds(Path(info["path"]), rounds, workdir, args.baseline, use_time, log, only)
            rows = summarise(results)
            rows[0]["baseline"] = against_baseline(results)
            tables.append((title, info, rows))
        refilter = None
        heavy = next((s for s in (100, 25) if s in scales), None)
        if heavy is not None and (args.only is None or "refilter" in args.only):
            log("terminal UI refilter...")
            done = subprocess.run([sys.executable, str(HERE / "bench_tui.py"), "--scale", str(heavy)],
                                  capture_output=True, text=True)
            if done.returncode == 0:
                refilter = dict(json.loads(done.stdout), scale=heavy)
    meta["finished"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M")
    meta["load_end"] = load()
    text = report(meta, tables, refilter)
    args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
