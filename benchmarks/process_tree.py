"""Run a command and measure it whole: wall time and the peak resident memory of its process tree.

A refresh is several processes (Python with Dagster, and dbt's own process per dbt step), so neither the parent's
getrusage nor RUSAGE_CHILDREN (the largest single descendant, over every child the benchmark has waited for) says
what the machine had to hold. This samples the resident set of the command and all its descendants from /proc (Linux;
psutil is not a dependency) and keeps the largest sum. Shared pages are counted once per process, so the figure
errs high, never low.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


@dataclass(frozen=True)
class Measured:
    """What one command cost: seconds from start to exit and its tree's peak resident memory in MB."""

    seconds: float
    peak_rss_mb: float
    returncode: int


def _descendants(pid: int) -> list[int]:
    """`pid` and every process below it, from each process's parent in /proc/<pid>/stat (not every kernel keeps the
    /proc/<pid>/task/<tid>/children lists)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # exited while listing
            continue
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])  # the command may hold spaces and brackets
        children.setdefault(parent, []).append(int(entry.name))
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending += children.get(current, [])
    return found


def tree_rss_kb(pid: int) -> int:
    """Resident memory of `pid` and its descendants now, in kB."""
    total = 0
    for process in _descendants(pid):
        try:
            total += int(Path(f"/proc/{process}/statm").read_text().split()[1]) * PAGE_KB
        except (OSError, IndexError, ValueError):
            continue
    return total


def run_measured(
    command: list[str],
    log: Path,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    echo: Callable[[str], None] | None = None,
    interval: float = 0.5,
) -> Measured:
    """Run `command` to its end, its output (stdout and stderr) written to `log` line by line and each line passed to
    `echo` (progress on the terminal), its tree's memory sampled every `interval` seconds."""
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=cwd)
    peak_kb = 0
    finished = threading.Event()

    def sample() -> None:
        nonlocal peak_kb
        while True:
            peak_kb = max(peak_kb, tree_rss_kb(process.pid))
            if finished.wait(interval):
                return

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    with log.open("w") as out:
        for line in process.stdout:
            out.write(line)
            if echo:
                echo(line.rstrip("\n"))
    returncode = process.wait()
    seconds = time.perf_counter() - started
    finished.set()
    sampler.join()
    return Measured(seconds=seconds, peak_rss_mb=peak_kb / 1024, returncode=returncode)
