"""The dbt sources of the raw layer are derived from the extract specs, and the committed file is up to date."""

from pipelines.lib.dbt_sources import (
    RAW_SOURCES_FILE,
    SCHEDULE_MACRO_FILE,
    SENDERS_MACRO_FILE,
    render_raw_sources,
    render_schedule_macro,
    render_senders_macro,
)


def test_committed_raw_sources_match_the_specs() -> None:
    assert RAW_SOURCES_FILE.read_text(encoding="utf-8") == render_raw_sources(), (
        "dbt_project/models/staging/_raw__sources.yml is out of date: run `cjs-scorecard dbt-sources`"
    )


def test_committed_senders_macro_matches_the_specs() -> None:
    assert SENDERS_MACRO_FILE.read_text(encoding="utf-8") == render_senders_macro(), (
        "dbt_project/macros/generated/extracts_sent_by_force.sql is out of date: run `cjs-scorecard dbt-sources`"
    )
    assert "'police_arrests': 'force_name'" in render_senders_macro()
    assert "cps_finalisations" not in render_senders_macro()


def test_committed_schedule_macro_matches_the_specs() -> None:
    assert SCHEDULE_MACRO_FILE.read_text(encoding="utf-8") == render_schedule_macro(), (
        "dbt_project/macros/generated/monthly_agency_extracts.sql is out of date: run `cjs-scorecard dbt-sources`"
    )
    assert "'cps_finalisations': {'agency': 'cps', 'expected_delivery_day': 10}" in render_schedule_macro()
    assert "moj_proven_reoffending" not in render_schedule_macro()  # irregular: never awaited
    assert "'public_" not in render_schedule_macro()  # published statistics are comparators, not awaited
