"""Probation, reoffending, victim services and surveys, and re-sends: layouts, truth identities, calibration."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import pytest

from pipelines.lib.simulator.common import parse_month
from pipelines.lib.simulator.extracts.services import REOFFENDING_HEADERS
from pipelines.lib.simulator.geography import AREAS
from pipelines.lib.simulator.model import simulate_area
from pipelines.lib.simulator.resends import CORRECTABLE, write_resend
from pipelines.lib.simulator.run import simulate
from pipelines.lib.simulator.services import reoffending_cohorts

START, END = "2024-01", "2025-12"
AREA_CODES = {"Wiltshire": "E23000038", "Durham": "E23000008"}

LAYOUT = {
    ("probation", "community_orders"): (
        [
            "CRN",
            "Probation Region",
            "PDU",
            "Surname",
            "Forename",
            "Date of Birth",
            "Gender",
            "Sentence Date",
            "Order Type",
            "Sentencing Court",
            "Length (Months)",
            "Requirement Count",
            "UPW Hours",
            "RAR Days",
            "MHTR",
            "DRR",
            "ATR",
            "Curfew",
            "Main Offence",
        ],
        {"Date of Birth": "%d/%m/%Y", "Sentence Date": "%d/%m/%Y"},
    ),
    ("moj", "proven_reoffending"): (REOFFENDING_HEADERS, {}),
    ("pcc", "victim_referrals"): (
        [
            "referral_id",
            "referral_date",
            "service",
            "referral_source",
            "crime_reference",
            "police_force_area",
            "victim_sex",
            "victim_age",
            "victim_ethnicity",
            "domestic_abuse",
            "sexual_violence",
            "referral_outcome",
        ],
        {"referral_date": "%Y-%m-%d"},
    ),
    ("pcc", "vcop_audit"): (
        [
            "audit_date",
            "crime_reference",
            "police_force_area",
            "domestic_abuse",
            "sexual_violence",
            "right_1_understood",
            "right_3_needs_assessment",
            "right_4_referral_offered",
            "right_5_crime_reported",
            "right_6_updates_provided",
            "right_7_investigation_outcome",
            "overall_result",
        ],
        {"audit_date": "%Y-%m-%d"},
    ),
    ("pcc", "victim_survey"): (
        [
            "response_date",
            "crime_reference",
            "police_force_area",
            "offence_group",
            "domestic_abuse",
            "victim_sex",
            "victim_age",
            "whole_experience",
            "kept_informed",
            "treated_fairly",
        ],
        {"response_date": "%Y-%m-%d"},
    ),
    ("pcc", "public_confidence"): (
        ["response_id", "response_date", "police_force_area", "age_band", "sex", "police_doing_good_job"],
        {"response_date": "%Y-%m-%d"},
    ),
}


@pytest.fixture(scope="module")
def sim(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("svc")
    simulate(["wiltshire", "durham"], START, END, out, seed=21, scale=0.4)
    return out


def _all(sim: Path, agency: str, extract: str) -> pl.DataFrame:
    files = sorted((sim / agency / extract).glob("*.csv"))
    return pl.concat(
        [pl.read_csv(p, infer_schema=False).with_columns(pl.lit(p.stem[-7:]).alias("_file_month")) for p in files]
    )


def _truth(sim: Path, measure: str) -> pl.DataFrame:
    return pl.read_parquet(sim / "_truth" / "measure_values.parquet").filter(pl.col("measure_id") == measure)


@pytest.mark.parametrize("key", sorted(LAYOUT), ids=lambda k: "/".join(k))
def test_new_extracts_parse_with_documented_headers(sim: Path, key) -> None:
    agency, extract = key
    headers, dates = LAYOUT[key]
    files = sorted((sim / agency / extract).glob("*.csv"))
    assert files
    for path in files:
        assert path.name.startswith(f"{agency}_{extract}_")
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8")
        assert frame.columns == headers
        for col, fmt in dates.items():
            assert frame[col].drop_nulls().str.strptime(pl.Date, fmt, strict=True).null_count() == 0
    if key[0] != "moj":
        assert len(files) == 24  # one file per reporting month


def test_probation_orders_match_truth(sim: Path) -> None:
    orders = _all(sim, "probation", "community_orders")
    for force, code in AREA_CODES.items():
        f = orders.filter(pl.col("Probation Region").is_not_null() & pl.col("PDU").str.starts_with(force))
        per_month = f.group_by("_file_month").agg(
            pl.len().alias("n"),
            (pl.col("MHTR") == "Y").sum().alias("mhtr"),
            ((pl.col("DRR") == "Y") | (pl.col("ATR") == "Y")).sum().alias("da"),
        )
        per_month = per_month.with_columns(pl.col("_file_month").str.to_date("%Y-%m").alias("period_start"))
        for measure, col in (
            ("community_orders_made", "n"),
            ("mhtr_ordered", "mhtr"),
            ("drug_alcohol_requirements", "da"),
        ):
            t = _truth(sim, measure).filter(pl.col("area_code") == code).join(per_month, on="period_start", how="left")
            assert t["value"].to_list() == t[col].fill_null(0).cast(pl.Float64).to_list(), measure
    assert (orders["Requirement Count"].cast(pl.Int64) >= 0).all()
    upw = orders.filter(pl.col("UPW Hours").is_not_null())["UPW Hours"].cast(pl.Int64)
    assert upw.min() >= 40 and upw.max() <= 300


def test_victim_measures_match_files(sim: Path) -> None:
    ref = _all(sim, "pcc", "victim_referrals")
    aud = _all(sim, "pcc", "vcop_audit")
    sv = _all(sim, "pcc", "victim_survey")
    pc = _all(sim, "pcc", "public_confidence")
    assert {"Horizon", "Splash", "Swindon Women's Aid", "SARC"} <= set(
        ref.filter(pl.col("police_force_area") == "Wiltshire")["service"].unique()
    )
    for force, code in AREA_CODES.items():

        def per_month(frame, expr, name, force=force):
            return (
                frame.filter(pl.col("police_force_area") == force)
                .group_by("_file_month")
                .agg(expr.alias(name))
                .with_columns(pl.col("_file_month").str.to_date("%Y-%m").alias("period_start"))
            )

        checks = [
            ("victim_referrals", per_month(ref, pl.len(), "x"), "value"),
            ("victims_referred", per_month(ref, pl.col("crime_reference").n_unique(), "x"), "value"),
            ("vcop_compliance_rate", per_month(aud, (pl.col("overall_result") == "Compliant").sum(), "x"), "numerator"),
            (
                "victim_satisfaction_pct",
                per_month(
                    sv,
                    pl.col("whole_experience")
                    .is_in(["Completely satisfied", "Very satisfied", "Fairly satisfied"])
                    .sum(),
                    "x",
                ),
                "numerator",
            ),
            (
                "public_confidence_pct",
                per_month(pc, pl.col("police_doing_good_job").is_in(["Excellent", "Good"]).sum(), "x"),
                "numerator",
            ),
        ]
        for measure, got, col in checks:
            t = _truth(sim, measure).filter(pl.col("area_code") == code).join(got, on="period_start", how="left")
            assert t[col].fill_null(0).to_list() == t["x"].fill_null(0).cast(pl.Float64).to_list(), (force, measure)
    # rates are plausible
    assert 0.65 <= (aud["overall_result"] == "Compliant").mean() <= 0.9
    assert (
        0.6
        <= sv["whole_experience"].is_in(["Completely satisfied", "Very satisfied", "Fairly satisfied"]).mean()
        <= 0.8
    )
    assert 0.4 <= pc["police_doing_good_job"].is_in(["Excellent", "Good"]).mean() <= 0.6


def test_reoffending_file_matches_truth_and_respects_the_lag(sim: Path) -> None:
    files = sorted((sim / "moj" / "proven_reoffending").glob("*.csv"))
    assert files and len(files) < 24  # quarterly, only once a cohort's lag has elapsed
    rf = pl.concat([pl.read_csv(p, infer_schema=False).with_columns(pl.lit(p.stem[-7:]).alias("_m")) for p in files])
    for row in rf.select("_m", "Cohort Period").unique().iter_rows():
        delivered, period = parse_month(row[0]), row[1]  # e.g. "Apr to Jun 2023"
        last = parse_month(
            f"{period[-4:]}-{['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].index(period[-8:-5]) + 1:02d}"
        )
        assert delivered - last == 19
    n_off, n_re, n_k = REOFFENDING_HEADERS[5], REOFFENDING_HEADERS[6], REOFFENDING_HEADERS[7]
    adult = (
        rf.filter(pl.col("Age Group") == "Adult")
        .group_by("PFA Code", "Cohort Period")
        .agg(pl.col(n_off).cast(pl.Int64).sum(), pl.col(n_re).cast(pl.Int64).sum())
    )
    t = _truth(sim, "proven_reoffending_rate_adult")
    assert t.height == adult.height
    assert sorted(t["numerator"].cast(pl.Int64).to_list()) == sorted(adult[n_re].to_list())
    assert sorted(t["denominator"].cast(pl.Int64).to_list()) == sorted(adult[n_off].to_list())
    assert (rf[n_k].cast(pl.Int64) >= rf[n_re].cast(pl.Int64)).all()


def test_reoffending_calibration() -> None:
    world = simulate_area(AREAS["west-yorkshire"], parse_month("2024-01"), parse_month("2025-12"), seed=5, scale=0.5)
    c = reoffending_cohorts(world)
    adult, juv = c.filter(~pl.col("juvenile")), c.filter(pl.col("juvenile"))
    assert adult.height > 5000 and juv.height > 300
    assert 25.0 <= adult["reoffended"].mean() * 100 <= 27.5  # adult 27.3% (Apr-Jun 2023 cohort)
    assert 28.0 <= juv["reoffended"].mean() * 100 <= 35.0  # juvenile 31.6%
    re = c.filter(pl.col("reoffended"))
    assert 3.5 <= re["reoffences"].cast(pl.Float64).mean() <= 4.0  # 3.5-4 reoffences per reoffender


def test_resends_listed_and_reproducible(sim: Path, tmp_path: Path) -> None:
    rs = pl.read_parquet(sim / "_truth" / "resends.parquet")
    assert rs.height > 0
    assert (rs["resent_in_month"] > rs["reporting_month"]).all()
    assert set(rs["extract"]) <= set(CORRECTABLE)
    for r in rs.head(3).iter_rows(named=True):
        res = write_resend(sim, r["extract"], r["reporting_month"], tmp_path / r["extract"].replace("/", "_"), seed=21)
        after, before = res["after"], res["before"]
        agency, name = r["extract"].split("/")
        landing = sim / agency / name / f"{agency}_{name}_{r['reporting_month']}.csv"
        assert hashlib.sha256(after.read_bytes()).digest() == hashlib.sha256(landing.read_bytes()).digest()
        b = pl.read_csv(before, infer_schema=False)
        a = pl.read_csv(after, infer_schema=False)
        assert b.columns == a.columns
        assert a.height - b.height == r["rows_added"] and b.height == r["rows_first_delivery"]
        changed = b.join(
            a, on=[c for c in a.columns if c != r["column_corrected"]], how="left", suffix="_after", nulls_equal=True
        )
        col = r["column_corrected"]
        differ = changed.filter(pl.col(col).ne_missing(pl.col(f"{col}_after")))
        assert differ.height == r["rows_changed"]
    # any month of any correctable extract can be turned into a before/after pair, deterministically
    one = write_resend(sim, "police/crimes", "2024-05", tmp_path / "x1", seed=21)
    two = write_resend(sim, "police/crimes", "2024-05", tmp_path / "x2", seed=21)
    assert one["before"].read_bytes() == two["before"].read_bytes()
    assert one["before"].read_bytes() != one["after"].read_bytes()
