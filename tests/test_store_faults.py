"""Store faults: what a user sees when the database is away, wrong, killed or
shared, on real servers, real files and real processes (no mocks).

- Neo4j unreachable or refusing the credentials: one line naming the URI and
  the cause, exit status 7 (`StoreUnavailableError`), no traceback.
- Neo4j killed in the middle of a load: the load fails with one clear line;
  after a restart, loading again gives exactly the graph an uninterrupted
  load gives (batches are transactions and writes are idempotent MERGEs).
  This runs on a server of this module's own, so the session's server and
  the other tests never see the crash.
- The embedded store killed at any moment of a build opens afterwards and
  holds either the old graph or the new one.
- Two `kg build` processes on one embedded store: the second waits or
  refuses with a clear message; the store ends up equal to a single build.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner
from neo4j_server import Neo4jServerError, RunningNeo4j, free_port, start_server

from kg.cli import cli
from kg.errors import StoreUnavailableError
from kg.export import export_lines
from kg.model import Graph, Node, Relationship
from kg.store.ladybug import LadybugStore
from kg.store.neo4j import Neo4jStore

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
LOCKED_EXIT = StoreUnavailableError.exit_code


# -- helpers ------------------------------------------------------------------------------


def kg(
    args: list[str], env: dict[str, str], cwd: Path, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run the real `kg` command in its own process, as a user's shell would."""
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def kg_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(KG_HOME=str(tmp_path / "kg-home"), PYTHONPATH=str(REPO))
    env.update(extra)
    return env


def build_here(paths: list[Path], db: Path, env: dict[str, str]) -> None:
    """A build in this process (spaCy stays loaded): for reference graphs and
    reruns, where no real second process is needed."""
    args = ["build", *map(str, paths), "--db", str(db)]
    result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output


def stored_export(db: Path) -> list[str]:
    """What `kg export` prints for an embedded store (it opens read-only too)."""
    with LadybugStore.open(db, read_only=True) as store:
        return exported(store.read_graph())


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def synthetic_graph(tag: str, articles: int = 60, actors: int = 1200, meetings: int = 400) -> Graph:
    """A graph big enough that a load takes a few seconds in small batches.

    `tag` changes names and evidence, so two tags are two different graphs
    over the same ids (what a rebuild after an edit looks like)."""
    graph = Graph()
    for i in range(articles):
        graph.nodes.append(
            Node(
                "Article",
                f"art-{i:04d}",
                {
                    "id": f"art-{i:04d}",
                    "name": f"Report {i} ({tag})",
                    "path": f"corpus/art-{i:04d}.txt",
                    "sha256": f"{i:064x}",
                },
            )
        )
    for i in range(actors):
        node_id = f"actor-{i:05d}"
        aliases = [f"Envoy {i}", f"E. {i} {tag}"]
        props = {"id": node_id, "name": f"Envoy {i}", "kind": "person", "aliases": aliases}
        graph.nodes.append(Node("Actor", node_id, props))
    for i in range(meetings):
        node_id = f"meeting-{i:05d}"
        props = {"id": node_id, "name": f"Round {i}", "kind": "talks", "status": "held", "round": i}
        graph.nodes.append(Node("Meeting", node_id, props))
    for i in range(actors):
        actor, meeting, article = f"actor:actor-{i:05d}", i % meetings, f"art-{i % articles:04d}"
        evidence = [f"Envoy {i} attended round {meeting} ({tag})."]
        graph.relationships.append(
            Relationship(
                "ATTENDED",
                actor,
                f"meeting:meeting-{meeting:05d}",
                {"sources": [article], "evidence": evidence},
            )
        )
        graph.relationships.append(
            Relationship("MENTIONED_IN", actor, f"article:{article}", {"count": 1 + i % 3})
        )
    return graph


def exported(graph: Graph) -> list[str]:
    return list(export_lines(graph))


def normalised(graph: Graph) -> list:
    """Order-free comparable form of a graph (both stores return lists as lists)."""
    nodes = sorted((n.label, n.id, sorted(n.properties.items())) for n in graph.nodes)
    rels = sorted(
        (r.type, r.start, r.end, sorted(r.properties.items())) for r in graph.relationships
    )
    return [nodes, rels]


# -- Neo4j unreachable / wrong credentials, through the CLI --------------------------------


def test_unreachable_neo4j_fails_build_in_one_line_with_exit_7(tmp_path):
    uri = f"bolt://127.0.0.1:{free_port()}"
    env = kg_env(tmp_path, NEO4J_PASSWORD="never-printed-7f3a")
    done = kg(["build", str(CORPUS), "--db", uri], env, tmp_path)
    assert done.returncode == LOCKED_EXIT, done.stderr
    lines = error_lines(done.stderr)
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"kg: error: Neo4j at {uri} is unreachable")
    assert "Traceback" not in done.stderr + done.stdout
    assert "never-printed-7f3a" not in done.stderr + done.stdout
    assert not (tmp_path / "kg-home" / "cache").exists(), "no extraction before the store opens"


def test_wrong_credentials_fail_build_in_one_line_with_exit_7(tmp_path, own_server):
    env = kg_env(tmp_path, NEO4J_USERNAME="neo4j", NEO4J_PASSWORD="wrong-pass-91c2")
    done = kg(["build", str(CORPUS), "--db", own_server.uri], env, tmp_path)
    assert done.returncode == LOCKED_EXIT, done.stderr
    lines = error_lines(done.stderr)
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"kg: error: Neo4j at {own_server.uri}: authentication failed")
    assert "Traceback" not in done.stderr + done.stdout
    assert "wrong-pass-91c2" not in done.stderr + done.stdout


@pytest.mark.parametrize(
    "uri, cause",
    [
        ("bolt://neo4j:pw-in-uri-55@127.0.0.1:7687", "credentials do not belong in the URI"),
        ("bolt://127.0.0.1:notaport", "DNS resolve"),
        ("bolt://127.0.0.1:7687?routing=x", "not supported"),
    ],
)
def test_malformed_neo4j_uris_are_one_line_not_a_crash(tmp_path, uri, cause):
    done = kg(["stats", "--db", uri], kg_env(tmp_path), tmp_path)
    assert done.returncode == LOCKED_EXIT, done.stderr
    lines = error_lines(done.stderr)
    assert len(lines) == 1 and cause in lines[0], done.stderr
    assert "pw-in-uri-55" not in done.stderr


def test_debug_adds_a_traceback_but_keeps_the_line_and_the_exit_status(tmp_path):
    uri = f"bolt://127.0.0.1:{free_port()}"
    env = kg_env(tmp_path, NEO4J_PASSWORD="never-printed-debug-2b")
    done = kg(["--debug", "stats", "--db", uri], env, tmp_path)
    assert done.returncode == LOCKED_EXIT
    assert "Traceback" in done.stderr
    assert done.stderr.rstrip().splitlines()[-1].startswith(f"kg: error: Neo4j at {uri}")
    assert "never-printed-debug-2b" not in done.stderr + done.stdout


# -- Neo4j killed in the middle of a load ---------------------------------------------------


@pytest.fixture(scope="module")
def own_server() -> Iterator[RunningNeo4j]:
    """A Neo4j of this module's own: it gets killed, the session's server must not."""
    try:
        server = start_server()
    except Neo4jServerError as exc:
        pytest.fail(f"could not start a Neo4j server for the crash test: {exc}", pytrace=False)
    try:
        yield server
    finally:
        server.kill()  # no graceful shutdown: a throwaway server need not checkpoint
        server.cleanup()


def connect(server: RunningNeo4j, batch_size: int = 1000) -> Neo4jStore:
    # a short retry window: the driver would otherwise retry the dead server for 30 s
    return Neo4jStore.connect(
        server.uri, server.user, server.password, batch_size=batch_size, retry_seconds=1.0
    )


def kill_once_new_data_is_committed(server: RunningNeo4j, state: dict) -> None:
    """Poll from a second connection; SIGKILL the server as soon as the load's
    first batches are committed, so the kill lands in the middle of it."""
    deadline = time.monotonic() + 60
    query = "MATCH (a:Article) WHERE a.name ENDS WITH '(v1)' RETURN count(a) AS c"
    with neo4j.GraphDatabase.driver(server.uri, auth=server.auth) as driver:
        while time.monotonic() < deadline:
            records, _, _ = driver.execute_query(query)
            if records[0]["c"] > 0:
                break
            time.sleep(0.02)
    server.kill()
    state["killed"] = True


#: the load the server dies under, in a process of its own like `kg build`:
#: whatever reaches its stderr is what a user would see
INTERRUPTED_LOAD = """
import os, sys
sys.path.insert(0, {tests!r})
from test_store_faults import synthetic_graph
from kg.errors import KgError
from kg.store.neo4j import Neo4jStore
graph = synthetic_graph("v1", actors=600, meetings=200)
store = Neo4jStore.connect(
    {uri!r}, "neo4j", os.environ["NEO4J_PASSWORD"], batch_size=20, retry_seconds=1.0
)
try:
    store.replace_graph(graph)
except KgError as exc:
    print(f"kg: error: {{exc}}", file=sys.stderr)
    sys.exit(exc.exit_code)
"""


def test_server_killed_mid_load_fails_clearly_and_a_rerun_equals_an_uninterrupted_load(
    own_server, tmp_path
):
    old = synthetic_graph("v0", actors=800, meetings=300)
    new = synthetic_graph("v1", actors=600, meetings=200)
    with connect(own_server) as store:
        store.ensure_schema()
        store.clear()
        store.replace_graph(old)

    code = INTERRUPTED_LOAD.format(tests=str(REPO / "tests"), uri=own_server.uri)
    env = kg_env(tmp_path, NEO4J_PASSWORD=own_server.password or "")
    loader = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    state: dict = {}
    kill_once_new_data_is_committed(own_server, state)
    stdout, stderr = loader.communicate(timeout=120)
    assert state.get("killed"), "the server was never killed"
    assert loader.returncode == LOCKED_EXIT, stderr
    lines = stderr.splitlines()  # one line, and no driver log records beside it
    assert len(lines) == 1 and lines[0].startswith(f"kg: error: Neo4j at {own_server.uri} is"), (
        stderr
    )
    assert own_server.password not in stdout + stderr

    # what a user runs next while the server is down fails clearly too
    down = kg(["build", str(CORPUS), "--db", own_server.uri], kg_env(tmp_path), tmp_path)
    assert down.returncode == LOCKED_EXIT, down.stderr
    assert len(error_lines(down.stderr)) == 1, down.stderr

    own_server.start()
    with connect(own_server, batch_size=200) as store:
        partial = normalised(store.read_graph())
        assert partial not in (normalised(old), normalised(new)), "the kill missed the load"
        store.replace_graph(new)
        after_rerun = store.read_graph()
    with connect(own_server) as store:  # the uninterrupted reference, on the same server
        store.clear()
        store.replace_graph(new)
        uninterrupted = store.read_graph()
    assert exported(after_rerun) == exported(uninterrupted)
    assert normalised(after_rerun) == normalised(new)


# -- the embedded store killed at any moment -----------------------------------------------

LOOPING_WRITER = """
import sys
sys.path.insert(0, {tests!r})
from test_store_faults import synthetic_graph
from kg.store.ladybug import LadybugStore
graphs = [synthetic_graph("A", actors=600), synthetic_graph("B", actors=700)]
with LadybugStore.open({db!r}, lock_wait=30) as store:
    print("open", flush=True)
    n = 0
    while True:
        n += 1
        store.replace_graph(graphs[n % 2])
        print("loaded", n % 2, flush=True)
"""


def test_embedded_store_killed_at_any_moment_holds_the_old_or_the_new_graph(tmp_path):
    db = tmp_path / "graph.lbdb"
    graph_a, graph_b = synthetic_graph("A", actors=600), synthetic_graph("B", actors=700)
    with LadybugStore.open(db) as store:
        store.replace_graph(graph_a)
    allowed = {"A": normalised(graph_a), "B": normalised(graph_b)}
    code = LOOPING_WRITER.format(tests=str(REPO / "tests"), db=str(db))
    seen = []
    for delay in (0.15, 0.45, 0.8, 1.3, 1.9):
        writer = subprocess.Popen(
            [sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "open"
        time.sleep(delay)
        writer.send_signal(signal.SIGKILL)
        writer.wait(30)
        with LadybugStore.open(db, lock_wait=5) as store:  # opens: the lock died with it
            stored = normalised(store.read_graph())
        matches = [name for name, graph in allowed.items() if graph == stored]
        assert matches, f"killed after {delay}s: the store holds neither graph"
        seen.append(matches[0])
    leftovers = [p.name for p in tmp_path.iterdir() if ".building-" in p.name]
    assert not leftovers, leftovers  # the last open cleaned the dead builds' files
    assert len(seen) == 5


def test_killed_kg_build_leaves_a_usable_store_and_a_rerun_equals_an_uninterrupted_build(
    tmp_path,
):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    files = sorted(CORPUS.glob("*.txt"))
    for path in files[:3]:
        (corpus / path.name).write_bytes(path.read_bytes())
    env, db = kg_env(tmp_path), tmp_path / "graph.lbdb"
    build_here([corpus], db, env)
    old = stored_export(db)
    for path in files[3:]:
        (corpus / path.name).write_bytes(path.read_bytes())
    reference = tmp_path / "reference.lbdb"
    build_here([corpus], reference, env)
    new = stored_export(reference)
    assert old != new

    for delay in (1.5,):
        builder = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "build", str(corpus), "--db", str(db), "--no-cache"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        builder.send_signal(signal.SIGKILL)
        builder.wait(30)
        assert stored_export(db) in (old, new), f"killed after {delay}s: neither graph"
    build_here([corpus], db, env)
    assert stored_export(db) == new


# -- two builds on one embedded store ------------------------------------------------------


def test_two_concurrent_kg_builds_never_corrupt_the_embedded_store(tmp_path):
    env = kg_env(tmp_path)
    shared, reference = tmp_path / "shared.lbdb", tmp_path / "reference.lbdb"

    def start(db: Path) -> subprocess.Popen:
        command = [sys.executable, "-m", "kg.cli", "build", str(CORPUS), "--db", str(db)]
        return subprocess.Popen(
            [*command, "--no-cache"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    # the reference build runs alongside, so all three run the same code
    builds = [start(shared), start(shared), start(reference)]
    results = [(*b.communicate(timeout=180), b.returncode) for b in builds]
    assert results[2][2] == 0, results[2][1]
    for mine, (_stdout, stderr, code) in enumerate(results[:2]):
        other = builds[1 - mine].pid
        if code == LOCKED_EXIT:  # refused: one clear line naming the store and the holder
            assert error_lines(stderr) == [
                f"kg: error: {shared} is locked by another kg build (pid {other})"
            ], stderr
        else:
            assert code == 0, stderr
    assert 0 in (results[0][2], results[1][2])
    assert stored_export(shared) == stored_export(reference)


def test_a_build_refuses_clearly_while_another_writer_holds_the_store(tmp_path):
    db = tmp_path / "held.lbdb"
    env = kg_env(tmp_path)
    with LadybugStore.open(db) as holder:
        holder.replace_graph(synthetic_graph("held", actors=50, meetings=10))
        before = normalised(holder.read_graph())
        began = time.monotonic()
        done = kg(["build", str(CORPUS), "--db", str(db)], env, tmp_path)
        waited = time.monotonic() - began
    assert done.returncode == LOCKED_EXIT, done.stderr
    assert error_lines(done.stderr) == [
        f"kg: error: {db} is locked by another kg build (pid {os.getpid()})"
    ]
    assert waited >= 4.5, "the second build should wait a little before refusing"
    with LadybugStore.open(db) as store:
        assert normalised(store.read_graph()) == before


def test_a_build_waits_for_a_writer_that_finishes_soon(tmp_path):
    db = tmp_path / "briefly-held.lbdb"
    holder = LadybugStore.open(db)
    holder.replace_graph(synthetic_graph("held", actors=50, meetings=10))
    command = [sys.executable, "-m", "kg.cli", "build", str(CORPUS), "--db", str(db), "--json"]
    try:
        build = subprocess.Popen(
            command,
            cwd=tmp_path,
            env=kg_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(1.5)  # the build is waiting for the lock by now, or soon will be
    finally:
        holder.close()
    stdout, stderr = build.communicate(timeout=180)
    assert build.returncode == 0, stdout + stderr
    assert json.loads(stdout)["articles"] == 5, stdout
