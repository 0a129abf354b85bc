"""How a published figure is shown to people: one vocabulary for the board pack, the Excel workbook and the CLI.

A board member may read the same figure in the HTML pack and in the workbook, so both must say it the same way: the
same marker for a withheld or missing figure (the Government Statistical Service's symbols, the same table
`pipelines/lib/markers.py` reads publishers' files with), the same RAG colours (GOV.UK's palette, with the colour also
in words for readers who cannot tell the colours apart), the same rounding per unit (Excel's number format and the
text form are made from one rule, so they cannot drift apart), the same direction arrows, and the same choice of which
period heads each measure and which figures make its trend.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from pipelines.lib.errors import ConfigurationError
from pipelines.lib.markers import GSS_SYMBOLS

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


def direction_arrow(change: float | None, direction_of_travel: str | None) -> str:
    """Which way the figure moved since the previous period ("" when unknown): flat when it did not change or stayed
    within the measure's stable band; whether that is better or worse is the direction of travel's word or colour."""
    if change is None:
        return ""
    if direction_of_travel == "stable" or change == 0:
        return ARROWS["flat"]
    return ARROWS["up"] if change > 0 else ARROWS["down"]


# One row per catalogue measure and area with figures (the board first, then its areas; one row with no area when a
# measure has no figure yet): the headline figure of the measure's finest period type (month, else quarter, else
# rolling 12 months) ending in or before the month, and its trend: the figures of that period type ending in each of
# the TREND_MONTHS months to it, withheld ones kept (value null) so a gap is never a zero. With $current_only the
# headline must cover the month (a quarter ending in the three months to it), else it is the latest however old.
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
    select v.*, cast(date_trunc('month', v.period_end) as date) as end_month
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
        or end_month > $month_start - to_months(case when period_type = 'quarter' then 3 else 1 end)
    qualify row_number() over (partition by measure_id, area_code order by period_end desc) = 1
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
    c.counting_basis, c.source_agencies, c.source_extracts, c.unit, c.polarity, c.availability_reason,
    a.area_code, a.area_name, a.area_type, c.shown_period_type as period_type,
    h.period_start, h.period_end, h.value, h.status, h.status_reason, h.as_at, h.previous_value, h.change,
    h.same_period_last_year, h.direction_of_travel,
    -- England and Wales from our own figures where the data covers every area, else as the agency published it
    coalesce(h.national_value, h.published_national_value) as national_value, h.peer_group, h.peer_value,
    h.rag, coalesce(h.target, c.target) as target,
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
    current_only: bool = False,
) -> pl.DataFrame:
    """Each measure's headline figure and trend for the month (`HEADLINE_FIGURES_SQL`), for one area or every area.

    `trend` is a list of {end_month, value, status, status_reason} in month order. The board pack asks for
    `current_only` (a pack of March shows nothing rather than an old figure under March's heading); the workbook,
    which labels each row's period, shows the latest figure however old.
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
        return cursor.sql(HEADLINE_FIGURES_SQL, params=params).pl()
