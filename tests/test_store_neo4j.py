"""Neo4jStore against the real Neo4j 5.26 server the session starts (no mocks)."""

from __future__ import annotations

import copy
import datetime as dt
import socket

import neo4j
import pytest
from neo4j.exceptions import ConstraintError

from kg.errors import StoreError, StoreUnavailableError
from kg.model import NODE_LABELS, Graph, Node, Relationship
from kg.store.neo4j import Neo4jStore

HOSTILE_NAMES = [
    'O\'Brien "the envoy"',
    "back`tick` ``double``",
    "{braces} {{id: 1}} }",
    "$param and $rows",
    "slashes // not a comment /* nor this */",
    "line one\nline two\r\nline three",
    "MATCH (n) DETACH DELETE n; RETURN 1",
    "CREATE CONSTRAINT x; DROP INDEX y",
    "Ünïcödé – 叙利亚 – سوريا",
    "\\backslash\\ and tab\t",
]


def sample_graph() -> Graph:
    """A small graph touching every label and several relationship types."""
    nodes = [
        Node("Article", "000_a", {"name": "Talks open", "path": "c/000_a.txt", "sha256": "ab",
                                  "published": "2017-03-14", "word_count": 420}),
        Node("Article", "001_b", {"name": "Talks end", "path": "c/001_b.txt", "sha256": "cd"}),
        Node("Actor", "envoy-x", {"name": "Envoy X", "kind": "person",
                                  "aliases": ["Envoy X", "X"], "roles": ["UN envoy"]}),
        Node("Actor", "party-y", {"name": "Party Y", "kind": "group", "aliases": ["Party Y"]}),
        Node("Actor", "state-z", {"name": "State Z", "kind": "country", "aliases": ["State Z"]}),
        Node("Venue", "city-v", {"name": "City V", "aliases": ["City V"], "country": "Land"}),
        Node("Meeting", "round-1", {"name": "Round 1", "kind": "talks", "status": "held",
                                    "start_date": "2017-03-14", "round": 1}),
        Node("Ceasefire", "truce-1", {"name": "Truce", "status": "in_force", "date": "2016-12-30"}),
    ]  # fmt: skip
    ev = {"sources": ["000_a"], "evidence": ["Envoy X attended."]}
    rels = [
        Relationship("ATTENDED", "actor:envoy-x", "meeting:round-1", dict(ev)),
        Relationship("ATTENDED", "actor:party-y", "meeting:round-1", dict(ev)),
        Relationship("MEDIATED", "actor:state-z", "meeting:round-1", dict(ev)),
        Relationship("HELD_IN", "meeting:round-1", "venue:city-v", dict(ev)),
        Relationship("BROKERED", "actor:state-z", "ceasefire:truce-1", dict(ev)),
        Relationship("VIOLATED", "actor:party-y", "ceasefire:truce-1", {**ev, "alleged": True}),
        Relationship("DISCUSSED_AT", "ceasefire:truce-1", "meeting:round-1", dict(ev)),
        Relationship("REPRESENTS", "actor:envoy-x", "actor:state-z", dict(ev)),
        Relationship("MENTIONED_IN", "actor:envoy-x", "article:000_a", {"count": 3}),
        Relationship("MENTIONED_IN", "actor:envoy-x", "article:001_b", {"count": 1}),
        Relationship("MENTIONED_IN", "venue:city-v", "article:000_a", {"count": 2}),
    ]
    for node in nodes:  # the model keeps `id` among the properties too
        node.properties["id"] = node.id
    return Graph(nodes=nodes, relationships=rels)


def normalised(graph: Graph) -> list[tuple]:
    """Order-free comparable form of a graph (what read_graph must give back)."""
    nodes = sorted((n.label, n.id, sorted(n.properties.items())) for n in graph.nodes)
    rels = sorted(
        (r.type, r.start, r.end, sorted(r.properties.items())) for r in graph.relationships
    )
    return [nodes, rels]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- schema -------------------------------------------------------------------------------


def test_ensure_schema_is_idempotent_and_constrains_every_label(neo4j_store: Neo4jStore) -> None:
    neo4j_store.ensure_schema()
    neo4j_store.ensure_schema()
    rows = neo4j_store.query(
        "SHOW CONSTRAINTS YIELD type, entityType, labelsOrTypes, properties "
        "WHERE type = 'UNIQUENESS' AND entityType = 'NODE' RETURN labelsOrTypes, properties"
    )
    constrained = {row["labelsOrTypes"][0] for row in rows if row["properties"] == ["id"]}
    assert constrained == set(NODE_LABELS)
    indexes = neo4j_store.query(
        "SHOW INDEXES YIELD labelsOrTypes, properties WHERE properties = ['name'] "
        "RETURN labelsOrTypes"
    )
    assert {row["labelsOrTypes"][0] for row in indexes} == set(NODE_LABELS)


def test_schema_file_has_only_idempotent_statements() -> None:
    statements = Neo4jStore.schema_statements()
    assert len(statements) == 2 * len(NODE_LABELS)
    assert all("IF NOT EXISTS" in statement for statement in statements)


def test_server_rejects_a_second_node_with_an_existing_id(neo4j_store, neo4j_server) -> None:
    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=_auth(neo4j_server)) as driver:
        driver.execute_query("CREATE (:Actor {id: $id, name: 'A'})", id="dup")
        with pytest.raises(ConstraintError):
            driver.execute_query("CREATE (:Actor {id: $id, name: 'B'})", id="dup")
        # the same id under another label is a different node
        driver.execute_query("CREATE (:Venue {id: $id, name: 'V'})", id="dup")
    assert neo4j_store.query("MATCH (n {id: 'dup'}) RETURN count(n) AS n") == [{"n": 2}]


def _auth(server) -> tuple[str, str] | None:
    return (server.user, server.password) if server.user else None


# -- replace_graph ------------------------------------------------------------------------


def test_replace_graph_twice_gives_the_same_graph(neo4j_store: Neo4jStore) -> None:
    graph = sample_graph()
    first = neo4j_store.replace_graph(graph)
    after_first = neo4j_store.read_graph()
    second = neo4j_store.replace_graph(graph)
    after_second = neo4j_store.read_graph()

    assert normalised(after_first) == normalised(graph)
    assert normalised(after_second) == normalised(after_first)
    assert after_second.node_counts() == graph.node_counts()
    assert after_second.relationship_counts() == graph.relationship_counts()
    assert (first.nodes_written, first.relationships_written) == (8, 11)
    assert (second.nodes_deleted, second.relationships_deleted) == (0, 0)
    assert neo4j_store.counts() == (graph.node_counts(), graph.relationship_counts())


def test_replace_graph_with_a_smaller_graph_deletes_what_is_gone(
    neo4j_store: Neo4jStore,
) -> None:
    neo4j_store.replace_graph(sample_graph())
    smaller = sample_graph()
    smaller.nodes = [n for n in smaller.nodes if n.id != "001_b"]  # one article retracted
    smaller.relationships = [
        r
        for r in smaller.relationships
        if r.end != "article:001_b" and r.type != "VIOLATED"  # and one fact retracted
    ]
    smaller.nodes[2].properties["roles"] = ["UN special envoy"]  # and a property changed

    report = neo4j_store.replace_graph(smaller)

    assert normalised(neo4j_store.read_graph()) == normalised(smaller)
    assert report.nodes_deleted == 1
    assert report.relationships_deleted == 2


def test_an_empty_store_takes_the_create_path_and_a_reload_the_merge_path(
    neo4j_store: Neo4jStore,
) -> None:
    graph = sample_graph()
    first = neo4j_store.replace_graph(graph)
    second = neo4j_store.replace_graph(graph)
    assert (first.details["mode"], second.details["mode"]) == ("create", "merge")
    assert normalised(neo4j_store.read_graph()) == normalised(graph)
    # CREATE made exactly one relationship per (type, start, end)
    assert neo4j_store.query("MATCH ()-[r]->() RETURN count(r) AS n") == [
        {"n": len(graph.relationships)}
    ]


def test_a_half_loaded_store_takes_the_merge_path_and_is_repaired(
    neo4j_store: Neo4jStore, neo4j_server
) -> None:
    graph = sample_graph()
    half = sample_graph()
    half.nodes = [n for n in half.nodes if n.label == "Actor"]
    half.relationships = [r for r in half.relationships if r.type == "REPRESENTS"]
    neo4j_store.replace_graph(half)  # what a load killed midway may leave
    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=_auth(neo4j_server)) as driver:
        driver.execute_query("CREATE (:Actor {id: 'stray', name: 'Stray'})")

    report = neo4j_store.replace_graph(graph)

    assert report.details["mode"] == "merge"
    assert report.nodes_deleted == 1
    assert normalised(neo4j_store.read_graph()) == normalised(graph)
    assert neo4j_store.query("MATCH ()-[r]->() RETURN count(r) AS n") == [
        {"n": len(graph.relationships)}
    ]


def test_a_contract_relationship_alone_makes_the_store_not_empty(
    neo4j_store: Neo4jStore, neo4j_server
) -> None:
    with neo4j.GraphDatabase.driver(neo4j_server.uri, auth=_auth(neo4j_server)) as driver:
        driver.execute_query("CREATE (:Scratch {id: 'a'})-[:SUPPORTS]->(:Scratch {id: 'b'})")
    graph = sample_graph()

    report = neo4j_store.replace_graph(graph)

    assert report.details["mode"] == "merge"  # so the stale SUPPORTS is deleted
    assert report.relationships_deleted == 1
    assert normalised(neo4j_store.read_graph()) == normalised(graph)


def test_batches_smaller_than_the_graph_load_everything(neo4j_server) -> None:
    with Neo4jStore.connect(
        neo4j_server.uri, neo4j_server.user, neo4j_server.password, batch_size=2
    ) as store:
        store.clear()
        graph = sample_graph()
        report = store.replace_graph(graph)
        assert normalised(store.read_graph()) == normalised(graph)
        assert report.details["transactions"] > len(NODE_LABELS)


def test_values_are_stored_as_neo4j_can_hold_them(neo4j_store: Neo4jStore) -> None:
    graph = Graph(
        nodes=[
            Node(
                "Meeting",
                "m",
                {
                    "name": "M",
                    "kind": "talks",
                    "status": "planned",
                    "start_date": dt.date(2017, 3, 14),
                    "end_date": None,
                    "round": 4,
                    "series": None,
                    "aliases": ("M", None, "Mm"),
                },
            ),
        ]  # fmt: skip
    )
    neo4j_store.replace_graph(graph)
    [node] = neo4j_store.read_graph().nodes
    assert node.properties == {
        "id": "m", "name": "M", "kind": "talks", "status": "planned",
        "start_date": "2017-03-14", "round": 4, "aliases": ["M", "Mm"],
    }  # fmt: skip


def test_hostile_names_round_trip_unchanged(neo4j_store: Neo4jStore) -> None:
    nodes = [
        Node("Actor", key, {"id": key, "name": name, "kind": "person", "aliases": [name]})
        for key, name in ((f"a{i}:{name[:5]}", name) for i, name in enumerate(HOSTILE_NAMES))
    ]
    rels = [
        Relationship("SUPPORTS", nodes[i].key, nodes[i + 1].key, {"evidence": [HOSTILE_NAMES[i]]})
        for i in range(len(nodes) - 1)
    ]
    graph = Graph(nodes=nodes, relationships=rels)
    neo4j_store.replace_graph(graph)

    assert normalised(neo4j_store.read_graph()) == normalised(graph)
    for name in HOSTILE_NAMES:
        rows = neo4j_store.query(
            "MATCH (a:Actor {name: $name}) RETURN a.name AS name", {"name": name}
        )
        assert rows == [{"name": name}]
    assert neo4j_store.counts()[0] == {"Actor": len(HOSTILE_NAMES)}


def test_bad_graphs_are_refused_before_anything_is_written(neo4j_store: Neo4jStore) -> None:
    neo4j_store.replace_graph(sample_graph())
    dangling = sample_graph()
    dangling.relationships.append(Relationship("ATTENDED", "actor:ghost", "meeting:round-1"))
    with pytest.raises(StoreError, match="missing node 'actor:ghost'"):
        neo4j_store.replace_graph(dangling)
    foreign = sample_graph()
    foreign.nodes.append(Node("Person`) DETACH DELETE (n", "p", {"name": "P"}))
    with pytest.raises(StoreError, match="unknown node label"):
        neo4j_store.replace_graph(foreign)
    wrong_type = sample_graph()
    wrong_type.relationships.append(Relationship("KNOWS", "actor:envoy-x", "actor:party-y"))
    with pytest.raises(StoreError, match="unknown relationship type"):
        neo4j_store.replace_graph(wrong_type)
    assert normalised(neo4j_store.read_graph()) == normalised(sample_graph())


def test_clear_keeps_the_schema(neo4j_store: Neo4jStore) -> None:
    neo4j_store.replace_graph(sample_graph())
    neo4j_store.clear()
    assert neo4j_store.counts() == ({}, {})
    rows = neo4j_store.query("SHOW CONSTRAINTS YIELD type WHERE type = 'UNIQUENESS' RETURN type")
    assert len(rows) == len(NODE_LABELS)


# -- query --------------------------------------------------------------------------------


def test_query_returns_plain_python_values(neo4j_store: Neo4jStore) -> None:
    neo4j_store.replace_graph(sample_graph())
    [row] = neo4j_store.query(
        "MATCH p = (a:Actor {id: $id})-[r:ATTENDED]->(m:Meeting) "
        "RETURN a, r, p, date('2017-03-14') AS d, datetime('2017-03-14T10:00:00Z') AS t",
        {"id": "envoy-x"},
    )
    assert row["a"]["name"] == "Envoy X" and row["a"]["aliases"] == ["Envoy X", "X"]
    assert row["r"] == {"type": "ATTENDED", "sources": ["000_a"], "evidence": ["Envoy X attended."]}
    assert [node["id"] for node in row["p"]] == ["envoy-x", "round-1"]
    assert row["d"] == "2017-03-14"
    assert row["t"].startswith("2017-03-14T10:00:00")


def test_query_is_read_only_and_errors_are_store_errors(neo4j_store: Neo4jStore) -> None:
    with pytest.raises(StoreError) as write:
        neo4j_store.query("CREATE (:Actor {id: 'w', name: 'W'})")
    with pytest.raises(StoreError) as syntax:
        neo4j_store.query("MATCH (n RETURN n")
    for error in (write.value, syntax.value):
        assert "\n" not in str(error) and neo4j_store.target in str(error)
    assert neo4j_store.counts() == ({}, {})


# -- connecting ---------------------------------------------------------------------------


def test_connect_to_a_closed_port_is_unavailable_in_one_line() -> None:
    uri = f"bolt://127.0.0.1:{closed_port()}"
    with pytest.raises(StoreUnavailableError) as caught:
        Neo4jStore.connect(uri, "neo4j", "irrelevant-secret")
    message = str(caught.value)
    assert uri in message and "unreachable" in message
    assert "\n" not in message and "irrelevant-secret" not in message
    assert caught.value.__cause__ is None and caught.value.__context__ is None


def test_credentials_in_the_uri_never_reach_the_message() -> None:
    with pytest.raises(StoreUnavailableError) as caught:
        Neo4jStore.connect(f"bolt://neo4j:hunter22@127.0.0.1:{closed_port()}")
    assert "hunter22" not in str(caught.value) and "127.0.0.1" in str(caught.value)


def test_wrong_password_is_unavailable_mentioning_authentication(neo4j_server) -> None:
    with pytest.raises(StoreUnavailableError) as caught:
        Neo4jStore.connect(neo4j_server.uri, neo4j_server.user or "neo4j", "wrong-password-42")
    message = str(caught.value)
    assert "authentication" in message and neo4j_server.uri in message
    assert "wrong-password-42" not in message and "\n" not in message


def test_the_constructor_does_no_network_call() -> None:
    driver = neo4j.GraphDatabase.driver(
        f"bolt://127.0.0.1:{closed_port()}", max_transaction_retry_time=0.5
    )
    store = Neo4jStore(driver, "bolt://127.0.0.1:1")
    with store:
        assert store.dialect == "neo4j" and store.target == "bolt://127.0.0.1:1"
        with pytest.raises(StoreUnavailableError):
            store.read_graph()


def test_original_graph_is_not_mutated(neo4j_store: Neo4jStore) -> None:
    graph = sample_graph()
    before = copy.deepcopy(graph)
    neo4j_store.replace_graph(graph)
    assert graph == before


def test_non_bolt_uris_are_refused_in_one_line() -> None:
    for uri in ("http://127.0.0.1:7474", "localhost:7687"):
        with pytest.raises(StoreUnavailableError, match="invalid Neo4j URI") as caught:
            Neo4jStore.connect(uri, "neo4j", "pw")
        assert uri in str(caught.value) and "\n" not in str(caught.value)
