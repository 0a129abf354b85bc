"""Every published interval and judgement of the simulated warehouse recomputed with scipy (an implementation apart
from the SQL): Wilson intervals of shares and ratios, exact Poisson intervals of counts (Byar's approximation must
agree to within a count), Newcombe's interval for two shares and the conditional test of two counts per day; nothing
tested that should not be (estimates, averages, snapshots, a rolling year against the previous one), nothing around
a withheld figure; and the intervals cover the simulator's constant public confidence as often as 95% should."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest
from scipy import stats

Z_LEVEL = 0.95


@pytest.fixture(scope="module")
def figures(simulated_warehouse: Path) -> pl.DataFrame:
    """The published figures with each one's previous period and same period last year beside it."""
    with duckdb.connect(str(simulated_warehouse / "cjs_scorecard.duckdb"), read_only=True) as connection:
        return connection.sql(
            """
            select v.*, m.polarity, m.scale, m.aggregate,
                p.value as p_value, p.numerator as p_numerator, p.denominator as p_denominator, p.status as p_status,
                p.period_start as p_start, p.period_end as p_end,
                y.numerator as y_numerator, y.denominator as y_denominator, y.value as y_value, y.status as y_status,
                y.period_start as y_start, y.period_end as y_end
            from scorecard.measure_values v
            join scorecard.measures m using (scorecard_id, measure_id)
            left join scorecard.measure_values p on p.scorecard_id = v.scorecard_id and p.measure_id = v.measure_id
                and p.area_code = v.area_code and p.period_type = v.period_type
                and p.period_start = v.period_start - case v.period_type when 'quarter' then interval 3 month
                                                                          else interval 1 month end
            left join scorecard.measure_values y on y.scorecard_id = v.scorecard_id and y.measure_id = v.measure_id
                and y.area_code = v.area_code and y.period_type = v.period_type
                and y.period_start = v.period_start - interval 12 month
            """
        ).pl()


def _wilson(successes: float, trials: float) -> tuple[float, float]:
    interval = stats.binomtest(round(successes), round(trials)).proportion_ci(Z_LEVEL, method="wilson")
    return interval.low, interval.high


def _poisson_exact(count: float) -> tuple[float, float]:
    lower = 0.0 if count == 0 else stats.chi2.ppf(0.025, 2 * count) / 2
    return lower, stats.chi2.ppf(0.975, 2 * (count + 1)) / 2


def _days(start: date, end: date) -> int:
    return (end - start).days + 1


def _differ(method: str, this: tuple[float, float], other: tuple[float, float]) -> bool:
    """Newcombe's hybrid score interval (shares, ratios as the first count's share) excludes 0, or the conditional
    test of two counts over their days rejects equal rates per day."""
    if method == "poisson":
        (x1, t1), (x2, t2) = this, other
        if x1 + x2 == 0:
            return False
        low, high = _wilson(x1, x1 + x2)
        return not low <= t1 / (t1 + t2) <= high
    (x1, n1), (x2, n2) = this, other
    (l1, u1), (l2, u2) = _wilson(x1, n1), _wilson(x2, n2)
    p1, p2 = x1 / n1, x2 / n2
    lower = p1 - p2 - ((p1 - l1) ** 2 + (u2 - p2) ** 2) ** 0.5
    upper = p1 - p2 + ((u1 - p1) ** 2 + (p2 - l2) ** 2) ** 0.5
    return lower > 0 or upper < 0


def _events(row: dict, prefix: str = "") -> tuple[float, float]:
    """(events, base) as the test counts them: a share's numerator of its denominator, a ratio's numerator of both
    counts, a count over the days of its period."""
    if row["interval_method"] == "poisson":
        return row[f"{prefix}value"], _days(
            row[f"{prefix}start" if prefix else "period_start"], row[f"{prefix}end" if prefix else "period_end"]
        )
    numerator, denominator = row[f"{prefix}numerator"], row[f"{prefix}denominator"]
    return numerator, denominator + (numerator if row["interval_method"] == "poisson_ratio" else 0)


def _expected_word(row: dict, significant: bool, difference: float) -> str:
    if not significant:
        return "not_significant"
    if row["polarity"] == "higher_is_better":
        return "better" if difference > 0 else "worse"
    if row["polarity"] == "lower_is_better":
        return "better" if difference < 0 else "worse"
    return "higher" if difference > 0 else "lower"


def test_intervals_match_scipy(figures: pl.DataFrame) -> None:
    tested = figures.filter(pl.col("interval_method").is_not_null())
    assert set(tested["interval_method"]) == {"wilson", "poisson", "poisson_ratio"}
    for row in tested.iter_rows(named=True):
        if row["interval_method"] == "wilson":
            low, high = _wilson(row["numerator"], row["denominator"])
            expected = (row["scale"] * low, row["scale"] * high)
            assert row["base"] == row["denominator"]
        elif row["interval_method"] == "poisson_ratio":
            low, high = _wilson(row["numerator"], row["numerator"] + row["denominator"])
            expected = (low / (1 - low), high / (1 - high) if high < 1 else None)
            assert row["base"] == row["denominator"]
        else:
            expected = _poisson_exact(row["value"])
            assert row["base"] == row["value"]
            # Byar's approximation: within a count of the exact interval (it is exact to a fraction from about 5)
            assert row["ci_lower"] == pytest.approx(expected[0], abs=1.0), row
            assert row["ci_upper"] == pytest.approx(expected[1], abs=1.0), row
            continue
        assert row["ci_lower"] == pytest.approx(expected[0], abs=1e-9), row
        assert row["ci_upper"] == pytest.approx(expected[1], abs=1e-9), row


def test_only_plain_figures_of_testable_kinds_are_tested(figures: pl.DataFrame) -> None:
    """Withheld, not available, estimates and provisional figures, averages of durations, snapshots of open cases and
    ratios of rates carry no interval; so nothing is given around a withheld figure."""
    tested = figures.filter(pl.col("interval_method").is_not_null())
    assert set(tested["status"]) == {"ok"}
    assert tested.filter(
        pl.col("aggregate").is_in(["mean", "median"]) | (pl.col("counting_basis") == "snapshot")
    ).is_empty()
    untested = figures.filter(pl.col("interval_method").is_null())
    assert untested.filter(pl.col("ci_lower").is_not_null() | pl.col("ci_upper").is_not_null()).is_empty()
    withheld = figures.filter(pl.col("status") == "suppressed")
    assert not withheld.is_empty()
    assert withheld.filter(
        pl.col("ci_lower").is_not_null() | pl.col("base").is_not_null() | pl.col("change_judgement").is_not_null()
    ).is_empty()
    rolling = figures.filter((pl.col("period_type") == "r12m") & pl.col("change_judgement").is_not_null())
    assert set(rolling["change_judgement"]) == {"not_tested"}  # eleven months shared with the previous rolling year


def test_judgements_match_scipy(figures: pl.DataFrame) -> None:
    checked = {"change": 0, "last_year": 0}
    for row in figures.filter(pl.col("interval_method").is_not_null()).iter_rows(named=True):
        method = row["interval_method"]
        for comparison, prefix, other_status, other_value in [
            ("change", "p_", row["p_status"], row["p_value"]),
            ("last_year", "y_", row["y_status"], row["y_value"]),
        ]:
            published = row[f"{comparison}_judgement"]
            if other_value is None:
                assert published is None, row
                continue
            if other_status != "ok" or (comparison == "change" and row["period_type"] == "r12m"):
                assert published == "not_tested", row
                continue
            this, other = _events(row), _events(row, prefix)
            if method == "poisson":
                difference = this[0] / this[1] - other[0] / other[1]
            else:
                difference = row["value"] - other_value
            assert published == _expected_word(row, _differ(method, this, other), difference), row
            checked[comparison] += 1
    assert checked["change"] > 500 and checked["last_year"] > 300


def test_place_judgements_against_the_interval(figures: pl.DataFrame) -> None:
    """England and Wales or the peers are significantly different when outside the figure's interval; a count is
    never compared with them."""
    compared = figures.filter(pl.col("peer_judgement").is_not_null() | pl.col("national_judgement").is_not_null())
    assert not compared.is_empty() and "count" not in set(compared["unit"])
    for row in compared.iter_rows(named=True):
        for column, other in [
            ("national_judgement", row["national_value"] or row["published_national_value"]),
            ("peer_judgement", row["peer_value"]),
        ]:
            if row[column] in (None, "not_tested"):
                continue
            significant = not row["ci_lower"] <= other <= row["ci_upper"]
            assert row[column] == _expected_word(row, significant, row["value"] - other), (column, row)


def test_survey_intervals_cover_the_simulators_constant_rate(figures: pl.DataFrame) -> None:
    """The simulator asks each month's sample with one true rate (50% public confidence): the monthly 95% intervals
    should hold it about 19 times in 20 (at least 20 of 24 allows for chance)."""
    monthly = figures.filter(
        pl.col("measure_id") == "public_confidence_pct",
        pl.col("period_type") == "month",
        pl.col("interval_method") == "wilson",
        pl.col("scorecard_id") == "wcjb",
    )
    assert monthly.height == 24
    covered = monthly.filter((pl.col("ci_lower") <= 50) & (pl.col("ci_upper") >= 50)).height
    assert covered >= 20, monthly.select("period_start", "numerator", "denominator", "ci_lower", "ci_upper")
