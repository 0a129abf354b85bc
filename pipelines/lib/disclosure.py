"""Disclosure control of the published scorecard: which figures to withhold so that no small count can be read, or
worked out, from what is published.

Primary: a figure is withheld when a count it rests on is small. What it rests on is declared per measure
(`disclosure_rests_on`, by default from its unit): a count rests on itself (withheld from 1 to the count threshold); a
rate per 1,000 residents, or a ratio of two such rates, on the event counts behind each rate (the searches of Black
and of White people: residents are public, so the rate gives the count away); a share, a mean or a median on its
denominator, which must reach the minimum base. A share of 110 Black searches over 1,100 White ones is therefore
published, while a count of 3 is not.

Secondary: published figures are sums of one another in many ways: a quarter and a rolling year of their months, a
snapshot quarter of its last month, a board of its areas, England and Wales of the 43, a breakdown's categories of its
total, and two measures that count the same thing (a rate's denominator and a count measure). Every published cell is
a linear equation over unknown base cells (area x month x category); a withheld small count can be worked out exactly
when its cell lies in the span of the published cells. While one can, the search picks the cheapest small change of
the base cells that moves it (itself alone, against another month, area or category, or a rectangle of four), by
the number and then the size of the published figures the change would move, and withholds those: then a table with
the change and one without both fit everything published. Fewer and smaller complementary figures than blanket rules
such as "every rolling year containing a withheld month", and a guarantee for the identities modelled rather than a
rule of thumb.

Pure: polars frames in, decisions out. dbt runs it as the Python model int_scorecard__disclosure_decisions.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import polars as pl

from pipelines.lib.months import month_starts

NATIONAL_UNIT = "K04000001"
SMALL_COUNT = "small_count"
MIN_BASE = "min_base"
# the published column that carries each part of a measure, by the measure's aggregate
PART_COLUMNS = {
    "count": {"value": "value"},
    "count_distinct": {"value": "value"},
    "sum": {"value": "value"},
    "ratio": {"numerator": "numerator", "denominator": "denominator"},
    "mean": {"numerator": "numerator", "denominator": "denominator"},
    "median": {"value": "value", "denominator": "denominator"},
}
ADDITIVE_AGGREGATES = ("count", "count_distinct", "sum")


@dataclass(frozen=True)
class Thresholds:
    """A count from 1 to `count` is small; a share, mean or median needs a base of at least `min_base`."""

    count: int
    min_base: int


@dataclass(frozen=True)
class Series:
    """One quantity that published cells are sums of: a measure part (two measures' identical parts are one series).

    time: `sum` (an event count or sum: a quarter or rolling year is the sum of its months), `snapshot` (a quarter is
    its last month's snapshot) or `own` (a distinct count, a median, a cohort: every period its own quantity).
    additive: areas and categories add up to boards, the nation and totals."""

    key: tuple
    time: str
    additive: bool


@dataclass
class _Row:
    """A published row (a figure, a breakdown category, or England and Wales beside the figures): its cells."""

    kind: str
    index: int
    cells: list[tuple] = field(default_factory=list)


def default_rests_on(unit: str, aggregate: str | None, per_1000_parts: set[str]) -> dict[str, str]:
    """The counts a figure rests on when its measure declares none: see the module's docstring."""
    if per_1000_parts:
        return {part: SMALL_COUNT for part in sorted(per_1000_parts)}
    if unit == "count":
        return {"value": SMALL_COUNT}
    return {"denominator": MIN_BASE}


def describe_rests_on(rests_on: dict[str, str]) -> str:
    """The declaration as stored in the catalogue, e.g. `numerator:small_count,denominator:small_count`."""
    return ",".join(f"{part}:{kind}" for part, kind in rests_on.items())


def parse_rests_on(text: str) -> dict[str, str]:
    return dict(item.split(":", 1) for item in text.split(",") if item)


def _series_of(parts: pl.DataFrame) -> dict[tuple[str, str], Series]:
    """(measure, part) -> its series; parts defined identically are the same series."""
    series: dict[tuple[str, str], Series] = {}
    for part in parts.iter_rows(named=True):
        key = (
            part["model"],
            part["date_column"],
            part["measure_window"],
            part["filter_sql"],
            part["aggregate"],
            part["column_name"],
            part["min_events"],
            part["per_1000_residents"],
            part["key_scope"],
        )
        if part["measure_window"] == "snapshot":
            time = "snapshot"
        elif part["measure_window"] == "event" and part["aggregate"] in ("count", "sum"):
            time = "sum"
        else:
            time = "own"
        series[(part["measure_id"], part["part"])] = Series(key, time, part["aggregate"] in ADDITIVE_AGGREGATES)
    return series


class _SeriesSystem:
    """The published and withheld cells of one series as 0/1 rows over its base cells (area x time x category)."""

    def __init__(self, series: Series, cells: list[tuple], unit_areas: dict[str, list[str]]):
        individual = sorted(
            {a for (unit, *_rest) in cells if unit != NATIONAL_UNIT for a in unit_areas.get(unit, [unit])}
        )
        self.series = series
        self.areas = {unit: unit_areas.get(unit, [unit]) for (unit, *_rest) in cells}
        if NATIONAL_UNIT in self.areas:  # areas never published one by one only ever appear together
            self.areas[NATIONAL_UNIT] = [a for a in self.areas[NATIONAL_UNIT] if a in individual] + ["(rest)"]
        categories: dict[str, set[str]] = defaultdict(set)
        for _unit, _ptype, _pstart, _pend, breakdown, category in cells:
            if breakdown:
                categories[breakdown].add(category)
        self.breakdowns = sorted(categories)
        self.joint = list(itertools.product(*(sorted(categories[b]) for b in self.breakdowns))) or [()]
        self.index: dict[tuple, int] = {}
        self.vectors: dict[tuple, list[int]] = {cell: self._variables(cell) for cell in cells}
        self.coordinates: list[tuple] = list(self.index)  # (area, time, categories) of each base cell, by index

    def _times(self, period_type: str, period_start: date, period_end: date) -> Sequence[object]:
        if self.series.time == "sum":
            return month_starts(period_start, period_end)
        if self.series.time == "snapshot":
            return [date(period_end.year, period_end.month, 1)]
        return [(period_type, period_start)]

    def _variables(self, cell: tuple) -> list[int]:
        unit, period_type, period_start, period_end, breakdown, category = cell
        areas = self.areas[unit] if self.series.additive else [unit]
        if breakdown:
            position = self.breakdowns.index(breakdown)
            joint = (
                [c for c in self.joint if c[position] == category] if self.series.additive else [(breakdown, category)]
            )
        else:
            joint = self.joint if self.series.additive else [()]
        return [
            self.index.setdefault((area, time, categories), len(self.index))
            for area in areas
            for time in self._times(period_type, period_start, period_end)
            for categories in joint
        ]

    def matrix(self, cells: list[tuple]) -> np.ndarray:
        rows = np.zeros((len(cells), len(self.index)))
        for i, cell in enumerate(cells):
            rows[i, self.vectors[cell]] = 1.0
        return rows


def _recoverable(published: np.ndarray, protected: np.ndarray) -> np.ndarray:
    """Which protected rows lie in the row space of the published rows (can be worked out exactly)."""
    if published.shape[0] == 0 or protected.shape[0] == 0:
        return np.zeros(protected.shape[0], dtype=bool)
    _u, singular, vt = np.linalg.svd(published, full_matrices=False)
    basis = vt[: int((singular > singular[0] * 1e-10).sum())]
    residual = protected - (protected @ basis.T) @ basis
    return np.linalg.norm(residual, axis=1) < 1e-7


def _perturbations(system: _SeriesSystem, target: list[int]) -> np.ndarray:
    """Small ways to change the base cells that change the target cell: the target's first base cell alone, with one
    other cell moved the opposite way (another month, area or category), or a rectangle of four (two coordinates at
    once: what keeps a board's or a breakdown's totals unchanged). Withholding every published cell a perturbation
    changes leaves the target unrecoverable: both tables, with and without it, fit what is published."""
    pivot = system.coordinates[target[0]]
    axes = [sorted({c[axis] for c in system.coordinates}, key=str) for axis in range(3)]
    candidates: list[dict[int, float]] = [{target[0]: 1.0}]

    def moved(coordinates: tuple, changes: dict[int, object]) -> int | None:
        return system.index.get(tuple(changes.get(axis, coordinates[axis]) for axis in range(3)))

    for axis in range(3):
        for other in axes[axis]:
            if other != pivot[axis] and (w := moved(pivot, {axis: other})) is not None:
                candidates.append({target[0]: 1.0, w: -1.0})
    for first, second in itertools.combinations(range(3), 2):
        for x in axes[first]:
            for y in axes[second]:
                if x == pivot[first] or y == pivot[second]:
                    continue
                along_x, along_y, diagonal = (
                    moved(pivot, {first: x}),
                    moved(pivot, {second: y}),
                    moved(pivot, {first: x, second: y}),
                )
                if along_x is not None and along_y is not None and diagonal is not None:
                    candidates.append({target[0]: 1.0, along_x: -1.0, along_y: -1.0, diagonal: 1.0})
    vectors = np.zeros((len(system.index), len(candidates)))
    for j, candidate in enumerate(candidates):
        for variable, weight in candidate.items():
            vectors[variable, j] = weight
    changes_target = np.abs(vectors[target].sum(axis=0)) > 1e-9
    return vectors[:, changes_target]


class _PrimaryRule:
    """What each measure's figures rest on and publish: the primary rule, and the cells a row shows."""

    def __init__(self, measures: pl.DataFrame, parts: pl.DataFrame, population: pl.DataFrame, thresholds: Thresholds):
        self.series_of = _series_of(parts)
        self.per_1000 = {
            (r["measure_id"], r["part"]): r["per_1000_residents"]
            for r in parts.iter_rows(named=True)
            if r["per_1000_residents"]
        }
        self.definition = {r["measure_id"]: r for r in measures.unique("measure_id").iter_rows(named=True)}
        self.residents = {
            (r["unit_code"], r["population_group"]): r["residents"] for r in population.iter_rows(named=True)
        }
        self.thresholds = thresholds

    def published_parts(self, measure_id: str) -> dict[str, str]:
        """part -> the column that publishes it (a manual or uncomputed measure: its figure columns)."""
        aggregate = self.definition[measure_id]["aggregate"]
        return PART_COLUMNS.get(aggregate) or {"value": "value", "numerator": "numerator", "denominator": "denominator"}

    def series(self, measure_id: str, part: str) -> Series:
        """A manual figure is its own series: a board's manual figure is not the sum of its areas'."""
        return self.series_of.get((measure_id, part)) or Series(("manual", measure_id, part), "own", False)

    def count(self, measure_id: str, part: str, unit: str, amount: float | None) -> float | None:
        """The event count behind a part's amount (a rate per 1,000 residents times the residents / 1,000)."""
        group = self.per_1000.get((measure_id, part))
        if amount is None or group is None:
            return amount
        people = self.residents.get((unit, group))
        return None if people is None else round(amount * people / 1000)

    def is_primary(self, measure_id: str, unit: str, amounts: dict[str, float | None], value: float | None) -> bool:
        measure = self.definition[measure_id]
        if value is None or measure["disclosure"] != "standard":
            return False
        for part, kind in parse_rests_on(measure["disclosure_rests_on"]).items():
            events = self.count(measure_id, part, unit, amounts.get(part))
            if events is None:
                continue
            if kind == SMALL_COUNT and 1 <= events <= self.thresholds.count:
                return True
            if kind == MIN_BASE and events < self.thresholds.min_base:
                return True
        return False

    def is_small(self, events: float | None) -> bool:
        """A count a withheld figure must not give away: under the minimum base (and so within the count threshold)."""
        return events is not None and 1 <= events < max(self.thresholds.min_base, self.thresholds.count + 1)


@dataclass
class _Table:
    """Every published row with its cells; which rows are primary, which cells small, each cell's value."""

    rows: list[_Row] = field(default_factory=list)
    values: dict[tuple, float] = field(default_factory=dict)
    small: set[tuple] = field(default_factory=set)
    primary_rows: set[int] = field(default_factory=set)
    national_rows: dict[tuple, int] = field(default_factory=dict)

    def add(
        self,
        rule: _PrimaryRule,
        kind: str,
        index: int,
        measure_id: str,
        unit: str,
        period: tuple,
        breakdown: str,
        category: str,
        columns: dict[str, float | None],
    ) -> None:
        row = _Row(kind, index)
        amounts = {part: columns.get(column) for part, column in rule.published_parts(measure_id).items()}
        primary = rule.is_primary(measure_id, unit, amounts, columns["value"])
        for part, amount in amounts.items():
            if amount is None:
                continue
            cell = (rule.series(measure_id, part).key, unit, *period, breakdown, category)
            row.cells.append(cell)
            self.values[cell] = abs(amount)
            if primary and rule.is_small(rule.count(measure_id, part, unit, amount)):
                self.small.add(cell)
        if primary:
            self.primary_rows.add(len(self.rows))
        self.rows.append(row)


def _table(figures: pl.DataFrame, breakdowns: pl.DataFrame, rule: _PrimaryRule) -> _Table:
    """The rows of the figures, of England and Wales beside them (one per measure and period) and of the breakdowns."""
    table = _Table()
    for index, r in enumerate(figures.iter_rows(named=True)):
        period = (r["period_type"], r["period_start"], r["period_end"])
        table.add(
            rule,
            "figure",
            index,
            r["measure_id"],
            r["area_code"],
            period,
            "",
            "",
            {"value": r["value"], "numerator": r["numerator"], "denominator": r["denominator"]},
        )
        national_key = (r["measure_id"], r["period_type"], r["period_start"])
        if r["national_value"] is not None and national_key not in table.national_rows:
            table.national_rows[national_key] = len(table.rows)
            table.add(
                rule,
                "national",
                len(table.national_rows) - 1,
                r["measure_id"],
                NATIONAL_UNIT,
                period,
                "",
                "",
                {
                    "value": r["national_value"],
                    "numerator": r["national_numerator"],
                    "denominator": r["national_denominator"],
                },
            )
    for index, r in enumerate(breakdowns.iter_rows(named=True)):
        period = (r["period_type"], r["period_start"], r["period_end"])
        table.add(
            rule,
            "breakdown",
            index,
            r["measure_id"],
            r["area_code"],
            period,
            r["breakdown"],
            r["category"],
            {"value": r["value"], "numerator": r["numerator"], "denominator": r["denominator"]},
        )
    return table


def decide(
    figures: pl.DataFrame,
    breakdowns: pl.DataFrame,
    measures: pl.DataFrame,
    parts: pl.DataFrame,
    units: pl.DataFrame,
    population: pl.DataFrame,
    thresholds: Thresholds,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Which figure rows and breakdown rows the published copy withholds, and why (primary or secondary).

    figures: scorecard_id, measure_id, area_code, period_type, period_start, period_end, value, numerator,
    denominator, national_value, national_numerator, national_denominator. breakdowns: the same keys plus breakdown
    and category, value, numerator, denominator. measures: measure_id, unit, aggregate, disclosure, disclosure_rests_on.
    parts: stg_definitions__measure_parts. units: unit_code, area_code. population: unit_code, population_group,
    residents. Returns (figure decisions: is_suppressed, suppression, is_national_suppressed; breakdown decisions).
    """
    rule = _PrimaryRule(measures, parts, population, thresholds)
    table = _table(figures, breakdowns, rule)
    unit_areas: dict[str, list[str]] = defaultdict(list)
    for unit_code, area_code in (
        units.select("unit_code", "area_code").unique().sort("unit_code", "area_code").iter_rows()
    ):
        unit_areas[unit_code].append(area_code)
    search = _Search(table.rows, table.values, rule.series_of, unit_areas)
    search.run(table.primary_rows, table.small)
    rows, withheld, primary_rows, national_rows = table.rows, search.withheld, table.primary_rows, table.national_rows

    national_withheld = {key: national_rows[key] in withheld for key in national_rows}
    figure_decisions = figures.select(
        "scorecard_id", "measure_id", "area_code", "period_type", "period_start"
    ).with_columns(
        pl.Series("is_suppressed", _flags(rows, "figure", withheld), dtype=pl.Boolean),
        pl.Series("suppression", _reasons(rows, "figure", withheld, primary_rows), dtype=pl.String),
        pl.Series(
            "is_national_suppressed",
            [
                national_withheld.get((m, t, s), False)
                for m, t, s in figures.select("measure_id", "period_type", "period_start").iter_rows()
            ],
        ),
    )
    breakdown_decisions = breakdowns.select(
        "scorecard_id", "measure_id", "area_code", "period_type", "period_start", "breakdown", "category"
    ).with_columns(
        pl.Series("is_suppressed", _flags(rows, "breakdown", withheld), dtype=pl.Boolean),
        pl.Series("suppression", _reasons(rows, "breakdown", withheld, primary_rows), dtype=pl.String),
    )
    return figure_decisions, breakdown_decisions


class _Search:
    """The secondary search over every row at once: a cell withheld anywhere is withheld everywhere it is shown."""

    def __init__(
        self,
        rows: list[_Row],
        values: dict[tuple, float],
        series_of: dict[tuple[str, str], Series],
        unit_areas: dict[str, list[str]],
    ):
        self.rows, self.values, self.unit_areas = rows, values, unit_areas
        self.rows_of_cell: dict[tuple, list[int]] = defaultdict(list)
        for position, row in enumerate(rows):
            for cell in row.cells:
                self.rows_of_cell[cell].append(position)
        self.cells_by_series: dict[tuple, list[tuple]] = defaultdict(list)
        for cell in self.rows_of_cell:
            self.cells_by_series[cell[0]].append(cell)
        self.series = {s.key: s for s in series_of.values()}
        self.systems: dict[tuple, _SeriesSystem] = {}
        self.withheld: set[int] = set()

    def run(self, primary_rows: set[int], small: set[tuple]) -> None:
        """Withhold the primary rows, then complements until no withheld small count can be worked out and no
        withheld row can be recomputed whole (a rate from its numerator and denominator)."""
        self.withhold(primary_rows)
        protected = set(small)
        while True:
            for key in sorted({cell[0] for cell in protected}, key=str):
                self._protect(key, protected)
            recomputable = self._recomputable_rows()
            if not recomputable:
                return
            protected |= {min(self.rows[p].cells, key=lambda c: (self.values[c], str(c))) for p in recomputable}

    def withhold(self, positions: set[int]) -> None:
        """Withhold rows and every row sharing a cell with them (the same count published twice is withheld twice)."""
        pending = list(positions - self.withheld)
        while pending:
            position = pending.pop()
            if position in self.withheld:
                continue
            self.withheld.add(position)
            for cell in self.rows[position].cells:
                pending.extend(p for p in self.rows_of_cell[cell] if p not in self.withheld)

    def _system(self, key: tuple) -> _SeriesSystem:
        if key not in self.systems:
            series = self.series.get(key, Series(key, "own", False))
            self.systems[key] = _SeriesSystem(series, [c[1:] for c in self.cells_by_series[key]], self.unit_areas)
        return self.systems[key]

    def _published(self, key: tuple) -> list[tuple]:
        return [c for c in self.cells_by_series[key] if not all(p in self.withheld for p in self.rows_of_cell[c])]

    def _protect(self, key: tuple, protected: set[tuple]) -> None:
        """Withhold complements in one series until none of its protected cells can be worked out."""
        system = self._system(key)
        targets = [c for c in self.cells_by_series[key] if c in protected]
        while True:
            published = self._published(key)
            matrix = system.matrix([c[1:] for c in published])
            exposed = _recoverable(matrix, system.matrix([c[1:] for c in targets]))
            if not exposed.any():
                return
            target = targets[int(np.argmax(exposed))]
            perturbations = _perturbations(system, system.vectors[target[1:]])
            changes = np.abs(matrix @ perturbations) > 1e-9  # published cells x perturbations
            costs = [
                (int(column.sum()), sum(self.values[c] for c, hit in zip(published, column, strict=True) if hit))
                for column in changes.T
            ]
            best = changes[:, costs.index(min(costs))]
            if not best.any():  # cannot happen: a change moving no published cell means it was not recoverable
                raise RuntimeError(f"disclosure control found no complement for {target}")
            self.withhold({p for c, hit in zip(published, best, strict=True) if hit for p in self.rows_of_cell[c]})

    def _recomputable_rows(self) -> set[int]:
        """Withheld rows every cell of which can be worked out from the published cells."""
        withheld_cells = {cell for position in self.withheld for cell in self.rows[position].cells}
        determined: set[tuple] = set()
        for key in {cell[0] for cell in withheld_cells}:
            system = self._system(key)
            cells = [c for c in self.cells_by_series[key] if c in withheld_cells]
            found = _recoverable(
                system.matrix([c[1:] for c in self._published(key)]), system.matrix([c[1:] for c in cells])
            )
            determined.update(c for c, hit in zip(cells, found, strict=True) if hit)
        return {p for p in self.withheld if self.rows[p].cells and all(c in determined for c in self.rows[p].cells)}


def _flags(rows: list[_Row], kind: str, withheld: set[int]) -> list[bool]:
    return [position in withheld for position, row in enumerate(rows) if row.kind == kind]


def _reasons(rows: list[_Row], kind: str, withheld: set[int], primary: set[int]) -> list[str | None]:
    return [
        ("primary" if position in primary else "secondary") if position in withheld else None
        for position, row in enumerate(rows)
        if row.kind == kind
    ]
