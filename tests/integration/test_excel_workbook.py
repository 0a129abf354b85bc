"""The Excel workbooks of a real publication, read back with openpyxl: every section and measure of every board's
scorecard.yaml is there, withheld figures stay withheld (with no interval), planted figures (with RAG colours, which
the demo's boards do not set) come out with their values, markers, judgements, number formats and fills; and the
workbook follows the Government Statistical Service's spreadsheet guidance: a cover sheet with the release's dates
and contact, every data range one Excel Table with one header row and no empty cell, nothing above a table but the
title and its description, no merged cells, no meaning by formatting alone, and a print set-up on every sheet. A
LibreOffice headless render prints it on A4 landscape pages, each section one page wide."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import openpyxl
import pytest
import yaml
from openpyxl.utils import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.lib.publication_files import stage_publication_files
from pipelines.lib.publish import PUBLISHED_NAMES, rollback

DEFINITIONS_DIR = Path(__file__).resolve().parents[2] / "scorecard_definitions"
WILTSHIRE = "E23000038"
# The hand-made landing zone holds January and February 2024; the live caseload's RUI counts (3 and 4) are small
# numbers the published file withholds (tests/integration/test_refresh_end_to_end.py).
REPORTING_MONTH = "February 2024"
DURHAM_CLEVELAND_AREAS = ["Durham and Cleveland Local Criminal Justice Board", "Cleveland", "Durham"]


def _boards() -> dict[str, dict]:
    """Each board's scorecard.yaml, the definition the workbook must follow."""
    return {p.parent.name: yaml.safe_load(p.read_text()) for p in sorted(DEFINITIONS_DIR.glob("*/scorecard.yaml"))}


def _table(sheet: Worksheet) -> openpyxl.worksheet.table.Table:
    """The sheet's one Excel Table."""
    assert len(sheet.tables) == 1, sheet.title
    return next(iter(sheet.tables.values()))


def _header_row(sheet: Worksheet) -> int:
    return range_boundaries(_table(sheet).ref)[1]


def _rows(sheet: Worksheet) -> list[dict]:
    """The sheet's Excel Table as dicts keyed by its header row."""
    rows = list(sheet[_table(sheet).ref])
    header = [cell.value for cell in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def _section_sheets(workbook: openpyxl.Workbook, board: dict) -> list[Worksheet]:
    """The section sheets in the board's order (after the Cover and Contents sheets), checked by the title in A1."""
    sheets = workbook.worksheets[2 : 2 + len(board["sections"])]
    assert [s["A1"].value for s in sheets] == [section["title"] for section in board["sections"]]
    return sheets


def test_every_section_and_measure_of_every_board(small_warehouse: Path) -> None:
    for board_id, board in _boards().items():
        workbook = openpyxl.load_workbook(small_warehouse / "excel" / f"{board_id}.xlsx")
        names = workbook.sheetnames
        assert names[:2] == ["Cover", "Contents"] and names[-3:] == ["Trends", "Notes", "Definitions"]
        assert len(names) == len(board["sections"]) + 5
        assert all(len(name) <= 31 for name in names) and len({n.lower() for n in names}) == len(names)
        for sheet, section in zip(_section_sheets(workbook, board), board["sections"], strict=True):
            measure_ids = [row["Measure id"].value for row in _rows(sheet)]
            assert list(dict.fromkeys(measure_ids)) == [m["id"] for m in section["measures"]], sheet.title
            assert sheet.freeze_panes == f"B{_header_row(sheet) + 1}"  # below the header, right of the measure
            if board_id == "durham_cleveland":  # a board over two forces: the board, then each area
                areas = [row["Area"].value for row in _rows(sheet)]
                assert areas == DURHAM_CLEVELAND_AREAS * len(section["measures"])
        definitions = [row["Measure id"].value for row in _rows(workbook["Definitions"])]
        assert definitions == [m["id"] for section in board["sections"] for m in section["measures"]]
        # the printed columns say the catalogue's codes in words (the analysts' columns after them keep the codes)
        coded = ["Counting basis", "Period types", "Source agencies", "Owner", "Polarity", "Availability"]
        words = {row[column].value for row in _rows(workbook["Definitions"]) for column in coded}
        assert not [word for word in words if re.search(r"_|\br12m\b", word)], board_id
        assert not words & {"police", "cps", "hmcts", "pcc", "probation", "moj", "computed", "neither"}, board_id
        assert {"higher is better", "lower is better", "events in the period"} <= words
        cover = {row[0].value: row[1].value for row in workbook["Cover"].iter_rows(min_row=2) if row[0].value}
        assert workbook["Cover"]["A1"].value == board["title"] and cover["Reporting month"] == REPORTING_MONTH


def test_withheld_small_numbers_stay_withheld(small_warehouse: Path) -> None:
    workbook = openpyxl.load_workbook(small_warehouse / "excel" / "wcjb.xlsx")
    sheet = _section_sheets(workbook, _boards()["wcjb"])[1]
    (rui_live,) = [row for row in _rows(sheet) if row["Measure id"].value == "rui_live"]
    assert rui_live["Value"].value == "[c]" and rui_live["Status"].value == "[c] withheld"
    assert rui_live["95% CI lower"].value == "[x]" and rui_live["Base (n)"].value == "[x]"  # nothing around it
    # a marker aligns as its column does: right with numbers, left with words (never reading on into the next cell)
    assert rui_live["Value"].alignment.horizontal == "right"
    assert [
        (rui_live[c].alignment.horizontal, rui_live[c].alignment.indent) for c in ["Status", "Against peer forces"]
    ] == [("left", 1), ("left", 1)]
    (trend,) = [row for row in _rows(workbook["Trends"]) if row["Measure id"].value == "rui_live"]
    assert trend["Jan 2024"].value == "[c]" and trend["Feb 2024"].value == "[c]"
    assert not [cell.value for cell in [*rui_live.values(), *trend.values()] if isinstance(cell.value, (int, float))]


@pytest.fixture
def planted(small_warehouse: Path, tmp_path: Path) -> Path:
    """A copy of the publication with hand-set figures in February 2024 (Wiltshire, WCJB), including RAG ratings,
    intervals and judgements."""
    published = tmp_path / "cjs_scorecard.duckdb"
    shutil.copyfile(small_warehouse / "cjs_scorecard.duckdb", published)
    plants = [
        # measure, month, value, status, reason, rag, previous, change, same period last year, direction, national,
        # interval method, base, lower, upper, change judgement, last year judgement
        (
            "total_victims",
            "2024-02-01",
            1234,
            "ok",
            None,
            "red",
            1200,
            34,
            1100,
            "worsening",
            56789,
            "poisson",
            1234,
            1166.0,
            1305.0,
            "worse",
            "not_significant",
        ),
        (
            "total_victims",
            "2024-01-01",
            1200,
            "ok",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "poisson",
            1200,
            1133.0,
            1270.0,
            None,
            None,
        ),
        (
            "overall_conviction_rate",
            "2024-02-01",
            85.25,
            "estimate",
            "provisional: planted reason",
            "amber",
            80,
            5.25,
            None,
            "improving",
            None,
            None,
            None,
            None,
            None,
            "not_tested",
            None,
        ),
        (
            "rui_avg_days",
            "2024-02-01",
            12.5,
            "ok",
            None,
            "green",
            14,
            -1.5,
            None,
            "improving",
            None,
            None,
            40,
            None,
            None,
            "not_tested",
            None,
        ),
        (
            "mc_receipts_per_finalisation",
            "2024-02-01",
            None,
            "suppressed",
            "withheld: planted",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ),
    ]
    with duckdb.connect(str(published)) as connection:
        for measure, month, *values in plants:
            updated = connection.execute(
                """update scorecard.measure_values set value = ?, status = ?, status_reason = ?, rag = ?,
                       previous_value = ?, change = ?, same_period_last_year = ?, direction_of_travel = ?,
                       national_value = ?, interval_method = ?, base = ?, ci_lower = ?, ci_upper = ?,
                       change_judgement = ?, last_year_judgement = ?
                   where scorecard_id = 'wcjb' and measure_id = ? and area_code = ? and period_type = 'month'
                       and period_start = ?""",
                [*values, measure, WILTSHIRE, month],
            ).fetchone()[0]
            assert updated == 1, (measure, month)
    return published


def _fill(cell: openpyxl.cell.Cell) -> str | None:
    return cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None


def test_planted_figures_markers_judgements_and_rag_colours(planted: Path) -> None:
    stage_publication_files(planted, planted, PUBLISHED_NAMES, "planted").install()
    workbook = openpyxl.load_workbook(planted.parent / "excel" / "wcjb.xlsx")
    rows = {
        row["Measure id"].value: row for sheet in _section_sheets(workbook, _boards()["wcjb"]) for row in _rows(sheet)
    }
    trends = {row["Measure id"].value: row for row in _rows(workbook["Trends"])}
    notes = {row["Note number"].value: row["Note text"].value for row in _rows(workbook["Notes"])}

    victims = rows["total_victims"]
    assert [
        victims[c].value
        for c in [
            "Period",
            "Value",
            "Unit",
            "Status",
            "95% CI lower",
            "95% CI upper",
            "Base (n)",
            "Previous period",
            "Change",
            "Since last period",
            "Same period last year",
            "Since a year before",
            "England and Wales",
            "Against England and Wales",
            "RAG",
            "Target",
        ]
    ] == [
        "Feb 2024",
        1234,
        "count",
        "ok",
        1166,
        1305,
        1234,
        1200,
        34,
        "worse",
        1100,
        "no real change",
        56789,
        "[x]",
        "Red",
        "[z]",
    ]
    assert victims["Value"].number_format == "#,##0" and _fill(victims["RAG"]) == "FFD4351C"
    assert trends["total_victims"]["Jan 2024"].value == 1200 and trends["total_victims"]["Feb 2024"].value == 1234

    conviction = rows["overall_conviction_rate"]
    assert conviction["Value"].value == 85.25 and conviction["Value"].number_format == "0.0"
    assert conviction["Status"].value == "[p] provisional" and conviction["Since last period"].value == "not tested"
    assert conviction["95% CI lower"].value == "[z]"  # no interval for a provisional figure: not applicable
    assert conviction["RAG"].value == "Amber" and _fill(conviction["RAG"]) == "FFFFDD00"
    assert notes[conviction["Note"].value] == "Provisional: planted reason"
    assert "[p] Feb 2024" in trends["overall_conviction_rate"]["Estimate or provisional months"].value

    days = rows["rui_avg_days"]
    assert (days["Value"].value, days["Value"].number_format, days["Base (n)"].value) == (12.5, "0.0", 40)
    assert days["RAG"].value == "Green" and _fill(days["RAG"]) == "FF00703C"

    withheld = rows["mc_receipts_per_finalisation"]
    assert [withheld[c].value for c in ["Value", "Status", "RAG", "95% CI upper"]] == [
        "[c]",
        "[c] withheld",
        "no target",
        "[x]",
    ]
    assert trends["mc_receipts_per_finalisation"]["Feb 2024"].value == "[c]"
    assert _fill(withheld["RAG"]) is None and notes[withheld["Note"].value] == "Withheld: planted"


def test_follows_the_gss_spreadsheet_guidance(small_warehouse: Path) -> None:
    workbook = openpyxl.load_workbook(small_warehouse / "excel" / "wcjb.xlsx")
    cover = {row[0].value: row[1].value for row in workbook["Cover"].iter_rows(min_row=2) if row[0].value}
    for label in [
        "About",
        "Reporting month",
        "Data to",
        "Published",
        "Next update",
        "Contact",
        "Source",
        "[c]",
        "[x]",
        "[z]",
        "[e]",
        "[p]",
    ]:
        assert cover.get(label), label
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", cover["Next update"])
    for sheet in workbook.worksheets:
        assert not sheet.merged_cells.ranges, sheet.title
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9, sheet.title
        # one page wide: fitToWidth 1 is the file format's default, which the writer leaves out
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth in (None, 1), sheet.title
        assert sheet.page_setup.fitToHeight == 0 and sheet.print_area, sheet.title
        for row in sheet.iter_rows():
            for cell in row:
                assert not cell.font.i, (sheet.title, cell.coordinate)  # estimates say so in words, not italics
                if cell.fill.fill_type == "solid":  # a colour only ever repeats the word in its cell
                    assert cell.value in {"Red", "Amber", "Green"}, (sheet.title, cell.coordinate)
        if sheet.title == "Cover":
            continue
        header = _header_row(sheet)
        assert sheet.print_title_rows == f"${header}:${header}", sheet.title
        # above the table: the title in A1 and its description in column A only (no stray header fragments)
        above = [
            (cell.coordinate, cell.value)
            for row in sheet.iter_rows(max_row=header - 1)
            for cell in row
            if cell.value is not None and cell.column != 1
        ]
        assert above == [], sheet.title
        headers = [cell.value for cell in sheet[header] if cell.value is not None]
        assert headers == [column.name for column in _table(sheet).tableColumns], sheet.title
        empty = [
            cell.coordinate for row in list(sheet[_table(sheet).ref])[1:] for cell in row if cell.value in (None, "")
        ]
        assert empty == [], (sheet.title, empty[:5])


def test_libreoffice_renders_landscape_pages_one_section_wide(small_warehouse: Path, tmp_path: Path) -> None:
    """LibreOffice headless prints the workbook to PDF: every page A4 landscape, every sheet but the long tables
    (trends, definitions) on one page, a few pages in all (57 portrait pages before the print set-up)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice missing: apt-get install libreoffice-calc")
        pytest.skip("LibreOffice missing: apt-get install libreoffice-calc")
    shutil.copy(small_warehouse / "excel" / "wcjb.xlsx", tmp_path / "wcjb.xlsx")
    completed = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "wcjb.xlsx"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    pdf = (tmp_path / "wcjb.pdf").read_bytes()
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    sheets = len(openpyxl.load_workbook(tmp_path / "wcjb.xlsx").sheetnames)
    assert sheets <= len(boxes) <= sheets + 8
    for width, height in boxes:
        assert (float(width), float(height)) == pytest.approx((841.9, 595.3), abs=1.0)


def test_rollback_rewrites_the_workbooks(small_warehouse: Path, tmp_path: Path) -> None:
    """A rollback puts back the kept publication's workbooks, written whole (no temporary file left behind)."""
    published = tmp_path / "cjs_scorecard.duckdb"
    shutil.copyfile(small_warehouse / "cjs_scorecard.duckdb", published)
    shutil.copytree(small_warehouse / "versions", tmp_path / "versions")
    with duckdb.connect(str(published), read_only=True) as connection:
        publication_id = connection.execute("select publication_id from scorecard.publication").fetchone()[0]
    rollback(published, publication_id)
    folder = tmp_path / "excel"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{board}.xlsx" for board in _boards())
    cover = openpyxl.load_workbook(folder / "wcjb.xlsx")["Cover"]
    assert {row[0].value: row[1].value for row in cover.iter_rows(min_row=2)}["Publication reference"] == publication_id
