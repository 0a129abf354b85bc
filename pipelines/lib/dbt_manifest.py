"""The dbt manifest the Dagster definitions are built from: prepared before they load, never while they import.

Loading the definitions reads dbt_project/target/manifest.json (dagster-dbt turns each model, seed and test into an
asset or a check). Building it is `dbt parse`, which takes tens of seconds on a fresh clone; doing that at import
time made importing the code location slow and write to disk. Instead `make install`, the CLI's refresh and `ui`
commands, and the test session run `prepare()` first: it parses when the manifest is missing or older than any file
of the dbt project (a model, seed or macro edited since), and does nothing otherwise.

    python -m pipelines.lib.dbt_manifest      # what `make install` runs
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pipelines.settings import BUILD_DB_ENV, DBT_PROJECT_DIR, resolve_paths

MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"
PROJECT_SUFFIXES = {".sql", ".py", ".yml", ".yaml", ".csv"}
GENERATED_FOLDERS = {"target", "logs", "dbt_packages"}


def dbt_executable() -> Path:
    """The dbt installed beside this Python (the project's environment), whether or not it is on PATH."""
    return Path(sys.executable).parent / "dbt"


def is_stale(manifest: Path = MANIFEST, project_dir: Path = DBT_PROJECT_DIR) -> bool:
    """Missing, or older than any file of the dbt project."""
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    for folder, subfolders, files in os.walk(project_dir):
        subfolders[:] = [d for d in subfolders if not (Path(folder) == project_dir and d in GENERATED_FOLDERS)]
        for name in files:
            path = Path(folder) / name
            if path.suffix in PROJECT_SUFFIXES and path.stat().st_mtime > built:
                return True
    return False


def prepare(project_dir: Path = DBT_PROJECT_DIR) -> bool:
    """`dbt parse` when the manifest is stale; True when it parsed. dbt renders profiles.yml, which names the build
    database through CJS_BUILD_DB: the default warehouse's stands in (parse does not open it)."""
    if not is_stale(project_dir / "target" / "manifest.json", project_dir):
        return False
    env = {**os.environ, BUILD_DB_ENV: os.environ.get(BUILD_DB_ENV) or str(resolve_paths().build_db)}
    completed = subprocess.run(
        [
            str(dbt_executable()),
            "parse",
            "--project-dir",
            str(project_dir),
            "--profiles-dir",
            str(project_dir),
            "--quiet",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"dbt parse failed in {project_dir}:\n{completed.stdout}{completed.stderr}")
    return True


if __name__ == "__main__":
    print("dbt manifest: " + ("parsed" if prepare() else "up to date") + f" ({MANIFEST})")
