"""The command line: the JSON contract, one-line errors with exit 2, help on every command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from inventory.cli import cli, main

from conftest import REPO, SAMPLES, run_cli as run

BASIC = SAMPLES / "Basic_LinkedInDataExport_11-20-2026.zip"
COMPLETE = SAMPLES / "Complete_LinkedInDataExport_11-21-2026.zip"




@pytest.fixture(scope="module")
def scan_json():
    import io
    from contextlib import redirect_stdout

    buffer = io.StringIO()
    with redirect_stdout(buffer), pytest.raises(SystemExit) as done:
        main(["scan", str(BASIC), str(COMPLETE), "--json"])
        raise SystemExit(0)
    assert (done.value.code or 0) == 0
    return json.loads(buffer.getvalue())


def test_json_contract_top_level(scan_json):
    assert {"export", "summary", "items"} <= set(scan_json)
    export = scan_json["export"]
    assert export["kind"] == "Basic + Complete"
    for entry in export["files"]:
        assert {"path", "recognized_as", "items", "warnings"} <= set(entry)
    summary = scan_json["summary"]
    assert summary["total_items"] == len(scan_json["items"])
    assert sum(summary["by_kind"].values()) == summary["total_items"]
    assert sum(summary["by_source"].values()) == summary["total_items"]
    assert sum(summary["by_exposure"].values()) == summary["total_items"]
    assert summary["policy"]["id"] and summary["policy"]["version"]
    assert summary["offline"] is True


def test_json_contract_items(scan_json):
    required = {"id", "source", "line", "kind", "date", "text", "url", "exposure", "exposure_reason",
                "rule", "source_url", "findings", "risk", "suggestion", "suggested_text", "action_url",
                "cluster"}
    for item in scan_json["items"]:
        assert required <= set(item)
        assert item["exposure"] in ("training", "excluded", "other", "uncertain")
        if item["date"] is not None:
            assert item["date"].endswith("Z") and "T" in item["date"]
        for finding in item["findings"] or []:
            assert {"type", "start", "end", "text", "detail"} <= set(finding)
    kinds = {i["kind"] for i in scan_json["items"]}
    assert {"post", "comment", "message", "profile-field", "connection", "job-application"} <= kinds


def test_plain_summary_lists_files_warnings_and_offline_statement(capsys):
    status, out, err = run(capsys, "scan", str(COMPLETE))
    assert status == 0 and err == ""
    assert "Some_New_File.csv" in out and "UNRECOGNISED" in out
    assert "Shares_48213597.csv" in out
    assert "no network access" in out
    assert "training" in out


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "not a ZIP"),
    (b"%PDF-1.7 not a zip at all" * 10, "not a ZIP"),
])
def test_bad_archive_is_one_line_exit_2_and_nothing_written(capsys, tmp_path, content, reason):
    bad = tmp_path / "Basic_LinkedInDataExport_01-01-2026.zip"
    bad.write_bytes(content)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    status, out, err = run(capsys, "scan", str(bad))
    assert status == 2
    assert err.count("\n") == 1 and err.startswith("inventory: ") and bad.name in err
    assert reason.lower() in err.lower()
    assert "Traceback" not in err and out == ""
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_missing_file_is_a_clean_error(capsys, tmp_path):
    status, _out, err = run(capsys, "scan", str(tmp_path / "nope.zip"))
    assert status == 2 and err.startswith("inventory: ") and "Traceback" not in err


def test_truncated_sample_is_refused(capsys, tmp_path):
    data = COMPLETE.read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: len(data) // 2])
    status, _out, err = run(capsys, "scan", str(cut))
    assert status == 2 and "cut.zip" in err and err.count("\n") == 1


def test_show_limits_lists_every_limit_and_its_flag(capsys):
    status, out, _err = run(capsys, "--show-limits")
    assert status == 0
    assert "max_member_bytes" in out and "--max-member-bytes" in out and "time_budget" in out


def test_limits_can_be_raised_not_lowered(capsys):
    status, _out, err = run(capsys, "scan", str(BASIC), "--max-entries", "10")
    assert status == 2 and "only be raised" in err


def test_every_command_has_help_and_is_in_the_readme(capsys):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert command.help, name
        if name != "ui":
            assert f"inventory {name}" in readme, name
        status, out, _ = run(capsys, name, "--help")
        assert status == 0 and "Usage" in out


@pytest.mark.parametrize("argv, module, name", [
    (["scan"], "inventory.pipeline", "analyse_sample"),
    (["checklist"], "inventory.pipeline", "analyse_sample"),
    (["policy"], "inventory.policy", "load_policy"),
    (["locate"], "inventory.paths", "locations"),
])
def test_commands_work_with_the_collector_on_and_their_imports_frozen(capsys, monkeypatch, argv, module, name):
    """main pauses the garbage collector while a command imports its modules; the command's own
    work runs with it on again, and what importing made is frozen (cli._imported)."""
    import gc
    import importlib

    target = importlib.import_module(module)
    original = getattr(target, name)
    seen = []

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, watched)
    status, _, _ = run(capsys, *argv)
    assert status == 0
    assert seen and all(seen)
    assert gc.isenabled() and gc.get_freeze_count() > 0


def test_the_collector_is_on_again_after_a_command_refused_before_it_ran(capsys):
    import gc

    status, _, err = run(capsys, "scan", "--no-such-flag")
    assert status == 2 and "--no-such-flag" in err
    assert gc.isenabled()


def test_locate_prints_state_and_config_paths(capsys):
    status, out, _ = run(capsys, "locate")
    assert status == 0
    assert os.environ["XDG_STATE_HOME"] in out


def test_sample_command_writes_the_generator_output(capsys, tmp_path):
    import zipfile

    status, out, _ = run(capsys, "sample", "--out", str(tmp_path / "s"), "--no-deflate64")
    assert status == 0
    written = {Path(line).name for line in out.splitlines()}
    assert "Complete_LinkedInDataExport_11-21-2026.zip" in written
    with zipfile.ZipFile(tmp_path / "s" / COMPLETE.name) as new, zipfile.ZipFile(COMPLETE) as committed:
        assert {i.filename: new.read(i) for i in new.infolist()} == \
            {i.filename: committed.read(i) for i in committed.infolist()}


def test_python_dash_m_works(allow_subprocess, tmp_path):
    done = subprocess.run([sys.executable, "-m", "inventory", "scan", str(BASIC)], capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Basic" in done.stdout


def test_ui_without_a_terminal_exits_3(allow_subprocess, tmp_path):
    done = subprocess.run([sys.executable, "-m", "inventory", str(BASIC)], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert done.returncode == 3
    assert "terminal" in done.stderr and "Traceback" not in done.stderr


def test_scan_checklist_verify_and_the_ui_agree_when_nothing_can_be_read(capsys, tmp_path):
    """Exit 2 only when nothing usable was read, and then always with one line on stderr that
    names the file and the problem; every command (and the UI's loader) stops the same way."""
    from inventory.errors import NothingRead
    from inventory.tui.app import load_with_pipeline

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "Connections.csv").write_bytes(b"First\xff Name,Last Name,URL,Email Address,Company,Position,"
                                             b"Connected On\nAna,Lopez,,,,,03 Nov 2025\n")
    lines = set()
    for argv in (["scan", str(broken)], ["scan", "--json", str(broken)], ["checklist", str(broken)],
                 ["verify", str(broken), str(broken)]):
        status, out, err = run(capsys, *argv)
        assert status == 2 and len(err.splitlines()) == 1, argv
        assert "Connections.csv" in err and "nothing could be read" in err, argv
        lines.add(err)
    assert len(lines) == 1  # the same line whichever command met it
    with pytest.raises(NothingRead):
        load_with_pipeline([broken], {}, lambda *a: None, lambda: False)
    # One readable file is enough: the export was read, the failure is listed, exit 0.
    (broken / "Skills.csv").write_text("Name\nPython\n", encoding="utf-8")
    status, out, err = run(capsys, "scan", "--json", str(broken))
    assert status == 0 and err == ""
    files = {f["path"]: f for f in json.loads(out)["export"]["files"]}
    assert files["Connections.csv"]["status"] == "error" and files["Skills.csv"]["items"] == 1


@pytest.mark.parametrize("exports", [[], [str(SAMPLES / "legacy_2024_export.zip")]], ids=["sample", "legacy"])
def test_scan_prints_every_info_notice(capsys, exports):
    """Issue 15 point 8: `inventory scan` lists the informational notices too (hidden connections,
    preamble, UTF-16, merged records), each with where it comes from, not only warnings."""
    from pathlib import Path as _Path

    from inventory import i18n, pipeline

    status, out, _err = run(capsys, "scan", *exports, "--lang", "en")
    assert status == 0
    analysis = pipeline.analyse([_Path(e) for e in exports]) if exports else pipeline.analyse_sample()
    notices = [p for p in analysis.scan.all_problems() if p.severity == "info" and p.code != "superseded"]
    wanted = {"hidden-connections", "duplicates-merged"} | ({"utf16"} if exports else {"preamble"})
    assert wanted <= {p.code for p in notices}
    flat = " ".join(out.split())  # the report wraps at 100 columns
    for problem in notices:
        said = f"info: {problem.where()}: {i18n.problem_detail(problem, 'en')}"  # from the catalogue
        assert " ".join(said.split()) in flat, problem.code
