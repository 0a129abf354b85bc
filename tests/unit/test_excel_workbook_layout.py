"""The workbook's cells against hand-written expectations: Excel's sheet-name rules, and a section row's cells by
the Government Statistical Service's conventions (numbers as numbers, [x] not available, [z] not applicable, words
for judgements and RAG, the note's number)."""

from __future__ import annotations

from datetime import date

from pipelines.lib.excel_workbook import SECTION_COLUMNS, _sheet_names, section_cells
from pipelines.lib.plain_english import Vocabulary


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


def _row(**changes: object) -> dict:
    row = {
        "measure_id": "victim_satisfaction_pct",
        "title": "Victim satisfaction",
        "area_code": "E23000038",
        "area_name": "Wiltshire",
        "period_type": "month",
        "period_start": date(2025, 3, 1),
        "counting_basis": "in_period",
        "value": 69.4,
        "status": "ok",
        "status_reason": None,
        "unit": "percentage",
        "aggregate": "ratio",
        "availability_reason": None,
        "interval_method": "wilson",
        "ci_lower": 55.5,
        "ci_upper": 80.5,
        "base": 49,
        "previous_value": 71.1,
        "change": -1.7,
        "change_judgement": "not_significant",
        "same_period_last_year": None,
        "last_year_judgement": None,
        "national_value": 70.2,
        "national_judgement": "not_significant",
        "peer_value": None,
        "peer_judgement": None,
        "rag": "green",
        "target": 65.0,
    }
    return row | changes


def test_section_row_by_gss_conventions() -> None:
    cells = dict(zip([c.header for c in SECTION_COLUMNS], section_cells(_row(), {}, Vocabulary({})), strict=True))
    assert cells == {
        "Measure": "Victim satisfaction",
        "Area": "Wiltshire",
        "Period": "Mar 2025",
        "Value": 69.4,
        "Status": "ok",
        "Unit": "%",
        "95% CI lower": 55.5,
        "95% CI upper": 80.5,
        "Base (n)": 49,
        "Previous period": 71.1,
        "Change": -1.7,
        "Since last period": "no real change",
        "Same period last year": "[x]",
        "Since a year before": "[x]",
        "England and Wales": 70.2,
        "Against England and Wales": "similar",
        "Peer forces": "[x]",
        "Against peer forces": "[x]",
        "RAG": "Green",
        "Target": 65.0,
        "Note": "[z]",
        "Measure id": "victim_satisfaction_pct",
    }


def test_a_withheld_and_an_untested_figure() -> None:
    notes = {"Withheld: small number (disclosure control)": 3}
    withheld = _row(
        value=None,
        status="suppressed",
        status_reason="withheld: small number (disclosure control)",
        interval_method=None,
        ci_lower=None,
        ci_upper=None,
        base=None,
        change=None,
        previous_value=None,
        change_judgement=None,
        national_judgement=None,
        rag=None,
        target=None,
    )
    cells = section_cells(withheld, notes, Vocabulary({}))
    assert cells[3:9] == ["[c]", "[c] withheld", "%", "[x]", "[x]", "[x]"]  # no interval around a withheld figure
    assert cells[18:21] == ["no target", "[z]", "[note 3]"]
    average = _row(
        unit="days",
        aggregate="mean",
        interval_method=None,
        ci_lower=None,
        ci_upper=None,
        base=222,
        change_judgement="not_tested",
    )
    cells = section_cells(average, {}, Vocabulary({}))
    assert cells[6:9] == ["[z]", "[z]", 222] and cells[11] == "not tested"  # no interval applies; its base does
