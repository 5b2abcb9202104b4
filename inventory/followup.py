"""The invented member's *next* export, for testing the checklist → cleanup → verify loop.

`build_followup(files)` takes the Complete sample (`samples.build_export("complete")`) and
returns the export Camille Martin would download on 15 January 2027 after a partial cleanup:
some posts and comments deleted, some edited (a phone number and e-mail removed; one edit that
leaves the flagged salary figure in place), new posts (one with a new phone number, one with a
new salary figure, and texts that start with spreadsheet formula characters), a profile field
edited, and one deleted post that came back under a new URN with a later date.

Everything is data (`FOLLOWUP_CHANGES`); the result is deterministic. The manifest says exactly
what changed, by natural key: member file, kind, URL and date (or profile field).

Only the three members that change are parsed; each is re-rendered with the generator's own
writer and must give back the input bytes before any change (so a parsing slip cannot go
unnoticed). Every other member is copied byte for byte.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from inventory.samples import MEMBER_ID, Table, build_export, write_zip

FOLLOWUP_NAME = "followup/Complete_LinkedInDataExport_01-15-2027.zip"
FOLLOWUP_START = datetime(2027, 1, 14, 3, 0, 0)  # zip entry times, like the Complete sample's
FOLLOWUP_STEP = 1180

SHARES = f"Shares_{MEMBER_ID}.csv"
COMMENTS = f"Comments_{MEMBER_ID}.csv"
PROFILE = "Profile.csv"

# member -> (kind of item the reader makes, writer style, index of the text column, date column)
MEMBERS = {
    SHARES: ("post", "shares", 2, "Date"),
    COMMENTS: ("comment", "backslash", 2, "Date"),
    PROFILE: ("profile-field", "minimal", -1, None),
}


def post_url(kind: str, number: int) -> str:
    return "https://www.linkedin.com/feed/update/" + quote(f"urn:li:{kind}:{number}", safe="")


@dataclass(frozen=True)
class Change:
    """One change. `match` names the row by column values (delete, edit, reappear); `values`
    are the new cells (edit: those that change; add: the whole row; reappear: what differs
    from the deleted row). `spans` (edits): whether the flagged text is "removed" or "kept"."""

    action: str  # delete | edit | add | reappear
    member: str
    match: dict[str, str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)
    spans: str | None = None


_NEW_DAY = "2027-01-0{}"


def _added_post(n: int, day: int, time: str, text: str, visibility: str = "MEMBER_NETWORK") -> Change:
    return Change("add", SHARES, values={
        "Date": f"{_NEW_DAY.format(day)} {time}", "ShareLink": post_url("share", 7410000000000000000 + n),
        "ShareCommentary": text, "SharedUrl": "", "MediaUrl": "", "Visibility": visibility})


FOLLOWUP_CHANGES: tuple[Change, ...] = (
    # deleted as planned
    Change("delete", SHARES, {"ShareLink": post_url("ugcPost", 7300000000000000001)}),  # Big news
    Change("delete", SHARES, {"ShareLink": post_url("share", 7300000000000005001)}),  # burn-out
    Change("delete", COMMENTS, {"Date": "2026-02-09 10:21:11"}),  # "Bravo Jérôme Dubois…"
    # edited: phone, e-mail and the colleague's name removed
    Change("edit", SHARES, {"ShareLink": post_url("share", 7300000000000002001)},
           {"ShareCommentary": "Pour toute question sur le meetup, écrivez-moi en message privé."},
           spans="removed"),
    # edited, but the flagged salary figure is still there
    Change("edit", SHARES, {"ShareLink": post_url("ugcPost", 7300000000000003001)},
           {"ShareCommentary": "Transparence : mon salaire de 52 k€ brut à Lyon. Et vous, vous en parlez ?"},
           spans="kept"),
    # edited comment: its id changes (comment ids include the text); the confidential part is gone
    Change("edit", COMMENTS, {"Date": "2026-02-21 10:22:33"},
           {"Message": "Le projet avance bien, on en reparle en privé."}, spans="removed"),
    # a profile field edited
    Change("edit", PROFILE, {"First Name": "Camille"},
           {"Headline": "Lead data engineer | Ingénieure données chez Exemple Analytics SAS"}),
    # deleted, then back: the same text posted again under a new URN, later
    Change("reappear", SHARES, {"ShareLink": post_url("share", 7300000000000008001)},
           {"Date": "2027-01-03 08:45:10", "ShareLink": post_url("share", 7410000000000000099)}),
    # new since the old export, with new risky findings
    _added_post(1, 4, "19:02:11", "+33 6 00 00 00 77 : mon nouveau numéro pro, n'hésitez pas à m'appeler."),
    _added_post(2, 5, "07:30:00", "Bilan 2026 : mon salaire est passé à 58 k€ brut, merci Exemple Analytics SAS.",
                "MEMBER_NETWORK"),
    # new, starting with spreadsheet formula characters (= + - @ tab CR; + is the phone above)
    _added_post(3, 6, "12:00:00", "=SOMME(A1:A3) ne marche plus dans mon tableur, une idée ?"),
    _added_post(4, 6, "12:10:00", "-10 % de temps de build grâce à polars."),
    _added_post(5, 6, "12:20:00", "@Julie Bernard merci pour l'invitation au meetup !"),
    _added_post(6, 7, "09:00:00", "\tTrois liens utiles pour débuter en data engineering."),
    _added_post(7, 7, "09:10:00", "\rPetit rappel : le meetup data de Lyon reprend en février."),
)

# texts of the added posts that start with a formula character, for the CSV tests
FORMULA_TEXTS = tuple(c.values["ShareCommentary"] for c in FOLLOWUP_CHANGES
                      if c.action == "add" and c.values["ShareCommentary"][:1] in ("=", "+", "-", "@", "\t", "\r"))


# --------------------------------------------------------------------------- parsing members

def _parse(member: str, data: bytes) -> Table:
    kind, style, text_col, _ = MEMBERS[member]
    text = data.decode("utf-8")
    if style == "backslash":
        reader = csv.reader(io.StringIO(text, newline=""), doublequote=False, escapechar="\\")
    else:
        reader = csv.reader(io.StringIO(text, newline=""))
    rows = [list(r) for r in reader]
    header, body = rows[0], rows[1:]
    if style == "shares":  # LinkedIn writes line breaks in the commentary as quote-newline-quote
        for row in body:
            row[text_col] = row[text_col].replace('"\n"', "\n")
    table = Table(header, body, style=style, text_col=text_col)
    if table.render() != data:
        raise ValueError(f"{member}: not in the generator's layout; build_followup expects "
                         "samples.build_export('complete')")
    return table


def _find(table: Table, member: str, match: dict[str, str], *, every: bool = False) -> list[int]:
    """The rows matching `match`: exactly one, or with `every` (a post written as one row per
    medium is deleted whole) at least one."""
    found = [i for i, row in enumerate(table.rows)
             if all(row[table.header.index(col)] == value for col, value in match.items())]
    if len(found) != 1 and not (every and found):
        raise ValueError(f"{member}: {len(found)} rows match {sorted(match)} (expected one)")
    return found


# --------------------------------------------------------------------------- manifest

def _natural_key(member: str, header: list[str], row: list[str], changed: list[str] | None = None) -> dict:
    kind, _, text_col, date_col = MEMBERS[member]
    if member == PROFILE:
        return {"member": member, "kind": kind, "fields": changed or []}
    url_col = "ShareLink" if member == SHARES else "Link"
    return {"member": member, "kind": kind, "url": row[header.index(url_col)],
            "date": row[header.index(date_col)], "text": row[text_col]}


def build_followup(files: dict[str, bytes], changes: tuple[Change, ...] = FOLLOWUP_CHANGES
                   ) -> tuple[dict[str, bytes], dict[str, list[dict]]]:
    """(new files, manifest). manifest = {"deleted", "edited", "added", "reappeared"}: lists of
    natural keys ({member, kind, url, date, text}, or {member, kind, fields} for Profile.csv);
    edits also carry `before` (the old key), `spans` ("removed"/"kept") and `identity`
    ("same", or "changed" when the reader keys the item by its text, as for comments);
    reappeared entries carry `before` (the deleted row's key). A member whose rows are all
    deleted stays as a header-only file; `changes` may also hold ("drop", member) to remove
    a whole member (e.g. the résumé or an article)."""
    out = dict(files)
    tables: dict[str, Table] = {}
    manifest: dict[str, list[dict]] = {"deleted": [], "edited": [], "added": [], "reappeared": []}
    for change in changes:
        if change.action == "drop":
            if out.pop(change.member, None) is None:
                raise ValueError(f"{change.member}: not in the export given to build_followup")
            manifest["deleted"].append({"member": change.member, "kind": "file"})
            continue
        if change.member not in tables:
            if change.member not in files:
                raise ValueError(f"{change.member}: not in the export given to build_followup")
            tables[change.member] = _parse(change.member, files[change.member])
        _apply(tables[change.member], change, manifest)
    for member, t in tables.items():
        out[member] = t.render()
    return out, manifest


def _apply(t: Table, change: Change, manifest: dict[str, list[dict]]) -> None:
    """One add, delete, edit or reappear on a parsed member, recorded in the manifest."""
    if change.action == "add":
        row = [change.values.get(col, "") for col in t.header]
        t.rows.append(row)
        manifest["added"].append(_natural_key(change.member, t.header, row))
        return
    found = _find(t, change.member, change.match, every=change.action == "delete")
    index = found[0]
    old = list(t.rows[index])
    before = _natural_key(change.member, t.header, old)
    if change.action == "delete":
        for row_index in reversed(found):
            del t.rows[row_index]
        manifest["deleted"].append(before)
    elif change.action == "edit":
        row = _with_values(t.header, old, change.values)
        t.rows[index] = row
        entry = _natural_key(change.member, t.header, row, changed=sorted(change.values))
        entry.update(before=before, spans=change.spans,
                     identity="changed" if change.member == COMMENTS else "same")
        manifest["edited"].append(entry)
    elif change.action == "reappear":
        del t.rows[index]
        row = _with_values(t.header, old, change.values)
        t.rows.append(row)
        entry = _natural_key(change.member, t.header, row)
        entry["before"] = before
        manifest["reappeared"].append(entry)
    else:
        raise ValueError(f"unknown change {change.action!r}")


def _with_values(header: list[str], row: list[str], values: dict[str, str]) -> list[str]:
    new = list(row)
    for col, value in values.items():
        new[header.index(col)] = value
    return new


def write_followup(out_dir: Path) -> Path:
    """Write the follow-up export into `out_dir` (the committed file is
    sample_exports/followup/Complete_LinkedInDataExport_01-15-2027.zip)."""
    files, _ = build_followup(build_export("complete"))
    dest = Path(out_dir) / FOLLOWUP_NAME
    write_zip(files, dest, start=FOLLOWUP_START, step_seconds=FOLLOWUP_STEP)
    return dest
