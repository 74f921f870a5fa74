"""The embedded graph store: one LadybugDB database file, no server.

Why it is built the way it is:

- `replace_graph` never edits the live database. It bulk-loads the whole new
  graph with `COPY ... FROM (UNWIND ...)` into a fresh database file beside
  the live one (per-row MERGE is a hundred times slower), checkpoints and
  closes it, then swaps it in with `os.replace`. An interrupted build leaves
  either the old file or the new one, never half of each.
- Values travel column by column as query parameters (one homogeneous list
  per property), never inside the Cypher text: LadybugDB infers a parameter's
  type from its values and a column list is cheap to bind, while a list of
  row maps is slow to bind and breaks on missing keys.
- A LadybugDB file can be opened for writing by one process only, and two
  builds racing on the swap would lose one graph. An exclusive `flock` on
  `<db>.lock`, held from `open` to `close`, makes the second build wait a
  little and then refuse with the first one's pid.
- Contract properties are real typed columns so questions can use them;
  properties outside the contract are kept as JSON in an `extra` column so a
  graph still reads back exactly as it was written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import gc
import itertools
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import ladybug

from kg.errors import StoreError, StoreUnavailableError
from kg.model import (
    NODE_LABELS,
    RELATIONSHIP_ENDS,
    RELATIONSHIP_TYPES,
    Graph,
    Node,
    Relationship,
    parse_node_key,
)
from kg.store.base import GraphStore, LoadReport

# -- schema: the contract's properties as typed columns --------------------------------

STRING, LIST, INT, BOOL = "STRING", "STRING[]", "INT64", "BOOLEAN"
EXTRA = "extra"  # JSON of the properties the contract does not list

NODE_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "Article": (
        ("id", STRING),
        ("name", STRING),
        ("path", STRING),
        ("sha256", STRING),
        ("url", STRING),
        ("published", STRING),
        ("source", STRING),
        ("word_count", INT),
    ),
    "Actor": (
        ("id", STRING),
        ("name", STRING),
        ("kind", STRING),
        ("aliases", LIST),
        ("roles", LIST),
        ("description", STRING),
    ),
    "Venue": (("id", STRING), ("name", STRING), ("aliases", LIST), ("country", STRING)),
    "Meeting": (
        ("id", STRING),
        ("name", STRING),
        ("kind", STRING),
        ("status", STRING),
        ("start_date", STRING),
        ("end_date", STRING),
        ("round", INT),
        ("series", STRING),
    ),
    "Ceasefire": (
        ("id", STRING),
        ("name", STRING),
        ("status", STRING),
        ("date", STRING),
        ("scope", STRING),
    ),
}
FACT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("sources", LIST),
    ("evidence", LIST),
    ("alleged", BOOL),
)
MENTION_COLUMNS: tuple[tuple[str, str], ...] = (("count", INT),)

assert tuple(NODE_COLUMNS) == NODE_LABELS, "schema out of step with kg.model"


def rel_columns(rel_type: str) -> tuple[tuple[str, str], ...]:
    """Typed property columns of one relationship table."""
    return MENTION_COLUMNS if rel_type == "MENTIONED_IN" else FACT_COLUMNS


def schema_statements() -> list[str]:
    """DDL for every table; labels and types come only from kg.model's tuples."""
    statements = []
    for label in NODE_LABELS:
        cols = ", ".join(f"`{name}` {kind}" for name, kind in NODE_COLUMNS[label])
        statements.append(
            f"CREATE NODE TABLE IF NOT EXISTS `{label}`({cols}, `{EXTRA}` STRING, PRIMARY KEY(id))"
        )
    for rel_type in RELATIONSHIP_TYPES:
        ends = ", ".join(f"FROM `{a}` TO `{b}`" for a, b in RELATIONSHIP_ENDS[rel_type])
        cols = ", ".join(f"`{name}` {kind}" for name, kind in rel_columns(rel_type))
        statements.append(
            f"CREATE REL TABLE IF NOT EXISTS `{rel_type}`({ends}, {cols}, `{EXTRA}` STRING)"
        )
    return statements


# -- file layout and locking -----------------------------------------------------------

LOCK_WAIT_SECONDS = 5.0


def _sibling(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _remove_db_files(path: Path) -> None:
    """Delete a database file and the sidecar files LadybugDB may leave."""
    for candidate in (path, _sibling(path, ".wal"), _sibling(path, ".shadow")):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()


class _BuildLock:
    """An exclusive flock on `<db>.lock` that records the holder's pid.

    The lock file itself is never deleted: deleting a flock file lets a third
    process lock a fresh inode while the second still waits on the old one.
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.path = _sibling(db_path, ".lock")
        self._fd: int | None = None

    def acquire(self, wait: float) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                    os.close(fd)
                    raise StoreUnavailableError(
                        f"{self.db_path} is locked by another kg build (pid {holder})"
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing drops the flock
            self._fd = None


# -- value conversion ------------------------------------------------------------------

#: the Python type a non-null value of each column kind must have exactly
#: (bool is a subclass of int, hence `type(v) is`, not isinstance)
_EXACT_TYPE: dict[str, type] = {STRING: str, INT: int, BOOL: bool}

#: separators a list column may be sent with: the first one no item of the
#: column contains is used (control characters first, then private-use ones)
LIST_SEPARATORS: tuple[str, ...] = (
    "\u001f",
    "\u001e",
    "\u001d",
    "\u001c",
    "\ue000",
    "\ue001",
    "\ue002",
    "\ue003",
)
#: the first field of every encoded list, dropped on the way in: it keeps
#: [] ("L") apart from a missing list (NULL)
LIST_HEAD = "L"


def _check(value: Any, kind: str, where: str) -> Any:
    """Refuse a value the column cannot hold, naming the node or relationship.

    LadybugDB would silently round 1.5 into an INT64 column; a clear error
    at load time is kinder than a wrong number in a question's answer.
    """
    if value is None:
        return None
    if kind == LIST:
        ok = isinstance(value, list | tuple) and all(isinstance(v, str) for v in value)
    elif kind == INT:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, _EXACT_TYPE[kind])
    if not ok:
        raise StoreError(f"{where}: expected {kind}, got {type(value).__name__} {value!r}")
    return list(value) if kind == LIST else value


def _extra_json(props: dict[str, Any], known: set[str], where: str) -> str | None:
    extra = {k: v for k, v in props.items() if k not in known and v is not None}
    if not extra:
        return None
    try:
        return json.dumps(extra, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"{where}: property value is not JSON-serialisable ({exc})") from exc


def _list_separator(values: list[Any], column: str) -> str:
    """The first of LIST_SEPARATORS that no item of the column contains."""
    text = "".join("".join(v) for v in values if v)
    for sep in LIST_SEPARATORS:
        if sep not in text:
            return sep
    raise StoreError(f"cannot load list column {column!r}: its items use every separator")


class _Columns:
    """Builds one parameter list per column plus the RETURN expression per
    column, and the COPY statement that unwinds them.

    LadybugDB infers a parameter's type from its values, and 0.22 gets it
    wrong or fails on a column that is None in every row (a typed NULL
    literal goes instead). A list column travels as one string per row,
    LIST_HEAD + sep + item + sep + item..., split back by `string_split` in
    the COPY and stripped of its head: binding a list of lists is slow and
    super-linear in LadybugDB (70,000 rows: 12 s as lists, under 2 s as
    strings). A missing list stays NULL, and NULL splits to NULL.
    """

    def __init__(self, columns: Iterable[tuple[str, str]]) -> None:
        self.columns = list(columns)
        self.values: dict[str, list[Any]] = {}

    def set(self, name: str, kind: str, values: list[Any], where: Callable[[int], str]) -> None:
        """Set one column, checked: a whole-column type test at C speed, and
        the row-by-row `_check` (which names the culprit) only when it fails.
        `where(i)` names row i's node or relationship."""
        if _column_ok(values, kind):
            self.values[name] = values
        else:
            self.values[name] = [
                _check(v, kind, f"{where(i)} property {name!r}") for i, v in enumerate(values)
            ]

    @staticmethod
    def _list_column(index: int, values: list[Any], column: str, params: dict[str, Any]) -> str:
        """The RETURN expression of one list column, its parameters put in `params`.

        `string_split` drops the empty field between two adjacent separators,
        so a list holding an empty item cannot travel as a string: such rare
        rows go in a second, list-of-lists parameter instead ([LIST_HEAD,
        *items], and [] for every other row), picked by a CASE. The second
        parameter exists only when some row needs it.
        """
        sep = _list_separator(values, column)
        head = LIST_HEAD + sep
        if not any("" in v for v in values if v):  # the common case: strings only
            strings = [
                None if v is None else head + sep.join(v) if v else LIST_HEAD for v in values
            ]
            lists: list[list[str]] = []
        else:
            strings = [
                None if v is None or "" in v else head + sep.join(v) if v else LIST_HEAD
                for v in values
            ]
            lists = [[LIST_HEAD, *v] if v and "" in v else [] for v in values]
        item, sep_param, list_param = f"$c{index}[i]", f"$s{index}", f"$l{index}[i]"
        split = f"string_split({item}, {sep_param})"
        expr = f"list_slice({split}, 2, size({split}) + 1)"
        if any(v is not None for v in strings):
            params[f"c{index}"], params[f"s{index}"] = strings, sep
            if not lists:
                return expr
        else:  # a parameter that is None in every row would not bind
            expr = "NULL"
        params[f"l{index}"] = lists
        return (
            f"CASE WHEN size({list_param}) = 0 THEN {expr}"
            f" ELSE list_slice({list_param}, 2, size({list_param}) + 1) END"
        )

    def copy_statement(self, table: str, options: str = "") -> tuple[str, dict[str, Any]]:
        params: dict[str, Any] = {}
        exprs: list[str] = []
        for index, (name, kind) in enumerate(self.columns):
            values = self.values[name]
            if all(v is None for v in values):
                exprs.append(f"CAST(NULL AS {kind})")
                continue
            param = f"c{index}"
            item = f"${param}[i]"
            if kind == LIST:
                exprs.append(self._list_column(index, values, f"{table}.{name}", params))
            else:
                params[param] = values
                exprs.append(item)
        first = f"c{0}"
        if first not in params:
            raise StoreError(f"cannot load {table}: first column is empty")
        body = f"UNWIND range(1, size(${first})) AS i RETURN {', '.join(exprs)}"
        return f"COPY `{table}` FROM ({body}){options}", params


def _column_ok(values: list[Any], kind: str) -> bool:
    """True when every value is None or exactly the column's Python type
    (lists: a list of str). False sends the column through `_check`."""
    types = set(map(type, values))
    types.discard(type(None))
    if kind != LIST:
        return types <= {_EXACT_TYPE[kind]}
    if not types <= {list}:
        return False
    return set(map(type, itertools.chain.from_iterable(filter(None, values)))) <= {str}


def _plain(value: Any) -> Any:
    """LadybugDB result values -> the same plain Python the Neo4j store returns:
    nodes as property dicts, relationships as {"type": ..., **properties},
    paths as lists of node dicts, dates as ISO strings."""
    if isinstance(value, dict):
        if "_NODES" in value and "_RELS" in value:
            return [_plain(node) for node in value["_NODES"]]
        if "_SRC" in value and "_LABEL" in value:
            return {"type": value["_LABEL"], **_entity_properties(value)}
        if "_LABEL" in value and "_ID" in value:
            return _entity_properties(value)
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return value


def _entity_properties(value: dict[str, Any]) -> dict[str, Any]:
    props = {k: _plain(v) for k, v in value.items() if not k.startswith("_") and v is not None}
    extra = props.pop(EXTRA, None)
    if extra:
        props.update(json.loads(extra))
    return props


# -- the store -------------------------------------------------------------------------


class LadybugStore(GraphStore):
    """A graph in one LadybugDB file (the default store: nothing to install or run)."""

    dialect = "ladybug"

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self.target = str(path)
        self.read_only = read_only
        self._lock = _BuildLock(path)
        self._db: ladybug.Database | None = None
        self._conn: ladybug.Connection | None = None

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        read_only: bool = False,
        lock_wait: float | None = None,
    ) -> LadybugStore:
        """Open (creating it and its folders if needed) the database at `path`.

        A writer takes the build lock first, waiting up to `lock_wait` seconds
        (default LOCK_WAIT_SECONDS); a reader (`read_only=True`) takes no lock
        and needs an existing database.
        """
        store = cls(Path(path).expanduser().absolute(), read_only)
        if read_only:
            if not store.path.is_file():
                raise StoreUnavailableError(f"no graph at {store.path}: run `kg build` first")
            store._connect()
            return store
        store.path.parent.mkdir(parents=True, exist_ok=True)
        store._lock.acquire(LOCK_WAIT_SECONDS if lock_wait is None else lock_wait)
        try:
            store._remove_stale_builds()
            store._connect()
            store.ensure_schema()
        except BaseException:
            store.close()
            raise
        return store

    # -- connection ---------------------------------------------------------------------

    def _connect(self) -> None:
        if self.path.is_dir():
            raise StoreUnavailableError(f"{self.path} is a folder, not a LadybugDB database file")
        try:
            self._db = ladybug.Database(str(self.path), read_only=self.read_only)
            self._conn = ladybug.Connection(self._db)
        except RuntimeError as exc:
            self._disconnect()
            raise StoreUnavailableError(f"cannot open {self.path}: {exc}") from exc

    def _disconnect(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._db is not None:
            self._db.close()
        self._conn, self._db = None, None

    def _connection(self) -> ladybug.Connection:
        if self._conn is None:
            raise StoreUnavailableError(f"{self.path} is closed")
        return self._conn

    def _remove_stale_builds(self) -> None:
        """Temp files of a build that died (we hold the lock, so nobody else's)."""
        for stale in self.path.parent.glob(self.path.name + ".building-*"):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path} was opened read-only")

    # -- GraphStore ---------------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Create the tables if missing (IF NOT EXISTS makes it idempotent)."""
        self._writable()
        for statement in schema_statements():
            self._execute(statement)

    def clear(self) -> None:
        """An empty graph, swapped in like any other build (so the schema stays)."""
        self.replace_graph(Graph())

    def replace_graph(self, graph: Graph) -> LoadReport:
        """Build `graph` into a sibling file, then swap it in atomically."""
        self._writable()
        began = time.monotonic()
        old_nodes, old_rels = self._stored_keys()
        building = _sibling(self.path, f".building-{os.getpid()}")
        _remove_db_files(building)
        try:
            details = _build_database(building, graph)
        except BaseException:
            _remove_db_files(building)
            raise
        self._swap_in(building)
        new_nodes = {n.key for n in graph.nodes}
        new_rels = {r.key for r in graph.relationships}
        return LoadReport(
            nodes_written=len(new_nodes),
            nodes_deleted=len(old_nodes - new_nodes),
            relationships_written=len(new_rels),
            relationships_deleted=len(old_rels - new_rels),
            seconds=time.monotonic() - began,
            details=details,
        )

    def _swap_in(self, building: Path) -> None:
        """Close the live file, replace it, reopen. The WAL of the live file is
        checkpointed first: a WAL left beside the new file would be replayed
        into it."""
        with contextlib.suppress(RuntimeError):
            self._execute("CHECKPOINT")
        self._disconnect()
        for sidecar in (".wal", ".shadow"):
            with contextlib.suppress(FileNotFoundError):
                _sibling(self.path, sidecar).unlink()
        os.replace(building, self.path)
        _fsync_dir(self.path.parent)
        self._connect()

    def query(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return [{k: _plain(v) for k, v in row.items()} for row in self._raw_rows(cypher, params)]

    def _raw_rows(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        result = self._execute(cypher, params or {})
        try:
            columns = result.get_column_names()
            return [dict(zip(columns, row, strict=True)) for row in result]
        finally:
            result.close()

    def read_graph(self) -> Graph:
        """Every node and relationship, in the Neo4j store's order (labels and
        types in kg.model order, then ids) so the two stores' reads compare equal."""
        graph = Graph()
        for label in NODE_LABELS:
            for row in self.query(f"MATCH (n:`{label}`) RETURN n ORDER BY n.id"):
                props = row["n"]
                graph.nodes.append(Node(label=label, id=props["id"], properties=props))
        for rel_type in RELATIONSHIP_TYPES:
            cypher = (
                f"MATCH (a)-[r:`{rel_type}`]->(b) "
                "RETURN label(a) AS al, a.id AS ai, label(b) AS bl, b.id AS bi, r"
            )
            rels = []
            for row in self._raw_rows(cypher):
                props = _entity_properties(row["r"])
                start = f"{row['al'].lower()}:{row['ai']}"
                end = f"{row['bl'].lower()}:{row['bi']}"
                rels.append(Relationship(type=rel_type, start=start, end=end, properties=props))
            graph.relationships.extend(sorted(rels, key=lambda r: (r.start, r.end)))
        return graph

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Counted in the database rather than by reading the graph back."""
        nodes = {
            label: self.query(f"MATCH (n:`{label}`) RETURN count(n) AS c")[0]["c"]
            for label in NODE_LABELS
        }
        rels = {
            rel_type: self.query(f"MATCH ()-[r:`{rel_type}`]->() RETURN count(r) AS c")[0]["c"]
            for rel_type in RELATIONSHIP_TYPES
        }
        return {k: v for k, v in nodes.items() if v}, {k: v for k, v in rels.items() if v}

    def close(self) -> None:
        self._disconnect()
        self._lock.release()

    # -- helpers ------------------------------------------------------------------------

    def _execute(self, cypher: str, params: dict[str, Any] | None = None) -> Any:
        try:
            return self._connection().execute(cypher, params or {})
        except RuntimeError as exc:
            raise StoreError(f"LadybugDB query failed on {self.path}: {exc}") from exc

    def _stored_keys(self) -> tuple[set[str], set[tuple[str, str, str]]]:
        """Keys of the graph now stored, to report what a build deletes."""
        nodes: set[str] = set()
        for label in NODE_LABELS:
            rows = self._raw_rows(f"MATCH (n:`{label}`) RETURN n.id AS id")
            nodes.update(f"{label.lower()}:{row['id']}" for row in rows)
        rels: set[tuple[str, str, str]] = set()
        for rel_type in RELATIONSHIP_TYPES:
            cypher = (
                f"MATCH (a)-[:`{rel_type}`]->(b) "
                "RETURN label(a) AS al, a.id AS ai, label(b) AS bl, b.id AS bi"
            )
            rels.update(
                (rel_type, f"{r['al'].lower()}:{r['ai']}", f"{r['bl'].lower()}:{r['bi']}")
                for r in self._raw_rows(cypher)
            )
        return nodes, rels


# -- building a fresh database file ----------------------------------------------------


def _build_database(path: Path, graph: Graph) -> dict[str, Any]:
    """Create `path` holding exactly `graph`, checkpointed and closed.

    Each COPY text is used once per connection: LadybugDB 0.22 crashes when a
    cached prepared COPY statement is executed a second time. Each COPY is
    prepared explicitly (`PreparedStatement`): `execute` on a query string
    first walks every parameter value in Python to key its statement cache
    (0.6 s for the 100k/300k graph), a cache a COPY never hits anyway.
    """
    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    timings: dict[str, float] = {}
    try:
        for statement in schema_statements():
            conn.execute(statement)
        with _gc_paused():
            for table, statement, params in _copy_statements(graph):
                began = time.monotonic()
                try:
                    conn.execute(ladybug.PreparedStatement(conn, statement, params), params)
                except RuntimeError as exc:
                    raise StoreError(f"could not load {table} into {path.name}: {exc}") from exc
                timings[table] = timings.get(table, 0.0) + time.monotonic() - began
        conn.execute("CHECKPOINT")
    finally:
        conn.close()
        db.close()
    for sidecar in (".wal", ".shadow"):
        if _sibling(path, sidecar).exists():
            raise StoreError(f"{path.name}{sidecar} survived the checkpoint; refusing to swap")
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
    return {"path": str(path), "copy_seconds": timings}


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Building the parameters allocates a few hundred thousand small lists
    and tuples; with the graph's own million objects alive, every collection
    the allocations trigger walks them all (measured: 3.5 s -> 2.2 s for the
    100k/300k graph without it). Nothing built here forms a cycle."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _copy_statements(graph: Graph) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(table, COPY statement, parameters), built lazily table by table."""
    by_label: dict[str, list[Node]] = {label: [] for label in NODE_LABELS}
    for node in graph.nodes:
        if node.label not in by_label:
            raise StoreError(f"node {node.key}: unknown label {node.label!r}")
        by_label[node.label].append(node)
    if len({(n.label, n.id) for n in graph.nodes}) != len(graph.nodes):
        seen: set[str] = set()
        for node in graph.nodes:
            if node.key in seen:
                raise StoreError(f"node {node.key} appears twice in the graph")
            seen.add(node.key)
    shapes = _relationship_shapes(graph.relationships)

    for label in NODE_LABELS:
        if by_label[label]:
            yield label, *_node_copy(label, by_label[label])
    for rel_type in RELATIONSHIP_TYPES:
        pairs = RELATIONSHIP_ENDS[rel_type]
        for start_label, end_label in pairs:
            shape = shapes.get((rel_type, start_label, end_label))
            if shape:
                options = f" (from='{start_label}', to='{end_label}')" if len(pairs) > 1 else ""
                yield rel_type, *_rel_copy(rel_type, *shape, options)


#: "actor" -> "Actor": the key prefix of each label (what parse_node_key matches)
_KEY_PREFIXES: dict[str, str] = {label.lower(): label for label in NODE_LABELS}

#: rels, start ids, end ids of one (type, start label, end label)
_Shape = tuple[list[Relationship], list[str], list[str]]


def _relationship_shapes(rels: list[Relationship]) -> dict[tuple[str, str, str], _Shape]:
    """Relationships grouped by (type, start label, end label), each key
    split once, every group checked against RELATIONSHIP_ENDS, no duplicate."""
    by_prefix: dict[tuple[str, str, str], _Shape] = {}
    for rel in rels:
        start_prefix, _, start_id = rel.start.partition(":")
        end_prefix, _, end_id = rel.end.partition(":")
        group = by_prefix.get((rel.type, start_prefix, end_prefix))
        if group is None:
            group = by_prefix[(rel.type, start_prefix, end_prefix)] = ([], [], [])
        group[0].append(rel)
        group[1].append(start_id)
        group[2].append(end_id)
    shapes: dict[tuple[str, str, str], _Shape] = {}
    for (rel_type, start_prefix, end_prefix), group in by_prefix.items():
        start_label = _KEY_PREFIXES.get(start_prefix)
        end_label = _KEY_PREFIXES.get(end_prefix)
        if (
            start_label is None
            or end_label is None
            or (start_label, end_label) not in RELATIONSHIP_ENDS.get(rel_type, ())
        ):
            _rel_ends(group[0][0])  # raises, naming the relationship
            raise StoreError(f"relationship {group[0][0].key}: bad ends")
        shapes[(rel_type, start_label, end_label)] = group  # type: ignore[index]
    if len({(r.type, r.start, r.end) for r in rels}) != len(rels):
        seen: set[tuple[str, str, str]] = set()
        for rel in rels:
            if rel.key in seen:
                raise StoreError(f"relationship {rel.key} appears twice in the graph")
            seen.add(rel.key)
    return shapes


def _rel_ends(rel: Relationship) -> tuple[str, str]:
    """(start label, end label) of an allowed relationship, else StoreError."""
    if rel.type not in RELATIONSHIP_ENDS:
        raise StoreError(f"relationship {rel.key}: unknown type {rel.type!r}")
    try:
        start_label, _ = parse_node_key(rel.start)
        end_label, _ = parse_node_key(rel.end)
    except ValueError as exc:
        raise StoreError(f"relationship {rel.key}: {exc}") from exc
    if (start_label, end_label) not in RELATIONSHIP_ENDS[rel.type]:
        raise StoreError(f"relationship {rel.key}: {rel.type} cannot go {start_label}->{end_label}")
    return start_label, end_label


def _node_copy(label: str, nodes: list[Node]) -> tuple[str, dict[str, Any]]:
    columns = _Columns([*NODE_COLUMNS[label], (EXTRA, STRING)])
    known = {name for name, _ in NODE_COLUMNS[label]}
    props = [node.properties for node in nodes]

    def where(i: int) -> str:
        return f"node {nodes[i].key}"

    for name, kind in NODE_COLUMNS[label]:
        if name == "id":  # the node's id wins over a stale "id" property
            columns.set(name, kind, [node.id for node in nodes], where)
        else:
            columns.set(name, kind, [p.get(name) for p in props], where)
    extra = [
        None if p.keys() <= known else _extra_json(p, known, where(i)) for i, p in enumerate(props)
    ]
    columns.set(EXTRA, STRING, extra, where)
    return columns.copy_statement(label)


def _rel_copy(
    rel_type: str,
    rels: list[Relationship],
    start_ids: list[str],
    end_ids: list[str],
    options: str,
) -> tuple[str, dict[str, Any]]:
    typed = rel_columns(rel_type)
    columns = _Columns([("_from", STRING), ("_to", STRING), *typed, (EXTRA, STRING)])
    known = {name for name, _ in typed}
    props = [rel.properties for rel in rels]

    def where(i: int) -> str:
        return f"relationship {rel_type} {rels[i].start}->{rels[i].end}"

    columns.set("_from", STRING, start_ids, where)
    columns.set("_to", STRING, end_ids, where)
    for name, kind in typed:
        columns.set(name, kind, [p.get(name) for p in props], where)
    extra = [
        None if p.keys() <= known else _extra_json(p, known, where(i)) for i, p in enumerate(props)
    ]
    columns.set(EXTRA, STRING, extra, where)
    return columns.copy_statement(rel_type, options)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
