"""Ground truth: the event log, the true value of each measure, and the cross-agency reconciliation table.

Computed in Python from the simulated tables (the event log in wide form), never from the extracts and never with SQL,
so the warehouse can be checked against it. Every measure is listed in MEASURES with its definition; docs/simulator.md
prints the same list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.lib.simulator.common import day_to_date, day_to_month, month_end_day, month_start_day
from pipelines.lib.simulator.model import (
    STATUS_BAIL,
    STATUS_CHARGED,
    STATUS_RUI,
    STATUS_UI,
    AreaWorld,
    snapshots,
)
from pipelines.lib.simulator.services import (
    community_orders,
    public_confidence,
    reoffending_cohorts,
    vcop_audits,
    victim_referrals,
    victim_survey,
)

SNAPSHOT_CHUNK_MONTHS = 6  # live-caseload snapshots aggregated a few months at a time
FAT_OUTCOMES = ("1", "1A", "2", "3", "4", "6", "7", "8")
OOCD_OUTCOMES = ("2", "3", "6", "7", "8")
VIOLENT_GROUPS = ("homicide", "violence_with_injury", "violence_without_injury", "robbery")
NEIGHBOURHOOD_GROUPS = ("burglary_residential", "robbery", "theft_person", "vehicle")


@dataclass(frozen=True)
class Measure:
    id: str
    period_type: str  # month | r12m | snapshot | cohort
    unit: str  # count | percent | days | ratio | per_100
    definition: str


MEASURES = [
    # police volumes
    Measure("crimes_recorded", "month", "count", "Crimes recorded by the police in the month (recorded date)."),
    Measure(
        "total_victims",
        "month",
        "count",
        "Victims of crimes recorded in the month (one victim per crime that has an individual victim; drug, weapon and society offences have none).",
    ),
    Measure("da_crimes", "month", "count", "Crimes recorded in the month with the domestic abuse flag."),
    Measure(
        "rasso_crimes",
        "month",
        "count",
        "Serious sexual offences (rape and other sexual offences, RASSO flag) recorded in the month.",
    ),
    Measure("hate_crimes", "month", "count", "Crimes recorded in the month with the hate crime flag."),
    Measure("arrests", "month", "count", "Arrests in the month (one per crime-suspect arrested)."),
    Measure(
        "da_arrest_rate",
        "month",
        "per_100",
        "Arrests in the month on DA-flagged crimes per 100 DA crimes recorded in the month (ONS 'arrests per 100 DA crimes' basis).",
    ),
    Measure(
        "rasso_referred_to_cps",
        "month",
        "count",
        "RASSO crimes first referred to the CPS for a charging decision in the month.",
    ),
    # outcomes
    Measure(
        "charge_rate",
        "month",
        "percent",
        "Outcomes assigned in the month that are 1 or 1A (charged/summonsed), % of all outcomes assigned in the month.",
    ),
    Measure(
        "outcome_15_16_pct",
        "month",
        "percent",
        "Outcomes assigned in the month that are 15 or 16 (evidential difficulties), % of all outcomes assigned in the month.",
    ),
    Measure("oocd_volume", "month", "count", "Out-of-court disposals: outcomes 2, 3, 6, 7, 8 assigned in the month."),
    Measure(
        "fat_rate_r12m",
        "r12m",
        "percent",
        "Further Action Taken rate: crimes given outcome 1, 1A, 2, 3, 4, 6, 7 or 8 in the 12 months ending with the month, % of all crimes given an outcome in those months.",
    ),
    Measure("da_fat_rate_r12m", "r12m", "percent", "FAT rate (as fat_rate_r12m) for DA-flagged crimes."),
    Measure("rasso_fat_rate_r12m", "r12m", "percent", "FAT rate (as fat_rate_r12m) for RASSO crimes."),
    # live caseload (snapshot at the last day of the month)
    Measure(
        "crimes_under_investigation_live",
        "snapshot",
        "count",
        "Distinct crimes with at least one live-caseload row in status Under investigation, Pre-charge bail or Released under investigation at the end of the month's last day.",
    ),
    Measure(
        "bail_live", "snapshot", "count", "Live-caseload rows (crime-suspect) with status Pre-charge bail at month end."
    ),
    Measure(
        "rui_live",
        "snapshot",
        "count",
        "Live-caseload rows (crime-suspect) with status Released under investigation at month end.",
    ),
    Measure(
        "rui_avg_days",
        "snapshot",
        "days",
        "Mean Days In Status (snapshot date minus status date) of the RUI rows at month end.",
    ),
    Measure(
        "charged_awaiting_court_live",
        "snapshot",
        "count",
        "Live-caseload rows with status Charged - awaiting court (charged crime-suspects whose case has not had its first hearing) at month end.",
    ),
    # pre-charge
    Measure(
        "cps_referrals",
        "month",
        "count",
        "Crimes (files) first referred to the CPS for a charging decision in the month.",
    ),
    Measure("action_plans", "month", "count", "Action plans issued by the CPS to the police in the month."),
    Measure(
        "precharge_timeliness_police_days",
        "month",
        "days",
        "Mean days the police took to answer the action plans they answered in the month (issue to answer).",
    ),
    Measure(
        "precharge_timeliness_cps_days",
        "month",
        "days",
        "Mean days the CPS took to respond (action plan or decision) to a submission or resubmission, over responses made in the month.",
    ),
    Measure(
        "report_to_referral_days",
        "month",
        "days",
        "Mean days from recording to first referral to the CPS, over referrals in the month.",
    ),
    Measure(
        "referral_to_charge_days",
        "month",
        "days",
        "Mean days from first referral to the CPS charging decision (any decision), over decisions made in the month.",
    ),
    Measure(
        "cps_charge_rate",
        "month",
        "percent",
        "Suspects charged, % of suspects given a CPS charging decision in the month (suspect basis).",
    ),
    # court and CPS outcomes
    Measure(
        "charge_to_first_hearing_days",
        "month",
        "days",
        "Mean days from a defendant-case's first charge to its first MC hearing, over first hearings in the month.",
    ),
    Measure(
        "da_charge_to_first_hearing_days", "month", "days", "As charge_to_first_hearing_days, DA defendant-cases only."
    ),
    Measure(
        "first_hearing_to_trial_days",
        "month",
        "days",
        "Mean days from the first MC hearing to the effective trial, over effective trial listings in the month.",
    ),
    Measure(
        "video_enabled_hearings", "month", "count", "Court hearings (MC and CC) in the month that were video-enabled."
    ),
    Measure(
        "gp_first_hearing_mc",
        "month",
        "count",
        "Defendant-cases pleading guilty at their first MC hearing in the month (cases kept in the MC).",
    ),
    Measure(
        "gp_first_hearing_cc",
        "month",
        "count",
        "Defendant-cases pleading guilty at their first CC hearing (PTPH) in the month.",
    ),
    Measure(
        "mc_receipts",
        "month",
        "count",
        "MC receipts: defendant-cases first listed at the MC in the month (HMCTS counts a case per defendant).",
    ),
    Measure(
        "mc_disposals",
        "month",
        "count",
        "MC disposals in the month, including cases sent to the Crown Court (disposed of by the MC at sending).",
    ),
    Measure("mc_outstanding", "snapshot", "count", "MC defendant-cases received and not disposed of at month end."),
    Measure("mc_receipts_per_finalisation", "month", "ratio", "MC receipts / MC disposals in the month."),
    Measure("cc_receipts", "month", "count", "CC receipts: defendant-cases sent to the Crown Court in the month."),
    Measure(
        "cc_disposals", "month", "count", "CC disposals: defendant-cases completed at the Crown Court in the month."
    ),
    Measure("cc_outstanding", "snapshot", "count", "CC defendant-cases received and not completed at month end."),
    Measure("cc_receipts_per_finalisation", "month", "ratio", "CC receipts / CC disposals in the month."),
    Measure(
        "mc_dropped_3rd_plus_hearing",
        "month",
        "count",
        "MC defendant-cases discontinued or withdrawn in the month at their third or a later hearing.",
    ),
    Measure(
        "ineffective_trial_rate",
        "month",
        "percent",
        "Ineffective trial listings, % of effective + cracked + ineffective listings (MC and CC) in the month.",
    ),
    Measure("mc_ineffective_trial_rate", "month", "percent", "As ineffective_trial_rate, MC only."),
    Measure("cc_ineffective_trial_rate", "month", "percent", "As ineffective_trial_rate, CC only."),
    Measure(
        "effective_trial_rate",
        "month",
        "percent",
        "Effective listings, % of effective + cracked + ineffective listings in the month.",
    ),
    Measure(
        "cracked_trial_rate",
        "month",
        "percent",
        "Cracked listings, % of effective + cracked + ineffective listings in the month.",
    ),
    Measure("cps_finalisations", "month", "count", "Defendant-cases finalised (completed) in the month, MC and CC."),
    Measure(
        "people_convicted",
        "month",
        "count",
        "Distinct people with a defendant-case finalised in the month with a conviction.",
    ),
    Measure(
        "overall_conviction_rate",
        "month",
        "percent",
        "Convicted defendant-cases, % of defendant-cases finalised in the month (CPS basis).",
    ),
    Measure("mc_conviction_rate", "month", "percent", "As overall_conviction_rate, finalised in the MC."),
    Measure("cc_conviction_rate", "month", "percent", "As overall_conviction_rate, finalised in the CC."),
    Measure("da_conviction_rate", "month", "percent", "As overall_conviction_rate, DA-flagged defendant-cases."),
    Measure(
        "guilty_plea_share_mc",
        "month",
        "percent",
        "Convictions by guilty plea, % of convictions, MC finalisations in the month.",
    ),
    Measure(
        "guilty_plea_share_cc",
        "month",
        "percent",
        "Convictions by guilty plea, % of convictions, CC finalisations in the month.",
    ),
    Measure("unsuccessful_outcomes", "month", "count", "Defendant-cases finalised in the month without a conviction."),
    Measure(
        "victim_disengagement_cps",
        "month",
        "percent",
        "Unsuccessful outcomes in the month whose reason is a victim issue (retraction, non-attendance, evidence does not support), % of unsuccessful outcomes; numerator = the volume.",
    ),
    Measure(
        "victim_disengagement_da_sv",
        "month",
        "percent",
        "As victim_disengagement_cps, DA or RASSO defendant-cases only.",
    ),
    Measure(
        "mhtr_ordered",
        "month",
        "count",
        "Community or suspended sentence orders with a Mental Health Treatment Requirement, sentenced in the month.",
    ),
    Measure(
        "drug_alcohol_requirements",
        "month",
        "count",
        "Orders with a drug rehabilitation or alcohol treatment requirement, sentenced in the month (proxy for drug and alcohol criminal justice referrals).",
    ),
    # stop and search, re-arrest
    Measure("stop_searches", "month", "count", "Stop and searches in the month."),
    Measure("stop_search_arrest_rate", "month", "percent", "Searches ending in arrest, % of searches in the month."),
    Measure(
        "stop_search_black_white_ratio",
        "r12m",
        "ratio",
        "Searches per 1,000 Black residents / searches per 1,000 White residents, 12 months ending with the month (officer-defined ethnicity; residents from the area's census profile).",
    ),
    Measure(
        "adults_arrested_r12m",
        "r12m",
        "count",
        "Distinct adults (18+ at arrest) arrested at least once in the 12 months ending with the month.",
    ),
    Measure(
        "rearrest_rate_r12m",
        "r12m",
        "percent",
        "Distinct adults arrested two or more times in the 12 months ending with the month, % of adults_arrested_r12m; numerator = the re-arrested people.",
    ),
    Measure(
        "violent_rearrest_r12m",
        "r12m",
        "count",
        "Distinct adults arrested two or more times for violent crime (violence, robbery, homicide) in the 12 months ending with the month.",
    ),
    Measure(
        "neighbourhood_rearrest_r12m",
        "r12m",
        "count",
        "Distinct adults arrested two or more times for neighbourhood crime (IOM: residential burglary, robbery, theft from the person, vehicle offences) in the 12 months ending with the month.",
    ),
    # probation, reoffending, victims
    Measure(
        "community_orders_made",
        "month",
        "count",
        "Community and suspended sentence orders made (sentenced) in the month (probation community_orders rows).",
    ),
    Measure(
        "proven_reoffending_rate_adult",
        "cohort",
        "percent",
        "Proven Reoffending (historic) - adult: adult offenders in the cohort quarter (convicted without custody, released from custody or cautioned; first index event in the quarter) who committed a proven reoffence within 12 months (proven within 12 + 6 months), % of the adult cohort. period_start/period_end = the cohort quarter; one row per cohort delivered in the reporting months.",
    ),
    Measure(
        "proven_reoffending_rate_juvenile",
        "cohort",
        "percent",
        "As proven_reoffending_rate_adult, juveniles (10-17 at the index event).",
    ),
    Measure(
        "reoffences_per_reoffender_adult",
        "cohort",
        "ratio",
        "Proven reoffences / adult reoffenders in the cohort quarter.",
    ),
    Measure(
        "victim_referrals",
        "month",
        "count",
        "Referrals of victims to support services (including the PCC's commissioned services) made in the month; a victim referred to two services counts twice.",
    ),
    Measure(
        "victims_referred",
        "month",
        "count",
        "Distinct victims (crimes) with at least one referral to a support service in the month (total victims referred).",
    ),
    Measure(
        "vcop_compliance_rate",
        "month",
        "percent",
        "Victims' Code audits in the month where every audited right was met, % of cases audited in the month (sample audit).",
    ),
    Measure(
        "victim_satisfaction_pct",
        "month",
        "percent",
        "Victim survey responses in the month completely, very or fairly satisfied with the whole experience, % of responses.",
    ),
    Measure(
        "public_confidence_pct",
        "month",
        "percent",
        "Public confidence survey responses in the month saying the police in the area do an excellent or good job, % of all responses (Don't know included).",
    ),
]
MEASURE_IDS = [m.id for m in MEASURES]
MEASURE_BY_ID = {m.id: m for m in MEASURES}


class _Acc:
    """Collects measure rows for one area."""

    def __init__(self, world: AreaWorld):
        self.world = world
        self.rows: list[tuple] = []
        self.months = np.arange(world.first_month, world.last_month + 1)

    def add(self, mid: str, value, num=None, den=None):
        m = MEASURE_BY_ID[mid]
        value = np.asarray(value, dtype="float64")
        num = np.full(len(self.months), np.nan) if num is None else np.asarray(num, dtype="float64")
        den = np.full(len(self.months), np.nan) if den is None else np.asarray(den, dtype="float64")
        for i, mi in enumerate(self.months):
            start = mi - 11 if m.period_type == "r12m" else mi
            self.rows.append(
                (
                    mid,
                    self.world.area.code,
                    m.period_type,
                    int(month_start_day(start)),
                    int(month_end_day(mi)),
                    _clean(value[i]),
                    _clean(num[i]),
                    _clean(den[i]),
                )
            )

    def counts(self, days, mask=None, window=1, weights=None):
        """Per reporting month: count (or weighted sum) of events whose day falls in the month (or the window of
        `window` months ending with it)."""
        days = np.asarray(days, dtype="int64")
        ok = days >= 0
        if mask is not None:
            ok &= np.asarray(mask, dtype=bool)
        mon = day_to_month(days[ok]) - (self.months[0] - window + 1)
        w = None if weights is None else np.asarray(weights, dtype="float64")[ok]
        keep = (mon >= 0) & (mon < len(self.months) + window - 1)
        per = np.bincount(mon[keep], weights=None if w is None else w[keep], minlength=len(self.months) + window - 1)
        if window == 1:
            return per.astype("float64")
        cs = np.r_[0.0, np.cumsum(per)]
        return cs[window:] - cs[:-window]

    def rate(self, mid, num, den, scale=100.0):
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(den > 0, num / np.where(den > 0, den, 1) * scale, np.nan)
        self.add(mid, value, num, den)

    def mean(self, mid, days, values, mask=None):
        s = self.counts(days, mask, weights=values)
        n = self.counts(days, mask)
        self.rate(mid, s, n, scale=1.0)


def _clean(x):
    x = float(x)
    return None if np.isnan(x) else x


def _np(frame: pl.DataFrame, col: str, dtype="int64"):
    return (
        frame[col].cast(pl.Int64).to_numpy().astype(dtype) if frame[col].dtype != pl.Boolean else frame[col].to_numpy()
    )


def measure_values(world: AreaWorld) -> pl.DataFrame:
    acc = _Acc(world)
    cr = world.crimes
    rec = _np(cr, "recorded_date")
    da = cr["da"].to_numpy()
    rasso = cr["rasso"].to_numpy()
    acc.add("crimes_recorded", acc.counts(rec))
    acc.add("total_victims", acc.counts(rec, cr["has_victim"].to_numpy()))
    acc.add("da_crimes", acc.counts(rec, da))
    acc.add("rasso_crimes", acc.counts(rec, rasso))
    acc.add("hate_crimes", acc.counts(rec, cr["hate"].to_numpy()))

    su = world.suspects.join(
        cr.select("crime_id", "da", "offence_group"), on="crime_id", how="left", maintain_order="left"
    )
    arrest = _np(su, "arrest_date")
    acc.add("arrests", acc.counts(arrest))
    acc.rate("da_arrest_rate", acc.counts(arrest, su["da"].to_numpy()), acc.counts(rec, da))
    referral = _np(cr, "referral_date")
    acc.add("rasso_referred_to_cps", acc.counts(referral, rasso))

    out_day = _np(cr, "outcome_date")
    code = cr["outcome_code"].to_numpy()
    all_out = acc.counts(out_day)
    acc.rate("charge_rate", acc.counts(out_day, np.isin(code, ["1", "1A"])), all_out)
    acc.rate("outcome_15_16_pct", acc.counts(out_day, np.isin(code, ["15", "16"])), all_out)
    acc.add("oocd_volume", acc.counts(out_day, np.isin(code, OOCD_OUTCOMES)))
    fat = np.isin(code, FAT_OUTCOMES)
    acc.rate("fat_rate_r12m", acc.counts(out_day, fat, 12), acc.counts(out_day, None, 12))
    acc.rate("da_fat_rate_r12m", acc.counts(out_day, fat & da, 12), acc.counts(out_day, da, 12))
    acc.rate("rasso_fat_rate_r12m", acc.counts(out_day, fat & rasso, 12), acc.counts(out_day, rasso, 12))

    # snapshots
    inv_st = pl.col("status").is_in([STATUS_UI, STATUS_BAIL, STATUS_RUI])
    aggs = []
    for c0 in range(world.first_month, world.last_month + 1, SNAPSHOT_CHUNK_MONTHS):  # bounded memory
        snaps = snapshots(world, c0, min(c0 + SNAPSHOT_CHUNK_MONTHS - 1, world.last_month), ["crime_id", "status"])
        aggs.append(
            snaps.group_by("snap_day").agg(
                pl.col("crime_id").filter(inv_st).n_unique().alias("cui"),
                (pl.col("status") == STATUS_BAIL).sum().alias("bail"),
                (pl.col("status") == STATUS_RUI).sum().alias("rui"),
                pl.col("days_in_status")
                .filter(pl.col("status") == STATUS_RUI)
                .cast(pl.Float64)
                .mean()
                .alias("rui_days"),
                (pl.col("status") == STATUS_CHARGED).sum().alias("charged"),
            )
        )
        del snaps
    agg = pl.concat(aggs, how="vertical")
    ends = pl.DataFrame({"snap_day": [int(month_end_day(m)) for m in acc.months]}, schema={"snap_day": pl.Int32})
    agg = ends.join(agg, on="snap_day", how="left", maintain_order="left")
    cui = agg["cui"].fill_null(0).to_list()
    bail = agg["bail"].fill_null(0).to_list()
    rui = agg["rui"].fill_null(0).to_list()
    rui_days = agg["rui_days"].fill_null(np.nan).to_list()
    charged_live = agg["charged"].fill_null(0).to_list()
    acc.add("crimes_under_investigation_live", cui)
    acc.add("bail_live", bail)
    acc.add("rui_live", rui)
    acc.add("rui_avg_days", rui_days, np.asarray(rui_days) * np.asarray(rui), rui)
    acc.add("charged_awaiting_court_live", charged_live)

    # pre-charge
    acc.add("cps_referrals", acc.counts(referral))
    ap_issued = np.concatenate([_np(cr, f"ap{k}_issued") for k in (1, 2, 3)])
    ap_answered = np.concatenate([_np(cr, f"ap{k}_answered") for k in (1, 2, 3)])
    acc.add("action_plans", acc.counts(ap_issued))
    acc.mean("precharge_timeliness_police_days", ap_answered, ap_answered - ap_issued, ap_answered >= 0)
    decision = _np(cr, "decision_date")
    # CPS responses: each action plan (from the previous submission) and the final decision (from the last)
    sub1 = referral
    subs = [sub1] + [_np(cr, f"ap{k}_answered") for k in (1, 2, 3)]
    resp_days, resp_vals = [], []
    n_ap = _np(cr, "n_action_plans")
    for k in range(3):
        issued = _np(cr, f"ap{k + 1}_issued")
        ok = issued >= 0
        resp_days.append(issued[ok])
        resp_vals.append(issued[ok] - subs[k][ok])
    ok = decision >= 0
    last_sub = np.choose(np.clip(n_ap, 0, 3), subs)
    resp_days.append(decision[ok])
    resp_vals.append(decision[ok] - last_sub[ok])
    acc.mean("precharge_timeliness_cps_days", np.concatenate(resp_days), np.concatenate(resp_vals))
    acc.mean("report_to_referral_days", referral, referral - rec, referral >= 0)
    acc.mean("referral_to_charge_days", decision, decision - referral, decision >= 0)
    n_susp = _np(cr, "n_suspects")
    dec = _np(cr, "decision")
    acc.rate(
        "cps_charge_rate", acc.counts(decision, dec == 1, weights=n_susp), acc.counts(decision, None, weights=n_susp)
    )

    # court
    dcs = world.dcs
    fh = _np(dcs, "first_hearing")
    first_charge = _np(dcs, "first_charge")
    dc_da = dcs["da"].to_numpy()
    acc.mean("charge_to_first_hearing_days", fh, fh - first_charge)
    acc.mean("da_charge_to_first_hearing_days", fh, fh - first_charge, dc_da)
    h = world.hearings.join(dcs.select("dc_id", "first_hearing"), on="dc_id", how="left", maintain_order="left")
    hd = _np(h, "hearing_date")
    to = h["trial_outcome"].fill_null("").to_numpy()
    ctype = h["court_type"].to_numpy()
    eff = to == "Effective"
    acc.mean("first_hearing_to_trial_days", hd, hd - _np(h, "first_hearing"), eff)
    acc.add("video_enabled_hearings", acc.counts(hd, h["video_enabled"].to_numpy()))
    cat = dcs["result_category"].to_numpy()
    sent = dcs["sent_to_cc"].to_numpy()
    h_first_cc = h.filter((pl.col("court_type") == "CC") & (pl.col("hearing_kind") == 2)).select(
        "dc_id", "hearing_date"
    )
    ptph = (
        dcs.select("dc_id")
        .join(h_first_cc, on="dc_id", how="left", maintain_order="left")["hearing_date"]
        .fill_null(-1)
        .to_numpy()
    )
    acc.add("gp_first_hearing_mc", acc.counts(fh, (cat == "GP1") & ~sent))
    acc.add("gp_first_hearing_cc", acc.counts(ptph, (cat == "GP1") & sent))
    mc_disp = _np(dcs, "mc_disposal_date")
    cc_rec = _np(dcs, "cc_receipt_date")
    completion = _np(dcs, "completion_date")
    mc_r, mc_d = acc.counts(fh), acc.counts(mc_disp)
    cc_r, cc_d = acc.counts(cc_rec, sent), acc.counts(completion, sent)
    acc.add("mc_receipts", mc_r)
    acc.add("mc_disposals", mc_d)
    acc.add("mc_outstanding", [int(((fh <= e) & (mc_disp > e)).sum()) for e in map(month_end_day, acc.months)])
    acc.rate("mc_receipts_per_finalisation", mc_r, mc_d, scale=1.0)
    acc.add("cc_receipts", cc_r)
    acc.add("cc_disposals", cc_d)
    acc.add(
        "cc_outstanding", [int((sent & (cc_rec <= e) & (completion > e)).sum()) for e in map(month_end_day, acc.months)]
    )
    acc.rate("cc_receipts_per_finalisation", cc_r, cc_d, scale=1.0)
    verdict_no = _np(dcs, "verdict_hearing_no")
    acc.add(
        "mc_dropped_3rd_plus_hearing", acc.counts(completion, ~sent & np.isin(cat, ["DSH", "DSC"]) & (verdict_no >= 3))
    )
    listed = np.isin(to, ["Effective", "Cracked", "Ineffective"])
    inef = to == "Ineffective"
    acc.rate("ineffective_trial_rate", acc.counts(hd, inef), acc.counts(hd, listed))
    acc.rate(
        "mc_ineffective_trial_rate", acc.counts(hd, inef & (ctype == "MC")), acc.counts(hd, listed & (ctype == "MC"))
    )
    acc.rate(
        "cc_ineffective_trial_rate", acc.counts(hd, inef & (ctype == "CC")), acc.counts(hd, listed & (ctype == "CC"))
    )
    acc.rate("effective_trial_rate", acc.counts(hd, eff), acc.counts(hd, listed))
    acc.rate("cracked_trial_rate", acc.counts(hd, to == "Cracked"), acc.counts(hd, listed))
    conv = dcs["convicted"].to_numpy()
    unsucc = dcs["unsuccessful"].to_numpy()
    fin = acc.counts(completion)
    acc.add("cps_finalisations", fin)
    # distinct people convicted per month
    convicted = dcs.filter(pl.col("convicted")).select("person_id", "completion_date")
    pc_month = day_to_month(convicted["completion_date"].cast(pl.Int64).to_numpy())
    people = []
    for m in acc.months:
        people.append(int(np.unique(convicted["person_id"].to_numpy()[pc_month == m]).size))
    acc.add("people_convicted", people)
    acc.rate("overall_conviction_rate", acc.counts(completion, conv), fin)
    acc.rate("mc_conviction_rate", acc.counts(completion, conv & ~sent), acc.counts(completion, ~sent))
    acc.rate("cc_conviction_rate", acc.counts(completion, conv & sent), acc.counts(completion, sent))
    acc.rate("da_conviction_rate", acc.counts(completion, conv & dc_da), acc.counts(completion, dc_da))
    gp = np.isin(cat, ["GP1", "GPH", "GPC"])
    acc.rate("guilty_plea_share_mc", acc.counts(completion, gp & ~sent), acc.counts(completion, conv & ~sent))
    acc.rate("guilty_plea_share_cc", acc.counts(completion, gp & sent), acc.counts(completion, conv & sent))
    acc.add("unsuccessful_outcomes", acc.counts(completion, unsucc))
    vi = dcs["victim_issue"].to_numpy()
    dasv = dc_da | dcs["rasso"].to_numpy()
    acc.rate("victim_disengagement_cps", acc.counts(completion, vi), acc.counts(completion, unsucc))
    acc.rate("victim_disengagement_da_sv", acc.counts(completion, vi & dasv), acc.counts(completion, unsucc & dasv))
    acc.add("mhtr_ordered", acc.counts(completion, dcs["req_mental_health_treatment"].to_numpy()))
    acc.add(
        "drug_alcohol_requirements",
        acc.counts(completion, dcs["req_drug_rehabilitation"].to_numpy() | dcs["req_alcohol_treatment"].to_numpy()),
    )

    # stop and search
    ss = world.stop_search
    if len(ss):
        sd = _np(ss, "search_date")
        odef = ss["officer_defined_ethnicity"].to_numpy()
        out = ss["outcome"].to_numpy()
    else:
        sd, odef, out = np.array([], dtype="int64"), np.array([]), np.array([])
    n_ss = acc.counts(sd)
    acc.add("stop_searches", n_ss)
    acc.rate("stop_search_arrest_rate", acc.counts(sd, out == "Arrest"), n_ss)
    from pipelines.lib.simulator.geography import ETHNIC_GROUPS, ETHNIC_PROFILES

    prof = dict(zip(ETHNIC_GROUPS, ETHNIC_PROFILES[world.area.ethnic_profile], strict=True))
    pop = world.area.population
    black = acc.counts(sd, odef == "Black", 12) / (pop * prof["Black"] / 1000)
    white = acc.counts(sd, odef == "White", 12) / (pop * prof["White"] / 1000)
    # only months whose 12-month window is simulated
    full = acc.months - 11 >= world.first_month
    acc.rate("stop_search_black_white_ratio", np.where(full, black, np.nan), np.where(full, white, np.nan), scale=1.0)

    # re-arrest (distinct adults, rolling 12 months)
    # adult = 18 or over on the arrest date, as the arrests extract's Age At Arrest gives it
    ar = su.filter(pl.col("arrested")).select(
        "person_id",
        "arrest_date",
        "offence_group",
        (((pl.col("arrest_date") - pl.col("dob").cast(pl.Int32)) / 365.25).floor() >= 18).alias("adult"),
    )
    a_day = _np(ar, "arrest_date")
    adult = ar["adult"].to_numpy()
    pid = ar["person_id"].to_numpy()
    grp = ar["offence_group"].to_numpy()
    violent = np.isin(grp, VIOLENT_GROUPS)
    neigh = np.isin(grp, NEIGHBOURHOOD_GROUPS)
    arrested, re, vre, nre = [], [], [], []
    for m in acc.months:
        lo, hi = month_start_day(m - 11), month_end_day(m)
        w = adult & (a_day >= lo) & (a_day <= hi)
        ids, cnt = np.unique(pid[w], return_counts=True)
        arrested.append(len(ids))
        re.append(int((cnt >= 2).sum()))
        _, vc = np.unique(pid[w & violent], return_counts=True)
        vre.append(int((vc >= 2).sum()))
        _, nc = np.unique(pid[w & neigh], return_counts=True)
        nre.append(int((nc >= 2).sum()))
    acc.add("adults_arrested_r12m", arrested)
    acc.rate("rearrest_rate_r12m", np.asarray(re, dtype="float64"), np.asarray(arrested, dtype="float64"))
    acc.add("violent_rearrest_r12m", vre)
    acc.add("neighbourhood_rearrest_r12m", nre)

    # probation, reoffending, victim services and surveys
    orders = community_orders(world)
    acc.add("community_orders_made", acc.counts(_np(orders, "completion_date")))
    cohort = reoffending_cohorts(world)
    if cohort.height:
        agg = (
            cohort.group_by("cohort_start", "cohort_end", "juvenile")
            .agg(
                pl.len().alias("n"),
                pl.col("reoffended").sum().alias("r"),
                pl.col("reoffences").cast(pl.Int64).sum().alias("k"),
            )
            .sort("cohort_start", "juvenile")
        )
        for row in agg.iter_rows(named=True):
            offenders, reoffenders, reoffences = float(row["n"]), float(row["r"]), float(row["k"])
            measure_ids = (
                ["proven_reoffending_rate_juvenile"]
                if row["juvenile"]
                else ["proven_reoffending_rate_adult", "reoffences_per_reoffender_adult"]
            )
            for mid in measure_ids:
                num, den, scale = (
                    (reoffences, reoffenders, 1.0) if mid.startswith("reoffences") else (reoffenders, offenders, 100.0)
                )
                acc.rows.append(
                    (
                        mid,
                        world.area.code,
                        "cohort",
                        int(row["cohort_start"]),
                        int(row["cohort_end"]),
                        num / den * scale if den > 0 else None,
                        num,
                        den,
                    )
                )
    ref = victim_referrals(world)
    rd = _np(ref, "referral_date") if ref.height else np.array([], dtype="int64")
    acc.add("victim_referrals", acc.counts(rd))
    # distinct victims per month: one per crime and month of referral
    vm = day_to_month(rd)
    _, first_in_month = np.unique(
        np.stack([ref["crime_id"].to_numpy() if ref.height else rd, vm]), axis=1, return_index=True
    )
    acc.add("victims_referred", acc.counts(rd[np.sort(first_in_month)]))
    aud = vcop_audits(world)
    ad = _np(aud, "audit_date") if aud.height else np.array([], dtype="int64")
    acc.rate(
        "vcop_compliance_rate", acc.counts(ad, aud["compliant"].to_numpy() if aud.height else None), acc.counts(ad)
    )
    sv = victim_survey(world)
    sd2 = _np(sv, "response_date") if sv.height else np.array([], dtype="int64")
    acc.rate(
        "victim_satisfaction_pct", acc.counts(sd2, sv["satisfied"].to_numpy() if sv.height else None), acc.counts(sd2)
    )
    pc = public_confidence(world)
    pd_ = _np(pc, "response_date")
    acc.rate("public_confidence_pct", acc.counts(pd_, pc["confident"].to_numpy()), acc.counts(pd_))

    return pl.DataFrame(
        acc.rows,
        schema={
            "measure_id": pl.String,
            "area_code": pl.String,
            "period_type": pl.String,
            "period_start": pl.Int32,
            "period_end": pl.Int32,
            "value": pl.Float64,
            "numerator": pl.Float64,
            "denominator": pl.Float64,
        },
        orient="row",
    ).with_columns(pl.col("period_start").cast(pl.Date), pl.col("period_end").cast(pl.Date))


def reconciliation(world: AreaWorld) -> pl.DataFrame:
    """Per area and month: the figures each agency would report, on its own counting basis, side by side."""
    months = np.arange(world.first_month, world.last_month + 1)
    acc = _Acc(world)
    dcs = world.dcs
    fh = _np(dcs, "first_hearing")
    sent = dcs["sent_to_cc"].to_numpy()
    mc_disp = _np(dcs, "mc_disposal_date")
    cc_rec = _np(dcs, "cc_receipt_date")
    completion = _np(dcs, "completion_date")
    ends = [int(month_end_day(m)) for m in months]
    starts = [int(month_start_day(m)) - 1 for m in months]
    ch = world.charged
    chd = _np(ch, "charge_date")
    first_charge = _np(dcs, "first_charge")
    cr = world.crimes
    decision = _np(cr, "decision_date")
    police_live = []
    police_live_cases = []
    for e in ends:
        live = ch.filter((pl.col("charge_date") <= e) & (pl.col("first_hearing") > e))
        police_live.append(len(live))
        police_live_cases.append(live["case_id"].n_unique())
    n_crimes = dcs["n_crimes"].cast(pl.Int64).to_numpy()
    rec_n = acc.counts(fh)
    crimes_per_dc = np.where(rec_n > 0, acc.counts(fh, weights=n_crimes) / np.maximum(rec_n, 1), np.nan)
    case_fh = _np(world.cases, "first_hearing")
    frame = pl.DataFrame(
        {
            "area_code": [world.area.code] * len(months),
            "month_start": [int(month_start_day(m)) for m in months],
            "police_charged_awaiting_court_rows": police_live,
            "police_charged_awaiting_court_cases": police_live_cases,
            "police_charges_crime_suspects": acc.counts(chd),
            "police_defendant_cases_charged": acc.counts(first_charge),
            "cps_precharge_decisions_files": acc.counts(decision),
            "cps_finalisations_mc": acc.counts(completion, ~sent),
            "cps_finalisations_cc": acc.counts(completion, sent),
            "hmcts_mc_outstanding_open": [int(((fh <= s) & (mc_disp > s)).sum()) for s in starts],
            "hmcts_mc_receipts": rec_n,
            "hmcts_mc_disposals": acc.counts(mc_disp),
            "hmcts_mc_disposals_sent_to_cc": acc.counts(mc_disp, sent),
            "hmcts_mc_outstanding_close": [int(((fh <= e) & (mc_disp > e)).sum()) for e in ends],
            "hmcts_cc_outstanding_open": [int((sent & (cc_rec <= s) & (completion > s)).sum()) for s in starts],
            "hmcts_cc_receipts": acc.counts(cc_rec, sent),
            "hmcts_cc_disposals": acc.counts(completion, sent),
            "hmcts_cc_outstanding_close": [int((sent & (cc_rec <= e) & (completion > e)).sum()) for e in ends],
            "crimes_per_defendant_case": crimes_per_dc,
            "hmcts_mc_cases_first_listed": acc.counts(case_fh),
        }
    )
    int_cols = [c for c in frame.columns if c.startswith(("police_", "cps_", "hmcts_"))]
    return frame.with_columns(pl.col("month_start").cast(pl.Date), *[pl.col(c).cast(pl.Int64) for c in int_cols])


# ------------------------------------------------------------------------------------------------------------------
# event log
# ------------------------------------------------------------------------------------------------------------------
EVENT_SCHEMA = {
    "area_code": pl.String,
    "event_date": pl.Date,
    "event_type": pl.String,
    "crime_id": pl.Int64,
    "person_id": pl.Int64,
    "case_id": pl.Int64,
    "dc_id": pl.Int64,
    "court_type": pl.String,
    "detail": pl.String,
    "value": pl.Int32,
}


def events(world: AreaWorld, first_month: int | None = None, last_month: int | None = None) -> pl.DataFrame:
    """The event log (long form): every event dated in the reporting months (warm-up events are not written; the stocks
    they leave are in the snapshot measures), or in first_month..last_month if given (the run writes the log in
    windows of a few months to bound memory). Ordered by date, then by event type in the order below, then by the
    simulated tables' own (deterministic) order."""
    first = int(month_start_day(world.first_month if first_month is None else first_month))
    last = int(month_end_day(world.last_month if last_month is None else last_month))
    code = world.area.code
    parts = []

    def add(frame: pl.DataFrame, date_col: str, etype, **cols):
        f = frame.filter((pl.col(date_col) >= first) & (pl.col(date_col) <= last))
        exprs = {k: pl.lit(None, t) for k, t in EVENT_SCHEMA.items()}
        exprs["area_code"] = pl.lit(code)
        exprs["event_date"] = pl.col(date_col).cast(pl.Int32).cast(pl.Date)
        exprs["event_type"] = etype if isinstance(etype, pl.Expr) else pl.lit(etype)
        for k, v in cols.items():
            exprs[k] = v
        parts.append(f.select(*[e.cast(EVENT_SCHEMA[k]).alias(k) for k, e in exprs.items()]))

    cr = world.crimes
    add(
        cr,
        "recorded_date",
        "crime_recorded",
        crime_id=pl.col("crime_id"),
        detail=pl.col("ho_offence_code"),
        value=pl.col("n_suspects"),
    )
    add(cr, "outcome_date", "outcome_assigned", crime_id=pl.col("crime_id"), detail=pl.col("outcome_code"))
    add(cr, "referral_date", "referred_to_cps", crime_id=pl.col("crime_id"))
    for k in (1, 2, 3):
        add(cr, f"ap{k}_issued", "action_plan_issued", crime_id=pl.col("crime_id"), value=pl.lit(k))
        add(cr, f"ap{k}_answered", "action_plan_answered", crime_id=pl.col("crime_id"), value=pl.lit(k))
    add(
        cr,
        "decision_date",
        "cps_decision",
        crime_id=pl.col("crime_id"),
        detail=pl.col("decision").replace_strict(
            {1: "charge", 2: "nfa_evidential", 3: "nfa_public_interest"}, default=None, return_dtype=pl.String
        ),
    )
    su = world.suspects
    add(
        su,
        "arrest_date",
        "arrest",
        crime_id=pl.col("crime_id"),
        person_id=pl.col("person_id"),
        detail=pl.col("arrest_result"),
    )
    ch = world.charged
    add(
        ch,
        "charge_date",
        "charged",
        crime_id=pl.col("crime_id"),
        person_id=pl.col("person_id"),
        case_id=pl.col("case_id"),
        dc_id=pl.col("dc_id"),
        detail=pl.col("urn"),
    )
    h = world.hearings.join(world.dcs.select("dc_id", "case_id", "person_id"), on="dc_id", how="left")
    add(
        h,
        "hearing_date",
        "hearing",
        case_id=pl.col("case_id"),
        dc_id=pl.col("dc_id"),
        person_id=pl.col("person_id"),
        court_type=pl.col("court_type"),
        detail=pl.concat_str([pl.col("hearing_type"), pl.col("trial_outcome").fill_null("")], separator="|"),
        value=pl.col("hearing_no"),
    )
    d = world.dcs
    add(
        d.filter(pl.col("sent_to_cc")),
        "cc_receipt_date",
        "sent_to_crown_court",
        case_id=pl.col("case_id"),
        dc_id=pl.col("dc_id"),
        person_id=pl.col("person_id"),
        court_type=pl.lit("MC"),
    )
    add(
        d,
        "completion_date",
        "finalised",
        case_id=pl.col("case_id"),
        dc_id=pl.col("dc_id"),
        person_id=pl.col("person_id"),
        court_type=pl.when(pl.col("sent_to_cc")).then(pl.lit("CC")).otherwise(pl.lit("MC")),
        detail=pl.col("result_category"),
        value=pl.col("n_crimes"),
    )
    add(
        d.filter(pl.col("convicted")),
        "completion_date",
        "sentenced",
        case_id=pl.col("case_id"),
        dc_id=pl.col("dc_id"),
        person_id=pl.col("person_id"),
        detail=pl.col("sentence"),
        value=pl.col("custody_months"),
    )
    for col in [c for c in d.columns if c.startswith("req_")]:
        add(
            d.filter(pl.col(col)),
            "completion_date",
            "requirement_ordered",
            dc_id=pl.col("dc_id"),
            person_id=pl.col("person_id"),
            detail=pl.lit(col[4:]),
        )
    ss = world.stop_search
    if len(ss):
        add(ss, "search_date", "stop_search", detail=pl.col("outcome"))
    return pl.concat(parts, how="vertical").sort("event_date", maintain_order=True)


__all__ = ["MEASURES", "events", "measure_values", "reconciliation", "day_to_date", "dt"]


# The "Data behind these figures" measures: how whole and timely the data is, not what it says. Kept apart from
# MEASURES (_truth/data_health.parquet) since their truth comes from the delivery schedule as well as the world.
HEALTH_MEASURES = [
    Measure(
        "deliveries_on_time_pct",
        "month",
        "percent",
        "Monthly agency extract files of the reporting month that arrived by the day their spec expects them (expected_delivery_day of the next month), % of the files due for the area.",
    ),
    Measure(
        "deliveries_late",
        "month",
        "count",
        "Monthly agency extract files of the reporting month that arrived after their expected day.",
    ),
    Measure(
        "deliveries_missing", "month", "count", "Monthly agency extract files of the reporting month never delivered."
    ),
    Measure(
        "arrests_ethnicity_not_stated_pct",
        "month",
        "percent",
        "Arrests in the month whose suspect's self-defined ethnicity is not stated (NS, blank, or no 18+1 code), % of arrests in the month.",
    ),
    Measure(
        "stop_search_ethnicity_not_stated_pct",
        "month",
        "percent",
        "Stop and searches in the month whose self-defined ethnicity is not stated (NS, or left blank), % of searches in the month: the share the stop and search disproportionality figures cannot place.",
    ),
    Measure(
        "crimes_victim_ethnicity_not_stated_pct",
        "month",
        "percent",
        "Crimes with a victim recorded in the month whose victim's self-defined ethnicity is not stated (NS), % of crimes with a victim recorded in the month.",
    ),
    Measure(
        "victim_referrals_ethnicity_not_stated_pct",
        "month",
        "percent",
        "Referrals of victims to a support service made in the month whose victim's self-defined ethnicity is not stated (NS), % of referrals in the month.",
    ),
]
HEALTH_SCHEMA = pl.Schema(
    {
        "measure_id": pl.String,
        "area_code": pl.String,
        "period_type": pl.String,
        "period_start": pl.Date,
        "period_end": pl.Date,
        "value": pl.Float64,
        "numerator": pl.Float64,
        "denominator": pl.Float64,
    }
)


def ethnicity_not_stated(world: AreaWorld) -> pl.DataFrame:
    """The ethnicity-not-stated shares per month for one area, from the simulated searches, arrested suspects, victims
    and victim referrals (not from the extracts): the *_ethnicity_not_stated_pct measures of HEALTH_MEASURES."""
    acc = _Acc(world)
    searches = world.stop_search
    victims = world.crimes.filter(pl.col("has_victim"))
    referrals = victim_referrals(world)
    if referrals.is_empty():  # no referral at all: a frame with no columns
        referrals = pl.DataFrame(schema={"referral_date": pl.Int32, "victim_ethnicity": pl.String})
    arrests = world.suspects.filter(pl.col("arrested")).join(
        world.pool.select("person_id", "ethnicity_code"), on="person_id", how="left"
    )
    stated = ("W", "B", "A", "M", "O")  # the 18+1 codes' first letters; NS is not stated
    shares = {
        "stop_search_ethnicity_not_stated_pct": (
            _np(searches, "search_date"),
            searches["self_defined_ethnicity"].fill_null("NS").eq("NS").to_numpy(),
        ),
        "arrests_ethnicity_not_stated_pct": (
            _np(arrests, "arrest_date"),
            ~arrests["ethnicity_code"].fill_null("").str.slice(0, 1).is_in(stated).to_numpy(),
        ),
        "crimes_victim_ethnicity_not_stated_pct": (
            _np(victims, "recorded_date"),
            victims["victim_ethnicity"].eq("NS").to_numpy(),
        ),
        "victim_referrals_ethnicity_not_stated_pct": (
            _np(referrals, "referral_date"),
            referrals["victim_ethnicity"].eq("NS").to_numpy(),
        ),
    }
    rows = []
    for measure_id, (days, not_stated) in shares.items():
        numerator, denominator = acc.counts(days, not_stated), acc.counts(days)
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1) * 100, np.nan)
        rows += [
            (
                measure_id,
                world.area.code,
                "month",
                day_to_date(int(month_start_day(month))),
                day_to_date(int(month_end_day(month))),
                _clean(value[i]),
                float(numerator[i]),
                float(denominator[i]),
            )
            for i, month in enumerate(acc.months)
        ]
    return pl.DataFrame(rows, schema=HEALTH_SCHEMA, orient="row")


def data_health(deliveries: pl.DataFrame, area_codes: list[str]) -> pl.DataFrame:
    """The delivery measures per area and reporting month, from the schedule (deliveries.py). Every simulated area is
    in every file (each force's rows are in its police file; CPS and HMCTS send every area's rows at once), so each
    area is due every file of the month."""
    per_month = (
        deliveries.group_by("reporting_month")
        .agg(
            due=pl.len(),
            on_time=(pl.col("status") == "on_time").sum(),
            late=(pl.col("status") == "late").sum(),
            missing=(pl.col("status") == "missing").sum(),
        )
        .with_columns(period_start=(pl.col("reporting_month") + "-01").str.to_date())
        .with_columns(period_end=pl.col("period_start").dt.month_end())
    )
    frames = []
    for area_code in area_codes:
        base = per_month.with_columns(area_code=pl.lit(area_code), period_type=pl.lit("month"))
        frames += [
            base.with_columns(
                measure_id=pl.lit("deliveries_on_time_pct"),
                value=pl.col("on_time") / pl.col("due") * 100,
                numerator=pl.col("on_time").cast(pl.Float64),
                denominator=pl.col("due").cast(pl.Float64),
            ),
            base.with_columns(
                measure_id=pl.lit("deliveries_late"),
                value=pl.col("late").cast(pl.Float64),
                numerator=pl.lit(None, pl.Float64),
                denominator=pl.lit(None, pl.Float64),
            ),
            base.with_columns(
                measure_id=pl.lit("deliveries_missing"),
                value=pl.col("missing").cast(pl.Float64),
                numerator=pl.lit(None, pl.Float64),
                denominator=pl.lit(None, pl.Float64),
            ),
        ]
    if not frames:
        return pl.DataFrame(schema=HEALTH_SCHEMA)
    return pl.concat([frame.select(list(HEALTH_SCHEMA)).cast(HEALTH_SCHEMA) for frame in frames]).sort(
        "measure_id", "area_code", "period_start"
    )
