"""The real Dagster UI: `dagster-webserver` over workspace.yaml on a loopback port, asked through its GraphQL API for
the asset graph, then made to run the refresh job the way the UI's launchpad does.

The webserver runs without the daemon (`dagster dev` adds it, for the sensor and the run queue): its instance launches
runs at once (DefaultRunCoordinator), each in its own process, as the default run launcher does under `dagster dev`."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
import requests
from dagster import DagsterRunStatus
from dagster_graphql import DagsterGraphQLClient

from pipelines.settings import REPO_ROOT
from tests.asset_story import asset_check_count, expected_group_sizes
from tests.conftest import SMALL_LANDING_RUI_LIVE, SMALL_LANDING_ZONE, TEST_KEY

LOCATION = "cjs_scorecard"  # workspace.yaml
REPOSITORY = "__repository__"  # the repository Dagster makes of a module's Definitions
STARTUP_SECONDS, RUN_SECONDS = 300, 600
# Runs start when launched (no daemon to take them from a queue).
INSTANCE_YAML = "run_coordinator:\n  module: dagster.core.run_coordinator\n  class: DefaultRunCoordinator\n"

ASSET_NODES = """
query {
  assetNodes {
    assetKey { path }
    groupName
    description
    owners { ... on TeamAssetOwner { team } ... on UserAssetOwner { email } }
    hasAssetChecks
    assetChecksOrError {
      ... on AssetChecks { checks { name executionForLatestMaterialization { runId status } } }
    }
  }
}
"""
LOCATION_STATUS = """
query {
  workspaceOrError {
    ... on Workspace { locationEntries { name loadStatus locationOrLoadError { __typename ... on PythonError { message } } } }
    ... on PythonError { message }
  }
}
"""
RUN_ERRORS = """
query ($runId: ID!) {
  logsForRun(runId: $runId) { ... on EventConnection { events { ... on MessageEvent { level stepKey message } } } }
}
"""


@dataclass(frozen=True)
class UiServer:
    port: int
    warehouse_dir: Path
    log: Path

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = requests.post(
            f"http://127.0.0.1:{self.port}/graphql", json={"query": query, "variables": variables or {}}, timeout=120
        )
        response.raise_for_status()
        body = response.json()
        assert not body.get("errors"), body["errors"]
        return body["data"]

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_loaded(server: UiServer, process: subprocess.Popen) -> None:
    """Bounded: the webserver answers /server_info, then the code location has loaded (or failed to: say why)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, f"dagster-webserver exited with {process.returncode}:\n{server.log_tail()}"
        try:
            requests.get(f"http://127.0.0.1:{server.port}/server_info", timeout=5).raise_for_status()
            workspace = server.graphql(LOCATION_STATUS)["workspaceOrError"]
            entries = {entry["name"]: entry for entry in workspace.get("locationEntries", [])}
            if entries.get(LOCATION, {}).get("loadStatus") == "LOADED":
                location = entries[LOCATION]["locationOrLoadError"]
                assert location["__typename"] == "RepositoryLocation", location
                return
        except requests.ConnectionError:
            pass
        time.sleep(2)
    pytest.fail(f"the UI did not load {LOCATION} within {STARTUP_SECONDS} s:\n{server.log_tail()}")


@pytest.fixture(scope="module")
def ui_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UiServer]:
    """The webserver over a copy of the small landing zone, a fresh warehouse and a fresh Dagster instance; its whole
    process group (webserver, code server, run worker) is ended afterwards."""
    root = tmp_path_factory.mktemp("dagster_ui")
    sources = root / "sources"
    shutil.copytree(SMALL_LANDING_ZONE, sources)
    (root / "dagster_home").mkdir()
    (root / "dagster_home" / "dagster.yaml").write_text(INSTANCE_YAML)
    server = UiServer(port=_free_port(), warehouse_dir=root / "warehouse", log=root / "webserver.log")
    env = {
        **os.environ,
        "DAGSTER_HOME": str(root / "dagster_home"),
        "CJS_SOURCES_DIR": str(sources),
        "CJS_WAREHOUSE_DIR": str(server.warehouse_dir),
        "CJS_PSEUDONYM_KEY": TEST_KEY,
    }
    webserver = Path(sys.executable).parent / "dagster-webserver"
    with server.log.open("w") as log:
        process = subprocess.Popen(
            [str(webserver), "-w", str(REPO_ROOT / "workspace.yaml"), "-h", "127.0.0.1", "-p", str(server.port)],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_loaded(server, process)
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # whatever outlived the webserver (a code server, a run worker)
        process.wait(timeout=30)


def test_ui_shows_the_assets_in_the_story_groups(ui_server: UiServer) -> None:
    nodes = ui_server.graphql(ASSET_NODES)["assetNodes"]
    assert dict(Counter(node["groupName"] for node in nodes)) == expected_group_sizes()
    undescribed = [node["assetKey"]["path"] for node in nodes if not (node["description"] or "").strip()]
    unowned = [node["assetKey"]["path"] for node in nodes if not node["owners"]]
    assert (undescribed, unowned) == ([], [])
    checks = sum(len(node["assetChecksOrError"]["checks"]) for node in nodes)
    assert checks == asset_check_count()
    by_key = {"/".join(node["assetKey"]["path"]): node for node in nodes}
    assert by_key["raw/police_live_caseload"]["owners"] == [{"team": "police"}]
    assert by_key["scorecard/measure_values"]["hasAssetChecks"]


def _wait_for_run(ui_server: UiServer, client: DagsterGraphQLClient, run_id: str) -> DagsterRunStatus:
    deadline = time.monotonic() + RUN_SECONDS
    while time.monotonic() < deadline:
        status = client.get_run_status(run_id)
        if status in (DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED):
            return status
        time.sleep(3)
    pytest.fail(f"run {run_id} did not finish within {RUN_SECONDS} s (last status {status}):\n{ui_server.log_tail()}")


def _run_errors(ui_server: UiServer, run_id: str) -> list[str]:
    events = ui_server.graphql(RUN_ERRORS, {"runId": run_id})["logsForRun"]["events"]
    return [f"{event['stepKey']}: {event['message']}" for event in events if event.get("level") == "ERROR"]


@pytest.mark.slow
def test_refresh_launched_through_the_ui_publishes(ui_server: UiServer) -> None:
    """The launchpad's request: job `refresh` over the landing zone's months (the partition range the CLI asks for)."""
    client = DagsterGraphQLClient("127.0.0.1", port_number=ui_server.port)
    run_id = client.submit_job_execution(
        "refresh",
        repository_location_name=LOCATION,
        repository_name=REPOSITORY,
        run_config={},
        tags={"dagster/asset_partition_range_start": "2024-01-01", "dagster/asset_partition_range_end": "2024-02-01"},
    )
    status = _wait_for_run(ui_server, client, run_id)
    assert status == DagsterRunStatus.SUCCESS, "\n".join(_run_errors(ui_server, run_id)[-20:])

    published = ui_server.warehouse_dir / "cjs_scorecard.duckdb"
    with duckdb.connect(str(ui_server.warehouse_dir / "build" / "cjs_build.duckdb"), read_only=True) as build:
        rui_live = dict(
            build.execute(
                """select period_start, value from scorecard.measure_values
               where scorecard_id = 'wcjb' and measure_id = 'rui_live' and period_type = 'month'"""
            ).fetchall()
        )
        loaded = build.execute(
            "select _reporting_month, count(*) from raw.police_live_caseload group by all order by 1"
        ).fetchall()
    with duckdb.connect(str(published), read_only=True) as connection:
        statuses = dict(
            connection.execute(
                """select status, count(*) from scorecard.measure_values
               where scorecard_id = 'wcjb' and measure_id = 'rui_live' and period_type = 'month' group by all"""
            ).fetchall()
        )
    assert rui_live == SMALL_LANDING_RUI_LIVE
    assert [(str(month)[:7], rows) for month, rows in loaded] == [("2024-01", 6), ("2024-02", 6)]
    assert statuses == {"suppressed": 2}  # 3 and 4 are small numbers

    # The UI shows every check's result from this run (dbt's tests and the quality gates).
    nodes = ui_server.graphql(ASSET_NODES)["assetNodes"]
    executions = [
        check["executionForLatestMaterialization"] for node in nodes for check in node["assetChecksOrError"]["checks"]
    ]
    assert len(executions) == asset_check_count()
    assert {execution["runId"] for execution in executions if execution} == {run_id}
    assert Counter(execution["status"] if execution else None for execution in executions) == {
        "SUCCEEDED": asset_check_count()
    }
