"""How every sheet of the scorecard workbook is laid out, after the Government Statistical Service's guidance for
releasing statistics in spreadsheets: a title in A1 and any description in the rows under it (never inside a table),
each data range an Excel Table with one header row, markers as text in their own cells, no meaning carried by
formatting alone (a colour or italics always repeats a word in the cell or beside it), no merged cells, and a print
set-up (A4 landscape, one page wide, the header row repeated, the sheet name and page number in the footer).

LibreOffice and older Excel do not grow a row to fit wrapped text written without a height, so a wrapped row would
overlap the next: every wrapped row gets the height of its longest cell (`fit_row`).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from pipelines.lib.figure_presentation import RAG, UNITS

LINE_HEIGHT = 15.0  # points: one line of 11-point Calibri
TITLE_HEIGHT = 24.0  # the 14-point title
TABLE_STYLE = "Table Style Light 1"
A4 = 9  # xlsxwriter's paper size code


@dataclass(frozen=True)
class Column:
    """A table column: its header (unique in its table) and width in characters."""

    header: str
    width: float


class Formats:
    """The workbook's cell formats, made once (xlsxwriter keeps one record per distinct format)."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.title = workbook.add_format({"bold": True, "font_size": 14, "valign": "top"})
        self.bold = workbook.add_format({"bold": True, "valign": "top"})
        self.plain = workbook.add_format({})
        # indented from a right-aligned number or marker in the cell before it ("2,843 ok" read as one phrase in
        # LibreOffice's render); an indent without "left" is ignored by Excel and LibreOffice alike
        self.text = workbook.add_format({"align": "left", "indent": 1, "valign": "top"})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.marker = workbook.add_format({"align": "right", "valign": "top"})
        self.link = workbook.add_format({"font_color": "#1D70B8", "underline": 1, "valign": "top"})
        self.day = workbook.add_format({"num_format": "d mmmm yyyy", "align": "left", "valign": "top"})
        self.numbers = {
            unit: workbook.add_format({"num_format": f.excel, "valign": "top"}) for unit, f in UNITS.items()
        }
        self.whole = workbook.add_format({"num_format": "#,##0", "valign": "top"})
        # the colour repeats the word written in the cell ("Red"), never replaces it
        self.rag = {
            colour: workbook.add_format(
                {"bg_color": style.fill, "font_color": style.text, "bold": True, "valign": "top"}
            )
            for colour, style in RAG.items()
        }


def write_title(sheet: Worksheet, formats: Formats, title: str, description: str, width: int) -> int:
    """The sheet's title in A1 and its description under it, broken into lines of at most `width` characters, one
    per row, unwrapped in column A (each runs over the empty cells to its right, never under the next row); returns
    the first row free after a blank one."""
    sheet.write_string(0, 0, title, formats.title)
    sheet.set_row(0, TITLE_HEIGHT)
    lines = textwrap.wrap(description, width)
    for index, line in enumerate(lines, start=1):
        sheet.write_string(index, 0, line, formats.plain)
    return len(lines) + 2


def add_table(
    sheet: Worksheet,
    name: str,
    first_row: int,
    columns: list[Column],
    rows: int,
    formats: Formats,
    printed_columns: int | None = None,
) -> None:
    """An Excel Table (with its own filter buttons) over `rows` data rows from `first_row` (its header row), with
    the sheet's print set-up repeating that header on every page and printing the first `printed_columns`."""
    last_row = first_row + max(rows, 1)
    sheet.add_table(
        first_row,
        0,
        last_row,
        len(columns) - 1,
        {
            "name": name,
            "style": TABLE_STYLE,
            "columns": [{"header": column.header, "header_format": formats.header} for column in columns],
        },
    )
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
    fit_row(sheet, first_row, [(column.header, column.width) for column in columns])
    sheet.freeze_panes(first_row + 1, 1)
    print_setup(sheet, first_row, (printed_columns or len(columns)) - 1, last_row)


def print_setup(sheet: Worksheet, header_row: int | None, last_column: int, last_row: int) -> None:
    """A4 landscape, one page wide (as many tall as it takes), the header row on every page, the sheet and page in
    the footer, the print area over the sheet's text and table."""
    sheet.set_paper(A4)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.set_footer("&L&A&RPage &P of &N")
    sheet.print_area(0, 0, last_row, last_column)
    if header_row is not None:
        sheet.repeat_rows(header_row)


def fit_row(sheet: Worksheet, row: int, cells: list[tuple[str, float]]) -> None:
    """Give a row the height of its longest wrapped cell (text, column width in characters)."""
    lines = max((_lines(text, width) for text, width in cells), default=1)
    if lines > 1:
        sheet.set_row(row, LINE_HEIGHT * lines)


def write_cell(sheet: Worksheet, row: int, column: int, value: Any, cell_format: Any = None) -> None:
    """A number as a number, anything else as text (a marker such as [c] stays text, never 0)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, column, value, cell_format)
    else:
        sheet.write_string(row, column, "" if value is None else str(value), cell_format)


def _lines(text: str, width: float) -> int:
    """How many lines `text` wraps to, at word boundaries, in a column `width` characters wide (a width counts the
    digit 0; ordinary text fits about a tenth more), counting its own line breaks. Erring long: a row too tall shows
    a gap, one too short hides text."""
    usable = max(int(width * 1.1), 1)
    return sum(max(1, len(textwrap.wrap(part, usable))) for part in text.split("\n"))
