"""The synthetic export generator: reproducible bytes, committed samples in sync, a ZIP container
like LinkedIn's, every quirk of docs/export-format.md present, scale sizes, invented data only."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import struct
import zipfile
from pathlib import Path

import pytest
import zipfile_deflate64  # noqa: F401  (registers method 9 in zipfile)

from inventory import samples as S

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_exports"
ZIPS = {
    S.BASIC_NAME: ("basic", "2026", None),
    S.COMPLETE_NAME: ("complete", "2026", None),
    S.LEGACY_NAME: ("complete", "2024", S.LEGACY_WRAPPER),
    S.RENAMED_NAME: ("basic", "2026", S.RENAMED_WRAPPER),
    S.DEFLATE64_NAME: ("complete", "2026", None),
}
MID = S.MEMBER_ID


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------- determinism and drift

def test_build_and_zip_are_byte_for_byte_reproducible(tmp_path):
    first = S.build_export("complete")
    second = S.build_export("complete")
    assert first == second
    S.write_zip(first, tmp_path / "a.zip")
    S.write_zip(second, tmp_path / "b.zip")
    assert _sha((tmp_path / "a.zip").read_bytes()) == _sha((tmp_path / "b.zip").read_bytes())


def test_seed_changes_only_the_scaled_filler():
    assert S.build_export("basic", seed=1) == S.build_export("basic", seed=0)
    a = S.build_export("basic", scale=2, seed=0)["messages.csv"]
    b = S.build_export("basic", scale=2, seed=1)["messages.csv"]
    assert a != b and len(list(csv.reader(io.StringIO(a.decode())))) == \
        len(list(csv.reader(io.StringIO(b.decode()))))


@pytest.mark.parametrize("name", sorted(ZIPS))
def test_committed_zip_members_equal_generator_output(name):
    kind, era, wrapper = ZIPS[name]
    committed = S.strip_members(_members(SAMPLES / name), wrapper)
    assert committed == S.build_export(kind, era=era)


def test_committed_extracted_folder_equals_basic():
    folder = SAMPLES / S.EXTRACTED_NAME
    on_disk = {p.relative_to(folder).as_posix(): p.read_bytes()
               for p in folder.rglob("*") if p.is_file()}
    assert on_disk == S.build_export("basic")


def test_write_samples_reproduces_the_committed_members(tmp_path):
    written = S.write_samples(tmp_path, deflate64=False)
    assert {p.name for p in written} == {S.BASIC_NAME, S.COMPLETE_NAME, S.LEGACY_NAME,
                                         S.RENAMED_NAME, Path(S.EXTRACTED_NAME).name}
    for name in (S.BASIC_NAME, S.COMPLETE_NAME, S.LEGACY_NAME, S.RENAMED_NAME):
        assert _members(tmp_path / name) == _members(SAMPLES / name), name


def test_committed_samples_stay_small():
    total = sum(p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file())
    assert total < 1_000_000
    for name, data in S.build_export("complete").items():
        if name.endswith(".csv") and not name.startswith("messages"):
            assert data.count(b"\n") < 80, name


# ---------------------------------------------------------------- the ZIP container

def _local_headers(raw: bytes):
    """Walk the local headers in file order, using the central directory for sizes."""
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        for info in zf.infolist():
            off = info.header_offset
            sig, ver, flags, method, _t, _d, crc, csize, usize, nlen, xlen = struct.unpack(
                "<IHHHHHIIIHH", raw[off:off + 30])
            assert sig == 0x04034B50
            yield info, ver, flags, method, crc, csize, usize, nlen, xlen, off + 30 + nlen + xlen


@pytest.mark.parametrize("name", [S.BASIC_NAME, S.COMPLETE_NAME, S.LEGACY_NAME])
def test_container_looks_like_linkedins_java_writer(name):
    raw = (SAMPLES / name).read_bytes()
    names = []
    for info, ver, flags, method, crc, csize, usize, _n, xlen, data_at in _local_headers(raw):
        names.append(info.filename)
        assert (flags, method, ver) == (0x0808, 8, 20)
        assert (crc, csize, usize, xlen) == (0, 0, 0, 0)
        desc = raw[data_at + info.compress_size:data_at + info.compress_size + 16]
        assert struct.unpack("<IIII", desc) == (0x08074B50, info.CRC, info.compress_size,
                                                info.file_size)
        assert info.create_system == 0 and info.external_attr == 0 and info.extra == b""
        assert not info.filename.endswith("/")
    assert names != sorted(names)
    inner = [n.removeprefix(S.LEGACY_WRAPPER + "/") for n in names]
    folders = [n.rsplit("/", 1)[0] if "/" in n else "" for n in inner]
    groups = [f for i, f in enumerate(folders) if i == 0 or folders[i - 1] != f]
    if len(set(folders)) > 1:  # the 2024 layout is flat
        assert len(groups) > len(set(groups)), "entries are grouped by folder"
    with zipfile.ZipFile(SAMPLES / name) as zf:
        assert zf.comment == b""
        times = [i.date_time for i in zf.infolist()]
    assert len(set(times)) == len(times)


def test_complete_entry_times_start_the_day_before_the_name_date():
    with zipfile.ZipFile(SAMPLES / S.COMPLETE_NAME) as zf:
        times = sorted(i.date_time for i in zf.infolist())
    assert times[0][:3] == (2026, 11, 20) and times[-1][:3] == (2026, 11, 21)


def test_utf8_flag_needed_for_non_ascii_names(tmp_path):
    S.write_zip({"Jobs/Candidatures é.csv": b"a\n"}, tmp_path / "u.zip", wrapper="Données")
    with zipfile.ZipFile(tmp_path / "u.zip") as zf:
        assert zf.namelist() == ["Données/Jobs/Candidatures é.csv"]
        assert zf.read("Données/Jobs/Candidatures é.csv") == b"a\n"


def test_legacy_zip_has_a_wrapping_folder():
    names = _members(SAMPLES / S.LEGACY_NAME)
    assert all(n.startswith(S.LEGACY_WRAPPER + "/") for n in names)


def test_renamed_zip_carries_macos_debris_and_directory_entries():
    names = list(_members(SAMPLES / S.RENAMED_NAME))
    assert S.RENAMED_NAME.endswith(".zip.zip")
    assert f"{S.RENAMED_WRAPPER}/.DS_Store" in names
    assert any(n.startswith("__MACOSX/") and "/._" in n for n in names)
    assert f"{S.RENAMED_WRAPPER}/Jobs/" in names


def test_deflate64_sample_uses_method_9():
    with zipfile.ZipFile(SAMPLES / S.DEFLATE64_NAME) as zf:
        methods = {i.compress_type for i in zf.infolist() if not i.is_dir()}
    assert 9 in methods


# ---------------------------------------------------------------- quirks of docs/export-format.md §2, per file

@pytest.fixture(scope="module")
def complete():
    return S.build_export("complete")


@pytest.fixture(scope="module")
def legacy():
    return S.build_export("complete", era="2024")


def test_basic_is_the_seen_in_basic_set_and_complete_a_superset(complete):
    basic = S.build_export("basic")
    assert set(basic) < set(complete)
    for name in ("messages.csv", "Connections.csv", "Jobs/Job Applications.csv",
                 "Jobs/Job Applications_1.csv", "Job Applicant Saved Screening Question Responses.csv",
                 "Job Applicant Saved Screening Question Responses_1.csv",
                 "Job Applicant Saved Screening Question Responses_2.csv", "Rich_Media.csv",
                 "Verifications/Verifications.csv", "Services Marketplace/Providers.csv"):
        assert name in basic, name
    assert not any(n.startswith(("Shares", "Comments", "Reactions", "SearchQueries", "Logins"))
                   for n in basic)
    for name in (f"Shares_{MID}.csv", f"Comments_{MID}.csv", f"Reactions_{MID}.csv",
                 f"Votes_{MID}.csv", f"InstantReposts_{MID}.csv", f"Saved_Items_{MID}.csv",
                 f"Member_Follows_{MID}.csv", "Hashtag_Follows.csv", "SearchQueries.csv",
                 "Logins.csv", "Security Challenges.csv", "Ads Clicked.csv",
                 "LAN Ads Engagement.csv", "Inferences_about_you.csv", "coach_messages.csv",
                 "Receipts.csv", "Receipts_v2.csv", "Notes.csv", "Online Job Postings.csv",
                 "Private_identity_asset.csv", "Some_New_File.csv"):
        assert name in complete, name


def test_messages_2026_quoting_drafts_html_and_special_spaces(complete):
    raw = complete["messages.csv"].decode()
    assert raw.startswith('"CONVERSATION ID","CONVERSATION TITLE"')
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    header, body = rows[0], rows[1:]
    assert len(header) == 13 and all(len(r) == 13 for r in body)
    for line in raw.split("\n"):
        assert not line or line.startswith('"') or not line.endswith(",")
    content = [r[8] for r in body]
    assert any("\n" in c for c in content) and any("\r\n" in c for c in content)
    assert any("\u00a0" in c for c in content) and any("\u202f" in c for c in content)
    assert any("%FIRSTNAME%" in c and "&amp;" in c and "&nbsp;" in c for c in content)
    new_draft = [r for r in body if r[11] == "Yes" and r[0] == ""]
    assert new_draft and new_draft[0][4] == new_draft[0][9] == "" and new_draft[0][12] == "Yes"
    assert any(r[11] == "Yes" and r[0] for r in body)
    assert S.SAMPLE_FACTS[S.COMPLETE_NAME]["files"]["messages.csv"]["drafts"] == 2
    ids = {r[0] for r in body if r[0]}
    assert all(len(i) == 58 and i.startswith("2-") and i.endswith("==") for i in ids)


def test_connections_preamble_hidden_rows_and_missing_final_newline(complete, legacy):
    raw = complete["Connections.csv"].decode()
    assert raw.startswith("Notes:\n\"When exporting your connection data")
    assert not raw.endswith("\n")
    lines = raw.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("First Name,"))
    hidden = [line for line in lines[start + 1:] if line.startswith(",,,,,,")]
    facts = S.SAMPLE_FACTS[S.COMPLETE_NAME]["files"]["Connections.csv"]
    assert len(hidden) == facts["hidden_rows"] and re.fullmatch(r",{6}\d\d \w{3} \d{4}", hidden[0])
    assert len(lines) - start - 1 == facts["rows"]
    old = legacy["Connections.csv"].decode()
    assert old.startswith("First Name,Last Name,Email Address,Company")


def test_shares_quote_newline_quote_and_visibilities(complete, legacy):
    raw = complete[f"Shares_{MID}.csv"]
    assert b'Acme SAS.""\n""""\n""We are hiring' in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode(), newline="")))
    texts = [r["ShareCommentary"].replace('"\n"', "\n") for r in rows]
    facts = S.SAMPLE_FACTS[S.COMPLETE_NAME]["files"][f"Shares_{MID}.csv"]
    assert texts[0] == facts["first"][2] and len(rows) == facts["rows"]
    assert {r["Visibility"] for r in rows} == {"MEMBER_NETWORK"}  # as in every real export
    old = legacy["Shares.csv"]
    assert old.startswith(b"Date,ShareLink,ShareCommentary,SharedURL,MediaURL,Visibility\r\n")
    assert b'""\r\n""""\r\n""' in old


def test_comments_backslash_quotes_2026_and_continuation_lines_2024(complete, legacy):
    raw = complete[f"Comments_{MID}.csv"].decode()
    assert '\\"quick win\\"' in raw
    rows = list(csv.reader(io.StringIO(raw, newline=""), escapechar="\\", doublequote=False))[1:]
    assert all(len(r) == 3 for r in rows)
    facts = S.SAMPLE_FACTS[S.COMPLETE_NAME]["files"][f"Comments_{MID}.csv"]
    assert [r[2] for r in rows][0] == facts["first"][2] and any("\n" in r[2] for r in rows)
    old = legacy["Comments.csv"].decode()
    assert "\r\n" in old and "Congratulations Élodie!\r\nWell deserved.\r\n" in old
    records: list[str] = []
    for line in old.split("\r\n")[1:-1]:
        if re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,", line):
            records.append(line)
        else:
            records[-1] += "\n" + line
    assert len(records) == S.SAMPLE_FACTS[S.LEGACY_NAME]["files"]["Comments.csv"]["rows"]


def test_search_queries_unquoted_commas(complete):
    lines = complete["SearchQueries.csv"].decode().splitlines()[1:]
    cells = [line.split(",") for line in lines]
    assert any(len(c) >= 4 for c in cells)
    queries = [",".join(c[1:]) for c in cells]
    assert "data engineer, lyon, remote" in queries


def test_learning_trailing_comma_and_ad_targeting_duplicates(complete, legacy):
    learning = list(csv.reader(io.StringIO(complete["Learning.csv"].decode(), newline="")))
    assert learning[0][-1] == "" and len(learning[0]) == 8
    assert all(len(r) == 8 and r[-1] == "" for r in learning[1:])
    assert any("<a href=" in r[1] for r in learning[1:])
    # 2024: CRLF inside quoted descriptions, LF row ends
    assert b"\r\n<p>See" in legacy["Learning.csv"] and "\nGérer" in legacy["Learning.csv"].decode() \
        and "\r\nGérer" not in legacy["Learning.csv"].decode()
    ads = next(csv.reader(io.StringIO(complete["Ad_Targeting.csv"].decode())))
    assert len(ads) == 35 and ads.count("Company Names") == 3 and ads.count("Job Titles") == 3
    old_ads = next(csv.reader(io.StringIO(legacy["Ad_Targeting.csv"].decode())))
    assert len(old_ads) == 32


def test_not_csv_header_only_and_other_file_variants(complete, legacy):
    assert complete["LearningCoachMessages.csv"] == b"No conversations found\n\n"
    assert len(complete["guide_messages.csv"]) == 113
    assert complete["Profile Summary.csv"] == b"Profile Summary\n\n"
    assert len(list(csv.reader(io.StringIO(complete["learning_coach_messages.csv"].decode())))) == 9
    for name in ("Inferences_about_you.csv", "Email Addresses.csv", "Company Follows.csv"):
        assert not complete[name].endswith(b"\n"), name
    profile = list(csv.DictReader(io.StringIO(complete["Profile.csv"].decode(), newline="")))
    assert "\n" in profile[0]["Summary"]
    jsp = next(csv.reader(io.StringIO(complete["Jobs/Job Seeker Preferences.csv"].decode())))
    assert len(jsp) == 20 and jsp[-1] == "Semantic Preferences"
    apps = list(csv.DictReader(io.StringIO(complete["Jobs/Job Applications.csv"].decode())))
    assert apps[0]["Contact Phone Number"].startswith(" +33")
    assert "salary" in apps[0]["Question And Answers"]
    postings = next(csv.DictReader(io.StringIO(complete["Online Job Postings.csv"].decode())))
    assert postings["Base Salary"]
    arts = [n for n in complete if n.startswith("Articles/Articles/")]
    drafts = [n for n in arts if re.match(r"Articles/Articles/\d{4}-\d\d-\d\d \d\d_\d\d_\d\d\.0-", n)]
    assert len(arts) == 2 and len(drafts) == 1
    assert b"Published on ---" in complete[drafts[0]] and not complete[drafts[0]].endswith(b"\n")
    published = complete[next(a for a in arts if a not in drafts)]
    assert b'<a href="https://www.linkedin.com/pulse/' in published
    assert f"Votes_{MID}.csv" in complete and b"urn%3Ali%3A" in complete[f"Votes_{MID}.csv"]
    assert b"urn:li:groupPost:" in legacy["Votes.csv"]
    assert legacy["Saved_Items.csv"].startswith(b"savedItem,createdTime\r\n")
    assert complete[f"Saved_Items_{MID}.csv"].startswith(b"savedItem,CreatedTime\n")


def test_legacy_2024_variants(legacy):
    for name in ("Comments.csv", "Reactions.csv", "Shares.csv", "Votes.csv", "Saved_Items.csv",
                 "Member_Follows.csv", "Hashtag_Follows.csv"):
        assert legacy[name].count(b"\r\n") >= legacy[name].count(b"\n") > 0, name
    assert legacy["Profile.csv"].count(b"\r\n") == 0
    assert legacy["Rich Media.csv"].startswith(b"Type,Link\n") and \
        legacy["Rich Media.csv"].count(b"\n") == 3
    for name in ("Job Applications.csv", "Saved Jobs.csv", "Job Seeker Preferences.csv",
                 "Verifications.csv", "Contacts.csv", "Calendar.csv"):
        assert name in legacy, name
    assert not any(n.startswith(("Jobs/", "Verifications/")) for n in legacy)
    msgs = list(csv.reader(io.StringIO(legacy["messages.csv"].decode(), newline="")))
    assert len(msgs[0]) == 10 and all("\n" not in c for r in msgs for c in r)
    assert any("<br>" in r[8] for r in msgs[1:])
    endorse = legacy["Endorsement Received Info.csv"]
    assert endorse.startswith(b"\xff\xfe")
    text = endorse.decode("utf-16")
    assert text.split("\r\n")[0].split("\t")[0] == "Endorsement Date"
    rows = [line for line in text.split("\r\n")[1:] if line]
    assert len(rows) == S.SAMPLE_FACTS[S.LEGACY_NAME]["files"]["Endorsement Received Info.csv"]["rows"]


def test_risky_content_is_present_for_the_detectors(complete):
    text = b"\n".join(complete.values()).decode("utf-8", "replace")
    for needle in ("+33 6 00 00 00 42", "julie.bernard@example.com", "mon salaire de 52 k€",
                   "confidentiel", "internal only", "burn-out", "Bravo Jérôme Dubois",
                   "What is your expected salary"):
        assert needle in text, needle
    shares = complete[f"Shares_{MID}.csv"].decode()
    assert shares.count("5 conseils pour réussir sa migration") == 2


# ---------------------------------------------------------------- facts and scale

@pytest.mark.parametrize("name", [S.BASIC_NAME, S.COMPLETE_NAME, S.LEGACY_NAME])
def test_facts_match_a_plain_csv_parse_of_ordinary_files(name):
    kind, era, _ = ZIPS[name]
    files = S.build_export(kind, era=era)
    facts = S.SAMPLE_FACTS[name]["files"]
    assert set(facts) == set(files)
    checked = 0
    for member, f in facts.items():
        data = files[member]
        if not member.endswith(".csv") or f.get("not_csv") or member.startswith(
                ("Comments", "SearchQueries", "Shares", "Connections", "Endorsement Received")) \
                or member == "Profile Summary.csv":
            continue
        rows = list(csv.reader(io.StringIO(data.decode(), newline="")))
        assert rows[0] == f["header"], member
        assert len(rows) - 1 == f["rows"], member
        if f["rows"]:
            assert rows[1] == f["first"] and rows[-1] == f["last"], member
        checked += 1
    assert checked >= 20


def test_scale_multiplies_the_activity_files_exactly():
    small = S.SAMPLE_FACTS[S.COMPLETE_NAME]["files"]
    assert small["messages.csv"]["rows"] < 30 and small["Connections.csv"]["people"] < 30
    expected_at_100 = {"messages": 100_000, "connections": 30_000, "search_queries": 15_000,
                       "posts": 5_000, "comments": 10_000, "reactions": 50_000}
    assert {k: v * 100 for k, v in S.SCALE_UNITS.items()} == expected_at_100
    for scale in (2, 3):
        files = S.build_export("complete", scale=scale)
        u = {k: v * scale for k, v in S.SCALE_UNITS.items()}
        msgs = list(csv.reader(io.StringIO(files["messages.csv"].decode(), newline="")))
        assert len(msgs) - 1 == u["messages"]
        conn = files["Connections.csv"].decode().split("\n")
        people = [line for line in conn[4:] if not line.startswith(",")]
        assert len(people) == u["connections"]
        assert files["SearchQueries.csv"].count(b"\n") - 1 == u["search_queries"]
        assert files[f"Reactions_{MID}.csv"].count(b"\n") - 1 == u["reactions"]
        shares = list(csv.reader(io.StringIO(files[f"Shares_{MID}.csv"].decode(), newline="")))
        assert len(shares) - 1 == u["posts"]
        dates = re.findall(rb"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,", files[f"Comments_{MID}.csv"], re.M)
        assert len(dates) == u["comments"]
    legacy = S.build_export("complete", era="2024", scale=2)
    assert legacy["Reactions.csv"].count(b"\r\n") - 1 == 2 * S.SCALE_UNITS["reactions"]


# ---------------------------------------------------------------- invented data only

EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
PHONE = re.compile(r"\+\d[\d ().-]{7,}\d")
IPV4 = re.compile(r"\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b")


def _all_text() -> str:
    parts = []
    for kind, era in (("complete", "2026"), ("complete", "2024")):
        for data in S.build_export(kind, era=era, scale=2).values():
            parts.append(data.decode("utf-16") if data.startswith(b"\xff\xfe") else data.decode())
    return "\n".join(parts)


def test_only_invented_contact_data_appears():
    text = _all_text()
    domains = set(EMAIL.findall(text))
    assert domains and all(d in ("example.org", "example.com") or
                           d.endswith((".example.org", ".example.com")) for d in domains), domains
    phones = {re.sub(r"[ ().-]", "", p) for p in PHONE.findall(text)}
    assert phones
    for p in phones:
        assert re.fullmatch(r"\+3360000\d{4}|\+155501\d\d", p), p
    for a, b, c, _ in IPV4.findall(text):
        assert f"{a}.{b}.{c}" in ("192.0.2", "198.51.100", "203.0.113"), (a, b, c)
    for v6 in re.findall(r"\b[0-9a-f]{1,4}:[0-9a-f]{1,4}::[0-9a-f]*\b", text):
        assert v6.startswith("2001:db8"), v6
