"""An Excel workbook per scorecard (warehouse/excel/<scorecard_id>.xlsx), made from the published DuckDB file only.

Many board members and analysts live in Excel. The workbook is the published scorecard released the way the
Government Statistical Service asks statistics to be released in spreadsheets (`pipelines/lib/excel_layout.py`): a
cover sheet (what it is, when it was published and will be next, who to contact, what the markers and words mean),
a contents sheet, one sheet per section with a table of the latest figures (value, status, 95% interval and base,
each comparison and its judgement in a word, RAG in words, the note), a trends sheet (the last 24 months to chart
from), the notes and the measure definitions. Each data range is an Excel Table; markers are text in their own cells.
It reads the same headline figures as the board pack (`figure_presentation.headline_figures`, same reporting month,
same rule), so a figure never reads one way in the pack and another in the workbook. It is read from the published
file (never the build database), so a withheld small number is withheld here too, and no interval is given around
it. Each workbook is written beside its final name and renamed in with the publication, so a reader never opens half
a file or a workbook of another publication than the file beside it.

Markers: [c] withheld to protect confidentiality, [x] not available, [z] not applicable, [e] estimate,
[p] provisional, [note N] the numbered note on the Notes sheet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from pipelines.lib.excel_layout import Column, Formats, add_table, fit_row, print_setup, write_cell, write_title
from pipelines.lib.figure_presentation import (
    CONFIDENCE,
    INTERVAL_METHODS,
    NO_TARGET,
    RAG,
    STATUS_MARKERS,
    TREND_MONTHS,
    board_area,
    figure_marker,
    headline_figures,
    judgement_word,
    latest_month,
    long_date,
    period_label,
    shown_status,
    unit_format,
)
from pipelines.lib.markers import GSS_SYMBOLS
from pipelines.lib.months import add_months, month_end
from pipelines.lib.plain_english import AGENCY_NAMES, Vocabulary, catalogue_words, month_ranges, vocabulary

EXCEL_FOLDER = "excel"
SHEET_NAME_LIMIT = 31  # Excel's limit
NOT_AVAILABLE, NOT_APPLICABLE = GSS_SYMBOLS["not_available"], GSS_SYMBOLS["not_applicable"]
TEXT_WIDTH = 110  # the cover's and descriptions' text column

# Widths in characters: a judgement column fits its longest word ("no real change") after the text indent.
SECTION_COLUMNS = [
    Column("Measure", 32),
    Column("Area", 16),
    Column("Period", 13),
    Column("Value", 9),
    Column("Status", 18),
    Column("Unit", 9),
    Column(f"{CONFIDENCE} CI lower", 9),
    Column(f"{CONFIDENCE} CI upper", 9),
    Column("Base (n)", 9),
    Column("Previous period", 9),
    Column("Change", 9),
    Column("Since last period", 16),
    Column("Same period last year", 10),
    Column("Since a year before", 16),
    Column("England and Wales", 10),
    Column("Against England and Wales", 12),
    Column("Peer forces", 9),
    Column("Against peer forces", 12),
    Column("RAG", 10),
    Column("Target", 8),
    Column("Note", 10),
    Column("Measure id", 30),
]
PRINTED_SECTION_COLUMNS = len(SECTION_COLUMNS) - 1  # the measure id is for machines: not printed
WRAPPED_SECTION_COLUMNS = (0, 1, 2)  # measure, area and period: text that may not fit one line
# Columns of numbers: a marker there is right-aligned with the numbers it stands for. In a column of words it is
# left-aligned like them, so that "[x]" right-aligned in one cell never reads as one phrase with the next cell's word
# (seen in the LibreOffice render: "[x] no target" across the peer judgement and RAG columns).
NUMBER_SECTION_COLUMNS = frozenset(
    index
    for index, column in enumerate(SECTION_COLUMNS)
    if column.header
    in {
        "Value",
        f"{CONFIDENCE} CI lower",
        f"{CONFIDENCE} CI upper",
        "Base (n)",
        "Previous period",
        "Change",
        "Same period last year",
        "England and Wales",
        "Peer forces",
        "Target",
    }
)

# (catalogue column, header, width): the printed definition first, the machine-readable detail after it.
DEFINITION_COLUMNS = [
    ("section_title", "Section", 26),
    ("title", "Title", 30),
    ("description", "Description", 60),
    ("counting_basis", "Counting basis", 14),
    ("unit", "Unit", 10),
    ("period_types", "Period types", 14),
    ("source_agencies", "Source agencies", 14),
    ("owner_agency", "Owner", 10),
    ("polarity", "Polarity", 14),
    ("availability", "Availability", 12),
    ("availability_reason", "Availability reason", 50),
    ("measure_id", "Measure id", 30),
    ("source_extracts", "Source extracts", 28),
    ("computation", "Computation", 60),
    ("target", "Target", 9),
    ("estimate_reason", "Estimate reason", 40),
    ("disclosure", "Disclosure", 12),
    ("definition_file", "Definition file", 34),
]
PRINTED_DEFINITION_COLUMNS = 11


@dataclass
class Section:
    section_id: str
    title: str
    rows: list[dict[str, Any]] = field(default_factory=list)


def workbooks_dir(published_db: Path) -> Path:
    return published_db.parent / EXCEL_FOLDER


def write_workbooks(source_db: Path, folder: Path, suffix: str) -> list[tuple[Path, Path]]:
    """One workbook per scorecard of `source_db`, each written to a temporary name in `folder`
    (`.<scorecard>.xlsx.<suffix>.tmp`): (temporary, final) pairs, renamed in with the publication's other files
    (pipelines/lib/publication_files.py), so a workbook is never of another publication than the file beside it."""
    written = []
    with duckdb.connect(str(source_db), read_only=True) as connection:
        records = connection.sql("select * from scorecard.publication").pl()
        if records.is_empty():
            raise ValueError(f"{source_db} has no publication record (scorecard.publication is empty)")
        publication = records.row(0, named=True)
        scorecards = connection.execute(
            "select distinct scorecard_id, scorecard_title from scorecard.measures order by scorecard_id"
        ).fetchall()
        names = vocabulary(connection)
        for scorecard_id, scorecard_title in scorecards:
            partial = folder / f".{scorecard_id}.xlsx.{suffix}.tmp"
            written.append((partial, folder / f"{scorecard_id}.xlsx"))
            _write_workbook(connection, partial, scorecard_id, scorecard_title, publication, names)
    return written


def reporting_month(connection: duckdb.DuckDBPyConnection, scorecard_id: str) -> date:
    """The month the workbook reports: the board pack's (the latest month with a monthly figure for the board)."""
    return month_end(latest_month(connection, scorecard_id, board_area(connection, scorecard_id))).replace(day=1)


def _write_workbook(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    scorecard_id: str,
    scorecard_title: str,
    publication: dict[str, Any],
    names: Vocabulary,
) -> None:
    month = reporting_month(connection, scorecard_id)
    sections = _sections(connection, scorecard_id, month)
    notes = _numbered_notes(sections, names)
    workbook = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    try:
        workbook.set_properties(
            {
                "title": scorecard_title,
                "author": "cjs-scorecard",
                "comments": f"publication {publication['publication_id']}",
            }
        )
        formats = Formats(workbook)
        cover, contents = workbook.add_worksheet("Cover"), workbook.add_worksheet("Contents")
        sheet_names = _sheet_names([s.title for s in sections])
        for number, (section, name) in enumerate(zip(sections, sheet_names, strict=True), start=1):
            _write_section(workbook.add_worksheet(name), formats, section, number, notes, names)
        _write_trends(workbook.add_worksheet("Trends"), formats, sections, month)
        _write_notes(workbook.add_worksheet("Notes"), formats, notes)
        _write_definitions(workbook.add_worksheet("Definitions"), formats, connection, scorecard_id)
        as_at = max(
            (row["as_at"] for s in sections for row in s.rows if row["value"] is not None and row["as_at"]),
            default=None,
        )
        _write_cover(cover, formats, scorecard_title, publication, month, as_at, sections)
        _write_contents(contents, formats, list(zip(sheet_names, sections, strict=True)))
        cover.activate()
    finally:
        workbook.close()


def _sections(connection: duckdb.DuckDBPyConnection, scorecard_id: str, month: date) -> list[Section]:
    """Every measure of every section (from the catalogue, so a measure without figures still shows), one row per
    area (the board first) at its headline period, with its trend (`figure_presentation.headline_figures`)."""
    sections: dict[str, Section] = {}
    for row in headline_figures(connection, scorecard_id, month).iter_rows(named=True):
        sections.setdefault(row["section_id"], Section(row["section_id"], row["section_title"])).rows.append(row)
    return list(sections.values())


def note_text(row: dict[str, Any], names: Vocabulary) -> str | None:
    """Why a headline figure is not plain (withheld, not available, an estimate), in plain English; None if it is."""
    if shown_status(row["status"], row["status_reason"]) == "ok":
        return None
    if row["area_code"] is None:
        reason = row["availability_reason"] or "no published figure for this measure"
    else:
        reason = row["status_reason"]
    text = names.reason(reason)
    return text[:1].upper() + text[1:] if text else None


def _numbered_notes(sections: list[Section], names: Vocabulary) -> dict[str, int]:
    """Every distinct reason a headline figure is not plain, numbered in order of appearance."""
    notes: dict[str, int] = {}
    for section in sections:
        for row in section.rows:
            text = note_text(row, names)
            if text and text not in notes:
                notes[text] = len(notes) + 1
    return notes


def _sheet_names(titles: list[str]) -> list[str]:
    """Excel sheet names: at most 31 characters, none of []:*?/\\'. The section's number (which keeps them unique,
    and apart from the other sheets) and its title, cut at a word."""
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


def _figure(row: dict[str, Any]) -> Any:
    """A number where there is one; the marker (never 0, never an empty cell) where it is withheld or not available."""
    marker = figure_marker(row["value"], shown_status(row["status"], row["status_reason"]))
    return marker.symbol if marker else row["value"]


def _or_marker(value: float | None, applies: bool = True) -> Any:
    """A comparison or interval cell: its number, [z] where it does not apply, else [x]."""
    if value is not None:
        return value
    return NOT_AVAILABLE if applies else NOT_APPLICABLE


def _status_text(row: dict[str, Any]) -> str:
    status = shown_status(row["status"], row["status_reason"])
    marker = STATUS_MARKERS.get(status)
    return f"{marker.symbol} {marker.label}" if marker else "ok"


def section_cells(row: dict[str, Any], notes: dict[str, int], names: Vocabulary) -> list[Any]:
    """A section table's row, column for column (SECTION_COLUMNS), as values: numbers stay numbers, markers text."""
    has_value = row["value"] is not None
    interval_applies = not has_value or row["interval_method"] is not None
    return [
        row["title"],
        row["area_name"] or NOT_AVAILABLE,
        period_label(row["period_type"], row["period_start"], row["counting_basis"]) or NOT_AVAILABLE,
        _figure(row),
        _status_text(row),
        unit_format(row["unit"]).label,
        _or_marker(row["ci_lower"], interval_applies),
        _or_marker(row["ci_upper"], interval_applies),
        _or_marker(row["base"], interval_applies or row["aggregate"] in ("mean", "median")),
        _or_marker(row["previous_value"]),
        _or_marker(row["change"]),
        judgement_word(row["change_judgement"]) or NOT_AVAILABLE,
        _or_marker(row["same_period_last_year"]),
        judgement_word(row["last_year_judgement"]) or NOT_AVAILABLE,
        _or_marker(row["national_value"]),
        judgement_word(row["national_judgement"], over_time=False) or NOT_AVAILABLE,
        _or_marker(row["peer_value"]),
        judgement_word(row["peer_judgement"], over_time=False) or NOT_AVAILABLE,
        RAG[row["rag"]].label if row["rag"] in RAG else NO_TARGET,
        row["target"] if isinstance(row["target"], (int, float)) else NOT_APPLICABLE,
        f"[note {notes[text]}]" if (text := note_text(row, names)) else NOT_APPLICABLE,
        row["measure_id"],
    ]


def _write_section(
    sheet: Worksheet, formats: Formats, section: Section, number: int, notes: dict[str, int], names: Vocabulary
) -> None:
    first_row = write_title(
        sheet,
        formats,
        section.title,
        "This worksheet contains one table: each measure at its latest period covering the reporting month (a cohort "
        "measure at its latest cohort), one row per area where the board covers several, the board first. Markers, "
        "words and colours are explained on the Cover sheet; [note N] refers to the Notes sheet.",
        TEXT_WIDTH,
    )
    add_table(
        sheet,
        f"Section_{number}",
        first_row,
        SECTION_COLUMNS,
        len(section.rows),
        formats,
        printed_columns=PRINTED_SECTION_COLUMNS,
    )
    base_column, rag_column = 8, 18
    for index, row in enumerate(section.rows):
        line = first_row + 1 + index
        cells = section_cells(row, notes, names)
        for column, value in enumerate(cells):
            if column == rag_column and row["rag"] in RAG:
                cell_format = formats.rag[row["rag"]]
            elif isinstance(value, (int, float)):
                cell_format = formats.whole if column == base_column else formats.numbers[row["unit"]]
            elif column in NUMBER_SECTION_COLUMNS:
                cell_format = formats.marker
            else:
                cell_format = formats.wrap if column in WRAPPED_SECTION_COLUMNS else formats.text
            write_cell(sheet, line, column, value, cell_format)
        fit_row(sheet, line, [(str(cells[c]), SECTION_COLUMNS[c].width) for c in WRAPPED_SECTION_COLUMNS])


def _write_trends(sheet: Worksheet, formats: Formats, sections: list[Section], month: date) -> None:
    """The last TREND_MONTHS months of every measure and area, a column per month, to chart from: the figure for the
    period ending in the month, [c] or [x] where there is none; estimated or provisional months named in words in
    their own column (never by formatting alone)."""
    months = [add_months(month, offset) for offset in range(1 - TREND_MONTHS, 1)]
    columns = [
        Column("Measure", 34),
        Column("Area", 13),
        Column("Period type", 11),
        *[Column(f"{m:%b %Y}", 9) for m in months],
        Column("Estimate or provisional months", 22),
        Column("Measure id", 30),
    ]
    rows = [row for section in sections for row in section.rows if row["area_code"] is not None]
    first_row = write_title(
        sheet,
        formats,
        "Trends",
        f"This worksheet contains one table: each measure's figures for the {TREND_MONTHS} months to "
        f"{month:%B %Y}, a column per month holding the figure for the period ending in it (the month, the quarter, "
        "the 12 months or the cohort quarter, as the Period type column says). [c] withheld, [x] not available; "
        "estimates and provisional figures are numbers, and their months are listed in the last column but one.",
        TEXT_WIDTH,
    )
    add_table(sheet, "Trends", first_row, columns, len(rows), formats, printed_columns=len(columns) - 1)
    period_types = {"month": "month", "quarter": "quarter", "r12m": "12 months"}
    for index, row in enumerate(rows):
        line = first_row + 1 + index
        trend = {point["end_month"]: point for point in row["trend"] or []}
        marked: dict[str, list[date]] = {}
        write_cell(sheet, line, 0, row["title"], formats.wrap)
        write_cell(sheet, line, 1, row["area_name"], formats.text)
        kind = "cohort quarter" if row["counting_basis"] == "cohort" else period_types[row["period_type"]]
        write_cell(sheet, line, 2, kind, formats.text)
        for offset, trend_month in enumerate(months):
            point = trend.get(trend_month)
            if point is None:
                write_cell(sheet, line, 3 + offset, NOT_AVAILABLE, formats.marker)
                continue
            value = _figure(
                {"value": point["value"], "status": point["status"], "status_reason": point["status_reason"]}
            )
            status = shown_status(point["status"], point["status_reason"])
            if status in ("estimate", "provisional") and point["value"] is not None:
                marked.setdefault(STATUS_MARKERS[status].symbol, []).append(trend_month)
            write_cell(
                sheet,
                line,
                3 + offset,
                value,
                formats.numbers[row["unit"]] if isinstance(value, (int, float)) else formats.marker,
            )
        listed = "; ".join(f"{symbol} {month_ranges(marked_months)}" for symbol, marked_months in marked.items())
        write_cell(sheet, line, 3 + len(months), listed or NOT_APPLICABLE, formats.wrap)
        write_cell(sheet, line, 4 + len(months), row["measure_id"], formats.text)
        fit_row(sheet, line, [(row["title"], 34), (listed, 22)])


def _write_notes(sheet: Worksheet, formats: Formats, notes: dict[str, int]) -> None:
    first_row = write_title(
        sheet,
        formats,
        "Notes",
        "This worksheet contains one table: why a figure is withheld, not available, an estimate or provisional. "
        "Each is referred to as [note N] in the section sheets' Note column.",
        TEXT_WIDTH,
    )
    columns = [Column("Note number", 12), Column("Note text", 110)]
    add_table(sheet, "Notes", first_row, columns, len(notes), formats)
    for index, (text, number) in enumerate(sorted(notes.items(), key=lambda item: item[1])):
        write_cell(sheet, first_row + 1 + index, 0, f"[note {number}]", formats.text)
        write_cell(sheet, first_row + 1 + index, 1, text, formats.wrap)
        fit_row(sheet, first_row + 1 + index, [(text, columns[1].width)])


def _write_definitions(
    sheet: Worksheet, formats: Formats, connection: duckdb.DuckDBPyConnection, scorecard_id: str
) -> None:
    """Every measure of the scorecard with its definition, from scorecard.measures (the published catalogue)."""
    names = ", ".join(name for name, _, _ in DEFINITION_COLUMNS)
    rows = connection.execute(
        f"select {names} from scorecard.measures where scorecard_id = ? order by section_order, measure_order",
        [scorecard_id],
    ).fetchall()
    first_row = write_title(
        sheet,
        formats,
        "Definitions",
        "This worksheet contains one table: how each measure is defined and computed, and where its data comes from. "
        f"The first {PRINTED_DEFINITION_COLUMNS} columns print; the columns after them are for analysts.",
        TEXT_WIDTH,
    )
    columns = [Column(header, width) for _, header, width in DEFINITION_COLUMNS]
    add_table(sheet, "Definitions", first_row, columns, len(rows), formats, printed_columns=PRINTED_DEFINITION_COLUMNS)
    for index, values in enumerate(rows):
        line = first_row + 1 + index
        # the printed columns in words; the analysts' columns after them keep the catalogue's codes
        cells = [
            _definition_cell(catalogue_words(name, value) if position < PRINTED_DEFINITION_COLUMNS else value)
            for position, ((name, _, _), value) in enumerate(zip(DEFINITION_COLUMNS, values, strict=True))
        ]
        for column, value in enumerate(cells):
            write_cell(sheet, line, column, value, formats.wrap)
        fit_row(sheet, line, [(str(value), column.width) for value, column in zip(cells, columns, strict=True)])


def _definition_cell(value: Any) -> Any:
    """A catalogue value for the Definitions table, which may hold no empty cell: None is a field that does not apply
    to the measure ([z]: no target, no estimate reason); an empty list such as the source extracts of a measure no
    extract yet holds is not available ([x])."""
    if isinstance(value, (int, float)):
        return value
    if value is None:
        return NOT_APPLICABLE
    return str(value).strip() or NOT_AVAILABLE


def _write_cover(
    sheet: Worksheet,
    formats: Formats,
    scorecard_title: str,
    publication: dict[str, Any],
    month: date,
    as_at: date | None,
    sections: list[Section],
) -> None:
    """The cover: what the workbook is, when it was published and will be next, who to contact, how to read it."""
    areas = sorted({row["area_name"] for s in sections for row in s.rows if row["area_name"]})
    published: datetime = publication["published_at"]
    next_update = publication.get("next_update")
    agencies = sorted(
        {a.strip() for s in sections for row in s.rows for a in (row["source_agencies"] or "").split(",") if a.strip()}
    )
    facts = [
        (
            "About",
            f"The {scorecard_title} for {', '.join(areas) or 'its areas'}: each measure's latest figure for "
            f"{month:%B %Y}, its comparisons and the {TREND_MONTHS} months before, computed from the criminal "
            "justice agencies' monthly extracts. Small numbers are withheld so that no person can be identified.",
        ),
        ("Reporting month", f"{month:%B %Y}"),
        ("Data to", long_date(as_at) if as_at else NOT_AVAILABLE),
        ("Published", f"{long_date(published)}, {published:%H:%M} UTC"),
        ("Next update", long_date(next_update) if next_update else NOT_AVAILABLE),
        ("Contact", publication.get("contact") or "not set (the publisher sets CJS_CONTACT)"),
        ("Source", "Monthly extracts from " + ", ".join(AGENCY_NAMES.get(a, a) for a in agencies) + "."),
        ("Publication reference", publication["publication_id"]),
        (
            "Judgements",
            f"Each comparison is a word: better or worse only where the difference is statistically "
            f"significant at the 5% level; no real change (against an earlier period) or similar (against "
            f"England and Wales or the peer forces) where it is not; not tested where no test applies. "
            f"{CONFIDENCE} CI: the range the underlying figure lies in 19 times out of 20. "
            + " ".join(text[0].upper() + text[1:] + "." for text in INTERVAL_METHODS.values()),
        ),
        (
            "RAG",
            f"Red, Amber or Green, written in the cell (its colour repeats the word), against the board's target "
            f"thresholds; {NO_TARGET} where the board has set none.",
        ),
        *[(marker.symbol, marker.explanation) for marker in STATUS_MARKERS.values()],
        (
            NOT_APPLICABLE,
            "Not applicable: the quantity does not exist for this figure (e.g. an interval for an "
            "average, whose spread the extracts do not give).",
        ),
        ("[note N]", "See note N on the Notes sheet."),
    ]
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, TEXT_WIDTH)
    sheet.write_string(0, 0, scorecard_title, formats.title)
    sheet.set_row(0, 24)
    for row, (label, text) in enumerate(facts, start=2):
        write_cell(sheet, row, 0, label, formats.bold)
        write_cell(sheet, row, 1, text, formats.wrap)
        fit_row(sheet, row, [(text, TEXT_WIDTH)])
    print_setup(sheet, None, 1, len(facts) + 2)


def _write_contents(sheet: Worksheet, formats: Formats, sections: list[tuple[str, Section]]) -> None:
    first_row = write_title(
        sheet, formats, "Contents", "This worksheet contains one table: the workbook's sheets.", TEXT_WIDTH
    )
    entries = [
        ("Cover", "What this workbook is, when it was published, who to contact, how to read it"),
        *[
            (name, f"{section.title} ({len({r['measure_id'] for r in section.rows})} measures)")
            for name, section in sections
        ],
        ("Trends", f"Every measure's figures for the last {TREND_MONTHS} months, to chart from"),
        ("Notes", "Why figures are withheld, not available, estimates or provisional"),
        ("Definitions", "Every measure's definition, computation and sources"),
    ]
    columns = [Column("Sheet", 32), Column("What it holds", 100)]
    add_table(sheet, "Contents", first_row, columns, len(entries), formats)
    for index, (name, text) in enumerate(entries):
        sheet.write_url(first_row + 1 + index, 0, f"internal:'{name}'!A1", formats.link, string=name)
        write_cell(sheet, first_row + 1 + index, 1, text, formats.wrap)
        fit_row(sheet, first_row + 1 + index, [(text, columns[1].width)])
