"""The extract reader on good and bad files: bad rows quarantined with file, line and column; bad files refused."""

from __future__ import annotations

import gzip
import hashlib
import os
import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from pipelines.lib.errors import ConfigurationError, ExtractError
from pipelines.lib.extract_files import read_file_bytes
from pipelines.lib.extract_reader import PERSONAL_VALUE_WITHHELD, read_extract
from pipelines.lib.pseudonymise import KEY_ENV, pseudonym_key
from pipelines.lib.source_spec import load_specs
from tests.conftest import SMALL_LANDING_ZONE

SPEC = load_specs()["police_live_caseload"]
GOOD_FILE = SMALL_LANDING_ZONE / "police" / "live_caseload" / "police_live_caseload_2024-01.csv"
MONTH_FILE = "police_live_caseload_2024-03.csv"


def good_lines() -> list[str]:
    return GOOD_FILE.read_text(encoding="utf-8").splitlines()


def write(tmp_path: Path, content: str | bytes, name: str = MONTH_FILE) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def rejected(extract) -> set[tuple[int, str]]:
    return set(extract.rejections.select("_line_number", "column").iter_rows())


def test_good_file_is_typed_and_pseudonymised(key: bytes) -> None:
    extract = read_extract(GOOD_FILE, SPEC, key)
    assert (extract.reporting_month, extract.rows_read, extract.rows.height, extract.rejections.height) == (
        "2024-01",
        6,
        6,
        0,
    )
    assert extract.rows.schema["snapshot_date"] == pl.Date and extract.rows.schema["days_in_status"] == pl.Int64
    assert "suspect_name" not in extract.rows.columns and "suspect_dob" not in extract.rows.columns
    suspects = extract.rows["suspect_id"].to_list()
    assert "N1000001" not in suspects and all(s is None or len(s) == 32 for s in suspects)
    assert extract.rows["_line_number"].to_list() == [2, 3, 4, 5, 6, 7]


def test_pseudonyms_are_stable_for_a_key_and_differ_across_keys(key: bytes) -> None:
    first = read_extract(GOOD_FILE, SPEC, key).rows["suspect_pnc_id"].drop_nulls().to_list()
    again = read_extract(GOOD_FILE, SPEC, key).rows["suspect_pnc_id"].drop_nulls().to_list()
    other = read_extract(GOOD_FILE, SPEC, b"another-key-of-enough-length").rows["suspect_pnc_id"].drop_nulls().to_list()
    assert first == again and set(first).isdisjoint(other)


def test_bad_cells_are_quarantined_and_good_rows_go_on(tmp_path: Path, key: bytes) -> None:
    lines = good_lines()
    lines[1] = lines[1].replace(",Y,N,N,N", ",Q,N,N,N")  # line 2: unknown code
    lines[2] = lines[2].replace(",25,", ",-3,")  # line 3: negative count
    lines[4] = lines[4].replace("15/01/2024,Under", "31/02/2024,Under")  # line 5: impossible date
    lines[5] = lines[5].replace("01/10/2023", "01/10/2025", 1)  # line 6: recorded after the snapshot (future)
    lines[6] = lines[6].replace("21/01/2024,10", "19/01/2024,12")  # line 7: status before the crime was recorded
    lines[3] = lines[3].replace("Wiltshire,", "Wiltshre,", 1)  # line 4: unknown force
    extract = read_extract(write(tmp_path, "\n".join(lines) + "\n"), SPEC, key)
    assert rejected(extract) == {
        (2, "DA Flag"),
        (3, "Days In Status"),
        (4, "Force"),
        (5, "Recorded Date"),
        (6, "Recorded Date"),
        (6, "Status Date"),
        (7, "Status Date"),
    }
    assert extract.rows.height == 0 and extract.rows_rejected == 6
    checks = dict(((r, c), k) for r, c, k in extract.rejections.select("_line_number", "column", "check").iter_rows())
    assert checks[(5, "Recorded Date")] == "not a date in format %d/%m/%Y"


def test_personal_values_are_withheld_from_the_quarantine(tmp_path: Path, key: bytes) -> None:
    spec = SPEC.model_copy(
        update={
            "columns": [
                c.model_copy(update={"pattern": r"^\d\d/\d{6}[A-Z]$"}) if c.name == "suspect_pnc_id" else c
                for c in SPEC.columns
            ]
        }
    )
    lines = good_lines()
    lines[1] = lines[1].replace("90/123456A", "90-123456A")
    extract = read_extract(write(tmp_path, "\n".join(lines) + "\n"), spec, key)
    assert extract.rejections.select("column", "value").row(0) == ("PNC ID", PERSONAL_VALUE_WITHHELD)
    assert "90-123456A" not in str(extract.rejections.to_dicts())


def test_duplicate_primary_key_rows_are_both_quarantined(tmp_path: Path, key: bytes) -> None:
    lines = good_lines()
    extract = read_extract(write(tmp_path, "\n".join([*lines, lines[1]]) + "\n"), SPEC, key)
    assert {r for r, _ in rejected(extract)} == {2, 8}
    assert set(extract.rejections["check"]) == {"duplicate primary key (crime_reference + suspect_id)"}
    assert extract.rejections["value"].null_count() == 2  # the key holds a personal ID: not echoed


def _zip_bytes(tmp_path: Path) -> bytes:
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.write(GOOD_FILE, "inner.csv")
    return archive.read_bytes()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: b"", "the file is empty"),
        (lambda tmp: "\n".join(good_lines()[:1]) + "\n", "has a header but no data rows"),
        (
            lambda tmp: "Force,Snapshot Date,Crime Reference\nWiltshire,31/01/2024,1\n",
            "no header row with the required columns",
        ),
        (lambda tmp: "\n".join(good_lines())[:-40], "the file is truncated: line 7"),
        (
            lambda tmp: "\n".join([*good_lines(), good_lines()[1] + ",extra,fields"]) + "\n",
            "line 8 has 19 fields, the header has 17",
        ),
        (_zip_bytes, "it looks like a zip archive"),
        (lambda tmp: gzip.compress(GOOD_FILE.read_bytes()), "it looks like a gzip archive"),
        (lambda tmp: b"\x00\x01\x02binary\x00" * 10, "binary file"),
    ],
    ids=["empty", "header-only", "missing-columns", "truncated", "ragged", "zip", "gzip", "binary"],
)
def test_file_level_failures_refuse_the_whole_file(tmp_path: Path, key: bytes, make, message: str) -> None:
    with pytest.raises(ExtractError, match=message) as raised:
        read_extract(write(tmp_path, make(tmp_path)), SPEC, key)
    assert MONTH_FILE in str(raised.value)


def test_renamed_headers_with_other_case_and_spacing_are_matched(tmp_path: Path, key: bytes) -> None:
    text = (
        GOOD_FILE.read_text()
        .replace("Crime Reference", " crime  REFERENCE ", 1)
        .replace("HO Offence Code", "HO Offence Code.", 1)
    )
    assert read_extract(write(tmp_path, text), SPEC, key).rows.height == 6


def test_missing_optional_and_extra_columns_are_tolerated(tmp_path: Path, key: bytes) -> None:
    frame = pl.read_csv(GOOD_FILE, infer_schema=False).drop("Youth Suspect").with_columns(pl.lit("x").alias("Officer"))
    path = tmp_path / MONTH_FILE
    frame.write_csv(path)
    extract = read_extract(path, SPEC, key)
    assert extract.rows.height == 6 and extract.rows["youth_suspect_flag"].null_count() == 6


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: text.encode("cp1252"),
        lambda text: (
            text.split("\n", 3)[0].encode()
            + b"\n"
            + text.split("\n", 3)[1].encode("utf-8")
            + b"\n"
            + text.split("\n", 3)[2].encode("cp1252")
            + b"\n"
            + text.split("\n", 3)[3].encode("utf-8")
        ),
    ],
    ids=["utf8-bom", "windows-1252", "mixed"],
)
def test_encodings(tmp_path: Path, key: bytes, encode) -> None:
    text = GOOD_FILE.read_text().replace("Dai Imaginary", "Dáí Ïmaginary").replace("Bryn Notreal", "Bryn Nötreal")
    extract = read_extract(write(tmp_path, encode(text)), SPEC, key)
    assert extract.rows.height == 6 and extract.rejections.height == 0
    assert extract.rows["force_name"].unique().to_list() == ["Wiltshire"]


def test_title_rows_above_the_header_are_skipped(tmp_path: Path, key: bytes) -> None:
    text = "Wiltshire Police,,\nLive caseload report,,\nProduced 01/02/2024\n\n" + GOOD_FILE.read_text()
    extract = read_extract(write(tmp_path, text), SPEC, key)
    assert extract.rows.height == 6 and extract.rows["_line_number"].to_list()[0] == 6


def _xlsx_spec():
    return SPEC.model_copy(
        update={
            "format": "xlsx",
            "file_pattern": "police_live_caseload_{month}.xlsx",
            "columns": [
                c.model_copy(update={"date_format": ["%d/%m/%Y", "excel_serial", "iso"]}) if c.dtype == "date" else c
                for c in SPEC.columns
            ],
        }
    )


def test_xlsx_with_notes_sheet_titles_and_excel_serial_dates(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "police_live_caseload_2024-03.xlsx"
    rows = [line.split(",") for line in good_lines()]
    with xlsxwriter.Workbook(path) as workbook:
        workbook.add_worksheet("Notes").write(0, 0, "Data as at 31/01/2024; see sheet Caseload")
        sheet = workbook.add_worksheet("Caseload")
        sheet.write(0, 0, "Wiltshire Police live caseload")
        sheet.write_row(2, 0, rows[0])
        for offset, row in enumerate(rows[1:]):
            values: list[object] = list(row)
            values[1] = 45322  # 31/01/2024 as an Excel serial
            values[12] = int(row[12])
            sheet.write_row(3 + offset, 0, values)
    extract = read_extract(path, _xlsx_spec(), key)
    assert extract.rows.height == 6 and extract.rejections.height == 0
    assert extract.rows["snapshot_date"].unique().to_list() == [date(2024, 1, 31)]
    assert extract.rows["_line_number"].to_list()[0] == 4


def test_xlsx_with_two_sheets_holding_the_extract_is_refused(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "police_live_caseload_2024-03.xlsx"
    rows = [line.split(",") for line in good_lines()]
    with xlsxwriter.Workbook(path) as workbook:
        for name in ("Caseload", "Caseload (old)"):
            sheet = workbook.add_worksheet(name)
            for index, row in enumerate(rows):
                sheet.write_row(index, 0, row)
    with pytest.raises(ExtractError, match="several sheets hold the extract"):
        read_extract(path, _xlsx_spec(), key)


def test_file_name_must_carry_the_month(tmp_path: Path, key: bytes) -> None:
    with pytest.raises(ExtractError, match="does not match"):
        read_extract(write(tmp_path, GOOD_FILE.read_text(), name="caseload_latest.csv"), SPEC, key)


def test_missing_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    with pytest.raises(ConfigurationError, match=KEY_ENV):
        pseudonym_key()


@pytest.mark.parametrize("blank", [" " * 16, "\t" * 20, "  short-key  \n   "])
def test_a_blank_or_padded_short_key_is_refused(monkeypatch: pytest.MonkeyPatch, blank: str) -> None:
    """A key of 16 spaces was accepted: every pseudonym would have been an unkeyed hash in all but name."""
    monkeypatch.setenv(KEY_ENV, blank)
    with pytest.raises(ConfigurationError, match="too short or blank"):
        pseudonym_key()


def test_a_date_of_birth_gets_one_pseudonym_whatever_its_written_form(key: bytes) -> None:
    from pipelines.lib.pseudonymise import pseudonymise_column

    parsed = [
        pl.Series(["05-Jun-1990"]).str.strptime(pl.Date, "%d-%b-%Y"),
        pl.Series(["1990-06-05"]).str.strptime(pl.Date, "%Y-%m-%d"),
        pl.Series([date(1990, 6, 5)]),
    ]
    assert len({pseudonymise_column(series, key)[0] for series in parsed}) == 1


CPS_SPEC = load_specs()["cps_finalisations"]
CPS_HEADER = (
    "CPS_AREA,POLICE_FORCE,URN,DEFENDANT_ID,DEFENDANT_SURNAME,DEFENDANT_FORENAME,DEFENDANT_DOB,COURT_TYPE,FINALISATION_DATE,"
    "OUTCOME,OUTCOME_CATEGORY,UNSUCCESSFUL_REASON,PRINCIPAL_OFFENCE_CATEGORY,DOMESTIC_ABUSE_FLAG,HATE_CRIME_FLAG,RASSO_FLAG,"
    "NUMBER_OF_CHARGES,GUILTY_PLEA_FIRST_HEARING"
)


def cps_file(tmp_path: Path, month: str, people: list[tuple[str, str, str]]) -> Path:
    """A CPS finalisations file, one convicted defendant-case per (surname, forename, date of birth)."""
    rows = [
        f'CPS Wessex,Wiltshire,54 AB {index:05d} 24,{7000000 + index},"{surname}","{forename}",{dob},Magistrates Court,'
        f"{month}-15,Conviction - guilty plea,Conviction,,Burglary,0,0,0,1,1"
        for index, (surname, forename, dob) in enumerate(people, start=1)
    ]
    return write(tmp_path, "\n".join([CPS_HEADER, *rows]) + "\n", name=f"cps_finalisations_{month}.csv")


def test_a_person_key_is_one_person_whatever_the_spelling_and_never_the_name(tmp_path: Path, key: bytes) -> None:
    people = [
        ("SMITH", "John", "1990-06-05"),
        (" smith ", "john ", "1990-06-05"),  # the same person, as another defendant-case writes him
        ("Smith", "  JOHN", "1990-06-05"),
        ("SMITH", "John", "1991-06-05"),  # same name, another date of birth: another person
        ("VAN  DER BERG", "Anne Marie", "1985-01-31"),
        ("van der berg", "anne   marie", "1985-01-31"),  # inner spaces collapsed
        ("Marie van der Berg", "Anne", "1985-01-31"),  # the words split differently between the fields: another person
        ("JONES", "", "1990-06-05"),  # no forename: no key, rather than a key shared by every unnamed Jones
    ]
    extract = read_extract(cps_file(tmp_path, "2024-03", people), CPS_SPEC, key)
    assert extract.rejections.height == 0 and extract.rows.height == len(people)
    keys = extract.rows["defendant_person_key"].to_list()
    assert keys[0] == keys[1] == keys[2]
    assert keys[4] == keys[5]
    assert len({keys[0], keys[3], keys[4], keys[6]}) == 4
    assert keys[7] is None
    assert all(len(k) == 32 and int(k, 16) >= 0 for k in keys[:7])
    # The same person in another month's file gets the same key.
    later = read_extract(cps_file(tmp_path, "2024-04", [("Smith", "John", "1990-06-05")]), CPS_SPEC, key)
    assert later.rows["defendant_person_key"].to_list() == [keys[0]]
    dob_keys = extract.rows["defendant_dob"].to_list()  # hashed on its own: the date-of-birth key
    assert dob_keys[0] == dob_keys[7] and keys[0] != keys[7]  # Jones and Smith share a date of birth, not a person key
    # Names are read only to derive the key: no column, and no value, reaches the rows.
    assert not {"defendant_surname", "defendant_forename"} & set(extract.rows.columns)
    assert extract.rows.columns[-2:] == ["defendant_person_key", "_line_number"]
    shown = str(extract.rows.to_dicts()).upper()
    assert not any(word in shown for word in ("SMITH", "JOHN", "BERG", "ANNE", "JONES", "1990-06-05"))
    # Another pseudonymisation key gives other person keys.
    other = read_extract(cps_file(tmp_path, "2024-03", people), CPS_SPEC, b"another-key-of-enough-length")
    assert set(other.rows["defendant_person_key"].drop_nulls()).isdisjoint(keys)


def test_a_person_key_needs_personal_columns_that_exist() -> None:
    from pipelines.lib.source_spec import SourceSpec

    document = CPS_SPEC.model_dump(by_alias=True, exclude_none=True)
    for sources, message in [
        (["defendant_surname", "court_type"], "only from personal columns"),
        (["defendant_surname", "defendant_middle_name"], "only from personal columns"),
        (["defendant_surname", "defendant_surname"], "named twice"),
    ]:
        with pytest.raises(ValueError, match=message):
            SourceSpec.model_validate(document | {"person_keys": [{"name": "person_key", "from": sources}]})
    with pytest.raises(ValueError, match="must be unique"):
        SourceSpec.model_validate(
            document | {"person_keys": [{"name": "urn", "from": ["defendant_surname", "defendant_dob"]}]}
        )


# Issue 21: files a refresh must read whole and never crash on.


def test_rows_split_as_csv_defines_them_with_the_files_own_line_numbers(tmp_path: Path, key: bytes) -> None:
    """A vertical tab, form feed or Unicode line separator inside a field is content, not a line end (str.splitlines
    split there: phantom rows, good rows lost); a quoted field over two lines moves the next rows' line numbers."""
    lines = good_lines()
    lines[1] = lines[1].replace("Aled Fakeperson", '"Aled\vFake\u2028person"')
    lines[2] = lines[2].replace("Bryn Notreal", '"Bryn\fNot\u2029real\u0085"')
    lines[3] = lines[3].replace("Cerys Madeup", '"Cerys\nMadeup"')  # a name typed over two lines: line 4 ends on line 5
    extract = read_extract(write(tmp_path, "\n".join(lines) + "\n"), SPEC, key)
    assert (extract.rows_read, extract.rows.height, extract.rejections.height) == (6, 6, 0)
    assert extract.rows["_line_number"].to_list() == [2, 3, 4, 6, 7, 8]
    lines[6] = lines[6].replace("Released under investigation", "Released under investigaton")  # the last row, line 8
    extract = read_extract(write(tmp_path, "\n".join(lines) + "\n"), SPEC, key)
    assert extract.rejections.select("_line_number", "column").rows() == [(8, "Status")]


def test_a_blank_line_is_no_row_and_old_mac_line_ends_are_line_ends(tmp_path: Path, key: bytes) -> None:
    lines = good_lines()
    extract = read_extract(write(tmp_path, "\r".join([*lines[:3], "", *lines[3:]]) + "\r\r"), SPEC, key)
    assert (extract.rows_read, extract.rejections.height) == (6, 0)
    assert extract.rows["_line_number"].to_list() == [2, 3, 5, 6, 7, 8]


def test_a_huge_field_in_the_header_search_is_read_not_a_crash(tmp_path: Path, key: bytes) -> None:
    """The csv module's default field limit (131,072 characters) used to raise _csv.Error from the header search."""
    lines = good_lines()
    lines[1] = lines[1].replace("Aled Fakeperson", '"' + "A" * 300_000 + '"')
    extract = read_extract(write(tmp_path, "\n".join(lines) + "\n"), SPEC, key)
    assert (extract.rows_read, extract.rows.height) == (6, 6)


def test_a_repeated_header_refuses_the_file(tmp_path: Path, key: bytes) -> None:
    """A second 'Days In Status' pasted in front: which one holds the values is a guess (it used to be the first)."""
    lines = [f"Days In Status,{line}" for line in good_lines()]
    with pytest.raises(ExtractError, match=r"the header row repeats 'Days In Status' \(columns 1, 14\)") as raised:
        read_extract(write(tmp_path, "\n".join(lines) + "\n"), SPEC, key)
    assert MONTH_FILE in str(raised.value)
    extra = [f"{line},Notes,Notes" if index == 0 else f"{line},a,b" for index, line in enumerate(good_lines())]
    assert (
        read_extract(write(tmp_path, "\n".join(extra) + "\n"), SPEC, key).rows.height == 6
    )  # a column the spec does not read


MANUAL_SPEC = load_specs()["manual_measure_values"]
MANUAL_HEADER = "Measure ID,Area Code,Period Start,Value,Numerator,Denominator,Source,Note"


@pytest.mark.parametrize("value", ["inf", "-inf", "1e309", "nan", "NaN", "Infinity"])
def test_numbers_must_be_finite(tmp_path: Path, key: bytes, value: str) -> None:
    """'inf' and '1e309' parse as floats and were published (the Excel workbook then crashed on them)."""
    rows = [
        MANUAL_HEADER,
        "horizon_live_cases,E23000038,2024-02-01,412,,,Horizon service manager,",
        f"horizon_live_cases,E23000038,2024-01-01,{value},,,Horizon service manager,",
    ]
    path = write(tmp_path, "\n".join(rows) + "\n", name="manual_measure_values_2024-02.csv")
    extract = read_extract(path, MANUAL_SPEC, key)
    assert extract.rows["value"].to_list() == [412.0]
    assert extract.rejections.rows() == [(3, "Value", "not a finite number", value)]


def test_dates_a_system_writes_for_unknown_or_never_are_rejected_in_their_column(tmp_path: Path, key: bytes) -> None:
    lines = good_lines()
    lines[1] = lines[1].replace("02/01/2024,Released", "01/01/1900,Released")  # Recorded Date: "unknown"
    lines[2] = lines[2].replace("06/01/2024,25", "31/12/2099,25")  # Status Date: "never"
    extract = read_extract(write(tmp_path, "\n".join(lines) + "\n"), SPEC, key)
    checks = {(line, column): (check, value) for line, column, check, value in extract.rejections.rows()}
    assert checks[(2, "Recorded Date")] == ("implausible date: outside 1901-01-01..2025-04-01", "01/01/1900")
    assert checks[(3, "Status Date")][0].startswith("implausible date") and extract.rows.height == 4


def test_a_file_ending_inside_a_quoted_field_is_truncated(tmp_path: Path, key: bytes) -> None:
    lines = good_lines()
    lines[-1] = lines[-1].replace(",N,N,N", ',N,N,"N')  # the transfer stopped inside a quoted field, at a line end
    with pytest.raises(ExtractError, match="the file is truncated: it ends inside a quoted field"):
        read_extract(write(tmp_path, "\n".join(lines) + "\n"), SPEC, key)
    lines = good_lines()
    lines[2] = lines[2].replace("Bryn Notreal", 'Bryn "Bob" Notreal')  # quotes inside an unquoted field: legal, read
    assert read_extract(write(tmp_path, "\n".join(lines) + "\n"), SPEC, key).rows.height == 6


def test_a_workbook_whose_zip_opens_over_a_corrupt_sheet_is_refused(tmp_path: Path, key: bytes) -> None:
    """The sheet was read outside the try: calamine's error crashed the refresh."""
    good = tmp_path / "good.xlsx"
    rows = [line.split(",") for line in good_lines()]
    with xlsxwriter.Workbook(good) as workbook:
        sheet = workbook.add_worksheet("Caseload")
        for index, row in enumerate(rows):
            sheet.write_row(index, 0, row)
    path = tmp_path / "police_live_caseload_2024-03.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, data[: len(data) // 2] if item.filename.startswith("xl/worksheets/") else data)
    with pytest.raises(ExtractError, match=r"the workbook cannot be read \(\w+\)") as raised:
        read_extract(path, _xlsx_spec(), key)
    assert path.name in str(raised.value)


def test_a_file_that_cannot_be_read_is_refused_naming_it(tmp_path: Path, key: bytes) -> None:
    folder = write(tmp_path, b"", name="police_live_caseload_2024-04.csv")
    folder.unlink()
    folder.mkdir()  # a folder where the file should be
    with pytest.raises(ExtractError, match="police_live_caseload_2024-04.csv: the file cannot be read: Is a directory"):
        read_extract(folder, SPEC, key)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_a_file_with_mode_000_is_refused_naming_it(tmp_path: Path, key: bytes) -> None:
    path = write(tmp_path, GOOD_FILE.read_bytes())
    path.chmod(0)
    with pytest.raises(ExtractError, match=f"{MONTH_FILE}: the file cannot be read: Permission denied"):
        read_extract(path, SPEC, key)


class GrowingPath(type(Path())):  # type: ignore[misc]
    """A real file another process is still writing: each time it is opened, a few more bytes land in it."""

    def open(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        handle = super().open(*args, **kwargs)
        with open(str(self), "ab") as writer:
            writer.write(b"Wiltshire,31/01/2024,5424\n")
        return handle


def test_a_file_changing_while_it_is_read_is_refused_and_what_is_parsed_is_what_is_hashed(
    tmp_path: Path, key: bytes
) -> None:
    growing = GrowingPath(write(tmp_path, GOOD_FILE.read_bytes()))
    with pytest.raises(ExtractError, match="the file changed while it was read"):
        read_file_bytes(growing)
    # The bytes a caller read (and hashed) are the bytes parsed, whatever the file holds by then.
    path = write(tmp_path, GOOD_FILE.read_bytes())
    content = path.read_bytes()
    path.write_bytes(content[: content.index(b"\n") + 1])
    extract = read_extract(path, SPEC, key, content)
    assert extract.rows.height == 6 and extract.sha256 == hashlib.sha256(content).hexdigest()
