"""Small modal screens: choice/confirmation, a path prompt, the export picker, the member
context form, loading progress, and help."""

from __future__ import annotations

import os
import string
from datetime import date
from pathlib import Path

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, DirectoryTree, Input, Label, ProgressBar, Select, Static

from inventory.i18n import format_day
from inventory.text import sanitise_text
from inventory.tui import commands
from inventory.tui.commands import TextualInWords
from inventory.tui.text import label
from inventory.views import parse_member_date

MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 80; max-width: 95%; height: auto; max-height: 90%;
    border: thick $primary; background: $surface; padding: 1 2; }}
{name} Horizontal {{ height: auto; margin-top: 1; }}
{name} Button {{ margin-right: 1; }}
"""


class ChoiceModal(TextualInWords, ModalScreen[str | None]):
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


class PathModal(TextualInWords, ModalScreen[str | None]):
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


def downloads_folder() -> Path | None:
    """The member's Downloads folder (where LinkedIn's export lands), when it exists."""
    try:
        from platformdirs import user_downloads_dir

        candidates = [Path(user_downloads_dir()), Path.home() / "Downloads"]
    except (RuntimeError, OSError):  # no home folder
        return None
    return next((c for c in candidates if c.is_dir()), None)


def start_folder(paths: list[Path]) -> Path:
    """Where the picker opens: the folder of the open export, else Downloads, else home."""
    for path in paths[:1]:
        if path.parent.is_dir():
            return path.parent.resolve()
    downloads = downloads_folder()
    if downloads is not None:
        return downloads.resolve()
    try:
        return Path.home()
    except RuntimeError:
        return Path.cwd()


def drives() -> list[Path]:
    """The roots the picker can jump to: the drive letters on Windows, `/` elsewhere."""
    if os.name != "nt":
        return [Path("/")]
    listed = getattr(os, "listdrives", None)  # Python 3.12+
    if listed is not None:
        return [Path(d) for d in listed()]
    return [Path(f"{letter}:\\") for letter in string.ascii_uppercase if os.path.exists(f"{letter}:\\")]


class OpenExportModal(TextualInWords, ModalScreen[Path | None]):
    """Pick a LinkedIn export ZIP (or an extracted folder, with F2 on the folder line). Opens in
    `start`; Backspace or the `..` button goes up a folder, and the Places list jumps to home,
    Downloads or another drive."""

    DEFAULT_CSS = MODAL_CSS.format(name="OpenExportModal") + """
    OpenExportModal > Vertical { height: 90%; }
    OpenExportModal Label { width: 100%; }
    OpenExportModal DirectoryTree { height: 1fr; margin-top: 1; }
    OpenExportModal #open-nav { margin: 0; }
    OpenExportModal #open-nav SelectCurrent { margin: 0; }
    OpenExportModal #open-up { min-width: 0; width: auto; margin-right: 1; }
    OpenExportModal #open-places { width: 1fr; }
    """
    BINDINGS = [Binding("escape", "dismiss_none", show=False),
                Binding("ctrl+enter,f2", "open_folder", show=False),
                Binding("backspace", "parent", show=False)]

    def __init__(self, start: Path, lang: str, roots: list[Path] | None = None) -> None:
        super().__init__()
        self.start, self.lang = start, lang
        self.roots = drives() if roots is None else roots

    def places(self) -> list[tuple[str, Path]]:
        found: list[tuple[str, Path]] = []
        try:
            found.append((label("open-home", self.lang), Path.home()))
        except RuntimeError:
            pass
        downloads = downloads_folder()
        if downloads is not None:
            found.append((label("open-downloads", self.lang), downloads))
        found += [(str(root), root) for root in self.roots]
        return found

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(label("open-title", self.lang)))
            yield Label(id="open-folder")
            with Horizontal(id="open-nav"):
                yield Button(Text(label("open-parent", self.lang)), id="open-up", compact=True)
                yield Select([(Text(name), str(path)) for name, path in self.places()],
                             prompt=label("open-places", self.lang), id="open-places", compact=True)
            yield DirectoryTree(self.start, id="tree")
            yield Label(Text(label("open-hint", self.lang)), classes="hint")

    @property
    def folder(self) -> Path:
        return Path(self.query_one(DirectoryTree).path)

    def on_mount(self) -> None:
        self._show_folder()
        self.query_one(DirectoryTree).focus()

    def go_to(self, folder: Path) -> None:
        tree = self.query_one(DirectoryTree)
        tree.path = folder
        self._show_folder()
        tree.focus()

    def _show_folder(self) -> None:
        self.query_one("#open-folder", Label).update(
            Text(label("open-folder", self.lang, folder=sanitise_text(str(self.folder), single_line=True))))

    def action_parent(self) -> None:
        if not isinstance(self.focused, Input) and self.folder.parent != self.folder:
            self.go_to(self.folder.parent)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "open-up":
            self.action_parent()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "open-places" and event.value is not Select.BLANK:
            self.go_to(Path(str(event.value)))

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(Path(event.path))

    def action_open_folder(self) -> None:
        node = self.query_one(DirectoryTree).cursor_node
        if node is not None and node.data is not None:
            self.dismiss(Path(node.data.path))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class ContextModal(TextualInWords, ModalScreen[dict | None]):
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


class LoadingModal(TextualInWords, ModalScreen[None]):
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


KEY_NAMES = {"question_mark": "?", "slash": "/", "backspace": "⌫"}
WORDED_KEYS = ("space", "escape", "enter")  # named in the member's language (`tui.key-<name>`)
HELP_AREAS = (("help-global", commands.GLOBAL), ("help-items", commands.ITEMS), ("help-detail", commands.DETAIL),
              ("help-checklist", commands.CHECKLIST))


def key_names(command: type[commands.Command], lang: str) -> str:
    """A command's keys as the member reads them ("f1 / ?", "Échap")."""
    return " / ".join(label(f"key-{key}", lang) if key in WORDED_KEYS else KEY_NAMES.get(key, key)
                      for key in command.KEY.split(","))


class HelpScreen(TextualInWords, ModalScreen[None]):
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
        # One table per area under its heading, every table with the same key and title widths:
        # a heading inside the table's key column would widen that column to its own length.
        rows = [(key_names(c, self.lang), c.title(self.lang)) for _, group in HELP_AREAS for c in group]
        keys_width, titles_width = (max(len(row[i]) for row in rows) for i in (0, 1))
        parts: list[Text | Table] = []
        for area, group in HELP_AREAS:
            parts.append(Text(label(area, self.lang), style="underline"))
            table = Table(box=None, expand=True, show_header=False, padding=(0, 1, 0, 0))
            table.add_column(width=keys_width + 1, no_wrap=True, style="bold")
            table.add_column(width=titles_width + 1, no_wrap=True)
            table.add_column()
            for command in group:
                table.add_row(Text(key_names(command, self.lang)), Text(command.title(self.lang)),
                              Text(command.help(self.lang)))
            parts.append(table)
        with Vertical():
            yield Label(Text(label("help-title", self.lang), style="bold"))
            with VerticalScroll():
                yield Static(Group(*parts), id="help-table")

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class TooSmallScreen(TextualInWords, ModalScreen[None]):
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

