"""The extract reader on good and bad files: every problem named by file, line and column; nothing personal kept."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipelines.lib.errors import ConfigurationError, ExtractError
from pipelines.lib.extract_reader import read_extract
from pipelines.lib.pseudonymise import KEY_ENV, pseudonym_key
from pipelines.lib.source_spec import load_specs
from tests.conftest import SMALL_LANDING_ZONE

SPEC = load_specs()["police_live_caseload"]
GOOD_FILE = SMALL_LANDING_ZONE / "police" / "live_caseload" / "police_live_caseload_2024-01.csv"


def write_variant(tmp_path: Path, text: str, name: str = "police_live_caseload_2024-03.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def good_text() -> str:
    return GOOD_FILE.read_text(encoding="utf-8")


def test_good_file_is_typed_and_pseudonymised(key: bytes) -> None:
    extract = read_extract(GOOD_FILE, SPEC, key)
    assert extract.reporting_month == "2024-01"
    assert extract.rows.height == 6
    assert extract.rows.schema["snapshot_date"] == pl.Date
    assert extract.rows.schema["days_in_status"] == pl.Int64
    assert "suspect_name" not in extract.rows.columns and "suspect_dob" not in extract.rows.columns
    suspects = extract.rows["suspect_id"].to_list()
    assert "N1000001" not in suspects and all(s is None or len(s) == 32 for s in suspects)
    assert extract.rows["_line_number"].to_list() == [2, 3, 4, 5, 6, 7]


def test_pseudonyms_are_stable_for_a_key_and_differ_across_keys(key: bytes) -> None:
    first = read_extract(GOOD_FILE, SPEC, key).rows["suspect_pnc_id"]
    again = read_extract(GOOD_FILE, SPEC, key).rows["suspect_pnc_id"]
    other = read_extract(GOOD_FILE, SPEC, b"another-key-of-enough-length").rows["suspect_pnc_id"]
    assert first.to_list() == again.to_list()
    assert first.drop_nulls().to_list() != other.drop_nulls().to_list()


def test_every_bad_cell_is_named(tmp_path: Path, key: bytes) -> None:
    lines = good_text().splitlines()
    lines[1] = lines[1].replace(",Y,N,N,N", ",Q,N,N,N")  # line 2: unknown DA flag code
    lines[2] = lines[2].replace(",25,", ",-3,")  # line 3: negative days
    lines[4] = lines[4].replace("15/01/2024,Under", "31/02/2024,Under")  # line 5: impossible date
    with pytest.raises(ExtractError) as raised:
        read_extract(write_variant(tmp_path, "\n".join(lines) + "\n"), SPEC, key)
    found = {(p.row, p.column) for p in raised.value.problems}
    assert found == {(2, "DA Flag"), (3, "Days In Status"), (5, "Recorded Date")}
    assert "police_live_caseload_2024-03.csv" in str(raised.value) and "line 5, column 'Recorded Date'" in str(raised.value)


def test_duplicate_primary_key_is_reported(tmp_path: Path, key: bytes) -> None:
    lines = good_text().splitlines()
    with pytest.raises(ExtractError) as raised:
        read_extract(write_variant(tmp_path, "\n".join([*lines, lines[1]]) + "\n"), SPEC, key)
    assert {p.row for p in raised.value.problems} == {2, 8}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("Force,Snapshot Date,Crime Reference\n", "missing required column"),
        (None, "has a header but no data rows"),
    ],
)
def test_file_level_failures(tmp_path: Path, key: bytes, text: str | None, message: str) -> None:
    content = good_text().splitlines()[0] + "\n" if text is None else text
    with pytest.raises(ExtractError, match=message):
        read_extract(write_variant(tmp_path, content), SPEC, key)


def test_renamed_headers_with_other_case_and_spacing_are_matched(tmp_path: Path, key: bytes) -> None:
    text = good_text().replace("Crime Reference", " crime  REFERENCE ", 1).replace("HO Offence Code", "HO Offence Code.", 1)
    assert read_extract(write_variant(tmp_path, text), SPEC, key).rows.height == 6


def test_file_name_must_carry_the_month(tmp_path: Path, key: bytes) -> None:
    with pytest.raises(ExtractError, match="does not match"):
        read_extract(write_variant(tmp_path, good_text(), name="caseload_latest.csv"), SPEC, key)


def test_missing_key_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    with pytest.raises(ConfigurationError, match=KEY_ENV):
        pseudonym_key()
