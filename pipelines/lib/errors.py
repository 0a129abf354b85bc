"""The project's own error for bad input: it always says which file, and where it can, which row and column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CellProblem:
    """One failed check on one cell (row numbers are 1-based data rows, as a spreadsheet user counts them)."""

    row: int | None
    column: str | None
    check: str
    value: str | None

    def describe(self) -> str:
        where = ", ".join(p for p in (f"line {self.row}" if self.row else "", f"column '{self.column}'" if self.column else "") if p)
        shown = "" if self.value is None else f" (value {self.value!r})"
        return f"{where}: {self.check}{shown}" if where else f"{self.check}{shown}"


class ExtractError(ValueError):
    """An agency extract that cannot be accepted as delivered."""

    def __init__(self, path: Path | str, message: str, problems: list[CellProblem] | None = None) -> None:
        self.path = Path(path)
        self.problems = problems or []
        shown = "".join(f"\n  - {p.describe()}" for p in self.problems[:20])
        more = f"\n  ... and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(f"{self.path}: {message}{shown}{more}")


class ConfigurationError(RuntimeError):
    """The product was started without something it needs (a key, a folder, a valid definition)."""
