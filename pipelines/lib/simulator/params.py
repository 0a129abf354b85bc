"""Calibration parameters, each with its source.

Every figure the simulator is tuned to sits here beside where it came from. ``CS §n`` means section *n* of
``/work/shared/docs/calibration_sources.md`` (which gives the publication, period and confidence of each figure);
``ASSUMED`` marks a value that was not found in published form and was chosen to be plausible (calibration.md lists
these gaps); ``DERIVED`` marks arithmetic that makes several published figures hold together.

Probabilities are per unit stated in the name (per crime, per crime-suspect, per defendant-case, per trial listing).
Durations are lognormal unless stated: ``(median_days, sigma)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Param:
    value: Any
    source: str


# ---------------------------------------------------------------------------------------------------------------
# Volumes
# ---------------------------------------------------------------------------------------------------------------
NATIONAL_CRIME_RATE_PER_1000 = Param(
    89.1,
    "CS §1 Wiltshire PRC: E&W 89.1 per 1,000 residents, YE Jun 2024 (ONS via Wiltshire Times; Q-sec). "
    "At 60.2m residents this gives ~5.36m crimes a year, inside the 5.3-5.5m PRC excl. fraud range (CS §1, Q-off)",
)
SEASONALITY = Param(
    # multiplier by calendar month (Jan..Dec); recorded crime peaks in summer
    (0.92, 0.88, 0.97, 0.98, 1.04, 1.05, 1.08, 1.06, 1.01, 1.03, 0.99, 0.99),
    "ASSUMED: typical summer peak of police recorded crime (about +/-8%), mean 1.0",
)
ANNUAL_CRIME_TREND = Param(-0.01, "ASSUMED: -1% a year (Wiltshire -5.6% YE Dec 2024, national flat; CS §1)")
ARRESTS_PER_100_CRIMES = Param(
    12.6,
    "CS §1: arrests 663k-720k a year (HO Police powers and procedures) over ~5.4m crimes = ~12.6 per 100 (DERIVED)",
)
STOP_SEARCH_PER_1000 = Param(
    9.1, "CS §7: 547,003 searches YE Mar 2023 (HO, Q-off) / 60.2m residents = 9.1 per 1,000 (DERIVED)"
)
STOP_SEARCH_ARREST_RATE = Param(0.14, "CS §7: 14% of searches end in arrest, 2022/23 (HO, Q-off)")
STOP_SEARCH_NFA_RATE = Param(0.75, "CS §7: 76-77% no further action (HO via press, Q-sec)")
STOP_SEARCH_RELATIVE_RATE = Param(
    {"White": 1.0, "Black": 8.0, "Asian": 2.5, "Mixed": 4.5, "Other": 2.0},
    "CS §7: Black 7-9x White (2011 Census basis, Q-sec); Wiltshire Black 8.86x, Mixed 4.85x, Asian 3.6x (Q4 2019/20)",
)

# ---------------------------------------------------------------------------------------------------------------
# Offence groups. share = share of police recorded crime excluding fraud.
# Shares: ONS PRC by offence group YE Mar 2023 (rounded, approximate; rape 1.3% and all sexual offences 3.6% are
# CS §9 DERIVED figures). p_da = probability a crime of the group is DA-flagged, tuned so the total is ~16% (CS §1,
# ONS 889,918 / 5.5m) with 38% of violence against the person DA-related (CS §1, ONS YE Mar 2021).
# outcome mix (eventual outcome, % of crimes): o18 no suspect; o14 suspect not identified, victim does not support;
# o16; o15; charge (1); oocd (2/3/6/7/8); other (10,20,21,22,4,5,11-13,17). Targets: CS §2 & §9 (o18 37-43%, o16
# 24-30%, o15 ~13%, charge 5.5-7.6%, OOCD ~5%); charge rates by group CS §2 (rape 3%, VAP 6.3%, robbery 8.1%,
# theft 7.6%, house burglary 4.8%, YE Jun 2025, Q-sec).
# cps_route: share of charges decided by the CPS (rest charged by police under DG6); DERIVED so that CPS charging
# receipts are ~200k a year (CS §3: 47-53k a quarter) against ~350k crimes charged.
# mode: S summary, E either way, I indictable only; p_cc = share of charged defendant-cases sent to the Crown Court
# (ASSUMED by group, tuned so CC receipts are ~7-8% of MC receipts from recorded crime; CS §4 gives 105k CC against
# 1.37m MC receipts, but the MC figure includes summary non-police work the simulator does not model).
# ---------------------------------------------------------------------------------------------------------------
OFFENCE_GROUP_COLUMNS = (
    "group",
    "label",
    "share",
    "victim",
    "p_da",
    "p_hate",
    "o18",
    "o14",
    "o16",
    "o15",
    "charge",
    "oocd",
    "other",
    "cps_route",
    "p_cc",
    "rank",
    "poc",
)
OFFENCE_GROUPS = Param(
    [
        # group, label, share, victim, p_da, p_hate, o18, o14, o16, o15, charge, oocd, other, cps_route, p_cc, rank, poc
        ("homicide", "Homicide", 0.0001, 1, 0.20, 0.02, 2, 0, 4, 12, 70, 0, 12, 1.00, 1.00, 1, "Homicide"),
        (
            "violence_with_injury",
            "Violence with injury",
            0.100,
            1,
            0.35,
            0.03,
            28,
            3,
            33,
            15,
            8.0,
            5,
            8,
            0.70,
            0.30,
            3,
            "Offences Against The Person",
        ),
        (
            "violence_without_injury",
            "Violence without injury",
            0.150,
            1,
            0.33,
            0.04,
            26,
            3,
            37,
            14,
            6.0,
            6,
            8,
            0.55,
            0.04,
            7,
            "Offences Against The Person",
        ),
        (
            "stalking_harassment",
            "Stalking and harassment",
            0.130,
            1,
            0.36,
            0.06,
            17,
            3,
            44,
            20,
            4.5,
            4,
            7.5,
            0.60,
            0.08,
            8,
            "Offences Against The Person",
        ),
        ("rape", "Rape", 0.013, 1, 0.30, 0.00, 4, 3, 44, 37, 3.0, 0, 9, 1.00, 1.00, 2, "Sexual Offences"),
        (
            "other_sexual",
            "Other sexual offences",
            0.023,
            1,
            0.15,
            0.01,
            10,
            3,
            38,
            31,
            6.0,
            3,
            9,
            1.00,
            0.60,
            4,
            "Sexual Offences",
        ),
        ("robbery", "Robbery", 0.013, 1, 0.03, 0.03, 48, 3, 15, 15, 8.1, 1, 9.9, 0.90, 0.85, 5, "Robbery"),
        (
            "burglary_residential",
            "Residential burglary",
            0.035,
            1,
            0.03,
            0.00,
            74,
            2,
            5,
            8,
            4.8,
            0.5,
            5.7,
            0.60,
            0.45,
            6,
            "Burglary",
        ),
        (
            "burglary_business",
            "Business and community burglary",
            0.012,
            1,
            0.00,
            0.00,
            76,
            2,
            4,
            8,
            4.5,
            0.5,
            5,
            0.40,
            0.25,
            9,
            "Burglary",
        ),
        (
            "vehicle",
            "Vehicle offences",
            0.065,
            1,
            0.01,
            0.00,
            86,
            2,
            3,
            4,
            2.2,
            0.5,
            2.3,
            0.30,
            0.03,
            13,
            "Theft And Handling",
        ),
        (
            "theft_person",
            "Theft from the person",
            0.020,
            1,
            0.01,
            0.01,
            82,
            3,
            5,
            4,
            2.5,
            0.5,
            3,
            0.30,
            0.05,
            12,
            "Theft And Handling",
        ),
        (
            "bicycle_theft",
            "Bicycle theft",
            0.013,
            1,
            0.00,
            0.00,
            88,
            2,
            2,
            3,
            1.5,
            0.5,
            3,
            0.10,
            0.00,
            16,
            "Theft And Handling",
        ),
        (
            "shoplifting",
            "Shoplifting",
            0.065,
            1,
            0.00,
            0.00,
            48,
            1,
            11,
            12,
            14.0,
            6,
            8,
            0.15,
            0.02,
            15,
            "Theft And Handling",
        ),
        (
            "other_theft",
            "All other theft offences",
            0.075,
            1,
            0.04,
            0.01,
            68,
            3,
            12,
            7,
            3.5,
            2,
            4.5,
            0.35,
            0.06,
            14,
            "Theft And Handling",
        ),
        (
            "criminal_damage",
            "Criminal damage and arson",
            0.095,
            1,
            0.12,
            0.02,
            65,
            3,
            13,
            7,
            3.5,
            4,
            4.5,
            0.35,
            0.05,
            11,
            "Criminal Damage",
        ),
        ("drugs", "Drug offences", 0.034, 0, 0.00, 0.00, 1, 0, 1, 17, 20.0, 49, 12, 0.55, 0.30, 10, "Drugs Offences"),
        (
            "weapons",
            "Possession of weapons offences",
            0.010,
            0,
            0.01,
            0.00,
            3,
            0,
            2,
            27,
            32.0,
            12,
            24,
            0.60,
            0.25,
            6,
            "All Other Offences (excluding Motoring)",
        ),
        (
            "public_order",
            "Public order offences",
            0.080,
            1,
            0.05,
            0.10,
            36,
            3,
            26,
            14,
            5.0,
            5,
            11,
            0.35,
            0.01,
            17,
            "Public Order Offences",
        ),
        (
            "misc_society",
            "Miscellaneous crimes against society",
            0.030,
            0,
            0.01,
            0.01,
            30,
            2,
            14,
            16,
            12.0,
            5,
            21,
            0.60,
            0.20,
            12,
            "All Other Offences (excluding Motoring)",
        ),
    ],
    "shares: ONS PRC by offence group YE Mar 2023 (approximate); outcome and DA columns tuned to CS §1, §2, §9",
)

# Indicative Home Office offence classification codes per group (code, description, weight within group). The codes
# are shaped like HO codes (three digits / two digits); descriptions are plausible, not an official lookup.
OFFENCE_CODES = Param(
    {
        "homicide": [("001/00", "Murder", 0.85), ("004/01", "Manslaughter", 0.15)],
        "violence_with_injury": [
            ("008/01", "Assault with injury", 0.70),
            ("005/01", "Wounding with intent to do GBH", 0.12),
            ("005/10", "Inflicting GBH without intent", 0.13),
            ("008/06", "Racially or religiously aggravated assault with injury", 0.05),
        ],
        "violence_without_injury": [
            ("105/01", "Assault without injury", 0.80),
            ("104/01", "Assault without injury on an emergency worker", 0.12),
            ("105/02", "Racially or religiously aggravated assault without injury", 0.08),
        ],
        "stalking_harassment": [
            ("008/31", "Harassment", 0.45),
            ("195/94", "Malicious communications", 0.35),
            ("008/71", "Stalking", 0.12),
            ("008/32", "Racially or religiously aggravated harassment", 0.08),
        ],
        "rape": [
            ("019/16", "Rape of a female aged 16 and over", 0.70),
            ("019/17", "Rape of a female child under 16", 0.14),
            ("019/18", "Rape of a female child under 13", 0.08),
            ("019/19", "Rape of a male aged 16 and over", 0.08),
        ],
        "other_sexual": [
            ("020/03", "Sexual assault on a female aged 13 and over", 0.55),
            ("022/01", "Sexual assault on a male aged 13 and over", 0.10),
            ("088/01", "Sexual activity involving a child under 13", 0.15),
            ("088/03", "Sexual activity with a child under 16", 0.20),
        ],
        "robbery": [("034/02", "Robbery of personal property", 0.88), ("034/01", "Robbery of business property", 0.12)],
        "burglary_residential": [
            ("028/01", "Burglary - residential", 0.85),
            ("028/03", "Aggravated burglary - residential", 0.15),
        ],
        "burglary_business": [("030/01", "Burglary - business and community", 1.0)],
        "vehicle": [
            ("045/00", "Theft from a vehicle", 0.55),
            ("048/00", "Theft or unauthorised taking of a motor vehicle", 0.30),
            ("126/00", "Interfering with a motor vehicle", 0.15),
        ],
        "theft_person": [("039/00", "Theft from the person", 1.0)],
        "bicycle_theft": [("044/00", "Theft or unauthorised taking of a pedal cycle", 1.0)],
        "shoplifting": [("046/00", "Shoplifting", 1.0)],
        "other_theft": [
            ("049/00", "Other theft", 0.75),
            ("041/00", "Theft by an employee", 0.05),
            ("054/00", "Handling stolen goods", 0.20),
        ],
        "criminal_damage": [
            ("058/01", "Criminal damage to a dwelling", 0.35),
            ("058/03", "Criminal damage to a vehicle", 0.40),
            ("056/01", "Arson endangering life", 0.05),
            ("058/02", "Criminal damage to a building other than a dwelling", 0.20),
        ],
        "drugs": [
            ("092/01", "Trafficking in controlled drugs", 0.25),
            ("092/05", "Possession of cannabis", 0.50),
            ("092/10", "Possession of other controlled drugs", 0.25),
        ],
        "weapons": [
            ("010/03", "Possession of article with blade or point", 0.60),
            ("010/04", "Possession of an offensive weapon", 0.30),
            ("081/02", "Possession of firearms offences", 0.10),
        ],
        "public_order": [
            ("066/01", "Public fear, alarm or distress", 0.80),
            ("066/02", "Racially or religiously aggravated public fear, alarm or distress", 0.12),
            ("065/00", "Violent disorder", 0.08),
        ],
        "misc_society": [
            ("802/00", "Dangerous driving", 0.25),
            ("070/00", "Perverting the course of justice", 0.10),
            ("086/00", "Obscene publications", 0.15),
            ("099/00", "Other notifiable offences", 0.50),
        ],
    },
    "ASSUMED: indicative HO classification codes (shape NNN/NN) and weights",
)

# DA-flagged crimes have their own outcome mix: ~55% outcome 16 (CS §6, HMICFRS YE Mar 2020), ~20% outcome 15
# (CS §6), DA charge/summons ~9% of DA crimes (CS §6: 9% in 2020).
DA_OUTCOMES = Param(
    {"o18": 2, "o14": 1, "o16": 56, "o15": 20, "charge": 9.0, "oocd": 2, "other": 10.0},
    "CS §6: DA outcome 16 54.8%, outcome 15 20%, DA charge ~9% (YE Mar 2020)",
)

OOCD_SPLIT = Param(
    {"8": 0.62, "3": 0.22, "2": 0.06, "6": 0.06, "7": 0.04},
    "CS §2: community resolutions ~3% of crime of ~5% OOCD (DERIVED); others ASSUMED. Drugs use DRUGS_OOCD_SPLIT",
)
DRUGS_OOCD_SPLIT = Param(
    {"7": 0.40, "8": 0.40, "3": 0.12, "2": 0.04, "6": 0.04}, "ASSUMED: cannabis/khat warnings common for possession"
)
OTHER_OUTCOME_SPLIT = Param(
    {
        "21": 0.38,
        "20": 0.20,
        "10": 0.18,
        "22": 0.12,
        "17": 0.04,
        "4": 0.03,
        "5": 0.01,
        "11": 0.01,
        "12": 0.01,
        "13": 0.02,
    },
    "ASSUMED: outcome 14 is not published (CS §10); split of the residual outcomes",
)
PRINCIPAL_OUTCOME_CHARGE_ALT = Param(0.04, "ASSUMED: share of charges recorded as 1A (alternative offence)")

# ---------------------------------------------------------------------------------------------------------------
# Suspects, arrest, bail and RUI
# ---------------------------------------------------------------------------------------------------------------
SUSPECTS_PER_CRIME = Param((0.86, 0.10, 0.03, 0.01), "ASSUMED: P(1, 2, 3, 4 suspects | suspect identified)")
P_ARREST = Param(
    {"charge": 0.55, "charge_da": 0.90, "nfa": 0.10, "nfa_da": 0.22, "oocd": 0.15},
    "DERIVED: per crime-suspect, tuned to ~12.6 arrests per 100 crimes (CS §1) and 30-36 arrests per 100 "
    "DA crimes (CS §6, ONS: 36.3 YE Mar 2023)",
)
P_CHARGED_IN_CUSTODY = Param(
    {"general": 0.35, "da": 0.60}, "ASSUMED: share of arrested charged suspects charged before release"
)
RELEASE_SPLIT = Param(
    {"bail": 0.33, "rui": 0.52, "nfa_at_custody": 0.15},
    "ASSUMED: post-2017 reform RUI dominant (CS §7 FOI: e.g. Thames Valley bail 379 vs RUI 11,053); "
    "bail partly restored by the 2022 PCSC Act",
)
ARREST_DELAY = Param((1.0, 1.2), "ASSUMED: recorded -> arrest, days (DA: same day, median 0.3)")
OUTCOME_DELAY = Param(
    {
        "o18": (7, 1.2),
        "o14": (10, 1.1),
        "o16": (21, 1.2),
        "o15": (45, 1.1),
        "oocd": (30, 1.0),
        "other": (30, 1.1),
        "charge_police": (20, 1.3),
    },
    "CS §2: median recording -> outcome 14 days (all crime, YE Mar 2023); ASSUMED per outcome",
)
STATUS_DELAY_MULTIPLIER = Param(
    {"bail": 1.8, "rui": 3.0},
    "ASSUMED: RUI investigations run longest (CS §7: 2,772 violent/sexual RUIs open >= 1 year in 20 forces)",
)
RASSO_DELAY_MULTIPLIER = Param(5.0, "CS §2: rape median recording -> outcome 98 days vs 14 all crime (YE Mar 2020)")

# ---------------------------------------------------------------------------------------------------------------
# Pre-charge: referral, action plans, charging decision
# ---------------------------------------------------------------------------------------------------------------
CPS_CHARGE_RATE = Param(0.77, "CS §3: suspects charged of all legal decisions 75-79% (CPS MI); DA 76.5% (CS §6)")
CPS_NFA_PUBLIC_INTEREST_SHARE = Param(0.12, "ASSUMED: share of CPS no-charge decisions on public interest (outcome 9)")
REPORT_TO_REFERRAL = Param(
    {"general": (21, 1.0), "da": (4, 1.3), "rasso": (110, 0.8)},
    "ASSUMED (CS §10 item 4: not published); rape time to charge 150-175 days (CS §3)",
)
CPS_RESPONSE_DAYS = Param((9, 1.0), "ASSUMED: CPS days from (re)submission to decision or action plan")
POLICE_ACTION_PLAN_DAYS = Param((28, 0.9), "ASSUMED: police days to answer an action plan")
N_ACTION_PLANS = Param(
    {"general": (0.45, 0.33, 0.15, 0.07), "rasso": (0.30, 0.35, 0.22, 0.13)},
    "ASSUMED; tuned so mean police+CPS days to charge is ~40-47 (CS §3: 40.3-47.3, 2021-23)",
)

# ---------------------------------------------------------------------------------------------------------------
# Court
# ---------------------------------------------------------------------------------------------------------------
CHARGE_TO_FIRST_HEARING = Param(
    {"custody": (1, 0.5), "bailed": (26, 0.55)},
    "CS §4: MC charge -> first listing median 16-21 days (knife cases 2017-21), 27 days "
    "(2010 all courts); custody cases appear next day",
)
SAME_CASE_WINDOW_DAYS = Param(30, "ASSUMED: a defendant's charges within 30 days are joined into one case (one URN)")
CC_FIRST_HEARING = Param((28, 0.3), "ASSUMED: sending -> PTPH about 28 days (Crim PR)")
HEARING_GAPS = Param(
    {
        "mc_mention": (21, 0.6),
        "mc_trial": (70, 0.5),
        "mc_relist": (42, 0.5),
        "mc_sentence": (21, 0.4),
        "cc_mention": (35, 0.6),
        "cc_trial": (150, 0.7),
        "cc_relist": (90, 0.6),
        "cc_sentence": (28, 0.4),
    },
    "CS §4: MC first listing -> trial mean 53 days (2018); CC charge -> completion median 179 days (Q2 2025), mean "
    "first listing -> completion 279 days (NAO); the rest ASSUMED",
)
MEAN_EXTRA_MENTIONS = Param({"mc": 0.5, "cc": 1.2}, "ASSUMED: hearings per case ~2 (MC) and 4-5 (CC) (calibration.md)")
# Result category shares of finalised defendant-cases, by court and class. Categories:
#  GP1 guilty plea at first hearing; GPH late guilty plea at a non-trial hearing; GPC late guilty plea at trial
#  (cracked); CAT convicted after trial; PIA proved in absence; ACQ acquitted/dismissed after trial; DSH discontinued
#  or withdrawn at a non-trial hearing; DSC prosecution offers no evidence at trial (cracked); ADM administrative.
RESULT_CATEGORIES = ("GP1", "GPH", "GPC", "CAT", "PIA", "ACQ", "DSH", "DSC", "ADM")
RESULT_SHARES = Param(
    {
        # conviction MC 84.6% with guilty pleas 78% of convictions; CC 79.5% with 71% (CS §3 Hansard AGO 2018, Q-off)
        ("mc", "general"): (0.490, 0.052, 0.130, 0.131, 0.053, 0.058, 0.028, 0.040, 0.018),
        ("cc", "general"): (0.330, 0.060, 0.175, 0.230, 0.000, 0.085, 0.040, 0.065, 0.015),
        # DA conviction 76.4% (CS §6); about half of unsuccessful DA prosecutions fail on victim issues
        ("mc", "da"): (0.430, 0.050, 0.110, 0.130, 0.040, 0.070, 0.070, 0.090, 0.010),
        ("cc", "da"): (0.300, 0.050, 0.150, 0.230, 0.000, 0.100, 0.060, 0.095, 0.015),
        # rape conviction ~68-71% (CS §3 CPS MI)
        ("mc", "rasso"): (0.400, 0.060, 0.100, 0.150, 0.020, 0.120, 0.060, 0.070, 0.020),
        ("cc", "rasso"): (0.220, 0.050, 0.130, 0.290, 0.000, 0.190, 0.040, 0.070, 0.010),
    },
    "CS §3 (conviction and guilty-plea shares), §6 (DA); split across categories DERIVED so that effective:cracked "
    "trial listings are ~41:37 (MC) and ~42:31 (CC), CS §4 trial effectiveness Q4 2023",
)
MEAN_INEFFECTIVE_LISTINGS = Param(
    {"mc": 0.30, "cc": 0.36}, "DERIVED: ineffective share m/(1+m) of listings = 22% (MC), 25-27% (CC); CS §4 Q4 2023"
)
VICTIM_ISSUE_SHARE = Param(
    {"general": 0.16, "da": 0.52, "rasso": 0.35},
    "CS §3: 18.8% of unsuccessful outcomes due to victim issues (2013/14); CS §6: 51-54% for DA",
)
VIDEO_ENABLED = Param(
    {"mc_first_custody": 0.55, "mc_other": 0.07, "cc_nontrial": 0.30, "cc_trial": 0.03},
    "ASSUMED: no published share; custody first appearances often by video from police custody",
)
INEFFECTIVE_REASONS = Param(
    [
        ("Prosecution witness absent - police", 0.08),
        ("Prosecution witness absent - other", 0.12),
        ("Prosecution not ready - disclosure problems", 0.10),
        ("Prosecution advocate failed to attend", 0.03),
        ("Defendant absent - did not proceed in absence", 0.14),
        ("Defendant ill or otherwise unavailable", 0.07),
        ("Defence not ready - disclosure problems", 0.06),
        ("Defence advocate engaged in another trial", 0.05),
        ("Another case over-ran", 0.15),
        ("Insufficient cases listed - no court time", 0.10),
        ("No judge or magistrate available", 0.06),
        ("Equipment or accommodation failure", 0.04),
    ],
    "CS §4: about a third of MC ineffective trials due to court administration (over-listing); labels after MoJ "
    "trial effectiveness reasons; weights ASSUMED",
)
SENTENCES = Param(
    {
        "mc": (
            ("Immediate custody", 0.08),
            ("Suspended sentence order", 0.07),
            ("Community order", 0.16),
            ("Fine", 0.42),
            ("Conditional discharge", 0.14),
            ("Absolute discharge", 0.02),
            ("Other", 0.11),
        ),
        "cc": (
            ("Immediate custody", 0.55),
            ("Suspended sentence order", 0.22),
            ("Community order", 0.13),
            ("Fine", 0.02),
            ("Conditional discharge", 0.02),
            ("Absolute discharge", 0.00),
            ("Other", 0.06),
        ),
    },
    "CS §4: custody rate for indictable offences 32%, overall 6% (MoJ 2019); shares ASSUMED",
)
REQUIREMENTS = Param(
    {
        "Unpaid work": 0.50,
        "Rehabilitation activity": 0.55,
        "Mental health treatment": 0.03,
        "Drug rehabilitation": 0.08,
        "Alcohol treatment": 0.06,
        "Curfew": 0.20,
    },
    "ASSUMED: probability per community or suspended sentence order of each requirement",
)
CC_BACKLOG_WAIT = Param(
    {"peak": "2025-06", "height": 0.35, "width_months": 18.0},
    "CS §4: CC outstanding 67.6k (Dec 2023) -> 78.3k (Jun 2025); waits scale by 1 + height * "
    "exp(-((t - peak)/width)^2): the backlog grows then shrinks",
)
MC_BACKLOG_WAIT = Param(
    {"peak": "2025-06", "height": 0.15, "width_months": 12.0}, "CS §4: MC open caseload peaked 361k in Q2 2025"
)

# ---------------------------------------------------------------------------------------------------------------
# Reoffending
# ---------------------------------------------------------------------------------------------------------------
PROVEN_REOFFENDING = Param(
    {"adult": 0.245, "juvenile": 0.316, "custody_under_12m": 0.592},
    "CS §5: Apr-Jun 2023 cohort overall 27.5%, adult 27.3%, juvenile 31.6%, <12-month custody "
    "59.2% (MoJ, Q-off). Adult rate for other disposals set so the simulated adult mix (~6% "
    "short custody releases) averages ~26.5%",
)
REOFFENCES_PER_REOFFENDER = Param(
    3.7,
    "ASSUMED 3.5-4 (project brief): the current-method figure was not found "
    "(calibration.md); CS §5 gives 2.79-2.9 under the old method. Reoffences per "
    "reoffender = 1 + Poisson(value - 1)",
)
PROVEN_REOFFENDING_LAG_MONTHS = Param(
    19,
    "CS §5 / public_formats.md: 12-month follow-up + 6-month wait after the "
    "cohort's last month; the cohort file is delivered the month after the wait ends "
    "(MoJ publishes ~22 months after; ASSUMED earlier for a local extract)",
)
ORDER_LENGTH_MONTHS = Param(
    (12, 0.45), "ASSUMED: community and suspended sentence order length, lognormal median 12 months, clipped to 6-36"
)

# ---------------------------------------------------------------------------------------------------------------
# Victim services and surveys (none of these is published nationally in a form we could read: ASSUMED)
# ---------------------------------------------------------------------------------------------------------------
VICTIM_REFERRAL_RATE = Param(
    {"general": 0.22, "da": 0.55, "rasso": 0.75},
    "ASSUMED: share of victims of recorded crime referred to a support service (Victims' Code "
    "right 4: referral unless the victim declines); DA and sexual violence victims more often",
)
VICTIM_SECOND_SERVICE = Param(
    {"da": 0.35, "rasso": 0.5}, "ASSUMED: share of referred DA / RASSO victims also referred to the specialist service"
)
VICTIM_ETHNICITY_NOT_STATED = Param(
    0.06,
    "ASSUMED: share of crime victims whose self-defined ethnicity the police record as not stated (NS); the PCC's "
    "referrals carry the crime's code, so its victims' shares follow",
)
VICTIM_REFERRAL_OUTCOMES = Param(
    {"Support accepted": 0.55, "Support declined": 0.25, "Unable to contact": 0.20},
    "ASSUMED: outcome of a referral to a victim service",
)
VCOP_AUDIT_SAMPLE = Param(
    0.01,
    "ASSUMED: share of the month's victims sampled for a Victim Code compliance audit (at least 20 per area and month)",
)
VCOP_COMPLIANCE = Param(
    0.78,
    "ASSUMED: probability each audited right is met is set so ~78% of audited cases are fully "
    "compliant (forces' own VCoP audits report roughly 70-85%)",
)
VICTIM_SURVEY_SAMPLE = Param(0.015, "ASSUMED: share of victims responding to the victim satisfaction survey")
VICTIM_SATISFACTION = Param(
    0.70,
    "ASSUMED: ~70% of victims satisfied with the whole experience (police victim "
    "satisfaction surveys commonly report 65-75%)",
)
PUBLIC_CONFIDENCE_SAMPLE_PER_100K = Param(
    8.0, "ASSUMED: public confidence survey respondents per 100,000 residents a month (at least 30 per area and month)"
)
PUBLIC_CONFIDENCE = Param(
    0.50,
    "ASSUMED: ~50% say the police in their area do a good or excellent job (CSEW-style "
    "question; recent CSEW figures are around half)",
)
COMMISSIONED_SERVICES = Param(
    {
        "wiltshire": (
            "Victim Support (all ages)",
            "Horizon",
            "DA service",
            "SV service",
            "SARC",
            "Restorative Justice",
            "Splash",
            "Splitz",
            "Swindon Women's Aid",
        ),
        "default": ("Victim Support (all ages)", "IDVA service", "ISVA service", "SARC", "Restorative Justice"),
    },
    "Wiltshire: the PCC's commissioned services (project brief: Victim Support all ages, Horizon, DA, SV, SARC, "
    "Restorative, Splash, Splitz, Swindon Women's Aid); other areas generic names",
)

# ---------------------------------------------------------------------------------------------------------------
# Re-sends: an agency re-sends an earlier month's file with corrections
# ---------------------------------------------------------------------------------------------------------------
RESEND_RATE = Param(
    0.04,
    "ASSUMED: probability per CSV extract and reporting month that a later delivery re-sends "
    "the month with corrections",
)
RESEND_CHANGE_SHARE = Param(
    0.01,
    "ASSUMED: share of rows corrected in a re-send (at least 1); as many again were "
    "missing from the first delivery (late entries)",
)

# ---------------------------------------------------------------------------------------------------------------
# Delivery schedule: the day each agency file arrives (deliveries.py)
# ---------------------------------------------------------------------------------------------------------------
LATE_DELIVERY_RATE = Param(
    0.05,
    "ASSUMED: probability per agency extract and reporting month that the file arrives "
    "after the day its spec expects it (the 2015 inspection's partnerships struggled for data "
    "on time; no published rate)",
)
EARLY_DAYS_MAX = Param(8, "ASSUMED: a file on time arrives 0 to this many days before its expected day")
LATE_DAYS_MAX = Param(20, "ASSUMED: a late file arrives 1 to this many days after its expected day")

# ---------------------------------------------------------------------------------------------------------------
# Data quality injected into the extracts (recorded in _truth/urn_errors.parquet)
# ---------------------------------------------------------------------------------------------------------------
URN_MISSING_RATE = Param({"police": 0.002, "cps": 0.004, "hmcts": 0.008}, "ASSUMED: small known rate per agency")
URN_MISTYPED_RATE = Param({"police": 0.002, "cps": 0.003, "hmcts": 0.006}, "ASSUMED: small known rate per agency")

# Years simulated before the first reporting month so that stocks (live investigations, court caseloads) are full.
WARMUP_MONTHS = 24


def offence_table() -> list[dict]:
    return [dict(zip(OFFENCE_GROUP_COLUMNS, row, strict=True)) for row in OFFENCE_GROUPS.value]


def all_params() -> dict[str, Param]:
    """Every parameter by name (for the docs' calibration table)."""
    return {k: v for k, v in globals().items() if isinstance(v, Param)}
