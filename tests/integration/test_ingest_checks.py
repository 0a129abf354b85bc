"""The ingestion's pandera results as Dagster asset checks: a real materialisation of one ingest asset."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg

from pipelines.defs.ingest.assets import ingest_assets
from pipelines.defs.resources import WarehouseResource
from tests.conftest import SMALL_LANDING_ZONE

ASSET = dg.AssetKey(["raw", "police_live_caseload"])
FILE = Path("police") / "live_caseload" / "police_live_caseload_2024-01.csv"


def _checks(sources: Path, warehouse: Path) -> dict[str, dg.AssetCheckEvaluation]:
    [asset] = [a for a in ingest_assets if a.key == ASSET]
    result = dg.materialize(
        [asset],
        partition_key="2024-01-01",
        resources={"warehouse": WarehouseResource(sources_dir=str(sources), warehouse_dir=str(warehouse))},
    )
    return {evaluation.check_name: evaluation for evaluation in result.get_asset_check_evaluations()}


def test_a_clean_file_passes_both_checks(tmp_path: Path) -> None:
    checks = _checks(SMALL_LANDING_ZONE, tmp_path / "warehouse")
    assert {name: check.passed for name, check in checks.items()} == {"rows_pass_schema": True, "files_accepted": True}
    assert checks["rows_pass_schema"].metadata["rows_read"].value == 6  # the fixture file's rows, counted by hand


def test_a_row_failing_the_schema_is_a_warning_with_its_count(tmp_path: Path) -> None:
    sources = tmp_path / "landing"
    shutil.copytree(SMALL_LANDING_ZONE, sources)
    lines = (sources / FILE).read_text(encoding="utf-8").splitlines()
    # the last row again with a status outside the spec's code list: one row for the quarantine
    bad = (
        lines[-1]
        .replace("Released under investigation", "Somewhere else")
        .replace("Under investigation", "Somewhere else")
    )
    assert bad != lines[-1]
    (sources / FILE).write_text("\n".join([*lines, bad]) + "\n", encoding="utf-8")
    checks = _checks(sources, tmp_path / "warehouse")
    schema = checks["rows_pass_schema"]
    assert (schema.passed, schema.severity) == (False, dg.AssetCheckSeverity.WARN)
    assert schema.metadata["rows_rejected"].value >= 1 and checks["files_accepted"].passed
