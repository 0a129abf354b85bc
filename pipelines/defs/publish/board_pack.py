"""The board packs: an HTML page per scorecard and board area, from the file just published."""

import dagster as dg
import duckdb

from pipelines.defs.resources import WarehouseResource
from pipelines.lib.board_pack import board_areas, write_board_pack


class BoardPackConfig(dg.Config):
    """Which month the packs are of; by default each area's latest month with figures."""

    period: str | None = None


@dg.asset(
    key=["published", "board_pack"],
    group_name="publish",
    owners=["team:lcjb-analysts"],
    kinds={"html"},
    deps=[dg.AssetKey(["published", "cjs_scorecard"])],
    description="The board packs (WAREHOUSE/reports/<scorecard>_<area>_<YYYY-MM>.html): every scorecard for each "
    "area of its board, one self-contained page per month, printable on A4 landscape; read from the published file.",
)
def board_pack(context: dg.AssetExecutionContext, config: BoardPackConfig, warehouse: WarehouseResource) -> dg.MaterializeResult:
    published_db = warehouse.paths().published_db
    with duckdb.connect(str(published_db), read_only=True) as connection:
        scorecards = [r[0] for r in connection.execute("select distinct scorecard_id from scorecard.measures order by 1").fetchall()]
        packs = [(scorecard, area) for scorecard in scorecards for area in board_areas(connection, scorecard)]
    paths = [str(write_board_pack(published_db, scorecard, area, config.period)) for scorecard, area in packs]
    context.log.info(f"wrote {len(paths)} board packs to {published_db.parent}")
    return dg.MaterializeResult(metadata={"packs": dg.MetadataValue.json(paths), "count": len(paths)})
