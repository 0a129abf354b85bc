"""The files a publication writes beside the DuckDB file, all from one publication or none.

Parquet per published table (`parquet/`), an Excel workbook per scorecard (`excel/`) and a board pack per scorecard
and board area for its latest month (`reports/`) are written from the candidate file before anything is published,
each to a temporary name beside its target. A failure in any of them (Excel refusing a value, a full disk) removes
them all and the published file, Parquet, workbooks and packs stay as they were. Only then are they renamed in, in
one short sequence, the DuckDB file last; a publication interrupted within it is completed by the next, whose first
step removes whatever temporaries an interrupted one left.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.lib.board_pack import REPORTS_DIR_NAME, board_pack_page, every_board_pack, write_page
from pipelines.lib.excel_workbook import EXCEL_FOLDER, write_workbooks

PARQUET_FOLDER = "parquet"
FOLDERS = (PARQUET_FOLDER, EXCEL_FOLDER, REPORTS_DIR_NAME)


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


@dataclass(frozen=True)
class StagedFiles:
    """A publication's files written under temporary names: (temporary, target) pairs, and the published files the
    new publication no longer has (the workbook of a scorecard gone)."""

    moves: list[tuple[Path, Path]]
    stale: list[Path]

    def install(self) -> None:
        """Rename every file in and remove the stale ones."""
        for partial, target in self.moves:
            os.replace(partial, target)
        for path in self.stale:
            path.unlink(missing_ok=True)


def _parquet(source_db: Path, folder: Path, tables: list[str], suffix: str) -> list[tuple[Path, Path]]:
    written = []
    with duckdb.connect(str(source_db), read_only=True) as connection:
        for name in tables:
            partial = folder / f".{name}.parquet.{suffix}.tmp"
            written.append((partial, folder / f"{name}.parquet"))
            connection.execute(f"copy {name} to {_quoted(partial)} (format parquet)")
    return written


def _board_packs(source_db: Path, folder: Path, suffix: str) -> list[tuple[Path, Path]]:
    with duckdb.connect(str(source_db), read_only=True) as connection:
        packs = every_board_pack(connection)
    written = []
    for scorecard, area in packs:
        name, page = board_pack_page(source_db, scorecard, area)
        partial = folder / f".{name}.{suffix}.tmp"
        written.append((partial, folder / name))
        write_page(page, partial)
    return written


def discard(published_db: Path, suffix: str = "*") -> None:
    """Remove the temporaries of a publication (`suffix`: its id; every publication's by default)."""
    for folder in FOLDERS:
        for leftover in (published_db.parent / folder).glob(f".*.{suffix}.tmp"):
            leftover.unlink(missing_ok=True)


def stage_publication_files(source_db: Path, published_db: Path, tables: list[str], suffix: str) -> StagedFiles:
    """Write every file of the publication in `source_db` (the candidate) beside the published file's folders, under
    temporary names ending `.<suffix>.tmp`; on any failure remove them all and raise, nothing published changed."""
    folders = {name: published_db.parent / name for name in FOLDERS}
    for folder in folders.values():
        folder.mkdir(exist_ok=True)
    try:
        moves = _parquet(source_db, folders[PARQUET_FOLDER], tables, suffix)
        workbooks = write_workbooks(source_db, folders[EXCEL_FOLDER], suffix)
        moves += workbooks + _board_packs(source_db, folders[REPORTS_DIR_NAME], suffix)
    except BaseException:
        discard(published_db, suffix)
        raise
    stale = sorted(set(folders[EXCEL_FOLDER].glob("*.xlsx")) - {target for _, target in workbooks})
    return StagedFiles(moves, stale)
