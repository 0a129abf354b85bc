"""Publication: the BI-facing DuckDB file, replaced atomically once the marts are built and tested."""

import dagster as dg

from pipelines.defs.resources import WarehouseResource
from pipelines.lib.publish import PUBLISHED_TABLES, publish


@dg.asset(
    key=["published", "cjs_scorecard"],
    group_name="publish",
    owners=["team:lcjb-analysts"],
    kinds={"duckdb"},
    deps=[dg.AssetKey(source.split(".")) for source in PUBLISHED_TABLES.values()],
    description="The published DuckDB file BI tools read (scorecard schema only; readable by DuckDB 1.4 clients), "
    "swapped in atomically.",
)
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    paths = warehouse.paths()
    publication = publish(paths.build_db, paths.published_db)
    context.log.info(f"published {publication.path} ({publication.publication_id})")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(publication.path)),
            "publication_id": publication.publication_id,
            "row_counts": dg.MetadataValue.json(publication.row_counts),
        }
    )
