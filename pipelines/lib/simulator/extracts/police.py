"""Police extracts (force crime, custody and case systems): CSV, UTF-8, dates dd/mm/yyyy, Title Case headers,
force named as in the ONS lookup, crimes and suspects as the counting units."""

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
    write_csv,
    yn,
)
from pipelines.lib.simulator.model import AreaWorld, snapshots

LIVE_CHUNK_MONTHS = 3  # live-caseload months built in one pass (bounds memory for the largest forces)

D = "%d/%m/%Y"

LIVE_CASELOAD_HEADERS = [
    "Force",
    "Snapshot Date",
    "Crime Reference",
    "URN",
    "Suspect ID",
    "Suspect Name",
    "Suspect DOB",
    "PNC ID",
    "HO Offence Code",
    "Recorded Date",
    "Status",
    "Status Date",
    "Days In Status",
    "DA Flag",
    "Hate Flag",
    "RASSO Flag",
    "Youth Suspect",
]

ETHNICITY_LABELS = {
    "W1": "White - English/Welsh/Scottish/Northern Irish/British",
    "W2": "White - Irish",
    "W9": "White - Any other White background",
    "A1": "Asian/Asian British - Indian",
    "A2": "Asian/Asian British - Pakistani",
    "A3": "Asian/Asian British - Bangladeshi",
    "A4": "Asian/Asian British - Chinese",
    "A9": "Asian/Asian British - Any other Asian background",
    "B1": "Black/African/Caribbean/Black British - Caribbean",
    "B2": "Black/African/Caribbean/Black British - African",
    "B9": "Black/African/Caribbean/Black British - Any other Black/African/Caribbean background",
    "M1": "Mixed/Multiple ethnic groups - White and Black Caribbean",
    "M2": "Mixed/Multiple ethnic groups - White and Black African",
    "M3": "Mixed/Multiple ethnic groups - White and Asian",
    "M9": "Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background",
    "O2": "Other ethnic group - Arab",
    "O9": "Other ethnic group - Any other ethnic group",
    "NS": "Other ethnic group - Not stated",
}


def _suspect_id(force_no: int) -> pl.Expr:
    return pl.format("P{}", (pl.col("person_id") % 1_000_000_000 + 1).cast(pl.String).str.zfill(8))


def _person_cols(world: AreaWorld) -> pl.DataFrame:
    return world.pool.select("person_id", "forename", "surname", "dob", "pnc_id", "sex", "ethnicity_code")


def write_police(world: AreaWorld, out: Path, seed: int, log: UrnErrors) -> dict[str, int]:
    rows: dict[str, int] = {}
    a = world.area
    people = _person_cols(world)
    crimes = world.crimes
    months = list(world.months)
    lo, hi = int(month_start_day(months[0])), int(month_end_day(months[-1]))

    # ---- live caseload (the spec'd extract) ----
    charged_urn = world.charged.select("crime_id", "suspect_seq", "urn")
    crime_cols = crimes.select("crime_id", "crime_ref", "ho_offence_code", "recorded_date", "da", "hate", "rasso")
    n = 0
    for c0 in range(0, len(months), LIVE_CHUNK_MONTHS):  # one pass per chunk of months (bounded memory)
        chunk = months[c0 : c0 + LIVE_CHUNK_MONTHS]
        snap = (
            snapshots(world, chunk[0], chunk[-1], ["crime_id", "suspect_seq", "person_id", "status"])
            .join(crime_cols, on="crime_id", how="left")
            .join(people, on="person_id", how="left")
            .join(charged_urn, on=["crime_id", "suspect_seq"], how="left")
            .with_columns(((pl.col("snap_day") - pl.col("dob").cast(pl.Int32)) < int(18 * 365.25)).alias("youth"))
        )
        snap = snap.sort(["snap_day", "crime_ref", "suspect_seq", "status"], nulls_last=False)
        frame = snap.select(
            pl.col("snap_day").alias("_day"),
            pl.lit(a.name).alias("Force"),
            pl.col("snap_day").cast(pl.Date).dt.strftime(D).alias("Snapshot Date"),
            pl.col("crime_ref").alias("Crime Reference"),
            pl.when(pl.col("status") == "Charged - awaiting court").then(pl.col("urn")).otherwise(None).alias("URN"),
            pl.when(pl.col("person_id").is_not_null())
            .then(_suspect_id(a.force_no))
            .otherwise(None)
            .alias("Suspect ID"),
            pl.concat_str([pl.col("surname").str.to_uppercase(), pl.col("forename")], separator=", ").alias(
                "Suspect Name"
            ),
            pl.col("dob").dt.strftime(D).alias("Suspect DOB"),
            pl.col("pnc_id").alias("PNC ID"),
            pl.col("ho_offence_code").alias("HO Offence Code"),
            fmt_date("recorded_date", D).alias("Recorded Date"),
            pl.col("status").alias("Status"),
            fmt_date("start", D).alias("Status Date"),
            pl.col("days_in_status").cast(pl.Int64).alias("Days In Status"),
            yn("da").alias("DA Flag"),
            yn("hate").alias("Hate Flag"),
            yn("rasso").alias("RASSO Flag"),
            pl.when(pl.col("person_id").is_null()).then(None).otherwise(yn("youth")).alias("Youth Suspect"),
        )
        del snap
        parts = month_parts(frame, "_day")
        for m in chunk:
            f = parts.get(m, frame.clear()).drop("_day")
            f = inject_urn_errors(
                f,
                "URN",
                "Crime Reference",
                agency="police",
                extract="live_caseload",
                month_idx=m,
                seed=seed,
                area_code=a.code,
                area_code_int=a.code_int,
                stream_offset=1,
                log=log,
            )
            n += write_csv(f, landing_path(out, "police", "live_caseload", m, "csv"), log)
        del frame, parts
    rows["police/live_caseload"] = n

    # ---- crimes recorded or given an outcome in the month ----
    c = crimes.filter(
        ((pl.col("recorded_date") >= lo) & (pl.col("recorded_date") <= hi))
        | ((pl.col("outcome_date") >= lo) & (pl.col("outcome_date") <= hi))
    )
    c = c.select(
        "crime_id",
        "crime_ref",
        "recorded_date",
        "offence_date",
        "ho_offence_code",
        "offence_description",
        "offence_group",
        "da",
        "hate",
        "rasso",
        "victim_sex",
        "has_victim",
        "victim_age",
        "victim_ethnicity",
        "n_suspects",
        "outcome_code",
        "outcome_date",
    )
    rec_m = c.with_columns(pl.col("recorded_date").cast(pl.Date).dt.truncate("1mo").alias("_m"))
    out_m = c.filter(
        pl.col("outcome_date").cast(pl.Date).dt.truncate("1mo")
        != pl.col("recorded_date").cast(pl.Date).dt.truncate("1mo")
    ).with_columns(pl.col("outcome_date").cast(pl.Date).dt.truncate("1mo").alias("_m"))
    both = pl.concat([rec_m, out_m], how="vertical").sort("crime_id", maintain_order=True)
    del c, rec_m, out_m
    parts = month_parts(both, pl.col("_m").cast(pl.Int32))
    n = 0
    for m in months:
        m0, m1 = int(month_start_day(m)), int(month_end_day(m))
        f = parts.get(m, both.clear())
        assigned = pl.col("outcome_date") <= m1
        frame = f.select(
            pl.lit(a.name).alias("Force"),
            pl.col("crime_ref").alias("Crime Reference"),
            fmt_date("recorded_date", D).alias("Recorded Date"),
            fmt_date("offence_date", D).alias("Offence Date"),
            pl.col("ho_offence_code").alias("HO Offence Code"),
            pl.col("offence_description").alias("Offence Description"),
            pl.col("offence_group").str.replace_all("_", " ").str.to_titlecase().alias("Offence Group"),
            yn("da").alias("DA Flag"),
            yn("hate").alias("Hate Flag"),
            yn("rasso").alias("RASSO Flag"),
            pl.col("victim_sex").alias("Victim Sex"),
            pl.when(pl.col("has_victim")).then(pl.col("victim_age")).otherwise(None).alias("Victim Age"),
            pl.col("victim_ethnicity").alias("Victim Ethnicity"),
            pl.col("n_suspects").alias("Suspects Identified"),
            pl.when(assigned).then(pl.col("outcome_code")).otherwise(None).alias("Outcome Code"),
            pl.when(assigned).then(fmt_date("outcome_date", D)).otherwise(None).alias("Outcome Date"),
            pl.when(pl.col("recorded_date") >= m0)
            .then(pl.lit("New"))
            .otherwise(pl.lit("Outcome update"))
            .alias("Record Status"),
        )
        n += write_csv(frame, landing_path(out, "police", "crimes", m, "csv"), log)
    del both, parts
    rows["police/crimes"] = n

    # ---- arrests ----
    ar = (
        world.suspects.filter(pl.col("arrested") & (pl.col("arrest_date") >= lo) & (pl.col("arrest_date") <= hi))
        .join(crime_cols, on="crime_id", how="left")
        .join(people.drop("dob"), on="person_id", how="left")
        .sort(["arrest_date", "crime_id", "suspect_seq"])
    )
    ar = ar.with_row_index("_i").with_columns(
        pl.format("{}/{}", pl.lit(f"{a.force_no:02d}"), (pl.col("_i") + 1).cast(pl.String).str.zfill(7)).alias(
            "_arrest_id"
        )
    )
    parts = month_parts(ar, "arrest_date")
    n = 0
    for m in months:
        f = parts.get(m, ar.clear())
        frame = f.select(
            pl.lit(a.name).alias("Force"),
            pl.col("_arrest_id").alias("Arrest ID"),
            fmt_date("arrest_date", D).alias("Arrest Date"),
            pl.col("crime_ref").alias("Crime Reference"),
            _suspect_id(a.force_no).alias("Suspect ID"),
            pl.concat_str([pl.col("surname").str.to_uppercase(), pl.col("forename")], separator=", ").alias(
                "Suspect Name"
            ),
            pl.col("dob").dt.strftime(D).alias("Suspect DOB"),
            pl.col("pnc_id").alias("PNC ID"),
            pl.col("sex").alias("Sex"),
            pl.col("ethnicity_code").alias("Self Defined Ethnicity"),
            ((pl.col("arrest_date") - pl.col("dob").cast(pl.Int32)) / 365.25)
            .floor()
            .cast(pl.Int32)
            .alias("Age At Arrest"),
            pl.col("ho_offence_code").alias("HO Offence Code"),
            yn("da").alias("DA Flag"),
            pl.col("arrest_result").alias("Custody Outcome"),
        )
        n += write_csv(frame, landing_path(out, "police", "arrests", m, "csv"), log)
    rows["police/arrests"] = n

    # ---- pre-charge: referrals, action plans, decisions (one row per event and suspect) ----
    ref = crimes.filter(pl.col("referred"))
    ev = []
    ev.append(
        ref.select(
            "crime_id",
            pl.col("referral_date").alias("day"),
            pl.lit("Referral to CPS").alias("event"),
            pl.lit(None, pl.Int8).alias("ap"),
            pl.lit(None, pl.String).alias("decision"),
        )
    )
    for k in (1, 2, 3):
        ev.append(
            ref.filter(pl.col(f"ap{k}_issued") >= 0).select(
                "crime_id",
                pl.col(f"ap{k}_issued").alias("day"),
                pl.lit("Action plan received").alias("event"),
                pl.lit(k, pl.Int8).alias("ap"),
                pl.lit(None, pl.String).alias("decision"),
            )
        )
        ev.append(
            ref.filter(pl.col(f"ap{k}_answered") >= 0).select(
                "crime_id",
                pl.col(f"ap{k}_answered").alias("day"),
                pl.lit("Action plan response submitted").alias("event"),
                pl.lit(k, pl.Int8).alias("ap"),
                pl.lit(None, pl.String).alias("decision"),
            )
        )
    ev.append(
        ref.select(
            "crime_id",
            pl.col("decision_date").alias("day"),
            pl.lit("Charging decision received").alias("event"),
            pl.lit(None, pl.Int8).alias("ap"),
            pl.col("decision")
            .replace_strict(
                {1: "Charge", 2: "NFA - evidential", 3: "NFA - public interest"}, default=None, return_dtype=pl.String
            )
            .alias("decision"),
        )
    )
    evs = (
        pl.concat(ev, how="vertical")
        .filter((pl.col("day") >= lo) & (pl.col("day") <= hi))
        .join(world.suspects.select("crime_id", "suspect_seq", "person_id"), on="crime_id", how="inner")
        .join(crime_cols, on="crime_id", how="left")
        .join(charged_urn, on=["crime_id", "suspect_seq"], how="left")
    )
    evs = evs.sort(["day", "crime_ref", "suspect_seq", "event", "ap"])
    parts = month_parts(evs, "day")
    n = 0
    for m in months:
        f = parts.get(m, evs.clear())
        frame = f.select(
            pl.lit(a.name).alias("Force"),
            pl.col("crime_ref").alias("Crime Reference"),
            _suspect_id(a.force_no).alias("Suspect ID"),
            pl.when(pl.col("decision") == "Charge").then(pl.col("urn")).otherwise(None).alias("URN"),
            pl.col("event").alias("Event"),
            fmt_date("day", D).alias("Event Date"),
            pl.col("ap").alias("Action Plan No"),
            pl.col("decision").alias("Decision"),
            pl.col("ho_offence_code").alias("HO Offence Code"),
            yn("da").alias("DA Flag"),
            yn("rasso").alias("RASSO Flag"),
        )
        frame = inject_urn_errors(
            frame,
            "URN",
            "Crime Reference",
            agency="police",
            extract="precharge",
            month_idx=m,
            seed=seed,
            area_code=a.code,
            area_code_int=a.code_int,
            stream_offset=2,
            log=log,
        )
        n += write_csv(frame, landing_path(out, "police", "precharge", m, "csv"), log)
    rows["police/precharge"] = n

    # ---- stop and search (police.uk style; ISO timestamps) ----
    ss = world.stop_search
    n = 0
    for m in months:
        m0, m1 = int(month_start_day(m)), int(month_end_day(m))
        f = ss.filter((pl.col("search_date") >= m0) & (pl.col("search_date") <= m1)) if len(ss) else ss
        if not len(f):
            if not len(ss.columns):
                continue
            f = pl.DataFrame(schema=ss.schema)
        frame = f.select(
            pl.col("search_id").alias("Search ID"),
            pl.lit("Person search").alias("Type"),
            pl.concat_str(
                [
                    pl.col("search_date").cast(pl.Date).dt.strftime("%Y-%m-%d"),
                    pl.lit("T"),
                    pl.col("search_time"),
                    pl.lit(":00+00:00"),
                ]
            ).alias("Date"),
            pl.lit(a.name).alias("Force"),
            pl.col("gender").alias("Gender"),
            pl.col("age_range").alias("Age range"),
            pl.col("self_defined_ethnicity")
            .replace_strict(ETHNICITY_LABELS, default=None)
            .alias("Self-defined ethnicity"),
            pl.col("officer_defined_ethnicity").alias("Officer-defined ethnicity"),
            pl.col("legislation").alias("Legislation"),
            pl.col("object_of_search").alias("Object of search"),
            pl.col("outcome").alias("Outcome"),
        )
        n += write_csv(frame, landing_path(out, "police", "stop_search", m, "csv"), log)
    rows["police/stop_search"] = n
    return rows
