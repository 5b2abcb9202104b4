"""Command line: thin click commands over the core. `inventory` with no command opens the UI.

Exit statuses: 0 done (warnings allowed), 1 internal error or, for `verify`, something left to do,
2 bad or refused input, 3 environment problem, 130 interrupted.
"""

from __future__ import annotations

import gc
import os
import sys

# polars' allocator (jemalloc) keeps what it frees for 10 s by default, in one arena per thread:
# a scan, which lasts a few seconds, then peaks at the sum of every stage's temporary tables.
# Freed pages returned after 50 ms, and one arena that every thread reuses, cut the peak by a
# quarter at no measurable cost in time; per-thread caches of small blocks only (up to 4 KiB,
# not 32) another 4 MiB at `--scale 100`, also at no cost (benchmarks/README.md). jemalloc reads
# this once, when polars loads, which no module imported here does; a value the member set is kept.
os.environ.setdefault("_RJEM_MALLOC_CONF", "narenas:1,dirty_decay_ms:50,muzzy_decay_ms:0,tcache_max:4096")
from dataclasses import fields
from pathlib import Path
from typing import Any, Callable

import click

from inventory import __version__
from inventory.errors import InventoryError
from inventory.i18n import detect_language, t
from inventory.limits import DEFAULT_LIMITS, Limits

_LIMIT_FLAGS = [f for f in fields(Limits) if f.name != "allowed_methods"]


def _imported() -> None:
    """Called by each command once its modules are imported. What importing made (tens of
    thousands of objects: classes, functions, tables) lives as long as the process: the garbage
    collector, paused while it was made (main), stops going over it (gc.freeze) and runs again
    for what the command makes. Each full collection otherwise went over all of it, every
    thread waiting (30 ms at `--scale 100`, where `scan` then took 4 to 10 % less time;
    benchmarks/README.md). Frozen once per process: tests run many commands in one."""
    if not gc.get_freeze_count():
        gc.freeze()
    if _paused_collector:
        gc.enable()


_paused_collector = False  # main paused the garbage collector for the imports (_imported)


def _limits_from(options: dict[str, Any]) -> Limits:
    changes: dict[str, Any] = {}
    for f in _LIMIT_FLAGS:
        value = options.pop(f.name, None)
        if value is None:
            continue
        default = getattr(DEFAULT_LIMITS, f.name)
        if value < default:
            raise click.BadParameter(f"limits can only be raised (default {default})",
                                     param_hint="--" + f.name.replace("_", "-"))
        changes[f.name] = value
    allow = options.pop("allow_method", ())
    methods = {"bzip2": 12, "lzma": 14}
    if allow:
        changes["allowed_methods"] = DEFAULT_LIMITS.allowed_methods + tuple(methods[m] for m in allow)
    return DEFAULT_LIMITS.raised(**changes)


def _readable_file(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    """A file named for reading (--policy, --watchlist) is refused in one line when a folder, a
    FIFO (whose read would wait forever), a device, a link to nothing or an unreadable file stands
    there; a missing one is left to its loader, which says what it is."""
    if value is None:
        return None
    from inventory.files import describe_os_error, open_regular

    try:
        with open_regular(value):
            pass
    except FileNotFoundError:
        return value
    except OSError as exc:
        raise InventoryError(str(value), f"cannot read: {describe_os_error(exc)}") from None
    return value


def analysis_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Member context, policy, watch-list and limit flags shared by every analysing command."""
    for f in reversed(_LIMIT_FLAGS):
        kind = float if isinstance(getattr(DEFAULT_LIMITS, f.name), float) else int
        command = click.option("--" + f.name.replace("_", "-"), f.name, type=kind, default=None,
                               hidden=True, help=f"Raise the {f.name} limit.")(command)
    command = click.option("--allow-method", type=click.Choice(["bzip2", "lzma"]), multiple=True, hidden=True,
                           help="Also read members compressed with this method.")(command)
    command = click.option("--watchlist", type=click.Path(path_type=Path), default=None, callback=_readable_file,
                           help="TOML file of terms to watch (see README).")(command)
    command = click.option("--minor", is_flag=True, help="You were under 18 (all your data is excluded).")(command)
    command = click.option("--opted-out-on", type=click.DateTime(["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"]), default=None,
                           help="Date you switched 'Data for Generative AI Improvement' off "
                                "(YYYY-MM-DD, DD/MM/YYYY or DD.MM.YYYY). Default: the one set in the UI.")(command)
    command = click.option("--region", default=None,
                           help="Your region or country (eu, uk, ch, ca, hk, us, other, or FR, DE, ...). "
                                "Default: inferred from your profile.")(command)
    command = click.option("--policy", "policy_path", type=click.Path(path_type=Path), default=None,
                           callback=_readable_file,
                           help="Use another policy file (when LinkedIn changes its terms).")(command)
    return command


def _analysis_kwargs(options: dict[str, Any], state_path: Path | None = None, *, saved: bool = True,
                     tolerant: bool = False) -> dict[str, Any]:
    """The analysis options from the flags, completed (unless `saved` is False) by the member
    context saved in the state file with the UI's `m` (a flag wins). A damaged state file stops
    the command (it needs the decisions too), or with `tolerant` is only reported."""
    opted = options.pop("opted_out_on", None)
    kwargs = {
        "limits": _limits_from(options),
        "policy_path": options.pop("policy_path", None),
        "region": options.pop("region", None),
        "opted_out_on": opted.date() if opted else None,
        "minor": options.pop("minor", False),
        "watchlist_path": options.pop("watchlist", None),
    }
    if saved:
        from inventory.state import saved_context

        kwargs.update(saved_context(kwargs, _saved_context(state_path, tolerant)))
    return kwargs


def _saved_context(state_path: Path | None, tolerant: bool) -> dict[str, Any]:
    from inventory.errors import StateError
    from inventory.state import DecisionStore

    try:
        return DecisionStore.read_state(state_path).context
    except StateError as error:
        if not tolerant:
            raise
        click.echo(f"inventory: {error} (the member context saved with `m` is not used)", err=True)
        return {}


def _analyse(exports: tuple[Path, ...], options: dict[str, Any], state_path: Path | None = None, *,
             tolerant: bool = False):
    from inventory import pipeline

    _imported()
    # A command prints and exits: not even the cells re-classification reads are kept (the UI keeps those).
    kwargs = dict(_analysis_kwargs(options, state_path, tolerant=tolerant), keep_cells=False)
    if not exports:
        return pipeline.analyse_sample(**kwargs)
    return pipeline.analyse(list(exports), **kwargs)


class DefaultToUI(click.Group):
    """`inventory [EXPORT...]` opens the terminal UI; known words are subcommands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version",
                                                                             "--show-limits")):
            args = ["ui", *args]
        return super().parse_args(ctx, args)


def _show_limits(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    for name, current, flag in DEFAULT_LIMITS.describe():
        click.echo(f"{name:24} {current!s:>14}  {flag}")
    ctx.exit(0)


@click.group(cls=DefaultToUI, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="inventory")
@click.option("--show-limits", is_flag=True, expose_value=False, is_eager=True, callback=_show_limits,
              help="Print every safety limit, its default and the flag that raises it.")
def cli() -> None:
    """See which of your LinkedIn data is becoming AI training material, and clean it up.

    Runs entirely on this machine, with no network access. With no command, opens the
    terminal UI on the given exports (or on the bundled synthetic sample)."""


@cli.command("ui")
@click.argument("exports", nargs=-1, type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(["en", "fr"]), default=None, help="Interface language.")
@click.option("--state", "state_path", type=click.Path(path_type=Path), default=None,
              help="Decisions file to use instead of the default location.")
@click.option("--recover", is_flag=True,
              help="If the decisions file is damaged, start from its backup (the damaged file is kept).")
@analysis_options
def ui_command(exports: tuple[Path, ...], lang: str | None, state_path: Path | None, recover: bool,
               **options: Any) -> None:
    """Browse your exposure in the terminal UI (the default command)."""
    from inventory.tui.app import run

    _imported()
    kwargs = _analysis_kwargs(options, saved=False)  # the UI reads it from the state it opens
    kwargs["state_path"] = state_path
    kwargs["recover"] = recover
    sys.exit(run(list(exports), lang=detect_language(lang), options=kwargs))


@cli.command("scan")
@click.argument("exports", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document (see README).")
@click.option("--lang", type=click.Choice(["en", "fr"]), default=None, help="Language of the text output.")
@analysis_options
def scan_command(exports: tuple[Path, ...], as_json: bool, lang: str | None, **options: Any) -> None:
    """Read exports and print what they hold, item by item verdicts and findings.

    With no EXPORT, reads the bundled synthetic sample."""
    from inventory import pipeline
    from inventory.report import render_scan

    analysis = _analyse(exports, options, tolerant=True)
    if as_json:
        pipeline.write_json(analysis, sys.stdout)
    else:
        click.echo(render_scan(analysis, detect_language(lang)))
    sys.stdout.flush()
    pipeline.ensure_read(analysis)  # exit 2 with its line, after the report that lists why


@cli.command("policy")
@click.option("--policy", "policy_path", type=click.Path(path_type=Path), default=None, callback=_readable_file)
@click.option("--json", "as_json", is_flag=True)
@click.option("--lang", type=click.Choice(["en", "fr"]), default=None, help="Language of the text output.")
def policy_command(policy_path: Path | None, as_json: bool, lang: str | None) -> None:
    """Print the policy rules in force: verdict, reason and source of each."""
    import json

    from inventory import policy as policy_mod
    from inventory.report import render_policy

    _imported()
    policy = policy_mod.load_policy(policy_path)
    if as_json:
        click.echo(json.dumps({"id": policy.id, "version": policy.version,
                               "last_verified": str(policy.last_verified),
                               "rules": policy_mod.describe_policy(policy)}, ensure_ascii=False, indent=1))
    else:
        click.echo(render_policy(policy, detect_language(lang)))


@cli.command("checklist")
@click.argument("exports", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write to this file (0600) instead of standard output.")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "csv", "json"]), default="md")
@click.option("--lang", type=click.Choice(["en", "fr"]), default=None)
@click.option("--state", "state_path", type=click.Path(path_type=Path), default=None,
              help="Decisions file (default: the one the UI writes).")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@analysis_options
def checklist_command(exports: tuple[Path, ...], output: Path | None, fmt: str, lang: str | None,
                      state_path: Path | None, force: bool, **options: Any) -> None:
    """Write the cleanup checklist: settings, deletions, edits, what is already excluded."""
    from inventory import checklist
    from inventory.files import atomic_write
    from inventory.report import checklist_context
    from inventory.state import DecisionStore

    from inventory.pipeline import ensure_read

    analysis = ensure_read(_analyse(exports, options, state_path))
    language = detect_language(lang)
    decisions = DecisionStore.read_decisions(state_path)
    built = checklist.build_checklist(analysis.frame, decisions, lang=language,
                                      context=checklist_context(analysis), policy=analysis.policy)
    text = checklist.render(built, fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        atomic_write(output, text.encode("utf-8"), force=force)
        click.echo(t("cli.written", language, path=output), err=True)


@cli.command("verify")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text")
@click.option("--lang", type=click.Choice(["en", "fr"]), default=None)
@click.option("--state", "state_path", type=click.Path(path_type=Path), default=None,
              help="Decisions file (default: the one the UI writes).")
@analysis_options
def verify_command(old: Path, new: tuple[Path, ...], fmt: str, lang: str | None, state_path: Path | None,
                   **options: Any) -> None:
    """Check a newer export against the old one (or a saved checklist or state file): what is gone."""
    from inventory import pipeline, verify
    from inventory.state import DecisionStore

    _imported()
    kwargs = dict(_analysis_kwargs(options, state_path), keep_cells=False)  # as _analyse
    if old.suffix.lower() == ".json" and old.is_file():
        old_frame, plan = verify.load_plan(old)
    else:
        old_frame = pipeline.ensure_read(pipeline.analyse([old], **kwargs)).frame
        plan = verify.plan_from_frame(old_frame, DecisionStore.read_decisions(state_path))
    new_analysis = pipeline.ensure_read(pipeline.analyse(list(new), **kwargs))
    report = verify.verify(old_frame, plan, new_analysis.frame)
    sys.stdout.write(verify.render(report, fmt, detect_language(lang)))
    sys.exit(verify.exit_status(report))


@cli.command("sample")
@click.option("--out", type=click.Path(path_type=Path), required=True)
@click.option("--scale", type=click.IntRange(1, 1000), default=1,
              help="Multiply the activity files (100 makes a heavy export for benchmarks).")
@click.option("--deflate64/--no-deflate64", default=None,
              help="Also write the Deflate64 copy (needs 7-Zip's 7zz; default: when installed).")
def sample_command(out: Path, scale: int, deflate64: bool | None) -> None:
    """Write the synthetic sample exports (invented people, EN and FR) into a folder."""
    from inventory.followup import write_followup
    from inventory.samples import write_samples

    _imported()
    written = write_samples(out, scale=scale, deflate64=deflate64)
    if scale == 1:  # the member's "next export", for trying `inventory verify`
        written.append(write_followup(out))
    for path in written:
        click.echo(str(path))


@cli.command("locate")
def locate_command() -> None:
    """Print where inventory keeps its files (decisions, configuration, watch-list)."""
    from inventory.paths import locations

    _imported()
    for name, path in locations().items():
        click.echo(f"{name:12} {path}")


def main(argv: list[str] | None = None) -> None:
    """Entry point: typed errors become one line on stderr; no traceback, no data, ever."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    global _paused_collector
    _paused_collector = gc.isenabled()  # not when the caller had paused it already
    gc.disable()  # imports make no garbage worth looking for (_imported)
    try:
        _run(argv)
    finally:
        if _paused_collector:
            gc.enable()
            _paused_collector = False


def _run(argv: list[str] | None) -> None:
    try:
        cli.main(args=argv, prog_name="inventory", standalone_mode=False)
    except InventoryError as error:
        click.echo(f"inventory: {error}", err=True)
        sys.exit(error.exit_status)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("inventory: interrupted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("inventory: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except SystemExit:
        raise
    except Exception as error:  # a bug: say so without showing data or locals
        click.echo(f"inventory: internal error ({type(error).__name__}); nothing was written. "
                   "Please report it with the command you ran, never with your export.", err=True)
        sys.exit(1)
