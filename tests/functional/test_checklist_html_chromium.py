"""The HTML checklist in a real browser: Debian's headless Chromium renders it, prints it to PDF,
and the page asks for nothing over the network.

Chromium is required (CI installs it with `apt-get install -y chromium`); without it this test
fails with that instruction rather than skipping. Chromium itself makes background requests
(Google accounts, network time) even with every --disable flag; the net log tells them apart from
the page's own: those have no initiator ("not an origin"), the page's have the file:// origin.
A probe page with a remote image proves the check would see a page request.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from inventory.cli import main
from inventory.i18n import t

SAMPLES = Path(__file__).resolve().parents[2] / "sample_exports"
BASIC = SAMPLES / "Basic_LinkedInDataExport_11-20-2026.zip"
COMPLETE = SAMPLES / "Complete_LinkedInDataExport_11-21-2026.zip"
APT_LINE = "apt-get install -y chromium"
TIMEOUT = 25  # seconds per Chromium run; each takes about 2 s


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail(f"Chromium is needed for this test and was not found: run `{APT_LINE}` (Debian)",
                    pytrace=False)
    return found


def run_chromium(tmp: Path, page: Path, *extra: str) -> tuple[subprocess.CompletedProcess, Path]:
    """One headless run with network isolation flags and a net log; returns (result, log path)."""
    run_dir = tmp / f"run-{len(list(tmp.glob('run-*')))}"
    run_dir.mkdir()
    net_log = run_dir / "net.json"
    argv = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={run_dir / 'profile'}", "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--log-net-log={net_log}", *extra, page.as_uri()]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr[-2000:]
    return result, net_log


def page_requests(net_log: Path) -> list[str]:
    """URLs of every request the page (file:// origin) started, from Chromium's JSON net log."""
    log = json.loads(net_log.read_text())
    names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    urls = []
    for event in log["events"]:
        params = event.get("params") or {}
        if names.get(event["type"]) != "URL_REQUEST_START_JOB" or "url" not in params:
            continue
        started_by_page = params.get("initiator") in ("null", "file://") or \
            str(params.get("network_isolation_key", "")).startswith("file://")
        if started_by_page:
            urls.append(params["url"])
    return urls


def test_html_checklist_renders_prints_and_requests_nothing(tmp_path, capsys, allow_subprocess):
    page = tmp_path / "checklist.html"
    with pytest.raises(SystemExit) as done:
        main(["checklist", str(BASIC), str(COMPLETE), "--format", "html", "--lang", "fr", "-o", str(page)])
        raise SystemExit(0)
    assert (done.value.code or 0) == 0

    # the check can see a page's request: a probe with a remote image and style sheet
    probe = tmp_path / "probe.html"
    probe.write_text('<!DOCTYPE html><html><body><img src="https://probe.example.invalid/x.png">'
                     '<link rel="stylesheet" href="http://probe.example.invalid/a.css"></body></html>')
    _, probe_log = run_chromium(tmp_path, probe, "--dump-dom")
    assert {u.split("/")[2] for u in page_requests(probe_log)} == {"probe.example.invalid"}

    # rendered: the DOM Chromium built holds the checklist, with no remote reference
    result, net_log = run_chromium(tmp_path, page, "--dump-dom")
    dom = LexborHTMLParser(result.stdout)
    assert dom.css_first("title").text() == t("checklist.title", "fr")
    headings = [h.text() for h in dom.css("h2")]
    assert headings[0] == t("checklist.settings_heading", "fr") and headings[-1] == t("checklist.summary_heading", "fr")
    assert dom.css("input[type=checkbox]") and not dom.css("script")
    assert not [n.attributes for n in dom.css("[src], [href], [srcset], [action], [poster]")]
    assert "Données pour l'amélioration de l'IA générative" in dom.body.text()
    assert not [u for u in page_requests(net_log) if not u.startswith("file://")]

    # printed: a real PDF
    pdf = tmp_path / "out.pdf"
    _, pdf_log = run_chromium(tmp_path, page, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 10_000 and b"%%EOF" in data[-1024:]
    assert not [u for u in page_requests(pdf_log) if not u.startswith("file://")]
