"""Pilot tests of the terminal UI: every screen and action, on the real pipeline's sample and on
a hand-built frame with hostile cells."""

from __future__ import annotations

import io
import re
import stat
import sys
import threading
from datetime import date
from string import Formatter

import polars as pl
import pytest
from rich.console import Console
from textual.binding import Binding
from textual.command import CommandPalette
from textual.widgets import Input, OptionList, Select, Static

from inventory import i18n, views
from inventory.errors import EnvironmentProblem
from inventory.state import DecisionStore
from inventory.text import LINKEDIN_PREFIX
from inventory.tui import app as tui_app
from inventory.tui import commands
from inventory.tui.messages import VocabularyBuilt
from inventory.tui.app import InventoryApp
from inventory.tui.screens.main import ChecklistScreen, DetailScreen, ItemsScreen, OverviewScreen
from inventory.tui.screens.modals import ChoiceModal, ContextModal, HelpScreen, LoadingModal, OpenExportModal
from test_tui_support import (analysis_with, items_screen, loader_for, make_app, ready, record_notifications, said,
                              sample_analysis, sample_frame, screen_ansi, screen_text)

SIZE = (120, 36)


# --- strings -----------------------------------------------------------------------------------


def test_tui_strings_have_same_keys_and_placeholders_in_both_languages():
    catalogue = i18n.catalogue()
    en = {k: v for k, v in catalogue["en"].items() if k.startswith("tui.")}
    fr = {k: v for k, v in catalogue["fr"].items() if k.startswith("tui.")}
    assert en and set(en) == set(fr)
    for key, text in en.items():
        fields = {f for _, f, _, _ in Formatter().parse(text) if f}
        assert fields == {f for _, f, _, _ in Formatter().parse(fr[key]) if f}, key


def test_every_command_has_title_help_and_a_unique_key_per_screen():
    for command in commands.ALL:
        for lang in ("en", "fr"):
            assert not command.title(lang).startswith("tui."), command
            assert not command.help(lang).startswith("tui."), command
    for group in (commands.ITEMS, commands.DETAIL, commands.CHECKLIST):
        keys = [k for c in group + commands.GLOBAL for k in c.KEY.split(",")]
        assert len(keys) == len(set(keys)), group


# --- entry point -----------------------------------------------------------------------------------


def test_run_refuses_without_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False, raising=False)
    with pytest.raises(EnvironmentProblem) as caught:
        tui_app.run([], lang="en", options={"state_path": tmp_path / "s.json"})
    assert "needs a terminal" in str(caught.value) and caught.value.exit_status == 3


# --- overview and navigation -------------------------------------------------------------------------


async def test_overview_shows_counts_timeline_context_and_riskiest(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert isinstance(app.screen, OverviewScreen)
        text = screen_text(app)
        counts = views.exposure_counts(sample_analysis().frame)
        for name in views.EXPOSURES:
            assert re.search(rf"│ {name}\s+{counts[name]} │", text), name
        assert "Policy: linkedin-genai-training" in text
        assert "Training material created" in text
        riskiest = app.screen.query_one("#riskiest", OptionList)
        assert riskiest.option_count == min(12, views.riskiest(sample_analysis().frame, 12).height) > 0
        await pilot.press("enter")  # as the title says: the riskiest item opens at once
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.item_id == riskiest.get_option_at_index(0).id
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen) and app.screen.item_id == riskiest.get_option_at_index(1).id


async def test_navigation_between_screens_and_detail(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("2")
        table = items_screen(app).table
        assert table.row_count == sample_analysis().frame.height
        first = table.cursor_id
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen) and app.screen.item_id != first
        await pilot.press("escape")
        assert isinstance(app.screen, ItemsScreen)
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)
        await pilot.press("1")
        assert isinstance(app.screen, OverviewScreen)


async def test_loading_shows_progress_and_escape_cancels(tmp_path):
    release = threading.Event()
    seen = []

    def slow_loader(paths, options, progress, cancelled):
        progress("Shares.csv", 1, 4)
        while not cancelled():
            release.wait(0.01)
        raise EnvironmentProblem("sample", "cancelled")

    app = InventoryApp([], lang="en", options={"state_path": tmp_path / "s.json"}, loader=slow_loader)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await pilot.pause(0.1)
        assert isinstance(app.screen, LoadingModal)
        assert "Shares.csv" in screen_text(app)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen) and app.session is None
        assert any(type(m).__name__ == "LoadCancelled" for m in seen)
        await pilot.press("2")  # the UI still answers
        assert isinstance(app.screen, ItemsScreen)


# --- items: filters, search, sort -------------------------------------------------------------------------


async def test_filters_update_rows_and_counts(tmp_path):
    frame = sample_analysis().frame
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("2")
        screen = items_screen(app)
        screen.query_one("#filter-exposure", Select).value = "training"
        await pilot.pause()
        expected = frame.filter(pl.col("exposure") == "training").height
        assert screen.table.row_count == expected
        assert f"{expected} items of {frame.height}" in screen_text(app)
        kind = frame.filter(pl.col("exposure") == "training")["kind"][0]
        screen.query_one("#filter-kind", Select).value = kind
        await pilot.pause()
        both = frame.filter((pl.col("exposure") == "training") & (pl.col("kind") == kind)).height
        assert screen.table.row_count == both
        screen.query_one("#date-from", Input).value = "2999-01-01"
        await pilot.pause()
        assert screen.table.row_count == 0
        screen.query_one("#date-from", Input).value = "not a date"
        await pilot.pause()
        assert screen.query_one("#date-from", Input).has_class("-invalid")
        screen.table.focus()
        await pilot.press("x")
        await pilot.pause()
        assert screen.table.row_count == frame.height


async def test_search_plain_accents_and_fuzzy(tmp_path):
    app = make_app(tmp_path, analysis_with(sample_frame()))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("2", "slash")
        await pilot.press(*"ELAN CONSEIL")
        await pilot.pause()
        screen = items_screen(app)
        assert screen.table.row_count == 2  # "Élan Conseil" in a post and a position
        await pilot.press("escape")  # back to the table, the search kept
        assert app.focused is screen.table and screen.table.row_count == 2
        screen.query_one("#search", Input).value = "conferance lyon"
        await pilot.pause()
        assert screen.table.row_count == 0
        screen.table.focus()
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert app.session.filters.search_mode == "fuzzy"
        assert screen.table.row_count == 2


async def test_search_column_arrives_after_the_first_screen_and_a_search_before_it_works(tmp_path):
    app = make_app(tmp_path, analysis_with(sample_frame()))
    started: list[object] = []
    app.build_search = lambda prepared: started.append(prepared)  # held back: not built yet
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert started and "_search" not in app.session.frame.columns and app.session.words is None
        await pilot.press("2", "slash")
        await pilot.press(*"ELAN CONSEIL")
        await pilot.pause()
        assert items_screen(app).table.row_count == 2  # built on demand for this search
        searchable = views.with_search(started[0])
        app.post_message(VocabularyBuilt(started[0], searchable, views.vocabulary(searchable)))
        await pilot.pause()
        assert app.session.frame is searchable and "conference" in app.session.words


async def test_sort_cycles_and_reverses(tmp_path):
    app = make_app(tmp_path, analysis_with(sample_frame()))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("2")
        table = items_screen(app).table
        assert table.frame["risk"][0] == 95  # default: riskiest first
        await pilot.press("s")  # risk -> suggestion
        assert app.session.sort_column == "suggestion"
        await pilot.press("s", "s", "s")  # title -> date
        assert app.session.sort_column == "kind"
        await pilot.press("r")
        kinds = table.frame["kind"].to_list()
        assert kinds == sorted(kinds)  # was descending (risk), now ascending
        assert "sorted by Kind \u2191" in screen_text(app)


# --- decisions ------------------------------------------------------------------------------------------


async def test_decide_undo_redo_and_what_if(tmp_path):
    app = make_app(tmp_path, analysis_with(sample_frame()))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("2")
        table = items_screen(app).table
        first = table.cursor_id
        await pilot.press("d")
        await pilot.pause()
        assert app.store.get(first) == "delete"
        assert "delete" in table.row_text(0)
        assert "training material 8 \u2192 7" in screen_text(app)
        await pilot.press("down", "k")
        await pilot.pause()
        second = table.cursor_id
        assert app.store.get(second) == "keep"
        await pilot.press("u")
        await pilot.pause()
        assert app.store.get(second) is None and app.store.get(first) == "delete"
        await pilot.press("y")
        await pilot.pause()
        assert app.store.get(second) == "keep"
        await pilot.press("backspace")
        await pilot.pause()
        assert app.store.get(second) is None


async def test_multi_selection_decides_all_selected(tmp_path):
    app = make_app(tmp_path, analysis_with(sample_frame()))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("2")
        table = items_screen(app).table
        ids = table.frame["id"].to_list()[:3]
        await pilot.press("space", "down", "space", "down", "space")
        assert "3 selected" in screen_text(app)
        await pilot.press("e")
        await pilot.pause()
        assert {i: app.store.get(i) for i in ids} == {i: "edit" for i in ids}
        await pilot.press("space", "escape")
        await pilot.pause()
        assert not table.selected


async def test_decisions_survive_a_restart(tmp_path):
    state = tmp_path / "state" / "state.json"
    app = make_app(tmp_path, state_path=state)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("2", "l")
        decided = items_screen(app).table.cursor_id
    assert state.exists() and stat.S_IMODE(state.stat().st_mode) == 0o600
    again = make_app(tmp_path, state_path=state)
    async with again.run_test(size=SIZE) as pilot:
        await ready(again, pilot)
        await pilot.press("2")
        assert again.store.get(decided) == "later"
        screen = items_screen(again)
        screen.query_one("#filter-decision", Select).value = "later"
        await pilot.pause()
        assert screen.table.frame["id"].to_list() == [decided]


def _with_two_new_items(frame: pl.DataFrame) -> pl.DataFrame:
    extra = frame.head(2).with_columns(pl.col("id") + pl.lit("-next-export"))
    return pl.concat([frame, extra])


async def test_newer_export_shows_items_new_since_last_review(tmp_path):
    state = tmp_path / "state" / "state.json"
    first_frame = sample_analysis().frame
    app = make_app(tmp_path, state_path=state)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        assert app.session.new_ids.len() == 0 and app.session.first_review
        assert "First review" in screen_text(app)
        await pilot.press("2", "d")
        decided = items_screen(app).table.cursor_id
        screen = items_screen(app)
        screen.query_one("#filter-decision", Select).value = views.NEW
        await pilot.pause()
        assert screen.table.row_count == 0
    with DecisionStore.open(state) as store:
        assert store.seen().to_list() == sorted(set(first_frame["id"]))

    newer = _with_two_new_items(first_frame)
    expected = set(newer["id"].to_list()) - set(first_frame["id"].to_list())
    assert len(expected) == 2
    again = make_app(tmp_path, analysis_with(newer), state_path=state)
    async with again.run_test(size=SIZE) as pilot:
        await ready(again, pilot)
        assert set(again.session.new_ids) == expected and again.session.new_ids.len() == 2
        assert "New since your last review: 2" in screen_text(again)
        assert again.store.get(decided) == "delete"  # decisions carry over
        await pilot.press("2")
        screen = items_screen(again)
        screen.query_one("#filter-decision", Select).value = views.NEW
        await pilot.pause()
        assert set(screen.table.frame["id"].to_list()) == expected
    # the baseline now includes the newer export: a third opening finds nothing new
    third = make_app(tmp_path, analysis_with(newer), state_path=state)
    async with third.run_test(size=SIZE) as pilot:
        await ready(third, pilot)
        assert third.session.new_ids.len() == 0 and not third.session.first_review
        assert "New since your last review: 0" in screen_text(third)


async def test_state_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("INVENTORY_STATE_DIR", str(tmp_path / "envstate"))
    app = InventoryApp([], lang="en", options={}, loader=loader_for(sample_analysis()))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("2", "k")
    reopened = DecisionStore.open()
    try:
        assert list(reopened.all().values()) == ["keep"]
        assert str(reopened.path).startswith(str(tmp_path / "envstate"))
    finally:
        reopened.close()


async def test_bulk_decide_on_filter_asks_first(tmp_path):
    app = make_app(tmp_path, analysis_with(sample_frame()))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("2")
        screen = items_screen(app)
        screen.query_one("#filter-kind", Select).value = "post"
        await pilot.pause()
        screen.table.focus()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceModal)
        assert "all 5 items" in screen_text(app)
        await pilot.press("escape")  # cancelling decides nothing
        await pilot.pause()
        assert app.store.all() == {}
        await pilot.press("a")
        await pilot.pause()
        await pilot.click("#choice-later")
        await pilot.pause()
        posts = sample_frame().filter(pl.col("kind") == "post")["id"].to_list()
        assert app.store.all() == {i: "later" for i in posts}
        await pilot.press("u")
        await pilot.pause()
        assert app.store.all() == {}  # one undo step for the whole bulk decision


async def test_bulk_decide_on_cluster(tmp_path):
    app = make_app(tmp_path, analysis_with(sample_frame()))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        app.show_detail("post:0000000000000001")
        await pilot.pause()
        assert "Near-duplicates: 1" in screen_text(app)
        await pilot.press("g")
        await pilot.pause()
        await pilot.click("#choice-delete")
        await pilot.pause()
        assert app.store.all() == {"post:0000000000000001": "delete", "post:0000000000000002": "delete"}


async def test_member_context_change_reclassifies_in_a_worker(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        before = views.exposure_counts(app.session.frame)["training"]
        assert before > 0
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ContextModal)
        app.screen.query_one("#region", Input).value = "CH"
        app.screen.query_one("#opted-out", Input).value = "2020-01-01"
        await pilot.click("#apply")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session.analysis.context.opted_out_on == date(2020, 1, 1)
        assert views.exposure_counts(app.session.frame)["training"] == 0
        shown = app.screen.query_one("#context", Static).content.plain
        assert "Opted out on: January 1, 2020" in shown and "Region: Switzerland" in shown
        await pilot.press("2")
        await pilot.pause()
        assert "training 0 " in screen_text(app)


async def test_context_form_rejects_bad_date(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one("#opted-out", Input).value = "31/13/2024"
        await pilot.click("#apply")
        await pilot.pause()
        assert isinstance(app.screen, ContextModal) and "Not a date" in screen_text(app)


# --- detail --------------------------------------------------------------------------------------------


async def test_detail_shows_findings_verdict_suggestion_and_link(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    app = make_app(tmp_path, analysis_with(sample_frame()))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        app.show_detail("post:0000000000000000")
        await pilot.pause()
        text = screen_text(app)
        assert "email: e-mail address" in text  # rendered from the finding's key (tests/test_tui_support.py)
        assert "training" in text and "rule: rule-post" in text and "(rule-post)" not in text  # not in the catalogues
        assert "Suggestion: edit" in text and "[redacted]" in text
        ansi = screen_ansi(app)
        assert "\x1b]8;" in ansi and "linkedin.com/feed/update/urn:li:share:7000" in ansi  # OSC 8 link
        await pilot.press("b")
        assert opened == ["https://www.linkedin.com/feed/update/urn:li:share:7000"]
        await pilot.press("d")
        await pilot.pause()
        assert app.store.get("post:0000000000000000") == "delete"
        assert "Decision: delete" in screen_text(app)


async def test_detail_shows_the_policy_reason_in_the_interface_language(tmp_path):
    frame = sample_analysis().frame
    comment = frame.filter(pl.col("rule") == "comment")["id"][0]
    excluded = frame.filter(pl.col("rule") == "message.private")["id"][0]
    for lang, expected in (("fr", "Les commentaires sont cités comme données d'entraînement."),
                           ("en", "Comments are named as training data.")):
        app = make_app(tmp_path / lang, lang=lang)
        async with app.run_test(size=SIZE) as pilot:
            await ready(app, pilot)
            app.show_detail(comment)
            await pilot.pause()
            verdict = str(app.screen.query_one("#detail-verdict", Static).render())
            assert expected in verdict, lang
            app.pop_screen()
            app.show_detail(excluded)  # excluded items keep their reason code's label
            await pilot.pause()
            verdict = str(app.screen.query_one("#detail-verdict", Static).render())
            assert app.session.frame.filter(pl.col("id") == excluded)["exposure_reason"][0] == "private-message"
            assert ("message privé" if lang == "fr" else "private message") in verdict, verdict
            # The rule in words, its id after it for looking it up in the policy file.
            assert ("règle\u00a0: message privé (message.private)" if lang == "fr"
                    else "rule: private message (message.private)") in verdict, verdict


async def test_detail_explains_findings_and_risk_in_the_interface_language(tmp_path):
    frame = sample_analysis().frame
    meetup = frame.filter(pl.col("text").str.starts_with("Pour toute question sur le meetup"))["id"][0]
    expected = {
        "fr": ["téléphone\u00a0: numéro de téléphone (FR, vérifié)", "e-mail\u00a0: adresse e-mail", "relation\u00a0: Julie Bernard",
               "exposition entraînement\u00a0: +", "suggestion modifier\u00a0: contient e-mail, personne, téléphone\u202f;"],
        "en": ["phone: phone number (FR, validated)", "email: e-mail address", "connection: Julie Bernard",
               "exposure training: +", "suggestion edit: holds email, person, phone;"],
    }
    for lang, wanted in expected.items():
        app = make_app(tmp_path / lang, lang=lang)
        async with app.run_test(size=SIZE) as pilot:
            await ready(app, pilot)
            app.show_detail(meetup)
            await pilot.pause()
            findings = str(app.screen.query_one("#detail-findings", Static).render())
            verdict = str(app.screen.query_one("#detail-verdict", Static).render())
            for part in wanted:
                assert part in findings + verdict, (lang, part)
            if lang == "fr":
                assert "validated" not in findings and "exposure" not in verdict and "holds" not in verdict


async def test_detail_refuses_non_linkedin_urls(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    app = make_app(tmp_path, analysis_with(sample_frame()))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        app.show_detail("post:000000000000000b")  # url https://evil.example/ with an escape
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert opened == []
        links = osc8_targets(screen_ansi(app))
        assert links and all(url.startswith(LINKEDIN_PREFIX) for url in links)  # policy source only
        assert not any("evil" in url for url in links)
        assert "No LinkedIn link" in screen_text(app)


# --- checklist, help, palette, picker, language -------------------------------------------------------------


async def test_checklist_preview_and_export_writes_private_file(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("2", "d", "3")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)
        assert screen_text(app).strip()
        await pilot.press("w")
        await pilot.pause()
        target = tmp_path / "out" / "checklist.html"
        target.parent.mkdir()
        field = app.screen.query_one("#path", Input)
        field.value = str(target)
        await pilot.press("enter")
        for _ in range(200):  # until the "written to" toast arrives (each pause drains the queue)
            if any("checklist.html" in n.message for n in app._notifications):
                break
            await pilot.pause()
        # Regression: the "written to" toast was a rich Text, which Textual's toast cannot
        # render (it crashed a real terminal right after writing the file; headless runs do not
        # draw toasts). Every toast must be a plain string shown without markup.
        toasts = list(app._notifications)
        assert toasts and any("checklist.html" in n.message for n in toasts)
        assert all(isinstance(n.message, str) and n.markup is False for n in toasts)
    assert target.exists() and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8").lstrip().startswith("<!DOCTYPE html>")


async def test_help_screen_lists_every_command(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=200, record=True, file=io.StringIO())
        console.print(app.screen.query_one("#help-table", Static).content)
        listed = console.export_text()
        for command in commands.ALL:
            assert command.title("en") in listed and command.help("en") in listed, command
        assert "Keys (also in the command palette" in screen_text(app)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize("lang, size", [("fr", (80, 24)), ("en", (80, 24)), ("fr", (130, 40)), ("en", (130, 40))])
async def test_help_key_column_is_as_wide_as_the_keys(tmp_path, lang, size):
    """The area headings ("Tableau des éléments") do not widen the key column: at 80 columns the
    titles start right after the widest key, so the help sentences keep their room."""
    app = make_app(tmp_path, lang=lang)
    async with app.run_test(size=size) as pilot:
        await ready(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        lines = screen_text(app).splitlines()
        title = commands.ShowOverview.title(lang)
        [row] = [line for line in lines if " 1 " in line and title in line]
        keys_start = row.index(" 1 ") + 1
        assert row.index(title) - keys_start == len("ctrl+o  "), row  # the widest key, then its gap
        heading = i18n.t("tui.help-global", lang)
        assert any(line.strip(" █").startswith(heading) for line in lines)
        if lang == "fr":  # the keys with a name are named in French
            help_text = screen_text(app)
            await pilot.press("end")
            await pilot.pause()
            help_text += screen_text(app)
            assert "espace " in help_text and "Échap " in help_text and not re.search(r"\b(space|escape)\b", help_text)


async def test_palette_lists_every_command_of_the_screen(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        await pilot.press("2")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for command in commands.ITEMS + commands.GLOBAL:
            assert command.title("en") in titles, command
        # running an entry from the palette performs the action
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Checklist")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)


async def test_palette_is_translated_and_offers_no_screenshot(tmp_path):
    """Textual's own entries are translated; its "Screenshot" would write the screen (personal
    data) to a world-readable file in the current folder, so it is not offered."""
    app = make_app(tmp_path, lang="fr")
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
    assert {"Thème", "Quitter", "Touches"} <= set(titles)
    assert not {"Theme", "Screenshot", "Keys"} & set(titles)
    assert not any(title.startswith("tui.") for title in titles)


async def test_file_picker_opens_another_export(tmp_path):
    from inventory.samples import build_export, write_zip

    export = tmp_path / "exports" / "Basic_LinkedInDataExport_01-02-2026.zip"
    export.parent.mkdir()
    write_zip(build_export("basic"), export)
    app = InventoryApp([export], lang="en", options={"state_path": tmp_path / "s.json"})
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        loaded = app.session.frame.height
        assert loaded > 0 and app.paths == [export]
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OpenExportModal)
        app.screen.dismiss(export)
        await pilot.pause()
        await ready(app, pilot)
        assert app.session.frame.height == loaded and "Basic_LinkedInDataExport" in app.sub_title


async def test_file_picker_climbs_to_parent_folders_and_other_drives(tmp_path, monkeypatch):
    """It opens in the open export's folder; Backspace and the `..` button go up a folder; the
    Places list reaches the other drives (drive letters on Windows) and Downloads."""
    from inventory.tui.screens import modals
    from inventory.samples import build_export, write_zip

    export = tmp_path / "home" / "exports" / "2026" / "Basic_LinkedInDataExport_01-02-2026.zip"
    export.parent.mkdir(parents=True)
    write_zip(build_export("basic"), export)
    other_drive = tmp_path / "D"
    other_drive.mkdir()
    monkeypatch.setattr(modals, "drives", lambda: [other_drive])
    app = InventoryApp([export], lang="fr", options={"state_path": tmp_path / "s.json"})
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, OpenExportModal)
        assert picker.folder == export.parent.resolve()
        assert "Dossier\u00a0: " in screen_text(app) and "/2026" in screen_text(app)
        await pilot.press("backspace")
        await pilot.pause()
        assert picker.folder == export.parent.parent.resolve()
        await pilot.click("#open-up")
        await pilot.pause()
        assert picker.folder == (tmp_path / "home").resolve()
        assert ".. Dossier parent" in screen_text(app)
        places = picker.query_one("#open-places", Select)
        assert str(other_drive) in [str(value) for _, value in places._options]
        places.value = str(other_drive)
        await pilot.pause()
        assert picker.folder == other_drive
        assert app.focused is picker.query_one("#tree")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, OpenExportModal)


def test_file_picker_starts_in_downloads_then_home(tmp_path, monkeypatch):
    from inventory.tui.screens import modals

    home = tmp_path / "member"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    assert modals.start_folder([]) == home
    (home / "Downloads").mkdir()
    assert modals.start_folder([]) == (home / "Downloads").resolve()
    export = tmp_path / "elsewhere" / "export.zip"
    export.parent.mkdir()
    assert modals.start_folder([export]) == export.parent.resolve()


def test_file_picker_lists_the_windows_drive_letters(monkeypatch):
    from types import SimpleNamespace

    from inventory.tui.screens import modals

    monkeypatch.setattr(modals, "os", SimpleNamespace(name="nt", listdrives=lambda: ["C:\\", "E:\\"]))
    assert [str(d) for d in modals.drives()] == ["C:\\", "E:\\"]
    present = {"C:\\", "F:\\"}
    monkeypatch.setattr(modals, "os", SimpleNamespace(name="nt", path=SimpleNamespace(exists=present.__contains__)))
    assert [str(d) for d in modals.drives()] == ["C:\\", "F:\\"]


async def test_french_interface(tmp_path):
    app = make_app(tmp_path, lang="fr")
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        text = screen_text(app)
        assert "Éléments par exposition" in text and "Vue d'ensemble" in text
        assert "entraînement" in text
        await pilot.press("2")
        await pilot.pause()
        assert "éléments sur" in screen_text(app) and "Supprimer" in screen_text(app)


async def test_footer_and_keys_are_in_the_interface_language(tmp_path):
    """Every command's key, on the app and on each screen, is described in the member's language
    (commands.LocalisedBindings); the English app next to it stays English."""
    for lang in ("fr", "en"):
        app = make_app(tmp_path / lang, lang=lang)
        async with app.run_test(size=SIZE) as pilot:
            await ready(app, pilot)
            for key, group in (("1", commands.GLOBAL), ("2", commands.ITEMS), ("3", commands.CHECKLIST)):
                await pilot.press(key)
                await pilot.pause()
                shown = {b.binding.id: b.binding.description for b in app.active_bindings.values() if b.binding.id}
                for command in group + commands.GLOBAL:
                    if command.KEY not in ("escape",):  # escape belongs to the focused widget first
                        assert shown.get(command.id()) == command.title(lang), (lang, command)
            footer = screen_text(app).splitlines()[-1]
            assert commands.ShowOverview.title(lang) in footer and commands.ExportChecklist.title(lang) in footer


# --- Textual's own bindings, worded from the catalogues ----------------------------------------------


async def _open_filter_list(app, pilot):
    await pilot.press("2")
    await pilot.pause()
    select = app.screen.query_one("#filter-exposure", Select)
    select.focus()
    await pilot.press("enter")
    await pilot.pause()
    assert select.expanded
    return select


@pytest.mark.parametrize("lang, size, words", [("fr", (80, 24), "esc Fermer la liste"),
                                               ("en", (130, 40), "esc Close the list")])
async def test_an_open_filter_list_says_its_key_in_the_members_language(tmp_path, lang, size, words):
    """Textual's Select list binds escape as "Dismiss menu": the footer says it from the catalogues."""
    app = make_app(tmp_path, lang=lang)
    async with app.run_test(size=size) as pilot:
        await ready(app, pilot)
        await _open_filter_list(app, pilot)
        footer = screen_text(app).splitlines()[-1]
        assert words in footer and "Dismiss" not in footer, footer
        await pilot.press("escape")
        await pilot.pause()
        assert "Fermer la liste" not in screen_text(app).splitlines()[-1]


def _textual_bindings(app) -> list[tuple[str, Binding]]:
    """Every binding of a Textual class on the current screen (and the app), with its class name."""
    found = []
    for node in [app, *app.screen.walk_children(with_self=True)]:
        for owner in type(node).__mro__:
            if owner.__module__.startswith("textual"):
                for binding in vars(owner).get("BINDINGS", []):
                    found.append((owner.__name__, binding if isinstance(binding, Binding) else Binding(*binding)))
    return found


async def test_every_textual_binding_a_member_can_see_has_words_in_both_languages(tmp_path):
    """On every screen and dialog (a filter list open, the palette too), each binding Textual's
    widgets bring with a description or tooltip has catalogue words, and the French screens show
    them (footer and Keys panel read `active_bindings`)."""
    app = make_app(tmp_path, lang="fr")
    entries = {lang: i18n.catalogue()[lang] for lang in i18n.LANGUAGES}
    missing, english = set(), []
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)

        def check(palette: bool = False) -> None:
            for owner, binding in _textual_bindings(app):
                key = commands.textual_key(binding.action)
                wanted = ([key] if binding.description else []) + ([f"{key}-help"] if binding.tooltip else [])
                missing.update((owner, k) for k in wanted if binding.id not in commands.OURS
                               and not all(k in entries[lang] for lang in entries))
            for node in app.screen.walk_children(with_self=True):  # the Keys panel's group headings
                owner = next((c for c in type(node).__mro__ if vars(c).get("BINDING_GROUP_TITLE")), None)
                if owner is not None and owner.__module__.startswith("textual"):
                    key = f"textual.group-{owner.__name__.lower()}"
                    missing.update((owner.__name__, key) for lang in entries if key not in entries[lang])
            if not palette:  # the palette (Textual's screen) shows no footer and no Keys panel
                english.extend((type(app.screen).__name__, a.binding.description)
                               for a in app.screen.active_bindings.values() if a.binding.id not in commands.OURS
                               and a.binding.description
                               and a.binding.description != i18n.t(commands.textual_key(a.binding.action), "fr"))

        for key in ("1", "2", "3"):
            await pilot.press(key)
            await pilot.pause()
            check()
        await _open_filter_list(app, pilot)
        check()
        await pilot.press("escape")
        items_screen(app).table.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        check()
        await pilot.press("escape")
        for key, modal in (("f1", HelpScreen), ("o", OpenExportModal), ("m", ContextModal), ("a", ChoiceModal)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, modal)
            for _ in range(3):  # each field of the dialog focused in turn
                await pilot.press("tab")
                await pilot.pause()
                check()
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        check(palette=True)
        assert "Rechercher une commande…" in screen_text(app)
    assert missing == set() and english == []


async def test_the_keys_panel_and_ctrl_c_speak_the_members_language(tmp_path):
    app = record_notifications(make_app(tmp_path, lang="fr"))
    async with app.run_test(size=(130, 40)) as pilot:
        await ready(app, pilot)
        await pilot.press("2", "slash")
        await pilot.pause()
        app.action_show_help_panel()
        await pilot.pause()
        text = screen_text(app)
        assert "Zone de saisie" in text and "Curseur au mot suivant" in text and "Aller au début" in text, text
        assert "Move cursor" not in text and "Input" not in text
        await pilot.press("escape")  # back to the table: ctrl+c is no longer the box's copy
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert "Appuyez sur q pour quitter." in said(app)


async def _search_for_nothing(app, pilot) -> str:
    await pilot.press(*"zzzz")
    for _ in range(20):  # Textual would say its own "No matches found" after half a second
        await pilot.pause(0.1)
    return screen_text(app)


async def test_the_palette_says_nothing_matches_and_searches_themes_in_the_members_language(tmp_path):
    app = make_app(tmp_path, lang="fr")
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        for open_palette, placeholder in ((app.action_command_palette, "Rechercher une commande…"),
                                          (app.search_themes, "Rechercher un thème…")):
            open_palette()
            await pilot.pause()
            assert placeholder in screen_text(app)
            text = await _search_for_nothing(app, pilot)
            assert "Rien ne correspond." in text and "No matches" not in text, text
            await pilot.press("escape")
            await pilot.pause()
            assert not CommandPalette.is_open(app)


def test_no_private_textual_attribute_is_written():
    """No module assigns Textual's private state (bindings, error hooks): only its public API."""
    from conftest import REPO

    written = re.compile(r"\.(_bindings|_handle_exception|_fatal_error|_merged_bindings)\s*=|"
                         r"def (_handle_exception|_fatal_error)\b")
    offenders = [f"{path}:{n}" for path in sorted((REPO / "inventory").rglob("*.py"))
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if written.search(line)]
    assert offenders == []


# --- untrusted text ------------------------------------------------------------------------------------------


def osc8_targets(ansi: str) -> list[str]:
    """URLs of the OSC 8 hyperlinks in the terminal output (empty closing links left out)."""
    return [url for url in re.findall(r"\x1b\]8;[^;\x1b]*;([^\x1b\x07]*)", ansi) if url]


def _assert_inert(app, text: str, ansi: str, literal: str = "[@click=app.quit]x[/]") -> None:
    assert literal in text  # markup shown literally
    assert "\x1b" not in text and "\u202e" not in text and "\u200b" not in text
    assert "\x1b[2J" not in ansi and "\x1b]52" not in ansi and "\x1b]0;" not in ansi
    assert all(url.startswith(LINKEDIN_PREFIX) for url in osc8_targets(ansi))
    assert app.is_running


async def test_hostile_text_is_inert_in_every_widget(tmp_path):
    hostile = sample_frame()
    app = make_app(tmp_path, analysis_with(hostile))
    async with app.run_test(size=SIZE) as pilot:
        await ready(app, pilot)
        # overview riskiest list (the hostile post is the riskiest)
        text = screen_text(app)
        assert "[b]bold[/b] \u241b[31mred" in text
        _assert_inert(app, text, screen_ansi(app), literal="[b]bold[/b] \u241b[31mred")
        # items table: click on the hostile cell itself
        await pilot.press("2")
        text = screen_text(app)
        assert "[b]bold[/b] \u241b[31mred \u2014 [@click=app.quit]x[/] [link=http" in text
        row = next(i for i, line in enumerate(text.splitlines()) if "[@click=app.quit]" in line)
        column = text.splitlines()[row].index("[@click=app.quit]") + 2
        await pilot.click(offset=(column, row))
        await pilot.pause()
        assert app.is_running
        _assert_inert(app, text, screen_ansi(app))
        # detail: full text, findings, suggestion
        await pilot.click(offset=(column, row))
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        text = screen_text(app)
        assert "<U+202E>" in text and "\u241b]52;c;" in text and "[link=https://evil.example]y[/link]" in text
        for y, line in enumerate(text.splitlines()):
            if "[@click=app.quit]" in line:
                await pilot.click(offset=(line.index("[@click=app.quit]") + 3, y))
        await pilot.pause()
        _assert_inert(app, text, screen_ansi(app))
        await pilot.press("escape")
        # checklist preview
        await pilot.press("d", "3")
        await pilot.pause()
        text = screen_text(app)
        ansi = screen_ansi(app)
        assert "\x1b[2J" not in ansi and "\x1b]52" not in ansi and "\u202e" not in text
        assert app.is_running


def test_crash_prints_one_fixed_line_without_locals(tmp_path, capsys, monkeypatch):
    """Through `run`, as a member starts it: an unhandled error in a handler ends the UI with
    status 1 and one fixed line, no traceback and no local variable, the decisions saved."""
    from functools import partialmethod

    from textual.app import App

    canary = "canary.person@example.org"
    state = tmp_path / "state" / "state.json"
    original = InventoryApp.on_export_loaded

    def loaded_then_explode(self, message) -> None:
        original(self, message)
        self.decide([self.session.frame["id"][0]], "keep")
        secret = canary  # noqa: F841 - a local that must not be printed
        raise RuntimeError(f"boom {canary}")

    monkeypatch.setattr(InventoryApp, "on_export_loaded", loaded_then_explode)
    monkeypatch.setattr(InventoryApp, "run", partialmethod(App.run, headless=True, size=SIZE))
    monkeypatch.setattr(tui_app, "load_with_pipeline", lambda paths, options, progress, cancelled: sample_analysis())
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    assert tui_app.run([], lang="en", options={"state_path": state}) == 1
    printed = capsys.readouterr()
    assert "canary" not in printed.err + printed.out
    assert "Traceback" not in printed.err + printed.out
    assert printed.err.strip() == i18n.t("tui.crashed", "en")
    reopened = DecisionStore.open(state)
    try:
        assert list(reopened.all().values()) == ["keep"]  # saved on the way out
    finally:
        reopened.close()


async def test_tiny_terminal_says_too_small(tmp_path):  # 68
    """At 20x5 (and resized to 1x1) no crash and a visible "terminal too small"; back to a
    normal size, the screens return."""
    from inventory.state import DecisionStore
    from inventory.tui.app import InventoryApp

    store = DecisionStore.open(tmp_path / "state.json")
    app = InventoryApp([], lang="en", options={}, store=store)
    async with app.run_test(size=(20, 5)) as pilot:
        await pilot.pause(0.5)
        await pilot.resize_terminal(1, 1)
        await pilot.pause(0.2)
        shown = " ".join(str(w.render()) for w in app.screen.walk_children() if hasattr(w, "render"))
        await pilot.resize_terminal(120, 36)
        await pilot.pause(0.2)
        restored = type(app.screen).__name__
    store.close()
    assert "too small" in shown.lower()
    assert restored != "TooSmallScreen"


def test_the_app_overrides_no_private_textual_method():
    """Textual can then be a range in pyproject.toml: nothing here depends on its internals."""
    from textual.app import App

    import inspect

    overridden = {name for name, value in vars(InventoryApp).items() if inspect.isfunction(value)
                  and name.startswith("_") and not name.startswith("__") and hasattr(App, name)}
    assert overridden == set(), overridden
