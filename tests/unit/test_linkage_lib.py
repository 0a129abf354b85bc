"""pipelines.lib.linkage on small hand-made records: Splink repairs missing and mistyped URNs, not strangers."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from pipelines.lib.linkage import LinkageModel, best_one_to_one, link_records

D = dt.date


@pytest.fixture
def cps() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "record_key": ["c_missing", "c_typo", "c_stranger", "c_alone"],
            "urn_key": [None, "54SW0012324", "54SA0055524", "54SW0099924"],
            "dob_key": ["dob_a", "dob_b", "dob_c", "dob_d"],
            "link_date": [D(2024, 3, 1), D(2024, 4, 2), D(2024, 5, 5), D(2024, 6, 6)],
            "area_code": ["E23000038"] * 4,
        }
    )


@pytest.fixture
def hmcts() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "record_key": ["h_missing", "h_typo", "h_other_dob", "h_same_person_other_case", "h_unrelated"],
            "urn_key": ["54SW0077724", "54SW0012394", "54SA0055524", "54SW0011124", "54SB0000124"],
            "dob_key": ["dob_a", "dob_b", "dob_x", "dob_a", "dob_e"],
            "link_date": [D(2024, 3, 1), None, D(2024, 9, 5), None, D(2024, 6, 6)],
            "area_code": ["E23000038"] * 5,
        }
    )


def test_links_missing_and_mistyped_urns_only(cps: pl.DataFrame, hmcts: pl.DataFrame) -> None:
    links = link_records(cps, hmcts, LinkageModel(threshold=0.9))
    assert links.columns == ["left_record_key", "right_record_key", "match_probability", "match_weight"]
    pairs = set(zip(links["left_record_key"], links["right_record_key"], strict=True))
    assert pairs == {("c_missing", "h_missing"), ("c_typo", "h_typo")}
    assert links["match_probability"].min() >= 0.9


def test_threshold_is_applied(cps: pl.DataFrame, hmcts: pl.DataFrame) -> None:
    strict = link_records(cps, hmcts, LinkageModel(threshold=0.999999))
    assert strict["match_probability"].min() >= 0.999999 if strict.height else True
    assert strict.height <= 2
    for bad in (0.0, 1.0, 1.5):
        with pytest.raises(ValueError):
            link_records(cps, hmcts, LinkageModel(threshold=bad))


def test_empty_side_gives_no_links(cps: pl.DataFrame, hmcts: pl.DataFrame) -> None:
    assert link_records(cps, hmcts.clear()).is_empty()


def test_duplicate_record_keys_are_refused(cps: pl.DataFrame, hmcts: pl.DataFrame) -> None:
    with pytest.raises(ValueError, match="unique"):
        link_records(pl.concat([cps, cps]), hmcts)


def test_each_record_keeps_its_best_link() -> None:
    scored = pl.DataFrame(
        {
            "left_record_key": ["a", "a", "b", "b"],
            "right_record_key": ["x", "y", "x", "z"],
            "match_probability": [0.99, 0.95, 0.98, 0.91],
            "match_weight": [8.0, 5.0, 7.0, 3.0],
        }
    )
    best = best_one_to_one(scored)
    assert set(zip(best["left_record_key"], best["right_record_key"], strict=True)) == {("a", "x"), ("b", "z")}
