"""Ingestion benchmark: read + validate + pseudonymise + load, against plain DuckDB read_csv of the same files.

    uv run python benchmarks/ingest_benchmark.py [--data DIR] [--min-rows N]

Without --data it simulates all 43 force areas for 8 reporting months (about 10 million extract rows; cjs-scorecard
simulate) into a scratch folder, then ingests every CSV extract that has a source spec (the baseline cannot read
XLSX), twice, each side in its own process so peak memory is its own:
  pipeline: pipelines.lib.raw_loader.load_file for every file into a fresh build database;
  baseline: DuckDB `create table ... as select * from read_csv([...files], all_varchar)` per extract.
It prints rows, seconds, rows per second and peak resident memory for both, and the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines.lib.landing_zone import extract_files  # noqa: E402
from pipelines.lib.source_spec import load_specs  # noqa: E402

BENCH_KEY = "benchmark-pseudonym-key-0123456789"


def csv_files(data: Path) -> dict[str, list[Path]]:
    by_extract: dict[str, list[Path]] = {}
    for spec, path in extract_files(data):
        if spec.format == "csv" and spec.reporting_month(path):
            by_extract.setdefault(spec.extract, []).append(path)
    return by_extract


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_pipeline(data: Path, database: Path) -> dict:
    import duckdb

    from pipelines.lib.raw_loader import load_file

    specs = load_specs()
    started, rows, rejected = time.perf_counter(), 0, 0
    with duckdb.connect(str(database)) as connection:
        for extract, paths in csv_files(data).items():
            for path in paths:
                outcome = load_file(connection, specs[extract], path, BENCH_KEY.encode())
                rows += outcome.rows_read
                rejected += outcome.rows_rejected
    return {"rows": rows, "rejected": rejected, "seconds": time.perf_counter() - started, "peak_mb": peak_mb()}


def run_baseline(data: Path, database: Path) -> dict:
    import duckdb

    started, rows = time.perf_counter(), 0
    with duckdb.connect(str(database)) as connection:
        for extract, paths in csv_files(data).items():
            files = ", ".join("'" + str(p) + "'" for p in paths)
            options = "all_varchar = true, union_by_name = true, header = true, delim = ',', quote = '\"'"
            connection.execute(f"create table {extract} as select * from read_csv([{files}], {options})")
            rows += connection.execute(f"select count(*) from {extract}").fetchone()[0]
    return {"rows": rows, "seconds": time.perf_counter() - started, "peak_mb": peak_mb()}


def side(name: str, data: Path, scratch: Path) -> dict:
    """Run one side in a fresh interpreter so its peak memory is measured alone."""
    completed = subprocess.run(
        [sys.executable, __file__, "--data", str(data), "--side", name, "--scratch", str(scratch)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if completed.returncode != 0:
        raise SystemExit(f"the {name} side failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="landing zone to ingest (default: simulate all areas, 8 months)")
    parser.add_argument("--min-rows", type=int, default=10_000_000)
    parser.add_argument("--side", choices=["pipeline", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--scratch", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.side:
        runner = run_pipeline if args.side == "pipeline" else run_baseline
        print(json.dumps(runner(args.data, args.scratch / f"{args.side}.duckdb")))
        return 0

    with tempfile.TemporaryDirectory(prefix="cjs-bench-") as scratch_dir:
        scratch = Path(scratch_dir)
        data = args.data
        if data is None:
            data = scratch / "landing"
            print("simulating all 43 force areas, 2024-08 to 2025-03 ...", flush=True)
            started = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pipelines.cli",
                    "simulate",
                    "--areas",
                    "all",
                    "--start",
                    "2024-08",
                    "--end",
                    "2025-03",
                    "--out",
                    str(data),
                ],
                check=True,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
            print(f"simulated in {time.perf_counter() - started:.0f} s", flush=True)
        files = csv_files(data)
        print(f"extracts: {', '.join(f'{k} ({len(v)} files)' for k, v in sorted(files.items()))}")
        baseline = side("baseline", data, scratch)
        pipeline = side("pipeline", data, scratch)
        if pipeline["rows"] < args.min_rows:
            print(f"warning: only {pipeline['rows']:,} rows; the benchmark asks for at least {args.min_rows:,}")
        print(f"{'':10} {'rows':>12} {'seconds':>9} {'rows/s':>12} {'peak MB':>9}")
        for name, result in (("baseline", baseline), ("pipeline", pipeline)):
            print(
                f"{name:10} {result['rows']:>12,} {result['seconds']:>9.1f} {result['rows'] / result['seconds']:>12,.0f} {result['peak_mb']:>9.0f}"
            )
        print(
            f"pipeline / baseline: time x{pipeline['seconds'] / baseline['seconds']:.1f}, "
            f"throughput x{(pipeline['rows'] / pipeline['seconds']) / (baseline['rows'] / baseline['seconds']):.2f}, "
            f"peak memory x{pipeline['peak_mb'] / baseline['peak_mb']:.1f}; rows quarantined: {pipeline['rejected']:,}"
        )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("CJS_PSEUDONYM_KEY", BENCH_KEY)
    sys.exit(main())
