"""What every run of the code location shares: the refresh job, the resources and the executor.

The assets, checks, schedule and sensors are found by `load_from_defs_folder` in the modules beside this one; only
what belongs to no one asset is declared here.
"""

from __future__ import annotations

import dagster as dg

from pipelines.defs.resources import WarehouseResource, default_warehouse
from pipelines.defs.transform.dbt import dbt_resource
from pipelines.settings import WarehousePaths

refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    description="Ingest every extract in the landing zone, build and test the warehouse, publish the scorecard.",
)


def resources_for(paths: WarehousePaths) -> dict[str, dg.ConfigurableResource]:
    """The resources of a run over the given landing zone and warehouse (the CLI's and the tests')."""
    return {
        "warehouse": WarehouseResource(sources_dir=str(paths.sources_dir), warehouse_dir=str(paths.warehouse_dir)),
        "dbt": dbt_resource(),
    }


@dg.definitions
def code_location() -> dg.Definitions:
    """The refresh job, the UI's resources (from the CJS_* environment variables) and the in-process executor.

    Every step writes to the one build database, which takes one writer process at a time; and a step in its own
    process re-imports the code location first (minutes per step on a busy machine). Runs from the UI execute their
    steps in the run's process, in order, as `cjs-scorecard refresh` does.
    """
    return dg.Definitions(
        jobs=[refresh_job],
        resources={"warehouse": default_warehouse(), "dbt": dbt_resource()},
        executor=dg.in_process_executor,
    )
