"""Disclosure control's decisions for every published figure and breakdown category (pipelines/lib/disclosure.py):
primary suppression by the counts each figure rests on, secondary suppression until no withheld small count can be
worked out from the published figures. A Python model because the secondary search solves linear systems."""

import polars as pl

from pipelines.lib.disclosure import Thresholds, decide

FIGURE_KEY = ["scorecard_id", "measure_id", "area_code", "period_type", "period_start"]


def model(dbt, session):
    dbt.config(materialized="table")
    meta = dbt.config.get("meta")
    figures = dbt.ref("int_scorecard__scorecard_values").pl()
    breakdowns = dbt.ref("int_scorecard__breakdown_values").pl()
    measures = dbt.ref("stg_definitions__measures").pl()
    parts = dbt.ref("stg_definitions__measure_parts").pl()
    units = dbt.ref("int_scorecard__reporting_units").pl()
    population = dbt.ref("int_scorecard__unit_population").pl()
    thresholds = Thresholds(count=int(meta["count_threshold"]), min_base=int(meta["min_denominator"]))
    figure_decisions, breakdown_decisions = decide(
        figures.sort(FIGURE_KEY),
        breakdowns.sort(FIGURE_KEY + ["breakdown", "category"]),
        measures,
        parts,
        units,
        population,
        thresholds,
    )
    return (
        pl.concat(
            [
                figure_decisions.with_columns(
                    pl.lit("figure").alias("row_kind"),
                    pl.lit(None, pl.String).alias("breakdown"),
                    pl.lit(None, pl.String).alias("category"),
                ),
                breakdown_decisions.with_columns(
                    pl.lit("breakdown").alias("row_kind"),
                    pl.lit(False).alias("is_national_suppressed"),
                ),
            ],
            how="diagonal_relaxed",
        )
        .select(
            FIGURE_KEY + ["row_kind", "breakdown", "category", "is_suppressed", "suppression", "is_national_suppressed"]
        )
        .to_arrow()
    )
