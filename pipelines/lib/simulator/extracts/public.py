"""The public releases' lookalikes of one run: police.uk files per area as each area is simulated, the national
releases (CPS COPOC, MoJ timeliness and trial effectiveness) once every area is done, and
`_truth/public_figures.parquet` (every figure written, its source, and the planted disagreement if any); and the real
ONS geography lookup, copied (`ons_geography.py`)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipelines.lib.simulator.extracts.common import UrnErrors
from pipelines.lib.simulator.extracts.ons_geography import write_ons_lookup
from pipelines.lib.simulator.extracts.police_uk import write_police_uk
from pipelines.lib.simulator.extracts.public_stats import PublicDisagreement, area_figures, write_public_stats
from pipelines.lib.simulator.model import AreaWorld


class PublicReleases:
    """Collects the simulated areas' small per-area aggregates (the worlds themselves are not kept)."""

    def __init__(self) -> None:
        self.collected: dict[str, dict[str, pl.DataFrame]] = {"copoc": {}, "durations": {}, "trials": {}}
        self.police_uk: list[pl.DataFrame] = []

    def add_area(self, world: AreaWorld, out: Path, seed: int, log: UrnErrors) -> dict[str, int]:
        rows, figures = write_police_uk(world, out, seed, log)
        self.police_uk.append(figures)
        for kind, frame in area_figures(world).items():
            self.collected[kind][world.area.code] = frame
        return rows

    def finish(
        self,
        out: Path,
        first: int,
        last: int,
        seed: int,
        scale: float,
        disagreement: PublicDisagreement | None,
        log: UrnErrors,
    ) -> dict[str, int]:
        rows, figures = write_public_stats(out, self.collected, first, last, seed, scale, disagreement, log)
        pl.concat([*self.police_uk, figures], how="vertical").write_parquet(
            out / "_truth" / "public_figures.parquet", compression="zstd"
        )
        return rows | write_ons_lookup(out, log)
