"""Constrained clustering: elements, cannot-link state, the union-find and
the reason log.

The unit of clustering is an *element*: one normalised form of one label in
one article (all "Lavrov" mentions of an article are one element). Elements
are joined by a union-find whose clusters carry cannot-link state (hard
kind, lexicon entity, full person names, the user's "separate" groups), and
every union is checked against it at merge time, so no chain of individually
plausible links can join two incompatible clusters. Every merge and every
refused or ambiguous candidate is a `MergeReason`. The passes that propose
links live in `kg.resolve.passes`; form analysis in `kg.resolve.analysis`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from kg.model import MergeReason
from kg.resolve.names import skeleton

# a name part matches another with the same transliteration key and at least
# this rapidfuzz ratio ("sergey"/"sergei" 83), or with the same first letter and
# at least the second ratio (a spelling variant)
TRANSLIT_MIN_RATIO = 75.0
# longer words may differ in two vowels: "Haftar"/"Hifter" (66.7) is one name,
# "Hassan"/"Hussein" (61.5) and "Mohamed"/"Mahmoud" (57.1) stay apart
TRANSLIT_LONG_MIN_RATIO = 65.0
TRANSLIT_LONG_LENGTH = 6
SPELLING_MIN_RATIO = 88.0

_KIND_ORDER = ("person", "organization", "group", "country")


@dataclass(slots=True)
class Element:
    """One normalised form of one label in one article."""

    index: int
    label: str
    article: str
    norm: str
    first_offset: int
    surfaces: dict[str, int] = field(default_factory=dict)  # written form -> mentions
    kinds: dict[str, int] = field(default_factory=dict)
    # rarely filled: immutable empties until written (memory at 100k mentions)
    roles: frozenset[str] = frozenset()
    countries: dict[str, int] | None = None
    defined_acronyms: frozenset[str] = frozenset()
    shape: str = "other"
    key: str | None = None  # lexicon / collective / place identity
    hard: str | None = None  # "person" or "org": the cannot-mix class
    core: tuple[str, ...] = ()
    descriptor_of: str | None = None  # Venue "Kazakh capital" -> "place:Astana"
    forbid: dict[int, int] | None = None
    relative: bool = False  # introduced as someone's brother, son, ...
    # a collective form without a state whose text around it names one
    # ("Congo's government", "the government in Juba"); "" when two differ
    written_state: str | None = None
    surface: str = ""  # the representative written form, set by `settle`

    def settle(self) -> None:
        """Fix the representative form (most frequent, then smallest) once
        all mentions are in."""
        self.surface = min(self.surfaces.items(), key=lambda kv: (-kv[1], kv[0]))[0]

    @property
    def mention_count(self) -> int:
        return sum(self.surfaces.values())


@dataclass(slots=True)
class _State:
    """Cannot-link state of one cluster (kept on its root)."""

    hard: frozenset[str]
    keys: frozenset[str]
    fullnames: frozenset[tuple[str, ...]]
    forbid: dict[int, frozenset[int]]

    def absorb(self, other: _State) -> None:
        """Take the other cluster's constraints (the sets are small: kinds,
        lexicon keys, a person's few full-name variants)."""
        if other.hard - self.hard:
            self.hard = self.hard | other.hard
        if other.keys - self.keys:
            self.keys = self.keys | other.keys
        if other.fullnames - self.fullnames:
            self.fullnames = self.fullnames | other.fullnames
        if other.forbid:
            merged = dict(self.forbid)
            for entry, members in other.forbid.items():
                merged[entry] = merged.get(entry, frozenset()) | members
            self.forbid = merged


@lru_cache(maxsize=262144)
def part_compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    score = fuzz.ratio(a, b)
    if skeleton(a) == skeleton(b):
        long_words = min(len(a), len(b)) >= TRANSLIT_LONG_LENGTH
        if score >= (TRANSLIT_LONG_MIN_RATIO if long_words else TRANSLIT_MIN_RATIO):
            return True
    return a[0] == b[0] and score >= SPELLING_MIN_RATIO


@lru_cache(maxsize=262144)
def names_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Could two full person names (core tokens) name one person? Surname and
    given name must agree (transliteration, initials allowed); middle names
    must agree when both give one. "Bashar Assad" vs "Hafez Assad": no."""
    if not (part_compatible(a[-1], b[-1]) and part_compatible(a[0], b[0])):
        return False
    mid_a, mid_b = a[1:-1], b[1:-1]
    if mid_a and mid_b:
        if len(mid_a) != len(mid_b):
            return False
        return all(part_compatible(x, y) for x, y in zip(mid_a, mid_b, strict=True))
    return True


class ConstrainedUnionFind:
    """Union-find whose unions are refused when the clusters cannot-link."""

    def __init__(self, elements: list[Element]) -> None:
        self.parent = list(range(len(elements)))
        self.state = [_initial_state(e) for e in elements]

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def conflict(self, a: int, b: int) -> str | None:
        """Why the clusters of a and b may not merge, or None."""
        sa, sb = self.state[self.find(a)], self.state[self.find(b)]
        for entry, members in sa.forbid.items():
            if entry in sb.forbid and len(members | sb.forbid[entry]) > 1:
                return "user-separate"
        if sa.keys and sb.keys and sa.keys != sb.keys:
            return "different-entities"
        if _kind_clash(sa, sb) or _kind_clash(sb, sa):
            return "person-vs-organisation"
        for name_a in sa.fullnames:
            for name_b in sb.fullnames:
                if not names_compatible(name_a, name_b):
                    return "different-people"
        return None

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        low, high = min(ra, rb), max(ra, rb)
        self.parent[high] = low
        self.state[low].absorb(self.state[high])

    def has_fullname(self, x: int) -> bool:
        return bool(self.state[self.find(x)].fullnames)


def _kind_clash(sa: _State, sb: _State) -> bool:
    return "person" in sa.hard and ("org" in sb.hard or bool(sb.keys))


_NONE: frozenset = frozenset()
_NO_FORBID: dict[int, frozenset[int]] = {}


def _initial_state(e: Element) -> _State:
    return _State(
        hard=frozenset((e.hard,)) if e.hard else _NONE,
        keys=frozenset((e.key,)) if e.key else _NONE,
        fullnames=frozenset((e.core,)) if e.shape == "full" else _NONE,
        forbid={k: frozenset((v,)) for k, v in e.forbid.items()} if e.forbid else _NO_FORBID,
    )


class Clusterer:
    """Runs the passes over the elements of one label and records reasons."""

    def __init__(self, label: str, elements: list[Element]) -> None:
        self.label = label
        self.elements = elements
        self.uf = ConstrainedUnionFind(elements)
        self.reasons: list[MergeReason] = []

    def link(self, a: int, b: int, rule: str, score: float, force: bool = False) -> bool:
        """Try to merge; record the reason either way. True if now together."""
        if self.uf.find(a) == self.uf.find(b):
            return True
        why = None if force else self.uf.conflict(a, b)
        left, right = self.elements[a].surface, self.elements[b].surface
        if why:
            self.near_miss(a, b, f"{rule}; blocked: {why}", score)
            return False
        self.uf.union(a, b)
        if left != right:  # one spelling seen in two articles explains itself
            self.reasons.append(MergeReason(self.label, left, right, rule, round(score, 3), True))
        return True

    def near_miss(self, a: int, b: int, rule: str, score: float) -> None:
        left, right = self.elements[a].surface, self.elements[b].surface
        if left != right:
            self.reasons.append(MergeReason(self.label, left, right, rule, round(score, 3), False))

    def link_groups(self, groups: Iterable[list[int]], rule: str, score: float) -> None:
        for members in groups:
            for other in members[1:]:
                self.link(members[0], other, rule, score)

    def roots(self, indices: Iterable[int]) -> list[int]:
        return sorted({self.uf.find(i) for i in indices})

    def attach_if_unique(self, item: int, candidates: list[int], rule: str, score: float) -> None:
        """Join `item` to the one compatible candidate cluster; with two or
        more it joins none of them (recorded as near-misses)."""
        roots = [r for r in self.roots(candidates) if r != self.uf.find(item)]
        fitting = [r for r in roots if self.uf.conflict(item, r) is None]
        if len(fitting) == 1:
            self.link(item, fitting[0], rule, score)
            return
        for root in roots:
            why = "ambiguous" if len(fitting) > 1 else (self.uf.conflict(item, root) or "none")
            self.near_miss(item, self._representative(root, candidates), f"{rule}; {why}", score)

    def _representative(self, root: int, candidates: list[int]) -> int:
        return min(c for c in candidates if self.uf.find(c) == root)

    def clusters(self) -> list[list[Element]]:
        groups: dict[int, list[Element]] = defaultdict(list)
        for element in self.elements:
            groups[self.uf.find(element.index)].append(element)
        return [groups[root] for root in sorted(groups)]


def cluster_kind(members: list[Element]) -> str:
    """country/organization/group from the lexicon or collective identity,
    person when a full person name is in it, else the majority vote of the
    mentions (ties: person > organization > group > country)."""
    keys = {e.key for e in members if e.key}
    if any(k.startswith("state:") for k in keys):
        return "country"
    if any(k.startswith("body:") for k in keys):
        return "organization"
    if any(k.startswith("col:") for k in keys):
        return "group"
    if any(e.hard == "person" for e in members):
        return "person"
    votes: Counter[str] = Counter()
    # a generic word the cluster was called by ("the guerrillas") says
    # nothing about what kind of actor the named group is
    for e in [e for e in members if e.shape != "party-word"] or members:
        votes.update(e.kinds)
    if any(e.hard == "org" for e in members):
        votes.pop("person", None)
        if not votes:
            return "organization"
    if not votes:
        return "person" if any(e.shape == "single" for e in members) else "organization"
    return min(votes, key=lambda k: (-votes[k], _KIND_ORDER.index(k) if k in _KIND_ORDER else 9))
