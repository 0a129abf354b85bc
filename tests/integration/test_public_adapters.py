"""The public-data adapters read the real published files (copied into tests/fixtures/real_data, with their source and licence) and small hand-made ones
(tests/fixtures/public) through the real reader and raw loader into a real DuckDB file, and give the figures a count of
those files with the csv module gives; every marker is read as what it means, never as 0."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from pipelines.lib.landing_zone import extract_files
from pipelines.lib.raw_loader import load_file
from pipelines.lib.simulator.extracts.ons_geography import ONS_LOOKUP
from pipelines.lib.source_spec import load_specs
from pipelines.settings import DBT_PROJECT_DIR

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "public"
SPECS = load_specs()
PUBLIC = [name for name, spec in SPECS.items() if spec.publisher == "public"]


REAL = REPO_ROOT / "tests" / "fixtures" / "real_data"  # real public files, with their source and licence
DORSET = REAL / "police_uk" / "2024-01-dorset-street.csv"
COPOC = {
    "2014-01": REAL / "cps_copoc" / "principal_offence_category_january_2014.csv",
    "2016-12": REAL / "cps_copoc" / "principal_offence_category_december_2016.csv",
}
ONS = REAL / "geography" / "LAD23_CSP23_PFA23_lookup_Dec2023.csv"
ONS_2024 = "LAD24_CSP24_PFA24_EW_LU.csv"  # the next vintage as the fixture writes it (see _next_vintage)
SWINDON = "E06000030,Swindon,E22000350,Swindon,E23000038,Wiltshire,"


def _next_vintage(text: str) -> str:
    """The December 2023 lookup as a 2024 vintage would be written: every header renamed (LAD23CD -> LAD24CD ...)
    and Swindon moved from Wiltshire to Thames Valley; text edits, independent of the reader."""
    header, body = text.split("\n", 1)
    assert SWINDON in body
    return (
        header.replace("23", "24")
        + "\n"
        + body.replace(SWINDON, "E06000030,Swindon,E22000350,Swindon,E23000029,Thames Valley,")
    )


@pytest.fixture(scope="module")
def public_raw(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    """A landing zone in the public layout (the real files copied into month folders, the fixtures beside them),
    every public spec's files loaded into a real build database."""
    sources = tmp_path_factory.mktemp("public_landing")
    shutil.copytree(FIXTURES, sources / "public")
    (sources / "public/police_uk/2024-01").mkdir(parents=True, exist_ok=True)
    shutil.copy(DORSET, sources / "public/police_uk/2024-01")
    for month, path in COPOC.items():
        (sources / "public/cps_copoc" / month).mkdir(parents=True)
        shutil.copy(path, sources / "public/cps_copoc" / month / path.name)
    (sources / "public/ons_geography").mkdir()
    shutil.copy(ONS, sources / "public/ons_geography")
    (sources / "public/ons_geography" / ONS_2024).write_text(
        _next_vintage(ONS.read_text(encoding="utf-8-sig")), encoding="utf-8"
    )
    connection = duckdb.connect(str(sources / "build.duckdb"))
    outcomes = [
        load_file(connection, spec, path, b"test-key" * 4)
        for spec, path in extract_files(sources, {n: SPECS[n] for n in PUBLIC})
    ]
    assert {(o.path.name, o.outcome, o.rows_rejected) for o in outcomes} == {
        ("2024-01-dorset-street.csv", "loaded", 0),
        ("2024-01-dorset-outcomes.csv", "loaded", 0),
        ("principal_offence_category_january_2014.csv", "loaded", 0),
        ("principal_offence_category_december_2016.csv", "loaded", 0),
        ("timeliness.csv", "loaded", 0),
        ("trials.csv", "loaded", 0),
        (ONS.name, "loaded", 0),
        (ONS_2024, "loaded", 0),
    }
    return connection


def test_dorset_january_2024_crimes_by_type_match_a_count_of_the_file(public_raw: duckdb.DuckDBPyConnection) -> None:
    with DORSET.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    expected = Counter(row["Crime type"] for row in rows)
    read = dict(public_raw.sql("select crime_type, count(*) from raw.public_police_uk_street group by 1").fetchall())
    assert read == expected and len(expected) == 14 and sum(read.values()) == 4802
    asb_without_id = sum(1 for r in rows if r["Crime type"] == "Anti-social behaviour" and r["Crime ID"] == "")
    assert public_raw.sql(
        "select count(*) filter (crime_type = 'Anti-social behaviour' and crime_id is null), "
        "count(*) filter (location = 'No Location' and longitude is null and lsoa_code is null), "
        "count(distinct _reporting_month), min(_line_number), max(_line_number) from raw.public_police_uk_street"
    ).fetchall()[0] == (asb_without_id, 14, 1, 2, 4803)
    assert asb_without_id == expected["Anti-social behaviour"]


def test_police_uk_outcomes_keep_every_row_the_file_has(public_raw: duckdb.DuckDBPyConnection) -> None:
    """Exact repeats are police.uk's, kept in raw (staging removes them); a crime's two outcomes are two rows."""
    assert public_raw.sql(
        "select count(*), count(distinct crime_id), count(*) filter (location = 'No Location') from raw.public_police_uk_outcomes"
    ).fetchall()[0] == (5, 3, 2)


def _copoc_cell(path: Path, area: str, header: str) -> str:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        headers = next(reader)
        return next(row for row in reader if row[0] == area)[headers.index(header)]


# (month, area, category, measure, defendants, percentage, percentage marker): counted by hand from the files.
COPOC_HAND = [
    ("2014-01", "National", "Homicide", "Convictions", 51, 82.3, None),
    ("2014-01", "National", "Offences Against The Person", "Convictions", 9087, 75.6, None),  # "9,087"
    ("2014-01", "National", "Offences Against The Person", "Unsuccessful", 2930, 24.4, None),  # "2,930"
    ("2014-01", "National", "All Offences", "Admin Finalised", 890, 100.0, None),  # the mislabelled last column
    ("2014-01", "Avon and Somerset", "Homicide", "Convictions", 0, None, "not_applicable"),  # "-"
    ("2014-01", "Bedfordshire", "Homicide", "Convictions", 0, 0.0, None),  # a real 0.0%
    ("2014-01", "Metropolitan and City", "Offences Against The Person", "Convictions", 1306, 70.4, None),
    ("2014-01", "GreaterManchester", "Homicide", "Convictions", 2, 66.7, None),
    ("2014-01", "Wiltshire", "Offences Against The Person", "Unsuccessful", 23, 25.6, None),
    ("2016-12", "National", "Homicide", "Convictions", 125, 83.3, None),
    ("2016-12", "National", "Offences Against The Person", "Unsuccessful", 2543, 22.0, None),
    ("2016-12", "National", "All Offences", "Admin Finalised", 937, 100.0, None),
    ("2016-12", "Avon and Somerset", "Homicide", "Convictions", 6, 75.0, None),
]


@pytest.mark.parametrize("row", COPOC_HAND, ids=lambda r: f"{r[0]}-{r[1]}-{r[2]}-{r[3]}")
def test_copoc_figures_match_the_hand_count(public_raw: duckdb.DuckDBPyConnection, row: tuple) -> None:
    month, area, category, measure, *expected = row
    assert public_raw.sql(
        "select defendants, percentage, percentage_marker from raw.public_cps_copoc "
        "where _reporting_month = ? and area_name = ? and offence_category = ? and measure = ?",
        params=[month, area, category, measure],
    ).fetchall() == [tuple(expected)]


def test_copoc_zero_percentage_is_not_applicable_never_zero(public_raw: duckdb.DuckDBPyConnection) -> None:
    """Warwickshire January 2014 writes `0` (not `0.0%`) for a category with no finalisations: not applicable."""
    assert _copoc_cell(COPOC["2014-01"], "Warwickshire", "Percentage of Robbery Convictions") == "0"
    assert public_raw.sql(
        "select defendants, percentage, percentage_marker from raw.public_cps_copoc where _reporting_month = '2014-01' "
        "and area_name = 'Warwickshire' and offence_category = 'Robbery' and measure = 'Convictions'"
    ).fetchall() == [(0, None, "not_applicable")]
    # Every "-" or "0" percentage cell of both files is a not-applicable row, and no other row is.
    for month, path in COPOC.items():
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            headers = next(reader)
            markers = sum(
                1
                for r in reader
                for h, v in zip(headers, r, strict=False)
                if h.startswith("Percentage") and v in ("-", "0")
            )
        assert public_raw.sql(
            "select count(*) filter (percentage_marker = 'not_applicable'), count(*) filter (percentage = 0 and percentage_marker is not null) "
            "from raw.public_cps_copoc where _reporting_month = ?",
            params=[month],
        ).fetchall()[0] == (markers, 0)


def test_copoc_national_is_the_sum_of_42_areas_and_percentages_agree_with_counts(
    public_raw: duckdb.DuckDBPyConnection,
) -> None:
    for month in COPOC:
        assert public_raw.sql(
            "select count(distinct area_name) filter (area_name <> 'National'), count(*) from raw.public_cps_copoc where _reporting_month = ?",
            params=[month],
        ).fetchall()[0] == (42, 43 * 25)
    mismatches = public_raw.sql(
        """
        with areas as (
            select _reporting_month, offence_category, measure, sum(defendants) as defendants
            from raw.public_cps_copoc where area_name <> 'National' group by all
        )
        select * from areas join raw.public_cps_copoc national using (_reporting_month, offence_category, measure)
        where national.area_name = 'National' and national.defendants <> areas.defendants
        """
    ).fetchall()
    assert mismatches == []
    wrong_percentages = public_raw.sql(
        """
        with finalised as (
            select _reporting_month, area_name, offence_category, sum(defendants) as finalised
            from raw.public_cps_copoc where measure in ('Convictions', 'Unsuccessful') group by all
        )
        select c._reporting_month, area_name, offence_category, measure, defendants, percentage, finalised
        from raw.public_cps_copoc c join finalised using (_reporting_month, area_name, offence_category)
        where measure <> 'Admin Finalised'
          and case when finalised = 0 then percentage is not null or percentage_marker <> 'not_applicable'
                   else percentage is null or abs(percentage - 100.0 * defendants / finalised) > 0.05 + 1e-9 end
        """
    ).fetchall()
    assert wrong_percentages == []


def test_moj_timeliness_mixed_levels_and_every_marker(public_raw: duckdb.DuckDBPyConnection) -> None:
    rows = public_raw.sql(
        "select national, region, lcjb_area, court_name, defendants, defendants_marker, mean_first_list_to_completion, "
        "mean_first_list_to_completion_marker, median_first_list_to_completion_marker, median_offence_to_completion_marker, "
        "mean_offence_to_charge_marker, mean_charge_to_first_list_marker, mean_offence_to_completion_marker, "
        "median_offence_to_charge_marker, _reporting_month from raw.public_moj_court_timeliness order by _line_number"
    ).fetchall()
    assert rows == [
        ("England and Wales", "-", "-", "-", 371204, None, 41.0, None, None, None, None, None, None, None, None),
        ("-", "South West", "-", "-", 38230, None, 36.0, None, None, None, None, None, None, None, None),
        (
            "-",
            "-",
            "Wiltshire LCJB",
            "-",
            3012,
            None,
            None,
            "suppressed",
            "suppressed",
            "suppressed",
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "-",
            "-",
            "-",
            "Swindon",
            None,
            "not_available",
            None,
            "not_applicable",
            None,
            None,
            "not_available",
            "not_available",
            "not_applicable",
            "missing",
            None,
        ),
    ]


def test_moj_trial_effectiveness_long_format(public_raw: duckdb.DuckDBPyConnection) -> None:
    assert public_raw.sql(
        "select trial_effectiveness, reason, trials, trials_marker from raw.public_moj_trial_effectiveness order by _line_number"
    ).fetchall() == [
        ("1: Effective trials", "-", 120, None),
        ("2: Cracked trials", "-", 95, None),
        ("3: Ineffective trials", "04. Ineffective reason: Prosecution witness absent - police", 7, None),
        ("3: Ineffective trials", "05. Ineffective reason: Defence not ready", None, "suppressed"),
        ("4. Vacated trial", "-", None, "suppressed"),
        ("1: Effective trials", "-", None, "missing"),
    ]


def test_a_copoc_file_outside_a_month_folder_is_refused(tmp_path: Path) -> None:
    spec = SPECS["public_cps_copoc"]
    misplaced = tmp_path / "public" / "cps_copoc" / "january" / "principal_offence_category_Mar.csv"
    misplaced.parent.mkdir(parents=True)
    shutil.copy(COPOC["2014-01"], misplaced)
    outcome = load_file(duckdb.connect(str(tmp_path / "build.duckdb")), spec, misplaced, b"k" * 32)
    assert outcome.outcome == "refused" and "YYYY-MM folder" in outcome.message


def test_ons_lookup_matches_the_hand_count(public_raw: duckdb.DuckDBPyConnection) -> None:
    """The real December 2023 lookup, counted outside the adapter (the csv module, and by eye for Wiltshire): 332 rows,
    318 districts, 314 partnerships, 43 force areas; 12 partnerships cover 2-3 districts (Dartford and Gravesham) and
    7 districts are in 2-4 partnerships (Buckinghamshire in 4); quoted names keep their commas."""
    assert public_raw.sql(
        "select count(*), count(distinct lad_code), count(distinct csp_code), count(distinct pfa_code), min(_line_number), "
        "max(_line_number), count(distinct _source_file) from raw.public_ons_geography where vintage = 23"
    ).fetchall() == [(332, 318, 314, 43, 2, 333, 1)]
    assert public_raw.sql(
        "select list(lad_name order by lad_name) from raw.public_ons_geography where vintage = 23 and pfa_code = 'E23000038'"
    ).fetchall() == [(["Swindon", "Wiltshire"],)]
    assert public_raw.sql(
        """select (select count(*) from (select csp_code from raw.public_ons_geography where vintage = 23 group by 1 having count(*) > 1)),
                  (select count(*) from (select lad_code from raw.public_ons_geography where vintage = 23 group by 1 having count(*) > 1)),
                  (select list(lad_name order by lad_name) from raw.public_ons_geography where vintage = 23 and csp_code = 'E22000352'),
                  (select count(*) from raw.public_ons_geography where vintage = 23 and lad_name = 'Buckinghamshire'),
                  (select any_value(pfa_name) from raw.public_ons_geography where pfa_code = 'E23000034')"""
    ).fetchall() == [(12, 7, ["Dartford", "Gravesham"], 4, "London, City of")]


def test_the_simulator_ships_the_real_ons_lookup_byte_for_byte() -> None:
    assert ONS_LOOKUP.read_bytes() == ONS.read_bytes()


def test_a_second_ons_vintage_with_renamed_headers_loads_beside_the_first(
    public_raw: duckdb.DuckDBPyConnection,
) -> None:
    assert public_raw.sql(
        "select vintage, parse_filename(_source_file), count(*), any_value(pfa_code) filter (lad_code = 'E06000030') "
        "from raw.public_ons_geography group by all order by 1"
    ).fetchall() == [(23, ONS.name, 332, "E23000038"), (24, ONS_2024, 332, "E23000029")]


def test_an_ons_file_with_an_unknown_header_is_refused_naming_the_file_and_column(tmp_path: Path) -> None:
    """ONS renaming a column (LTLA for LAD) or mixing two vintages' headers: the file is refused with one message."""
    spec, text = SPECS["public_ons_geography"], ONS.read_text(encoding="utf-8-sig")
    folder = tmp_path / "public" / "ons_geography"
    folder.mkdir(parents=True)
    connection = duckdb.connect(str(tmp_path / "build.duckdb"))
    (folder / "LTLA23_lookup.csv").write_text(text.replace("LAD23CD", "LTLA23CD", 1), encoding="utf-8")
    (folder / "mixed_lookup.csv").write_text(text.replace("PFA23CD", "PFA24CD", 1), encoding="utf-8")
    renamed, mixed = (
        load_file(connection, spec, path, b"k" * 32) for _, path in extract_files(tmp_path, {spec.extract: spec})
    )
    assert renamed.outcome == "refused" and renamed.message.startswith(str(folder / "LTLA23_lookup.csv"))
    assert renamed.message.endswith(r"missing headers matching LAD(?P<vintage>\d{2})CD (lad_code)")
    assert mixed.outcome == "refused" and mixed.message.startswith(str(folder / "mixed_lookup.csv"))
    assert (
        "the headers disagree on their vintage" in mixed.message
        and "PFA24CD (24)" in mixed.message
        and "PFA23NM (23)" in mixed.message
    )
    assert connection.sql("select count(*) from raw.public_ons_geography").fetchall() == [(0,)]


@pytest.fixture(scope="module")
def public_marts(public_raw: duckdb.DuckDBPyConnection, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`dbt build --select +tag:public` (seeds, staging, marts, their tests and the COPOC consistency tests) on a copy
    of the loaded build database, in a subprocess as the pipeline runs it."""
    root = tmp_path_factory.mktemp("public_dbt")
    public_raw.execute("checkpoint")
    build_db = root / "build.duckdb"
    shutil.copyfile(
        public_raw.execute("select path from duckdb_databases() where database_name = current_database()").fetchall()[
            0
        ][0],
        build_db,
    )
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "build",
            "--select",
            "+tag:public",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(root / "target"),
        ],
        env={**os.environ, "CJS_BUILD_DB": str(build_db), "DBT_INDIRECT_SELECTION": "buildable"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    for test in ("copoc_national_equals_sum_of_areas", "copoc_percentages_agree_with_counts", *SEED_CHECKS):
        assert test in result.stdout
    return build_db


SEED_CHECKS = ("ons_lookup_matches_force_seed", "public_force_names_resolve")  # dbt_project/tests/public/


def test_staging_takes_the_newest_ons_vintage_whole(public_marts: Path) -> None:
    """The 2024 vintage (Swindon moved to Thames Valley) is the lookup in force; the force seed still agrees with it
    (the build's seed checks passed)."""
    with duckdb.connect(str(public_marts), read_only=True) as connection:
        assert connection.execute(
            "select vintage_year, count(*), count(distinct pfa_code) from public.ons_force_area_lookup group by 1"
        ).fetchall() == [(2024, 332, 43)]
        assert connection.execute(
            "select lad_name, pfa_code, pfa_name from public.ons_force_area_lookup where lad_name in ('Swindon', 'Wiltshire') order by 1"
        ).fetchall() == [("Swindon", "E23000029", "Thames Valley"), ("Wiltshire", "E23000038", "Wiltshire")]
        assert connection.execute(
            "select lad_name, csp_name, lads_in_csp, csps_in_lad from public.ons_force_area_lookup "
            "where lad_name in ('Dartford', 'Buckinghamshire') order by all"
        ).fetchall() == [
            ("Buckinghamshire", name, 1, 4) for name in ("Aylesbury Vale", "Chiltern", "South Bucks", "Wycombe")
        ] + [("Dartford", "Dartford and Gravesham", 2, 1)]


def test_the_seed_checks_name_every_disagreement(public_marts: Path, tmp_path: Path) -> None:
    """The two dbt checks, as dbt compiled them, on a copy whose newest lookup disagrees with the seed: Wiltshire
    renamed, the City of London missing, Swindon in an area no seed or alias knows; and with no lookup at all."""
    copy = tmp_path / public_marts.name  # the same file name: the staging views name their database
    shutil.copyfile(public_marts, copy)
    compiled = {
        test: (
            public_marts.parent / "target" / "compiled" / "cjs_scorecard" / "tests" / "public" / f"{test}.sql"
        ).read_text()
        for test in SEED_CHECKS
    }
    with duckdb.connect(str(copy)) as connection:
        connection.execute(
            "update raw.public_ons_geography set pfa_name = 'Wiltshire and Swindon' where vintage = 24 and pfa_code = 'E23000038'"
        )
        connection.execute("delete from raw.public_ons_geography where vintage = 24 and pfa_code = 'E23000034'")
        connection.execute(
            "update raw.public_ons_geography set pfa_code = 'E23000099', pfa_name = 'Atlantis' where vintage = 24 and lad_name = 'Swindon'"
        )
        assert connection.sql(compiled["ons_lookup_matches_force_seed"] + " order by 1").fetchall() == [
            ("E23000034", None, "London, City of", "in the seed, not in the ONS lookup"),
            ("E23000038", "Wiltshire and Swindon", "Wiltshire", "named differently"),
            ("E23000099", "Atlantis", None, "in the ONS lookup, not in the seed"),
        ]
        assert sorted(connection.sql(compiled["public_force_names_resolve"]).fetchall()) == [
            ("ONS lookup", "Atlantis"),
            ("ONS lookup", "Wiltshire and Swindon"),
        ]
        connection.execute("delete from raw.public_ons_geography")
        assert connection.sql(compiled["ons_lookup_matches_force_seed"]).fetchall() == []


# Dorset, January 2024, counted with awk over the real file's Crime type column (independent of csv and the adapter).
DORSET_BY_TYPE = {
    "Anti-social behaviour": 958,
    "Bicycle theft": 52,
    "Burglary": 211,
    "Criminal damage and arson": 417,
    "Drugs": 80,
    "Other crime": 43,
    "Other theft": 336,
    "Possession of weapons": 42,
    "Public order": 262,
    "Robbery": 21,
    "Shoplifting": 350,
    "Theft from the person": 20,
    "Vehicle crime": 354,
    "Violence and sexual offences": 1656,
}


def test_public_marts_give_the_hand_counted_figures(public_marts: Path) -> None:
    with duckdb.connect(str(public_marts), read_only=True) as connection:
        crimes = dict(
            connection.execute(
                "select crime_type, crimes from public.police_uk_crimes_by_type_month where area_code = 'E23000039' and crime_month = '2024-01-01'"
            ).fetchall()
        )
        copoc = connection.execute(
            "select area_codes, convictions, convictions_percentage, unsuccessful from public.cps_copoc_by_area_month "
            "where finalised_month = '2014-01-01' and area_name = 'Metropolitan and City' and offence_category = 'Offences Against The Person'"
        ).fetchall()
        outcomes = connection.execute(
            "select count(*), count(distinct crime_id) from staging.stg_public__police_uk_outcomes"
        ).fetchall()
        trials = connection.execute(
            "select geography_level, effective, cracked, ineffective, effective_rate from public.moj_trial_effectiveness_by_area_quarter order by all"
        ).fetchall()
        lcjb = connection.execute(
            "select geography_name, defendants, mean_first_list_to_completion_marker from public.moj_timeliness_by_area_quarter "
            "where geography_level = 'lcjb_area' and quarter_start = '2010-04-01'"
        ).fetchall()
    assert crimes == DORSET_BY_TYPE
    assert copoc == [(["E23000001", "E23000034"], 1306, 70.4, 549)]
    assert outcomes == [(4, 3)]  # the exact repeat removed, the second outcome of one crime kept
    # The ineffective count is partly withheld ([c]), so no rate; the national row has only a missing count.
    assert trials == [("national", None, None, None, None), ("police_force_area", 120, 95, 7, None)]
    assert lcjb == [("Wiltshire LCJB", 3012, "suppressed")]
