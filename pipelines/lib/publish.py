"""Copy the published tables from the build database into a new DuckDB file and swap it in atomically.

BI tools hold the published file open read-only. Writing it in place would lock them out (DuckDB allows one writer
and no concurrent readers across processes) and could show a half-built warehouse, so a new file is written beside
it, flushed, and renamed over the old one: a reader sees the old publication or the new one, never a mixture.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from pipelines.settings import PUBLISHED_STORAGE_VERSION

PUBLISHED_TABLES: dict[str, list[str]] = {"scorecard": ["measure_values", "measures"]}


@dataclass(frozen=True)
class Publication:
    publication_id: str
    published_at: datetime
    path: Path
    row_counts: dict[str, int]


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def publish(build_db: Path, published_db: Path, tables: dict[str, list[str]] = PUBLISHED_TABLES) -> Publication:
    """Write the listed tables (and a publication record) to a new file readable by DuckDB 1.4, then rename it in."""
    published_db.parent.mkdir(parents=True, exist_ok=True)
    publication_id = str(uuid.uuid4())
    published_at = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    staging_file = published_db.with_name(f".{published_db.name}.{publication_id}.tmp")
    row_counts: dict[str, int] = {}
    connection = duckdb.connect()
    try:
        connection.execute(f"attach {_quoted(build_db)} as build (read_only)")
        connection.execute(f"attach {_quoted(staging_file)} as published (storage_version '{PUBLISHED_STORAGE_VERSION}')")
        for schema, names in tables.items():
            connection.execute(f"create schema published.{schema}")
            for name in names:
                connection.execute(f"create table published.{schema}.{name} as select * from build.{schema}.{name}")
                row_counts[f"{schema}.{name}"] = connection.execute(f"select count(*) from published.{schema}.{name}").fetchall()[0][0]
        connection.execute(
            "create table published.scorecard.publication as select ? as publication_id, ? as published_at",
            [publication_id, published_at],
        )
        connection.execute("checkpoint published")
        connection.execute("detach published")
    except BaseException:
        connection.close()
        staging_file.unlink(missing_ok=True)
        raise
    connection.close()
    _fsync(staging_file)
    os.replace(staging_file, published_db)
    _fsync(published_db.parent)
    return Publication(publication_id, published_at, published_db, row_counts)
