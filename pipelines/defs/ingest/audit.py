"""The ingestion audit trail as assets: every delivery's fate (load log) and every rejected row (quarantine)."""

import dagster as dg

from pipelines.defs.ingest.assets import ingest_assets
from pipelines.defs.resources import WarehouseResource
from pipelines.lib.raw_loader import AUDIT_DDL

LOAD_LOG = dg.AssetKey(["audit", "load_log"])
QUARANTINE = dg.AssetKey(["audit", "quarantine"])


@dg.multi_asset(
    specs=[
        dg.AssetSpec(LOAD_LOG, description="Every extract file the ingest assets met: loaded, replaced, unchanged or refused, with the reason.",
                     group_name="ingest", owners=["team:lcjb-analysts"], kinds={"duckdb"},
                     deps=[a.key for a in ingest_assets]),
        dg.AssetSpec(QUARANTINE, description="Every rejected row of every delivery: file, line, column, failed check and value "
                     "(personal values withheld). Rows of deliveries in force are in audit.quarantine_in_force.",
                     group_name="ingest", owners=["team:lcjb-analysts"], kinds={"duckdb"},
                     deps=[a.key for a in ingest_assets]),
    ],
    can_subset=False,
)
def ingestion_audit(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Summarise the audit tables the ingest assets append to (and create them on a first run with no files)."""
    with warehouse.build_connection() as connection:
        for statement in AUDIT_DDL:
            connection.execute(statement)
        outcomes = connection.execute(
            "select outcome, count(*) from audit.load_log group by outcome order by outcome"
        ).fetchall()
        refused = connection.sql(
            "select extract, reporting_month, source_file, loaded_at, message from audit.load_log "
            "where outcome = 'rejected' order by loaded_at desc limit 10"
        ).pl()
        quarantined = connection.sql(
            'select extract, "check", count(*) as rows from audit.quarantine group by all order by rows desc limit 20'
        ).pl()
    yield dg.MaterializeResult(
        asset_key=LOAD_LOG,
        metadata={
            "outcomes": dg.MetadataValue.json(dict(outcomes)),
            "recently_refused": dg.MetadataValue.md(refused.to_pandas().to_markdown(index=False) if refused.height else "none"),
        },
    )
    yield dg.MaterializeResult(
        asset_key=QUARANTINE,
        metadata={
            "dagster/row_count": int(quarantined["rows"].sum()) if quarantined.height else 0,
            "by_check": dg.MetadataValue.md(quarantined.to_pandas().to_markdown(index=False) if quarantined.height else "none"),
        },
    )
