"""The board pack's panel "Data behind these figures": for the pack's month, which agency's files arrived on time,
late or not at all, and how many of their rows were refused.

A board member reads the figures on the first page; this panel, beside them, tells them when a figure rests on a
late or partial delivery, or waits for one that never came. It shows the data section's own measures (by agency, from
`scorecard.measure_breakdowns`), so it says what the section's table and the workbook's sheet say, and nothing the
published file does not hold.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

import duckdb

from pipelines.lib.figure_presentation import format_figure
from pipelines.lib.plain_english import AGENCY_NAMES

# the data section's measures the panel reads, each by the column it fills
PANEL_MEASURES = {
    "deliveries_on_time_pct": "on_time",
    "deliveries_late": "late",
    "deliveries_missing": "missing",
    "files_refused": "files_refused",
    "rows_refused_pct": "rows_refused_pct",
}


@dataclass(frozen=True)
class AgencyDeliveries:
    """One agency's month: the files the board waited for and what became of them. None where the figure is not
    available (a month not yet complete)."""

    agency: str
    due: int | None
    on_time: int | None
    late: int | None
    missing: int | None
    files_refused: int | None
    rows_refused_pct: float | None

    @property
    def label(self) -> str:
        name = AGENCY_NAMES.get(self.agency, self.agency).removeprefix("the ")
        return name[:1].upper() + name[1:]


def agency_deliveries(
    connection: duckdb.DuckDBPyConnection, scorecard_id: str, area_code: str, month_start: date
) -> list[AgencyDeliveries]:
    """The panel's rows for a scorecard, area and month, in the order of AGENCY_NAMES (none when the scorecard has
    no data section)."""
    with connection.cursor() as cursor:
        rows = cursor.execute(
            """
            select
                category as agency,
                max(denominator) filter (where measure_id = 'deliveries_on_time_pct') as due,
                max(numerator) filter (where measure_id = 'deliveries_on_time_pct') as on_time,
                max(value) filter (where measure_id = 'deliveries_late') as late,
                max(value) filter (where measure_id = 'deliveries_missing') as missing,
                max(value) filter (where measure_id = 'files_refused') as files_refused,
                max(value) filter (where measure_id = 'rows_refused_pct') as rows_refused_pct
            from scorecard.measure_breakdowns
            where scorecard_id = $scorecard_id and area_code = $area_code and period_type = 'month'
                and period_start = $month_start and breakdown = 'agency' and list_contains($measures, measure_id)
            group by category
            """,
            {
                "scorecard_id": scorecard_id,
                "area_code": area_code,
                "month_start": month_start,
                "measures": list(PANEL_MEASURES),
            },
        ).fetchall()
    order = list(AGENCY_NAMES)
    panel = [_agency_row(agency, counts, refused_pct) for agency, *counts, refused_pct in rows]
    return sorted(panel, key=lambda row: order.index(row.agency) if row.agency in order else len(order))


def _agency_row(agency: str, counts: list[float | None], refused_pct: float | None) -> AgencyDeliveries:
    """Files due, on time, late, missing and refused: a breakdown has no row for a category it counts none of, so
    once the files due are known (the month is complete) a count without a row is 0; before that, all unknown."""
    due, on_time, late, missing, refused = (None if counts[0] is None else round(count or 0) for count in counts)
    return AgencyDeliveries(
        agency, due, on_time, late, missing, refused, None if refused_pct is None else float(refused_pct)
    )


def delivery_panel_html(deliveries: list[AgencyDeliveries], month: str) -> str:
    """The panel: a sentence on the month's files, then a row per agency. Empty when there is nothing to show."""
    if not deliveries:
        return ""
    known = [row for row in deliveries if row.due is not None]
    due = sum(row.due or 0 for row in known)
    late = sum(row.late or 0 for row in known)
    missing = sum(row.missing or 0 for row in known)
    if not known:
        sentence = f"Not yet known for {month}: the month's files are not all due yet."
    elif late or missing:
        what = [f"{late} arrived late" if late else "", f"{missing} never arrived" if missing else ""]
        why = [
            "a figure resting on a late file was published later than the board asks" if late else "",
            "a figure waiting for a missing file is not available" if missing else "",
        ]
        sentence = (
            f"Of {due} files due for {month}, {' and '.join(filter(None, what))}: {'; '.join(filter(None, why))}."
        )
    else:
        sentence = f"All {due} files due for {month} arrived on time."
    lines = "".join(
        f'<tr data-agency="{html.escape(row.agency)}"><td>{html.escape(row.label)}</td>'
        + "".join(
            f"<td>{_count(value)}</td>" for value in (row.due, row.on_time, row.late, row.missing, row.files_refused)
        )
        + f"<td>{'–' if row.rows_refused_pct is None else format_figure(row.rows_refused_pct, 'percentage')}</td></tr>"
        for row in deliveries
    )
    return (
        f'<p data-summary="deliveries">{html.escape(sentence)}</p>'
        '<table class="deliveries"><thead><tr><th>Agency</th><th>Files due</th><th>On time</th><th>Late</th>'
        f"<th>Missing</th><th>Files refused</th><th>Rows refused</th></tr></thead><tbody>{lines}</tbody></table>"
    )


def _count(value: int | None) -> str:
    return "–" if value is None else str(value)
