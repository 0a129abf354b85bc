"""The monthly schedule: once a month, refresh the month just closed if every monthly extract for it has landed.

Agencies deliver a month's extracts some days after it closes, so the schedule runs on a configurable day and time
(UK local time, whatever the server's zone) and, rather than publish a partial month, says which files it still waits
for; the landing-zone sensor picks them up when they arrive.
"""

from __future__ import annotations

import os
import re
from datetime import datetime

import dagster as dg

from pipelines.defs.partitions import partition_key
from pipelines.defs.resources import WarehouseResource
from pipelines.lib.errors import ConfigurationError
from pipelines.lib.landing_zone import missing_monthly_files
from pipelines.lib.months import month_offset
from pipelines.settings import SCHEDULE_DAY_ENV, schedule_day

SCHEDULE_TIME_ENV = "CJS_SCHEDULE_TIME"
DEFAULT_SCHEDULE_TIME = "06:00"
SCHEDULE_TIMEZONE = "Europe/London"


def monthly_cron() -> str:
    """The cron expression from CJS_SCHEDULE_DAY (1-28, so every month has it) and CJS_SCHEDULE_TIME (HH:MM)."""
    day = schedule_day()
    clock = os.environ.get(SCHEDULE_TIME_ENV) or DEFAULT_SCHEDULE_TIME
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", clock)
    if not match:
        raise ConfigurationError(f"{SCHEDULE_TIME_ENV}={clock!r}: a 24-hour time HH:MM, e.g. 06:00")
    return f"{int(match.group(2))} {int(match.group(1))} {day} * *"


def month_just_closed(when: datetime) -> str:
    """The reporting month (YYYY-MM) before the one `when` falls in."""
    return month_offset(f"{when:%Y-%m}", -1)


@dg.schedule(
    name="monthly_refresh",
    cron_schedule=monthly_cron(),
    execution_timezone=SCHEDULE_TIMEZONE,
    job_name="refresh",
    description="Refreshes the month just closed once every monthly extract for it has landed; otherwise skips, naming "
    f"the files still missing. Day and time: {SCHEDULE_DAY_ENV}, {SCHEDULE_TIME_ENV} (UK time).",
)
def monthly_refresh_schedule(context: dg.ScheduleEvaluationContext, warehouse: WarehouseResource):
    month = month_just_closed(context.scheduled_execution_time)
    sources = warehouse.paths().sources_dir
    missing = missing_monthly_files(sources, month)
    if missing:
        return dg.SkipReason(
            f"{month}: {len(missing)} monthly extract file(s) not yet in {sources}: "
            + ", ".join(str(p) for p in missing)
        )
    return dg.RunRequest(
        run_key=f"monthly-{month}",
        tags={
            "dagster/asset_partition_range_start": partition_key(month),
            "dagster/asset_partition_range_end": partition_key(month),
            "cjs/trigger": "monthly_refresh",
        },
    )
