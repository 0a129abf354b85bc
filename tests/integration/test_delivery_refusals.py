"""A delivery never makes the warehouse worse (issue 21): a file replaces its month only if it is whole and
plausible. Each bad delivery is refused with one message in audit.load_log, and the delivery in force, its rows and
the quarantine stay exactly as they were. Real files from the simulator, real DuckDB files, raw_loader.load_file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.lib.raw_loader import load_file
from pipelines.lib.source_spec import load_specs
from tests.unit.test_extract_reader import GrowingPath

SPECS = load_specs()
CRIMES = SPECS["police_crimes"]
MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04"]


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Wiltshire, January to April 2024 (seed 5): every extract and the public lookalikes."""
    from pipelines.lib.simulator.run import simulate

    out = tmp_path_factory.mktemp("refusals") / "landing"
    simulate(["wiltshire"], MONTHS[0], MONTHS[-1], out, seed=5)
    return out


@pytest.fixture
def connection(tmp_path: Path):
    with duckdb.connect(str(tmp_path / "build.duckdb")) as connection:
        yield connection


def crimes_file(landing: Path, month: str) -> Path:
    return landing / "police" / "crimes" / f"police_crimes_{month}.csv"


@pytest.fixture
def three_months(simulated: Path, tmp_path: Path, connection: duckdb.DuckDBPyConnection, key: bytes) -> Path:
    """police_crimes January to March loaded from a landing zone of the test's own."""
    landing = tmp_path / "landing"
    (landing / "police" / "crimes").mkdir(parents=True)
    for month in MONTHS[:3]:
        shutil.copy(crimes_file(simulated, month), crimes_file(landing, month))
        assert load_file(connection, CRIMES, crimes_file(landing, month), key).outcome == "loaded"
    return landing


def state(connection: duckdb.DuckDBPyConnection, extract: str = "police_crimes") -> dict:
    """What a refusal must leave as it was: the rows in force per month and their file's hash, the history, the
    quarantine."""
    return {
        "raw": connection.execute(
            f"select _reporting_month, _file_sha256, count(*), sum(hash(columns(*))) from raw.{extract} group by all order by all"
        ).fetchall(),
        "history": connection.execute(f"select count(*) from raw_history.{extract}").fetchall(),
        "quarantine": connection.execute("select count(*) from audit.quarantine").fetchall(),
    }


def last_log(connection: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    return connection.execute("select outcome, message from audit.load_log order by loaded_at desc limit 1").fetchall()[
        0
    ]


def rewrite(path: Path, edit) -> None:  # noqa: ANN001
    """Rewrite a CSV's text cells (header and rows) with `edit`, as a hand edit or a broken export would."""
    frame = pl.read_csv(path, infer_schema=False)
    edit(frame).write_csv(path)


def swap_day_and_month(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col("Recorded Date").str.replace(r"^(\d\d)/(\d\d)/", "$2/$1/"))


def swap_headers(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.rename({"Crime Reference": "Offence Description", "Offence Description": "Crime Reference"})


def sent_twice(frame: pl.DataFrame) -> pl.DataFrame:
    return pl.concat([frame, frame])


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            swap_day_and_month,
            r"rows \(\d+%\) fail their checks, more than the 10% police_crimes allows \(max_rejected_share\): "
            r"Recorded Date: not a date in format %d/%m/%Y \([\d,]+ rows\)",
        ),
        (
            swap_headers,
            r"fail their checks, more than the 10% police_crimes allows \(max_rejected_share\): .*Crime Reference: "
            r"str_matches\('.\*\\d'\) \([\d,]+ rows\)",
        ),
        (
            sent_twice,
            r"([\d,]+) of \1 rows \(100%\) fail their checks, .*: the row: duplicate primary key "
            r"\(crime_reference \+ record_status\) \(\1 rows\)",
        ),
    ],
    ids=["us-dates", "swapped-headers", "sent-twice"],
)
def test_a_file_whose_rows_mostly_fail_is_refused_and_the_month_stands(
    three_months: Path,
    connection: duckdb.DuckDBPyConnection,
    key: bytes,
    edit,
    message: str,  # noqa: ANN001
) -> None:
    before = state(connection)
    path = crimes_file(three_months, "2024-03")
    rewrite(path, edit)
    outcome = load_file(connection, CRIMES, path, key)
    assert outcome.outcome == "refused" and outcome.message.startswith(f"{path}: ")
    assert re.search(message, outcome.message), outcome.message
    assert last_log(connection) == ("refused", outcome.message)
    assert state(connection) == before
    # No cell value in the message: names pasted under a swapped header must not reach a log.
    reason = outcome.message.removeprefix(f"{path}: ")
    assert "Sexual activity" not in reason and "54/" not in reason


def test_a_second_column_under_a_header_the_spec_reads_is_refused(
    three_months: Path, connection: duckdb.DuckDBPyConnection, key: bytes
) -> None:
    """A second 'Victim Age' column put first: every row was quarantined and the month published as 0 rows."""
    before = state(connection)
    path = crimes_file(three_months, "2024-03")
    lines = path.read_text().splitlines()
    path.write_text("\n".join(["Victim Age," + lines[0]] + [f"unknown,{line}" for line in lines[1:]]) + "\n")
    outcome = load_file(connection, CRIMES, path, key)
    assert outcome.outcome == "refused" and outcome.message == (
        f"{path}: the header row repeats 'Victim Age' (columns 1, 13): which one holds the values cannot be told"
    )
    assert state(connection) == before and last_log(connection) == ("refused", outcome.message)


def test_a_file_cut_at_a_line_end_is_refused_by_its_row_count(
    three_months: Path, connection: duckdb.DuckDBPyConnection, key: bytes
) -> None:
    """Cut at a line end, the file looked whole (Total Victims for March was published as 1,099 instead of 2,905)."""
    before = state(connection)
    path = crimes_file(three_months, "2024-03")
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:1400]))
    outcome = load_file(connection, CRIMES, path, key)
    assert outcome.outcome == "refused"
    assert "1,399 rows accepted where the months around it (2024-01, 2024-02) have a median of" in outcome.message
    assert "(row_count_tolerance 50%); a file cut short or sent twice?" in outcome.message
    assert state(connection) == before and last_log(connection) == ("refused", outcome.message)


def test_a_file_grown_far_beyond_its_neighbours_is_refused(
    three_months: Path, connection: duckdb.DuckDBPyConnection, key: bytes
) -> None:
    before = state(connection)
    path = crimes_file(three_months, "2024-03")
    frame = pl.read_csv(path, infer_schema=False)
    copies = [frame.with_columns(pl.col("Crime Reference") + f"-{n}") for n in range(3)]
    pl.concat([frame, *copies]).write_csv(path)  # four times the rows, every key distinct
    outcome = load_file(connection, CRIMES, path, key)
    assert (
        outcome.outcome == "refused"
        and f"{4 * frame.height:,} rows accepted where the months around it" in outcome.message
    )
    assert state(connection) == before


def test_a_file_changing_while_it_is_read_is_refused(
    three_months: Path, connection: duckdb.DuckDBPyConnection, key: bytes
) -> None:
    """A file still being written when the refresh read it loaded 1,399 of 4,890 rows (the hash was taken apart)."""
    before = state(connection)
    path = GrowingPath(crimes_file(three_months, "2024-03"))
    path.write_bytes(path.read_bytes() + b"\n")
    outcome = load_file(connection, CRIMES, path, key)
    assert outcome.outcome == "refused" and outcome.message.endswith(
        "the file changed while it was read (still being written?): it is read again at the next refresh"
    )
    assert state(connection) == before


def test_a_months_data_under_another_months_name_is_refused(
    three_months: Path, connection: duckdb.DuckDBPyConnection, key: bytes
) -> None:
    """March's data named April published April with March's figures (and March as zeros elsewhere)."""
    before = state(connection)
    april = crimes_file(three_months, "2024-04")
    shutil.copy(crimes_file(three_months, "2024-03"), april)
    outcome = load_file(connection, CRIMES, april, key)
    rows = pl.read_csv(april, infer_schema=False).height
    assert outcome.outcome == "refused" and outcome.reporting_month == "2024-04"
    assert outcome.message == (
        f"{april}: its rows are for 2024-03 ({rows:,} of {rows:,} rows by Recorded Date, Outcome Date) but "
        "its name says 2024-04: a file of one month under another's name is refused"
    )
    assert state(connection) == before


def test_a_refused_file_is_read_again_and_unchanged_is_said_only_of_the_delivery_in_force(
    three_months: Path, connection: duckdb.DuckDBPyConnection, key: bytes
) -> None:
    path = crimes_file(three_months, "2024-03")
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 3])
    refused = load_file(connection, CRIMES, path, key)
    assert (
        refused.outcome == "refused" and load_file(connection, CRIMES, path, key) == refused
    )  # refused again, logged once
    path.write_bytes(good)  # the delivery in force put back
    assert load_file(connection, CRIMES, path, key).outcome == "unchanged"
    assert connection.execute(
        "select outcome from audit.load_log where reporting_month = '2024-03' order by loaded_at"
    ).fetchall() == [("loaded",), ("refused",), ("unchanged",)]  # the log says the refusal no longer stands
    assert load_file(connection, CRIMES, path, key).outcome == "unchanged"
    assert connection.execute("select count(*) from audit.load_log where reporting_month = '2024-03'").fetchall() == [
        (3,)
    ]


def test_infinite_values_are_rejected_rows_never_loaded(
    tmp_path: Path, connection: duckdb.DuckDBPyConnection, key: bytes
) -> None:
    folder = tmp_path / "manual" / "measure_values"
    folder.mkdir(parents=True)
    path = folder / "manual_measure_values_2024-02.csv"
    path.write_text(
        "Measure ID,Area Code,Period Start,Value,Numerator,Denominator,Source,Note\n"
        "horizon_live_cases,E23000038,2024-02-01,412,,,Horizon service manager,\n"
        "horizon_live_cases,E23000038,2024-01-01,1e309,,,Horizon service manager,\n"
        "nvap_victim_outcomes_compliance,E23000038,2024-02-01,inf,14,16,NVAP plan owner,\n"
    )
    outcome = load_file(connection, SPECS["manual_measure_values"], path, key)
    assert (outcome.outcome, outcome.rows_accepted, outcome.rows_rejected) == ("loaded", 1, 2)
    assert connection.execute("select value from raw.manual_measure_values").fetchall() == [(412.0,)]
    assert connection.execute(
        'select line_number, "column", "check", value from audit.quarantine order by 1'
    ).fetchall() == [(3, "Value", "not a finite number", "1e309"), (4, "Value", "not a finite number", "inf")]


COPOC, STREET = SPECS["public_cps_copoc"], SPECS["public_police_uk_street"]


def copoc_file(simulated: Path) -> Path:
    [path] = (simulated / "public" / "cps_copoc" / "2024-01").iterdir()
    return path


def test_a_copoc_file_whose_name_states_another_month_is_refused(
    simulated: Path, tmp_path: Path, connection: duckdb.DuckDBPyConnection, key: bytes
) -> None:
    """The March 2018 file put in cps_copoc/2024-01/ was published as January 2024's England and Wales comparator."""
    path = tmp_path / "public" / "cps_copoc" / "2024-01" / "principal_offence_category_Mar_2018.csv"
    path.parent.mkdir(parents=True)
    shutil.copy(copoc_file(simulated), path)
    outcome = load_file(connection, COPOC, path, key)
    assert outcome.outcome == "refused" and outcome.message == (
        f"{path}: the file name says Mar 2018 but its folder says 2024-01: the month is the folder's, so they must agree "
        "(move it to a 2018-03 folder)"
    )
    assert connection.execute("select count(*) from raw.public_cps_copoc").fetchall() == [(0,)]


def test_a_police_uk_file_whose_month_column_disagrees_with_its_folder_is_refused(
    simulated: Path, tmp_path: Path, connection: duckdb.DuckDBPyConnection, key: bytes
) -> None:
    path = tmp_path / "public" / "police_uk" / "2024-02" / "2024-02-wiltshire-street.csv"
    path.parent.mkdir(parents=True)
    shutil.copy(simulated / "public" / "police_uk" / "2024-01" / "2024-01-wiltshire-street.csv", path)
    outcome = load_file(connection, STREET, path, key)
    rows = pl.read_csv(path, infer_schema=False).height
    assert outcome.outcome == "refused" and outcome.message == (
        f"{path}: its rows are for 2024-01 ({rows:,} of {rows:,} rows by Month) but its folder says 2024-02: a file of one "
        "month under another's folder is refused"
    )


def test_a_refusal_is_about_a_file_in_a_place(
    simulated: Path, tmp_path: Path, connection: duckdb.DuckDBPyConnection, key: bytes
) -> None:
    """A COPOC file refused for its folder, then moved to the right one, was reported unchanged and never loaded."""
    misplaced = tmp_path / "public" / "cps_copoc" / "january" / "principal_offence_category_Jan.csv"
    misplaced.parent.mkdir(parents=True)
    shutil.copy(copoc_file(simulated), misplaced)
    refused = load_file(connection, COPOC, misplaced, key)
    assert refused.outcome == "refused" and "not in a YYYY-MM folder" in refused.message
    placed = tmp_path / "public" / "cps_copoc" / "2024-01" / misplaced.name
    placed.parent.mkdir()
    misplaced.rename(placed)
    loaded = load_file(connection, COPOC, placed, key)
    assert (loaded.outcome, loaded.reporting_month, loaded.rows_rejected) == ("loaded", "2024-01", 0)
    assert load_file(connection, COPOC, placed, key).outcome == "unchanged"
