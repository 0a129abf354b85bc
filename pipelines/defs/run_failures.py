"""The run-failure sensor: every failed run of the code location (scheduled, sensed, from the UI or a backfill) is
summarised to CJS_FAILURE_LOG and, when set, piped to CJS_FAILURE_COMMAND (mail, a webhook)."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg

from pipelines.defs.partitions import reporting_month
from pipelines.defs.resources import WarehouseResource
from pipelines.lib.failure_report import FailedRun, FailedStep, deliver, format_summary
from pipelines.lib.pseudonymise import KEY_ENV

FAILURE_LOG_ENV = "CJS_FAILURE_LOG"
FAILURE_COMMAND_ENV = "CJS_FAILURE_COMMAND"
UK = ZoneInfo("Europe/London")


def failure_log_path(warehouse: WarehouseResource) -> Path:
    """CJS_FAILURE_LOG, else <warehouse>/logs/failures.log."""
    configured = os.environ.get(FAILURE_LOG_ENV)
    return Path(configured).expanduser() if configured else warehouse.paths().warehouse_dir / "logs" / "failures.log"


def root_error(error: dg.SerializableErrorInfo | None) -> str:
    """The innermost cause's message ("module.Class: text"): Dagster wraps the error a step raised in its own."""
    if error is None:
        return "no error recorded"
    while error.cause is not None:
        error = error.cause
    return error.message.strip()


def failed_run(context: dg.RunFailureSensorContext) -> FailedRun:
    """What the summary says, gathered from the run and its event log."""
    run, instance = context.dagster_run, context.instance
    planned = instance.get_records_for_run(
        run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED
    ).records
    assets_by_step: dict[str, set[str]] = {}
    for record in planned:
        event = record.event_log_entry.dagster_event
        if event is not None and event.asset_key is not None:
            assets_by_step.setdefault(event.step_key or "", set()).add(event.asset_key.to_user_string())
    run_record = instance.get_run_record_by_id(run.run_id)
    ended = run_record.end_time if run_record is not None and run_record.end_time else None
    first, last = (run.tags.get(f"dagster/asset_partition_range_{end}") for end in ("start", "end"))
    return FailedRun(
        job=run.job_name,
        run_id=run.run_id,
        failed_at=datetime.fromtimestamp(ended, UK) if ended else datetime.now(UK),
        first_month=reporting_month(first) if first else None,
        last_month=reporting_month(last) if last else None,
        trigger=run.tags.get("cjs/trigger")
        or run.tags.get("dagster/schedule_name")
        or run.tags.get("dagster/sensor_name"),
        steps=[
            FailedStep(
                event.step_key or "",
                sorted(assets_by_step.get(event.step_key or "", [])),
                root_error(event.step_failure_data.error),
            )
            for event in context.get_step_failure_events()
        ],
    )


@dg.run_failure_sensor(
    name="run_failure_report",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=f"Writes a summary of every failed run (job, months, failed steps and assets, the error, how to rerun) to "
    f"{FAILURE_LOG_ENV} (default <warehouse>/logs/failures.log) and pipes it to {FAILURE_COMMAND_ENV} when set.",
)
def run_failure_report(context: dg.RunFailureSensorContext, warehouse: WarehouseResource) -> None:
    summary = format_summary(failed_run(context), secrets=[os.environ.get(KEY_ENV, "")])
    problem = deliver(summary, failure_log_path(warehouse), os.environ.get(FAILURE_COMMAND_ENV))
    if problem:
        context.log.error(problem)
