"""An attacker with the published file: every identity between published figures a reader could use, solved for the
withheld ones. Written apart from pipelines/lib/disclosure.py on purpose, from what the published file itself says
(the catalogue's computations, the rows' areas and periods), so a test can check the pipeline's claim from outside.

Identities used, per quantity (a measure's published count, numerator or denominator; two measures whose catalogue
computation of a part reads the same are one quantity):
- a quarter or rolling year of an event count or sum is the sum of its months (months not published are unknowns);
- a snapshot's quarter is the snapshot at its last month;
- a board is the sum of its areas, England and Wales the sum of the areas shown plus the rest;
- a breakdown's categories sum to the figure;
- a category's count over its share of the total gives the total.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

COLUMNS_BY_AGGREGATE = {
    "count": ["value"],
    "count_distinct": ["value"],
    "sum": ["value"],
    "ratio": ["numerator", "denominator"],
    "mean": ["numerator", "denominator"],
    "median": ["denominator"],
}
PART_OF_COLUMN = {"value": "value", "numerator": "numerator", "denominator": "denominator"}


def _quantity(computation: str, column: str) -> str:
    """The catalogue's text of the part a column publishes (identical texts: the same quantity in two measures)."""
    for text in computation.split("; "):
        part, _, rest = text.partition(": ")
        if part == PART_OF_COLUMN[column]:
            return rest
    raise AssertionError(f"no part {column} in {computation!r}")


def _months(start: date, end: date) -> list[date]:
    months, current = [], start
    while current <= end:
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


class _Quantity:
    """Cells of one quantity: (unit, period_type, period_start, breakdown, category) -> known value or unknown."""

    def __init__(self, time: str, additive: bool):
        self.time, self.additive = time, additive
        self.known: dict[tuple, float] = {}
        self.withheld: set[tuple] = set()
        self.ends: dict[tuple, date] = {}
        self.equations: list[tuple[dict[tuple, float], float]] = []

    def add(self, cell: tuple, period_end: date, value: float | None, is_withheld: bool) -> None:
        self.ends[(cell[1], cell[2])] = period_end
        if is_withheld:
            self.withheld.add(cell)
        elif value is not None:
            self.known[cell] = value

    def cells(self) -> set[tuple]:
        return set(self.known) | self.withheld


def _identities(quantity: _Quantity, boards: dict[str, list[str]], shown_areas: set[str]) -> None:
    """The equations between the quantity's cells (each `{cell: coefficient}`, constant): see the module docstring."""
    by_series: dict[tuple, list[tuple]] = defaultdict(list)
    for cell in quantity.cells():
        unit, period_type, start, breakdown, category = cell
        by_series[(unit, breakdown, category)].append(cell)
    for (unit, breakdown, category), cells in by_series.items():
        for cell in cells:
            period_type, start = cell[1], cell[2]
            end = quantity.ends[(period_type, start)]
            if period_type == "month":
                continue
            if quantity.time == "sum":
                months = [(unit, "month", m, breakdown, category) for m in _months(start, end)]
                quantity.equations.append(({cell: 1.0, **{m: -1.0 for m in months}}, 0.0))
            elif quantity.time == "snapshot" and period_type == "quarter":
                last = (unit, "month", date(end.year, end.month, 1), breakdown, category)
                quantity.equations.append(({cell: 1.0, last: -1.0}, 0.0))
    if not quantity.additive:
        return
    keys = {(c[1], c[2], c[3], c[4]) for c in quantity.cells()}
    for period_type, start, breakdown, category in keys:
        for board, areas in boards.items():
            cell = (board, period_type, start, breakdown, category)
            if cell in quantity.cells():
                parts = {(a, period_type, start, breakdown, category): -1.0 for a in areas}
                quantity.equations.append(({cell: 1.0, **parts}, 0.0))
        national = ("K04000001", period_type, start, breakdown, category)
        if national in quantity.cells():
            parts = {(a, period_type, start, breakdown, category): -1.0 for a in sorted(shown_areas)}
            parts[("(rest)", period_type, start, breakdown, category)] = -1.0
            quantity.equations.append(({national: 1.0, **parts}, 0.0))
    categories: dict[tuple, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for unit, period_type, start, breakdown, category in quantity.cells():
        if breakdown:
            categories[(unit, period_type, start)][breakdown].add(category)
    for (unit, period_type, start), breakdowns in categories.items():
        for breakdown, names in breakdowns.items():
            parts = {(unit, period_type, start, breakdown, name): -1.0 for name in names}
            quantity.equations.append(({(unit, period_type, start, "", ""): 1.0, **parts}, 0.0))


def _solve(quantity: _Quantity) -> dict[tuple, float]:
    """The withheld cells the equations determine, with the value they give."""
    unknowns = sorted({c for equation, _ in quantity.equations for c in equation if c not in quantity.known}, key=str)
    index = {cell: i for i, cell in enumerate(unknowns)}
    if not unknowns:
        return {}
    matrix = np.zeros((len(quantity.equations), len(unknowns)))
    constants = np.zeros(len(quantity.equations))
    for row, (equation, constant) in enumerate(quantity.equations):
        constants[row] = constant
        for cell, coefficient in equation.items():
            if cell in quantity.known:
                constants[row] -= coefficient * quantity.known[cell]
            else:
                matrix[row, index[cell]] += coefficient
    _u, singular, vt = np.linalg.svd(matrix, full_matrices=False)
    basis = vt[: int((singular > (singular[0] if singular.size else 0) * 1e-10).sum())]
    solution = np.linalg.lstsq(matrix, constants, rcond=None)[0]
    found = {}
    for cell in quantity.withheld:
        if cell not in index:
            continue
        unit_vector = np.zeros(len(unknowns))
        unit_vector[index[cell]] = 1.0
        if np.linalg.norm(unit_vector - (unit_vector @ basis.T) @ basis) < 1e-7:
            found[cell] = float(solution[index[cell]])
    return found


def recovered_cells(published_db: Path) -> pl.DataFrame:
    """Every withheld count a reader can work out from the published file: measure, column, area, period, breakdown,
    category and the value worked out."""
    with duckdb.connect(str(published_db), read_only=True) as connection:
        figures = connection.sql("select * from scorecard.measure_values").pl()
        breakdowns = connection.sql("select * from scorecard.measure_breakdowns").pl()
        catalogue = connection.sql("select * from scorecard.measures").pl()
    measures = {r["measure_id"]: r for r in catalogue.unique("measure_id").iter_rows(named=True)}
    boards: dict[str, list[str]] = defaultdict(list)
    for scorecard_id, area in (
        figures.filter(pl.col("area_type") == "area").select("scorecard_id", "area_code").unique().iter_rows()
    ):
        boards[scorecard_id].append(area)
    boards = {b: a for b, a in boards.items() if figures.filter(pl.col("area_code") == b).height}
    shown_areas = set(figures.filter(pl.col("area_type") == "area")["area_code"])
    quantities: dict[str, _Quantity] = {}
    owners: dict[str, list[tuple[str, str]]] = defaultdict(list)

    def quantity_of(measure_id: str, column: str) -> _Quantity | None:
        measure = measures[measure_id]
        if not measure["computation"] or column not in COLUMNS_BY_AGGREGATE.get(measure["aggregate"], []):
            return None
        text = _quantity(measure["computation"], column)
        if text not in quantities:
            summing = text.startswith(("count(*)", "sum(")) and measure["counting_basis"] in (
                "in_period",
                "rolling_12_months",
            )
            time = "sum" if summing else "snapshot" if measure["counting_basis"] == "snapshot" else "own"
            quantities[text] = _Quantity(time, not text.startswith("median("))
        owners[text].append((measure_id, column))
        return quantities[text]

    for frame, with_category in ((figures, False), (breakdowns, True)):
        for r in frame.iter_rows(named=True):
            for column in ("value", "numerator", "denominator"):
                quantity = quantity_of(r["measure_id"], column)
                if quantity is None:
                    continue
                cell = (
                    r["area_code"],
                    r["period_type"],
                    r["period_start"],
                    r["breakdown"] if with_category else "",
                    r["category"] if with_category else "",
                )
                quantity.add(cell, r["period_end"], r[column], r["status"] == "suppressed")
                if not with_category and r["national_value"] is not None and column == "value":
                    national = ("K04000001",) + cell[1:]
                    quantity.add(national, r["period_end"], r["national_value"], False)
            share = r.get("share_of_total") if with_category else None
            quantity = quantity_of(r["measure_id"], "value") if with_category else None
            if share and quantity is not None and r["value"] is not None:
                total = (r["area_code"], r["period_type"], r["period_start"], "", "")
                quantity.equations.append(({total: 1.0}, r["value"] / share))
    rows = []
    for text, quantity in quantities.items():
        _identities(quantity, boards, shown_areas)
        for cell, value in _solve(quantity).items():
            for measure_id, column in sorted(set(owners[text])):
                rows.append(
                    {
                        "measure_id": measure_id,
                        "column": column,
                        "area_code": cell[0],
                        "period_type": cell[1],
                        "period_start": cell[2],
                        "breakdown": cell[3],
                        "category": cell[4],
                        "recovered": value,
                    }
                )
    return pl.DataFrame(
        rows,
        schema={
            "measure_id": pl.String,
            "column": pl.String,
            "area_code": pl.String,
            "period_type": pl.String,
            "period_start": pl.Date,
            "breakdown": pl.String,
            "category": pl.String,
            "recovered": pl.Float64,
        },
    )
