"""The board pack: one self-contained HTML page per scorecard, area and month, read from the published file only.

Board members read the pack on screen or printed (A4 landscape), often in the minutes before a meeting, so its first
page says what matters (`pipelines/lib/board_pack_summary.py`: the headline figures, what changed beyond chance,
what is missing and why, who to ask and when the next figures come) and the tables after it carry everything a
figure needs to be read right: its unit and period, its uncertainty and base, whether it was withheld or is an
estimate, its trend, and each comparison (last period, last year, England and Wales, peers) with a word for what it
means, "better" or "worse" only where the difference is statistically significant. The arrow says only which way a
figure moved; the colour repeats the word, never replaces it, so the pack reads the same printed in greyscale.

It opens the published DuckDB file read-only, so a pack can never show anything BI users cannot already see (no
personal or unsuppressed data), and it fetches nothing (no fonts, scripts or images from elsewhere): the page works
offline.
"""

from __future__ import annotations

import html
import os
import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from string import Template
from typing import Any

import duckdb
import polars as pl
from great_tables import GT, nanoplot_options

from pipelines.lib.board_pack_summary import summary_html
from pipelines.lib.delivery_panel import AgencyDeliveries, agency_deliveries
from pipelines.lib.errors import ConfigurationError
from pipelines.lib.figure_presentation import (
    CONFIDENCE,
    INTERVAL_METHODS,
    INTERVAL_NAMES,
    NO_TARGET,
    RAG,
    TREND_MONTHS,
    board_area,
    board_areas,
    direction_arrow,
    format_figure,
    headline_figures,
    latest_month,
    long_date,
    missing_comparator_reason,
    period_label,
    previous_period_label,
    unit_format,
    untested_change_reason,
    why_untested,
)
from pipelines.lib.months import month_end
from pipelines.lib.pack_html import figure_html, judgement_html
from pipelines.lib.plain_english import Vocabulary, counting_basis, vocabulary

REPORTS_DIR_NAME = "reports"


@dataclass(frozen=True)
class PackHeader:
    """What the pack is of: the board's scorecard, the area, the month, the publication it was read from (named by
    its date), who to contact and when the next figures come."""

    scorecard_id: str
    scorecard_title: str
    area_code: str
    area_name: str
    period: str
    publication_id: str
    published_at: datetime
    as_at: date | None
    contact: str
    next_update: date | None


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
        figures = headline_figures(connection, scorecard_id, month_end(period), area_code).with_columns(
            sparkline=pl.col("trend").list.eval(pl.element().struct.field("value"))
        )
        names = vocabulary(connection)
        deliveries = agency_deliveries(connection, scorecard_id, area_code, month_end(period).replace(day=1))
    as_at = figures.filter(pl.col("value").is_not_null())["as_at"].max()  # None when no measure has a figure
    if as_at is not None and not isinstance(as_at, date):
        raise TypeError(f"the figures' as_at is a {type(as_at).__name__}, not a date")
    header = replace(header, as_at=as_at)
    return pack_file_name(scorecard_id, area_code, period), render_page(header, figures, names, deliveries)


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


def render_page(
    header: PackHeader, figures: pl.DataFrame, names: Vocabulary, deliveries: list[AgencyDeliveries]
) -> str:
    """The whole page: the header, the first page (summary, with the month's deliveries by agency), one block per
    section, then the notes."""
    figures = figures.with_row_index("note", offset=1)
    rows = list(figures.iter_rows(named=True))
    sections = [
        _section_html(section, index, header.scorecard_id)
        for index, section in enumerate(figures.partition_by("section_order", maintain_order=True))
    ]
    notes = "\n".join(_note_html(row, header.period, names) for row in rows)
    month = _month_title(header.period)
    title = f"{header.scorecard_title}: {header.area_name}, {month}"
    as_at = long_date(header.as_at) if header.as_at else "no figures"
    next_update = long_date(header.next_update) if header.next_update else "not scheduled"
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
<p class="subtitle"><strong>{html.escape(header.area_name)}</strong> &middot; <strong>{month}</strong> &middot;
published {long_date(header.published_at)} &middot; data to {as_at} &middot; next update by {next_update}</p>
</header>
{summary_html(header.period, rows, names, deliveries, header.contact, header.next_update)}
<main class="tables">
{"".join(sections)}
</main>
<section class="notes">
<h2>About these statistics</h2>
{_about_html(header)}
<h2>Notes on each measure</h2>
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
    last_day = month_end(period)
    first, last = connection.execute(
        """
        select min(period_end), max(period_end) from scorecard.measure_values
        where scorecard_id = $scorecard_id and area_code = $area_code and period_type = 'month'
        """,
        {"scorecard_id": scorecard_id, "area_code": area_code},
    ).fetchall()[0]
    if first is None or not first <= last_day <= last:
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
    publication = publication_record(connection)
    return PackHeader(
        scorecard_id,
        scorecard_title,
        area_code,
        area_name,
        period,
        publication["publication_id"],
        publication["published_at"],
        None,
        publication.get("contact") or "",
        publication.get("next_update"),
    )


def publication_record(connection: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The publication's own row (id, time, and in publications since they were added, contact and next update)."""
    with connection.cursor() as cursor:
        return cursor.sql("select * from scorecard.publication").pl().row(0, named=True)


def _month_title(period: str) -> str:
    return f"{month_end(period):%B %Y}"


def _section_html(section: pl.DataFrame, index: int, scorecard_id: str) -> str:
    """One section's block: a great-tables table with a row per measure and a 24-month sparkline."""
    measures = list(section.iter_rows(named=True))
    rows = pl.DataFrame(
        {
            "measure": [_measure_cell(row) for row in measures],
            "value": [figure_html(row) for row in measures],
            "trend": [_sparkline(row["sparkline"]) for row in measures],
            "change": [_change_cell(row) for row in measures],
            "last_year": [_last_year_cell(row) for row in measures],
            "national": [
                _place_cell(row, row["national_value"], row["national_judgement"], "national") for row in measures
            ],
            "peers": [_place_cell(row, row["peer_value"], row["peer_judgement"], "peers") for row in measures],
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
            value="Figure (95% interval, base)",
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
                "measure": "24%",
                "value": "13%",
                "trend": "11%",
                "change": "11%",
                "last_year": "11%",
                "national": "11%",
                "peers": "11%",
                "rag": "8%",
            }
        )
        .tab_options(table_width="100%", table_font_size="12px", heading_align="left", data_row_padding="2px")
    )
    return f'<section class="pack-section" data-section-id="{html.escape(section["section_id"][0])}">{table.as_raw_html()}</section>\n'


def _measure_cell(row: dict) -> str:
    """The measure's title, its period when it is not the pack's month (a quarter, a rolling year, a cohort), and
    the link to its note."""
    label = (
        period_label(row["period_type"], row["period_start"], row["counting_basis"])
        if row["period_type"] != "month"
        else ""
    )
    period = f'<span class="period" data-period="{html.escape(label)}">{html.escape(label)}</span>' if label else ""
    return (
        f'<span class="measure" data-measure-id="{html.escape(row["measure_id"])}">{html.escape(row["title"])}</span>'
        f'<sup><a href="#note-{row["note"]}">{row["note"]}</a></sup>{period}'
    )


def _sparkline(values: list[float | None] | None) -> list[float | None] | None:
    """The trend's values, or none at all when fewer than two are known (a single point is not a trend)."""
    return values if values and sum(v is not None for v in values) >= 2 else None


def _change_cell(row: dict) -> str:
    """The change since the previous period: an arrow for its direction only, the signed change, and its judgement."""
    if row["change"] is None:
        return '<span class="muted">&ndash;</span>'
    arrow = direction_arrow(row["change"], row["direction_of_travel"])
    direction = {"↑": "up", "↓": "down"}.get(arrow, "flat")
    signed = unit_format(row["unit"]).difference(row["change"])
    since = previous_period_label(row["period_type"], row["period_start"], row["counting_basis"])
    return (
        f'<span class="arrow" data-direction="{direction}" title="since {html.escape(since)}">{arrow}</span> {signed} '
        f"{judgement_html(row['change_judgement'], True, untested_change_reason(row))}"
    )


def _last_year_cell(row: dict) -> str:
    """The same period a year earlier, the difference, and its judgement."""
    if row["same_period_last_year"] is None:
        return '<span class="muted">&ndash;</span>'
    return (
        f"{_with_difference(row, row['same_period_last_year'])} "
        f"{judgement_html(row['last_year_judgement'], True, why_untested(row))}"
    )


def _place_cell(row: dict, other: float | None, judgement: str | None, against: str) -> str:
    """England and Wales or the peer forces: their figure, the difference and its judgement, or why there is none."""
    if other is None:
        reason = missing_comparator_reason(row, against)
        short = "none published" if row["comparator_series"] is None else "not yet published"
        text = "&ndash;" if row["value"] is None else short
        return f'<span class="muted no-comparator" title="{html.escape(reason)}">{text}</span>'
    # an area's count against the country's total is no comparison: the difference only for rates and averages
    shown = _with_difference(row, other) if row["unit"] != "count" else format_figure(other, row["unit"])
    cell = f"{shown} {judgement_html(judgement, False, why_untested(row))}"
    if against == "peers" and row["peer_group"]:
        return f'<span title="peer group: {html.escape(row["peer_group"])}">{cell}</span>'
    return cell


def _with_difference(row: dict, other: float) -> str:
    """Another figure, and the pack's figure's difference from it (none beside a withheld or missing figure)."""
    text = format_figure(other, row["unit"])
    if row["value"] is None or row["status"] == "suppressed":
        return text
    return f'{text} <span class="muted">({unit_format(row["unit"]).difference(row["value"] - other)})</span>'


def _rag_cell(row: dict) -> str:
    if row["rag"] in RAG:
        return f'<span class="rag rag-{row["rag"]}">{RAG[row["rag"]].label}</span>'
    return f'<span class="muted">{NO_TARGET}</span>'


def _note_html(row: dict, period: str, names: Vocabulary) -> str:
    """A measure's note in plain English: what it counts, over what, from whom, as at when, how sure it is, what it
    is compared with, and why a figure is missing."""
    label = period_label(row["period_type"], row["period_start"], row["counting_basis"])
    as_at = f"Data to {long_date(row['as_at'])}." if row["as_at"] else f"No figure for {_month_title(period)}."
    reason = row["status_reason"] or (row["availability_reason"] if row["status"] in (None, "not_available") else None)
    why = f" <em>{html.escape(names.reason(reason))}.</em>" if reason else ""
    if row["interval_method"]:
        uncertainty = f"{CONFIDENCE} interval: {INTERVAL_NAMES[row['interval_method']]}."
    elif row["value"] is not None:
        uncertainty = f"No interval: {why_untested(row)}."
    else:
        uncertainty = ""
    comparator = (
        f"England and Wales and peer forces: {names.text(row['comparator_series'])}."
        if row["comparator_series"]
        else ""
    )
    parts = [
        f"{html.escape(names.text(row['description']))}",
        f"Counts {html.escape(counting_basis(row['counting_basis']))}{f' ({label})' if label else ''}.",
        f"Source: {html.escape(names.sources(row['source_agencies'], row['source_extracts']))}.",
        as_at,
        html.escape(uncertainty),
        html.escape(comparator),
    ]
    return (
        f'<li id="note-{row["note"]}"><strong>{html.escape(row["title"])}</strong>: '
        f"{' '.join(p for p in parts if p)}{why}</li>"
    )


def _about_html(header: PackHeader) -> str:
    """How to read the judgements and intervals, once for the whole pack."""
    methods = "".join(f"<li>{html.escape(text[0].upper() + text[1:])}.</li>" for text in INTERVAL_METHODS.values())
    return f"""<p>Each figure from a survey, a sample or a count of events carries a {CONFIDENCE} confidence interval
(CI): the range the underlying figure lies in 19 times out of 20, given chance variation alone; n is its base, the
number of answers or cases it rests on. A comparison is called <strong>better</strong> or <strong>worse</strong>
(<strong>higher</strong> or <strong>lower</strong> where neither direction is better) only where the difference is
statistically significant at the 5% level; otherwise it reads <strong>no real change</strong> (against an earlier
period) or <strong>similar</strong> (against England and Wales or the peer forces). England and Wales and the peer
forces are compared by whether their figure lies outside this figure's interval. With many comparisons in a pack,
about one in twenty of those where nothing really changed will still read as a change by chance.</p>
<ul>{methods}
<li>Not tested: estimates and provisional figures (their error is more than chance), averages of durations (the
extracts give no spread), counts of open cases on a date (consecutive dates share most cases), ratios of rates, figures
entered by hand, and a rolling year against the previous rolling year (they share 11 months).</li>
<li>England and Wales and peer figures are shown where a public release publishes the same measure (or the data
cover every force area); elsewhere the cell says none is published.</li></ul>
<p>Figures are read from the publication of {long_date(header.published_at)}, {header.published_at:%H:%M} UTC (publication reference
{html.escape(header.publication_id)}); small numbers are withheld so that no person can be identified.</p>"""


PAGE_CSS = Template("""
@page { size: A4 landscape; margin: 9mm; }
body { font-family: -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; color: #222; margin: 16px;
       -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@media print { body { margin: 0; font-size: 11px; } .summary { font-size: 11px; } }
header h1 { font-size: 22px; margin: 0 0 2px; color: #1d4f91; }
header .subtitle { font-size: 14px; margin: 0 0 8px; }
h2 { font-size: 15px; color: #1d4f91; margin: 8px 0 4px; }
.summary { break-after: page; font-size: 12px; }
.summary-grid { display: grid; grid-template-columns: 1.25fr 1fr; gap: 18px; }
.summary table { border-collapse: collapse; width: 100%; table-layout: fixed; }
.summary .interval { display: inline; margin-left: 4px; }
.summary col.measure-column { width: 36%; } .summary col.figure-column { width: 32%; }
.summary th, .summary td { text-align: left; padding: 2px 4px; border-bottom: 1px solid #ddd; vertical-align: top; }
.summary th { font-size: 11px; color: #555; }
.summary ul { margin: 0; padding-left: 16px; }
.summary table.deliveries { table-layout: auto; font-size: 10px; }
.summary table.deliveries td + td, .summary table.deliveries th + th { text-align: right; }
.summary li { margin-bottom: 2px; }
.glance { font-size: 13px; margin: 0 0 6px; }
.key { font-size: 10.5px; color: #444; border-top: 1px solid #ccc; margin-top: 8px; padding-top: 4px; }
.pack-section { margin-bottom: 12px; }
.pack-section tr { break-inside: avoid; }
.pack-section thead { display: table-header-group; }
.pack-section .gt_title { font-weight: 600 !important; color: #1d4f91 !important; }
.measure { font-weight: 600; }
.period, .interval { display: block; color: #555; font-size: 10.5px; }
sup a { color: #1d4f91; text-decoration: none; font-size: 10px; margin-left: 2px; }
.value { font-weight: 700; font-size: 13px; }
.value.suppressed, .value.not_available, .marker { color: #6b4e00; font-weight: 600; }
.muted { color: #666; }
.no-comparator { font-size: 10.5px; }
.arrow { color: #444; }
.judgement { display: inline-block; font-size: 10.5px; font-weight: 700; padding: 0 4px; border-radius: 3px;
             border: 1px solid currentColor; white-space: nowrap; }
.judgement.better { color: $green; }
.judgement.worse { color: $red; }
.judgement.neutral { color: #444; font-weight: 600; }
.judgement.untested { color: #666; font-weight: 400; border-style: dotted; }
.rag { display: inline-block; padding: 1px 6px; border-radius: 3px; font-weight: 600; }
$rag
.notes { font-size: 10px; color: #333; break-before: page; }
.notes p, .notes ul { margin: 2px 0 6px; }
.notes li { margin-bottom: 3px; }
""").substitute(
    green=RAG["green"].fill,
    red=RAG["red"].fill,
    rag="\n".join(
        f".rag-{colour} {{ background: {style.fill}; color: {style.text}; }}" for colour, style in RAG.items()
    ),
)
