"""A refused re-delivery changes no published figure, and no run log or output line carries personal data."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.cli import EXIT_AWAITED_DELIVERY_REFUSED, main, run_refresh
from tests.conftest import SMALL_LANDING_ZONE

RAW_PERSONAL_VALUES = [
    "Aled Fakeperson",
    "Cerys Madeup",
    "03/04/1990",
    "1990-04-03",
    "90/123456A",
    "N1000001",
    "N1000003",
]


def published_figures(warehouse: Path) -> tuple[list[tuple], str]:
    """The agencies' figures (the data section counts the refused file itself, as it should) and the publication."""
    with duckdb.connect(str(warehouse / "cjs_scorecard.duckdb"), read_only=True) as connection:
        figures = connection.execute(
            """select measure_id, period_start, value from scorecard.measure_values
               where section_id <> 'data_behind_these_figures' order by all"""
        ).fetchall()
        publication = connection.execute("select publication_id from scorecard.publication").fetchone()[0]
    return figures, publication


def test_truncated_redelivery_is_refused_and_figures_stand(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second refresh goes through the command: it publishes on the delivery in force, ends with a summary of the
    files it did not load, and exits 3 since a monthly extract the schedule waits for was refused (a refresh with
    refused files used to exit 0 with no word at the end). Misplaced and unknown files are reported too."""
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse"
    shutil.copytree(SMALL_LANDING_ZONE, landing)
    instance = dg.DagsterInstance.ephemeral()

    assert run_refresh(landing, warehouse, instance=instance).unloaded == []
    before, first_publication = published_figures(warehouse)

    january = landing / "police" / "live_caseload" / "police_live_caseload_2024-01.csv"
    january.write_text(january.read_text()[:-60])  # a re-send cut short in transfer
    (landing / "police" / "live_caseload" / "2024").mkdir()
    shutil.copy(
        landing / "police" / "live_caseload" / "police_live_caseload_2024-02.csv",
        landing / "police" / "live_caseload" / "2024",
    )
    (landing / "notes.txt").write_text("to do\n")
    monkeypatch.setattr(dg.DagsterInstance, "ephemeral", staticmethod(lambda: instance))  # the command's run, kept
    capfd.readouterr()
    code = main(["refresh", "--sources", str(landing), "--warehouse", str(warehouse)])
    after, second_publication = published_figures(warehouse)

    assert code == EXIT_AWAITED_DELIVERY_REFUSED
    assert after == before and second_publication != first_publication
    with duckdb.connect(str(warehouse / "build" / "cjs_build.duckdb"), read_only=True) as connection:
        refused = connection.execute("select message from audit.load_log where outcome = 'refused'").fetchall()
        ignored = connection.execute(
            "select source_file, extract from audit.load_log where outcome = 'ignored' order by 1"
        ).fetchall()
    assert len(refused) == 1 and "truncated" in refused[0][0] and "police_live_caseload_2024-01.csv" in refused[0][0]
    assert ignored == [
        (str(landing / "notes.txt"), None),
        (str(landing / "police/live_caseload/2024/police_live_caseload_2024-02.csv"), "police_live_caseload"),
    ]

    captured = capfd.readouterr()
    assert (
        "1 file(s) refused and 2 ignored in the landing zone; 1 of them a monthly extract the schedule waits for"
        in captured.err
    )
    assert (
        f"  refused {refused[0][0]}" in captured.err
        and "misplaced: police_live_caseload files go directly in" in captured.err
    )
    assert "a monthly extract the schedule waits for was refused" in captured.err
    logs = [repr(entry) for run in instance.get_runs() for entry in instance.all_logs(run.run_id)]
    assert len(instance.get_runs()) == 2 and len(logs) > 50
    # the runs' tags say it too, so the UI's run list shows which runs left files unloaded
    assert [
        (run.tags.get("cjs/files_refused"), run.tags.get("cjs/files_ignored")) for run in reversed(instance.get_runs())
    ] == [("0", "0"), ("1", "2")]
    assert any("1 file(s) refused and 2 ignored" in log for log in logs)  # the Dagster run says so too
    for text in [captured.out, captured.err, *logs]:
        for value in RAW_PERSONAL_VALUES:
            assert value not in text
