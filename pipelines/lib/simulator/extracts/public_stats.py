"""Lookalikes of the national statistical releases (CPS case outcomes by principal offence category, MoJ court
timeliness, MoJ trial effectiveness), written from the truth for the simulated areas and from a seeded filler model for
the others, so the warehouse's external accuracy checks run end to end on simulated data.

Why a filler: the real releases cover every area (CPS `National` = the sum of 42 areas), a simulation usually covers a
few. Every figure written is listed in `_truth/public_figures.parquet` with its source: `simulated` (counted from the
simulated defendant-cases and hearings, the same rows the CPS and HMCTS extracts deliver), `filler` (the model below),
`sum` / `aggregate` (a national or regional row made from the area rows) and, for a test's planted disagreement,
`planted` (with the true value beside it).

Files (formats: ``../shared/docs/public_formats.md``; details in docs/simulator.md):
- `public/cps_copoc/<YYYY-MM>/principal_offence_category_<Mon>.csv`: one per reporting month, 51 columns, LF.
- `public/moj_court_timeliness/court_timeliness.csv`: calendar quarters wholly inside the reporting months.
- `public/moj_trial_effectiveness/trial_effectiveness.csv`: the same quarters, long format.

Filler model (seeded per area and month or quarter, stream STREAM_PUBLIC): volumes are the simulator's own per-crime
rates (measured on Wiltshire, seed 7, 2023-2024) times the area's expected recorded crime, so a filler area looks like
a simulated one of its size; the mix is published: COPOC category shares and conviction rates from the real CPS
January 2014 `National` row (``../shared/real_data/cps_copoc``), trial outcomes and timeliness from calibration.md.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from pipelines.lib.simulator import params as P
from pipelines.lib.simulator.common import STREAM_PUBLIC, day_to_month, month_end_day, month_label, rng_for
from pipelines.lib.simulator.extracts.common import UrnErrors
from pipelines.lib.simulator.extracts.cps import CPS_FORCE_NAMES, principal_offence_category
from pipelines.lib.simulator.extracts.hmcts import TRIAL_LABEL, court_tables
from pipelines.lib.simulator.geography import AREAS, Area
from pipelines.lib.simulator.journey import expected_crimes
from pipelines.lib.simulator.model import AreaWorld

# ---- CPS COPOC ----------------------------------------------------------------------------------------------------
CATEGORIES = (
    "Homicide",
    "Offences Against The Person",
    "Sexual Offences",
    "Burglary",
    "Robbery",
    "Theft And Handling",
    "Fraud And Forgery",
    "Criminal Damage",
    "Drugs Offences",
    "Public Order Offences",
    "All Other Offences (excluding Motoring)",
    "Motoring Offences",
)
ADMIN = "Number of Admin Finalised Unsuccessful"
COPOC_HEADER = [
    "",
    *[
        f"{kind} of {c} {what}"
        for c in CATEGORIES
        for what in ("Convictions", "Unsuccessful")
        for kind in ("Number", "Percentage")
    ],
    ADMIN,
    "Percentage of L Motoring Offences Unsuccessful",
]
ZERO_DENOMINATOR = {"Robbery": "0"}  # the real files write "0" for Robbery and "-" elsewhere when nothing was finalised
COPOC_NAMES = {**CPS_FORCE_NAMES, "Greater Manchester": "GreaterManchester"}
# CPS January 2014 National row: (convictions, unsuccessful) per category, and admin finalisations (of 8,411 unsuccessful)
COPOC_NATIONAL_2014 = {
    "Homicide": (51, 11),
    "Offences Against The Person": (9087, 2930),
    "Sexual Offences": (736, 286),
    "Burglary": (1715, 284),
    "Robbery": (522, 139),
    "Theft And Handling": (11057, 998),
    "Fraud And Forgery": (846, 137),
    "Criminal Damage": (2693, 472),
    "Drugs Offences": (4988, 305),
    "Public Order Offences": (4752, 797),
    "All Other Offences (excluding Motoring)": (3291, 586),
    "Motoring Offences": (12945, 1466),
}
COPOC_ADMIN_SHARE_2014 = 890 / 8411
# DERIVED from the simulator (Wiltshire, seed 7, 2023-01..2024-12): defendant-cases per recorded crime, the Crown
# Court's share of them, trial listings (effective + cracked + ineffective) per defendant-case in each court
FINALISATIONS_PER_CRIME = 0.081
CC_SHARE = 0.157
TRIALS_PER_FINALISATION = {"Magistrates' courts": 0.48, "Crown Court": 0.81}

# ---- MoJ timeliness and trial effectiveness -------------------------------------------------------------------------
MC, CC, ALL = "Magistrates' courts", "Crown Court", "All courts"
STAGES = ("offence to charge", "charge to first list", "first list to completion", "offence to completion")
TIMELINESS_HEADER = [
    "Year",
    "Period",
    "Court type",
    "National",
    "Region",
    "LCJB area",
    "LJA or Court name",
    "Defendants",
    *[f"Mean {s}" for s in STAGES],
    *[f"Median {s}" for s in STAGES],
]
QUARTER_NAMES = ("Jan-Mar", "Apr-Jun", "Jul-Sep", "Oct-Dec")
# filler stage durations in days, (means, medians) for offence->charge, charge->first list, first list->completion;
# offence->completion median: calibration.md (MC ~180, CC 366-400); the rest ASSUMED after the public_formats.md example
TIMELINESS_FILLER = {MC: ((95, 31, 30), (60, 27, 0), 180), CC: ((150, 30, 280), (90, 25, 180), 380)}
TRIAL_HEADER = [
    "Year",
    "Quarter",
    "Court type",
    "Region",
    "LCJB area",
    "Police force area",
    "trial_effectiveness",
    "Reason",
    "Trials",
]
VACATED = "4. Vacated trial"
TRIAL_SHARES = {"1: Effective trials": 0.42, "2: Cracked trials": 0.36, "3: Ineffective trials": 0.22}  # calibration.md
VACATED_PER_TRIAL = 0.15  # ASSUMED (the simulator does not vacate trials: 0 for simulated areas)
INEFFECTIVE_REASONS = [r for r, _ in P.INEFFECTIVE_REASONS.value]
CRACKED_REASONS = [
    "Defendant pleaded guilty",
    "Prosecution end case - insufficient evidence",
    "Prosecution end case - victim or witness issues",
]
CRACKED_FILLER_WEIGHTS = (0.6, 0.2, 0.2)  # ASSUMED
SUPPRESSED = "[c]"  # counts of 1 or 2 (and the timeliness of 1 or 2 defendants) are suppressed, as MoJ does


@dataclass(frozen=True)
class PublicDisagreement:
    """A figure a test wants the 'published' files to get wrong: `figure` (a column header, or a trial_effectiveness
    label) of `area` (force slug) in `period` (COPOC: `YYYY-MM`; MoJ: `YYYY Qn`) shifted by `shift`. `court_type`
    for the MoJ files (default All courts / Magistrates' courts), `category` a trial reason (default `-`)."""

    release: str  # cps_copoc | moj_court_timeliness | moj_trial_effectiveness
    area: str
    period: str
    figure: str
    shift: float
    court_type: str | None = None
    category: str | None = None


def copoc_name(area: Area) -> str:
    return COPOC_NAMES.get(area.name, area.name)


def lcjb_name(area: Area) -> str:
    name = {"Metropolitan Police": "London", "London, City of": "London"}.get(area.name, area.name)
    return CPS_FORCE_NAMES.get(name, name).replace("Metropolitan and City", "London") + " LCJB"


def quarter_label(q: int) -> str:
    """Quarter index (year * 4 + quarter - 1) -> `2024 Q1`."""
    return f"{q // 4} Q{q % 4 + 1}"


def _quarters(first: int, last: int) -> list[int]:
    """Calendar quarters wholly inside months first..last."""
    return [q for q in range((first + 2) // 3, last // 3 + 1) if q * 3 >= first and q * 3 + 2 <= last]


# ---------------------------------------------------------------------------------------------------------------------
# per simulated area: the figures from the truth
# ---------------------------------------------------------------------------------------------------------------------
def area_figures(world: AreaWorld) -> dict[str, pl.DataFrame]:
    """The simulated area's COPOC counts per month, defendant-case durations per quarter, trial listings per quarter."""
    a = world.area
    first, last = world.first_month, world.last_month
    lo, hi = int(month_end_day(first - 1)) + 1, int(month_end_day(last))
    d = world.dcs.filter(pl.col("completion_date").is_between(lo, hi))
    offence = (
        world.charged.join(world.crimes.select("crime_id", "offence_date"), on="crime_id", how="left")
        .group_by("dc_id")
        .agg(pl.col("offence_date").min())
    )
    d = (
        d.join(
            world.crimes.select(pl.col("crime_id").alias("principal_crime_id"), "offence_group", "ho_offence_code"),
            on="principal_crime_id",
            how="left",
        )
        .join(offence, on="dc_id", how="left")
        .with_columns(
            principal_offence_category().alias("category"),
            pl.Series("month", day_to_month(d["completion_date"].to_numpy())).cast(pl.Int64),
        )
    )
    copoc = pl.concat(
        [
            d.group_by("month", "category")
            .agg(pl.col("convicted").sum().alias("conv"), pl.col("unsuccessful").sum().alias("uns"))
            .unpivot(["conv", "uns"], index=["month", "category"], variable_name="what")
            .with_columns(
                pl.format(
                    "Number of {} {}",
                    "category",
                    pl.col("what").replace_strict({"conv": "Convictions", "uns": "Unsuccessful"}),
                ).alias("figure")
            ),
            d.group_by("month")
            .agg((pl.col("result_category") == "ADM").sum().alias("value"))
            .with_columns(pl.lit(ADMIN).alias("figure")),
        ],
        how="diagonal",
    ).select("month", "figure", pl.col("value").cast(pl.Float64))
    mc, cc = court_tables(world)
    durations = (
        d.join(mc, on="mc_idx", how="left")
        .join(cc, on="cc_idx", how="left")
        .select(
            (pl.col("month") // 3).alias("quarter"),
            pl.when(pl.col("sent_to_cc")).then(pl.lit(CC)).otherwise(pl.lit(MC)).alias("court_type"),
            pl.when(pl.col("sent_to_cc")).then(pl.col("cc_name")).otherwise(pl.col("mc_name")).alias("court"),
            (pl.col("first_charge") - pl.col("offence_date")).alias(STAGES[0]),
            (pl.col("first_hearing") - pl.col("first_charge")).alias(STAGES[1]),
            (pl.col("completion_date") - pl.col("first_hearing")).alias(STAGES[2]),
            (pl.col("completion_date") - pl.col("offence_date")).alias(STAGES[3]),
        )
    )
    h = world.hearings.filter(pl.col("hearing_date").is_between(lo, hi) & pl.col("trial_outcome").is_not_null())
    h = h.with_columns(pl.Series("quarter", day_to_month(h["hearing_date"].to_numpy()) // 3).cast(pl.Int64))
    court = pl.when(pl.col("court_type") == "CC").then(pl.lit(CC)).otherwise(pl.lit(MC)).alias("court_type")
    label = pl.col("trial_outcome").replace_strict(TRIAL_LABEL)
    trials = pl.concat(
        [
            h.group_by("quarter", court, label.alias("figure"))
            .agg(pl.len().alias("value"))
            .with_columns(pl.lit("-").alias("category")),
            h.filter(pl.col("reason").is_not_null())
            .group_by("quarter", court, label.alias("figure"), "reason")
            .agg(pl.len().alias("value"))
            .with_columns(_reason_label(pl.col("reason")).alias("category"))
            .drop("reason"),
        ],
        how="diagonal",
    ).with_columns(pl.col("value").cast(pl.Float64))
    return {
        "copoc": copoc.with_columns(pl.lit(a.code).alias("area_code")),
        "durations": durations.with_columns(pl.lit(a.code).alias("area_code")),
        "trials": trials.with_columns(pl.lit(a.code).alias("area_code")),
    }


def _reason_label(reason: pl.Expr) -> pl.Expr:
    """`Another case over-ran` -> `09. Ineffective reason: Another case over-ran` (MoJ-style numbered labels)."""
    text = reason.str.replace(r"^(Ineffective|Cracked) reason: ", "")
    numbered = {r: f"{i + 1:02d}. Ineffective reason: {r}" for i, r in enumerate(INEFFECTIVE_REASONS)}
    numbered |= {
        r: f"{i + 1 + len(INEFFECTIVE_REASONS):02d}. Cracked reason: {r}" for i, r in enumerate(CRACKED_REASONS)
    }
    return text.replace_strict(numbered)


# ---------------------------------------------------------------------------------------------------------------------
# the filler model for the areas not simulated
# ---------------------------------------------------------------------------------------------------------------------
def _expected_finalisations(area: Area, month: int, scale: float) -> float:
    return expected_crimes(area, month, scale) * FINALISATIONS_PER_CRIME


_NATIONAL_2014 = np.array([COPOC_NATIONAL_2014[c] for c in CATEGORIES], dtype="float64")  # (category, conv/uns)


def filler_copoc(area: Area, month: int, seed: int, scale: float) -> dict[str, float]:
    rng = rng_for(seed, area.code_int, month, STREAM_PUBLIC * 100 + 1)
    counts = rng.poisson(_expected_finalisations(area, month, scale) * _NATIONAL_2014 / _NATIONAL_2014.sum())
    out = {
        f"Number of {cat} {what}": float(counts[i, j])
        for i, cat in enumerate(CATEGORIES)
        for j, what in enumerate(("Convictions", "Unsuccessful"))
    }
    out[ADMIN] = float(rng.binomial(int(counts[:, 1].sum()), COPOC_ADMIN_SHARE_2014))
    return out


def filler_timeliness(area: Area, quarter: int, seed: int, scale: float) -> list[dict]:
    """Per court type: defendants and unrounded means and medians (days) of the four stages."""
    rng = rng_for(seed, area.code_int, quarter, STREAM_PUBLIC * 100 + 2)
    e = sum(_expected_finalisations(area, m, scale) for m in range(quarter * 3, quarter * 3 + 3))
    rows = []
    for court, share in ((MC, 1 - CC_SHARE), (CC, CC_SHARE)):
        means, medians, median_total = TIMELINESS_FILLER[court]
        noise = np.exp(rng.normal(0, 0.08, 7))
        m = [v * k for v, k in zip(means, noise[:3], strict=True)]
        md = [v * k for v, k in zip(medians, noise[3:6], strict=True)]
        rows.append(
            {
                "court_type": court,
                "n": float(rng.poisson(e * share)),
                "mean": [*m, sum(m)],
                "median": [*md, median_total * noise[6]],
            }
        )
    return rows


def filler_trials(area: Area, quarter: int, seed: int, scale: float) -> list[tuple[str, str, str, float]]:
    """(court type, trial_effectiveness, reason or '-', trials)."""
    rng = rng_for(seed, area.code_int, quarter, STREAM_PUBLIC * 100 + 3)
    e = sum(_expected_finalisations(area, m, scale) for m in range(quarter * 3, quarter * 3 + 3))
    rows = []
    for court, share in ((MC, 1 - CC_SHARE), (CC, CC_SHARE)):
        listed = int(rng.poisson(e * share * TRIALS_PER_FINALISATION[court]))
        eff, cracked, ineff = rng.multinomial(listed, list(TRIAL_SHARES.values()))
        for label, n in zip(TRIAL_SHARES, (eff, cracked, ineff), strict=True):
            rows.append((court, label, "-", float(n)))
        rows.append((court, VACATED, "-", float(rng.poisson(listed * VACATED_PER_TRIAL))))
        w = np.array([x for _, x in P.INEFFECTIVE_REASONS.value])
        for i, n in enumerate(rng.multinomial(ineff, w / w.sum())):
            if n:
                rows.append(
                    (
                        court,
                        "3: Ineffective trials",
                        f"{i + 1:02d}. Ineffective reason: {INEFFECTIVE_REASONS[i]}",
                        float(n),
                    )
                )
        for i, n in enumerate(rng.multinomial(cracked, CRACKED_FILLER_WEIGHTS)):
            if n:
                rows.append(
                    (
                        court,
                        "2: Cracked trials",
                        f"{i + 1 + len(INEFFECTIVE_REASONS):02d}. Cracked reason: {CRACKED_REASONS[i]}",
                        float(n),
                    )
                )
    return rows


# ---------------------------------------------------------------------------------------------------------------------
# assembling and writing the releases
# ---------------------------------------------------------------------------------------------------------------------
class _Figures:
    """Every figure written, in the shape of _truth/public_figures.parquet; applies the planted disagreement."""

    COLUMNS = {
        "release": pl.String,
        "period": pl.String,
        "geography": pl.String,
        "level": pl.String,
        "area_code": pl.String,
        "court_type": pl.String,
        "figure": pl.String,
        "category": pl.String,
        "value": pl.Float64,
        "marker": pl.String,
        "true_value": pl.Float64,
        "source": pl.String,
    }

    def __init__(self, disagreement: PublicDisagreement | None):
        self.rows: list[tuple] = []
        self.disagreement = disagreement
        self.planted = 0

    def add(
        self,
        release: str,
        period: str,
        geography: str,
        level: str,
        area_code: str | None,
        court_type: str | None,
        figure: str,
        category: str | None,
        value: float,
        source: str,
        marker: str | None = None,
    ) -> float:
        """Record a figure (`marker`: written instead of the value); returns the value to write (shifted if it is
        the planted disagreement)."""
        true_value = value
        d = self.disagreement
        if (
            d is not None
            and d.release == release
            and d.period == period
            and d.figure == figure
            and level in ("area", "lcjb")
            and area_code is not None
            and AREAS[d.area].code in area_code.split("|")
            and (release == "cps_copoc" or court_type == (d.court_type or (ALL if level == "lcjb" else MC)))
            and (d.category or "-") == (category or "-")
        ):
            value, source = value + d.shift, "planted"
            self.planted += 1
        self.rows.append(
            (
                release,
                period,
                geography,
                level,
                area_code,
                court_type,
                figure,
                category,
                None if marker else value,
                marker,
                true_value,
                source,
            )
        )
        return value

    def frame(self) -> pl.DataFrame:
        columns = list(zip(*self.rows, strict=True)) if self.rows else [()] * len(self.COLUMNS)
        return pl.DataFrame(dict(zip(self.COLUMNS, map(list, columns), strict=True)), schema=self.COLUMNS)


def _count(value: float) -> str:
    return f"{int(value):,}"


def _half_up(x: float) -> int:
    return int(np.floor(x + 0.5))


def _pct(num: float, den: float, category: str) -> str:
    if den == 0:
        return ZERO_DENOMINATOR.get(category, "-")
    return f"{np.floor(num / den * 1000 + 0.5) / 10:.1f}%"


def _csv_text(rows: list[list[str]], terminator: str) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=terminator).writerows(rows)
    return buf.getvalue()


def _write_text(path: Path, text: str, log: UrnErrors) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    log.written.add(path)


def _copoc_groups() -> dict[str, list[Area]]:
    """COPOC row label -> its force areas, in the real files' order (case-insensitive, spaces ignored)."""
    groups: dict[str, list[Area]] = {}
    for area in sorted(AREAS.values(), key=lambda a: a.code):
        groups.setdefault(copoc_name(area), []).append(area)
    return dict(sorted(groups.items(), key=lambda kv: kv[0].lower().replace(" ", "")))


def write_copoc(
    out: Path,
    months: list[int],
    simulated: dict[str, pl.DataFrame],
    seed: int,
    scale: float,
    figures: _Figures,
    log: UrnErrors,
) -> int:
    """One file per month; returns data rows written."""
    sim = {}
    for code, frame in simulated.items():
        for r in frame.iter_rows(named=True):
            sim[(code, r["month"], r["figure"])] = r["value"]
    count_cols = [h for h in COPOC_HEADER if h.startswith("Number")]
    n = 0
    for m in months:
        table: dict[str, dict[str, float]] = {}
        for label, areas in _copoc_groups().items():
            values = dict.fromkeys(count_cols, 0.0)
            kinds = set()
            for area in areas:
                if area.code in simulated:
                    kinds.add("simulated")
                    part = {c: sim.get((area.code, m, c), 0.0) for c in count_cols}
                else:
                    kinds.add("filler")
                    part = filler_copoc(area, m, seed, scale)
                for c in count_cols:
                    values[c] += part[c]
            source = kinds.pop() if len(kinds) == 1 else "simulated+filler"
            code = "|".join(a.code for a in areas)
            table[label] = {
                c: figures.add("cps_copoc", month_label(m), label, "area", code, None, c, None, v, source)
                for c, v in values.items()
            }
        national = {c: sum(row[c] for row in table.values()) for c in count_cols}
        for c, v in national.items():
            figures.add("cps_copoc", month_label(m), "National", "national", None, None, c, None, v, "sum")
        lines = [COPOC_HEADER]
        for label, row in [("National", national), *table.items()]:
            cells = [label]
            for cat in CATEGORIES:
                conv, uns = row[f"Number of {cat} Convictions"], row[f"Number of {cat} Unsuccessful"]
                cells += [_count(conv), _pct(conv, conv + uns, cat), _count(uns), _pct(uns, conv + uns, cat)]
            admin = row[ADMIN]
            cells += [_count(admin), "100.0%" if admin > 0 else "-"]
            lines.append(cells)
        name = f"principal_offence_category_{_MONTH_ABBR[m % 12]}.csv"
        _write_text(out / "public" / "cps_copoc" / month_label(m) / name, _csv_text(lines, "\n"), log)
        n += len(lines) - 1
    return n


_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _days(value: object, stage: str) -> float:
    """A mean or median of a stage's days as a float: polars types it as any Python value or None, which here (no
    day counted in a quarter that has defendants) would be a bug."""
    if not isinstance(value, int | float):
        raise TypeError(f"the days of '{stage}' averaged to {value!r}, not a number")
    return float(value)


@dataclass
class _Stats:
    """Defendants and (unrounded) mean and median days of the four stages; combinable approximately (medians)."""

    n: float
    mean: list[float]
    median: list[float]
    source: str

    @classmethod
    def of(cls, rows: pl.DataFrame, source: str = "simulated") -> _Stats:
        if rows.height == 0:
            return cls(0.0, [0.0] * 4, [0.0] * 4, source)
        return cls(
            float(rows.height),
            [_days(rows[s].mean(), s) for s in STAGES],
            [_days(rows[s].median(), s) for s in STAGES],
            source,
        )

    @classmethod
    def combine(cls, parts: list[_Stats], source: str) -> _Stats:
        """Exact for counts and means; the median is the defendant-weighted mean of the parts' medians (the true
        median of a filler area is not known), so a combined median is approximate."""
        n = sum(p.n for p in parts)
        if n == 0:
            return cls(0.0, [0.0] * 4, [0.0] * 4, source)
        return cls(
            n,
            [sum(p.n * p.mean[i] for p in parts) / n for i in range(4)],
            [sum(p.n * p.median[i] for p in parts) / n for i in range(4)],
            source,
        )


def write_timeliness(
    out: Path,
    quarters: list[int],
    simulated: dict[str, pl.DataFrame],
    seed: int,
    scale: float,
    figures: _Figures,
    log: UrnErrors,
) -> int:
    lcjbs: dict[str, list[Area]] = {}
    for area in sorted(AREAS.values(), key=lambda a: a.code):
        lcjbs.setdefault(lcjb_name(area), []).append(area)
    lines = [TIMELINESS_HEADER]
    empty = {code: frame.clear() for code, frame in simulated.items()}
    by_quarter = {code: frame.partition_by("quarter", as_dict=True) for code, frame in simulated.items()}

    def emit(q: int, court: str, geo: tuple[str, str, str, str], level: str, code: str | None, s: _Stats) -> None:
        if s.n == 0:
            return
        name = dict(zip(("national", "region", "lcjb", "court"), geo, strict=True))[level]
        small = s.n <= 2
        cells = []
        for fig, v in zip(TIMELINESS_HEADER[7:], [s.n, *s.mean, *s.median], strict=True):
            written = figures.add(
                "moj_court_timeliness",
                quarter_label(q),
                name,
                level,
                code,
                court,
                fig,
                None,
                float(_half_up(v)),
                s.source if level in ("lcjb", "court") else "aggregate",
                marker=SUPPRESSED if small else None,
            )
            cells.append(SUPPRESSED if small else str(int(written)))
        lines.append([str(q // 4), f"{quarter_label(q)} ({QUARTER_NAMES[q % 4]})", court, *geo, *cells])

    for q in quarters:
        by_lcjb: dict[str, dict[str, _Stats]] = {}
        for label, areas in lcjbs.items():
            per_court: dict[str, list[_Stats]] = {MC: [], CC: []}
            sim_rows = [by_quarter[a.code].get((q,), empty[a.code]) for a in areas if a.code in simulated]
            for area in areas:
                if area.code not in simulated:
                    for r in filler_timeliness(area, q, seed, scale):
                        per_court[r["court_type"]].append(_Stats(r["n"], r["mean"], r["median"], "filler"))
            stats = {}
            for court in (MC, CC):
                rows = [r.filter(pl.col("court_type") == court) for r in sim_rows]
                if rows and not per_court[court]:
                    stats[court] = _Stats.of(pl.concat(rows))
                else:
                    parts = per_court[court] + [_Stats.of(r) for r in rows if r.height]
                    stats[court] = _Stats.combine(parts, "filler" if not rows else "simulated+filler")
            stats[ALL] = (
                _Stats.of(pl.concat(sim_rows))
                if len(sim_rows) == len(areas)
                else _Stats.combine([stats[MC], stats[CC]], stats[MC].source)
            )
            by_lcjb[label] = stats
        for court in (ALL, MC, CC):
            nat = _Stats.combine([s[court] for s in by_lcjb.values()], "aggregate")
            emit(q, court, ("England and Wales", "-", "-", "-"), "national", None, nat)
            for region in sorted({a.region for a in AREAS.values()}):
                members = [lab for lab, areas in lcjbs.items() if areas[0].region == region]
                emit(
                    q,
                    court,
                    ("-", region, "-", "-"),
                    "region",
                    None,
                    _Stats.combine([by_lcjb[lab][court] for lab in members], "aggregate"),
                )
            for label, areas in lcjbs.items():
                code = "|".join(a.code for a in areas)
                emit(q, court, ("-", areas[0].region, label, "-"), "lcjb", code, by_lcjb[label][court])
                if court == ALL:
                    continue
                for area in areas:
                    if area.code in simulated:
                        court_rows = (
                            by_quarter[area.code].get((q,), empty[area.code]).filter(pl.col("court_type") == court)
                        )
                        for name in sorted(set(court_rows["court"].to_list())):
                            emit(
                                q,
                                court,
                                ("-", area.region, label, name),
                                "court",
                                area.code,
                                _Stats.of(court_rows.filter(pl.col("court") == name)),
                            )
    _write_text(out / "public" / "moj_court_timeliness" / "court_timeliness.csv", _csv_text(lines, "\n"), log)
    return len(lines) - 1


def write_trials(
    out: Path,
    quarters: list[int],
    simulated: dict[str, pl.DataFrame],
    seed: int,
    scale: float,
    figures: _Figures,
    log: UrnErrors,
) -> int:
    lines = [TRIAL_HEADER]
    order = {label: i for i, label in enumerate([*TRIAL_SHARES, VACATED])}
    for q in quarters:
        for area in sorted(AREAS.values(), key=lambda a: a.code):
            if area.code in simulated:
                t = simulated[area.code].filter(pl.col("quarter") == q)
                values = {(r["court_type"], r["figure"], r["category"]): r["value"] for r in t.iter_rows(named=True)}
                for court in (MC, CC):
                    for label in order:
                        values.setdefault((court, label, "-"), 0.0)
                rows = [(*k, v) for k, v in values.items()]
                source = "simulated"
            else:
                rows, source = filler_trials(area, q, seed, scale), "filler"
            rows.sort(key=lambda r: (r[0] != MC, order[r[1]], r[2] != "-", r[2]))
            for court, label, reason, value in rows:
                small = 0 < value <= 2
                written = figures.add(
                    "moj_trial_effectiveness",
                    quarter_label(q),
                    area.name,
                    "area",
                    area.code,
                    court,
                    label,
                    reason,
                    value,
                    source,
                    marker=SUPPRESSED if small else None,
                )
                lines.append(
                    [
                        str(q // 4),
                        f"Q{q % 4 + 1}",
                        court,
                        area.region,
                        lcjb_name(area),
                        area.name,
                        label,
                        reason,
                        SUPPRESSED if small else str(int(written)),
                    ]
                )
    _write_text(out / "public" / "moj_trial_effectiveness" / "trial_effectiveness.csv", _csv_text(lines, "\n"), log)
    return len(lines) - 1


def write_public_stats(
    out: Path,
    collected: dict[str, dict[str, pl.DataFrame]],
    first: int,
    last: int,
    seed: int,
    scale: float,
    disagreement: PublicDisagreement | None,
    log: UrnErrors,
) -> tuple[dict[str, int], pl.DataFrame]:
    """Write the three releases from the simulated areas' figures (`collected`: kind -> area code -> frame) and the
    filler; return rows written and every figure written (with the police.uk figures: _truth/public_figures)."""
    figures = _Figures(disagreement)
    quarters = _quarters(first, last)
    rows = {
        "public/cps_copoc": write_copoc(
            out, list(range(first, last + 1)), collected["copoc"], seed, scale, figures, log
        ),
        "public/moj_court_timeliness": write_timeliness(
            out, quarters, collected["durations"], seed, scale, figures, log
        ),
        "public/moj_trial_effectiveness": write_trials(out, quarters, collected["trials"], seed, scale, figures, log),
    }
    if disagreement is not None and figures.planted != 1:
        raise ValueError(
            f"public_disagreement {disagreement} matches {figures.planted} published figures, not one: "
            "check the release, area, period (COPOC YYYY-MM, MoJ 'YYYY Qn'), figure and court type"
        )
    return rows, figures.frame()
