"""Verdicts pinned on small synthetic exports of our own, read as a user reads them: an archive
built like LinkedIn's (tests/zipbuild.py), then `inventory scan --json`, `inventory checklist` and
`inventory policy`. Each case is a shape real exports hold (docs/policy.md)."""

from __future__ import annotations

import json
from pathlib import Path


import zipbuild as zb
from conftest import run_cli

SHARES_HEADER = "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"


def _share(n: int, text: str, visibility: str, media: str = "") -> str:
    link = f"https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A74000000000000{n:05d}"
    return f'2025-12-{n:02d} 10:00:00,{link},"{text}",,{media},{visibility}\n'


def export(tmp_path: Path, files: dict[str, str], name: str = "Basic_LinkedInDataExport_12-01-2026.zip") -> Path:
    """A LinkedIn-like archive (deflate, data descriptors, UTF-8 names) holding `files`."""
    members = [zb.deflated(path, text.encode("utf-8"), flags=zb.FLAG_UTF8, descriptor=True)
               for path, text in files.items()]
    target = tmp_path / name
    target.write_bytes(zb.build(members))
    return target


def scan(capsys, archive: Path, *options: str) -> dict:
    code, out, err = run_cli(capsys, "scan", str(archive), "--json", *options)
    assert code == 0, err
    return json.loads(out)


def by_text(doc: dict) -> dict[str, dict]:
    return {item["text"]: item for item in doc["items"] if item["text"]}


# --------------------------------------------------------------------------- posts (issue 12, point 4)


def test_member_network_posts_are_training_flagged_and_restricted_ones_stay_uncertain(tmp_path, capsys):
    archive = export(tmp_path, {"Shares.csv": SHARES_HEADER + "".join([
        _share(1, "An invented post about data pipelines", "MEMBER_NETWORK"),
        _share(2, "A second invented post", "MEMBER_NETWORK", media="https://media.licdn.com/dms/image/x/1"),
        _share(3, "A post explicitly for connections", "CONNECTIONS"),
        _share(4, "", "MEMBER_NETWORK"),
    ])})
    doc = scan(capsys, archive, "--region", "eu")
    items = by_text(doc)
    for text in ("An invented post about data pipelines", "A second invented post"):
        post = items[text]
        assert (post["exposure"], post["rule"]) == ("training", "post.audience-not-recorded")
        assert "audience-not-recorded" in post["flags"]
        assert "does not record" in post["exposure_reason"]
    restricted = items["A post explicitly for connections"]
    assert (restricted["exposure"], restricted["rule"]) == ("uncertain", "post.connections-only")
    assert "audience-not-recorded" not in restricted["flags"]
    bare = next(i for i in doc["items"] if i["kind"] in ("post", "repost") and not i["text"])
    assert bare["exposure"] == "uncertain" and bare["rule"] == "post.without-own-text"
    assert doc["summary"]["by_flag"]["audience-not-recorded"] == 2


def test_member_network_posts_enter_the_checklist_as_training_material(tmp_path, capsys):
    archive = export(tmp_path, {"Shares.csv": SHARES_HEADER + _share(1, "An invented post", "MEMBER_NETWORK")})
    code, out, err = run_cli(capsys, "checklist", str(archive), "--region", "eu", "--format", "json",
                             "--lang", "en")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["summary"]["what_if"]["before"]["training"] == 1
    assert doc["summary"]["what_if"]["before"]["uncertain"] == 0
