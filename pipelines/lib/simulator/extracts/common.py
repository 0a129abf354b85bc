"""Shared pieces of the extract writers: landing-zone paths, date formats, URN spellings, deterministic writers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl
import xlsxwriter

from pipelines.lib.simulator import params as P
from pipelines.lib.simulator.common import EXCEL_EPOCH_OFFSET, STREAM_URN, month_label, rng_for

FIXED_CREATED = dt.datetime(2000, 1, 1)


def landing_path(out: Path, agency: str, extract: str, month_idx: int, ext: str) -> Path:
    """out/<agency>/<extract>/<agency>_<extract>_<YYYY-MM>.<ext>."""
    return out / agency / extract / f"{agency}_{extract}_{month_label(month_idx)}.{ext}"


# date expressions on Int32 day-number columns (negative = missing)
def fmt_date(col: str, fmt: str) -> pl.Expr:
    c = pl.col(col)
    return pl.when(c >= 0).then(c.cast(pl.Int32).cast(pl.Date).dt.strftime(fmt)).otherwise(None)


def excel_serial(col: str) -> pl.Expr:
    c = pl.col(col)
    return pl.when(c >= 0).then(c.cast(pl.Int64) + EXCEL_EPOCH_OFFSET).otherwise(None)


def yn(col: str, yes: str = "Y", no: str = "N") -> pl.Expr:
    return pl.when(pl.col(col)).then(pl.lit(yes)).otherwise(pl.lit(no))


# URN: canonical (police) 54SW0012323 = force no, station, 5-digit serial, 2-digit year.
def urn_cps(col: str = "urn") -> pl.Expr:
    c = pl.col(col)
    return pl.concat_str([c.str.slice(0, 2), c.str.slice(2, 2), c.str.slice(4, 5), c.str.slice(9, 2)], separator=" ")


def urn_hmcts(col: str = "urn") -> pl.Expr:
    c = pl.col(col)
    return pl.concat_str([c.str.slice(0, 9), c.str.slice(9, 2)], separator="/")


def normalise_urn(text: str | None) -> str | None:
    """What a linker should do with any agency's spelling: keep letters and digits, upper case."""
    if text is None:
        return None
    return "".join(ch for ch in text.upper() if ch.isalnum()) or None


@dataclass
class UrnErrors:
    """The run's write context: URN errors injected (for the truth), files written so far, XLSX sheets pending.

    Several areas share one file per extract and month: CSV rows of later areas are appended (no second header);
    XLSX sheets are collected and written once, by :meth:`flush`, after the last area.
    """

    rows: list[dict] = field(default_factory=list)
    written: set = field(default_factory=set)
    xlsx: dict = field(default_factory=dict)

    def flush(self) -> None:
        for path in sorted(self.xlsx):
            sheet, frames = self.xlsx[path]
            _write_xlsx_now(pl.concat(frames, how="vertical"), path, sheet)
        self.xlsx.clear()

    def frame(self) -> pl.DataFrame:
        schema = {"area_code": pl.String, "agency": pl.String, "extract": pl.String, "reporting_month": pl.String,
                  "record_key": pl.String, "true_urn": pl.String, "written_urn": pl.String, "error_type": pl.String}
        return pl.DataFrame(self.rows, schema=schema, orient="row") if self.rows else pl.DataFrame(schema=schema)


def inject_urn_errors(frame: pl.DataFrame, urn_col: str, key_col: str, *, agency: str, extract: str, month_idx: int,
                      seed: int, area_code: str, area_code_int: int, stream_offset: int, log: UrnErrors) -> pl.DataFrame:
    """Blank or mistype a small known share of the URNs in `urn_col` (already in the agency's spelling)."""
    if frame.height == 0 or urn_col not in frame.columns:
        return frame
    rng = rng_for(seed, area_code_int, month_idx, STREAM_URN * 100 + stream_offset)
    urns = frame[urn_col].to_list()
    keys = frame[key_col].cast(pl.String).to_list()
    u = rng.random(len(urns))
    pos = rng.integers(0, 1 << 30, len(urns))
    miss, typo = P.URN_MISSING_RATE.value[agency], P.URN_MISTYPED_RATE.value[agency]
    out = list(urns)
    for i in np.flatnonzero(u < miss + typo):
        true = urns[i]
        if true is None:
            continue
        if u[i] < miss:
            out[i] = None
            kind = "missing"
        else:
            digits = [j for j, ch in enumerate(true) if ch.isdigit()]
            j = digits[int(pos[i]) % len(digits)]
            new = str((int(true[j]) + 1 + int(pos[i]) % 8) % 10)
            out[i] = true[:j] + new + true[j + 1:]
            kind = "mistyped"
        log.rows.append({"area_code": area_code, "agency": agency, "extract": extract,
                         "reporting_month": month_label(month_idx), "record_key": keys[i], "true_urn": true,
                         "written_urn": out[i], "error_type": kind})
    return frame.with_columns(pl.Series(urn_col, out, dtype=pl.String))


def write_csv(frame: pl.DataFrame, path: Path, sink: UrnErrors) -> int:
    """Write (first area) or append without a header (later areas of the same run)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path in sink.written:
        with path.open("ab") as handle:
            frame.write_csv(handle, include_header=False)
    else:
        frame.write_csv(path)
        sink.written.add(path)
    return frame.height


def write_xlsx(frame: pl.DataFrame, path: Path, sheet: str, sink: UrnErrors) -> int:
    """Collect the rows; the workbook is written by UrnErrors.flush() once every area is done."""
    sink.written.add(path)
    sink.xlsx.setdefault(path, (sheet, []))[1].append(frame)
    return frame.height


def _write_xlsx_now(frame: pl.DataFrame, path: Path, sheet: str) -> int:
    """Plain XLSX, byte-identical for the same data (fixed document properties; dates already Excel serials)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"created": FIXED_CREATED, "author": "HMCTS MI", "title": sheet})
    ws = wb.add_worksheet(sheet)
    ws.write_row(0, 0, frame.columns)
    for r, row in enumerate(frame.iter_rows(), start=1):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v)
    wb.close()
    return frame.height
