"""The `cjs-scorecard` command: refresh the warehouse, run the demo, simulate agency extracts.

It runs the same Dagster definitions the UI loads (in process), so a refresh from the terminal and one from the UI
build the same assets with the same checks.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import os
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from pipelines.lib.errors import ConfigurationError, ExtractError

if TYPE_CHECKING:
    from dagster import DagsterInstance

from pipelines.defs.partitions import partition_key, reporting_month
from pipelines.lib.board_demo import board_folders, board_simulation
from pipelines.lib.landing_report import UnloadedFile, summary_lines, unloaded_files
from pipelines.lib.landing_zone import months_present
from pipelines.lib.months import months_between
from pipelines.lib.pseudonymise import DEMO_KEY, KEY_ENV, pseudonym_key
from pipelines.lib.refresh_state import changed_inputs, fingerprint, record, unchanged_since
from pipelines.settings import (
    CONTACT_ENV,
    REPO_ROOT,
    SAMPLE_SIMULATION,
    SAMPLE_SOURCES_DIR,
    SOURCES_ENV,
    WAREHOUSE_ENV,
    WarehousePaths,
    resolve_paths,
)

# Exit codes: 2 the refresh could not start (configuration, landing zone); 3 it published, but a delivery the monthly
# schedule waits for was refused (the month's figures stand on the delivery in force, if any).
EXIT_CONFIGURATION, EXIT_AWAITED_DELIVERY_REFUSED = 2, 3
# The demo's contact (CJS_CONTACT unless set): its figures are simulated, so no real team answers for them.
DEMO_CONTACT = "cjs-scorecard demo (simulated data): performance-team@example.org"


# What each subcommand's --help says under its usage line: what it does, what it reads and writes, how it fails.
DESCRIPTIONS = {
    "refresh": "Ingest the agency extracts of the landing zone, build and test the warehouse, and publish it: the "
    "DuckDB file BI tools read, its Parquet, an Excel workbook per scorecard and the latest board packs. "
    "With --from/--to it loads or reloads only those months (a backfill). Exit code 2: the refresh could "
    "not start (configuration, landing zone); 3: it published, but refused a monthly extract the schedule "
    "waits for.",
    "demo": "Run the whole pipeline on simulated sample extracts (Wiltshire's, or with --board that board's forces), "
    "with a fixed demo key and a demo contact, and print the latest figures. The data is fake: never use the "
    "demo key with real extracts.",
    "ui": "Start the Dagster UI (dagster dev) over the sample extracts, or --sources: materialise, check and "
    "schedule the assets from a browser.",
    "simulate": "Write realistic fake agency extracts of the given police force areas and months into --out, with "
    "their ground truth in OUT/_truth; the same arguments and seed give the same bytes.",
    "dbt-sources": "Rewrite the dbt sources of the raw layer (dbt_project/models/staging/_raw__sources.yml) and the "
    "macro of which force sends which extract from the extract specs, after adding or changing a spec.",
    "rollback": "Put a kept publication back in place (the published file with its Parquet, workbooks and board "
    "packs), by default the one before the current. The last CJS_KEEP_PUBLICATIONS (default 5) are kept "
    "in WAREHOUSE/versions/, named <time>_<publication id>.duckdb.",
    "report": "Write a board pack: the scorecard of one area and month as an HTML page (print it to PDF from a "
    "browser), read from the published file.",
}


@dataclass(frozen=True)
class Refresh:
    """What a refresh produced: the published file, and the files it met but did not load (refused or ignored)."""

    published_db: Path
    unloaded: list[UnloadedFile]


def run_refresh(
    sources_dir: str | Path | None = None,
    warehouse_dir: str | Path | None = None,
    instance: DagsterInstance | None = None,
    first_month: str | None = None,
    last_month: str | None = None,
) -> Refresh:
    """Materialise every asset of the code location to the published file, loading (or reloading) the months of the
    landing zone from `first_month` to `last_month` (YYYY-MM; default: every month of agency extracts it holds), and
    say which files it did not load and why (also printed at the end). A whole refresh with nothing changed since the
    last one (pipelines/lib/refresh_state.py) does nothing and says so.

    The run is recorded in `instance` when given, else in $DAGSTER_HOME's instance (so the UI shows it), else nowhere.
    """
    paths = resolve_paths(sources_dir, warehouse_dir)
    if not paths.sources_dir.is_dir():
        raise ConfigurationError(f"landing zone {paths.sources_dir} does not exist")
    present = months_present(paths.sources_dir)
    if not present:
        raise ConfigurationError(
            f"no agency extract files in the landing zone {paths.sources_dir} (see sources/README.md)"
        )
    months = present
    if first_month or last_month:
        # an open end reaches the month given, so `--from` after the data names the gap, not a backward range
        wanted = months_between(
            first_month or min(present[0], last_month or present[0]),
            last_month or max(present[-1], first_month or present[-1]),
        )
        months = [month for month in present if month in wanted]
        if not months:
            raise ConfigurationError(
                f"no agency extract files for {wanted[0]}..{wanted[-1]} in the landing zone {paths.sources_dir} "
                f"(it holds {present[0]}..{present[-1]})"
            )
    pseudonym_key()  # fail before any work when the key is missing
    # nothing changed since the last whole refresh (a backfill reloads its months whatever): nothing to do
    inputs = None if first_month or last_month else fingerprint(paths)
    last = unchanged_since(paths, inputs) if inputs else None
    if last:
        print(
            f"refresh: nothing changed since the last refresh ({last['recorded_at']}): the landing zone, definitions, "
            f"specs, dbt project, code and settings are as they were; publication {last['publication_id']} stands "
            f"({paths.published_db})",
            file=sys.stderr,
        )
    else:
        if inputs:
            changed = changed_inputs(paths, inputs)
            print(
                "refresh: "
                + (
                    f"changed since the last refresh: {', '.join(changed) or 'the published file'}"
                    if changed is not None
                    else "no earlier refresh recorded in this warehouse"
                ),
                file=sys.stderr,
            )
        tags = {
            "dagster/asset_partition_range_start": partition_key(months[0]),
            "dagster/asset_partition_range_end": partition_key(months[-1]),
        }
        execute_refresh(paths, tags, instance)
        if inputs:
            record(paths, inputs)
    with duckdb.connect(str(paths.build_db), read_only=True) as connection:
        unloaded = unloaded_files(connection, paths.sources_dir, set(months_between(months[0], months[-1])))
    for line in summary_lines(unloaded):
        print(line, file=sys.stderr)
    return Refresh(paths.published_db, unloaded)


def execute_refresh(paths: WarehousePaths, tags: dict[str, str], instance: DagsterInstance | None = None) -> None:
    """Run the `refresh` job in process with `tags` (a partition range: the CLI's, a schedule's or a sensor's request),
    printing a line per asset and month; dbt's own output goes to <warehouse>/logs/refresh.log."""
    import dagster as dg

    from pipelines.lib.dbt_manifest import prepare

    prepare()  # the definitions are built from the dbt manifest: parsed first if missing or older than the project
    from pipelines.definitions import defs
    from pipelines.defs.code_location import refresh_job, resources_for
    from pipelines.defs.progress import expected_materialisations, progress_logger

    if instance is None:
        instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    # the defs-folder loader lists a definition once per module that holds it (defined in one, imported by another):
    # each counted once, or the progress total announces materialisations that never come
    assets = list({id(asset): asset for asset in defs.assets or []}.values())
    job = dg.Definitions(
        assets=assets,
        asset_checks=defs.asset_checks,
        jobs=[refresh_job],
        resources=resources_for(paths),
        loggers={"progress": progress_logger},
    ).resolve_job_def(refresh_job.name)
    first, last = (reporting_month(tags[f"dagster/asset_partition_range_{end}"]) for end in ("start", "end"))
    log_path = paths.warehouse_dir / "logs" / "refresh.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    print(f"refresh: {first}..{last} of {paths.sources_dir}; dbt's log: {log_path}", file=sys.stderr)
    # an asset spec or source asset (the code location has none) would be observed, never materialised by the job
    materialisable = [asset for asset in assets if isinstance(asset, dg.AssetsDefinition)]
    total = expected_materialisations(materialisable, len(months_between(first, last)))
    with log_path.open("w", encoding="utf-8") as log, contextlib.redirect_stdout(log):
        result = job.execute_in_process(
            run_config={"loggers": {"progress": {"config": {"total": total}}}},
            instance=instance,
            tags=tags,
            raise_on_error=True,
        )
    if not result.success:
        raise RuntimeError(f"the refresh run failed; see the lines above and {log_path}")


def ensure_sample(folder: Path = SAMPLE_SOURCES_DIR, simulation: dict[str, Any] = SAMPLE_SIMULATION) -> Path:
    """A demo's landing zone: simulated once (deterministic, a few seconds), then reused while its arguments hold."""
    from pipelines.lib.simulator.run import SIMULATOR_VERSION, simulate

    manifest = folder / "_truth" / "manifest.json"
    wanted = {**simulation, "simulator_version": SIMULATOR_VERSION}
    if manifest.exists() and all(json.loads(manifest.read_text()).get(k) == v for k, v in wanted.items()):
        return folder

    print(f"demo: simulating the sample extracts into {folder} ({simulation})")
    shutil.rmtree(folder, ignore_errors=True)
    simulate(**simulation, out=folder)
    return folder


def _use_demo_key() -> None:
    """The demo's fake data needs no secret key, and its pack and workbook a contact that says it is a demo."""
    if not os.environ.get(KEY_ENV):
        os.environ[KEY_ENV] = DEMO_KEY
        print(
            f"demo: {KEY_ENV} not set, using the fixed demo key (the sample is fake data; never do this with real extracts)"
        )
    os.environ.setdefault(CONTACT_ENV, DEMO_CONTACT)


def _simulated_areas(text: str) -> list[str] | str:
    """`simulate --areas` as the simulator takes it, every name checked first: a mistyped force is a user's mistake
    (exit 2 with the names it could have been), not a traceback from inside the simulator."""
    from pipelines.lib.simulator.geography import AREAS, resolve_areas

    areas = "all" if text.strip().lower() == "all" else [a.strip() for a in text.split(",") if a.strip()]
    if not areas:
        raise ConfigurationError(
            "--areas names no police force area: give force slugs (e.g. wiltshire,durham), "
            "ONS codes (e.g. E23000038) or 'all'"
        )
    for area in [] if areas == "all" else areas:
        try:
            resolve_areas([area])
        except ValueError:
            close = difflib.get_close_matches(area.lower(), AREAS, n=3)
            hint = f"did you mean {' or '.join(close)}? " if close else ""
            raise ConfigurationError(
                f"unknown police force area '{area}'; {hint}--areas takes force slugs ({', '.join(sorted(AREAS))}), "
                "ONS codes (e.g. E23000038) or 'all'"
            ) from None
    return areas


def _positive(text: str) -> float:
    """An argparse type for a scale: a positive number, else argparse's own message and exit code 2."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} is not positive (1.0 is the realistic volume)")
    return value


def _print_summary(published: Path, board: str | None = None) -> None:
    """What a board member would glance at first: the latest month of the board's scorecard (each measure for each of
    its force areas and the board), and how many figures. Without a board: WCJB's if it has figures, else the
    scorecard with the most (a landing zone of other forces' extracts)."""
    from pipelines.lib.figure_presentation import format_figure

    with duckdb.connect(str(published), read_only=True) as connection:
        if board is None:
            chosen = connection.execute(
                """select scorecard_id from scorecard.measure_values where value is not null group by scorecard_id
                   order by scorecard_id = 'wcjb' desc, count(*) desc, scorecard_id limit 1"""
            ).fetchone()
            board = chosen[0] if chosen else "wcjb"
        rows = connection.execute(
            """
            with board_months as (
                select v.*, m.title, m.section_order, m.measure_order
                from scorecard.measure_values v join scorecard.measures m using (scorecard_id, measure_id)
                where v.scorecard_id = $board and v.period_type = 'month' and v.value is not null
            ),
            latest_month as (
                select * from board_months where period_start = (select max(period_start) from board_months)
            ),
            first_measures as (
                select distinct measure_id, section_order, measure_order from latest_month
                order by section_order, measure_order limit 8
            )
            select title, area_name, period_start, value, unit, status
            from latest_month join first_measures using (measure_id, section_order, measure_order)
            order by section_order, measure_order, area_code = $board, area_name
            """,
            {"board": board},
        ).fetchall()
        statuses = connection.execute(
            "select status, count(*) from scorecard.measure_values group by status order by status"
        ).fetchall()
    total = sum(n for _, n in statuses)
    print(f"\nPublished {total} scorecard figures to {published}")
    print("  " + ", ".join(f"{n} {status}" for status, n in statuses))
    print(f"Latest figures ({board.upper()}):")
    for title, area, period, value, unit, status in rows:
        flag = "" if status == "ok" else f" ({status})"
        print(f"  {title} | {area} | {period:%Y-%m} | {format_figure(value, unit)}{flag}")
    print(f"\nQuery it: {query_command(published, board)}")


def query_command(published: Path, board: str) -> str:
    """A shell command that shows the board's latest monthly figures on any machine this project is installed on:
    through the project's own DuckDB (no duckdb CLI is installed), from any folder, read-only."""
    sql = (
        "select title, area_name, period, value, unit, status, reason from scorecard.latest_figures "
        f"where scorecard_id = '{board}' and period_type = 'month'"
    )
    code = f"import duckdb; duckdb.connect({str(published)!r}, read_only=True).sql({sql!r}).show(max_rows=200, max_width=250)"
    return f"uv run --project {shlex.quote(str(REPO_ROOT))} python -c {shlex.quote(code)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cjs-scorecard", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    refresh = commands.add_parser(
        "refresh",
        help="ingest the landing zone, build, test and publish the warehouse",
        description=DESCRIPTIONS["refresh"],
    )
    refresh.add_argument("--sources", help=f"landing zone (default ${SOURCES_ENV} or ./sources)")
    refresh.add_argument("--warehouse", help=f"warehouse folder (default ${WAREHOUSE_ENV} or ./warehouse)")
    refresh.add_argument(
        "--from", dest="first_month", metavar="YYYY-MM", help="first month to load or reload (a backfill)"
    )
    refresh.add_argument("--to", dest="last_month", metavar="YYYY-MM", help="last month to load or reload (a backfill)")

    demo = commands.add_parser(
        "demo", help="run the whole pipeline on the shipped sample extracts", description=DESCRIPTIONS["demo"]
    )
    demo.add_argument("--warehouse", help=f"warehouse folder (default ${WAREHOUSE_ENV} or ./warehouse)")
    demo.add_argument(
        "--board",
        help="a board of scorecard_definitions/ (e.g. durham_cleveland): simulate its forces into "
        "sources/sample_<board>/ and publish to warehouse_<board>/ (default: the Wiltshire sample)",
    )
    demo.add_argument("--scale", type=_positive, default=1.0, help="with --board: multiplies every simulated volume")

    ui = commands.add_parser(
        "ui",
        help="the Dagster UI over the sample extracts (loopback only unless --host says otherwise)",
        description=DESCRIPTIONS["ui"],
    )
    ui.add_argument("--host", default="127.0.0.1")
    ui.add_argument("--port", type=int, default=3000)
    ui.add_argument("--sources", help="landing zone (default: the shipped sample, simulated on first use)")

    simulate = commands.add_parser(
        "simulate",
        help="write realistic fake agency extracts and their ground truth",
        description=DESCRIPTIONS["simulate"],
    )
    simulate.add_argument(
        "--areas", required=True, help="force slugs or ONS codes, comma separated (e.g. wiltshire,durham), or 'all'"
    )
    simulate.add_argument("--start", required=True, help="first reporting month, YYYY-MM")
    simulate.add_argument("--end", required=True, help="last reporting month, YYYY-MM")
    simulate.add_argument("--seed", type=int, default=42, help="random seed: the same seed gives the same bytes")
    simulate.add_argument("--scale", type=_positive, default=1.0, help="multiplies every volume (1.0 = realistic)")
    simulate.add_argument(
        "--missing-deliveries",
        type=int,
        default=0,
        help="agency files (months inside the range) never sent, to see them missing on the scorecard",
    )
    simulate.add_argument("--out", required=True, help="landing-zone folder to write (truth goes to OUT/_truth)")

    commands.add_parser(
        "dbt-sources",
        help="rewrite the dbt sources of the raw layer from the extract specs",
        description=DESCRIPTIONS["dbt-sources"],
    )

    rollback = commands.add_parser(
        "rollback",
        help="put back a kept publication (default: the one before the current)",
        description=DESCRIPTIONS["rollback"],
    )
    rollback.add_argument("--warehouse", help=f"warehouse folder (default ${WAREHOUSE_ENV} or ./warehouse)")
    rollback.add_argument("--to", help="publication id to restore (see warehouse/versions/)")

    report = commands.add_parser(
        "report",
        help="write a board pack: the scorecard of one area and month as an HTML page",
        description=DESCRIPTIONS["report"],
    )
    report.add_argument("--scorecard", required=True, help="scorecard id, e.g. wcjb")
    report.add_argument("--area", help="area code (default: the board's own area)")
    report.add_argument("--period", help="month, YYYY-MM (default: the latest month with figures)")
    report.add_argument("--warehouse", help=f"warehouse folder (default ${WAREHOUSE_ENV} or ./warehouse)")
    report.add_argument("--out", help="folder to write to (default WAREHOUSE/reports)")

    args = parser.parse_args(argv)
    try:
        if args.command == "report":
            from pipelines.lib.board_pack import write_board_pack

            published_db = resolve_paths(warehouse_dir=args.warehouse).published_db
            print(f"wrote {write_board_pack(published_db, args.scorecard, args.area, args.period, args.out)}")
            return 0
        if args.command == "dbt-sources":
            from pipelines.lib.dbt_sources import write_raw_sources

            print(f"wrote {write_raw_sources()}")
            return 0
        if args.command == "simulate":
            from pipelines.lib.simulator.run import simulate as run_simulation

            areas = _simulated_areas(args.areas)
            months_between(args.start, args.end)  # YYYY-MM, forwards: a clear message before anything is written
            summary = run_simulation(
                areas,
                args.start,
                args.end,
                Path(args.out),
                seed=args.seed,
                scale=args.scale,
                missing_deliveries=args.missing_deliveries,
            )
            print(json.dumps(summary.to_dict(), indent=2))
            return 0
        if args.command == "rollback":
            from pipelines.lib.publish import rollback as restore

            published_db = resolve_paths(warehouse_dir=args.warehouse).published_db
            print(f"restored {restore(published_db, args.to).name} as {published_db}")
            return 0
        if args.command == "refresh":
            refreshed = run_refresh(
                args.sources, args.warehouse, first_month=args.first_month, last_month=args.last_month
            )
        elif args.command == "ui":
            _use_demo_key()
            os.environ[SOURCES_ENV] = str(Path(args.sources).resolve() if args.sources else ensure_sample())
            from pipelines.lib.dbt_manifest import prepare

            prepare()
            dagster = Path(sys.executable).parent / "dagster"
            os.execv(
                dagster,
                [str(dagster), "dev", "-w", str(REPO_ROOT / "workspace.yaml"), "-h", args.host, "-p", str(args.port)],
            )
        elif args.board:
            _use_demo_key()
            sample, warehouse = board_folders(args.board)
            refreshed = run_refresh(
                ensure_sample(sample, board_simulation(args.board, args.scale)), args.warehouse or warehouse
            )
        else:
            _use_demo_key()
            refreshed = run_refresh(ensure_sample(), args.warehouse)
        _print_summary(refreshed.published_db, getattr(args, "board", None))
    except (ConfigurationError, ExtractError) as exc:
        print(f"cjs-scorecard: {exc}", file=sys.stderr)
        return EXIT_CONFIGURATION
    if any(u.awaited for u in refreshed.unloaded):
        print(
            "cjs-scorecard: a monthly extract the schedule waits for was refused (see above): its month's figures "
            "stand on the delivery in force, if any",
            file=sys.stderr,
        )
        return EXIT_AWAITED_DELIVERY_REFUSED
    return 0


if __name__ == "__main__":
    sys.exit(main())
