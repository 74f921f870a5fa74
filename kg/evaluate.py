"""Score a built graph against a hand-written gold file (`kg eval`).

This module puts GRAPH_CONTRACT.md's "How `kg eval` scores a graph" into code.
It knows the system graph only as a `kg.model.Graph` (what a store's
`read_graph()` returns). It has its own name normaliser: if eval reused the
resolver's normaliser, a bug there would hide itself in the scores.

The contract leaves these points open. They are decided here, and the
decisions are also listed in the module docs of `map_graph`:

- A system node maps to at most one gold entity. When several qualify, the
  best one wins by a fixed key. Among equal candidates an entity nobody has
  claimed yet is preferred, and then the smallest gold id, so the result is
  deterministic. A gold entity that two or more system nodes map to is a
  duplicate.
- Meetings without a venue. When either side of a system/gold pair has no
  venue (a phone call, for instance), the venue test passes. The pair must
  then share a source article, and its dates must overlap when both have
  dates. A meeting with no venue can still be matched this way, but only
  from the text.
- A ratio with an empty denominator counts 1.0 when the other side is empty
  too, and 0.0 otherwise.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from rich.table import Table

from kg.errors import EvalError
from kg.model import (
    ACTOR_KINDS,
    CEASEFIRE_STATUSES,
    MEETING_KINDS,
    MEETING_STATUSES,
    RELATIONSHIP_ENDS,
    RELATIONSHIP_TYPES,
    Graph,
    Node,
    Relationship,
    parse_node_key,
)

ENTITY_LABELS: tuple[str, ...] = ("Actor", "Venue", "Meeting", "Ceasefire")
NAMED_LABELS: tuple[str, ...] = ("Actor", "Venue")  # labels that carry aliases
FACT_TYPES: tuple[str, ...] = tuple(t for t in RELATIONSHIP_TYPES if t != "MENTIONED_IN")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Deleted outright rather than turned into a space, so that "U.N." == "UN"
# and "Ra'ad" == "Ra’ad" == "Raad".
_JOINING_PUNCT = frozenset(".'’ʼ‘`´")


# -- names -----------------------------------------------------------------------------


def normalise_name(s: str) -> str:
    """Normalise a name the way the contract says: NFKC, case-folded, accents
    and punctuation removed, a leading "the" dropped, white space collapsed.
    Eval compares names only through this function."""
    text = unicodedata.normalize("NFKC", s).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    chars = []
    for c in text:
        if c in _JOINING_PUNCT:
            continue
        chars.append(" " if unicodedata.category(c).startswith("P") else c)
    words = "".join(chars).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _forms(name: Any, aliases: Any) -> frozenset[str]:
    """The normalised name and aliases of one node or gold entity."""
    values = [name] if isinstance(name, str) else []
    if isinstance(aliases, list | tuple):
        values += [a for a in aliases if isinstance(a, str)]
    return frozenset(f for f in (normalise_name(v) for v in values) if f)


# -- gold file -------------------------------------------------------------------------


def load_gold(path: str | Path) -> dict[str, Any]:
    """Read and validate a gold file, so that scoring never meets bad data.
    Raises EvalError with one line naming the first problem."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EvalError(f"gold file not found: {p}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(f"gold file {p} cannot be read: {exc}") from None
    try:
        gold = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EvalError(f"gold file {p} is not valid JSON: line {exc.lineno}: {exc.msg}") from None
    try:
        validate_gold(gold)
    except EvalError as exc:
        raise EvalError(f"gold file {p}: {exc}") from None
    return gold


def validate_gold(gold: Any) -> None:
    """Check the gold structure (the contract's gold format). Raises EvalError."""
    if not isinstance(gold, dict):
        raise EvalError("top level must be a JSON object")
    for key, kind in (("entities", list), ("facts", list), ("mentions", dict)):
        if not isinstance(gold.get(key), kind):
            raise EvalError(f"'{key}' must be a {'list' if kind is list else 'object'}")
    labels: dict[str, str] = {}
    for i, entity in enumerate(gold["entities"]):
        _check_entity(i, entity, labels)
        labels[entity["id"]] = entity["label"]
    for i, fact in enumerate(gold["facts"]):
        _check_fact(i, fact, labels)
    for article, ids in gold["mentions"].items():
        if not isinstance(ids, list) or not all(isinstance(x, str) for x in ids):
            raise EvalError(f"mentions[{article!r}] must be a list of entity ids")
        for x in ids:
            if x not in labels:
                raise EvalError(f"mentions[{article!r}]: unknown entity id {x!r}")


def _check_entity(i: int, entity: Any, seen: dict[str, str]) -> None:
    where = f"entities[{i}]"
    if not isinstance(entity, dict):
        raise EvalError(f"{where} must be an object")
    eid, label = entity.get("id"), entity.get("label")
    if not isinstance(eid, str) or not eid:
        raise EvalError(f"{where}: 'id' must be a non-empty string")
    if eid in seen:
        raise EvalError(f"{where}: duplicate id {eid!r}")
    if label not in ENTITY_LABELS:
        raise EvalError(f"{where} ({eid}): 'label' must be one of {', '.join(ENTITY_LABELS)}")
    if not isinstance(entity.get("name"), str) or not entity["name"]:
        raise EvalError(f"{where} ({eid}): 'name' must be a non-empty string")
    if label in NAMED_LABELS:
        aliases = entity.get("aliases")
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a for a in aliases):
            raise EvalError(f"{where} ({eid}): 'aliases' must be a list of strings")
    allowed = {
        ("Actor", "kind"): ACTOR_KINDS,
        ("Meeting", "kind"): MEETING_KINDS,
        ("Meeting", "status"): MEETING_STATUSES,
        ("Ceasefire", "status"): CEASEFIRE_STATUSES,
    }
    for (lab, prop), values in allowed.items():
        if lab == label and prop in entity and entity[prop] not in values:
            raise EvalError(f"{where} ({eid}): {prop} {entity[prop]!r} not in {values}")
    for prop in ("start_date", "end_date", "date"):
        value = entity.get(prop)
        if value is not None and not (isinstance(value, str) and _DATE.match(value)):
            raise EvalError(f"{where} ({eid}): {prop} must be an ISO date YYYY-MM-DD")
    if "round" in entity and not isinstance(entity["round"], int):
        raise EvalError(f"{where} ({eid}): 'round' must be an integer")


def _check_fact(i: int, fact: Any, labels: dict[str, str]) -> None:
    where = f"facts[{i}]"
    if not isinstance(fact, dict):
        raise EvalError(f"{where} must be an object")
    ftype = fact.get("type")
    if ftype not in FACT_TYPES:
        raise EvalError(f"{where}: unknown fact type {ftype!r}")
    ends = []
    for end in ("start", "end"):
        ref = fact.get(end)
        if ref not in labels:
            raise EvalError(f"{where} ({ftype}): unknown {end} id {ref!r}")
        ends.append(labels[ref])
    if tuple(ends) not in RELATIONSHIP_ENDS[ftype]:
        raise EvalError(f"{where}: {ftype} cannot go from {ends[0]} to {ends[1]}")
    sources = fact.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise EvalError(f"{where} ({ftype}): 'sources' must be a list of article ids")


# -- the gold as a graph ---------------------------------------------------------------

_GOLD_ONLY_KEYS = frozenset({"label"})


def graph_from_gold(gold: dict[str, Any]) -> Graph:
    """Build the Graph a perfect system would produce for this gold file.
    Scoring it against the same gold gives 1.0 everywhere: a sanity check
    for the evaluator and for a hand-edited gold file."""
    nodes: list[Node] = []
    rels: list[Relationship] = []
    key_of: dict[str, str] = {}
    for entity in gold["entities"]:
        props = {k: v for k, v in entity.items() if k not in _GOLD_ONLY_KEYS}
        node = Node(label=entity["label"], id=entity["id"], properties=props)
        nodes.append(node)
        key_of[entity["id"]] = node.key
    articles = set(gold["mentions"])
    for fact in gold["facts"]:
        articles.update(fact.get("sources", []))
        props = {"sources": list(fact.get("sources", [])), "evidence": []}
        rels.append(Relationship(fact["type"], key_of[fact["start"]], key_of[fact["end"]], props))
    for article in sorted(articles):
        nodes.append(
            Node("Article", article, {"id": article, "name": article, "path": "", "sha256": ""})
        )
    for article, ids in sorted(gold["mentions"].items()):
        for eid in dict.fromkeys(ids):
            rels.append(
                Relationship("MENTIONED_IN", key_of[eid], f"article:{article}", {"count": 1})
            )
    return Graph(nodes=nodes, relationships=rels)


# -- scores ----------------------------------------------------------------------------


@dataclass
class Score:
    """Precision, recall and F1 of one comparison of two sets."""

    tp: int
    system: int
    gold: int

    @property
    def precision(self) -> float:
        return self.tp / self.system if self.system else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else (1.0 if not self.system else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @classmethod
    def of(cls, system: set[Any], gold: set[Any]) -> Score:
        return cls(tp=len(system & gold), system=len(system), gold=len(gold))

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.system + other.system, self.gold + other.gold)

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "system": self.system,
            "gold": self.gold,
        }


@dataclass
class EvalReport:
    """Every figure `kg eval` prints, plus what lies behind them for debugging."""

    mentions: dict[str, Score]
    facts: dict[str, Score]  # per type, plus "overall"
    resolution: dict[str, Score]  # per named label, plus "overall"
    duplicates: dict[str, list[str]]  # gold id -> system node keys mapped to it
    mapping: dict[str, str]  # system node key -> gold id
    unmapped: list[str]  # system node keys that map to nothing
    unmatched_gold: list[str]  # gold ids no system node maps to
    missing_facts: list[list[str]] = field(default_factory=list)  # [type, start, end] in gold only
    extra_facts: list[list[str]] = field(default_factory=list)  # system facts not in gold

    @property
    def duplicate_count(self) -> int:
        return len(self.duplicates)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, with stable keys and sorted lists."""
        return {
            "mentions": {k: v.to_dict() for k, v in self.mentions.items()},
            "facts": {k: v.to_dict() for k, v in self.facts.items()},
            "resolution": {k: v.to_dict() for k, v in self.resolution.items()},
            "duplicate_count": self.duplicate_count,
            "duplicates": {k: sorted(v) for k, v in sorted(self.duplicates.items())},
            "mapping": dict(sorted(self.mapping.items())),
            "unmapped": sorted(self.unmapped),
            "unmatched_gold": sorted(self.unmatched_gold),
            "missing_facts": sorted(self.missing_facts),
            "extra_facts": sorted(self.extra_facts),
        }


# -- mapping system nodes to gold entities ---------------------------------------------


@dataclass
class _Gold:
    """The gold file as indexes the mapping needs."""

    entities: dict[str, dict[str, Any]]
    forms: dict[str, frozenset[str]]
    articles: dict[str, set[str]]
    venues: dict[str, set[str]]
    facts: set[tuple[str, str, str]]
    neighbours: dict[str, set[tuple[str, str, str]]]

    @classmethod
    def of(cls, gold: dict[str, Any]) -> _Gold:
        entities = {e["id"]: e for e in gold["entities"]}
        forms = {i: _forms(e.get("name"), e.get("aliases")) for i, e in entities.items()}
        articles: dict[str, set[str]] = {i: set() for i in entities}
        venues: dict[str, set[str]] = {i: set() for i in entities}
        for article, ids in gold["mentions"].items():
            for i in ids:
                articles[i].add(article)
        facts = set()
        neighbours: dict[str, set[tuple[str, str, str]]] = {i: set() for i in entities}
        for f in gold["facts"]:
            facts.add((f["type"], f["start"], f["end"]))
            neighbours[f["start"]].add((f["type"], "out", f["end"]))
            neighbours[f["end"]].add((f["type"], "in", f["start"]))
            for i in (f["start"], f["end"]):
                articles[i].update(f.get("sources", []))
            if f["type"] == "HELD_IN":
                venues[f["start"]].add(f["end"])
        return cls(entities, forms, articles, venues, facts, neighbours)

    def of_label(self, label: str) -> list[str]:
        return sorted(i for i, e in self.entities.items() if e["label"] == label)


@dataclass
class _System:
    """The system graph as indexes the mapping needs."""

    nodes: dict[str, Node]
    articles: dict[str, set[str]]
    venues: dict[str, set[str]]  # meeting key -> venue node keys
    touching: dict[str, list[Relationship]]  # node key -> facts (not mentions) at it

    @classmethod
    def of(cls, graph: Graph) -> _System:
        nodes = {n.key: n for n in graph.nodes if n.label in ENTITY_LABELS}
        articles: dict[str, set[str]] = {k: set() for k in nodes}
        venues: dict[str, set[str]] = {k: set() for k in nodes}
        for rel in graph.relationships:
            if rel.type == "MENTIONED_IN" and rel.start in nodes:
                articles[rel.start].add(_article_id(rel.end))
            elif rel.type == "HELD_IN" and rel.start in nodes:
                venues[rel.start].add(rel.end)
        touching: dict[str, list[Relationship]] = {}
        for rel in graph.relationships:
            if rel.type in FACT_TYPES:
                touching.setdefault(rel.start, []).append(rel)
                touching.setdefault(rel.end, []).append(rel)
        return cls(nodes, articles, venues, touching)

    def neighbours(self, key: str, mapping: dict[str, str]) -> set[tuple[str, str, str]]:
        """(type, direction, gold id) of the facts touching `key` whose other
        end is already mapped: comparable with `_Gold.neighbours`."""
        found = set()
        for rel in self.touching.get(key, ()):
            if rel.start == key and rel.end in mapping:
                found.add((rel.type, "out", mapping[rel.end]))
            if rel.end == key and rel.start in mapping:
                found.add((rel.type, "in", mapping[rel.start]))
        return found


def _article_id(key: str) -> str:
    try:
        return parse_node_key(key)[1]
    except ValueError:
        return key


def _interval(props: dict[str, Any], start: str, end: str) -> tuple[str, str] | None:
    """(first day, last day) as ISO strings, or None when the start is unknown.
    Stores may hand dates back as `date` objects, hence str()."""
    first = props.get(start)
    if not first:
        return None
    last = props.get(end) or first
    return str(first)[:10], str(last)[:10]


def map_graph(graph: Graph, gold: dict[str, Any]) -> dict[str, str]:
    """Map each system node (by key) to at most one gold id.

    Candidates. Actors and Venues: same label, sharing a normalised name or
    alias. Meetings: the same gold Venue through HELD_IN (this test passes
    when either side has no venue), and overlapping dates; when either side
    has no date or no venue, a shared source article is needed instead.
    Ceasefires: a shared source article and, when both dates are known, the
    same month. Source articles are the MENTIONED_IN articles (gold: the
    `mentions` lists plus the fact sources).

    Best candidate, compared key by key. Named nodes: the most shared forms,
    then the system name among the gold forms, then the most shared
    articles. Meetings: the shared venue, then overlapping dates, then the
    most shared neighbours (facts such as ATTENDED Putin that point the same
    way on both sides), then the most shared articles, then the round (equal
    beats unknown, unknown beats different), then status and kind.
    Ceasefires: the same month, then shared neighbours, shared articles,
    status.

    Ties are settled one to one where possible. Nodes are taken strongest
    first; among its equally good candidates a node takes a gold entity no
    other node has claimed yet, and the smallest gold id otherwise. So two
    undated phone calls from one article go to two gold calls, not both to
    the same one.
    """
    g, s = _Gold.of(gold), _System.of(graph)
    mapping: dict[str, str] = {}
    for label in NAMED_LABELS:
        keys = [k for k, n in s.nodes.items() if n.label == label]
        mapping.update(_assign({k: _named_candidates(s.nodes[k], s, g) for k in keys}))
    keys = [k for k, n in s.nodes.items() if n.label == "Ceasefire"]
    mapping.update(_assign({k: _ceasefire_candidates(k, s, g, mapping) for k in keys}))
    keys = [k for k, n in s.nodes.items() if n.label == "Meeting"]
    mapping.update(_assign({k: _meeting_candidates(k, s, g, mapping) for k in keys}))
    return mapping


Scored = list[tuple[tuple[int, ...], str]]


def _assign(candidates: dict[str, Scored]) -> dict[str, str]:
    """Give each system node one of its top-scoring candidates, preferring
    a gold entity not yet claimed (see `map_graph`)."""
    tops: dict[str, tuple[tuple[int, ...], list[str]]] = {}
    for key, scored in candidates.items():
        if scored:
            best = max(score for score, _ in scored)
            tops[key] = (best, sorted(gid for score, gid in scored if score == best))
    order = sorted(tops, key=lambda k: (tuple(-x for x in tops[k][0]), len(tops[k][1]), k))
    claimed: set[str] = set()
    result: dict[str, str] = {}
    for key in order:
        gids = tops[key][1]
        choice = next((gid for gid in gids if gid not in claimed), gids[0])
        claimed.add(choice)
        result[key] = choice
    return result


def _named_candidates(node: Node, s: _System, g: _Gold) -> Scored:
    forms = _forms(node.properties.get("name"), node.properties.get("aliases"))
    name = normalise_name(node.name)
    scored = []
    for gid in g.of_label(node.label):
        shared = len(forms & g.forms[gid])
        if shared:
            shared_articles = len(s.articles[node.key] & g.articles[gid])
            scored.append(((shared, int(name in g.forms[gid]), shared_articles), gid))
    return scored


def _meeting_candidates(key: str, s: _System, g: _Gold, mapping: dict[str, str]) -> Scored:
    props = s.nodes[key].properties
    venues = {mapping[v] for v in s.venues[key] if v in mapping}
    has_venue = bool(s.venues[key])
    span = _interval(props, "start_date", "end_date")
    neighbours = s.neighbours(key, mapping)
    scored = []
    for gid in g.of_label("Meeting"):
        gold_entity = g.entities[gid]
        shared_articles = len(s.articles[key] & g.articles[gid])
        same_venue = bool(venues & g.venues[gid])
        if has_venue and g.venues[gid] and not same_venue:
            continue
        gold_span = _interval(gold_entity, "start_date", "end_date")
        dated = span is not None and gold_span is not None
        overlap = dated and span[0] <= gold_span[1] and gold_span[0] <= span[1]
        if (dated and not overlap) or ((not dated or not same_venue) and not shared_articles):
            continue
        score = (
            int(same_venue),
            int(overlap),
            len(neighbours & g.neighbours[gid]),
            shared_articles,
            _agreement(props.get("round"), gold_entity.get("round")),
            int(props.get("status") == gold_entity.get("status")),
            int(props.get("kind") == gold_entity.get("kind")),
        )
        scored.append((score, gid))
    return scored


def _ceasefire_candidates(key: str, s: _System, g: _Gold, mapping: dict[str, str]) -> Scored:
    props = s.nodes[key].properties
    month = str(props["date"])[:7] if props.get("date") else None
    neighbours = s.neighbours(key, mapping)
    scored = []
    for gid in g.of_label("Ceasefire"):
        gold_entity = g.entities[gid]
        shared_articles = len(s.articles[key] & g.articles[gid])
        gold_month = gold_entity["date"][:7] if gold_entity.get("date") else None
        if not shared_articles or (month and gold_month and month != gold_month):
            continue
        score = (
            int(month is not None and month == gold_month),
            len(neighbours & g.neighbours[gid]),
            shared_articles,
            int(props.get("status") == gold_entity.get("status")),
        )
        scored.append((score, gid))
    return scored


def _agreement(system: Any, gold: Any) -> int:
    """1 when both are known and equal, -1 when both are known and differ."""
    if system is None or gold is None:
        return 0
    return 1 if system == gold else -1


# -- the four measures -----------------------------------------------------------------


def evaluate(graph: Graph, gold: dict[str, Any]) -> EvalReport:
    """Score `graph` (as a store's read_graph() returns it) against a gold
    dict (from `load_gold`)."""
    g, s = _Gold.of(gold), _System.of(graph)
    mapping = map_graph(graph, gold)
    mentions = _score_mentions(graph, gold, s, mapping)
    facts, missing, extra = _score_facts(graph, g, mapping)
    resolution = _score_resolution(s, g)
    mapped_to: dict[str, list[str]] = {}
    for key, gid in mapping.items():
        mapped_to.setdefault(gid, []).append(key)
    return EvalReport(
        mentions=mentions,
        facts=facts,
        resolution=resolution,
        duplicates={gid: sorted(keys) for gid, keys in mapped_to.items() if len(keys) > 1},
        mapping=mapping,
        unmapped=sorted(k for k in s.nodes if k not in mapping),
        unmatched_gold=sorted(gid for gid in g.entities if gid not in mapped_to),
        missing_facts=missing,
        extra_facts=extra,
    )


def _score_mentions(
    graph: Graph, gold: dict[str, Any], s: _System, mapping: dict[str, str]
) -> dict[str, Score]:
    """(article, gold id) pairs per label; an unmapped system node's pairs
    are all false positives."""
    label_of = {e["id"]: e["label"] for e in gold["entities"]}
    gold_pairs: dict[str, set[tuple[str, str]]] = {label: set() for label in ENTITY_LABELS}
    for article, ids in gold["mentions"].items():
        for gid in ids:
            gold_pairs[label_of[gid]].add((article, gid))
    sys_pairs: dict[str, set[tuple[str, str]]] = {label: set() for label in ENTITY_LABELS}
    for rel in graph.relationships:
        if rel.type != "MENTIONED_IN" or rel.start not in s.nodes:
            continue
        label = s.nodes[rel.start].label
        target = mapping.get(rel.start, f"unmapped:{rel.start}")
        sys_pairs[label].add((_article_id(rel.end), target))
    return {label: Score.of(sys_pairs[label], gold_pairs[label]) for label in ENTITY_LABELS}


def _score_facts(
    graph: Graph, g: _Gold, mapping: dict[str, str]
) -> tuple[dict[str, Score], list[list[str]], list[list[str]]]:
    """(type, start, end) triples over mapped ids; a fact with an unmapped
    end stays distinct and so can only be wrong."""
    system: set[tuple[str, str, str]] = set()
    for rel in graph.relationships:
        if rel.type not in FACT_TYPES:
            continue
        start = mapping.get(rel.start, f"unmapped:{rel.start}")
        end = mapping.get(rel.end, f"unmapped:{rel.end}")
        system.add((rel.type, start, end))
    scores = {
        t: Score.of({f for f in system if f[0] == t}, {f for f in g.facts if f[0] == t})
        for t in FACT_TYPES
    }
    scores["overall"] = Score.of(system, g.facts)
    missing = [list(f) for f in sorted(g.facts - system)]
    extra = [list(f) for f in sorted(system - g.facts)]
    return scores, missing, extra


def _score_resolution(s: _System, g: _Gold) -> dict[str, Score]:
    """Pairwise scores over the gold aliases the system saw. Two aliases are
    together in the system when one node holds both, and together in gold
    when one gold entity holds both."""
    scores: dict[str, Score] = {}
    for label in NAMED_LABELS:
        gold_groups = [g.forms[gid] for gid in g.of_label(label)]
        sys_groups = [
            _forms(n.properties.get("name"), n.properties.get("aliases"))
            for n in s.nodes.values()
            if n.label == label
        ]
        held_by_system = frozenset().union(*sys_groups) if sys_groups else frozenset()
        seen = frozenset().union(*gold_groups) & held_by_system if gold_groups else frozenset()
        scores[label] = Score.of(_pairs(sys_groups, seen), _pairs(gold_groups, seen))
    scores["overall"] = scores["Actor"] + scores["Venue"]
    return scores


def _pairs(groups: list[frozenset[str]], universe: frozenset[str]) -> set[tuple[str, str]]:
    """Unordered pairs of universe members that share a group."""
    pairs: set[tuple[str, str]] = set()
    for group in groups:
        members = sorted(group & universe)
        pairs.update(combinations(members, 2))
    return pairs


# -- presentation ----------------------------------------------------------------------


def _score_table(title: str, first: str, rows: dict[str, Score]) -> Table:
    table = Table(title=title)
    for column in (first, "P", "R", "F1", "tp", "system", "gold"):
        table.add_column(column, justify="left" if column == first else "right")
    for name, sc in rows.items():
        table.add_row(
            name,
            f"{sc.precision:.3f}",
            f"{sc.recall:.3f}",
            f"{sc.f1:.3f}",
            str(sc.tp),
            str(sc.system),
            str(sc.gold),
        )
    return table


def render_report(report: EvalReport) -> list[Table]:
    """The tables `kg eval` prints: mentions, facts, resolution, duplicates."""
    facts = {k: v for k, v in report.facts.items() if k == "overall" or v.system or v.gold}
    tables = [
        _score_table("Mentions (article, entity)", "label", report.mentions),
        _score_table("Facts (type, start, end)", "type", facts),
        _score_table("Resolution (alias pairs)", "label", report.resolution),
    ]
    dup = Table(title=f"Duplicates: {report.duplicate_count} gold entities split")
    dup.add_column("gold id")
    dup.add_column("system nodes")
    for gid, keys in sorted(report.duplicates.items()):
        dup.add_row(gid, ", ".join(keys))
    tables.append(dup)
    return tables
