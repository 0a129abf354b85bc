"""Every publisher's marker is read as what it means, a value is no marker, and an empty cell is missing."""

from __future__ import annotations

import polars as pl
import pytest

from pipelines.lib.markers import marker_expr

# The meanings as public_formats.md and the government's shorthand define them, written here independently of the code.
EXPECTED = [
    ("[c]", "suppressed"),
    ("*", "suppressed"),
    ("~", "suppressed"),
    ("[x]", "not_available"),
    ("..", "not_available"),
    ("NA", "not_available"),
    ("[z]", "not_applicable"),
    ("-", "not_applicable"),
    (None, "missing"),
    ("0", None),
    ("12", None),
    ("83.3%", None),
    ("1,306", None),
]


@pytest.mark.parametrize(("cell", "meaning"), EXPECTED)
def test_each_marker_means_what_publishers_say(cell: str | None, meaning: str | None) -> None:
    frame = pl.DataFrame({"trials": [cell]}, schema={"trials": pl.String})
    assert frame.select(marker_expr("trials")).to_dict(as_series=False) == {"trials_marker": [meaning]}


def test_a_publishers_own_marker_is_added_for_its_column_only() -> None:
    """The CPS writes `0` for a percentage with a zero denominator: not applicable there, a value elsewhere."""
    frame = pl.DataFrame({"percentage": ["0", "0.0%", "-"]})
    assert frame.select(marker_expr("percentage", {"0": "not_applicable"}))["percentage_marker"].to_list() == [
        "not_applicable",
        None,
        "not_applicable",
    ]
