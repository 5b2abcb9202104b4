"""Typed failures. The CLI turns any InventoryError into one line on stderr and exit 2 (3 for
environment problems); anything else is a bug and gets a generic message, never locals or data."""

from __future__ import annotations


class InventoryError(Exception):
    """Bad or refused input. `where` names the archive (and member) without quoting any cell."""

    exit_status = 2

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


class ArchiveError(InventoryError):
    """The container itself is unusable or hostile."""


class LimitExceeded(ArchiveError):
    """A documented limit was hit; the message names the limit and the flag that raises it."""


class NothingRead(InventoryError):
    """Every file of the export failed: there is nothing to show (exit 2)."""


class EnvironmentProblem(InventoryError):
    """Cannot write state or a report, no terminal for the UI, and so on."""

    exit_status = 3


class StateError(EnvironmentProblem):
    """The decisions file is corrupt, locked or from a newer version."""
