"""The passes that propose links between elements, strongest first.

User overrides, lexicon identities, generic party words, collective
parties, evidence inside one article (surname -> the full name the article
gives, acronym -> its definition, "X, known as Y"), exact and
particle-insensitive names across articles,
transliteration/fuzzy names within blocks, acronyms, then bare surnames and
"<leader> regime" forms. A short form (a bare surname, "S. Lavrov", an
undefined acronym, a name without its middle name) joins a cluster only
when exactly one cluster is compatible with it; when two are, it joins
neither and the near-misses are recorded.

Candidate pairs only come from blocks (normalised form, core name, surname
transliteration key, first-name key, acronym letters, per-article groups),
never from all pairs, and candidate lists hold cluster roots rather than
mentions, so the cost grows with the input, not with its square.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from rapidfuzz import fuzz

from kg.resolve.analysis import parse_collective, parse_leader_collective
from kg.resolve.cluster import Clusterer, Element, names_compatible, part_compatible
from kg.resolve.lexicon import LEXICON
from kg.resolve.names import initials, skeleton
from kg.resolve.overrides import AliasOverrides

# A fuzzy pair below this score is not even recorded as a near-miss.
NEAR_MISS_FLOOR = 60.0
# rapidfuzz scores at or above which two forms of one kind may merge
PERSON_ACCEPT = 75.0
ORG_ACCEPT = 92.0
VENUE_ACCEPT = 90.0
# a block larger than this is split by a second key so cost stays linear
MAX_BLOCK = 60


def apply_overrides(c: Clusterer, overrides: AliasOverrides | None) -> None:
    """Forced merges first (they win over every rule)."""
    if not overrides:
        return
    by_norm = _group_by(c.elements, lambda e: e.norm)
    for group in overrides.merge_groups(titles=c.label == "Actor"):
        members = sorted(i for norm in group for i in by_norm.get(norm, []))
        for other in members[1:]:
            c.link(members[0], other, "user-merge", 1.0, force=True)


def mark_forbids(
    elements: list[Element], overrides: AliasOverrides | None, titles: bool = True
) -> None:
    if not overrides:
        return
    positions: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for entry, group in enumerate(overrides.separate_groups(titles)):
        for member, norm in enumerate(group):
            positions[norm].append((entry, member))
    for element in elements:
        for entry, member in positions.get(element.norm, []):
            element.forbid = {**(element.forbid or {}), entry: member}


def key_pass(c: Clusterer, rule: str) -> None:
    """Elements with the same lexicon/collective/place identity are one."""
    groups = _group_by([e for e in c.elements if e.key], lambda e: e.key)
    c.link_groups((groups[k] for k in sorted(groups)), rule, 1.0)


def party_word_pass(c: Clusterer, qualified: Iterable[tuple[int, int]]) -> None:
    """ "the guerrillas", "the army delegation": a generic party word joins
    the one group its own article names for it (a group written right before
    a word of the family, "<group> rebels"; else, for families with name
    heads, the one "<demonym> ... Armed Forces" organisation of the article).
    Resolved words leave the collective-party treatment for this article."""
    by_article: dict[str, list[Element]] = defaultdict(list)
    for e in c.elements:
        by_article[e.article].append(e)
    named: dict[tuple[str, str], set[int]] = defaultdict(set)
    for group, word in qualified:
        g, w = c.elements[group], c.elements[word]
        family = LEXICON.party_word(w.norm)
        if family and g.hard != "person" and not LEXICON.party_word(g.norm) and not g.key:
            named[(g.article, family)].add(group)
    for article in sorted(by_article):
        members = by_article[article]
        for e in members:
            family = LEXICON.party_word(e.norm)
            if not family or e.key:
                continue
            qualifier = LEXICON.party_word_qualified_by.get(family, "")
            groups = (
                named.get((article, family))
                or named.get((article, qualifier))
                or _headed_groups(members, family)
            )
            if len(groups) == 1:
                e.shape = "party-word"
                c.link(e.index, next(iter(groups)), "party-word-of-named-group", 0.8)
            elif e.shape != "collective":
                # "the rebel group" naming no group of its article is that
                # article's own: never grouped by spelling with another's
                e.shape = "party-word"


def _headed_groups(members: list[Element], family: str) -> set[int]:
    """Organisations of one article named "<state or demonym> ... <head>",
    or, for the family's `names`, "<anything> <name head>"."""
    heads = LEXICON.party_word_heads.get(family, ())
    names = LEXICON.party_word_names.get(family, ())
    found = set()
    for e in members:
        words = e.norm.split()
        if e.hard == "person" or e.key or len(words) < 2 or LEXICON.party_word(e.norm):
            continue
        if any(e.norm.endswith(" " + h) for h in heads) and _starts_with_state(words):
            found.add(e.index)
        elif words[-1] in names:
            found.add(e.index)
    return found


def _starts_with_state(words: list[str]) -> bool:
    return any(LEXICON.state_of(" ".join(words[:size])) for size in (1, 2, 3))


def collective_pass(c: Clusterer) -> None:
    """Give collective forms their (family, state) identity. The state is the
    form's own (or the one its text writes around it: "Congo's government"),
    else the only one the article's collective forms name, else the corpus's
    when the corpus is about one state (every article naming a state names
    that one). Otherwise the form is its article's own party: a state-less
    "the rebels" of one conflict never merges with another conflict's."""
    parsed = {e.index: _collective_of(e) for e in c.elements if e.shape == "collective"}
    per_article: dict[str, set[str]] = defaultdict(set)
    per_family: dict[tuple[str, str], set[str]] = defaultdict(set)
    for index, (family, state) in parsed.items():
        if state and family not in LEXICON.collective_no_lending:
            per_article[c.elements[index].article].add(state)
        elif state:  # lends only to its own family ("Sudan's army" ... "the army")
            per_family[(c.elements[index].article, family)].add(state)
    corpus = set().union(*per_article.values()) if per_article else set()
    for index, (family, state) in parsed.items():
        element = c.elements[index]
        local = per_article.get(element.article, set()) | per_family.get(
            (element.article, family), set()
        )
        if not state and len(local) == 1:
            state = next(iter(local))
        elif not state and not local and len(corpus) == 1:
            state = next(iter(corpus))
        # "@" marks a party known only inside its article (no state)
        element.key = f"col:{family}:{state or '@' + element.article}"
        root_state = c.uf.state[c.uf.find(index)]
        root_state.keys = root_state.keys | {element.key}
    key_pass(c, "collective")


def _collective_of(element: Element) -> tuple[str, str | None]:
    family, state = parse_collective(element.norm)
    return family, state or element.written_state or None


def in_article_pass(c: Clusterer) -> None:
    """Bare surnames, "S. Lavrov" and acronyms linked to the full form their
    own article gives (first or later); ties go to the nearest preceding."""
    for _article, members in sorted(_group_by(c.elements, lambda e: e.article).items()):
        fulls = [i for i in members if c.elements[i].shape == "full"]
        for i in members:
            element = c.elements[i]
            if element.shape in ("single", "initial") and fulls:
                _link_in_article(c, element, [f for f in fulls if _partial_of(element, f, c)])
            elif element.shape == "acronym":
                _link_acronym_in_article(c, element, members)


def alias_cue_pass(c: Clusterer, pairs: Iterable[tuple[int, int]]) -> None:
    """ "Rodrigo Londono, better known as Timochenko": the text itself says
    the two forms name one actor (the pairs come from the cue words of the
    lexicon); the cannot-link checks still apply."""
    for name, alias in sorted(set(pairs)):
        c.link(name, alias, "known-as-in-text", 0.95)


def known_short_form_pass(c: Clusterer) -> None:
    """A one-word form seen nowhere near a full name in its article (a
    nickname, a surname) joins the one person cluster that the same form
    already joined in another article; two such people: neither."""
    resolved = _roots_by(
        c,
        (e for e in c.elements if e.shape == "single" and c.uf.has_fullname(e.index)),
        lambda e: [e.norm],
    )
    for e in c.elements:
        if e.shape == "single" and not c.uf.has_fullname(e.index) and e.norm in resolved:
            c.attach_if_unique(e.index, resolved[e.norm], "short-form-resolved-elsewhere", 0.85)


def _partial_of(element: Element, full_index: int, c: Clusterer) -> bool:
    full = c.elements[full_index]
    if not part_compatible(element.core[-1], full.core[-1]):
        return False
    if element.shape == "initial":
        return element.core[0][0] == full.core[0][0]
    return True


def _link_in_article(c: Clusterer, element: Element, candidates: list[int]) -> None:
    roots = c.roots(candidates)
    if not roots:
        return
    if len(roots) == 1:
        c.link(element.index, candidates[0], "same-article-partial-name", 1.0)
        return
    principal = [f for f in candidates if not c.elements[f].relative]
    if len(principal) < len(candidates) and len(c.roots(principal)) == 1:
        # "Abdelrahim X, a brother of the leader, ..." then "X said": the
        # bare surname is the one who was not introduced as a relative
        c.link(element.index, principal[0], "same-article-not-the-relative", 0.9)
        return
    before = [f for f in candidates if c.elements[f].first_offset <= element.first_offset]
    if before:
        nearest = max(before, key=lambda f: (c.elements[f].first_offset, -f))
        if c.link(element.index, nearest, "same-article-nearest-full-name", 0.9):
            for other in candidates:
                if c.uf.find(other) != c.uf.find(nearest):
                    c.near_miss(element.index, other, "same-article-ambiguous", 0.9)
            return
    for other in candidates:
        c.near_miss(element.index, other, "same-article-ambiguous", 0.9)


def _link_acronym_in_article(c: Clusterer, element: Element, members: list[int]) -> None:
    acronym = element.norm.replace(" ", "")
    defined = [i for i in members if acronym in c.elements[i].defined_acronyms]
    if defined:
        c.attach_if_unique(element.index, defined, "acronym-defined-in-article", 1.0)
        return
    spelled = [i for i in members if i != element.index and acronym in initials(c.elements[i].norm)]
    if spelled:
        c.attach_if_unique(element.index, spelled, "acronym-initials-in-article", 0.95)


def exact_pass(c: Clusterer, shapes: frozenset[str]) -> None:
    """The same normalised form in different articles (not bare surnames)."""
    chosen = [e for e in c.elements if e.shape in shapes]
    groups = _group_by(chosen, lambda e: e.norm)
    c.link_groups((groups[k] for k in sorted(groups)), "same-normalised-form", 1.0)


def particle_pass(c: Clusterer) -> None:
    """ "Bashar al-Assad" = "Bashar Assad": equal once particles are dropped."""
    chosen = [e for e in c.elements if e.shape == "full"]
    groups = _group_by(chosen, lambda e: e.core)
    c.link_groups((groups[k] for k in sorted(groups)), "same-name-without-particles", 0.98)


def fuzzy_person_pass(c: Clusterer) -> None:
    """Transliteration and spelling variants of full names, scored with
    rapidfuzz inside blocks (surname key; given-name key + surname initial),
    merged by descending score under the cannot-link checks."""
    reps = _representatives(c, {"full"})
    blocks: dict[tuple, list[Element]] = defaultdict(list)
    for e in reps:
        blocks[("last", skeleton(e.core[-1]))].append(e)
        blocks[("first", skeleton(e.core[0]), e.core[-1][:1])].append(e)
    candidates: dict[tuple[int, int], tuple[float, str]] = {}
    for block in _split_blocks(blocks, lambda e: skeleton(e.core[0])):
        for x, left in enumerate(block):
            for right in block[x + 1 :]:
                _score_person_pair(left, right, candidates)
    _merge_by_score(c, candidates)
    _attach_shorter_names(c, candidates)


def _attach_shorter_names(c: Clusterer, candidates: dict) -> None:
    """A name without the middle name ("Mohammad Zarif") joins the one longer
    name it fits; fitting two different people it joins neither."""
    options: dict[int, list[int]] = defaultdict(list)
    for (a, b), (_, rule) in sorted(candidates.items()):
        if rule == "middle-name-variant":
            short, long = sorted((a, b), key=lambda i: (len(c.elements[i].core), i))
            options[short].append(long)
    for short in sorted(options):
        c.attach_if_unique(short, options[short], "middle-name-variant", 0.9)


def _score_person_pair(a: Element, b: Element, out: dict) -> None:
    pair = (min(a.index, b.index), max(a.index, b.index))
    if pair in out or a.core == b.core:
        return
    score = fuzz.token_sort_ratio(" ".join(a.core), " ".join(b.core))
    if names_compatible(a.core, b.core):
        if tuple(map(skeleton, a.core)) == tuple(map(skeleton, b.core)):
            rule = "transliteration-variant"
        elif set(a.core) < set(b.core) or set(b.core) < set(a.core):
            rule = "middle-name-variant"
        else:
            rule = "fuzzy-name"
        out[pair] = (max(score, PERSON_ACCEPT), rule)
    elif score >= NEAR_MISS_FLOOR:
        out[pair] = (score, "different-people")


def fuzzy_org_pass(c: Clusterer) -> None:
    """Spelling variants of multi-word organisation names (strict score)."""
    reps = [e for e in _representatives(c, {"org"}) if len(e.norm.split()) >= 2]
    blocks: dict[tuple, list[Element]] = defaultdict(list)
    for e in reps:
        content = [w for w in e.norm.split() if w not in LEXICON.stopwords]
        blocks[("org", skeleton(content[0]) if content else "")].append(e)
    candidates = _fuzzy_candidates(
        _split_blocks(blocks, lambda e: e.norm[-3:]),
        fuzz.token_sort_ratio,
        ORG_ACCEPT,
        ("fuzzy-organisation", "organisation-too-far"),
    )
    _merge_by_score(c, candidates, accept=ORG_ACCEPT)


def acronym_pass(c: Clusterer) -> None:
    """An acronym no article defines joins the one long form that spells it."""
    longs = _roots_by(
        c,
        (e for e in c.elements if e.shape in ("org", "lex") and len(e.norm.split()) >= 2),
        lambda e: initials(e.norm) | e.defined_acronyms,
    )
    alone = _short_only_roots(c, {"acronym", "party-word"})
    for e in c.elements:
        if e.shape == "acronym" and c.uf.find(e.index) in alone:
            key = e.norm.replace(" ", "")
            if longs.get(key):
                c.attach_if_unique(e.index, longs[key], "acronym-initials", 0.9)


def surname_pass(c: Clusterer) -> None:
    """A bare surname (or "S. Lavrov") with no full form in its article joins
    the one person cluster in the corpus with that surname; if two people
    share it, it joins neither and stays its own (ambiguous) node."""
    by_last = _roots_by(
        c, (e for e in c.elements if e.shape == "full"), lambda e: [skeleton(e.core[-1])]
    )
    initials_of: dict[int, set[str]] = defaultdict(set)
    lasts_of: dict[int, set[str]] = defaultdict(set)
    for e in c.elements:
        if e.shape == "full":
            initials_of[c.uf.find(e.index)].add(e.core[0][0])
            lasts_of[c.uf.find(e.index)].add(e.core[-1])
    for e in c.elements:
        if e.shape not in ("single", "initial") or c.uf.has_fullname(e.index):
            continue
        last = e.core[-1]
        candidates = [
            f
            for f in by_last.get(skeleton(last), [])
            if any(part_compatible(last, other) for other in lasts_of[f])
        ]
        if e.shape == "initial":
            candidates = [f for f in candidates if e.core[0][0] in initials_of[f]]
        if candidates:
            c.attach_if_unique(e.index, candidates, "surname-of-one-person", 0.85)


def leftover_pass(c: Clusterer) -> None:
    """Remaining short forms with the same spelling are one node ("Assad"
    seen without evidence in three articles is one ambiguous node)."""
    # a generic word a group was called by ("ELN rebels") keeps its cluster
    # short, but is never itself grouped by spelling across articles
    alone = _short_only_roots(c, {"single", "initial", "acronym", "party-word"})
    chosen = [e for e in c.elements if c.uf.find(e.index) in alone and e.shape != "party-word"]
    groups = _group_by(chosen, lambda e: e.norm)
    c.link_groups((groups[k] for k in sorted(groups)), "same-normalised-form", 1.0)
    plural_pass(c, [e for e in chosen if e.shape == "single"])


def plural_pass(c: Clusterer, singles: list[Element]) -> None:
    """ "Houthi" / "Houthis": one-word names of a group in the singular and
    the plural are one actor, unless either was ever read as a person
    ("William" / "Williams" stay apart)."""
    groups = _group_by(
        (e for e in singles if e.norm.isalpha() and not e.kinds.get("person")),
        lambda e: e.norm.removesuffix("s"),
    )
    for key in sorted(groups):
        forms = {c.elements[i].norm for i in groups[key]}
        if len(forms) > 1:
            c.link_groups([groups[key]], "singular-and-plural", 0.9)


def descriptor_pass(c: Clusterer) -> None:
    """ "the Kazakh capital" joins the capital when the corpus names it."""
    places = _group_by([e for e in c.elements if e.key], lambda e: e.key)
    for e in c.elements:
        if e.descriptor_of and e.descriptor_of in places:
            c.link(e.index, places[e.descriptor_of][0], "capital-of-state", 0.9)


def fuzzy_venue_pass(c: Clusterer) -> None:
    reps = _representatives(c, {"name", "lex"})
    blocks: dict[tuple, list[Element]] = defaultdict(list)
    for e in reps:
        blocks[("venue", skeleton(e.norm.replace(" ", "")))].append(e)
    candidates = _fuzzy_candidates(
        _split_blocks(blocks, lambda e: e.norm[:2]),
        fuzz.ratio,
        VENUE_ACCEPT,
        ("venue-spelling-variant", "venue-too-far"),
    )
    _merge_by_score(c, candidates, accept=VENUE_ACCEPT)


def leader_pass(c: Clusterer) -> None:
    """Resolve "<leader> regime" to the party of the leader's state: the
    surname must name exactly one person cluster, whose roles name exactly
    one state. Unresolved forms group by spelling."""
    people = _roots_by(c, (e for e in c.elements if e.shape == "full"), lambda e: [e.core[-1]])
    states: dict[int, set[str]] = defaultdict(set)
    for e in c.elements:
        for role in e.roles:
            state = LEXICON.state_in_role(role)
            if state:
                states[c.uf.find(e.index)].add(state)
    parties = _group_by([e for e in c.elements if e.key], lambda e: e.key)
    leftovers = []
    for e in c.elements:
        parsed = parse_leader_collective(e.norm) if e.shape == "leader-collective" else None
        if not parsed:
            continue
        family, leader = parsed
        roots = {c.uf.find(r) for r in people.get(leader, []) + people.get(leader + "s", [])}
        found = {s for r in roots for s in states.get(r, set())}
        key = f"col:{family}:{next(iter(found))}" if len(roots) == 1 and len(found) == 1 else None
        if key and key in parties:
            c.link(e.index, parties[key][0], "party-of-leader", 0.8)
        elif key:
            e.key = key
            root_state = c.uf.state[c.uf.find(e.index)]
            root_state.keys = root_state.keys | {key}
            parties[key] = [e.index]
        else:
            leftovers.append(e)
    groups = _group_by(leftovers, lambda e: e.norm)
    c.link_groups((groups[k] for k in sorted(groups)), "same-normalised-form", 1.0)


# -- helpers --------------------------------------------------------------------------


def _group_by(items: Iterable[Element], key: Callable) -> dict:
    groups: dict = defaultdict(list)
    for item in items:
        groups[key(item)].append(item.index)
    return groups


def _representatives(c: Clusterer, shapes: set[str]) -> list[Element]:
    """One element per distinct normalised form (the first), for pair scoring."""
    seen: dict[str, Element] = {}
    for e in c.elements:
        if e.shape in shapes and e.norm not in seen:
            seen[e.norm] = e
    return list(seen.values())


def _split_blocks(blocks: dict, subkey: Callable) -> list[list[Element]]:
    """Blocks in a stable order; an oversized block is split by `subkey`."""
    out = []
    for key in sorted(blocks, key=repr):
        block = blocks[key]
        if len(block) <= MAX_BLOCK:
            out.append(block)
            continue
        sub: dict = defaultdict(list)
        for e in block:
            sub[subkey(e)].append(e)
        out.extend(sub[k] for k in sorted(sub, key=repr))
    return out


def _merge_by_score(
    c: Clusterer, candidates: dict[tuple[int, int], tuple[float, str]], accept: float = 0.0
) -> None:
    """Strongest pairs first; pairs below `accept` or flagged as different
    people are only recorded as near-misses."""
    ordered = sorted(candidates.items(), key=lambda kv: (-kv[1][0], kv[0]))
    for (a, b), (score, rule) in ordered:
        if rule == "middle-name-variant":
            continue
        if rule in ("different-people", "organisation-too-far", "venue-too-far"):
            c.near_miss(a, b, rule, score / 100)
        elif score >= accept:
            c.link(a, b, rule, score / 100)


def _roots_by(c: Clusterer, items: Iterable[Element], keys: Callable) -> dict[str, list[int]]:
    """key -> the distinct cluster roots (at call time) of the items with that
    key: candidate lists stay as short as the number of clusters, not of
    mentions, which keeps the short-form passes linear."""
    found: dict[str, set[int]] = defaultdict(set)
    for e in items:
        for key in keys(e):
            found[key].add(c.uf.find(e.index))
    return {key: sorted(roots) for key, roots in found.items()}


def _short_only_roots(c: Clusterer, shapes: set[str]) -> set[int]:
    """Roots of the clusters made only of forms of these shapes."""
    bad: set[int] = set()
    roots: set[int] = set()
    for e in c.elements:
        root = c.uf.find(e.index)
        roots.add(root)
        if e.shape not in shapes:
            bad.add(root)
    return roots - bad


def _fuzzy_candidates(
    blocks, scorer, accept: float, rules: tuple[str, str]
) -> dict[tuple[int, int], tuple[float, str]]:
    """Score every pair inside each block; pairs above the near-miss floor
    become candidates, named by the accepting rule or the near-miss rule so
    `kg explain` can show both."""
    merged_rule, near_miss_rule = rules
    candidates: dict[tuple[int, int], tuple[float, str]] = {}
    for block in blocks:
        for x, left in enumerate(block):
            for right in block[x + 1 :]:
                score = scorer(left.norm, right.norm)
                if score >= NEAR_MISS_FLOOR and left.norm != right.norm:
                    rule = merged_rule if score >= accept else near_miss_rule
                    candidates[(left.index, right.index)] = (score, rule)
    return candidates
