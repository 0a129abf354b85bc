"""The whole asset graph materialised for real (polars -> pandera -> DuckDB -> dbt -> published file)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SMALL_LANDING_RUI_LIVE as EXPECTED_RUI_LIVE
from tests.duckdb_1_4 import run_script


@pytest.fixture(scope="module")
def refreshed(small_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`cjs-scorecard refresh`'s own function over the hand-made landing zone (the session's run, copied: the tests
    here publish and roll back)."""
    warehouse_dir = tmp_path_factory.mktemp("refreshed") / "warehouse"
    shutil.copytree(small_warehouse, warehouse_dir)
    return warehouse_dir


def _rui_live(database: Path) -> list[tuple]:
    with duckdb.connect(str(database), read_only=True) as connection:
        return connection.execute(
            """
            select period_start, value, area_code, area_name, period_type, period_end, unit, counting_basis, status, as_at
            from scorecard.measure_values
            where scorecard_id = 'wcjb' and measure_id = 'rui_live' and period_type = 'month' order by period_start
            """
        ).fetchall()


def test_rui_live_matches_hand_count(refreshed: Path) -> None:
    """The build database holds the figures; the published copy withholds them (3 and 4 are small numbers)."""
    rows = _rui_live(refreshed / "build" / "cjs_build.duckdb")
    assert {r[0]: r[1] for r in rows} == EXPECTED_RUI_LIVE
    assert rows[0][2:] == (
        "E23000038",
        "Wiltshire",
        "month",
        date(2024, 1, 31),
        "count",
        "snapshot",
        "ok",
        date(2024, 2, 29),
    )
    published = _rui_live(refreshed / "cjs_scorecard.duckdb")
    assert [(r[0], r[1], r[8]) for r in published] == [(month, None, "suppressed") for month in EXPECTED_RUI_LIVE]


def test_published_contract_columns_and_catalogue(refreshed: Path) -> None:
    with duckdb.connect(str(refreshed / "cjs_scorecard.duckdb"), read_only=True) as connection:
        columns = [r[0] for r in connection.execute("describe scorecard.measure_values").fetchall()]
        catalogue = connection.execute(
            "select title, section_id, unit, counting_basis, source_agencies from scorecard.measures where scorecard_id = 'wcjb' and measure_id = 'rui_live'"
        ).fetchall()
        schemas = {
            r[0]
            for r in connection.execute(
                "select schema_name from information_schema.schemata where catalog_name = current_database()"
            ).fetchall()
        }
    assert columns[:14] == [
        "scorecard_id",
        "measure_id",
        "area_code",
        "area_name",
        "period_type",
        "period_start",
        "period_end",
        "value",
        "numerator",
        "denominator",
        "unit",
        "counting_basis",
        "status",
        "as_at",
    ]
    # later additions, in order: the comparisons, then the published comparators (docs/public_data.md)
    assert columns[columns.index("national_value") : columns.index("national_value") + 4] == [
        "national_value",
        "published_national_value",
        "peer_group",
        "peer_value",
    ]
    assert catalogue == [
        ("Volume of RUI investigations (Live)", "p2_effective_efficient", "count", "snapshot", "police")
    ]
    # the published schemas only: the scorecard and the reconciliation marts; nothing from the private layers
    assert {"scorecard", "reconcile"} <= schemas
    assert (
        schemas & {"raw", "raw_history", "audit", "staging", "intermediate", "facts", "definitions", "public"} == set()
    )


def test_duckdb_1_4_client_opens_published_file(refreshed: Path) -> None:
    """BI connectors bundle DuckDB 1.4: open the file with that client, in its own throwaway environment."""
    script = (
        "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
        "print(duckdb.__version__, c.execute(\"select count(*) from scorecard.measure_values where scorecard_id = 'wcjb' and measure_id = 'rui_live'\").fetchone()[0], "
        "*c.execute('select count(rui_live), string_agg(distinct rui_live__status order by rui_live__status), string_agg(distinct rui_live__unit) "
        "from scorecard.wcjb__p2_effective_efficient').fetchone())"
    )
    stdout = run_script(script, refreshed / "cjs_scorecard.duckdb")
    # rui_live: 2 months, 1 quarter; the section's wide view works too: its figures are withheld small numbers, and
    # the status beside each says so, or that the period is not complete (not a blank that reads as zero)
    assert stdout.split() == ["1.4.4", "3", "0", "not_available,suppressed", "count"]


def test_build_database_is_private(refreshed: Path) -> None:
    assert (refreshed / "build").stat().st_mode & 0o077 == 0


def test_published_tables_and_columns_carry_their_documentation(refreshed: Path) -> None:
    with duckdb.connect(str(refreshed / "cjs_scorecard.duckdb"), read_only=True) as connection:
        tables = dict(
            connection.execute(
                "select table_name, comment from duckdb_tables() where schema_name = 'scorecard'"
            ).fetchall()
        )
        columns = dict(
            connection.execute(
                "select column_name, comment from duckdb_columns() where schema_name = 'scorecard' and table_name = 'measure_values'"
            ).fetchall()
        )
    assert tables["measure_values"].startswith("The figures BI users see")
    assert all(tables[name] for name in ["measure_breakdowns", "measures", "measure_value_history"])
    undocumented = sorted(name for name, comment in columns.items() if not comment)
    assert undocumented == [] and columns["revision"].startswith("0 for a figure's first published value")


def test_kept_publications_and_rollback(refreshed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every publication is kept (the last CJS_KEEP_PUBLICATIONS); `cjs-scorecard rollback` puts the one before back."""
    from pipelines.cli import main
    from pipelines.lib.publish import KEEP_ENV, publication_versions, publish

    published_db = refreshed / "cjs_scorecard.duckdb"
    build_db = refreshed / "build" / "cjs_build.duckdb"

    def publication_id() -> str:
        with duckdb.connect(str(published_db), read_only=True) as connection:
            return connection.execute("select publication_id from scorecard.publication").fetchall()[0][0]

    first = publication_id()
    monkeypatch.setenv(KEEP_ENV, "2")
    second = publish(build_db, published_db).publication_id
    third = publish(build_db, published_db).publication_id
    kept = publication_versions(published_db)
    assert [v.stem.split("_", 1)[1] for v in kept] == [second, third] and first not in {second, third}
    assert main(["rollback", "--warehouse", str(refreshed)]) == 0
    assert publication_id() == second
    assert main(["rollback", "--warehouse", str(refreshed), "--to", third]) == 0
    assert publication_id() == third
    assert main(["rollback", "--warehouse", str(refreshed), "--to", first]) == 2  # pruned: says so, changes nothing
    assert publication_id() == third


def test_parquet_file_per_published_table(refreshed: Path) -> None:
    """One Parquet file per published table, rewritten by every publication and rollback."""
    folder = refreshed / "parquet"
    with duckdb.connect(str(refreshed / "cjs_scorecard.duckdb"), read_only=True) as connection:
        names = [
            f"{schema}.{table}"
            for schema, table in connection.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = current_database() "
                "and not (schema_name = 'scorecard' and table_name = 'publication')"
            ).fetchall()
        ]
        for name in names:
            published = connection.execute(f"select count(*) from {name}").fetchall()[0][0]
            exported = connection.execute(
                f"select count(*) from read_parquet('{folder / (name + '.parquet')}')"
            ).fetchall()[0][0]
            assert exported == published, name
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{name}.parquet" for name in names)
    assert {
        "scorecard.measure_values",
        "scorecard.measure_value_history",
        "reconcile.reconcile_stock_flow_identity",
        "reconcile.linkage_match_rates",
    } <= set(names)
