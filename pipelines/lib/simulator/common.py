"""Small vectorised helpers: calendar arithmetic on day numbers, seeded random streams, draws."""

from __future__ import annotations

import datetime as dt

import numpy as np

EPOCH = dt.date(1970, 1, 1)
EXCEL_EPOCH_OFFSET = 25569  # Excel serial of 1970-01-01 (1900 date system)

# Stream ids: each (seed, area, month, stream) gets its own generator, so a month's draws do not depend on which other
# months or areas were asked for.
STREAM_PEOPLE, STREAM_CRIMES, STREAM_COURT, STREAM_SS, STREAM_URN, STREAM_REOFF, STREAM_RESEND = 1, 2, 3, 4, 5, 6, 7
STREAM_PUBLIC = 8  # the public releases' lookalikes (extracts/police_uk.py, extracts/public_stats.py)
STREAM_DELIVERY = 9  # the day each agency file arrived (deliveries.py)
STREAM_VICTIM_ETHNICITY = 10  # victims whose ethnicity is not stated: its own stream, so no other draw moves


def rng_for(seed: int, area_code_int: int, month_idx: int, stream: int) -> np.random.Generator:
    return np.random.default_rng([int(seed), int(area_code_int), int(month_idx), int(stream)])


def parse_month(text: str) -> int:
    """'YYYY-MM' -> month index (year * 12 + month - 1)."""
    year, month = text.split("-")
    m = int(month)
    if not 1 <= m <= 12:
        raise ValueError(f"bad month {text!r}")
    return int(year) * 12 + m - 1


def month_label(idx: int) -> str:
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


def month_start_day(idx) -> np.ndarray | int:
    """Month index -> day number (days since 1970-01-01) of the month's first day. Works on arrays."""
    idx = np.asarray(idx)
    d = (idx.astype("int64") - 1970 * 12).astype("datetime64[M]").astype("datetime64[D]").astype("int64")
    return d if d.ndim else int(d)


def month_end_day(idx) -> np.ndarray | int:
    return month_start_day(np.asarray(idx) + 1) - 1


def day_to_month(days) -> np.ndarray:
    """Day numbers -> month indices."""
    return np.asarray(days).astype("datetime64[D]").astype("datetime64[M]").astype("int64") + 1970 * 12


def day_to_date(day: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(day))


def lognormal_days(rng: np.random.Generator, median, sigma, n: int) -> np.ndarray:
    """Skewed, long-tailed durations in whole days (>= 0)."""
    z = rng.standard_normal(n)
    return np.floor(np.asarray(median, dtype="float64") * np.exp(np.asarray(sigma, dtype="float64") * z)).astype(
        "int64"
    )


def categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """Row-wise categorical draws from an (n, k) matrix of probabilities (rows need not be normalised)."""
    probs = np.asarray(probs, dtype="float64")
    cum = np.cumsum(probs, axis=1)
    cum /= cum[:, -1:]
    u = rng.random(len(probs))[:, None]
    return np.minimum((u > cum).sum(axis=1), probs.shape[1] - 1)


def choice(rng: np.random.Generator, weights, n: int) -> np.ndarray:
    w = np.asarray(weights, dtype="float64")
    return rng.choice(len(w), size=n, p=w / w.sum())


def backlog_factor(month_idx, peak: str, height: float, width_months: float) -> np.ndarray:
    """Multiplier on court waiting times: 1 + height * exp(-((t - peak) / width)^2)."""
    t = np.asarray(month_idx, dtype="float64")
    return 1.0 + height * np.exp(-(((t - parse_month(peak)) / width_months) ** 2))


def grouped_cumsum(values: np.ndarray, group_start: np.ndarray) -> np.ndarray:
    """Cumulative sum restarting at each True in group_start (rows sorted by group)."""
    cs = np.cumsum(values)
    starts = np.flatnonzero(group_start)
    offsets = np.zeros_like(cs)
    base = cs[starts] - values[starts]
    seg = np.cumsum(group_start) - 1
    offsets = base[seg]
    return cs - offsets
