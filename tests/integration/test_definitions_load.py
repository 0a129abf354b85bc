"""The code location loads as Dagster loads it from workspace.yaml (what `dagster dev` and the UI do)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg

from pipelines.settings import REPO_ROOT


def test_workspace_validates(tmp_path: Path) -> None:
    dagster = Path(sys.executable).parent / "dagster"
    completed = subprocess.run(
        [str(dagster), "definitions", "validate", "-w", str(REPO_ROOT / "workspace.yaml")],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=300,
        env={**os.environ, "DAGSTER_HOME": str(tmp_path)},
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "Validation successful for code location cjs_scorecard" in completed.stdout + completed.stderr


def test_asset_graph_tells_the_story() -> None:
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    groups = {graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert {"ingest", "staging", "reconcile", "scorecard", "publish"} <= groups
    published = graph.get(dg.AssetKey(["published", "cjs_scorecard"]))
    assert {k.to_user_string() for k in published.parent_keys} == {
        "scorecard/measure_values_disclosed",
        "scorecard/measure_breakdowns_disclosed",
        "scorecard/measures",
        "reconcile/external_accuracy_disclosed",
        "reconcile/reconcile_flows_by_area_month",
        "reconcile/reconcile_stocks_by_area_month",
        "reconcile/reconcile_stock_flow_identity",
        "reconcile/reconcile_cps_area_apportioned",
        "reconcile/reconcile_crime_defendant_conversion",
        "reconcile/linkage_match_rates",
        # what the completeness gate reads from the build database beside the candidate
        "intermediate/int_scorecard__extract_months",
        "definitions/scorecard_areas",
        "definitions/measures",
    }
    # the external accuracy checks show on the mart's page in the UI, one per published series
    mart = dg.AssetKey(["reconcile", "external_accuracy"])
    assert {
        k.name for k in graph.asset_check_keys if k.asset_key == mart and k.name.startswith("external_accuracy_")
    } == {
        "external_accuracy_police_uk_crimes",
        "external_accuracy_cps_convictions",
        "external_accuracy_cps_unsuccessful",
        "external_accuracy_moj_timeliness_median",
        "external_accuracy_moj_effective_trial_rate",
    }


def _tree(root: Path) -> dict[str, int]:
    """Every file under root (outside caches and git's own store, which other checkouts of the repository may write
    to meanwhile) with its modification time."""
    skipped = {"__pycache__", ".pytest_cache", ".git"}
    return {
        str(p.relative_to(root)): p.stat().st_mtime_ns
        for p in root.rglob("*")
        if p.is_file() and not skipped.intersection(p.relative_to(root).parts)
    }


def test_importing_the_definitions_changes_nothing(tmp_path: Path) -> None:
    """Importing the code location (as `dagster dev` and the CLI do) changes no environment variable and no file of
    the repository: no `dbt parse`, no PATH or CJS_* set at import (the manifest is prepared before, by `make install`
    and the test session)."""
    script = (
        # the libraries first (polars sets its allocator's variable when imported): what changes after is ours
        "import json, os, sys, polars, duckdb, dagster, dagster_dbt; before = dict(os.environ); "
        "import pipelines.definitions; "
        "changed = {k for k in set(before) | set(os.environ) if before.get(k) != os.environ.get(k)}; "
        "print(json.dumps(sorted(changed)))"
    )
    clean = {name: value for name, value in os.environ.items() if not name.startswith(("CJS_", "DBT_"))}
    tree_before = _tree(REPO_ROOT)
    completed = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**clean, "DAGSTER_HOME": str(tmp_path)},
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip().splitlines()[-1] == "[]"
    tree_after = _tree(REPO_ROOT)
    assert {k for k in set(tree_before) | set(tree_after) if tree_before.get(k) != tree_after.get(k)} == set()
