"""What the landing zone holds: which extract files, for which reporting months."""

from __future__ import annotations

from pathlib import Path

from pipelines.lib.source_spec import SourceSpec, load_specs


def extract_files(sources_dir: Path, specs: dict[str, SourceSpec] | None = None) -> list[tuple[SourceSpec, Path]]:
    """Every file in an extract's landing folder (named as the spec says or not), with its spec."""
    found = []
    for spec in (specs or load_specs()).values():
        found += [(spec, path) for path in spec.landing_files(sources_dir)]
    return found


def months_present(sources_dir: Path) -> list[str]:
    """The reporting months (YYYY-MM) that at least one correctly named extract file carries, in order."""
    return sorted({month for spec, path in extract_files(sources_dir) if (month := spec.reporting_month(path))})
