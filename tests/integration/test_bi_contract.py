"""The BI contract, read as a BI developer's tools read it: the published file opened by the DuckDB 1.4 client that
connectors bundle, and its Parquet by pyarrow. Every published column has a real type (no NULL type, which Parquet
stores as NullType; no HUGEINT where BIGINT serves), and the long scorecard.latest_figures view answers "what is the
latest figure?" with status and reason beside each value, checked against the figures table row by row."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipelines.lib.figure_presentation import period_label
from tests.duckdb_1_4 import run_script

# What the DuckDB 1.4 client sees: every column of the published schemas (tables and views), and the view's rows.
READER = """
import datetime, duckdb, json, sys
connection = duckdb.connect(sys.argv[1], read_only=True)
columns = connection.execute(
    "select schema_name, table_name, column_name, data_type from duckdb_columns() "
    "where database_name = current_database() and schema_name in ('scorecard', 'reconcile') order by all"
).fetchall()
comments = dict(connection.execute(
    "select table_name, comment from duckdb_tables() where database_name = current_database() and schema_name = 'scorecard' "
    "union all select view_name, comment from duckdb_views() where database_name = current_database() "
    "and view_name = 'latest_figures'"
).fetchall())
cursor = connection.execute("select * from scorecard.latest_figures")
names = [d[0] for d in cursor.description]
rows = [dict(zip(names, row)) for row in cursor.fetchall()]
print(json.dumps({"version": duckdb.__version__, "columns": columns, "comments": comments, "latest": rows}, default=str))
"""


@pytest.fixture(scope="module")
def seen_by_duckdb_1_4(small_warehouse: Path) -> dict:
    seen = json.loads(run_script(READER, small_warehouse / "cjs_scorecard.duckdb"))
    assert seen["version"] == "1.4.4"
    return seen


def test_every_published_column_has_a_real_type(seen_by_duckdb_1_4: dict, small_warehouse: Path) -> None:
    types = {(schema, table, column): data_type for schema, table, column, data_type in seen_by_duckdb_1_4["columns"]}
    untyped = sorted(".".join(key) for key, data_type in types.items() if data_type in ('"NULL"', "NULL", "HUGEINT"))
    assert untyped == []
    for key in [
        ("scorecard", "measures", "target"),
        ("scorecard", "measures", "rag_green"),
        ("scorecard", "measures", "rag_red"),
        ("scorecard", "measure_values", "target"),
        ("scorecard", "measure_value_history", "target"),
    ]:
        assert types[key] == "DOUBLE", key
    assert types[("reconcile", "reconcile_flows_by_area_month", "police_charges_crime_suspects")] == "BIGINT"
    # Parquet: a column of nulls keeps its type (not NullType), which Power BI and pandas need to read it
    schema = pq.read_schema(small_warehouse / "parquet" / "scorecard.measures.parquet")
    assert {name: str(schema.field(name).type) for name in ["target", "rag_green", "rag_red"]} == {
        "target": "double",
        "rag_green": "double",
        "rag_red": "double",
    }


def _latest_by_hand(published_db: Path) -> dict[tuple, dict]:
    """The expected view, worked out in Python from every published figure: per scorecard, measure, area and period
    type, the latest period whose figure exists or is withheld, else the latest period (not available)."""
    with duckdb.connect(str(published_db), read_only=True) as connection:
        figures = (
            connection.sql(
                "select v.*, m.title from scorecard.measure_values v join scorecard.measures m using (scorecard_id, measure_id)"
            )
            .pl()
            .to_dicts()
        )
    expected: dict[tuple, dict] = {}
    for row in figures:
        key = (row["scorecard_id"], row["measure_id"], row["area_code"], row["period_type"])
        rank = (row["status"] != "not_available", row["period_end"])
        if key not in expected or rank > (expected[key]["status"] != "not_available", expected[key]["period_end"]):
            expected[key] = row
    return expected


def test_latest_figures_view_keeps_status_and_reason_beside_each_value(
    seen_by_duckdb_1_4: dict, small_warehouse: Path
) -> None:
    expected = _latest_by_hand(small_warehouse / "cjs_scorecard.duckdb")
    seen = {
        (r["scorecard_id"], r["measure_id"], r["area_code"], r["period_type"]): r for r in seen_by_duckdb_1_4["latest"]
    }
    assert len(seen) == len(seen_by_duckdb_1_4["latest"])  # one row per scorecard, measure, area and period type
    assert seen.keys() == expected.keys()
    for key, row in seen.items():
        truth = expected[key]
        assert (row["period_end"], row["value"], row["unit"], row["status"], row["reason"], row["title"]) == (
            str(truth["period_end"]),
            truth["value"],
            truth["unit"],
            truth["status"],
            truth["status_reason"],
            truth["title"],
        ), key
        assert row["period"] == period_label(truth["period_type"], truth["period_start"], truth["counting_basis"]), key
    # the hand-made landing zone's live RUI counts (3 and 4) are withheld: a withheld figure, never a zero
    rui = seen[("wcjb", "rui_live", "E23000038", "month")]
    assert (rui["period"], rui["value"], rui["status"]) == ("Feb 2024", None, "suppressed") and rui["reason"]
    # a measure no extract holds: there, not available, and why
    missing = seen[("wcjb", "public_perception_of_safety", "E23000038", "month")]
    assert (missing["value"], missing["status"]) == (None, "not_available") and missing["reason"]


def test_history_and_the_view_say_what_they_hold(seen_by_duckdb_1_4: dict) -> None:
    """The history table used to carry measure_values' comment ("the figures BI users see"): it holds the values
    they no longer see."""
    comments = seen_by_duckdb_1_4["comments"]
    assert comments["measure_value_history"].startswith("Every published figure that a later delivery revised")
    assert "figures BI users see" not in comments["measure_value_history"]
    assert comments["measure_values"].startswith("The figures BI users see")
    assert "status and reason sit beside value" in comments["latest_figures"]


def test_the_query_command_the_demo_prints_works_from_any_folder(
    small_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo ends with a command to query the file: it must run on a machine with no duckdb CLI, from any folder."""
    from pipelines.cli import _print_summary

    _print_summary(small_warehouse / "cjs_scorecard.duckdb", "wcjb")
    (command,) = [
        line.removeprefix("Query it: ")
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("Query it: ")
    ]
    completed = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    assert "Wiltshire" in completed.stdout and "suppressed" in completed.stdout  # rui_live, withheld, says so
