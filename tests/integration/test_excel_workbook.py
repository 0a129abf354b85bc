"""The Excel workbooks of a real publication, read back with openpyxl: every section and measure of every board's
scorecard.yaml is there, withheld figures stay withheld, and planted figures (with RAG colours, which the demo's
boards do not set) come out with their values, markers, number formats and fills."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest
import yaml
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.lib.publication_files import stage_publication_files
from pipelines.lib.publish import PUBLISHED_NAMES, rollback

DEFINITIONS_DIR = Path(__file__).resolve().parents[2] / "scorecard_definitions"
WILTSHIRE = "E23000038"
# The hand-made landing zone holds January and February 2024; the live caseload's RUI counts (3 and 4) are small
# numbers the published file withholds (tests/integration/test_refresh_end_to_end.py).
REPORTING_MONTH = datetime(2024, 2, 1)
DURHAM_CLEVELAND_AREAS = ["Durham and Cleveland Local Criminal Justice Board", "Cleveland", "Durham"]


def _boards() -> dict[str, dict]:
    """Each board's scorecard.yaml, the definition the workbook must follow."""
    return {p.parent.name: yaml.safe_load(p.read_text()) for p in sorted(DEFINITIONS_DIR.glob("*/scorecard.yaml"))}


def _rows(sheet: Worksheet) -> list[dict]:
    """The table of a section or definitions sheet as dicts keyed by its header (the row starting "Measure" or
    "Section")."""
    rows = list(sheet.iter_rows())
    header_index = next(i for i, row in enumerate(rows) if row[0].value in ("Measure", "Section"))
    header = [cell.value for cell in rows[header_index]]
    return [dict(zip(header, row, strict=True)) for row in rows[header_index + 1 :] if row[0].value is not None]


def _section_sheets(workbook: openpyxl.Workbook, board: dict) -> list[Worksheet]:
    """The section sheets in the board's order (after the Contents sheet), checked by the title in A1."""
    sheets = workbook.worksheets[1 : 1 + len(board["sections"])]
    assert [s["A1"].value for s in sheets] == [section["title"] for section in board["sections"]]
    return sheets


def test_every_section_and_measure_of_every_board(small_warehouse: Path) -> None:
    for board_id, board in _boards().items():
        workbook = openpyxl.load_workbook(small_warehouse / "excel" / f"{board_id}.xlsx")
        names = workbook.sheetnames
        assert names[0] == "Contents" and names[-2:] == ["Notes", "Definitions"]
        assert len(names) == len(board["sections"]) + 3
        assert all(len(name) <= 31 for name in names) and len({n.lower() for n in names}) == len(names)
        for sheet, section in zip(_section_sheets(workbook, board), board["sections"], strict=True):
            measure_ids = [row["Measure id"].value for row in _rows(sheet)]
            assert list(dict.fromkeys(measure_ids)) == [m["id"] for m in section["measures"]], sheet.title
            assert sheet.freeze_panes == "C5" and sheet.auto_filter.ref.startswith("A4:")
            if board_id == "durham_cleveland":  # a board over two forces: the board, then each area
                areas = [row["Area"].value for row in _rows(sheet)]
                assert areas == DURHAM_CLEVELAND_AREAS * len(section["measures"])
        definitions = [row["Measure id"].value for row in _rows(workbook["Definitions"])]
        assert definitions == [m["id"] for section in board["sections"] for m in section["measures"]]
        contents = workbook["Contents"]
        assert contents["A1"].value == board["title"] and contents["B5"].value == REPORTING_MONTH


def test_withheld_small_numbers_stay_withheld(small_warehouse: Path) -> None:
    workbook = openpyxl.load_workbook(small_warehouse / "excel" / "wcjb.xlsx")
    sheet = _section_sheets(workbook, _boards()["wcjb"])[1]
    (rui_live,) = [row for row in _rows(sheet) if row["Measure id"].value == "rui_live"]
    assert rui_live["Value"].value == "[c]" and rui_live["Status"].value == "[c] withheld"
    assert rui_live["Jan 2024"].value == "[c]" and rui_live["Feb 2024"].value == "[c]"
    assert not [cell.value for cell in rui_live.values() if isinstance(cell.value, (int, float))]


@pytest.fixture
def planted(small_warehouse: Path, tmp_path: Path) -> Path:
    """A copy of the publication with hand-set figures in February 2024 (Wiltshire, WCJB), including RAG ratings."""
    published = tmp_path / "cjs_scorecard.duckdb"
    shutil.copyfile(small_warehouse / "cjs_scorecard.duckdb", published)
    plants = [
        # measure, month, value, status, reason, rag, previous, change, same period last year, direction, national
        ("total_victims", "2024-02-01", 1234, "ok", None, "red", 1200, 34, 1100, "worsening", 56789),
        ("total_victims", "2024-01-01", 1200, "ok", None, None, None, None, None, None, None),
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
        ),
        ("rui_avg_days", "2024-02-01", 12.5, "ok", None, "green", 14, -1.5, None, "improving", None),
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
        ),
    ]
    with duckdb.connect(str(published)) as connection:
        for measure, month, *values in plants:
            updated = connection.execute(
                """update scorecard.measure_values set value = ?, status = ?, status_reason = ?, rag = ?,
                       previous_value = ?, change = ?, same_period_last_year = ?, direction_of_travel = ?,
                       national_value = ?
                   where scorecard_id = 'wcjb' and measure_id = ? and area_code = ? and period_type = 'month'
                       and period_start = ?""",
                [*values, measure, WILTSHIRE, month],
            ).fetchone()[0]
            assert updated == 1, (measure, month)
    return published


def _fill(cell: openpyxl.cell.Cell) -> str | None:
    return cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None


def test_planted_figures_markers_and_rag_colours(planted: Path) -> None:
    stage_publication_files(planted, planted, PUBLISHED_NAMES, "planted").install()
    workbook = openpyxl.load_workbook(planted.parent / "excel" / "wcjb.xlsx")
    rows = {
        row["Measure id"].value: row for sheet in _section_sheets(workbook, _boards()["wcjb"]) for row in _rows(sheet)
    }

    victims = rows["total_victims"]
    assert [
        victims[c].value
        for c in [
            "Period",
            "Value",
            "Unit",
            "Status",
            "Previous period",
            "Change",
            "Same period last year",
            "Direction of travel",
            "England and Wales",
            "RAG",
        ]
    ] == ["Feb 2024", 1234, "count", "", 1200, 34, 1100, "↑ worsening", 56789, "Red"]
    assert victims["Value"].number_format == "#,##0" and _fill(victims["RAG"]) == "FFD4351C"
    assert victims["Jan 2024"].value == 1200 and victims["Feb 2024"].value == 1234

    conviction = rows["overall_conviction_rate"]
    assert conviction["Value"].value == 85.25 and conviction["Value"].number_format == "0.0"
    assert conviction["Value"].font.i  # estimates and provisional figures in italics
    assert conviction["Status"].value == "[p] provisional" and conviction["Direction of travel"].value == "↑ improving"
    assert conviction["RAG"].value == "Amber" and _fill(conviction["RAG"]) == "FFFFDD00"
    notes = {row[0].value: row[1].value for row in workbook["Notes"].iter_rows(min_row=5)}
    assert notes[conviction["Notes"].value] == "provisional: planted reason"

    days = rows["rui_avg_days"]
    assert (days["Value"].value, days["Value"].number_format) == (12.5, "0.0")
    assert days["RAG"].value == "Green" and _fill(days["RAG"]) == "FF00703C"
    assert days["Direction of travel"].value == "↓ improving"

    withheld = rows["mc_receipts_per_finalisation"]
    assert [withheld[c].value for c in ["Value", "Status", "RAG", "Feb 2024"]] == [
        "[c]",
        "[c] withheld",
        "no target",
        "[c]",
    ]
    assert _fill(withheld["RAG"]) is None and notes[withheld["Notes"].value] == "withheld: planted"


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
    assert openpyxl.load_workbook(folder / "wcjb.xlsx")["Contents"]["B3"].value == publication_id
