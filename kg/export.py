"""`kg export`: the graph as APOC-style JSON Lines (see GRAPH_CONTRACT.md).

The shape follows `apoc.export.json` so that `apoc.import.json` and other
tools read it; node ids are the label-qualified keys ("actor:sergey-lavrov")
because plain ids are unique per label only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO

from kg.model import Graph, parse_node_key


def export_lines(graph: Graph) -> Iterator[str]:
    """One JSON object per node, then per relationship, in a stable order so
    that two exports of the same graph are byte-identical."""
    for node in sorted(graph.nodes, key=lambda n: n.key):
        yield _dumps(
            {
                "type": "node",
                "id": node.key,
                "labels": [node.label],
                "properties": node.properties,
            }
        )
    relationships = sorted(graph.relationships, key=lambda r: r.key)
    for number, rel in enumerate(relationships, start=1):
        start_label, _ = parse_node_key(rel.start)
        end_label, _ = parse_node_key(rel.end)
        yield _dumps(
            {
                "type": "relationship",
                "id": f"r{number}",
                "label": rel.type,
                "start": {"id": rel.start, "labels": [start_label]},
                "end": {"id": rel.end, "labels": [end_label]},
                "properties": rel.properties,
            }
        )


def write_export(graph: Graph, out: IO[str]) -> int:
    """Write the export to an open text stream; return the number of lines."""
    count = 0
    for line in export_lines(graph):
        out.write(line + "\n")
        count += 1
    return count


def _dumps(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str)
