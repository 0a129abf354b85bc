"""The attacker the board test relies on (tests/disclosure_attack.py) finds what a careless publication gives away: a
withheld area from its board total, a withheld month from its quarter, a withheld total from a category's share."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from tests.disclosure_attack import recovered_cells

JAN, FEB, MAR = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)
ENDS = {JAN: date(2024, 1, 31), FEB: date(2024, 2, 29), MAR: date(2024, 3, 31)}


def _figure(area: str, area_type: str, period_type: str, start: date, value: float | None, status: str = "ok") -> dict:
    end = date(2024, 3, 31) if period_type == "quarter" else ENDS[start]
    return {
        "scorecard_id": "board",
        "measure_id": "crimes",
        "area_code": area,
        "area_type": area_type,
        "period_type": period_type,
        "period_start": start,
        "period_end": end,
        "value": value,
        "numerator": None,
        "denominator": None,
        "status": status,
        "national_value": None,
    }


def _publish(path: Path, figures: list[dict], breakdowns: list[dict] | None = None) -> Path:
    catalogue = pl.DataFrame(
        [
            {
                "scorecard_id": "board",
                "measure_id": "crimes",
                "aggregate": "count",
                "counting_basis": "in_period",
                "computation": "value: count(*) of fct_crimes by recorded_date",
            }
        ]
    )
    breakdown_schema = {
        "scorecard_id": pl.String,
        "measure_id": pl.String,
        "area_code": pl.String,
        "period_type": pl.String,
        "period_start": pl.Date,
        "period_end": pl.Date,
        "breakdown": pl.String,
        "category": pl.String,
        "value": pl.Float64,
        "numerator": pl.Float64,
        "denominator": pl.Float64,
        "status": pl.String,
        "share_of_total": pl.Float64,
    }
    tables = {
        "measure_values": pl.DataFrame(figures, infer_schema_length=None),
        "measure_breakdowns": pl.DataFrame(breakdowns or [], schema=breakdown_schema),
        "measures": catalogue,
    }
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema scorecard")
        for name, frame in tables.items():
            connection.register("frame", frame)
            connection.execute(f"create table scorecard.{name} as select * from frame")
            connection.unregister("frame")
    return path


def _found(recovered: pl.DataFrame) -> set[tuple]:
    return {
        (r["area_code"], r["period_type"], r["period_start"], round(r["recovered"]))
        for r in recovered.iter_rows(named=True)
    }


def test_a_withheld_area_is_found_from_its_board_and_the_other_area(tmp_path: Path) -> None:
    figures = [
        _figure("A", "area", "month", JAN, None, "suppressed"),
        _figure("B", "area", "month", JAN, 20),
        _figure("board", "board", "month", JAN, 23),
    ]
    assert _found(recovered_cells(_publish(tmp_path / "p.duckdb", figures))) == {("A", "month", JAN, 3)}


def test_a_withheld_month_is_found_from_its_quarter(tmp_path: Path) -> None:
    figures = [
        _figure("A", "area", "month", JAN, 30),
        _figure("A", "area", "month", FEB, None, "suppressed"),
        _figure("A", "area", "month", MAR, 12),
        _figure("A", "area", "quarter", JAN, 44),
    ]
    assert _found(recovered_cells(_publish(tmp_path / "p.duckdb", figures))) == {("A", "month", FEB, 2)}


def test_two_withheld_months_of_a_quarter_stay_hidden(tmp_path: Path) -> None:
    figures = [
        _figure("A", "area", "month", JAN, 30),
        _figure("A", "area", "month", FEB, None, "suppressed"),
        _figure("A", "area", "month", MAR, None, "suppressed"),
        _figure("A", "area", "quarter", JAN, 44),
    ]
    assert recovered_cells(_publish(tmp_path / "p.duckdb", figures)).height == 0


def test_a_withheld_total_is_found_from_a_category_and_its_share(tmp_path: Path) -> None:
    figures = [_figure("A", "area", "month", JAN, None, "suppressed")]
    breakdowns = [
        {
            "scorecard_id": "board",
            "measure_id": "crimes",
            "area_code": "A",
            "period_type": "month",
            "period_start": JAN,
            "period_end": ENDS[JAN],
            "breakdown": "group",
            "category": category,
            "value": value,
            "numerator": None,
            "denominator": None,
            "status": status,
            "share_of_total": share,
        }
        for category, value, status, share in [("x", 30.0, "ok", 0.75), ("y", None, "suppressed", None)]
    ]
    recovered = recovered_cells(_publish(tmp_path / "p.duckdb", figures, breakdowns))
    assert {(r["category"], round(r["recovered"])) for r in recovered.iter_rows(named=True)} == {("", 40), ("y", 10)}
