"""Loads kg/resolve/lexicon.yml into look-up tables keyed by normalised form.

The knowledge (states, demonyms, capitals, international bodies, collective
party wording, titles, particles) lives in the YAML data file so that it can
be extended without touching code; this module only indexes it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kg.errors import ResolveError

LEXICON_PATH = Path(__file__).with_name("lexicon.yml")
_STOPWORDS = frozenset({"of", "the", "and", "for", "in", "on", "to", "de", "du", "des", "la", "a"})


def _norm(text: str) -> str:
    """A local copy of the normaliser's core (names.py imports this module,
    so it cannot be imported here); kept in step with names.normalize."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c)
    )
    folded = re.sub(r"['\u2019\u2018`\u02bc]", "", re.sub(r"(?<=\w)\.(?=\w)", "", folded))
    words = re.sub(r"[^\w\s]|_", " ", folded).split()
    while len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _plural(demonym: str) -> list[str]:
    """ "Russian" -> ["Russians"], "Saudi" -> ["Saudis"]; "French" has none."""
    if demonym.endswith(("ese", "sh", "ch", "ss", "s", "x", "z")):
        return []
    return [demonym + "s"]


@dataclass
class Lexicon:
    """Indexed world knowledge; every key is a normalised form."""

    state_by_form: dict[str, str] = field(default_factory=dict)
    state_by_demonym: dict[str, str] = field(default_factory=dict)
    demonym_of: dict[str, str] = field(default_factory=dict)
    capital_of: dict[str, str] = field(default_factory=dict)
    capital_by_form: dict[str, tuple[str, str]] = field(default_factory=dict)
    body_by_form: dict[str, str] = field(default_factory=dict)
    collective_heads: dict[str, str] = field(default_factory=dict)
    collective_canonical: dict[str, str] = field(default_factory=dict)
    collective_stateless: dict[str, str] = field(default_factory=dict)
    collective_modifiers: frozenset[str] = frozenset()
    # families whose forms are descriptions only (a capitalised head is a name)
    collective_lowercase_only: frozenset[str] = frozenset()
    # families whose forms do not lend their state to the article's others
    collective_no_lending: frozenset[str] = frozenset()
    leader_heads: dict[str, str] = field(default_factory=dict)
    org_keywords: frozenset[str] = frozenset()
    particles: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()
    alias_cues: tuple[str, ...] = ()  # lower case, as written ("a.k.a.")
    party_word_family: dict[str, str] = field(default_factory=dict)  # "guerrillas" -> "rebel"
    party_word_heads: dict[str, tuple[str, ...]] = field(default_factory=dict)
    party_word_suffixes: frozenset[str] = frozenset()
    party_word_names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    party_word_qualified_by: dict[str, str] = field(default_factory=dict)
    party_word_modifiers: frozenset[str] = frozenset()
    meeting_kind_groups: tuple[frozenset[str], ...] = ()
    meeting_start_cues: tuple[str, ...] = ()
    kinship: tuple[str, ...] = ()

    def kinds_compatible(self, a: str | None, b: str | None) -> bool:
        """Could two reports giving these meeting kinds be of one meeting?"""
        if not a or not b or a == b:
            return True
        if "meeting" in (a, b):
            return "call" not in (a, b)
        return any(a in group and b in group for group in self.meeting_kind_groups)

    def party_word(self, norm: str) -> str | None:
        """The family of a generic party form: "army delegation" -> "army"."""
        words = norm.split()
        while len(words) > 1 and words[0] in self.party_word_modifiers:
            words = words[1:]
        norm = " ".join(words)
        family = self.party_word_family.get(norm)
        if family is None:
            head, _, suffix = norm.rpartition(" ")
            if suffix in self.party_word_suffixes:
                family = self.party_word_family.get(head)
        return family

    stopwords: frozenset[str] = _STOPWORDS

    def state_in_role(self, role: str) -> str | None:
        """The state a role names at its start: "Syrian President" -> Syria."""
        words = _norm(role).split()
        for size in (3, 2, 1):
            if len(words) >= size:
                prefix = " ".join(words[:size])
                found = self.state_of(prefix) or self.state_by_form.get(prefix.removesuffix("s"))
                if found:
                    return found
        return None

    def state_of(self, norm: str) -> str | None:
        """The state a form names ("u s", "america", "russians") or None."""
        return self.state_by_form.get(norm) or self.state_by_demonym.get(norm)


def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ResolveError(f"cannot read resolver lexicon {path}: {exc}") from exc
    lex = Lexicon()
    for state in data.get("states", []):
        _add_state(lex, state)
    for body in data.get("bodies", []):
        for form in [body["name"], *body.get("aliases", [])]:
            lex.body_by_form.setdefault(_norm(form), body["name"])
    _add_collectives(lex, data.get("collectives", {}))
    lex.leader_heads = {_norm(k): v for k, v in data.get("leader_heads", {}).items()}
    lex.org_keywords = frozenset(_norm(w) for w in data.get("org_keywords", []))
    lex.particles = frozenset(_norm(w) for w in data.get("particles", []))
    lex.titles = frozenset(_norm(w) for w in data.get("titles", []))
    for family, spec in (data.get("party_words") or {}).items():
        for word in spec.get("words", []):
            lex.party_word_family.setdefault(_norm(word), family)
        lex.party_word_heads[family] = tuple(_norm(h) for h in spec.get("heads", []))
        lex.party_word_names[family] = tuple(_norm(h) for h in spec.get("names", []))
        if spec.get("qualified_by"):
            lex.party_word_qualified_by[family] = spec["qualified_by"]
    lex.party_word_modifiers = frozenset(_norm(w) for w in data.get("party_word_modifiers", []))
    lex.party_word_suffixes = frozenset(_norm(w) for w in data.get("party_word_suffixes", []))
    lex.meeting_kind_groups = tuple(
        frozenset(_norm(k) for k in group) for group in data.get("meeting_kind_groups", [])
    )
    lex.meeting_start_cues = tuple(
        " ".join(c.lower().split()) for c in data.get("meeting_start_cues", [])
    )
    lex.kinship = tuple(sorted({_norm(w) for w in data.get("kinship", [])}, key=len, reverse=True))
    lex.alias_cues = tuple(
        sorted({" ".join(c.lower().split()) for c in data.get("alias_cues", [])})
    )
    return lex


def _add_state(lex: Lexicon, state: dict) -> None:
    name = state["name"]
    for form in [name, *state.get("aliases", [])]:
        lex.state_by_form.setdefault(_norm(form), name)
    demonyms = state.get("demonyms", [])
    lex.demonym_of[name] = demonyms[0] if demonyms else name
    for demonym in demonyms:
        for form in [demonym, *_plural(demonym)]:
            lex.state_by_demonym.setdefault(_norm(form), name)
    capital = state.get("capital")
    if capital:
        lex.capital_of[name] = capital
        for form in [capital, *state.get("capital_aliases", [])]:
            lex.capital_by_form.setdefault(_norm(form), (capital, name))


def _add_collectives(lex: Lexicon, data: dict) -> None:
    lex.collective_modifiers = frozenset(_norm(m) for m in data.get("modifiers", []))
    for family, spec in data.items():
        if family == "modifiers":
            continue
        lex.collective_canonical[family] = spec["canonical"]
        lex.collective_stateless[family] = spec["stateless"]
        if not spec.get("proper_names", True):
            lex.collective_lowercase_only |= {family}
        if not spec.get("lends_state", True):
            lex.collective_no_lending |= {family}
        for head in spec.get("heads", []):
            lex.collective_heads.setdefault(_norm(head), family)


LEXICON = load_lexicon()
