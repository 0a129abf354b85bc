"""dbt's unit tests (`unit_tests:` in the models' YAML: given rows in, expected rows out) run for real, and all pass.

They cover the scorecard engine (counts, distinct people, min events, sums, means, medians, rates per 1,000 residents,
snapshots, cohorts), the figures and their availability, the periods, area resolution, the incremental models and
disclosure control as published. A unit test needs no data, only its inputs' relations (for their column types):
`dbt build --empty` over a throwaway DuckDB file builds every model the unit tests read, empty; then dbt runs the unit
tests (`dbt test --select test_type:unit`). The raw and definitions tables the staging models read are created empty
first, as the pipeline would.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import duckdb
import yaml

from pipelines.lib.dbt_manifest import dbt_executable
from pipelines.lib.measure_definitions import load_definitions
from pipelines.lib.raw_loader import ensure_tables
from pipelines.lib.source_spec import load_specs
from pipelines.settings import BUILD_DB_ENV, DBT_PROJECT_DIR, THREADS_ENV, definitions_dir

# The unit tests written so far: a YAML file dropped, or a test dbt no longer finds, fails the count.
AT_LEAST = 21


def _declared_unit_tests() -> set[str]:
    """The names of the unit tests in the dbt project's YAML files."""
    names: set[str] = set()
    for path in (DBT_PROJECT_DIR / "models").rglob("*.yml"):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        names.update(test["name"] for test in document.get("unit_tests") or [])
    return names


def _create_sources(build_db: Path) -> None:
    """The tables the staging models select from, empty: raw extracts and the audit log (as a first load creates
    them) and the definitions tables (the columns the definitions asset writes)."""
    definitions = load_definitions(definitions_dir())
    tables = {
        "measures": definitions.catalogue(),
        "measure_parts": definitions.parts(),
        "scorecard_areas": definitions.scorecard_areas(),
        "measure_breakdowns": definitions.breakdowns(),
    }
    with duckdb.connect(str(build_db)) as connection:
        for spec in load_specs().values():
            ensure_tables(connection, spec)
        connection.execute("create schema if not exists definitions")
        for name, frame in tables.items():
            connection.register("frame", frame)
            connection.execute(f"create table definitions.{name} as select * from frame limit 0")
            connection.unregister("frame")


def test_every_dbt_unit_test_passes(tmp_path: Path) -> None:
    declared = _declared_unit_tests()
    assert len(declared) >= AT_LEAST, f"only {len(declared)} dbt unit tests declared: {sorted(declared)}"

    build_db = tmp_path / "unit_tests.duckdb"
    _create_sources(build_db)
    env = {**os.environ, BUILD_DB_ENV: str(build_db), "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR)}
    env.setdefault(THREADS_ENV, "1")
    env.pop("DBT_EXCLUDE_RESOURCE_TYPES", None)  # the one variable that could leave the unit tests out
    dbt = [str(dbt_executable())]
    where = [
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(tmp_path / "target"),
        "--log-path",
        str(tmp_path / "logs"),
    ]
    # every seed and model the unit tests read, empty; then the unit tests, each reported on its own (in one `dbt
    # build` a failing unit test would skip its model and every unit test downstream of it)
    built = subprocess.run(
        [
            *dbt,
            "build",
            "--empty",
            "--select",
            "+test_type:unit",
            "--resource-type",
            "seed",
            "--resource-type",
            "model",
            "--no-write-json",
            *where,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, f"dbt build --empty failed:\n{built.stdout[-6000:]}{built.stderr[-2000:]}"
    completed = subprocess.run(
        [*dbt, "test", "--select", "test_type:unit", *where],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    run_results = tmp_path / "target" / "run_results.json"
    results = json.loads(run_results.read_text()) if run_results.exists() else {}
    unit_results = {
        result["unique_id"].rsplit(".", 1)[-1]: result["status"]
        for result in results.get("results", [])
        if result["unique_id"].startswith("unit_test.")
    }
    failed = {name: status for name, status in unit_results.items() if status != "pass"}
    assert completed.returncode == 0 and not failed, (
        f"dbt unit tests not passing: {failed}\n{completed.stdout[-6000:]}{completed.stderr[-2000:]}"
    )
    assert set(unit_results) == declared, f"declared but not run: {sorted(declared - set(unit_results))}"
