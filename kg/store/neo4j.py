"""The Neo4j graph store, over the official `neo4j` driver.

Why it looks the way it does:
- The constructor does no network I/O; `Neo4jStore.connect()` does, and turns
  every failure into one `StoreUnavailableError` line that names the URI (never
  the password), so the CLI can print it as is.
- Writes are batched `UNWIND $rows` statements in managed transactions
  (`session.execute_write`, one transaction per batch): the driver retries
  transient failures, and a batch is all-or-nothing.
- Labels and relationship types are the only text put into Cypher, and only
  after checking them against `kg.model`'s fixed tuples; every value is a
  parameter.
- `replace_graph` upserts (MERGE on `id`) and then deletes what the new graph
  no longer holds, so the stored graph equals the given one: re-runs are
  idempotent and retracted facts disappear. It is not one transaction: a crash
  midway leaves a partial graph that the next `replace_graph` repairs.
- Into a store that holds nothing of the contract it CREATEs instead and
  skips the deletions (nothing to match, nothing to delete). A crash midway
  leaves a non-empty store, so the repairing run takes the MERGE path; a
  commit whose outcome is unknown is not retried by the driver
  (`IncompleteCommit`), so a CREATE batch never runs twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import logging
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import neo4j
from neo4j import exceptions as nx
from neo4j import graph as ngraph
from neo4j import spatial as nspatial
from neo4j import time as ntime

from kg.errors import StoreError, StoreUnavailableError
from kg.model import NODE_LABELS, RELATIONSHIP_TYPES, Graph, Node, Relationship, parse_node_key
from kg.store.base import GraphStore, LoadReport

# The driver logs a dropped connection as an ERROR record; with no logging set
# up, Python prints it on stderr beside kg's own one-line message. A library
# leaves logging to its user: a NullHandler stops that fallback printing, and
# an application that configures logging still sees the records.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

#: rows per write transaction: large enough to amortise round trips, small
#: enough to keep each transaction's memory modest. Measured on 4,000 nodes +
#: 9,000 relationships: 100 -> 4.3 s, 1000 -> 2.0 s, 2000 -> 1.2 s, 5000 -> 1.0 s.
DEFAULT_BATCH_SIZE = 2000

#: URI schemes of the Bolt protocol (the driver's HTTP support is a preview)
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

#: the schema file, shared with Neo4j Browser users: repo_root/cypher/schema.cypher
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "cypher" / "schema.cypher"


# -- helpers: names, values, errors ------------------------------------------------------


def _label(label: str) -> str:
    """The label, back-quoted, once it is known to be one of the contract's."""
    if label not in NODE_LABELS:
        raise StoreError(f"unknown node label {label!r}; expected one of {', '.join(NODE_LABELS)}")
    return f"`{label}`"


def _rel_type(rel_type: str) -> str:
    """The relationship type, back-quoted, once it is known to be the contract's."""
    if rel_type not in RELATIONSHIP_TYPES:
        raise StoreError(f"unknown relationship type {rel_type!r}")
    return f"`{rel_type}`"


def _safe_uri(uri: str) -> str:
    """The URI without any user:password@ part, for messages and `target`."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return uri.rsplit("@", 1)[-1]
    if "@" not in parts.netloc:
        return uri
    # keep the port as written: `parts.port` raises on a non-numeric one
    netloc = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _one_line(exc: BaseException, limit: int = 240) -> str:
    """The gist of a driver error on one line (drivers like multi-line messages)."""
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    gist = " ".join(lines)
    return gist if len(gist) <= limit else gist[: limit - 3] + "..."


def _uri_problem(uri: str, exc: Exception) -> str:
    """Why the driver refused a URI, without the credentials it may hold.

    The driver's own text quotes the whole URI, user:password included, and
    its GQL `message` is only "Unexpected error": so credentials in the URI
    get a message of their own and any other text loses the raw URI."""
    if uri != _safe_uri(uri):
        return "credentials do not belong in the URI; set NEO4J_USERNAME and NEO4J_PASSWORD"
    text = " ".join(line.strip() for line in str(exc).splitlines() if line.strip())
    return text or type(exc).__name__


def _property_value(value: Any) -> Any:
    """A Python value as Neo4j can store it: ISO strings for dates, lists
    without nulls, JSON text for mappings. None means "drop the property"."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    if isinstance(value, set | frozenset):
        value = sorted(value, key=str)
    if isinstance(value, list | tuple):
        return [_property_value(item) for item in value if item is not None]
    return str(value)


#: types a property value already has in a form Neo4j stores as is
_PLAIN_TYPES = (str, int, float, bool)


def _stored_props(properties: dict[str, Any]) -> dict[str, Any]:
    """`_property_value` of every property, None dropped; plain values and
    lists of strings (nearly all of them) skip the general conversion."""
    props: dict[str, Any] = {}
    for key, value in properties.items():
        kind = type(value)
        if kind in _PLAIN_TYPES:
            props[key] = value
        elif kind is list and all(type(item) is str for item in value):
            props[key] = list(value)
        elif value is not None:
            converted = _property_value(value)
            if converted is not None:
                props[key] = converted
    return props


def _node_props(node: Node) -> dict[str, Any]:
    props = _stored_props(node.properties)
    props["id"] = node.id
    return props


def _rel_props(rel: Relationship) -> dict[str, Any]:
    return _stored_props(rel.properties)


#: "actor" -> "Actor": the key prefix of each label (what parse_node_key matches)
_KEY_PREFIXES: dict[str, str] = {label.lower(): label for label in NODE_LABELS}


def _split_key(key: str) -> tuple[str, str]:
    """`parse_node_key` with one dict lookup instead of a loop over labels."""
    prefix, _, node_id = key.partition(":")
    label = _KEY_PREFIXES.get(prefix)
    if label is None:
        return parse_node_key(key)  # raises its ValueError
    return label, node_id


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Planning a big load allocates a million small dicts and lists; with
    the caller's graph alive, each collection they trigger walks it all
    (measured: planning the 100k/300k graph 5.4 s -> 2.5 s). Nothing built
    here forms a cycle."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def plain(value: Any) -> Any:
    """A driver value as plain Python: nodes as property dicts, relationships
    as {"type": ..., **properties}, paths as lists of node dicts, temporal
    values as ISO strings."""
    if isinstance(value, ngraph.Node):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, ngraph.Relationship):
        return {"type": value.type, **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, ngraph.Path):
        return [plain(node) for node in value.nodes]
    if isinstance(value, ntime.Date | ntime.DateTime | ntime.Time | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, ntime.Duration):
        return str(value)
    if isinstance(value, nspatial.Point):
        return list(value)
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def _batches(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _translate(exc: Exception, target: str, action: str) -> StoreError:
    """One-line kg error for a driver error: unavailable vs. failed."""
    if isinstance(exc, nx.AuthError):
        return StoreUnavailableError(f"Neo4j at {target}: authentication failed ({_one_line(exc)})")
    if isinstance(exc, nx.ServiceUnavailable | nx.SessionExpired):
        return StoreUnavailableError(f"Neo4j at {target} is unreachable: {_one_line(exc)}")
    if isinstance(exc, nx.Neo4jError):
        code = exc.code or "Neo4jError"
        if code.startswith("Neo.ClientError.Security.") or code.endswith("DatabaseNotFound"):
            return StoreUnavailableError(f"Neo4j at {target}: {code}: {_one_line(exc)}")
        if code.startswith("Neo.TransientError.") or isinstance(exc, nx.DatabaseUnavailable):
            return StoreUnavailableError(
                f"Neo4j at {target} is not available while {action}: {_one_line(exc)}"
            )
        return StoreError(f"Neo4j at {target} failed while {action}: {code}: {_one_line(exc)}")
    return StoreError(f"Neo4j at {target} failed while {action}: {_one_line(exc)}")


# -- the store ---------------------------------------------------------------------------


class Neo4jStore(GraphStore):
    """A `GraphStore` on a Neo4j 5 server (one database holds one graph)."""

    dialect = "neo4j"

    def __init__(
        self,
        driver: neo4j.Driver,
        uri: str,
        database: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        """Wrap an open driver; no network call (use `connect` for a checked store)."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self._driver = driver
        self.database = database
        self.batch_size = batch_size
        self.target = _safe_uri(uri)

    @classmethod
    def connect(
        cls,
        uri: str,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        retry_seconds: float = 30.0,
    ) -> Neo4jStore:
        """Open a driver and prove the server answers and accepts the credentials.

        `retry_seconds` is how long a transaction keeps being retried while the
        server is briefly away (restart, leader switch) before the store gives up.

        Raises `StoreUnavailableError` with one line naming the URI and the
        cause; the driver's exception is not chained, so no traceback noise.
        """
        target = _safe_uri(uri)
        scheme = uri.partition("://")[0].lower() if "://" in uri else ""
        if scheme not in BOLT_SCHEMES:
            raise StoreUnavailableError(
                f"invalid Neo4j URI {target}: expected one of "
                f"{', '.join(s + '://' for s in BOLT_SCHEMES)}"
            )
        auth = (user, password or "") if user is not None else None
        error: StoreError | None = None
        try:
            # notifications off: the driver would log server hints ("type does not
            # exist" for an empty graph) as warnings on the user's terminal
            driver = neo4j.GraphDatabase.driver(
                uri,
                auth=auth,
                notifications_min_severity="OFF",
                max_transaction_retry_time=retry_seconds,
            )
        except (ValueError, nx.ConfigurationError) as exc:
            raise StoreUnavailableError(
                f"invalid Neo4j URI {target}: {_uri_problem(uri, exc)}"
            ) from None
        try:
            driver.verify_connectivity()
            driver.execute_query("RETURN 1", database_=database)
        except (nx.Neo4jError, nx.DriverError, OSError, ValueError) as exc:
            # ValueError: the driver's address resolution refuses a bad port
            error = _translate(exc, target, "connecting")
            if not isinstance(error, StoreUnavailableError):
                error = StoreUnavailableError(str(error))
        if error is not None:
            driver.close()
            raise error
        return cls(driver, uri, database=database, batch_size=batch_size)

    # -- plumbing ---------------------------------------------------------------------

    @contextlib.contextmanager
    def _session(self, action: str) -> Iterator[neo4j.Session]:
        """A session whose driver errors come out as kg store errors."""
        error: StoreError | None = None
        try:
            with self._driver.session(database=self.database) as session:
                yield session
        except (nx.Neo4jError, nx.DriverError, OSError) as exc:
            error = _translate(exc, self.target, action)
        if error is not None:
            raise error

    def _write(self, session: neo4j.Session, cypher: str, **params: Any) -> neo4j.SummaryCounters:
        def work(tx: neo4j.ManagedTransaction) -> neo4j.SummaryCounters:
            return tx.run(cypher, params).consume().counters  # type: ignore[arg-type]

        return session.execute_write(work)

    # -- schema -----------------------------------------------------------------------

    @staticmethod
    def schema_statements(path: Path = SCHEMA_FILE) -> list[str]:
        """The statements of `cypher/schema.cypher` (comments dropped, split on `;`)."""
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise StoreError(f"cannot read the Neo4j schema file {path}: {exc.strerror}") from None
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
        return [stmt.strip() for stmt in body.split(";") if stmt.strip()]

    def ensure_schema(self) -> None:
        """Create the constraints and indexes if missing, then wait until they
        are online so the first MERGE already uses them."""
        statements = self.schema_statements()
        with self._session("creating the schema") as session:
            for statement in statements:
                session.run(statement).consume()  # type: ignore[arg-type]
            session.run("CALL db.awaitIndexes(300)").consume()

    # -- writing ----------------------------------------------------------------------

    def replace_graph(self, graph: Graph) -> LoadReport:
        """Make the stored graph equal to `graph` (upsert, then delete what is gone).

        A store holding nothing of the contract (no node of its labels, no
        relationship of its types) takes the fresh path: CREATE instead of
        MERGE, and no stale-deletion statements, since there is nothing to
        match or delete (figures: docs/benchmarks.md, "Loading"). Any other
        store, a half-loaded one included, takes the MERGE path, which repairs
        whatever it finds.
        """
        began = time.monotonic()
        with _gc_paused():
            nodes_by_label, rels_by_shape = self._plan(graph)
        report = LoadReport(details={"batch_size": self.batch_size, "transactions": 0})
        with self._session("loading the graph") as session:
            fresh = self._holds_nothing(session)
            report.details["mode"] = "create" if fresh else "merge"
            for label in NODE_LABELS:
                rows = nodes_by_label.get(label, [])
                self._write_nodes(session, label, rows, fresh, report)
                if not fresh:
                    counters = self._write(
                        session,
                        f"MATCH (n:{_label(label)}) WHERE NOT n.id IN $ids DETACH DELETE n",
                        ids=[row["id"] for row in rows],
                    )
                    report.nodes_deleted += counters.nodes_deleted
                    report.relationships_deleted += counters.relationships_deleted
            for (rel_type, start, end), rows in sorted(rels_by_shape.items()):
                report.relationships_written += self._write_relationships(
                    session, (rel_type, start, end), rows, fresh, report
                )
            if not fresh:
                for rel_type in RELATIONSHIP_TYPES:
                    report.relationships_deleted += self._delete_stale_relationships(
                        session, rel_type, graph
                    )
        report.seconds = time.monotonic() - began
        return report

    def _holds_nothing(self, session: neo4j.Session) -> bool:
        """True when no node has a contract label and no relationship a contract
        type. Each count is answered from Neo4j's count store, not a scan.

        Loads are not meant to run concurrently on one database: a second
        writer that also found the store empty would fail on the id
        constraint at its first node batch, before any relationship."""

        def work(tx: neo4j.ManagedTransaction) -> bool:
            for label in NODE_LABELS:
                query = f"MATCH (n:{_label(label)}) RETURN count(n) AS c"
                if tx.run(query).single(strict=True)["c"]:
                    return False
            for rel_type in RELATIONSHIP_TYPES:
                query = f"MATCH ()-[r:{_rel_type(rel_type)}]->() RETURN count(r) AS c"
                if tx.run(query).single(strict=True)["c"]:
                    return False
            return True

        return session.execute_read(work)

    def _write_nodes(
        self,
        session: neo4j.Session,
        label: str,
        rows: list[dict[str, Any]],
        fresh: bool,
        report: LoadReport,
    ) -> None:
        if fresh:
            query = f"UNWIND $rows AS row CREATE (n:{_label(label)}) SET n = row.props"
        else:
            query = (
                f"UNWIND $rows AS row MERGE (n:{_label(label)} {{id: row.id}}) SET n = row.props"
            )
        for batch in _batches(rows, self.batch_size):
            self._write(session, query, rows=list(batch))
            report.details["transactions"] += 1
        report.nodes_written += len(rows)

    def _plan(
        self, graph: Graph
    ) -> tuple[dict[str, list[dict[str, Any]]], dict[tuple[str, str, str], list[dict[str, Any]]]]:
        """Group rows by label / (type, start label, end label), checking every
        name against the contract and every relationship end against the nodes."""
        nodes_by_label: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        for node in graph.nodes:
            _label(node.label)
            nodes_by_label[node.label][node.id] = {"id": node.id, "props": _node_props(node)}
        rels_by_shape: dict[tuple[str, str, str], dict[tuple[str, str], dict[str, Any]]]
        rels_by_shape = defaultdict(dict)
        for rel in graph.relationships:
            _rel_type(rel.type)
            try:
                start_label, start_id = _split_key(rel.start)
                end_label, end_id = _split_key(rel.end)
            except ValueError as exc:
                raise StoreError(f"{rel.type} relationship has a bad end: {exc}") from None
            if start_id not in nodes_by_label[start_label]:
                raise StoreError(f"{rel.type} relationship refers to missing node {rel.start!r}")
            if end_id not in nodes_by_label[end_label]:
                raise StoreError(f"{rel.type} relationship refers to missing node {rel.end!r}")
            row = {"start": start_id, "end": end_id, "props": _rel_props(rel)}
            rels_by_shape[(rel.type, start_label, end_label)][(start_id, end_id)] = row
        return (
            {label: list(rows.values()) for label, rows in nodes_by_label.items()},
            {shape: list(rows.values()) for shape, rows in rels_by_shape.items()},
        )

    def _write_relationships(
        self,
        session: neo4j.Session,
        shape: tuple[str, str, str],
        rows: list[dict[str, Any]],
        fresh: bool,
        report: LoadReport,
    ) -> int:
        """One statement per (type, start label, end label): each MATCH names
        its label, so it finds the node through that label's id index."""
        rel_type, start, end = shape
        ends = (
            "UNWIND $rows AS row "
            f"MATCH (a:{_label(start)} {{id: row.start}}) "
            f"MATCH (b:{_label(end)} {{id: row.end}}) "
        )
        write = "CREATE " if fresh else "MERGE "
        query = ends + write + f"(a)-[r:{_rel_type(rel_type)}]->(b) SET r = row.props"
        for batch in _batches(rows, self.batch_size):
            self._write(session, query, rows=list(batch))
            report.details["transactions"] += 1
        return len(rows)

    def _delete_stale_relationships(
        self, session: neo4j.Session, rel_type: str, graph: Graph
    ) -> int:
        """Delete relationships of this type whose (start, end) the graph lacks."""
        keep = [[rel.start, rel.end] for rel in graph.relationships if rel.type == rel_type]
        query = (
            f"MATCH (a)-[r:{_rel_type(rel_type)}]->(b) "
            "WITH r, [toLower(head(labels(a))) + ':' + a.id, "
            "toLower(head(labels(b))) + ':' + b.id] AS pair "
            "WHERE NOT pair IN $keep DELETE r"
        )
        return self._write(session, query, keep=keep).relationships_deleted

    def clear(self) -> None:
        """Delete every node and relationship, in chunks (the schema stays)."""
        with self._session("clearing the graph") as session:
            session.run(
                "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
            ).consume()

    # -- reading ----------------------------------------------------------------------

    def query(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run read-only Cypher (a read transaction: writes are refused) and
        return rows of plain Python values."""

        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            result = tx.run(cypher, params or {})  # type: ignore[arg-type]
            return [{key: plain(value) for key, value in record.items()} for record in result]

        with self._session("running a query") as session:
            return session.execute_read(work)

    def read_graph(self) -> Graph:
        """Everything stored under the contract's labels and types, in a stable order."""
        graph = Graph()
        for label in NODE_LABELS:
            rows = self.query(
                f"MATCH (n:{_label(label)}) RETURN n.id AS id, properties(n) AS props ORDER BY id"
            )
            graph.nodes.extend(Node(label, row["id"], row["props"]) for row in rows)
        for rel_type in RELATIONSHIP_TYPES:
            rows = self.query(
                f"MATCH (a)-[r:{_rel_type(rel_type)}]->(b) "
                "RETURN toLower(head(labels(a))) + ':' + a.id AS start, "
                "toLower(head(labels(b))) + ':' + b.id AS end, properties(r) AS props "
                "ORDER BY start, end"
            )
            graph.relationships.extend(
                Relationship(rel_type, row["start"], row["end"], row["props"]) for row in rows
            )
        return graph

    def close(self) -> None:
        self._driver.close()
