"""What the Dagster UI should show, worked out from the repository's layout rather than from the definitions: the
story's groups, how many assets each holds, and how many dbt tests become asset checks."""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.settings import DBT_PROJECT_DIR, REPO_ROOT

# The data's path (issue 8), with the seeds' code lists and geography beside it.
STORY_GROUPS = ("ingest", "reference", "staging", "reconcile", "scorecard", "publish")

# Python assets, counted by hand: audit/load_log and audit/quarantine; definitions/measures, measure_parts,
# scorecard_areas and measure_breakdowns; linkage/probabilistic_links; published/cjs_scorecard and board_pack.
AUDIT_ASSETS, DEFINITIONS_ASSETS, LINKAGE_ASSETS, PUBLISH_ASSETS = 2, 4, 1, 2


def _models(*folder: str) -> int:
    """dbt models under a folder: SQL models and Python ones (the disclosure decisions)."""
    models = (DBT_PROJECT_DIR / "models").joinpath(*folder)
    return sum(1 for _ in models.rglob("*.sql")) + sum(1 for _ in models.rglob("*.py"))


def expected_group_sizes() -> dict[str, int]:
    """Assets per group: one ingest asset per extract spec, one dbt asset per seed and model, placed by folder."""
    specs = sum(1 for _ in (REPO_ROOT / "pipelines" / "defs" / "ingest" / "specs").glob("*.yaml"))
    engine = _models("intermediate", "scorecard")
    return {
        "ingest": specs + AUDIT_ASSETS + _models("audit"),
        "reference": sum(1 for _ in (DBT_PROJECT_DIR / "seeds").rglob("*.csv")),
        "staging": _models("staging"),
        "reconcile": _models("intermediate")
        - engine
        + _models("marts", "reconcile")
        + _models("marts", "public")
        + LINKAGE_ASSETS,
        "scorecard": engine + _models("marts", "facts") + _models("marts", "scorecard") + DEFINITIONS_ASSETS,
        "publish": PUBLISH_ASSETS,
    }


def dbt_test_count(manifest: Path = DBT_PROJECT_DIR / "target" / "manifest.json") -> int:
    """The data tests dbt itself parsed (each should be one Dagster asset check)."""
    nodes = json.loads(manifest.read_text())["nodes"].values()
    return sum(node["resource_type"] == "test" for node in nodes)


def python_check_names() -> set[str]:
    """The asset checks written in Python: each ingest asset's, the publication's quality gates, and one external
    accuracy check per published series."""
    from pipelines.defs.ingest.assets import INGEST_CHECKS
    from pipelines.lib.external_accuracy import SERIES
    from pipelines.lib.quality_gates import CHECKS

    return {*INGEST_CHECKS, *(gate.name for gate in CHECKS), *(f"external_accuracy_{series}" for series in SERIES)}


def asset_check_count() -> int:
    """Every asset check the UI shows: dbt's tests, the ingest checks of every extract spec, the quality gates and the
    external accuracy checks."""
    from pipelines.defs.ingest.assets import INGEST_CHECKS
    from pipelines.lib.external_accuracy import SERIES
    from pipelines.lib.quality_gates import CHECKS

    specs = sum(1 for _ in (REPO_ROOT / "pipelines" / "defs" / "ingest" / "specs").glob("*.yaml"))
    return dbt_test_count() + specs * len(INGEST_CHECKS) + len(CHECKS) + len(SERIES)
