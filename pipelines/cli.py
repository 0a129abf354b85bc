"""The `cjs-scorecard` command: refresh the warehouse, run the demo, simulate agency extracts.

It runs the same Dagster definitions the UI loads (in process), so a refresh from the terminal and one from the UI
build the same assets with the same checks.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.lib.errors import ConfigurationError, ExtractError
if TYPE_CHECKING:
    from dagster import DagsterInstance

from pipelines.defs.partitions import partition_key
from pipelines.lib.landing_zone import months_present
from pipelines.lib.pseudonymise import DEMO_KEY, KEY_ENV, pseudonym_key
from pipelines.settings import REPO_ROOT, SAMPLE_SIMULATION, SAMPLE_SOURCES_DIR, SOURCES_ENV, WAREHOUSE_ENV, resolve_paths


def run_refresh(
    sources_dir: str | Path | None = None, warehouse_dir: str | Path | None = None, instance: "DagsterInstance | None" = None
) -> Path:
    """Materialise every asset of the code location, for every month the landing zone holds, to the published file.

    The run is recorded in `instance` when given, else in $DAGSTER_HOME's instance (so the UI shows it), else nowhere.
    """
    paths = resolve_paths(sources_dir, warehouse_dir)
    if not paths.sources_dir.is_dir():
        raise ConfigurationError(f"landing zone {paths.sources_dir} does not exist")
    months = months_present(paths.sources_dir)
    if not months:
        raise ConfigurationError(f"no agency extract files in the landing zone {paths.sources_dir} (see sources/README.md)")
    pseudonym_key()  # fail before any work when the key is missing

    import dagster as dg

    # Importing the definitions (re)builds the dbt manifest first when it is missing or older than the dbt project.
    from pipelines.definitions import defs, resources_for

    if instance is None:
        instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    result = dg.materialize(
        [*(defs.assets or []), *(defs.asset_checks or [])],
        resources=resources_for(paths),
        instance=instance,
        run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
        tags={
            "dagster/asset_partition_range_start": partition_key(months[0]),
            "dagster/asset_partition_range_end": partition_key(months[-1]),
        },
        raise_on_error=True,
    )
    if not result.success:
        raise RuntimeError("the refresh run failed; see the log above")
    return paths.published_db


def ensure_sample() -> Path:
    """The demo's landing zone: simulated once (deterministic, a few seconds), then reused while its arguments hold."""
    from pipelines.lib.simulator.run import SIMULATOR_VERSION, simulate

    manifest = SAMPLE_SOURCES_DIR / "_truth" / "manifest.json"
    wanted = {**SAMPLE_SIMULATION, "simulator_version": SIMULATOR_VERSION}
    if manifest.exists() and all(json.loads(manifest.read_text()).get(k) == v for k, v in wanted.items()):
        return SAMPLE_SOURCES_DIR

    print(f"demo: simulating the sample extracts into {SAMPLE_SOURCES_DIR} ({SAMPLE_SIMULATION})")
    shutil.rmtree(SAMPLE_SOURCES_DIR, ignore_errors=True)
    simulate(**SAMPLE_SIMULATION, out=SAMPLE_SOURCES_DIR)
    return SAMPLE_SOURCES_DIR


def _use_demo_key() -> None:
    if not os.environ.get(KEY_ENV):
        os.environ[KEY_ENV] = DEMO_KEY
        print(f"demo: {KEY_ENV} not set, using the fixed demo key (the sample is fake data; never do this with real extracts)")


def _print_summary(published: Path) -> None:
    """What a board member would glance at first: the latest month of the WCJB scorecard, and how many figures."""
    import duckdb

    with duckdb.connect(str(published), read_only=True) as connection:
        rows = connection.execute(
            """
            select m.title, v.area_name, v.period_start, v.value, v.unit, v.status
            from scorecard.measure_values v join scorecard.measures m using (scorecard_id, measure_id)
            where v.scorecard_id = 'wcjb' and v.period_type = 'month' and v.value is not null
                and v.period_start = (select max(period_start) from scorecard.measure_values
                                      where scorecard_id = 'wcjb' and period_type = 'month' and value is not null)
            order by m.section_order, m.measure_order
            limit 8
            """
        ).fetchall()
        statuses = connection.execute(
            "select status, count(*) from scorecard.measure_values group by status order by status"
        ).fetchall()
    total = sum(n for _, n in statuses)
    print(f"\nPublished {total} scorecard figures to {published}")
    print("  " + ", ".join(f"{n} {status}" for status, n in statuses))
    print("Latest figures (WCJB):")
    units = {"count": "{:,.0f}", "percentage": "{:.1f}%", "days": "{:.1f} days", "ratio": "{:.2f}", "rate_per_1000": "{:.2f} per 1,000"}
    for title, area, period, value, unit, status in rows:
        flag = "" if status == "ok" else f" ({status})"
        print(f"  {title} | {area} | {period:%Y-%m} | {units[unit].format(value)}{flag}")
    print(f"\nQuery it: duckdb -readonly {published} \"select * from scorecard.measure_values\"")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cjs-scorecard", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    refresh = commands.add_parser("refresh", help="ingest the landing zone, build, test and publish the warehouse")
    refresh.add_argument("--sources", help=f"landing zone (default ${SOURCES_ENV} or ./sources)")
    refresh.add_argument("--warehouse", help=f"warehouse folder (default ${WAREHOUSE_ENV} or ./warehouse)")

    demo = commands.add_parser("demo", help="run the whole pipeline on the shipped sample extracts")
    demo.add_argument("--warehouse", help=f"warehouse folder (default ${WAREHOUSE_ENV} or ./warehouse)")

    ui = commands.add_parser("ui", help="the Dagster UI over the sample extracts (loopback only unless --host says otherwise)")
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.add_argument("--sources", help="landing zone (default: the shipped sample, simulated on first use)")

    simulate = commands.add_parser("simulate", help="write realistic fake agency extracts and their ground truth")
    simulate.add_argument("--areas", required=True, help="force slugs or ONS codes, comma separated (e.g. wiltshire,durham), or 'all'")
    simulate.add_argument("--start", required=True, help="first reporting month, YYYY-MM")
    simulate.add_argument("--end", required=True, help="last reporting month, YYYY-MM")
    simulate.add_argument("--seed", type=int, default=42, help="random seed: the same seed gives the same bytes")
    simulate.add_argument("--scale", type=float, default=1.0, help="multiplies every volume (1.0 = realistic)")
    simulate.add_argument("--out", required=True, help="landing-zone folder to write (truth goes to OUT/_truth)")

    commands.add_parser("dbt-sources", help="rewrite the dbt sources of the raw layer from the extract specs")

    rollback = commands.add_parser("rollback", help="put back a kept publication (default: the one before the current)")
    rollback.add_argument("--warehouse", help=f"warehouse folder (default ${WAREHOUSE_ENV} or ./warehouse)")
    rollback.add_argument("--to", help="publication id to restore (see warehouse/versions/)")

    args = parser.parse_args(argv)
    try:
        if args.command == "dbt-sources":
            from pipelines.lib.dbt_sources import write_raw_sources

            print(f"wrote {write_raw_sources()}")
            return 0
        if args.command == "simulate":
            from pipelines.lib.simulator.run import simulate as run_simulation

            areas = "all" if args.areas == "all" else [a.strip() for a in args.areas.split(",") if a.strip()]
            summary = run_simulation(areas, args.start, args.end, Path(args.out), seed=args.seed, scale=args.scale)
            print(json.dumps(summary.to_dict(), indent=2))
            return 0
        if args.command == "rollback":
            from pipelines.lib.publish import rollback as restore

            published_db = resolve_paths(warehouse_dir=args.warehouse).published_db
            print(f"restored {restore(published_db, args.to).name} as {published_db}")
            return 0
        if args.command == "refresh":
            published = run_refresh(args.sources, args.warehouse)
        elif args.command == "ui":
            _use_demo_key()
            os.environ[SOURCES_ENV] = str(Path(args.sources).resolve() if args.sources else ensure_sample())
            dagster = Path(sys.executable).parent / "dagster"
            os.execv(dagster, [str(dagster), "dev", "-w", str(REPO_ROOT / "workspace.yaml"), "-h", args.host, "-p", str(args.port)])
        else:
            _use_demo_key()
            published = run_refresh(ensure_sample(), args.warehouse)
        _print_summary(published)
    except (ConfigurationError, ExtractError) as exc:
        print(f"cjs-scorecard: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
