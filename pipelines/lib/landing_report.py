"""Which files of the landing zone a refresh did not load, and why: the end of every refresh says so, so nothing is
lost quietly, and a refused delivery the monthly schedule waits for makes the command exit non-zero."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from pipelines.lib.errors import printable_path
from pipelines.lib.landing_zone import agency_months, met_by_refresh, survey
from pipelines.lib.source_spec import SourceSpec

LINES_SHOWN = 20


@dataclass(frozen=True)
class UnloadedFile:
    """A file of the landing zone whose latest outcome is refused or ignored, with the load log's message."""

    path: str
    spec: SourceSpec | None
    outcome: str
    message: str

    @property
    def awaited(self) -> bool:
        """A monthly agency extract refused: a delivery the schedule waits for is not what the warehouse holds."""
        return (
            self.outcome == "refused"
            and self.spec is not None
            and self.spec.publisher == "agency"
            and self.spec.cadence == "monthly"
        )


def unloaded_files(
    connection: duckdb.DuckDBPyConnection, sources_dir: Path, months: set[str] | None = None
) -> list[UnloadedFile]:
    """The files a refresh over `months` met whose latest load-log outcome is refused or ignored (audit.load_log must
    exist: a refresh's audit asset creates it)."""
    surveyed = survey(sources_dir)
    covered = agency_months(surveyed)
    files = {printable_path(f.path): f for f in surveyed if met_by_refresh(f, months, covered)}
    if not files:
        return []
    connection.register("landing_files", pl.DataFrame({"source_file": list(files)}, schema={"source_file": pl.String}))
    latest = connection.execute(
        """select source_file, outcome, message from audit.load_log join landing_files using (source_file)
           qualify row_number() over (partition by source_file order by loaded_at desc) = 1
           order by source_file"""
    ).fetchall()
    connection.unregister("landing_files")
    return [
        UnloadedFile(path, files[path].spec, outcome, message)
        for path, outcome, message in latest
        if outcome in ("refused", "ignored")
    ]


def summary_lines(unloaded: list[UnloadedFile]) -> list[str]:
    """The end of a refresh's output: how many files were refused and ignored, then each with its reason (the first
    LINES_SHOWN; audit.load_log has them all). Empty when every file met was loaded or unchanged."""
    if not unloaded:
        return []
    refused = sum(1 for u in unloaded if u.outcome == "refused")
    awaited = sum(1 for u in unloaded if u.awaited)
    lines = [
        f"{refused} file(s) refused and {len(unloaded) - refused} ignored in the landing zone"
        + (f"; {awaited} of them a monthly extract the schedule waits for" if awaited else "")
        + " (every file's outcome: audit.load_log in the build database):"
    ]
    lines += [f"  {u.outcome} {u.message}" for u in unloaded[:LINES_SHOWN]]
    if len(unloaded) > LINES_SHOWN:
        lines.append(f"  ... and {len(unloaded) - LINES_SHOWN} more")
    return lines
