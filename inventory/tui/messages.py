"""Past-tense facts posted by workers and widgets; handlers decide what to refresh."""

from __future__ import annotations

from pathlib import Path

from textual.message import Message


class LoadProgressed(Message):
    def __init__(self, stage: str, done: int, total: int) -> None:
        super().__init__()
        self.stage, self.done, self.total = stage, done, total


class ExportLoaded(Message):
    """The analysis is ready; `prepared` is its frame with the views helper columns."""

    def __init__(self, analysis: object, label: str, prepared: object, words: list[str] | None) -> None:
        super().__init__()
        self.analysis, self.label, self.prepared, self.words = analysis, label, prepared, words


class VocabularyBuilt(Message):
    """A loaded frame with its search column, and its fuzzy-search vocabulary (both built after
    the first screen is shown)."""

    def __init__(self, prepared: object, searchable: object, words: list[str]) -> None:
        super().__init__()
        self.prepared, self.searchable, self.words = prepared, searchable, words


class LoadFailed(Message):
    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class LoadCancelled(Message):
    pass


class ContextReclassified(Message):
    def __init__(self, analysis: object, prepared: object, words: list[str]) -> None:
        super().__init__()
        self.analysis, self.prepared, self.words = analysis, prepared, words


class DecisionsChanged(Message):
    """Decisions were recorded, undone or redone; `count` items changed."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count


class ChecklistExported(Message):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path


class SavingChanged(Message):
    """Saving the decisions started failing (`reason`) or works again (None)."""

    def __init__(self, reason: str | None) -> None:
        super().__init__()
        self.reason = reason
