"""Every file and quirk of docs/export-format.md, read from the committed synthetic samples.

The generator records what it wrote (SAMPLE_FACTS: row counts, headers, first and last rows as
values); these tests read the same samples through the archive layer, the CSV dialect and the
readers, and compare. A reader that mishandles a quirk (quote-newline-quote, backslash
escapes, unquoted commas, preambles, UTF-16, duplicate headers...) gets different values.
"""

from __future__ import annotations

import re

import polars as pl
import pytest

from inventory import catalogue
from inventory.archive import open_source
from inventory.csvdialect import read_table
from inventory.items import ITEM_SCHEMA, KINDS
from inventory.limits import DEFAULT_LIMITS
from inventory.samples import SAMPLE_FACTS
from inventory.scan import scan_exports, summarise

from conftest import SAMPLES

BASIC = SAMPLES / "Basic_LinkedInDataExport_11-20-2026.zip"
COMPLETE = SAMPLES / "Complete_LinkedInDataExport_11-21-2026.zip"
LEGACY = SAMPLES / "legacy_2024_export.zip"
DEFLATE64 = SAMPLES / "Complete_deflate64.zip"
RENAMED = SAMPLES / "renamed_export.zip.zip"
EXTRACTED = SAMPLES / "extracted" / "Basic_LinkedInDataExport_11-20-2026"


def _csv_cases():
    for sample, facts in SAMPLE_FACTS.items():
        for name, fact in facts["files"].items():
            if name.lower().endswith(".csv") and "header" in fact:
                yield pytest.param(sample, name, fact, id=f"{sample}:{name}")


def _strip_wrapper(path: str, wrapper: str | None) -> str:
    return path[len(wrapper) + 1:] if wrapper and path.startswith(wrapper + "/") else path


@pytest.fixture(scope="module")
def scans():
    return {
        "merged": scan_exports([BASIC, COMPLETE]),
        "basic": scan_exports([BASIC]),
        "complete": scan_exports([COMPLETE]),
        "legacy": scan_exports([LEGACY]),
        "deflate64": scan_exports([DEFLATE64]),
        "renamed": scan_exports([RENAMED]),
        "extracted": scan_exports([EXTRACTED]),
    }


@pytest.mark.parametrize(("sample", "name", "fact"), list(_csv_cases()))
def test_every_csv_parses_to_the_values_written(sample, name, fact):
    with open_source(SAMPLES / sample) as source:
        wrapper = SAMPLE_FACTS[sample]["wrapper"]
        entry = next(e for e in source.entries if e.path in (name, _strip_wrapper(name, wrapper)))
        found = catalogue.match(entry.path)
        table = read_table(source.read(entry), source=source.label, member=entry.path,
                           limits=DEFAULT_LIMITS, quirks=found.spec.quirks)
    # Rows whose every cell is empty are reported, not kept (samples write one in Certifications).
    assert len(table.rows) == fact["rows"] - fact.get("empty_rows", 0)
    assert sum(p.code == "empty-row" for p in table.problems) == min(fact.get("empty_rows", 0), 1)
    # Duplicate names (Ad_Targeting) are numbered, never dropped.
    expected_header = []
    counts: dict[str, int] = {}
    for column in fact["header"]:
        counts[column.casefold()] = counts.get(column.casefold(), 0) + 1
        n = counts[column.casefold()]
        expected_header.append(column if n == 1 else f"{column} ({n})")
    expected_header = [h or f"column_{i}" for i, h in enumerate(expected_header, start=1)]
    assert table.header == expected_header
    if fact["rows"]:
        assert table.rows[0] == fact["first"]
        assert table.rows[-1] == fact["last"]
    assert not [p for p in table.problems if p.severity == "error"]


def test_every_item_matches_the_schema_and_kind_vocabulary(scans):
    for result in scans.values():
        assert result.items.schema == pl.Schema(ITEM_SCHEMA)
        assert set(result.items["kind"].unique()) <= set(KINDS)
        assert result.items["id"].is_unique().all()
        assert result.items["line"].min() >= 1


def test_basic_and_complete_merge_without_duplicates(scans):
    merged, basic, complete = scans["merged"], scans["basic"], scans["complete"]
    union = set(basic.items["id"]) | set(complete.items["id"])
    assert set(merged.items["id"]) == union
    assert merged.items.height == len(union)
    assert merged.export_kind == "Basic + Complete"
    superseded = [f for f in merged.files if f.status == "superseded"]
    assert superseded and all(f.archive.startswith("Basic") for f in superseded)
    # The same item gets the same id in both deliveries: Basic adds nothing Complete has.
    assert set(basic.items.filter(pl.col("kind") == "connection")["id"]) == \
        set(complete.items.filter(pl.col("kind") == "connection")["id"])


def test_containers_give_identical_items(scans):
    """Deflate64 re-zip, renamed .zip.zip with a macOS wrapper, and an extracted folder."""
    assert scans["deflate64"].items.sort("id").equals(scans["complete"].items.sort("id"))
    for variant in ("renamed", "extracted"):
        assert scans[variant].items.drop("source").sort("id").equals(
            scans["basic"].items.drop("source").sort("id")), variant
    debris = [f for f in scans["renamed"].files if f.status == "skipped"]
    assert {f.path.rsplit("/", 1)[-1] for f in debris} >= {".DS_Store", "._Connections.csv"}


def _items(result, kind, **where):
    frame = result.items.filter(pl.col("kind") == kind)
    for column, value in where.items():
        frame = frame.filter(pl.col(column) == value)
    return frame


def test_profile_is_one_item_per_non_empty_field(scans):
    facts = SAMPLE_FACTS[COMPLETE.name]["files"]["Profile.csv"]
    fields = _items(scans["complete"], "profile-field").filter(pl.col("file_kind") == "profile")
    expected = {h: v for h, v in zip(facts["header"], facts["first"]) if v.strip()}
    assert dict(zip(fields["field"], fields["text"])) == expected
    summary = fields.filter(pl.col("field") == "Summary")["text"][0]
    assert "\n" in summary  # multi-line summary kept whole


def test_shares_quote_newline_quote_becomes_line_breaks(scans):
    posts = _items(scans["complete"], "post")
    facts = SAMPLE_FACTS[COMPLETE.name]["files"]
    share_file = next(n for n in facts if n.startswith("Shares_"))
    first = facts[share_file]["first"]
    header = facts[share_file]["header"]
    commentary = first[header.index("ShareCommentary")].replace('"\n"', "\n")
    post = posts.sort("line")[0]
    assert post["text"][0] == commentary
    assert '"\n"' not in "".join(posts["text"])
    assert posts["url"].str.starts_with("https://www.linkedin.com/feed/update/").all()
    assert set(posts["visibility"]) == {"MEMBER_NETWORK"}  # as in every real export
    assert re.fullmatch(r"post:[0-9a-f]{16}", post["id"][0])


def test_comments_backslash_quotes_and_unquoted_continuations(scans):
    complete = _items(scans["complete"], "comment")
    assert any('"' in text for text in complete["text"])  # \" decoded to a quote
    assert not any('\\"' in text for text in complete["text"])
    legacy = _items(scans["legacy"], "comment")
    facts = SAMPLE_FACTS[LEGACY.name]["files"]["Comments.csv"]
    assert legacy.height == facts["rows"]
    assert any("\n" in text for text in legacy["text"])  # continuation lines joined, not rows


def test_search_queries_keep_unquoted_commas(scans):
    queries = _items(scans["complete"], "search-query")
    assert any(", " in q for q in queries["text"])
    assert queries["date"].null_count() == 0


def test_connections_preamble_and_date_only_rows(scans):
    for name in ("basic", "legacy"):
        result = scans[name]
        facts = SAMPLE_FACTS[BASIC.name if name == "basic" else LEGACY.name]["files"]["Connections.csv"]
        people = _items(result, "connection")
        assert people.height == facts["people"]
        report = next(f for f in result.files if f.recognized_as == "connections")
        assert report.rows == facts["rows"]
        hidden = [w for w in report.warnings if w.code == "hidden-connections"]
        assert hidden and str(facts["hidden_rows"]) in hidden[0].detail


def test_messages_quoted_with_newlines_html_and_drafts(scans):
    messages = _items(scans["complete"], "message")
    assert messages.height == SAMPLE_FACTS[COMPLETE.name]["files"]["messages.csv"]["rows"]
    assert any("\n" in text for text in messages["text"])
    assert not any(re.search(r"<p|<br|&nbsp;|&amp;", text) for text in messages["text"])
    assert any("%FIRSTNAME%" in text for text in messages["text"])  # placeholders kept visible
    drafts = scans["complete"].cells(messages, "IS MESSAGE DRAFT").to_list()
    assert drafts.count("Yes") == SAMPLE_FACTS[COMPLETE.name]["files"]["messages.csv"]["drafts"]
    legacy = _items(scans["legacy"], "message")
    assert not any("<br" in text for text in legacy["text"])


def test_job_applications_are_split_into_question_answer_items(scans):
    result = scans["basic"]
    applications = _items(result, "job-application")
    answers = _items(result, "job-application-answer")
    assert answers.height > applications.height
    assert set(answers["parent"]) <= set(applications["id"])
    assert any(re.search(r"(?i)salar|rémunération|ctc", q) for q in answers["field"])
    assert not any(a.startswith(" ") or a.endswith(" ") for a in answers["text"])
    chunks = [f for f in result.files if f.recognized_as == "job_applications"]
    assert len(chunks) == 2  # `Job Applications.csv` and `_1`


def test_screening_response_chunks_all_read(scans):
    reports = [f for f in scans["basic"].files
               if f.recognized_as == "job_applicant_saved_screening_question_responses"]
    assert len(reports) == 3
    assert sum(r.rows for r in reports) == sum(
        SAMPLE_FACTS[BASIC.name]["files"][r.path]["rows"] for r in reports)


def test_learning_trailing_header_and_coach_file_that_is_not_csv(scans):
    report = next(f for f in scans["complete"].files if f.path == "LearningCoachMessages.csv")
    assert report.items == 0 and any(w.code == "not-a-table" for w in report.warnings)
    learning = next(f for f in scans["complete"].files if f.recognized_as == "learning")
    assert learning.items == SAMPLE_FACTS[COMPLETE.name]["files"]["Learning.csv"]["rows"]
    assert not [w for w in learning.warnings if w.code == "empty-header"]


def test_articles_published_and_draft(scans):
    articles = _items(scans["complete"], "article").sort("title")
    facts = SAMPLE_FACTS[COMPLETE.name]["files"]
    expected = {f["title"]: f["draft"] for n, f in facts.items() if n.endswith(".html")}
    assert dict(zip(articles["title"], articles["url"].is_null())) == expected
    assert articles["date"].null_count() == 0
    assert not any("<" in t for t in articles["text"])
    published = articles.filter(pl.col("url").is_not_null())
    assert published["url"][0].startswith("https://www.linkedin.com/pulse/")


def test_utf16_excel_resave_is_decoded(scans):
    endorsements = _items(scans["legacy"], "endorsement-received")
    assert endorsements.height == 4
    assert not any("\x00" in t for t in endorsements["text"])


def test_unknown_file_is_kept_and_listed(scans):
    result = scans["complete"]
    report = next(f for f in result.files if f.path == "Some_New_File.csv")
    assert report.recognized_as is None and report.items == report.rows > 0
    assert _items(result, "unknown").height == report.items
    assert summarise(result)["unrecognized_files"] == 1


def test_every_date_bearing_kind_has_dates(scans):
    items = scans["merged"].items
    for kind in ("post", "comment", "message", "connection", "search-query", "login", "reaction",
                 "invitation", "job-application", "receipt", "event", "media", "position"):
        dated = items.filter(pl.col("kind") == kind)
        assert dated.height and dated["date"].null_count() == 0, kind


def test_nothing_dropped_rows_equal_items_or_are_explained(scans):
    """docs/bad-input.md G7: for every file, rows read either became items or a counted, listed reason."""
    for result in scans.values():
        for report in result.files:
            if report.status != "read" or report.recognized_as in (
                    "profile", "profile_summary", "job_seeker_preferences", "ad_targeting",
                    "job_applications", "articles"):
                continue
            explained = sum(int(m.group(1)) for w in report.warnings
                            if (m := re.match(r"(\d+) ", w.detail)))
            # merged records are listed one by one in result.merges
            assert report.items + report.merged + explained >= report.rows, (report.path, report.items, report.rows)


def test_every_item_has_a_kind_its_file_gives():
    """scan.py cuts a member's table down where it is read when no other file gives its kinds of
    item (readers.item_kinds): an item of a kind its file is not said to give could share an id
    with another file's record whose cells were let go."""
    from inventory.readers import ANSWER_KIND, item_kinds

    specs = {spec.id: spec for spec in catalogue.FILE_SPECS} | {catalogue.UNKNOWN.id: catalogue.UNKNOWN}
    pairs = set()
    for archive in (BASIC, COMPLETE, LEGACY):
        pairs |= set(scan_exports([archive]).items.select("file_kind", "kind").unique().rows())
    assert ("learning", "learning") in pairs and any(kind == ANSWER_KIND for _, kind in pairs)
    assert [(file_kind, kind) for file_kind, kind in pairs if kind not in item_kinds(specs[file_kind])] == []
