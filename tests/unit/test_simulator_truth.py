"""The truth obeys its identities: stock-flow, event order, counting-unit structure."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from pipelines.lib.simulator.common import month_end_day, month_start_day, parse_month
from pipelines.lib.simulator.geography import AREAS
from pipelines.lib.simulator.model import simulate_area, snapshot
from pipelines.lib.simulator.run import simulate
from pipelines.lib.simulator.truth import MEASURE_IDS, MEASURES, measure_values, reconciliation


@pytest.fixture(scope="module")
def world():
    return simulate_area(AREAS["cleveland"], parse_month("2024-01"), parse_month("2024-12"), seed=5, scale=0.5)


def test_court_events_follow_charge(world) -> None:
    ch = world.charged
    assert (ch["first_hearing"] >= ch["charge_date"]).all()  # every charged case's first hearing is after its charge
    d = world.dcs
    assert (d["first_hearing"] >= d["last_charge"]).all()
    assert (d["verdict_date"] >= d["first_hearing"]).all()  # finalisation after first hearing
    assert (d["completion_date"] >= d["verdict_date"]).all()
    sent = d.filter(pl.col("sent_to_cc"))
    assert (sent["cc_receipt_date"] == sent["first_hearing"]).all()
    assert (
        d.filter(~pl.col("sent_to_cc"))["mc_disposal_date"] == d.filter(~pl.col("sent_to_cc"))["completion_date"]
    ).all()
    h = world.hearings.join(d.select("dc_id", "first_hearing", "completion_date"), on="dc_id")
    assert (h["hearing_date"] >= h["first_hearing"]).all()
    assert (h["hearing_date"] <= h["completion_date"]).all()
    # hearing numbers strictly increase with date within a defendant-case
    hs = h.sort(["dc_id", "hearing_no"])
    same = hs["dc_id"].to_numpy()[1:] == hs["dc_id"].to_numpy()[:-1]
    assert (np.diff(hs["hearing_date"].to_numpy().astype("int64"))[same] >= 0).all()
    # an ineffective listing is always followed by another listing
    last = (
        h.sort(["dc_id", "hearing_no"])
        .group_by("dc_id", maintain_order=True)
        .agg(pl.col("trial_outcome").filter(pl.col("trial_outcome").is_not_null()).last())
    )
    assert (last["trial_outcome"].drop_nulls() != "Ineffective").all()


def test_pre_charge_order(world) -> None:
    c = world.crimes
    assert (c["outcome_date"] >= c["recorded_date"]).all()
    assert (c["offence_date"] <= c["recorded_date"]).all()
    r = c.filter(pl.col("referred"))
    assert (r["referral_date"] >= r["recorded_date"]).all()
    assert (r["decision_date"] >= r["referral_date"]).all()
    for k in (1, 2, 3):
        ap = r.filter(pl.col(f"ap{k}_issued") >= 0)
        assert (ap[f"ap{k}_answered"] >= ap[f"ap{k}_issued"]).all()
        assert (ap[f"ap{k}_issued"] >= ap["referral_date"]).all()
        assert (ap["decision_date"] >= ap[f"ap{k}_answered"]).all()
    charged = c.filter(pl.col("outcome_code").is_in(["1", "1A"]))
    assert (charged["charge_date"] == charged["outcome_date"]).all()
    s = world.suspects.filter(pl.col("arrested")).join(
        c.select("crime_id", "recorded_date", "outcome_date"), on="crime_id"
    )
    assert (s["arrest_date"] >= s["recorded_date"]).all() and (s["arrest_date"] <= s["outcome_date"]).all()


def test_counting_units_differ(world) -> None:
    """Several suspects per crime and several crimes per defendant-case both occur."""
    assert (world.crimes["n_suspects"] >= 2).sum() > 0
    assert (world.dcs["n_crimes"] >= 2).sum() > 0
    assert (world.cases.filter(pl.col("n_defendants") >= 2)).height > 0
    # a person can be a defendant in several cases
    assert world.dcs["person_id"].n_unique() < world.dcs.height


def test_stock_flow_identities(world) -> None:
    rec = reconciliation(world)
    for court in ("mc", "cc"):
        opening = rec[f"hmcts_{court}_outstanding_open"]
        closing = rec[f"hmcts_{court}_outstanding_close"]
        assert (closing == opening + rec[f"hmcts_{court}_receipts"] - rec[f"hmcts_{court}_disposals"]).all()
        assert (closing.to_numpy()[:-1] == opening.to_numpy()[1:]).all()
    # police charged-awaiting-court stock: closing = opening + charges - crime-suspects reaching first hearing
    ch = world.charged
    for m in world.months:
        s0, s1 = int(month_start_day(m)) - 1, int(month_end_day(m))
        open_ = ch.filter((pl.col("charge_date") <= s0) & (pl.col("first_hearing") > s0)).height
        close = ch.filter((pl.col("charge_date") <= s1) & (pl.col("first_hearing") > s1)).height
        inflow = ch.filter((pl.col("charge_date") > s0) & (pl.col("charge_date") <= s1)).height
        outflow = ch.filter(
            (pl.col("first_hearing") > s0) & (pl.col("first_hearing") <= s1) & (pl.col("charge_date") <= s1)
        ).height
        # a charge and its first hearing in the same month count in both in and out flows
        assert close == open_ + inflow - outflow
        snap = snapshot(world, s1)
        assert snap.filter(pl.col("status") == "Charged - awaiting court").height == close
    # the MC disposals include the cases sent to the Crown Court, which are CC receipts
    assert (rec["hmcts_mc_disposals_sent_to_cc"] == rec["hmcts_cc_receipts"]).all()


def test_live_statuses_do_not_overlap(world) -> None:
    iv = world.intervals.filter(pl.col("person_id").is_not_null()).sort(["crime_id", "suspect_seq", "start"])
    same = (iv["crime_id"].to_numpy()[1:] == iv["crime_id"].to_numpy()[:-1]) & (
        iv["suspect_seq"].to_numpy()[1:] == iv["suspect_seq"].to_numpy()[:-1]
    )
    assert (iv["start"].to_numpy()[1:][same] >= iv["end"].to_numpy()[:-1][same]).all()


def test_measure_values_shape(world) -> None:
    mv = measure_values(world)
    cohort_ids = [m.id for m in MEASURES if m.period_type == "cohort"]
    # cohort measures have rows only for the cohorts delivered in the reporting months
    assert set(mv["measure_id"].unique()) | set(cohort_ids) == set(MEASURE_IDS)
    assert mv.columns[:7] == [
        "measure_id",
        "area_code",
        "period_type",
        "period_start",
        "period_end",
        "value",
        "numerator",
    ]
    cohort = mv.filter(pl.col("period_type") == "cohort")
    assert mv.height - cohort.height == (len(MEASURE_IDS) - len(cohort_ids)) * 12
    assert set(cohort["measure_id"]) <= set(cohort_ids)
    rates = mv.filter(pl.col("numerator").is_not_null() & (pl.col("denominator") > 0))
    assert (rates["value"] - rates["numerator"] / rates["denominator"] * 100).abs().min() < 1e-9


def test_event_log_written(tmp_path: Path) -> None:
    simulate(["durham"], "2024-06", "2024-07", tmp_path, seed=1, scale=0.2)
    ev = pl.read_parquet(tmp_path / "_truth" / "events.parquet")
    types = set(ev["event_type"].unique())
    assert {
        "crime_recorded",
        "arrest",
        "referred_to_cps",
        "action_plan_issued",
        "cps_decision",
        "charged",
        "hearing",
        "sent_to_crown_court",
        "finalised",
        "sentenced",
        "outcome_assigned",
        "stop_search",
    } <= types
    assert str(ev["event_date"].max()) <= "2024-07-31"
    assert str(ev["event_date"].min()) >= "2024-06-01"  # warm-up events are not written
    rec = pl.read_parquet(tmp_path / "_truth" / "reconciliation.parquet")
    assert rec.height == 2
