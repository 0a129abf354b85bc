"""An Excel workbook per scorecard (warehouse/excel/<scorecard_id>.xlsx), made from the published DuckDB file only.

Many board members and analysts live in Excel. The workbook is the published scorecard laid out the way a board
paper is: a contents sheet (what the colours and markers mean), one sheet per section with the latest figures, their
comparisons, RAG colour and a 24-month trend block to chart from, a notes sheet and the measure definitions. It is
read from the published file (never the build database), so a withheld small number is withheld here too. Each
workbook is written beside its final name and renamed in with the publication, so a reader never opens half a file
or a workbook of another publication than the file beside it.

Markers follow the Government Statistical Service's spreadsheet conventions: [c] withheld to protect confidentiality,
[x] not available, [e] estimate, [p] provisional, [note N] the numbered note on the Notes sheet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from pipelines.lib.figure_presentation import (
    NO_TARGET,
    RAG,
    STATUS_MARKERS,
    TREND_MONTHS,
    UNITS,
    direction_arrow,
    figure_marker,
    headline_figures,
    shown_status,
    unit_format,
)

EXCEL_FOLDER = "excel"
SHEET_NAME_LIMIT = 31  # Excel's limit

MARKER_LEGEND = [
    *((marker.symbol, marker.explanation) for marker in STATUS_MARKERS.values()),
    ("[note N]", "See note N on the Notes sheet."),
]

SECTION_COLUMNS = [
    ("Measure", 48),
    ("Area", 22),
    ("Period", 22),
    ("Value", 11),
    ("Unit", 9),
    ("Status", 16),
    ("Previous period", 11),
    ("Change", 10),
    ("Same period last year", 12),
    ("Direction of travel", 16),
    ("England and Wales", 12),
    ("RAG", 11),
    ("Target", 9),
    ("Notes", 10),
    ("Measure id", 30),
]
TREND_WIDTH = 9
HEADER_ROW = 3  # title, subtitle, trend caption above the column headers

DEFINITION_COLUMNS = [
    ("section_title", "Section", 30),
    ("measure_id", "Measure id", 30),
    ("title", "Title", 40),
    ("description", "Description", 70),
    ("counting_basis", "Counting basis", 16),
    ("unit", "Unit", 11),
    ("period_types", "Period types", 16),
    ("source_agencies", "Source agencies", 16),
    ("source_extracts", "Source extracts", 30),
    ("owner_agency", "Owner", 12),
    ("computation", "Computation", 70),
    ("polarity", "Polarity", 16),
    ("target", "Target", 9),
    ("availability", "Availability", 14),
    ("availability_reason", "Availability reason", 50),
    ("estimate_reason", "Estimate reason", 50),
    ("disclosure", "Disclosure", 12),
    ("definition_file", "Definition file", 36),
]


@dataclass(frozen=True)
class Figure:
    """One published figure as the section sheet shows it."""

    value: float | None
    status: str
    status_reason: str | None


@dataclass(frozen=True)
class SectionRow:
    """One row of a section sheet: a measure (and area) at its latest period ending in the reporting month."""

    measure_id: str
    title: str
    unit: str
    area_name: str | None
    period_type: str | None
    period_start: date | None
    figure: Figure
    previous_value: float | None
    change: float | None
    same_period_last_year: float | None
    direction_of_travel: str | None
    national_value: float | None
    rag: str | None
    target: Any
    trend: dict[date, Figure]  # month (first day) in which the period ends -> figure


@dataclass(frozen=True)
class Section:
    section_id: str
    title: str
    rows: list[SectionRow]


def workbooks_dir(published_db: Path) -> Path:
    return published_db.parent / EXCEL_FOLDER


def write_workbooks(source_db: Path, folder: Path, suffix: str) -> list[tuple[Path, Path]]:
    """One workbook per scorecard of `source_db`, each written to a temporary name in `folder`
    (`.<scorecard>.xlsx.<suffix>.tmp`): (temporary, final) pairs, renamed in with the publication's other files
    (pipelines/lib/publication_files.py), so a workbook is never of another publication than the file beside it."""
    written = []
    with duckdb.connect(str(source_db), read_only=True) as connection:
        publication = connection.execute("select publication_id, published_at from scorecard.publication").fetchone()
        if publication is None:
            raise ValueError(f"{source_db} has no publication record (scorecard.publication is empty)")
        publication_id, published_at = publication
        scorecards = connection.execute(
            "select distinct scorecard_id, scorecard_title from scorecard.measures order by scorecard_id"
        ).fetchall()
        for scorecard_id, scorecard_title in scorecards:
            partial = folder / f".{scorecard_id}.xlsx.{suffix}.tmp"
            written.append((partial, folder / f"{scorecard_id}.xlsx"))
            _write_workbook(connection, partial, scorecard_id, scorecard_title, publication_id, published_at)
    return written


def _write_workbook(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    scorecard_id: str,
    scorecard_title: str,
    publication_id: str,
    published_at: datetime,
) -> None:
    reporting_month, as_at = _reporting_month(connection, scorecard_id)
    sections = _sections(connection, scorecard_id, reporting_month)
    notes = _numbered_notes(sections)
    workbook = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    try:
        workbook.set_properties({"title": scorecard_title, "comments": f"publication {publication_id}"})
        formats = _Formats(workbook)
        contents = workbook.add_worksheet("Contents")
        sheet_names = _sheet_names([s.title for s in sections])
        for section, name in zip(sections, sheet_names, strict=True):
            _write_section(workbook.add_worksheet(name), formats, section, reporting_month, notes)
        _write_notes(workbook.add_worksheet("Notes"), formats, notes)
        _write_definitions(workbook.add_worksheet("Definitions"), formats, connection, scorecard_id)
        _write_contents(
            contents,
            formats,
            scorecard_title,
            publication_id,
            published_at,
            reporting_month,
            as_at,
            list(zip(sheet_names, sections, strict=True)),
        )
    finally:
        workbook.close()


def _reporting_month(connection: duckdb.DuckDBPyConnection, scorecard_id: str) -> tuple[date, date | None]:
    """The month the sheets report: the latest in which any of the scorecard's periods ends with a figure (when none
    has one yet, the latest month), and the data's cut-off (as-at) of those figures."""
    month, as_at = connection.execute(
        """with scorecard_figures as (
               select period_type, period_end, value, as_at from scorecard.measure_values where scorecard_id = ?
           ),
           latest_end as (
               select coalesce(max(period_end) filter (where value is not null),
                               max(period_end) filter (where period_type = 'month'), max(period_end)) as period_end
               from scorecard_figures
           )
           select cast(date_trunc('month', latest_end.period_end) as date),
                  max(scorecard_figures.as_at) filter (where scorecard_figures.value is not null)
           from latest_end, scorecard_figures
           group by latest_end.period_end""",
        [scorecard_id],
    ).fetchone() or (None, None)
    if month is None:  # a scorecard with no figure rows at all: report the month of publication
        month = date.today().replace(day=1)
    return month, as_at


def _sections(connection: duckdb.DuckDBPyConnection, scorecard_id: str, reporting_month: date) -> list[Section]:
    """Every measure of every section (from the catalogue, so a measure without figures still shows), one row per
    area (the board first) at its headline period, with its trend (`figure_presentation.headline_figures`)."""
    sections: dict[str, Section] = {}
    for row in headline_figures(connection, scorecard_id, reporting_month).iter_rows(named=True):
        section = sections.setdefault(row["section_id"], Section(row["section_id"], row["section_title"], []))
        section.rows.append(_section_row(row))
    return list(sections.values())


def _section_row(row: dict[str, Any]) -> SectionRow:
    """An area's latest figure is the headline (however old); those ending in the trend window are its trend."""
    if row["area_code"] is None:
        return SectionRow(
            row["measure_id"],
            row["title"],
            row["unit"],
            None,
            None,
            None,
            Figure(None, "not_available", "no published figure for this measure"),
            None,
            None,
            None,
            None,
            None,
            None,
            row["target"],
            {},
        )
    return SectionRow(
        row["measure_id"],
        row["title"],
        row["unit"],
        row["area_name"],
        row["period_type"],
        row["period_start"],
        _figure(row),
        row["previous_value"],
        row["change"],
        row["same_period_last_year"],
        row["direction_of_travel"],
        row["national_value"],
        row["rag"],
        row["target"],
        {point["end_month"]: _figure(point) for point in row["trend"] or []},
    )


def _figure(row: dict[str, Any]) -> Figure:
    return Figure(row["value"], shown_status(row["status"], row["status_reason"]), row["status_reason"])


def _numbered_notes(sections: list[Section]) -> dict[str, int]:
    """Every distinct reason a headline figure is not plain (withheld, not available, estimate), numbered in order."""
    notes: dict[str, int] = {}
    for section in sections:
        for row in section.rows:
            reason = (row.figure.status_reason or "").strip()
            if reason and row.figure.status != "ok" and reason not in notes:
                notes[reason] = len(notes) + 1
    return notes


def _sheet_names(titles: list[str]) -> list[str]:
    """Excel sheet names: at most 31 characters, none of []:*?/\\'. The section's number (which keeps them unique,
    and apart from Contents, Notes and Definitions) and its title, cut at a word."""
    names = []
    for number, title in enumerate(titles, start=1):
        cleaned = re.sub(r"[\[\]:*?/\\']", " ", title)
        names.append(_cut_at_word(f"{number}. {cleaned}", SHEET_NAME_LIMIT))
    return names


def _cut_at_word(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return (cut if len(cut) > limit // 2 else text[:limit]).rstrip(" ,-")


def _add_months(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _period_label(period_type: str | None, period_start: date | None) -> str:
    if period_type is None or period_start is None:
        return ""
    if period_type == "month":
        return f"{period_start:%b %Y}"
    if period_type == "quarter":
        return f"{period_start:%b}-{_add_months(period_start, 2):%b %Y}"
    return f"12 months to {_add_months(period_start, 11):%b %Y}"


class _Formats:
    """The workbook's cell formats, made once (xlsxwriter keeps one record per distinct format)."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.bold = workbook.add_format({"bold": True})
        self.header = workbook.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bottom": 1, "bg_color": "#F3F2F1"}
        )
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.marker = workbook.add_format({"align": "right"})
        self.link = workbook.add_format({"font_color": "#1D70B8", "underline": 1})
        self.timestamp = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm", "align": "left"})
        self.day = workbook.add_format({"num_format": "d mmmm yyyy", "align": "left"})
        self.numbers = {unit: workbook.add_format({"num_format": f.excel}) for unit, f in UNITS.items()}
        # estimates and provisional figures in italics: still numbers (they can be charted), visibly different
        self.estimates = {
            unit: workbook.add_format({"num_format": f.excel, "italic": True}) for unit, f in UNITS.items()
        }
        self.rag = {
            colour: workbook.add_format({"bg_color": style.fill, "font_color": style.text, "bold": True})
            for colour, style in RAG.items()
        }

    def number(self, unit: str, status: str = "ok") -> Any:
        chosen = self.estimates if status in ("estimate", "provisional") else self.numbers
        return chosen[unit]


def _write_figure(sheet: Worksheet, row: int, column: int, figure: Figure, unit: str, formats: _Formats) -> None:
    """A number where there is one; the marker (never 0, never an empty cell) where it is withheld or not available."""
    if marker := figure_marker(figure.value, figure.status):
        sheet.write_string(row, column, marker.symbol, formats.marker)
    else:
        sheet.write_number(row, column, figure.value, formats.number(unit, figure.status))


def _write_optional_number(
    sheet: Worksheet, row: int, column: int, value: float | None, unit: str, formats: _Formats
) -> None:
    if value is not None:
        sheet.write_number(row, column, value, formats.number(unit))


def _direction(change: float | None, direction: str | None) -> str:
    """An arrow for which way the figure moved, and whether that is better or worse (from the measure's polarity)."""
    return f"{direction_arrow(change, direction)} {direction or ''}".strip()


def _write_section(
    sheet: Worksheet, formats: _Formats, section: Section, reporting_month: date, notes: dict[str, int]
) -> None:
    trend_months = [_add_months(reporting_month, offset) for offset in range(1 - TREND_MONTHS, 1)]
    first_trend_column = len(SECTION_COLUMNS)
    sheet.write_string(0, 0, section.title, formats.title)
    sheet.write_string(
        1,
        0,
        f"Latest period ending in or before {reporting_month:%B %Y}. Markers, colours and "
        "arrows are explained on the Contents sheet.",
    )
    sheet.write_string(2, first_trend_column, "Trend: the figure for the period ending in each month", formats.bold)
    for column, (heading, width) in enumerate(SECTION_COLUMNS):
        sheet.write_string(HEADER_ROW, column, heading, formats.header)
        sheet.set_column(column, column, width)
    for offset, month in enumerate(trend_months):
        sheet.write_string(HEADER_ROW, first_trend_column + offset, f"{month:%b %Y}", formats.header)
    sheet.set_column(first_trend_column, first_trend_column + TREND_MONTHS - 1, TREND_WIDTH)
    for index, item in enumerate(section.rows):
        row = HEADER_ROW + 1 + index
        status = item.figure.status
        reason = (item.figure.status_reason or "").strip()
        unit_label = unit_format(item.unit).label  # first: an unknown unit is a clear error, not a missing format
        sheet.write_string(row, 0, item.title, formats.wrap)
        sheet.write_string(row, 1, item.area_name or "")
        sheet.write_string(row, 2, _period_label(item.period_type, item.period_start))
        _write_figure(sheet, row, 3, item.figure, item.unit, formats)
        sheet.write_string(row, 4, unit_label)
        marker = STATUS_MARKERS.get(status)
        sheet.write_string(row, 5, f"{marker.symbol} {marker.label}" if marker else "")
        _write_optional_number(sheet, row, 6, item.previous_value, item.unit, formats)
        _write_optional_number(sheet, row, 7, item.change, item.unit, formats)
        _write_optional_number(sheet, row, 8, item.same_period_last_year, item.unit, formats)
        sheet.write_string(row, 9, _direction(item.change, item.direction_of_travel))
        _write_optional_number(sheet, row, 10, item.national_value, item.unit, formats)
        if item.rag in RAG:
            sheet.write_string(row, 11, RAG[item.rag].label, formats.rag[item.rag])
        else:
            sheet.write_string(row, 11, NO_TARGET)
        if isinstance(item.target, (int, float)):
            sheet.write_number(row, 12, item.target, formats.number(item.unit))
        if status != "ok" and reason in notes:
            sheet.write_string(row, 13, f"[note {notes[reason]}]")
        sheet.write_string(row, 14, item.measure_id)
        for offset, month in enumerate(trend_months):
            figure = item.trend.get(month)
            if figure is not None:
                _write_figure(sheet, row, first_trend_column + offset, figure, item.unit, formats)
    last_row = HEADER_ROW + max(len(section.rows), 1)
    sheet.freeze_panes(HEADER_ROW + 1, 2)
    sheet.autofilter(HEADER_ROW, 0, last_row, first_trend_column + TREND_MONTHS - 1)


def _write_notes(sheet: Worksheet, formats: _Formats, notes: dict[str, int]) -> None:
    sheet.write_string(0, 0, "Notes", formats.title)
    sheet.write_string(1, 0, "Why a figure is withheld, not available, an estimate or provisional.")
    sheet.write_string(3, 0, "Note", formats.header)
    sheet.write_string(3, 1, "Text", formats.header)
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 120, formats.wrap)
    for index, (reason, number) in enumerate(sorted(notes.items(), key=lambda item: item[1])):
        sheet.write_string(4 + index, 0, f"[note {number}]")
        sheet.write_string(4 + index, 1, reason, formats.wrap)
    sheet.freeze_panes(4, 0)


def _write_definitions(
    sheet: Worksheet, formats: _Formats, connection: duckdb.DuckDBPyConnection, scorecard_id: str
) -> None:
    """Every measure of the scorecard with its definition, from scorecard.measures (the published catalogue)."""
    columns = ", ".join(name for name, _, _ in DEFINITION_COLUMNS)
    rows = connection.execute(
        f"select {columns} from scorecard.measures where scorecard_id = ? order by section_order, measure_order",
        [scorecard_id],
    ).fetchall()
    sheet.write_string(0, 0, "Definitions", formats.title)
    sheet.write_string(1, 0, "How each measure is defined and computed, and where its data comes from.")
    for column, (_, heading, width) in enumerate(DEFINITION_COLUMNS):
        sheet.write_string(3, column, heading, formats.header)
        sheet.set_column(column, column, width, formats.wrap)
    for index, values in enumerate(rows):
        for column, value in enumerate(values):
            if isinstance(value, (int, float)):
                sheet.write_number(4 + index, column, value)
            elif value is not None:
                sheet.write_string(4 + index, column, str(value).strip(), formats.wrap)
    sheet.freeze_panes(4, 3)
    sheet.autofilter(3, 0, 3 + max(len(rows), 1), len(DEFINITION_COLUMNS) - 1)


def _write_contents(
    sheet: Worksheet,
    formats: _Formats,
    scorecard_title: str,
    publication_id: str,
    published_at: datetime,
    reporting_month: date,
    as_at: date | None,
    sections: list[tuple[str, Section]],
) -> None:
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 100)
    sheet.write_string(0, 0, scorecard_title, formats.title)
    facts = [
        ("Publication", publication_id),
        ("Published at (UTC)", published_at),
        ("Reporting month", reporting_month),
        ("Data as at", as_at),
    ]
    for row, (label, value) in enumerate(facts, start=2):
        sheet.write_string(row, 0, label, formats.bold)
        if isinstance(value, datetime):
            sheet.write_datetime(row, 1, value, formats.timestamp)
        elif isinstance(value, date):
            sheet.write_datetime(row, 1, datetime.combine(value, datetime.min.time()), formats.day)
        else:
            sheet.write_string(row, 1, value or "")
    row = len(facts) + 3
    sheet.write_string(row, 0, "Contents", formats.bold)
    for name, section in sections:
        row += 1
        sheet.write_url(row, 0, f"internal:'{name}'!A1", formats.link, string=name)
        sheet.write_string(row, 1, f"{section.title} ({len({r.measure_id for r in section.rows})} measures)")
    for name, text in [
        ("Notes", "why figures are withheld, not available or estimates"),
        ("Definitions", "every measure's definition, computation and sources"),
    ]:
        row += 1
        sheet.write_url(row, 0, f"internal:'{name}'!A1", formats.link, string=name)
        sheet.write_string(row, 1, text)
    row += 2
    sheet.write_string(row, 0, "How to read it", formats.bold)
    guide: list[tuple[str, str, Any]] = [
        (
            "Rows",
            "One per measure (and per area where the board covers several, the board first), at its latest "
            "period: the month, else the quarter or rolling 12 months ending in the reporting month.",
            None,
        ),
        (
            "Trend columns",
            f"The last {TREND_MONTHS} months: the figure for the period ending in each month, to chart "
            "from. Marked cells hold text, not numbers; italics are estimates or provisional.",
            None,
        ),
        *[
            (style.label, f"{style.label} against the board's target thresholds.", formats.rag[colour])
            for colour, style in RAG.items()
        ],
        (NO_TARGET, "The board has set no target for the measure: no colour.", None),
        (
            "↑ ↓ →",
            "The figure rose, fell or stayed within 1% of the previous period; the word says whether that is "
            "an improvement or a worsening for the measure.",
            None,
        ),
        *[(marker, text, None) for marker, text in MARKER_LEGEND],
    ]
    for label, text, label_format in guide:
        row += 1
        sheet.write_string(row, 0, label, label_format)
        sheet.write_string(row, 1, text, formats.wrap)
    sheet.activate()
