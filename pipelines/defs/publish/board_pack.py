"""The board packs: an HTML page per scorecard and board area. Each publication writes its latest month's packs with
its other files (pipelines/lib/publication_files.py), so they are never of another publication; this asset lists
them, or writes the packs of another month (config `period`) from the file just published."""

import dagster as dg
import duckdb

from pipelines.defs.resources import WarehouseResource
from pipelines.lib.board_pack import REPORTS_DIR_NAME, every_board_pack, pack_file_name, write_board_pack
from pipelines.lib.figure_presentation import latest_month


class BoardPackConfig(dg.Config):
    """Which month the packs are of; by default each area's latest month with figures (written with the publication)."""

    period: str | None = None


@dg.asset(
    key=["published", "board_pack"],
    group_name="publish",
    owners=["team:lcjb-analysts"],
    kinds={"html"},
    deps=[dg.AssetKey(["published", "cjs_scorecard"])],
    description="The board packs (WAREHOUSE/reports/<scorecard>_<area>_<YYYY-MM>.html): every scorecard for each "
    "area of its board, one self-contained page per month, printable on A4 landscape; read from the published file. "
    "The latest month's are written with each publication; config `period` writes another month's.",
)
def board_pack(
    context: dg.AssetExecutionContext, config: BoardPackConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    published_db = warehouse.paths().published_db
    with duckdb.connect(str(published_db), read_only=True) as connection:
        packs = every_board_pack(connection)
        latest = {pack: latest_month(connection, *pack) for pack in packs}
    if config.period:
        paths = [str(write_board_pack(published_db, scorecard, area, config.period)) for scorecard, area in packs]
        context.log.info(f"wrote {len(paths)} board packs for {config.period} to {published_db.parent}")
    else:
        folder = published_db.parent / REPORTS_DIR_NAME
        paths = [str(folder / pack_file_name(scorecard, area, latest[(scorecard, area)])) for scorecard, area in packs]
    return dg.MaterializeResult(metadata={"packs": dg.MetadataValue.json(paths), "count": len(paths)})
