"""Calibration: over a large run the simulated rates sit within stated tolerances of the published targets
(docs/calibration.md; sources in pipelines/lib/simulator/params.py)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from pipelines.lib.simulator.common import month_end_day, month_start_day, parse_month
from pipelines.lib.simulator.geography import AREAS
from pipelines.lib.simulator.model import simulate_area
from pipelines.lib.simulator.truth import measure_values

START, END = "2023-04", "2025-03"  # two years


@pytest.fixture(scope="module")
def run():
    # West Yorkshire at full scale: ~290k crimes a year, a large enough sample for tight tolerances
    world = simulate_area(AREAS["west-yorkshire"], parse_month(START), parse_month(END), seed=2024, scale=1.0)
    mv = measure_values(world)
    pooled = mv.group_by("measure_id").agg(
        pl.col("numerator").sum(), pl.col("denominator").sum(), pl.col("value").mean().alias("mean")
    )
    return world, {r["measure_id"]: r for r in pooled.iter_rows(named=True)}


def pooled(m, mid, scale=100.0):
    return m[mid]["numerator"] / m[mid]["denominator"] * scale


# (description, value function, low, high)
def test_police_outcome_mix(run) -> None:
    world, _ = run
    lo, hi = int(month_start_day(parse_month(START))), int(month_end_day(parse_month(END)))
    c = world.crimes.filter((pl.col("recorded_date") >= lo) & (pl.col("recorded_date") <= hi))
    share = c["outcome_code"].value_counts(normalize=True)
    s = dict(zip(share["outcome_code"], share["proportion"], strict=True))
    assert 0.055 <= s.get("1", 0) + s.get("1A", 0) <= 0.076  # charged/summonsed 5.5-7.6%
    assert 0.37 <= s["18"] <= 0.43  # no suspect identified 37-43%
    assert 0.24 <= s["16"] <= 0.30  # victim does not support 24-30%
    assert 0.11 <= s["15"] <= 0.15  # ~13%
    oocd = sum(s.get(k, 0) for k in ("2", "3", "6", "7", "8"))
    assert 0.04 <= oocd <= 0.06 and 0.02 <= s["8"] <= 0.04  # OOCD ~5%, community resolution ~3%
    assert 0.15 <= c["da"].mean() <= 0.18  # DA 16-18%
    rasso = c.filter(pl.col("offence_group") == "rape")
    rape_charge = rasso["outcome_code"].is_in(["1", "1A"]).mean()
    assert 0.014 <= rape_charge <= 0.04  # adult rape charge rate 1.4-3% (+ sampling)
    da = c.filter(pl.col("da"))
    assert 0.50 <= (da["outcome_code"] == "16").mean() <= 0.60  # DA outcome 16 about 55%
    per_1000 = c.height / 2 / AREAS["west-yorkshire"].population * 1000
    assert 110 <= per_1000 <= 134
    median_days = (c["outcome_date"] - c["recorded_date"]).median()
    assert 9 <= median_days <= 20  # median recording to outcome about 14 days


def test_police_and_cps_rates(run) -> None:
    world, m = run
    months = 24
    crimes = m["crimes_recorded"]["mean"] * months
    arrests = m["arrests"]["mean"] * months
    assert 11.0 <= arrests / crimes * 100 <= 15.0  # ~12.6 arrests per 100 crimes
    assert 29 <= pooled(m, "da_arrest_rate") <= 38  # 30-36 per 100 DA crimes
    assert 74 <= pooled(m, "cps_charge_rate") <= 80  # 75-79%
    assert 38 <= pooled(m, "referral_to_charge_days", 1.0) <= 50  # 40-47 days (police + CPS)


def test_court_rates(run) -> None:
    _, m = run
    assert 81 <= pooled(m, "overall_conviction_rate") <= 86  # 82-84%
    assert 82 <= pooled(m, "mc_conviction_rate") <= 87  # 84-85%
    assert 75 <= pooled(m, "cc_conviction_rate") <= 82  # 79-80%
    assert 74 <= pooled(m, "da_conviction_rate") <= 80  # 76.4%
    assert 75 <= pooled(m, "guilty_plea_share_mc") <= 81  # ~78%
    assert 67 <= pooled(m, "guilty_plea_share_cc") <= 75  # ~71%
    assert 20 <= pooled(m, "mc_ineffective_trial_rate") <= 24.5  # 22%
    assert 22 <= pooled(m, "cc_ineffective_trial_rate") <= 29  # 25-27%
    assert 37 <= pooled(m, "effective_trial_rate") <= 45  # 41-42%
    assert 40 <= pooled(m, "victim_disengagement_da_sv") <= 60  # about half of unsuccessful DA cases
    assert 12 <= pooled(m, "stop_search_arrest_rate") <= 16  # 14%
    assert 6 <= pooled(m, "stop_search_black_white_ratio", 1.0) <= 10  # 7-9x


def test_cc_backlog_grows_then_shrinks() -> None:
    """CC waits scale with a backlog factor peaking mid-2025: first-hearing-to-trial days rise then fall."""
    from pipelines.lib.simulator.common import backlog_factor
    from pipelines.lib.simulator.params import CC_BACKLOG_WAIT

    f = backlog_factor(np.array([parse_month(x) for x in ("2023-01", "2025-06", "2027-12")]), **CC_BACKLOG_WAIT.value)
    assert f[1] > f[0] and f[1] > f[2]
