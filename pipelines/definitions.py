"""The Dagster code location: every asset, resource and job of cjs-scorecard (loaded by workspace.yaml and the CLI)."""

from __future__ import annotations

import dagster as dg

from pipelines.defs.ingest.assets import ingest_assets
from pipelines.defs.publish.assets import published_warehouse
from pipelines.defs.resources import default_warehouse
from pipelines.defs.scorecards.assets import measure_definitions
from pipelines.defs.transform.dbt import dbt_models, dbt_resource

refresh_job = dg.define_asset_job(
    "refresh",
    selection=dg.AssetSelection.all(),
    description="Ingest every extract in the landing zone, build and test the warehouse, publish the scorecard.",
)

defs = dg.Definitions(
    assets=[*ingest_assets, measure_definitions, dbt_models, published_warehouse],
    resources={"warehouse": default_warehouse(), "dbt": dbt_resource()},
    jobs=[refresh_job],
)
