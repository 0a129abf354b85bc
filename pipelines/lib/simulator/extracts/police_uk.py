"""police.uk lookalikes: the monthly street-level crime and outcomes files a force publishes, written from the truth.

`<out>/public/police_uk/<YYYY-MM>/<YYYY-MM>-<force-slug>-street.csv` and `...-outcomes.csv`, CRLF, the columns of
``../shared/docs/public_formats.md`` (the header is byte-identical to the real Dorset January 2024 street file).
Why: the external accuracy checks compare the warehouse's crimes by police.uk crime type and month with what the force
publishes; the simulator publishes the same crimes it delivers in its extracts, so the check passes on consistent data.

- Street file: every crime recorded in the month (its police.uk crime type from its Home Office
  offence code: the `police_uk_crime_type` column of dbt_project/seeds/ref_ho_offence_codes.csv) plus
  anti-social behaviour incidents (no crime ID, no outcome; the police extracts have none). The last outcome category
  is the crime's status at the end of the month `PUBLICATION_LAG_MONTHS` after the file's month (police.uk publishes
  about then): no outcome yet -> `Under investigation`, a HO outcome -> its category (`OUTCOME_CATEGORY`), charged ->
  `Awaiting court outcome` until the lead charged suspect's defendant-case completes, then the court result.
- Outcomes file: every outcome recorded in the month (police outcomes, `Suspect charged` for charges, court results
  at completion), Month = the month the outcome was recorded; ~1% of rows repeated exactly, as in the real files.
- Locations are made up: `On or near <made-up street>` and LSOA codes/names shaped like ONS ones (real local authority
  names for the first boards' forces, LSOA numbers invented); ~0.4% of crimes `No Location`. No personal data: crime
  IDs are salted SHA-256 hashes of the crime reference.
"""

from __future__ import annotations

import csv
import hashlib
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl

from pipelines.lib.simulator.common import STREAM_PUBLIC, month_end_day, month_label, month_start_day, rng_for
from pipelines.lib.simulator.extracts.common import UrnErrors, month_parts
from pipelines.lib.simulator.geography import Area
from pipelines.lib.simulator.model import AreaWorld
from pipelines.settings import DBT_PROJECT_DIR

STREET_HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
OUTCOMES_HEADER = STREET_HEADER[:9] + ["Outcome type"]
PUBLICATION_LAG_MONTHS = 2  # ASSUMED: police.uk publishes a month's files about two months later (last outcome as then)
ASB_PER_CRIME = 0.25  # the real Dorset January 2024 street file: 958 ASB rows to 3,844 crimes
NO_LOCATION_RATE = 0.004  # the same file: 14 No Location rows of 4,802
DUPLICATE_OUTCOME_RATE = 0.01  # ASSUMED: exact duplicate rows in the outcomes files
LOCATIONS_PER_LSOA = 3
RESIDENTS_PER_LSOA = 1600  # ONS LSOAs hold 1,000-3,000 residents
CRIME_ID_SALT = "cjs-simulator-police-uk"  # crime IDs cannot be turned back into crime references without it

# Home Office offence code -> police.uk crime type: the seed's column, the mapping the warehouse's external accuracy
# check reads too, so the lookalikes and the check cannot disagree about it (no second copy here).
OFFENCE_CODES_SEED = DBT_PROJECT_DIR / "seeds" / "ref_ho_offence_codes.csv"


@cache
def crime_types() -> dict[str, str]:
    """`ref_ho_offence_codes.police_uk_crime_type` by offence code."""
    with OFFENCE_CODES_SEED.open(newline="", encoding="utf-8") as handle:
        return {row["offence_code"]: row["police_uk_crime_type"] for row in csv.DictReader(handle)}


ASB = "Anti-social behaviour"
UNDER_INVESTIGATION, AWAITING_COURT, SUSPECT_CHARGED = (
    "Under investigation",
    "Awaiting court outcome",
    "Suspect charged",
)
# Home Office outcome code -> police.uk outcome category (charges: see the module docstring)
OUTCOME_CATEGORY = {
    "1": SUSPECT_CHARGED,
    "1A": SUSPECT_CHARGED,
    "2": "Offender given a caution",
    "3": "Offender given a caution",
    "4": "Suspect charged as part of another case",
    "5": "Unable to prosecute suspect",
    "6": "Offender given penalty notice",
    "7": "Offender given a drugs possession warning",
    "8": "Local resolution",
    "9": "Formal action is not in the public interest",
    "10": "Formal action is not in the public interest",
    "11": "Unable to prosecute suspect",
    "12": "Unable to prosecute suspect",
    "13": "Unable to prosecute suspect",
    "14": "Investigation complete; no suspect identified",
    "15": "Unable to prosecute suspect",
    "16": "Unable to prosecute suspect",
    "17": "Unable to prosecute suspect",
    "18": "Investigation complete; no suspect identified",
    "20": "Action to be taken by another organisation",
    "21": "Further investigation is not in the public interest",
    "22": "Further action is not in the public interest",
}
SENTENCE_CATEGORY = {
    "Immediate custody": "Offender sent to prison",
    "Suspended sentence order": "Offender given suspended prison sentence",
    "Community order": "Offender given community sentence",
    "Fine": "Offender fined",
    "Conditional discharge": "Offender given conditional discharge",
    "Absolute discharge": "Offender given absolute discharge",
    "Other": "Offender otherwise dealt with",
}
UNSUCCESSFUL_CATEGORY = {
    "ACQ": "Defendant found not guilty",
    "DSH": "Court case unable to proceed",
    "DSC": "Court case unable to proceed",
    "ADM": "Court result unavailable",
}
FORCE_NAME = {  # how police.uk names the force in Reported by / Falls within (default: "<name> Police")
    "metropolitan": "Metropolitan Police Service",
    "city-of-london": "City of London Police",
    "devon-and-cornwall": "Devon & Cornwall Police",
    "dyfed-powys": "Dyfed-Powys Police",
    **{
        slug: f"{name} Constabulary"
        for slug, name in (
            ("avon-and-somerset", "Avon and Somerset"),
            ("cambridgeshire", "Cambridgeshire"),
            ("cheshire", "Cheshire"),
            ("cumbria", "Cumbria"),
            ("derbyshire", "Derbyshire"),
            ("durham", "Durham"),
            ("gloucestershire", "Gloucestershire"),
            ("hampshire", "Hampshire"),
            ("hertfordshire", "Hertfordshire"),
            ("lancashire", "Lancashire"),
            ("norfolk", "Norfolk"),
            ("suffolk", "Suffolk"),
        )
    },
}
# local authorities named in LSOA names (ONS LAD23_CSP23_PFA23 lookup, December 2023); other forces use their name
LOCAL_AUTHORITIES = {
    "wiltshire": ("Swindon", "Wiltshire"),
    "dorset": ("Bournemouth, Christchurch and Poole", "Dorset"),
    "durham": ("Darlington", "County Durham"),
    "cleveland": ("Hartlepool", "Middlesbrough", "Redcar and Cleveland", "Stockton-on-Tees"),
    "devon-and-cornwall": ("Plymouth", "Torbay", "Cornwall", "East Devon", "Exeter", "North Devon", "Teignbridge"),
    "hampshire": ("Portsmouth", "Southampton", "Isle of Wight", "Basingstoke and Deane", "New Forest", "Winchester"),
    "cheshire": ("Halton", "Warrington", "Cheshire East", "Cheshire West and Chester"),
    "avon-and-somerset": ("Bath and North East Somerset", "Bristol, City of", "North Somerset", "Somerset"),
}
# approximate centre (longitude, latitude) of each HMCTS region; a force's locations scatter around it
REGION_CENTRE = {
    "London": (-0.12, 51.51),
    "South East": (0.3, 51.6),
    "South West": (-2.9, 50.9),
    "Midlands": (-1.6, 52.6),
    "North West": (-2.6, 53.7),
    "North East": (-1.5, 54.3),
    "Wales": (-3.6, 52.1),
}
STREET_WORDS = (
    "Mill",
    "Church",
    "Station",
    "Park",
    "High",
    "Kings",
    "Queens",
    "Chapel",
    "Manor",
    "Orchard",
    "Meadow",
    "Victoria",
    "Albert",
    "Elm",
    "Oak",
    "Ash",
    "Beech",
    "Willow",
    "Cedar",
    "Brook",
    "Castle",
    "Bridge",
    "Market",
    "Abbey",
    "Forest",
    "Hill",
    "Green",
    "Spring",
    "Windmill",
    "Farm",
    "York",
    "Rose",
    "Lark",
    "Heron",
    "Kestrel",
    "Moor",
    "Down",
    "Vale",
    "River",
    "Canal",
)
STREET_SUFFIXES = (
    "Road",
    "Road",
    "Close",
    "Street",
    "Lane",
    "Avenue",
    "Gardens",
    "Way",
    "Crescent",
    "Drive",
    "Place",
    "Mews",
)
PLACES = (
    "Supermarket",
    "Parking Area",
    "Shopping Area",
    "Petrol Station",
    "Sports/Recreation Area",
    "Nightclub",
    "Further/Higher Educational Building",
    "Hospital",
    "Police Station",
    "Theatre/Concert Hall",
)


def force_slug(area: Area) -> str:
    """police.uk's force id (the file-name slug): the simulator's slugs are police.uk's."""
    return area.slug


def police_uk_path(out: Path, area: Area, month_idx: int, kind: str) -> Path:
    label = month_label(month_idx)
    return out / "public" / "police_uk" / label / f"{label}-{force_slug(area)}-{kind}.csv"


def locations(area: Area, seed: int) -> pl.DataFrame:
    """The force's made-up locations: street-level names, coordinates and LSOAs (fixed for a seed and area)."""
    rng = rng_for(seed, area.code_int, 0, STREAM_PUBLIC)
    n_lsoa = max(20, area.population // RESIDENTS_PER_LSOA)
    las = LOCAL_AUTHORITIES.get(area.slug, (area.name.replace("London, City of", "City of London"),))
    la = rng.integers(0, len(las), n_lsoa)
    seq = np.zeros(n_lsoa, dtype="int64")
    for i in range(len(las)):  # LSOA numbers run within each local authority: 001A, 001B, 002A ...
        seq[la == i] = np.arange(int((la == i).sum()))
    lsoa_name = [f"{las[a]} {s // 3 + 1:03d}{'ABC'[s % 3]}" for a, s in zip(la.tolist(), seq.tolist(), strict=True)]
    prefix = "W01" if area.code.startswith("W") else "E01"
    first_code = int(rng.integers(0, 30_000))
    lsoa_code = [f"{prefix}{first_code + i:06d}" for i in range(n_lsoa)]
    lon0, lat0 = REGION_CENTRE[area.region]
    centre = rng.normal([lon0, lat0], 0.35, 2)
    lsoa_xy = centre + rng.normal(0, 0.12, (n_lsoa, 2))
    n = n_lsoa * LOCATIONS_PER_LSOA
    lsoa = np.repeat(np.arange(n_lsoa), LOCATIONS_PER_LSOA)
    xy = lsoa_xy[lsoa] + rng.normal(0, 0.004, (n, 2))
    place = rng.random(n) < 0.15
    word = np.asarray(STREET_WORDS)[rng.integers(0, len(STREET_WORDS), n)]
    suffix = np.asarray(STREET_SUFFIXES)[rng.integers(0, len(STREET_SUFFIXES), n)]
    names = np.where(
        place, np.asarray(PLACES)[rng.integers(0, len(PLACES), n)], np.char.add(np.char.add(word, " "), suffix)
    )
    return pl.DataFrame(
        {
            "Longitude": [f"{x:.6f}" for x in xy[:, 0]],
            "Latitude": [f"{y:.6f}" for y in xy[:, 1]],
            "Location": [f"On or near {s}" for s in names.tolist()],
            "LSOA code": np.asarray(lsoa_code)[lsoa].tolist(),
            "LSOA name": np.asarray(lsoa_name)[lsoa].tolist(),
        }
    )


def _placed(frame: pl.DataFrame, places: pl.DataFrame, key: pl.Expr) -> pl.DataFrame:
    """Each row gets the location `key` picks (a crime keeps its location in every file), or No Location (empty
    coordinates and LSOA) for ~NO_LOCATION_RATE of the keys."""
    idx = frame.select((key.cast(pl.UInt64) * 2654435761 % places.height).alias("i"))["i"].to_numpy()
    none = frame.select(((key.cast(pl.UInt64) * 40503 + 17) % 1000 < int(NO_LOCATION_RATE * 1000)).alias("n"))["n"]
    loc = places[idx].with_columns(
        *[
            pl.when(none).then(None).otherwise(pl.col(c)).alias(c)
            for c in ("Longitude", "Latitude", "LSOA code", "LSOA name")
        ],
        pl.when(none).then(pl.lit("No Location")).otherwise(pl.col("Location")).alias("Location"),
    )
    return pl.concat([frame, loc], how="horizontal")


def crime_ids(refs: list[str]) -> list[str]:
    return [hashlib.sha256(f"{CRIME_ID_SALT}|{r}".encode()).hexdigest() for r in refs]


def _court_results(world: AreaWorld) -> pl.DataFrame:
    """Per charged crime: the lead charged suspect's defendant-case completion date and its police.uk court result."""
    result = (
        pl.when(pl.col("convicted"))
        .then(pl.col("sentence").replace_strict(SENTENCE_CATEGORY, default="Offender otherwise dealt with"))
        .otherwise(pl.col("result_category").replace_strict(UNSUCCESSFUL_CATEGORY, default="Court result unavailable"))
    )
    lead = (
        world.charged.sort(["crime_id", "suspect_seq"])
        .group_by("crime_id", maintain_order=True)
        .agg(pl.col("dc_id").first())
    )
    return lead.join(
        world.dcs.select("dc_id", "completion_date", result.alias("court_result")), on="dc_id", how="left"
    ).drop("dc_id")


def write_police_uk(world: AreaWorld, out: Path, seed: int, log: UrnErrors) -> tuple[dict[str, int], pl.DataFrame]:
    """Write the area's street and outcomes files for every reporting month; return rows written and the figures
    published (crimes by police.uk crime type and month, for _truth/public_figures.parquet)."""
    a = world.area
    months = list(world.months)
    lo, hi = int(month_start_day(months[0])), int(month_end_day(months[-1]))
    force = FORCE_NAME.get(a.slug, f"{a.name} Police")
    places = locations(a, seed)
    crimes = (
        world.crimes.select("crime_id", "crime_ref", "recorded_date", "ho_offence_code", "outcome_code", "outcome_date")
        .join(_court_results(world), on="crime_id", how="left")
        .filter(
            pl.col("recorded_date").is_between(lo, hi)
            | pl.col("outcome_date").is_between(lo, hi)
            | pl.col("completion_date").is_between(lo, hi)
        )
        .with_columns(pl.col("ho_offence_code").replace_strict(crime_types()).alias("Crime type"))
    )
    crimes = crimes.with_columns(pl.Series("Crime ID", crime_ids(crimes["crime_ref"].to_list())))
    police_outcome = pl.col("outcome_code").replace_strict(OUTCOME_CATEGORY)
    rows = {"public/police_uk_street": 0, "public/police_uk_outcomes": 0}
    figures = []
    recorded = month_parts(crimes.filter(pl.col("recorded_date").is_between(lo, hi)), "recorded_date")
    outcome_rows = pl.concat(
        [
            crimes.filter(pl.col("outcome_date").is_between(lo, hi)).select(
                "Crime ID", "crime_id", pl.col("outcome_date").alias("_day"), police_outcome.alias("Outcome type")
            ),
            crimes.filter(pl.col("completion_date").is_between(lo, hi)).select(
                "Crime ID",
                "crime_id",
                pl.col("completion_date").alias("_day"),
                pl.col("court_result").alias("Outcome type"),
            ),
        ],
        how="vertical",
    ).sort(["_day", "crime_id", "Outcome type"])
    outcomes = month_parts(outcome_rows, "_day")
    for m in months:
        rng = rng_for(seed, a.code_int, m, STREAM_PUBLIC)
        as_at = int(month_end_day(m + PUBLICATION_LAG_MONTHS))
        f = recorded.get(m, crimes.clear())
        status = (
            pl.when(pl.col("outcome_date") > as_at)
            .then(pl.lit(UNDER_INVESTIGATION))
            .when(pl.col("completion_date").is_null())
            .then(police_outcome)
            .when(pl.col("completion_date") > as_at)
            .then(pl.lit(AWAITING_COURT))
            .otherwise(pl.col("court_result"))
        )
        street = f.select("crime_id", "Crime ID", "Crime type", status.alias("Last outcome category"))
        n_asb = int(rng.poisson(ASB_PER_CRIME * f.height))
        asb = pl.DataFrame(
            {
                "crime_id": rng.integers(0, 1 << 40, n_asb),
                "Crime ID": [None] * n_asb,
                "Crime type": [ASB] * n_asb,
                "Last outcome category": [None] * n_asb,
            },
            schema=street.schema,
        )
        street = _placed(pl.concat([street, asb], how="vertical"), places, pl.col("crime_id"))
        street = street.sort(["LSOA name", "LSOA code", "Crime type", "crime_id"], nulls_last=True).select(
            "Crime ID",
            pl.lit(month_label(m)).alias("Month"),
            pl.lit(force).alias("Reported by"),
            pl.lit(force).alias("Falls within"),
            "Longitude",
            "Latitude",
            "Location",
            "LSOA code",
            "LSOA name",
            "Crime type",
            "Last outcome category",
            pl.lit(None, pl.String).alias("Context"),
        )
        rows["public/police_uk_street"] += _write(street, police_uk_path(out, a, m, "street"), log)
        figures.append(
            street.group_by("Crime type")
            .agg(pl.len().alias("value"))
            .with_columns(pl.lit(month_label(m)).alias("period"))
        )
        o = outcomes.get(m, outcome_rows.clear())
        o = _placed(o.select("crime_id", "Crime ID", "Outcome type"), places, pl.col("crime_id"))
        dup = rng.random(o.height) < DUPLICATE_OUTCOME_RATE
        o = o[np.sort(np.r_[np.arange(o.height), np.flatnonzero(dup)])]
        o = o.select(
            "Crime ID",
            pl.lit(month_label(m)).alias("Month"),
            pl.lit(force).alias("Reported by"),
            pl.lit(force).alias("Falls within"),
            "Longitude",
            "Latitude",
            "Location",
            "LSOA code",
            "LSOA name",
            "Outcome type",
        )
        rows["public/police_uk_outcomes"] += _write(o, police_uk_path(out, a, m, "outcomes"), log)
    published = pl.concat(figures, how="vertical").select(
        pl.lit("police_uk_street").alias("release"),
        "period",
        pl.lit(force).alias("geography"),
        pl.lit("force").alias("level"),
        pl.lit(a.code).alias("area_code"),
        pl.lit(None, pl.String).alias("court_type"),
        pl.lit("Crimes").alias("figure"),
        pl.col("Crime type").alias("category"),
        pl.col("value").cast(pl.Float64),
        pl.lit(None, pl.String).alias("marker"),
        pl.col("value").cast(pl.Float64).alias("true_value"),
        pl.lit("simulated").alias("source"),
    )
    return rows, published.sort("period", "category")


def _write(frame: pl.DataFrame, path: Path, log: UrnErrors) -> int:
    """CRLF, quoted only where needed, as police.uk writes them (one file per force: never appended)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(path, line_terminator="\r\n")
    log.written.add(path)
    return frame.height
