"""Copy the published tables from the build database into a new DuckDB file and swap it in atomically.

BI tools hold the published file open read-only. Writing it in place would lock them out (DuckDB allows one writer
and no concurrent readers across processes) and could show a half-built warehouse, so a new file is written beside
it, flushed, and renamed over the old one: a reader sees the old publication or the new one, never a mixture.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

from pipelines.lib.errors import ConfigurationError
from pipelines.lib.publication_files import discard, stage_publication_files
from pipelines.lib.quality_gates import GateReport, PublicationBlocked, run_quality_gates
from pipelines.settings import PUBLISHED_STORAGE_VERSION, contact, duckdb_config, schedule_day

# Published table -> the build database table it is copied from. The published figures are the disclosure-controlled
# copy; the unsuppressed scorecard.measure_values stays in the build database.
PUBLISHED_TABLES: dict[str, str] = {
    "scorecard.measure_values": "scorecard.measure_values_disclosed",
    "scorecard.measure_breakdowns": "scorecard.measure_breakdowns_disclosed",
    "scorecard.measures": "scorecard.measures",
    "scorecard.external_accuracy": "reconcile.external_accuracy_disclosed",  # our figures against the agencies' publications
    # The reconciliation marts: volumes per force area and month (flows, stocks, the stock-flow identity, the CPS
    # Area apportionment, crimes per defendant-case, linkage match rates) with no breakdown by any person's attribute.
    **{
        f"reconcile.{mart}": f"reconcile.{mart}"
        for mart in [
            "reconcile_flows_by_area_month",
            "reconcile_stocks_by_area_month",
            "reconcile_stock_flow_identity",
            "reconcile_cps_area_apportioned",
            "reconcile_crime_defendant_conversion",
            "linkage_match_rates",
        ]
    },
}
# Every table of a publication, as BI tools see it.
PUBLISHED_NAMES = [*PUBLISHED_TABLES, "scorecard.measure_value_history"]
FIGURE_KEY = ["scorecard_id", "measure_id", "area_code", "period_type", "period_start"]
# Columns the publication itself adds (the build database's dbt docs describe the rest).
PUBLICATION_COLUMN_COMMENTS = {
    "revision": "0 for a figure's first published value; one more each time a later delivery changed it.",
    "revised_at": "When this value was first published.",
    "superseded_by": "The publication (scorecard.publication) that replaced this value.",
    "superseded_at": "When it was replaced.",
}
# The history shares measure_values' columns and their comments, but not its table comment (which calls it "the
# figures BI users see": the history holds the values they no longer see).
HISTORY_COMMENT = (
    "Every published figure that a later delivery revised, with the value it had: the row of scorecard.measure_values "
    "as it was, the publication that replaced it (superseded_by) and when (superseded_at). Carried from publication "
    "to publication; scorecard.measure_values holds each figure's current value and its revision number."
)
VERSIONS_FOLDER = "versions"
KEEP_ENV = "CJS_KEEP_PUBLICATIONS"
DEFAULT_KEEP = 5


@dataclass(frozen=True)
class Publication:
    publication_id: str
    published_at: datetime
    path: Path
    row_counts: dict[str, int]
    gate_report: GateReport | None = None


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _copy_with_revisions(
    connection: duckdb.DuckDBPyConnection, source: str, has_previous: bool, publication_id: str, published_at: datetime
) -> None:
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
        columns = {
            r[0]
            for r in connection.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'scorecard' and table_name = 'measure_values'"
            ).fetchall()
        }
    return "scorecard.measure_value_history" in tables and "revision" in columns


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _copy_comments(connection: duckdb.DuckDBPyConnection, tables: dict[str, str]) -> None:
    """Tables and columns carry their dbt documentation (persisted in the build database) into the published file."""
    for name, source in tables.items():
        source_schema, source_table = source.split(".")
        rows = connection.execute(
            "select comment from duckdb_tables() where database_name = 'build' and schema_name = ? and table_name = ?",
            [source_schema, source_table],
        ).fetchall()
        if rows and rows[0][0]:
            connection.execute(f"comment on table published.{name} is {_sql_text(rows[0][0])}")
        columns = dict(
            connection.execute(
                "select column_name, comment from duckdb_columns() "
                "where database_name = 'build' and schema_name = ? and table_name = ? and comment is not null",
                [source_schema, source_table],
            ).fetchall()
        )
        columns |= PUBLICATION_COLUMN_COMMENTS
        published = {
            r[0]
            for r in connection.execute(
                "select column_name from duckdb_columns() where database_name = 'published' and schema_name = ? "
                "and table_name = ?",
                name.split("."),
            ).fetchall()
        }
        for column in sorted(published & columns.keys()):
            connection.execute(f'comment on column published.{name}."{column}" is {_sql_text(columns[column])}')


def _create_section_views(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """One wide view per scorecard section, for BI tools that want a scorecard page as a grid: per measure its value
    and, beside it, its status and unit (`<measure>__status`, `<measure>__unit`), so a withheld figure, a missing one
    and a zero never look alike in the grid either."""
    sections = connection.execute(
        """select scorecard_id, section_id, list(measure_id order by measure_order)
           from published.scorecard.measures group by all order by all"""
    ).fetchall()
    views = []
    connection.execute("use published")  # the views' SQL must not name the catalog: readers attach the file by any name
    for scorecard_id, section_id, measure_ids in sections:
        name = f"{scorecard_id}__{section_id}"
        columns = ",\n".join(
            f"    max({column}) filter (where measure_id = '{m}') as \"{m}{suffix}\""
            for m in measure_ids
            for column, suffix in [("value", ""), ("status", "__status"), ("unit", "__unit")]
        )
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


LATEST_FIGURES_COMMENT = (
    "The latest figure of every scorecard, measure, area and period type, one row each, for the common question "
    "(what is the latest figure?): the latest period with a figure or a withheld one, else (a measure no extract yet "
    "holds) the latest period, not available. status and reason sit beside value, so a withheld figure (status "
    "suppressed), a missing one (not_available) and a zero never look alike; period names the period as the board "
    "pack does; period_end selects a period of any type."
)


def _create_latest_figures_view(connection: duckdb.DuckDBPyConnection) -> None:
    """scorecard.latest_figures: a long view (one figure per row) over scorecard.measure_values and the catalogue."""
    connection.execute("use published")  # as the section views: no catalog name in the view's SQL
    connection.execute(
        """create view scorecard.latest_figures as
           select
               figures.scorecard_id, measures.scorecard_title, measures.section_title, figures.measure_id,
               measures.title, figures.area_code, figures.area_name, figures.period_type,
               case figures.period_type
                   when 'month' then strftime(figures.period_start, '%b %Y')
                   when 'quarter' then (case when figures.counting_basis = 'cohort' then 'cohort of ' else '' end)
                       || strftime(figures.period_start, '%b') || '-' || strftime(figures.period_end, '%b %Y')
                   else '12 months to ' || strftime(figures.period_end, '%b %Y')
               end as period,
               figures.period_start, figures.period_end, figures.value, figures.unit, figures.status,
               figures.status_reason as reason, figures.ci_lower, figures.ci_upper, figures.base, figures.as_at,
               figures.revision
           from scorecard.measure_values as figures
           join scorecard.measures as measures using (scorecard_id, measure_id)
           qualify row_number() over (
               partition by figures.scorecard_id, figures.measure_id, figures.area_code, figures.period_type
               order by figures.status <> 'not_available' desc, figures.period_end desc
           ) = 1"""
    )
    connection.execute(f"comment on view scorecard.latest_figures is {_sql_text(LATEST_FIGURES_COMMENT)}")
    connection.execute("use memory")


def _remove_abandoned_staging(published_db: Path) -> None:
    """A publication killed before its rename leaves its staging file (and perhaps a WAL, the copy kept in versions/
    under its id, and its Parquet, workbooks and packs under temporary names) behind; none of it was ever published,
    so the next publication removes it."""
    for leftover in published_db.parent.glob(f".{published_db.name}.*.tmp*"):
        abandoned_id = leftover.name.removeprefix(f".{published_db.name}.").split(".tmp")[0]
        for kept in versions_dir(published_db).glob(f"*_{abandoned_id}.duckdb"):
            kept.unlink()
        leftover.unlink(missing_ok=True)
    discard(published_db)


def publish(build_db: Path, published_db: Path, tables: dict[str, str] = PUBLISHED_TABLES) -> Publication:
    """Write the listed tables (and a publication record) to a new file readable by DuckDB 1.4, check it, write its
    Parquet, workbooks and packs (pipelines/lib/publication_files.py), then rename them all in, the file last."""
    published_db.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_staging(published_db)
    publication_id = str(uuid.uuid4())
    published_at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    staging_file = published_db.with_name(f".{published_db.name}.{publication_id}.tmp")
    row_counts: dict[str, int] = {}
    connection = duckdb.connect(config=duckdb_config())
    try:
        has_previous = _previous_publication_has_revisions(published_db)
        connection.execute(f"attach {_quoted(build_db)} as build (read_only)")
        if has_previous:
            connection.execute(f"attach {_quoted(published_db)} as previous (read_only)")
        connection.execute(
            f"attach {_quoted(staging_file)} as published (storage_version '{PUBLISHED_STORAGE_VERSION}')"
        )
        for schema in sorted({name.split(".")[0] for name in tables}):
            connection.execute(f"create schema published.{schema}")
        for name, source in tables.items():
            if name == "scorecard.measure_values":
                _copy_with_revisions(connection, f"build.{source}", has_previous, publication_id, published_at)
            else:
                connection.execute(f"create table published.{name} as select * from build.{source}")
        for name in [*tables, "scorecard.measure_value_history"]:
            row_counts[name] = connection.execute(f"select count(*) from published.{name}").fetchall()[0][0]
        # history rows are published figures: they share measure_values' documentation
        _copy_comments(connection, {**tables, "scorecard.measure_value_history": tables["scorecard.measure_values"]})
        connection.execute(
            f"comment on table published.scorecard.measure_value_history is {_sql_text(HISTORY_COMMENT)}"
        )
        _create_section_views(connection)
        _create_latest_figures_view(connection)
        if has_previous:
            connection.execute("detach previous")
        # the row counts let a reader check it sees one whole publication (its counts match its own record); the
        # contact and next update are what the board pack's first page and the workbook's cover print
        connection.execute(
            "create table published.scorecard.publication as "
            "select ? as publication_id, ? as published_at, ? as row_counts, ? as contact, ? as next_update",
            [
                publication_id,
                published_at,
                json.dumps(row_counts, sort_keys=True),
                contact(),
                next_update(published_at.date()),
            ],
        )
        connection.execute("checkpoint published")
        connection.execute("detach published")
        gate_report = run_quality_gates(
            staging_file, build_db, published_db, [*tables, "scorecard.measure_value_history"]
        )
        if gate_report.blocking_failures:
            raise PublicationBlocked(gate_report)
        connection.close()
        _fsync(staging_file)
        files = stage_publication_files(staging_file, published_db, PUBLISHED_NAMES, publication_id)
    except BaseException:
        connection.close()
        staging_file.unlink(missing_ok=True)
        raise
    _keep_version(staging_file, published_db, publication_id)
    files.install()
    os.replace(staging_file, published_db)
    _fsync(published_db.parent)
    return Publication(publication_id, published_at, published_db, row_counts, gate_report)


def next_update(published_on: date) -> date:
    """The next publication's date: the monthly refresh's next day (CJS_SCHEDULE_DAY) after this one's."""
    this_month = published_on.replace(day=schedule_day())
    if this_month > published_on:
        return this_month
    return (this_month.replace(day=28) + timedelta(days=4)).replace(day=schedule_day())


def versions_dir(published_db: Path) -> Path:
    return published_db.parent / VERSIONS_FOLDER


def _keep_version(new_file: Path, published_db: Path, publication_id: str) -> None:
    """Keep a copy of every publication (the last CJS_KEEP_PUBLICATIONS, default 5) for rollback. A hard link where
    the file system allows: the published file is never written in place, so the link stays the same bytes."""
    folder = versions_dir(published_db)
    folder.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")  # sorts in publication order
    kept = folder / f"{stamp}_{publication_id}.duckdb"
    try:
        os.link(new_file, kept)
    except OSError:
        shutil.copyfile(new_file, kept)
    keep = int(os.environ.get(KEEP_ENV) or DEFAULT_KEEP)
    for old in sorted(folder.glob("*.duckdb"))[:-keep]:
        old.unlink()


def publication_versions(published_db: Path) -> list[Path]:
    """The kept publications, oldest first."""
    return sorted(versions_dir(published_db).glob("*.duckdb"))


def rollback(published_db: Path, publication_id: str | None = None) -> Path:
    """Put a kept publication back in place, atomically (default: the one before the current)."""
    versions = publication_versions(published_db)
    current = _publication_id(published_db) if published_db.exists() else None
    if publication_id:
        chosen = [v for v in versions if kept_publication_id(v) == publication_id.strip()]
    else:
        position = next((i for i, v in enumerate(versions) if kept_publication_id(v) == current), 0)
        chosen = versions[position - 1 : position] if position > 0 else []
    if not chosen:
        raise ConfigurationError(_nothing_to_roll_back_to(published_db, versions, publication_id, current))
    staging_file = published_db.with_name(f".{published_db.name}.rollback.tmp")
    shutil.copyfile(chosen[0], staging_file)
    _fsync(staging_file)
    try:
        files = stage_publication_files(staging_file, published_db, PUBLISHED_NAMES, "rollback")
    except BaseException:
        staging_file.unlink(missing_ok=True)
        raise
    files.install()
    os.replace(staging_file, published_db)
    _fsync(published_db.parent)
    return chosen[0]


def kept_publication_id(kept: Path) -> str:
    """The publication id of a kept file, `<time>_<publication id>.duckdb` (`_keep_version`)."""
    return kept.stem.split("_", 1)[-1]


def _nothing_to_roll_back_to(published_db: Path, versions: list[Path], wanted: str | None, current: str | None) -> str:
    """Why a rollback cannot go ahead, with what it could go to: the kept publications, each with when it was
    published and which is current, so the user can copy the id they meant."""
    folder = versions_dir(published_db)
    if not versions:
        return f"no kept publication in {folder}: nothing to roll back to (a refresh keeps each publication there)"
    kept = "; ".join(
        f"{kept_publication_id(v)} (published {datetime.strptime(v.stem.split('_', 1)[0], '%Y%m%dT%H%M%S%f'):%Y-%m-%d %H:%M} UTC"
        f"{', current' if kept_publication_id(v) == current else ''})"
        for v in versions
    )
    if wanted:
        return f"no kept publication '{wanted}' in {folder}; kept, oldest first: {kept}"
    return f"no kept publication before the current one ({current or 'none'}) in {folder}; kept, oldest first: {kept}"


def _publication_id(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute("select publication_id from scorecard.publication").fetchall()[0][0]
