"""Where the product reads and writes, resolved once to absolute paths.

Every path the pipeline uses comes from here, so dbt, Dagster, the CLI and BI tools agree on the same files whatever
folder they are started from (relative paths break when a BI tool or dbt runs elsewhere).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pipelines.lib.errors import ConfigurationError

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
SCORECARD_DEFINITIONS_DIR = REPO_ROOT / "scorecard_definitions"
DEFINITIONS_ENV = "CJS_DEFINITIONS_DIR"
SAMPLE_SOURCES_DIR = REPO_ROOT / "sources" / "sample"
# The demo's sample: Wiltshire over 24 reporting months, simulated on first use (about 50 MB; not committed).
SAMPLE_SCALE = 1.0
SAMPLE_SIMULATION = {"areas": ["wiltshire"], "start": "2023-04", "end": "2025-03", "seed": 42, "scale": SAMPLE_SCALE}

SOURCES_ENV = "CJS_SOURCES_DIR"
WAREHOUSE_ENV = "CJS_WAREHOUSE_DIR"
BUILD_DB_ENV = "CJS_BUILD_DB"
FIRST_MONTH_ENV = "CJS_FIRST_MONTH"
# The earliest reporting month the monthly partitions offer; earlier extracts need CJS_FIRST_MONTH set before loading.
DEFAULT_FIRST_MONTH = "2018-01"
MAX_MONTH_GAP_ENV = "CJS_MAX_MONTH_GAP"
# An agency file more than this many months before the rest of the landing zone is taken for a misnamed one.
DEFAULT_MAX_MONTH_GAP = 12

# DuckDB's memory limit and threads, for dbt (profiles.yml reads the same variables) and every Python connection.
MEMORY_LIMIT_ENV = "CJS_DUCKDB_MEMORY_LIMIT"
THREADS_ENV = "CJS_DUCKDB_THREADS"
DEFAULT_MEMORY_LIMIT = "8GB"
DEFAULT_THREADS = "2"

# The monthly refresh's day (1-28, so every month has it); publications name the next one as their next update.
SCHEDULE_DAY_ENV = "CJS_SCHEDULE_DAY"
# The 10th: most agencies have delivered the previous month by then (police and CPS within 5 working days).
DEFAULT_SCHEDULE_DAY = "10"
# Who readers of the board pack and the workbook contact about the figures (free text: team, e-mail, telephone).
CONTACT_ENV = "CJS_CONTACT"

PUBLISHED_FILE_NAME = "cjs_scorecard.duckdb"
BUILD_FILE_NAME = "cjs_build.duckdb"
# BI connectors (Metabase, Evidence, ODBC drivers) bundle DuckDB 1.4: the published file must stay readable by them.
PUBLISHED_STORAGE_VERSION = "v1.4.0"


@dataclass(frozen=True)
class WarehousePaths:
    """The landing zone and the two DuckDB files: the private build database and the published one."""

    sources_dir: Path
    warehouse_dir: Path

    @property
    def build_db(self) -> Path:
        """Pseudonymised but unsuppressed data: raw, staging, intermediate, marts. Never given to BI users."""
        return self.warehouse_dir / "build" / BUILD_FILE_NAME

    @property
    def published_db(self) -> Path:
        """The file BI tools open read-only; replaced atomically by each successful refresh."""
        return self.warehouse_dir / PUBLISHED_FILE_NAME


def definitions_dir() -> Path:
    """The scorecard definitions: CJS_DEFINITIONS_DIR (a board's own folder), else the repository's."""
    return Path(os.environ.get(DEFINITIONS_ENV) or SCORECARD_DEFINITIONS_DIR).expanduser().resolve()


def first_month() -> str:
    """The first reporting month (YYYY-MM) of the monthly partitions."""
    return os.environ.get(FIRST_MONTH_ENV) or DEFAULT_FIRST_MONTH


def max_month_gap() -> int:
    """How many months an agency file may precede the rest of the landing zone before it is refused as misnamed."""
    text = os.environ.get(MAX_MONTH_GAP_ENV) or str(DEFAULT_MAX_MONTH_GAP)
    if not text.isdigit():
        raise ConfigurationError(f"{MAX_MONTH_GAP_ENV}={text!r}: a whole number of months, e.g. 12")
    return int(text)


def schedule_day() -> int:
    """The day of the month the monthly refresh runs (CJS_SCHEDULE_DAY, 1-28)."""
    day = os.environ.get(SCHEDULE_DAY_ENV) or DEFAULT_SCHEDULE_DAY
    if not (day.isdigit() and 1 <= int(day) <= 28):
        raise ConfigurationError(f"{SCHEDULE_DAY_ENV}={day!r}: a day of the month from 1 to 28 (every month has it)")
    return int(day)


def contact() -> str:
    """Who to contact about the figures (CJS_CONTACT), printed on the board pack's first page and the workbook's cover."""
    return (os.environ.get(CONTACT_ENV) or "").strip()


# The value types duckdb.connect(config=...) accepts; its parameter is a dict, so the value type must be spelled out.
DuckDBConfig = dict[str, str | bool | int | float | list[str]]


def duckdb_config() -> DuckDBConfig:
    """Settings for every DuckDB connection the pipeline opens: without a memory limit DuckDB takes 80% of the
    machine's memory and a thread per core, which a national refresh on a shared 2-core machine must not."""
    return {
        "memory_limit": os.environ.get(MEMORY_LIMIT_ENV) or DEFAULT_MEMORY_LIMIT,
        "threads": os.environ.get(THREADS_ENV) or DEFAULT_THREADS,
    }


def resolve_paths(sources_dir: str | Path | None = None, warehouse_dir: str | Path | None = None) -> WarehousePaths:
    """Explicit argument, then environment variable, then the repository default; always absolute."""
    sources = sources_dir or os.environ.get(SOURCES_ENV) or REPO_ROOT / "sources"
    warehouse = warehouse_dir or os.environ.get(WAREHOUSE_ENV) or REPO_ROOT / "warehouse"
    return WarehousePaths(Path(sources).expanduser().resolve(), Path(warehouse).expanduser().resolve())
