"""Agency re-sends: a later month's delivery includes a corrected version of an earlier month's file.

The landing zone holds one file per extract and month, so the file on disk is always the *corrected* version (the
one the truth describes: the truth is computed from the simulated world, which the corrected file matches). The
*first delivery* is derived from it deterministically: a few rows were missing (entered late) and a few rows had one
field wrong (corrected in the re-send). ``_truth/resends.parquet`` lists every re-send, and :func:`write_resend`
writes the before and after versions of any month's file so ingestion tests can exercise revision handling.

Choice: for each CSV extract and reporting month m (not the last), with probability RESEND_RATE (stream
(seed, 0, m, STREAM_RESEND, extract number)) the month is re-sent in month m + 1 + k (k geometric, 0-2), if that month
is still inside the simulated range.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from pipelines.lib.simulator import params as P
from pipelines.lib.simulator.common import STREAM_RESEND, month_label, parse_month

# extract -> (column corrected in the re-send, what the first delivery had there)
CORRECTABLE = {
    "police/crimes": ("Outcome Code", "blank"),
    "police/arrests": ("Custody Outcome", "swap"),
    "police/precharge": ("Decision", "blank"),
    "police/stop_search": ("Outcome", "swap"),
    "cps/precharge_decisions": ("RESPONSE_TYPE", "swap"),
    "cps/finalisations": ("UNSUCCESSFUL_REASON", "swap"),
    "hmcts/mc_cases": ("Disposal Type", "blank"),
    "hmcts/outstanding": ("Age Days", "swap"),
    "probation/community_orders": ("Requirement Count", "swap"),
    "pcc/victim_referrals": ("referral_outcome", "swap"),
    "pcc/vcop_audit": ("overall_result", "swap"),
    "pcc/victim_survey": ("whole_experience", "swap"),
    "pcc/public_confidence": ("police_doing_good_job", "swap"),
}
RESEND_SCHEMA = {
    "extract": pl.String,
    "reporting_month": pl.String,
    "resent_in_month": pl.String,
    "rows_first_delivery": pl.Int64,
    "rows_corrected": pl.Int64,
    "rows_changed": pl.Int64,
    "rows_added": pl.Int64,
    "column_corrected": pl.String,
    "what_changed": pl.String,
}


@dataclass
class Resend:
    extract: str
    month: int
    resent_in: int


def _extract_no(extract: str) -> int:
    return int(hashlib.sha256(extract.encode()).hexdigest()[:6], 16)


def plan_resends(extracts: list[str], first_month: int, last_month: int, seed: int) -> list[Resend]:
    """Which (extract, month) files are re-sent, and in which later month (deterministic for the seed)."""
    out = []
    for extract in sorted(extracts):
        if extract not in CORRECTABLE:
            continue
        for m in range(first_month, last_month):
            rng = np.random.default_rng([int(seed), 0, int(m), STREAM_RESEND, _extract_no(extract)])
            if rng.random() < P.RESEND_RATE.value:
                resent_in = m + 1 + min(int(rng.geometric(0.6)) - 1, 2)
                if resent_in <= last_month:
                    out.append(Resend(extract, m, resent_in))
    return out


def first_delivery(corrected: pl.DataFrame, extract: str, month: int, seed: int) -> tuple[pl.DataFrame, dict]:
    """The first (uncorrected) delivery of a month's file, derived from the corrected one, and what changed."""
    col, how = CORRECTABLE[extract]
    n = corrected.height
    rng = np.random.default_rng([int(seed), 1, int(month), STREAM_RESEND, _extract_no(extract)])
    k = min(n, max(1, int(round(n * P.RESEND_CHANGE_SHARE.value)))) if n else 0
    added = np.sort(rng.choice(n, size=min(k, max(n - 1, 0)), replace=False)) if n > 1 else np.array([], dtype="int64")
    keep = np.setdiff1d(np.arange(n), added)
    changed = np.sort(rng.choice(keep, size=min(k, len(keep)), replace=False)) if len(keep) else keep
    values = corrected[col].cast(pl.String).to_list()
    pool = sorted({v for v in values if v is not None})
    before = list(values)
    n_changed = 0
    for i in changed.tolist():
        if how == "blank" or len(pool) < 2:
            new = None if values[i] is not None else (pool[0] if pool else None)
        else:
            others = [v for v in pool if v != values[i]]
            new = others[int(rng.integers(0, len(others)))]
        if new != values[i]:
            before[i] = new
            n_changed += 1
    frame = corrected.with_columns(pl.Series(col, before, dtype=pl.String).cast(corrected.schema[col], strict=False))
    frame = frame[keep.tolist()] if len(added) else frame
    info = {
        "rows_first_delivery": frame.height,
        "rows_corrected": n,
        "rows_changed": n_changed,
        "rows_added": int(len(added)),
        "column_corrected": col,
        "what_changed": f"{col} corrected on {n_changed} rows ({'was blank' if how == 'blank' else 'wrong value'}); "
        f"{len(added)} rows missing from the first delivery added",
    }
    return frame, info


def _path(out: Path, extract: str, month: int) -> Path:
    agency, name = extract.split("/")
    return Path(out) / agency / name / f"{agency}_{name}_{month_label(month)}.csv"


def _read(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False, encoding="utf8")


def resend_table(out: Path, extracts: list[str], first_month: int, last_month: int, seed: int) -> pl.DataFrame:
    """_truth/resends.parquet: every re-send of the run (extract, reporting_month, resent_in_month, rows ...)."""
    rows = []
    for r in plan_resends(extracts, first_month, last_month, seed):
        path = _path(out, r.extract, r.month)
        if not path.exists():
            continue
        _, info = first_delivery(_read(path), r.extract, r.month, seed)
        rows.append(
            {
                "extract": r.extract,
                "reporting_month": month_label(r.month),
                "resent_in_month": month_label(r.resent_in),
                **info,
            }
        )
    return pl.DataFrame(rows, schema=RESEND_SCHEMA) if rows else pl.DataFrame(schema=RESEND_SCHEMA)


def write_resend(out: Path, extract: str, month: str, dest: Path, seed: int = 42) -> dict:
    """Write the first delivery and the corrected re-send of one month's file of a simulated landing zone `out`:
    dest/before/<agency>/<extract>/<file> and dest/after/<agency>/<extract>/<file> (the after file is a byte copy of
    the landing-zone file). Works for any CSV extract in CORRECTABLE and any month, re-sent in the run or not; `seed`
    should be the run's seed so a re-send listed in resends.parquet is reproduced exactly. Returns the paths and
    what changed."""
    if extract not in CORRECTABLE:
        raise ValueError(f"{extract} has no re-send model; one of {sorted(CORRECTABLE)}")
    m = parse_month(month)
    src = _path(out, extract, m)
    after = _path(Path(dest) / "after", extract, m)
    before = _path(Path(dest) / "before", extract, m)
    after.parent.mkdir(parents=True, exist_ok=True)
    before.parent.mkdir(parents=True, exist_ok=True)
    after.write_bytes(src.read_bytes())
    frame, info = first_delivery(_read(src), extract, m, seed)
    frame.write_csv(before)
    return {"before": before, "after": after, **info}
