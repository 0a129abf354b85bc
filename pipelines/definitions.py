"""The Dagster code location of cjs-scorecard (loaded by workspace.yaml, `dagster dev -m` and the CLI).

Every asset, check, schedule, sensor and the job are found in the modules of `pipelines/defs/` by Dagster's
`load_from_defs_folder` (configured by `[tool.dg.project]` in pyproject.toml), so a new asset needs no list edited
here; `pipelines/defs/code_location.py` holds the job, resources and executor that belong to no one asset.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg

defs = dg.load_from_defs_folder(path_within_project=Path(__file__).resolve().parent)
