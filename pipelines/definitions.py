"""The Dagster code location: every asset, resource and job of cjs-scorecard (loaded by workspace.yaml and the CLI)."""

from __future__ import annotations

import dagster as dg

from pipelines.defs.ingest.assets import ingest_assets
from pipelines.defs.ingest.audit import ingestion_audit
from pipelines.defs.publish.assets import published_warehouse
from pipelines.defs.publish.board_pack import board_pack
from pipelines.defs.reconcile.external_accuracy import external_accuracy_checks
from pipelines.defs.reconcile.linkage import probabilistic_links
from pipelines.defs.resources import WarehouseResource, default_warehouse
from pipelines.defs.run_failures import run_failure_report
from pipelines.defs.schedules import monthly_refresh_schedule
from pipelines.defs.scorecards.assets import measure_definitions
from pipelines.defs.sensors import landing_zone_sensor
from pipelines.defs.transform.dbt import dbt_linkage_results, dbt_models, dbt_resource
from pipelines.settings import WarehousePaths


def resources_for(paths: WarehousePaths) -> dict[str, dg.ConfigurableResource]:
    """The resources of a run over the given landing zone and warehouse (the CLI's and the tests')."""
    return {
        "warehouse": WarehouseResource(sources_dir=str(paths.sources_dir), warehouse_dir=str(paths.warehouse_dir)),
        "dbt": dbt_resource(),
    }


refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    description="Ingest every extract in the landing zone, build and test the warehouse, publish the scorecard.",
)

defs = dg.Definitions(
    assets=[
        *ingest_assets, ingestion_audit, measure_definitions, dbt_models, probabilistic_links, dbt_linkage_results,
        published_warehouse, board_pack,
    ],
    asset_checks=external_accuracy_checks,
    resources={"warehouse": default_warehouse(), "dbt": dbt_resource()},  # the UI's: from CJS_* environment variables
    jobs=[refresh_job],
    schedules=[monthly_refresh_schedule],
    sensors=[landing_zone_sensor, run_failure_report],
    # Every step writes to the one build database, which takes one writer process at a time; and a step in its own
    # process re-imports the code location first (minutes per step on a busy machine). Runs from the UI execute their
    # steps in the run's process, in order, as `cjs-scorecard refresh` does.
    executor=dg.in_process_executor,
)
