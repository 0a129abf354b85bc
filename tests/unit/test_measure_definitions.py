"""Scorecard definitions: the shipped ones load; a broken one is named by file, measure and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.lib.errors import ConfigurationError
from pipelines.lib.measure_definitions import load_definitions, load_measure_catalogue
from pipelines.settings import SCORECARD_DEFINITIONS_DIR

RUI = Path("measures/police/rui_live.yaml")
FAT = Path("measures/police/fat_rate_r12m.yaml")
WCJB = Path("wcjb/scorecard.yaml")


def test_shipped_definitions_load() -> None:
    catalogue = load_measure_catalogue(SCORECARD_DEFINITIONS_DIR)
    row = catalogue.filter(catalogue["measure_id"] == "rui_live", catalogue["scorecard_id"] == "wcjb").row(
        0, named=True
    )
    assert row["title"] == "Volume of RUI investigations (Live)"
    assert row["section_id"] == "p2_effective_efficient" and row["definition_file"] == str(RUI)
    assert row["computation"].startswith("value: count(*) of fct_police_live_caseload by snapshot_date where")


def test_every_measure_without_data_says_why() -> None:
    catalogue = load_measure_catalogue(SCORECARD_DEFINITIONS_DIR)
    uncomputed = catalogue.filter(catalogue["availability"] != "computed")
    assert uncomputed["availability_reason"].null_count() == 0


def test_a_mean_is_a_sum_over_a_count() -> None:
    parts = load_definitions(SCORECARD_DEFINITIONS_DIR).parts()
    rui_days = parts.filter(parts["measure_id"] == "rui_avg_days").sort("part")
    assert rui_days.select("part", "aggregate", "column_name").rows() == [
        ("denominator", "count", "days_in_status"),
        ("numerator", "sum", "days_in_status"),
        ("rows", "count", None),
    ]


@pytest.fixture
def definitions_copy(tmp_path: Path) -> Path:
    shutil.copytree(SCORECARD_DEFINITIONS_DIR, tmp_path / "defs")
    return tmp_path / "defs"


def _edit(root: Path, relative: Path, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text()
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1))


def _error(root: Path) -> str:
    with pytest.raises(ConfigurationError) as raised:
        load_definitions(root)
    return str(raised.value)


def test_bad_field_names_file_measure_and_field(definitions_copy: Path) -> None:
    _edit(definitions_copy, RUI, "unit: count", "unit: bananas")
    message = _error(definitions_copy)
    assert str(RUI) in message and "measure 'rui_live'" in message and "field 'unit'" in message


def test_filter_on_an_undocumented_column_is_refused(definitions_copy: Path) -> None:
    _edit(definitions_copy, RUI, "filter: caseload_status =", "filter: casload_status =")
    message = _error(definitions_copy)
    assert str(RUI) in message and "measure 'rui_live'" in message and "field 'compute.filter'" in message
    assert "casload_status" in message and "fct_police_live_caseload" in message


def test_filter_that_is_not_sql_is_refused(definitions_copy: Path) -> None:
    _edit(definitions_copy, FAT, "filter: is_further_action_taken", "filter: is_further_action_taken and and")
    assert "measure 'fat_rate_r12m', field 'compute.numerator.filter'" in _error(definitions_copy)


def test_unknown_model_is_refused(definitions_copy: Path) -> None:
    _edit(definitions_copy, RUI, "model: fct_police_live_caseload", "model: fct_nowhere")
    message = _error(definitions_copy)
    assert (
        "measure 'rui_live', field 'compute.model'" in message
        and "'fct_nowhere' is not a documented dbt model" in message
    )


def test_scorecard_naming_an_unknown_measure_is_refused(definitions_copy: Path) -> None:
    _edit(definitions_copy, WCJB, "- id: rui_live", "- id: rui_lve")
    message = _error(definitions_copy)
    assert str(WCJB) in message and "measure 'rui_lve'" in message and "no such measure" in message


def test_not_computed_measure_needs_a_reason(definitions_copy: Path) -> None:
    path = definitions_copy / RUI
    text = path.read_text()
    path.write_text(text[: text.index("compute:")] + "availability: not_available\n")
    assert "availability_reason is required" in _error(definitions_copy)


def test_rate_needs_numerator_and_denominator(definitions_copy: Path) -> None:
    _edit(definitions_copy, RUI, "unit: count", "unit: percentage")
    assert "needs a numerator and a denominator" in _error(definitions_copy)


def test_rag_thresholds_must_follow_polarity(definitions_copy: Path) -> None:
    _edit(definitions_copy, WCJB, "- id: rui_live", "- id: rui_live\n        rag: {green: 500, red: 100}")
    message = _error(definitions_copy)
    assert "measure 'rui_live', field 'rag'" in message and "lower is better" in message


def test_board_area_must_be_an_ons_code(definitions_copy: Path) -> None:
    _edit(definitions_copy, WCJB, "areas: [E23000038]", "areas: [Wiltshire]")
    assert "field 'areas'" in _error(definitions_copy)


CONVICTION_RATE = Path("measures/cps/overall_conviction_rate.yaml")


def test_comparator_naming_an_unknown_published_series_is_refused(definitions_copy: Path) -> None:
    _edit(definitions_copy, CONVICTION_RATE, "series: cps_copoc_conviction_rate", "series: cps_copoc_convicton_rate")
    message = _error(definitions_copy)
    assert str(CONVICTION_RATE) in message and "field 'comparator.series'" in message
    assert "unknown published series 'cps_copoc_convicton_rate'" in message and "cps_copoc_conviction_rate" in message


def test_comparator_must_share_the_measure_unit(definitions_copy: Path) -> None:
    _edit(definitions_copy, CONVICTION_RATE, "series: cps_copoc_conviction_rate", "series: cps_copoc_unsuccessful")
    message = _error(definitions_copy)
    assert (
        str(CONVICTION_RATE) in message
        and "comparator series 'cps_copoc_unsuccessful' is a count, the measure a percentage" in message
    )


def test_wcjb_comparators_name_their_series_and_basis() -> None:
    catalogue = load_measure_catalogue(SCORECARD_DEFINITIONS_DIR)
    wcjb = catalogue.filter(catalogue["scorecard_id"] == "wcjb", catalogue["comparator_series"].is_not_null())
    assert dict(zip(wcjb["measure_id"], wcjb["comparator_series"], strict=True)) == {
        "overall_conviction_rate": "cps_copoc_conviction_rate",
        "unsuccessful_outcomes": "cps_copoc_unsuccessful",
        "ineffective_trial_rate": "moj_ineffective_trial_rate",
    }
    assert all(wcjb["comparator_basis"].str.len_chars() > 20)


def test_source_extract_with_no_spec_is_refused(definitions_copy: Path) -> None:
    """A typo here used to publish every figure as 'not delivered: police_crime ...', a false reason."""
    _edit(definitions_copy, RUI, "source_extracts: [police_live_caseload]", "source_extracts: [police_live_caseloads]")
    message = _error(definitions_copy)
    assert str(RUI) in message and "measure 'rui_live', field 'source_extracts'" in message
    assert "'police_live_caseloads' not an extract of the landing zone" in message and "police_live_caseload" in message


def test_board_area_must_be_a_known_police_force_area(definitions_copy: Path) -> None:
    """Well formed but unknown: refused when the definitions load, not by a dbt test minutes into the refresh."""
    _edit(definitions_copy, WCJB, "areas: [E23000038]", "areas: [E23000038, E23000099]")
    message = _error(definitions_copy)
    assert str(WCJB) in message and "field 'areas'" in message
    assert "'E23000099' not a police force area of England and Wales" in message


def test_typo_in_the_measure_model_is_reported_where_it_was_written(definitions_copy: Path) -> None:
    """fat_rate_r12m's numerator and denominator take the measure's model: the error names compute.model."""
    _edit(definitions_copy, FAT, "model: fct_police_outcomes", "model: fct_police_outcome")
    message = _error(definitions_copy)
    assert "measure 'fat_rate_r12m', field 'compute.model'" in message and "numerator" not in message


def test_typo_in_the_measure_date_is_reported_where_it_was_written(definitions_copy: Path) -> None:
    _edit(definitions_copy, FAT, "date: outcome_date", "date: outcome_dat")
    message = _error(definitions_copy)
    assert "measure 'fat_rate_r12m', field 'compute.date'" in message and "'outcome_dat'" in message
