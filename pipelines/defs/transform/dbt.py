"""The dbt project as Dagster assets (staging -> intermediate -> marts), with dbt tests as asset checks."""

import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from pipelines.defs.resources import WarehouseResource
from pipelines.settings import BUILD_DB_ENV, DBT_PROJECT_DIR, resolve_paths

# dbt reads the build database's path from the environment (profiles.yml); parse needs it set to something real.
os.environ.setdefault(BUILD_DB_ENV, str(resolve_paths().build_db))

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)


def _manifest_is_stale(project: DbtProject) -> bool:
    """Missing, or older than any file of the dbt project (a model, seed or macro edited since the last parse)."""
    if not project.manifest_path.exists():
        return True
    built = project.manifest_path.stat().st_mtime
    target = project.project_dir / project.target_path
    return any(
        path.stat().st_mtime > built
        for path in project.project_dir.rglob("*")
        if path.is_file() and target not in path.parents and path.suffix in {".sql", ".yml", ".yaml", ".csv"}
    )


def prepare_dbt_manifest(project: DbtProject = dbt_project) -> None:
    """Build the manifest under `dagster dev`, and whenever it is missing or stale (a fresh checkout, an edit)."""
    if _manifest_is_stale(project):
        project.preparer.prepare(project)
    else:
        project.prepare_if_dev()


prepare_dbt_manifest()

LAYER_GROUPS = {"audit": "ingest", "staging": "staging", "intermediate": "reconcile", "marts": "scorecard"}


class ScorecardDbtTranslator(DagsterDbtTranslator):
    """Asset keys `<schema>/<model>` (what a BI user sees), groups named for the data's path."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        layer = fqn[1] if len(fqn) > 2 else None
        if layer == "marts" and len(fqn) > 3:
            return fqn[2]
        return LAYER_GROUPS.get(layer, "transform")

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return ["team:lcjb-analysts"]


# The probabilistic linkage (a Python asset) reads dbt models and feeds others: the models after it carry this tag and
# are a second dbt asset, so a refresh runs dbt twice (before and after Splink) instead of Dagster splitting one dbt
# asset into many invocations.
AFTER_LINKAGE = "tag:after_probabilistic_linkage"
# With dbt split in two, "eager" indirect selection would run a test as soon as one of its parents is selected (a
# relationships test from a late model to an early one would run before the late model exists); "buildable" runs a
# test once all its parents are built. A full run is unchanged. An explicit DBT_INDIRECT_SELECTION still wins.
os.environ.setdefault("DBT_INDIRECT_SELECTION", "buildable")


def _build(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    os.environ[BUILD_DB_ENV] = str(warehouse.private_build_db())
    yield from dbt.cli(["build"], context=context).stream()


@dbt_assets(
    manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=ScorecardDbtTranslator(),
    exclude=AFTER_LINKAGE,
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """`dbt build` (seeds, models and their tests) against the build database: everything up to the linkage."""
    yield from _build(context, dbt, warehouse)


@dbt_assets(
    manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=ScorecardDbtTranslator(),
    select=AFTER_LINKAGE, name="dbt_linkage_results",
)
def dbt_linkage_results(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """`dbt build` of the models that combine URN and probabilistic links (case links, unlinked records, match rates)."""
    yield from _build(context, dbt, warehouse)


def dbt_executable() -> str:
    """The dbt installed beside this Python (the project's environment), so the pipeline works when started as
    `.venv/bin/cjs-scorecard` without the environment on PATH; else whatever `dbt` PATH finds."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable())
