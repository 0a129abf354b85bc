"""Incremental models give the same tables as a full refresh, and CPS Area figures apportioned to force areas add up.

One landing zone with two forces of one CPS Area (Wiltshire and Dorset, CPS Wessex; 2024-01..2024-06, seed 7) is
loaded in two refreshes of one warehouse, as deliveries arrive:
  1. months 2024-01..2024-03, with the police crimes of 2024-01 as first delivered (rows missing and wrong, as
     `resends.write_resend` rebuilds them; the run re-sends that month with corrections);
  2. all six months, with the corrected 2024-01: the incremental models rebuild 2024-01 (its delivery changed) and
     add 2024-04..2024-06, and leave 2024-02..2024-03 as they were.
Then the incremental tables are kept aside, `dbt run --full-refresh` rebuilds the same models from scratch in the same
database, and the two must be identical (EXCEPT ALL both ways empty). The apportionment is checked on the same
warehouse: the forces' figures add up to the CPS Area's exactly, and against the forces' own figures.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.cli import run_refresh
from pipelines.lib.simulator.resends import write_resend
from pipelines.lib.simulator.run import simulate
from pipelines.settings import BUILD_DB_ENV, DBT_PROJECT_DIR

INCREMENTAL_MODELS = ["int_police_charges", "int_cps_precharge_decisions_with_area"]
FIRST_LOAD_MONTHS = ("2024-01", "2024-02", "2024-03")
CORRECTED = ("police/crimes", "2024-01")
WESSEX = {"E23000038": "wiltshire", "E23000039": "dorset"}


def _copy_months(source: Path, dest: Path, months: tuple[str, ...] | None) -> None:
    """Copy the landing zone's extract files (all months, or only `months`) into dest, overwriting."""
    for path in source.rglob("*"):
        if path.is_dir() or "_truth" in path.parts:
            continue
        if months is not None and path.stem[-7:] not in months:
            continue
        target = dest / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def _tables(build_db: Path, schema: str) -> dict[str, pl.DataFrame]:
    with duckdb.connect(str(build_db), read_only=True) as connection:
        return {name: connection.sql(f"select * from {schema}.{name}").pl() for name in INCREMENTAL_MODELS}


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


def _full_refresh(build_db: Path, target_path: Path) -> None:
    """`dbt run --full-refresh` of the incremental models against the build database (in a subprocess: dbt-duckdb
    keeps its connection open in the process that ran it)."""
    dbt = Path(sys.executable).parent / "dbt"
    result = subprocess.run(
        [
            str(dbt),
            "run",
            "--full-refresh",
            "--select",
            *INCREMENTAL_MODELS,
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(target_path),
        ],
        env={**os.environ, BUILD_DB_ENV: str(build_db)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Completed successfully" in result.stdout


@pytest.fixture(scope="module")
def two_loads(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Simulate, load in two refreshes, keep the incremental tables, full-refresh them; return both versions."""
    root = tmp_path_factory.mktemp("incremental")
    full = root / "full"
    simulate(list(WESSEX.values()), "2024-01", "2024-06", full, seed=7, scale=1.0)
    landing, warehouse = root / "landing", root / "warehouse"
    build_db = warehouse / "build" / "cjs_build.duckdb"

    _copy_months(full, landing, FIRST_LOAD_MONTHS)
    resend = write_resend(full, *CORRECTED, root / "resend", seed=7)
    shutil.copyfile(resend["before"], landing / Path(resend["after"]).relative_to(root / "resend" / "after"))
    run_refresh(landing, warehouse)
    first_load = _tables(build_db, "intermediate")

    _copy_months(full, landing, None)
    run_refresh(landing, warehouse)
    incremental = _tables(build_db, "intermediate")
    with duckdb.connect(str(build_db)) as connection:
        connection.execute("create schema if not exists incremental_kept")
        for name in INCREMENTAL_MODELS:
            connection.execute(f"create or replace table incremental_kept.{name} as select * from intermediate.{name}")

    _full_refresh(build_db, root / "dbt_target")
    return {"full": full, "build_db": build_db, "first_load": first_load, "incremental": incremental}


@pytest.mark.parametrize("model", INCREMENTAL_MODELS)
def test_incremental_equals_full_refresh(two_loads: dict, model: str) -> None:
    with duckdb.connect(str(two_loads["build_db"]), read_only=True) as connection:
        only_incremental, only_full, rows = connection.execute(f"""
            select
                (select count(*) from (select * from incremental_kept.{model} except all select * from intermediate.{model})),
                (select count(*) from (select * from intermediate.{model} except all select * from incremental_kept.{model})),
                (select count(*) from intermediate.{model})
        """).fetchone()
    assert rows > 1000
    assert (only_incremental, only_full) == (0, 0)


def test_second_load_rebuilt_the_corrected_month_and_added_the_new_ones(two_loads: dict) -> None:
    before = two_loads["first_load"]["int_police_charges"]
    after = two_loads["incremental"]["int_police_charges"]
    month = CORRECTED[1]
    assert sorted(before["_reporting_month"].unique()) == list(FIRST_LOAD_MONTHS)
    assert sorted(after["_reporting_month"].unique()) == [f"2024-0{m}" for m in range(1, 7)]
    changed = _sorted(before.filter(pl.col("_reporting_month") == month).drop("_delivery_fingerprint"))
    corrected = _sorted(after.filter(pl.col("_reporting_month") == month).drop("_delivery_fingerprint"))
    assert not changed.equals(corrected)  # the first delivery's charges differ: the correction reached the model
    for kept in FIRST_LOAD_MONTHS[1:]:
        assert _sorted(before.filter(pl.col("_reporting_month") == kept)).equals(
            _sorted(after.filter(pl.col("_reporting_month") == kept))
        )


def test_incremental_charges_equal_truth(two_loads: dict) -> None:
    truth = pl.read_parquet(two_loads["full"] / "_truth" / "reconciliation.parquet")
    charges = (
        two_loads["incremental"]["int_police_charges"]
        .group_by("area_code", pl.col("charge_month").alias("month_start"))
        .agg(pl.col("crime_suspects_charged").sum().cast(pl.Int64).alias("model"))
    )
    compared = truth.join(charges, on=["area_code", "month_start"], how="left")
    assert compared.height == 12
    assert compared["model"].to_list() == compared["police_charges_crime_suspects"].to_list()


@pytest.fixture(scope="module")
def apportioned(two_loads: dict) -> pl.DataFrame:
    with duckdb.connect(str(two_loads["build_db"]), read_only=True) as connection:
        return connection.sql(
            "select * from reconcile.reconcile_cps_area_apportioned where cps_area = 'CPS Wessex'"
        ).pl()


def test_apportioned_figures_add_up_to_the_cps_area_total(apportioned: pl.DataFrame, two_loads: dict) -> None:
    assert apportioned["is_estimate"].all()
    assert set(apportioned["area_code"]) == {"E23000030", *WESSEX}  # Hampshire too: a force of CPS Wessex
    sums = apportioned.group_by("month_start", "figure").agg(
        pl.col("apportioned_value").sum(), pl.col("cps_area_value").first(), pl.col("apportionment_method").first()
    )
    assert sums.height == 6 * 3
    assert sums["apportioned_value"].to_list() == sums["cps_area_value"].to_list()
    assert set(sums["apportionment_method"]) == {
        "share_of_hmcts_disposals_finalised",
        "share_of_police_charges_crime_suspects",
    }
    # the CPS Area's figures are the truth's, summed over its forces
    truth = (
        pl.read_parquet(two_loads["full"] / "_truth" / "reconciliation.parquet")
        .group_by("month_start")
        .agg(
            (pl.col("cps_finalisations_mc") + pl.col("cps_finalisations_cc")).sum().alias("cps_finalisations"),
            pl.col("cps_precharge_decisions_files").sum(),
        )
    )
    for figure in ("cps_finalisations", "cps_precharge_decisions_files"):
        area = sums.filter(pl.col("figure") == figure).join(truth, on="month_start")
        assert area.height == 6
        assert area["cps_area_value"].to_list() == area[figure].to_list(), figure


def test_apportioned_estimates_against_the_forces_own_figures(apportioned: pl.DataFrame) -> None:
    """No force simulated is in no extract (Hampshire): it gets nothing; Wiltshire's and Dorset's estimates are within
    15% of their own figures (the basis is a different agency's count of a related flow)."""
    assert apportioned.filter(pl.col("area_code") == "E23000030")["apportioned_value"].sum() == 0
    simulated = apportioned.filter(pl.col("area_code").is_in(list(WESSEX)))
    errors = (simulated["apportioned_value"] / simulated["reported_force_value"] - 1).abs()
    print(f"\napportionment vs the forces' own figures: max error {errors.max():.1%}, mean {errors.mean():.1%}")
    assert errors.max() <= 0.15
