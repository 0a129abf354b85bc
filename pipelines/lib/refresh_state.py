"""Whether a refresh has anything to do: nothing changed, nothing done.

An analyst refreshes when a file arrives, and often when none has: the schedule's tick, a second press of the button.
A publication depends on the landing zone's files, the scorecard definitions, the extract specs, the dbt project,
the pipeline's code and its CJS_* settings. A refresh that ran to its end records a fingerprint of all of them beside
the build database; the next one compares before starting Dagster, and when nothing differs and the published file
is still the one that refresh made, it says so and stops, in about a second, leaving every published file as it is.

The landing zone is fingerprinted by each file's path, size and modification time (a stat, not a read: cheap for
thousands of files; a file replaced in place gets a new modification time); everything else by its content.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC
from pathlib import Path

import duckdb

from pipelines.lib.source_spec import SPECS_DIR
from pipelines.settings import DBT_PROJECT_DIR, REPO_ROOT, WarehousePaths, definitions_dir

STATE_FILE = "last_refresh.json"
KEY_VARIABLE = "CJS_PSEUDONYM_KEY"
# settings that say where things are or how fast to work, not what is published (the folders' contents count instead)
NOT_OUTPUTS = {
    "CJS_SOURCES_DIR",
    "CJS_WAREHOUSE_DIR",
    "CJS_BUILD_DB",
    "CJS_DEFINITIONS_DIR",
    "CJS_DUCKDB_THREADS",
    "CJS_DUCKDB_MEMORY_LIMIT",
    "CJS_SCHEDULE_DAY",
    "CJS_SCHEDULE_TIME",
    "CJS_FAILURE_LOG",
    "CJS_FAILURE_COMMAND",
}
DBT_GENERATED = ("target", "logs", "dbt_packages")


def _digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _contents(root: Path, suffixes: set[str], skip: tuple[str, ...] = ()) -> str:
    """The files under `root` with these suffixes, by path and content; folders named in `skip` (dbt's target, with a
    copy of every compiled model per run) and caches are not walked."""
    lines = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d not in skip and d != "__pycache__" and not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if path.suffix in suffixes:
                lines.append(f"{path.relative_to(root)}\t{hashlib.sha256(path.read_bytes()).hexdigest()}")
    return _digest(sorted(lines))


def _landing(sources_dir: Path) -> str:
    """Every file under the landing zone by path, size and modification time (symbolic links by their own stat)."""
    lines = []
    for path in sorted(sources_dir.rglob("*")):
        stat = path.lstat()
        if not path.is_dir():
            lines.append(f"{path.relative_to(sources_dir)}\t{stat.st_size}\t{stat.st_mtime_ns}")
    return _digest(lines)


def _settings() -> str:
    """The CJS_* settings that shape what is published (the pseudonymisation key by its hash: pseudonyms made with
    another key would not link)."""
    lines = []
    for name, value in sorted(os.environ.items()):
        if name.startswith("CJS_") and name not in NOT_OUTPUTS:
            lines.append(f"{name}={hashlib.sha256(value.encode()).hexdigest() if name == KEY_VARIABLE else value}")
    return _digest(lines)


def fingerprint(paths: WarehousePaths) -> dict[str, str]:
    """What a publication depends on, one digest per input."""
    return {
        "landing_zone": _landing(paths.sources_dir),
        "definitions": _contents(definitions_dir(), {".yaml", ".yml"}),
        "extract_specs": _contents(SPECS_DIR, {".yaml", ".yml"}),
        "dbt_project": _contents(DBT_PROJECT_DIR, {".sql", ".py", ".yml", ".yaml", ".csv"}, DBT_GENERATED),
        "code": _contents(REPO_ROOT / "pipelines", {".py"}),
        "settings": _settings(),
    }


def _publication_id(published_db: Path) -> str | None:
    if not published_db.exists():
        return None
    try:
        with duckdb.connect(str(published_db), read_only=True) as connection:
            row = connection.execute("select publication_id from scorecard.publication").fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def _state_path(paths: WarehousePaths) -> Path:
    return paths.build_db.parent / STATE_FILE


def unchanged_since(paths: WarehousePaths, current: dict[str, str]) -> dict[str, str] | None:
    """The last refresh's record (publication id and time) when nothing it depended on has changed and the published
    file is still its publication; else None (then the refresh must run)."""
    state_path = _state_path(paths)
    if not state_path.exists():
        return None
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if state.get("fingerprint") != current or state.get("publication_id") != _publication_id(paths.published_db):
        return None
    return state


def changed_inputs(paths: WarehousePaths, current: dict[str, str]) -> list[str] | None:
    """Which inputs differ from the last refresh's, for the refresh's first line; None when none is recorded."""
    try:
        previous = json.loads(_state_path(paths).read_text(encoding="utf-8")).get("fingerprint", {})
    except (OSError, ValueError):
        return None
    return [name for name, digest in current.items() if previous.get(name) != digest]


def record(paths: WarehousePaths, current: dict[str, str]) -> None:
    """After a refresh that ran to its end over every month: what it depended on and what it published."""
    from datetime import datetime

    state = {
        "fingerprint": current,
        "publication_id": _publication_id(paths.published_db),
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    state_path = _state_path(paths)
    temporary = state_path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    temporary.replace(state_path)
