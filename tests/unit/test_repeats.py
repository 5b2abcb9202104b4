"""Lossless reading: records that share an id merge only when they are the same record; distinct
ones are all kept, with ids stable across exports; every merge and every new id is listed.

Each fixture is our own invented data in the shape real exports showed (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inventory.cli import main
from inventory.scan import scan_exports

CERTS = "Name,Url,Authority,Started On,Finished On,License Number\n"


def folder(tmp_path: Path, files: dict[str, str], name: str = "export") -> Path:
    root = tmp_path / name
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    return root


def by_source(result, source: str):
    return result.items.filter(result.items["source"] == source)


def test_same_name_certifications_with_other_dates_are_two_items_with_stable_ids(tmp_path):
    first = CERTS + "Cloud Architect,,Acme Academy,Jan 2020,,\nCloud Architect,,Acme Academy,Mar 2023,,\n"
    reordered = CERTS + "Cloud Architect,,Acme Academy,Mar 2023,,\nCloud Architect,,Acme Academy,Jan 2020,,\n"
    one = scan_exports([folder(tmp_path, {"Certifications.csv": first}, "a")])
    two = scan_exports([folder(tmp_path, {"Certifications.csv": reordered}, "b")])
    assert one.items.height == 2 and one.items["id"].n_unique() == 2
    # The earliest keeps the base id; the other's id comes from its own cells: the same ids
    # whatever the order of the rows (decisions and verify keep working).
    ids_one = dict(zip(one.items["date"].dt.year().to_list(), one.items["id"].to_list()))
    ids_two = dict(zip(two.items["date"].dt.year().to_list(), two.items["id"].to_list()))
    assert ids_one == ids_two
    assert [(d.base_id, d.id) for d in one.disambiguated] == [(ids_one[2020], ids_one[2023])]
    assert one.merges == []


def test_exact_repeats_in_a_file_merge_and_each_merge_is_listed(tmp_path, capsys):
    learning = ("Content Title,Content Description,Content Type,Content Last Watched Date (if viewed),"
                "Content Completed At (if completed),Content Saved,Notes taken on videos (if taken),\n"
                "Negotiation basics,About talks,Course,2025-01-02 10:00 UTC,N/A,false,,\n"
                "Negotiation basics,About talks,Course,2025-01-02 10:00 UTC,N/A,false,,\n"
                "Negotiation basics,About talks,Course,2025-06-09 18:30 UTC,N/A,false,,\n")
    root = folder(tmp_path, {"Learning.csv": learning})
    result = scan_exports([root])
    # Lines 2 and 3 are the same record; line 4 is the same course watched again: kept.
    assert sorted(by_source(result, "Learning.csv")["line"].to_list()) == [2, 4]
    assert [(m.source, m.line, m.into_source, m.into_line, m.reason) for m in result.merges] == [
        ("Learning.csv", 3, "Learning.csv", 2, "identical")]
    assert len(result.disambiguated) == 1 and result.disambiguated[0].line == 4
    report = next(f for f in result.files if f.path == "Learning.csv")
    assert report.items == 2 and report.merged == 1 and report.rows == 3

    try:
        main(["scan", "--json", str(root)])
    except SystemExit as done:
        assert done.code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["export"]["merges"] == [{"file": "Learning.csv", "line": 3, "into_file": "Learning.csv",
                                        "into_line": 2, "reason": "identical"}]
    assert [d["line"] for d in doc["export"]["disambiguated"]] == [4]
    try:
        main(["scan", str(root)])
    except SystemExit as done:
        assert done.code == 0
    text = capsys.readouterr().out
    # the text report says them from the catalogue (singular here); the JSON keeps the detail
    assert "1 record repeated another one" in text and "1 record shares its key with" in text


SHARES = "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n"
LINK = "https://www.linkedin.com/feed/update/urn%3Ali%3Ashare%3A7000000000000000042"


def test_a_post_written_as_one_row_per_medium_is_one_post_keeping_every_medium(tmp_path):
    rows = "".join(f'2025-03-14 09:15:27,{LINK},"Our new office!",,https://media.example.org/{n}.jpg,MEMBER_NETWORK\n'
                   for n in range(3))
    result = scan_exports([folder(tmp_path, {"Shares.csv": SHARES + rows})])
    posts = by_source(result, "Shares.csv")
    assert posts.height == 1
    assert posts["media"].to_list() == [[f"https://media.example.org/{n}.jpg" for n in range(3)]]
    assert [(m.line, m.into_line, m.reason) for m in result.merges] == [(3, 2, "medium"), (4, 2, "medium")]


def test_two_rows_with_one_link_and_different_text_are_both_kept(tmp_path):
    rows = (f'2025-03-14 09:15:27,{LINK},"Hiring a designer",,,MEMBER_NETWORK\n'
            f'2025-03-14 09:15:27,{LINK},"Salary 65 000 EUR, call +33 6 00 00 00 12",,,MEMBER_NETWORK\n')
    result = scan_exports([folder(tmp_path, {"Shares.csv": SHARES + rows})])
    posts = by_source(result, "Shares.csv")
    assert posts.height == 2 and posts["id"].n_unique() == 2
    assert any("65 000" in text for text in posts["text"].to_list())
    assert result.merges == [] and len(result.disambiguated) == 1


ANSWERS = "Question,Answer\n"


def test_chunks_merge_their_overlap_but_keep_other_answers_to_the_same_question(tmp_path):
    name = "Job Applicant Saved Screening Question Responses"
    files = {f"{name}.csv": ANSWERS + "Years of Python?,5\nNotice period?,1 month\n",
             f"{name}_1.csv": ANSWERS + "Notice period?,1 month\nYears of Python?,6\n"}
    result = scan_exports([folder(tmp_path, files)])
    answers = result.items.filter(result.items["kind"] == "saved-answer")
    assert sorted(answers["text"].to_list()) == ["1 month", "5", "6"]
    assert [(m.source, m.line, m.into_source, m.into_line, m.reason) for m in result.merges] == [
        (f"{name}_1.csv", 2, f"{name}.csv", 3, "twin")]


def test_receipts_and_receipts_v2_of_one_invoice_are_one_item(tmp_path):
    header = ("First Name,Last Name,Billing Country,Postal Code,Transaction Made At,Payment Method Type,"
              "Invoice Number,Description,Tax Amount,Sub Total,Total Amount,Currency Code\n")
    files = {"Receipts.csv": header + 'Camille,Martin,FR,69001,"11/3/25, 9:15 AM",Card,INV-0001,Premium,2,8,10,EUR\n',
             "Receipts_v2.csv": header + "Camille,Martin,FR,69001,11/03/25 09:15 AM UTC,Card,INV-0001,Premium,2,8,10,EUR\n"}
    result = scan_exports([folder(tmp_path, files)])
    assert result.items.filter(result.items["kind"] == "receipt").height == 1
    assert [(m.source, m.reason) for m in result.merges] == [("Receipts_v2.csv", "twin")]


def test_search_queries_that_differ_only_in_case_are_two_items(tmp_path):
    queries = "Time,Search Query\n2025/03/14 09:15:27 UTC,Data Engineer\n2025/03/14 09:15:27 UTC,data engineer\n"
    result = scan_exports([folder(tmp_path, {"SearchQueries.csv": queries})])
    assert sorted(result.items["text"].to_list()) == ["Data Engineer", "data engineer"]
    assert result.items["id"].n_unique() == 2


def test_a_disambiguated_job_application_keeps_its_answers_attached(tmp_path):
    header = ("Application Date,Contact Email,Contact Phone Number,Company Name,Job Title,Job Url,"
              "Resume Name,Question And Answers\n")
    url = "https://www.linkedin.com/jobs/view/4000000001"
    rows = (f'"11/3/25, 9:15 AM",a@example.org,,Acme,Designer,{url},cv.pdf,Notice?:1 month\n'
            f'"11/3/25, 9:15 AM",b@example.org,,Acme,Designer,{url},cv2.pdf,Notice?:2 months\n')
    result = scan_exports([folder(tmp_path, {"Jobs/Job Applications.csv": header + rows})])
    items = result.items
    applications = items.filter(items["kind"] == "job-application")
    answers = items.filter(items["kind"] == "job-application-answer")
    assert applications.height == 2 and applications["id"].n_unique() == 2
    parent_of = dict(zip(answers["text"].to_list(), answers["parent"].to_list()))
    line_of = dict(zip(applications["id"].to_list(), applications["line"].to_list()))
    assert line_of[parent_of["1 month"]] == 2 and line_of[parent_of["2 months"]] == 3


# --- the bundled samples write each of these cases, as real exports hold them ---------------

from inventory import pipeline, samples as S  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[2] / "sample_exports"


def test_the_bundled_sample_holds_every_real_export_case_and_reads_it_losslessly():
    analysis = pipeline.analyse([SAMPLES / S.COMPLETE_NAME], region="eu")
    scan, frame = analysis.scan, analysis.frame
    facts = S.SAMPLE_FACTS[S.COMPLETE_NAME]["files"]
    shares = next(n for n in facts if n.startswith("Shares_"))

    posts = frame.filter(frame["kind"] == "post")
    # MEMBER_NETWORK posts are training material, flagged that the audience is not recorded.
    assert set(posts["visibility"]) == {"MEMBER_NETWORK"} and set(posts["exposure"]) == {"training"}
    assert all("audience-not-recorded" in flags for flags in posts["flags"].to_list())
    # The post written as three rows (one per medium) is one post with its three media.
    assert posts.height == facts[shares]["rows"] - facts[shares]["medium_rows"]
    assert max(len(m) for m in posts["media"].to_list() if m) == 3
    assert sum(m.reason == "medium" for m in scan.merges) == facts[shares]["medium_rows"]

    queries = frame.filter(frame["source"] == "SearchQueries.csv")
    searches = facts["SearchQueries.csv"]
    # The exact repeat is merged, the same words in another case stay, the stray quote costs nothing.
    assert queries.height == searches["rows"] - searches["exact_repeats"]
    assert searches["stray_quote"] in queries["text"].to_list()
    assert [m.reason for m in scan.merges if m.source == "SearchQueries.csv"] == ["identical"]
    report = next(f for f in scan.files if f.path == "SearchQueries.csv")
    assert not [w for w in report.warnings if w.severity != "info"]

    certificates = frame.filter(frame["source"] == "Certifications.csv")
    cert_facts = facts["Certifications.csv"]
    assert certificates.height == cert_facts["rows"] - cert_facts["empty_rows"]
    assert certificates["title"].n_unique() == 1 and certificates["id"].n_unique() == certificates.height
    cert_report = next(f for f in scan.files if f.path == "Certifications.csv")
    assert [w.line for w in cert_report.warnings if w.code == "empty-row"] == [3]

    learning = frame.filter(frame["source"] == "Learning.csv")
    assert learning.height == facts["Learning.csv"]["rows"]  # the video watched twice is two items
    disambiguated = {(d.source, d.line) for d in scan.disambiguated}
    assert {"Certifications.csv", "Learning.csv", "SearchQueries.csv"} <= {s for s, _ in disambiguated}


def test_the_legacy_sample_reads_its_utf16_member():
    scan = pipeline.analyse([SAMPLES / S.LEGACY_NAME]).scan
    report = next(f for f in scan.files if f.path.endswith("Endorsement Received Info.csv"))
    assert report.items == S.SAMPLE_FACTS[S.LEGACY_NAME]["files"]["Endorsement Received Info.csv"]["rows"]
    assert any(w.code == "utf16" for w in report.warnings)


def test_an_export_with_no_repeated_record_is_still_one_contiguous_item_table(tmp_path):
    """Large members are read apart and small ones together (scan._read): with nothing to merge,
    the item table must still be one chunk per column, or every later stage pays for the pieces
    (scan._result)."""
    queries = "Time,Search Query\n" + "".join(
        f"2025-01-{1 + i % 28:02d} 10:{i % 60:02d}:00 UTC,invented query {i}\n" for i in range(30_000))
    reactions = "Date,Type,Link\n" + "".join(
        f"2025-02-{1 + i % 28:02d} 09:00:00,LIKE,https://www.linkedin.com/feed/update/urn:li:activity:{i}\n"
        for i in range(30_000))
    result = scan_exports([folder(tmp_path, {"SearchQueries.csv": queries, "Reactions.csv": reactions,
                                             "Certifications.csv": CERTS + "Invented,,Acme,Jan 2020,,\n"})])
    assert result.merges == [] and result.items.height == 60_001
    assert len(queries) > 512 * 1024 and len(reactions) > 512 * 1024  # each read alone
    assert {column.n_chunks() for column in result.items.get_columns()} == {1}


def test_tables_cut_down_where_they_are_read_resolve_repeats_as_whole_ones(tmp_path):
    """scan_exports(cells=...) lets a member's other columns go where it is read, unless one of
    its records may share an id with another: of the same file, or of another file giving the
    same kind of item (an id begins with its kind). Those keep their cells until repeats are
    resolved: the items, merges and new ids are those of a scan that keeps every cell."""
    root = folder(tmp_path, {
        # One number in two files that give the same kind of item: two records, one id.
        "PhoneNumbers.csv": "Extension,Number,Type\n,+33 6 12 34 56 78,Mobile\n",
        "Whatsapp Phone Numbers.csv": "Number,Extension,Is_WhatsApp_Number\n+33 6 12 34 56 78,,true\n",
        # Two records of one id in the only file of its kind: told apart by a date cell.
        "Certifications.csv": CERTS + "Cloud Architect,,Acme Academy,Jan 2020,,\nCloud Architect,,Acme Academy,Mar 2023,,\n",
        # No repeat: cut down where it is read.
        "Rich_Media.csv": "Date/Time,Media Description,Media Link\n"
                          "2025-01-02 10:00:00 UTC,Slides,https://www.linkedin.com/media/1\n",
    })
    whole = scan_exports([root])
    cut = scan_exports([root], cells=["Type", "Media Link"])
    assert cut.items.equals(whole.items)
    assert cut.merges == whole.merges
    assert cut.disambiguated == whole.disambiguated and len(cut.disambiguated) == 2
    assert {path: table.columns for path, table in cut.originals.items()} == {
        "PhoneNumbers.csv": ["Type"], "Whatsapp Phone Numbers.csv": [], "Certifications.csv": [],
        "Rich_Media.csv": ["Media Link"]}
    assert cut.cells(cut.items, "Type").equals(whole.cells(whole.items, "Type"))
    with pytest.raises(RuntimeError, match="not kept"):
        cut.cells(cut.items, "Number")
