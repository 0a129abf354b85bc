"""Write accepted extract rows into the build database's raw schema, with lineage on every row."""

from __future__ import annotations

from datetime import datetime, timezone

import duckdb
import polars as pl

from pipelines.lib.extract_reader import ReadExtract

LINEAGE_SCHEMA = {
    "_source_file": pl.String,
    "_file_sha256": pl.String,
    "_reporting_month": pl.String,
    "_loaded_at": pl.Datetime("us"),
}


def with_lineage(extract: ReadExtract, loaded_at: datetime) -> pl.DataFrame:
    """The rows plus where each came from: file, its hash, line (already there), reporting month and load time."""
    return extract.rows.with_columns(
        pl.lit(str(extract.path)).alias("_source_file"),
        pl.lit(extract.sha256).alias("_file_sha256"),
        pl.lit(extract.reporting_month).alias("_reporting_month"),
        pl.lit(loaded_at, dtype=pl.Datetime("us")).alias("_loaded_at"),
    )


def replace_raw_table(
    connection: duckdb.DuckDBPyConnection, table: str, extracts: list[ReadExtract], empty_rows: pl.DataFrame
) -> int:
    """Replace raw.<table> with the files' rows in one transaction (an empty, typed table when there are no files)."""
    loaded_at = datetime.now(timezone.utc).replace(tzinfo=None)
    if extracts:
        frame = pl.concat([with_lineage(e, loaded_at) for e in extracts], how="vertical")
    else:
        frame = empty_rows.with_columns(pl.lit(None, dtype=t).alias(c) for c, t in LINEAGE_SCHEMA.items())
    connection.execute("begin transaction")
    connection.execute("create schema if not exists raw")
    connection.register("incoming_rows", frame)
    connection.execute(f"create or replace table raw.{table} as select * from incoming_rows")
    connection.unregister("incoming_rows")
    connection.execute("commit")
    return frame.height
