"""What the external accuracy checks say about one series of reconcile.external_accuracy: how many figures were
compared, how many sit outside their tolerance, and the worst of them with both figures, so a failed check names the
area, period and category to look at without opening the warehouse."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

TABLE = "reconcile.external_accuracy"
# series id -> what it compares (the mart's series; docs/public_data.md)
SERIES = {
    "police_uk_crimes": "crimes recorded in the month by police.uk crime type, against police.uk street files",
    "cps_convictions": "CPS convictions by principal offence category and area-month, against CPS COPOC",
    "cps_unsuccessful": "CPS unsuccessful outcomes by principal offence category and area-month, against CPS COPOC",
    "moj_timeliness_median": "median days per stage by LCJB area, quarter and court type, against MoJ court timeliness",
    "moj_effective_trial_rate": "effective trial rate by police force area, quarter and court type, against MoJ trial effectiveness",
}
WORST_SHOWN = 5


@dataclass(frozen=True)
class Disagreement:
    area_code: str
    area_name: str | None
    period_start: date
    court_type: str | None
    category: str
    warehouse_value: float
    published_value: float
    tolerance: float

    def describe(self) -> str:
        court = f" {self.court_type}" if self.court_type else ""
        return (
            f"{self.area_name or self.area_code} ({self.area_code}) {self.period_start:%Y-%m}{court} {self.category}: "
            f"warehouse {self.warehouse_value:g}, published {self.published_value:g} (tolerance {self.tolerance:.3g})"
        )


@dataclass(frozen=True)
class SeriesAccuracy:
    series: str
    compared: int
    not_compared: int
    outside: int
    worst: list[Disagreement]

    @property
    def passed(self) -> bool:
        return self.outside == 0


def series_accuracy(
    connection: duckdb.DuckDBPyConnection, series: str, worst_shown: int = WORST_SHOWN
) -> SeriesAccuracy:
    """Counts of one series' rows by outcome, and its worst disagreements (largest |difference| / tolerance first)."""
    if series not in SERIES:
        raise ValueError(f"unknown external accuracy series {series!r}; known: {', '.join(SERIES)}")
    counts = connection.execute(
        f"""select count(within_tolerance), count(*) - count(within_tolerance), count(*) filter (where not within_tolerance)
            from {TABLE} where series = ?""",
        [series],
    ).fetchone()
    if counts is None:  # an aggregate without group by always returns one row
        raise RuntimeError(f"counting {TABLE} for {series!r} returned no row")
    compared, not_compared, outside = counts
    rows = connection.execute(
        f"""select area_code, area_name, period_start, court_type, category, warehouse_value, published_value, tolerance
            from {TABLE} where series = ? and not within_tolerance
            order by abs(difference) / tolerance desc, period_start, area_code, category limit ?""",
        [series, worst_shown],
    ).fetchall()
    return SeriesAccuracy(series, compared, not_compared, outside, [Disagreement(*row) for row in rows])
