"""The failed-run summary names what failed and how to rerun, and never carries the key or personal-looking values."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pipelines.lib.failure_report import FailedRun, FailedStep, deliver, format_summary

KEY = "a-long-pseudonymisation-secret-42"
ERROR = (
    f"ConstraintException: duplicate key 'Aled Fakeperson' born 03/04/1990 (PNC 90/123456A) hashed with {KEY}\n"
    "second line\nthird line\nfourth line: not shown"
)


def run() -> FailedRun:
    return FailedRun(
        job="refresh",
        run_id="abc-123",
        failed_at=datetime(2024, 3, 10, 6, 4, 5, tzinfo=ZoneInfo("Europe/London")),
        first_month="2024-02",
        last_month="2024-02",
        trigger="monthly_refresh",
        steps=[FailedStep("raw__police_precharge", ["raw/police_precharge"], ERROR)],
    )


def test_summary_names_the_failure_and_the_rerun() -> None:
    assert format_summary(run(), [KEY]).splitlines() == [
        "cjs-scorecard: run FAILED at 2024-03-10 06:04:05 GMT",
        "  job: refresh   run id: abc-123   months: 2024-02..2024-02   started by: monthly_refresh",
        "  failed step: raw__police_precharge (assets: raw/police_precharge)",
        "    ConstraintException: duplicate key [withheld] born [withheld] (PNC [withheld]) hashed with [withheld]",
        "    second line",
        "    third line",
        "  rerun: in the UI, Runs -> abc-123 -> Re-execute -> From failure; or `cjs-scorecard refresh --from 2024-02 --to 2024-02`",
    ]


def test_delivery_appends_to_the_log_and_pipes_to_the_command(tmp_path: Path) -> None:
    log, piped = tmp_path / "logs" / "failures.log", tmp_path / "piped.txt"
    assert deliver("first\n", log, None) is None
    assert deliver("second\n", log, f"cat > {piped}") is None
    assert log.read_text() == "first\n\nsecond\n\n" and piped.read_text() == "second\n"
    assert "exited 3" in deliver("third\n", None, "exit 3")
