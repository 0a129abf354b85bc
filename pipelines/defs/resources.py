"""Dagster resources: where the warehouse lives, and connections to its private build database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.settings import WarehousePaths, duckdb_config, resolve_paths


class WarehouseResource(dg.ConfigurableResource):
    """The landing zone and warehouse folders (absolute), set in the UI's launchpad or from the environment."""

    sources_dir: str
    warehouse_dir: str

    def paths(self) -> WarehousePaths:
        return resolve_paths(self.sources_dir, self.warehouse_dir)

    def private_build_db(self) -> Path:
        """The build database, created owner-only whatever the umask: it holds pseudonymised but unsuppressed data.

        Its folder is 0700 (so nothing DuckDB or dbt writes beside it, a WAL or spill file, is readable by others) and
        the file itself 0600, created here before the first writer (the ingest assets or dbt) opens it.
        """
        path = self.paths().build_db
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.parent.chmod(0o700)
        if not path.exists():
            duckdb.connect(str(path)).close()
        path.chmod(0o600)
        return path

    @contextmanager
    def build_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A writer connection to the build database; closed promptly, since a DuckDB writer locks the whole file."""
        connection = duckdb.connect(str(self.private_build_db()), config=duckdb_config())
        try:
            yield connection
        finally:
            connection.close()


def default_warehouse() -> WarehouseResource:
    """Paths from CJS_SOURCES_DIR / CJS_WAREHOUSE_DIR, else the repository's sources/ and warehouse/."""
    paths = resolve_paths()
    return WarehouseResource(sources_dir=str(paths.sources_dir), warehouse_dir=str(paths.warehouse_dir))
