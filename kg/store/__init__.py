"""Graph stores: Neo4j through the official driver, or embedded LadybugDB.

`open_store` is the one place a `--db` target becomes a store, so the CLI,
the pipeline and library users agree on what a target means.
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.store.base import GraphStore, LoadReport

DEFAULT_EMBEDDED_PATH = Path(".kg") / "graph.lbdb"
BOLT_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")

__all__ = [
    "GraphStore",
    "LoadReport",
    "open_store",
    "resolve_target",
    "is_neo4j_target",
    "display_target",
]


def resolve_target(target: str | None) -> str:
    """`--db` if given, else `NEO4J_URI`, else the default embedded path."""
    if target:
        return target
    return os.environ.get("NEO4J_URI") or str(DEFAULT_EMBEDDED_PATH)


def is_neo4j_target(target: str) -> bool:
    return target.lower().startswith(BOLT_SCHEMES)


def display_target(target: str) -> str:
    """A target fit for messages: a URI loses any user:password part."""
    scheme, sep, rest = target.partition("://")
    if sep and "@" in rest.split("/", 1)[0]:
        rest = rest.split("@", 1)[1]
    return f"{scheme}{sep}{rest}" if sep else target


def open_store(target: str | None = None, read_only: bool = False) -> GraphStore:
    """Open (and for Neo4j, connect to) the store a target names.

    Neo4j credentials come from the Neo4j conventions `NEO4J_USERNAME`,
    `NEO4J_PASSWORD` and `NEO4J_DATABASE`, never from the command line, so
    they stay out of shell history and process lists. `read_only` lets
    `ask`, `stats` and `export` read an embedded store while a build holds
    its write lock.
    """
    target = resolve_target(target)
    if is_neo4j_target(target):
        from kg.store.neo4j import Neo4jStore

        return Neo4jStore.connect(
            target,
            user=os.environ.get("NEO4J_USERNAME", "neo4j"),
            password=os.environ.get("NEO4J_PASSWORD"),
            database=os.environ.get("NEO4J_DATABASE") or None,
        )
    from kg.store.ladybug import LadybugStore

    return LadybugStore.open(target, read_only=read_only)
