"""The landing-zone sensor asks for a refresh of exactly the months whose files are new or changed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg

from pipelines.definitions import defs
from pipelines.defs.resources import WarehouseResource
from tests.conftest import SMALL_LANDING_ZONE


def evaluate(sources: Path, warehouse: Path, cursor: str | None):
    sensor = defs.resolve_sensor_def("landing_zone_sensor")
    context = dg.build_sensor_context(
        cursor=cursor,
        resources={"warehouse": WarehouseResource(sources_dir=str(sources), warehouse_dir=str(warehouse))},
    )
    result = sensor.evaluate_tick(context)
    return result, result.cursor


def test_new_then_changed_files_request_their_months(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(SMALL_LANDING_ZONE, sources)
    first, cursor = evaluate(sources, tmp_path / "warehouse", None)
    [request] = first.run_requests
    assert request.tags["dagster/asset_partition_range_start"] == "2024-01-01"
    assert request.tags["dagster/asset_partition_range_end"] == "2024-02-01"

    quiet, cursor = evaluate(sources, tmp_path / "warehouse", cursor)
    assert quiet.run_requests == [] and "no new or changed" in quiet.skip_message

    january = sources / "police" / "live_caseload" / "police_live_caseload_2024-01.csv"
    january.write_text(
        january.read_text() + january.read_text().splitlines()[1].replace("54240000101", "54240009999") + "\n"
    )
    os.utime(january, ns=(january.stat().st_atime_ns, january.stat().st_mtime_ns + 10**9))
    changed, _ = evaluate(sources, tmp_path / "warehouse", cursor)
    [request] = changed.run_requests
    assert (
        request.tags["dagster/asset_partition_range_start"]
        == request.tags["dagster/asset_partition_range_end"]
        == "2024-01-01"
    )
    assert request.run_key != first.run_requests[0].run_key


def test_a_changed_file_with_no_month_refreshes_the_newest_month(tmp_path: Path) -> None:
    """An MoJ time series carries its periods in its rows: a new release of it still starts a refresh (of the newest
    month delivered, whose run loads it), rather than being skipped for having no month in its name."""
    sources = tmp_path / "sources"
    shutil.copytree(SMALL_LANDING_ZONE, sources)
    _, cursor = evaluate(sources, tmp_path / "warehouse", None)
    release = sources / "public" / "moj_court_timeliness" / "court_timeliness.csv"
    release.parent.mkdir(parents=True)
    release.write_text(
        "Year,Period,Court type,National,Region,LCJB area,LJA or Court name,Defendants,Mean offence to charge,"
        "Mean charge to first list,Mean first list to completion,Mean offence to completion,Median offence to charge,"
        "Median charge to first list,Median first list to completion,Median offence to completion\n"
        "2023,2023 Q2 (Apr-Jun),All courts,England and Wales,-,-,-,111540,104,30,70,204,65,27,29,208\n"
    )
    result, _ = evaluate(sources, tmp_path / "warehouse", cursor)
    [request] = result.run_requests
    assert (
        request.tags["dagster/asset_partition_range_start"]
        == request.tags["dagster/asset_partition_range_end"]
        == "2024-02-01"
    )
    assert request.tags["cjs/files"] == "court_timeliness.csv"
