"""Load extract files into the build database's raw layer: idempotent, revision-aware, nothing lost.

Per extract and reporting month, raw.<extract> holds the rows of the one delivery in force. The file in force (same
bytes, same place) changes nothing; a corrected file replaces its month if it is whole and plausible
(pipelines/lib/delivery_checks.py), and the rows it replaces move to raw_history.<extract>; a refused file leaves the
delivery in force untouched. Every file's fate is written to audit.load_log and every rejected row's reasons to
audit.quarantine, so an analyst can always say what happened.

A raw table built before its spec gained a column (a new column, or a person key) gets the column added, empty; the
deliveries it holds are logged as stale and read again from their files the next time they are loaded, since a derived
value (a person key over dropped names) cannot be computed from what the raw layer kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines.lib.delivery_checks import delivery_problem
from pipelines.lib.errors import ConfigurationError, ExtractError, printable_path
from pipelines.lib.extract_files import read_file_bytes
from pipelines.lib.extract_reader import ReadExtract, content_sha256, empty_rows, read_extract
from pipelines.lib.months import month_end
from pipelines.lib.pseudonymise import KEY_ENV, key_fingerprint
from pipelines.lib.source_spec import SourceSpec

LINEAGE_SCHEMA = {
    "_source_file": pl.String,
    "_file_sha256": pl.String,
    "_reporting_month": pl.String,
    "_as_at": pl.Date,
    "_loaded_at": pl.Datetime("us"),
}

AUDIT_DDL = [
    "create schema if not exists raw",
    "create schema if not exists raw_history",
    "create schema if not exists audit",
    """create table if not exists audit.load_log (
        extract varchar, reporting_month varchar, source_file varchar, file_sha256 varchar, file_modified_at timestamp,
        loaded_at timestamp, outcome varchar, rows_read bigint, rows_accepted bigint, rows_rejected bigint, message varchar)""",
    """create table if not exists audit.quarantine (
        extract varchar, reporting_month varchar, source_file varchar, file_sha256 varchar, line_number bigint,
        "column" varchar, "check" varchar, value varchar, loaded_at timestamp)""",
    "create table if not exists audit.pseudonym_key (fingerprint varchar, first_used_at timestamp)",
]


@dataclass(frozen=True)
class LoadOutcome:
    """What became of one file: loaded (the month's first delivery), replaced (the delivery in force), unchanged (it
    is the delivery in force), refused (it cannot be taken whole: the delivery in force stays) or ignored (no
    extract's delivery: unknown folder, misplaced, a name no spec knows). `message` says why."""

    path: Path
    reporting_month: str | None
    outcome: str
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    message: str = ""


def ensure_tables(connection: duckdb.DuckDBPyConnection, spec: SourceSpec) -> None:
    """Create the raw, history and audit tables for an extract if this is its first load; add columns the spec has
    gained since they were created."""
    for statement in AUDIT_DDL:
        connection.execute(statement)
    shape = with_lineage(empty_rows(spec), "", "", "", None, datetime.now())
    connection.register("shape", shape)
    connection.execute(f"create table if not exists raw.{spec.extract} as select * from shape limit 0")
    connection.execute(
        f"create table if not exists raw_history.{spec.extract} as "
        f"select *, cast(null as timestamp) as _replaced_at from shape limit 0"
    )
    wanted = [
        (name, column_type) for name, column_type, *_ in connection.execute("describe select * from shape").fetchall()
    ]
    connection.unregister("shape")
    added = []
    for table in (f"raw.{spec.extract}", f"raw_history.{spec.extract}"):
        present = {column[0] for column in connection.execute(f"select * from {table} limit 0").description}
        for name, column_type in wanted:
            if name not in present:
                connection.execute(f'alter table {table} add column "{name}" {column_type}')
                added.append(name)
    if added:
        _mark_stale(connection, spec, sorted(set(added)))


def _mark_stale(connection: duckdb.DuckDBPyConnection, spec: SourceSpec, added: list[str]) -> None:
    """Log every delivery in force as stale: its rows have the new columns empty until the file is read again."""
    connection.execute(
        f"""
        insert into audit.load_log
        select distinct ?, _reporting_month, _source_file, _file_sha256, null, ?, 'stale', 0, 0, 0, ?
        from raw.{spec.extract}
        """,
        [
            spec.extract,
            datetime.now(UTC).replace(tzinfo=None),
            f"the spec added column(s) {', '.join(added)}: empty here until this file is read again",
        ],
    )


def with_lineage(
    rows: pl.DataFrame, path: str, sha256: str, month: str | None, as_at: date | None, loaded_at: datetime
) -> pl.DataFrame:
    """The rows plus where each came from: file, its hash, line (already there), reporting month, as-at, load time
    (no month nor as-at for a file whose periods are in its rows)."""
    return rows.with_columns(
        pl.lit(path, dtype=pl.String).alias("_source_file"),
        pl.lit(sha256, dtype=pl.String).alias("_file_sha256"),
        pl.lit(month, dtype=pl.String).alias("_reporting_month"),
        pl.lit(as_at, dtype=pl.Date).alias("_as_at"),
        pl.lit(loaded_at, dtype=pl.Datetime("us")).alias("_loaded_at"),
    )


def _delivery(spec: SourceSpec, month: str | None, path: Path) -> tuple[str, list[object]]:
    """SQL condition (and parameters) for the raw rows a file replaces: its month's, or for a spec whose delivery is
    the file, those of the file of the same name in its month (a file whose periods are in its rows has no month)."""
    if spec.delivery == "file":
        return "_reporting_month is not distinct from ? and parse_filename(_source_file) = ?", [month, path.name]
    return "_reporting_month = ?", [month]


def _without_keys_loaded_elsewhere(
    connection: duckdb.DuckDBPyConnection, spec: SourceSpec, read: ReadExtract
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The accepted rows and the rejections, for an extract whose key is unique across months: rows whose key another
    delivery already holds move to the rejections (a re-sent key is counted once, from where it was first loaded)."""
    if spec.primary_key_scope != "extract":
        return read.rows, read.rejections
    keys = ", ".join(spec.primary_key)
    same_key = " and ".join(
        f"incoming_keys.{k} is not distinct from loaded.{k}" for k in spec.primary_key
    )  # empty == empty
    this_delivery, params = _delivery(spec, read.reporting_month, read.path)
    connection.register("incoming_keys", read.rows.select([*spec.primary_key, "_line_number"]))
    clashes = connection.sql(
        f"""
        select incoming_keys._line_number, loaded._source_file, loaded._reporting_month
        from incoming_keys
        join (select {keys}, _source_file, _reporting_month from raw.{spec.extract} where not ({this_delivery})) loaded
        on {same_key}
        """,
        params=params,
    ).pl()
    connection.unregister("incoming_keys")
    if not clashes.height:
        return read.rows, read.rejections
    rows = read.rows.filter(~pl.col("_line_number").is_in(clashes["_line_number"].implode()))
    return rows, pl.concat(
        [
            read.rejections,
            clashes.select(
                "_line_number",
                pl.lit(", ".join(c.header for c in spec.columns if c.name in spec.primary_key)).alias("column"),
                pl.format(
                    "duplicate primary key: already loaded from {} ({})",
                    "_source_file",
                    pl.col("_reporting_month").fill_null("periods in rows"),
                ).alias("check"),
                pl.lit(None, pl.String).alias("value"),
            ),
        ]
    )


def _modified_at(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
    except OSError:  # gone, unreadable or a dangling link: the log still says what happened to it
        return None


def _log(
    connection: duckdb.DuckDBPyConnection,
    extract: str | None,
    outcome: LoadOutcome,
    sha256: str | None,
    loaded_at: datetime,
) -> None:
    connection.execute(
        "insert into audit.load_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            extract,
            outcome.reporting_month,
            printable_path(outcome.path),
            sha256,
            _modified_at(outcome.path),
            loaded_at,
            outcome.outcome,
            outcome.rows_read,
            outcome.rows_accepted,
            outcome.rows_rejected,
            outcome.message,
        ],
    )


def record_unloaded(
    connection: duckdb.DuckDBPyConnection, extract: str | None, outcome: LoadOutcome, sha256: str | None = None
) -> LoadOutcome:
    """Write a file that was not loaded (refused, ignored, or back to the delivery in force) to the load log, once: a
    file met again in the same place with the same bytes, outcome and reason adds no row (the run that met it still
    reports it)."""
    for statement in AUDIT_DDL:
        connection.execute(statement)
    last = connection.execute(
        """select file_sha256, outcome, message from audit.load_log where extract is not distinct from ? and source_file = ?
           order by loaded_at desc limit 1""",
        [extract, printable_path(outcome.path)],
    ).fetchall()
    if last != [(sha256, outcome.outcome, outcome.message)]:
        _log(connection, extract, outcome, sha256, datetime.now(UTC).replace(tzinfo=None))
    return outcome


def _last_logged(connection: duckdb.DuckDBPyConnection, spec: SourceSpec, path: Path) -> tuple[str | None, str] | None:
    """The hash and outcome last logged for this extract's file in this place, if any."""
    # fetchall, not fetchone: DuckDB keeps a half-read result open and refuses the connection's next relation query.
    last = connection.execute(
        "select file_sha256, outcome from audit.load_log where extract = ? and source_file = ? order by loaded_at desc limit 1",
        [spec.extract, printable_path(path)],
    ).fetchall()
    return last[0] if last else None


def check_key(connection: duckdb.DuckDBPyConnection, key: bytes) -> None:
    """The build database's pseudonyms are all made with one key: the first load records its fingerprint, and a load
    with another key is stopped before it writes a row (its pseudonyms would not link with the others)."""
    recorded = connection.execute("select fingerprint from audit.pseudonym_key").fetchall()
    if not recorded:
        connection.execute(
            "insert into audit.pseudonym_key values (?, ?)",
            [key_fingerprint(key), datetime.now(UTC).replace(tzinfo=None)],
        )
    elif recorded != [(key_fingerprint(key),)]:
        raise ConfigurationError(
            f"{KEY_ENV} is not the key this build database's pseudonyms were made with: loading with it would "
            "silently break linkage across deliveries. Set the original key, or load into a new warehouse."
        )


def load_file(
    connection: duckdb.DuckDBPyConnection, spec: SourceSpec, path: Path, key: bytes, today: date | None = None
) -> LoadOutcome:
    """Load one delivery if it is whole and plausible, or leave everything as it was and say why.

    The file is read once: the bytes hashed are the bytes parsed. It is unchanged only if the delivery in force is
    this very file (same bytes, same place); a refusal is about a file in a place, so a refused file is read again
    at every refresh (it may have been corrected, or the checks around it may have changed) and logged once.
    """
    ensure_tables(connection, spec)
    check_key(connection, key)
    month = spec.reporting_month(path)
    try:
        content = read_file_bytes(path)
    except ExtractError as exc:
        return record_unloaded(connection, spec.extract, LoadOutcome(path, month, "refused", message=str(exc)))
    sha256 = content_sha256(content)
    this_delivery, params = _delivery(spec, month, path)
    in_force = connection.execute(
        f"select distinct _file_sha256, _source_file from raw.{spec.extract} where {this_delivery}", params
    ).fetchall()
    last = _last_logged(connection, spec, path)
    stale = last == (sha256, "stale")  # the spec gained a column since it was loaded: read it again
    if in_force == [(sha256, printable_path(path))] and not stale:
        unchanged = LoadOutcome(path, month, "unchanged", message="this delivery is the one in force")
        if last not in {(sha256, "loaded"), (sha256, "replaced"), (sha256, "unchanged")}:
            # the file is back to the delivery in force after something else was refused in its place: say so once
            record_unloaded(connection, spec.extract, unchanged, sha256)
        return unchanged
    try:
        read = read_extract(path, spec, key, content, today)
    except ExtractError as exc:
        return record_unloaded(connection, spec.extract, LoadOutcome(path, month, "refused", message=str(exc)), sha256)
    rows, rejections = _without_keys_loaded_elsewhere(connection, spec, read)
    problem = delivery_problem(connection, spec, read, rows.height)
    if problem:
        refused = LoadOutcome(
            path, month, "refused", read.rows_read, 0, read.rows_rejected, str(ExtractError(path, problem))
        )
        return record_unloaded(connection, spec.extract, refused, sha256)

    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    source_file = printable_path(path)
    incoming = with_lineage(
        rows,
        source_file,
        sha256,
        read.reporting_month,
        month_end(read.reporting_month) if read.reporting_month else None,
        loaded_at,
    )
    quarantined = rejections.select(
        pl.lit(spec.extract).alias("extract"),
        pl.lit(read.reporting_month).alias("reporting_month"),
        pl.lit(source_file).alias("source_file"),
        pl.lit(sha256).alias("file_sha256"),
        pl.col("_line_number").alias("line_number"),
        "column",
        "check",
        "value",
        pl.lit(loaded_at, dtype=pl.Datetime("us")).alias("loaded_at"),
    )
    problems = f"{rejections.height} problem(s) in {read.rows_read - rows.height} row(s)" if rejections.height else ""
    reread = "read again: the spec added column(s) since it was loaded" if stale else ""
    outcome = LoadOutcome(
        path,
        read.reporting_month,
        "replaced" if in_force else "loaded",
        read.rows_read,
        rows.height,
        read.rows_read - rows.height,
        "; ".join(m for m in (reread, problems) if m),
    )
    connection.execute("begin transaction")
    connection.execute(
        f"insert into raw_history.{spec.extract} by name select *, ? as _replaced_at from raw.{spec.extract} where {this_delivery}",
        [loaded_at, *params],
    )
    connection.execute(f"delete from raw.{spec.extract} where {this_delivery}", params)
    connection.register("incoming_rows", incoming)
    connection.execute(f"insert into raw.{spec.extract} by name select * from incoming_rows")
    connection.unregister("incoming_rows")
    connection.register("quarantined_rows", quarantined)
    connection.execute("insert into audit.quarantine by name select * from quarantined_rows")
    connection.unregister("quarantined_rows")
    _log(connection, spec.extract, outcome, sha256, loaded_at)
    connection.execute("commit")
    return outcome
