"""The shared presentation vocabulary against hand-written expectations: GSS symbols that the reading side understands
the same way, GOV.UK's RAG colours, each unit's rounding in text and in Excel, arrows, and the headline-and-trend query
over a small hand-made published file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.lib.errors import ConfigurationError
from pipelines.lib.figure_presentation import (
    RAG,
    STATUS_MARKERS,
    UNITS,
    direction_arrow,
    figure_marker,
    format_figure,
    headline_figures,
    interval_text,
    judgement_word,
    long_date,
    period_label,
    previous_period_label,
    shown_status,
    unit_format,
)
from pipelines.lib.markers import MARKERS


def test_written_markers_read_back_with_their_meaning() -> None:
    """What the pack and workbook write for a withheld or missing figure is what markers.py reads as the same."""
    assert {s: MARKERS[STATUS_MARKERS[s].symbol] for s in ("suppressed", "not_available")} == {
        "suppressed": "suppressed",
        "not_available": "not_available",
    }
    assert [m.symbol for m in STATUS_MARKERS.values()] == ["[c]", "[x]", "[e]", "[p]"]


def test_rag_colours_are_govuk() -> None:
    # GOV.UK Design System: red #d4351c, yellow #ffdd00, green #00703c; text black #0b0c0c on yellow.
    assert {c: (s.label, s.fill.lower(), s.text.lower()) for c, s in RAG.items()} == {
        "red": ("Red", "#d4351c", "#ffffff"),
        "amber": ("Amber", "#ffdd00", "#0b0c0c"),
        "green": ("Green", "#00703c", "#ffffff"),
    }


def test_units_read_the_same_in_text_and_excel() -> None:
    assert [
        format_figure(v, u)
        for v, u in [
            (12345.4, "count"),
            (12.345, "percentage"),
            (11.46, "days"),
            (0.456, "ratio"),
            (3.14159, "rate_per_1000"),
            (None, "count"),
        ]
    ] == ["12,345", "12.3%", "11.5 days", "0.46", "3.14 per 1,000", ""]
    assert {unit: f.excel for unit, f in UNITS.items()} == {
        "count": "#,##0",
        "percentage": "0.0",
        "days": "0.0",
        "ratio": "0.00",
        "rate_per_1000": "0.00",
    }
    assert unit_format("percentage").difference(1.5) == "+1.5 pp"  # percentage points, not per cent
    assert unit_format("days").difference(-0.74) == "-0.7 days" and unit_format("count").difference(0) == "0"
    with pytest.raises(ConfigurationError, match="'per_capita'.*count, percentage"):
        unit_format("per_capita")


def test_markers_arrows_and_statuses() -> None:
    assert figure_marker(None, "suppressed").symbol == "[c]"
    assert figure_marker(5.0, "suppressed").symbol == "[c]"  # a withheld figure never reads as a number
    assert figure_marker(None, "ok").symbol == "[x]" and figure_marker(None, "estimate").symbol == "[e]"
    assert figure_marker(5.0, "estimate") is None
    assert shown_status("estimate", "provisional: the plea is not in yet") == "provisional"
    assert (
        shown_status("estimate", "partial: over 9 of 10 rows") == "estimate"
        and shown_status(None, None) == "not_available"
    )
    assert [
        direction_arrow(c, d) for c, d in [(3, "worsening"), (-1, None), (0.2, "stable"), (0, None), (None, "up")]
    ] == ["↑", "↓", "→", "→", ""]


@pytest.fixture
def published(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """A published file by hand: a board over two areas; a monthly measure (with quarters too, which it must not
    show), a quarterly one whose latest quarter is old, and one with no figure yet."""
    connection = duckdb.connect(str(tmp_path / "published.duckdb"))
    connection.execute(
        """create schema scorecard;
           create table scorecard.measures (
               scorecard_id varchar, section_id varchar, section_title varchar, section_order int, measure_order int,
               measure_id varchar, period_types varchar, unit varchar, title varchar, description varchar,
               counting_basis varchar, source_agencies varchar, source_extracts varchar, polarity varchar,
               aggregate varchar, availability varchar, availability_reason varchar, comparator_series varchar,
               target double);
           insert into scorecard.measures (scorecard_id, section_id, section_title, section_order, measure_order,
                                           measure_id, period_types, unit, counting_basis) values
               ('b', 's1', 'Section one', 1, 1, 'monthly', 'month,quarter,r12m', 'count', 'in_period'),
               ('b', 's1', 'Section one', 1, 2, 'quarterly', 'quarter', 'percentage', 'in_period'),
               ('b', 's2', 'Section two', 2, 1, 'none_yet', 'month', 'days', 'in_period'),
               ('b', 's2', 'Section two', 2, 2, 'cohort', 'quarter', 'percentage', 'cohort'),
               ('other', 's1', 'Section one', 1, 1, 'monthly', 'month', 'count', 'in_period');
           create table scorecard.measure_values (
               scorecard_id varchar, measure_id varchar, area_code varchar, area_name varchar, area_type varchar,
               period_type varchar, period_start date, period_end date, counting_basis varchar, value double,
               numerator double, denominator double,
               status varchar,
               status_reason varchar, as_at date, previous_value double, change double, same_period_last_year double,
               direction_of_travel varchar, national_value double, published_national_value double,
               peer_group varchar, peer_value double, rag varchar, target double);"""
    )
    # Monthly figures: the board 2023-01..2025-04, value 1000 + months since 2023-01 (April is after the month asked
    # for); area Zulu March 2025 only; area Alpha January 2025 only (nothing since).
    for area_code, area_name, area_type, first, last, value in [
        ("B", "The board", "board", "2023-01-01", "2025-04-01", "1000 + datediff('month', date '2023-01-01', m)"),
        ("A1", "Zulu", "area", "2025-03-01", "2025-03-01", "7"),
        ("A2", "Alpha", "area", "2025-01-01", "2025-01-01", "9"),
    ]:
        connection.execute(
            f"""insert into scorecard.measure_values (scorecard_id, measure_id, area_code, area_name, area_type,
                    period_type, period_start, period_end, counting_basis, value, status)
                select 'b', 'monthly', ?, ?, ?, 'month', m, last_day(m), 'in_period', {value}, 'ok'
                from range(?::date, ?::date + interval 1 day, interval 1 month) r(m)""",
            [area_code, area_name, area_type, first, last],
        )
    connection.execute(
        """insert into scorecard.measure_values (scorecard_id, measure_id, area_code, area_name, area_type,
               period_type, period_start, period_end, value, status, status_reason, rag, target) values
           ('b', 'monthly', 'B', 'The board', 'board', 'quarter', '2025-01-01', '2025-03-31', 5, 'ok', null, null, null),
           ('b', 'quarterly', 'B', 'The board', 'board', 'quarter', '2024-07-01', '2024-09-30', 61.5, 'ok', null, 'red', 70),
           ('b', 'quarterly', 'B', 'The board', 'board', 'quarter', '2024-10-01', '2024-12-31', null, 'suppressed',
            'small', null, 70),
           ('other', 'monthly', 'B', 'The board', 'board', 'month', '2025-03-01', '2025-03-31', 1, 'ok', null, null, null)"""
    )
    # A cohort measure: the cohort of Jan-Mar 2023 published (long after), Apr-Jun 2023 not yet delivered.
    connection.execute(
        """insert into scorecard.measure_values (scorecard_id, measure_id, area_code, area_name, area_type,
               period_type, period_start, period_end, counting_basis, value, status, status_reason) values
           ('b', 'cohort', 'B', 'The board', 'board', 'quarter', '2023-01-01', '2023-03-31', 'cohort', 25.4, 'ok', null),
           ('b', 'cohort', 'B', 'The board', 'board', 'quarter', '2023-04-01', '2023-06-30', 'cohort', null,
            'not_available', 'not delivered: moj_proven_reoffending 2025-01')"""
    )
    yield connection
    connection.close()


def test_headline_and_trend(published: duckdb.DuckDBPyConnection) -> None:
    rows = headline_figures(published, "b", date(2025, 3, 15), current_only=False).to_dicts()
    assert [
        (r["measure_id"], r["area_name"], r["period_type"], r["period_end"], r["value"], r["status"]) for r in rows
    ] == [
        ("monthly", "The board", "month", date(2025, 3, 31), 1026.0, "ok"),  # not April's, nor the quarter's 5
        ("monthly", "Alpha", "month", date(2025, 1, 31), 9.0, "ok"),  # the latest however old
        ("monthly", "Zulu", "month", date(2025, 3, 31), 7.0, "ok"),
        ("quarterly", "The board", "quarter", date(2024, 12, 31), None, "suppressed"),
        ("none_yet", None, "month", None, None, None),
        ("cohort", "The board", "quarter", date(2023, 3, 31), 25.4, "ok"),  # the latest cohort published
    ]
    board_trend = rows[0]["trend"]
    assert [p["end_month"] for p in board_trend] == [date(2023 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(24)]
    assert [p["value"] for p in board_trend] == [1003.0 + i for i in range(24)]
    assert rows[3]["trend"] == [
        {"end_month": date(2024, 9, 1), "value": 61.5, "status": "ok", "status_reason": None},
        {"end_month": date(2024, 12, 1), "value": None, "status": "suppressed", "status_reason": "small"},  # a gap
    ]
    assert rows[3]["target"] == 70.0 and rows[4]["trend"] is None


def test_current_only_keeps_the_measure_but_not_an_old_headline(published: duckdb.DuckDBPyConnection) -> None:
    """The pack's reading: one area; a quarter counts for the three months to its end, a month only for itself."""

    def headline(month: date, area: str) -> list[tuple]:
        rows = headline_figures(published, "b", month, area, current_only=True).to_dicts()
        return [(r["measure_id"], r["period_end"], len(r["trend"] or [])) for r in rows]

    assert headline(date(2025, 2, 28), "B") == [
        ("monthly", date(2025, 2, 28), 24),
        ("quarterly", date(2024, 12, 31), 2),
        ("none_yet", None, 0),
        ("cohort", date(2023, 3, 31), 2),
    ]  # a cohort is published long after its quarter: its latest, however old
    assert headline(date(2025, 3, 31), "B")[1] == ("quarterly", None, 2)  # December's quarter is old by March
    assert headline(date(2025, 3, 31), "A2")[0] == ("monthly", None, 1)  # January's figure, in the trend only


def test_judgement_words_intervals_and_period_labels() -> None:
    """The same words, interval text and period labels for the pack and the workbook, against hand-written text."""
    assert [
        judgement_word(code, over_time)
        for code, over_time in [
            ("better", True),
            ("worse", False),
            ("not_significant", True),
            ("not_significant", False),
            ("higher", True),
            ("not_tested", False),
            (None, True),
        ]
    ] == ["better", "worse", "no real change", "similar", "higher", "not tested", ""]
    # public confidence, 20 of 58: Wilson 95% interval 23.6% to 47.3% (worked by hand in the statistics test)
    assert interval_text(23.56, 47.33, 58, "percentage") == "95% CI 23.6% to 47.3%, n = 58"
    assert interval_text(2739.45, 2949.47, 2843, "count") == "95% CI 2,739 to 2,949"  # a count is its own base
    assert interval_text(None, None, 222, "days") == "n = 222" and interval_text(None, None, None, "days") == ""
    assert [
        period_label(t, date(2024, 10, 1), basis)
        for t, basis in [
            ("month", "in_period"),
            ("quarter", "in_period"),
            ("quarter", "cohort"),
            ("r12m", "rolling_12_months"),
        ]
    ] == ["Oct 2024", "Oct-Dec 2024", "cohort of Oct-Dec 2024", "12 months to Sep 2025"]
    assert previous_period_label("month", date(2025, 1, 1)) == "Dec 2024"
    assert previous_period_label("quarter", date(2025, 1, 1)) == "Oct-Dec 2024"
    assert long_date(date(2026, 12, 7)) == "7 December 2026"
