"""Assembles the Graph: elements -> clusters -> nodes with stable ids, facts
-> relationships with sources and evidence.

Determinism: extractions are sorted by article id first and mentions by
offset, every later step iterates sorted structures, and ids are assigned in
the order of a key made only of cluster content, so any permutation of the
input yields the identical Graph.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache

from kg.model import (
    MAX_EVIDENCE,
    RELATIONSHIP_ENDS,
    Article,
    Extraction,
    Fact,
    Graph,
    MergeReason,
    Node,
    Relationship,
)
from kg.resolve import analysis as an
from kg.resolve import cluster as cl
from kg.resolve import events as ev
from kg.resolve import passes as ps
from kg.resolve.lexicon import LEXICON
from kg.resolve.names import clean_surface, normalize, slugify, spells_acronym
from kg.resolve.overrides import AliasOverrides

_NER_KIND = {"PERSON": "person", "ORG": "organization", "GPE": "country", "NORP": "group"}
_DEFINED_ACRONYM = re.compile(r"^\s*\(\s*([A-Za-z][A-Za-z.&\-]{1,9})\s*\)")
_INLINE_ACRONYM = re.compile(r"^(.*\S)\s*\(\s*([A-Za-z][A-Za-z.&\-]{1,9})\s*\)$")


def build_graph(extractions: Sequence[Extraction], overrides: AliasOverrides | None) -> Graph:
    ordered = sorted(extractions, key=lambda x: (x.article.id, x.article.sha256))
    actors, venues, mention_index = _elements(ordered)
    named_as = _alias_cue_pairs(ordered, mention_index)
    qualified = _qualified_party_words(ordered, mention_index)
    actor_c = _cluster_actors(actors, overrides, named_as, qualified)
    venue_c = _cluster_venues(venues, overrides)
    nodes: list[Node] = [_article_node(x.article) for x in ordered]
    element_key: dict[tuple[str, int], str] = {}
    for label, c in (("Actor", actor_c), ("Venue", venue_c)):
        for node, members in _entity_nodes(label, c, overrides):
            nodes.append(node)
            for e in members:
                element_key[(label, e.index)] = node.key
    local = {k: element_key[v] for k, v in mention_index.items()}
    event_nodes, event_keys, event_reasons = _event_nodes(ordered, local)
    nodes.extend(event_nodes)
    local.update(event_keys)
    relationships = _relationships(ordered, local)
    reasons = _dedupe_reasons(actor_c.reasons + venue_c.reasons + event_reasons)
    return Graph(nodes=nodes, relationships=relationships, reasons=reasons)


# -- elements -------------------------------------------------------------------------


def _mention_kind(kind: str | None, ner: str | None) -> str | None:
    return kind or _NER_KIND.get(ner or "")


def _elements(ordered: list[Extraction]):
    """One Element per (article, label, normalised form); maps every
    (article id, mention key) to ("Actor"/"Venue", element index)."""
    by_label: dict[str, list[cl.Element]] = {"Actor": [], "Venue": []}
    where: dict[tuple[str, str, str], cl.Element] = {}
    index: dict[tuple[str, str], tuple[str, int]] = {}
    for x in ordered:
        text = x.article.text
        for m in sorted(x.mentions, key=lambda m: (m.start, m.end, m.key)):
            if m.label not in by_label:
                continue
            cleaned = clean_surface(m.text, titles=m.label == "Actor")
            surface, inline = _split_inline_acronym(cleaned)
            norm = normalize(surface)
            if not norm:
                continue
            slot = (x.article.id, m.label, norm)
            element = where.get(slot)
            if element is None:
                items = by_label[m.label]
                element = cl.Element(len(items), m.label, x.article.id, norm, m.start)
                items.append(element)
                where[slot] = element
            element.surfaces[surface] = element.surfaces.get(surface, 0) + 1
            kind = _mention_kind(m.kind, m.ner_label)
            if kind:
                element.kinds[kind] = element.kinds.get(kind, 0) + 1
            if m.role and m.role.strip():
                element.roles = element.roles | {" ".join(m.role.split())}
            if m.country:
                countries = element.countries or {}
                element.countries = {**countries, m.country: countries.get(m.country, 0) + 1}
            defined = _DEFINED_ACRONYM.match(text[m.end : m.end + 16]) if m.end >= 0 else None
            for acronym in filter(None, (inline, defined.group(1) if defined else None)):
                key = normalize(acronym).replace(" ", "")
                if spells_acronym(key, norm):  # "Syria (ISIS)" does not define ISIS
                    element.defined_acronyms = element.defined_acronyms | {key}
            if kind == "person" and " " in surface and not element.relative and m.start >= 0:
                element.relative = _introduced_as_relative(text, m.start, m.end)
            if m.label == "Actor" and m.start >= 0 and element.written_state != "":
                _note_written_state(element, text, m.start, m.end)
            index[(x.article.id, m.key)] = (m.label, element.index)
    for element in where.values():
        element.settle()
    return by_label["Actor"], by_label["Venue"], index


# "Congo's government", "Myanmar's military government": a possessor right
# before the form (at most two lower-case words between); "the government in
# Juba": a place right after it
_POSSESSOR = re.compile(
    r"((?:[A-Z][\w.\-]*\s+){0,4}?[A-Z][\w.\-]*)['\u2019]s\s+(?:[a-z][\w\-]*\s+){0,2}$"
)
_PLACE_AFTER = re.compile(r"^\s+(?:in|of)\s+((?:[A-Z][\w.\-']*\s?){1,4})")


def _note_written_state(element: cl.Element, text: str, start: int, end: int) -> None:
    """The state the text writes at a state-less collective form: the
    article itself naming the state of "the government" it means."""
    parsed = an.parse_collective(element.norm)
    if not parsed or parsed[1]:
        return
    state = _written_state(text, start, end, seat=parsed[0] == "government")
    if state and element.written_state not in (None, state):
        element.written_state = ""  # two states written: none of them
    elif state:
        element.written_state = state


def _written_state(text: str, start: int, end: int, seat: bool = False) -> str | None:
    """A known possessor wins; with an unknown one nothing else is read. A
    place after the form counts only for a government ("the government in
    Juba": its seat, a capital), never "talks with X's government in <venue>"."""
    before = _POSSESSOR.search(text[max(0, start - 60) : start])
    if before:
        words = normalize(before.group(1)).split()
        for size in range(min(4, len(words)), 0, -1):
            state = LEXICON.state_of(" ".join(words[-size:]))
            if state:
                return state
        return None
    after = _PLACE_AFTER.match(text[end : end + 50]) if seat else None
    if after and text[max(0, start - 4) : start].lower() == "the ":
        words = normalize(after.group(1)).split()
        for size in range(min(4, len(words)), 0, -1):
            capital = LEXICON.capital_by_form.get(" ".join(words[:size]))
            if capital:
                return capital[1]
    return None


@lru_cache(maxsize=1)
def _kin_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """ ", a brother of ..." after a name; "his son " right before it."""
    kin = "|".join(re.escape(k).replace(r"\ ", r"[\s\-]+") for k in LEXICON.kinship)
    after = re.compile(rf"^\s*,[^.;]{{0,60}}?\b(?:{kin})\s+of\b", re.IGNORECASE)
    before = re.compile(rf"\b(?:his|her|their|its)\s+(?:\w+\s+)?(?:{kin})\s*,?\s*$", re.I)
    return after, before


def _introduced_as_relative(text: str, start: int, end: int) -> bool:
    if not LEXICON.kinship:
        return False
    after, before = _kin_patterns()
    return bool(
        after.match(text[end : end + 90]) or before.search(text[max(0, start - 40) : start])
    )


@lru_cache(maxsize=1)
def _alias_cue() -> re.Pattern[str]:
    """The gap between a name and its alias: "Name, better known as Alias"."""
    cues = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in LEXICON.alias_cues)
    return re.compile(rf"^\s*[,(\-\u2013\u2014]?\s*(?:{cues})\s*[\"\u201c]?\s*$", re.IGNORECASE)


# what may follow an alias: the end of the apposition, never a possessive
_ALIAS_END = re.compile(r"^(?:$|[\"\u201d]?\s*(?:[,.;:)\u2013\u2014]|\s-\s|\s+(?:and|who)\b))")


def _alias_cue_pairs(
    ordered: list[Extraction], index: dict[tuple[str, str], tuple[str, int]]
) -> list[tuple[int, int]]:
    """(name element, alias element) for every "X, known as Y" the text
    writes between two consecutive actor mentions: the writer's own
    statement that both name one actor."""
    pairs: list[tuple[int, int]] = []
    if not LEXICON.alias_cues:
        return pairs
    for x in ordered:
        text = x.article.text
        spans = sorted(
            (m.start, m.end, m.key) for m in x.mentions if m.label == "Actor" and m.start >= 0
        )
        for (_, end, key), (start, alias_end, alias_key) in zip(spans, spans[1:], strict=False):
            if start - end > 60 or not _alias_cue().match(text[end:start]):
                continue
            if not _ALIAS_END.match(text[alias_end : alias_end + 8]):
                continue
            left, right = index.get((x.article.id, key)), index.get((x.article.id, alias_key))
            if left and right and left[1] != right[1]:
                pairs.append((left[1], right[1]))
    return pairs


def _qualified_party_words(
    ordered: list[Extraction], index: dict[tuple[str, str], tuple[str, int]]
) -> list[tuple[int, int]]:
    """(name element, party-word element) for every "<name> rebels" written
    as two touching actor mentions (headline or body): the article calls
    that group by the word."""
    pairs: list[tuple[int, int]] = []
    for x in ordered:
        spans = sorted((m.start, m.end, m.key, m.text) for m in x.mentions if m.label == "Actor")
        for (_, end, key, _), (start, _, word_key, word) in zip(spans, spans[1:], strict=False):
            if 0 <= start - end <= 1 and LEXICON.party_word(normalize(word)):
                left, right = index.get((x.article.id, key)), index.get((x.article.id, word_key))
                if left and right and left[1] != right[1]:
                    pairs.append((left[1], right[1]))
    return pairs


def _split_inline_acronym(surface: str) -> tuple[str, str | None]:
    """ "International Syria Support Group (ISSG)" -> (long form, "ISSG")."""
    match = _INLINE_ACRONYM.match(surface)
    if match and " " in match.group(1):
        return match.group(1), match.group(2)
    return surface, None


# -- clustering -----------------------------------------------------------------------


def _cluster_actors(
    elements: list[cl.Element],
    overrides: AliasOverrides | None,
    named_as: Sequence[tuple[int, int]] = (),
    qualified: Sequence[tuple[int, int]] = (),
):
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for e in elements:
        votes[e.norm].update(e.kinds)
    for e in elements:
        an.analyse_actor(e, votes[e.norm])
    ps.mark_forbids(elements, overrides)
    c = cl.Clusterer("Actor", elements)
    ps.apply_overrides(c, overrides)
    ps.key_pass(c, "lexicon")
    ps.party_word_pass(c, qualified)
    ps.collective_pass(c)
    # full names first, so that a surname meets one cluster per person
    ps.exact_pass(c, frozenset({"full", "org", "lex", "collective", "other"}))
    ps.particle_pass(c)
    ps.fuzzy_person_pass(c)
    ps.in_article_pass(c)
    ps.alias_cue_pass(c, named_as)
    ps.fuzzy_org_pass(c)
    ps.acronym_pass(c)
    ps.surname_pass(c)
    ps.known_short_form_pass(c)
    ps.leftover_pass(c)
    ps.leader_pass(c)
    return c


def _cluster_venues(elements: list[cl.Element], overrides: AliasOverrides | None):
    for e in elements:
        an.analyse_venue(e)
    ps.mark_forbids(elements, overrides, titles=False)
    c = cl.Clusterer("Venue", elements)
    ps.apply_overrides(c, overrides)
    ps.key_pass(c, "lexicon")
    ps.exact_pass(c, frozenset({"name", "descriptor", "lex"}))
    ps.descriptor_pass(c)
    ps.fuzzy_venue_pass(c)
    return c


# -- nodes ----------------------------------------------------------------------------


def _article_node(article: Article) -> Node:
    props = {
        "id": article.id,
        "name": article.title,
        "path": article.path,
        "sha256": article.sha256,
        "url": article.url,
        "published": article.published,
        "source": article.source,
        "word_count": article.word_count,
    }
    return Node("Article", article.id, {k: v for k, v in props.items() if v is not None})


def _entity_nodes(label: str, c: cl.Clusterer, overrides: AliasOverrides | None):
    """(node, member elements) per cluster, ids unique per label."""
    drafts = []
    for members in c.clusters():
        name = _canonical(members, overrides)
        aliases = sorted({s for e in members for s in e.surfaces} | {name})
        props: dict = {"name": name, "aliases": aliases}
        if label == "Actor":
            props["kind"] = cl.cluster_kind(members)
            roles = sorted({r for e in members for r in e.roles})
            if roles:
                props["roles"] = roles
        else:
            country = _venue_country(members)
            if country:
                props["country"] = country
        drafts.append((slugify(name), aliases, props, members))
    nodes = []
    for node_id, (_, _, props, members) in zip(_unique_ids(drafts), drafts, strict=True):
        nodes.append((Node(label, node_id, {"id": node_id, **props}), members))
    return nodes


def _unique_ids(drafts: list) -> list[str]:
    """Base ids made unique with -2, -3 ... in an order fixed by content."""
    order = sorted(range(len(drafts)), key=lambda i: (drafts[i][0], drafts[i][1]))
    taken: set[str] = set()
    ids = [""] * len(drafts)
    for i in order:
        base = drafts[i][0]
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        ids[i] = candidate
    return ids


def _canonical(members: list[cl.Element], overrides: AliasOverrides | None) -> str:
    """User canonical > lexicon name > collective name > the longest
    well-formed full form (ties: more mentions, then alphabetical)."""
    if overrides:
        wanted = overrides.canonical_names(titles=members[0].label == "Actor")
        chosen = sorted(wanted[e.norm] for e in members if e.norm in wanted)
        if chosen:
            return chosen[0]
    keys = sorted({e.key for e in members if e.key})
    for key in keys:
        kind, _, rest = key.partition(":")
        if kind in ("state", "body", "place"):
            return rest
    for key in keys:
        if key.startswith("col:"):
            _, family, state = key.split(":", 2)
            if state and not state.startswith("@"):  # "@<article>": no state
                template = LEXICON.collective_canonical[family]
                return template.format(demonym=LEXICON.demonym_of.get(state, state))
            return LEXICON.collective_stateless[family]
    counts: Counter[str] = Counter()
    for e in members:
        counts.update(e.surfaces)
    return min(counts, key=lambda s: _name_rank(s, counts[s], members))


def _name_rank(surface: str, count: int, members: list[cl.Element]) -> tuple:
    words = surface.split()
    well_formed = an.capitalised(surface) and not (surface.isupper() and len(words) > 1)
    descriptor = any(e.descriptor_of for e in members if surface in e.surfaces)
    return (descriptor, not well_formed, -len(words), -count, -len(surface), surface)


def _venue_country(members: list[cl.Element]) -> str | None:
    counts: Counter[str] = Counter()
    for e in members:
        counts.update(e.countries or {})
        if e.key:
            capital = LEXICON.capital_by_form.get(normalize(e.key.partition(":")[2]))
            if capital:
                counts[capital[1]] += 0
    if not counts:
        return None
    return min(counts, key=lambda k: (-counts[k], k))


# -- events ---------------------------------------------------------------------------


def _event_nodes(ordered: list[Extraction], local: dict[tuple[str, str], str]):
    items: dict[str, list[ev.EventItem]] = {"Meeting": [], "Ceasefire": []}
    for x in ordered:
        for event in sorted(x.events, key=lambda e: e.key):
            if event.label not in items:
                continue
            venue_key = local.get((x.article.id, event.venue_key or ""))
            venue = venue_key.partition(":")[2] if venue_key else None
            bucket = items[event.label]
            series = normalize(event.series) if event.series else ""
            bucket.append(
                ev.EventItem(len(bucket), x.article.id, x.article.published, event, venue, series)
            )
    meeting_c = ev.cluster_meetings(items["Meeting"])
    meeting_nodes, meeting_keys = _event_cluster_nodes("Meeting", meeting_c)
    meetings_of: dict[str, set[str]] = defaultdict(set)
    for (aid, _), node_key in meeting_keys.items():
        meetings_of[aid].add(node_key)
    ceasefire_c = ev.cluster_ceasefires(items["Ceasefire"], meetings_of)
    ceasefire_nodes, ceasefire_keys = _event_cluster_nodes("Ceasefire", ceasefire_c)
    nodes = meeting_nodes + ceasefire_nodes
    keys = {**meeting_keys, **ceasefire_keys}
    return nodes, keys, meeting_c.reasons + ceasefire_c.reasons


def _event_cluster_nodes(label: str, c: ev.EventClusterer):
    """Nodes of one event label and the (article, event key) -> node key map."""
    drafts = []
    for members in c.clusters():
        if label == "Meeting":
            props = ev.meeting_properties(members)
            venue = Counter(m.venue for m in members if m.venue)
            top = min(venue, key=lambda v: (-venue[v], v)) if venue else None
            base = ev.meeting_base_id(props, top)
        else:
            props = ev.ceasefire_properties(members)
            base = ev.ceasefire_base_id(props)
        content = sorted(f"{m.article}/{m.event.key}" for m in members)
        drafts.append((base, content, props, members))
    nodes: list[Node] = []
    keys: dict[tuple[str, str], str] = {}
    for node_id, (_, _, props, members) in zip(_unique_ids(drafts), drafts, strict=True):
        node = Node(label, node_id, {"id": node_id, **props})
        nodes.append(node)
        for m in members:
            keys[(m.article, m.event.key)] = node.key
    return nodes, keys


# -- relationships --------------------------------------------------------------------


def _relationships(ordered: list[Extraction], local: dict[tuple[str, str], str]):
    """One relationship per (type, start node, end node) over all articles."""
    facts: dict[tuple[str, str, str], list[tuple[str, int, str, bool]]] = defaultdict(list)
    for x in ordered:
        for position, fact in enumerate([*x.facts, *_derived_held_in(x)]):
            _collect(facts, local, x.article.id, position, fact)
    rels = [_relationship(key, support) for key, support in sorted(facts.items())]
    rels.extend(_mentioned_in(ordered, local))
    return rels


def _derived_held_in(x: Extraction) -> list[Fact]:
    """HELD_IN from an event's venue when the extractor gave none for it."""
    located = {f.start for f in x.facts if f.type == "HELD_IN"}
    return [
        Fact("HELD_IN", e.key, e.venue_key, e.sentence)
        for e in sorted(x.events, key=lambda e: e.key)
        if e.label == "Meeting" and e.venue_key and e.key not in located
    ]


def _collect(facts: dict, local: dict, aid: str, position: int, fact: Fact) -> None:
    s, e = local.get((aid, fact.start)), local.get((aid, fact.end))
    if not s or not e or s == e or fact.type == "MENTIONED_IN":
        return
    pair = (s.partition(":")[0].capitalize(), e.partition(":")[0].capitalize())
    if pair not in RELATIONSHIP_ENDS.get(fact.type, ()):
        return
    sentence = " ".join(fact.sentence.split())
    facts[(fact.type, s, e)].append((aid, position, sentence, fact.alleged))


def _relationship(key: tuple[str, str, str], support: list) -> Relationship:
    rtype, start, end = key
    support.sort(key=lambda t: (t[0], t[1]))
    evidence: list[str] = []
    for _, _, sentence, _ in support:
        if sentence and sentence not in evidence and len(evidence) < MAX_EVIDENCE:
            evidence.append(sentence)
    props: dict = {"sources": sorted({t[0] for t in support}), "evidence": evidence}
    if rtype == "VIOLATED":
        props["alleged"] = all(t[3] for t in support)
    return Relationship(rtype, start, end, props)


def _mentioned_in(ordered: list[Extraction], local: dict[tuple[str, str], str]):
    counts: Counter[tuple[str, str]] = Counter()
    for x in ordered:
        aid = x.article.id
        for m in x.mentions:
            node = local.get((aid, m.key))
            if node:
                counts[(node, aid)] += 1
        for event in x.events:
            node = local.get((aid, event.key))
            if node:
                counts[(node, aid)] += max(1, event.mentions)
    return [
        Relationship("MENTIONED_IN", node, f"article:{aid}", {"count": n})
        for (node, aid), n in sorted(counts.items())
    ]


def _dedupe_reasons(reasons: list[MergeReason]) -> list[MergeReason]:
    best: dict[tuple, MergeReason] = {}
    for r in reasons:
        left, right = sorted((r.left, r.right))
        key = (r.label, left, right, r.rule, r.merged)
        if key not in best or r.score > best[key].score:
            best[key] = MergeReason(r.label, left, right, r.rule, r.score, r.merged)
    return [best[k] for k in sorted(best)]
