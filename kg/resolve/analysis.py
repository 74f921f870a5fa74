"""What one form is: its shape (full person name, bare surname, acronym,
organisation, lexicon entity, collective party, venue descriptor), its
lexicon identity and its hard kind, all read from the lexicon data file.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from kg.resolve.cluster import Element
from kg.resolve.lexicon import LEXICON
from kg.resolve.names import core_tokens, is_acronym


def analyse_actor(element: Element, votes: Counter[str]) -> None:
    """Decide the shape, lexicon identity and hard kind of an actor form."""
    norm = element.norm
    body = LEXICON.body_by_form.get(norm)
    state = LEXICON.state_of(norm)
    element.core = core_tokens(norm)
    if body:
        element.shape, element.key, element.hard = "lex", f"body:{body}", "org"
    elif state:
        element.shape, element.key = "lex", f"state:{state}"
    elif parse_collective(norm) and _described(element, parse_collective(norm)[0]):
        element.shape = "collective"
    elif parse_leader_collective(norm):
        element.shape, element.hard = "leader-collective", "org"
    elif any(is_acronym(s) for s in element.surfaces):
        element.shape, element.hard = "acronym", "org"
    elif any(w in LEXICON.org_keywords for w in norm.split()):
        element.shape, element.hard = "org", "org"
    elif len(element.core) >= 2:
        personal = votes.get("person", 0) >= sum(votes.values()) - votes.get("person", 0)
        if personal and capitalised(element.surface):
            element.shape = "initial" if len(element.core[0]) == 1 else "full"
            element.hard = "person"
        else:
            element.shape, element.hard = "org", "org"
    else:
        element.shape = "single"


def _described(element: Element, family: str) -> bool:
    """A family of descriptions only ("Syrian forces") does not take a
    proper name written with a capitalised head ("Sudanese Armed Forces");
    one word says nothing ("Army chief ..." opens a sentence)."""
    if family not in LEXICON.collective_lowercase_only:
        return True
    return all(len(s.split()) < 2 or not s.split()[-1][:1].isupper() for s in element.surfaces)


def capitalised(surface: str) -> bool:
    """Every word but particles and stop words starts with a capital: the
    shape of a proper name ("Bashar al-Assad", "Institute for the Study of
    War"), not of a description ("Black Sea resort")."""
    words = [w for w in re.split(r"[\s\-]+", surface) if w]
    skip = LEXICON.particles | LEXICON.stopwords
    named = [w for w in words if w.lower().strip(".'") not in skip]
    return bool(named) and all(w[:1].isupper() for w in named)


@lru_cache(maxsize=65536)
def parse_collective(norm: str) -> tuple[str, str | None] | None:
    """ "syrian regime" -> ("government", "Syria"); "armed rebel groups" ->
    ("opposition", None); anything else -> None."""
    words = norm.split()
    state = None
    for size in (3, 2, 1):
        if len(words) > size:
            prefix = " ".join(words[:size])
            found = LEXICON.state_of(prefix)
            if not found and prefix.endswith("s"):
                found = LEXICON.state_by_form.get(prefix[:-1])
            if found:
                state, words = found, words[size:]
                break
    rest = " ".join(words)
    while rest not in LEXICON.collective_heads:
        modifier = next(
            (m for m in sorted(LEXICON.collective_modifiers) if rest.startswith(m + " ")), None
        )
        if modifier is None:
            return None
        rest = rest[len(modifier) + 1 :]
    return (LEXICON.collective_heads[rest], state)


@lru_cache(maxsize=65536)
def parse_leader_collective(norm: str) -> tuple[str, str] | None:
    """ "assad regime" -> ("government", "assad"); "assad opponents" ->
    ("opposition", "assad"). The leader is one name word, not a state."""
    words = norm.split()
    if len(words) != 2 or words[1] not in LEXICON.leader_heads:
        return None
    leader = words[0].removesuffix("s") if words[0].endswith("s") else words[0]
    if LEXICON.state_of(words[0]) or words[0] in LEXICON.org_keywords:
        return None
    return (LEXICON.leader_heads[words[1]], leader)


def analyse_venue(element: Element) -> None:
    norm = element.norm
    element.core = core_tokens(norm)
    capital = LEXICON.capital_by_form.get(norm)
    state = LEXICON.state_by_form.get(norm)
    if capital:
        element.shape, element.key = "lex", f"place:{capital[0]}"
        element.countries = {capital[1]: 0, **(element.countries or {})}
    elif state:
        element.shape, element.key = "lex", f"place:{state}"
    else:
        element.descriptor_of = _capital_descriptor(norm)
        element.shape = "descriptor" if element.descriptor_of else "name"


def _capital_descriptor(norm: str) -> str | None:
    """ "kazakh capital" / "capital of kazakhstan" -> "place:Astana"."""
    words = norm.split()
    state = None
    if len(words) >= 2 and words[-1] == "capital":
        prefix = " ".join(words[:-1])
        state = LEXICON.state_of(prefix) or LEXICON.state_by_form.get(prefix.removesuffix("s"))
    elif len(words) >= 3 and words[0] == "capital" and words[1] == "of":
        state = LEXICON.state_of(" ".join(words[2:]))
    capital = LEXICON.capital_of.get(state) if state else None
    return f"place:{capital}" if capital else None
