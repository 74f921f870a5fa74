"""`kg explain NAME`: why a name ended up in the node it is in.

The resolver records every merge and every near-miss as a `MergeReason` in
`Graph.reasons` (saved beside the store by the pipeline); this module finds
the node a name belongs to and lists its members, the reasons that joined
them and the near-misses kept apart, so a user can see (and then steer with
the aliases file) each decision.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from kg.errors import QueryError
from kg.model import Graph, MergeReason, Node
from kg.resolve.names import normalize

_LABELS = ("Actor", "Venue", "Meeting", "Ceasefire")


@dataclass
class Explanation:
    """The cluster a name ended in, and why."""

    query: str
    label: str
    node_id: str
    name: str
    kind: str | None
    members: list[str]
    merges: list[MergeReason] = field(default_factory=list)
    near_misses: list[MergeReason] = field(default_factory=list)
    other_nodes: list[str] = field(default_factory=list)  # other node keys with this alias


def explain(graph: Graph, name: str) -> Explanation:
    """Explain the node `name` (a canonical name, an alias or an id) is in.

    Raises QueryError when no node carries that name."""
    wanted = normalize(name)
    matches = sorted(
        (_match_rank(node, wanted, name), node.key, node)
        for node in graph.nodes
        if node.label in _LABELS and _match_rank(node, wanted, name)[0] < 3
    )
    if not matches:
        raise QueryError(f"no actor, venue, meeting or ceasefire is named {name!r}")
    node = matches[0][2]
    members = _members(node)
    member_set = set(members)
    merges, near = [], []
    for reason in map(_as_reason, graph.reasons):
        if reason.label != node.label:
            continue
        if reason.merged and _joins(reason, member_set, "aliases" in node.properties):
            merges.append(reason)
        elif not reason.merged and (reason.left in member_set or reason.right in member_set):
            near.append(reason)
    return Explanation(
        query=name,
        label=node.label,
        node_id=node.id,
        name=node.name,
        kind=node.properties.get("kind"),
        members=members,
        merges=merges,
        near_misses=near,
        other_nodes=[key for _, key, _ in matches[1:]],
    )


def _joins(reason: MergeReason, members: set[str], has_aliases: bool) -> bool:
    """A merge belongs to a node when both forms are its aliases; meetings
    and ceasefires keep no aliases, so one side naming the node suffices."""
    inside = (reason.left in members) + (reason.right in members)
    return inside == 2 or (not has_aliases and inside == 1)


def _as_reason(reason: MergeReason | dict) -> MergeReason:
    """Reasons read back from the JSON file beside the store are dicts."""
    if isinstance(reason, MergeReason):
        return reason
    return MergeReason(
        label=str(reason.get("label", "")),
        left=str(reason.get("left", "")),
        right=str(reason.get("right", "")),
        rule=str(reason.get("rule", "")),
        score=float(reason.get("score", 0.0)),
        merged=bool(reason.get("merged", True)),
    )


def explanation_to_dict(e: Explanation) -> dict:
    """JSON-ready form (`kg explain --json`)."""
    return {
        "query": e.query,
        "label": e.label,
        "id": e.node_id,
        "key": f"{e.label.lower()}:{e.node_id}",
        "name": e.name,
        "kind": e.kind,
        "members": e.members,
        "merges": [asdict(r) for r in e.merges],
        "near_misses": [asdict(r) for r in e.near_misses],
        "other_nodes": e.other_nodes,
    }


def _members(node: Node) -> list[str]:
    aliases = node.properties.get("aliases")
    return list(aliases) if aliases else [node.name]


def _match_rank(node: Node, wanted: str, raw: str) -> tuple[int, int]:
    """0: canonical name or id, 1: an alias, 2: alias ignoring case only; 3: none.
    Ties go to the bigger cluster."""
    size = -len(_members(node))
    if normalize(node.name) == wanted or node.id == raw:
        return (0, size)
    if any(normalize(a) == wanted for a in _members(node)):
        return (1, size)
    return (3, size)


def render_explanation(e: Explanation) -> Group:
    """A rich renderable (what `kg explain` prints): a header, the members,
    the merges and the near-misses."""
    header = Text.assemble(
        (f"{e.name}", "bold"),
        f"  [{e.label}{' / ' + e.kind if e.kind else ''}]  id ",
        (f"{e.label.lower()}:{e.node_id}", "cyan"),
    )
    parts: list = [header, Text("Members: " + ", ".join(e.members))]
    parts.append(_reason_table("Merged because", e.merges, "green"))
    parts.append(_reason_table("Near-misses kept apart", e.near_misses, "yellow"))
    if e.other_nodes:
        parts.append(Text("Also carrying this name: " + ", ".join(e.other_nodes), "dim"))
    return Group(*parts)


def _reason_table(title: str, reasons: list[MergeReason], style: str) -> Table | Text:
    if not reasons:
        return Text(f"{title}: none", "dim")
    table = Table(title=title, title_style=f"bold {style}", show_lines=False)
    for column in ("form", "form", "rule", "score"):
        table.add_column(column)
    for r in sorted(reasons, key=lambda r: (-r.score, r.left, r.right, r.rule)):
        table.add_row(Text(r.left), Text(r.right), Text(r.rule), f"{r.score:.2f}")
    return table


def explanation_text(e: Explanation, width: int = 100) -> str:
    """The explanation as plain text."""
    console = Console(width=width, record=True, color_system=None, file=_Null())
    console.print(render_explanation(e))
    return console.export_text()


class _Null:
    """A write-only sink: the console records, nothing reaches stdout."""

    def write(self, _: str) -> int:
        return 0

    def flush(self) -> None:
        return None
