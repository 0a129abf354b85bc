"""Disclosure control on hand-made figures: what each rule withholds, worked out by hand (pipelines/lib/disclosure.py)."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from pipelines.lib.disclosure import Thresholds, decide

THRESHOLDS = Thresholds(count=4, min_base=10)
A, B, BOARD = "E23000001", "E23000002", "board"


def _month(index: int) -> tuple[date, date]:
    year, month = 2024 + index // 12, index % 12 + 1
    end = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, 1), date.fromordinal(end.toordinal() - 1)


def _figure(
    measure: str,
    area: str,
    period_type: str,
    start: date,
    end: date,
    value: float | None,
    numerator: float | None = None,
    denominator: float | None = None,
) -> dict:
    return {
        "scorecard_id": "test",
        "measure_id": measure,
        "area_code": area,
        "period_type": period_type,
        "period_start": start,
        "period_end": end,
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "national_value": None,
        "national_numerator": None,
        "national_denominator": None,
    }


def _part(
    measure: str,
    part: str = "value",
    aggregate: str = "count",
    filter_sql: str = "true",
    per_1000: str | None = None,
    window: str = "event",
) -> dict:
    return {
        "measure_id": measure,
        "part": part,
        "model": "fct_test",
        "date_column": "event_date",
        "measure_window": window,
        "filter_sql": filter_sql,
        "aggregate": aggregate,
        "column_name": None,
        "min_events": 1,
        "per_1000_residents": per_1000,
        "key_scope": None,
    }


def _measure(measure: str, unit: str = "count", aggregate: str = "count", rests_on: str = "value:small_count") -> dict:
    return {
        "measure_id": measure,
        "unit": unit,
        "aggregate": aggregate,
        "disclosure": "standard",
        "disclosure_rests_on": rests_on,
    }


UNITS = pl.DataFrame({"unit_code": [A, B, BOARD, BOARD], "area_code": [A, B, A, B]})
NO_BREAKDOWNS = pl.DataFrame(
    schema={
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
    }
)
NO_POPULATION = pl.DataFrame(schema={"unit_code": pl.String, "population_group": pl.String, "residents": pl.Float64})


def _decide(
    figures: list[dict],
    measures: list[dict],
    parts: list[dict],
    breakdowns: pl.DataFrame = NO_BREAKDOWNS,
    population: pl.DataFrame = NO_POPULATION,
) -> pl.DataFrame:
    decisions, _ = decide(
        pl.DataFrame(figures, infer_schema_length=None),
        breakdowns,
        pl.DataFrame(measures),
        pl.DataFrame(parts, infer_schema_length=None),
        UNITS,
        population,
        THRESHOLDS,
    )
    return decisions


def _withheld(decisions: pl.DataFrame) -> set[tuple]:
    return {
        (r["area_code"], r["period_type"], r["period_start"], r["suppression"])
        for r in decisions.filter("is_suppressed").iter_rows(named=True)
    }


def test_a_board_withholds_the_smaller_other_area_not_the_total() -> None:
    start, end = _month(0)
    figures = [
        _figure("m", A, "month", start, end, 3),
        _figure("m", B, "month", start, end, 20),
        _figure("m", BOARD, "month", start, end, 23),
    ]
    assert _withheld(_decide(figures, [_measure("m")], [_part("m")])) == {
        (A, "month", start, "primary"),
        (B, "month", start, "secondary"),
    }


def test_a_quarter_is_kept_and_the_smaller_other_month_withheld() -> None:
    """Quarter = its three months: withholding one more month (the smaller) protects the small one; the quarter, a
    figure boards read, stays published."""
    months = [_month(i) for i in range(3)]
    figures = [_figure("m", A, "month", s, e, v) for (s, e), v in zip(months, [30, 2, 12], strict=True)]
    figures.append(_figure("m", A, "quarter", months[0][0], months[2][1], 44))
    assert _withheld(_decide(figures, [_measure("m")], [_part("m")])) == {
        (A, "month", months[1][0], "primary"),
        (A, "month", months[2][0], "secondary"),
    }


def _rank_recovers(rows: list[list[int]], target: list[int]) -> bool:
    """Independent check: the target's indicator lies in the span of the published rows."""
    matrix = np.array(rows, dtype=float)
    stacked = np.vstack([matrix, np.array(target, dtype=float)])
    return np.linalg.matrix_rank(stacked) == np.linalg.matrix_rank(matrix)


def test_a_small_latest_month_does_not_withhold_every_rolling_year() -> None:
    """24 months and every rolling 12 months: the latest month (2) is withheld, then far fewer than the 12 rolling
    years that contain it, and nothing published works it out (checked by rank over the months)."""
    months = [_month(i) for i in range(24)]
    values = [20 + (i * 7) % 11 for i in range(23)] + [2]
    figures = [_figure("m", A, "month", s, e, v) for (s, e), v in zip(months, values, strict=True)]
    for last in range(11, 24):
        figures.append(
            _figure("m", A, "r12m", months[last - 11][0], months[last][1], sum(values[last - 11 : last + 1]))
        )
    withheld = _withheld(_decide(figures, [_measure("m")], [_part("m")]))
    assert (A, "month", months[23][0], "primary") in withheld
    assert len(withheld) <= 4
    published = []
    for figure in figures:
        if (
            (A, figure["period_type"], figure["period_start"], "secondary") in withheld
            or figure["period_start"] == months[23][0]
            and figure["period_type"] == "month"
        ):
            continue
        first = next(i for i, (s, _e) in enumerate(months) if s == figure["period_start"])
        span = 1 if figure["period_type"] == "month" else 12
        published.append([1 if first <= i < first + span else 0 for i in range(24)])
    assert not _rank_recovers(published, [0] * 23 + [1])


def test_a_ratio_of_rates_rests_on_the_two_groups_events() -> None:
    """110 Black and 1,100 White searches: published although each rate per 1,000 residents is under 10; 3 Black
    searches: withheld."""
    start, end = _month(0)
    population = pl.DataFrame(
        {"unit_code": [A, A], "population_group": ["Black", "White"], "residents": [20_000.0, 400_000.0]}
    )
    parts = [
        _part("ratio", "numerator", filter_sql="black", per_1000="Black"),
        _part("ratio", "denominator", filter_sql="white", per_1000="White"),
    ]
    measure = [
        _measure("ratio", unit="ratio", aggregate="ratio", rests_on="numerator:small_count,denominator:small_count")
    ]
    published = _decide(
        [_figure("ratio", A, "month", start, end, 2.0, 5.5, 2.75)], measure, parts, population=population
    )
    assert not published["is_suppressed"].any()
    withheld = _decide(
        [_figure("ratio", A, "month", start, end, 0.05454, 0.15, 2.75)], measure, parts, population=population
    )
    assert withheld["suppression"].to_list() == ["primary"]


def test_a_mean_on_a_small_base_is_withheld() -> None:
    start, end = _month(0)
    parts = [_part("days", "numerator", aggregate="sum"), _part("days", "denominator")]
    measure = [_measure("days", unit="days", aggregate="mean", rests_on="denominator:min_base")]
    assert _decide([_figure("days", A, "month", start, end, 12.5, 100, 8)], measure, parts)[
        "suppression"
    ].to_list() == ["primary"]
    assert not _decide([_figure("days", A, "month", start, end, 12.5, 125, 10)], measure, parts)["is_suppressed"].any()


def test_the_same_count_in_two_measures_is_withheld_in_both() -> None:
    """A count measure and a rate whose denominator counts the same rows: the rate's denominator would show the
    withheld count, so its row is withheld too."""
    start, end = _month(0)
    figures = [_figure("count", A, "month", start, end, 3), _figure("rate", A, "month", start, end, 100 / 3 * 2, 2, 3)]
    parts = [_part("count"), _part("rate", "numerator", filter_sql="charged"), _part("rate", "denominator")]
    measures = [
        _measure("count"),
        _measure("rate", unit="percentage", aggregate="ratio", rests_on="denominator:min_base"),
    ]
    decisions = _decide(figures, measures, parts)
    assert decisions.filter("is_suppressed")["measure_id"].sort().to_list() == ["count", "rate"]


def test_categories_add_up_to_the_total() -> None:
    """A breakdown whose one category is small: another category is withheld, not the published total."""
    start, end = _month(0)
    breakdowns = pl.DataFrame(
        [
            {
                "scorecard_id": "test",
                "measure_id": "m",
                "area_code": A,
                "period_type": "month",
                "period_start": start,
                "period_end": end,
                "breakdown": "group",
                "category": category,
                "value": value,
                "numerator": None,
                "denominator": None,
            }
            for category, value in [("x", 2.0), ("y", 40.0), ("z", 15.0)]
        ],
        schema=NO_BREAKDOWNS.schema,
    )
    figures = [_figure("m", A, "month", start, end, 57)]
    figure_decisions, breakdown_decisions = decide(
        pl.DataFrame(figures, infer_schema_length=None),
        breakdowns,
        pl.DataFrame([_measure("m")]),
        pl.DataFrame([_part("m")], infer_schema_length=None),
        UNITS,
        NO_POPULATION,
        THRESHOLDS,
    )
    assert not figure_decisions["is_suppressed"].any()
    assert breakdown_decisions.filter("is_suppressed").select("category", "suppression").rows() == [
        ("x", "primary"),
        ("z", "secondary"),
    ]
