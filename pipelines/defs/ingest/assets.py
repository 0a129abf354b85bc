"""Ingest assets: one per extract spec, reading its landing folder into raw.<extract> in the build database."""

import dagster as dg

from pipelines.defs.resources import WarehouseResource
from pipelines.lib.extract_reader import empty_rows, read_extract
from pipelines.lib.pseudonymise import pseudonym_key
from pipelines.lib.raw_loader import replace_raw_table
from pipelines.lib.source_spec import SourceSpec, load_specs


def build_ingest_asset(spec: SourceSpec) -> dg.AssetsDefinition:
    """An asset that loads every file of one extract; it fails, naming file, line and column, on any bad file."""

    @dg.asset(
        key=["raw", spec.extract],
        group_name="ingest",
        owners=[f"team:{spec.agency}"],
        kinds={"polars", "duckdb"},
        description=f"{spec.title}. {spec.description} Counting basis: {spec.counting_basis}. "
        f"Landing folder: <sources>/{spec.landing_subdir}/{spec.file_pattern}.",
        tags={"agency": spec.agency},
    )
    def ingest_extract(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
        folder = warehouse.paths().sources_dir / spec.landing_subdir
        files = sorted(folder.glob(spec.file_pattern.replace("{month}", "*")))
        if not files:
            context.log.warning(f"no files for extract '{spec.extract}' in {folder}")
        key = pseudonym_key()
        extracts = [read_extract(path, spec, key) for path in files]
        with warehouse.build_connection() as connection:
            rows = replace_raw_table(connection, spec.extract, extracts, empty_rows(spec))
        return dg.MaterializeResult(
            metadata={
                "dagster/row_count": rows,
                "files": dg.MetadataValue.md("\n".join(f"- `{e.path.name}` {e.reporting_month}: {e.rows.height} rows" for e in extracts) or "none"),
                "reporting_months": ", ".join(sorted({e.reporting_month for e in extracts})) or "none",
            }
        )

    return ingest_extract


ingest_assets = [build_ingest_asset(spec) for spec in load_specs().values()]
