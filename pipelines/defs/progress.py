"""Progress on the terminal for long runs: one line per asset (and per month of a partitioned asset), not Dagster's log.

A refresh materialises hundreds of assets over many minutes; the person at the terminal wants to see it advancing and
what failed, e.g. `[3/41] raw/police_crimes 2024-01 ok (1.2 s)`. The full log stays in the run's event log (the UI).
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field

import dagster as dg

from pipelines.defs.run_failures import root_error

# Where Dagster's log manager puts a record's run, step and event (the attribute its own console logger formats from).
DAGSTER_META = "dagster_meta"
# An asset's log message that is a progress line too: an ingest asset loading many months reports each file as it goes
# (its months' materialisations only come when the whole step ends).
PROGRESS_PREFIX = "progress: "


def progress_message(line: str) -> str:
    """A log message the terminal shows as a progress line (and the UI as an ordinary log line)."""
    return f"{PROGRESS_PREFIX}{line}"


def expected_materialisations(assets: list[dg.AssetsDefinition], months: int) -> int:
    """How many materialisations a refresh over `months` months makes: one per month of a partitioned asset, else one."""
    return sum(len(asset.keys) * (months if asset.partitions_def is not None else 1) for asset in assets)


@dataclass
class RunProgress:
    """What one run has done so far (Dagster may build several loggers for one run in process: they share this)."""

    done: int = 0
    started: float = field(default_factory=time.monotonic)
    last_event: dict[str, float] = field(
        default_factory=dict
    )  # step key -> when its last asset finished, or it started


RUNS: dict[str, RunProgress] = {}


class ProgressHandler(logging.Handler):
    """Turns Dagster events into short lines on stderr (stdout is left to the result and to dbt's own output)."""

    def __init__(self, total: int) -> None:
        super().__init__(level=logging.DEBUG)
        self.total = total

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, DAGSTER_META, None)
        if meta is None:
            return
        event, step = meta["dagster_event"], meta["step_key"] or ""
        if event is None:
            message = meta["orig_message"]
            if record.levelno >= logging.WARNING:  # a user warning or error, e.g. a refused file
                self._write(f"  ! {step}: {message.splitlines()[0]}")
            elif message.startswith(PROGRESS_PREFIX):
                self._write(f"    {message.removeprefix(PROGRESS_PREFIX)}")
            return
        run = RUNS.setdefault(meta["run_id"] or "", RunProgress())
        now = time.monotonic()
        if event.event_type == dg.DagsterEventType.STEP_START:
            run.last_event[step] = now
        elif event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            run.done += 1
            month = f" {event.partition[:7]}" if event.partition else ""
            took = now - run.last_event.get(step, now)
            run.last_event[step] = now
            # the months of one step end together: the step's time goes on the first, the files' lines said the rest
            timing = f" ({took:.1f} s)" if took >= 0.05 else ""
            self._write(f"[{run.done}/{self.total}] {event.asset_key.to_user_string()}{month} ok{timing}")
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION and not event.event_specific_data.passed:
            check = event.event_specific_data
            self._write(
                f"  ! check {check.check_name} on {check.asset_key.to_user_string()} failed ({check.severity.value})"
            )
        elif event.event_type == dg.DagsterEventType.STEP_FAILURE:
            self._write(f"FAILED {step}: {root_error(event.event_specific_data.error).splitlines()[0]}")
        elif event.event_type in (dg.DagsterEventType.RUN_SUCCESS, dg.DagsterEventType.RUN_FAILURE):
            outcome = "done" if event.event_type == dg.DagsterEventType.RUN_SUCCESS else "FAILED"
            self._write(f"refresh {outcome}: {run.done}/{self.total} assets in {now - run.started:.0f} s")
            RUNS.pop(meta["run_id"] or "", None)

    @staticmethod
    def _write(line: str) -> None:
        print(line, file=sys.stderr, flush=True)


@dg.logger(
    config_schema={"total": dg.Field(int, default_value=0, description="materialisations expected (for [n/total])")},
    description="Short progress lines on the terminal: one per asset and month, failures, refused files.",
)
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.Logger("cjs_progress", level=logging.DEBUG)
    logger.addHandler(ProgressHandler(init_context.logger_config["total"]))
    return logger
