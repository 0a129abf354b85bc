"""The project's own errors: a refused file (named in the message), a cell that failed a check (its line and column
go to the quarantine), and a configuration the product cannot start with."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CellProblem:
    """One failed check on one cell; `row` is the file line (CSV) or sheet row (XLSX), the header counted."""

    row: int | None
    column: str | None
    check: str
    value: str | None


def printable_path(path: Path | str) -> str:
    """A path as text that can be printed and stored: a file name that is not valid UTF-8 (Linux hands Python such
    bytes as lone surrogates, which no terminal, log or database takes) shows its bad bytes escaped, e.g. `\\xff`."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


class ExtractError(ValueError):
    """An agency extract that cannot be accepted as delivered."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        super().__init__(f"{printable_path(self.path)}: {message}")


class ConfigurationError(RuntimeError):
    """The product was started without something it needs (a key, a folder, a valid definition)."""
