"""The scorecard definitions: scorecard_definitions/ validated and loaded where dbt's scorecard engine reads them."""

import dagster as dg

from pipelines.defs.resources import WarehouseResource
from pipelines.lib.measure_definitions import load_definitions
from pipelines.settings import definitions_dir

DEFINITION_TABLES = {
    "measures": "Every measure of every scorecard with every definition field (the catalogue).",
    "measure_parts": "The computation of each measure a scorecard uses: one row per aggregate the engine runs.",
    "scorecard_areas": "The police force areas each board covers.",
    "measure_breakdowns": "The dimensions each measure is broken down by.",
}


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["definitions", name],
            description=description,
            group_name="scorecard",
            owners=["team:lcjb-analysts"],
            kinds={"yaml", "duckdb"},
        )
        for name, description in DEFINITION_TABLES.items()
    ],
)
def measure_definitions(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Validate scorecard_definitions/ and load it in one go: the four tables always come from the same YAML."""
    definitions = load_definitions(definitions_dir())
    catalogue = definitions.catalogue()
    tables = {
        "measures": catalogue,
        "measure_parts": definitions.parts(),
        "scorecard_areas": definitions.scorecard_areas(),
        "measure_breakdowns": definitions.breakdowns(),
    }
    with warehouse.build_connection() as connection:
        connection.execute("create schema if not exists definitions")
        for name, frame in tables.items():
            connection.register("frame", frame)
            connection.execute(f"create or replace table definitions.{name} as select * from frame")
            connection.unregister("frame")
    summary = catalogue.group_by("scorecard_id", "availability").len().sort("scorecard_id", "availability")
    for name, frame in tables.items():
        metadata: dict = {"dagster/row_count": frame.height}
        if name == "measures":
            metadata["measures_by_scorecard"] = dg.MetadataValue.md(
                "\n".join(f"- {s} {a}: {n}" for s, a, n in summary.iter_rows())
            )
        yield dg.MaterializeResult(asset_key=["definitions", name], metadata=metadata)
