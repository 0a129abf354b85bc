"""The DuckDB client BI connectors bundle (1.4), run in its own throwaway environment: a published file must open in it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

CLIENT = "duckdb==1.4.4"


def run_script(script: str, database: Path) -> str:
    """`python -c script <database>` with DuckDB 1.4 (uv, no project), from the database's folder; its stdout."""
    uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    completed = subprocess.run(
        [uv, "run", "--no-project", "--quiet", "--with", CLIENT, "python", "-c", script, str(database)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=database.parent,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout
