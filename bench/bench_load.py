"""Loader benchmark: kg's `replace_graph` against a naive per-row MERGE loader.

    python bench/bench_load.py                          # both stores, scale 1.0
    python bench/bench_load.py --scale 0.1 --repeats 1  # a quick look
    python bench/bench_load.py --stores ladybug         # no Neo4j needed

What is measured, on each store, in the same run (so every ratio compares
figures taken under the same load on a shared machine):

- kg's way: a fresh `replace_graph` of the whole synthetic graph
  (`bench/synthetic_graph.py`, 100,000 nodes and 300,000 relationships at
  scale 1.0) into an empty store, then a second, idempotent `replace_graph`
  of the same graph.
- the naive way: one parameterised MERGE per node and one per relationship,
  each its own transaction (auto-commit `session.run` on Neo4j, one
  `conn.execute` per row on LadybugDB). Over 400,000 rows that would take
  far too long, so it runs on a closed sample: the first `--naive-rels`
  relationships and the nodes they need, into an empty store. kg's way runs
  on the same sample too, for a like-for-like figure.
- Neo4j only: a fresh full load at each `--batch-sizes` value.

Every measurement is repeated `--repeats` times (interleaved, so noise from
other work hits both loaders) and every run is reported; ratios use the mean
rows/s. Timing is wall clock around the call only: generating the graph and
clearing the store between runs are not counted. Nothing here asserts a time.

Neo4j: `NEO4J_URI` / `NEO4J_USERNAME` / `NEO4J_PASSWORD` when set (the
database must be empty: the benchmark clears it between runs, and refuses to
start on a non-empty one unless `--clear-existing`), else a private server
started with `tests/neo4j_server.py` and removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

import ladybug  # noqa: E402
import neo4j  # noqa: E402
from synthetic_graph import graph_digest, make_graph, sample  # noqa: E402

from kg.model import NODE_LABELS, RELATIONSHIP_TYPES, Graph, parse_node_key  # noqa: E402
from kg.store.ladybug import LadybugStore, schema_statements  # noqa: E402
from kg.store.neo4j import DEFAULT_BATCH_SIZE, Neo4jStore  # noqa: E402


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def rows(graph: Graph) -> int:
    return len(graph.nodes) + len(graph.relationships)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = fn()
    return time.perf_counter() - began, result


def figure(seconds: float, row_count: int, **more: Any) -> dict[str, Any]:
    return {"seconds": round(seconds, 3), "rows_per_s": round(row_count / seconds, 1), **more}


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """All runs plus the mean rows/s the ratios use."""
    return {
        "runs": runs,
        "mean_rows_per_s": round(statistics.mean(r["rows_per_s"] for r in runs), 1),
        "rows": runs[0]["rows"],
    }


def ratio(kg: dict[str, Any], naive: dict[str, Any]) -> dict[str, float]:
    """kg/naive on the means, and the worst case (slowest kg run / fastest naive run)."""
    worst = min(r["rows_per_s"] for r in kg["runs"]) / max(r["rows_per_s"] for r in naive["runs"])
    return {
        "mean": round(kg["mean_rows_per_s"] / naive["mean_rows_per_s"], 1),
        "worst": round(worst, 1),
    }


def warmup_graph(small: Graph) -> Graph:
    """A tenth of the sample: enough to plan and JIT every statement once."""
    return sample(small, max(1, len(small.relationships) // 10))


def checked_label(label: str) -> str:
    if label not in NODE_LABELS:
        raise ValueError(f"not a contract label: {label!r}")
    return f"`{label}`"


def checked_type(rel_type: str) -> str:
    if rel_type not in RELATIONSHIP_TYPES:
        raise ValueError(f"not a contract relationship type: {rel_type!r}")
    return f"`{rel_type}`"


# -- LadybugDB ------------------------------------------------------------------------------


def remove_db(path: Path) -> None:
    for candidate in path.parent.glob(path.name + "*"):
        if candidate.is_dir():
            shutil.rmtree(candidate)
        else:
            candidate.unlink()


def ladybug_kg(graph: Graph, path: Path, idempotent: bool) -> dict[str, Any]:
    """Fresh replace_graph into an empty store (and optionally a second one)."""
    remove_db(path)
    store = LadybugStore.open(path)
    try:
        seconds, report = timed(lambda: store.replace_graph(graph))
        nodes, rels = store.counts()
        if sum(nodes.values()) != len(graph.nodes) or sum(rels.values()) != len(
            graph.relationships
        ):
            raise RuntimeError(f"LadybugDB holds {nodes} / {rels} after the load")
        out = {"fresh": figure(seconds, rows(graph), rows=rows(graph))}
        if idempotent:
            seconds, again = timed(lambda: store.replace_graph(graph))
            out["again"] = figure(
                seconds,
                rows(graph),
                rows=rows(graph),
                deleted=again.nodes_deleted + again.relationships_deleted,
            )
        out["copy_seconds"] = {k: round(v, 3) for k, v in report.details["copy_seconds"].items()}
    finally:
        store.close()
        remove_db(path)
    return out


def ladybug_naive(graph: Graph, path: Path) -> dict[str, Any]:
    """One MERGE per row, one conn.execute (= one auto-commit transaction) each."""
    remove_db(path)
    db = ladybug.Database(str(path))
    conn = ladybug.Connection(db)
    try:
        for statement in schema_statements():
            conn.execute(statement)

        def load() -> None:
            for node in graph.nodes:
                props = {k: v for k, v in node.properties.items() if k != "id" and v is not None}
                sets = ", ".join(f"n.`{k}` = $p_{k}" for k in props)
                conn.execute(
                    f"MERGE (n:{checked_label(node.label)} {{id: $id}}) SET {sets}",
                    {"id": node.id, **{f"p_{k}": v for k, v in props.items()}},
                )
            for rel in graph.relationships:
                a_label, a_id = parse_node_key(rel.start)
                b_label, b_id = parse_node_key(rel.end)
                props = {k: v for k, v in rel.properties.items() if v is not None}
                sets = ", ".join(f"r.`{k}` = $p_{k}" for k in props)
                conn.execute(
                    f"MATCH (a:{checked_label(a_label)} {{id: $src}}), "
                    f"(b:{checked_label(b_label)} {{id: $dst}}) "
                    f"MERGE (a)-[r:{checked_type(rel.type)}]->(b) SET {sets}",
                    {"src": a_id, "dst": b_id, **{f"p_{k}": v for k, v in props.items()}},
                )

        seconds, _ = timed(load)
        result = conn.execute("MATCH ()-[r]->() RETURN count(r)")
        stored = result.get_next()[0]
        if stored != len(graph.relationships):
            raise RuntimeError(f"naive LadybugDB load stored {stored} relationships")
    finally:
        conn.close()
        db.close()
        remove_db(path)
    return figure(seconds, rows(graph), rows=rows(graph))


def bench_ladybug(graph: Graph, small: Graph, repeats: int, workdir: Path) -> dict[str, Any]:
    path = workdir / "bench.lbdb"
    log("ladybug warm-up (untimed): both loaders on part of the sample")
    ladybug_naive(warmup_graph(small), path)
    ladybug_kg(small, path, idempotent=True)
    full, same, naive = [], [], []
    for rep in range(repeats):
        log(f"ladybug run {rep + 1}/{repeats}: naive sample ({rows(small)} rows)")
        naive.append(ladybug_naive(small, path))
        log(f"ladybug run {rep + 1}/{repeats}: kg sample")
        same.append(ladybug_kg(small, path, idempotent=False)["fresh"])
        log(f"ladybug run {rep + 1}/{repeats}: kg full graph ({rows(graph)} rows)")
        full.append(ladybug_kg(graph, path, idempotent=True))
        log(f"  fresh {full[-1]['fresh']['seconds']}s, again {full[-1]['again']['seconds']}s")
    out = {
        "naive_sample": summary(naive),
        "kg_sample": summary(same),
        "kg_full_fresh": summary([r["fresh"] for r in full]),
        "kg_full_again": summary([r["again"] for r in full]),
        "copy_seconds_per_table": [r["copy_seconds"] for r in full],
    }
    out["ratio_full_vs_naive"] = ratio(out["kg_full_fresh"], out["naive_sample"])
    out["ratio_sample_vs_naive"] = ratio(out["kg_sample"], out["naive_sample"])
    return out


# -- Neo4j --------------------------------------------------------------------------------


class PhaseTimedNeo4jStore(Neo4jStore):
    """Neo4jStore that also adds up the wall time of its write statements per
    phase (node upsert / node delete / relationship upsert / relationship
    delete): where the load time goes, for tuning. Only wraps the store's
    private `_write` when it has one; the driver is untouched."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.phase_seconds: dict[str, float] = {}

    def _write(self, session: Any, cypher: str, **params: Any) -> Any:
        began = time.perf_counter()
        try:
            return super()._write(session, cypher, **params)  # type: ignore[misc]
        finally:
            phase = (
                "delete_nodes"
                if "DETACH DELETE" in cypher
                else "delete_relationships"
                if "DELETE" in cypher
                else "upsert_relationships"
                if "]->" in cypher
                else "upsert_nodes"
            )
            spent = time.perf_counter() - began
            self.phase_seconds[phase] = self.phase_seconds.get(phase, 0.0) + spent


def neo4j_count(driver: neo4j.Driver) -> tuple[int, int]:
    records, _, _ = driver.execute_query(
        "CALL () { MATCH (n) RETURN count(n) AS n } "
        "CALL () { MATCH ()-[r]->() RETURN count(r) AS r } RETURN n, r"
    )
    return records[0]["n"], records[0]["r"]


def neo4j_empty(store: Neo4jStore, driver: neo4j.Driver) -> None:
    store.clear()
    if neo4j_count(driver) != (0, 0):
        raise RuntimeError("Neo4j is not empty after clear()")


def neo4j_naive(driver: neo4j.Driver, graph: Graph) -> dict[str, Any]:
    """One auto-commit MERGE per row (session.run), with parameters."""

    def load() -> None:
        with driver.session() as session:
            for node in graph.nodes:
                session.run(
                    f"MERGE (n:{checked_label(node.label)} {{id: $id}}) SET n += $props",
                    {"id": node.id, "props": node.properties},
                ).consume()
            for rel in graph.relationships:
                a_label, a_id = parse_node_key(rel.start)
                b_label, b_id = parse_node_key(rel.end)
                session.run(
                    f"MATCH (a:{checked_label(a_label)} {{id: $start}}) "
                    f"MATCH (b:{checked_label(b_label)} {{id: $end}}) "
                    f"MERGE (a)-[r:{checked_type(rel.type)}]->(b) SET r += $props",
                    {"start": a_id, "end": b_id, "props": rel.properties},
                ).consume()

    seconds, _ = timed(load)
    if neo4j_count(driver) != (len(graph.nodes), len(graph.relationships)):
        raise RuntimeError(f"naive Neo4j load stored {neo4j_count(driver)}")
    return figure(seconds, rows(graph), rows=rows(graph))


def take_phases(store: Neo4jStore) -> dict[str, float] | None:
    phases = getattr(store, "phase_seconds", None)
    if phases is None:
        return None
    out = {k: round(v, 2) for k, v in sorted(phases.items())}
    phases.clear()
    return out


def neo4j_kg(
    store: Neo4jStore, driver: neo4j.Driver, graph: Graph, idempotent: bool
) -> dict[str, Any]:
    take_phases(store)
    seconds, report = timed(lambda: store.replace_graph(graph))
    phases = take_phases(store)
    if neo4j_count(driver) != (len(graph.nodes), len(graph.relationships)):
        raise RuntimeError(f"Neo4j holds {neo4j_count(driver)} after the load")
    out = {
        "fresh": figure(
            seconds,
            rows(graph),
            rows=rows(graph),
            batch_size=store.batch_size,
            transactions=report.details.get("transactions"),
            phase_seconds=phases,
        )
    }
    if idempotent:
        seconds, again = timed(lambda: store.replace_graph(graph))
        out["again"] = figure(
            seconds,
            rows(graph),
            rows=rows(graph),
            deleted=again.nodes_deleted + again.relationships_deleted,
            phase_seconds=take_phases(store),
        )
    return out


def bench_neo4j(
    graph: Graph, small: Graph, repeats: int, batch_sizes: list[int], conn: dict[str, Any]
) -> dict[str, Any]:
    driver = neo4j.GraphDatabase.driver(
        conn["uri"], auth=(conn["user"], conn["password"]), notifications_min_severity="OFF"
    )
    store = PhaseTimedNeo4jStore.connect(conn["uri"], conn["user"], conn["password"])
    try:
        server = driver.get_server_info()
        store.ensure_schema()
        if neo4j_count(driver) != (0, 0) and not conn["clear_existing"]:
            raise SystemExit(f"{store.target} is not empty; pass --clear-existing to wipe it")
        log("neo4j warm-up (untimed): both loaders on part of the sample")
        neo4j_empty(store, driver)
        neo4j_naive(driver, warmup_graph(small))
        neo4j_empty(store, driver)
        neo4j_kg(store, driver, small, idempotent=True)
        full, same, naive = [], [], []
        for rep in range(repeats):
            neo4j_empty(store, driver)
            log(f"neo4j run {rep + 1}/{repeats}: naive sample ({rows(small)} rows)")
            naive.append(neo4j_naive(driver, small))
            log(f"  naive {naive[-1]['seconds']}s")
            neo4j_empty(store, driver)
            log(f"neo4j run {rep + 1}/{repeats}: kg sample")
            same.append(neo4j_kg(store, driver, small, idempotent=False)["fresh"])
            neo4j_empty(store, driver)
            log(f"neo4j run {rep + 1}/{repeats}: kg full graph ({rows(graph)} rows)")
            full.append(neo4j_kg(store, driver, graph, idempotent=True))
            log(f"  fresh {full[-1]['fresh']['seconds']}s, again {full[-1]['again']['seconds']}s")
        out: dict[str, Any] = {
            "server": f"{server.agent} protocol {server.protocol_version}",
            "default_batch_size": DEFAULT_BATCH_SIZE,
            "naive_sample": summary(naive),
            "kg_sample": summary(same),
            "kg_full_fresh": summary([r["fresh"] for r in full]),
            "kg_full_again": summary([r["again"] for r in full]),
        }
        out["ratio_full_vs_naive"] = ratio(out["kg_full_fresh"], out["naive_sample"])
        out["ratio_sample_vs_naive"] = ratio(out["kg_sample"], out["naive_sample"])
        out["batch_sizes"] = bench_batch_sizes(store, driver, graph, repeats, batch_sizes, conn)
        neo4j_empty(store, driver)
        return out
    finally:
        store.close()
        driver.close()


def bench_batch_sizes(
    store: Neo4jStore,
    driver: neo4j.Driver,
    graph: Graph,
    repeats: int,
    batch_sizes: list[int],
    conn: dict[str, Any],
) -> dict[str, Any]:
    """Fresh full loads per batch size, interleaved across repeats."""
    runs: dict[int, list[dict[str, Any]]] = {size: [] for size in batch_sizes}
    for rep in range(repeats):
        for size in batch_sizes:
            sized = PhaseTimedNeo4jStore.connect(
                conn["uri"], conn["user"], conn["password"], batch_size=size
            )
            try:
                neo4j_empty(store, driver)
                log(f"neo4j batch_size {size} run {rep + 1}/{repeats}")
                runs[size].append(neo4j_kg(sized, driver, graph, idempotent=False)["fresh"])
                log(f"  {runs[size][-1]['seconds']}s")
            finally:
                sized.close()
    return {str(size): summary(r) for size, r in runs.items()}


def neo4j_connection(args: argparse.Namespace) -> tuple[dict[str, Any], Any]:
    """Env credentials when NEO4J_URI is set, else a private server (returned to stop)."""
    if os.environ.get("NEO4J_URI"):
        conn = {
            "uri": os.environ["NEO4J_URI"],
            "user": os.environ.get("NEO4J_USERNAME", "neo4j"),
            "password": os.environ.get("NEO4J_PASSWORD", ""),
        }
        return {**conn, "clear_existing": args.clear_existing, "source": "environment"}, None
    from neo4j_server import start_server  # noqa: PLC0415 - only without NEO4J_URI

    log(f"starting Neo4j (heap {args.heap}, page cache {args.pagecache})")
    server = start_server(heap=args.heap, pagecache=args.pagecache)
    conn = {"uri": server.uri, "user": server.user, "password": server.password}
    source = f"tests/neo4j_server.py, heap {args.heap}, page cache {args.pagecache}"
    return {**conn, "clear_existing": False, "source": source}, server


# -- the run ------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    total_kb = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    return {
        "nproc": os.cpu_count(),
        "ram_gib": round(total_kb / 2**20, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "ladybug": ladybug.__version__,
        "neo4j_driver": neo4j.__version__,
        "loadavg_start": os.getloadavg(),
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = 100k nodes, 300k rels")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--naive-rels", type=int, default=2000, help="naive sample size")
    parser.add_argument("--stores", default="ladybug,neo4j")
    parser.add_argument("--batch-sizes", default="500,1000,2000,10000", help="'' to skip")
    parser.add_argument("--heap", default="2g", help="heap of the private Neo4j")
    parser.add_argument("--pagecache", default="1g", help="page cache of the private Neo4j")
    parser.add_argument("--clear-existing", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the result here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    batch_sizes = [int(s) for s in args.batch_sizes.split(",") if s.strip()]
    result: dict[str, Any] = {"command": " ".join(["python", *sys.argv]), "machine": machine()}
    log(f"generating the graph at scale {args.scale}")
    seconds, graph = timed(lambda: make_graph(args.scale, args.seed))
    small = sample(graph, args.naive_rels)
    result["graph"] = {
        "scale": args.scale,
        "seed": args.seed,
        "nodes": len(graph.nodes),
        "relationships": len(graph.relationships),
        "digest": graph_digest(graph),
        "generate_seconds": round(seconds, 2),
        "naive_sample": {"nodes": len(small.nodes), "relationships": len(small.relationships)},
    }
    server = None
    workdir = Path(tempfile.mkdtemp(prefix="kg-bench-load-"))
    try:
        if "neo4j" in stores:
            conn, server = neo4j_connection(args)
            result["neo4j_source"] = conn["source"]
        if "ladybug" in stores:
            result["ladybug"] = bench_ladybug(graph, small, args.repeats, workdir)
        if "neo4j" in stores:
            result["neo4j"] = bench_neo4j(graph, small, args.repeats, batch_sizes, conn)
    finally:
        if server is not None:
            log("stopping Neo4j")
            server.cleanup()
        shutil.rmtree(workdir, ignore_errors=True)
    result["machine"]["loadavg_end"] = os.getloadavg()
    result["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    text = json.dumps(result, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
