"""The counting-basis reconciliation marts against the simulator's truth (Wiltshire, 24 months), and a late extract
shown as a gap."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.cli import run_refresh
from tests.conftest import SIMULATED_MONTHS

WILTSHIRE = "E23000038"
# mart column -> truth column (_truth/reconciliation.parquet), all exact counts
FLOWS = {
    "police_charges_crime_suspects": "police_charges_crime_suspects",
    "cps_precharge_decisions_files": "cps_precharge_decisions_files",
    "cps_finalisations_mc": "cps_finalisations_mc",
    "cps_finalisations_cc": "cps_finalisations_cc",
    "hmcts_mc_receipts": "hmcts_mc_receipts",
    "hmcts_mc_disposals": "hmcts_mc_disposals",
    "hmcts_mc_disposals_sent_to_cc": "hmcts_mc_disposals_sent_to_cc",
    "hmcts_cc_receipts": "hmcts_cc_receipts",
    "hmcts_cc_disposals": "hmcts_cc_disposals",
}
STOCKS = {
    "police_charged_awaiting_court_rows": "police_charged_awaiting_court_rows",
    "hmcts_mc_outstanding": "hmcts_mc_outstanding_close",
    "hmcts_cc_outstanding": "hmcts_cc_outstanding_close",
}


def truth(landing: Path) -> pl.DataFrame:
    return (
        pl.read_parquet(landing / "_truth" / "reconciliation.parquet")
        .filter(pl.col("area_code") == WILTSHIRE)
        .sort("month_start")
    )


def mart(warehouse: Path, name: str) -> pl.DataFrame:
    with duckdb.connect(str(warehouse / "build" / "cjs_build.duckdb"), read_only=True) as connection:
        return connection.sql(f"select * from reconcile.{name} where area_code = '{WILTSHIRE}' order by all").pl()


@pytest.mark.parametrize(
    ("name", "columns"), [("reconcile_flows_by_area_month", FLOWS), ("reconcile_stocks_by_area_month", STOCKS)]
)
def test_marts_equal_truth_every_month(
    simulated_landing: Path, simulated_warehouse: Path, name: str, columns: dict
) -> None:
    expected = truth(simulated_landing).select("month_start", *[pl.col(t).alias(m) for m, t in columns.items()])
    published = mart(simulated_warehouse, name).select("month_start", *columns)
    assert published.height == SIMULATED_MONTHS
    assert published.to_dicts() == expected.to_dicts()


def test_stock_flow_residual_equals_truth(simulated_landing: Path, simulated_warehouse: Path) -> None:
    expected = truth(simulated_landing)
    identity = mart(simulated_warehouse, "reconcile_stock_flow_identity")
    for court in ("mc", "cc"):
        rows = identity.filter(pl.col("court_type") == court.upper()).sort("month_start")
        true_residual = expected[f"hmcts_{court}_outstanding_close"] - (
            expected[f"hmcts_{court}_outstanding_open"]
            + expected[f"hmcts_{court}_receipts"]
            - expected[f"hmcts_{court}_disposals"]
        )
        assert rows["opening"].to_list()[1:] == expected[f"hmcts_{court}_outstanding_open"].to_list()[1:]
        assert rows["residual"].to_list()[1:] == true_residual.to_list()[1:]
        assert rows["opening"][0] is None  # the month before the first delivery is unknown, not zero


def test_a_late_extract_shows_as_a_gap(simulated_landing: Path, tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(simulated_landing, landing, ignore=shutil.ignore_patterns("_truth"))
    late_files = [
        "hmcts/outstanding/hmcts_outstanding_2024-06.csv",
        "hmcts/mc_cases/hmcts_mc_cases_2024-06.csv",
        "cps/precharge_decisions/cps_precharge_decisions_2024-06.csv",
    ]
    for late in late_files:
        (landing / late).unlink()
    run_refresh(landing, tmp_path / "warehouse")

    june, july = date(2024, 6, 1), date(2024, 7, 1)
    stocks = mart(tmp_path / "warehouse", "reconcile_stocks_by_area_month")
    flows = mart(tmp_path / "warehouse", "reconcile_flows_by_area_month")
    identity = mart(tmp_path / "warehouse", "reconcile_stock_flow_identity").filter(pl.col("court_type") == "MC")
    assert stocks.filter(pl.col("month_start") == june)["hmcts_mc_outstanding"].to_list() == [None]
    assert flows.filter(pl.col("month_start") == june)["hmcts_mc_receipts"].to_list() == [None]
    assert flows.filter(pl.col("month_start") == june)["cps_finalisations_mc"].item() is not None  # finalisations came
    assert flows.filter(pl.col("month_start") == june)["cps_charges_suspects"].to_list() == [None]
    assert flows.filter(pl.col("month_start") == june)["police_charges_crime_suspects"].item() is not None
    # the derived CPS stock is unknown from the missing month on (a charge not seen would be missing from it)
    derived = stocks.sort("month_start").select("month_start", "cps_live_cases_derived")
    assert derived.filter(pl.col("month_start") >= june)["cps_live_cases_derived"].null_count() == 7
    assert derived.filter(pl.col("month_start") < june)["cps_live_cases_derived"].null_count() == 0
    assert identity.filter(pl.col("month_start").is_in([june, july]))["residual"].to_list() == [None, None]
    expected = (
        truth(simulated_landing).filter(pl.col("month_start") == date(2024, 5, 1))["hmcts_mc_outstanding_close"].item()
    )
    assert stocks.filter(pl.col("month_start") == date(2024, 5, 1))["hmcts_mc_outstanding"].item() == expected
