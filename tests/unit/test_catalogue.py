"""Recognition by content (issue 12 point 3): a member is known by its header as well as its
name, its columns are found whatever their era's spelling, a row with text never gives an item
without text, and a file that stays unknown is still read and reported. Every export here is a
synthetic fixture built in the test (invented values), shaped after docs/export-format.md §1.7,
§2 and §4."""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))
import zipbuild as zb  # noqa: E402

from inventory import catalogue, i18n  # noqa: E402
from inventory.archive import ExportSource, open_source  # noqa: E402
from inventory.scan import scan_exports, summarise  # noqa: E402

SHARES_2025 = (b"Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"
               b"2025-03-14 09:15:27,https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A7000000000000000001,"
               b"Invented post about gardening,,,MEMBER_NETWORK\n")
INVITATIONS = (b"From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
               b'Ada Example,Bob Sample,"1/29/26, 2:37 PM",Invented invitation note,OUTGOING,'
               b"https://www.linkedin.com/in/ada-example,https://www.linkedin.com/in/bob-sample\n"
               b'Cid Person,Ada Example,"1/30/26, 9:05 AM",,INCOMING,'
               b"https://www.linkedin.com/in/cid-person,https://www.linkedin.com/in/ada-example\n")
CONNECTIONS = (b'Notes:\n"When exporting your connection data, an invented sentence."\n\n'
               b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
               b"Ada,Example,https://www.linkedin.com/in/ada-example,,Example Ltd,Engineer,01 Jan 2024\n"
               b",,,,,,14 Mar 2025\n")
MESSAGES_12 = (b"CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,"
               b"SUBJECT,CONTENT,FOLDER,IS MESSAGE DRAFT,IS CONVERSATION DRAFT\n"
               b"2-AAAA==,,Ada Example,https://www.linkedin.com/in/ada-example,Bob Sample,"
               b"https://www.linkedin.com/in/bob-sample,2024-11-03 09:15:27 UTC,,Invented hello,INBOX,No,No\n")


def _scan(tmp_path: Path, files: dict[str, bytes], name: str = "Complete_LinkedInDataExport_01-02-2026.zip"):
    path = tmp_path / name
    path.write_bytes(zb.build([zb.deflated(n, data) for n, data in files.items()]))
    return scan_exports([path])


def _report(result, path: str):
    return next(f for f in result.files if f.path == path)


def _items(result, path: str) -> pl.DataFrame:
    return result.items.filter(pl.col("source") == path)


def _header_notes(report) -> list[str]:
    return [w.detail for w in report.warnings if w.code == "recognised-by-header"]


def _french_header_notes(report) -> list[str]:
    return [i18n.problem_detail(w, "fr") for w in report.warnings if w.code == "recognised-by-header"]


# --- a renamed file, recognised by its header ---------------------------------------------------


def test_renamed_file_is_read_as_the_spec_its_header_belongs_to(tmp_path):
    result = _scan(tmp_path, {"Download (3).csv": SHARES_2025, "Profile.csv": zb.SAMPLE_PROFILE})
    report = _report(result, "Download (3).csv")
    assert report.recognized_as == "shares" and report.items == 1
    post = _items(result, "Download (3).csv").row(0, named=True)
    assert post["kind"] == "post" and post["text"] == "Invented post about gardening"
    assert post["visibility"] == "MEMBER_NETWORK" and post["date"] is not None
    notes = _header_notes(report)
    assert notes == ["name not known, but its header is that of shares: read as shares"]
    assert _french_header_notes(report) == ["nom inconnu, mais son en-tête est celui de shares\u00a0: lu comme shares"]
    assert next(w for w in report.warnings if w.code == "recognised-by-header").severity == "info"
    assert summarise(result)["unrecognized_files"] == 0


def test_misleading_name_loses_to_the_header_and_says_so(tmp_path):
    result = _scan(tmp_path, {"Skills.csv": INVITATIONS})
    report = _report(result, "Skills.csv")
    assert report.recognized_as == "invitations"
    items = _items(result, "Skills.csv")
    assert items["kind"].to_list() == ["invitation", "invitation"]
    assert items["text"].to_list()[0] == "Invented invitation note"
    [note] = _header_notes(report)
    assert note == "named as skills, but its header is that of invitations: read as invitations"
    # Said in the member's language from its key and values (the English detail is for JSON).
    assert _french_header_notes(report) == [
        "nommé comme skills, mais son en-tête est celui de invitations\u00a0: lu comme invitations"]


def test_name_and_header_that_agree_give_no_note(tmp_path):
    result = _scan(tmp_path, {"Invitations.csv": INVITATIONS, "guide_messages.csv": MESSAGES_12})
    for path, spec in (("Invitations.csv", "invitations"), ("guide_messages.csv", "guide_messages")):
        report = _report(result, path)
        # The AI-chat files share messages' header: the name picks among them.
        assert report.recognized_as == spec and _header_notes(report) == []


def test_preamble_and_utf16_are_looked_past_for_the_header(tmp_path):
    other = CONNECTIONS.replace(b"Ada,Example,https://www.linkedin.com/in/ada-example",
                                b"Eve,Sample,https://www.linkedin.com/in/eve-sample")
    utf16 = "\ufeff".encode("utf-16-le") + other.decode().encode("utf-16-le")  # an Excel re-save
    result = _scan(tmp_path, {"network.csv": CONNECTIONS, "network copy.csv": utf16})
    for path, person in (("network.csv", "Ada Example"), ("network copy.csv", "Eve Sample")):
        report = _report(result, path)
        assert report.recognized_as == "connections", path
        people = _items(result, path)
        assert people["title"].to_list() == [person], path  # the date-only row is counted apart
        assert any(w.code == "hidden-connections" for w in report.warnings), path


def test_a_table_not_named_csv_is_read_only_when_its_header_is_exactly_known(tmp_path):
    result = _scan(tmp_path, {"messages": MESSAGES_12, "notes.txt": b"Name,Colour\nInvented,blue\n",
                              "photo.jpg": b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4})
    assert _report(result, "messages").recognized_as == "messages"
    assert _items(result, "messages")["text"].to_list() == ["Invented hello"]
    for path in ("notes.txt", "photo.jpg"):
        report = _report(result, path)
        assert report.status == "skipped" and report.items == 0
        assert [w.code for w in report.warnings] == ["not-a-table"]


# --- twins and older spellings -------------------------------------------------------------------


@pytest.mark.parametrize(("spaced", "underscored", "spec"), [
    ("Company Follows.csv", "Company_Follows.csv", "company_follows"),
    ("Rich Media.csv", "Rich_Media.csv", "rich_media"),
    ("Member Follows.csv", "Member_Follows.csv", "member_follows"),
    ("Jobs/Job Applicant Saved Answers.csv", "Job_Applicant_Saved_Answers.csv", "job_applicant_saved_answers"),
])
def test_spaced_and_underscored_twins_are_the_same_file(spaced, underscored, spec):
    for name in (spaced, underscored):
        found = catalogue.match(name)
        assert found is not None and found.recognised and found.spec.id == spec and found.by == "name"


def test_company_follows_twin_read_by_name_and_header(tmp_path):
    data = b"Organization,Followed On\nInvented Org,Mon Nov 03 09:15:27 UTC 2025\n"
    result = _scan(tmp_path, {"Company Follows.csv": data})
    report = _report(result, "Company Follows.csv")
    assert report.recognized_as == "company_follows" and _header_notes(report) == []
    assert _items(result, "Company Follows.csv")["text"].to_list() == ["Invented Org"]


def test_older_header_spellings_find_the_same_columns(tmp_path):
    files = {
        # 2018-style spaced Shares header (docs/export-format.md §4.2).
        "Shares.csv": b"Date,Share Link,Share Commentary,Shared Url,Media Url,Visibility\n"
                      b"2018-05-02 10:00:00,https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A6000000000000000001,"
                      b"Invented old post,,,MEMBER_NETWORK\n",
        # 2024 `createdTime` against 2025 `CreatedTime` (docs/export-format.md §4.3).
        "Saved_Items.csv": b"savedItem,createdTime\nhttps://www.linkedin.com/feed/update/urn:li:activity:1,"
                           b"2024-03-14 09:15:27\n",
        # 2024 SavedJobAlerts: `Saved Search Date,Jobs Search Url` (docs/export-format.md §4.6).
        "SavedJobAlerts.csv": b'Saved Search Date,Jobs Search Url\n"3/1/24, 10:00 AM",'
                              b"https://www.linkedin.com/jobs/search/?keywords=invented\n",
        # Learning's trailing comma (docs/export-format.md §2.7).
        "Learning.csv": b"Content Title,Content Description,Content Type,Content Last Watched Date (if viewed),"
                        b"Content Completed At (if completed),Content Saved,Notes taken on videos (if taken),\n"
                        b"Invented course,About things,Course,2025-01-02 10:00 UTC,N/A,false,Invented note,\n",
    }
    result = _scan(tmp_path, files)
    shares = _items(result, "Shares.csv").row(0, named=True)
    assert shares["text"] == "Invented old post" and shares["id"].startswith("post:")
    assert shares["url"].startswith("https://www.linkedin.com/feed/update/") and shares["date"] is not None
    assert _items(result, "Saved_Items.csv")["date"].null_count() == 0
    alert = _items(result, "SavedJobAlerts.csv").row(0, named=True)
    assert alert["date"] is not None and alert["url"].endswith("keywords=invented")
    learning = _items(result, "Learning.csv").row(0, named=True)
    assert learning["text"] == "Invented note" and learning["title"] == "Invented course"
    for path in files:
        report = _report(result, path)
        assert report.recognized_as is not None and _header_notes(report) == [], path


@pytest.mark.parametrize("header", [
    b"FROM,TO,DATE,SUBJECT,CONTENT,DIRECTION,FOLDER",
    b"CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,FOLDER",
    MESSAGES_12.split(b"\n")[0],
    b"CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,"
    b"FOLDER,ATTACHMENTS,IS MESSAGE DRAFT,IS CONVERSATION DRAFT",
    # A column no era had yet: still near enough.
    b"CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,"
    b"FOLDER,ATTACHMENTS,IS MESSAGE DRAFT,IS CONVERSATION DRAFT,REACTIONS",
])
def test_every_messages_era_is_recognised_by_its_header(header):
    found = catalogue.match("inbox.csv", lambda: b'"' + header.replace(b",", b'","') + b'"\n')
    assert found is not None and found.spec.id == "messages" and found.by == "header"


# --- a file that stays unknown --------------------------------------------------------------------


def test_unknown_file_stays_unknown_read_as_a_table_and_reported(tmp_path):
    data = b"Alpha,Beta,Gamma\nInvented one,Invented two,\n"
    result = _scan(tmp_path, {"Mystery File.csv": data, "Profile.csv": zb.SAMPLE_PROFILE})
    report = _report(result, "Mystery File.csv")
    assert report.recognized_as is None and report.status == "read" and report.items == 1
    assert _header_notes(report) == []
    item = _items(result, "Mystery File.csv").row(0, named=True)
    assert item["kind"] == "unknown" and item["text"] == "Invented one\nInvented two"
    assert summarise(result)["unrecognized_files"] == 1


def test_a_header_equally_near_two_files_recognises_neither():
    # `Name,Number,Proficiency`: as near to Courses as to Languages, so neither is guessed.
    assert catalogue.match("list.csv", lambda: b"Name,Number,Proficiency\n").recognised is False
    # A one-column file is recognised only by the very column.
    assert catalogue.match("list.csv", lambda: b"Title\nInvented\n").recognised is False
    assert catalogue.match("list.csv", lambda: b"Supported Cause\nInvented\n").spec.id == "causes_you_care_about"


# --- a row with text never gives an item without ---------------------------------------------------


def test_text_in_a_column_the_catalogue_does_not_know_becomes_the_items_text(tmp_path):
    files = {
        # An invented older spelling of Comments' text column.
        "Comments.csv": b"Date,Link,Comment Text\n2024-03-14 09:15:27,"
                        b"https://www.linkedin.com/feed/update/urn%3Ali%3Aactivity%3A1,Invented comment\n",
        # A known header plus an unknown column, on a file whose spec reads no text.
        "Reactions.csv": b"Date,Type,Link,Remark\n2024-03-14 09:15:27,LIKE,"
                         b"https://www.linkedin.com/feed/update/urn%3Ali%3Aactivity%3A2,Invented remark\n"
                         b"2024-03-15 09:15:27,LIKE,https://www.linkedin.com/feed/update/urn%3Ali%3Aactivity%3A3,\n",
    }
    result = _scan(tmp_path, files)
    assert _report(result, "Comments.csv").recognized_as == "comments"
    assert _items(result, "Comments.csv")["text"].to_list() == ["Invented comment"]
    assert _items(result, "Reactions.csv")["text"].to_list() == ["Invented remark", ""]


def test_known_columns_keep_their_roles_when_the_text_is_empty(tmp_path):
    # An invitation without a note, a date-only connection: the catalogue knows every column
    # (names, links, dates, flags), so there is no text to fall back to.
    result = _scan(tmp_path, {"Invitations.csv": INVITATIONS, "Connections.csv": CONNECTIONS})
    assert _items(result, "Invitations.csv")["text"].to_list() == ["Invented invitation note", ""]
    assert _items(result, "Connections.csv")["text"].to_list() == ["Engineer\nExample Ltd"]
    assert _report(result, "Connections.csv").items == 1


def test_every_known_header_column_is_known_to_its_spec():
    for spec in catalogue.FILE_SPECS:
        known = catalogue.known_columns(spec)
        for header in spec.headers:
            assert {catalogue.column_key(c) for c in header.split(",") if c} <= known, spec.id
        for name in (*spec.date, *spec.title, *spec.text, *spec.url):
            assert catalogue.column_key(name) in known, (spec.id, name)


def test_column_keys_ignore_case_spaces_and_punctuation():
    key = catalogue.column_key
    assert key("Share Commentary") == key("ShareCommentary") == key("sharecommentary")
    assert key("SharedURL") == key("Shared Url") and key("createdTime") == key("CreatedTime")
    assert key("Is_WhatsApp_Number") == key("Is WhatsApp Number")
    assert key("Date/Time") != key("Date") and key("Company Names") != key("Company Names (2)")


# --- the header from a member's first bytes only ----------------------------------------------------


def test_header_keys_from_a_cut_head():
    header = "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"
    expected = catalogue._keys(header.strip().split(","))
    rows = "2025-03-14 09:15:27,x,Invented \u00e9t\u00e9 \U0001f600 text,,,MEMBER_NETWORK\n" * 400
    for pad in range(8):  # the cut falls inside a character, a surrogate pair, a line
        text = header + "y" * pad + rows
        for data in (text.encode(), b"\xff\xfe" + text.encode("utf-16-le"), b"\xfe\xff" + text.encode("utf-16-be")):
            assert catalogue.header_keys(data[:catalogue.HEAD_BYTES]) == expected, (pad, data[:4])
    assert catalogue.header_keys(b"\xff\xd8\xff\xe0\x00\x10JFIF\n") is None  # not text
    assert catalogue.header_keys(b"x" * catalogue.HEAD_BYTES) is None  # no whole line in the head


def test_head_inflates_only_the_first_bytes(tmp_path):
    big = MESSAGES_12 + MESSAGES_12.split(b"\n", 1)[1] * 40_000  # about 7 MiB, deflated to little
    path = tmp_path / "a.zip"
    path.write_bytes(zb.build([zb.deflated("messages.csv", big), zb.stored("Skills.csv", b"Name\nInvented\n")]))
    with open_source(path) as source:
        messages, skills = source.entries
        assert source.head(messages, catalogue.HEAD_BYTES) == big[:catalogue.HEAD_BYTES]
        assert source.head(skills, catalogue.HEAD_BYTES) == b"Name\nInvented\n"
        assert source._total_read == 0  # not counted against the size limits: nothing kept
    bomb = tmp_path / "bomb.zip"
    bomb.write_bytes(zb.build([zb.RawMember(b"x.csv", zb.deflate_zeros(64 * 1024 * 1024), 64 * 1024 * 1024,
                                            zb.zeros_crc(64 * 1024 * 1024), method=8)]))
    with open_source(bomb) as source:
        assert source.head(source.entries[0], 4096) == b"\x00" * 4096


def test_each_member_is_read_in_full_once(tmp_path, monkeypatch):
    reads: list[str] = []
    original = ExportSource.read

    def counting(self, entry):
        reads.append(entry.path)
        return original(self, entry)

    monkeypatch.setattr(ExportSource, "read", counting)
    files = {"Download (3).csv": SHARES_2025, "Skills.csv": INVITATIONS, "Connections.csv": CONNECTIONS,
             "Mystery.csv": b"Alpha\nInvented\n"}
    _scan(tmp_path, files)
    assert sorted(reads) == sorted(files)


def test_an_older_spelling_gets_the_same_repairs_and_cells(tmp_path):
    # 2018-style spaced Shares header: the quote-newline-quote repair (docs/export-format.md §2.3) and the
    # original cells other stages read by name (ScanResult.cells) follow the column.
    data = (b"Date,Share Link,Share Commentary,Shared Url,Media Url,Visibility\n"
            b"2018-05-02 10:00:00,https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A6000000000000000002,"
            b'"Invented line one""\n""Invented line two",,,MEMBER_NETWORK\n')
    result = _scan(tmp_path, {"Shares.csv": data})
    posts = _items(result, "Shares.csv")
    assert posts["text"].to_list() == ["Invented line one\nInvented line two"]
    assert result.cells(posts, "ShareCommentary").to_list() == ["Invented line one\nInvented line two"]
    assert result.cells(posts, "visibility").to_list() == ["MEMBER_NETWORK"]


def test_files_sharing_a_header_are_told_apart_by_what_is_left_of_the_name(tmp_path):
    coach = MESSAGES_12.replace(b"Ada Example,https://www.linkedin.com/in/ada-example", b",")
    result = _scan(tmp_path, {"coach_messages (1).csv": coach, "Recommendations_Given - Copy.csv":
                              b"First Name,Last Name,Company,Job Title,Text,Creation Date,Status\n"
                              b'Bob,Sample,Example Ltd,Engineer,Invented praise,"3/1/24, 10:00 AM",\n',
                              "inbox export.csv": MESSAGES_12})
    assert _report(result, "coach_messages (1).csv").recognized_as == "coach_messages"
    assert _items(result, "coach_messages (1).csv")["kind"].to_list() == ["ai-chat"]
    assert _report(result, "Recommendations_Given - Copy.csv").recognized_as == "recommendations_given"
    assert _items(result, "Recommendations_Given - Copy.csv")["kind"].to_list() == ["recommendation-given"]
    # Nothing left of the name: the first of the files sharing the header, and the note says so.
    inbox = _report(result, "inbox export.csv")
    assert inbox.recognized_as == "messages"
    [note] = _header_notes(inbox)
    assert "coach_messages" in note and "guide_messages" in note
    [french] = _french_header_notes(inbox)
    assert french.startswith("nom inconnu, mais son en-tête est celui de messages\u00a0: lu comme messages (le même")
    assert "coach_messages" in french and "guide_messages" in french and french.endswith("ne dit pas lequel)")
