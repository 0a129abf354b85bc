"""Every simulator extract lands through its declarative source spec: nothing rejected on clean data, personal columns
pseudonymised or dropped, and a planted bad value quarantined at the right line and column."""

from __future__ import annotations

import re
from pathlib import Path

import fastexcel
import polars as pl
import pytest
import xlsxwriter
from pydantic import ValidationError

from pipelines.lib.extract_reader import PERSONAL_VALUE_WITHHELD, read_extract
from pipelines.lib.extract_schema import build_schema
from pipelines.lib.source_spec import SourceSpec, load_specs, seed_values

SPECS = load_specs()
EXTRACTS = [
    "police_live_caseload",
    "police_crimes",
    "police_arrests",
    "police_precharge",
    "police_stop_search",
    "cps_precharge_decisions",
    "cps_finalisations",
    "hmcts_mc_cases",
    "hmcts_cc_cases",
    "hmcts_hearings",
    "hmcts_outstanding",
    "probation_community_orders",
    "moj_proven_reoffending",
    "pcc_victim_referrals",
    "pcc_vcop_audit",
    "pcc_victim_survey",
    "pcc_public_confidence",
]
# Landed by people, not simulated: board members' manual inputs (tests/integration/test_manual_inputs.py).
NOT_SIMULATED = ["manual_measure_values"]
# Public statistics files: read by tests/integration/test_public_adapters.py; the simulator's lookalikes are checked
# by tests/unit/test_simulator_public.py.
NOT_SIMULATED += [
    "public_police_uk_street",
    "public_police_uk_outcomes",
    "public_cps_copoc",
    "public_moj_court_timeliness",
    "public_moj_trial_effectiveness",
    "public_ons_geography",
]
# The fixture simulates 13 reporting months: monthly extracts have a file for each; the proven reoffending cohort file
# arrives only when a cohort's 19-month lag has elapsed (quarterly: the first within 13 months of the run's start).
MONTHS = [f"2024-{m:02d}" for m in range(1, 13)] + ["2025-01"]
EXPECTED_MONTHS = {"moj_proven_reoffending": ["2024-10", "2025-01"]}

# Header -> dropped at read (True) or kept as a keyed hash (False). Names are dropped; IDs (person, PNC, defendant) are
# hashed for linkage; a date of birth is hashed where no ID shared with other agencies is in the extract.
EXPECTED_PERSONAL: dict[str, dict[str, bool]] = {
    "police_live_caseload": {"Suspect ID": False, "Suspect Name": True, "Suspect DOB": True, "PNC ID": False},
    "police_crimes": {},
    "police_arrests": {"Suspect ID": False, "Suspect Name": True, "Suspect DOB": True, "PNC ID": False},
    "police_precharge": {"Suspect ID": False},
    "police_stop_search": {},
    "cps_precharge_decisions": {"SUSPECT_SURNAME": True, "SUSPECT_FORENAME": True, "SUSPECT_DOB": False},
    "cps_finalisations": {
        "DEFENDANT_ID": False,
        "DEFENDANT_SURNAME": True,
        "DEFENDANT_FORENAME": True,
        "DEFENDANT_DOB": False,
    },
    "hmcts_mc_cases": {"Defendant Name": True, "Date of Birth": False},
    "hmcts_cc_cases": {"Defendant Surname": True, "Defendant Forename": True, "Date Of Birth": False},
    "hmcts_hearings": {},
    "hmcts_outstanding": {},
    "probation_community_orders": {"CRN": False, "Surname": True, "Forename": True, "Date of Birth": False},
    "moj_proven_reoffending": {},
    "pcc_victim_referrals": {},
    "pcc_vcop_audit": {},
    "pcc_victim_survey": {},
    "pcc_public_confidence": {},
    "manual_measure_values": {},
} | {name: {} for name in NOT_SIMULATED[1:]}
# A header that looks like it holds a person's name, date of birth or identifier must be marked personal.
LOOKS_PERSONAL = re.compile(
    r"name|surname|forename|dob|birth|pnc|\bcrn\b|suspect id|defendant id|person", re.IGNORECASE
)
NOT_PERSONAL = {
    "Court Name",
    "Crown Court",
    "Offence Description",
    "LSOA name",
    "LJA or Court name",
}  # names of things, not people

# (extract, header, planted value, fragment of the check reported); the value replaces the first non-empty cell.
PLANTED = [
    ("police_live_caseload", "Status", "Awaiting trial", "isin"),
    ("police_crimes", "Outcome Code", "19", "isin"),
    ("police_arrests", "Custody Outcome", "Detained", "isin"),
    ("police_precharge", "Event Date", "31/02/2024", "not a date in format %d/%m/%Y"),
    ("police_stop_search", "Date", "2024-02-30T10:00:00+00:00", "not a date in format iso"),
    ("cps_precharge_decisions", "DAYS_TO_RESPONSE", "-4", "greater_than_or_equal_to"),
    ("cps_precharge_decisions", "DATE_SUBMITTED", "2024-12-31", "date_submitted is after date_of_response"),
    ("cps_precharge_decisions", "DATE_OF_RESPONSE", "2099-12-31", "implausible date"),  # a case system's "never"
    ("police_crimes", "Offence Date", "01/01/1900", "implausible date"),  # and its "unknown"
    ("cps_finalisations", "POLICE_FORCE", "Wilts", "isin"),
    ("hmcts_mc_cases", "First Listing Date", "2024-02-05", "not a date in format %d-%b-%Y"),
    ("hmcts_cc_cases", "Remand Status", "Remanded", "isin"),
    ("hmcts_hearings", "Hearing Number", "-2", "greater_than_or_equal_to"),
    ("hmcts_outstanding", "Age Days", "-5", "greater_than_or_equal_to"),
    ("probation_community_orders", "Order Type", "Youth Rehabilitation Order", "isin"),
    ("probation_community_orders", "Sentence Date", "2024-02-05", "not a date in format %d/%m/%Y"),
    ("probation_community_orders", "UPW Hours", "450", "less_than_or_equal_to"),
    ("moj_proven_reoffending", "Cohort Period", "2023 Q1", "str_matches"),
    ("moj_proven_reoffending", "Proportion of offenders\nwho reoffend (%)", "104.5", "less_than_or_equal_to"),
    ("pcc_victim_referrals", "service", "Victim Suport", "isin"),
    ("pcc_victim_referrals", "crime_reference", "11-2401-000318", "str_matches"),
    ("pcc_vcop_audit", "overall_result", "Partly compliant", "isin"),
    ("pcc_victim_survey", "whole_experience", "Satisfied", "isin"),
    ("pcc_public_confidence", "response_date", "01/02/2024", "not a date in format iso"),
]
HASH = re.compile(r"^[0-9a-f]{32}$")


@pytest.fixture(scope="session")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Wiltshire and Durham, 13 reporting months (enough for two proven reoffending cohort files): every extract the
    simulator writes."""
    from pipelines.lib.simulator.run import simulate

    out = tmp_path_factory.mktemp("spec_landing") / "landing"
    simulate(["wiltshire", "durham"], MONTHS[0], MONTHS[-1], out, seed=3)
    return out


def extract_files(landing: Path, spec: SourceSpec) -> list[Path]:
    return sorted(p for p in (landing / spec.landing_subdir).iterdir() if spec.reporting_month(p))


def cells(path: Path, spec: SourceSpec) -> pl.DataFrame:
    """The file's data rows as text, read independently of the extract reader."""
    if spec.format == "xlsx":
        return fastexcel.read_excel(path).load_sheet(spec.sheet, dtypes="string").to_polars()
    return pl.read_csv(path, infer_schema=False)


def first_data_line(frame: pl.DataFrame, spec: SourceSpec) -> int:
    """The file line of the first data row: after a header whose quoted cells may hold line breaks (the MoJ's)."""
    return 2 + (sum(header.count("\n") for header in frame.columns) if spec.format == "csv" else 0)


def write_like(frame: pl.DataFrame, path: Path, spec: SourceSpec) -> Path:
    """Write text cells back in the spec's format (numbers as numbers in a workbook, as the agency's would be)."""
    if spec.format == "csv":
        frame.write_csv(path)
        return path
    with xlsxwriter.Workbook(path, {"strings_to_numbers": True}) as workbook:
        sheet = workbook.add_worksheet(spec.sheet)
        sheet.write_row(0, 0, frame.columns)
        for index, row in enumerate(frame.iter_rows(), start=1):
            for column, value in enumerate(row):
                if value is not None:
                    sheet.write(index, column, value)
    return path


def test_every_spec_loads_with_its_code_lists() -> None:
    assert sorted(SPECS) == sorted(EXTRACTS + NOT_SIMULATED)
    for name, spec in SPECS.items():
        # Agency extracts are named for their month; public files keep their publisher's names (test_public_adapters).
        assert spec.extract == name and (
            spec.publisher == "public" or spec.file_pattern == f"{name}_{{month}}.{spec.format}"
        )
        assert (spec.format == "xlsx") == (spec.sheet is not None)
        kept = {c.name for c in spec.kept_columns}
        assert set(spec.primary_key) <= kept, f"{name}: a primary key column is dropped"
        for column in spec.columns:
            if column.allowed_from:
                assert seed_values(column.allowed_from), f"{name}.{column.name}: empty code list"
        build_schema(spec)


# A header_pattern (a header renamed every vintage) is checked when the spec loads: each mistake, named.
BAD_HEADER_PATTERNS = [
    ({"header": "LAD23CD", "header_pattern": "LAD(?P<vintage>\\d{2}CD"}, "not a valid regex"),
    (
        {"header": "LAD23CD", "header_pattern": "LAD(?P<vintage>\\d{4})CD"},
        "header 'LAD23CD' does not match its header_pattern",
    ),
    (
        {"header": "LAD23CD", "header_pattern": "LAD(?P<year>\\d{2})CD"},
        "header_pattern group(s) ['year'] name no column's header",
    ),
]


@pytest.mark.parametrize(("lad_code", "problem"), BAD_HEADER_PATTERNS, ids=["regex", "example", "group"])
def test_a_bad_header_pattern_is_named_when_the_spec_loads(lad_code: dict, problem: str) -> None:
    spec = SPECS["public_ons_geography"].model_dump(mode="json", exclude_defaults=True)
    spec["columns"] = [c | lad_code if c["name"] == "lad_code" else c for c in spec["columns"]]
    with pytest.raises(ValidationError, match=re.escape(problem)):
        SourceSpec.model_validate(spec)
    # every other spec matches its headers exactly, as before header patterns existed
    assert [name for name, other in SPECS.items() if other.header_groups or other.required_header_patterns] == [
        "public_ons_geography"
    ]


def test_every_simulated_extract_has_a_spec(landing: Path) -> None:
    """Every folder the simulator writes is a spec's landing folder, and every spec but the manual inputs has one."""
    written = {
        f"{agency.name}/{extract.name}"
        for agency in landing.iterdir()
        if not agency.name.startswith("_")
        for extract in agency.iterdir()
    }
    assert written == {
        spec.landing_subdir.as_posix() for name, spec in SPECS.items() if name != "manual_measure_values"
    }


@pytest.mark.parametrize("name", EXTRACTS)
def test_simulated_files_land_with_no_rejections(landing: Path, key: bytes, name: str) -> None:
    spec = SPECS[name]
    paths = extract_files(landing, spec)
    assert [spec.reporting_month(p) for p in paths] == EXPECTED_MONTHS.get(name, MONTHS)
    personal = [c.name for c in spec.kept_columns if c.personal]
    for path in paths:
        read = read_extract(path, spec, key)
        assert read.rejections.height == 0, f"{path.name}: {read.rejections.head(10).to_dicts()}"
        assert read.rows_read == read.rows.height == cells(path, spec).height > 0
        assert not {c.name for c in spec.columns if c.drop} & set(read.rows.columns)
        for column in personal + [k.name for k in spec.person_keys]:
            assert read.rows[column].drop_nulls().str.contains(HASH.pattern).all(), f"{path.name}: {column} not hashed"
        for person_key in spec.person_keys:  # the simulator writes every name and date of birth
            assert read.rows[person_key.name].null_count() == 0, f"{path.name}: {person_key.name} missing"


@pytest.mark.parametrize("name", EXTRACTS + NOT_SIMULATED)
def test_names_dates_of_birth_and_person_ids_are_personal(name: str) -> None:
    spec = SPECS[name]
    assert {c.header: c.drop for c in spec.columns if c.personal} == EXPECTED_PERSONAL[name]
    missed = [
        c.header
        for c in spec.columns
        if LOOKS_PERSONAL.search(c.header) and c.header not in NOT_PERSONAL and not c.personal
    ]
    assert not missed, f"{name}: columns that look personal are not marked personal: {missed}"


@pytest.mark.parametrize(("name", "header", "bad", "check"), PLANTED, ids=[f"{p[0]}-{p[1]}" for p in PLANTED])
def test_a_planted_bad_value_is_quarantined_at_its_line_and_column(
    landing: Path, tmp_path: Path, key: bytes, name: str, header: str, bad: str, check: str
) -> None:
    spec = SPECS[name]
    source = extract_files(landing, spec)[1]
    frame = cells(source, spec)
    index = int(frame[header].is_not_null().arg_true()[0])
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == index).then(pl.lit(bad)).otherwise(pl.col(header)).alias(header)
    )
    read = read_extract(write_like(frame, tmp_path / source.name, spec), spec, key)
    line = index + first_data_line(frame, spec)
    assert set(read.rejections.select("_line_number", "column").iter_rows()) == {(line, header)}
    assert check in read.rejections["check"][0]
    # A value is quoted only where the column may show one: free text (the victim referral's crime reference) is withheld.
    quotable = next(c for c in spec.columns if c.header == header).values_quotable
    assert read.rejections["value"][0] == (bad if quotable else PERSONAL_VALUE_WITHHELD)
    assert read.rows.height == read.rows_read - 1 and line not in read.rows["_line_number"].to_list()


@pytest.mark.parametrize("name", EXTRACTS)
def test_a_repeated_row_breaks_the_primary_key(landing: Path, tmp_path: Path, key: bytes, name: str) -> None:
    spec = SPECS[name]
    source = extract_files(landing, spec)[0]
    frame = cells(source, spec)
    # Repeat a row with an empty key column where there is one: empty key values compare equal.
    headers = [c.header for c in spec.columns if c.name in spec.primary_key]
    empty_key = frame.select(pl.any_horizontal(pl.col(headers).is_null())).to_series().arg_true()
    index = int(empty_key[0]) if len(empty_key) else 0
    read = read_extract(write_like(pl.concat([frame, frame.slice(index, 1)]), tmp_path / source.name, spec), spec, key)
    first = first_data_line(frame, spec)
    assert set(read.rejections["_line_number"]) == {index + first, frame.height + first}
    assert set(read.rejections["check"]) == {f"duplicate primary key ({' + '.join(spec.primary_key)})"}
