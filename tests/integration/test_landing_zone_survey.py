"""Every file under the landing zone ends in the load log with an outcome (issue 21): misplaced and renamed files are
reported, months come from files where the board expects them, two files for one delivery are both refused, and a
public release's months never widen the refresh. The survey on real files, then the ingest and audit assets
materialised for real into a real DuckDB file."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.defs.ingest.assets import ingest_assets
from pipelines.defs.ingest.audit import ingestion_audit
from pipelines.defs.resources import WarehouseResource
from pipelines.lib.errors import printable_path
from pipelines.lib.landing_report import summary_lines, unloaded_files
from pipelines.lib.landing_zone import months_present, survey
from tests.integration.test_landing_zone_sensor import evaluate

TODAY = date(2026, 11, 20)
BAD_NAME = os.fsdecode(b"police_crimes_2024-0\xff.csv")  # a name that is not UTF-8 (it blocked every later refresh)


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pipelines.lib.simulator.run import simulate

    out = tmp_path_factory.mktemp("survey") / "landing"
    simulate(["wiltshire"], "2024-01", "2024-03", out, seed=9)
    return out


@pytest.fixture
def landing(simulated: Path, tmp_path: Path) -> Path:
    """Three months of police crimes and CPS case outcomes as delivered, and around them every awkward file the issue
    met: misplaced, renamed, future, ancient, doubled, linked out of the landing zone, badly named, a pipe."""
    root = tmp_path / "landing"
    crimes, copoc, street = root / "police" / "crimes", root / "public" / "cps_copoc", root / "public" / "police_uk"
    shutil.copytree(simulated / "police" / "crimes", crimes)
    shutil.copytree(simulated / "public" / "cps_copoc", copoc)
    shutil.copytree(simulated / "public" / "police_uk" / "2024-01", street / "2024-01")
    shutil.copytree(simulated / "_truth", root / "_truth")  # the simulator's truth: not a delivery
    (root / "README.md").write_text("what lands here\n")
    january = crimes / "police_crimes_2024-01.csv"
    february_copoc = next((copoc / "2024-02").iterdir())
    for name in ["police_crimes_2052-03.csv", "police_crimes_2015-03.csv", "police_crimes_2019-03.csv", BAD_NAME]:
        shutil.copy(january, crimes / name)
    shutil.copy(
        simulated / "public" / "police_uk" / "2024-01" / "2024-01-wiltshire-street.csv",
        street / "2024-01-dorset-street.csv",
    )
    shutil.copy(
        street / "2024-01" / "2024-01-wiltshire-street.csv",
        street / "2024-01" / "police_uk_wiltshire_street_2024_01.csv",
    )
    (copoc / "2018" / "03").mkdir(parents=True)
    shutil.copy(february_copoc, copoc / "2018" / "03" / "principal_offence_category_Mar.csv")
    shutil.copy(february_copoc, copoc / "principal_offence_category_Mar.csv")
    shutil.copy(february_copoc, february_copoc.with_name(february_copoc.stem + " (1).csv"))
    (copoc / "2018-03").mkdir()
    shutil.copy(next((copoc / "2024-03").iterdir()), copoc / "2018-03" / "principal_offence_category_Mar.csv")
    (root / "probation" / "unheard_of").mkdir(parents=True)
    (root / "probation" / "unheard_of" / "orders.csv").write_text("a,b\n1,2\n")
    outside = tmp_path / "outside.csv"
    shutil.copy(january, outside)
    (root / "police" / "arrests").mkdir()
    (root / "police" / "arrests" / "police_arrests_2024-02.csv").symlink_to(outside)
    os.mkfifo(root / "police" / "arrests" / "police_arrests_2024-03.csv")  # reading it would wait for ever
    return root


def verdicts(root: Path) -> dict[str, tuple[str, str | None, str]]:
    return {
        str(f.path.relative_to(root)): (f.verdict, f.spec.extract if f.spec else None, f.reason)
        for f in survey(root, today=TODAY)
    }


def test_every_file_has_a_verdict_and_a_reason(landing: Path) -> None:
    found = verdicts(landing)
    copoc_feb = sorted(p.name for p in (landing / "public" / "cps_copoc" / "2024-02").iterdir())
    doubled = (
        f"2 files for one delivery of public_cps_copoc (2024-02): public/cps_copoc/2024-02/{copoc_feb[0]} and "
        f"public/cps_copoc/2024-02/{copoc_feb[1]}; neither is loaded and the delivery in force stays: remove all but one"
    )
    expected = {
        "police/crimes/police_crimes_2052-03.csv": (
            "refused",
            "police_crimes",
            "the file is for 2052-03, a month that has not begun (today is 2026-11-20)",
        ),
        "police/crimes/police_crimes_2015-03.csv": (
            "refused",
            "police_crimes",
            "the file is for 2015-03, before the first month the warehouse covers (2018-01; CJS_FIRST_MONTH)",
        ),
        "police/crimes/police_crimes_2019-03.csv": (
            "refused",
            "police_crimes",
            "the file is for 2019-03, more than 12 months before the rest of the landing zone's extracts (2024-01..2024-03): a misnamed file? (CJS_MAX_MONTH_GAP allows a longer gap)",
        ),
        f"police/crimes/{BAD_NAME}": ("refused", "police_crimes", "the file name is not valid UTF-8 text: rename it"),
        "police/arrests/police_arrests_2024-02.csv": (
            "refused",
            "police_arrests",
            "a link to a file outside the landing zone: not read",
        ),
        "police/arrests/police_arrests_2024-03.csv": (
            "refused",
            "police_arrests",
            "not a regular file (a pipe or a device): not read",
        ),
        "public/police_uk/2024-01-dorset-street.csv": (
            "ignored",
            "public_police_uk_street",
            "misplaced: public_police_uk_street files go public/police_uk/<YYYY-MM>/, one folder per month",
        ),
        "public/police_uk/2024-01/police_uk_wiltshire_street_2024_01.csv": (
            "ignored",
            None,
            "the name matches no extract of public/police_uk/: expected {month}-*-outcomes.csv (public_police_uk_outcomes), {month}-*-street.csv (public_police_uk_street)",
        ),
        "public/cps_copoc/principal_offence_category_Mar.csv": (
            "ignored",
            "public_cps_copoc",
            "misplaced: public_cps_copoc files go public/cps_copoc/<YYYY-MM>/, one folder per month",
        ),
        "public/cps_copoc/2018/03/principal_offence_category_Mar.csv": (
            "ignored",
            "public_cps_copoc",
            "misplaced: public_cps_copoc files go public/cps_copoc/<YYYY-MM>/, one folder per month",
        ),
        f"public/cps_copoc/2024-02/{copoc_feb[0]}": ("refused", "public_cps_copoc", doubled),
        f"public/cps_copoc/2024-02/{copoc_feb[1]}": ("refused", "public_cps_copoc", doubled),
        "probation/unheard_of/orders.csv": (
            "ignored",
            None,
            "not in any extract's landing folder (sources/README.md lists them)",
        ),
    }
    assert {path: verdict for path, verdict in found.items() if verdict[0] != "deliver"} == expected
    assert sorted(path for path, verdict in found.items() if verdict[0] == "deliver") == sorted(
        [
            "police/crimes/police_crimes_2024-01.csv",
            "police/crimes/police_crimes_2024-02.csv",
            "police/crimes/police_crimes_2024-03.csv",
            "public/cps_copoc/2018-03/principal_offence_category_Mar.csv",
            f"public/cps_copoc/2024-01/{next((landing / 'public/cps_copoc/2024-01').iterdir()).name}",
            f"public/cps_copoc/2024-03/{next((landing / 'public/cps_copoc/2024-03').iterdir()).name}",
            "public/police_uk/2024-01/2024-01-wiltshire-street.csv",
            "public/police_uk/2024-01/2024-01-wiltshire-outcomes.csv",
        ]
    )


def test_a_public_release_never_widens_the_refresh(landing: Path, tmp_path: Path) -> None:
    """One 2018 COPOC file stretched a 2024 refresh to 2018-03..2024-03 (1,867 steps instead of 187); a file named
    2052-03 or 2015-03 set the range too (a 14-minute run, or a Dagster CheckError naming no file)."""
    assert months_present(landing) == ["2024-01", "2024-02", "2024-03"]
    _, cursor = evaluate(landing, tmp_path / "warehouse", None)
    release = landing / "public" / "cps_copoc" / "2018-03" / "principal_offence_category_Mar.csv"
    release.write_bytes(release.read_bytes() + b"\n")
    os.utime(release, ns=(release.stat().st_atime_ns, release.stat().st_mtime_ns + 10**9))
    result, cursor = evaluate(landing, tmp_path / "warehouse", cursor)
    [request] = result.run_requests
    assert (
        request.tags["dagster/asset_partition_range_start"]
        == request.tags["dagster/asset_partition_range_end"]
        == "2024-03-01"
    )
    # A release of a month the agency extracts cover is refreshed with that month (its run loads it).
    street = landing / "public" / "police_uk" / "2024-01" / "2024-01-wiltshire-street.csv"
    street.write_bytes(street.read_bytes() + b"\n")
    os.utime(street, ns=(street.stat().st_atime_ns, street.stat().st_mtime_ns + 10**9))
    result, _ = evaluate(landing, tmp_path / "warehouse", cursor)
    [request] = result.run_requests
    assert (
        request.tags["dagster/asset_partition_range_start"]
        == request.tags["dagster/asset_partition_range_end"]
        == "2024-01-01"
    )


def refresh_ingest(landing: Path, warehouse: Path) -> None:
    """The ingest assets of the extracts the landing zone holds and the audit asset, over 2024-01..2024-03."""
    wanted = {
        "police_crimes",
        "police_arrests",
        "public_cps_copoc",
        "public_police_uk_street",
        "public_police_uk_outcomes",
    }
    assets = [a for a in ingest_assets if a.key.path[-1] in wanted]
    result = dg.materialize(
        [*assets, ingestion_audit],
        resources={"warehouse": WarehouseResource(sources_dir=str(landing), warehouse_dir=str(warehouse))},
        tags={"dagster/asset_partition_range_start": "2024-01-01", "dagster/asset_partition_range_end": "2024-03-01"},
    )
    assert result.success


def test_every_file_ends_in_the_load_log_and_nothing_reloads_in_a_loop(landing: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse"
    refresh_ingest(landing, warehouse)
    build = warehouse / "build" / "cjs_build.duckdb"
    with duckdb.connect(str(build), read_only=True) as connection:
        logged = dict(
            connection.execute(
                "select source_file, outcome from audit.load_log qualify row_number() over (partition by source_file order by loaded_at desc) = 1"
            ).fetchall()
        )
        history = connection.execute("select count(*) from raw_history.public_cps_copoc").fetchall()
        log_rows = connection.execute("select count(*) from audit.load_log").fetchall()
        unloaded = unloaded_files(connection, landing, {"2024-01", "2024-02", "2024-03"})
    surveyed = {printable_path(f.path): f.verdict for f in survey(landing)}
    # every file of the landing zone: the deliveries loaded, the rest as the survey said
    assert {path: ("loaded" if verdict == "deliver" else verdict) for path, verdict in surveyed.items()} == logged
    assert len(logged) == len(surveyed) == 21
    lines = summary_lines(unloaded)
    assert lines[0] == (
        "8 file(s) refused and 5 ignored in the landing zone; 6 of them a monthly extract the schedule "
        "waits for (every file's outcome: audit.load_log in the build database):"
    )
    assert (
        "  refused "
        + str(landing / "police" / "crimes" / "police_crimes_2024-0\\xff.csv")
        + ": the file name is not valid UTF-8 text: rename it"
        in lines
    )

    refresh_ingest(landing, warehouse)  # nothing changed: nothing logged again, nothing reloaded
    with duckdb.connect(str(build), read_only=True) as connection:
        assert connection.execute("select count(*) from raw_history.public_cps_copoc").fetchall() == history == [(0,)]
        assert connection.execute("select count(*) from audit.load_log").fetchall() == log_rows
        assert connection.execute("select count(distinct _reporting_month) from raw.public_cps_copoc").fetchall() == [
            (3,)
        ]  # 2018-03, 2024-01, 2024-03

    # One of the two files for February removed: the other is the delivery, read and loaded.
    doubled = sorted((landing / "public" / "cps_copoc" / "2024-02").iterdir())
    doubled[1].unlink()
    refresh_ingest(landing, warehouse)
    with duckdb.connect(str(build), read_only=True) as connection:
        assert connection.execute(
            "select outcome from audit.load_log where source_file = ? order by loaded_at", [str(doubled[0])]
        ).fetchall() == [("refused",), ("loaded",)]


def test_a_landing_zone_of_only_early_files_is_refused_whole(tmp_path: Path) -> None:
    """Every agency file before CJS_FIRST_MONTH: none may set the refresh's range (a CheckError naming no file)."""
    crimes = tmp_path / "police" / "crimes"
    crimes.mkdir(parents=True)
    (crimes / "police_crimes_2015-03.csv").write_text("Force\n")
    assert verdicts(tmp_path) == {
        "police/crimes/police_crimes_2015-03.csv": (
            "refused",
            "police_crimes",
            "the file is for 2015-03, before the first month the warehouse covers (2018-01; CJS_FIRST_MONTH)",
        )
    }
    assert months_present(tmp_path) == []
