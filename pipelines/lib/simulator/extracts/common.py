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


def month_parts(frame: pl.DataFrame, day_col: str | pl.Expr) -> dict[int, pl.DataFrame]:
    """{month index: rows} by a day-number column: one stable sort, then zero-copy slices (no filter per month, no
    second copy of the rows); keeps the row order within a month."""
    if frame.height == 0:
        return {}
    expr = pl.col(day_col) if isinstance(day_col, str) else day_col
    d = expr.cast(pl.Int32).cast(pl.Date)
    month = frame.select((d.dt.year().cast(pl.Int64) * 12 + d.dt.month().cast(pl.Int64) - 1).alias("m"))["m"].to_numpy()
    order = np.argsort(month, kind="stable")
    if not np.array_equal(order, np.arange(len(order))):
        frame = frame[order]
        month = month[order]
    keys, starts = np.unique(month, return_index=True)
    ends = np.r_[starts[1:], len(month)]
    return {int(k): frame.slice(int(a), int(b - a)) for k, a, b in zip(keys, starts, ends, strict=True)}


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
    XLSX rows are streamed to a temporary part file per workbook (no area's rows are kept in memory) and the
    workbooks are zipped once, by :meth:`flush`, after the last area.
    """

    rows: list[dict] = field(default_factory=list)
    written: set = field(default_factory=set)
    xlsx: dict = field(default_factory=dict)  # path -> _XlsxStream

    def flush(self) -> None:
        for path in sorted(self.xlsx):
            self.xlsx[path].close()
        self.xlsx.clear()

    def frame(self) -> pl.DataFrame:
        schema = {
            "area_code": pl.String,
            "agency": pl.String,
            "extract": pl.String,
            "reporting_month": pl.String,
            "record_key": pl.String,
            "true_urn": pl.String,
            "written_urn": pl.String,
            "error_type": pl.String,
        }
        return pl.DataFrame(self.rows, schema=schema, orient="row") if self.rows else pl.DataFrame(schema=schema)


def inject_urn_errors(
    frame: pl.DataFrame,
    urn_col: str,
    key_col: str,
    *,
    agency: str,
    extract: str,
    month_idx: int,
    seed: int,
    area_code: str,
    area_code_int: int,
    stream_offset: int,
    log: UrnErrors,
) -> pl.DataFrame:
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
            out[i] = true[:j] + new + true[j + 1 :]
            kind = "mistyped"
        log.rows.append(
            {
                "area_code": area_code,
                "agency": agency,
                "extract": extract,
                "reporting_month": month_label(month_idx),
                "record_key": keys[i],
                "true_urn": true,
                "written_urn": out[i],
                "error_type": kind,
            }
        )
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
    """Stream the rows to the workbook's part file; the workbook is zipped by UrnErrors.flush() after the last area."""
    sink.written.add(path)
    stream = sink.xlsx.get(path)
    if stream is None:
        stream = sink.xlsx[path] = _XlsxStream(path, sheet, frame.columns)
    stream.append(frame)
    return frame.height


def _col_letters(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _xml_text(expr: pl.Expr) -> pl.Expr:
    return (
        expr.str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
    )


def _sheet_rows(frame: pl.DataFrame, first_row: int) -> pl.Series:
    """One `<row>` element per frame row (SpreadsheetML, inline strings, as xlsxwriter's constant_memory mode)."""
    row_no = (pl.int_range(pl.len(), dtype=pl.Int64) + first_row).cast(pl.String)
    cells = []
    for i, (name, dtype) in enumerate(frame.schema.items()):
        ref = pl.concat_str([pl.lit(_col_letters(i)), row_no])
        col = pl.col(name)
        if dtype.is_numeric():
            cell = pl.concat_str([pl.lit('<c r="'), ref, pl.lit('"><v>'), col.cast(pl.String), pl.lit("</v></c>")])
        else:
            text = _xml_text(col.cast(pl.String))
            space = pl.when(text.str.contains(r"^\s|\s$")).then(pl.lit(' xml:space="preserve"')).otherwise(pl.lit(""))
            cell = pl.concat_str(
                [
                    pl.lit('<c r="'),
                    ref,
                    pl.lit('" t="inlineStr"><is><t'),
                    space,
                    pl.lit(">"),
                    text,
                    pl.lit("</t></is></c>"),
                ]
            )
        cells.append(pl.when(col.is_null()).then(pl.lit("")).otherwise(cell))
    row = pl.concat_str([pl.lit('<row r="'), row_no, pl.lit('">'), *cells, pl.lit("</row>")])
    return frame.select(row.alias("x"))["x"]


_TEMPLATES: dict[tuple[str, tuple[str, ...]], list[tuple[str, bytes]]] = {}


def _template(sheet: str, headers: list[str]) -> list[tuple[str, bytes]]:
    """The workbook's parts as xlsxwriter writes them for a header-only sheet (fixed document properties)."""
    key = (sheet, tuple(headers))
    if key not in _TEMPLATES:
        import io
        import zipfile

        buf = io.BytesIO()
        wb = xlsxwriter.Workbook(buf, {"constant_memory": True, "in_memory": True})
        wb.set_properties({"created": FIXED_CREATED, "author": "HMCTS MI", "title": sheet})
        ws = wb.add_worksheet(sheet)
        ws.write_row(0, 0, headers)
        wb.close()
        with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
            _TEMPLATES[key] = [(name, z.read(name)) for name in z.namelist()]
    return _TEMPLATES[key]


class _XlsxStream:
    """One workbook being written: rows are appended to a part file, zipped into the XLSX on close()."""

    def __init__(self, path: Path, sheet: str, headers: list[str]):
        self.path, self.sheet, self.headers = path, sheet, list(headers)
        self.part = path.with_name(path.name + ".part")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.part.write_bytes(b"")
        self.n = 0  # data rows so far

    def append(self, frame: pl.DataFrame) -> None:
        if frame.height == 0:
            return
        rows = _sheet_rows(frame, self.n + 2).to_frame()
        with self.part.open("ab") as handle:  # one <row> per line (whitespace between elements is allowed)
            rows.write_csv(handle, include_header=False, quote_style="never")
        self.n += frame.height

    def close(self) -> None:
        import zipfile

        parts = _template(self.sheet, self.headers)
        last_col = _col_letters(len(self.headers) - 1)
        with zipfile.ZipFile(self.path, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for name, data in parts:
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                if name != "xl/worksheets/sheet1.xml":
                    z.writestr(info, data)
                    continue
                text = data.decode("utf-8")
                head, rest = text.split("</row>", 1)
                head = head.replace(
                    f'<dimension ref="A1:{last_col}1"/>', f'<dimension ref="A1:{last_col}{self.n + 1}"/>'
                )
                with z.open(info, "w", force_zip64=True) as w:
                    w.write((head + "</row>").encode("utf-8"))
                    with self.part.open("rb") as src:
                        while chunk := src.read(1 << 22):
                            w.write(chunk)
                    w.write(rest.encode("utf-8"))
        self.part.unlink()
