"""Pilot tests of the flow a new member meets (issue 15): deciding safely, inputs that must not
fail silently, what the screens say. On hand-built frames (tests/test_tui_support.py)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from textual.widgets import Button, Input, Select

from inventory import views
from inventory.tui.app import InventoryApp
from inventory.tui.screens.modals import ChoiceModal
from test_tui_support import (analysis_with, items_screen, make_app, ready, record_notifications, said, sample_analysis,
                              sample_frame, screen_text)

SMALL, LARGE = (80, 24), (130, 40)


# --- 1. bulk decisions open on a harmless choice, arrows move, labels whole -------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_bulk_dialog_opens_on_cancel_with_whole_labels_at_80_columns(tmp_path, lang):
    app = make_app(tmp_path, analysis_with(sample_frame()), lang=lang)
    async with app.run_test(size=SMALL) as pilot:
        await ready(app, pilot)
        await pilot.press("2", "a")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        assert app.focused is app.screen.query_one("#choice-cancel")
        shown = screen_text(app)
        for button in app.screen.query(Button):
            caption = str(button.label)
            assert caption in shown, caption  # not cut
            region = button.region
            assert region.right <= SMALL[0] and region.width >= len(caption) + 2, caption
        await pilot.press("enter")  # Enter typed ahead cancels
        await pilot.pause()
        assert app.store.all() == {}


async def test_bulk_dialog_arrows_move_between_buttons_and_reopens_on_a_harmless_answer(tmp_path):
    app = make_app(tmp_path, analysis_with(sample_frame()))
    async with app.run_test(size=SMALL) as pilot:
        await ready(app, pilot)
        await pilot.press("2", "a")
        await pilot.pause()
        await pilot.press("left")
        assert app.focused is app.screen.query_one("#choice-later")
        await pilot.press("left", "right", "right")
        assert app.focused is app.screen.query_one("#choice-cancel")
        await pilot.press("left", "enter")
        await pilot.pause()
        assert set(app.store.all().values()) == {"later"}
        await pilot.press("a")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#choice-later")  # the last, harmless answer
        await pilot.press("left", "left", "left", "enter")  # delete
        await pilot.pause()
        assert set(app.store.all().values()) == {"delete"}
        await pilot.press("a")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#choice-cancel")  # never a destructive one


# --- 2. space selects in place; a bulk decision clears the selection ----------------------------------


async def test_space_selects_without_moving_and_a_decision_clears_the_selection(tmp_path):
    app = make_app(tmp_path, analysis_with(sample_frame()))
    async with app.run_test(size=SMALL) as pilot:
        await ready(app, pilot)
        await pilot.press("2")
        table = items_screen(app).table
        first = table.cursor_id
        await pilot.press("space")
        assert table.cursor_id == first and table.selected == {first}
        await pilot.press("down", "space")
        second = table.cursor_id
        await pilot.press("k")
        await pilot.pause()
        assert app.store.all() == {first: "keep", second: "keep"}
        assert not table.selected
        await pilot.press("space", "a")
        await pilot.pause()
        await pilot.click("#choice-later")
        await pilot.pause()
        assert not table.selected
        assert set(app.store.all().values()) == {"later"}


# --- 5. dates typed in other habits; Escape leaves any box; placeholders match labels --------------


@pytest.mark.parametrize("typed, expected", [("2026-02-28", date(2026, 2, 28)), ("28/02/2026", date(2026, 2, 28)),
                                             ("28.02.2026", date(2026, 2, 28)), ("28-02-2026", date(2026, 2, 28)),
                                             ("02/28/2026", date(2026, 2, 28)), ("3/4/2026", date(2026, 4, 3)),
                                             ("  ", None)])
def test_member_dates_in_every_habit(typed, expected):
    assert views.parse_member_date(typed) == expected


@pytest.mark.parametrize("typed", ["31/13/2026", "2026/02/28", "28/02/26", "yesterday", "30.02.2026"])
def test_member_dates_refused(typed):
    with pytest.raises(ValueError):
        views.parse_member_date(typed)


async def test_context_form_reads_a_french_date_and_says_what_it_understood(tmp_path):
    app = make_app(tmp_path, lang="fr")
    async with app.run_test(size=SMALL) as pilot:
        await ready(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        box = app.screen.query_one("#opted-out", Input)
        assert "AAAA" in box.placeholder and "YYYY" not in box.placeholder
        assert "JJ/MM/AAAA" in box.placeholder or "AAAA-MM-JJ" in box.placeholder
        box.value = "31/31/2026"
        await pilot.pause()
        assert "Date non comprise" in screen_text(app)
        box.value = "28.02.2026"
        await pilot.pause()
        assert "28 février 2026" in screen_text(app)
        await pilot.click("#apply")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session.analysis.context.opted_out_on == date(2026, 2, 28)


async def test_date_filter_reads_other_habits_and_escape_leaves_the_box(tmp_path):
    app = record_notifications(make_app(tmp_path, analysis_with(sample_frame())))
    async with app.run_test(size=LARGE) as pilot:
        await ready(app, pilot)
        await pilot.press("2")
        screen = items_screen(app)
        screen.query_one("#date-from", Input).focus()
        await pilot.press(*"15.02.2023")
        assert app.session.filters.date_from == date(2023, 2, 15)
        await pilot.press("escape")
        assert app.focused is screen.table and app.session.filters.date_from == date(2023, 2, 15)
        assert any("February 15, 2023" in message for message in said(app))
        screen.query_one("#date-to", Input).focus()
        await pilot.press(*"99/99/2023", "enter")
        assert app.focused is screen.table
        assert any("Not a date" in message for message in said(app))


# --- 6. the member context set with `m` is kept with the state --------------------------------------


async def test_member_context_persists_for_the_next_start_and_the_commands(tmp_path):
    from inventory.cli import _analysis_kwargs

    state = tmp_path / "state" / "state.json"
    seen_options: list[dict] = []

    def loader(paths, options, progress, cancelled):
        seen_options.append(dict(options))
        return sample_analysis()

    app = InventoryApp([], lang="en", options={"state_path": state}, loader=loader)
    async with app.run_test(size=LARGE) as pilot:
        await ready(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one("#region", Input).value = "CH"
        app.screen.query_one("#opted-out", Input).value = "01/03/2025"
        await pilot.click("#apply")
        await app.workers.wait_for_complete()
        await pilot.pause()
    again = InventoryApp([], lang="en", options={"state_path": state}, loader=loader)
    async with again.run_test(size=LARGE) as pilot:
        await ready(again, pilot)
    assert seen_options[-1]["region"] == "CH" and seen_options[-1]["opted_out_on"] == date(2025, 3, 1)
    kwargs = _analysis_kwargs({}, state)
    assert kwargs["region"] == "CH" and kwargs["opted_out_on"] == date(2025, 3, 1) and not kwargs["minor"]
    flagged = _analysis_kwargs({"region": "FR", "opted_out_on": None}, state)
    assert flagged["region"] == "FR" and flagged["opted_out_on"] == date(2025, 3, 1)  # a flag wins


async def test_clearing_the_opt_out_date_clears_it(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=LARGE) as pilot:
        await ready(app, pilot)
        for typed, expected in (("2020-01-01", date(2020, 1, 1)), ("", None)):
            await pilot.press("m")
            await pilot.pause()
            app.screen.query_one("#opted-out", Input).value = typed
            await pilot.click("#apply")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.session.analysis.context.opted_out_on == expected


# --- 8. a browser that is not there; the start-up notice; scan lists every notice ------------------


def _with_problems(*severities: str):
    from dataclasses import replace as copy

    from inventory.problems import Problem

    analysis = sample_analysis()
    problems = [Problem("x.zip", "Shares.csv", 3, f"code-{i}", "a detail", severity)
                for i, severity in enumerate(severities)]
    return copy(analysis, scan=copy(analysis.scan, problems=problems))


@pytest.mark.parametrize("severities, shown", [(("info", "info"), None), (("warning", "info"), "1 warning or error"),
                                               (("warning", "error", "info"), "2 warnings or errors")])
async def test_start_up_notice_counts_warnings_and_errors_only(tmp_path, severities, shown):
    app = make_app(tmp_path, _with_problems(*severities))
    async with app.run_test(size=LARGE) as pilot:
        await ready(app, pilot)
        messages = [n.message for n in app._notifications]
        if shown is None:
            assert not any("reading" in m for m in messages)
        else:
            notice = next(m for m in messages if "reading" in m)
            assert notice.startswith(shown + " while reading") and "`inventory scan`" in notice


async def test_open_link_without_a_browser_says_so_and_copies_the_link(tmp_path, monkeypatch):
    monkeypatch.setattr("webbrowser.open", lambda url: False)
    copied: list[str] = []
    app = make_app(tmp_path, analysis_with(sample_frame()))
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=LARGE) as pilot:
        await ready(app, pilot)
        app.show_detail("post:0000000000000001")
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        url = sample_frame().filter(pl.col("id") == "post:0000000000000001")["url"][0]
        assert copied == [url]
        assert any("No web browser found" in n.message and url in n.message for n in app._notifications)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_scan_text_fits_100_columns_summary_first_and_lists_every_notice(lang):
    from inventory.i18n import problem_detail, t
    from inventory.report import render_scan

    analysis = sample_analysis()
    text = render_scan(analysis, lang)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 100
    summary = next(i for i, line in enumerate(lines) if line.startswith(t("scan.items", lang, count=analysis.frame.height)))
    table = next(i for i, line in enumerate(lines) if line.startswith(t("scan.col-file", lang) + " "))
    assert summary < table
    superseded = [f.path for f in analysis.scan.files if f.status == "superseded"]
    read = len(analysis.scan.files) - len(superseded)
    assert superseded and read
    # one table row per file read, then the superseded ones folded into one paragraph
    assert lines[table + 2 + read].startswith(t("scan.superseded", lang, count=len(superseded)))
    assert lines[table + 2 + read - 1].split()[-1].isdigit()
    folded = " ".join(lines)
    assert all(path.split("/")[-1].split(" ")[-1] in folded for path in superseded)
    for code in ("hidden-connections", "preamble", "empty-table"):
        problem = next(p for p in analysis.scan.all_problems() if p.code == code)
        said = problem_detail(problem, lang)  # in the member's language, never the English detail
        assert said.split(":")[0].split()[-1] in folded and (lang == "en" or said != problem.detail), code
    assert t("scan.notices", lang, count=2).split(" ", 1)[1][:12] in folded


def test_policy_text_in_french():
    from inventory.policy import load_policy
    from inventory.report import render_policy

    text = render_policy(load_policy(), "fr")
    assert "Politique" in text and "\u2192 exclu" in text and "Policy" not in text
    assert max(len(line) for line in text.splitlines()) <= 100


# --- 14. French: words, spacing, widths ---------------------------------------------------------------


def test_french_strings_get_french_spacing():
    import re

    from inventory import i18n

    for key in i18n.catalogue()["fr"]:
        text = i18n.t(key, "fr")
        assert not re.search(r" [:;!?»]|« ", text), (key, text)


def test_suggested_text_uses_the_members_words():
    from inventory.detect.explain import suggested_text

    row = sample_frame().filter(pl.col("suggested_text").is_not_null()).row(0, named=True)
    assert suggested_text(row, "en") == row["suggested_text"]
    french = suggested_text(row, "fr")
    assert french != row["suggested_text"] and "[" in french
    assert not any(label in french for label in ("[email]", "[phone]", "[person]", "[salary]"))


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_french_items_table_has_french_words_uncut(tmp_path, size):
    app = make_app(tmp_path, lang="fr")
    async with app.run_test(size=size) as pilot:
        await ready(app, pilot)
        overview = screen_text(app)
        assert "UE/EEE" in overview and "Region" not in overview
        await pilot.press("2")
        await pilot.pause()
        table = items_screen(app).table
        rows = [table.row_text(i) for i in range(min(12, table.row_count))]
        shown = "\n".join(rows)
        assert "entraînement " in shown and "posts" in shown
        assert "training" not in shown and " post " not in shown
        table.focus()
        await pilot.press("d")
        await pilot.pause()
        assert "supprimer " in screen_text(app)  # the decision column holds the whole word


# --- 13. the command palette lists each command once ----------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr"])
async def test_palette_lists_each_command_once(tmp_path, lang):
    app = make_app(tmp_path, lang=lang)
    async with app.run_test(size=LARGE) as pilot:
        await ready(app, pilot)
        for screen in ("1", "2", "3"):
            await pilot.press(screen)
            await pilot.pause()
            titles = [c.title for c in app.get_system_commands(app.screen)]
            assert len(titles) == len(set(titles)), sorted(t for t in titles if titles.count(t) > 1)


# --- 10. the checklist screen renders its Markdown --------------------------------------------------------


async def test_checklist_screen_renders_the_markdown(tmp_path):
    from inventory.i18n import t
    from textual.widgets import Markdown

    app = make_app(tmp_path)
    async with app.run_test(size=LARGE) as pilot:
        await ready(app, pilot)
        await pilot.press("2", "d", "3")
        await pilot.pause()
        preview = app.screen.query_one("#checklist-preview", Markdown)
        await preview.update(app.checklist_text("md"))  # wait for the render in progress
        await pilot.pause()
        shown = screen_text(app)
        title = t("checklist.title", "en")
        assert title in shown and f"# {title}" not in shown  # a heading, not its source
        assert "- [ ]" not in shown and "**" not in shown


# --- 16. `inventory sample --out` writes private files -----------------------------------------------------


def test_sample_out_writes_files_0600_and_folders_0700(tmp_path):
    import os
    import stat

    from inventory.cli import main

    out = tmp_path / "samples"
    old = os.umask(0o022)
    try:
        main(["sample", "--out", str(out), "--no-deflate64"])  # returns on success
    finally:
        os.umask(old)
    entries = [out, *out.rglob("*")]
    assert any(p.is_file() for p in entries) and any(p.is_dir() and p != out for p in entries)
    for path in entries:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path.relative_to(tmp_path), oct(mode))


# --- 12. fuzzy search matches whole words; a burst of keys ends in the right text ----------------------


def test_fuzzy_search_matches_whole_words_with_one_typo_in_four_letters():
    frame = views.prepare(pl.DataFrame({
        "id": ["fr", "conf", "room", "short"], "title": [None] * 4, "field": [None] * 4,
        "text": ["Vive la France", "Conférence à Lyon", "conference room", "un con"]}))
    words = views.vocabulary(frame)

    def found(query: str) -> set[str]:
        return set(views.fuzzy_search(frame, query, words)["id"].to_list())

    assert found("conferance") == {"conf", "room"}  # not "France", though close to a part of it
    assert found("conférence") == found("conference") == {"conf", "room"}  # the right spelling, always
    assert found("france") == {"fr"}
    assert found("conferance lyon") == {"conf"}
    assert found("con") == {"short"}  # under four letters: the word exactly


async def test_a_burst_of_keys_and_backspaces_ends_in_the_right_search(tmp_path):
    app = make_app(tmp_path, analysis_with(sample_frame()))
    async with app.run_test(size=LARGE) as pilot:
        await ready(app, pilot)
        await pilot.press("2", "slash")
        await pilot.press(*"lyonx", "backspace", "backspace", "backspace", *"on", "backspace", "n")
        await pilot.pause()
        box = items_screen(app).query_one("#search", Input)
        assert box.value == "lyon" and app.session.filters.search == "lyon"
        expected = views.apply_filters(views.prepare(sample_frame()), app.session.filters)
        assert sorted(items_screen(app).table.frame["id"].to_list()) == sorted(expected["id"].to_list())


# --- 9. the Reason filter: short codes, only those the other filters leave ------------------------------


async def test_reason_filter_offers_short_codes_the_other_filters_leave(tmp_path):
    frame = sample_analysis().frame
    app = make_app(tmp_path, lang="fr")
    async with app.run_test(size=LARGE) as pilot:
        await ready(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        screen = items_screen(app)
        reason = screen.query_one("#filter-reason", Select)
        everything = [value for _, value in reason._options if isinstance(value, str)]
        assert all(len(v) <= 40 and " " not in v for v in everything)  # codes, not sentences
        screen.query_one("#filter-exposure", Select).value = "excluded"
        await pilot.pause()
        left = [value for _, value in reason._options if isinstance(value, str)]
        excluded = set(frame.filter(pl.col("exposure") == "excluded")["exposure_reason"].to_list())
        assert set(left) == excluded and len(left) < len(everything)
        reason.value = "private-message"
        await pilot.pause()
        assert set(screen.table.frame["id"].to_list()) == set(
            frame.filter(pl.col("exposure_reason") == "private-message")["id"].to_list())
        labels = [str(prompt) for prompt, value in reason._options if value == "private-message"]
        assert labels == ["message privé"]  # translated


@pytest.mark.parametrize("size", [SMALL, LARGE])
@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_reason_filter_shows_translated_labels_that_fit_its_column(tmp_path, lang, size):
    """Every value is offered under its short translated label, never a rule id, and the
    longest label of the catalogue shows whole once chosen, at 80 and 130 columns."""
    from inventory.i18n import reason_label
    from inventory.policy import EXCLUDED_CODES, load_policy

    app = make_app(tmp_path, lang=lang)
    async with app.run_test(size=size) as pilot:
        await ready(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        reason = items_screen(app).query_one("#filter-reason", Select)
        codes = [rule.id for rule in load_policy().rules] + list(EXCLUDED_CODES)
        offered = {value: str(prompt) for prompt, value in reason._options if isinstance(value, str)}
        assert "post.audience-not-recorded" in offered and "private-message" in offered
        assert all(shown == reason_label(value, lang) and (shown == value or shown not in codes)
                   for value, shown in offered.items())
        assert list(offered.values()) == sorted(offered.values(), key=str.casefold)
        longest = max((reason_label(code, lang) for code in codes), key=len)
        with reason.prevent(Select.Changed):
            reason.set_options([(longest, "longest")])
            reason.value = "longest"
        await pilot.pause()
        facets_row = screen_text(app).splitlines()[1]
        assert longest in facets_row, (longest, facets_row)


async def test_counts_take_the_singular_for_zero_and_one_in_french(tmp_path):
    """French plural (Babel: 0 and 1 are singular): "0 supprimé", "1 élément sur 235"."""
    app = make_app(tmp_path, lang="fr")
    async with app.run_test(size=LARGE) as pilot:
        await ready(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        text = screen_text(app)
        assert "0 supprimé," in text and "0 modifié)" in text and "0 sélectionné " in text
        single = next(code for code, n in views.count_by(views.prepare(sample_analysis().frame), "_reason") if n == 1)
        items_screen(app).query_one("#filter-reason", Select).value = single
        await pilot.pause()
        assert items_screen(app).table.row_count == 1
        assert f"1 élément sur {app.session.frame.height}" in screen_text(app)
        await pilot.press("d")
        await pilot.pause()
        assert "1 supprimé," in screen_text(app)
