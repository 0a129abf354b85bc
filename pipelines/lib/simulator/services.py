"""Probation, reoffending and victim services for one area: tables shared by the extract writers and the truth.

- :func:`community_orders` - community and suspended sentence orders (with requirements) made in the reporting months.
- :func:`reoffending_cohorts` - MoJ-style proven reoffending cohorts (offenders convicted without custody, released
  from custody or cautioned in a calendar quarter), each delivered PROVEN_REOFFENDING_LAG_MONTHS after its last month.
- :func:`victim_referrals`, :func:`vcop_audits`, :func:`victim_survey`, :func:`public_confidence` - victim services
  referrals, Victims' Code compliance audits, victim satisfaction and public confidence survey responses.

Each table has its own random streams (seeded by seed, area, month and stream), so it is deterministic and does not
depend on which other areas or months were simulated.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.lib.simulator import params as P
from pipelines.lib.simulator.common import (
    STREAM_REOFF,
    choice,
    day_to_month,
    lognormal_days,
    month_end_day,
    month_start_day,
    rng_for,
)
from pipelines.lib.simulator.model import AreaWorld

STREAM_ORDERS, STREAM_VICTIMS, STREAM_VCOP, STREAM_SURVEY, STREAM_CONFIDENCE = 61, 62, 63, 64, 65
ORDER_TYPES = ("Community order", "Suspended sentence order")
REQ_COLS = (
    "req_unpaid_work",
    "req_rehabilitation_activity",
    "req_mental_health_treatment",
    "req_drug_rehabilitation",
    "req_alcohol_treatment",
    "req_curfew",
)


def _reporting_bounds(world: AreaWorld) -> tuple[int, int]:
    return int(month_start_day(world.first_month)), int(month_end_day(world.last_month))


# ------------------------------------------------------------------------------------------------------------------
# probation
# ------------------------------------------------------------------------------------------------------------------
def community_orders(world: AreaWorld) -> pl.DataFrame:
    """One row per community or suspended sentence order made (sentence date = finalisation) in the reporting months,
    with its requirements, length, unpaid work hours and RAR days."""
    lo, hi = _reporting_bounds(world)
    d = (
        world.dcs.filter(pl.col("sentence").is_in(ORDER_TYPES) & pl.col("completion_date").is_between(lo, hi))
        .select(
            "dc_id", "person_id", "dob", "sentence", "completion_date", "sent_to_cc", "principal_crime_id", *REQ_COLS
        )
        .sort("dc_id")
    )
    months = day_to_month(d["completion_date"].to_numpy().astype("int64"))
    n = d.height
    length = np.zeros(n, dtype="int64")
    upw = np.zeros(n, dtype="int64")
    rar = np.zeros(n, dtype="int64")
    for m in np.unique(months):
        sel = np.flatnonzero(months == m)
        rng = rng_for(world.seed, world.area.code_int, int(m), STREAM_ORDERS)
        med, sig = P.ORDER_LENGTH_MONTHS.value
        length[sel] = np.clip(lognormal_days(rng, med, sig, len(sel)), 6, 36)
        upw[sel] = np.clip(10 * np.round(lognormal_days(rng, 100, 0.5, len(sel)) / 10), 40, 300)
        rar[sel] = np.clip(lognormal_days(rng, 15, 0.5, len(sel)), 5, 60)
    return d.with_columns(
        pl.Series("order_months", length, dtype=pl.Int16),
        pl.when(pl.col("req_unpaid_work"))
        .then(pl.Series("upw", upw))
        .otherwise(None)
        .cast(pl.Int16)
        .alias("upw_hours"),
        pl.when(pl.col("req_rehabilitation_activity"))
        .then(pl.Series("rar", rar))
        .otherwise(None)
        .cast(pl.Int16)
        .alias("rar_days"),
        pl.sum_horizontal([pl.col(c).cast(pl.Int8) for c in REQ_COLS]).cast(pl.Int8).alias("n_requirements"),
    )


# ------------------------------------------------------------------------------------------------------------------
# proven reoffending
# ------------------------------------------------------------------------------------------------------------------
COHORT_SCHEMA = {
    "cohort_start": pl.Int32,
    "cohort_end": pl.Int32,
    "delivered_month": pl.Int32,
    "person_id": pl.Int64,
    "index_date": pl.Int32,
    "juvenile": pl.Boolean,
    "index_disposal": pl.String,
    "reoffended": pl.Boolean,
    "reoffences": pl.Int16,
}
DISPOSALS = ("Custody under 12 months", "Custody 12 months or more", "Court order", "Other court disposal", "Caution")


def cohort_quarters(world: AreaWorld) -> list[tuple[int, int]]:
    """(first month, delivery month) of each cohort quarter delivered within the reporting months. Cohorts start
    at least 12 months after the warm-up begins (so the convictions feeding them are simulated) and are delivered
    PROVEN_REOFFENDING_LAG_MONTHS after their last month."""
    lag = int(P.PROVEN_REOFFENDING_LAG_MONTHS.value)
    earliest = world.first_month - P.WARMUP_MONTHS + 12
    out = []
    for q0 in range(earliest - earliest % 3 + (3 if earliest % 3 else 0), world.last_month + 1, 3):
        delivered = q0 + 2 + lag
        if world.first_month <= delivered <= world.last_month:
            out.append((q0, delivered))
    return out


def reoffending_cohorts(world: AreaWorld) -> pl.DataFrame:
    """One row per offender in each delivered cohort quarter: index event (first in the quarter: a conviction without
    custody, a release from custody, or a caution), age group, whether they reoffended (proven within 12 + 6 months)
    and the number of reoffences. Reoffending is drawn at the published rates (adult, juvenile, custody under 12
    months) rather than read from the simulated crimes, whose warm-up is too short for a 12-month follow-up."""
    quarters = cohort_quarters(world)
    if not quarters:
        return pl.DataFrame(schema=COHORT_SCHEMA)
    d = world.dcs.filter(pl.col("convicted"))
    release = pl.col("completion_date") + (pl.col("custody_months").cast(pl.Float64) * 30.44 / 2).round().cast(pl.Int32)
    custody = pl.col("sentence") == "Immediate custody"
    court = d.select(
        "person_id",
        "dob",
        pl.when(custody).then(release).otherwise(pl.col("completion_date")).cast(pl.Int32).alias("index_date"),
        pl.when(custody & (pl.col("custody_months") < 12))
        .then(pl.lit(DISPOSALS[0]))
        .when(custody)
        .then(pl.lit(DISPOSALS[1]))
        .when(pl.col("sentence").is_in(ORDER_TYPES))
        .then(pl.lit(DISPOSALS[2]))
        .otherwise(pl.lit(DISPOSALS[3]))
        .alias("index_disposal"),
    )
    cautions = (
        world.crimes.filter(pl.col("outcome_code").is_in(["2", "3"]))
        .select("crime_id", "outcome_date")
        .join(world.suspects.filter(pl.col("suspect_seq") == 0).select("crime_id", "person_id"), on="crime_id")
        .join(world.pool.select("person_id", "dob"), on="person_id", how="left")
        .select(
            "person_id",
            "dob",
            pl.col("outcome_date").cast(pl.Int32).alias("index_date"),
            pl.lit(DISPOSALS[4]).alias("index_disposal"),
        )
    )
    events = pl.concat([court, cautions], how="vertical")
    parts = []
    for q0, delivered in quarters:
        s, e = int(month_start_day(q0)), int(month_end_day(q0 + 2))
        c = (
            events.filter(pl.col("index_date").is_between(s, e))
            .sort(["person_id", "index_date", "index_disposal"])
            .unique("person_id", keep="first", maintain_order=True)
        )
        n = c.height
        juvenile = ((c["index_date"].to_numpy().astype("int64") - c["dob"].cast(pl.Int32).to_numpy()) / 365.25) < 18
        short = c["index_disposal"].to_numpy() == DISPOSALS[0]
        rp = P.PROVEN_REOFFENDING.value
        p = np.where(juvenile, rp["juvenile"], np.where(short, rp["custody_under_12m"], rp["adult"]))
        rng = rng_for(world.seed, world.area.code_int, q0, STREAM_REOFF)
        reoff = rng.random(n) < p
        count = np.where(reoff, 1 + rng.poisson(P.REOFFENCES_PER_REOFFENDER.value - 1, n), 0)
        parts.append(
            pl.DataFrame(
                {
                    "cohort_start": np.full(n, s),
                    "cohort_end": np.full(n, e),
                    "delivered_month": np.full(n, delivered),
                    "person_id": c["person_id"],
                    "index_date": c["index_date"],
                    "juvenile": juvenile,
                    "index_disposal": c["index_disposal"],
                    "reoffended": reoff,
                    "reoffences": count,
                },
                schema=COHORT_SCHEMA,
            )
        )
    return pl.concat(parts, how="vertical")


def cohort_summary(cohort: pl.DataFrame) -> pl.DataFrame:
    """The MoJ-style aggregate: per cohort, age group and index disposal."""
    return (
        cohort.group_by("cohort_start", "cohort_end", "delivered_month", "juvenile", "index_disposal")
        .agg(
            pl.len().alias("offenders"),
            pl.col("reoffended").sum().alias("reoffenders"),
            pl.col("reoffences").cast(pl.Int64).sum().alias("reoffences"),
        )
        .sort("cohort_start", "juvenile", "index_disposal")
    )


# ------------------------------------------------------------------------------------------------------------------
# victims
# ------------------------------------------------------------------------------------------------------------------
def services_for(world: AreaWorld) -> tuple[str, ...]:
    svc = P.COMMISSIONED_SERVICES.value
    return svc.get(world.area.slug, svc["default"])


def _victims(world: AreaWorld, lead_months: int = 0) -> pl.DataFrame:
    """Victims (one per crime with an individual victim) of crimes recorded in the reporting months (and the
    `lead_months` before them, for audits and surveys that follow recording)."""
    _, hi = _reporting_bounds(world)
    lo = int(month_start_day(world.first_month - lead_months))
    return world.crimes.filter(pl.col("has_victim") & pl.col("recorded_date").is_between(lo, hi)).select(
        "crime_id",
        "crime_ref",
        "recorded_date",
        "offence_group",
        "da",
        "rasso",
        "victim_sex",
        "victim_age",
        "victim_ethnicity",
    )


YOUNG_VICTIM_MAX_AGE = 24  # ASSUMED: young victims (Wiltshire: Splash, Splitz) referred to the young people's services


def victim_referrals(world: AreaWorld) -> pl.DataFrame:
    """One row per referral of a victim to a service. General victims go to the generic service (Victim Support);
    DA victims to it or the DA service, sexual violence victims to the SV / ISVA service or the SARC; some DA and
    RASSO victims are referred to a second service; young victims (24 or under) in Wiltshire go to Splash or Splitz. Referral dates within days of recording, in the reporting
    months only (referrals dated after the last month are not delivered)."""
    v = _victims(world)
    services = services_for(world)
    wilts = world.area.slug == "wiltshire"
    general = services[0]
    da_svc = ("DA service", "Swindon Women's Aid", "Horizon") if wilts else ("IDVA service",)
    sv_svc = ("SV service", "SARC", "Horizon") if wilts else ("ISVA service", "SARC")
    young_svc = ("Splash", "Splitz") if wilts else (general,)
    rec = v["recorded_date"].to_numpy().astype("int64")
    months = day_to_month(rec)
    rr = P.VICTIM_REFERRAL_RATE.value
    out = []
    for m in np.unique(months):
        sel = np.flatnonzero(months == m)
        rng = rng_for(world.seed, world.area.code_int, int(m), STREAM_VICTIMS)
        f = v[sel]
        n = f.height
        da, rasso = f["da"].to_numpy(), f["rasso"].to_numpy()
        young = f["victim_age"].to_numpy() <= YOUNG_VICTIM_MAX_AGE
        p = np.where(rasso, rr["rasso"], np.where(da, rr["da"], rr["general"]))
        referred = rng.random(n) < p
        first = np.where(
            rasso,
            np.asarray(sv_svc, dtype=object)[rng.integers(0, len(sv_svc), n)],
            np.where(
                da,
                np.asarray(da_svc, dtype=object)[rng.integers(0, len(da_svc), n)],
                np.where(young, np.asarray(young_svc, dtype=object)[rng.integers(0, len(young_svc), n)], general),
            ),
        )
        second_p = np.where(
            rasso, P.VICTIM_SECOND_SERVICE.value["rasso"], np.where(da, P.VICTIM_SECOND_SERVICE.value["da"], 0)
        )
        second = referred & (rng.random(n) < second_p)
        delay1 = lognormal_days(rng, 2, 0.8, n)
        delay2 = delay1 + 1 + lognormal_days(rng, 7, 0.8, n)
        outcome_keys = list(P.VICTIM_REFERRAL_OUTCOMES.value)
        w = [P.VICTIM_REFERRAL_OUTCOMES.value[k] for k in outcome_keys]
        o1 = np.asarray(outcome_keys, dtype=object)[choice(rng, w, n)]
        o2 = np.asarray(outcome_keys, dtype=object)[choice(rng, w, n)]
        source = np.where(rng.random(n) < 0.85, "Police", np.where(rng.random(n) < 0.5, "Self", "Other agency"))
        base = f.select("crime_id", "crime_ref", "da", "rasso", "victim_sex", "victim_age", "victim_ethnicity")
        for mask, svc, delay, outcome, seq in (
            (referred, first, delay1, o1, 1),
            (second, np.where(rasso, general, general), delay2, o2, 2),
        ):
            idx = np.flatnonzero(mask)
            out.append(
                base[idx].with_columns(
                    pl.Series("referral_seq", np.full(len(idx), seq), dtype=pl.Int8),
                    pl.Series("referral_date", (rec[sel][idx] + delay[idx]).astype("int32"), dtype=pl.Int32),
                    pl.Series(
                        "service", svc[idx].astype(str) if len(idx) else np.array([], dtype=str), dtype=pl.String
                    ),
                    pl.Series(
                        "outcome", outcome[idx].astype(str) if len(idx) else np.array([], dtype=str), dtype=pl.String
                    ),
                    pl.Series(
                        "source", source[idx].astype(str) if len(idx) else np.array([], dtype=str), dtype=pl.String
                    ),
                )
            )
    if not out:
        return pl.DataFrame()
    _, hi = _reporting_bounds(world)
    return (
        pl.concat(out, how="vertical")
        .filter(pl.col("referral_date") <= hi)
        .sort(["referral_date", "crime_id", "referral_seq"])
    )


VCOP_RIGHTS = (
    "Right 1 Understood",
    "Right 3 Needs Assessment",
    "Right 4 Referral Offered",
    "Right 5 Crime Reported",
    "Right 6 Updates Provided",
    "Right 7 Investigation Outcome",
)


def vcop_audits(world: AreaWorld) -> pl.DataFrame:
    """A monthly sample of victims of crimes recorded the previous month, audited against six Victims' Code rights; a
    case is compliant when every applicable right was met. Audit date in the month after recording."""
    v = _victims(world, lead_months=1)
    months = day_to_month(v["recorded_date"].to_numpy().astype("int64"))
    per_right = P.VCOP_COMPLIANCE.value ** (1 / len(VCOP_RIGHTS))
    out = []
    for m in range(world.first_month - 1, world.last_month):  # audited the month after recording
        sel = np.flatnonzero(months == m)
        rng = rng_for(world.seed, world.area.code_int, m + 1, STREAM_VCOP)
        k = min(len(sel), max(20, int(round(len(sel) * P.VCOP_AUDIT_SAMPLE.value))))
        pick = np.sort(rng.choice(sel, size=k, replace=False)) if k else np.array([], dtype="int64")
        met = rng.random((k, len(VCOP_RIGHTS))) < per_right
        m0 = int(month_start_day(m + 1))
        days = m0 + rng.integers(0, int(month_end_day(m + 1)) - m0 + 1, k)
        f = (
            v[pick]
            .select("crime_id", "crime_ref", "da", "rasso")
            .with_columns(
                pl.Series("audit_date", days.astype("int32"), dtype=pl.Int32),
                *[pl.Series(f"r{i}", met[:, i], dtype=pl.Boolean) for i in range(len(VCOP_RIGHTS))],
                pl.Series("compliant", met.all(axis=1) if k else np.array([], dtype=bool), dtype=pl.Boolean),
            )
        )
        out.append(f)
    return pl.concat(out, how="vertical").sort(["audit_date", "crime_id"]) if out else pl.DataFrame()


SATISFACTION = (
    "Completely satisfied",
    "Very satisfied",
    "Fairly satisfied",
    "Neither satisfied nor dissatisfied",
    "Fairly dissatisfied",
    "Very dissatisfied",
    "Completely dissatisfied",
)


def victim_survey(world: AreaWorld) -> pl.DataFrame:
    """Victim satisfaction survey responses: a sample of the month's victims surveyed 6-12 weeks after recording
    (responses in the reporting months only); satisfied = the first three answers ("whole experience")."""
    v = _victims(world, lead_months=3)
    rec = v["recorded_date"].to_numpy().astype("int64")
    months = day_to_month(rec)
    sat = P.VICTIM_SATISFACTION.value
    out = []
    for m in np.unique(months):
        sel = np.flatnonzero(months == m)
        rng = rng_for(world.seed, world.area.code_int, int(m), STREAM_SURVEY)
        k = min(len(sel), max(10, int(round(len(sel) * P.VICTIM_SURVEY_SAMPLE.value))))
        pick = np.sort(rng.choice(sel, size=k, replace=False))
        satisfied = rng.random(k) < sat
        answer = np.where(satisfied, choice(rng, [0.25, 0.35, 0.40], k), 3 + choice(rng, [0.3, 0.3, 0.25, 0.15], k))
        keep_informed = np.where(rng.random(k) < np.where(satisfied, 0.85, 0.45), "Yes", "No")
        treated_fairly = np.where(rng.random(k) < np.where(satisfied, 0.95, 0.6), "Yes", "No")
        days = rec[pick] + 42 + rng.integers(0, 43, k)
        out.append(
            v[pick]
            .select("crime_id", "crime_ref", "offence_group", "da", "victim_sex", "victim_age")
            .with_columns(
                pl.Series("response_date", days.astype("int32"), dtype=pl.Int32),
                pl.Series("answer", np.asarray(SATISFACTION, dtype=object)[answer].astype(str), dtype=pl.String),
                pl.Series("satisfied", satisfied, dtype=pl.Boolean),
                pl.Series("kept_informed", keep_informed.astype(str), dtype=pl.String),
                pl.Series("treated_fairly", treated_fairly.astype(str), dtype=pl.String),
            )
        )
    if not out:
        return pl.DataFrame()
    lo, hi = _reporting_bounds(world)
    return (
        pl.concat(out, how="vertical")
        .filter(pl.col("response_date").is_between(lo, hi))
        .sort(["response_date", "crime_id"])
    )


CONFIDENCE_ANSWERS = ("Excellent", "Good", "Fair", "Poor", "Very poor", "Don't know")
AGE_BANDS = ("16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+")


def public_confidence(world: AreaWorld) -> pl.DataFrame:
    """Public confidence survey: residents (not linked to crimes) answering "How good a job are the police in this area
    doing?"; confident = Excellent or Good, over all respondents (Don't know included in the base)."""
    out = []
    conf = P.PUBLIC_CONFIDENCE.value
    for m in range(world.first_month, world.last_month + 1):
        rng = rng_for(world.seed, world.area.code_int, m, STREAM_CONFIDENCE)
        k = max(
            30, int(round(world.area.population / 100_000 * P.PUBLIC_CONFIDENCE_SAMPLE_PER_100K.value * world.scale))
        )
        confident = rng.random(k) < conf
        answer = np.where(confident, choice(rng, [0.2, 0.8], k), 2 + choice(rng, [0.5, 0.25, 0.12, 0.13], k))
        m0 = int(month_start_day(m))
        days = np.sort(m0 + rng.integers(0, int(month_end_day(m)) - m0 + 1, k))
        out.append(
            pl.DataFrame(
                {
                    "response_no": np.arange(1, k + 1),
                    "response_date": days.astype("int32"),
                    "answer": np.asarray(CONFIDENCE_ANSWERS, dtype=object)[answer].astype(str),
                    "confident": confident,
                    "age_band": np.asarray(AGE_BANDS, dtype=object)[
                        choice(rng, [0.13, 0.17, 0.16, 0.17, 0.15, 0.12, 0.10], k)
                    ].astype(str),
                    "sex": np.where(rng.random(k) < 0.51, "Female", "Male"),
                    "district": np.full(k, world.area.name),
                },
                schema_overrides={"response_date": pl.Int32},
            )
        )
    return pl.concat(out, how="vertical")
