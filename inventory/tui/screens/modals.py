"""Small modal screens: choice/confirmation, a path prompt, the export picker, the member
context form, loading progress, and help."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, DirectoryTree, Input, Label, ProgressBar, Static

from inventory.i18n import format_day
from inventory.tui import commands
from inventory.tui.text import label
from inventory.views import parse_member_date

MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 80; max-width: 95%; height: auto; max-height: 90%;
    border: thick $primary; background: $surface; padding: 1 2; }}
{name} Horizontal {{ height: auto; margin-top: 1; }}
{name} Button {{ margin-right: 1; }}
"""


class ChoiceModal(ModalScreen[str | None]):
    """A question with one button per answer; Escape answers None. Used to confirm bulk
    decisions. `focus` is the button focused on opening: never a destructive one (the caller
    passes Cancel or a harmless earlier answer), so an Enter typed ahead changes nothing.
    Left and right move between the buttons."""

    DEFAULT_CSS = MODAL_CSS.format(name="ChoiceModal") + """
    ChoiceModal Button { min-width: 0; width: auto; }
    """
    BINDINGS = [Binding("escape", "dismiss_none", show=False),
                Binding("left,shift+tab", "app.focus_previous", show=False),
                Binding("right,tab", "app.focus_next", show=False)]

    def __init__(self, question: str, choices: list[tuple[str, str]], lang: str, *,
                 focus: str = "cancel", destructive: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.question, self.choices, self.lang = question, choices, lang
        self.initial, self.destructive = focus, destructive

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.question), id="question")
            with Horizontal():
                for value, caption in self.choices:
                    yield Button(Text(caption), id=f"choice-{value}",
                                 variant="error" if value in self.destructive else "default")
                yield Button(Text(label("cancel", self.lang)), id="choice-cancel", variant="primary")

    def on_mount(self) -> None:
        self.query_one(f"#choice-{self.initial}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        value = (event.button.id or "").removeprefix("choice-")
        self.dismiss(None if value == "cancel" else value)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class PathModal(ModalScreen[str | None]):
    DEFAULT_CSS = MODAL_CSS.format(name="PathModal")
    BINDINGS = [Binding("escape", "dismiss_none", show=False)]

    def __init__(self, prompt: str, default: str, lang: str) -> None:
        super().__init__()
        self.prompt, self.default, self.lang = prompt, default, lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.prompt))
            yield Input(self.default, id="path")
            with Horizontal():
                yield Button(Text(label("ok", self.lang)), id="ok", variant="primary")
                yield Button(Text(label("cancel", self.lang)), id="cancel")

    def on_input_submitted(self) -> None:
        self.dismiss(self.query_one("#path", Input).value.strip() or None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.on_input_submitted()
        else:
            self.dismiss(None)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class OpenExportModal(ModalScreen[Path | None]):
    """Pick a LinkedIn export ZIP (or an extracted folder, with `Enter` on the folder line)."""

    DEFAULT_CSS = MODAL_CSS.format(name="OpenExportModal") + """
    OpenExportModal DirectoryTree { height: 20; }
    """
    BINDINGS = [Binding("escape", "dismiss_none", show=False),
                Binding("ctrl+enter,f2", "open_folder", show=False)]

    def __init__(self, start: Path, lang: str) -> None:
        super().__init__()
        self.start, self.lang = start, lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(label("open-title", self.lang)))
            yield DirectoryTree(self.start, id="tree")
            yield Label(Text(label("open-hint", self.lang)), classes="hint")

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(Path(event.path))

    def action_open_folder(self) -> None:
        node = self.query_one(DirectoryTree).cursor_node
        if node is not None and node.data is not None:
            self.dismiss(Path(node.data.path))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class ContextModal(ModalScreen[dict | None]):
    """Change the member context the policy is applied with (region, opt-out date, minor). The
    date is read as members type it (views.parse_member_date) and shown back in words."""

    DEFAULT_CSS = MODAL_CSS.format(name="ContextModal")
    BINDINGS = [Binding("escape", "dismiss_none", show=False)]

    def __init__(self, region: str | None, opted_out_on: date | None, minor: bool, lang: str) -> None:
        super().__init__()
        self.member_region, self.opted_out_on, self.minor, self.lang = region, opted_out_on, minor, lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(label("context-title", self.lang)))
            yield Label(Text(label("context-region", self.lang)))
            yield Input(self.member_region or "", id="region", placeholder=label("context-region-placeholder", self.lang))
            yield Label(Text(label("context-opted-out", self.lang)))
            yield Input(self.opted_out_on.isoformat() if self.opted_out_on else "", id="opted-out",
                        placeholder=label("date-placeholder", self.lang))
            yield Label("", id="context-error")
            yield Checkbox(Text(label("context-minor", self.lang)), self.minor, id="minor")
            with Horizontal():
                yield Button(Text(label("apply", self.lang)), id="apply", variant="primary")
                yield Button(Text(label("cancel", self.lang)), id="cancel")

    def _read_date(self) -> tuple[bool, date | None]:
        """(valid, date), and the date in words or the error under the box."""
        shown = self.query_one("#context-error", Label)
        try:
            day = parse_member_date(self.query_one("#opted-out", Input).value)
        except ValueError:
            shown.update(Text(label("bad-date", self.lang), style="bold red"))
            return False, None
        shown.update(Text(label("date-understood", self.lang, date=format_day(day, self.lang)) if day else ""))
        return True, day

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "opted-out":
            self._read_date()

    def on_input_submitted(self) -> None:
        self._apply()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id != "apply":
            self.dismiss(None)
            return
        self._apply()

    def _apply(self) -> None:
        valid, opted = self._read_date()
        if not valid:
            return
        self.dismiss({"region": self.query_one("#region", Input).value.strip() or None,
                      "opted_out_on": opted, "minor": self.query_one("#minor", Checkbox).value})

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class LoadingModal(ModalScreen[None]):
    """Progress of a load running in a worker; Escape cancels it."""

    DEFAULT_CSS = MODAL_CSS.format(name="LoadingModal")
    BINDINGS = [Binding("escape", "cancel", show=True)]

    def __init__(self, what: str, lang: str) -> None:
        super().__init__()
        self.what, self.lang = what, lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.what), id="loading-what")
            yield Label(Text(label("loading", self.lang)), id="loading-stage")
            yield ProgressBar(id="progress", show_eta=False)
            yield Label(Text(label("loading-cancel-hint", self.lang)))

    def progressed(self, stage: str, done: int, total: int) -> None:
        self.query_one("#loading-stage", Label).update(Text(label("loading-stage", self.lang, stage=stage)))
        bar = self.query_one(ProgressBar)
        bar.update(total=max(total, 1), progress=done)

    def action_cancel(self) -> None:
        self.app.cancel_load()  # type: ignore[attr-defined]


KEY_NAMES = {"question_mark": "?", "slash": "/", "space": "space", "backspace": "⌫"}


class HelpScreen(ModalScreen[None]):
    """Every command with its key and a sentence of help, per area."""

    DEFAULT_CSS = MODAL_CSS.format(name="HelpScreen") + """
    HelpScreen > Vertical { width: 100; }
    HelpScreen VerticalScroll { height: auto; max-height: 40; }
    """
    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss_none", show=False)]

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, show_header=False)
        table.add_column(no_wrap=True, style="bold")
        table.add_column(no_wrap=True)
        table.add_column()
        for area, group in (("help-global", commands.GLOBAL), ("help-items", commands.ITEMS),
                            ("help-detail", commands.DETAIL), ("help-checklist", commands.CHECKLIST)):
            table.add_row(Text(label(area, self.lang), style="underline"), "", "")
            for command in group:
                keys = " / ".join(KEY_NAMES.get(k, k) for k in command.KEY.split(","))
                table.add_row(Text(keys), Text(command.title(self.lang)),
                              Text(command.help(self.lang)))
        with Vertical():
            yield Label(Text(label("help-title", self.lang), style="bold"))
            with VerticalScroll():
                yield Static(table, id="help-table")

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class TooSmallScreen(ModalScreen[None]):
    """Shown instead of the screens while the terminal is too small to draw them."""

    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; background: $surface; }
    TooSmallScreen > Static { width: auto; height: auto; }
    """

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        yield Static(Text(label("too-small", self.lang)), id="too-small")

