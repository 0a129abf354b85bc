"""Probabilistic record linkage of one prosecution's records across two agencies (Splink, DuckDB backend).

Pure: no Dagster. The deterministic part (URN matching, dbt `int_linkage__*`) runs first; this links what it left
unmatched, on the pseudonymised date-of-birth key, the URN's similarity (a mistyped URN is one character away from the
true one), the date both records should carry (e.g. a CPS finalisation and the court's disposal are the same day) and
the police force area.

The model is Fellegi-Sunter as Splink implements it:
- m probabilities (how often each comparison level occurs among true matches) are set from what we know of the
  records that reach this step (URN missing or mistyped in one agency; dates of birth keyed identically in every
  agency): see `M_PROBABILITIES`. They cannot be learnt by EM from a few hundred unmatched records, and labels
  from the URN-matched pairs would teach the model that true matches always share the URN.
- u probabilities (how often each level occurs among non-matches) are estimated from the data by random sampling
  (seeded, so a run is reproducible), with defaults for levels a small input never samples.
- the prior (probability that two random records match) is estimated from a near-deterministic rule (same date of
  birth and same link date) with an assumed recall, else one expected match per record of the smaller side.
Each record keeps at most one link (the most probable; a defendant-case has one record per agency).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import duckdb
import polars as pl

from pipelines.settings import duckdb_config

if TYPE_CHECKING:
    # what pl.DataFrame(...) accepts; polars publishes the alias only in its private typing module
    from polars._typing import FrameInitTypes

LINK_COLUMNS = ["record_key", "urn_key", "dob_key", "link_date", "area_code"]
OUTPUT_SCHEMA = pl.Schema(
    {
        "left_record_key": pl.String,
        "right_record_key": pl.String,
        "match_probability": pl.Float64,
        "match_weight": pl.Float64,
    }
)

# Levels (first = closest): dob_key exact / else; urn_key exact / Levenshtein <= 1 / <= 2 / else;
# link_date same day / <= 7 days / <= 62 days / else; area_code exact / else. Null on either side: no evidence.
M_PROBABILITIES: dict[str, list[float]] = {
    # The same date of birth hashes to the same key everywhere; a wrong DOB in one system is rare.
    "dob_key": [0.99, 0.01],
    # Records reach this step because the URN did not match: true matches left here have one URN missing (null
    # level) or mistyped (a digit changed: Levenshtein 1), rarely the same URN (DOB recorded differently).
    "urn_key": [0.04, 0.90, 0.04, 0.02],
    # Same-day events (a CPS finalisation and the court disposal; an MC sending and the CC receipt).
    "link_date": [0.90, 0.05, 0.03, 0.02],
    "area_code": [0.97, 0.03],
}
# Used for a level random sampling never meets (tiny inputs); typical of a force's year of cases.
DEFAULT_U_PROBABILITIES: dict[str, list[float]] = {
    "dob_key": [0.0002, 0.9998],
    "urn_key": [0.0002, 0.01, 0.05, 0.9398],
    "link_date": [0.004, 0.03, 0.2, 0.766],
    "area_code": [0.9, 0.1],
}
PRIOR_RULE_RECALL = 0.7  # share of the true matches that have the same DOB key and the same link date


@dataclass(frozen=True)
class LinkageModel:
    """What the linkage needs besides the records: threshold and reproducibility."""

    threshold: float = 0.9
    seed: int = 11
    max_pairs_for_u: float = 1e6
    m_probabilities: dict[str, list[float]] = field(default_factory=lambda: dict(M_PROBABILITIES))


def _prepare(frame: FrameInitTypes) -> pl.DataFrame:
    data = frame if isinstance(frame, pl.DataFrame) else pl.DataFrame(frame)
    missing = [c for c in ("record_key",) if c not in data.columns]
    if missing:
        raise ValueError(f"records to link need the columns {missing}")
    for column in LINK_COLUMNS[1:]:
        if column not in data.columns:
            data = data.with_columns(pl.lit(None, pl.Date if column == "link_date" else pl.String).alias(column))
    data = data.select(
        pl.col("record_key").cast(pl.String),
        pl.col("urn_key").cast(pl.String),
        pl.col("dob_key").cast(pl.String),
        pl.col("link_date").cast(pl.Date),
        pl.col("area_code").cast(pl.String),
    )
    if data["record_key"].is_duplicated().any():
        raise ValueError("record_key must be unique within each side")
    return data


def _settings(model: LinkageModel, prior: float):
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    m = model.m_probabilities
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="record_key",
        probability_two_random_records_match=prior,
        comparisons=[
            cl.ExactMatch("dob_key").configure(
                m_probabilities=m["dob_key"], u_probabilities=DEFAULT_U_PROBABILITIES["dob_key"]
            ),
            cl.LevenshteinAtThresholds("urn_key", [1, 2]).configure(
                m_probabilities=m["urn_key"], u_probabilities=DEFAULT_U_PROBABILITIES["urn_key"]
            ),
            cl.AbsoluteDateDifferenceAtThresholds(
                "link_date", input_is_string=False, metrics=["day", "day"], thresholds=[7, 62]
            ).configure(m_probabilities=m["link_date"], u_probabilities=DEFAULT_U_PROBABILITIES["link_date"]),
            cl.ExactMatch("area_code").configure(
                m_probabilities=m["area_code"], u_probabilities=DEFAULT_U_PROBABILITIES["area_code"]
            ),
        ],
        # Candidate pairs: the same person (DOB key), or a URN that shares its force, station and serial prefix.
        blocking_rules_to_generate_predictions=[
            block_on("dob_key"),
            block_on("substr(urn_key, 1, 7)"),
            block_on("substr(urn_key, 5, 7)"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def _prior(left: pl.DataFrame, right: pl.DataFrame) -> float:
    """Share of all left x right pairs that are matches: a near-deterministic rule's count / its assumed recall."""
    pairs = left.height * right.height
    same = (
        left.drop_nulls(["dob_key", "link_date"])
        .join(right.drop_nulls(["dob_key", "link_date"]), on=["dob_key", "link_date"], how="inner")
        .height
    )
    expected = same / PRIOR_RULE_RECALL if same else 1.0
    expected = min(expected, float(min(left.height, right.height)))
    return min(max(expected / pairs, 1e-9), 0.5)


def link_records(left: FrameInitTypes, right: FrameInitTypes, model: LinkageModel | None = None) -> pl.DataFrame:
    """Link two agencies' unmatched records; one row per accepted link (match probability >= model.threshold).

    `left` and `right`: frames (polars, or anything polars accepts, e.g. a pyarrow table) with `record_key` (unique
    per side) and any of `urn_key` (normalised), `dob_key` (keyed hash), `link_date` (date), `area_code`. Returns
    `left_record_key, right_record_key, match_probability, match_weight`, each record in at most one link.
    """
    model = model or LinkageModel()
    if not 0.0 < model.threshold < 1.0:
        raise ValueError(f"the match threshold must be in (0, 1), not {model.threshold}")
    left_records, right_records = _prepare(left), _prepare(right)
    if left_records.is_empty() or right_records.is_empty():
        return pl.DataFrame(schema=OUTPUT_SCHEMA)

    from splink import DuckDBAPI, Linker

    logging.getLogger("splink").setLevel(logging.WARNING)
    connection = duckdb.connect(
        config=duckdb_config()
    )  # Splink's own scratch database: nothing reaches the build database from here
    try:
        db_api = DuckDBAPI(connection=connection)
        frames = [
            db_api.register(left_records.to_arrow(), dataset_display_name="left_records"),
            db_api.register(right_records.to_arrow(), dataset_display_name="right_records"),
        ]
        linker = Linker(frames, _settings(model, _prior(left_records, right_records)), log_level=logging.WARNING)
        if left_records.height * right_records.height >= 100:
            linker.training.estimate_u_using_random_sampling(
                max_pairs=model.max_pairs_for_u, seed=model.seed, min_count_per_level=None
            )
        predictions = linker.inference.predict(threshold_match_probability=model.threshold, warning_mode="never")
        scored = pl.from_arrow(predictions.as_pyarrow_table())
    finally:
        connection.close()
    if not isinstance(scored, pl.DataFrame):  # from_arrow gives a Series only for an arrow array, not a table
        raise TypeError(f"Splink's predictions came back as a {type(scored).__name__}, not a table")
    if scored.is_empty():
        return pl.DataFrame(schema=OUTPUT_SCHEMA)
    scored = scored.select(
        pl.when(pl.col("source_dataset_l") == "left_records")
        .then(pl.col("record_key_l"))
        .otherwise(pl.col("record_key_r"))
        .alias("left_record_key"),
        pl.when(pl.col("source_dataset_l") == "left_records")
        .then(pl.col("record_key_r"))
        .otherwise(pl.col("record_key_l"))
        .alias("right_record_key"),
        pl.col("match_probability").cast(pl.Float64),
        pl.col("match_weight").cast(pl.Float64),
    )
    return best_one_to_one(scored)


def best_one_to_one(scored: pl.DataFrame) -> pl.DataFrame:
    """Keep each record's most probable link, greedily from the most probable pair down (ties: record keys)."""
    ordered = scored.sort(["match_weight", "left_record_key", "right_record_key"], descending=[True, False, False])
    used_left: set[str] = set()
    used_right: set[str] = set()
    keep = []
    for i, (lk, rk) in enumerate(zip(ordered["left_record_key"], ordered["right_record_key"], strict=True)):
        if lk in used_left or rk in used_right:
            continue
        used_left.add(lk)
        used_right.add(rk)
        keep.append(i)
    return ordered[keep].select(list(OUTPUT_SCHEMA)).cast(OUTPUT_SCHEMA)
