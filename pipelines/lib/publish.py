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

# Published table -> the build database table it is copied from. The published figures are the disclosure-controlled
# copy; the unsuppressed scorecard.measure_values stays in the build database.
PUBLISHED_TABLES: dict[str, str] = {
    "scorecard.measure_values": "scorecard.measure_values_disclosed",
    "scorecard.measure_breakdowns": "scorecard.measure_breakdowns_disclosed",
    "scorecard.measures": "scorecard.measures",
}
FIGURE_KEY = ["scorecard_id", "measure_id", "area_code", "period_type", "period_start"]


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


def _copy_with_revisions(connection: duckdb.DuckDBPyConnection, source: str, has_previous: bool, publication_id: str,
                         published_at: datetime) -> None:
    """Publish the figures with a revision number; a figure a later extract changed keeps its old value in history.

    Revision 0 is a figure's first published value; each publication that changes a published value adds one and
    moves the superseded row to scorecard.measure_value_history (kept from publication to publication).
    """
    key = " and ".join(f"figures.{c} = previous.{c}" for c in FIGURE_KEY)
    changed = "previous.value is not null and figures.value is distinct from previous.value"
    if not has_previous:
        connection.execute(
            f"""create table published.scorecard.measure_values as
                select figures.*, 0 as revision, cast(? as timestamp) as revised_at from {source} as figures""",
            [published_at],
        )
        connection.execute(
            """create table published.scorecard.measure_value_history as
               select *, cast(null as varchar) as superseded_by, cast(null as timestamp) as superseded_at
               from published.scorecard.measure_values where false"""
        )
        return
    connection.execute(
        f"""create table published.scorecard.measure_values as
            select
                figures.*,
                case when previous.revision is null then 0 when {changed} then previous.revision + 1
                    else previous.revision end as revision,
                case when previous.revised_at is null or {changed} then cast(? as timestamp)
                    else previous.revised_at end as revised_at
            from {source} as figures
            left join previous.scorecard.measure_values as previous on {key}""",
        [published_at],
    )
    connection.execute(
        f"""create table published.scorecard.measure_value_history as
            select * from previous.scorecard.measure_value_history
            union all by name
            select previous.*, ? as superseded_by, cast(? as timestamp) as superseded_at
            from previous.scorecard.measure_values as previous
            inner join {source} as figures on {key}
            where {changed}""",
        [publication_id, published_at],
    )


def _previous_publication_has_revisions(path: Path) -> bool:
    """A previous publication to carry revisions from (files published before revisions existed start afresh)."""
    if not path.exists():
        return False
    with duckdb.connect(str(path), read_only=True) as connection:
        tables = {
            f"{schema}.{name}"
            for schema, name in connection.execute(
                "select table_schema, table_name from information_schema.tables where table_catalog = current_database()"
            ).fetchall()
        }
        columns = {r[0] for r in connection.execute("select column_name from information_schema.columns "
                                                    "where table_schema = 'scorecard' and table_name = 'measure_values'").fetchall()}
    return "scorecard.measure_value_history" in tables and "revision" in columns


def _create_section_views(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """One wide view per scorecard section (a column per measure), for BI tools that want a scorecard page as a grid."""
    sections = connection.execute(
        """select scorecard_id, section_id, list(measure_id order by measure_order)
           from published.scorecard.measures group by all order by all"""
    ).fetchall()
    views = []
    connection.execute("use published")  # the views' SQL must not name the catalog: readers attach the file by any name
    for scorecard_id, section_id, measure_ids in sections:
        name = f"{scorecard_id}__{section_id}"
        columns = ",\n".join(f"    max(value) filter (where measure_id = '{m}') as \"{m}\"" for m in measure_ids)
        connection.execute(
            f"""create view scorecard.\"{name}\" as
                select area_code, area_name, period_type, period_start, period_end,
                {columns}
                from scorecard.measure_values
                where scorecard_id = '{scorecard_id}' and section_id = '{section_id}'
                group by all"""
        )
        views.append(f"scorecard.{name}")
    connection.execute("use memory")
    return views


def publish(build_db: Path, published_db: Path, tables: dict[str, str] = PUBLISHED_TABLES) -> Publication:
    """Write the listed tables (and a publication record) to a new file readable by DuckDB 1.4, then rename it in."""
    published_db.parent.mkdir(parents=True, exist_ok=True)
    publication_id = str(uuid.uuid4())
    published_at = datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)
    staging_file = published_db.with_name(f".{published_db.name}.{publication_id}.tmp")
    row_counts: dict[str, int] = {}
    connection = duckdb.connect()
    try:
        has_previous = _previous_publication_has_revisions(published_db)
        connection.execute(f"attach {_quoted(build_db)} as build (read_only)")
        if has_previous:
            connection.execute(f"attach {_quoted(published_db)} as previous (read_only)")
        connection.execute(f"attach {_quoted(staging_file)} as published (storage_version '{PUBLISHED_STORAGE_VERSION}')")
        for schema in sorted({name.split(".")[0] for name in tables}):
            connection.execute(f"create schema published.{schema}")
        for name, source in tables.items():
            if name == "scorecard.measure_values":
                _copy_with_revisions(connection, f"build.{source}", has_previous, publication_id, published_at)
            else:
                connection.execute(f"create table published.{name} as select * from build.{source}")
        for name in [*tables, "scorecard.measure_value_history"]:
            row_counts[name] = connection.execute(f"select count(*) from published.{name}").fetchall()[0][0]
        _create_section_views(connection)
        if has_previous:
            connection.execute("detach previous")
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
