"""The dbt project as Dagster assets (staging -> intermediate -> marts), with dbt tests as asset checks."""

import os
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from pipelines.defs.resources import WarehouseResource
from pipelines.lib.dbt_manifest import dbt_executable
from pipelines.settings import BUILD_DB_ENV, DBT_PROJECT_DIR

# The manifest is prepared before the definitions load (pipelines/lib/dbt_manifest.py: `make install`, the CLI, the
# test session); importing this module reads it and changes nothing on disk or in the environment.
dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)


# The story the UI tells (ingest -> staging -> reconcile -> scorecard -> publish, with reference data beside it): the
# group of a dbt model is that of the longest folder prefix of its path under models/ found here. Seeds are `reference`.
FOLDER_GROUPS: dict[tuple[str, ...], str] = {
    ("audit",): "ingest",
    ("staging",): "staging",
    ("intermediate",): "reconcile",  # linkage, the case journey, per-area flows and stocks
    ("intermediate", "scorecard"): "scorecard",  # the engine
    ("marts", "reconcile"): "reconcile",
    ("marts", "public"): "reconcile",  # published statistics as comparators, checked against our figures
    ("marts", "facts"): "scorecard",  # what the engine aggregates
    ("marts", "scorecard"): "scorecard",
}


def story_group(dbt_resource_props: Mapping[str, Any]) -> str:
    """The group of a dbt seed or model; a model in a folder no group claims is an error naming it and its file, so a
    new folder is placed in the story on purpose rather than landing in a catch-all group."""
    if dbt_resource_props["resource_type"] == "seed":
        return "reference"
    folders = tuple(dbt_resource_props["fqn"][1:-1])
    for length in range(len(folders), 0, -1):
        if folders[:length] in FOLDER_GROUPS:
            return FOLDER_GROUPS[folders[:length]]
    raise ValueError(
        f"dbt {dbt_resource_props['resource_type']} {dbt_resource_props['name']} "
        f"({dbt_resource_props.get('original_file_path')}) is in a folder no Dagster group claims: "
        "add the folder to FOLDER_GROUPS in pipelines/defs/transform/dbt.py"
    )


class ScorecardDbtTranslator(DagsterDbtTranslator):
    """Asset keys `<schema>/<model>` (what a BI user sees), groups named for the data's path, descriptions from the
    models' YAML documentation."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return story_group(dbt_resource_props)

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        """The YAML description with the SQL below it; none at all for an undocumented model (the default would say
        "dbt model <name>"), so the asset-graph test names every model whose documentation is missing."""
        documented = (dbt_resource_props.get("description") or "").strip()
        return super().get_description(dbt_resource_props) if documented else ""

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return ["team:lcjb-analysts"]


# The probabilistic linkage (a Python asset) reads dbt models and feeds others: the models after it carry this tag and
# are a second dbt asset, so a refresh runs dbt twice (before and after Splink) instead of Dagster splitting one dbt
# asset into many invocations.
AFTER_LINKAGE = "tag:after_probabilistic_linkage"


def _build(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """`dbt build` with its artefacts (run results, compiled SQL, dbt's log) in the warehouse's private build folder,
    one folder per dbt asset, replaced by each run: not a new folder in the dbt project per run (1.4 GB in a day of
    tests), and with the data they describe.

    dbt reads the build database's path from CJS_BUILD_DB (profiles.yml). With dbt split in two, "eager" indirect
    selection would run a test as soon as one of its parents is selected (a relationships test from a late model to
    an early one would run before the late model exists); "buildable" runs a test once all its parents are built; an
    explicit DBT_INDIRECT_SELECTION still wins. Both are set for the dbt process the run starts.

    dbt's unit tests (unit_tests: in the models' YAML: fixed rows in, expected rows out) check the SQL, not the data,
    and `dbt build` would run them before their models in every refresh: they are left out here and run by the test
    suite (tests/contract/test_dbt_unit_tests.py)."""
    build_db = warehouse.private_build_db()
    os.environ[BUILD_DB_ENV] = str(build_db)
    os.environ.setdefault("DBT_INDIRECT_SELECTION", "buildable")
    target_path = build_db.parent / "dbt" / context.op_def.name
    yield from dbt.cli(
        ["build", "--exclude-resource-type", "unit_test"], context=context, target_path=target_path
    ).stream()


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=ScorecardDbtTranslator(),
    exclude=AFTER_LINKAGE,
)
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """`dbt build` (seeds, models and their tests) against the build database: everything up to the linkage."""
    yield from _build(context, dbt, warehouse)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=ScorecardDbtTranslator(),
    select=AFTER_LINKAGE,
    name="dbt_linkage_results",
)
def dbt_linkage_results(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """`dbt build` of the models that combine URN and probabilistic links (case links, unlinked records, match rates)."""
    yield from _build(context, dbt, warehouse)


def dbt_resource() -> DbtCliResource:
    """dbt from the project's environment, whether or not it is on PATH (`.venv/bin/cjs-scorecard` run directly)."""
    return DbtCliResource(project_dir=dbt_project, dbt_executable=str(dbt_executable()))
