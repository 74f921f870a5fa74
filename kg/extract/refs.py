"""References to meetings and ceasefires, and the small parse helpers the
event rules share. A `Ref` is one mention in one sentence; a `Cluster` is the
event being built from the references that name the same real meeting."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from kg.extract import dates
from kg.model import Event

_FUTURE_AUX = {"will", "would", "'ll", "shall", "wo", "going"}


FINITE_TAGS = {"VBD", "VBN", "VBZ", "VBP"}


@dataclass
class Ref:
    """One reference to a meeting or ceasefire in one sentence."""

    label: str
    anchor: Token
    kind: str | None = None
    venue_key: str | None = None
    venue_name: str | None = None
    date: dates.DateSpan | None = None
    round: int | None = None
    marker: str | None = None  # "new" | "current" | "past"
    cues: set[str] = field(default_factory=set)
    series_city: str | None = None
    country: str | None = None  # the state it is held in ("talks in Sweden", or the city's)
    scope: str | None = None
    family: str = "ceasefire"
    peace: bool = False
    tokens: set[int] = field(default_factory=set)
    participants: list[Token] = field(default_factory=list)
    end_only: bool = False  # the date is when it ended ("talks ended Friday")
    start_only: bool = False  # the date is when it began ("the talks began on May 6")
    generic: bool = False  # "the deal": joins a ceasefire already named, never opens one


@dataclass
class Cluster:
    """An event being built from references."""

    event: Event
    refs: list[Ref]
    venue_name: str | None = None
    month: str | None = None
    venue_sentence: Span | None = None
    last_sent: int = -1
    country: str | None = None


def governing_verb(token: Token, hops: int = 6) -> Token | None:
    """Nearest verb above a noun (through preps, compounds and conjuncts)."""
    node = token
    for _ in range(hops):
        if node.pos_ in ("VERB", "AUX") and node is not token:
            return node
        if node.head is node:
            return node if node.pos_ in ("VERB", "AUX") else None
        node = node.head
    return None


def verb_chain(verb: Token | None, hops: int = 3) -> list[Token]:
    """The verb and the verbs it is an xcomp/ccomp/conj of ('agreed to hold')."""
    chain: list[Token] = []
    node = verb
    while node is not None and len(chain) <= hops:
        chain.append(node)
        if node.dep_ in ("xcomp", "ccomp", "conj", "advcl", "pcomp") and node.head is not node:
            node = node.head
        else:
            break
    return chain


def is_future(verb: Token) -> bool:
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in _FUTURE_AUX for c in verb.children)
