"""CPS extracts (case management system MI): CSV, UPPER_SNAKE headers, ISO dates (yyyy-mm-dd), flags 1/0, CPS Area
geography with the CPS's own force spellings, suspects and defendants as the counting units, URN written with spaces
(``54 SW 00123 23``)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipelines.lib.simulator.common import month_end_day, month_start_day
from pipelines.lib.simulator.extracts.common import (
    UrnErrors,
    fmt_date,
    inject_urn_errors,
    landing_path,
    month_parts,
    urn_cps,
    write_csv,
)
from pipelines.lib.simulator.journey import OFFENCES
from pipelines.lib.simulator.model import AreaWorld

ISO = "%Y-%m-%d"
CPS_FORCE_NAMES = {
    "Devon & Cornwall": "Devon and Cornwall",
    "Dyfed-Powys": "Dyfed Powys",
    "Metropolitan Police": "Metropolitan and City",
    "London, City of": "Metropolitan and City",
}
POC = {o["group"]: o["poc"] for o in OFFENCES}
MOTORING_CODES = {"802/00"}

OUTCOME_LABEL = {
    "GP1": "Conviction - guilty plea",
    "GPH": "Conviction - guilty plea",
    "GPC": "Conviction - guilty plea",
    "CAT": "Conviction after trial",
    "PIA": "Proof in absence",
    "ACQ": "Acquittal / dismissal",
    "DSH": "Discontinued / withdrawn",
    "DSC": "Discontinued / withdrawn",
    "ADM": "Administratively finalised",
}


def principal_offence_category() -> pl.Expr:
    """The COPOC category of a crime (columns offence_group, ho_offence_code): its group's, motoring codes apart."""
    poc = pl.col("offence_group").replace_strict(POC, default="All Other Offences (excluding Motoring)")
    return (
        pl.when(pl.col("ho_offence_code").is_in(list(MOTORING_CODES))).then(pl.lit("Motoring Offences")).otherwise(poc)
    )


def flag(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.Int8)


def write_cps(world: AreaWorld, out: Path, seed: int, log: UrnErrors) -> dict[str, int]:
    rows: dict[str, int] = {}
    a = world.area
    force = CPS_FORCE_NAMES.get(a.name, a.name)
    area_name = f"CPS {a.cps_area}"
    months = list(world.months)
    lo, hi = int(month_start_day(months[0])), int(month_end_day(months[-1]))
    people = world.pool.select("person_id", "forename", "surname", "dob")
    crimes = world.crimes
    poc = principal_offence_category()

    # ---- pre-charge decisions: every CPS response (action plan or decision), one row per suspect ----
    ref = crimes.filter(pl.col("referred"))
    subs = ["referral_date", "ap1_answered", "ap2_answered", "ap3_answered"]
    parts = []
    for k in (1, 2, 3):
        parts.append(
            ref.filter(pl.col(f"ap{k}_issued") >= 0).select(
                "crime_id",
                pl.col(subs[k - 1]).alias("submitted"),
                pl.col(f"ap{k}_issued").alias("responded"),
                pl.lit("Action plan").alias("response"),
            )
        )
    last_sub = pl.coalesce([pl.when(pl.col("n_action_plans") == k).then(pl.col(subs[k])) for k in range(4)])
    parts.append(
        ref.select(
            "crime_id",
            last_sub.alias("submitted"),
            pl.col("decision_date").alias("responded"),
            pl.col("decision")
            .replace_strict(
                {1: "Charge", 2: "No further action - evidential", 3: "No further action - public interest"},
                return_dtype=pl.String,
            )
            .alias("response"),
        )
    )
    resp = (
        pl.concat(parts, how="vertical")
        .filter((pl.col("responded") >= lo) & (pl.col("responded") <= hi))
        .join(world.suspects.select("crime_id", "suspect_seq", "person_id"), on="crime_id")
        .join(
            crimes.select(
                "crime_id", "crime_ref", "offence_group", "ho_offence_code", "da", "hate", "rasso", "referral_date"
            ),
            on="crime_id",
        )
        .join(people, on="person_id", how="left")
        .join(world.charged.select("crime_id", "suspect_seq", "urn"), on=["crime_id", "suspect_seq"], how="left")
    )
    resp = resp.sort(["responded", "crime_ref", "suspect_seq", "response"])
    by_month = month_parts(resp, "responded")
    n = 0
    for m in months:
        f = by_month.get(m, resp.clear())
        frame = f.select(
            pl.lit(area_name).alias("CPS_AREA"),
            pl.lit(force).alias("POLICE_FORCE"),
            pl.col("crime_ref").str.replace_all("/", "").alias("POLICE_CRIME_REF"),
            pl.when(pl.col("response") == "Charge").then(urn_cps()).otherwise(None).alias("URN"),
            pl.col("surname").str.to_uppercase().alias("SUSPECT_SURNAME"),
            pl.col("forename").alias("SUSPECT_FORENAME"),
            pl.col("dob").dt.strftime(ISO).alias("SUSPECT_DOB"),
            fmt_date("referral_date", ISO).alias("DATE_FIRST_RECEIVED"),
            fmt_date("submitted", ISO).alias("DATE_SUBMITTED"),
            fmt_date("responded", ISO).alias("DATE_OF_RESPONSE"),
            pl.col("response").alias("RESPONSE_TYPE"),
            (pl.col("responded") - pl.col("submitted")).alias("DAYS_TO_RESPONSE"),
            poc.alias("PRINCIPAL_OFFENCE_CATEGORY"),
            flag("da").alias("DOMESTIC_ABUSE_FLAG"),
            flag("hate").alias("HATE_CRIME_FLAG"),
            flag("rasso").alias("RASSO_FLAG"),
        )
        frame = inject_urn_errors(
            frame,
            "URN",
            "POLICE_CRIME_REF",
            agency="cps",
            extract="precharge_decisions",
            month_idx=m,
            seed=seed,
            area_code=a.code,
            area_code_int=a.code_int,
            stream_offset=3,
            log=log,
        )
        n += write_csv(frame, landing_path(out, "cps", "precharge_decisions", m, "csv"), log)
    rows["cps/precharge_decisions"] = n

    # ---- finalisations: one row per defendant-case completed in the month ----
    principal = crimes.select(pl.col("crime_id").alias("principal_crime_id"), "offence_group", "ho_offence_code")
    fin = (
        world.dcs.filter((pl.col("completion_date") >= lo) & (pl.col("completion_date") <= hi))
        .join(principal, on="principal_crime_id", how="left")
        .join(people.drop("dob"), on="person_id", how="left")
    )
    fin = fin.sort("dc_id")
    by_month = month_parts(fin, "completion_date")
    n = 0
    for m in months:
        f = by_month.get(m, fin.clear())
        frame = f.select(
            pl.lit(area_name).alias("CPS_AREA"),
            pl.lit(force).alias("POLICE_FORCE"),
            urn_cps().alias("URN"),
            (pl.col("dc_id") % 1_000_000_000 + 7_000_000).cast(pl.String).alias("DEFENDANT_ID"),
            pl.col("surname").str.to_uppercase().alias("DEFENDANT_SURNAME"),
            pl.col("forename").alias("DEFENDANT_FORENAME"),
            pl.col("dob").dt.strftime(ISO).alias("DEFENDANT_DOB"),
            pl.when(pl.col("sent_to_cc"))
            .then(pl.lit("Crown Court"))
            .otherwise(pl.lit("Magistrates Court"))
            .alias("COURT_TYPE"),
            fmt_date("completion_date", ISO).alias("FINALISATION_DATE"),
            pl.col("result_category").replace_strict(OUTCOME_LABEL).alias("OUTCOME"),
            pl.when(pl.col("convicted"))
            .then(pl.lit("Conviction"))
            .otherwise(pl.lit("Unsuccessful"))
            .alias("OUTCOME_CATEGORY"),
            pl.col("unsuccessful_reason").alias("UNSUCCESSFUL_REASON"),
            poc.alias("PRINCIPAL_OFFENCE_CATEGORY"),
            flag("da").alias("DOMESTIC_ABUSE_FLAG"),
            flag("hate").alias("HATE_CRIME_FLAG"),
            flag("rasso").alias("RASSO_FLAG"),
            pl.col("n_crimes").alias("NUMBER_OF_CHARGES"),
            (pl.col("result_category") == "GP1").cast(pl.Int8).alias("GUILTY_PLEA_FIRST_HEARING"),
        )
        frame = inject_urn_errors(
            frame,
            "URN",
            "DEFENDANT_ID",
            agency="cps",
            extract="finalisations",
            month_idx=m,
            seed=seed,
            area_code=a.code,
            area_code_int=a.code_int,
            stream_offset=4,
            log=log,
        )
        n += write_csv(frame, landing_path(out, "cps", "finalisations", m, "csv"), log)
    rows["cps/finalisations"] = n
    return rows
