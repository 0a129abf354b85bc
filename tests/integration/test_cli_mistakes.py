"""A user's mistakes at the `cjs-scorecard` command, run as the user runs it (a real process): each gets a message
that names the mistake and what would have been right, exit code 2, and no traceback; and nothing is written or
changed. Every subcommand's --help says what it does."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SMALL_LANDING_ZONE

REPO_ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    """The command in its own process (the environment inherited: the test key, one DuckDB thread)."""
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300
    )


def _refused(completed: subprocess.CompletedProcess[str], *expected: str) -> None:
    """Exit code 2, no traceback, and every expected fragment in the message."""
    assert completed.returncode == 2, completed.stderr
    assert "Traceback" not in completed.stderr and "Error:" not in completed.stderr, completed.stderr
    for fragment in expected:
        assert fragment in completed.stderr, (fragment, completed.stderr)


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--areas", "atlantis"], ["unknown police force area 'atlantis'", "wiltshire", "'all'"]),
        (["--areas", "wiltshire,durhem"], ["unknown police force area 'durhem'", "did you mean durham"]),
        (["--areas", " , "], ["--areas names no police force area"]),
        (["--areas", "wiltshire", "--start", "2024-13"], ["months are written YYYY-MM", "'2024-13'"]),
        (["--areas", "wiltshire", "--start", "2024-03", "--end", "2024-02"], ["2024-03..2024-02 runs backwards"]),
        (["--areas", "wiltshire", "--scale", "0"], ["--scale: 0 is not positive"]),
        (["--areas", "wiltshire", "--scale", "lots"], ["--scale: 'lots' is not a number"]),
    ],
)
def test_simulate_mistakes_are_refused_before_anything_is_written(
    arguments: list[str], expected: list[str], tmp_path: Path
) -> None:
    defaults = {"--start": "2024-01", "--end": "2024-02", "--out": str(tmp_path / "landing")}
    given = dict(zip(arguments[::2], arguments[1::2], strict=True))
    _refused(
        _run("simulate", *[part for key, value in {**defaults, **given}.items() for part in (key, value)]), *expected
    )
    assert not (tmp_path / "landing").exists()


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        # the hand-made landing zone holds 2024-01 and 2024-02 only (its file names)
        (["--from", "2030-01"], "no agency extract files for 2030-01..2030-01"),
        (["--to", "2019-06"], "no agency extract files for 2019-06..2019-06"),
    ],
)
def test_a_refresh_range_outside_the_data_names_the_gap_not_a_backward_range(
    arguments: list[str], expected: str, tmp_path: Path
) -> None:
    completed = _run(
        "refresh", "--sources", str(SMALL_LANDING_ZONE), "--warehouse", str(tmp_path / "warehouse"), *arguments
    )
    _refused(completed, expected, "(it holds 2024-01..2024-02)")
    assert "backwards" not in completed.stderr and not (tmp_path / "warehouse").exists()


def test_rollback_to_a_wrong_id_lists_the_kept_publications(small_warehouse: Path, tmp_path: Path) -> None:
    """Two kept publications (the refresh's and one more); a wrong id, or a fragment of a right one (which used to
    match as the end of a file name), is refused with every kept id and its time, the current one marked, and the
    published file is left as it was."""
    from pipelines.lib.publish import publish

    warehouse = tmp_path / "warehouse"
    shutil.copytree(small_warehouse, warehouse)
    published = warehouse / "cjs_scorecard.duckdb"
    current = publish(warehouse / "build" / "cjs_build.duckdb", published).publication_id
    kept = sorted(p.name for p in (warehouse / "versions").iterdir())
    assert len(kept) == 2 and kept[1].endswith(f"_{current}.duckdb")
    before = hashlib.sha256(published.read_bytes()).hexdigest()
    earlier = kept[0].removesuffix(".duckdb").split("_", 1)[1]

    for wrong in ["WRONG", earlier[-4:]]:
        completed = _run("rollback", "--warehouse", str(warehouse), "--to", wrong)
        _refused(
            completed,
            f"no kept publication '{wrong}' in {warehouse / 'versions'}",
            f"{current} (published ",
            f"{earlier} (published ",
        )
        stamps = re.findall(r"\(published (\d{4}-\d\d-\d\d \d\d:\d\d) UTC(, current)?\)", completed.stderr)
        assert [mark for _, mark in stamps] == ["", ", current"]
        assert [stamp.replace("-", "").replace(" ", "T").replace(":", "") for stamp, _ in stamps] == [
            name[:13] for name in kept
        ]
        assert hashlib.sha256(published.read_bytes()).hexdigest() == before

    assert _run("rollback", "--warehouse", str(warehouse), "--to", earlier).returncode == 0  # the whole id works


def test_rollback_with_nothing_kept_says_so(tmp_path: Path) -> None:
    _refused(_run("rollback", "--warehouse", str(tmp_path)), f"no kept publication in {tmp_path / 'versions'}")


def test_every_subcommand_help_says_what_it_does() -> None:
    overview = _run("--help")
    assert overview.returncode == 0
    commands = re.search(r"\{([a-z,-]+)\}", overview.stdout).group(1).split(",")
    assert {"refresh", "demo", "ui", "simulate", "dbt-sources", "rollback", "report"} <= set(commands)
    for command in commands:
        completed = _run(command, "--help")
        assert completed.returncode == 0, command
        # argparse prints the description between the usage lines and the options
        description = completed.stdout.split("\n\n")[1]
        assert not description.startswith("options:") and len(description.split()) >= 12, (command, description)
