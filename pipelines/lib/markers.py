"""What the symbols publishers write in place of a number mean: the one table every reader of a public file uses.

Official statistics never leave a withheld or impossible figure blank by accident: `[c]` or `*` says it was
suppressed, `..` or `[x]` that it is not available, `-` or `[z]` that it does not apply (a rate with no denominator).
Reading any of them as 0 would turn "we may not say" into "none", so a marker-aware column keeps the number empty and
puts the meaning beside it, in `<column>_marker`.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

Meaning = Literal["suppressed", "not_available", "not_applicable", "missing"]
MEANINGS: tuple[Meaning, ...] = ("suppressed", "not_available", "not_applicable", "missing")

# The Government Statistical Service's symbol for each meaning: what we read in today's files and what our own board
# packs and workbooks write (pipelines/lib/figure_presentation.py).
GSS_SYMBOLS: dict[Meaning, str] = {"suppressed": "[c]", "not_available": "[x]", "not_applicable": "[z]"}
# The government's shorthand and the older symbols seen in real CPS, MoJ and Home Office files.
MARKERS: dict[str, Meaning] = {
    **{symbol: meaning for meaning, symbol in GSS_SYMBOLS.items()},
    "*": "suppressed",
    "~": "suppressed",
    "..": "not_available",
    "NA": "not_available",
    "-": "not_applicable",
}
MARKER_SUFFIX = "_marker"


def marker_expr(column: str, extra: dict[str, Meaning] | None = None) -> pl.Expr:
    """`<column>_marker`: the meaning of a cell that is a marker (an empty cell is `missing`), null where the cell holds
    a value. Cells are already stripped, empty ones null. `extra` adds a publisher's own markers, e.g. the CPS's `0`
    for a percentage with a zero denominator."""
    table = {**MARKERS, **(extra or {})}
    return (
        pl.when(pl.col(column).is_null())
        .then(pl.lit("missing"))
        .otherwise(pl.col(column).replace_strict(table, default=None, return_dtype=pl.String))
        .alias(column + MARKER_SUFFIX)
    )
