"""The case journey (intermediate.int_case_journey) and its timeliness (intermediate.int_timeliness_by_area_month)
against the simulator's truth (Wiltshire 2023-01..2024-12, seed 7: 24 months).

Exact (every month: count = truth denominator, sum of days = truth numerator, mean to 1e-9):
  first_hearing_to_trial_days, report_to_referral_days, referral_to_charge_days, precharge_timeliness_cps_days.
Exact where the extracts allow, bounded elsewhere:
  precharge_timeliness_police_days: the number of answers is exact every month; an answer to a plan issued before the
  first month loaded has no issue date in the data, so the mean is exact in the months where every answered plan's
  issue is in the data, and elsewhere the missing days are at least (answer date - 2022-12-31) each.
  charge_to_first_hearing_days, da_charge_to_first_hearing_days: the first hearings (MC receipts) are exact; a charge
  date is known only through a police record with the URN (CPS-route charging decisions in police pre-charge, or a
  Charged - awaiting court row of a month-end live caseload). Police-route charges heard before the next month end
  reach neither extract (and the first month's charges of the month before predate the data), so the mean is over the cases
  with a known charge and is biased towards longer waits: tolerance stated below. Each known charge date is checked
  against the truth's event log to the day.

Run: uv run --frozen pytest tests/integration/test_case_journey.py -q -s
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests.conftest import SIMULATED_FIRST_MONTH, SIMULATED_MONTHS

AREA = "E23000038"  # Wiltshire
EXACT = {
    # measure_id: (sum column, count column)
    "first_hearing_to_trial_days": ("first_hearing_to_trial_days_sum", "first_hearing_to_trial_count"),
    "report_to_referral_days": ("report_to_referral_days_sum", "report_to_referral_count"),
    "referral_to_charge_days": ("referral_to_charge_days_sum", "referral_to_charge_count"),
    "precharge_timeliness_cps_days": ("precharge_timeliness_cps_days_sum", "precharge_timeliness_cps_count"),
}
# Measured on seed 7 (months 2023-02..2024-12): the mean over cases with a known charge is 2.1-3.7 days above the
# truth (DA 0.2-2.0); the first month is off by ~15 days (most of its first hearings follow charges before the data).
CHARGE_TO_FIRST_HEARING_TOLERANCE_DAYS = 5.0
DA_CHARGE_TO_FIRST_HEARING_TOLERANCE_DAYS = 3.0
MIN_CHARGE_KNOWN_SHARE = 0.75  # of first hearings, every month but the first
FIRST_MONTH = dt.date.fromisoformat(f"{SIMULATED_FIRST_MONTH}-01")


@pytest.fixture(scope="module")
def build_db(simulated_warehouse: Path):
    con = duckdb.connect(str(simulated_warehouse / "build" / "cjs_build.duckdb"), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def journey(build_db) -> pl.DataFrame:
    return build_db.sql("select * from intermediate.int_case_journey").pl()


@pytest.fixture(scope="module")
def compared(build_db, simulated_landing: Path) -> pl.DataFrame:
    """Truth rows of the timeliness measures joined to the model's figures (all 24 months)."""
    truth = pl.read_parquet(simulated_landing / "_truth" / "measure_values.parquet").filter(
        pl.col("area_code") == AREA, pl.col("period_type") == "month"
    )
    model = build_db.sql("select * from intermediate.int_timeliness_by_area_month").pl()
    out = truth.rename({"period_start": "month_start"}).join(model, on=["area_code", "month_start"], how="left")
    assert out.height == truth.height
    return out


def _measure(compared: pl.DataFrame, measure_id: str) -> pl.DataFrame:
    rows = compared.filter(pl.col("measure_id") == measure_id).sort("month_start")
    assert rows.height == SIMULATED_MONTHS, measure_id
    return rows


@pytest.mark.parametrize("measure_id", list(EXACT))
def test_timeliness_exact(compared: pl.DataFrame, measure_id: str) -> None:
    sum_col, count_col = EXACT[measure_id]
    rows = _measure(compared, measure_id)
    for r in rows.iter_rows(named=True):
        assert r[count_col] == r["denominator"], (measure_id, r["month_start"])
        assert float(r[sum_col]) == r["numerator"], (measure_id, r["month_start"])
        assert abs(r[measure_id] - r["value"]) <= 1e-9, (measure_id, r["month_start"])
    print(f"\n{measure_id}: {rows.height}/{SIMULATED_MONTHS} months exact (count, sum of days, mean)")


def test_police_precharge_timeliness(compared: pl.DataFrame, build_db) -> None:
    rows = _measure(compared, "precharge_timeliness_police_days")
    # answers whose plan was issued before the data: their answer dates bound the missing days from below
    unseen = build_db.sql(f"""
        with plans as (
            select crime_reference, action_plan_number,
                min(event_date) filter (where event_type = 'action_plan_received') as issued,
                min(event_date) filter (where event_type = 'action_plan_answered') as answered
            from staging.stg_police__precharge
            where event_type in ('action_plan_received', 'action_plan_answered')
            group by all
        )
        select cast(date_trunc('month', answered) as date) as month_start, count(*) as n,
            sum(answered - (date '{SIMULATED_FIRST_MONTH}-01' - 1)) as min_days
        from plans where answered is not null and issued is null group by all
    """).pl()
    unseen_by_month = {r["month_start"]: r for r in unseen.iter_rows(named=True)}
    exact_months = 0
    for r in rows.iter_rows(named=True):
        assert r["action_plans_answered"] == r["denominator"], r["month_start"]
        missing = r["action_plans_answered"] - r["precharge_timeliness_police_count"]
        if missing == 0:
            assert float(r["precharge_timeliness_police_days_sum"]) == r["numerator"], r["month_start"]
            assert abs(r["precharge_timeliness_police_days"] - r["value"]) <= 1e-9, r["month_start"]
            exact_months += 1
        else:
            u = unseen_by_month[r["month_start"]]
            assert u["n"] == missing
            gap = r["numerator"] - float(r["precharge_timeliness_police_days_sum"])
            assert gap >= u["min_days"], r["month_start"]
    print(
        f"\nprecharge_timeliness_police_days: {exact_months}/{SIMULATED_MONTHS} months exact; "
        f"answers exact {SIMULATED_MONTHS}/{SIMULATED_MONTHS}"
    )
    assert exact_months >= 4


def test_charge_to_first_hearing(compared: pl.DataFrame) -> None:
    rows = _measure(compared, "charge_to_first_hearing_days")
    da = _measure(compared, "da_charge_to_first_hearing_days")
    print("\nmonth       first_hearings known  truth   model   diff | DA truth  model   diff")
    for r, d in zip(rows.iter_rows(named=True), da.iter_rows(named=True), strict=True):
        assert r["first_hearings"] == r["denominator"], r["month_start"]
        diff = r["charge_to_first_hearing_days"] - r["value"]
        da_diff = d["da_charge_to_first_hearing_days"] - d["value"]
        print(
            f"{r['month_start']}  {r['first_hearings']:>5} {r['charge_to_first_hearing_count']:>5}  "
            f"{r['value']:6.2f}  {r['charge_to_first_hearing_days']:6.2f}  {diff:+5.2f} | "
            f"{d['value']:6.2f}  {d['da_charge_to_first_hearing_days']:6.2f}  {da_diff:+5.2f}"
        )
        if r["month_start"] == FIRST_MONTH:
            continue  # left edge: the first month's first hearings mostly follow charges of the month before
        assert r["charge_to_first_hearing_count"] >= MIN_CHARGE_KNOWN_SHARE * r["first_hearings"]
        assert abs(diff) <= CHARGE_TO_FIRST_HEARING_TOLERANCE_DAYS, r["month_start"]
        assert abs(da_diff) <= DA_CHARGE_TO_FIRST_HEARING_TOLERANCE_DAYS, r["month_start"]
        # DA flag is unknown for a case with neither a CPS finalisation nor a police record linked yet
        assert d["denominator"] - 3 <= d["da_first_hearings"] <= d["denominator"], r["month_start"]


def test_known_charge_dates_are_right_to_the_day(journey: pl.DataFrame, simulated_landing: Path) -> None:
    """Each charge date the journey knows equals the truth's first charge of that defendant-case (MC case numbers
    end in the simulator's 6-digit dc_id), where the truth's charges are all in the reporting months."""
    events = pl.read_parquet(simulated_landing / "_truth" / "events.parquet")
    charges = (
        events.filter(pl.col("event_type") == "charged")
        .group_by("dc_id")
        .agg(pl.col("event_date").min().alias("truth_charge"))
    )
    first = events.filter(pl.col("event_type") == "hearing", pl.col("court_type") == "MC", pl.col("value") == 1).select(
        "dc_id", pl.col("event_date").alias("truth_first_hearing")
    )
    known = (
        journey.filter(pl.col("mc_case_number").is_not_null(), pl.col("charge_date").is_not_null())
        .with_columns((pl.col("mc_case_number").str.slice(-6).cast(pl.Int64) + 54_000_000_000).alias("dc_id"))
        .join(charges, on="dc_id", how="inner")
        .join(first, on="dc_id", how="inner")
    )
    wrong = known.filter(pl.col("charge_date") != pl.col("truth_charge"))
    print(f"\nknown charge dates checked: {known.height}, wrong: {wrong.height}")
    assert known.height > 2000
    assert wrong.height <= 0.005 * known.height
    assert (known["first_hearing_date"] == known["truth_first_hearing"]).all()


def test_one_row_per_defendant_case(journey: pl.DataFrame) -> None:
    assert journey["defendant_case_key"].is_unique().all()
    assert journey["defendant_case_key"].null_count() == 0
    for col in ("mc_case_number", "cps_defendant_key"):
        assert journey[col].drop_nulls().is_unique().all(), col
    cc_cases = journey.drop_nulls("cc_case_number").select("cc_court_code", "cc_case_number")
    assert cc_cases.is_unique().all()  # a Crown Court case is its court and number


def test_every_mc_case_first_listed_is_in_the_journey(build_db, journey: pl.DataFrame) -> None:
    mc = build_db.sql("select distinct case_number from staging.stg_hmcts__mc_cases where record_type = 'receipt'").pl()
    assert mc.height > 3000
    missing = mc.join(journey.select(pl.col("mc_case_number").alias("case_number")), on="case_number", how="anti")
    assert missing.height == 0


def test_dates_in_order(journey: pl.DataFrame) -> None:
    checks = {
        "charge <= first hearing": pl.col("charge_date") > pl.col("first_hearing_date"),
        "first hearing <= finalisation": pl.col("first_hearing_date") > pl.col("finalisation_date"),
        "first hearing <= effective trial": pl.col("first_hearing_date") > pl.col("effective_trial_date"),
        "first hearing <= sent to CC": pl.col("first_hearing_date") > pl.col("sent_to_cc_date"),
        "recorded <= charge": pl.col("recorded_date") > pl.col("charge_date"),
        "offence <= recorded": pl.col("offence_date") > pl.col("recorded_date"),
    }
    for name, bad in checks.items():
        assert journey.filter(bad).height == 0, name
