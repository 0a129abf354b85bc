"""What the landing zone holds: which extract files, for which reporting months."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl

from pipelines.lib.errors import ConfigurationError
from pipelines.lib.source_spec import SourceSpec, load_specs


def extract_files(sources_dir: Path, specs: dict[str, SourceSpec] | None = None) -> list[tuple[SourceSpec, Path]]:
    """Every file in an extract's landing folder (named as the spec says or not), with its spec."""
    found = []
    for spec in (specs or load_specs()).values():
        found += [(spec, path) for path in spec.landing_files(sources_dir)]
    return found


def months_present(sources_dir: Path) -> list[str]:
    """The reporting months (YYYY-MM) that at least one correctly named extract file carries, in order."""
    return sorted({month for spec, path in extract_files(sources_dir) if (month := spec.reporting_month(path))})


def expected_file(spec: SourceSpec, month: str) -> Path:
    """Where the landing zone should hold `spec`'s file for `month`, relative to it (e.g. police/crimes/police_crimes_2024-01.csv)."""
    return spec.landing_subdir / spec.file_pattern.replace("{month}", month)


def missing_monthly_files(sources_dir: Path, month: str, specs: dict[str, SourceSpec] | None = None) -> list[Path]:
    """The files of the extracts delivered every month (spec `cadence: monthly`) that have not landed for `month`.

    Irregular extracts (a lagged cohort, manual inputs) are never awaited: a month without one is normal; nor are
    published statistics (police.uk, CPS, MoJ), which follow their publishers' release calendars, not the board's.
    """
    monthly = [spec for spec in (specs or load_specs()).values() if spec.cadence == "monthly" and spec.publisher == "agency"]
    return [expected_file(spec, month) for spec in monthly if not (sources_dir / expected_file(spec, month)).is_file()]


def months_between(first: str, last: str) -> list[str]:
    """Every reporting month from `first` to `last` (YYYY-MM, inclusive); a clear error for a bad or reversed range."""
    if not all(re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month) for month in (first, last)):
        raise ConfigurationError(f"months are written YYYY-MM (e.g. 2024-01): got {first!r} and {last!r}")
    start, end = (date.fromisoformat(f"{month}-01") for month in (first, last))
    if start > end:
        raise ConfigurationError(f"the range {first}..{last} runs backwards: the first month must not follow the last")
    return pl.date_range(start, end, interval="1mo", eager=True).dt.strftime("%Y-%m").to_list()
