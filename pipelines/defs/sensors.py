"""The landing-zone sensor: a new or changed extract file starts a refresh of the months it carries (a published
statistics file or a file with no month, of the newest agency month delivered). Only deliveries count: a file the
landing-zone survey refuses or ignores before reading is reported by the next refresh, not refreshed for."""

import hashlib
import json

import dagster as dg

from pipelines.defs.partitions import partition_key
from pipelines.defs.resources import WarehouseResource
from pipelines.lib.landing_zone import extract_files


@dg.sensor(
    job_name="refresh",
    minimum_interval_seconds=60,
    description="Watches every extract's landing folder; starts one refresh over the months whose files are new or changed.",
)
def landing_zone_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    seen = json.loads(context.cursor) if context.cursor else {}
    files = extract_files(warehouse.paths().sources_dir)
    current = {str(path): [path.stat().st_mtime_ns, path.stat().st_size] for _, path in files}
    changed = [(spec, path) for spec, path in files if seen.get(str(path)) != current[str(path)]]
    context.update_cursor(json.dumps(current, sort_keys=True))
    if not changed:
        return dg.SkipReason("no new or changed extract files")
    months = sorted({m for spec, path in changed if spec.publisher == "agency" and (m := spec.reporting_month(path))})
    if not months:
        # Published statistics (loaded by any run, whatever months they hold) and files whose periods are in their rows
        # (an MoJ time series, an ONS lookup): refresh the newest agency month delivered, so the new release reaches the
        # comparisons without reloading the others or widening the range to the release's months.
        months = sorted({m for spec, path in files if spec.publisher == "agency" and (m := spec.reporting_month(path))})[-1:]
    if not months:
        return dg.SkipReason(f"no month delivered yet to refresh with {[p.name for _, p in changed]}")
    fingerprint = hashlib.sha256(json.dumps({str(p): current[str(p)] for _, p in changed}, sort_keys=True).encode()).hexdigest()[:16]
    return dg.RunRequest(
        run_key=f"landing-{fingerprint}",
        tags={
            "dagster/asset_partition_range_start": partition_key(months[0]),
            "dagster/asset_partition_range_end": partition_key(months[-1]),
            "cjs/trigger": "landing_zone_sensor",
            "cjs/files": ", ".join(sorted(p.name for _, p in changed))[:1000],
        },
    )
