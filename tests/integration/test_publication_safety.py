"""Publication safety (issue 7): BI readers during a refresh, a refresh killed with SIGKILL, the pseudonymisation key
never written anywhere, who may read what, and the UI on loopback only.

Every refresh here is the real `cjs-scorecard refresh` in its own process (so it can be killed), over copies of the
small hand-made landing zone, under a permissive umask (0o022) and with a distinctive key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines.settings import DBT_PROJECT_DIR, REPO_ROOT
from tests.conftest import SMALL_LANDING_ZONE

SAFETY_KEY = "safety-key-Zq7xK2pL9vW4mR8-never-written"
# Its forms a careless serialiser could write: raw, hex, base64 (standard and URL-safe).
KEY_FORMS = [
    SAFETY_KEY.encode(),
    SAFETY_KEY.encode().hex().encode(),
    base64.b64encode(SAFETY_KEY.encode()),
    base64.urlsafe_b64encode(SAFETY_KEY.encode()),
]
REFRESH_TIMEOUT = 900
STAGING_GLOB = ".cjs_scorecard.duckdb.*.tmp*"
# dbt is past its seeds and writing models when its progress reaches this node.
DBT_MID_BUILD = re.compile(r"^\s*(\d+) of \d+ (START|OK)", re.MULTILINE)
DBT_KILL_AT_NODE = 40


@dataclass(frozen=True)
class Refresh:
    warehouse: Path
    dagster_home: Path
    output: str
    started: float


def _environment(dagster_home: Path) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CJS_") and k != "DAGSTER_HOME"}
    environment |= {
        "CJS_PSEUDONYM_KEY": SAFETY_KEY,
        "DAGSTER_HOME": str(dagster_home),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    return environment


def _start(arguments: list[str], dagster_home: Path, log: Path, cwd: Path = REPO_ROOT) -> subprocess.Popen:
    """A `python -m pipelines.cli ...` process in its own process group (so dbt dies with it), umask 0o022."""
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", *arguments],
        cwd=cwd,
        env=_environment(dagster_home),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        umask=0o022,
    )


def _refresh_arguments(sources: Path, warehouse: Path) -> list[str]:
    return ["refresh", "--sources", str(sources), "--warehouse", str(warehouse)]


def _kill_group(process: subprocess.Popen) -> None:
    """kill -9 the process and everything it started (dbt, Dagster's code server): one process group."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=60)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_publication(path: Path) -> tuple[str, dict[str, int], dict[str, int]]:
    """The publication id, the row counts its record states, and the row counts a reader actually finds."""
    with duckdb.connect(str(path), read_only=True) as connection:
        publication_id, recorded = connection.execute(
            "select publication_id, row_counts from scorecard.publication"
        ).fetchone()
        recorded = json.loads(recorded)
        found = {name: connection.execute(f"select count(*) from {name}").fetchone()[0] for name in recorded}
    return publication_id, recorded, found


@pytest.fixture(scope="module")
def changed_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small landing zone plus a March 2024 snapshot (February's rows as at 31/03/2024): new figures to publish."""
    landing = tmp_path_factory.mktemp("changed") / "landing"
    shutil.copytree(SMALL_LANDING_ZONE, landing)
    folder = landing / "police" / "live_caseload"
    february = (folder / "police_live_caseload_2024-02.csv").read_text()
    (folder / "police_live_caseload_2024-03.csv").write_text(february.replace("29/02/2024", "31/03/2024"))
    return landing


@pytest.fixture(scope="module")
def first_refresh(tmp_path_factory: pytest.TempPathFactory) -> Refresh:
    """One refresh of the small landing zone, recorded in a fresh on-disk Dagster instance (event logs stored)."""
    root = tmp_path_factory.mktemp("safety")
    warehouse, dagster_home, log = root / "warehouse", root / "dagster_home", root / "first_refresh.log"
    dagster_home.mkdir()
    started = time.time()
    process = _start(_refresh_arguments(SMALL_LANDING_ZONE, warehouse), dagster_home, log)
    process.wait(timeout=REFRESH_TIMEOUT)
    output = log.read_text()
    assert process.returncode == 0, output[-3000:]
    return Refresh(warehouse, dagster_home, output, started)


# --- the key never leaks -------------------------------------------------------------------------------------------


def _duckdb_text(path: Path) -> bytes:
    """Every value, comment and view definition of a DuckDB file as text (its strings are compressed on disk, so
    scanning the bytes alone could miss a value)."""
    with duckdb.connect(str(path), read_only=True) as connection:
        tables = connection.execute("select schema_name, table_name from duckdb_tables()").fetchall()
        parts = [
            str(connection.execute(f'select list(t) from "{schema}"."{table}" t').fetchone()[0])
            for schema, table in tables
        ]
        parts += [
            str(connection.execute(query).fetchall())
            for query in [
                "select comment from duckdb_tables()",
                "select comment from duckdb_columns()",
                "select sql from duckdb_views()",
            ]
        ]
    return "\n".join(parts).encode()


def _parquet_text(path: Path) -> bytes:
    with duckdb.connect() as connection:
        return str(connection.execute("select list(t) from read_parquet(?) t", [str(path)]).fetchone()[0]).encode()


def _readable_content(path: Path) -> bytes:
    """What a file holds, decoded where its format compresses (DuckDB, Parquet); raw bytes otherwise."""
    data = path.read_bytes()
    if data[8:12] == b"DUCK":
        return data + _duckdb_text(path)
    if data[:4] == b"PAR1":
        return data + _parquet_text(path)
    return data


def _files(folder: Path, since: float = 0.0) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and p.stat().st_mtime >= since]


def test_key_never_written_to_output_instance_warehouse_or_dbt_files(first_refresh: Refresh) -> None:
    scanned = {
        "output": [first_refresh.output.encode()],
        "dagster instance": [_readable_content(p) for p in _files(first_refresh.dagster_home)],
        "warehouse": [_readable_content(p) for p in _files(first_refresh.warehouse)],
        "dbt target and logs": [
            _readable_content(p)
            for folder in ["target", "logs"]
            for p in _files(DBT_PROJECT_DIR / folder, since=first_refresh.started - 1)
        ],
    }
    for where, contents in scanned.items():
        for form in KEY_FORMS:
            assert not any(form in content for content in contents), f"the key ({form[:12]!r}...) is in the {where}"
    # the scan sees what the run wrote: the publication id is in the run's stored metadata and in the dbt run results
    publication_id = _read_publication(first_refresh.warehouse / "cjs_scorecard.duckdb")[0]
    assert any(publication_id.encode() in content for content in scanned["dagster instance"])
    assert any(b'"unique_id": "model.' in content for content in scanned["dbt target and logs"])


# --- access rights -------------------------------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_build_folder_owner_only_published_files_readable(first_refresh: Refresh) -> None:
    """Under umask 0o022 the published files come out world-readable (0o644): the build folder and every file in it
    are owner-only because the product makes them so."""
    build = first_refresh.warehouse / "build"
    assert _mode(build) == 0o700
    build_files = _files(build)
    assert build / "cjs_build.duckdb" in build_files
    assert {p.name: _mode(p) & 0o077 for p in build_files} == {p.name: 0 for p in build_files}
    from pipelines.lib.publish import PUBLISHED_NAMES

    published = [
        first_refresh.warehouse / "cjs_scorecard.duckdb",
        *(
            first_refresh.warehouse / folder / name
            for folder in ["parquet", "versions", "excel", "reports"]
            for name in sorted(p.name for p in (first_refresh.warehouse / folder).iterdir())
        ),
    ]
    assert len(list((first_refresh.warehouse / "parquet").iterdir())) == len(PUBLISHED_NAMES)
    assert len(list((first_refresh.warehouse / "versions").iterdir())) == 1
    assert {p.name: _mode(p) for p in published} == {p.name: 0o644 for p in published}
    assert [p.name for p in first_refresh.warehouse.rglob("*.tmp*")] == []


def test_build_database_created_owner_only_under_permissive_umask(tmp_path: Path) -> None:
    from pipelines.defs.resources import WarehouseResource

    previous = os.umask(0o022)
    try:
        build_db = WarehouseResource(sources_dir=str(tmp_path), warehouse_dir=str(tmp_path / "wh")).private_build_db()
    finally:
        os.umask(previous)
    assert (_mode(build_db.parent), _mode(build_db)) == (0o700, 0o600)
    with duckdb.connect(str(build_db)) as connection:  # a real, empty DuckDB database, ready for the first writer
        assert connection.execute("select count(*) from duckdb_tables()").fetchone()[0] == 0


# --- SIGKILL -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kill:
    moment: str
    sha_before: str
    sha_after: str
    id_before: str
    id_after: str
    counts_consistent: bool
    leftovers: list[str]


def _observe_kill(moment: str, published_db: Path, run_and_kill) -> Kill:
    sha_before, id_before = _sha256(published_db), _read_publication(published_db)[0]
    run_and_kill()
    id_after, recorded, found = _read_publication(published_db)
    leftovers = sorted(p.name for p in published_db.parent.glob(STAGING_GLOB))
    return Kill(moment, sha_before, _sha256(published_db), id_before, id_after, recorded == found, leftovers)


def _kill_publication(first: Refresh, log: Path) -> None:
    """Publication alone (the refresh's last step, same function) killed as soon as its staging file appears."""
    script = (
        "import sys; from pathlib import Path; from pipelines.lib.publish import publish; "
        "publish(Path(sys.argv[1]), Path(sys.argv[2]))"
    )
    published_db = first.warehouse / "cjs_scorecard.duckdb"
    process = subprocess.Popen(
        [sys.executable, "-c", script, str(first.warehouse / "build" / "cjs_build.duckdb"), str(published_db)],
        cwd=REPO_ROOT,
        env=_environment(first.dagster_home),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if any(published_db.parent.glob(STAGING_GLOB)):
            _kill_group(process)
            return
        time.sleep(0.001)
    _kill_group(process)
    raise AssertionError(f"the publication ended (rc {process.returncode}) before its staging file was seen")


def _kill_mid_dbt(first: Refresh, sources: Path, log: Path) -> None:
    """A refresh killed while dbt writes models: dbt's output goes to the warehouse's logs/refresh.log (the terminal
    shows a line per asset), rewritten by each refresh, so the previous run's is removed first."""
    dbt_log = first.warehouse / "logs" / "refresh.log"
    dbt_log.unlink(missing_ok=True)
    process = _start(_refresh_arguments(sources, first.warehouse), first.dagster_home, log)
    deadline = time.monotonic() + REFRESH_TIMEOUT
    while process.poll() is None and time.monotonic() < deadline:
        dbt_output = dbt_log.read_text(errors="replace") if dbt_log.exists() else ""
        if any(int(m.group(1)) >= DBT_KILL_AT_NODE for m in DBT_MID_BUILD.finditer(dbt_output)):
            _kill_group(process)
            return
        time.sleep(0.2)
    _kill_group(process)
    raise AssertionError(f"the refresh ended (rc {process.returncode}) before dbt reached node {DBT_KILL_AT_NODE}")


@pytest.fixture(scope="module")
def killed(first_refresh: Refresh, changed_landing: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Kill]:
    """kill -9 during publication, then during a refresh of the changed landing zone while dbt writes models."""
    logs = tmp_path_factory.mktemp("kill_logs")
    published_db = first_refresh.warehouse / "cjs_scorecard.duckdb"
    return [
        _observe_kill("publication", published_db, lambda: _kill_publication(first_refresh, logs / "publication.log")),
        _observe_kill("dbt", published_db, lambda: _kill_mid_dbt(first_refresh, changed_landing, logs / "dbt.log")),
    ]


@pytest.mark.slow
def test_sigkill_leaves_published_file_exactly_as_it_was(killed: list[Kill]) -> None:
    for kill in killed:
        assert (kill.moment, kill.sha_after, kill.id_after, kill.counts_consistent) == (
            kill.moment,
            kill.sha_before,
            kill.id_before,
            True,
        )
    # the publication was killed half-way: its staging file is left behind, never renamed in
    assert killed[0].moment == "publication" and killed[0].leftovers


# --- readers during a refresh --------------------------------------------------------------------------------------

READER = """
import json, sys, time
from pathlib import Path
import duckdb

path, stop = sys.argv[1], Path(sys.argv[2])
deadline, reads = time.monotonic() + float(sys.argv[3]), 0
while not stop.exists() and time.monotonic() < deadline and reads < 20000:
    reads += 1
    try:
        with duckdb.connect(path, read_only=True) as c:
            publication_id, recorded = c.execute("select publication_id, row_counts from scorecard.publication").fetchone()
            recorded = json.loads(recorded)
            found = {name: c.execute(f"select count(*) from {name}").fetchone()[0] for name in recorded}
        print(json.dumps({"id": publication_id, "complete": found == recorded, "counts": found}), flush=True)
    except Exception as exc:
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}), flush=True)
    time.sleep(0.05)
"""


@pytest.fixture(scope="module")
def read_during_refresh(
    first_refresh: Refresh, changed_landing: Path, killed: list[Kill], tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[dict], str, str]:
    """A reader process loops over the published file while a refresh of the changed landing zone runs (after the
    kills: the same refresh shows the build database recovers)."""
    folder = tmp_path_factory.mktemp("reader")
    published_db, stop = first_refresh.warehouse / "cjs_scorecard.duckdb", folder / "stop"
    old_id, reads_file = _read_publication(published_db)[0], folder / "reads.jsonl"
    # the reader writes to a file, not a pipe: a full pipe would block it until the refresh ended
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(published_db), str(stop), str(REFRESH_TIMEOUT + 60)],
        stdout=reads_file.open("w"),
    )
    refresh = _start(
        _refresh_arguments(changed_landing, first_refresh.warehouse), first_refresh.dagster_home, folder / "refresh.log"
    )
    try:
        refresh.wait(timeout=REFRESH_TIMEOUT)
        new_id = _read_publication(published_db)[0]
        deadline = time.monotonic() + 60  # until the reader has read the new publication a few times
        while reads_file.read_text().count(new_id) < 3 and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        stop.touch()
        if refresh.poll() is None:
            _kill_group(refresh)
        reader.wait(timeout=60)
    assert refresh.returncode == 0, (folder / "refresh.log").read_text()[-3000:]
    return [json.loads(line) for line in reads_file.read_text().splitlines()], old_id, new_id


@pytest.mark.slow
def test_reader_sees_one_whole_publication_at_a_time(read_during_refresh: tuple[list[dict], str, str]) -> None:
    reads, old_id, new_id = read_during_refresh
    assert [r for r in reads if "error" in r] == []
    assert len(reads) >= 20 and all(r["complete"] for r in reads)
    sequence = [r["id"] for r in reads]
    assert [i for n, i in enumerate(sequence) if n == 0 or sequence[n - 1] != i] == [
        old_id,
        new_id,
    ] and old_id != new_id
    # the new publication holds the extra month: more figures than the old
    old_counts = next(r["counts"] for r in reads if r["id"] == old_id)
    new_counts = next(r["counts"] for r in reads if r["id"] == new_id)
    assert new_counts["scorecard.measure_values"] > old_counts["scorecard.measure_values"]


@pytest.mark.slow
def test_next_publication_cleans_up_after_killed_ones(
    first_refresh: Refresh, read_during_refresh: tuple[list[dict], str, str]
) -> None:
    warehouse = first_refresh.warehouse
    assert sorted(p.name for p in warehouse.rglob("*.tmp*")) == []
    kept_ids = {p.stem.split("_", 1)[1] for p in (warehouse / "versions").glob("*.duckdb")}
    assert read_during_refresh[2] in kept_ids and read_during_refresh[1] in kept_ids


# --- the UI listens on loopback only -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _listening_addresses(port: int) -> set[str]:
    """Local addresses (hex, as /proc/net/tcp{,6} write them) of the sockets listening on the port."""
    addresses = set()
    for table in ["/proc/net/tcp", "/proc/net/tcp6"]:
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, local_port = local.split(":")
            if state == "0A" and int(local_port, 16) == port:
                addresses.add(address)
    return addresses


def _non_loopback_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def _get(url: str, body: bytes | None = None) -> bytes | None:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.read()
    except OSError:
        return None


@pytest.fixture
def ui_server(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen, Path]]:
    """`cjs-scorecard ui` over the small landing zone on a free port; its whole process group killed afterwards."""
    port = _free_port()
    dagster_home, log = tmp_path / "dagster_home", tmp_path / "ui.log"
    dagster_home.mkdir()
    process = _start(["ui", "--sources", str(SMALL_LANDING_ZONE), "--port", str(port)], dagster_home, log, cwd=tmp_path)
    try:
        yield port, process, log
    finally:
        _kill_group(process)  # the webserver, code server and daemon: one process group


LOCATION_STATUS = b'{"query": "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus } } } }"}'


def test_ui_listens_on_loopback_only(ui_server: tuple[int, subprocess.Popen, Path]) -> None:
    port, process, log = ui_server
    deadline = time.monotonic() + 300
    while _get(f"http://127.0.0.1:{port}/server_info") is None:
        assert process.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
        time.sleep(1)
    assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, and nothing on IPv6
    address = _non_loopback_address()
    if address:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((address, port), timeout=5).close()
    # let the code location finish loading (it rebuilds the dbt manifest under `dagster dev`) before stopping it
    while b'"LOADED"' not in (_get(f"http://127.0.0.1:{port}/graphql", LOCATION_STATUS) or b""):
        assert time.monotonic() < deadline, log.read_text()[-3000:]
        time.sleep(1)
