"""National-scale benchmark: the whole refresh against a hand-written DuckDB floor and a pandas baseline, one run.

    uv run python benchmarks/national_benchmark.py --work /data/bench                 # 43 areas, 36 months, scale 1
    uv run python benchmarks/national_benchmark.py --work /tmp/bench --areas wiltshire,durham,cleveland \\
        --start 2025-01 --end 2025-03 --scale 0.05                                      # a few minutes: a trial run
    uv run python benchmarks/national_benchmark.py --work /data/bench --skip-simulate   # reuse WORK/landing

Steps, each timed with the peak resident memory of its whole process tree (benchmarks/process_tree.py):
1. simulate the landing zone (cjs-scorecard simulate) into WORK/landing, unless --skip-simulate;
2. full refresh (`cjs-scorecard refresh`, ingest to publication) of every month but the last, from WORK/staged (hard
   links to WORK/landing) into a new warehouse WORK/warehouse;
3. one-month incremental refresh: the last month's files arrive, `refresh --from M --to M` (the monthly run); then a
   whole refresh (it records what the publication depended on) and a no-op refresh (nothing changed: starts no run);
4. the floor: benchmarks/floor.sql in DuckDB over the landing CSVs, nothing around it; the I/O floor: every landing
   file read once as text (DuckDB for CSVs, calamine for workbooks);
5. the pandas baseline: benchmarks/pandas_baseline.py over the same files, chunked;
6. the cross-check: the floor's and pandas' figures against the pipeline's unsuppressed figures in the build database
   (scorecard.measure_values for the scorecards' areas, intermediate.int_scorecard__measure_values for the others),
   so the comparison is of like with like.
It prints the figures and the ratios pipeline / floor, incremental / full and pandas / pipeline, a profile (dbt's
run_results.json per model, ingest per extract) and writes WORK/benchmark_results.json and .md. DuckDB's memory limit
and threads (--memory-limit, --threads) apply to every step: dbt, the pipeline's connections and the floor.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.ingest_benchmark import BENCH_KEY  # noqa: E402
from benchmarks.process_tree import Measured, run_measured  # noqa: E402
from pipelines.lib.landing_zone import extract_files  # noqa: E402
from pipelines.settings import DBT_PROJECT_DIR, MEMORY_LIMIT_ENV, THREADS_ENV, duckdb_config  # noqa: E402

FLOOR_SQL = ROOT / "benchmarks" / "floor.sql"
SEEDS = DBT_PROJECT_DIR / "seeds"
CORE_MEASURES = [  # the measures of floor.sql and pandas_baseline.py: police, CPS and HMCTS, counts, rates and a mean
    "total_victims",
    "da_crimes",
    "outcome_15_16_pct",
    "precharge_timeliness_cps_days",
    "overall_conviction_rate",
    "unsuccessful_outcomes",
    "mc_receipts",
    "mc_disposals",
    "mc_receipts_per_finalisation",
    "mc_outstanding",
]
PROGRESS_LINE = re.compile(
    r"^\[\d+/\d+\] (?P<asset>\S+)(?: (?P<month>\d{4}-\d{2}))? ok(?: \((?P<seconds>[\d.]+) s\))?$"
)
RUN_DONE_LINE = re.compile(r"^refresh done: \d+/\d+ assets in (?P<seconds>\d+) s$")
ECHOED = ("[", "refresh ", "FAILED", "  !")
TOLERANCE = 1e-9  # relative, for rates and means (the sums are added up in different orders)


def say(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", flush=True)


def child_env(args: argparse.Namespace) -> dict[str, str]:
    """The environment of every step: the benchmark's key, DuckDB's limits, no Dagster instance of the user's."""
    env = {key: value for key, value in os.environ.items() if key != "DAGSTER_HOME"}
    env.setdefault("CJS_PSEUDONYM_KEY", BENCH_KEY)
    env[MEMORY_LIMIT_ENV], env[THREADS_ENV] = args.memory_limit, args.threads
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # dbt from this environment
    return env


def step(name: str, command: list[str], args: argparse.Namespace, echo: bool = False) -> Measured:
    """Run one step in its own process tree; stop the benchmark, naming its log, when it fails."""
    say(f"{name} ...")
    log = args.work / "logs" / f"{name.replace(' ', '_')}.log"

    def show(line: str) -> None:
        if line.startswith(ECHOED):
            print(f"    {name} | {line}", flush=True)

    measured = run_measured(command, log, env=child_env(args), cwd=ROOT, echo=show if echo else None)
    if measured.returncode != 0:
        raise SystemExit(f"{name} failed (exit {measured.returncode}); its output: {log}\n{log.read_text()[-3000:]}")
    say(f"{name}: {measured.seconds:.1f} s, peak {measured.peak_rss_mb:,.0f} MB")
    return measured


def stage(landing: Path, staged: Path, last_month: str, arriving: bool) -> int:
    """Put the landing zone's extract files into `staged` (hard links; copies across file systems): every file but
    the last month's (`arriving` False), or the last month's (`arriving` True). Returns how many files."""
    count = 0
    for spec, path in extract_files(landing):
        if (spec.reporting_month(path) == last_month) != arriving:
            continue
        target = staged / path.relative_to(landing)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)
        count += 1
    return count


def refresh_command(args: argparse.Namespace, *month_range: str) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "pipelines.cli",
        "refresh",
        "--sources",
        str(args.work / "staged"),
        "--warehouse",
        str(args.work / "warehouse"),
    ]
    return command + (["--from", month_range[0], "--to", month_range[1]] if month_range else [])


def profile(log: Path, measured: Measured, started: float, dbt_artefacts: Path) -> dict:
    """Where a refresh's time went: start-up (imports, Dagster definitions, dbt manifest) before the run, seconds per
    asset group and per ingest extract (the progress lines), and dbt's own timing (run_results.json of the dbt
    invocations the refresh made, in `dbt_artefacts`: per model, tests, and dbt's overhead around them)."""
    by_group: dict[str, float] = {}
    by_extract: dict[str, float] = {}
    run_seconds = measured.seconds
    for line in log.read_text().splitlines():
        if done := RUN_DONE_LINE.match(line):
            run_seconds = float(done["seconds"])
        match = PROGRESS_LINE.match(line)
        if not match or match["seconds"] is None:  # a step's later months: its time is on its first
            continue
        group, _, name = match["asset"].partition("/")
        by_group[group] = by_group.get(group, 0.0) + float(match["seconds"])
        if group == "raw" and match["month"]:
            by_extract[name] = by_extract.get(name, 0.0) + float(match["seconds"])
    models: dict[str, float] = {}
    tests = dbt_elapsed = 0.0
    for results_file in dbt_artefacts.glob("*/run_results.json"):
        if results_file.stat().st_mtime < started:
            continue
        results = json.loads(results_file.read_text())
        dbt_elapsed += results["elapsed_time"]
        for result in results["results"]:
            if result["unique_id"].startswith("test."):
                tests += result["execution_time"]
            else:
                models[result["unique_id"].split(".", 2)[2]] = result["execution_time"]
    return {
        "wall_seconds": measured.seconds,
        "start_up_seconds": measured.seconds - run_seconds,
        "dbt_seconds": dbt_elapsed,
        "dbt_model_and_seed_seconds": sum(models.values()),
        "dbt_test_seconds": tests,
        "dbt_models_and_seeds": len(models),
        "seconds_by_asset_group": dict(sorted(by_group.items(), key=lambda item: -item[1])),
        "ingest_seconds_by_extract": dict(sorted(by_extract.items(), key=lambda item: -item[1])),
        "dbt_top_models_seconds": dict(sorted(models.items(), key=lambda item: -item[1])[:15]),
    }


def run_floor(landing: Path, out: Path) -> None:
    """The floor side: floor.sql in an in-memory DuckDB with the pipeline's limits; its figures to Parquet."""
    import duckdb

    with duckdb.connect(config=duckdb_config()) as connection:
        connection.execute("set variable landing = ?", [str(landing)])
        connection.execute("set variable seeds = ?", [str(SEEDS)])
        connection.execute(FLOOR_SQL.read_text())
        connection.execute(f"copy floor_measures to '{out}' (format parquet)")


def run_io_floor(landing: Path) -> None:
    """The I/O floor: every file of the landing zone read once, as text, by DuckDB (workbooks by calamine, as the
    pipeline reads them), one after another as the pipeline does: what any refresh must pay at least."""
    import duckdb
    import fastexcel

    rows = 0
    with duckdb.connect(config=duckdb_config()) as connection:
        for path in sorted(p for p in landing.rglob("*") if p.is_file() and "_truth" not in p.parts):
            if path.suffix == ".csv":
                rows += connection.execute(
                    "select count(*) from read_csv(?, all_varchar = true, header = false, null_padding = true, "
                    "strict_mode = false, ignore_errors = true)",
                    [str(path)],
                ).fetchone()[0]
            elif path.suffix == ".xlsx":
                reader = fastexcel.read_excel(str(path))
                rows += sum(reader.load_sheet(name, header_row=None).height for name in reader.sheet_names)
    print(f"io floor: {rows:,} lines read")


def cross_check(build_db: Path, baselines: dict[str, Path]) -> dict:
    """Each baseline's figures against the pipeline's, measure x area x month. A figure the baseline lacks is a count
    of 0 to it, one the pipeline lacks is a rate over nothing to it (not available): a mismatch is a value apart by
    more than TOLERANCE, or one side's value where the other has none."""
    import duckdb

    measures = ", ".join(f"'{measure}'" for measure in CORE_MEASURES)
    results = {}
    with duckdb.connect() as connection:
        connection.execute(f"attach '{build_db}' as build (read_only)")
        connection.execute(f"""
            create temp table pipeline as
            with published as (
                select distinct measure_id, area_code, period_start, value
                from build.scorecard.measure_values
                where area_type = 'area' and period_type = 'month' and status <> 'not_available'
            ),
            engine as (
                select measure_id, unit_code as area_code, period_start, value
                from build.intermediate.int_scorecard__measure_values
                where unit_type = 'area' and period_type = 'month' and status <> 'not_available'
                    and (measure_id, unit_code) not in (select (measure_id, area_code) from published)
            )
            select * from published where measure_id in ({measures})
            union all
            select * from engine where measure_id in ({measures})""")
        for name, path in baselines.items():
            mismatches = connection.execute(f"""
                select measure_id, area_code, strftime(period_start, '%Y-%m') as month,
                    pipeline.value as pipeline, baseline.value as {name}
                from pipeline
                full outer join (select * from '{path}') as baseline using (measure_id, area_code, period_start)
                where (baseline.measure_id is null and coalesce(pipeline.value, 0) <> 0)
                    or (pipeline.measure_id is null and baseline.value is not null)
                    or abs(pipeline.value - baseline.value) > {TOLERANCE} * greatest(1, abs(pipeline.value))
                    or (pipeline.measure_id is not null and baseline.measure_id is not null
                        and (pipeline.value is null) <> (baseline.value is null))
                order by all""").fetchall()
            compared = connection.execute("select count(*) from pipeline").fetchone()[0]
            results[name] = {
                "figures_compared": compared,
                "mismatches": len(mismatches),
                "first_mismatches": [list(map(str, row)) for row in mismatches[:20]],
            }
    return results


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("nan")


def report(results: dict) -> str:
    """The figures as a markdown page (also printed): docs/scaling.md takes its tables from here."""
    figures = results["figures"]
    lines = [
        f"# National benchmark: {results['arguments']['areas']} areas, {results['arguments']['start']} to "
        f"{results['arguments']['end']}, scale {results['arguments']['scale']}",
        "",
        f"{results['landing']['files']} files, {results['landing']['rows']:,} extract rows "
        f"({results['landing']['crimes_in_period']:,} crimes recorded in the period); DuckDB memory_limit "
        f"{results['arguments']['memory_limit']}, threads {results['arguments']['threads']}; "
        f"{results['machine']['cores']} cores, {results['machine']['memory_gb']:.0f} GB.",
        "",
        "| step | wall time (s) | peak RSS of the process tree (MB) |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {step['seconds']:.1f} | {step['peak_rss_mb']:,.0f} |" for name, step in figures.items()]
    lines += ["", "| ratio | value |", "|---|---:|"]
    lines += [f"| {name} | {value:.2f} |" for name, value in results["ratios"].items()]
    lines += ["", "| cross-check against the pipeline's figures | figures compared | mismatches |", "|---|---:|---:|"]
    lines += [
        f"| {name} | {check['figures_compared']:,} | {check['mismatches']} |"
        for name, check in results["cross_check"].items()
    ]
    lines += [
        "",
        "Where a refresh's time goes (seconds):",
        "",
        "| | full refresh | incremental refresh |",
        "|---|---:|---:|",
    ]
    full, incremental = results["profile"]["full refresh"], results["profile"]["incremental refresh"]
    for key in ("wall_seconds", "start_up_seconds", "dbt_seconds", "dbt_model_and_seed_seconds", "dbt_test_seconds"):
        lines.append(f"| {key.removesuffix('_seconds').replace('_', ' ')} | {full[key]:.1f} | {incremental[key]:.1f} |")
    for group in full["seconds_by_asset_group"]:
        lines.append(
            f"| assets {group}/* (progress lines) | {full['seconds_by_asset_group'][group]:.1f} | "
            f"{incremental['seconds_by_asset_group'].get(group, 0.0):.1f} |"
        )
    lines += [
        "",
        "Ingest of the full refresh, seconds by extract (all months):",
        "",
        "| extract | seconds |",
        "|---|---:|",
    ]
    lines += [f"| {extract} | {seconds:.1f} |" for extract, seconds in full["ingest_seconds_by_extract"].items()]
    lines += [
        "",
        f"dbt in the full refresh: {full['dbt_models_and_seeds']} models and seeds; the 15 slowest "
        "(run_results.json execution time):",
        "",
        "| model | seconds |",
        "|---|---:|",
    ]
    lines += [f"| {model} | {seconds:.1f} |" for model, seconds in full["dbt_top_models_seconds"].items()]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", default="all", help="force slugs or ONS codes, comma separated, or 'all'")
    parser.add_argument("--start", default="2023-04", help="first reporting month (default: 36 months to 2026-03)")
    parser.add_argument("--end", default="2026-03", help="last reporting month: the incremental refresh's month")
    parser.add_argument("--scale", type=float, default=1.0, help="volume multiplier (1.0: ~5.4 million crimes a year)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--work", type=Path, required=True, help="scratch folder: landing zone, warehouse, logs, results"
    )
    parser.add_argument("--skip-simulate", action="store_true", help="reuse the landing zone in WORK/landing")
    parser.add_argument("--memory-limit", default=duckdb_config()["memory_limit"], help="DuckDB memory_limit")
    parser.add_argument("--threads", default=duckdb_config()["threads"], help="DuckDB threads")
    parser.add_argument("--side", choices=["floor", "io-floor"], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.work = args.work.resolve()
    landing, staged, warehouse = args.work / "landing", args.work / "staged", args.work / "warehouse"
    if args.side == "floor":
        run_floor(landing, args.out)
        return 0
    if args.side == "io-floor":
        run_io_floor(landing)
        return 0

    figures: dict[str, Measured] = {}
    if not args.skip_simulate:
        shutil.rmtree(landing, ignore_errors=True)
        figures["simulate"] = step(
            "simulate",
            [
                sys.executable,
                "-m",
                "pipelines.cli",
                "simulate",
                "--areas",
                args.areas,
                "--start",
                args.start,
                "--end",
                args.end,
                "--scale",
                str(args.scale),
                "--seed",
                str(args.seed),
                "--out",
                str(landing),
            ],
            args,
        )
    manifest = json.loads((landing / "_truth" / "manifest.json").read_text())
    args.start, args.end, last = manifest["start"], manifest["end"], manifest["end"]

    shutil.rmtree(staged, ignore_errors=True)
    shutil.rmtree(warehouse, ignore_errors=True)
    files = stage(landing, staged, last, arriving=False)
    started = time.time()
    figures["full refresh"] = step("full refresh", refresh_command(args), args, echo=True)
    artefacts = args.work / "warehouse" / "build" / "dbt"
    profiles = {
        "full refresh": profile(args.work / "logs" / "full_refresh.log", figures["full refresh"], started, artefacts)
    }
    files += stage(landing, staged, last, arriving=True)
    started = time.time()
    figures["incremental refresh"] = step("incremental refresh", refresh_command(args, last, last), args, echo=True)
    profiles["incremental refresh"] = profile(
        args.work / "logs" / "incremental_refresh.log", figures["incremental refresh"], started, artefacts
    )
    # a whole refresh once the month has arrived (it records what it depended on), then one with nothing changed
    figures["whole refresh, month loaded"] = step("whole refresh, month loaded", refresh_command(args), args, echo=True)
    figures["no-op refresh"] = step("no-op refresh", refresh_command(args), args, echo=True)

    baselines = {"floor": args.work / "floor_measures.parquet", "pandas": args.work / "pandas_measures.parquet"}
    figures["floor"] = step(
        "floor",
        [sys.executable, __file__, "--side", "floor", "--work", str(args.work), "--out", str(baselines["floor"])],
        args,
    )
    figures["I/O floor"] = step(
        "I/O floor", [sys.executable, __file__, "--side", "io-floor", "--work", str(args.work)], args
    )
    figures["pandas"] = step(
        "pandas",
        [
            sys.executable,
            str(ROOT / "benchmarks" / "pandas_baseline.py"),
            "--landing",
            str(landing),
            "--out",
            str(baselines["pandas"]),
        ],
        args,
    )
    checks = cross_check(warehouse / "build" / "cjs_build.duckdb", baselines)

    full, incremental = figures["full refresh"].seconds, figures["incremental refresh"].seconds
    results = {
        "arguments": {
            **{key: str(value) for key, value in vars(args).items() if key not in ("side", "out")},
            "incremental_month": last,
        },
        "machine": {
            "cores": os.cpu_count(),
            "memory_gb": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3,
        },
        "landing": {
            "files": files,
            "rows": sum(manifest["rows_per_extract"].values()),
            "crimes_in_period": manifest["crimes_in_period"],
            "rows_per_extract": manifest["rows_per_extract"],
        },
        "figures": {name: {"seconds": m.seconds, "peak_rss_mb": m.peak_rss_mb} for name, m in figures.items()},
        "ratios": {
            "pipeline / floor (time)": ratio(full, figures["floor"].seconds),
            "pipeline / I/O floor (time)": ratio(full, figures["I/O floor"].seconds),
            "no-op / full (time)": ratio(figures["no-op refresh"].seconds, full),
            "incremental / full (time)": ratio(incremental, full),
            "pandas / pipeline (time)": ratio(figures["pandas"].seconds, full),
            "pipeline / floor (peak memory)": ratio(figures["full refresh"].peak_rss_mb, figures["floor"].peak_rss_mb),
        },
        "cross_check": checks,
        "profile": profiles,
    }
    page = report(results)
    (args.work / "benchmark_results.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.work / "benchmark_results.md").write_text(page)
    print(page)
    for name, check in checks.items():
        for row in check["first_mismatches"]:
            print(f"mismatch ({name}): " + " | ".join(row))
    say(f"results: {args.work / 'benchmark_results.json'} and .md")
    return 1 if any(check["mismatches"] for check in checks.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
