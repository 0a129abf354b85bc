"""Operations with real Dagster runs: the monthly schedule (waits for the month's extracts, then refreshes it), the
`refresh --from/--to` backfill (loads only the months asked), progress lines, and the run-failure report."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb
import polars as pl
import pytest

from pipelines.cli import execute_refresh, main
from pipelines.definitions import defs
from pipelines.defs.resources import WarehouseResource
from pipelines.defs.schedules import monthly_cron
from pipelines.lib.errors import ConfigurationError
from pipelines.lib.pseudonymise import KEY_ENV
from pipelines.lib.simulator.run import simulate
from pipelines.settings import resolve_paths

LONDON = ZoneInfo("Europe/London")
# The 16 extracts delivered every month; moj_proven_reoffending (quarterly, lagged) and manual inputs are not awaited.
MONTHLY_EXTRACTS = 16


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Wiltshire, 2024-01..2024-02, tiny volumes: every monthly extract of both months, with the truth."""
    out = tmp_path_factory.mktemp("ops") / "landing"
    simulate(["wiltshire"], "2024-01", "2024-02", out, seed=3, scale=0.05)
    return out


def evaluate_schedule(landing: Path, warehouse: Path, when: datetime):
    schedule = defs.resolve_schedule_def("monthly_refresh")
    resources = {"warehouse": WarehouseResource(sources_dir=str(landing), warehouse_dir=str(warehouse))}
    with dg.build_schedule_context(resources=resources, scheduled_execution_time=when) as context:
        return schedule.evaluate_tick(context)


def test_schedule_requests_the_month_just_closed_once_complete(landing: Path, tmp_path: Path) -> None:
    [request] = evaluate_schedule(landing, tmp_path, datetime(2024, 3, 10, 6, 0, tzinfo=LONDON)).run_requests
    assert request.run_key == "monthly-2024-02"
    assert (
        request.tags["dagster/asset_partition_range_start"]
        == request.tags["dagster/asset_partition_range_end"]
        == "2024-02-01"
    )


def test_schedule_skips_naming_the_missing_file(landing: Path, tmp_path: Path) -> None:
    crimes = landing / "police" / "crimes" / "police_crimes_2024-02.csv"
    shutil.move(crimes, tmp_path / crimes.name)
    try:
        result = evaluate_schedule(landing, tmp_path, datetime(2024, 3, 10, 6, 0, tzinfo=LONDON))
    finally:
        shutil.move(tmp_path / crimes.name, crimes)
    assert result.run_requests == []
    assert "2024-02: 1 monthly extract file(s)" in result.skip_message
    assert result.skip_message.endswith(": police/crimes/police_crimes_2024-02.csv")
    # Nothing landed for 2024-03 yet: every monthly extract is named, the irregular ones are not.
    april = evaluate_schedule(landing, tmp_path, datetime(2024, 4, 10, 6, 0, tzinfo=LONDON))
    assert f": {MONTHLY_EXTRACTS} monthly extract file(s)" in april.skip_message
    assert "police/live_caseload/police_live_caseload_2024-03.csv" in april.skip_message
    assert "moj" not in april.skip_message and "manual" not in april.skip_message


def test_schedule_day_and_time_are_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    assert monthly_cron() == "0 6 10 * *"
    assert defs.resolve_schedule_def("monthly_refresh").execution_timezone == "Europe/London"
    monkeypatch.setenv("CJS_SCHEDULE_DAY", "3")
    monkeypatch.setenv("CJS_SCHEDULE_TIME", "07:30")
    assert monthly_cron() == "30 7 3 * *"
    monkeypatch.setenv("CJS_SCHEDULE_DAY", "31")
    with pytest.raises(ConfigurationError, match="CJS_SCHEDULE_DAY='31'"):
        monthly_cron()


def _truth(landing: Path, measure_id: str) -> dict[date, float]:
    truth = pl.read_parquet(landing / "_truth" / "measure_values.parquet")
    rows = truth.filter((pl.col("measure_id") == measure_id) & (pl.col("period_type") == "month"))
    return dict(zip(rows["period_start"], rows["value"], strict=True))


def _state(warehouse: Path) -> dict:
    """The months raw holds, every agency extract's load-log entry by month (published statistics follow their own
    calendars), and the published total_victims by month."""
    with duckdb.connect(str(warehouse / "build" / "cjs_build.duckdb"), read_only=True) as connection:
        months = {
            r[0] for r in connection.execute("select distinct _reporting_month from raw.police_crimes").fetchall()
        }
        log = connection.execute(
            "select reporting_month, count(*) from audit.load_log where not starts_with(extract, 'public_') group by all"
        ).fetchall()
    with duckdb.connect(str(warehouse / "cjs_scorecard.duckdb"), read_only=True) as connection:
        victims = connection.execute(
            """select period_start, value from scorecard.measure_values where scorecard_id = 'wcjb'
               and measure_id = 'total_victims' and period_type = 'month' and value is not null"""
        ).fetchall()
    return {"raw_months": months, "load_log": dict(log), "total_victims": dict(victims)}


@pytest.fixture(scope="module")
def scheduled_then_backfilled(landing: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The schedule's request for 2024-02 executed for real, then `cjs-scorecard refresh --from 2024-01 --to 2024-01`
    (its terminal output kept)."""
    warehouse = tmp_path_factory.mktemp("ops_warehouse")
    [request] = evaluate_schedule(landing, warehouse, datetime(2024, 3, 10, 6, 0, tzinfo=LONDON)).run_requests
    instance = dg.DagsterInstance.ephemeral()
    execute_refresh(resolve_paths(landing, warehouse), dict(request.tags), instance)
    [run] = instance.get_runs()
    scheduled = _state(warehouse)
    terminal = io.StringIO()
    with contextlib.redirect_stderr(terminal):
        code = main(
            [
                "refresh",
                "--sources",
                str(landing),
                "--warehouse",
                str(warehouse),
                "--from",
                "2024-01",
                "--to",
                "2024-01",
            ]
        )
    return {
        "run": run,
        "scheduled": scheduled,
        "backfilled": _state(warehouse),
        "code": code,
        "terminal": terminal.getvalue(),
    }


@pytest.mark.slow
def test_the_scheduled_run_publishes_the_closed_month_only(scheduled_then_backfilled: dict, landing: Path) -> None:
    run, scheduled = scheduled_then_backfilled["run"], scheduled_then_backfilled["scheduled"]
    assert run.status == dg.DagsterRunStatus.SUCCESS and run.tags["cjs/trigger"] == "monthly_refresh"
    assert scheduled["raw_months"] == {"2024-02"}
    assert set(scheduled["load_log"]) == {"2024-02"}
    assert scheduled["total_victims"] == {date(2024, 2, 1): _truth(landing, "total_victims")[date(2024, 2, 1)]}


@pytest.mark.slow
def test_backfill_loads_only_the_months_asked(scheduled_then_backfilled: dict, landing: Path) -> None:
    scheduled, backfilled = scheduled_then_backfilled["scheduled"], scheduled_then_backfilled["backfilled"]
    assert scheduled_then_backfilled["code"] == 0
    assert backfilled["raw_months"] == {"2024-01", "2024-02"}
    # 2024-02 was not read again: its load-log entries are those of the scheduled run.
    assert backfilled["load_log"]["2024-02"] == scheduled["load_log"]["2024-02"]
    assert backfilled["load_log"]["2024-01"] == MONTHLY_EXTRACTS
    assert backfilled["total_victims"] == _truth(landing, "total_victims")


@pytest.mark.slow
def test_backfill_prints_progress_per_asset_and_month(scheduled_then_backfilled: dict) -> None:
    lines = scheduled_then_backfilled["terminal"].splitlines()
    progress = [line for line in lines if re.fullmatch(r"\[\d+/\d+\] \S+( \d{4}-\d{2})? ok( \(\d+\.\d s\))?", line)]
    assert any(re.match(r"\[\d+/\d+\] raw/police_crimes 2024-01 ok", line) for line in progress)
    assert any(" scorecard/measure_values ok" in line for line in progress)
    # each file as the ingest asset loads it, before the asset's materialisation
    assert re.search(
        r"^    raw/police_crimes 2024-01: police_crimes_2024-01\.csv loaded, [\d,]+ rows, 0 rejected \(\d+\.\d s\)$",
        scheduled_then_backfilled["terminal"],
        re.MULTILINE,
    )
    assert not any("2024-02" in line for line in progress)
    # Every asset once, January for the partitioned ones: as many lines as the total announced, and the run's end;
    # then the files the run did not load (the simulated MoJ releases, with no quarter closed in two months, have no
    # rows: refused, and named, since a refresh says what it did not load).
    end = next(index for index, line in enumerate(lines) if line.startswith("refresh done: "))
    assert len(progress) > 50 and lines[end].startswith(f"refresh done: {len(progress)}/{len(progress)} assets in ")
    assert lines[end + 1].startswith("2 file(s) refused and 0 ignored in the landing zone (every file's outcome")
    assert [re.sub(r" \S+/public/", " .../", line) for line in lines[end + 2 :]] == [
        "  refused .../moj_court_timeliness/court_timeliness.csv: the file has a header but no data rows",
        "  refused .../moj_trial_effectiveness/trial_effectiveness.csv: the file has a header but no data rows",
    ]
    assert "dbt" not in " ".join(progress)  # dbt's own output goes to the log file, not the terminal


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2024-1", "2024-02", "YYYY-MM"),
        ("2024-02", "2024-01", "runs backwards"),
        ("2023-05", "2023-06", "no agency extract files for 2023-05..2023-06"),
    ],
)
def test_backfill_range_errors(
    landing: Path, tmp_path: Path, first: str, last: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["refresh", "--sources", str(landing), "--warehouse", str(tmp_path), "--from", first, "--to", last]) == 2
    )
    assert message in capsys.readouterr().err


def test_a_failed_run_is_reported_to_the_log_and_the_command(
    landing: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real refresh run that fails (no pseudonymisation key inside the run), then the failure sensor over it."""
    instance = dg.DagsterInstance.ephemeral()
    tags = {"dagster/asset_partition_range_start": "2024-02-01", "dagster/asset_partition_range_end": "2024-02-01"}
    with monkeypatch.context() as no_key:
        no_key.delenv(KEY_ENV)
        with pytest.raises(Exception, match=KEY_ENV):
            execute_refresh(resolve_paths(landing, tmp_path / "warehouse"), tags, instance)
    [run] = instance.get_runs()
    assert run.status == dg.DagsterRunStatus.FAILURE
    [failure] = instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.RUN_FAILURE).records

    log, mailed = tmp_path / "alerts" / "failures.log", tmp_path / "mailed.txt"
    monkeypatch.setenv("CJS_FAILURE_LOG", str(log))
    monkeypatch.setenv("CJS_FAILURE_COMMAND", f"cat > {mailed}")
    sensor = defs.resolve_sensor_def("run_failure_report")
    context = dg.build_run_status_sensor_context(
        sensor_name=sensor.name,
        dagster_instance=instance,
        dagster_run=run,
        dagster_event=failure.event_log_entry.dagster_event,
        resources={"warehouse": WarehouseResource(sources_dir=str(landing), warehouse_dir=str(tmp_path / "warehouse"))},
    ).for_run_failure()
    sensor(context)

    summary = log.read_text()
    assert mailed.read_text() + "\n" == summary
    assert f"run id: {run.run_id}" in summary and "job: refresh" in summary and "months: 2024-02..2024-02" in summary
    # The in-process run stops at its first failed step: the first ingest asset, which needs the key.
    assert (
        summary.count("failed step: ") == 1
        and "failed step: raw__cps_finalisations (assets: raw/cps_finalisations)" in summary
    )
    assert f"    pipelines.lib.errors.ConfigurationError: {KEY_ENV} is not set" in summary
    assert "cjs-scorecard refresh --from 2024-02 --to 2024-02" in summary


def test_board_demo_simulates_the_forces_its_configuration_names(tmp_path: Path) -> None:
    from pipelines.cli import ensure_sample
    from pipelines.lib.board_demo import board_simulation

    simulation = board_simulation("durham_cleveland", scale=0.02)
    assert simulation["areas"] == [
        "durham",
        "cleveland",
    ]  # scorecard_definitions/durham_cleveland: E23000008, E23000013
    sample = ensure_sample(tmp_path / "sample", {**simulation, "start": "2024-01", "end": "2024-01"})
    forces = (
        pl.read_csv(sample / "police" / "crimes" / "police_crimes_2024-01.csv", infer_schema=False)["Force"]
        .unique()
        .sort()
    )
    assert forces.to_list() == ["Cleveland", "Durham"]
    with pytest.raises(ConfigurationError, match="no board 'nowhere'"):
        board_simulation("nowhere")


def test_summary_shows_each_measure_for_every_area_of_a_board(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hand-made published file: two forces and their board; the summary lists each measure for all three."""
    from pipelines.cli import _print_summary

    published = tmp_path / "published.duckdb"
    with duckdb.connect(str(published)) as connection:
        connection.execute("create schema scorecard")
        connection.execute(
            """create table scorecard.measures as select * from (values
               ('durham_cleveland', 'mc_receipts', 'Receipts', 1, 1), ('durham_cleveland', 'mc_disposals', 'Disposals', 1, 2))
               t(scorecard_id, measure_id, title, section_order, measure_order)"""
        )
        connection.execute(
            """create table scorecard.measure_values as select scorecard_id, measure_id, area_code, area_name, 'month' as period_type,
               cast(period_start as date) as period_start, value, 'count' as unit, status from (values
               ('durham_cleveland', 'mc_disposals', 'durham_cleveland', 'Durham and Cleveland LCJB', '2025-03-01', 30.0, 'ok'),
               ('durham_cleveland', 'mc_disposals', 'E23000013', 'Cleveland', '2025-03-01', 18.0, 'ok'),
               ('durham_cleveland', 'mc_disposals', 'E23000008', 'Durham', '2025-03-01', 12.0, 'ok'),
               ('durham_cleveland', 'mc_receipts', 'E23000008', 'Durham', '2025-03-01', null, 'suppressed'),
               ('durham_cleveland', 'mc_receipts', 'E23000008', 'Durham', '2025-02-01', 40.0, 'ok'))
               t(scorecard_id, measure_id, area_code, area_name, period_start, value, status)"""
        )
    _print_summary(published, "durham_cleveland")
    lines = capsys.readouterr().out.splitlines()
    start = lines.index("Latest figures (DURHAM_CLEVELAND):")
    assert lines[start + 1 : start + 4] == [
        "  Disposals | Cleveland | 2025-03 | 18",
        "  Disposals | Durham | 2025-03 | 12",
        "  Disposals | Durham and Cleveland LCJB | 2025-03 | 30",
    ]
    assert "  4 ok, 1 suppressed" in lines
