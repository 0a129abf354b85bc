"""The ONS lookup (local authority district -> community safety partnership -> police force area, December 2023) in
every simulated landing zone, copied byte for byte: it is real public geography (Open Government Licence v3), not a
simulated release, so nothing is made up; the simulator's force codes and names come from the same file
(`geography.py`). Source: `data/LAD23_CSP23_PFA23_lookup_Dec2023.csv`, a copy of the shared real sample
(`../shared/real_data/geography/`, which names its origin); a test checks the two are identical."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipelines.lib.simulator.extracts.common import UrnErrors

ONS_LOOKUP = Path(__file__).resolve().parents[1] / "data" / "LAD23_CSP23_PFA23_lookup_Dec2023.csv"
LANDING = "public/ons_geography"


def write_ons_lookup(out: Path, log: UrnErrors) -> dict[str, int]:
    """Copy the lookup into `<out>/public/ons_geography/` under its ONS name; rows written (data lines)."""
    target = out / LANDING / ONS_LOOKUP.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ONS_LOOKUP, target)
    log.written.add(target)
    return {LANDING: len(ONS_LOOKUP.read_bytes().splitlines()) - 1}
