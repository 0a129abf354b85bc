"""The delivery schedule: the day each agency file arrived in the landing zone, a few late, some never sent.

A board's figures rest on files that arrive when the agencies send them, not all on time; the scorecard's "Data behind
these figures" section says which were late or missing. The simulator gives every monthly agency file an arrival date
and stamps it on the file as its modification time (what a transfer into the landing zone leaves there, and what the
load log records), and lists the schedule in ``_truth/deliveries.parquet`` so the warehouse can be checked against it.

Choice: for each agency extract (a spec with cadence monthly) and reporting month, stream (seed, 0, month,
STREAM_DELIVERY, extract number) draws whether the file is late (LATE_DELIVERY_RATE); an on-time file arrives 0 to
EARLY_DAYS_MAX days before its spec's ``expected_delivery_day`` of the next month, a late one 1 to LATE_DAYS_MAX days
after it. ``missing`` files (0 unless asked: the truth of every other measure assumes every file is there) are then
chosen among the months strictly inside the range (a missing first or last month would move the data's edges, not
leave a gap) and deleted: listed with status ``missing`` and no arrival date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import numpy as np
import polars as pl

from pipelines.lib.simulator import params as P
from pipelines.lib.simulator.common import STREAM_DELIVERY, month_label
from pipelines.lib.source_spec import SourceSpec, load_specs

ARRIVAL_HOUR = 9  # files arrive in the morning (UTC): the date is what counts, the hour only keeps it off midnight
DELIVERY_SCHEMA = {
    "extract": pl.String,
    "agency": pl.String,
    "reporting_month": pl.String,
    "expected_date": pl.Date,
    "arrival_date": pl.Date,
    "status": pl.String,
    "file": pl.String,
}


def _extract_no(extract: str) -> int:
    return int(hashlib.sha256(extract.encode()).hexdigest()[:6], 16)


def monthly_agency_specs() -> list[SourceSpec]:
    """The extracts a board waits for every month: agency extracts of cadence monthly (not published statistics, not
    irregular inputs such as a lagged reoffending cohort or manual values)."""
    return [
        spec
        for spec in sorted(load_specs().values(), key=lambda s: s.extract)
        if spec.publisher == "agency" and spec.cadence == "monthly"
    ]


def expected_date(spec: SourceSpec, month: int) -> dt.date:
    """The day the board expects `month`'s file: the spec's expected_delivery_day of the following month."""
    following = month + 1
    return dt.date(following // 12, following % 12 + 1, spec.expected_delivery_day)


def arrival_date(spec: SourceSpec, month: int, seed: int) -> dt.date:
    """The day `month`'s file of `spec` arrives (deterministic for the seed, independent of the other files)."""
    rng = np.random.default_rng([int(seed), 0, int(month), STREAM_DELIVERY, _extract_no(spec.extract)])
    expected = expected_date(spec, month)
    if rng.random() < P.LATE_DELIVERY_RATE.value:
        return expected + dt.timedelta(days=int(rng.integers(1, P.LATE_DAYS_MAX.value + 1)))
    return expected - dt.timedelta(days=int(rng.integers(0, P.EARLY_DAYS_MAX.value + 1)))


def _file(out: Path, spec: SourceSpec, month: int) -> Path | None:
    path = out / spec.landing_subdir / spec.file_pattern.replace("{month}", month_label(month))
    return path if path.exists() else None


def schedule_deliveries(out: Path, first_month: int, last_month: int, seed: int, missing: int = 0) -> pl.DataFrame:
    """Stamp every monthly agency file of the landing zone `out` with its arrival date (its modification time), delete
    `missing` of them, and return the schedule (one row per extract and reporting month, DELIVERY_SCHEMA)."""
    rows = []
    for spec in monthly_agency_specs():
        for month in range(first_month, last_month + 1):
            path = _file(out, spec, month)
            if path is None:  # an extract the simulator does not write for this run
                continue
            arrival = arrival_date(spec, month, seed)
            stamp = dt.datetime(arrival.year, arrival.month, arrival.day, ARRIVAL_HOUR, tzinfo=dt.UTC).timestamp()
            os.utime(path, (stamp, stamp))
            expected = expected_date(spec, month)
            rows.append(
                {
                    "extract": spec.extract,
                    "agency": spec.agency,
                    "reporting_month": month_label(month),
                    "expected_date": expected,
                    "arrival_date": arrival,
                    "status": "on_time" if arrival <= expected else "late",
                    "file": path.relative_to(out).as_posix(),
                }
            )
    schedule = pl.DataFrame(rows, schema=DELIVERY_SCHEMA) if rows else pl.DataFrame(schema=DELIVERY_SCHEMA)
    inside = schedule.filter(
        pl.col("reporting_month") > month_label(first_month), pl.col("reporting_month") < month_label(last_month)
    )
    if missing > inside.height:
        raise ValueError(f"{missing} missing deliveries asked for, but only {inside.height} files lie inside the range")
    if missing:
        rng = np.random.default_rng([int(seed), 1, 0, STREAM_DELIVERY])
        chosen = inside[np.sort(rng.choice(inside.height, size=missing, replace=False)).tolist()]
        for relative in chosen["file"]:
            (out / relative).unlink()
        gone = pl.col("file").is_in(chosen["file"].implode())
        schedule = schedule.with_columns(
            pl.when(gone).then(None).otherwise(pl.col("arrival_date")).alias("arrival_date"),
            pl.when(gone).then(pl.lit("missing")).otherwise(pl.col("status")).alias("status"),
            pl.when(gone).then(None).otherwise(pl.col("file")).alias("file"),
        )
    return schedule
