"""Case-journey simulator: the product's default data and its ground truth.

Entry point: :func:`pipelines.lib.simulator.run.simulate`. See ``docs/simulator.md``.
"""

from __future__ import annotations

__all__ = ["SimulationSummary", "simulate"]


def __getattr__(name: str):  # lazy, so that importing params or geography alone stays cheap
    if name in __all__:
        from pipelines.lib.simulator import run

        return getattr(run, name)
    raise AttributeError(name)
