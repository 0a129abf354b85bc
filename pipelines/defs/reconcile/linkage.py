"""Case linkage, probabilistic part: Splink links the defendant-level records the URN could not match."""

import os

import dagster as dg
import polars as pl

from pipelines.defs.resources import WarehouseResource
from pipelines.lib.linkage import LinkageModel, link_records

THRESHOLD_ENV = "CJS_LINK_THRESHOLD"
DEFAULT_THRESHOLD = 0.9
UNMATCHED = dg.AssetKey(["intermediate", "int_linkage__unmatched"])
KEY_SEPARATOR = "::"  # source::record_key, so one side may mix sources (the HMCTS MC and CC cases)

LINKS_SCHEMA = pl.Schema(
    {
        "pair_id": pl.String,
        "left_source": pl.String,
        "left_record_key": pl.String,
        "right_source": pl.String,
        "right_record_key": pl.String,
        "match_probability": pl.Float64,
        "match_weight": pl.Float64,
        "threshold": pl.Float64,
    }
)


class LinkageConfig(dg.Config):
    threshold: float | None = None  # None: $CJS_LINK_THRESHOLD, else 0.9


def link_threshold(configured: float | None = None) -> float:
    """The match-probability threshold: run config, else $CJS_LINK_THRESHOLD, else 0.9."""
    if configured is not None:
        value = configured
    else:
        text = os.environ.get(THRESHOLD_ENV, "").strip()
        try:
            value = float(text) if text else DEFAULT_THRESHOLD
        except ValueError as error:
            raise ValueError(f"{THRESHOLD_ENV}={text!r} is not a number") from error
    if not 0.0 < value < 1.0:
        raise ValueError(f"the link threshold must be in (0, 1), not {value}")
    return value


def link_unmatched(unmatched: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """Run Splink per defendant-level pair over int_linkage__unmatched's rows; links in LINKS_SCHEMA."""
    results = []
    model = LinkageModel(threshold=threshold)
    people = unmatched.filter(pl.col("is_person_level"))
    for pair_id in sorted(people["pair_id"].unique().to_list()):
        sides = {}
        for side in ("left", "right"):
            sides[side] = people.filter((pl.col("pair_id") == pair_id) & (pl.col("side") == side)).select(
                pl.concat_str([pl.col("source"), pl.col("record_key")], separator=KEY_SEPARATOR).alias("record_key"),
                "urn_key",
                "dob_key",
                "link_date",
                "area_code",
            )
        links = link_records(sides["left"], sides["right"], model)
        if links.is_empty():
            continue
        left = links["left_record_key"].str.splitn(KEY_SEPARATOR, 2).struct.rename_fields(["source", "key"])
        right = links["right_record_key"].str.splitn(KEY_SEPARATOR, 2).struct.rename_fields(["source", "key"])
        results.append(
            pl.DataFrame(
                {
                    "pair_id": [pair_id] * links.height,
                    "left_source": left.struct.field("source"),
                    "left_record_key": left.struct.field("key"),
                    "right_source": right.struct.field("source"),
                    "right_record_key": right.struct.field("key"),
                    "match_probability": links["match_probability"],
                    "match_weight": links["match_weight"],
                    "threshold": [threshold] * links.height,
                }
            )
        )
    if not results:
        return pl.DataFrame(schema=LINKS_SCHEMA)
    return pl.concat(results).cast(LINKS_SCHEMA).sort(["pair_id", "left_source", "left_record_key"])


@dg.asset(
    key=["linkage", "probabilistic_links"],
    group_name="reconcile",
    owners=["team:lcjb-analysts"],
    kinds={"splink", "duckdb"},
    deps=[UNMATCHED],
    description="Probabilistic links (Splink, DuckDB backend) between the defendant-level records of two agencies "
    "that had no URN match: date-of-birth key, URN similarity, link date and area; match probability >= the "
    f"threshold (config `threshold`, else ${THRESHOLD_ENV}, else {DEFAULT_THRESHOLD}).",
)
def probabilistic_links(
    context: dg.AssetExecutionContext, config: LinkageConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    threshold = link_threshold(config.threshold)
    with warehouse.build_connection() as connection:
        unmatched = connection.sql(
            "select pair_id, side, source, record_key, is_person_level, urn_key, dob_key, link_date, area_code "
            "from intermediate.int_linkage__unmatched where is_person_level"
        ).pl()
    links = link_unmatched(unmatched, threshold)
    with warehouse.build_connection() as connection:
        connection.execute("create schema if not exists linkage")
        connection.register("links", links.to_arrow())
        connection.execute("create or replace table linkage.probabilistic_links as select * from links")
        connection.unregister("links")
    by_pair = links.group_by("pair_id").len().sort("pair_id")
    context.log.info(
        f"{links.height} probabilistic links at threshold {threshold} from {unmatched.height} unmatched records"
    )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": links.height,
            "threshold": threshold,
            "unmatched_records_in": unmatched.height,
            "links_by_pair": dg.MetadataValue.json({p: n for p, n in by_pair.iter_rows()}),
        }
    )
