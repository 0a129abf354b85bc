"""Fake but realistic people: a pool of potential suspects per area (names from Faker's en_GB lists).

A suspect slot on a crime draws a person from the pool with a concentrated (power-law) distribution, so a few people
appear on many crimes (several crimes per defendant) while most appear once. The pool is fixed per area and seed, so
a person's crimes are the same whatever range of months is simulated.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from faker import Faker
from faker.providers.person.en_GB import Provider as PersonProvider

from pipelines.lib.simulator.common import STREAM_PEOPLE, month_start_day, parse_month, rng_for
from pipelines.lib.simulator.geography import ETHNIC_PROFILES, Area

# Reference date for ages in the pool: ages at 2023-01-01 run from 14, so nobody is under 10 from 2019 on.
POOL_REFERENCE_MONTH = "2023-01"
AGE_BANDS = ((14, 18, 0.12), (18, 25, 0.22), (25, 35, 0.28), (35, 45, 0.20), (45, 55, 0.11), (55, 80, 0.07))
CONCENTRATION = 2.5  # person index = floor(N * u ** k): the top 1% of people take ~16% of suspect slots
MALE_SHARE = 0.83  # ASSUMED: share of suspects who are male

# Self-defined ethnicity (18+1 census categories) within the five broad groups.
ETHNICITY_CODES = {
    "White": (("W1", 0.86), ("W2", 0.02), ("W9", 0.12)),
    "Asian": (("A1", 0.30), ("A2", 0.35), ("A3", 0.12), ("A4", 0.05), ("A9", 0.18)),
    "Black": (("B1", 0.30), ("B2", 0.55), ("B9", 0.15)),
    "Mixed": (("M1", 0.40), ("M2", 0.15), ("M3", 0.20), ("M9", 0.25)),
    "Other": (("O2", 0.35), ("O9", 0.65)),
}
BROAD = tuple(ETHNICITY_CODES)


def _name_lists(seed: int) -> tuple[list[str], list[str], list[str]]:
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    # The provider's tuples are ordered; add a few Faker-drawn names for variety, deterministic for the seed.
    male = list(PersonProvider.first_names_male)
    female = list(PersonProvider.first_names_female)
    last = list(PersonProvider.last_names)
    last += [fake.last_name() for _ in range(50)]
    return male, female, sorted(set(last))


def ethnicity_codes(rng: np.random.Generator, broad_idx: np.ndarray) -> np.ndarray:
    """Broad group index -> detailed self-defined code (array of str)."""
    out = np.empty(len(broad_idx), dtype=object)
    for g, name in enumerate(BROAD):
        mask = broad_idx == g
        codes, weights = zip(*ETHNICITY_CODES[name], strict=True)
        w = np.asarray(weights) / sum(weights)
        out[mask] = np.asarray(codes, dtype=object)[rng.choice(len(codes), size=int(mask.sum()), p=w)]
    return out


def draw_broad_ethnicity(rng: np.random.Generator, area: Area, n: int, weights_by_group=None) -> np.ndarray:
    p = np.asarray(ETHNIC_PROFILES[area.ethnic_profile], dtype="float64")
    if weights_by_group is not None:
        p = p * np.asarray(weights_by_group)
    return rng.choice(len(BROAD), size=n, p=p / p.sum())


def pool_size(area: Area, scale: float) -> int:
    annual = area.population * area.crime_rate / 1000 * scale
    return max(200, int(annual * 0.9))


def person_pool(area: Area, seed: int, scale: float) -> pl.DataFrame:
    """One row per potential suspect: person_idx, person_id, names, dob (day number), sex, ethnicity, PNC ID."""
    n = pool_size(area, scale)
    rng = rng_for(seed, area.code_int, 0, STREAM_PEOPLE)
    male_names, female_names, last_names = _name_lists(seed)
    band = rng.choice(len(AGE_BANDS), size=n, p=[b[2] for b in AGE_BANDS])
    lo = np.array([b[0] for b in AGE_BANDS])[band]
    hi = np.array([b[1] for b in AGE_BANDS])[band]
    age_days = ((lo + rng.random(n) * (hi - lo)) * 365.25).astype("int64")
    dob = month_start_day(parse_month(POOL_REFERENCE_MONTH)) - age_days
    male = rng.random(n) < MALE_SHARE
    first = np.where(
        male,
        np.asarray(male_names, dtype=object)[rng.integers(0, len(male_names), n)],
        np.asarray(female_names, dtype=object)[rng.integers(0, len(female_names), n)],
    )
    last = np.asarray(last_names, dtype=object)[rng.integers(0, len(last_names), n)]
    broad = draw_broad_ethnicity(rng, area, n)
    eth = ethnicity_codes(rng, broad)
    pnc_year = rng.integers(0, 24, n)
    pnc_num = rng.integers(0, 10_000_000, n)
    check = np.asarray(list("ABCDEFGHJKLMNPQRTUVWXYZ"), dtype=object)[pnc_num % 23]
    idx = np.arange(n, dtype="int64")
    return pl.DataFrame(
        {
            "person_idx": idx,
            "person_id": area.force_no * 1_000_000_000 + idx,
            "forename": first.astype(str),
            "surname": last.astype(str),
            "dob": dob.astype("int32"),
            "sex": np.where(male, "M", "F"),
            "ethnicity_broad": np.asarray(BROAD, dtype=object)[broad].astype(str),
            "ethnicity_code": eth.astype(str),
            "pnc_id": [
                f"{y:02d}/{num:07d}{c}"
                for y, num, c in zip(pnc_year.tolist(), pnc_num.tolist(), check.tolist(), strict=True)
            ],
        }
    ).with_columns(pl.col("dob").cast(pl.Date))


def draw_people(rng: np.random.Generator, n_pool: int, n: int) -> np.ndarray:
    return np.minimum((n_pool * rng.random(n) ** CONCENTRATION).astype("int64"), n_pool - 1)
