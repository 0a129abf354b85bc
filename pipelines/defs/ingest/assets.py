"""Ingest assets: one per extract spec and reporting month, loading landing-zone files into the raw layer."""

import time
import warnings

import dagster as dg

from pipelines.defs.partitions import monthly_partitions, reporting_month
from pipelines.defs.progress import progress_message
from pipelines.defs.resources import WarehouseResource
from pipelines.lib.errors import ExtractError, printable_path
from pipelines.lib.landing_zone import LandingFile, agency_months, met_by_refresh, survey
from pipelines.lib.pseudonymise import pseudonym_key
from pipelines.lib.raw_loader import LoadOutcome, ensure_tables, load_file, record_unloaded
from pipelines.lib.source_spec import SourceSpec, load_specs

PREVIEW_ROWS = 20
# A backfill loads its months in one run (BackfillPolicy.single_run): beta in Dagster 1.13, chosen knowingly, so its
# warning (one per ingest asset, at every start of the CLI or the UI) is not repeated to the user.
warnings.filterwarnings("ignore", message="Parameter `backfill_policy`", category=dg.BetaWarning)
# The ingestion checks each ingest asset shows in the UI: warnings, since a bad row is set aside with its reason and a
# refused file leaves the delivery in force, and the run goes on.
INGEST_CHECKS = {
    "rows_pass_schema": "Every row read passed the extract's pandera schema (types, code lists, patterns, ranges, keys); "
    "rows that did not are in audit.quarantine with file, line, column and check.",
    "files_accepted": "No file was refused as a whole (empty, truncated, not a CSV, a required column missing, misnamed, "
    "too many rows rejected, rows far from the months around it, its rows or name stating another month, two files for "
    "one month) or ignored (misplaced); each is in audit.load_log and the delivery in force stays.",
}


def _outcomes_markdown(outcomes: list[LoadOutcome]) -> str:
    lines = ["| file | month | outcome | read | accepted | rejected | message |", "|---|---|---|---|---|---|---|"]
    lines += [
        f"| {printable_path(o.path.name)} | {o.reporting_month or '?'} | {o.outcome} | {o.rows_read} | {o.rows_accepted} | {o.rows_rejected} | {o.message.splitlines()[0] if o.message else ''} |"
        for o in outcomes
    ]
    return "\n".join(lines)


def _file_line(spec: SourceSpec, outcome: LoadOutcome, seconds: float) -> str:
    """One file's load as a progress line, e.g. `raw/police_crimes 2024-01: police_crimes_2024-01.csv loaded, 4,739
    rows, 0 rejected (1.2 s)`."""
    month = f" {outcome.reporting_month}" if outcome.reporting_month else ""
    rows = f", {outcome.rows_accepted:,} rows, {outcome.rows_rejected:,} rejected" if outcome.rows_read else ""
    return f"raw/{spec.extract}{month}: {printable_path(outcome.path.name)} {outcome.outcome}{rows} ({seconds:.1f} s)"


def _take(connection, spec: SourceSpec, file: LandingFile, key: bytes) -> LoadOutcome:
    """Load a delivery, or log a file the landing-zone survey refused or ignored before reading it."""
    if file.verdict == "deliver":
        return load_file(connection, spec, file.path, key)
    return record_unloaded(
        connection,
        spec.extract,
        LoadOutcome(file.path, file.month, file.verdict, message=str(ExtractError(file.path, file.reason))),
    )


def _report_unloaded(context: dg.AssetExecutionContext, spec: SourceSpec, outcomes: list[LoadOutcome]) -> None:
    """Each refused or ignored file in the run's log, once per reason (two files for one delivery share one)."""
    said = set()
    for outcome in outcomes:
        if outcome.outcome not in ("refused", "ignored"):
            continue
        reason = outcome.message.split(": ", 1)[-1]
        if reason not in said:
            said.add(reason)
            log = context.log.error if outcome.outcome == "refused" else context.log.warning
            log(f"{spec.extract}: {outcome.outcome} {outcome.message}")


def build_ingest_asset(spec: SourceSpec) -> dg.AssetsDefinition:
    """An asset that loads one extract for the months asked: new or corrected files replace their month, others are no-ops."""

    @dg.asset(
        key=["raw", spec.extract],
        group_name="ingest",
        owners=[f"team:{spec.agency}"],
        kinds={"polars", "duckdb"},
        partitions_def=monthly_partitions,
        backfill_policy=dg.BackfillPolicy.single_run(),
        description=f"{spec.title}. {spec.description} Counting basis: {spec.counting_basis}. "
        f"Landing folder: <sources>/{spec.landing_subdir}/{'<YYYY-MM>/' if spec.period_from == 'folder' else ''}{spec.file_pattern}.",
        tags={"agency": spec.agency},
        check_specs=[
            dg.AssetCheckSpec(name, asset=["raw", spec.extract], description=description)
            for name, description in INGEST_CHECKS.items()
        ],
    )
    def ingest_extract(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        months = {reporting_month(k) for k in context.partition_keys}
        # The deliveries of the months asked for; files without a month (a misnamed one, refused; a public time series)
        # and published statistics of months no refresh's range reaches (unchanged, a no-op); and every file of the
        # extract refused or ignored before it is read (misplaced, a month not begun, two files for one month).
        surveyed = survey(warehouse.paths().sources_dir)
        covered = agency_months(surveyed)
        files = [
            f
            for f in surveyed
            if f.spec is not None and f.spec.extract == spec.extract and met_by_refresh(f, months, covered)
        ]
        key = pseudonym_key()
        with warehouse.build_connection() as connection:
            ensure_tables(connection, spec)  # an extract with no files yet is an empty table, so dbt still builds
            outcomes = []
            for file in files:
                started = time.monotonic()
                outcomes.append(outcome := _take(connection, spec, file, key))
                context.log.info(progress_message(_file_line(spec, outcome, time.monotonic() - started)))
            preview = connection.sql(
                """select reporting_month, source_file, line_number, "column", "check", value from audit.quarantine
                   where extract = ? and loaded_at = (select max(loaded_at) from audit.quarantine where extract = ?)
                   order by reporting_month, line_number limit ?""",
                params=[spec.extract, spec.extract, PREVIEW_ROWS],
            ).pl()
        _report_unloaded(context, spec, outcomes)
        missing = sorted(
            months - {o.reporting_month for o in outcomes if o.outcome in ("loaded", "replaced", "unchanged")}
        )
        rejected_rows = sum(o.rows_rejected for o in outcomes)
        refused = [printable_path(o.path.name) for o in outcomes if o.outcome == "refused"]
        ignored = [printable_path(o.path.name) for o in outcomes if o.outcome == "ignored"]
        return dg.MaterializeResult(
            check_results=[
                dg.AssetCheckResult(
                    check_name="rows_pass_schema",
                    passed=rejected_rows == 0,
                    severity=dg.AssetCheckSeverity.WARN,
                    metadata={"rows_read": sum(o.rows_read for o in outcomes), "rows_rejected": rejected_rows},
                ),
                dg.AssetCheckResult(
                    check_name="files_accepted",
                    passed=not refused and not ignored,
                    severity=dg.AssetCheckSeverity.WARN,
                    metadata={
                        "files_refused": len(refused),
                        "files_ignored": len(ignored),
                        "files": ", ".join((refused + ignored)[:20]) or "none",
                    },
                ),
            ],
            metadata={
                "rows_read": sum(o.rows_read for o in outcomes),
                "rows_accepted": sum(o.rows_accepted for o in outcomes),
                "rows_rejected": rejected_rows,
                "files_refused": len(refused),
                "files_ignored": len(ignored),
                "files": dg.MetadataValue.md(_outcomes_markdown(outcomes) if outcomes else "no files"),
                "months_without_a_file": ", ".join(missing[:24]) + (" ..." if len(missing) > 24 else ""),
                "rejections_preview": dg.MetadataValue.md(
                    preview.to_pandas().to_markdown(index=False) if preview.height else "none"
                ),
            },
        )

    return ingest_extract


ingest_assets = [build_ingest_asset(spec) for spec in load_specs().values()]
