"""Reporting months: the one calendar the landing zone, the partitions, the published periods and the pack share.

A month is written YYYY-MM where extracts, run tags and the command line name it, and held as the date of its first
day where the published tables and the pack compute with it. Every conversion and step between the two is here, so a
month means the same thing from the file name to the board pack, and a mistyped month gets the same clear error
wherever it is typed.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from pipelines.lib.errors import ConfigurationError

MONTH_PATTERN = r"\d{4}-(?:0[1-9]|1[0-2])"  # YYYY-MM, a real month


def month_index(month: str) -> int:
    """Months since year 0: month arithmetic on YYYY-MM."""
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_offset(month: str, months: int) -> str:
    """The reporting month `months` after `month` (before, if negative), YYYY-MM."""
    index = month_index(month) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every reporting month from `first` to `last` (YYYY-MM, inclusive); a clear error for a bad or reversed range."""
    if not all(re.fullmatch(MONTH_PATTERN, month) for month in (first, last)):
        raise ConfigurationError(f"months are written YYYY-MM (e.g. 2024-01): got {first!r} and {last!r}")
    if month_index(first) > month_index(last):
        raise ConfigurationError(f"the range {first}..{last} runs backwards: the first month must not follow the last")
    return [month_offset(first, step) for step in range(month_index(last) - month_index(first) + 1)]


def month_end(month: str) -> date:
    """The last day of a YYYY-MM month; a clear error for anything else."""
    if not re.fullmatch(MONTH_PATTERN, month):
        raise ConfigurationError(f"period {month!r} is not a month written YYYY-MM (e.g. 2025-03)")
    year, number = int(month[:4]), int(month[5:7])
    return date(year, number, calendar.monthrange(year, number)[1])


def add_months(month: date, months: int) -> date:
    """The first day of the month `months` after (or before) `month`'s."""
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_starts(start: date, end: date) -> list[date]:
    """The first day of every month from `start`'s to `end`'s, inclusive."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return [add_months(start, step) for step in range(months + 1)]
