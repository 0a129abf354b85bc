"""The board pack: one self-contained HTML page per scorecard, area and month, read from the published file only.

Board members read the pack on screen or printed (A4 landscape), so it carries everything a figure needs to be read
right: its unit, whether it was withheld or is an estimate, its trend, comparisons and where it comes from. It opens
the published DuckDB file read-only, so a pack can never show anything BI users cannot already see (no personal or
unsuppressed data), and it fetches nothing (no fonts, scripts or images from elsewhere): the page works offline.
"""

from __future__ import annotations

import calendar
import html
import os
import uuid
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from string import Template

import duckdb
import polars as pl
from great_tables import GT, nanoplot_options

from pipelines.lib.errors import ConfigurationError
from pipelines.lib.figure_presentation import (
    ARROWS,
    NO_TARGET,
    RAG,
    STATUS_MARKERS,
    TREND_MONTHS,
    direction_arrow,
    figure_marker,
    format_figure,
    headline_figures,
    shown_status,
    unit_format,
)

REPORTS_DIR_NAME = "reports"


@dataclass(frozen=True)
class PackHeader:
    """What the pack is of: the board's scorecard, the area, the month, and the publication it was read from."""

    scorecard_id: str
    scorecard_title: str
    area_code: str
    area_name: str
    period: str
    publication_id: str
    published_at: str
    as_at: date | None


def board_pack_page(
    published_db: str | Path, scorecard_id: str, area_code: str | None = None, period: str | None = None
) -> tuple[str, str]:
    """The pack's file name (`<scorecard>_<area>_<YYYY-MM>.html`) and its page, read from `published_db`.

    The area defaults to the board's own (`board_area`), the period to the latest month with a figure.
    """
    published_db = Path(published_db)
    with _connect(published_db) as connection:
        area_code = area_code or board_area(connection, scorecard_id)
        period = period or latest_month(connection, scorecard_id, area_code)
        header = _header(connection, scorecard_id, area_code, period)
        month_end = _month_end(period)
        figures = headline_figures(connection, scorecard_id, month_end, area_code, current_only=True).with_columns(
            sparkline=pl.col("trend").list.eval(pl.element().struct.field("value"))
        )
    as_at = figures.filter(pl.col("value").is_not_null())["as_at"].max()  # None when no measure has a figure
    if as_at is not None and not isinstance(as_at, date):
        raise TypeError(f"the figures' as_at is a {type(as_at).__name__}, not a date")
    header = replace(header, as_at=as_at)
    return pack_file_name(scorecard_id, area_code, period), render_page(header, figures)


def pack_file_name(scorecard_id: str, area_code: str, period: str) -> str:
    return f"{scorecard_id}_{area_code}_{period}.html"


def write_page(page: str, path: Path) -> None:
    """A pack as readable as the published file (a temporary file's default mode is owner-only)."""
    path.write_text(page, encoding="utf-8")
    os.chmod(path, 0o644)


def write_board_pack(
    published_db: str | Path,
    scorecard_id: str,
    area_code: str | None = None,
    period: str | None = None,
    out_dir: str | Path | None = None,
) -> Path:
    """Write a pack (board_pack_page) to `out_dir` (default `<warehouse>/reports/`) and return its path. The file is
    written to a temporary name and renamed, so a reader never opens half a pack."""
    name, page = board_pack_page(published_db, scorecard_id, area_code, period)
    target_dir = Path(out_dir) if out_dir else Path(published_db).parent / REPORTS_DIR_NAME
    target_dir.mkdir(parents=True, exist_ok=True)
    target, partial = target_dir / name, target_dir / f".{name}.{uuid.uuid4().hex}.tmp"
    write_page(page, partial)
    os.replace(partial, target)
    return target


def every_board_pack(connection: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """The packs a publication has: every scorecard, for each area of its board (the board first)."""
    scorecards = [
        r[0] for r in connection.execute("select distinct scorecard_id from scorecard.measures order by 1").fetchall()
    ]
    return [(scorecard, area) for scorecard in scorecards for area in board_areas(connection, scorecard)]


def board_areas(connection: duckdb.DuckDBPyConnection, scorecard_id: str) -> list[str]:
    """The areas a scorecard has figures for: the board as a whole first (when it spans several), then its areas."""
    rows = connection.execute(
        """
        select distinct area_code, area_type from scorecard.measure_values where scorecard_id = $scorecard_id
        order by area_type = 'board' desc, area_code
        """,
        {"scorecard_id": scorecard_id},
    ).fetchall()
    if not rows:
        known = [
            r[0]
            for r in connection.execute("select distinct scorecard_id from scorecard.measures order by 1").fetchall()
        ]
        raise ConfigurationError(f"unknown scorecard {scorecard_id!r}; the published file holds: {', '.join(known)}")
    return [code for code, _ in rows]


def board_area(connection: duckdb.DuckDBPyConnection, scorecard_id: str) -> str:
    """The board's own area: the board row of a board over several areas, else its one area."""
    return board_areas(connection, scorecard_id)[0]


def latest_month(connection: duckdb.DuckDBPyConnection, scorecard_id: str, area_code: str) -> str:
    """The latest month (YYYY-MM) with a monthly figure for the area; the latest month published when none has one
    (a quarter ends in a month the data may not reach yet)."""
    row = connection.execute(
        """
        select coalesce(max(period_end) filter (where value is not null), max(period_end))
        from scorecard.measure_values
        where scorecard_id = $scorecard_id and area_code = $area_code and period_type = 'month'
        """,
        {"scorecard_id": scorecard_id, "area_code": area_code},
    ).fetchall()[0]
    if row[0] is None:
        areas = board_areas(connection, scorecard_id)
        raise ConfigurationError(
            f"no figures for area {area_code!r} in scorecard {scorecard_id!r}; its areas: {', '.join(areas)}"
        )
    return f"{row[0]:%Y-%m}"


def render_page(header: PackHeader, figures: pl.DataFrame) -> str:
    """The whole page: header, key to the markers, one block per section, then the numbered notes."""
    figures = figures.with_row_index("note", offset=1)
    sections = [
        _section_html(section, index, header.scorecard_id)
        for index, section in enumerate(figures.partition_by("section_order", maintain_order=True))
    ]
    notes = "\n".join(_note_html(row, header.period) for row in figures.iter_rows(named=True))
    title = f"{header.scorecard_title}: {header.area_name}, {_month_title(header.period)}"
    as_at = f"{header.as_at:%d %B %Y}" if header.as_at else "no figures"
    key = " ".join(
        f'<span class="marker" title="{html.escape(marker.explanation)}">{marker.symbol}</span> {marker.label};'
        for marker in STATUS_MARKERS.values()
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>{html.escape(title)}</title>
<style>{PAGE_CSS}</style>
</head>
<body>
<header>
<h1>{html.escape(header.scorecard_title)}</h1>
<p class="subtitle"><strong>{html.escape(header.area_name)}</strong> ({html.escape(header.area_code)}) &middot;
<strong>{_month_title(header.period)}</strong> &middot; data as at {as_at}</p>
<p class="meta">Publication {html.escape(header.publication_id)}, published {html.escape(header.published_at)}.
Key: {key} <span class="arrow improving">{ARROWS["up"]}</span> improving,
<span class="arrow worsening">{ARROWS["down"]}</span> worsening, {ARROWS["flat"]} no change, grey: no better or worse direction.
Trend: the {TREND_MONTHS} months to the period (gaps: withheld or not available). Numbers link to the notes.</p>
</header>
{"".join(sections)}
<section class="notes">
<h2>Notes</h2>
<ol>
{notes}
</ol>
</section>
</body>
</html>
"""


def _connect(published_db: Path) -> duckdb.DuckDBPyConnection:
    if not published_db.is_file():
        raise ConfigurationError(f"no published file at {published_db}; run `cjs-scorecard refresh` first")
    return duckdb.connect(str(published_db), read_only=True)


def _header(connection: duckdb.DuckDBPyConnection, scorecard_id: str, area_code: str, period: str) -> PackHeader:
    """Check the scorecard, area and period exist (naming what does when not) and read the header's facts."""
    areas = board_areas(connection, scorecard_id)
    if area_code not in areas:
        raise ConfigurationError(f"scorecard {scorecard_id!r} has no area {area_code!r}; its areas: {', '.join(areas)}")
    month_end = _month_end(period)
    first, last = connection.execute(
        """
        select min(period_end), max(period_end) from scorecard.measure_values
        where scorecard_id = $scorecard_id and area_code = $area_code and period_type = 'month'
        """,
        {"scorecard_id": scorecard_id, "area_code": area_code},
    ).fetchall()[0]
    if first is None or not first <= month_end <= last:
        span = f"{first:%Y-%m} to {last:%Y-%m}" if first else "none"
        raise ConfigurationError(
            f"no figures for {period} in scorecard {scorecard_id!r}, area {area_code!r}; months published: {span}"
        )
    scorecard_title, area_name = connection.execute(
        """
        select m.scorecard_title, v.area_name
        from scorecard.measures m join scorecard.measure_values v using (scorecard_id)
        where m.scorecard_id = $scorecard_id and v.area_code = $area_code limit 1
        """,
        {"scorecard_id": scorecard_id, "area_code": area_code},
    ).fetchall()[0]
    publication_id, published_at = connection.execute(
        "select publication_id, published_at from scorecard.publication"
    ).fetchall()[0]
    return PackHeader(
        scorecard_id,
        scorecard_title,
        area_code,
        area_name,
        period,
        publication_id,
        f"{published_at:%d %B %Y %H:%M}",
        None,
    )


def _month_end(period: str) -> date:
    """The last day of a YYYY-MM month; a clear error for anything else."""
    try:
        year, month = (int(part) for part in period.split("-"))
        return date(year, month, calendar.monthrange(year, month)[1])
    except (ValueError, calendar.IllegalMonthError):
        raise ConfigurationError(f"period {period!r} is not a month written YYYY-MM (e.g. 2025-03)") from None


def _month_title(period: str) -> str:
    return f"{_month_end(period):%B %Y}"


def _section_html(section: pl.DataFrame, index: int, scorecard_id: str) -> str:
    """One section's block: a great-tables table with a row per measure and a 24-month sparkline."""
    measures = list(section.iter_rows(named=True))
    rows = pl.DataFrame(
        {
            "measure": [_measure_cell(row) for row in measures],
            "value": [_value_cell(row) for row in measures],
            "trend": [_sparkline(row["sparkline"]) for row in measures],
            "change": [_change_cell(row) for row in measures],
            "last_year": [_comparison_cell(row, row["same_period_last_year"]) for row in measures],
            # an area's count against the country's total is no comparison: the difference only for rates and averages
            "national": [_comparison_cell(row, row["national_value"], row["unit"] != "count") for row in measures],
            "peers": [_peer_cell(row) for row in measures],
            "rag": [_rag_cell(row) for row in measures],
        },
        schema_overrides={"trend": pl.List(pl.Float64)},
    )
    html_columns = ["measure", "value", "change", "last_year", "national", "peers", "rag"]
    table = (
        GT(rows, id=f"{scorecard_id}-section-{index + 1}")
        .tab_header(title=section["section_title"][0])
        .cols_label(
            measure="Measure",
            value="Value",
            trend=f"Trend ({TREND_MONTHS} months)",
            change="Since last period",
            last_year="Same period last year",
            national="England and Wales",
            peers="Peer forces",
            rag="RAG",
        )
        .fmt(columns=html_columns, fns=lambda cell: cell)  # cells are HTML built (and escaped) here
        .fmt_nanoplot(
            columns="trend",
            missing_vals="gap",
            options=nanoplot_options(
                data_line_stroke_color="#1d4f91", data_point_radius=4, data_area_fill_color="#dbe6f4"
            ),
        )
        .sub_missing(columns="trend", missing_text="")
        .cols_width(
            {
                "measure": "30%",
                "value": "10%",
                "trend": "14%",
                "change": "10%",
                "last_year": "10%",
                "national": "10%",
                "peers": "9%",
                "rag": "7%",
            }
        )
        .tab_options(table_width="100%", table_font_size="13px", heading_align="left", data_row_padding="3px")
    )
    return f'<section class="pack-section" data-section-id="{html.escape(section["section_id"][0])}">{table.as_raw_html()}</section>\n'


def _measure_cell(row: dict) -> str:
    period = {"r12m": " (12 months to the period)", "quarter": " (quarter)"}.get(row["period_type"], "")
    return (
        f'<span class="measure" data-measure-id="{html.escape(row["measure_id"])}">{html.escape(row["title"])}</span>'
        f'<span class="period">{period}</span><sup><a href="#note-{row["note"]}">{row["note"]}</a></sup>'
    )


def _value_cell(row: dict) -> str:
    """The figure, or its marker when it is withheld or missing: a withheld figure never reads as a number."""
    status = shown_status(row["status"], row["status_reason"])
    if marker := figure_marker(row["value"], status):
        return f'<span class="value {status}" data-status="{status}" title="{html.escape(marker.explanation)}">{marker.symbol}</span>'
    flag = STATUS_MARKERS.get(status)  # an estimate or provisional figure: its number, marked
    marked = f' <span class="marker" title="{html.escape(flag.explanation)}">{flag.symbol}</span>' if flag else ""
    return f'<span class="value" data-status="{status}">{format_figure(row["value"], row["unit"])}</span>{marked}'


def _sparkline(values: list[float | None] | None) -> list[float | None] | None:
    """The trend's values, or none at all when fewer than two are known (a single point is not a trend)."""
    return values if values and sum(v is not None for v in values) >= 2 else None


def _change_cell(row: dict) -> str:
    """Arrow of the change since the previous period, coloured by whether that is better or worse."""
    if row["change"] is None:
        return '<span class="muted">&ndash;</span>'
    arrow = direction_arrow(row["change"], row["direction_of_travel"])
    direction = row["direction_of_travel"] or "neutral"
    signed = unit_format(row["unit"]).difference(row["change"])
    return f'<span class="arrow {direction}" data-direction="{direction}" title="{direction}">{arrow}</span> {signed}'


def _comparison_cell(row: dict, other: float | None, with_difference: bool = True) -> str:
    """Another figure for comparison and the pack's figure's difference from it."""
    if other is None:
        return '<span class="muted">&ndash;</span>'
    text = format_figure(other, row["unit"])
    if not with_difference or row["value"] is None or row["status"] == "suppressed":
        return text
    return f'{text} <span class="muted">({unit_format(row["unit"]).difference(row["value"] - other)})</span>'


def _peer_cell(row: dict) -> str:
    """The published figure of the area's peer forces (its group named on hover), where the measure has a comparator."""
    cell = _comparison_cell(row, row["peer_value"])
    if row["peer_group"] is None:
        return cell
    return f'<span title="peer group: {html.escape(row["peer_group"])}">{cell}</span>'


def _rag_cell(row: dict) -> str:
    if row["rag"] in RAG:
        return f'<span class="rag rag-{row["rag"]}">{RAG[row["rag"]].label}</span>'
    return f'<span class="muted">{NO_TARGET}</span>'


def _note_html(row: dict, period: str) -> str:
    """A measure's footnote: what it counts, on what basis, from whom, as at when, and why a figure is missing."""
    sources = html.escape(row["source_agencies"] or "")
    extracts = f" ({html.escape(row['source_extracts'])})" if row["source_extracts"] else ""
    as_at = f"{row['as_at']:%d %B %Y}" if row["as_at"] else f"no figure for {period}"
    reason = row["status_reason"] or (row["availability_reason"] if row["status"] in (None, "not_available") else None)
    why = f" <em>{html.escape(reason.strip())}</em>" if reason else ""
    return (
        f'<li id="note-{row["note"]}"><strong>{html.escape(row["title"])}</strong>: {html.escape((row["description"] or "").strip())}'
        f" Counting basis: {html.escape((row['counting_basis'] or '').replace('_', ' '))}. Source: {sources}{extracts}."
        f" As at: {as_at}.{why}</li>"
    )


PAGE_CSS = Template("""
@page { size: A4 landscape; margin: 10mm; }
body { font-family: -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; color: #222; margin: 16px;
       -webkit-print-color-adjust: exact; print-color-adjust: exact; }
header h1 { font-size: 22px; margin: 0 0 4px; color: #1d4f91; }
header .subtitle { font-size: 15px; margin: 0 0 4px; }
header .meta { font-size: 11px; color: #555; margin: 0 0 12px; }
.pack-section { break-inside: avoid; page-break-inside: avoid; margin-bottom: 14px; }
.pack-section tr { break-inside: avoid; }
.pack-section .gt_title { font-weight: 600 !important; color: #1d4f91 !important; }
.measure { font-weight: 600; }
.period { color: #555; font-size: 11px; }
sup a { color: #1d4f91; text-decoration: none; font-size: 10px; margin-left: 2px; }
.value { font-weight: 700; font-size: 14px; }
.value.suppressed, .value.not_available, .marker { color: #6b4e00; font-weight: 600; }
.muted { color: #777; }
.arrow { font-size: 12px; }
.arrow.improving { color: $green; }
.arrow.worsening { color: $red; }
.arrow.stable, .arrow.neutral { color: #777; }
.rag { display: inline-block; padding: 1px 6px; border-radius: 3px; font-weight: 600; }
$rag
.notes { font-size: 10px; color: #333; break-before: page; }
.notes h2 { font-size: 14px; color: #1d4f91; }
.notes li { margin-bottom: 3px; }
""").substitute(
    green=RAG["green"].fill,
    red=RAG["red"].fill,
    rag="\n".join(
        f".rag-{colour} {{ background: {style.fill}; color: {style.text}; }}" for colour, style in RAG.items()
    ),
)
