"""What the landing zone holds: every file under it, as a delivery of an extract for a reporting month, or refused or
ignored before it is read, and why.

Nothing under the landing zone is skipped in silence. A file is a delivery if it sits where its extract's spec says
(its landing folder, in a month folder for a publisher whose names carry no year), carries a plausible month (not a
month that has not begun, nor one long before the rest of the landing zone) and is the only file for its delivery.
Every other file is reported: refused (it is an extract's file, but cannot be taken: a month in the future, two
files for one month, a link out of the landing zone) or ignored (no extract's: an unknown folder, a name no spec in
its folder knows, a file misplaced in a subfolder). The ingest assets write each to audit.load_log.
"""

from __future__ import annotations

import os
import stat
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Literal

from pipelines.lib.errors import printable_path
from pipelines.lib.months import month_index
from pipelines.lib.source_spec import SourceSpec, load_specs
from pipelines.settings import first_month, max_month_gap

Verdict = Literal["deliver", "refused", "ignored"]


@dataclass(frozen=True)
class LandingFile:
    """One file under the landing zone: a delivery of `spec` for `month` (None: its periods are in its rows, or its
    name gives none, which its load refuses), or refused or ignored before it is read, with the reason. `spec` is
    the extract it belongs to where that can be told (an ignored file in no extract's folder has none)."""

    path: Path
    spec: SourceSpec | None
    month: str | None
    verdict: Verdict = "deliver"
    reason: str = ""


def _is_listed(name: str) -> bool:
    """Hidden files and folders, `_`-prefixed ones (the simulator's `_truth/`) and READMEs are not deliveries."""
    return not name.startswith((".", "_")) and not name.lower().startswith("readme")


def _walk(root: Path) -> list[Path]:
    """Every entry under the landing zone that could be a delivery: files, and links (to folders too, which are not
    followed), in a stable order."""
    found = []
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(f for f in folders if _is_listed(f))
        found += [Path(folder) / f for f in folders if (Path(folder) / f).is_symlink()]
        found += [Path(folder) / f for f in sorted(files) if _is_listed(f)]
    return found


def _entry_problem(path: Path, root: Path) -> str | None:
    """Why an entry cannot be read as a file of the landing zone, whatever its extract, or None."""
    if printable_path(path.name) != path.name:
        return "the file name is not valid UTF-8 text: rename it"
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return "a link to nothing: not read"
        if not target.is_relative_to(root.resolve()):
            return "a link to a file outside the landing zone: not read"
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"it cannot be examined: {exc.strerror or type(exc).__name__}"
    if stat.S_ISDIR(mode):
        return "a link to a folder: links to folders are not followed"
    if not stat.S_ISREG(mode):
        return "not a regular file (a pipe or a device): not read"
    return None


def _classify(path: Path, root: Path, folders: dict[Path, list[SourceSpec]]) -> LandingFile:
    """Which extract's file this is (by its folder, then its name) and whether it is where that extract's files go."""
    relative = path.relative_to(root)
    owner = max(
        (folder for folder in folders if relative.parts[: len(folder.parts)] == folder.parts),
        key=lambda folder: len(folder.parts),
        default=None,
    )
    if owner is None:
        return LandingFile(
            path, None, None, "ignored", "not in any extract's landing folder (sources/README.md lists them)"
        )
    specs = folders[owner]
    named = [spec for spec in specs if spec.matches_name(path)]
    spec = named[0] if len(named) == 1 else specs[0] if len(specs) == 1 else None
    problem = _entry_problem(path, root)
    if problem:
        return LandingFile(path, spec, None, "refused" if spec else "ignored", problem)
    by_month = specs[0].period_from == "folder"
    depth = len(relative.parts) - len(owner.parts)
    if depth != (2 if by_month else 1):
        where = f"{owner}/<YYYY-MM>/, one folder per month" if by_month else f"directly in {owner}/, not in a subfolder"
        extracts = spec.extract if spec else " and ".join(s.extract for s in specs)
        return LandingFile(path, spec, None, "ignored", f"misplaced: {extracts} files go {where}")
    if spec is None:
        patterns = ", ".join(f"{s.file_pattern} ({s.extract})" for s in specs)
        return LandingFile(path, None, None, "ignored", f"the name matches no extract of {owner}/: expected {patterns}")
    problem = spec.name_problem(path)
    return LandingFile(path, spec, spec.reporting_month(path), "refused" if problem else "deliver", problem or "")


def _long_before(files: list[LandingFile], today: date) -> dict[str, str]:
    """Agency extract months no delivery can be for, and why: before the monthly partitions start, or long before the
    rest of the landing zone's agency extracts (a misnamed file; published statistics may hold years of history)."""
    first, gap = first_month(), max_month_gap()
    months = sorted(
        {
            f.month
            for f in files
            if f.verdict == "deliver"
            and f.month
            and f.spec
            and f.spec.publisher == "agency"
            and f.month <= f"{today:%Y-%m}"
        },
        reverse=True,
    )
    problems = {
        month: f"the file is for {month}, before the first month the warehouse covers ({first}; CJS_FIRST_MONTH)"
        for month in months
        if month < first
    }
    covered = [month for month in months if month >= first]
    kept = covered[:1]
    for month in covered[1:]:
        if month_index(kept[-1]) - month_index(month) > gap:
            break
        kept.append(month)
    return problems | {
        month: f"the file is for {month}, more than {gap} months before the rest of the landing zone's extracts "
        f"({kept[-1]}..{kept[0]}): a misnamed file? (CJS_MAX_MONTH_GAP allows a longer gap)"
        for month in covered[len(kept) :]
    }


def _month_problem(file: LandingFile, long_before: dict[str, str], today: date) -> str | None:
    """Why a delivery's month is not plausible: a month not begun yet (any file), or one long before the rest."""
    if file.verdict != "deliver" or file.month is None or file.spec is None:
        return None
    if file.month > f"{today:%Y-%m}":
        return f"the file is for {file.month}, a month that has not begun (today is {today})"
    return long_before.get(file.month) if file.spec.publisher == "agency" else None


def _delivery_key(file: LandingFile) -> tuple[str, str | None, str | None]:
    """What a file delivers: its extract's month, or for a spec whose delivery is the file, that file in its month."""
    assert file.spec is not None
    return file.spec.extract, file.month, file.path.name if file.spec.delivery == "file" else None


def survey(
    sources_dir: Path, specs: dict[str, SourceSpec] | None = None, today: date | None = None
) -> list[LandingFile]:
    """Every file under the landing zone with its verdict: a delivery, refused or ignored (see the module's doc)."""
    specs = specs or load_specs()
    if not sources_dir.is_dir():
        return []
    folders: dict[Path, list[SourceSpec]] = defaultdict(list)
    for spec in specs.values():
        folders[spec.landing_subdir].append(spec)
    today = today or date.today()
    files = [_classify(path, sources_dir, folders) for path in _walk(sources_dir)]
    long_before = _long_before(files, today)
    files = [
        replace(f, verdict="refused", reason=problem) if (problem := _month_problem(f, long_before, today)) else f
        for f in files
    ]
    deliveries: dict[tuple[str, str | None, str | None], list[LandingFile]] = defaultdict(list)
    for file in files:
        if file.verdict == "deliver":
            deliveries[_delivery_key(file)].append(file)
    for (extract, month, _), competing in deliveries.items():
        if len(competing) > 1:
            names = " and ".join(str(f.path.relative_to(sources_dir)) for f in competing)
            reason = (
                f"{len(competing)} files for one delivery of {extract} ({month or 'periods in rows'}): {names}; "
                f"neither is loaded and the delivery in force stays: remove all but one"
            )
            paths = {f.path for f in competing}
            files = [replace(f, verdict="refused", reason=reason) if f.path in paths else f for f in files]
    return files


def extract_files(sources_dir: Path, specs: dict[str, SourceSpec] | None = None) -> list[tuple[SourceSpec, Path]]:
    """The deliveries of the landing zone (files an extract's load reads), with their specs."""
    return [(f.spec, f.path) for f in survey(sources_dir, specs) if f.verdict == "deliver" and f.spec is not None]


def agency_months(files: list[LandingFile]) -> list[str]:
    """The reporting months (YYYY-MM) of the agency extracts delivered, in order: what a refresh covers. Published
    statistics load whatever months they hold without widening it (a 2018 police.uk file beside 2024 extracts)."""
    return sorted(
        {f.month for f in files if f.verdict == "deliver" and f.month and f.spec and f.spec.publisher == "agency"}
    )


def months_present(sources_dir: Path) -> list[str]:
    """agency_months of the landing zone."""
    return agency_months(survey(sources_dir))


def met_by_refresh(file: LandingFile, months: set[str] | None, covered: list[str]) -> bool:
    """Whether a refresh over `months` (None: all) reads or reports this file: the deliveries of its months, files
    without a month, published statistics for a month outside those the agency extracts cover (`covered`: no
    refresh's range reaches them, so every refresh loads them; unchanged, a no-op), and every file refused or ignored
    before it is read."""
    if months is None or file.verdict != "deliver" or file.month is None or file.month in months:
        return True
    outside = not covered or not covered[0] <= file.month <= covered[-1]
    return file.spec is not None and file.spec.publisher == "public" and outside


def expected_file(spec: SourceSpec, month: str) -> Path:
    """Where the landing zone should hold `spec`'s file for `month`, relative to it (e.g. police/crimes/police_crimes_2024-01.csv)."""
    return spec.landing_subdir / spec.file_pattern.replace("{month}", month)


def missing_monthly_files(sources_dir: Path, month: str, specs: dict[str, SourceSpec] | None = None) -> list[Path]:
    """The files of the extracts delivered every month (spec `cadence: monthly`) that have not landed for `month`.

    Irregular extracts (a lagged cohort, manual inputs) are never awaited: a month without one is normal; nor are
    published statistics (police.uk, CPS, MoJ), which follow their publishers' release calendars, not the board's.
    """
    monthly = [
        spec for spec in (specs or load_specs()).values() if spec.cadence == "monthly" and spec.publisher == "agency"
    ]
    return [expected_file(spec, month) for spec in monthly if not (sources_dir / expected_file(spec, month)).is_file()]
