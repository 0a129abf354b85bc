"""Probation (case management system), MoJ proven reoffending, and the PCC's victim services and survey extracts.

- probation/community_orders: CSV, dates dd/mm/yyyy, Title Case headers, one row per order made in the month.
- moj/proven_reoffending: CSV, the MoJ tool's layout (headers with line breaks inside, as in the MoJ spreadsheets),
  one row per cohort quarter x age group x index disposal; delivered only in the month a cohort's lag has elapsed.
- pcc/victim_referrals, pcc/vcop_audit, pcc/victim_survey, pcc/public_confidence: CSV, snake_case headers, ISO dates.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipelines.lib.simulator.extracts.common import UrnErrors, fmt_date, landing_path, month_parts, write_csv, yn
from pipelines.lib.simulator.model import AreaWorld
from pipelines.lib.simulator.services import (
    VCOP_RIGHTS,
    cohort_summary,
    community_orders,
    public_confidence,
    reoffending_cohorts,
    vcop_audits,
    victim_referrals,
    victim_survey,
)

D = "%d/%m/%Y"
ISO = "%Y-%m-%d"
REOFFENDING_HEADERS = [
    "PFA Code",
    "Police Force Area",
    "Cohort Period",
    "Age Group",
    "Index Disposal",
    "Number of\noffenders",
    "Number of\nreoffenders",
    "Number of\nreoffences",
    "Proportion of offenders\nwho reoffend (%)",
    "Average number of\nreoffences per reoffender",
]


def _write_months(
    frame: pl.DataFrame, day_col: str, world: AreaWorld, out: Path, agency: str, extract: str, select, log: UrnErrors
) -> int:
    parts = month_parts(frame, day_col)
    n = 0
    for m in world.months:
        f = parts.get(m, frame.clear())
        n += write_csv(f.select(select), landing_path(out, agency, extract, m, "csv"), log)
    return n


def write_services(world: AreaWorld, out: Path, seed: int, log: UrnErrors) -> dict[str, int]:
    rows: dict[str, int] = {}
    a = world.area
    people = world.pool.select("person_id", "forename", "surname", "sex")

    # ---- probation: community and suspended sentence orders made in the month ----
    orders = (
        community_orders(world)
        .join(people, on="person_id", how="left")
        .join(
            world.crimes.select(pl.col("crime_id").alias("principal_crime_id"), "offence_description"),
            on="principal_crime_id",
            how="left",
        )
        .sort(["completion_date", "dc_id"])
    )
    # CRNs are unique nationally: two letters that only this force uses, then the person's number in the force.
    letters = "ABCDEFGHJKLMNPRSTVWXY"
    prefix = letters[a.force_no // 21] + letters[a.force_no % 21]
    rows["probation/community_orders"] = _write_months(
        orders,
        "completion_date",
        world,
        out,
        "probation",
        "community_orders",
        [
            pl.format("{}{}", pl.lit(prefix), (pl.col("person_id") % 1_000_000_000).cast(pl.String).str.zfill(6)).alias(
                "CRN"
            ),
            pl.lit(f"{a.region}").alias("Probation Region"),
            pl.lit(f"{a.name} PDU").alias("PDU"),
            pl.col("surname").str.to_uppercase().alias("Surname"),
            pl.col("forename").alias("Forename"),
            pl.col("dob").dt.strftime(D).alias("Date of Birth"),
            pl.col("sex").replace_strict({"M": "Male", "F": "Female"}).alias("Gender"),
            fmt_date("completion_date", D).alias("Sentence Date"),
            pl.col("sentence")
            .replace_strict(
                {"Community order": "Community Order", "Suspended sentence order": "Suspended Sentence Order"}
            )
            .alias("Order Type"),
            pl.when(pl.col("sent_to_cc"))
            .then(pl.lit("Crown Court"))
            .otherwise(pl.lit("Magistrates' Court"))
            .alias("Sentencing Court"),
            pl.col("order_months").alias("Length (Months)"),
            pl.col("n_requirements").alias("Requirement Count"),
            pl.col("upw_hours").alias("UPW Hours"),
            pl.col("rar_days").alias("RAR Days"),
            yn("req_mental_health_treatment").alias("MHTR"),
            yn("req_drug_rehabilitation").alias("DRR"),
            yn("req_alcohol_treatment").alias("ATR"),
            yn("req_curfew").alias("Curfew"),
            pl.col("offence_description").alias("Main Offence"),
        ],
        log,
    )

    # ---- MoJ proven reoffending: aggregate per cohort quarter, delivered after the lag ----
    summ = cohort_summary(reoffending_cohorts(world))
    n = 0
    for m in world.months:
        f = summ.filter(pl.col("delivered_month") == m)
        if f.height == 0:
            continue
        frame = f.select(
            pl.lit(a.code).alias(REOFFENDING_HEADERS[0]),
            pl.lit(a.name).alias(REOFFENDING_HEADERS[1]),
            pl.concat_str(
                [
                    pl.col("cohort_start").cast(pl.Date).dt.strftime("%b"),
                    pl.lit(" to "),
                    pl.col("cohort_end").cast(pl.Date).dt.strftime("%b %Y"),
                ]
            ).alias(REOFFENDING_HEADERS[2]),
            pl.when(pl.col("juvenile"))
            .then(pl.lit("Juvenile"))
            .otherwise(pl.lit("Adult"))
            .alias(REOFFENDING_HEADERS[3]),
            pl.col("index_disposal").alias(REOFFENDING_HEADERS[4]),
            pl.col("offenders").alias(REOFFENDING_HEADERS[5]),
            pl.col("reoffenders").alias(REOFFENDING_HEADERS[6]),
            pl.col("reoffences").alias(REOFFENDING_HEADERS[7]),
            (pl.col("reoffenders") / pl.col("offenders") * 100).round(1).alias(REOFFENDING_HEADERS[8]),
            pl.when(pl.col("reoffenders") > 0)
            .then((pl.col("reoffences") / pl.col("reoffenders")).round(2))
            .otherwise(None)
            .alias(REOFFENDING_HEADERS[9]),
        )
        n += write_csv(frame, landing_path(out, "moj", "proven_reoffending", m, "csv"), log)
    rows["moj/proven_reoffending"] = n

    # ---- PCC: victim referrals to services ----
    ref = victim_referrals(world)
    if ref.height:
        rows["pcc/victim_referrals"] = _write_months(
            ref,
            "referral_date",
            world,
            out,
            "pcc",
            "victim_referrals",
            [
                pl.format(
                    "VR{}-{}-{}",
                    pl.lit(f"{a.force_no:02d}"),
                    (pl.col("crime_id") % 10_000_000_000_000).cast(pl.String),
                    pl.col("referral_seq"),
                ).alias("referral_id"),
                fmt_date("referral_date", ISO).alias("referral_date"),
                pl.col("service").alias("service"),
                pl.col("source").alias("referral_source"),
                pl.col("crime_ref").alias("crime_reference"),
                pl.lit(a.name).alias("police_force_area"),
                pl.col("victim_sex").alias("victim_sex"),
                pl.col("victim_age").alias("victim_age"),
                pl.col("victim_ethnicity").alias("victim_ethnicity"),
                yn("da", "1", "0").alias("domestic_abuse"),
                yn("rasso", "1", "0").alias("sexual_violence"),
                pl.col("outcome").alias("referral_outcome"),
            ],
            log,
        )

    # ---- PCC: Victim Code compliance audit (sample) ----
    aud = vcop_audits(world)
    if aud.height:
        rows["pcc/vcop_audit"] = _write_months(
            aud,
            "audit_date",
            world,
            out,
            "pcc",
            "vcop_audit",
            [
                fmt_date("audit_date", ISO).alias("audit_date"),
                pl.col("crime_ref").alias("crime_reference"),
                pl.lit(a.name).alias("police_force_area"),
                yn("da", "1", "0").alias("domestic_abuse"),
                yn("rasso", "1", "0").alias("sexual_violence"),
                *[
                    yn(f"r{i}", "Met", "Not met").alias(name.lower().replace(" ", "_"))
                    for i, name in enumerate(VCOP_RIGHTS)
                ],
                yn("compliant", "Compliant", "Not compliant").alias("overall_result"),
            ],
            log,
        )

    # ---- PCC: victim satisfaction survey ----
    sv = victim_survey(world)
    if sv.height:
        rows["pcc/victim_survey"] = _write_months(
            sv,
            "response_date",
            world,
            out,
            "pcc",
            "victim_survey",
            [
                fmt_date("response_date", ISO).alias("response_date"),
                pl.col("crime_ref").alias("crime_reference"),
                pl.lit(a.name).alias("police_force_area"),
                pl.col("offence_group").str.replace_all("_", " ").str.to_titlecase().alias("offence_group"),
                yn("da", "1", "0").alias("domestic_abuse"),
                pl.col("victim_sex").alias("victim_sex"),
                pl.col("victim_age").alias("victim_age"),
                pl.col("answer").alias("whole_experience"),
                pl.col("kept_informed").alias("kept_informed"),
                pl.col("treated_fairly").alias("treated_fairly"),
            ],
            log,
        )

    # ---- PCC: public confidence survey ----
    pc = public_confidence(world)
    rows["pcc/public_confidence"] = _write_months(
        pc,
        "response_date",
        world,
        out,
        "pcc",
        "public_confidence",
        [
            pl.format(
                "PC{}-{}-{}",
                pl.lit(f"{a.force_no:02d}"),
                pl.col("response_date").cast(pl.Date).dt.strftime("%Y%m"),
                pl.col("response_no").cast(pl.String).str.zfill(4),
            ).alias("response_id"),
            fmt_date("response_date", ISO).alias("response_date"),
            pl.col("district").alias("police_force_area"),
            pl.col("age_band").alias("age_band"),
            pl.col("sex").alias("sex"),
            pl.col("answer").alias("police_doing_good_job"),
        ],
        log,
    )
    return rows
