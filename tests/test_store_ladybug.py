"""LadybugStore on real database files in a temporary folder (no mocks).

What matters for users: a rebuild gives the same graph, a smaller graph
really deletes, any text survives, two builds never corrupt each other, and a
build that dies half-way leaves the previous graph readable.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from graph_fixture import HOSTILE_NAME, fixture_graph, small_graph

from kg.errors import StoreError, StoreUnavailableError
from kg.model import Graph, Node, Relationship
from kg.store.ladybug import LadybugStore

REPO = Path(__file__).resolve().parent.parent

HOSTILE = [
    HOSTILE_NAME,
    'O\'Brien "the envoy"',
    "back`tick` ``double``",
    "$param and $rows",
    "{braces} {{id: 1}} }",
    "slashes // not a comment /* nor this */",
    "line one\nline two\r\nline three",
    "MATCH (n) DETACH DELETE n; RETURN 1",
    "Ünïcödé – 叙利亚 – سوريا",
    "\\backslash\\ and tab\t",
    "[brackets, with, commas]",
    "",
]


def normalised(graph: Graph) -> list:
    """Order-free comparable form of a graph."""
    nodes = sorted((n.label, n.id, sorted(n.properties.items())) for n in graph.nodes)
    rels = sorted(
        (r.type, r.start, r.end, sorted(r.properties.items())) for r in graph.relationships
    )
    return [nodes, rels]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "nested" / "folder" / "graph.lbdb"


@pytest.fixture
def store(db_path: Path):
    with LadybugStore.open(db_path) as opened:
        yield opened


def files_beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


# -- schema and loading ------------------------------------------------------------------


def test_open_creates_folders_and_a_single_database_file(store, db_path):
    assert db_path.is_file()
    assert {"graph.lbdb", "graph.lbdb.lock"} <= set(files_beside(db_path))
    assert store.dialect == "ladybug"
    assert store.counts() == ({}, {})


def test_ensure_schema_is_idempotent(store, db_path):
    store.ensure_schema()
    store.ensure_schema()
    store.replace_graph(fixture_graph())
    store.ensure_schema()
    store.close()
    with LadybugStore.open(db_path) as again:
        again.ensure_schema()
        graph = fixture_graph()
        assert again.counts() == (graph.node_counts(), graph.relationship_counts())


def test_replace_graph_reads_back_exactly(store):
    graph = fixture_graph()
    report = store.replace_graph(graph)
    assert report.nodes_written == len(graph.nodes) == 15
    assert report.relationships_written == len(graph.relationships) == 39
    assert normalised(store.read_graph()) == normalised(graph)
    assert store.counts() == (graph.node_counts(), graph.relationship_counts())


def test_replace_graph_twice_gives_the_same_graph(store):
    store.replace_graph(fixture_graph())
    first = store.read_graph()
    counts = store.counts()
    report = store.replace_graph(fixture_graph())
    assert report.nodes_deleted == 0 and report.relationships_deleted == 0
    assert store.counts() == counts
    assert store.read_graph() == first


def test_a_smaller_graph_deletes_what_is_gone(store, db_path):
    store.replace_graph(fixture_graph())
    report = store.replace_graph(small_graph())
    assert (report.nodes_written, report.nodes_deleted) == (4, 11)
    assert (report.relationships_written, report.relationships_deleted) == (6, 33)
    assert normalised(store.read_graph()) == normalised(small_graph())
    assert store.counts() == (
        {"Article": 1, "Actor": 2, "Meeting": 1},
        {"ATTENDED": 1, "MEDIATED": 1, "REPRESENTS": 1, "MENTIONED_IN": 3},
    )
    assert files_beside(db_path) == ["graph.lbdb", "graph.lbdb.lock"]


def test_clear_keeps_the_schema(store):
    store.replace_graph(fixture_graph())
    store.clear()
    assert store.counts() == ({}, {})
    assert store.query("MATCH (a:Actor) RETURN count(a) AS n") == [{"n": 0}]


def test_optional_properties_missing_empty_and_extra_round_trip(store):
    graph = fixture_graph()
    actor = next(n for n in graph.nodes if n.id == "ostrava")
    actor.properties["roles"] = []  # empty list stays an empty list
    actor.properties["confidence"] = 0.75  # outside the contract: kept as is
    actor.properties["notes"] = {"merged_from": ["a", "b"], "n": 2}
    graph.relationships[0].properties["score"] = 3
    store.replace_graph(graph)
    assert normalised(store.read_graph()) == normalised(graph)
    [row] = store.query("MATCH (a:Actor {id: 'ostrava'}) RETURN a")
    assert row["a"]["roles"] == [] and row["a"]["confidence"] == 0.75
    assert "description" not in row["a"]  # nulls are absent, as in Neo4j


# -- values ------------------------------------------------------------------------------


def test_hostile_strings_round_trip(store):
    nodes = [
        Node(
            "Actor",
            f"actor-{i}",
            {"id": f"actor-{i}", "name": text, "kind": "group", "aliases": [text, f"x{text}"]},
        )
        for i, text in enumerate(HOSTILE)
    ]
    nodes.append(Node("Meeting", "m", {"id": "m", "name": HOSTILE_NAME, "kind": "talks",
                                       "status": "held"}))  # fmt: skip
    rels = [
        Relationship("ATTENDED", f"actor:actor-{i}", "meeting:m",
                     {"sources": [text], "evidence": HOSTILE, "alleged": False})
        for i, text in enumerate(HOSTILE)
    ]  # fmt: skip
    graph = Graph(nodes=nodes, relationships=rels)
    store.replace_graph(graph)
    assert normalised(store.read_graph()) == normalised(graph)
    for text in HOSTILE:
        rows = store.query(
            "MATCH (a:Actor) WHERE a.name = $name RETURN a.name AS name", {"name": text}
        )
        assert rows == [{"name": text}]


def test_list_edge_cases_round_trip(store):
    """Lists travel as separator-joined strings: None, [], [""], empty items
    anywhere, spaces, and items holding the separators themselves must all
    come back as they went."""
    lists = [
        None,
        [],
        [""],
        ["", ""],
        ["", "a", ""],
        ["a", "", "b"],
        [" a ", "b "],
        ["\u001f", "a\u001fb"],
        ["\u001e\u001f\u001d\u001c", "x"],
        ["L", "L\u001f"],
        ["Ünïcödé – 叙利亚", "سوريا"],
    ]
    nodes = [
        Node("Actor", f"a{i}", {"id": f"a{i}", "name": f"A{i}", "aliases": value})
        for i, value in enumerate(lists)
    ]
    nodes.append(Node("Meeting", "m", {"id": "m", "name": "M"}))
    rels = [
        Relationship("ATTENDED", f"actor:a{i}", "meeting:m", {"sources": value, "evidence": [""]})
        for i, value in enumerate(lists)
    ]  # evidence: every row holds an empty item
    for rel, node in zip(rels, nodes, strict=False):
        if rel.properties["sources"] is None:
            del rel.properties["sources"]
        if node.properties["aliases"] is None:
            del node.properties["aliases"]
    graph = Graph(nodes=nodes, relationships=rels)
    store.replace_graph(graph)
    assert normalised(store.read_graph()) == normalised(graph)
    rows = store.query("MATCH (a:Actor) RETURN a.id AS id, a.aliases AS aliases ORDER BY a.id")
    assert {row["id"]: row["aliases"] for row in rows} == {
        f"a{i}": value for i, value in enumerate(lists)
    }


def test_a_list_column_using_every_separator_is_refused(store):
    from kg.store.ladybug import LIST_SEPARATORS

    graph = Graph(
        nodes=[Node("Venue", "v", {"id": "v", "name": "V", "aliases": list(LIST_SEPARATORS)})]
    )
    with pytest.raises(StoreError, match="aliases"):
        store.replace_graph(graph)


def test_a_list_item_of_the_wrong_type_is_refused_with_the_culprit_named(store):
    graph = fixture_graph()
    actor = next(n for n in graph.nodes if n.id == "ostrava")
    actor.properties["aliases"] = ["Ostrava", 7]
    with pytest.raises(StoreError, match=r"actor:ostrava property 'aliases'"):
        store.replace_graph(graph)


def test_hostile_ids_round_trip(store):
    ids = ["a'b", 'a"b', "a`b", "a$b", "a\nb", "a b", "a:b:c"]
    nodes = [Node("Venue", i, {"id": i, "name": i, "aliases": [i]}) for i in ids]
    store.replace_graph(Graph(nodes=nodes))
    assert sorted(n.id for n in store.read_graph().nodes) == sorted(ids)


def test_query_returns_plain_values(store):
    store.replace_graph(fixture_graph())
    [row] = store.query(
        "MATCH (a:Actor {id: $id})-[r:REPRESENTS]->(b:Actor) RETURN a, r, b.name AS party, "
        "a.aliases AS aliases, date('2019-01-02') AS day",
        {"id": "ivan-sorel"},
    )
    assert row["a"] == {
        "id": "ivan-sorel",
        "name": "Ivan Sorel",
        "kind": "person",
        "aliases": ["Ivan Sorel", "Sorel"],
        "roles": ["Valdorian foreign minister"],
    }
    assert row["r"]["type"] == "REPRESENTS" and row["r"]["sources"] == ["001_lakeside_opens"]
    assert row["party"] == "Government of Valdoria"
    assert row["aliases"] == ["Ivan Sorel", "Sorel"]
    assert row["day"] == "2019-01-02"


def test_wrong_types_are_refused_with_the_culprit_named(store):
    graph = fixture_graph()
    meeting = next(n for n in graph.nodes if n.id == "lakeside-2")
    meeting.properties["round"] = 2.5
    with pytest.raises(StoreError, match=r"meeting:lakeside-2 property 'round'"):
        store.replace_graph(graph)


def test_duplicates_and_bad_ends_are_refused(store):
    graph = fixture_graph()
    graph.nodes.append(graph.nodes[0])
    with pytest.raises(StoreError, match="appears twice"):
        store.replace_graph(graph)
    graph = fixture_graph()
    graph.relationships.append(Relationship("HELD_IN", "actor:ostrava", "venue:lakeside", {}))
    with pytest.raises(StoreError, match="HELD_IN cannot go Actor->Venue"):
        store.replace_graph(graph)


# -- atomicity ---------------------------------------------------------------------------


def test_a_build_failing_midway_leaves_the_old_graph(store, db_path):
    store.replace_graph(small_graph())
    before = store.read_graph()
    graph = fixture_graph()
    # every node table loads, then the SUPPORTS copy fails inside LadybugDB
    graph.relationships.append(
        Relationship("SUPPORTS", "actor:ostrava", "actor:nobody", {"sources": [], "evidence": []})
    )
    with pytest.raises(StoreError, match="SUPPORTS"):
        store.replace_graph(graph)
    assert store.read_graph() == before
    assert files_beside(db_path) == ["graph.lbdb", "graph.lbdb.lock"]
    store.close()
    with LadybugStore.open(db_path) as reopened:
        assert reopened.read_graph() == before


def test_a_bad_value_in_a_late_table_leaves_the_old_graph(store):
    store.replace_graph(small_graph())
    before = store.read_graph()
    graph = fixture_graph()
    next(r for r in graph.relationships if r.type == "MENTIONED_IN").properties["count"] = "many"
    with pytest.raises(StoreError, match="count"):
        store.replace_graph(graph)
    assert store.read_graph() == before


CRASH_BEFORE_SWAP = """
import os, sys
sys.path.insert(0, {tests!r})
from graph_fixture import fixture_graph
import kg.store.ladybug as ladybug_store

def die(*args):
    os._exit(9)  # the process dies like a power cut: no cleanup, no close

ladybug_store.os.replace = die
store = ladybug_store.LadybugStore.open({db!r})
store.replace_graph(fixture_graph())
"""


def test_a_build_killed_between_writing_and_swapping_leaves_the_old_graph(db_path):
    with LadybugStore.open(db_path) as store:
        store.replace_graph(small_graph())
        before = store.read_graph()
    code = CRASH_BEFORE_SWAP.format(tests=str(REPO / "tests"), db=str(db_path))
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 9, done.stderr
    leftovers = [name for name in files_beside(db_path) if ".building-" in name]
    assert leftovers, "the child should have died with its new file written"
    with LadybugStore.open(db_path) as reopened:
        assert reopened.read_graph() == before
        assert not [n for n in files_beside(db_path) if ".building-" in n]
        reopened.replace_graph(fixture_graph())
        assert normalised(reopened.read_graph()) == normalised(fixture_graph())


# -- concurrency -------------------------------------------------------------------------


def test_a_second_writer_is_refused_while_the_first_holds_the_store(store, db_path):
    store.replace_graph(small_graph())
    with pytest.raises(StoreUnavailableError, match=r"is locked by another kg build \(pid \d+\)"):
        LadybugStore.open(db_path, lock_wait=0.3)
    assert normalised(store.read_graph()) == normalised(small_graph())
    store.close()
    with LadybugStore.open(db_path, lock_wait=0.3) as second:
        assert normalised(second.read_graph()) == normalised(small_graph())


SECOND_BUILD = """
import sys, time
sys.path.insert(0, {tests!r})
from graph_fixture import fixture_graph
from kg.errors import StoreUnavailableError
from kg.store.ladybug import LadybugStore
began = time.monotonic()
try:
    LadybugStore.open({db!r}, lock_wait=1.0).replace_graph(fixture_graph())
except StoreUnavailableError as exc:
    print(f"{{time.monotonic() - began:.2f}} {{exc}}")
    sys.exit(7)
"""


def test_a_second_build_in_another_process_waits_then_refuses(store, db_path):
    store.replace_graph(small_graph())
    code = SECOND_BUILD.format(tests=str(REPO / "tests"), db=str(db_path))
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 7, done.stdout + done.stderr
    waited, message = done.stdout.strip().split(" ", 1)
    assert float(waited) >= 0.9
    assert message == f"{db_path} is locked by another kg build (pid {os.getpid()})"
    assert normalised(store.read_graph()) == normalised(small_graph())


def test_read_only_opens_without_the_build_lock_and_refuses_writes(store, db_path):
    store.replace_graph(fixture_graph())
    with LadybugStore.open(db_path, read_only=True) as reader:
        assert reader.counts() == store.counts()
        with pytest.raises(StoreError, match="read-only"):
            reader.replace_graph(Graph())


def test_unusable_targets_are_store_unavailable(tmp_path):
    with pytest.raises(StoreUnavailableError, match="run `kg build` first"):
        LadybugStore.open(tmp_path / "missing.lbdb", read_only=True)
    garbage = tmp_path / "garbage.lbdb"
    garbage.write_text("not a database")
    with pytest.raises(StoreUnavailableError, match="cannot open"):
        LadybugStore.open(garbage)
    folder = tmp_path / "a-folder.lbdb"
    folder.mkdir()
    with pytest.raises(StoreUnavailableError, match="is a folder"):
        LadybugStore.open(folder)
    # a refused open released its lock: a later open of a good path works
    with LadybugStore.open(tmp_path / "good.lbdb") as good:
        assert good.counts() == ({}, {})
