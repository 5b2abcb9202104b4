"""The Textual application: loads an export in a thread worker, holds the session (analysis,
filters, decisions) and wires the screens. Entry point: `run()`."""

from __future__ import annotations

import io
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import polars as pl
from rich.console import Console
from rich.text import Text
from textual import events, work
from textual.app import App, SystemCommand
from textual.command import CommandPalette, Hit, Hits, Provider
from textual.system_commands import SystemCommandsProvider
from textual.theme import ThemeProvider
from textual.screen import Screen
from textual.worker import get_current_worker

from inventory import views
from inventory.errors import EnvironmentProblem, InventoryError
from inventory.text import sanitise_text
from inventory.tui import commands
from inventory.tui.commands import LocalisedBindings, in_language
from inventory.tui.widgets.item_table import DATA_COLUMNS
from inventory.tui.messages import (ChecklistExported, ContextReclassified, DecisionsChanged, ExportLoaded,
                                    LoadCancelled, LoadFailed, LoadProgressed, SavingChanged, VocabularyBuilt)
from inventory.tui.screens.main import ChecklistScreen, DataScreen, DetailScreen, ItemsScreen, OverviewScreen
from inventory.tui.screens.modals import (ChoiceModal, ContextModal, HelpScreen, LoadingModal, TooSmallScreen,
                                          OpenExportModal, start_folder)
from inventory.tui.text import label

Loader = Callable[..., Any]  # (paths, options, progress, cancelled) -> Analysis
Reclassifier = Callable[..., Any]  # (analysis, region=, opted_out_on=, minor=) -> Analysis
ANALYSE_OPTIONS = ("limits", "policy_path", "region", "opted_out_on", "minor", "watchlist_path")


def load_with_pipeline(paths: list[Path], options: Mapping[str, Any], progress: Callable[[str, int, int], None],
                       cancelled: Callable[[], bool]) -> Any:
    from inventory import pipeline

    kwargs = {k: options[k] for k in ANALYSE_OPTIONS if options.get(k) is not None}
    if paths:
        return pipeline.ensure_read(pipeline.analyse(paths, progress=progress, cancelled=cancelled, **kwargs))
    return pipeline.analyse_sample(progress=progress, cancelled=cancelled, **kwargs)


def reclassify_with_pipeline(analysis: Any, **context: Any) -> Any:
    from inventory import pipeline

    return pipeline.reclassify(analysis, **context)


# Bulk answers that change nothing on LinkedIn: the only ones a bulk dialog may open focused on.
HARMLESS_DECISIONS = ("keep", "later")

# Textual's own palette entries that are kept, with the catalogue key of their translation.
# Its "Quit" is left out: our own Quit command (q) is already listed.
TEXTUAL_COMMANDS = {"Theme": "sys-theme", "Keys": "sys-keys", "Minimize": "sys-minimize", "Maximize": "sys-maximize"}


class SaysNoMatch(Provider):
    """Mixin for a palette provider: a search that finds nothing says so in the member's language,
    as an entry that does nothing (with none, Textual would show its own English "No matches
    found")."""

    async def search(self, query: str) -> Hits:
        found = False
        async for hit in super().search(query):
            found = True
            yield hit
        if not found:
            yield Hit(0, Text(label("palette-no-match", getattr(self.app, "lang", "en"))), lambda: None)


class Commands(SaysNoMatch, SystemCommandsProvider):
    """The palette's commands: the app's system commands (`InventoryApp.get_system_commands`)."""


class Themes(SaysNoMatch, ThemeProvider):
    """The theme picker's themes."""


@dataclass
class Session:
    """What is on screen: the analysis, its prepared frame, the current filters and sort, and
    the filtered view. `version` changes whenever `view` does; `facets_version` on a new frame."""

    analysis: Any
    frame: pl.DataFrame
    words: list[str] | None
    filters: views.Filters = field(default_factory=views.Filters)
    sort_column: str = "risk"
    sort_descending: bool = True
    view: pl.DataFrame = field(default_factory=pl.DataFrame)
    decisions: dict[str, str] = field(default_factory=dict)
    # Ids absent from the export reviewed last time (kept for the whole session: the baseline is
    # only moved on close); `first_review` when there was no earlier review to compare with.
    new_ids: pl.Series = field(default_factory=lambda: pl.Series("id", [], dtype=pl.String))
    first_review: bool = False
    reasons: list[str] = field(default_factory=list)  # the Reason filter's values the other filters leave
    version: int = 0
    facets_version: int = 0


class InventoryApp(LocalisedBindings, App[int]):
    TITLE = "inventory"
    CSS = """
    Screen { background: $background; }
    Input.-invalid { border: tall $error; }
    """
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = {Commands}
    COMMAND_LIST = commands.GLOBAL  # BINDINGS in the app's language (commands.LocalisedBindings)

    def __new__(cls, *args: Any, lang: str = "en", **kwargs: Any) -> "InventoryApp":
        return super().__new__(in_language(cls, lang))

    def __init__(self, paths: Iterable[Path] = (), *, lang: str = "en", options: Mapping[str, Any] | None = None,
                 store: Any = None, loader: Loader | None = None, reclassifier: Reclassifier | None = None) -> None:
        super().__init__()
        self.lang = lang
        self.paths = [Path(p) for p in paths]
        self.options = dict(options or {})
        self.loader = loader or load_with_pipeline
        self.reclassifier = reclassifier or reclassify_with_pipeline
        if store is None:
            from inventory.state import DecisionStore

            store = DecisionStore.open(self.options.get("state_path"))
        self.store = store
        # A failed save (disk full...) is said at once, from whichever thread saved.
        store.on_failure_changed = lambda error: self.post_message(
            SavingChanged(error.reason if error is not None else None))
        from inventory.state import saved_context

        self.options.update(saved_context(self.options, store.context()))
        self.session: Session | None = None
        self.last_bulk_choice: str | None = None
        self.sub_title = label("subtitle", lang)
        self.theme = self.options.get("theme") or "textual-dark"
        # Textual prints an unhandled error's traceback, with local variables (which may hold
        # the member's data), on this console as it exits; it goes nowhere instead, and `run`
        # prints one fixed line (decisions are saved by on_unmount and by `run` itself).
        self.error_console = Console(file=io.StringIO(), stderr=False)

    # ---- lifecycle ---------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.install_screen(OverviewScreen(self.lang), "overview")
        self.install_screen(ItemsScreen(self.lang), "items")
        self.install_screen(ChecklistScreen(self.lang), "checklist")
        self.push_screen("overview")
        if self.store.notice:
            self.notify(sanitise_text(self.store.notice), severity="warning", timeout=10)
        self.start_load(self.paths)

    def notify(self, message: str, *, title: str = "", severity: str = "information",  # type: ignore[override]
               timeout: float | None = None, markup: bool = False) -> None:
        """Every toast is plain, sanitised text: Textual renders toasts as markup by default, and
        messages may hold a file name or an error about the user's files."""
        super().notify(sanitise_text(str(message)), title=sanitise_text(title),
                       severity=severity, timeout=timeout, markup=False)

    # Below this size the screens cannot be drawn legibly (docs/bad-input.md case 68).
    MIN_SIZE = (40, 10)

    def on_resize(self, event: events.Resize) -> None:
        too_small = event.size.width < self.MIN_SIZE[0] or event.size.height < self.MIN_SIZE[1]
        shown = isinstance(self.screen, TooSmallScreen)
        if too_small and not shown:
            self.push_screen(TooSmallScreen(self.lang))
        elif shown and not too_small:
            self.pop_screen()

    def on_unmount(self) -> None:
        self._record_baseline()
        # Nothing is drawn any more: what the session held makes room for writing the baseline
        # (every id of the export, state.encode_state).
        self.session = None
        self._save_quietly()

    def _record_baseline(self) -> None:
        """The next opening compares its export with this one, and `inventory verify STATE NEW`
        follows the items the checklist lists now, as it would from this export."""
        if self.session is None or self.store.read_only:
            return
        from inventory.checklist import followed_items

        try:
            self.store.record_review(self.session.frame["id"], followed_items(self.session.frame, self.store.all()))
        except Exception:  # noqa: BLE001 - closing must still save the decisions
            pass

    def _save_quietly(self) -> None:
        try:
            self.store.close()
        except Exception:  # noqa: BLE001 - saving on the way out must not raise a second error
            pass

    def on_saving_changed(self, message: SavingChanged) -> None:
        if message.reason is not None:
            self.notify(label("save-failed", self.lang, reason=message.reason), severity="error", timeout=30)
        else:
            self.notify(label("save-recovered", self.lang))

    # ---- loading -----------------------------------------------------------------------------
    def start_load(self, paths: list[Path]) -> None:
        what = ", ".join(p.name for p in paths) if paths else label("sample", self.lang)
        self.push_screen(LoadingModal(sanitise_text(what, single_line=True), self.lang))
        self.load(paths, what)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self, paths: list[Path], what: str) -> None:
        worker = get_current_worker()

        def progress(stage: str, done: int, total: int) -> None:
            self.post_message(LoadProgressed(stage, done, total))

        try:
            analysis = self.loader(paths, self.options, progress, lambda: worker.is_cancelled)
        except InventoryError as error:
            self.post_message(LoadCancelled() if worker.is_cancelled else LoadFailed(str(error)))
            return
        except Exception:  # noqa: BLE001 - a reader bug must not take the UI down
            self.post_message(LoadCancelled() if worker.is_cancelled else LoadFailed(label("load-bug", self.lang)))
            return
        if worker.is_cancelled:
            self.post_message(LoadCancelled())
            return
        # The helper columns are built here, off the UI thread; the search column and the
        # fuzzy-search vocabulary right after the first screen is shown (until then a search
        # builds what it needs on demand).
        prepared = views.prepare(analysis.frame, search=False)
        if worker.is_cancelled:
            self.post_message(LoadCancelled())
            return
        self.post_message(ExportLoaded(analysis, what, prepared, None))

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def build_search(self, prepared: Any) -> None:
        """The search column and the fuzzy-search vocabulary, started once the first screen is
        drawn so that it does not compete with drawing it."""
        searchable = views.with_search(prepared)
        self.post_message(VocabularyBuilt(prepared, searchable, views.vocabulary(searchable)))

    def on_vocabulary_built(self, message: VocabularyBuilt) -> None:
        if self.session is not None and self.session.frame is message.prepared:
            self.session.frame, self.session.words = message.searchable, message.words

    def cancel_load(self) -> None:
        self.workers.cancel_group(self, "load")
        self._pop_loading()
        self.notify(label("load-cancelled", self.lang))

    def _pop_loading(self) -> None:
        if isinstance(self.screen, LoadingModal):
            self.pop_screen()

    def on_load_progressed(self, message: LoadProgressed) -> None:
        if isinstance(self.screen, LoadingModal):
            self.screen.progressed(message.stage, message.done, message.total)

    def on_export_loaded(self, message: ExportLoaded) -> None:
        self._pop_loading()
        analysis, prepared = message.analysis, message.prepared
        seen = self.store.seen()
        self.session = Session(analysis, prepared, message.words, decisions=self.store.all(),
                               new_ids=views.new_since(prepared["id"], seen), first_review=not seen.len())
        self.session.facets_version += 1
        self.refilter()
        # The search column and the vocabulary once the first screen is drawn, not while.
        self.call_after_refresh(self._after_first_screen, prepared)
        self.sub_title = label("subtitle-loaded", self.lang, what=message.label, count=prepared.height)
        # Warnings and errors only: informational notices (hidden connections, merges…) are
        # expected; `inventory scan` lists both kinds.
        scan = getattr(analysis, "scan", None)
        problems = sum(1 for p in (scan.all_problems() if scan is not None else []) if p.severity != "info")
        if problems:
            command = " ".join(["inventory scan", *(shlex.quote(str(p)) for p in self.paths)])
            self.notify(label("problems", self.lang, count=problems, command=command), severity="warning",
                        timeout=15)

    def _after_first_screen(self, prepared: Any) -> None:
        if self.session is not None and self.session.frame is prepared:
            self.build_search(prepared)

    def on_load_failed(self, message: LoadFailed) -> None:
        self._pop_loading()
        self.notify(sanitise_text(message.reason), title=label("load-failed", self.lang),
                    severity="error", timeout=10)

    def on_load_cancelled(self) -> None:
        self._pop_loading()

    # ---- member context -------------------------------------------------------------------------
    def action_change_context(self) -> None:
        if self.session is None:
            return
        context = self.session.analysis.context

        def apply(answer: dict | None) -> None:
            if answer is not None:
                self._remember_context(answer)
                self.reclassify(answer)

        self.push_screen(ContextModal(context.region, context.opted_out_on, context.minor, self.lang), apply)

    def _remember_context(self, answer: dict) -> None:
        """The next start and every command use it (state.CONTEXT_KEYS), and so does `o`."""
        opted = answer.get("opted_out_on")
        context = {"region": answer.get("region"), "opted_out_on": opted.isoformat() if opted else None,
                   "minor": bool(answer.get("minor"))}
        self.options.update(region=answer.get("region") or self.options.get("region"), opted_out_on=opted,
                            minor=context["minor"])
        if self.store.read_only:
            return
        try:
            self.store.set_context(context)
        except InventoryError as error:
            self.notify(sanitise_text(str(error)), severity="error")

    @work(thread=True, exclusive=True, group="reclassify", exit_on_error=False)
    def reclassify(self, context: dict) -> None:
        try:
            analysis = self.reclassifier(self.session.analysis, **context)
        except InventoryError as error:
            self.post_message(LoadFailed(str(error)))
            return
        except Exception:  # noqa: BLE001 - keep the current verdicts rather than crash
            self.post_message(LoadFailed(label("load-bug", self.lang)))
            return
        prepared = views.prepare(analysis.frame)
        self.post_message(ContextReclassified(analysis, prepared, views.vocabulary(prepared)))

    def on_context_reclassified(self, message: ContextReclassified) -> None:
        session = self.session
        session.analysis, session.frame, session.words = message.analysis, message.prepared, message.words
        session.facets_version += 1
        self.refilter()
        self.notify(label("reclassified", self.lang))

    # ---- filters and sort --------------------------------------------------------------------
    def set_filters(self, reset: bool = False, **changes: Any) -> None:
        if self.session is None:
            return
        self.session.filters = views.Filters() if reset else self.session.filters.with_(**changes)
        self.refilter()

    def set_sort(self, column: str, descending: bool) -> None:
        self.session.sort_column, self.session.sort_descending = column, descending
        self.refilter()

    def refilter(self) -> None:
        session = self.session
        # Only what the filters, the sort and the views of the filtered rows read: filtering and
        # sorting copy every column they are given, and the frame has about forty.
        needed = {*views.FILTER_COLUMNS, *DATA_COLUMNS, session.sort_column}
        frame = session.frame.select([c for c in session.frame.columns if c in needed])
        filtered = views.apply_filters(frame, session.filters, session.decisions, session.words, session.new_ids)
        if not (session.filters.search_mode == "fuzzy" and session.filters.search.strip()):
            filtered = views.sort_frame(filtered, session.sort_column, session.sort_descending)
        session.reasons = views.reasons_left(frame, session.filters, session.decisions, session.words,
                                             session.new_ids, view=filtered)
        session.view = filtered
        session.version += 1
        self.sync_screens()

    def sync_screens(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, DataScreen) and screen.is_mounted:
                screen.sync()

    # ---- decisions ----------------------------------------------------------------------------
    def decide(self, ids: list[str], action: str | None) -> int:
        if self.session is None or not ids:
            return 0
        if self.store.read_only:
            self.notify(label("read-only", self.lang), severity="warning")
            return 0
        changed = self.store.decide(ids, action)
        self.post_message(DecisionsChanged(changed))
        return changed

    def on_decisions_changed(self, message: DecisionsChanged) -> None:
        if self.session is None:
            return
        self.session.decisions = self.store.all()
        if self.session.filters.decision:
            self.refilter()
        else:
            self.sync_screens()

    def confirm_bulk(self, ids: list[str], question: str, then: Callable[[], None] | None = None) -> None:
        """Ask which decision to apply to `ids`; `then` runs once one is applied. The dialog
        opens on Cancel, or on the previous answer when that was a harmless one (keep, later)."""
        if not ids:
            return
        choices = [(d, label(f"v-{d}", self.lang)) for d in views.DECISIONS]

        def apply(answer: str | None) -> None:
            if answer:
                self.last_bulk_choice = answer
                changed = self.decide(ids, answer)
                self.notify(label("bulk-done", self.lang, count=changed))
                if then is not None:
                    then()

        focus = self.last_bulk_choice if self.last_bulk_choice in HARMLESS_DECISIONS else "cancel"
        self.push_screen(ChoiceModal(question, choices, self.lang, focus=focus,
                                     destructive=tuple(d for d in views.DECISIONS if d not in HARMLESS_DECISIONS)),
                         apply)

    def decide_cluster(self, item_id: str, then: Callable[[], None] | None = None) -> None:
        ids = views.cluster_ids(self.session.frame, item_id)
        if len(ids) <= 1:
            self.notify(label("no-cluster", self.lang))
            return
        self.confirm_bulk(ids, label("bulk-cluster", self.lang, count=len(ids)), then)

    def action_undo(self) -> None:
        if self.store.undo():
            self.post_message(DecisionsChanged(0))
        else:
            self.notify(label("nothing-to-undo", self.lang))

    def action_redo(self) -> None:
        if self.store.redo():
            self.post_message(DecisionsChanged(0))
        else:
            self.notify(label("nothing-to-redo", self.lang))

    # ---- navigation ------------------------------------------------------------------------------
    def action_show(self, name: str) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if self.screen is not self.get_screen(name):
            self.switch_screen(name)

    def show_detail(self, item_id: str) -> None:
        if self.session is None:
            return
        self.session.decisions = self.store.all()
        self.push_screen(DetailScreen(self.lang, item_id))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.lang))

    def action_open_export(self) -> None:
        start = start_folder(self.paths)

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.paths = [path]
                self.start_load([path])

        self.push_screen(OpenExportModal(start, self.lang), chosen)

    def action_open_sample(self) -> None:
        self.paths = []
        self.start_load([])

    def action_command_palette(self) -> None:
        """Textual's palette, its search box's placeholder in the member's language."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=label("palette-placeholder", self.lang), id="--command-palette"))

    def search_themes(self) -> None:
        """Textual's theme picker, its placeholder in the member's language."""
        self.push_screen(CommandPalette(providers=[Themes], placeholder=label("theme-placeholder", self.lang)))

    def action_help_quit(self) -> None:
        """Ctrl+C, pressed by habit to quit, says which key quits (Textual's own hint is in English)."""
        self.notify(label("quit-hint", self.lang, shortcut=commands.Quit.KEY), title=label("quit-hint-title", self.lang))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every command of the current screen and the global ones, then Textual's own (themes…)."""
        listed = list(getattr(screen, "COMMAND_LIST", ())) + list(commands.GLOBAL)
        titles: set[str] = set()  # each entry once, whichever list names it
        for command in dict.fromkeys(listed):
            action = command.ACTION
            target = self if action.startswith("app.") else screen
            callback = (lambda target=target, action=action.removeprefix("app."): self.call_later(target.run_action, action))
            if command.title(self.lang) not in titles:
                titles.add(command.title(self.lang))
                yield SystemCommand(command.title(self.lang), command.help(self.lang), callback)
        for system in super().get_system_commands(screen):
            key = TEXTUAL_COMMANDS.get(system.title)
            if key is None or label(key, self.lang) in titles:
                continue  # e.g. "Screenshot": it would write the screen (personal data) as a 0644 file
            help_key = f"{key}-hide" if system.title == "Keys" and "Hide" in system.help else f"{key}-help"
            titles.add(label(key, self.lang))
            yield SystemCommand(label(key, self.lang), label(help_key, self.lang), system.callback,
                                system.discover)

    # ---- checklist --------------------------------------------------------------------------------
    def checklist_text(self, fmt: str) -> str:
        from inventory import checklist

        session = self.session
        from inventory.report import checklist_context

        built = checklist.build_checklist(session.frame, self.store.all(), lang=self.lang,
                                          context=checklist_context(session.analysis),
                                          policy=getattr(session.analysis, "policy", None))
        return checklist.render(built, fmt)

    def default_checklist_path(self) -> Path:
        return Path.home() / "inventory-checklist.md"

    def export_checklist(self, destination: str) -> None:
        from inventory.files import atomic_write

        path = Path(destination).expanduser()
        fmt = {".html": "html", ".csv": "csv", ".json": "json"}.get(path.suffix.lower(), "md")
        try:
            atomic_write(path, self.checklist_text(fmt).encode("utf-8"))
        except InventoryError as error:
            self.notify(sanitise_text(str(error)), severity="error")
            return
        self.post_message(ChecklistExported(path))

    def on_checklist_exported(self, message: ChecklistExported) -> None:
        self.notify(label("exported", self.lang, path=sanitise_text(str(message.path))))


def run(paths: list[Path], *, lang: str, options: dict) -> int:
    """Open the UI on `paths` (the bundled sample when empty). Refuses without a terminal. An
    unhandled error ends it with one fixed line on stderr (no traceback, no locals, no message
    text that could quote personal data) and status 1, the decisions saved."""
    if not (sys.stdout.isatty() and sys.stdin.isatty()):
        raise EnvironmentProblem("standard input/output", "not a terminal: the UI needs a terminal (use "
                                 "`inventory scan` or `inventory checklist` instead)")
    from inventory.state import DecisionStore

    store = DecisionStore.open(options.get("state_path"), recover=bool(options.get("recover")))
    app = InventoryApp(paths, lang=lang, options=options, store=store)
    try:
        app.run()
    finally:
        try:
            store.close()
        except Exception:  # noqa: BLE001 - the failure is in store.failure, reported below
            pass
    if app.return_code == 1:
        print(label("crashed-unsaved" if store.unsaved else "crashed", lang), file=sys.stderr)
    return exit_status(app, store)


def exit_status(app: InventoryApp, store: Any) -> int:
    """The UI's exit status. Decisions that could not be saved (disk full...) raise StateError
    (exit 3), so neither the status nor the last line claims they were saved; a crash has already
    said so in its one line."""
    code = app.return_code or 0
    if store.unsaved and code != 1:
        from inventory.errors import StateError

        reason = store.failure.reason if store.failure is not None else "cannot write"
        raise StateError(str(store.path), f"{reason}; the decisions of this session were not saved")
    return code
