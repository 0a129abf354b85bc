"""External accuracy checks: one Dagster asset check per published series on reconcile.external_accuracy, so the
Dagster UI shows, on the mart's page, whether the warehouse agrees with what the agencies publish.

Warning severity by default: a disagreement is a question for the analyst (a late correction, a counting difference),
not a reason to stop publishing. Set CJS_EXTERNAL_ACCURACY_BLOCKING=1 to make them errors that block the publication.
"""

from __future__ import annotations

import os

import dagster as dg
import duckdb

from pipelines.defs.resources import WarehouseResource
from pipelines.lib.external_accuracy import SERIES, TABLE, series_accuracy

BLOCKING_ENV = "CJS_EXTERNAL_ACCURACY_BLOCKING"
MART_KEY = dg.AssetKey(TABLE.split("."))


def _blocking() -> bool:
    return os.environ.get(BLOCKING_ENV, "").strip().lower() in {"1", "true", "yes"}


def _external_accuracy_check(series: str, blocking: bool) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=MART_KEY,
        name=f"external_accuracy_{series}",
        description=f"External accuracy: {SERIES[series]}; fails when a figure is outside its tolerance "
        f"({'error, blocking' if blocking else 'warning'}).",
        blocking=blocking,
    )
    def _check(warehouse: WarehouseResource) -> dg.AssetCheckResult:
        with duckdb.connect(str(warehouse.paths().build_db), read_only=True) as connection:
            accuracy = series_accuracy(connection, series)
        worst = [d.describe() for d in accuracy.worst]
        return dg.AssetCheckResult(
            passed=accuracy.passed,
            severity=dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN,
            description=(
                f"{accuracy.outside} of {accuracy.compared} figures outside tolerance; worst: " + "; ".join(worst)
            )
            if worst
            else f"all {accuracy.compared} figures within tolerance",
            metadata={
                "compared": accuracy.compared,
                "not_compared": accuracy.not_compared,
                "outside_tolerance": accuracy.outside,
                "worst": dg.MetadataValue.json(
                    [{**d.__dict__, "period_start": d.period_start.isoformat()} for d in accuracy.worst]
                ),
            },
        )

    return _check


external_accuracy_checks = [_external_accuracy_check(series, _blocking()) for series in SERIES]
