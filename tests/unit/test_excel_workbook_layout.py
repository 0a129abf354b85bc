"""The workbook's labels, against hand-written expectations: Excel's sheet-name rules, period labels, arrows."""

from __future__ import annotations

from datetime import date

from pipelines.lib.excel_workbook import _direction, _period_label, _sheet_names


def test_sheet_names_fit_excel_rules_and_stay_unique() -> None:
    titles = [
        "Ensuring victims of crime are fully supported through the Criminal Justice System",
        "Ensuring victims of crime are fully supported through the Criminal Justice System",
        "Trials: listed/effective [court's view]?",
    ]
    assert _sheet_names(titles) == [
        "1. Ensuring victims of crime",
        "2. Ensuring victims of crime",
        "3. Trials listed effective",
    ]


def test_period_labels() -> None:
    assert _period_label("month", date(2025, 3, 1)) == "Mar 2025"
    assert _period_label("quarter", date(2024, 10, 1)) == "Oct-Dec 2024"
    assert _period_label("r12m", date(2024, 4, 1)) == "12 months to Mar 2025"


def test_direction_arrow_follows_the_change_and_the_word_the_polarity() -> None:
    assert _direction(12.0, "worsening") == "↑ worsening"  # a rise can be a worsening (lower is better)
    assert _direction(-3.0, "improving") == "↓ improving"
    assert _direction(0.2, "stable") == "→ stable"
    assert _direction(5.0, None) == "↑"  # a measure with no polarity: which way, not whether better
    assert _direction(None, None) == ""
