"""The asset graph tells the data's story: every asset in one of the story's groups, described, owned; dbt tests as checks."""

from __future__ import annotations

from collections import Counter

import dagster as dg
import pytest

from tests.asset_story import STORY_GROUPS, asset_check_count, dbt_test_count, expected_group_sizes, python_check_names


@pytest.fixture(scope="module")
def asset_graph() -> dg.AssetGraph:
    from pipelines.definitions import defs

    return defs.resolve_asset_graph()


def test_every_asset_has_a_story_group_a_description_and_an_owner(asset_graph: dg.AssetGraph) -> None:
    problems = []
    for key in sorted(asset_graph.get_all_asset_keys()):
        node = asset_graph.get(key)
        if node.group_name not in STORY_GROUPS:
            problems.append(f"{key.to_user_string()}: group {node.group_name!r}")
        if not (node.description or "").strip():
            problems.append(f"{key.to_user_string()}: no description")
        if not node.owners:
            problems.append(f"{key.to_user_string()}: no owner")
    assert problems == []


def test_groups_follow_the_repository_layout(asset_graph: dg.AssetGraph) -> None:
    sizes = Counter(asset_graph.get(key).group_name for key in asset_graph.get_all_asset_keys())
    assert dict(sizes) == expected_group_sizes()
    # Hand-placed: the engine and its facts are the scorecard; linkage and the case journey reconcile the agencies.
    placed = {
        "audit/quarantine_in_force": "ingest",
        "reference/ref_cps_areas": "reference",
        "staging/stg_definitions__measures": "staging",
        "intermediate/int_case_journey": "reconcile",
        "intermediate/int_linkage__case_links": "reconcile",
        "linkage/probabilistic_links": "reconcile",
        "facts/fct_police_crimes_recorded": "scorecard",
        "intermediate/int_scorecard__measure_values": "scorecard",
        "definitions/measures": "scorecard",
    }
    assert {key: asset_graph.get(dg.AssetKey.from_user_string(key)).group_name for key in placed} == placed


def test_dbt_descriptions_come_from_the_yaml(asset_graph: dg.AssetGraph) -> None:
    description = asset_graph.get(dg.AssetKey(["reconcile", "reconcile_stock_flow_identity"])).description
    assert description.startswith("closing = opening + in - out for each court's stock per area and month")


def test_every_dbt_test_is_an_asset_check(asset_graph: dg.AssetGraph) -> None:
    """dbt's tests, plus the Python checks: each ingest asset's, the publication's quality gates (on
    published/cjs_scorecard) and the external accuracy checks (one per series on reconcile/external_accuracy)."""
    checks = asset_graph.asset_check_keys
    python_checks = python_check_names()
    dbt_checks = {check for check in checks if check.name not in python_checks}
    assert len(dbt_checks) == dbt_test_count()
    assert {check.name for check in checks - dbt_checks} == python_checks
    assert len(checks) == asset_check_count()
    assert {check.asset_key for check in checks} <= set(asset_graph.get_all_asset_keys())


def test_a_model_in_an_unplaced_folder_is_named() -> None:
    from pipelines.defs.transform.dbt import story_group

    model = {
        "resource_type": "model",
        "name": "extra",
        "fqn": ["cjs_scorecard", "extras", "extra"],
        "original_file_path": "models/extras/extra.sql",
    }
    with pytest.raises(ValueError, match=r"dbt model extra \(models/extras/extra.sql\).*FOLDER_GROUPS"):
        story_group(model)
