"""Every user action is a small Command class: a key, an action string, and a stable id whose
title and help live in the gettext catalogues (`tui.cmd-<id>` and `tui.cmd-<id>-help`). Each screen lists its commands
once; its key bindings (footer) and its command-palette entries are generated from that list.
The bindings of Textual's own widgets are worded from the catalogues too (`TextualInWords`)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable

from textual.binding import ActiveBinding, Binding
from textual.dom import DOMNode

from inventory.i18n import catalogue, t


class Command:
    KEY: str = ""
    ACTION: str = ""
    SHOW: bool = True  # in the footer
    KEY_DISPLAY: str | None = None
    PRIORITY: bool = False

    @classmethod
    def id(cls) -> str:
        return re.sub(r"(?<!^)(?=[A-Z])", "-", cls.__name__).lower()

    @classmethod
    def title(cls, lang: str) -> str:
        return t(f"tui.cmd-{cls.id()}", lang)

    @classmethod
    def help(cls, lang: str) -> str:
        return t(f"tui.cmd-{cls.id()}-help", lang)

    @classmethod
    def binding(cls, lang: str) -> Binding:
        return Binding(cls.KEY, cls.ACTION, cls.title(lang), show=cls.SHOW, id=cls.id(), key_display=cls.KEY_DISPLAY,
                       tooltip=cls.help(lang), priority=cls.PRIORITY)


def bindings(commands: Iterable[type[Command]], lang: str = "en") -> list[Binding]:
    return [command.binding(lang) for command in commands]


class LocalisedBindings:
    """Mixin for a Textual app or screen whose BINDINGS (footer, keys) come from COMMAND_LIST in
    one language. Textual reads BINDINGS when a class is created, so each language gets its own
    subclass, built once (`in_language`): the footer is translated through public API only."""

    COMMAND_LIST: tuple[type[Command], ...] = ()
    LANG = "en"

    def __init_subclass__(cls, lang: str = "en", **kwargs: object) -> None:
        cls.LANG = lang
        cls.BINDINGS = bindings(cls.COMMAND_LIST, lang)
        super().__init_subclass__(**kwargs)  # type: ignore[call-arg]


_LOCALISED: dict[tuple[type, str], type] = {}


def in_language(cls: type, lang: str) -> type:
    """`cls` (a LocalisedBindings subclass) with its bindings in `lang`: the same class for its
    own language, else a subclass of the same name (so CSS type selectors still match)."""
    if getattr(cls, "LANG", "en") == lang:
        return cls
    key = (cls, lang)
    if key not in _LOCALISED:
        _LOCALISED[key] = type(cls.__name__, (cls,), {"__module__": cls.__module__, "__qualname__": cls.__qualname__,
                                                      "__doc__": cls.__doc__}, lang=lang)
    return _LOCALISED[key]


# --- anywhere ---------------------------------------------------------------------------------
class ShowOverview(Command):
    KEY, ACTION = "1", "app.show('overview')"


class ShowItems(Command):
    KEY, ACTION = "2", "app.show('items')"


class ShowChecklist(Command):
    KEY, ACTION = "3", "app.show('checklist')"


class OpenExport(Command):
    KEY, ACTION = "o", "app.open_export"


class OpenSample(Command):
    KEY, ACTION, SHOW = "ctrl+o", "app.open_sample", False


class ChangeContext(Command):
    KEY, ACTION = "m", "app.change_context"


class Help(Command):
    KEY, ACTION = "f1,question_mark", "app.help"


class Undo(Command):
    KEY, ACTION = "u", "app.undo"


class Redo(Command):
    KEY, ACTION, SHOW = "y", "app.redo", False


class Quit(Command):
    KEY, ACTION = "q", "app.quit"


GLOBAL = (ShowOverview, ShowItems, ShowChecklist, OpenExport, OpenSample, ChangeContext, Help,
          Undo, Redo, Quit)


# --- items table -----------------------------------------------------------------------------
class DecideDelete(Command):
    KEY, ACTION = "d", "decide('delete')"


class DecideEdit(Command):
    KEY, ACTION = "e", "decide('edit')"


class DecideKeep(Command):
    KEY, ACTION = "k", "decide('keep')"


class DecideLater(Command):
    KEY, ACTION = "l", "decide('later')"


class ClearDecision(Command):
    KEY, ACTION, SHOW = "backspace", "decide(None)", False


class DecideFiltered(Command):
    KEY, ACTION = "a", "decide_filtered"


class DecideCluster(Command):
    KEY, ACTION, SHOW = "g", "decide_cluster", False


class ToggleSelect(Command):
    KEY, ACTION, SHOW = "space", "toggle_select", False


class ClearSelection(Command):
    KEY, ACTION, SHOW = "escape", "clear_selection", False


class Search(Command):
    KEY, ACTION = "slash", "focus_search"
    KEY_DISPLAY = "/"


class ToggleFuzzy(Command):
    KEY, ACTION, SHOW = "ctrl+f", "toggle_fuzzy", False


class CycleSort(Command):
    KEY, ACTION = "s", "cycle_sort"


class ReverseSort(Command):
    KEY, ACTION, SHOW = "r", "reverse_sort", False


class ClearFilters(Command):
    KEY, ACTION, SHOW = "x", "clear_filters", False


class ShowDetail(Command):
    KEY, ACTION, SHOW = "enter", "show_detail", False


ITEMS = (DecideDelete, DecideEdit, DecideKeep, DecideLater, ClearDecision, DecideFiltered,
         DecideCluster, ToggleSelect, ClearSelection, Search, ToggleFuzzy, CycleSort, ReverseSort,
         ClearFilters, ShowDetail)


# --- detail ------------------------------------------------------------------------------------
class OpenLink(Command):
    KEY, ACTION = "b", "open_link"


class Back(Command):
    KEY, ACTION = "escape", "app.pop_screen"


DETAIL = (DecideDelete, DecideEdit, DecideKeep, DecideLater, ClearDecision, DecideCluster, OpenLink, Back)


# --- checklist ---------------------------------------------------------------------------------
class ExportChecklist(Command):
    KEY, ACTION = "w", "export_checklist"


CHECKLIST = (ExportChecklist,)


# --- overview ----------------------------------------------------------------------------------
OVERVIEW: tuple[type[Command], ...] = ()

ALL: tuple[type[Command], ...] = tuple(dict.fromkeys(GLOBAL + ITEMS + DETAIL + CHECKLIST))


# --- Textual's own bindings ----------------------------------------------------------------------
# Textual's widgets bring bindings worded in English: an open Select list's "esc Dismiss menu" in
# the footer, an Input's editing keys in the Keys panel, the palette key. They are worded again from
# the catalogues, by their action (`textual.<action>`; `textual.<action>-help` for a tooltip), where
# the footer and the Keys panel read them: the screen's public `active_bindings`.
OURS = frozenset(command.id() for command in ALL)


def textual_key(action: str) -> str:
    """The catalogue key of a Textual action's words: "cursor_left(True)" -> "textual.cursor_left-true"."""
    return "textual." + re.sub(r"[^a-z0-9_.]+", "-", action.lower()).strip("-")


def in_words(active: ActiveBinding, lang: str) -> ActiveBinding:
    """`active` with its description and tooltip in `lang` when it is one of Textual's bindings;
    ours (worded already) and a binding the catalogues do not know are left as they are."""
    binding = active.binding
    key = textual_key(binding.action)
    known = catalogue()["en"]
    if binding.id in OURS or key not in known:
        return active
    description = t(key, lang) if binding.description else ""
    tooltip = t(f"{key}-help", lang) if binding.tooltip and f"{key}-help" in known else binding.tooltip
    return ActiveBinding(active.node, replace(binding, description=description, tooltip=tooltip), active.enabled,
                         tooltip)


def name_group(node: DOMNode, lang: str) -> None:
    """The Keys panel heads a widget's bindings with its BINDING_GROUP_TITLE ("Input"): named from
    the catalogues (`textual.group-<class>`, the Textual class that sets the title)."""
    owner = next((c for c in type(node).__mro__ if "BINDING_GROUP_TITLE" in vars(c)), None)
    key = f"textual.group-{owner.__name__.lower()}" if owner is not None else ""
    if node.BINDING_GROUP_TITLE and key in catalogue()["en"]:
        node.BINDING_GROUP_TITLE = t(key, lang)


class TextualInWords:
    """Mixin for a screen (before Screen in its bases), which has a `lang`: its `active_bindings`,
    which the footer and the Keys panel read, give Textual's own bindings in that language."""

    lang: str

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        active: dict[str, ActiveBinding] = super().active_bindings  # type: ignore[misc]
        for node in {id(a.node): a.node for a in active.values()}.values():
            name_group(node, self.lang)
        return {key: in_words(binding, self.lang) for key, binding in active.items()}
