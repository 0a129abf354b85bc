"""Vectorised generation of case journeys for one area.

Stages:
1. :func:`crime_block` - the crimes recorded in one month, with their suspects, arrests, bail/RUI, referral to the
   CPS, action plans, charging decision and police outcome (one random stream per area and recording month).
2. :func:`build_cases` - charged crime-suspects grouped into cases (one URN; co-suspects of a crime share a case, and a
   defendant's charges within 30 days are joined) and defendant-cases (the CPS/HMCTS counting unit).
3. :func:`court_journeys` - first hearing, sending to the Crown Court, hearings, trial listings (effective / cracked /
   ineffective, with reasons), finalisation and sentence, per defendant-case (one stream per area and charge month).

All dates are int day numbers (days since 1970-01-01) until the frames are built.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.lib.simulator import params as P
from pipelines.lib.simulator.common import (
    STREAM_COURT,
    STREAM_CRIMES,
    STREAM_VICTIM_ETHNICITY,
    backlog_factor,
    categorical,
    choice,
    day_to_month,
    grouped_cumsum,
    lognormal_days,
    month_end_day,
    month_start_day,
    rng_for,
)
from pipelines.lib.simulator.geography import Area
from pipelines.lib.simulator.people import draw_broad_ethnicity, draw_people, ethnicity_codes

OFFENCES = P.offence_table()
GROUPS = [o["group"] for o in OFFENCES]
GROUP_IDX = {g: i for i, g in enumerate(GROUPS)}
SHARES = np.array([o["share"] for o in OFFENCES])
SHARES = SHARES / SHARES.sum()
OUTCOME_CLASSES = ("o18", "o14", "o16", "o15", "charge", "oocd", "other")
CLS = {c: i for i, c in enumerate(OUTCOME_CLASSES)}
OUT_GENERAL = np.array([[o[c] for c in OUTCOME_CLASSES] for o in OFFENCES], dtype="float64")
OUT_GENERAL /= OUT_GENERAL.sum(axis=1, keepdims=True)
OUT_DA = np.array([P.DA_OUTCOMES.value[c] for c in OUTCOME_CLASSES], dtype="float64")
OUT_DA /= OUT_DA.sum()
P_DA = np.array([o["p_da"] for o in OFFENCES])
P_HATE = np.array([o["p_hate"] for o in OFFENCES])
HAS_VICTIM = np.array([o["victim"] for o in OFFENCES], dtype=bool)
CPS_ROUTE = np.array([o["cps_route"] for o in OFFENCES])
P_CC = np.array([o["p_cc"] for o in OFFENCES])
RANK = np.array([o["rank"] for o in OFFENCES])
RASSO_GROUPS = np.array([g in ("rape", "other_sexual") for g in GROUPS])

# flat offence-code table
CODE_ROWS = [(g, c, d, w) for g in GROUPS for (c, d, w) in P.OFFENCE_CODES.value[g]]
CODE_GROUP = np.array([GROUP_IDX[r[0]] for r in CODE_ROWS])
CODES = np.array([r[1] for r in CODE_ROWS], dtype=object)
CODE_DESC = np.array([r[2] for r in CODE_ROWS], dtype=object)

RELEASE_NONE, RELEASE_BAIL, RELEASE_RUI = 0, 1, 2
ROUTE_NONE, ROUTE_POLICE, ROUTE_CPS = 0, 1, 2
DECISION_CHARGE, DECISION_NFA_EVIDENTIAL, DECISION_NFA_PUBLIC_INTEREST = 1, 2, 3
MAX_AP = 3
# What np.where puts where a string column has no value: None, as the 0-d object array numpy makes of a bare None
# anyway (numpy's ArrayLike type leaves a bare None out).
MISSING = np.array(None, dtype=object)
MAX_INVESTIGATION_DAYS = 1100  # ASSUMED: investigations are closed within about three years


def strcol(values) -> pl.Series:
    """An object array (str or None) -> a String series (never polars Object)."""
    return pl.Series(np.asarray(values, dtype=object).tolist(), dtype=pl.String)


def expected_crimes(area: Area, month_idx: int, scale: float) -> float:
    season = P.SEASONALITY.value[month_idx % 12]
    years = (month_idx - 2023 * 12) / 12.0
    return (
        area.population * area.crime_rate / 1000.0 / 12.0 * season * (1 + P.ANNUAL_CRIME_TREND.value) ** years * scale
    )


def _draw_codes(rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
    code_idx = np.zeros(len(group), dtype="int64")
    u = rng.random(len(group))
    for g in range(len(GROUPS)):
        mask = group == g
        rows = np.flatnonzero(CODE_GROUP == g)
        w = np.array([CODE_ROWS[r][3] for r in rows], dtype="float64")
        cum = np.cumsum(w / w.sum())
        code_idx[mask] = rows[np.minimum(np.searchsorted(cum, u[mask], side="right"), len(rows) - 1)]
    return code_idx


def _split(rng: np.random.Generator, split: dict[str, float], n: int) -> np.ndarray:
    keys = list(split)
    return np.asarray(keys, dtype=object)[choice(rng, [split[k] for k in keys], n)]


def _action_plans(rng: np.random.Generator, referral: np.ndarray, rasso: np.ndarray):
    """CPS responses to a file: n action plans, each answered by the police, then a decision. Returns arrays."""
    n = len(referral)
    general = np.array(P.N_ACTION_PLANS.value["general"])
    rasso_p = np.array(P.N_ACTION_PLANS.value["rasso"])
    probs = np.where(rasso[:, None], rasso_p[None, :], general[None, :])
    n_ap = categorical(rng, probs)
    cps_days = lognormal_days(rng, P.CPS_RESPONSE_DAYS.value[0], P.CPS_RESPONSE_DAYS.value[1], n * (MAX_AP + 1))
    cps_days = cps_days.reshape(n, MAX_AP + 1)
    pol_days = lognormal_days(rng, P.POLICE_ACTION_PLAN_DAYS.value[0], P.POLICE_ACTION_PLAN_DAYS.value[1], n * MAX_AP)
    pol_days = pol_days.reshape(n, MAX_AP)
    ap_issued = np.full((n, MAX_AP), -1, dtype="int64")
    ap_answered = np.full((n, MAX_AP), -1, dtype="int64")
    t = referral.astype("int64") + cps_days[:, 0]
    for k in range(MAX_AP):
        has = n_ap > k
        ap_issued[has, k] = t[has]
        t = np.where(has, t + pol_days[:, k], t)
        ap_answered[has, k] = t[has]
        t = np.where(has, t + cps_days[:, k + 1], t)
    return n_ap, ap_issued, ap_answered, t


@dataclass
class CrimeBlock:
    crimes: pl.DataFrame
    suspects: pl.DataFrame


def crime_block(area: Area, month_idx: int, seed: int, scale: float, n_pool: int) -> CrimeBlock:
    """Crimes recorded in one month, their suspects and their pre-charge journey."""
    rng = rng_for(seed, area.code_int, month_idx, STREAM_CRIMES)
    n = int(rng.poisson(expected_crimes(area, month_idx, scale)))
    m0 = month_start_day(month_idx)
    ndays = month_end_day(month_idx) - m0 + 1
    recorded = m0 + np.sort(rng.integers(0, ndays, n))
    group = choice(rng, SHARES, n)
    code_idx = _draw_codes(rng, group)
    da = rng.random(n) < P_DA[group]
    hate = rng.random(n) < P_HATE[group]
    rasso = RASSO_GROUPS[group]
    lag = np.where(rasso & (rng.random(n) < 0.3), lognormal_days(rng, 400, 1.2, n), lognormal_days(rng, 0.6, 1.5, n))
    offence_date = recorded - lag

    # victims
    has_victim = HAS_VICTIM[group]
    p_female = np.where(rasso, 0.88, np.where(da, 0.75, 0.45))
    victim_female = rng.random(n) < p_female
    victim_age = np.clip(
        np.where(rasso, 12 + lognormal_days(rng, 14, 0.6, n), 16 + lognormal_days(rng, 20, 0.6, n)), 5, 95
    )
    victim_eth = ethnicity_codes(rng, draw_broad_ethnicity(rng, area, n))
    not_stated = rng_for(seed, area.code_int, month_idx, STREAM_VICTIM_ETHNICITY).random(n)
    victim_eth = np.where(not_stated < P.VICTIM_ETHNICITY_NOT_STATED.value, "NS", victim_eth)

    # eventual police outcome class
    # DA-flagged crimes follow the DA outcome mix, except sexual offences, which keep their own (rape charge ~1.5-3%)
    probs = np.where((da & ~rasso)[:, None], OUT_DA[None, :], OUT_GENERAL[group])
    cls = categorical(rng, probs)
    outcome = np.empty(n, dtype=object)
    outcome[cls == CLS["o18"]] = "18"
    outcome[cls == CLS["o14"]] = "14"
    outcome[cls == CLS["o16"]] = "16"
    outcome[cls == CLS["o15"]] = "15"
    is_charge = cls == CLS["charge"]
    outcome[is_charge] = np.where(rng.random(int(is_charge.sum())) < P.PRINCIPAL_OUTCOME_CHARGE_ALT.value, "1A", "1")
    oocd = cls == CLS["oocd"]
    drugs = group == GROUP_IDX["drugs"]
    outcome[oocd & ~drugs] = _split(rng, P.OOCD_SPLIT.value, int((oocd & ~drugs).sum()))
    outcome[oocd & drugs] = _split(rng, P.DRUGS_OOCD_SPLIT.value, int((oocd & drugs).sum()))
    other = cls == CLS["other"]
    outcome[other] = _split(rng, P.OTHER_OUTCOME_SPLIT.value, int(other.sum()))

    # route to charge, and CPS referrals that end without charge (so that the CPS charge rate is ~77%)
    cps_route_p = np.where(da, np.maximum(CPS_ROUTE[group], 0.9), CPS_ROUTE[group])
    route = np.where(is_charge, np.where(rng.random(n) < cps_route_p, ROUTE_CPS, ROUTE_POLICE), ROUTE_NONE)
    odds = (1 - P.CPS_CHARGE_RATE.value) / P.CPS_CHARGE_RATE.value
    p_charge = probs[:, CLS["charge"]] / probs.sum(axis=1)
    p_o15 = probs[:, CLS["o15"]] / probs.sum(axis=1)
    p_ref15 = np.clip(p_charge * cps_route_p * odds / np.maximum(p_o15, 1e-9), 0, 0.9)
    referred_nfa = (cls == CLS["o15"]) & (rng.random(n) < p_ref15)
    public_interest = referred_nfa & (rng.random(n) < P.CPS_NFA_PUBLIC_INTEREST_SHARE.value)
    outcome[public_interest] = "9"
    referred = referred_nfa | (route == ROUTE_CPS)

    # suspects
    suspect_identified = (cls != CLS["o18"]) & (cls != CLS["o14"])
    n_susp = np.where(suspect_identified, 1 + choice(rng, P.SUSPECTS_PER_CRIME.value, n), 0)
    s_crime = np.repeat(np.arange(n), n_susp)
    s_seq = np.arange(len(s_crime)) - np.repeat(np.cumsum(n_susp) - n_susp, n_susp)
    ns = len(s_crime)
    s_person = draw_people(rng, n_pool, ns)
    for _ in range(5):  # co-suspects of one crime are different people
        key = s_crime.astype("int64") * n_pool + s_person
        _, first = np.unique(key, return_index=True)
        dup = np.ones(ns, dtype=bool)
        dup[first] = False
        if not dup.any():
            break
        s_person = np.where(dup, (s_person + 7919 * (s_seq + 1)) % n_pool, s_person)
    s_da = da[s_crime]
    s_cls = cls[s_crime]
    p_arrest = np.select(
        [s_cls == CLS["charge"], s_cls == CLS["oocd"]],
        [np.where(s_da, P.P_ARREST.value["charge_da"], P.P_ARREST.value["charge"]), P.P_ARREST.value["oocd"]],
        np.where(s_da, P.P_ARREST.value["nfa_da"], P.P_ARREST.value["nfa"]),
    )
    arrested = rng.random(ns) < p_arrest
    med = np.where(s_da, 0.3, P.ARREST_DELAY.value[0])
    arrest_delay = lognormal_days(rng, med, P.ARREST_DELAY.value[1], ns)
    arrest_date = recorded[s_crime] + arrest_delay
    rel = P.RELEASE_SPLIT.value
    release = choice(rng, [rel["nfa_at_custody"], rel["bail"], rel["rui"]], ns)  # 0 none, 1 bail, 2 rui
    release = np.where(arrested, release, RELEASE_NONE)

    # crime-level: lead suspect (seq 0) drives custody charge and the duration multiplier
    lead = np.full(n, -1, dtype="int64")
    lead[s_crime[s_seq == 0]] = np.flatnonzero(s_seq == 0)
    has_lead = lead >= 0
    lead_arrested = np.zeros(n, dtype=bool)
    lead_arrested[has_lead] = arrested[lead[has_lead]]
    lead_arrest = np.full(n, -1, dtype="int64")
    lead_arrest[has_lead] = arrest_date[lead[has_lead]]
    p_custody = np.where(da, P.P_CHARGED_IN_CUSTODY.value["da"], P.P_CHARGED_IN_CUSTODY.value["general"])
    custody_charge = is_charge & lead_arrested & (rng.random(n) < p_custody)
    lead_release = np.zeros(n, dtype="int64")
    lead_release[has_lead] = release[lead[has_lead]]
    lead_release = np.where(custody_charge, RELEASE_NONE, lead_release)
    mult = np.select(
        [lead_release == RELEASE_BAIL, lead_release == RELEASE_RUI],
        [P.STATUS_DELAY_MULTIPLIER.value["bail"], P.STATUS_DELAY_MULTIPLIER.value["rui"]],
        1.0,
    )
    mult = mult * np.where(rasso, P.RASSO_DELAY_MULTIPLIER.value, 1.0)

    # outcome timing for crimes not charged
    od = P.OUTCOME_DELAY.value
    med = np.select(
        [cls == CLS[k] for k in ("o18", "o14", "o16", "o15", "oocd", "other")],
        [od[k][0] for k in ("o18", "o14", "o16", "o15", "oocd", "other")],
        od["charge_police"][0],
    )
    sig = np.select(
        [cls == CLS[k] for k in ("o18", "o14", "o16", "o15", "oocd", "other")],
        [od[k][1] for k in ("o18", "o14", "o16", "o15", "oocd", "other")],
        od["charge_police"][1],
    )
    base_delay = np.minimum(lognormal_days(rng, med * mult, sig, n), MAX_INVESTIGATION_DAYS)
    outcome_date = recorded + base_delay
    after_arrest = lead_arrested & (lead_release != RELEASE_NONE)
    outcome_date = np.where(after_arrest, np.maximum(outcome_date, lead_arrest + 1), outcome_date)

    # referral, action plans, decision (files the CPS decides)
    rtr = P.REPORT_TO_REFERRAL.value
    ref_med = np.where(rasso, rtr["rasso"][0], np.where(da, rtr["da"][0], rtr["general"][0]))
    ref_sig = np.where(rasso, rtr["rasso"][1], np.where(da, rtr["da"][1], rtr["general"][1]))
    referral_date = recorded + lognormal_days(rng, ref_med, ref_sig, n)
    referral_date = np.where(after_arrest, np.maximum(referral_date, lead_arrest + 1), referral_date)
    n_ap, ap_issued, ap_answered, decision_date = _action_plans(rng, referral_date, rasso)
    # custody charges via CPS: the file, the decision and the charge on the day of arrest (CPS Direct)
    cust_cps = custody_charge & (route == ROUTE_CPS)
    referral_date = np.where(cust_cps, lead_arrest, referral_date)
    decision_date = np.where(cust_cps, lead_arrest, decision_date)
    n_ap = np.where(cust_cps, 0, n_ap)
    ap_issued[cust_cps] = -1
    ap_answered[cust_cps] = -1
    decision = np.where(
        route == ROUTE_CPS,
        DECISION_CHARGE,
        np.where(public_interest, DECISION_NFA_PUBLIC_INTEREST, DECISION_NFA_EVIDENTIAL),
    )

    charge_date = np.full(n, -1, dtype="int64")
    police_charge = recorded + base_delay
    police_charge = np.where(after_arrest, np.maximum(police_charge, lead_arrest + 1), police_charge)
    charge_date = np.where(route == ROUTE_POLICE, police_charge, charge_date)
    charge_date = np.where(route == ROUTE_CPS, decision_date, charge_date)
    charge_date = np.where(custody_charge, lead_arrest, charge_date)
    outcome_date = np.where(is_charge, charge_date, outcome_date)
    outcome_date = np.where(referred_nfa, decision_date + rng.integers(0, 8, n), outcome_date)

    # suspects: arrests cannot follow the outcome; co-suspects of a custody charge are arrested with the lead
    s_out = outcome_date[s_crime]
    arrest_date = np.where(custody_charge[s_crime] & arrested, lead_arrest[s_crime], arrest_date)
    arrest_date = np.minimum(arrest_date, s_out)
    release = np.where(custody_charge[s_crime] | (arrest_date >= s_out), RELEASE_NONE, release)
    s_charged = is_charge[s_crime]
    arrest_result = np.select(
        [~arrested, s_charged & (arrest_date == charge_date[s_crime]), release == RELEASE_BAIL, release == RELEASE_RUI],
        ["", "Charged", "Pre-charge bail", "Released under investigation"],
        "Released - no status",
    )

    crime_ids = area.force_no * 10_000_000_000_000 + month_idx * 10_000_000 + np.arange(n, dtype="int64")
    yy, mm = (month_idx // 12) % 100, month_idx % 12 + 1
    crimes = pl.DataFrame(
        {
            "crime_id": crime_ids,
            "crime_ref": pl.Series(np.arange(1, n + 1), dtype=pl.Int64)
            .cast(pl.String)
            .str.zfill(6)
            .str.replace(r"^", f"{area.force_no:02d}/{yy:02d}{mm:02d}/"),
            "recorded_date": recorded.astype("int32"),
            "offence_date": offence_date.astype("int32"),
            "offence_group": np.asarray(GROUPS, dtype=object)[group].astype(str) if n else np.array([], dtype=str),
            "ho_offence_code": CODES[code_idx].astype(str) if n else np.array([], dtype=str),
            "offence_description": CODE_DESC[code_idx].astype(str) if n else np.array([], dtype=str),
            "offence_rank": RANK[group].astype("int16"),
            "da": da,
            "hate": hate,
            "rasso": rasso,
            "has_victim": has_victim,
            "victim_sex": strcol(np.where(has_victim, np.where(victim_female, "F", "M"), MISSING)),
            "victim_age": np.where(has_victim, victim_age, -1).astype("int16"),
            "victim_ethnicity": strcol(np.where(has_victim, victim_eth, MISSING)),
            "outcome_class": np.asarray(OUTCOME_CLASSES, dtype=object)[cls].astype(str)
            if n
            else np.array([], dtype=str),
            "outcome_code": outcome.astype(str) if n else np.array([], dtype=str),
            "outcome_date": outcome_date.astype("int32"),
            "n_suspects": n_susp.astype("int16"),
            "route": route.astype("int8"),
            "referred": referred,
            "referral_date": np.where(referred, referral_date, -1).astype("int32"),
            "n_action_plans": np.where(referred, n_ap, 0).astype("int8"),
            **{f"ap{k + 1}_issued": np.where(referred, ap_issued[:, k], -1).astype("int32") for k in range(MAX_AP)},
            **{f"ap{k + 1}_answered": np.where(referred, ap_answered[:, k], -1).astype("int32") for k in range(MAX_AP)},
            "decision": np.where(referred, decision, 0).astype("int8"),
            "decision_date": np.where(referred, decision_date, -1).astype("int32"),
            "charge_date": charge_date.astype("int32"),
            "custody_charge": custody_charge,
        },
        strict=False,
    )
    suspects = pl.DataFrame(
        {
            "crime_id": crime_ids[s_crime],
            "suspect_seq": s_seq.astype("int8"),
            "person_idx": s_person,
            "arrested": arrested,
            "arrest_date": np.where(arrested, arrest_date, -1).astype("int32"),
            "release": release.astype("int8"),
            "arrest_result": arrest_result.astype(str) if ns else np.array([], dtype=str),
            "charged": s_charged,
        }
    )
    return CrimeBlock(crimes, suspects)


# ------------------------------------------------------------------------------------------------------------------
# cases
# ------------------------------------------------------------------------------------------------------------------
def build_cases(area: Area, crimes: pl.DataFrame, suspects: pl.DataFrame, pool: pl.DataFrame, seed: int):
    """Charged crime-suspects -> (charged rows with case_id and dc_id, defendant_cases, cases)."""
    charged = (
        suspects.filter(pl.col("charged"))
        .join(
            crimes.select(
                "crime_id",
                "charge_date",
                "n_suspects",
                "offence_rank",
                "offence_group",
                "da",
                "rasso",
                "hate",
                "custody_charge",
                "crime_ref",
            ),
            on="crime_id",
            how="left",
        )
        .join(pool.select("person_idx", "person_id", "dob"), on="person_idx", how="left")
        .sort(["person_idx", "charge_date", "crime_id"])
    )
    pidx = charged["person_idx"].to_numpy()
    cdate = charged["charge_date"].to_numpy().astype("int64")
    multi = charged["n_suspects"].to_numpy() > 1
    crime_id = charged["crime_id"].to_numpy()
    n = len(charged)
    new_chain = np.ones(n, dtype=bool)
    if n > 1:
        same = (
            (pidx[1:] == pidx[:-1])
            & (cdate[1:] - cdate[:-1] <= P.SAME_CASE_WINDOW_DAYS.value)
            & ~multi[1:]
            & ~multi[:-1]
        )
        new_chain[1:] = ~same
    chain = np.cumsum(new_chain)
    # case key: chains of single-suspect crimes, or one case per multi-suspect crime
    key = np.where(multi, -crime_id, chain)
    charged = charged.with_columns(pl.Series("case_key", key))
    case_first = charged.group_by("case_key").agg(
        pl.col("charge_date").min().alias("first_charge"), pl.col("crime_id").min().alias("first_crime")
    )
    case_first = case_first.sort(["first_charge", "first_crime"]).with_row_index("case_no", offset=1)
    charged = charged.join(case_first.select("case_key", "case_no"), on="case_key", how="left")
    charged = charged.with_columns(
        (pl.lit(area.force_no * 1_000_000_000) + pl.col("case_no")).cast(pl.Int64).alias("case_id")
    )
    dc_keys = (
        charged.select("case_id", "person_idx")
        .unique()
        .sort(["case_id", "person_idx"])
        .with_row_index("dc_no", offset=1)
    )
    charged = (
        charged.join(dc_keys, on=["case_id", "person_idx"], how="left")
        .with_columns((pl.lit(area.force_no * 1_000_000_000) + pl.col("dc_no")).cast(pl.Int64).alias("dc_id"))
        .drop("dc_no", "case_no")
    )

    dcs = (
        charged.sort(["dc_id", "offence_rank", "crime_id"])
        .group_by("dc_id", maintain_order=True)
        .agg(
            pl.col("case_id").first(),
            pl.col("person_idx").first(),
            pl.col("person_id").first(),
            pl.col("dob").first(),
            pl.col("crime_id").first().alias("principal_crime_id"),
            pl.col("offence_group").first().alias("principal_group"),
            pl.col("charge_date").min().alias("first_charge"),
            pl.col("charge_date").max().alias("last_charge"),
            pl.len().alias("n_crimes"),
            pl.col("da").any(),
            pl.col("rasso").any(),
            pl.col("hate").any(),
            pl.col("custody_charge").any().alias("custody"),
        )
    )
    cases = (
        dcs.group_by("case_id")
        .agg(
            pl.col("first_charge").min(),
            pl.col("last_charge").max(),
            pl.col("custody").any(),
            pl.len().alias("n_defendants"),
        )
        .sort("case_id")
    )
    # URNs: force number, station, serial within the charge year, two-digit year
    rng = rng_for(seed, area.code_int, 0, STREAM_COURT)
    stations = np.asarray(area.stations, dtype=object)
    weights = [w for _, w in area.magistrates]
    station_idx = choice(rng, weights, len(cases))
    year = day_to_month(cases["first_charge"].to_numpy()) // 12
    order = np.lexsort((cases["case_id"].to_numpy(), year))
    serial = np.zeros(len(cases), dtype="int64")
    ys = year[order]
    start = np.r_[True, ys[1:] != ys[:-1]] if len(ys) else np.array([], dtype=bool)
    serial[order] = grouped_cumsum(np.ones(len(ys), dtype="int64"), start) if len(ys) else serial
    urn = [
        f"{area.force_no:02d}{s}{n:05d}{y % 100:02d}"
        for s, n, y in zip(stations[station_idx].tolist(), serial.tolist(), year.tolist(), strict=True)
    ]
    cases = cases.with_columns(pl.Series("urn", urn, dtype=pl.String), pl.Series("mc_idx", station_idx.astype("int16")))
    # crimes in a multi-suspect case can cover several charges; the case's first hearing follows its last charge
    return charged, dcs, cases


# ------------------------------------------------------------------------------------------------------------------
# court
# ------------------------------------------------------------------------------------------------------------------
H_FIRST, H_SENT, H_PTPH, H_MENTION, H_FINAL_NONTRIAL, H_TRIAL_INEFF, H_TRIAL_FINAL, H_SENTENCE = range(8)
HEARING_TYPE = {
    H_FIRST: "First hearing",
    H_SENT: "First hearing",
    H_PTPH: "Plea and trial preparation hearing",
    H_MENTION: "Case management / mention",
    H_FINAL_NONTRIAL: "Case management / mention",
    H_TRIAL_INEFF: "Trial",
    H_TRIAL_FINAL: "Trial",
    H_SENTENCE: "Sentence",
}
CATS = P.RESULT_CATEGORIES
CAT = {c: i for i, c in enumerate(CATS)}
CONVICTED = {"GP1", "GPH", "GPC", "CAT", "PIA"}
TRIAL_CATS = {"GPC", "CAT", "ACQ", "DSC"}


def court_journeys(area: Area, cases: pl.DataFrame, dcs: pl.DataFrame, seed: int):
    """First hearing per case; hearings, finalisation and sentence per defendant-case."""
    # first hearing: after the case's last charge
    case_month = day_to_month(cases["first_charge"].to_numpy())
    first_hearing = np.zeros(len(cases), dtype="int64")
    video_first = np.zeros(len(cases), dtype=bool)
    # joins do not promise row order: sort, since random draws are assigned by position
    dcs = dcs.join(
        cases.select("case_id", "urn", "mc_idx", pl.col("custody").alias("case_custody")), on="case_id"
    ).sort("dc_id")
    dcs = dcs.with_columns(pl.col("first_charge").min().over("case_id").alias("case_first_charge"))
    dc_month = day_to_month(dcs["case_first_charge"].to_numpy())
    months = np.unique(case_month)
    cases_last = cases["last_charge"].to_numpy().astype("int64")
    custody = cases["custody"].to_numpy()
    for m in months:
        sel = np.flatnonzero(case_month == m)
        rng = rng_for(seed, area.code_int, int(m), STREAM_COURT)
        c = P.CHARGE_TO_FIRST_HEARING.value
        d = np.where(
            custody[sel],
            np.maximum(1, lognormal_days(rng, c["custody"][0], c["custody"][1], len(sel))),
            np.maximum(1, lognormal_days(rng, c["bailed"][0], c["bailed"][1], len(sel))),
        )
        first_hearing[sel] = cases_last[sel] + d
        v = P.VIDEO_ENABLED.value
        video_first[sel] = rng.random(len(sel)) < np.where(custody[sel], v["mc_first_custody"], v["mc_other"])
    cases = cases.with_columns(
        pl.Series("first_hearing", first_hearing.astype("int32")), pl.Series("first_hearing_video", video_first)
    )
    dcs = dcs.join(cases.select("case_id", "first_hearing", "first_hearing_video"), on="case_id").sort("dc_id")

    dc_parts, h_parts = [], []
    for m in np.unique(dc_month):
        sel = np.flatnonzero(dc_month == m)
        rng = rng_for(seed, area.code_int, int(m), STREAM_COURT + 100)
        d, h = _court_for_month(area, dcs[sel], rng)
        dc_parts.append(d)
        h_parts.append(h)
    if dc_parts:
        dcs = pl.concat(dc_parts, how="vertical").sort("dc_id")
        hearings = pl.concat(h_parts, how="vertical").sort(["dc_id", "hearing_no", "court_type"])
    else:
        hearings = pl.DataFrame()
    return cases, dcs, hearings


def _court_for_month(area: Area, dcs: pl.DataFrame, rng: np.random.Generator):
    n = len(dcs)
    group = np.array([GROUP_IDX[g] for g in dcs["principal_group"].to_list()], dtype="int64")
    da = dcs["da"].to_numpy()
    rasso = dcs["rasso"].to_numpy()
    age = (dcs["first_charge"].to_numpy().astype("int64") - dcs["dob"].cast(pl.Int32).to_numpy()) / 365.25
    youth = age < 18
    h1 = dcs["first_hearing"].to_numpy().astype("int64")
    p_cc = np.where(youth, P_CC[group] * 0.3, P_CC[group])
    sent = rng.random(n) < p_cc
    cls = np.where(rasso, 2, np.where(da, 1, 0))
    shares = P.RESULT_SHARES.value
    mat = np.zeros((n, len(CATS)))
    for ci, cname in enumerate(("general", "da", "rasso")):
        for court_type, is_cc in (("mc", False), ("cc", True)):
            mask = (cls == ci) & (sent == is_cc)
            mat[mask] = np.asarray(shares[(court_type, cname)])
    cat = categorical(rng, mat)
    cat_name = np.asarray(CATS, dtype=object)[cat]

    # hearing plan (in the finalising court)
    mean_mentions = np.where(sent, P.MEAN_EXTRA_MENTIONS.value["cc"], P.MEAN_EXTRA_MENTIONS.value["mc"])
    n_mention = np.where(cat == CAT["GP1"], 0, rng.poisson(mean_mentions))
    final_nontrial = np.isin(cat_name, ["GPH", "PIA", "DSH", "ADM"]).astype("int64")
    trial = np.isin(cat_name, list(TRIAL_CATS))
    m_ineff = np.where(sent, P.MEAN_INEFFECTIVE_LISTINGS.value["cc"], P.MEAN_INEFFECTIVE_LISTINGS.value["mc"])
    q = m_ineff / (1 + m_ineff)
    n_ineff = np.where(trial, rng.geometric(1 - q) - 1, 0)
    convicted = np.isin(cat_name, list(CONVICTED))
    p_adjourn = np.where(sent, 0.75, 0.30)
    sentence_hearing = (convicted & (rng.random(n) < p_adjourn)).astype("int64")
    first_in_court = np.ones(n, dtype="int64")  # MC first hearing or CC PTPH
    counts = np.stack([first_in_court, n_mention, final_nontrial, n_ineff, trial.astype("int64"), sentence_hearing], 1)
    kinds = np.array([H_FIRST, H_MENTION, H_FINAL_NONTRIAL, H_TRIAL_INEFF, H_TRIAL_FINAL, H_SENTENCE])
    per_dc = counts.sum(1)
    row_dc = np.repeat(np.arange(n), per_dc)
    row_kind = np.repeat(np.tile(kinds, n), counts.ravel())
    start = np.r_[0, np.cumsum(per_dc)[:-1]]
    row_no = np.arange(len(row_dc)) - np.repeat(start, per_dc)
    row_kind = np.where((row_kind == H_FIRST) & sent[row_dc], H_PTPH, row_kind)
    nr = len(row_dc)
    g = P.HEARING_GAPS.value
    bmc = backlog_factor(day_to_month(h1), **P.MC_BACKLOG_WAIT.value)
    bcc = backlog_factor(day_to_month(h1), **P.CC_BACKLOG_WAIT.value)
    r_sent = sent[row_dc]
    prev_trial = np.zeros(nr, dtype=bool)
    if nr:
        prev_trial[1:] = np.isin(row_kind[:-1], [H_TRIAL_INEFF]) & (row_dc[1:] == row_dc[:-1])

    def gap(name_mc, name_cc):
        a = lognormal_days(rng, g[name_mc][0], g[name_mc][1], nr)
        b = lognormal_days(rng, g[name_cc][0], g[name_cc][1], nr)
        return np.where(r_sent, b, a)

    mention_gap = gap("mc_mention", "cc_mention")
    trial_gap = np.where(r_sent, gap("mc_trial", "cc_trial") * bcc[row_dc], gap("mc_trial", "cc_trial") * bmc[row_dc])
    relist_gap = gap("mc_relist", "cc_relist") * np.where(r_sent, bcc[row_dc], bmc[row_dc])
    sentence_gap = gap("mc_sentence", "cc_sentence")
    ptph = lognormal_days(rng, P.CC_FIRST_HEARING.value[0], P.CC_FIRST_HEARING.value[1], nr)
    is_trial = np.isin(row_kind, [H_TRIAL_INEFF, H_TRIAL_FINAL])
    gaps = np.select(
        [
            row_kind == H_FIRST,
            row_kind == H_PTPH,
            np.isin(row_kind, [H_MENTION, H_FINAL_NONTRIAL]),
            is_trial & prev_trial,
            is_trial,
            row_kind == H_SENTENCE,
        ],
        [0, ptph, mention_gap, relist_gap, trial_gap, sentence_gap],
        0,
    ).astype("int64")
    gaps = np.where(row_no == 0, gaps, np.maximum(gaps, 1))
    dates = h1[row_dc] + grouped_cumsum(gaps, row_no == 0)

    # outcome per hearing
    r_cat = cat_name[row_dc]
    trial_outcome = np.full(nr, None, dtype=object)
    trial_outcome[row_kind == H_TRIAL_INEFF] = "Ineffective"
    fin_trial = row_kind == H_TRIAL_FINAL
    trial_outcome[fin_trial & np.isin(r_cat, ["CAT", "ACQ"])] = "Effective"
    trial_outcome[fin_trial & np.isin(r_cat, ["GPC", "DSC"])] = "Cracked"
    reasons, weights = zip(*P.INEFFECTIVE_REASONS.value, strict=True)
    reason = np.full(nr, None, dtype=object)
    ineff = row_kind == H_TRIAL_INEFF
    reason[ineff] = np.asarray(reasons, dtype=object)[choice(rng, weights, int(ineff.sum()))]

    # victim issues and unsuccessful reasons
    unsucc = np.isin(cat_name, ["ACQ", "DSH", "DSC", "ADM"])
    drop = np.isin(cat_name, ["DSH", "DSC"])
    vshare = np.where(
        rasso,
        P.VICTIM_ISSUE_SHARE.value["rasso"],
        np.where(da, P.VICTIM_ISSUE_SHARE.value["da"], P.VICTIM_ISSUE_SHARE.value["general"]),
    )
    # P(victim issue | dropped) so that victim issues are the stated share of all unsuccessful outcomes
    unsucc_share = mat[:, [CAT[c] for c in ("ACQ", "DSH", "DSC", "ADM")]].sum(1)
    drop_share = mat[:, [CAT[c] for c in ("DSH", "DSC")]].sum(1)
    p_victim = np.clip(vshare * unsucc_share / np.maximum(drop_share, 1e-9), 0, 0.95)
    victim_issue = drop & (rng.random(n) < p_victim)
    unsucc_reason = np.full(n, None, dtype=object)
    unsucc_reason[victim_issue] = np.asarray(
        ["Victim retraction", "Victim non-attendance", "Victim evidence does not support case"], dtype=object
    )[choice(rng, [0.45, 0.40, 0.15], int(victim_issue.sum()))]
    other_drop = drop & ~victim_issue
    unsucc_reason[other_drop] = np.asarray(
        [
            "Insufficient evidence",
            "Public interest",
            "Prosecution unable to proceed",
            "Key witness (not victim) issues",
        ],
        dtype=object,
    )[choice(rng, [0.50, 0.12, 0.20, 0.18], int(other_drop.sum()))]
    acq = cat_name == "ACQ"
    unsucc_reason[acq] = np.where(
        rng.random(int(acq.sum())) < 0.15,
        "No case to answer",
        np.where(sent[acq], "Acquittal after trial", "Dismissed after trial"),
    )
    adm = cat_name == "ADM"
    unsucc_reason[adm] = np.asarray(
        ["Warrant not executed", "Defendant not traced", "Defendant died", "Unfit to plead"], dtype=object
    )[choice(rng, [0.55, 0.25, 0.10, 0.10], int(adm.sum()))]
    crack_reason = np.where(
        r_cat == "GPC",
        "Cracked reason: Defendant pleaded guilty",
        np.where(
            victim_issue[row_dc],
            "Cracked reason: Prosecution end case - victim or witness issues",
            "Cracked reason: Prosecution end case - insufficient evidence",
        ),
    )
    cracked = trial_outcome == "Cracked"
    reason[cracked] = crack_reason[cracked]
    v = P.VIDEO_ENABLED.value
    video = rng.random(nr) < np.where(
        is_trial, np.where(r_sent, v["cc_trial"], 0.02), np.where(r_sent, v["cc_nontrial"], v["mc_other"])
    )
    first_video = dcs["first_hearing_video"].to_numpy()
    video = np.where((row_kind == H_FIRST), first_video[row_dc], video)

    # finalising hearing: the last non-sentence hearing; completion: the last hearing
    last_idx = np.r_[np.cumsum(per_dc) - 1] if n else np.array([], dtype="int64")
    completion = dates[last_idx] if n else np.array([], dtype="int64")
    verdict_idx = last_idx - sentence_hearing
    verdict_date = dates[verdict_idx] if n else np.array([], dtype="int64")
    n_hearings_court = per_dc
    verdict_hearing_no = (verdict_idx - start + 1) + np.where(sent, 1, 0)  # + the MC sending hearing

    # sentence
    sent_type = np.full(n, None, dtype=object)
    for c_name, is_cc in (("mc", False), ("cc", True)):
        mask = convicted & (sent == is_cc)
        labels, w = zip(*P.SENTENCES.value[c_name], strict=True)
        sent_type[mask] = np.asarray(labels, dtype=object)[choice(rng, w, int(mask.sum()))]
    order_with_req = np.isin(sent_type, ["Community order", "Suspended sentence order"])
    req_cols = {}
    for req, p in P.REQUIREMENTS.value.items():
        req_cols["req_" + req.lower().replace(" ", "_")] = order_with_req & (rng.random(n) < p)
    custody_months = np.where(
        sent_type == "Immediate custody",
        np.where(sent, lognormal_days(rng, 24, 0.8, n), lognormal_days(rng, 3, 0.6, n)) + 1,
        0,
    )
    # court centres
    cc_idx = choice(rng, [w for _, w in area.crown], n)

    dc_out = dcs.with_columns(
        pl.Series("sent_to_cc", sent),
        pl.Series("youth", youth),
        pl.Series("result_category", cat_name.astype(str)),
        pl.Series("convicted", convicted),
        pl.Series("unsuccessful", unsucc),
        strcol(unsucc_reason).alias("unsuccessful_reason"),
        pl.Series("victim_issue", victim_issue),
        pl.Series("verdict_date", verdict_date.astype("int32")),
        pl.Series("completion_date", completion.astype("int32")),
        pl.Series("hearings_in_final_court", n_hearings_court.astype("int16")),
        pl.Series("verdict_hearing_no", verdict_hearing_no.astype("int16")),
        pl.Series("n_ineffective", n_ineff.astype("int16")),
        strcol(sent_type).alias("sentence"),
        pl.Series("custody_months", custody_months.astype("int16")),
        pl.Series("cc_idx", cc_idx.astype("int16")),
        pl.Series("cc_receipt_date", np.where(sent, h1, -1).astype("int32")),
        pl.Series("mc_disposal_date", np.where(sent, h1, completion).astype("int32")),
        *[pl.Series(k, v) for k, v in req_cols.items()],
    )
    # MC sending hearing rows for sent cases (hearing 1 in the MC)
    dc_ids = dcs["dc_id"].to_numpy()
    hear = pl.DataFrame(
        {
            "dc_id": dc_ids[row_dc],
            "court_type": np.where(r_sent, "CC", "MC"),
            "hearing_no": (row_no + 1 + r_sent.astype("int64")).astype("int16"),
            "hearing_date": dates.astype("int32"),
            "hearing_kind": row_kind.astype("int8"),
            "hearing_type": np.asarray([HEARING_TYPE[k] for k in range(8)], dtype=object)[row_kind].astype(str)
            if nr
            else np.array([], dtype=str),
            "trial_outcome": strcol(trial_outcome),
            "reason": strcol(reason),
            "video_enabled": video,
            "is_final": np.isin(np.arange(nr), verdict_idx),
        },
        strict=False,
    )
    sent_idx = np.flatnonzero(sent)
    mc_send = pl.DataFrame(
        {
            "dc_id": dc_ids[sent_idx],
            "court_type": np.full(len(sent_idx), "MC"),
            "hearing_no": np.ones(len(sent_idx), dtype="int16"),
            "hearing_date": h1[sent_idx].astype("int32"),
            "hearing_kind": np.full(len(sent_idx), H_SENT, dtype="int8"),
            "hearing_type": np.full(len(sent_idx), "First hearing"),
            "trial_outcome": strcol(np.full(len(sent_idx), None, dtype=object)),
            "reason": strcol(np.full(len(sent_idx), None, dtype=object)),
            "video_enabled": first_video[sent_idx],
            "is_final": np.zeros(len(sent_idx), dtype=bool),
        },
        strict=False,
    )
    hear = pl.concat([mc_send.cast(hear.schema), hear], how="vertical")
    return dc_out, hear
