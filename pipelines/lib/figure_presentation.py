"""How a published figure is shown to people: one vocabulary for the board pack, the Excel workbook and the CLI.

A board member may read the same figure in the HTML pack and in the workbook, so both must say it the same way: the
same marker for a withheld or missing figure (the Government Statistical Service's symbols, the same table
`pipelines/lib/markers.py` reads publishers' files with), the same RAG colours (GOV.UK's palette, with the colour also
in words for readers who cannot tell the colours apart), the same rounding per unit (Excel's number format and the
text form are made from one rule, so they cannot drift apart), the same direction arrows, the same words for what a
comparison means (better or worse only where the difference is statistically significant; the published tables carry
the judgement, `macros/statistical_tests.sql`), the same period labels, and the same choice of which period heads each
measure and which figures make its trend (so the pack and the workbook never show a measure two ways).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import polars as pl

from pipelines.lib.errors import ConfigurationError
from pipelines.lib.markers import GSS_SYMBOLS
from pipelines.lib.months import add_months

TREND_MONTHS = 24


@dataclass(frozen=True)
class StatusMarker:
    """What stands beside (or instead of) a figure whose status is not plain: symbol, a word, and why."""

    symbol: str
    label: str
    explanation: str


STATUS_MARKERS: dict[str, StatusMarker] = {
    "suppressed": StatusMarker(
        GSS_SYMBOLS["suppressed"],
        "withheld",
        "Withheld to protect confidentiality: a small number, or a figure from which one could be worked out.",
    ),
    "not_available": StatusMarker(
        GSS_SYMBOLS["not_available"],
        "not available",
        "Not available: the data to compute it has not been delivered (the note says which).",
    ),
    "estimate": StatusMarker("[e]", "estimate", "Estimate: computed with a known approximation (the note says which)."),
    "provisional": StatusMarker(
        "[p]", "provisional", "Provisional: the next deliveries will complete the figure, which may then be revised."
    ),
}


def shown_status(status: str | None, reason: str | None) -> str:
    """The status a reader sees: an estimate whose reason starts "provisional" is provisional (later deliveries will
    revise it); a figure with no row at all is not available."""
    if status == "estimate" and reason and reason.startswith("provisional"):
        return "provisional"
    return status or "not_available"


def figure_marker(value: float | None, status: str) -> StatusMarker | None:
    """The marker shown instead of the number, or None when the number is shown: a withheld or unavailable figure
    never reads as a number (nor as 0, nor as an empty cell)."""
    if value is None or status in ("suppressed", "not_available"):
        return STATUS_MARKERS.get(status, STATUS_MARKERS["not_available"])
    return None


@dataclass(frozen=True)
class RagStyle:
    """A RAG rating as shown: its word (the colour is never the only cue), background and text colour."""

    label: str
    fill: str
    text: str


# GOV.UK Design System colours (red, yellow, green); dark text on yellow, white on the others.
RAG: dict[str, RagStyle] = {
    "red": RagStyle("Red", "#D4351C", "#FFFFFF"),
    "amber": RagStyle("Amber", "#FFDD00", "#0B0C0C"),
    "green": RagStyle("Green", "#00703C", "#FFFFFF"),
}
NO_TARGET = "no target"


@dataclass(frozen=True)
class UnitFormat:
    """How figures of a unit are rounded and labelled, in Excel and in text, from one rule."""

    label: str
    decimals: int
    thousands: bool = False
    suffix: str = ""
    difference_suffix: str | None = None  # when a difference reads otherwise (percentage points, not per cent)

    @property
    def excel(self) -> str:
        """The Excel number format (the unit itself is in its own column, so no suffix)."""
        return ("#,##0" if self.thousands else "0") + ("." + "0" * self.decimals if self.decimals else "")

    def text(self, value: float) -> str:
        return self._number(value) + self.suffix

    def difference(self, value: float) -> str:
        """A signed difference between two figures of this unit, e.g. +1.5 pp."""
        sign = "+" if value > 0 else ""
        suffix = self.suffix if self.difference_suffix is None else self.difference_suffix
        return sign + self._number(value) + suffix

    def _number(self, value: float) -> str:
        return f"{value:{',' if self.thousands else ''}.{self.decimals}f}"


UNITS: dict[str, UnitFormat] = {
    "count": UnitFormat("count", 0, thousands=True),
    "percentage": UnitFormat("%", 1, suffix="%", difference_suffix=" pp"),
    "days": UnitFormat("days", 1, suffix=" days"),
    "ratio": UnitFormat("ratio", 2),
    "rate_per_1000": UnitFormat("per 1,000", 2, suffix=" per 1,000"),
}


def unit_format(unit: str) -> UnitFormat:
    """The unit's format; a clear error for a unit the measure library allows but this table has not learnt."""
    try:
        return UNITS[unit]
    except KeyError:
        raise ConfigurationError(f"unit {unit!r} has no presentation format; known units: {', '.join(UNITS)}") from None


def format_figure(value: float | None, unit: str) -> str:
    """A figure as it reads in its unit (e.g. 1,234; 12.5%; 11.5 days); an empty string when there is none."""
    return "" if value is None else unit_format(unit).text(value)


ARROWS = {"up": "↑", "down": "↓", "flat": "→"}


def direction_arrow(change: float | None, direction_of_travel: str | None = None) -> str:
    """Which way the figure moved since the previous period ("" when unknown): the arrow says the direction only
    (flat when it did not change or stayed within the measure's stable band); whether that is better or worse is
    the judgement's word (`judgement_word`), never the arrow's."""
    if change is None:
        return ""
    if direction_of_travel == "stable" or change == 0:
        return ARROWS["flat"]
    return ARROWS["up"] if change > 0 else ARROWS["down"]


@dataclass(frozen=True)
class Judgement:
    """What a comparison means, in words: over time ("no real change") and against another place ("similar"), and
    its tone (better, worse, neutral or untested), which the pack colours but never relies on."""

    over_time: str
    against_others: str
    tone: str


# The published judgement columns' codes (change_judgement, last_year_judgement, national_judgement, peer_judgement).
JUDGEMENTS: dict[str, Judgement] = {
    "better": Judgement("better", "better", "better"),
    "worse": Judgement("worse", "worse", "worse"),
    "higher": Judgement("higher", "higher", "neutral"),
    "lower": Judgement("lower", "lower", "neutral"),
    "not_significant": Judgement("no real change", "similar", "neutral"),
    "not_tested": Judgement("not tested", "not tested", "untested"),
}
SIGNIFICANT = frozenset({"better", "worse", "higher", "lower"})
CONFIDENCE = "95%"


def judgement_word(code: str | None, over_time: bool = True) -> str:
    """A judgement column's code in words ("" when there is nothing to compare with)."""
    if code is None:
        return ""
    judgement = JUDGEMENTS[code]
    return judgement.over_time if over_time else judgement.against_others


def interval_text(ci_lower: float | None, ci_upper: float | None, base: int | None, unit: str) -> str:
    """The uncertainty beside a figure: its 95% interval and base, e.g. "95% CI 23.6% to 47.3%, n = 58"; the base
    alone for a figure without an interval (a mean of n cases); a count's base is the count itself, so not repeated."""
    parts = []
    if ci_lower is not None and ci_upper is not None:
        parts.append(f"{CONFIDENCE} CI {format_figure(ci_lower, unit)} to {format_figure(ci_upper, unit)}")
    if base is not None and unit != "count":
        parts.append(f"n = {base:,}")
    return ", ".join(parts)


def long_date(day: date) -> str:
    """A date as a reader writes it: 7 December 2026."""
    return f"{day.day} {day:%B %Y}"


def period_label(period_type: str | None, period_start: date | None, counting_basis: str | None = None) -> str:
    """A period as a reader names it: Mar 2025; Jan-Mar 2025; 12 months to Mar 2025; a cohort measure's quarter is
    the cohort's ("cohort of Oct-Dec 2023"), which a reoffending figure is about, whenever it is published."""
    if period_type is None or period_start is None:
        return ""
    if period_type == "month":
        return f"{period_start:%b %Y}"
    if period_type == "quarter":
        quarter = f"{period_start:%b}-{add_months(period_start, 2):%b %Y}"
        return f"cohort of {quarter}" if counting_basis == "cohort" else quarter
    return f"12 months to {add_months(period_start, 11):%b %Y}"


def previous_period_label(period_type: str | None, period_start: date | None, counting_basis: str | None = None) -> str:
    """The label of the period before (what "since last period" compares with)."""
    if period_type is None or period_start is None:
        return ""
    step = {"month": 1, "quarter": 3, "r12m": 1}[period_type]
    return period_label(period_type, add_months(period_start, -step), counting_basis)


# Each interval method's name in a measure's note, and how it and its tests are computed, once per pack (the SQL is
# macros/statistical_tests.sql).
INTERVAL_NAMES = {
    "wilson": "Wilson score interval of a share",
    "poisson": "Poisson interval of a count of events",
    "poisson_ratio": "Wilson interval of a ratio of two counts",
}
INTERVAL_METHODS = {
    "wilson": "a share: the Wilson score interval (reliable for small bases and shares near 0 or 100%); a change by "
    "Newcombe's hybrid score interval for the difference of two shares",
    "poisson": "a count of events: Byar's approximation to the exact Poisson interval; a change by the conditional "
    "test of two Poisson counts, per day of their periods (so a 31-day month is not a rise on a 28-day one)",
    "poisson_ratio": "a ratio of two counts: the Wilson interval of the first count's share of both, as a ratio; a "
    "change by Newcombe's interval for the difference of those shares",
}


def why_untested(figure: dict[str, Any]) -> str:
    """Why a figure has no interval, so its comparisons are not tested (from its status and its measure's kind)."""
    status = shown_status(figure["status"], figure["status_reason"])
    if status in ("estimate", "provisional"):
        return "an estimate or provisional figure: its error is more than chance, so no interval or test is given"
    if figure["aggregate"] in ("mean", "median"):
        return (
            "an average of durations: the extracts give the total and the number of cases, not how much they "
            "vary, so no interval can be computed"
        )
    if figure["counting_basis"] == "snapshot":
        return (
            "a count of cases open on a date: one month's open cases are mostly the month before's, so the two "
            "are not independent samples and no test applies"
        )
    if figure["availability"] == "manual_input":
        return "entered by hand without the counts behind it, so no interval can be computed"
    if figure["unit"] == "ratio":
        return "a ratio of two rates rather than of two counts of events, so no interval is computed"
    return "no interval is computed for this kind of figure"


def untested_change_reason(figure: dict[str, Any]) -> str:
    """Why the change since the previous period is not tested, where it is not."""
    if figure["interval_method"] and figure["period_type"] == "r12m":
        return (
            "a rolling year shares 11 of its 12 months with the previous one, so the change is not tested (the "
            "same period last year is)"
        )
    return why_untested(figure)


def missing_comparator_reason(figure: dict[str, Any], against: str) -> str:
    """Why a figure has no England and Wales (`against` = "national") or peer ("peers") figure beside it."""
    if figure["value"] is None:
        return "no figure to compare"
    if figure["comparator_series"] is None:
        if against == "national":
            return (
                "no public release publishes this measure for England and Wales, and the data cover only this "
                "board's force areas"
            )
        return "no public release publishes this measure for the peer forces"
    if against == "national":
        return "the public release has no England and Wales figure for this period yet"
    return "not every peer force has a published figure for this period"


# Columns later publications added to scorecard.measure_values (the uncertainty and the judgements), read as empty from
# a kept publication made before them, so a rollback to it still writes its workbooks and packs.
ADDED_FIGURE_COLUMNS = {
    "interval_method": "varchar",
    "base": "bigint",
    "ci_lower": "double",
    "ci_upper": "double",
    "change_judgement": "varchar",
    "last_year_judgement": "varchar",
    "national_judgement": "varchar",
    "peer_judgement": "varchar",
}

# One row per catalogue measure and area with figures (the board first, then its areas; one row with no area when a
# measure has no figure yet): the headline figure of the measure's finest period type (month, else quarter, else
# rolling 12 months) ending in or before the month, and its trend: the figures of that period type ending in each of
# the TREND_MONTHS months to it, withheld ones kept (value null) so a gap is never a zero. With $current_only the
# headline must cover the month (a quarter ending in the three months to it), else it is the latest however old; a
# cohort measure's headline is always its latest cohort published (figure or withheld; it comes long after the
# cohort's quarter, and is labelled with it).
HEADLINE_FIGURES_SQL = f"""
with catalogue as (
    select *,
        case when contains(period_types, 'month') then 'month'
             when contains(period_types, 'quarter') then 'quarter'
             else 'r12m' end as shown_period_type
    from scorecard.measures
    where scorecard_id = $scorecard_id
),
shown_figures as (
    select v.*, {{added_columns}} cast(date_trunc('month', v.period_end) as date) as end_month
    from scorecard.measure_values v
    join catalogue c on c.measure_id = v.measure_id and c.shown_period_type = v.period_type
    where v.scorecard_id = $scorecard_id and v.period_end <= $month_end
        and ($area_code is null or v.area_code = $area_code)
),
measure_areas as (
    select measure_id, area_code, max_by(area_name, period_end) as area_name, max_by(area_type, period_end) as area_type
    from shown_figures
    group by measure_id, area_code
),
headlines as (
    select *
    from shown_figures
    where not $current_only
        or (counting_basis = 'cohort' and status <> 'not_available')
        or end_month > $month_start - to_months(case when period_type = 'quarter' then 3 else 1 end)
    qualify row_number() over (
        partition by measure_id, area_code
        order by counting_basis = 'cohort' and status <> 'not_available' desc, period_end desc
    ) = 1
),
trends as (
    select measure_id, area_code,
        list({{'end_month': end_month, 'value': value, 'status': status, 'status_reason': status_reason}}
             order by end_month) as trend
    from shown_figures
    where end_month > $month_start - interval {TREND_MONTHS} month
    group by measure_id, area_code
)
select
    c.section_id, c.section_title, c.section_order, c.measure_order, c.measure_id, c.title, c.description,
    c.counting_basis, c.source_agencies, c.source_extracts, c.unit, c.polarity, c.aggregate, c.availability,
    c.availability_reason, c.comparator_series,
    a.area_code, a.area_name, a.area_type, c.shown_period_type as period_type,
    h.period_start, h.period_end, h.value, h.numerator, h.denominator, h.status, h.status_reason, h.as_at,
    h.previous_value, h.change, h.same_period_last_year, h.direction_of_travel,
    -- England and Wales from our own figures where the data covers every area, else as the agency published it
    coalesce(h.national_value, h.published_national_value) as national_value, h.peer_group, h.peer_value,
    h.rag, coalesce(h.target, c.target) as target,
    h.interval_method, h.base, h.ci_lower, h.ci_upper,
    h.change_judgement, h.last_year_judgement, h.national_judgement, h.peer_judgement,
    t.trend
from catalogue c
left join measure_areas a using (measure_id)
left join headlines h using (measure_id, area_code)
left join trends t using (measure_id, area_code)
order by c.section_order, c.measure_order, a.area_type = 'area', a.area_name
"""


def headline_figures(
    connection: duckdb.DuckDBPyConnection,
    scorecard_id: str,
    month: date,
    area_code: str | None = None,
    current_only: bool = True,
) -> pl.DataFrame:
    """Each measure's headline figure and trend for the month (`HEADLINE_FIGURES_SQL`), for one area or every area.

    `trend` is a list of {end_month, value, status, status_reason} in month order. The board pack and the workbook
    both ask for `current_only` (a pack of March shows nothing rather than an old figure under March's heading), so
    they never show a measure two ways; a cohort measure shows its latest cohort, labelled with its period.
    """
    month_start = month.replace(day=1)
    month_end = month_start.replace(day=calendar.monthrange(month.year, month.month)[1])
    params = {
        "scorecard_id": scorecard_id,
        "area_code": area_code,
        "month_start": month_start,
        "month_end": month_end,
        "current_only": current_only,
    }
    # A cursor of its own: the caller's connection may hold a result it has not fetched to the end, which DuckDB's
    # relational API (`.sql(...).pl()`) refuses to run beside.
    with connection.cursor() as cursor:
        present = {
            r[0]
            for r in cursor.execute(
                "select column_name from duckdb_columns() where database_name = current_database() "
                "and schema_name = 'scorecard' and table_name = 'measure_values'"
            ).fetchall()
        }
        added = "".join(
            f"cast(null as {kind}) as {name}, " for name, kind in ADDED_FIGURE_COLUMNS.items() if name not in present
        )
        return cursor.sql(HEADLINE_FIGURES_SQL.replace("{added_columns}", added), params=params).pl()


def board_areas(connection: duckdb.DuckDBPyConnection, scorecard_id: str) -> list[str]:
    """The areas a scorecard has figures for: the board as a whole first (when it spans several), then its areas."""
    rows = connection.execute(
        """
        select distinct area_code, area_type from scorecard.measure_values where scorecard_id = $scorecard_id
        order by area_type = 'board' desc, area_code
        """,
        {"scorecard_id": scorecard_id},
    ).fetchall()
    if not rows:
        known = [
            r[0]
            for r in connection.execute("select distinct scorecard_id from scorecard.measures order by 1").fetchall()
        ]
        raise ConfigurationError(f"unknown scorecard {scorecard_id!r}; the published file holds: {', '.join(known)}")
    return [code for code, _ in rows]


def board_area(connection: duckdb.DuckDBPyConnection, scorecard_id: str) -> str:
    """The board's own area: the board row of a board over several areas, else its one area."""
    return board_areas(connection, scorecard_id)[0]


def latest_month(connection: duckdb.DuckDBPyConnection, scorecard_id: str, area_code: str) -> str:
    """The month (YYYY-MM) a pack or workbook reports by default: the latest with a monthly figure for the area; the
    latest month published when none has one (a quarter ends in a month the data may not reach yet)."""
    row = connection.execute(
        """
        select coalesce(max(period_end) filter (where value is not null), max(period_end))
        from scorecard.measure_values
        where scorecard_id = $scorecard_id and area_code = $area_code and period_type = 'month'
        """,
        {"scorecard_id": scorecard_id, "area_code": area_code},
    ).fetchall()[0]
    if row[0] is None:
        areas = board_areas(connection, scorecard_id)
        raise ConfigurationError(
            f"no figures for area {area_code!r} in scorecard {scorecard_id!r}; its areas: {', '.join(areas)}"
        )
    return f"{row[0]:%Y-%m}"
