"""HMCTS extracts (court MI): court centre geography, a case per defendant, URN written ``54SW00123/23``.

- mc_cases: CSV, dates ``05-Jun-2024`` (dd-Mon-yyyy), receipts and disposals (incl. sent to the Crown Court).
- cc_cases: XLSX, dates as Excel serial numbers, receipts and disposals at the Crown Court.
- hearings: XLSX, Excel serial dates, every hearing listed, video-enabled flag, MoJ trial-effectiveness labels and reasons.
- outstanding: CSV, ISO dates, the open caseload at month end (a snapshot).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipelines.lib.simulator.common import day_to_date, month_end_day, month_start_day
from pipelines.lib.simulator.extracts.common import (
    UrnErrors,
    excel_serial,
    fmt_date,
    inject_urn_errors,
    landing_path,
    month_parts,
    urn_hmcts,
    write_csv,
    write_xlsx,
)
from pipelines.lib.simulator.model import AreaWorld

MC_DATE = "%d-%b-%Y"
MC_DISPOSAL = {
    "GP1": "Guilty plea",
    "GPH": "Guilty plea",
    "GPC": "Guilty plea",
    "CAT": "Convicted after trial",
    "PIA": "Proved in absence",
    "ACQ": "Dismissed after trial",
    "DSH": "Withdrawn / discontinued",
    "DSC": "Withdrawn / discontinued",
    "ADM": "Other disposal",
}
CC_DISPOSAL = {
    "GP1": "Guilty plea",
    "GPH": "Guilty plea",
    "GPC": "Guilty plea",
    "CAT": "Convicted after trial",
    "ACQ": "Acquitted",
    "DSH": "Ordered / discharged",
    "DSC": "Offered no evidence",
    "ADM": "Other disposal",
    "PIA": "Convicted after trial",
}
TRIAL_LABEL = {
    "Effective": "1: Effective trials",
    "Cracked": "2: Cracked trials",
    "Ineffective": "3: Ineffective trials",
}


def court_tables(world: AreaWorld) -> tuple[pl.DataFrame, pl.DataFrame]:
    a = world.area
    mc = pl.DataFrame(
        {
            "mc_idx": list(range(len(a.magistrates))),
            "mc_name": [c for c, _ in a.magistrates],
            "mc_code": [f"B{a.force_no:02d}{i + 1:02d}" for i in range(len(a.magistrates))],
        },
        schema={"mc_idx": pl.Int16, "mc_name": pl.String, "mc_code": pl.String},
    )
    cc = pl.DataFrame(
        {
            "cc_idx": list(range(len(a.crown))),
            "cc_name": [c for c, _ in a.crown],
            "cc_code": [f"{a.force_no * 10 + i:03d}" for i in range(len(a.crown))],
        },  # unique: < 10 centres a force
        schema={"cc_idx": pl.Int16, "cc_name": pl.String, "cc_code": pl.String},
    )
    return mc, cc


def _dcs_with_courts(world: AreaWorld) -> pl.DataFrame:
    mc, cc = court_tables(world)
    d = world.dcs.join(mc, on="mc_idx", how="left").join(cc, on="cc_idx", how="left")
    d = d.join(world.pool.select("person_id", "forename", "surname", "dob"), on="person_id", how="left")
    d = d.join(
        world.crimes.select(pl.col("crime_id").alias("principal_crime_id"), "offence_description"),
        on="principal_crime_id",
        how="left",
    )
    yy = (pl.col("first_hearing").cast(pl.Date).dt.year() % 100).cast(pl.String).str.zfill(2)
    return d.with_columns(
        pl.concat_str(
            [pl.col("mc_code").str.slice(1), yy, (pl.col("dc_id") % 1_000_000_000).cast(pl.String).str.zfill(6)]
        ).alias("mc_case_no"),
        pl.when(pl.col("sent_to_cc"))
        .then(
            pl.concat_str(
                [
                    pl.lit("T"),
                    pl.col("cc_receipt_date").cast(pl.Date).dt.year().cast(pl.String),
                    (pl.col("dc_id") % 1_000_000_000).cast(pl.String).str.zfill(6),
                ]
            )
        )
        .otherwise(None)
        .alias("cc_case_no"),
    )


def write_hmcts(world: AreaWorld, out: Path, seed: int, log: UrnErrors) -> dict[str, int]:
    rows: dict[str, int] = {}
    a = world.area
    months = list(world.months)
    d = _dcs_with_courts(world)
    name = pl.concat_str([pl.col("surname").str.to_uppercase(), pl.col("forename")], separator=" ")

    # ---- MC receipts and disposals ----
    lo, hi = int(month_start_day(months[0])), int(month_end_day(months[-1]))
    mc_rows = pl.concat(
        [
            d.filter(pl.col("first_hearing").is_between(lo, hi)).with_columns(
                pl.lit("Receipt").alias("_type"), pl.col("first_hearing").alias("_day")
            ),
            d.filter(pl.col("mc_disposal_date").is_between(lo, hi)).with_columns(
                pl.lit("Disposal").alias("_type"), pl.col("mc_disposal_date").alias("_day")
            ),
        ],
        how="vertical",
    ).sort(["_type", "mc_case_no"], descending=[True, False])
    mc_parts = month_parts(mc_rows, "_day")
    n = 0
    for m in months:
        f = mc_parts.get(m, mc_rows.clear())
        disposed = pl.col("_type") == "Disposal"
        frame = f.select(
            pl.col("_type").alias("Record Type"),
            pl.col("mc_code").alias("Court Code"),
            pl.col("mc_name").alias("Court Name"),
            pl.lit(f"{a.name} LJA" if a.name != "London, City of" else "City of London LJA").alias("LJA"),
            pl.lit(a.region).alias("Region"),
            pl.col("mc_case_no").alias("Case No"),
            urn_hmcts().alias("URN"),
            name.alias("Defendant Name"),
            pl.col("dob").dt.strftime(MC_DATE).alias("Date of Birth"),
            pl.col("offence_description").alias("Principal Offence"),
            fmt_date("first_hearing", MC_DATE).alias("First Listing Date"),
            pl.when(disposed).then(fmt_date("mc_disposal_date", MC_DATE)).otherwise(None).alias("Disposal Date"),
            pl.when(~disposed)
            .then(None)
            .when(pl.col("sent_to_cc"))
            .then(pl.lit("Sent to Crown Court"))
            .otherwise(pl.col("result_category").replace_strict(MC_DISPOSAL))
            .alias("Disposal Type"),
            pl.when(disposed)
            .then(pl.when(pl.col("sent_to_cc")).then(1).otherwise(pl.col("hearings_in_final_court")))
            .otherwise(None)
            .alias("Hearings"),
        )
        frame = inject_urn_errors(
            frame,
            "URN",
            "Case No",
            agency="hmcts",
            extract="mc_cases",
            month_idx=m,
            seed=seed,
            area_code=a.code,
            area_code_int=a.code_int,
            stream_offset=5,
            log=log,
        )
        n += write_csv(frame, landing_path(out, "hmcts", "mc_cases", m, "csv"), log)
    rows["hmcts/mc_cases"] = n

    # ---- CC receipts and disposals (XLSX, Excel serial dates) ----
    sent = d.filter(pl.col("sent_to_cc"))
    cc_rows = pl.concat(
        [
            sent.filter(pl.col("cc_receipt_date").is_between(lo, hi)).with_columns(
                pl.lit("Receipt").alias("_type"), pl.col("cc_receipt_date").alias("_day")
            ),
            sent.filter(pl.col("completion_date").is_between(lo, hi)).with_columns(
                pl.lit("Disposal").alias("_type"), pl.col("completion_date").alias("_day")
            ),
        ],
        how="vertical",
    ).sort(["_type", "cc_case_no"], descending=[True, False])
    cc_parts = month_parts(cc_rows, "_day")
    n = 0
    for m in months:
        f = cc_parts.get(m, cc_rows.clear())
        disposed = pl.col("_type") == "Disposal"
        frame = f.select(
            pl.col("_type").alias("Record Type"),
            pl.col("cc_code").alias("Crown Court Code"),
            pl.col("cc_name").alias("Crown Court"),
            pl.lit(a.region).alias("Region"),
            pl.col("cc_case_no").alias("Case Number"),
            urn_hmcts().alias("URN"),
            pl.col("surname").str.to_uppercase().alias("Defendant Surname"),
            pl.col("forename").alias("Defendant Forename"),
            (pl.col("dob").cast(pl.Int32).cast(pl.Int64) + 25569).alias("Date Of Birth"),
            excel_serial("cc_receipt_date").alias("Receipt Date"),
            pl.when(disposed).then(excel_serial("completion_date")).otherwise(None).alias("Disposal Date"),
            pl.when(disposed)
            .then(pl.col("result_category").replace_strict(CC_DISPOSAL))
            .otherwise(None)
            .alias("Disposal Type"),
            pl.when(pl.col("custody")).then(pl.lit("Custody")).otherwise(pl.lit("Bail")).alias("Remand Status"),
            pl.col("offence_description").alias("Principal Offence"),
        )
        frame = inject_urn_errors(
            frame,
            "URN",
            "Case Number",
            agency="hmcts",
            extract="cc_cases",
            month_idx=m,
            seed=seed,
            area_code=a.code,
            area_code_int=a.code_int,
            stream_offset=6,
            log=log,
        )
        n += write_xlsx(frame, landing_path(out, "hmcts", "cc_cases", m, "xlsx"), "CC cases", log)
    rows["hmcts/cc_cases"] = n

    # ---- hearings (XLSX) ----
    h = world.hearings.join(
        d.select("dc_id", "mc_code", "mc_name", "cc_code", "cc_name", "mc_case_no", "cc_case_no", "urn"),
        on="dc_id",
        how="left",
    )
    h = h.filter(pl.col("hearing_date").is_between(lo, hi)).sort(["hearing_date", "court_type", "dc_id", "hearing_no"])
    h_parts = month_parts(h, "hearing_date")
    n = 0
    for m in months:
        f = h_parts.get(m, h.clear())
        is_cc = pl.col("court_type") == "CC"
        reason = pl.col("reason")
        frame = f.select(
            pl.when(is_cc).then(pl.lit("Crown Court")).otherwise(pl.lit("Magistrates' Court")).alias("Court Type"),
            pl.when(is_cc).then(pl.col("cc_code")).otherwise(pl.col("mc_code")).alias("Court Code"),
            pl.when(is_cc).then(pl.col("cc_name")).otherwise(pl.col("mc_name")).alias("Court Name"),
            excel_serial("hearing_date").alias("Hearing Date"),
            pl.when(is_cc).then(pl.col("cc_case_no")).otherwise(pl.col("mc_case_no")).alias("Case Number"),
            urn_hmcts().alias("URN"),
            pl.col("hearing_type").alias("Hearing Type"),
            pl.col("hearing_no").alias("Hearing Number"),
            pl.when(pl.col("video_enabled")).then(pl.lit("Yes")).otherwise(pl.lit("No")).alias("Video Enabled"),
            pl.col("trial_outcome").replace_strict(TRIAL_LABEL, default=None).alias("Trial Effectiveness"),
            pl.when(pl.col("trial_outcome") == "Ineffective")
            .then(pl.concat_str([pl.lit("Ineffective reason: "), reason]))
            .otherwise(reason)
            .alias("Reason"),
        )
        frame = inject_urn_errors(
            frame,
            "URN",
            "Case Number",
            agency="hmcts",
            extract="hearings",
            month_idx=m,
            seed=seed,
            area_code=a.code,
            area_code_int=a.code_int,
            stream_offset=7,
            log=log,
        )
        n += write_xlsx(frame, landing_path(out, "hmcts", "hearings", m, "xlsx"), "Hearings", log)
    rows["hmcts/hearings"] = n

    # ---- outstanding caseload at month end (snapshot; ISO dates) ----
    n = 0
    for m in months:
        e = int(month_end_day(m))
        mc_open = d.filter((pl.col("first_hearing") <= e) & (pl.col("mc_disposal_date") > e)).select(
            pl.lit("Magistrates' Court").alias("Court Type"),
            pl.col("mc_code").alias("Court Code"),
            pl.col("mc_name").alias("Court Name"),
            pl.col("mc_case_no").alias("Case Number"),
            urn_hmcts().alias("URN"),
            fmt_date("first_hearing", "%Y-%m-%d").alias("Receipt Date"),
            (pl.lit(e) - pl.col("first_hearing")).alias("Age Days"),
        )
        cc_open = sent.filter((pl.col("cc_receipt_date") <= e) & (pl.col("completion_date") > e)).select(
            pl.lit("Crown Court").alias("Court Type"),
            pl.col("cc_code").alias("Court Code"),
            pl.col("cc_name").alias("Court Name"),
            pl.col("cc_case_no").alias("Case Number"),
            urn_hmcts().alias("URN"),
            fmt_date("cc_receipt_date", "%Y-%m-%d").alias("Receipt Date"),
            (pl.lit(e) - pl.col("cc_receipt_date")).alias("Age Days"),
        )
        frame = pl.concat([mc_open, cc_open], how="vertical").sort(
            ["Court Type", "Case Number"], descending=[True, False]
        )
        frame = frame.with_columns(pl.lit(day_to_date(e).isoformat()).alias("As At Date"))
        n += write_csv(frame, landing_path(out, "hmcts", "outstanding", m, "csv"), log)
    rows["hmcts/outstanding"] = n
    return rows
