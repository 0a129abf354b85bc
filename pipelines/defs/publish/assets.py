"""Publication: the BI-facing DuckDB file, replaced atomically once the marts are built and tested and the candidate
file has passed the quality gates (one asset check per gate; a blocking failure keeps the published file as it was)."""

from collections.abc import Iterator

import dagster as dg

from pipelines.defs.resources import WarehouseResource
from pipelines.lib.publish import PUBLISHED_TABLES, publish
from pipelines.lib.quality_gates import (
    CHECKS,
    GATE_BUILD_TABLES,
    CheckOutcome,
    GateReport,
    PublicationBlocked,
    Severity,
)

PUBLISHED_KEY = dg.AssetKey(["published", "cjs_scorecard"])


def _check_results(report: GateReport) -> list[dg.AssetCheckResult]:
    """One result per gate: ERROR severity for blocking gates, WARN for warnings, failures counted and quoted."""

    def result(outcome: CheckOutcome) -> dg.AssetCheckResult:
        return dg.AssetCheckResult(
            asset_key=PUBLISHED_KEY,
            check_name=outcome.name,
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR
            if outcome.severity is Severity.BLOCKING
            else dg.AssetCheckSeverity.WARN,
            description=outcome.summary(),
            metadata={"failures": outcome.failure_count, "examples": dg.MetadataValue.json(outcome.examples)},
        )

    return [result(outcome) for outcome in report.outcomes]


@dg.asset(
    key=PUBLISHED_KEY,
    group_name="publish",
    owners=["team:lcjb-analysts"],
    kinds={"duckdb"},
    # what the candidate copies, and what the completeness gate reads from the build database beside it
    deps=[dg.AssetKey(table.split(".")) for table in (*PUBLISHED_TABLES.values(), *GATE_BUILD_TABLES)],
    description="The published DuckDB file BI tools read (scorecard and reconciliation tables only; readable by DuckDB 1.4 clients), "
    "swapped in atomically once the candidate file passes the quality gates.",
    check_specs=[
        dg.AssetCheckSpec(
            check.name,
            asset=PUBLISHED_KEY,
            blocking=check.severity is Severity.BLOCKING,
            description=f"{check.severity.value}: {check.description}",
        )
        for check in CHECKS
    ],
)
def published_warehouse(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    paths = warehouse.paths()
    try:
        publication = publish(paths.build_db, paths.published_db)
    except PublicationBlocked as blocked:
        yield from _check_results(blocked.report)  # the UI shows which gate failed before the run fails
        raise
    context.log.info(f"published {publication.path} ({publication.publication_id})")
    for warning in publication.gate_report.warnings if publication.gate_report else []:
        context.log.warning(warning.summary())
    yield dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(publication.path)),
            "publication_id": publication.publication_id,
            "row_counts": dg.MetadataValue.json(publication.row_counts),
        },
        check_results=_check_results(publication.gate_report) if publication.gate_report else [],
    )
