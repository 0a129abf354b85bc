"""A refused re-delivery changes no published figure, and no run log or output line carries personal data."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.cli import run_refresh
from tests.conftest import SMALL_LANDING_ZONE

RAW_PERSONAL_VALUES = ["Aled Fakeperson", "Cerys Madeup", "03/04/1990", "1990-04-03", "90/123456A", "N1000001", "N1000003"]


def published_figures(warehouse: Path) -> tuple[list[tuple], str]:
    with duckdb.connect(str(warehouse / "cjs_scorecard.duckdb"), read_only=True) as connection:
        figures = connection.execute("select measure_id, period_start, value from scorecard.measure_values order by all").fetchall()
        publication = connection.execute("select publication_id from scorecard.publication").fetchone()[0]
    return figures, publication


def test_truncated_redelivery_is_refused_and_figures_stand(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse"
    shutil.copytree(SMALL_LANDING_ZONE, landing)
    instance = dg.DagsterInstance.ephemeral()

    run_refresh(landing, warehouse, instance=instance)
    before, first_publication = published_figures(warehouse)

    january = landing / "police" / "live_caseload" / "police_live_caseload_2024-01.csv"
    january.write_text(january.read_text()[:-60])  # a re-send cut short in transfer
    run_refresh(landing, warehouse, instance=instance)
    after, second_publication = published_figures(warehouse)

    assert after == before and second_publication != first_publication
    with duckdb.connect(str(warehouse / "build" / "cjs_build.duckdb"), read_only=True) as connection:
        refused = connection.execute("select message from audit.load_log where outcome = 'rejected'").fetchall()
    assert len(refused) == 1 and "truncated" in refused[0][0] and "police_live_caseload_2024-01.csv" in refused[0][0]

    captured = capfd.readouterr()
    logs = [repr(entry) for run in instance.get_runs() for entry in instance.all_logs(run.run_id)]
    assert len(instance.get_runs()) == 2 and len(logs) > 50
    for text in [captured.out, captured.err, *logs]:
        for value in RAW_PERSONAL_VALUES:
            assert value not in text
