"""The measure catalogue: scorecard_definitions/ validated and loaded where dbt can join it to the figures."""

import dagster as dg

from pipelines.defs.resources import WarehouseResource
from pipelines.lib.measure_definitions import load_measure_catalogue
from pipelines.settings import SCORECARD_DEFINITIONS_DIR


@dg.asset(
    key=["definitions", "measures"],
    group_name="scorecard",
    owners=["team:lcjb-analysts"],
    kinds={"yaml", "duckdb"},
    description="Every measure of every scorecard, from the YAML in scorecard_definitions/ (validated on load).",
)
def measure_definitions(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    catalogue = load_measure_catalogue(SCORECARD_DEFINITIONS_DIR)
    with warehouse.build_connection() as connection:
        connection.execute("create schema if not exists definitions")
        connection.register("catalogue", catalogue)
        connection.execute("create or replace table definitions.measures as select * from catalogue")
        connection.unregister("catalogue")
    by_scorecard = catalogue.group_by("scorecard_id").len().sort("scorecard_id")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": catalogue.height,
            "measures_by_scorecard": dg.MetadataValue.md(
                "\n".join(f"- {s}: {n}" for s, n in by_scorecard.iter_rows())
            ),
        }
    )
