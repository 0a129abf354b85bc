"""The pandas baseline of the national benchmark: the core measures of benchmarks/floor.sql as an analyst would write
them in pandas, reading the landing zone's CSV files one month at a time in chunks (never a whole national extract
in one data frame), each chunk reduced at once to counts and sums per area and month, added up at the end. The CPS
files are read a month whole (tens of thousands of rows), since a primary key repeated anywhere in a file counts in
no copy; the keys of earlier months are kept to tell a re-sent row.

    uv run python benchmarks/pandas_baseline.py --landing DIR --out measures.parquet

The result has the columns of the floor's floor_measures (measure_id, area_code, period_start, numerator, denominator,
value); benchmarks/national_benchmark.py times it and checks it against the pipeline's published figures.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"
CHUNK_ROWS = 200_000
AMOUNT_COLUMNS = ["measure_id", "area_code", "period_start", "numerator", "denominator"]
# value = numerator / denominator x scale for these; the others are counts (value = numerator)
SCALES = {
    "outcome_15_16_pct": 100,
    "overall_conviction_rate": 100,
    "precharge_timeliness_cps_days": 1,
    "mc_receipts_per_finalisation": 1,
}


class Places:
    """The code lists that place a row in its police force area (the dbt project's seeds)."""

    def __init__(self, seeds: Path) -> None:
        aliases = pd.read_csv(seeds / "ref_force_name_aliases.csv", dtype=str)
        self.by_name = aliases[aliases.covers_several_areas == "N"].set_index("force_name").area_code
        self.areas_by_name = aliases.groupby("force_name").area_code.agg(sorted)
        self.by_number = (
            pd.read_csv(seeds / "ref_police_force_areas.csv", dtype=str).set_index("force_number").area_code
        )
        courts = pd.read_csv(seeds / "ref_court_centres.csv", dtype=str)
        self.mc_courts = courts[courts.court_type == "MC"].set_index("court_code").area_code

    def area(self, force_name: pd.Series, force_number: pd.Series) -> pd.Series:
        """The force as its publisher names it, else the force number a crime reference or URN starts with."""
        return force_name.str.strip().map(self.by_name).fillna(force_number.map(self.by_number))

    def named_area(self, force_name: pd.Series, force_number: pd.Series) -> pd.Series:
        """The area the publisher names; for a joint name ("Metropolitan and City") the one the force number is, else
        the first of its areas."""
        named = force_name.str.strip().map(self.areas_by_name)
        by_number = force_number.map(self.by_number)
        return pd.Series(
            [
                None if not isinstance(areas, list) else number if number in areas else areas[0]
                for areas, number in zip(named, by_number, strict=True)
            ],
            index=force_name.index,
            dtype=object,
        )


class Deliveries:
    """A row counts as its extract's primary key allows: a key repeated within one file counts in no copy, and a key
    an earlier month's file delivered is a re-send (files are read in month order)."""

    def __init__(self) -> None:
        self.seen: dict[str, set[tuple]] = {}

    def first(self, extract: str, rows: pd.DataFrame, key: list[str]) -> pd.DataFrame:
        """The rows of one whole monthly file that count."""
        seen = self.seen.setdefault(extract, set())
        unique = rows[~rows.duplicated(key, keep=False)]
        keys = list(unique[key].itertuples(index=False, name=None))
        fresh = unique[[k not in seen for k in keys]]
        seen.update(keys)
        return fresh


def chunks(path: Path, columns: list[str]) -> Iterator[pd.DataFrame]:
    """The file's columns as text, CHUNK_ROWS rows at a time; an empty field is missing (as DuckDB reads it)."""
    yield from pd.read_csv(
        path, usecols=columns, dtype=str, keep_default_na=False, na_values=[""], chunksize=CHUNK_ROWS
    )


def month_of(dates: pd.Series) -> pd.Series:
    return dates.dt.to_period("M").dt.to_timestamp()


def amounts(
    measure_id: str,
    rows: pd.DataFrame,
    date: pd.Series,
    numerator: pd.Series | None = None,
    denominator: pd.Series | None = None,
) -> pd.DataFrame:
    """Sum per area and month of `numerator` (default: one per row) and `denominator` (default: none: a count)."""
    frame = pd.DataFrame(
        {
            "area_code": rows.area_code.to_numpy(),
            "period_start": month_of(date).to_numpy(),
            "numerator": 1.0 if numerator is None else numerator.astype(float).to_numpy(),
            "denominator": float("nan") if denominator is None else denominator.astype(float).to_numpy(),
        }
    )
    summed = frame.groupby(["area_code", "period_start"], as_index=False).sum(min_count=1)
    return summed.assign(measure_id=measure_id)[AMOUNT_COLUMNS]


def police_crimes(path: Path, places: Places, _: Deliveries) -> Iterator[pd.DataFrame]:
    reporting_month = re.search(r"(\d{4}-\d{2})\.csv$", path.name).group(1)
    columns = [
        "Force",
        "Crime Reference",
        "Recorded Date",
        "DA Flag",
        "Victim Sex",
        "Outcome Code",
        "Outcome Date",
        "Record Status",
    ]
    for chunk in chunks(path, columns):
        chunk["area_code"] = places.area(chunk["Force"], chunk["Crime Reference"].str.split("/").str[0])
        new = chunk[chunk["Record Status"] == "New"]
        recorded = pd.to_datetime(new["Recorded Date"], format="%d/%m/%Y")
        for measure_id, rows in (("total_victims", new["Victim Sex"].notna()), ("da_crimes", new["DA Flag"] == "Y")):
            yield amounts(measure_id, new[rows], recorded[rows])
        outcome_date = pd.to_datetime(chunk["Outcome Date"], format="%d/%m/%Y")
        outcomes = chunk["Outcome Code"].notna() & (outcome_date.dt.strftime("%Y-%m") == reporting_month)
        evidential = chunk.loc[outcomes, "Outcome Code"].isin(["15", "16"])
        yield amounts("outcome_15_16_pct", chunk[outcomes], outcome_date[outcomes], evidential, evidential * 0 + 1)


def cps_precharge(path: Path, places: Places, deliveries: Deliveries) -> Iterator[pd.DataFrame]:
    """Mean days from submission to the CPS's response, over responses (one row per suspect in the file)."""
    key = ["POLICE_CRIME_REF", "SUSPECT_DOB", "RESPONSE_TYPE", "DATE_OF_RESPONSE"]
    columns = ["POLICE_FORCE", "DATE_FIRST_RECEIVED", "DATE_SUBMITTED", *key]
    rows = deliveries.first("cps_precharge_decisions", pd.concat(chunks(path, columns)), key)  # a month: few enough
    rows = rows.assign(area_code=places.area(rows["POLICE_FORCE"], rows["POLICE_CRIME_REF"].str[:2]))
    distinct = rows.drop(columns="SUSPECT_DOB").drop_duplicates()  # a response covers its suspects
    response_date = pd.to_datetime(distinct["DATE_OF_RESPONSE"])
    days = (response_date - pd.to_datetime(distinct["DATE_SUBMITTED"])).dt.days
    yield amounts("precharge_timeliness_cps_days", distinct, response_date, days, days * 0 + 1)


def cps_finalisations(path: Path, places: Places, deliveries: Deliveries) -> Iterator[pd.DataFrame]:
    """Convictions and unsuccessful outcomes, a defendant-case (URN and defendant ID) once."""
    columns = ["POLICE_FORCE", "URN", "DEFENDANT_ID", "FINALISATION_DATE", "OUTCOME_CATEGORY"]
    rows = deliveries.first("cps_finalisations", pd.concat(chunks(path, columns)), ["URN", "DEFENDANT_ID"])
    urn_force = rows["URN"].str.replace(r"[^A-Za-z0-9]", "", regex=True).str[:2]
    rows = rows.assign(area_code=places.named_area(rows["POLICE_FORCE"], urn_force))
    convicted = rows["OUTCOME_CATEGORY"] == "Conviction"
    finalised = pd.to_datetime(rows["FINALISATION_DATE"])
    yield amounts("overall_conviction_rate", rows, finalised, convicted, convicted * 0 + 1)
    unsuccessful = rows["OUTCOME_CATEGORY"].notna() & ~convicted
    yield amounts("unsuccessful_outcomes", rows[unsuccessful], finalised[unsuccessful])


def mc_cases(path: Path, places: Places, _: Deliveries) -> Iterator[pd.DataFrame]:
    for chunk in chunks(path, ["Record Type", "Court Code", "First Listing Date", "Disposal Date"]):
        chunk["area_code"] = chunk["Court Code"].map(places.mc_courts)
        record_type = chunk["Record Type"].str.lower()
        receipt, disposal = record_type == "receipt", record_type == "disposal"
        event_date = pd.to_datetime(
            chunk["First Listing Date"].where(receipt, chunk["Disposal Date"]), format="%d-%b-%Y"
        )
        yield amounts("mc_receipts", chunk[receipt], event_date[receipt])
        yield amounts("mc_disposals", chunk[disposal], event_date[disposal])
        yield amounts("mc_receipts_per_finalisation", chunk, event_date, receipt, disposal)


def hmcts_outstanding(path: Path, places: Places, _: Deliveries) -> Iterator[pd.DataFrame]:
    for chunk in chunks(path, ["Court Type", "Court Code", "As At Date"]):
        chunk["area_code"] = chunk["Court Code"].map(places.mc_courts)
        as_at = pd.to_datetime(chunk["As At Date"])
        open_cases = (chunk["Court Type"] == "Magistrates' Court") & chunk.area_code.notna() & as_at.dt.is_month_end
        yield amounts("mc_outstanding", chunk[open_cases], as_at[open_cases])


# extract -> (folder of the landing zone, reader of one monthly file)
EXTRACTS: dict[str, tuple[str, Callable[[Path, Places, Deliveries], Iterator[pd.DataFrame]]]] = {
    "police_crimes": ("police/crimes", police_crimes),
    "cps_precharge_decisions": ("cps/precharge_decisions", cps_precharge),
    "cps_finalisations": ("cps/finalisations", cps_finalisations),
    "hmcts_mc_cases": ("hmcts/mc_cases", mc_cases),
    "hmcts_outstanding": ("hmcts/outstanding", hmcts_outstanding),
}


def core_measures(landing: Path, seeds: Path = SEEDS) -> pd.DataFrame:
    """Every core measure per area and month the measure's extract delivered, as benchmarks/floor.sql computes it."""
    places, deliveries = Places(seeds), Deliveries()
    results = []
    for folder, reader in EXTRACTS.values():
        files = sorted((landing / folder).glob("*.csv"))
        parts = [part for path in files for part in reader(path, places, deliveries)]
        summed = pd.concat(parts).groupby(["measure_id", "area_code", "period_start"], as_index=False).sum(min_count=1)
        delivered = {pd.Timestamp(re.search(r"(\d{4}-\d{2})\.csv$", path.name).group(1) + "-01") for path in files}
        results.append(summed[summed.period_start.isin(delivered)])
    measures = pd.concat(results, ignore_index=True)
    scale = measures.measure_id.map(SCALES)
    ratio = measures.numerator / measures.denominator.where(measures.denominator != 0) * scale
    measures["value"] = ratio.where(scale.notna(), measures.numerator)
    measures["period_start"] = measures.period_start.dt.date
    return measures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--landing", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="Parquet file to write the measures to")
    args = parser.parse_args()
    core_measures(args.landing).to_parquet(args.out, index=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
