"""The 43 police force areas of England and Wales: ONS codes, names, populations and the agencies' geographies.

Codes and names: ONS ``LAD23_CSP23_PFA23_lookup_Dec2023.csv`` (PFA23CD, PFA23NM), copied here so the simulator does not
depend on the shared folder at run time (a test checks they agree when the file is present).
Populations: ONS mid-2022 population estimates summed to police force areas, rounded to the nearest thousand (recalled
from the ONS MYE tables, not read from a file here; Wiltshire's ~722,000 matches calibration_sources.md §1). Their sum,
~60.2 million, is the E&W mid-2022 estimate.
Crime rate per 1,000: plausible force-level rates around the E&W 89.1 (Wiltshire 54-56, the lowest, CS §1); other
forces ASSUMED from the broad published pattern (metropolitan and north-eastern forces highest, rural forces lowest).
Stop-and-search per 1,000: ASSUMED, scaled so E&W totals ~547k a year (CS §7); Wiltshire ~1,500 a year (CS §7).
Force numbers: the Home Office / PNC force codes (01 Metropolitan ... 54 Wiltshire ... 63 Dyfed-Powys) that start a URN.
CPS Areas: public_formats.md. HMCTS regions: MoJ court statistics regions.
Ethnic mix profiles: ONS Census 2021 (E&W White 81.7%, Asian 9.3%, Black 4.0%, Mixed 2.9%, Other 2.1%; London 53.8 /
20.7 / 13.5 / 5.7 / 6.3); the 'urban' and 'rural' profiles are rounded approximations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ETHNIC_GROUPS = ("White", "Asian", "Black", "Mixed", "Other")
ETHNIC_PROFILES = {
    "london": (0.538, 0.207, 0.135, 0.057, 0.063),
    "urban": (0.760, 0.150, 0.042, 0.032, 0.016),
    "default": (0.870, 0.070, 0.024, 0.024, 0.012),
    "rural": (0.940, 0.026, 0.010, 0.017, 0.007),
}


@dataclass(frozen=True)
class Area:
    slug: str
    code: str
    name: str
    force_no: int
    population: int
    crime_rate: float  # recorded crimes (excl. fraud) per 1,000 residents per year
    ss_rate: float  # stop and searches per 1,000 residents per year
    cps_area: str
    region: str
    ethnic_profile: str
    mc_courts: tuple[tuple[str, float], ...] = field(default=())
    cc_courts: tuple[tuple[str, float], ...] = field(default=())

    @property
    def code_int(self) -> int:
        return int(self.code[1:])

    @property
    def magistrates(self) -> tuple[tuple[str, float], ...]:
        return self.mc_courts or (
            (f"{_short(self.name)} Magistrates' Court", 0.6),
            (f"{_short(self.name)} North Magistrates' Court", 0.4),
        )

    @property
    def crown(self) -> tuple[tuple[str, float], ...]:
        return self.cc_courts or ((f"{_short(self.name)} Crown Court", 1.0),)

    @property
    def stations(self) -> tuple[str, ...]:
        """Two-letter police station codes used in URNs (one per magistrates' court centre)."""
        codes = []
        for court, _ in self.magistrates:
            letters = re.sub(r"[^A-Z]", "", court.upper())
            code = letters[:2]
            i = 2
            while code in codes and i < len(letters):
                code = letters[0] + letters[i]
                i += 1
            codes.append(code)
        return tuple(codes)


def _short(name: str) -> str:
    return {"London, City of": "City of London", "Metropolitan Police": "London"}.get(name, name)


# slug, code, name, force_no, population, crime_rate, ss_rate, cps_area, region, ethnic profile
_AREAS = [
    ("metropolitan", "E23000001", "Metropolitan Police", 1, 8_866_000, 104.0, 23.8, "London", "London", "london"),
    ("cumbria", "E23000002", "Cumbria", 3, 500_000, 74.0, 4.2, "North West", "North West", "rural"),
    ("lancashire", "E23000003", "Lancashire", 4, 1_532_000, 96.0, 8.4, "North West", "North West", "urban"),
    ("merseyside", "E23000004", "Merseyside", 5, 1_434_000, 98.0, 28.0, "Mersey-Cheshire", "North West", "default"),
    (
        "greater-manchester",
        "E23000005",
        "Greater Manchester",
        6,
        2_868_000,
        112.0,
        5.6,
        "North West",
        "North West",
        "urban",
    ),
    ("cheshire", "E23000006", "Cheshire", 7, 1_095_000, 80.0, 5.6, "Mersey-Cheshire", "North West", "default"),
    ("northumbria", "E23000007", "Northumbria", 10, 1_494_000, 100.0, 7.0, "North East", "North East", "default"),
    ("durham", "E23000008", "Durham", 11, 640_000, 96.0, 5.6, "North East", "North East", "rural"),
    (
        "north-yorkshire",
        "E23000009",
        "North Yorkshire",
        12,
        834_000,
        60.0,
        4.2,
        "Yorkshire and Humberside",
        "North East",
        "rural",
    ),
    (
        "west-yorkshire",
        "E23000010",
        "West Yorkshire",
        13,
        2_351_000,
        122.0,
        7.0,
        "Yorkshire and Humberside",
        "North East",
        "urban",
    ),
    (
        "south-yorkshire",
        "E23000011",
        "South Yorkshire",
        14,
        1_410_000,
        110.0,
        8.4,
        "Yorkshire and Humberside",
        "North East",
        "default",
    ),
    (
        "humberside",
        "E23000012",
        "Humberside",
        16,
        934_000,
        100.0,
        7.0,
        "Yorkshire and Humberside",
        "North East",
        "default",
    ),
    ("cleveland", "E23000013", "Cleveland", 17, 571_000, 126.0, 8.4, "North East", "North East", "default"),
    ("west-midlands", "E23000014", "West Midlands", 20, 2_940_000, 108.0, 8.4, "West Midlands", "Midlands", "urban"),
    ("staffordshire", "E23000015", "Staffordshire", 21, 1_141_000, 80.0, 5.6, "West Midlands", "Midlands", "default"),
    ("west-mercia", "E23000016", "West Mercia", 22, 1_324_000, 72.0, 4.2, "West Midlands", "Midlands", "rural"),
    ("warwickshire", "E23000017", "Warwickshire", 23, 604_000, 72.0, 4.2, "West Midlands", "Midlands", "default"),
    ("derbyshire", "E23000018", "Derbyshire", 30, 1_062_000, 80.0, 5.6, "East Midlands", "Midlands", "default"),
    ("nottinghamshire", "E23000019", "Nottinghamshire", 31, 1_163_000, 92.0, 5.6, "East Midlands", "Midlands", "urban"),
    ("lincolnshire", "E23000020", "Lincolnshire", 32, 775_000, 74.0, 4.2, "East Midlands", "Midlands", "rural"),
    ("leicestershire", "E23000021", "Leicestershire", 33, 1_114_000, 80.0, 7.0, "East Midlands", "Midlands", "urban"),
    (
        "northamptonshire",
        "E23000022",
        "Northamptonshire",
        34,
        794_000,
        86.0,
        5.6,
        "East Midlands",
        "Midlands",
        "default",
    ),
    (
        "cambridgeshire",
        "E23000023",
        "Cambridgeshire",
        35,
        901_000,
        80.0,
        4.2,
        "East of England",
        "South East",
        "default",
    ),
    ("norfolk", "E23000024", "Norfolk", 36, 921_000, 74.0, 4.2, "East of England", "South East", "rural"),
    ("suffolk", "E23000025", "Suffolk", 37, 764_000, 70.0, 4.2, "East of England", "South East", "rural"),
    ("bedfordshire", "E23000026", "Bedfordshire", 40, 694_000, 86.0, 7.0, "Thames and Chiltern", "South East", "urban"),
    (
        "hertfordshire",
        "E23000027",
        "Hertfordshire",
        41,
        1_199_000,
        72.0,
        5.6,
        "Thames and Chiltern",
        "South East",
        "default",
    ),
    ("essex", "E23000028", "Essex", 42, 1_880_000, 86.0, 8.4, "East of England", "South East", "default"),
    (
        "thames-valley",
        "E23000029",
        "Thames Valley",
        43,
        2_467_000,
        72.0,
        5.6,
        "Thames and Chiltern",
        "South East",
        "urban",
    ),
    ("hampshire", "E23000030", "Hampshire", 44, 2_022_000, 80.0, 5.6, "Wessex", "South East", "default"),
    ("surrey", "E23000031", "Surrey", 45, 1_211_000, 60.0, 4.2, "South East", "South East", "default"),
    ("kent", "E23000032", "Kent", 46, 1_877_000, 96.0, 7.0, "South East", "South East", "default"),
    ("sussex", "E23000033", "Sussex", 47, 1_712_000, 80.0, 5.6, "South East", "South East", "default"),
    ("city-of-london", "E23000034", "London, City of", 48, 8_600, 110.0, 84.0, "London", "London", "london"),
    (
        "devon-and-cornwall",
        "E23000035",
        "Devon & Cornwall",
        50,
        1_796_000,
        66.0,
        3.5,
        "South West",
        "South West",
        "rural",
    ),
    (
        "avon-and-somerset",
        "E23000036",
        "Avon and Somerset",
        52,
        1_758_000,
        82.0,
        4.2,
        "South West",
        "South West",
        "default",
    ),
    ("gloucestershire", "E23000037", "Gloucestershire", 53, 650_000, 66.0, 4.2, "South West", "South West", "rural"),
    ("wiltshire", "E23000038", "Wiltshire", 54, 722_000, 54.0, 2.1, "Wessex", "South West", "rural"),
    ("dorset", "E23000039", "Dorset", 55, 779_000, 66.0, 3.5, "Wessex", "South West", "rural"),
    ("north-wales", "W15000001", "North Wales", 60, 700_000, 80.0, 5.6, "Cymru/Wales", "Wales", "rural"),
    ("gwent", "W15000002", "Gwent", 61, 598_000, 92.0, 5.6, "Cymru/Wales", "Wales", "default"),
    ("south-wales", "W15000003", "South Wales", 62, 1_353_000, 96.0, 7.0, "Cymru/Wales", "Wales", "default"),
    ("dyfed-powys", "W15000004", "Dyfed-Powys", 63, 521_000, 56.0, 3.5, "Cymru/Wales", "Wales", "rural"),
]

# Real court centres for the areas the first boards cover (weights ASSUMED); elsewhere generic names.
_COURTS = {
    "wiltshire": (
        (
            ("Swindon Magistrates' Court", 0.45),
            ("Chippenham Magistrates' Court", 0.30),
            ("Salisbury Magistrates' Court", 0.25),
        ),
        (("Swindon Crown Court", 0.65), ("Salisbury Crown Court", 0.35)),
    ),
    "durham": (
        (("Newton Aycliffe Magistrates' Court", 0.6), ("Peterlee Magistrates' Court", 0.4)),
        (("Durham Crown Court", 1.0),),
    ),
    "cleveland": ((("Teesside Magistrates' Court", 1.0),), (("Teesside Crown Court", 1.0),)),
    "devon-and-cornwall": (
        (
            ("Plymouth Magistrates' Court", 0.30),
            ("Exeter Magistrates' Court", 0.30),
            ("Truro Magistrates' Court", 0.20),
            ("Barnstaple Magistrates' Court", 0.10),
            ("Bodmin Magistrates' Court", 0.10),
        ),
        (("Exeter Crown Court", 0.45), ("Plymouth Crown Court", 0.35), ("Truro Crown Court", 0.20)),
    ),
    "dorset": (
        (("Poole Magistrates' Court", 0.6), ("Weymouth Magistrates' Court", 0.4)),
        (("Bournemouth Crown Court", 1.0),),
    ),
    "hampshire": (
        (
            ("Southampton Magistrates' Court", 0.35),
            ("Portsmouth Magistrates' Court", 0.30),
            ("Basingstoke Magistrates' Court", 0.25),
            ("Isle of Wight Magistrates' Court", 0.10),
        ),
        (
            ("Winchester Crown Court", 0.40),
            ("Southampton Crown Court", 0.30),
            ("Portsmouth Crown Court", 0.25),
            ("Isle of Wight Crown Court", 0.05),
        ),
    ),
}

AREAS: dict[str, Area] = {}
for _row in _AREAS:
    _mc, _cc = _COURTS.get(_row[0], ((), ()))
    AREAS[_row[0]] = Area(*_row, mc_courts=_mc, cc_courts=_cc)

BY_CODE = {a.code: a for a in AREAS.values()}


def resolve_areas(areas: list[str] | str) -> list[Area]:
    """Force slugs (or ONS codes, or 'all') -> areas, in the order of the ONS codes (stable output order)."""
    if isinstance(areas, str):
        areas = [a for a in areas.split(",") if a.strip()]
    wanted = [a.strip().lower() for a in areas]
    if "all" in wanted:
        return sorted(AREAS.values(), key=lambda a: a.code)
    out = []
    for key in wanted:
        if key in AREAS:
            out.append(AREAS[key])
        elif key.upper() in BY_CODE:
            out.append(BY_CODE[key.upper()])
        else:
            raise ValueError(f"unknown police force area '{key}'; expected one of {sorted(AREAS)} or 'all'")
    return sorted(set(out), key=lambda a: a.code)
