"""Every extract parses with its documented format; the live caseload matches its spec YAML; the truth agrees with
the files it describes."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest
import yaml

from pipelines.lib.simulator.extracts.common import normalise_urn
from pipelines.lib.simulator.run import simulate

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "pipelines/defs/ingest/specs/police_live_caseload.yaml"
MONTHS = ["2024-10", "2024-11", "2024-12"]

# extract -> (format, headers, {date column: format})
LAYOUT = {
    ("police", "crimes"): (
        "csv",
        [
            "Force",
            "Crime Reference",
            "Recorded Date",
            "Offence Date",
            "HO Offence Code",
            "Offence Description",
            "Offence Group",
            "DA Flag",
            "Hate Flag",
            "RASSO Flag",
            "Victim Sex",
            "Victim Age",
            "Victim Ethnicity",
            "Suspects Identified",
            "Outcome Code",
            "Outcome Date",
            "Record Status",
        ],
        {"Recorded Date": "%d/%m/%Y", "Offence Date": "%d/%m/%Y", "Outcome Date": "%d/%m/%Y"},
    ),
    ("police", "arrests"): (
        "csv",
        [
            "Force",
            "Arrest ID",
            "Arrest Date",
            "Crime Reference",
            "Suspect ID",
            "Suspect Name",
            "Suspect DOB",
            "PNC ID",
            "Sex",
            "Self Defined Ethnicity",
            "Age At Arrest",
            "HO Offence Code",
            "DA Flag",
            "Custody Outcome",
        ],
        {"Arrest Date": "%d/%m/%Y", "Suspect DOB": "%d/%m/%Y"},
    ),
    ("police", "precharge"): (
        "csv",
        [
            "Force",
            "Crime Reference",
            "Suspect ID",
            "URN",
            "Event",
            "Event Date",
            "Action Plan No",
            "Decision",
            "HO Offence Code",
            "DA Flag",
            "RASSO Flag",
        ],
        {"Event Date": "%d/%m/%Y"},
    ),
    ("police", "stop_search"): (
        "csv",
        [
            "Search ID",
            "Type",
            "Date",
            "Force",
            "Gender",
            "Age range",
            "Self-defined ethnicity",
            "Officer-defined ethnicity",
            "Legislation",
            "Object of search",
            "Outcome",
        ],
        {"Date": "%Y-%m-%dT%H:%M:%S%:z"},
    ),
    ("cps", "precharge_decisions"): (
        "csv",
        [
            "CPS_AREA",
            "POLICE_FORCE",
            "POLICE_CRIME_REF",
            "URN",
            "SUSPECT_SURNAME",
            "SUSPECT_FORENAME",
            "SUSPECT_DOB",
            "DATE_FIRST_RECEIVED",
            "DATE_SUBMITTED",
            "DATE_OF_RESPONSE",
            "RESPONSE_TYPE",
            "DAYS_TO_RESPONSE",
            "PRINCIPAL_OFFENCE_CATEGORY",
            "DOMESTIC_ABUSE_FLAG",
            "HATE_CRIME_FLAG",
            "RASSO_FLAG",
        ],
        {
            "SUSPECT_DOB": "%Y-%m-%d",
            "DATE_SUBMITTED": "%Y-%m-%d",
            "DATE_OF_RESPONSE": "%Y-%m-%d",
            "DATE_FIRST_RECEIVED": "%Y-%m-%d",
        },
    ),
    ("cps", "finalisations"): (
        "csv",
        [
            "CPS_AREA",
            "POLICE_FORCE",
            "URN",
            "DEFENDANT_ID",
            "DEFENDANT_SURNAME",
            "DEFENDANT_FORENAME",
            "DEFENDANT_DOB",
            "COURT_TYPE",
            "FINALISATION_DATE",
            "OUTCOME",
            "OUTCOME_CATEGORY",
            "UNSUCCESSFUL_REASON",
            "PRINCIPAL_OFFENCE_CATEGORY",
            "DOMESTIC_ABUSE_FLAG",
            "HATE_CRIME_FLAG",
            "RASSO_FLAG",
            "NUMBER_OF_CHARGES",
            "GUILTY_PLEA_FIRST_HEARING",
        ],
        {"DEFENDANT_DOB": "%Y-%m-%d", "FINALISATION_DATE": "%Y-%m-%d"},
    ),
    ("hmcts", "mc_cases"): (
        "csv",
        [
            "Record Type",
            "Court Code",
            "Court Name",
            "LJA",
            "Region",
            "Case No",
            "URN",
            "Defendant Name",
            "Date of Birth",
            "Principal Offence",
            "First Listing Date",
            "Disposal Date",
            "Disposal Type",
            "Hearings",
        ],
        {"Date of Birth": "%d-%b-%Y", "First Listing Date": "%d-%b-%Y", "Disposal Date": "%d-%b-%Y"},
    ),
    ("hmcts", "outstanding"): (
        "csv",
        ["Court Type", "Court Code", "Court Name", "Case Number", "URN", "Receipt Date", "Age Days", "As At Date"],
        {"Receipt Date": "%Y-%m-%d", "As At Date": "%Y-%m-%d"},
    ),
    ("hmcts", "cc_cases"): (
        "xlsx",
        [
            "Record Type",
            "Crown Court Code",
            "Crown Court",
            "Region",
            "Case Number",
            "URN",
            "Defendant Surname",
            "Defendant Forename",
            "Date Of Birth",
            "Receipt Date",
            "Disposal Date",
            "Disposal Type",
            "Remand Status",
            "Principal Offence",
        ],
        {"Date Of Birth": "serial", "Receipt Date": "serial", "Disposal Date": "serial"},
    ),
    ("hmcts", "hearings"): (
        "xlsx",
        [
            "Court Type",
            "Court Code",
            "Court Name",
            "Hearing Date",
            "Case Number",
            "URN",
            "Hearing Type",
            "Hearing Number",
            "Video Enabled",
            "Trial Effectiveness",
            "Reason",
        ],
        {"Hearing Date": "serial"},
    ),
}


@pytest.fixture(scope="module")
def sim(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sim")
    simulate(["wiltshire", "devon-and-cornwall"], MONTHS[0], MONTHS[-1], out, seed=11, scale=0.5)
    return out


def _read(path: Path, fmt: str) -> pl.DataFrame:
    if fmt == "csv":
        return pl.read_csv(path, infer_schema=False, encoding="utf8")
    return pl.read_excel(path, engine="calamine", infer_schema_length=0)


@pytest.mark.parametrize("key", sorted(LAYOUT), ids=lambda k: "/".join(k))
def test_extract_parses_with_documented_format(sim: Path, key) -> None:
    agency, extract = key
    fmt, headers, dates = LAYOUT[key]
    for month in MONTHS:
        path = sim / agency / extract / f"{agency}_{extract}_{month}.{fmt}"
        assert path.exists(), path
        frame = _read(path, fmt)
        assert frame.columns == headers
        assert frame.height > 0
        for col, date_fmt in dates.items():
            values = frame[col].drop_nulls()
            if date_fmt == "serial":
                serial = values.cast(pl.Float64)
                assert ((serial > 1) & (serial < 60000)).all()
                assert (serial == serial.floor()).all()
            else:
                parsed = values.str.strptime(pl.Datetime if "T" in date_fmt else pl.Date, date_fmt, strict=True)
                assert parsed.null_count() == 0


def test_live_caseload_matches_spec(sim: Path) -> None:
    spec = yaml.safe_load(SPEC.read_text())
    headers = [c["header"] for c in spec["columns"]]
    for month in MONTHS:
        path = sim / "police" / "live_caseload" / spec["file_pattern"].format(month=month)
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8")
        assert frame.columns == headers
        assert frame.height > 0
        by_header = {c["header"]: c for c in spec["columns"]}
        for header, col in by_header.items():
            values = frame[header]
            if col.get("required"):
                assert values.null_count() == 0, header
            non_null = values.drop_nulls()
            if "allowed" in col:
                assert set(non_null.unique().to_list()) <= set(col["allowed"]), header
            if "pattern" in col:
                assert non_null.str.contains(col["pattern"]).all(), header
            if col["dtype"] == "date":
                assert non_null.str.strptime(pl.Date, col["date_format"], strict=True).null_count() == 0
            if col["dtype"] == "int":
                ints = non_null.cast(pl.Int64)
                assert ints.min() >= col.get("min", ints.min())
        snap = frame["Snapshot Date"].str.strptime(pl.Date, "%d/%m/%Y")
        last_day = (dt.date.fromisoformat(month + "-01") + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        assert (snap == last_day).all()
        status_date = frame["Status Date"].str.strptime(pl.Date, "%d/%m/%Y")
        assert ((snap - status_date).dt.total_days() == frame["Days In Status"].cast(pl.Int64)).all()
        assert set(frame["Force"].unique()) <= {"Wiltshire", "Devon & Cornwall"}
        charged = frame["Status"] == "Charged - awaiting court"
        assert frame.filter(~charged)["URN"].null_count() == int((~charged).sum())  # URN only on charged rows
        assert frame.filter(charged)["URN"].null_count() <= max(2, 0.02 * int(charged.sum()))
        no_suspect = frame.filter(pl.col("Suspect ID").is_null())
        assert no_suspect.height > 0 and (no_suspect["Status"] == "Under investigation").all()
        assert no_suspect["Youth Suspect"].null_count() == no_suspect.height
        assert not frame.select("Crime Reference", "Suspect ID").is_duplicated().any()


def test_truth_live_measures_equal_the_file(sim: Path) -> None:
    truth = pl.read_parquet(sim / "_truth" / "measure_values.parquet")
    for month in MONTHS:
        frame = pl.concat(
            [
                pl.read_csv(p, infer_schema=False)
                for p in sorted((sim / "police" / "live_caseload").glob(f"*_{month}.csv"))
            ]
        )
        # the file holds two forces; compare per force
        for force, code in (("Wiltshire", "E23000038"), ("Devon & Cornwall", "E23000035")):
            f = frame.filter(pl.col("Force") == force)
            t = truth.filter(
                (pl.col("area_code") == code) & (pl.col("period_start") == dt.date.fromisoformat(month + "-01"))
            )
            val = dict(zip(t["measure_id"], t["value"], strict=True))
            rui = f.filter(pl.col("Status") == "Released under investigation")
            assert val["rui_live"] == rui.height
            assert val["bail_live"] == f.filter(pl.col("Status") == "Pre-charge bail").height
            assert val["rui_avg_days"] == pytest.approx(rui["Days In Status"].cast(pl.Int64).mean())
            inv = f.filter(pl.col("Status") != "Charged - awaiting court")
            assert val["crimes_under_investigation_live"] == inv["Crime Reference"].n_unique()
            assert val["charged_awaiting_court_live"] == f.filter(pl.col("Status") == "Charged - awaiting court").height


def test_urns_link_across_agencies_apart_from_recorded_errors(sim: Path) -> None:
    errors = pl.read_parquet(sim / "_truth" / "urn_errors.parquet")
    assert errors.height > 0
    assert set(errors["error_type"].unique()) <= {"missing", "mistyped"}
    police_urn = re.compile(r"^\d{2}[A-Z]{2}\d{7}$")
    fin = pl.concat([pl.read_csv(p, infer_schema=False) for p in sorted((sim / "cps" / "finalisations").glob("*.csv"))])
    cps_urns = fin["URN"].drop_nulls()
    assert cps_urns.str.contains(r"^\d{2} [A-Z]{2} \d{5} \d{2}$").mean() > 0.98
    normal = [normalise_urn(u) for u in cps_urns.to_list()]
    assert all(police_urn.match(u) for u in normal)
    hearings = pl.concat(
        [
            pl.read_excel(p, engine="calamine", infer_schema_length=0)
            for p in sorted((sim / "hmcts" / "hearings").glob("*.xlsx"))
        ]
    )
    assert hearings["URN"].drop_nulls().str.contains(r"^\d{2}[A-Z]{2}\d{5}/\d{2}$").mean() > 0.98
    # mistyped URNs recorded in the truth are the ones that differ from a true URN
    cps_err = errors.filter((pl.col("agency") == "cps") & (pl.col("extract") == "finalisations"))
    missing = cps_err.filter(pl.col("error_type") == "missing").height
    assert fin["URN"].null_count() == missing
    rate = cps_err.height / fin.height
    assert rate < 0.03
