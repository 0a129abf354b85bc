"""The summary of a failed run, for whoever is on call: what failed, for which months, the error, and how to rerun.

It goes to a log file and, optionally, to a command (mail, a chat webhook) that reads it on stdin; both may be read by
people who must not see the data, so the error text is stripped of the pseudonymisation key and of values that could
be personal (anything quoted, dates, PNC/CRO-like numbers): the run's page in the UI has the full error.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

WITHHELD = "[withheld]"
ERROR_LINES = 3
# Quoted literals (a database error quotes the offending value), dates, and PNC / CRO style identifiers.
PERSONAL_LOOKING = [
    re.compile(r"'[^'\n]*'|\"[^\"\n]*\""),
    re.compile(r"\b\d{1,4}[/-]\d{1,2}[/-]\d{1,4}\b"),
    re.compile(r"\b\d{2,4}/\d{4,7}[A-Z]\b"),
]
COMMAND_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class FailedStep:
    """A step of the run that failed, the assets it was to materialise, and its root error."""

    step_key: str
    assets: list[str]
    error: str


@dataclass(frozen=True)
class FailedRun:
    job: str
    run_id: str
    failed_at: datetime
    first_month: str | None
    last_month: str | None
    trigger: str | None
    steps: list[FailedStep] = field(default_factory=list)


def redact(text: str, secrets: list[str]) -> str:
    """`text` without any secret and without values that could be personal."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, WITHHELD)
    for pattern in PERSONAL_LOOKING:
        text = pattern.sub(WITHHELD, text)
    return text


def format_summary(run: FailedRun, secrets: list[str]) -> str:
    """A few lines a person can act on without opening the UI."""
    months = f"{run.first_month}..{run.last_month}" if run.first_month else "every month of the landing zone"
    lines = [
        f"cjs-scorecard: run FAILED at {run.failed_at:%Y-%m-%d %H:%M:%S %Z}",
        f"  job: {run.job}   run id: {run.run_id}   months: {months}   started by: {run.trigger or 'a person (UI or CLI)'}",
    ]
    for step in run.steps or [FailedStep("(no step failed: the run itself failed to start or was stopped)", [], "")]:
        lines.append(
            f"  failed step: {step.step_key}" + (f" (assets: {', '.join(step.assets)})" if step.assets else "")
        )
        lines += [f"    {line}" for line in redact(step.error, secrets).strip().splitlines()[:ERROR_LINES]]
    rerun = (
        f"cjs-scorecard refresh --from {run.first_month} --to {run.last_month}"
        if run.first_month
        else "cjs-scorecard refresh"
    )
    lines.append(f"  rerun: in the UI, Runs -> {run.run_id} -> Re-execute -> From failure; or `{rerun}`")
    return "\n".join(lines) + "\n"


def deliver(summary: str, log_path: Path | None, command: str | None) -> str | None:
    """Append `summary` to `log_path` and pipe it to the shell `command`; returns what went wrong with the command."""
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("a", encoding="utf-8") as log:
            log.write(summary + "\n")
    if not command:
        return None
    try:
        done = subprocess.run(
            command, shell=True, input=summary, text=True, capture_output=True, timeout=COMMAND_TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired:
        return f"the failure command did not finish within {COMMAND_TIMEOUT_SECONDS} s: {command}"
    if done.returncode != 0:
        return f"the failure command exited {done.returncode}: {command}: {done.stderr.strip()[:300]}"
    return None
