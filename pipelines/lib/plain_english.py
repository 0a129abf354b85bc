"""Internal names turned into the words a board member reads, for the board pack's and the workbook's notes.

The published tables speak the pipeline's language: extract names (`police_crimes`), measure ids
(`public_confidence_pct`), counting bases (`in_period`), months as `2024-05`, and reasons such as "not delivered:
police_crimes 2024-05, police_crimes 2024-06". A note must say the same in plain English ("Police recorded crimes and
outcomes (monthly) for May to Jun 2024"), from the names the project already keeps: each extract's spec title, each
measure's title in the library, each published series' release. Anything unnamed is left as it is, and the pack's
test looks for leftover identifiers, so a new internal name cannot slip into a note unseen.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from pipelines.lib.months import MONTH_PATTERN, add_months
from pipelines.lib.source_spec import load_specs

PUBLISHED_SERIES_SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "ref_published_series.csv"

AGENCY_NAMES = {
    "police": "the police",
    "cps": "the Crown Prosecution Service",
    "hmcts": "HM Courts & Tribunals Service",
    "moj": "the Ministry of Justice",
    "pcc": "the Office of the Police and Crime Commissioner",
    "probation": "the Probation Service",
    "partnership": "the board's partner agencies",
}
COUNTING_BASES = {
    "in_period": "events in the period",
    "snapshot": "cases open on the last day of the period",
    "rolling_12_months": "events in the 12 months to the end of the period",
    "cohort": "a cohort of offenders, each followed for a year after their caution, conviction or release",
}
AGENCY_ABBREVIATIONS = {
    "police": "Police",
    "cps": "CPS",
    "hmcts": "HMCTS",
    "moj": "MoJ",
    "pcc": "PCC",
    "probation": "Probation",
    "partnership": "Partnership",
}
PERIOD_TYPES = {"month": "months", "quarter": "quarters", "r12m": "rolling 12 months"}
POLARITIES = {
    "higher_is_better": "higher is better",
    "lower_is_better": "lower is better",
    "neither": "neither: no direction is better",
}
AVAILABILITIES = {
    "computed": "computed from the agencies' extracts",
    "manual_input": "entered by hand each month",
    "not_available": "not available",
}
IDENTIFIER = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
MONTH = re.compile(rf"\b{MONTH_PATTERN}\b")
NOT_DELIVERED = re.compile(r"^not delivered(?P<scope> for [^:]+)?: (?P<items>.*)$")


@dataclass(frozen=True)
class Vocabulary:
    """Names for the identifiers a publication's texts may hold: measures (their library titles, quoted), extracts
    (their spec titles) and published series (publisher and release)."""

    names: dict[str, str]

    def text(self, text: str | None) -> str:
        """A published text with its identifiers named and its YYYY-MM months written as words."""
        if not text:
            return ""
        named = IDENTIFIER.sub(lambda found: self.names.get(found.group(0), found.group(0)), text.strip())
        return MONTH.sub(lambda found: f"{date.fromisoformat(found.group(0) + '-01'):%b %Y}", named)

    def reason(self, reason: str | None) -> str:
        """Why a figure is missing or marked, in words; a list of undelivered extract months becomes each extract's
        name and its months as ranges ("Police arrests (monthly) for Apr 2024 to Mar 2025")."""
        if not reason:
            return ""
        listed = NOT_DELIVERED.match(reason.strip())
        if not listed:
            return self.text(reason)
        months_by_extract: dict[str, list[date]] = {}
        for item in listed.group("items").split(", "):
            extract, _, month = item.rpartition(" ")
            if not MONTH.fullmatch(month):
                return self.text(reason)
            months_by_extract.setdefault(extract, []).append(date(int(month[:4]), int(month[5:]), 1))
        parts = [
            f"{self.names.get(extract, extract)} for {month_ranges(months)}"
            for extract, months in months_by_extract.items()
        ]
        return f"not delivered{listed.group('scope') or ''}: " + "; ".join(parts)

    def undelivered(self, reason: str | None) -> list[str]:
        """The names of the extracts a "not delivered" reason lists (none for any other reason)."""
        listed = NOT_DELIVERED.match((reason or "").strip())
        if not listed:
            return []
        extracts = dict.fromkeys(item.rpartition(" ")[0] for item in listed.group("items").split(", "))
        return [self.names.get(extract, extract) for extract in extracts]

    def sources(self, agencies: str | None, extracts: str | None) -> str:
        """Where a figure comes from: its extracts by name, and the agencies that send them."""
        who = [AGENCY_NAMES.get(a.strip(), a.strip()) for a in (agencies or "").split(",") if a.strip()]
        what = [self.names.get(e.strip(), e.strip()) for e in (extracts or "").split(",") if e.strip()]
        from_whom = f" from {_listed(who)}" if who else ""
        return f"{'; '.join(what)}{from_whom}" if what else (f"figures{from_whom}" if who else "")


def counting_basis(basis: str | None) -> str:
    """What a figure counts, in words (events in the period, open cases at its end ...)."""
    return COUNTING_BASES.get(basis or "", (basis or "").replace("_", " "))


def catalogue_words(column: str, value: str | None) -> str | None:
    """A catalogue field as the printed Definitions read it (counting basis, period types, agencies, polarity,
    availability in words: "higher is better", not `higher_is_better`); any other field as it is."""
    if value is None:
        return None
    listed = [item.strip() for item in value.split(",") if item.strip()]
    if column == "counting_basis":
        return counting_basis(value)
    if column == "period_types":
        return ", ".join(PERIOD_TYPES.get(item, item) for item in listed)
    if column in ("source_agencies", "owner_agency"):
        return ", ".join(AGENCY_ABBREVIATIONS.get(item, item) for item in listed)
    if column == "polarity":
        return POLARITIES.get(value, value)
    if column == "availability":
        return AVAILABILITIES.get(value, value)
    return value


def month_ranges(months: list[date]) -> str:
    """Months as runs: "Apr 2024 to Mar 2025 (12 months)", "May 2024", joined by commas."""
    runs: list[list[date]] = []
    for month in sorted(set(months)):
        if runs and add_months(runs[-1][-1], 1) == month:
            runs[-1].append(month)
        else:
            runs.append([month])
    return ", ".join(
        f"{run[0]:%b %Y}" if len(run) == 1 else f"{run[0]:%b %Y} to {run[-1]:%b %Y} ({len(run)} months)" for run in runs
    )


def vocabulary(connection: duckdb.DuckDBPyConnection) -> Vocabulary:
    """The names of a publication's identifiers: its catalogue's measures, the landing zone's extracts and the
    published series comparators come from."""
    with connection.cursor() as cursor:
        measures = cursor.execute("select distinct measure_id, library_title from scorecard.measures").fetchall()
    names = {extract: spec.title for extract, spec in load_specs().items()}
    with PUBLISHED_SERIES_SEED.open(newline="", encoding="utf-8") as seed:
        names |= {row["series"]: f"{row['publisher']}, {row['release']}" for row in csv.DictReader(seed)}
    names |= {measure_id: f"‘{title}’" for measure_id, title in measures}
    return Vocabulary(names)


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
