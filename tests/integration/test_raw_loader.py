"""The raw layer on a real DuckDB file: idempotent loads, corrected deliveries with history, refusals that change nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.lib.errors import ConfigurationError
from pipelines.lib.raw_loader import load_file
from pipelines.lib.source_spec import load_specs
from tests.conftest import SMALL_LANDING_ZONE

SPEC = load_specs()["police_live_caseload"]
JANUARY = SMALL_LANDING_ZONE / "police" / "live_caseload" / "police_live_caseload_2024-01.csv"
FEBRUARY = SMALL_LANDING_ZONE / "police" / "live_caseload" / "police_live_caseload_2024-02.csv"


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    folder = tmp_path / "police" / "live_caseload"
    folder.mkdir(parents=True)
    shutil.copy(JANUARY, folder)
    shutil.copy(FEBRUARY, folder)
    return folder


@pytest.fixture
def connection(tmp_path: Path):
    with duckdb.connect(str(tmp_path / "build.duckdb")) as connection:
        yield connection


def month_rows(connection: duckdb.DuckDBPyConnection, month: str) -> list[tuple]:
    return connection.execute(
        "select crime_reference, status, _file_sha256 from raw.police_live_caseload where _reporting_month = ? order by all",
        [month],
    ).fetchall()


def test_second_load_of_the_same_file_changes_nothing(connection, landing: Path, key: bytes) -> None:
    first = load_file(connection, SPEC, landing / JANUARY.name, key)
    before = month_rows(connection, "2024-01")
    second = load_file(connection, SPEC, landing / JANUARY.name, key)
    assert (first.outcome, second.outcome) == ("loaded", "unchanged")
    assert month_rows(connection, "2024-01") == before and len(before) == 6
    assert connection.execute("select count(*) from raw_history.police_live_caseload").fetchone() == (0,)


def test_corrected_file_replaces_its_month_and_keeps_the_old_version(connection, landing: Path, key: bytes) -> None:
    path = landing / JANUARY.name
    load_file(connection, SPEC, path, key)
    load_file(connection, SPEC, landing / FEBRUARY.name, key)
    old_sha = month_rows(connection, "2024-01")[0][2]
    corrected = path.read_text().splitlines()
    corrected[3] = corrected[3].replace("Released under investigation", "Pre-charge bail")
    path.write_text("\n".join(corrected[:-1]) + "\n")  # one RUI becomes bail, the last row is withdrawn
    outcome = load_file(connection, SPEC, path, key)
    assert outcome.outcome == "replaced" and outcome.rows_accepted == 5
    rows = month_rows(connection, "2024-01")
    assert len(rows) == 5 and {r[2] for r in rows} != {old_sha}
    assert connection.execute(
        "select count(*), any_value(_file_sha256) from raw_history.police_live_caseload where _replaced_at is not null"
    ).fetchone() == (6, old_sha)
    assert len(month_rows(connection, "2024-02")) == 6  # the other month is untouched
    assert connection.execute("select count(*) from raw.police_live_caseload").fetchone() == (11,)


def test_refused_correction_leaves_the_delivery_in_force(connection, landing: Path, key: bytes) -> None:
    path = landing / JANUARY.name
    load_file(connection, SPEC, path, key)
    before = month_rows(connection, "2024-01")
    path.write_text(path.read_text()[:-50])  # a truncated re-send
    outcome = load_file(connection, SPEC, path, key)
    assert outcome.outcome == "refused" and "truncated" in outcome.message and JANUARY.name in outcome.message
    assert month_rows(connection, "2024-01") == before
    # Met again, it is refused again (never "unchanged": that is said of the delivery in force), and logged once.
    assert load_file(connection, SPEC, path, key) == outcome
    assert connection.execute("select outcome from audit.load_log order by loaded_at").fetchall() == [
        ("loaded",),
        ("refused",),
    ]


def test_bad_rows_are_quarantined_with_file_line_column_and_reason(connection, landing: Path, key: bytes) -> None:
    path = landing / JANUARY.name
    lines = path.read_text().splitlines()
    lines[2] = lines[2].replace("Pre-charge bail", "Pre charge bale")
    path.write_text("\n".join(lines) + "\n")
    outcome = load_file(connection, SPEC, path, key)
    assert (outcome.rows_read, outcome.rows_accepted, outcome.rows_rejected) == (6, 5, 1)
    assert connection.execute(
        'select source_file, line_number, "column", value, "check" like \'isin%\' from audit.quarantine'
    ).fetchall() == [(str(path), 3, "Status", "Pre charge bale", True)]


def test_file_in_the_wrong_folder_is_refused(connection, landing: Path, key: bytes) -> None:
    stray = landing / "cps_finalisations_2024-01.csv"
    stray.write_text("URN,Defendant,Outcome\n54WL0123423,x,Convicted\n")
    outcome = load_file(connection, SPEC, stray, key)
    assert outcome.outcome == "refused" and "does not match 'police_live_caseload_{month}.csv'" in outcome.message


def test_keys_unique_across_months_quarantine_a_repeat(connection, landing: Path, key: bytes) -> None:
    flow_spec = SPEC.model_copy(update={"primary_key_scope": "extract"})
    load_file(connection, flow_spec, landing / JANUARY.name, key)
    outcome = load_file(connection, flow_spec, landing / FEBRUARY.name, key)
    # Three crime-suspect pairs of February were already in January's delivery.
    assert outcome.rows_rejected == 3
    checks = connection.execute('select distinct "check" from audit.quarantine').fetchall()
    assert checks == [(f"duplicate primary key: already loaded from {landing / JANUARY.name} (2024-01)",)]


def test_a_column_the_spec_gains_is_added_and_its_deliveries_read_again(connection, landing: Path, key: bytes) -> None:
    """A raw table built before the spec gained a person key: the column is added (not a failed insert) and the
    deliveries in force are read again from their files, since the key cannot be derived from the hashed raw rows."""
    from pipelines.lib.source_spec import SourceSpec

    document = SPEC.model_dump(by_alias=True, exclude_none=True)
    with_key = SourceSpec.model_validate(
        document | {"person_keys": [{"name": "suspect_person_key", "from": ["suspect_name", "suspect_dob"]}]}
    )
    load_file(connection, SPEC, landing / JANUARY.name, key)
    load_file(connection, SPEC, landing / FEBRUARY.name, key)
    january = month_rows(connection, "2024-01")
    outcome = load_file(connection, with_key, landing / JANUARY.name, key)
    assert outcome.outcome == "replaced" and "read again" in outcome.message
    assert month_rows(connection, "2024-01") == january  # the same delivery, now with its person keys
    counts = "select _reporting_month, count(*), count(suspect_person_key) from {} group by all order by all"
    assert connection.execute(counts.format("raw.police_live_caseload")).fetchall() == [
        ("2024-01", 6, 5),
        ("2024-02", 6, 0),
    ]
    assert connection.execute(counts.format("raw_history.police_live_caseload")).fetchall() == [("2024-01", 6, 0)]
    assert connection.execute(
        "select reporting_month, outcome from audit.load_log order by loaded_at, reporting_month"
    ).fetchall() == [
        ("2024-01", "loaded"),
        ("2024-02", "loaded"),
        ("2024-01", "stale"),
        ("2024-02", "stale"),
        ("2024-01", "replaced"),
    ]
    assert load_file(connection, with_key, landing / FEBRUARY.name, key).outcome == "replaced"
    assert load_file(connection, with_key, landing / FEBRUARY.name, key).outcome == "unchanged"
    assert connection.execute(counts.format("raw.police_live_caseload")).fetchall() == [
        ("2024-01", 6, 5),
        ("2024-02", 6, 5),
    ]


def test_a_changed_pseudonym_key_stops_the_load(connection, landing: Path, key: bytes) -> None:
    """Pseudonyms made with another key do not link with the earlier ones: the load stops, naming the setting."""
    load_file(connection, SPEC, landing / JANUARY.name, key)
    with pytest.raises(
        ConfigurationError, match="CJS_PSEUDONYM_KEY is not the key this build database's pseudonyms were made with"
    ):
        load_file(connection, SPEC, landing / FEBRUARY.name, b"another-key-of-enough-length")
    assert month_rows(connection, "2024-02") == []
    assert load_file(connection, SPEC, landing / FEBRUARY.name, key).outcome == "loaded"
    assert key.decode() not in str(connection.execute("select * from audit.pseudonym_key").fetchall())
