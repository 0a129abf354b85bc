"""The ingestion audit trail as assets: every delivery's fate (load log) and every rejected row (quarantine), and the
refresh's account of the files it did not load."""

import dagster as dg

from pipelines.defs.ingest.assets import ingest_assets
from pipelines.defs.partitions import reporting_month
from pipelines.defs.resources import WarehouseResource
from pipelines.lib.errors import ExtractError
from pipelines.lib.landing_report import summary_lines, unloaded_files
from pipelines.lib.landing_zone import survey
from pipelines.lib.months import months_between
from pipelines.lib.raw_loader import AUDIT_DDL, LoadOutcome, record_unloaded

LOAD_LOG = dg.AssetKey(["audit", "load_log"])
QUARANTINE = dg.AssetKey(["audit", "quarantine"])
RANGE_TAGS = ("dagster/asset_partition_range_start", "dagster/asset_partition_range_end")
# the run's own tags, so the UI's run list shows (and filters by) the runs that left files unloaded
FILES_REFUSED_TAG, FILES_IGNORED_TAG = "cjs/files_refused", "cjs/files_ignored"


def _run_months(context: dg.AssetExecutionContext) -> set[str] | None:
    """The reporting months the run refreshed (its partition range tags), or None for every month."""
    tags = context.run.tags
    if not all(tag in tags for tag in RANGE_TAGS):
        return None
    return set(months_between(*(reporting_month(tags[tag]) for tag in RANGE_TAGS)))


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            LOAD_LOG,
            description="Every file under the landing zone and its fate: loaded, replaced, unchanged, "
            "refused or ignored, with the reason.",
            group_name="ingest",
            owners=["team:lcjb-analysts"],
            kinds={"duckdb"},
            deps=[a.key for a in ingest_assets],
        ),
        dg.AssetSpec(
            QUARANTINE,
            description="Every rejected row of every delivery: file, line, column, failed check and value "
            "(personal values withheld). Rows of deliveries in force are in audit.quarantine_in_force.",
            group_name="ingest",
            owners=["team:lcjb-analysts"],
            kinds={"duckdb"},
            deps=[a.key for a in ingest_assets],
        ),
    ],
    can_subset=False,
)
def ingestion_audit(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Log the files no extract owns (ignored), summarise the audit tables the ingest assets append to (creating them
    on a first run with no files), and end the ingestion with the files the run did not load."""
    sources = warehouse.paths().sources_dir
    with warehouse.build_connection() as connection:
        for statement in AUDIT_DDL:
            connection.execute(statement)
        for file in survey(sources):
            if file.spec is None:
                record_unloaded(
                    connection,
                    None,
                    LoadOutcome(file.path, None, file.verdict, message=str(ExtractError(file.path, file.reason))),
                )
        unloaded = unloaded_files(connection, sources, _run_months(context))
        outcomes = connection.execute(
            "select outcome, count(*) from audit.load_log group by outcome order by outcome"
        ).fetchall()
        refused = connection.sql(
            "select extract, reporting_month, source_file, loaded_at, message from audit.load_log "
            "where outcome = 'refused' order by loaded_at desc limit 10"
        ).pl()
        quarantined = connection.sql(
            'select extract, "check", count(*) as rows from audit.quarantine group by all order by rows desc limit 20'
        ).pl()
    summary = summary_lines(unloaded)
    if summary:
        context.log.warning("\n".join(summary))
    files_refused = sum(1 for u in unloaded if u.outcome == "refused")
    files_ignored = sum(1 for u in unloaded if u.outcome == "ignored")
    context.instance.add_run_tags(
        context.run_id, {FILES_REFUSED_TAG: str(files_refused), FILES_IGNORED_TAG: str(files_ignored)}
    )
    yield dg.MaterializeResult(
        asset_key=LOAD_LOG,
        metadata={
            "outcomes": dg.MetadataValue.json(dict(outcomes)),
            "files_refused": files_refused,
            "files_ignored": files_ignored,
            "not_loaded": dg.MetadataValue.md(
                "\n".join(summary) if summary else "every file met was loaded or unchanged"
            ),
            "recently_refused": dg.MetadataValue.md(
                refused.to_pandas().to_markdown(index=False) if refused.height else "none"
            ),
        },
    )
    yield dg.MaterializeResult(
        asset_key=QUARANTINE,
        metadata={
            "dagster/row_count": int(quarantined["rows"].sum()) if quarantined.height else 0,
            "by_check": dg.MetadataValue.md(
                quarantined.to_pandas().to_markdown(index=False) if quarantined.height else "none"
            ),
        },
    )
