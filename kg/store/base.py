"""The one interface both graph stores implement.

A store holds exactly one graph. `replace_graph` makes the stored graph equal
to the given one (upserting what is new or changed, deleting what is gone),
which is what makes re-runs idempotent and lets a removed article's facts
disappear. Every value reaches Cypher as a parameter; labels and relationship
types come only from `kg.model`'s fixed vocabulary.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from kg.model import Graph


@dataclass
class LoadReport:
    """What one `replace_graph` call changed."""

    nodes_written: int = 0
    nodes_deleted: int = 0
    relationships_written: int = 0
    relationships_deleted: int = 0
    seconds: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)


class GraphStore(ABC):
    """A place a `Graph` is loaded into and questions are asked of."""

    #: "neo4j" or "ladybug": picks a per-store variant of a prepared question
    dialect: str = ""

    #: where it is: a path or a URI without credentials, for messages
    target: str = ""

    @abstractmethod
    def ensure_schema(self) -> None:
        """Create constraints/tables and indexes if missing (idempotent)."""

    @abstractmethod
    def replace_graph(self, graph: Graph) -> LoadReport:
        """Make the stored graph equal to `graph`."""

    @abstractmethod
    def clear(self) -> None:
        """Delete every node and relationship (the schema stays)."""

    @abstractmethod
    def query(self, cypher: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Run read Cypher and return rows as dicts of plain Python values
        (str, int, float, bool, None, lists, dicts; nodes as property dicts)."""

    @abstractmethod
    def read_graph(self) -> Graph:
        """Read the whole stored graph back (export, eval, incremental builds)."""

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Nodes per label and relationships per type."""
        graph = self.read_graph()
        return graph.node_counts(), graph.relationship_counts()

    @abstractmethod
    def close(self) -> None:
        """Release the connection or the file lock."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
