"""The dataclasses every stage speaks.

Data flows one way: ingest makes `Article`s, extract turns each into an
`Extraction` (local mentions, events and facts keyed inside the article),
resolve turns all extractions into one `Graph` of `Node`s and `Relationship`s
with stable ids, and a store loads that graph. Stages import this module and
`kg.errors`, never each other.

The labels, relationship types and property names follow
`GRAPH_CONTRACT.md`; they are listed here once so that no other module (and
never a Cypher string) spells a label from data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# -- the contract's fixed vocabulary -------------------------------------------------

NODE_LABELS: tuple[str, ...] = ("Article", "Actor", "Venue", "Meeting", "Ceasefire")
RELATIONSHIP_TYPES: tuple[str, ...] = (
    "ATTENDED",
    "BOYCOTTED",
    "MEDIATED",
    "HELD_IN",
    "BROKERED",
    "VIOLATED",
    "DISCUSSED_AT",
    "REPRESENTS",
    "SUPPORTS",
    "MENTIONED_IN",
)
# (type) -> allowed (start label, end label) pairs
RELATIONSHIP_ENDS: dict[str, tuple[tuple[str, str], ...]] = {
    "ATTENDED": (("Actor", "Meeting"),),
    "BOYCOTTED": (("Actor", "Meeting"),),
    "MEDIATED": (("Actor", "Meeting"),),
    "HELD_IN": (("Meeting", "Venue"),),
    "BROKERED": (("Actor", "Ceasefire"),),
    "VIOLATED": (("Actor", "Ceasefire"),),
    "DISCUSSED_AT": (("Ceasefire", "Meeting"),),
    "REPRESENTS": (("Actor", "Actor"),),
    "SUPPORTS": (("Actor", "Actor"),),
    "MENTIONED_IN": tuple(
        (label, "Article") for label in ("Actor", "Venue", "Meeting", "Ceasefire")
    ),
}
ACTOR_KINDS: tuple[str, ...] = ("person", "organization", "country", "group")
MEETING_KINDS: tuple[str, ...] = ("talks", "summit", "conference", "call", "meeting")
MEETING_STATUSES: tuple[str, ...] = ("held", "planned", "cancelled", "unknown")
CEASEFIRE_STATUSES: tuple[str, ...] = ("agreed", "proposed", "in_force", "collapsed", "unknown")

# At most this many supporting sentences are kept on one relationship.
MAX_EVIDENCE = 5


# -- ingest --------------------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    """One readable input file, cleaned. `id` is the file name without extension."""

    id: str
    title: str
    path: str
    sha256: str  # of the raw file bytes: the cache key and the change detector
    text: str  # clean body text, title not included
    url: str | None = None
    published: str | None = None  # ISO date YYYY-MM-DD, None when unknown
    source: str | None = None
    word_count: int = 0


@dataclass(frozen=True)
class SkippedFile:
    """A file ingest could not use, with a one-line reason for the user."""

    path: str
    reason: str


# -- extract -------------------------------------------------------------------------


@dataclass
class Mention:
    """One surface form of an actor or a venue in one article.

    `key` is unique inside its article (e.g. "m3"); facts point at it.
    Character offsets are into `Article.text`.
    """

    key: str
    label: str  # "Actor" or "Venue"
    text: str  # the surface form exactly as written (title/role stripped)
    start: int
    end: int
    sentence: str
    kind: str | None = None  # Actor: one of ACTOR_KINDS
    role: str | None = None  # "Russian envoy", "foreign minister"
    ner_label: str | None = None  # what spaCy said, for the resolver's benefit
    country: str | None = None  # Venue: the state it lies in, when known


@dataclass
class Event:
    """A meeting or a ceasefire as one article reports it (already one per
    real event inside the article). `key` is unique inside the article."""

    key: str
    label: str  # "Meeting" or "Ceasefire"
    name: str
    sentence: str  # the first sentence that reports it
    mentions: int = 1  # how many times the article refers to it
    kind: str | None = None  # Meeting: one of MEETING_KINDS
    status: str = "unknown"
    start_date: str | None = None  # Meeting, ISO
    end_date: str | None = None  # Meeting, ISO
    date: str | None = None  # Ceasefire, ISO
    round: int | None = None
    series: str | None = None  # "Astana talks"
    venue_key: str | None = None  # key of the Venue mention where it is held
    scope: str | None = None  # Ceasefire


@dataclass
class Fact:
    """A relationship one sentence of one article supports, between two local
    keys (mention or event keys of the same article)."""

    type: str  # one of RELATIONSHIP_TYPES except MENTIONED_IN
    start: str
    end: str
    sentence: str
    alleged: bool = False


@dataclass
class Extraction:
    """Everything the extract stage read in one article."""

    article: Article
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)


# -- resolve / load ------------------------------------------------------------------


@dataclass
class Node:
    """A graph node. `properties` holds every contract property, `id` and
    `name` included; `key` ("actor:sergey-lavrov") is unique across labels."""

    label: str
    id: str
    properties: dict[str, Any]

    @property
    def key(self) -> str:
        return f"{self.label.lower()}:{self.id}"

    @property
    def name(self) -> str:
        return str(self.properties.get("name", self.id))


@dataclass
class Relationship:
    """A graph relationship between two node keys (see `Node.key`)."""

    type: str
    start: str
    end: str
    properties: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.type, self.start, self.end)


@dataclass
class MergeReason:
    """Why the resolver put two surface forms into one cluster (or kept them
    apart, when `merged` is False): shown by `kg explain`."""

    label: str
    left: str
    right: str
    rule: str
    score: float
    merged: bool = True


@dataclass
class Graph:
    """The whole graph a build produces: a pure function of the articles."""

    nodes: list[Node] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    reasons: list[MergeReason] = field(default_factory=list)

    def node_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for node in self.nodes:
            counts[node.label] = counts.get(node.label, 0) + 1
        return counts

    def relationship_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for rel in self.relationships:
            counts[rel.type] = counts.get(rel.type, 0) + 1
        return counts


def parse_node_key(key: str) -> tuple[str, str]:
    """Split "actor:sergey-lavrov" into ("Actor", "sergey-lavrov")."""
    prefix, _, node_id = key.partition(":")
    for label in NODE_LABELS:
        if label.lower() == prefix:
            return label, node_id
    raise ValueError(f"not a node key: {key!r}")
