"""Published figures against the simulator's ground truth, and a scan for the simulator's raw personal data."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests.conftest import SIMULATED_MONTHS

PERSONAL_HEADERS = ["Suspect Name", "Suspect DOB", "PNC ID", "Suspect ID"]


@pytest.mark.parametrize("measure_id", ["rui_live"])
def test_published_measure_equals_truth_every_month(
    simulated_landing: Path, simulated_warehouse: Path, measure_id: str
) -> None:
    truth = (
        pl.read_parquet(simulated_landing / "_truth" / "measure_values.parquet")
        .filter(pl.col("measure_id") == measure_id, pl.col("area_code") == "E23000038")
        .select("period_start", pl.col("value").alias("truth"))
    )
    with duckdb.connect(str(simulated_warehouse / "cjs_scorecard.duckdb"), read_only=True) as connection:
        published = connection.sql(
            f"select period_start, value as published from scorecard.measure_values where measure_id = '{measure_id}' and area_code = 'E23000038' and period_type = 'month'"
        ).pl()
    compared = truth.join(published, on="period_start", how="full", coalesce=True).sort("period_start")
    assert compared.height == SIMULATED_MONTHS
    assert compared["truth"].to_list() == compared["published"].to_list()


def _raw_personal_values(landing: Path) -> list[str]:
    frames = [
        pl.read_csv(p, infer_schema=False).select(PERSONAL_HEADERS)
        for p in sorted((landing / "police" / "live_caseload").glob("*.csv"))
    ]
    values = pl.concat(frames).unpivot().drop_nulls()["value"].unique()
    dobs = values.filter(values.str.contains(r"^\d\d/\d\d/\d{4}$"))
    iso_dobs = dobs.str.strptime(pl.Date, "%d/%m/%Y").cast(pl.String)
    return sorted(set(values.to_list()) | set(iso_dobs.to_list()))


def test_no_simulated_personal_value_in_any_warehouse_table(simulated_landing: Path, simulated_warehouse: Path) -> None:
    personal = pl.DataFrame({"value": _raw_personal_values(simulated_landing)})
    assert personal.height > 1000  # names, dates of birth, PNC and suspect IDs of thousands of suspects
    for database in [simulated_warehouse / "cjs_scorecard.duckdb", simulated_warehouse / "build" / "cjs_build.duckdb"]:
        with duckdb.connect(str(database), read_only=True) as connection:
            connection.register("personal", personal)
            text_columns = connection.execute(
                """select table_schema, table_name, column_name from information_schema.columns
                   where data_type = 'VARCHAR' and table_catalog = current_database()"""
            ).fetchall()
            assert text_columns
            for schema, table, column in text_columns:
                found = connection.execute(
                    f'select any_value("{column}") from "{schema}"."{table}" where "{column}" in (select value from personal)'
                ).fetchone()[0]
                assert found is None, f"raw personal value {found!r} in {database.name}: {schema}.{table}.{column}"
