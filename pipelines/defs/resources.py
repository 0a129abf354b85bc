"""Dagster resources: where the warehouse lives, and connections to its private build database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb

from pipelines.settings import WarehousePaths, resolve_paths


class WarehouseResource(dg.ConfigurableResource):
    """The landing zone and warehouse folders (absolute), set in the UI's launchpad or from the environment."""

    sources_dir: str
    warehouse_dir: str

    def paths(self) -> WarehousePaths:
        return resolve_paths(self.sources_dir, self.warehouse_dir)

    @contextmanager
    def build_connection(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A writer connection to the build database; closed promptly, since a DuckDB writer locks the whole file."""
        path = self.paths().build_db
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o700)  # pseudonymised but unsuppressed data: owner only
        connection = duckdb.connect(str(path))
        try:
            yield connection
        finally:
            connection.close()


def default_warehouse() -> WarehouseResource:
    """Paths from CJS_SOURCES_DIR / CJS_WAREHOUSE_DIR, else the repository's sources/ and warehouse/."""
    paths = resolve_paths()
    return WarehouseResource(sources_dir=str(paths.sources_dir), warehouse_dir=str(paths.warehouse_dir))
