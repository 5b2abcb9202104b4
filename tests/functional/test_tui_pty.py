"""docs/bad-input.md case 72 / G9 through a real pseudo-terminal: terminal escapes planted in an export
never reach the terminal as escapes, whatever Textual draws around them."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time

from inventory.samples import build_export, write_zip

# Payloads that would act on a real terminal: set the clipboard (OSC 52), the window title
# (OSC 0), clear the screen (CSI 2J), and a hyperlink (OSC 8), each with a marker to look for.
PAYLOADS = {
    "osc52": "\x1b]52;c;UFdORUQ=\x1b\\",
    "osc0": "\x1b]0;pwned-title\x07",
    "csi2j": "\x1b[2Jpwned-clear",
    "osc8": "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
}
MARKERS = ("\x1b]52;c;UFdORUQ=", "\x1b]0;pwned-title", "\x1b[2Jpwned-clear", "\x1b]8;;https://evil.example/")


def hostile_export(tmp_path):
    files = build_export("basic")
    text = " ".join(PAYLOADS.values())
    header = "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"
    row = ('2026-01-05 10:00:00,https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A7000000000000009999,'
           f'"Call me {text} +33 6 00 00 00 42",,,PUBLIC\n')
    files["Shares.csv"] = (header + row).encode("utf-8")
    path = tmp_path / "Complete_LinkedInDataExport_01-10-2026.zip"
    write_zip(files, path)
    return path


HANG = 180  # seconds: only a hung or crashed app gets this far; nothing here is a speed check


def read_until(fd: int, needle: bytes | None) -> bytes:
    """Everything the app writes until `needle` has been drawn (None: until it closes the
    terminal). Waits on the app's output, not on a fixed window, so a slow machine only waits
    longer."""
    out = b""
    deadline = time.monotonic() + HANG
    while needle is None or needle not in out:
        assert time.monotonic() < deadline, f"the app never drew {needle!r}: {out[-500:]!r}"
        ready, _, _ = select.select([fd], [], [], 1.0)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the app closed the terminal
            chunk = b""
        if not chunk:
            assert needle is None, f"the app exited before drawing {needle!r}: {out[-500:]!r}"
            return out
        out += chunk
    return out


def test_escapes_from_an_export_never_reach_the_terminal(tmp_path, allow_subprocess):
    export = hostile_export(tmp_path)
    main, child = pty.openpty()
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="36",
               INVENTORY_STATE_DIR=str(tmp_path / "state"))
    process = subprocess.Popen([sys.executable, "-m", "inventory", str(export)], stdin=child, stdout=child,
                               stderr=child, env=env, cwd=tmp_path, start_new_session=True)
    os.close(child)
    try:
        shown = read_until(main, b"pwned-clear")  # the overview lists the hostile post among the riskiest
        os.write(main, b"2")                          # the items table
        shown += read_until(main, b"accents and case ignored")
        os.write(main, b"\r")                         # the detail of the first item
        shown += read_until(main, b"Suggested text")
        os.write(main, b"3")                          # the checklist preview
        shown += read_until(main, b"Objection text to paste")
        os.write(main, b"q")
        shown += read_until(main, None)
        process.wait(timeout=HANG)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        os.close(main)
    text = shown.decode("utf-8", errors="replace")
    assert "pwned-clear" in text, "the hostile post was never drawn: the test proves nothing"
    for marker in MARKERS:
        assert marker not in text, repr(marker)
    assert "\u241b" in text  # ESC drawn as a visible symbol instead
    assert process.returncode == 0
