"""Problems carry the values their catalogue text needs (Problem.values, Problem.key), so
`--lang fr` and the UI's problem list say them in French (i18n.problem_detail) while the English
`detail` in the JSON stays as it was."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from string import Formatter

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))
import zipbuild as zb  # noqa: E402

from conftest import SAMPLES  # noqa: E402
from inventory import catalogue, i18n  # noqa: E402
from inventory.csvdialect import Quirks, read_table  # noqa: E402
from inventory.limits import DEFAULT_LIMITS, Limits  # noqa: E402
from inventory.problems import Problem  # noqa: E402
from inventory.readers import read_article, read_member  # noqa: E402
from inventory.scan import scan_exports  # noqa: E402

BASIC = SAMPLES / "Basic_LinkedInDataExport_11-20-2026.zip"
COMPLETE = SAMPLES / "Complete_LinkedInDataExport_11-21-2026.zip"
CONNECTIONS = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
ARTICLE = catalogue.FileSpec("articles", "article", reader="article")


def _read(data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[Problem]:
    return read_table(data, source="x.zip", member="T.csv", limits=limits).problems


def _one(problems: list[Problem], code: str) -> Problem:
    found = [p for p in problems if p.code == code]
    assert len(found) == 1, (code, problems)
    return found[0]


def _placeholders(key: str) -> set[str]:
    forms = i18n.plural_forms()["en"].get(key, (i18n.catalogue()["en"][key],))
    return {name for text in forms for _, name, _, _ in Formatter().parse(text) if name}


def _all_problems(paths: list[Path]) -> list[Problem]:
    result = scan_exports(paths)
    return list(result.problems) + [w for report in result.files for w in report.warnings]


def _hostile_folder(root: Path) -> Path:
    """An invented export folder whose files produce most of the readers' problems."""
    folder = root / "Basic_LinkedInDataExport_01-01-2026"
    folder.mkdir(parents=True)
    rows = [
        "Notes:", "a note line", "",  # the Connections preamble
        CONNECTIONS,
        "Ada,Alpha,https://example.invalid/in/ada,,Acme,Boss,01 Jan 2024",
        "Bea,Beta,https://example.invalid/in/bea,,Acme,Boss,01 Jan 2024,extra",  # ragged
        "Cy,Gamma,https://example.invalid/in/cy,,Acme",  # short
        ",,,,,,02 Jan 2024",  # only a date: a hidden profile
        ",,,,,,",  # every cell empty
        "Di,Delta,https://example.invalid/in/di,,Acme,Boss,someday",  # unparsed date
        "Ed,Eps,https://example.invalid/in/ed,,Acme,Boss,01 Jan 2999",  # after the export
        "Fay,Phi,https://example.invalid/in/fay,,Ac\xffme,Bo\x00ss,03 Jan 2024",
    ]
    data = "\n".join(rows).encode().replace("\xc3\xbf".encode("latin-1"), b"\xff") + b"\n"
    (folder / "Connections.csv").write_bytes(data)
    (folder / "Rich Media.csv").write_bytes(b"Type,Link\nPhotos,https://example.invalid/a\n"
                                            b"Videos,https://example.invalid/b\n")
    (folder / "LearningCoachMessages.csv").write_bytes(b"No conversations found\n")
    (folder / "Invitations.csv").write_bytes(b"")
    (folder / "Shares.csv").write_bytes(b"Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n")
    (folder / "notes.txt").write_bytes(b"not a table\n")
    (folder / "Articles").mkdir()
    (folder / "Articles" / "Articles").mkdir()
    deep = "<div>" * 2001
    (folder / "Articles" / "Articles" / "2024-01-01 10_00_00.0-Deep.html").write_text(
        f"<html><body><h1>t</h1>{deep}</body></html>")
    return folder


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> list[Problem]:
    root = tmp_path_factory.mktemp("hostile")
    folder = _hostile_folder(root)
    twin = root / "twin"
    shutil.copytree(folder, twin)
    problems = _all_problems([folder, twin])
    problems += _all_problems([BASIC, COMPLETE])  # superseded files
    problems += _read(b"a,,c\n1,2,3\n")  # empty-header
    problems += _read(b"a,b\n" + b"x" * 200 + b"\n1,2\n", Limits(max_line_bytes=100))
    problems += read_member(catalogue.UNKNOWN, b"", source="x.zip", member="T.csv", limits=DEFAULT_LIMITS).problems
    problems += read_article(ARTICLE, b"<h1>x</h1>" * 20, "x.zip", "a.html", Limits(max_html_bytes=100)).problems
    problems += _all_problems([_hostile_zip(root)])
    problems += [p for data, _values in REFUSED.values() for p in _refused(data)]
    return problems


def _hostile_zip(root: Path) -> Path:
    """An invented archive with members the archive reader lists but does not read."""
    members = [zb.stored("Shares.csv", b"Date,ShareCommentary\n2024-01-01,x\n"),
               zb.stored("SHARES.csv", b"Date,ShareCommentary\n2024-01-01,y\n"),
               zb.stored("__MACOSX/._Shares.csv", b"x"), zb.stored("inner.zip", b"PK"),
               zb.stored("../evil.csv", b"a\n"), zb.stored("bad\x01name.csv", b"a\n"),
               zb.with_method(zb.stored("odd.csv", b"a\n"), 77),
               zb.deflated("Comments.csv", b"Date,Message\n" + b" " * 100_000)]
    path = root / "Basic_LinkedInDataExport_02-02-2026.zip"
    path.write_bytes(zb.build(members, prefix=b"junk" * 4))
    return path


# Tables refused whole: (bytes as Connections.csv, the values their Problem carries).
REFUSED = {
    "bad-encoding": (b"First Name,\xff\n", {}),
    "duplicate-column": (b"First Name,a,A,Connected On\n", {"first": 2, "position": 3}),
    "too-many-fields": (b"First Name,Connected On" + b",x" * 300 + b"\n", {"count": 302, "limit": 256}),
    "line-too-long": (b"First Name,Connected On," + b"x" * 2_000_000 + b"\n", {}),
    "malformed": (b'First Name,"Connected On\n', {}),
    "missing-header": (b"a,b\nc,d\n", {"columns": "Connected On, First Name"}),
}


def _refused(data: bytes) -> list[Problem]:
    spec = catalogue.match("Connections.csv").spec  # type: ignore[union-attr]
    return read_member(spec, data, source="x.zip", member="Connections.csv", limits=DEFAULT_LIMITS).problems


@pytest.mark.parametrize("code", sorted(REFUSED))
def test_a_refused_table_carries_its_values(code):
    data, values = REFUSED[code]
    problem = _one(_refused(data), code)
    assert problem.severity == "error" and problem.values == values
    french = i18n.problem_detail(problem, "fr")
    assert french != problem.detail and french == i18n.t(problem.key or f"problem.{code}", "fr", **values)


def test_archive_warnings_carry_their_values(tmp_path):
    problems = _all_problems([_hostile_zip(tmp_path)])
    said = {(p.code, p.key): dict(p.values) for p in problems}
    assert said[("prefix-data", None)] == {"bytes": 16}
    assert said[("debris", None)] == {"count": 1}
    assert said[("unsupported-method", "problem.unsupported-method.unknown")] == {"method": 77}
    assert said[("high-ratio", None)]["ratio"] > 200
    for status in ("debris", "nested-archive", "unsafe-name", "duplicate-case", "unsupported-method"):
        assert (status, f"problem.not-read.{status}") in said, status
    assert {p.key for p in problems if p.code == "unsafe-name"} >= {"problem.unsafe-name.characters",
                                                                   "problem.unsafe-name.path"}
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "inner.zip").write_bytes(b"PK")
    assert "problem.nested-archive.folder" in {p.key for p in _all_problems([folder])}


def test_no_english_is_left_in_a_french_problem(hostile):
    """Every problem the bundled samples and the hostile fixtures produce, whose code has a
    catalogue entry, is said in French from its values, never with its English detail."""
    problems = hostile + [p for sample in sorted(SAMPLES.iterdir()) for p in _all_problems([sample])]
    entries = i18n.catalogue()["en"]
    said: set[str] = set()
    for problem in problems:
        key = problem.key or f"problem.{problem.code}"
        variants = [k for k in entries if k.startswith(f"problem.{problem.code}.")]
        if variants:  # a code with several texts must say which one
            assert problem.key in entries, problem
        if key not in entries:
            continue
        assert _placeholders(key) <= set(problem.values), problem
        french = i18n.problem_detail(problem, "fr")
        assert french == i18n.t(key, "fr", **problem.values) and french != problem.detail, problem
        said.add(key)
    expected = {"problem.empty-header", "problem.empty-row", "problem.empty-table.empty-file",
                "problem.empty-table.no-rows", "problem.hidden-connections",
                "problem.ids-disambiguated", "problem.invalid-utf8", "problem.line-too-long.row",
                "problem.not-a-table.not-csv", "problem.not-a-table.sentence", "problem.nul-bytes",
                "problem.preamble", "problem.ragged-row", "problem.same-archive-twice",
                "problem.short-row", "problem.superseded", "problem.unparsed-date.after-export",
                "problem.unparsed-date.unknown-format", "problem.utf16", "problem.download-links",
                "problem.duplicates-merged", "problem.article-skipped.too-large",
                "problem.article-skipped.too-deep", "problem.debris", "problem.not-read.debris",
                "problem.nested-archive.archive", "problem.not-read.nested-archive",
                "problem.unsafe-name.characters", "problem.unsafe-name.path", "problem.not-read.unsafe-name",
                "problem.duplicate-case", "problem.not-read.duplicate-case", "problem.prefix-data",
                "problem.unsupported-method.unknown", "problem.not-read.unsupported-method",
                "problem.high-ratio", "problem.bad-encoding.header", "problem.duplicate-column",
                "problem.too-many-fields", "problem.line-too-long.header", "problem.malformed",
                "problem.missing-header", "problem.nested-archive.folder"}
    assert expected <= said, expected - said


def test_reader_problems_carry_their_values():
    empty_header = _one(_read(b"a,,c\n1,2,3\n"), "empty-header")
    assert (empty_header.values, empty_header.key) == ({"position": 2, "name": "column_2"}, None)
    assert i18n.problem_detail(empty_header, "fr") == \
        "la colonne 2 n'a pas de nom\u202f; gardée sous le nom column_2"
    bad = _read(b"a,b\n1,\xff\xfe\n2,x\x00\x00\n")
    assert _one(bad, "invalid-utf8").values == {"count": 2}
    assert _one(bad, "nul-bytes").values == {"count": 2}
    assert i18n.problem_detail(_one(bad, "nul-bytes"), "fr").startswith("2 ")
    assert _one(_read(b""), "empty-table").key == "problem.empty-table.empty-file"
    assert _one(_read(b"\n\n  \n"), "empty-table").key == "problem.empty-table.empty-file"
    assert _one(_read(b"a,b\n"), "empty-table").key == "problem.empty-table.no-rows"
    preamble = read_table(b"x\ny\nFirst Name,Connected On\nA,01 Jan 2024\n", source="x.zip",
                          member="Connections.csv", limits=DEFAULT_LIMITS,
                          quirks=catalogue.match("Connections.csv").spec.quirks).problems  # type: ignore[union-attr]
    assert _one(preamble, "preamble").values == {"count": 2}
    long = _one(_read(b"a,b\n" + b"x" * 200 + b"\n1,2\n", Limits(max_line_bytes=100)), "line-too-long")
    assert (long.key, long.values) == ("problem.line-too-long.row", {"limit": 100})
    rows = _read(b"a,b,c\n1,2,3,4\n1,2\n,,\n,,\n")
    assert _one(rows, "ragged-row").values == {"fields": 4, "width": 3}
    assert _one(rows, "short-row").values == {"fields": 2, "width": 3}
    assert _one(rows, "empty-row").values == {"count": 2, "lines": "4, 5"}
    assert i18n.problem_detail(_one(rows, "empty-row"), "fr").startswith("2 lignes aux cellules toutes vides (lignes 4, 5)")


@pytest.mark.parametrize("blank, english, french", [
    (11, "1 more", "et 1 autre)"), (13, "3 more", "et 3 autres)")])
def test_the_lines_past_the_tenth_are_counted_in_the_members_language(blank, english, french):
    """"4, 5, … and 3 more" is a catalogue text with plural forms, never English in French."""
    empty = _one(_read(b"a,b\n" + b",\n" * blank), "empty-row")
    first_ten = ", ".join(str(n) for n in range(2, 12))
    assert empty.detail == f"{blank} rows with every cell empty (lines {first_ten} and {english}): nothing to list"
    assert f"(lignes {first_ten} {french}\u00a0: rien à lister" in i18n.problem_detail(empty, "fr")


def test_no_header_is_its_own_variant():
    problems = read_table(b"a,b\nc,d\n", source="x.zip", member="T.csv", limits=DEFAULT_LIMITS,
                          quirks=Quirks(skip_lines=5)).problems  # every line is before the header
    assert [(p.code, p.key) for p in problems] == [("empty-table", "problem.empty-table.no-header")]
    assert i18n.problem_detail(problems[0], "fr") != problems[0].detail


def test_article_and_table_reader_problems_carry_their_values(hostile):
    large = _one(read_article(ARTICLE, b"<h1>x</h1>" * 20, "x.zip", "a.html", Limits(max_html_bytes=100)).problems,
                 "article-skipped")
    assert (large.key, large.values) == ("problem.article-skipped.too-large", {"limit": 100})
    deep = _one(read_article(ARTICLE, b"<div>" * 2001, "x.zip", "a.html", DEFAULT_LIMITS).problems, "article-skipped")
    assert (deep.key, deep.values) == ("problem.article-skipped.too-deep", {})
    sentence = _one(read_member(catalogue.match("LearningCoachMessages.csv").spec,  # type: ignore[union-attr]
                                b"No conversations found\n", source="x.zip", member="L.csv",
                                limits=DEFAULT_LIMITS).problems, "not-a-table")
    assert sentence.key == "problem.not-a-table.sentence"
    links = [p for p in hostile if p.code == "download-links"]
    assert links and all(p.values == {"count": 2} for p in links)


def test_scan_problems_carry_their_values(hostile):
    by_code: dict[str, list[Problem]] = {}
    for problem in hostile:
        if problem.source == COMPLETE.name or problem.source.startswith(BASIC.name):
            continue  # the superseded files, checked above
        by_code.setdefault(problem.code, []).append(problem)
    superseded = [p for p in hostile if p.code == "superseded"]
    assert superseded and all({p.values["other"], p.source} == {BASIC.name, COMPLETE.name} for p in superseded)
    assert all(p.detail == f"same file read from {p.values['other']}" for p in superseded)
    assert [p.values for p in by_code["same-archive-twice"]] == [{"other": "Basic_LinkedInDataExport_01-01-2026"}]
    assert [p.key for p in by_code["not-a-table"] if p.member == "notes.txt"] == ["problem.not-a-table.not-csv"]
    assert [p.values for p in by_code["hidden-connections"]] == [{"count": 1}]
    dates = {p.key: p.values for p in by_code["unparsed-date"]}
    assert dates == {"problem.unparsed-date.unknown-format": {"count": 1, "column": "'Connected On'"},
                     "problem.unparsed-date.after-export": {"count": 1}}
    for code in ("duplicates-merged", "ids-disambiguated"):
        found = [p for sample in sorted(SAMPLES.iterdir()) for p in _all_problems([sample]) if p.code == code]
        assert found and all(p.values == {"count": int(p.detail.split(" ", 1)[0])} for p in found)
