"""Property: whatever bytes arrive, the reader either accepts them or raises the project's own ExtractError."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.lib.errors import ExtractError
from pipelines.lib.extract_reader import read_extract
from pipelines.lib.source_spec import load_specs
from tests.conftest import SMALL_LANDING_ZONE, TEST_KEY

SPEC = load_specs()["police_live_caseload"]
GOOD = (SMALL_LANDING_ZONE / "police" / "live_caseload" / "police_live_caseload_2024-01.csv").read_bytes()
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_or_refuse(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "police_live_caseload_2024-01.csv"
        path.write_bytes(content)
        try:
            extract = read_extract(path, SPEC, TEST_KEY.encode())
        except ExtractError as exc:
            assert str(path) in str(exc)
            return
        assert extract.rows.height + extract.rows_rejected == extract.rows_read


@FUZZ
@given(st.binary(max_size=2048))
def test_random_bytes(content: bytes) -> None:
    read_or_refuse(content)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A good file with bytes cut, inserted, overwritten or lines shuffled, as a broken transfer or hand edit would."""
    data = bytearray(GOOD)
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(["delete", "insert", "replace", "truncate", "duplicate_line", "drop_line"]))
        if action == "delete":
            del data[position : position + draw(st.integers(1, 20))]
        elif action == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=12) | st.sampled_from([b",", b'"', b"\n", b"\r\n", b"\xff", b";"]))
        elif action == "replace" and data:
            data[position] = draw(st.integers(0, 255))
        elif action == "truncate":
            del data[position:]
        else:
            lines = bytes(data).split(b"\n")
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index]) if action == "duplicate_line" else lines.pop(index)
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@FUZZ
@given(mutated())
def test_mutated_good_files(content: bytes) -> None:
    read_or_refuse(content)
