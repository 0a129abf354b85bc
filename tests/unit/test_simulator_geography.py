"""The 43 police force areas agree with the ONS lookup; populations and volumes are plausible."""

from __future__ import annotations

import csv

import pytest

from pipelines.lib.simulator.extracts.ons_geography import ONS_LOOKUP
from pipelines.lib.simulator.geography import AREAS, resolve_areas


def test_codes_and_names_match_ons_lookup() -> None:
    """Against the lookup the simulator ships (byte for byte the shared real file: test_public_adapters.py)."""
    with ONS_LOOKUP.open(encoding="utf-8-sig") as handle:
        ons = {row["PFA23CD"]: row["PFA23NM"] for row in csv.DictReader(handle)}
    assert {a.code: a.name for a in AREAS.values()} == ons


def test_volumes() -> None:
    assert len(AREAS) == 43
    assert 59_000_000 < sum(a.population for a in AREAS.values()) < 61_000_000
    crimes = sum(a.population * a.crime_rate / 1000 for a in AREAS.values())
    assert 5.3e6 <= crimes <= 5.5e6
    w = AREAS["wiltshire"]
    assert w.code == "E23000038" and 700_000 < w.population < 740_000
    assert 38_000 < w.population * w.crime_rate / 1000 < 42_000
    assert 1_300 < w.population * w.ss_rate / 1000 < 1_700
    assert [a.slug for a in resolve_areas("durham,cleveland")] == ["durham", "cleveland"]
    assert len(resolve_areas(["all"])) == 43
    with pytest.raises(ValueError):
        resolve_areas(["atlantis"])
