"""One area's simulated world: the tables every extract writer and the truth read from."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.lib.simulator import params as P
from pipelines.lib.simulator.common import (
    STREAM_SS,
    day_to_month,
    lognormal_days,
    month_end_day,
    month_start_day,
    rng_for,
)
from pipelines.lib.simulator.geography import Area
from pipelines.lib.simulator.journey import RELEASE_BAIL, RELEASE_RUI, build_cases, court_journeys, crime_block
from pipelines.lib.simulator.people import BROAD, draw_broad_ethnicity, ethnicity_codes, person_pool

STATUS_UI = "Under investigation"
STATUS_BAIL = "Pre-charge bail"
STATUS_RUI = "Released under investigation"
STATUS_CHARGED = "Charged - awaiting court"
STATUSES = (STATUS_UI, STATUS_BAIL, STATUS_RUI, STATUS_CHARGED)


@dataclass
class AreaWorld:
    area: Area
    first_month: int  # first reporting month index
    last_month: int
    pool: pl.DataFrame
    crimes: pl.DataFrame
    suspects: pl.DataFrame  # crime-suspect rows (with person ids)
    charged: pl.DataFrame  # charged crime-suspect rows with case_id, dc_id
    cases: pl.DataFrame
    dcs: pl.DataFrame  # defendant-cases
    hearings: pl.DataFrame
    intervals: pl.DataFrame  # police live-caseload status intervals [start, end)
    stop_search: pl.DataFrame
    seed: int = 0
    scale: float = 1.0

    @property
    def months(self) -> range:
        return range(self.first_month, self.last_month + 1)


def simulate_area(area: Area, first_month: int, last_month: int, seed: int, scale: float) -> AreaWorld:
    pool = person_pool(area, seed, scale)
    blocks = [
        crime_block(area, m, seed, scale, len(pool)) for m in range(first_month - P.WARMUP_MONTHS, last_month + 1)
    ]
    crimes = pl.concat([b.crimes for b in blocks], how="vertical", rechunk=True)
    suspects = pl.concat([b.suspects for b in blocks], how="vertical", rechunk=True)
    del blocks  # the per-month frames would otherwise double the area's memory until the world is built
    suspects = suspects.join(pool.select("person_idx", "person_id", "dob"), on="person_idx", how="left")
    suspects = (
        suspects.join(crimes.select("crime_id", "recorded_date"), on="crime_id", how="left")
        .with_columns(((pl.col("recorded_date") - pl.col("dob").cast(pl.Int32)) < int(18 * 365.25)).alias("youth"))
        .drop("recorded_date")
    )
    suspects = suspects.sort(["crime_id", "suspect_seq"])  # joins do not promise row order
    charged, dcs, cases = build_cases(area, crimes, suspects, pool, seed)
    cases, dcs, hearings = court_journeys(area, cases, dcs, seed)
    charged = charged.join(cases.select("case_id", "urn", "first_hearing"), on="case_id", how="left").sort(
        ["crime_id", "suspect_seq"]
    )
    intervals = status_intervals(crimes, suspects, charged)
    ss = stop_searches(area, first_month, last_month, seed, scale)
    return AreaWorld(
        area,
        first_month,
        last_month,
        pool,
        crimes,
        suspects,
        charged,
        cases,
        dcs,
        hearings,
        intervals,
        ss,
        seed=int(seed),
        scale=float(scale),
    )


def status_intervals(crimes: pl.DataFrame, suspects: pl.DataFrame, charged: pl.DataFrame) -> pl.DataFrame:
    """Police live statuses as half-open day intervals [start, end): a row is live on snapshot day S if start <= S < end.

    No suspect: Under investigation from recording to outcome. Each suspect: Under investigation from recording to the
    arrest (or to the end of the investigation if not released on bail/RUI), then Pre-charge bail or RUI from the
    arrest to the outcome (charge or other). Charged: Charged - awaiting court from charge to the case's first hearing.
    """
    c = crimes.select("crime_id", "recorded_date", "outcome_date")
    no_suspect = crimes.filter(pl.col("n_suspects") == 0).select(
        "crime_id",
        pl.lit(None, pl.Int8).alias("suspect_seq"),
        pl.lit(None, pl.Int64).alias("person_id"),
        pl.lit(STATUS_UI).alias("status"),
        pl.col("recorded_date").alias("start"),
        pl.col("outcome_date").alias("end"),
    )
    s = suspects.select("crime_id", "suspect_seq", "person_id", "arrested", "arrest_date", "release").join(
        c, on="crime_id"
    )
    released = pl.col("release").is_in([RELEASE_BAIL, RELEASE_RUI])
    ui = s.select(
        "crime_id",
        "suspect_seq",
        "person_id",
        pl.lit(STATUS_UI).alias("status"),
        pl.col("recorded_date").alias("start"),
        pl.when(released).then(pl.col("arrest_date")).otherwise(pl.col("outcome_date")).alias("end"),
    )
    rel = s.filter(released).select(
        "crime_id",
        "suspect_seq",
        "person_id",
        pl.when(pl.col("release") == RELEASE_BAIL)
        .then(pl.lit(STATUS_BAIL))
        .otherwise(pl.lit(STATUS_RUI))
        .alias("status"),
        pl.col("arrest_date").alias("start"),
        pl.col("outcome_date").alias("end"),
    )
    ch = charged.select(
        "crime_id",
        "suspect_seq",
        "person_id",
        pl.lit(STATUS_CHARGED).alias("status"),
        pl.col("charge_date").alias("start"),
        pl.col("first_hearing").alias("end"),
    )
    out = pl.concat(
        [
            x.with_columns(
                pl.col("start").cast(pl.Int32),
                pl.col("end").cast(pl.Int32),
                pl.col("suspect_seq").cast(pl.Int8),
                pl.col("person_id").cast(pl.Int64),
            )
            for x in (no_suspect, ui, rel, ch)
        ],
        how="vertical",
    )
    return out.filter(pl.col("end") > pl.col("start")).sort(["crime_id", "suspect_seq", "start"], nulls_last=False)


def snapshot(world: AreaWorld, day: int) -> pl.DataFrame:
    """Rows of the police live caseload at the end of day `day`."""
    return world.intervals.filter((pl.col("start") <= day) & (pl.col("end") > day)).with_columns(
        (pl.lit(day) - pl.col("start")).alias("days_in_status")
    )


def snapshots(
    world: AreaWorld, first_month: int | None = None, last_month: int | None = None, columns: list[str] | None = None
) -> pl.DataFrame:
    """The live caseload at the end of every month in first_month..last_month, in one pass over the intervals.

    A row of the interval table is live at month end E if start <= E < end, i.e. for the months from month(start) to
    month(end) - 1: each interval is repeated once per such month. Adds `snap_day` (the month's last day) and
    `days_in_status`; rows are ordered by snap_day, then as in the interval table. `columns`: the interval columns
    to keep (default all; `start` is always kept).
    """
    lo = world.first_month if first_month is None else first_month
    hi = world.last_month if last_month is None else last_month
    iv = world.intervals
    if columns is not None:
        iv = iv.select(list(dict.fromkeys([*columns, "start"])))
    start = world.intervals["start"].to_numpy().astype("int64")
    end = world.intervals["end"].to_numpy().astype("int64")
    m_a = np.maximum(day_to_month(start), lo)
    m_b = np.minimum(day_to_month(end) - 1, hi)
    count = np.maximum(m_b - m_a + 1, 0)
    idx = np.repeat(np.arange(len(iv)), count)
    offset = np.arange(len(idx)) - np.repeat(np.cumsum(count) - count, count)
    month = m_a[idx] + offset
    order = np.argsort(month, kind="stable")
    idx, month = idx[order], month[order]
    snap_day = np.asarray(month_end_day(month)).astype("int32") if len(month) else np.array([], dtype="int32")
    return (
        iv[idx]
        .with_columns(pl.Series("snap_day", snap_day, dtype=pl.Int32))
        .with_columns((pl.col("snap_day") - pl.col("start")).alias("days_in_status"))
    )


def stop_searches(area: Area, first_month: int, last_month: int, seed: int, scale: float) -> pl.DataFrame:
    """Stop and search records: Poisson volumes per month; the searched population over-represents Black, Mixed and
    Asian people by the published relative rates (CS §7)."""
    parts = []
    rel = P.STOP_SEARCH_RELATIVE_RATE.value
    for m in range(first_month, last_month + 1):
        rng = rng_for(seed, area.code_int, m, STREAM_SS)
        n = int(rng.poisson(area.population * area.ss_rate / 1000 / 12 * scale))
        m0 = month_start_day(m)
        days = m0 + np.sort(rng.integers(0, month_end_day(m) - m0 + 1, n))
        broad = draw_broad_ethnicity(rng, area, n, [rel[g] for g in BROAD])
        self_defined = ethnicity_codes(rng, broad)
        not_stated = rng.random(n) < 0.12
        outcome = rng.choice(
            7,
            size=n,
            p=[
                P.STOP_SEARCH_NFA_RATE.value,
                P.STOP_SEARCH_ARREST_RATE.value,
                0.05,
                0.03,
                0.015,
                0.01,
                1 - P.STOP_SEARCH_NFA_RATE.value - P.STOP_SEARCH_ARREST_RATE.value - 0.105,
            ],
        )
        parts.append(
            pl.DataFrame(
                {
                    "search_id": [f"SS{area.force_no:02d}{m:05d}{i:05d}" for i in range(n)],
                    "search_date": days.astype("int32"),
                    "search_time": [
                        f"{h:02d}:{mi:02d}"
                        for h, mi in zip(rng.integers(0, 24, n).tolist(), rng.integers(0, 60, n).tolist(), strict=True)
                    ],
                    "ethnicity_broad": np.asarray(BROAD, dtype=object)[broad].astype(str)
                    if n
                    else np.array([], dtype=str),
                    "self_defined_ethnicity": np.where(not_stated, "NS", self_defined).astype(str)
                    if n
                    else np.array([], dtype=str),
                    "officer_defined_ethnicity": np.asarray(BROAD, dtype=object)[broad].astype(str)
                    if n
                    else np.array([], dtype=str),
                    "gender": np.where(rng.random(n) < 0.9, "Male", "Female"),
                    "age_range": np.asarray(["10-17", "18-24", "25-34", "over 34"], dtype=object)[
                        rng.choice(4, size=n, p=[0.2, 0.37, 0.25, 0.18])
                    ].astype(str)
                    if n
                    else np.array([], dtype=str),
                    "legislation": np.asarray(
                        [
                            "Misuse of Drugs Act 1971 (section 23)",
                            "Police and Criminal Evidence Act 1984 (section 1)",
                            "Criminal Justice and Public Order Act 1994 (section 60)",
                            "Firearms Act 1968 (section 47)",
                        ],
                        dtype=object,
                    )[rng.choice(4, size=n, p=[0.62, 0.33, 0.03, 0.02])].astype(str)
                    if n
                    else np.array([], dtype=str),
                    "object_of_search": np.asarray(
                        [
                            "Controlled drugs",
                            "Offensive weapons",
                            "Stolen goods",
                            "Article for use in theft",
                            "Firearms",
                            "Evidence of offences under the Act",
                        ],
                        dtype=object,
                    )[rng.choice(6, size=n, p=[0.62, 0.15, 0.10, 0.06, 0.02, 0.05])].astype(str)
                    if n
                    else np.array([], dtype=str),
                    "outcome": np.asarray(
                        [
                            "A no further action disposal",
                            "Arrest",
                            "Community resolution",
                            "Khat or Cannabis warning",
                            "Penalty Notice for Disorder",
                            "Caution (simple or conditional)",
                            "Summons / charged by post",
                        ],
                        dtype=object,
                    )[outcome].astype(str)
                    if n
                    else np.array([], dtype=str),
                }
            )
        )
    # a month with no search (a small force at a small scale) has empty, untyped columns: relaxed, they take the others'
    return pl.concat(parts, how="vertical_relaxed") if parts else pl.DataFrame()


__all__ = [
    "AreaWorld",
    "STATUSES",
    "simulate_area",
    "snapshot",
    "snapshots",
    "status_intervals",
    "day_to_month",
    "lognormal_days",
]
