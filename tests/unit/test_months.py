"""The reporting-month calendar against hand-worked dates: leap years, year ends, ranges and the errors a user sees."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.lib.errors import ConfigurationError
from pipelines.lib.months import add_months, month_end, month_offset, month_starts, months_between


def test_month_steps_cross_year_ends_both_ways() -> None:
    assert month_offset("2024-12", 1) == "2025-01"
    assert month_offset("2024-01", -1) == "2023-12"
    assert month_offset("2024-03", -15) == "2022-12"
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 1)
    assert add_months(date(2024, 1, 31), -13) == date(2022, 12, 1)


def test_month_ends_know_leap_years() -> None:
    assert [month_end(m) for m in ["2024-02", "2023-02", "2100-02", "2000-02", "2024-12"]] == [
        date(2024, 2, 29),
        date(2023, 2, 28),
        date(2100, 2, 28),
        date(2000, 2, 29),
        date(2024, 12, 31),
    ]


def test_ranges_are_inclusive_and_refuse_bad_or_backward_months() -> None:
    assert months_between("2023-11", "2024-02") == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert months_between("2024-05", "2024-05") == ["2024-05"]
    assert month_starts(date(2023, 12, 15), date(2024, 1, 31)) == [date(2023, 12, 1), date(2024, 1, 1)]
    with pytest.raises(ConfigurationError, match="runs backwards"):
        months_between("2024-03", "2024-02")
    for bad in ["2024-13", "2024-1", "24-01", "2024-00"]:
        with pytest.raises(ConfigurationError, match="YYYY-MM"):
            months_between(bad, "2024-12")
        with pytest.raises(ConfigurationError, match="YYYY-MM"):
            month_end(bad)
