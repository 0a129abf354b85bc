"""Property: whatever bytes arrive for whatever extract, loading the file either takes it or refuses it naming it; no
exception reaches the refresh. Issue 21 met four inputs that crashed a refresh, and 500 mutated files raised 23
unhandled exceptions (17 CalamineError, 6 _csv.Error). Every spec is fuzzed from a good file of its own (a small
simulated month; the manual inputs' fixture) through raw_loader.load_file into a real DuckDB file: mutated bytes,
truncations, other encodings, a huge field, corrupt workbooks."""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.lib.raw_loader import LoadOutcome, load_file
from pipelines.lib.source_spec import SourceSpec, load_specs
from tests.conftest import FIXTURES_DIR, TEST_KEY

SPECS = load_specs()
FUZZ = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
OUTCOMES = {"loaded", "replaced", "unchanged", "refused"}


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A good file per spec: its largest file of a small simulated landing zone (Wiltshire, 2024-01..2024-10, scale
    0.02: the proven reoffending cohort file arrives in October), the manual inputs' fixture for the manual spec."""
    from pipelines.lib.landing_zone import extract_files
    from pipelines.lib.simulator.run import simulate

    landing = tmp_path_factory.mktemp("fuzz_seeds") / "landing"
    simulate(["wiltshire"], "2024-01", "2024-10", landing, seed=1, scale=0.02)
    found: dict[str, Path] = {
        "manual_measure_values": FIXTURES_DIR / "manual_measure_values" / "manual_measure_values_2024-02.csv"
    }
    for spec, path in extract_files(landing):
        if spec.extract not in found or path.stat().st_size > found[spec.extract].stat().st_size:
            found[spec.extract] = path
    assert set(found) == set(SPECS)
    return found


@pytest.fixture(scope="module")
def connection(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(tmp_path_factory.mktemp("fuzz_build") / "build.duckdb")) as connection:
        yield connection


def load_or_refuse(connection: duckdb.DuckDBPyConnection, spec: SourceSpec, seed: Path, content: bytes) -> LoadOutcome:
    """Land `content` where the seed's file lands (its month folder too) and load it: taken or refused, never raised."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / seed.parent.name / seed.name
        path.parent.mkdir()
        path.write_bytes(content)
        outcome = load_file(connection, spec, path, TEST_KEY.encode())
    assert outcome.outcome in OUTCOMES
    assert outcome.outcome != "refused" or outcome.message.startswith(f"{path}: ")
    return outcome


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """A good file with bytes cut, inserted, overwritten, lines repeated or dropped, or the file cut short, as a broken
    transfer or a hand edit would (vertical tabs, Unicode line separators, NULs and stray quotes among the inserts)."""
    data = bytearray(data)
    inserts = st.binary(min_size=1, max_size=12) | st.sampled_from(
        [b",", b'"', b"\n", b"\r", b"\r\n", b"\xff", b";", b"\x0b", "\u2028".encode(), b"\x00", b'""', b"inf", b"1e309"]
    )
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        action = draw(st.sampled_from(["delete", "insert", "replace", "truncate", "duplicate_line", "drop_line"]))
        if action == "delete":
            del data[position : position + draw(st.integers(1, 20))]
        elif action == "insert":
            data[position:position] = draw(inserts)
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


@st.composite
def corrupt_workbook(draw: st.DrawFn, data: bytes) -> bytes:
    """A workbook whose zip still opens but whose sheet (or another part) has bytes cut, overwritten or inserted."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    victim = draw(st.sampled_from([n for n in names if n.startswith("xl/")]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            part = source.read(name)
            if name == victim:
                part = draw(mutated(part))
            target.writestr(name, part)
    return out.getvalue()


@pytest.mark.parametrize("name", sorted(SPECS))
@FUZZ
@given(data=st.data())
def test_mutated_files_of_every_extract(
    seeds: dict[str, Path], connection: duckdb.DuckDBPyConnection, name: str, data: st.DataObject
) -> None:
    seed = seeds[name]
    load_or_refuse(connection, SPECS[name], seed, data.draw(mutated(seed.read_bytes())))


@pytest.mark.parametrize("name", sorted(n for n, spec in SPECS.items() if spec.format == "xlsx"))
@FUZZ
@given(data=st.data())
def test_corrupt_workbooks(
    seeds: dict[str, Path], connection: duckdb.DuckDBPyConnection, name: str, data: st.DataObject
) -> None:
    seed = seeds[name]
    load_or_refuse(connection, SPECS[name], seed, data.draw(corrupt_workbook(seed.read_bytes())))


@FUZZ
@given(content=st.binary(max_size=2048))
def test_random_bytes(seeds: dict[str, Path], connection: duckdb.DuckDBPyConnection, content: bytes) -> None:
    for name in ("police_live_caseload", "hmcts_cc_cases", "public_cps_copoc"):
        load_or_refuse(connection, SPECS[name], seeds[name], content)


def _reencoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


@pytest.mark.parametrize("name", sorted(n for n, spec in SPECS.items() if spec.format == "csv"))
def test_other_encodings_and_a_huge_field(
    seeds: dict[str, Path], connection: duckdb.DuckDBPyConnection, name: str
) -> None:
    """UTF-16 (with its BOM), Latin-1, a UTF-8 BOM, and a 300,000-character field on the first data line: each is
    loaded or refused with the file's name, never an exception (the csv module's field limit crashed the refresh)."""
    seed = seeds[name]
    raw = seed.read_bytes()
    text = raw.decode("utf-8-sig", errors="replace")
    header, _, body = text.partition("\n")
    first = body.split(",", 1)
    huge = header + "\n" + '"' + "x" * 300_000 + '",' + (first[1] if len(first) > 1 else "")
    for content in (_reencoded(text, "utf-16"), _reencoded(text, "latin-1"), b"\xef\xbb\xbf" + raw, huge.encode()):
        load_or_refuse(connection, SPECS[name], seed, content)
