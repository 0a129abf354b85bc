"""The demo for any board: its force areas come from its scorecard.yaml, so a new board is configuration, not code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.lib.errors import ConfigurationError
from pipelines.lib.measure_definitions import load_definitions
from pipelines.settings import REPO_ROOT, SAMPLE_SCALE, SAMPLE_SIMULATION, definitions_dir


def board_areas(board: str, root: Path | None = None) -> list[str]:
    """The ONS codes of the police force areas `board` covers (its scorecard.yaml `areas`)."""
    scorecards = {scorecard.id: scorecard for scorecard, _ in load_definitions(root or definitions_dir()).scorecards}
    if board not in scorecards:
        raise ConfigurationError(
            f"no board {board!r} in {root or definitions_dir()}; boards: {', '.join(sorted(scorecards))}"
        )
    return scorecards[board].areas


def board_simulation(board: str, scale: float = SAMPLE_SCALE) -> dict[str, Any]:
    """The simulator's arguments for a board's demo: the plain demo's months and seed over the board's forces (as
    the simulator names them, so a sample already simulated is recognised and reused)."""
    from pipelines.lib.simulator.geography import resolve_areas

    return {**SAMPLE_SIMULATION, "areas": [area.slug for area in resolve_areas(board_areas(board))], "scale": scale}


def board_folders(board: str) -> tuple[Path, Path]:
    """The board demo's own landing zone and warehouse, beside the plain demo's (sources/sample, warehouse)."""
    return REPO_ROOT / "sources" / f"sample_{board}", REPO_ROOT / f"warehouse_{board}"
