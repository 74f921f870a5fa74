"""A large, contract-shaped synthetic `kg.model.Graph` for load benchmarks.

Why synthetic: the corpus yields a few hundred rows, far too few to tell a
batched loader from a naive one, and a benchmark must not depend on the NLP
stages. The graph mimics what the resolver emits for a big news collection:
mostly Actor / Meeting / Article nodes, every label and relationship type of
the contract between the ends `kg.model.RELATIONSHIP_ENDS` allows, aliases
and roles lists on actors, sources and evidence lists on facts, `count` on
MENTIONED_IN, and a skewed popularity (a few actors and articles are linked
far more often than the rest, as envoys and big states are in real news).

Deterministic: the same (scale, seed) gives the same graph in every process
(`graph_digest` proves it); no set is ever iterated.

    python bench/synthetic_graph.py --scale 0.1      # prints counts and digest
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.model import (  # noqa: E402
    ACTOR_KINDS,
    CEASEFIRE_STATUSES,
    MEETING_KINDS,
    MEETING_STATUSES,
    RELATIONSHIP_ENDS,
    Graph,
    Node,
    Relationship,
)

#: nodes per label at scale 1.0 (100,000 in all)
NODE_MIX: dict[str, int] = {
    "Actor": 45_000,
    "Meeting": 25_000,
    "Article": 20_000,
    "Venue": 5_000,
    "Ceasefire": 5_000,
}
#: relationships per type at scale 1.0 (300,000 in all)
REL_MIX: dict[str, int] = {
    "MENTIONED_IN": 150_000,
    "ATTENDED": 70_000,
    "HELD_IN": 25_000,
    "MEDIATED": 15_000,
    "BROKERED": 8_000,
    "REPRESENTS": 8_000,
    "VIOLATED": 7_000,
    "SUPPORTS": 7_000,
    "BOYCOTTED": 5_000,
    "DISCUSSED_AT": 5_000,
}
#: which label a MENTIONED_IN starts from, and how often
MENTION_STARTS: tuple[tuple[str, float], ...] = (
    ("Actor", 0.6),
    ("Meeting", 0.25),
    ("Venue", 0.1),
    ("Ceasefire", 0.05),
)

SYLLABLES = (
    "ba", "sha", "ra", "ja", "fa", "ri", "lav", "rov", "ser", "gey", "mir", "zar", "ka",
    "mal", "di", "nov", "ale", "xan", "der", "kin", "ha", "fez", "mus", "ta", "ol", "ga",
    "ev", "an", "to", "ni", "os", "el", "ma", "ko", "vich", "en", "ber", "tin", "sa", "lem",
)  # fmt: skip
ROLES = (
    "special envoy",
    "foreign minister",
    "chief negotiator",
    "spokesman",
    "president",
    "ambassador",
    "deputy foreign minister",
    "commander",
    "UN envoy",
    "delegation head",
)
SOURCES = ("Example Wire", "Daily Ledger", "Global Desk", "Evening Post", "Field Report")
VERBS = {
    "ATTENDED": "took part in",
    "BOYCOTTED": "stayed away from",
    "MEDIATED": "mediated",
    "HELD_IN": "was held in",
    "BROKERED": "brokered",
    "VIOLATED": "was accused of violating",
    "DISCUSSED_AT": "was on the agenda of",
    "REPRESENTS": "spoke for",
    "SUPPORTS": "backed",
}


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _slug(text: str, n: int) -> str:
    return f"{'-'.join(text.lower().split())}-{n}"


def _skewed(rng: random.Random, size: int) -> int:
    """An index in [0, size) with a heavy head: u**3 puts ~46% in the first tenth."""
    return min(size - 1, int(size * rng.random() ** 3))


def _date(rng: random.Random) -> str:
    return f"{rng.randint(2011, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _actor(rng: random.Random, n: int) -> Node:
    kind = rng.choices(ACTOR_KINDS, weights=(6, 2, 1, 1))[0]
    if kind == "person":
        first, last = _word(rng, 2), _word(rng, rng.randint(2, 3))
        name = f"{first} {last}"
        aliases = [name, last, f"{first[0]}. {last}"][: rng.randint(1, 3)]
    elif kind == "organization":
        words = [_word(rng, 2) for _ in range(rng.randint(2, 4))]
        name = " ".join(words)
        aliases = [name, "".join(w[0] for w in words).upper()]
    elif kind == "country":
        name = _word(rng, 3)
        aliases = [name, f"Republic of {name}", f"{name}n government"][: rng.randint(1, 3)]
    else:
        name = f"{_word(rng, 2)} Front"
        aliases = [name, "the rebels", "armed opposition"][: rng.randint(1, 3)]
    props: dict[str, object] = {"name": name, "kind": kind, "aliases": aliases}
    if kind == "person" and rng.random() < 0.6:
        props["roles"] = rng.sample(ROLES, rng.randint(1, 2))
    if rng.random() < 0.1:
        props["description"] = f"{name}, {rng.choice(ROLES)} quoted in several reports"
    return _node("Actor", _slug(name, n), props)


def _meeting(rng: random.Random, n: int, venues: list[Node]) -> Node:
    series = f"{venues[_skewed(rng, len(venues))].name} talks"
    round_ = rng.randint(1, 15)
    start = _date(rng)
    props: dict[str, object] = {
        "name": f"{series}, round {round_}",
        "kind": rng.choice(MEETING_KINDS),
        "status": rng.choices(MEETING_STATUSES, weights=(7, 2, 1, 1))[0],
        "series": series,
        "round": round_,
    }
    if rng.random() < 0.85:
        props["start_date"] = start
        if rng.random() < 0.5:
            props["end_date"] = start[:-2] + f"{min(28, int(start[-2:]) + 2):02d}"
    return _node("Meeting", _slug(series, n), props)


def _article(rng: random.Random, n: int) -> Node:
    article_id = f"{n:06d}_{rng.getrandbits(64):016x}"
    props: dict[str, object] = {
        "name": f"{_word(rng, 3)} talks {rng.choice(('open', 'stall', 'resume', 'end'))}",
        "path": f"corpus/{article_id}.txt",
        "sha256": f"{rng.getrandbits(256):064x}",
        "published": _date(rng),
        "source": rng.choice(SOURCES),
        "word_count": rng.randint(150, 2_500),
    }
    if rng.random() < 0.7:
        props["url"] = f"https://news.example/{article_id}"
    return _node("Article", article_id, props)


def _venue(rng: random.Random, n: int) -> Node:
    name = _word(rng, rng.randint(2, 3))
    aliases = [name, f"the {_word(rng, 2)}n capital"][: rng.randint(1, 2)]
    props: dict[str, object] = {"name": name, "aliases": aliases, "country": _word(rng, 3)}
    return _node("Venue", _slug(name, n), props)


def _ceasefire(rng: random.Random, n: int) -> Node:
    date = _date(rng)
    props: dict[str, object] = {
        "name": f"{date[:7]} {rng.choice(('nationwide', 'local', 'humanitarian'))} ceasefire",
        "status": rng.choice(CEASEFIRE_STATUSES),
        "date": date,
    }
    if rng.random() < 0.5:
        props["scope"] = rng.choice(("nationwide", "the north", "the southern front"))
    return _node("Ceasefire", _slug(str(props["name"]), n), props)


def _node(label: str, node_id: str, props: dict[str, object]) -> Node:
    return Node(label=label, id=node_id, properties={"id": node_id, **props})


def _fact(
    rng: random.Random, rel_type: str, start: Node, end: Node, articles: list[Node]
) -> dict[str, object]:
    """sources (1-3 article ids) and evidence (one sentence per source, at most 3)."""
    sources = [
        articles[_skewed(rng, len(articles))].id
        for _ in range(rng.choices((1, 2, 3), weights=(6, 3, 1))[0])
    ]
    sources = list(dict.fromkeys(sources))
    evidence = [
        f"{start.name} {VERBS[rel_type]} {end.name}, {rng.choice(SOURCES)} reported on "
        f"{_date(rng)}, citing officials familiar with the matter."
        for _ in sources
    ]
    props: dict[str, object] = {"sources": sources, "evidence": evidence}
    if rel_type == "VIOLATED":
        props["alleged"] = rng.random() < 0.5
    return props


def _scaled(count: int, scale: float) -> int:
    return max(1, round(count * scale))


def make_graph(scale: float = 1.0, seed: int = 7) -> Graph:
    """The synthetic graph: 100,000 nodes and 300,000 relationships at scale 1.0.

    Relationships come out shuffled (with the seeded generator), so any prefix
    of `graph.relationships` mixes every type, as a sample should.
    """
    rng = random.Random(seed)
    by_label: dict[str, list[Node]] = {}
    by_label["Venue"] = [_venue(rng, n) for n in range(_scaled(NODE_MIX["Venue"], scale))]
    by_label["Article"] = [_article(rng, n) for n in range(_scaled(NODE_MIX["Article"], scale))]
    by_label["Actor"] = [_actor(rng, n) for n in range(_scaled(NODE_MIX["Actor"], scale))]
    by_label["Meeting"] = [
        _meeting(rng, n, by_label["Venue"]) for n in range(_scaled(NODE_MIX["Meeting"], scale))
    ]
    by_label["Ceasefire"] = [
        _ceasefire(rng, n) for n in range(_scaled(NODE_MIX["Ceasefire"], scale))
    ]
    rels: list[Relationship] = []
    for rel_type, count in REL_MIX.items():
        rels.extend(_relationships(rng, rel_type, _scaled(count, scale), by_label))
    rng.shuffle(rels)
    nodes = [node for label in ("Article", "Actor", "Venue", "Meeting", "Ceasefire")
             for node in by_label[label]]  # fmt: skip
    return Graph(nodes=nodes, relationships=rels)


def _relationships(
    rng: random.Random, rel_type: str, count: int, by_label: dict[str, list[Node]]
) -> list[Relationship]:
    """`count` distinct (start, end) pairs of this type, ends as the contract allows."""
    if rel_type == "HELD_IN":  # at most one venue per meeting
        meetings = by_label["Meeting"][:count]
        return [
            Relationship(
                rel_type,
                m.key,
                (v := by_label["Venue"][_skewed(rng, len(by_label["Venue"]))]).key,
                _fact(rng, rel_type, m, v, by_label["Article"]),
            )
            for m in meetings
        ]
    seen: set[tuple[str, str]] = set()
    out: list[Relationship] = []
    starts, weights = zip(*MENTION_STARTS, strict=True)
    (_, end_label), *_ = RELATIONSHIP_ENDS[rel_type]
    while len(out) < count:
        if rel_type == "MENTIONED_IN":
            start_label = rng.choices(starts, weights=weights)[0]
        else:
            start_label = RELATIONSHIP_ENDS[rel_type][0][0]
        if (start_label, end_label) not in RELATIONSHIP_ENDS[rel_type]:
            raise AssertionError(f"{rel_type} cannot go {start_label}->{end_label}")
        start = by_label[start_label][_skewed(rng, len(by_label[start_label]))]
        end = by_label[end_label][rng.randrange(len(by_label[end_label]))]
        if start.key == end.key or (start.key, end.key) in seen:
            continue
        seen.add((start.key, end.key))
        if rel_type == "MENTIONED_IN":
            props: dict[str, object] = {"count": min(40, int(rng.paretovariate(1.5)))}
        else:
            props = _fact(rng, rel_type, start, end, by_label["Article"])
        out.append(Relationship(rel_type, start.key, end.key, props))
    return out


def graph_digest(graph: Graph) -> str:
    """sha256 over every node and relationship, in order: same input, same digest."""
    digest = hashlib.sha256()
    for node in graph.nodes:
        digest.update(json.dumps([node.key, node.properties], sort_keys=True).encode())
    for rel in graph.relationships:
        digest.update(json.dumps([rel.key, rel.properties], sort_keys=True).encode())
    return digest.hexdigest()


def sample(graph: Graph, relationships: int) -> Graph:
    """A closed subgraph: the first `relationships` relationships and the nodes
    they need (in graph order), so a naive loader's MATCHes find both ends."""
    rels = graph.relationships[:relationships]
    wanted = {key for rel in rels for key in (rel.start, rel.end)}
    return Graph(nodes=[n for n in graph.nodes if n.key in wanted], relationships=rels)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    graph = make_graph(args.scale, args.seed)
    print(json.dumps({
        "nodes": graph.node_counts(),
        "relationships": graph.relationship_counts(),
        "digest": graph_digest(graph),
    }, indent=1))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
