"""Entry point: simulate areas over a range of reporting months and write the landing zone and the truth.

    simulate(["wiltshire"], "2023-04", "2026-03", Path("sources/sim"), seed=42, scale=1.0)

Areas are processed one at a time (peak memory is one area's world); the truth parquet files are appended per area.
"""

from __future__ import annotations

import json
import pathlib
import time
from dataclasses import asdict, dataclass, field

import polars as pl
import pyarrow.parquet as pq

from pipelines.lib.simulator import params as P
from pipelines.lib.simulator.common import month_label, parse_month
from pipelines.lib.simulator.deliveries import schedule_deliveries
from pipelines.lib.simulator.extracts.common import UrnErrors
from pipelines.lib.simulator.extracts.cps import write_cps
from pipelines.lib.simulator.extracts.hmcts import write_hmcts
from pipelines.lib.simulator.extracts.police import write_police
from pipelines.lib.simulator.extracts.public import PublicReleases
from pipelines.lib.simulator.extracts.public_stats import PublicDisagreement
from pipelines.lib.simulator.extracts.services import write_services
from pipelines.lib.simulator.geography import resolve_areas
from pipelines.lib.simulator.model import simulate_area
from pipelines.lib.simulator.resends import resend_table
from pipelines.lib.simulator.truth import data_health, ethnicity_not_stated, events, measure_values, reconciliation

SIMULATOR_VERSION = "0.4.1"  # 0.4.1: some victims' ethnicity not stated; 0.4.0: files stamped with their arrival date
EVENT_WINDOW_MONTHS = 6  # the event log is built and written a few months at a time (bounded memory)


@dataclass
class SimulationSummary:
    out: str
    areas: list[str]
    start: str
    end: str
    seed: int
    scale: float
    files_written: int = 0
    rows_per_extract: dict[str, int] = field(default_factory=dict)
    crimes_simulated: int = 0  # including the warm-up months
    crimes_in_period: int = 0  # recorded in the reporting months
    urn_errors: int = 0
    resends: int = 0  # earlier months' files re-sent with corrections (_truth/resends.parquet)
    late_deliveries: int = 0  # files that arrived after their expected day (_truth/deliveries.parquet)
    missing_deliveries: int = 0  # files never sent
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


class _ParquetAppender:
    def __init__(self, path: pathlib.Path):
        self.path = path
        self.writer: pq.ParquetWriter | None = None

    def write(self, frame: pl.DataFrame) -> None:
        if frame.height == 0 and self.writer is not None:
            return
        table = frame.to_arrow()
        if self.writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.writer = pq.ParquetWriter(self.path, table.schema, compression="zstd")
        self.writer.write_table(table)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def simulate(
    areas: list[str] | str,
    start: str,
    end: str,
    out: pathlib.Path,
    seed: int = 42,
    scale: float = 1.0,
    public_disagreement: PublicDisagreement | None = None,
    missing_deliveries: int = 0,
) -> SimulationSummary:
    """Simulate `areas` (force slugs, ONS codes or 'all') for reporting months `start`..`end` (YYYY-MM, inclusive).

    Writes out/<agency>/<extract>/<agency>_<extract>_<YYYY-MM>.<csv|xlsx>, lookalikes of the public releases in
    out/public/ and out/_truth/. Deterministic for a seed: the same arguments give byte-identical files.
    `public_disagreement`: one figure of the public files to get wrong on purpose (tests of the accuracy checks).
    Every monthly agency file carries its arrival date as its modification time, a few late (deliveries.py);
    `missing_deliveries` files are not written at all (0 by default: the truth of the other measures assumes every
    file is there). _truth/data_health.parquet holds the true values of the "Data behind these figures" measures.
    """
    t0 = time.perf_counter()
    out = pathlib.Path(out)
    first, last = parse_month(start), parse_month(end)
    if last < first:
        raise ValueError(f"end {end} is before start {start}")
    if scale <= 0:
        raise ValueError("scale must be positive")
    chosen = resolve_areas(areas)
    summary = SimulationSummary(
        out=str(out),
        areas=[a.slug for a in chosen],
        start=month_label(first),
        end=month_label(last),
        seed=int(seed),
        scale=float(scale),
    )
    truth = out / "_truth"
    truth.mkdir(parents=True, exist_ok=True)
    writers = {
        name: _ParquetAppender(truth / f"{name}.parquet")
        for name in ("events", "measure_values", "reconciliation", "urn_errors", "data_health")
    }
    rows: dict[str, int] = {}
    log = UrnErrors()
    public = PublicReleases()
    try:
        for area in chosen:
            world = simulate_area(area, first, last, seed, scale)
            n_err = len(log.rows)
            for writer in (write_police, write_cps, write_hmcts, write_services):
                for k, v in writer(world, out, seed, log).items():
                    rows[k] = rows.get(k, 0) + v
            for k, v in public.add_area(world, out, seed, log).items():
                rows[k] = rows.get(k, 0) + v
            for w0 in range(first, last + 1, EVENT_WINDOW_MONTHS):  # one row group per area and window
                writers["events"].write(events(world, w0, min(w0 + EVENT_WINDOW_MONTHS - 1, last)))
            writers["measure_values"].write(measure_values(world))
            writers["data_health"].write(ethnicity_not_stated(world))
            writers["reconciliation"].write(reconciliation(world))
            writers["urn_errors"].write(
                pl.DataFrame(log.rows[n_err:], schema=log.frame().schema, orient="row")
                if len(log.rows) > n_err
                else log.frame().clear()
            )
            summary.crimes_simulated += world.crimes.height
            summary.crimes_in_period += int(
                world.crimes.filter(
                    pl.col("recorded_date").cast(pl.Date).dt.strftime("%Y-%m") >= month_label(first)
                ).height
            )
            del world
        log.flush()
        rows.update(public.finish(out, first, last, seed, scale, public_disagreement, log))
        summary.urn_errors = len(log.rows)
        deliveries = schedule_deliveries(out, first, last, seed, missing_deliveries)
        deliveries.write_parquet(truth / "deliveries.parquet", compression="zstd")
        writers["data_health"].write(data_health(deliveries, [a.code for a in chosen]))
        resends = resend_table(out, sorted(rows), first, last, seed)
        resends.write_parquet(truth / "resends.parquet", compression="zstd")
    finally:
        for w in writers.values():
            w.close()
    summary.rows_per_extract = dict(sorted(rows.items()))
    summary.files_written = len(log.written) - missing_deliveries
    summary.late_deliveries = deliveries.filter(pl.col("status") == "late").height
    summary.missing_deliveries = missing_deliveries
    manifest = {
        "simulator_version": SIMULATOR_VERSION,
        "areas": summary.areas,
        "start": summary.start,
        "end": summary.end,
        "seed": summary.seed,
        "scale": summary.scale,
        "warmup_months": P.WARMUP_MONTHS,
        "rows_per_extract": summary.rows_per_extract,
        "crimes_simulated": summary.crimes_simulated,
        "crimes_in_period": summary.crimes_in_period,
        "urn_errors": summary.urn_errors,
        "urn_error_rates": {"missing": P.URN_MISSING_RATE.value, "mistyped": P.URN_MISTYPED_RATE.value},
        "resends": resends.height,
        "resend_rate": P.RESEND_RATE.value,
        "late_deliveries": summary.late_deliveries,
        "late_delivery_rate": P.LATE_DELIVERY_RATE.value,
        "missing_deliveries": missing_deliveries,
    }
    (truth / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    summary.resends = resends.height
    summary.seconds = round(time.perf_counter() - t0, 2)
    return summary
