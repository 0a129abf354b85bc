"""The landing-zone sensor: a new or changed extract file starts a refresh of the months it carries (a published
statistics file or a file with no month, of the newest agency month delivered). Only deliveries count: a file the
landing-zone survey refuses or ignores before reading is reported by the next refresh, not refreshed for."""

import hashlib
import json

import dagster as dg

from pipelines.defs.partitions import partition_key
from pipelines.defs.resources import WarehouseResource
from pipelines.lib.landing_zone import agency_months, survey


@dg.sensor(
    job_name="refresh",
    minimum_interval_seconds=60,
    description="Watches every extract's landing folder; starts one refresh over the months whose files are new or changed.",
)
def landing_zone_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    seen = json.loads(context.cursor) if context.cursor else {}
    surveyed = survey(warehouse.paths().sources_dir)
    files = [(f.spec, f.path) for f in surveyed if f.verdict == "deliver" and f.spec is not None]
    current = {str(path): [path.stat().st_mtime_ns, path.stat().st_size] for _, path in files}
    changed = [(spec, path) for spec, path in files if seen.get(str(path)) != current[str(path)]]
    context.update_cursor(json.dumps(current, sort_keys=True))
    if not changed:
        return dg.SkipReason("no new or changed extract files")
    covered = agency_months(surveyed)
    # An agency file's month; a published statistics file's month where the agency extracts cover it (never widening
    # the range: one of another month is loaded by any refresh, as is a file whose periods are in its rows).
    months = sorted(
        {
            m
            for spec, path in changed
            if (m := spec.reporting_month(path))
            and (spec.publisher == "agency" or (covered and covered[0] <= m <= covered[-1]))
        }
    )
    if not months:
        # Refresh the newest agency month delivered, so the new release reaches the comparisons without reloading the
        # other months.
        months = covered[-1:]
    if not months:
        return dg.SkipReason(f"no month delivered yet to refresh with {[p.name for _, p in changed]}")
    fingerprint = hashlib.sha256(
        json.dumps({str(p): current[str(p)] for _, p in changed}, sort_keys=True).encode()
    ).hexdigest()[:16]
    return dg.RunRequest(
        run_key=f"landing-{fingerprint}",
        tags={
            "dagster/asset_partition_range_start": partition_key(months[0]),
            "dagster/asset_partition_range_end": partition_key(months[-1]),
            "cjs/trigger": "landing_zone_sensor",
            "cjs/files": ", ".join(sorted(p.name for _, p in changed))[:1000],
        },
    )
