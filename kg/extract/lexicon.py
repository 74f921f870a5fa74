"""The extract stage's lexicons, read once from the data files in patterns/.

Keeping word lists in JSONL/YAML keeps the rules general and reviewable: the
code says how a cue is used, the data says which words are cues.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kg.errors import ExtractError

PATTERNS_DIR = Path(__file__).parent / "patterns"


def _read_jsonl(name: str) -> list[dict[str, Any]]:
    path = PATTERNS_DIR / name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise ExtractError(f"cannot read pattern file {path}: {exc}") from exc


def _read_yaml(name: str) -> dict[str, Any]:
    path = PATTERNS_DIR / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ExtractError(f"cannot read pattern file {path}: {exc}") from exc


def _lower_set(values: Any) -> frozenset[str]:
    return frozenset(str(v).lower() for v in values or ())


@dataclass(frozen=True)
class Lexicon:
    """Every word list the rules consult, keyed for O(1) look-ups."""

    country_by_name: dict[str, str]  # "U.S." / "Russia" -> "United States" / "Russia"
    country_by_demonym: dict[str, str]  # "Russian" -> "Russia"
    capital_of: dict[str, str]  # "Moscow" -> "Russia"
    capital_by_country: dict[str, str]  # "Kazakhstan" -> "Astana"
    city_country: dict[str, str]  # "Geneva" -> "Switzerland"
    city_states: frozenset[str]  # "Kuwait", "Singapore": a state and its city share a name
    org_by_alias: dict[str, str]  # "U.N." -> "United Nations"
    ignore_orgs: frozenset[str]
    words: dict[str, Any]  # lexicon.yml
    roles: dict[str, Any]  # roles.yml
    parties: dict[str, Any]  # parties.yml
    sets: dict[str, frozenset[str]] = field(default_factory=dict)
    common_words: frozenset[str] = frozenset()  # lower-cased in Title Case headlines

    def set(self, name: str) -> frozenset[str]:
        """A lower-cased word list of lexicon.yml as a frozenset."""
        return self.sets[name]

    def country_of_name(self, text: str) -> str | None:
        """Canonical country for a name, alias or demonym as written."""
        clean = text.removeprefix("the ").removesuffix("'s").removesuffix("’s")
        return self.country_by_name.get(clean) or self.country_by_demonym.get(clean)


def _inflections(word: str) -> set[str]:
    stem = word[:-1] if word.endswith("e") else word
    return {
        word,
        word + "s",
        word + "es",
        word + "ed",
        stem + "ed",
        stem + "ing",
        word + "ing",
        word + "d",
    }


def _common_words(
    words: dict[str, Any], roles: dict[str, Any], parties: dict[str, Any]
) -> frozenset[str]:
    """Every trigger word of the lexicons (with simple inflections) plus English
    stop words: the words a Title Case headline capitalises needlessly."""
    from spacy.lang.en.stop_words import STOP_WORDS

    found: set[str] = set(STOP_WORDS)
    pools: list[Any] = [v for v in words.values() if isinstance(v, list | dict)]
    pools += [roles.get("head", []), roles.get("modifier", []), parties.get("heads", [])]
    pools += [
        parties.get("core", {}),
        parties.get("pre_modifiers", []),
        parties.get("followers", []),
    ]
    for pool in pools:
        for item in pool:
            if isinstance(item, str) and item.isalpha():
                found |= _inflections(item.lower())
            elif isinstance(item, list):
                found |= {w.lower() for w in item if isinstance(w, str) and w.isalpha()}
    found |= set(words.get("extra_common_words", []))
    return frozenset(found)


@lru_cache(maxsize=1)
def get_lexicon() -> Lexicon:
    """Load all lexicons once per process."""
    country_by_name: dict[str, str] = {}
    country_by_demonym: dict[str, str] = {}
    capital_of: dict[str, str] = {}
    capital_by_country: dict[str, str] = {}
    for row in _read_jsonl("countries.jsonl"):
        name = row["name"]
        for alias in [name, *row.get("aliases", [])]:
            country_by_name[alias] = name
        for demonym in row.get("demonyms", []):
            country_by_demonym[demonym] = name
        if row.get("capital"):
            capital_of[row["capital"]] = name
            capital_by_country[name] = row["capital"]
    cities = _read_jsonl("cities.jsonl")
    city_states = frozenset(row["name"] for row in cities if row.get("same_name_as_state"))
    city_country = {
        row["name"]: row["country"] for row in cities if not row.get("same_name_as_state")
    }
    city_country.update({city: country for city, country in capital_of.items()})
    org_by_alias: dict[str, str] = {}
    for row in _read_jsonl("organizations.jsonl"):
        for alias in [row["name"], *row.get("aliases", [])]:
            org_by_alias[alias] = row["name"]
    words = _read_yaml("lexicon.yml")
    roles = _read_yaml("roles.yml")
    parties = _read_yaml("parties.yml")
    sets: dict[str, frozenset[str]] = {}
    for key, value in words.items():
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            sets[key] = _lower_set(value)
            if key.endswith("_verbs"):  # the model's lemmas slip ("stages" -> "stag")
                sets[f"{key}_forms"] = frozenset(
                    f for v in sets[key] if " " not in v for f in _inflections(v)
                )
    for key in (
        "head",
        "modifier",
        "negotiating_heads",
        "mediating_heads",
        "non_party_heads",
        "leader_titles",
        "state_office_heads",
    ):
        sets[f"role_{key}"] = _lower_set(roles.get(key))
    sets["role_words"] = sets["role_head"] | sets["role_modifier"]
    sets["leader_titles"] = sets.pop("role_leader_titles")
    sets["state_office_heads"] = sets.pop("role_state_office_heads")
    sets["meeting_nouns"] = _lower_set(words["meeting_nouns"].keys())
    return Lexicon(
        common_words=_common_words(words, roles, parties),
        country_by_name=country_by_name,
        country_by_demonym=country_by_demonym,
        capital_of=capital_of,
        capital_by_country=capital_by_country,
        city_country=city_country,
        city_states=city_states,
        org_by_alias=org_by_alias,
        ignore_orgs=_lower_set(words.get("ignore_orgs")),
        words=words,
        roles=roles,
        parties=parties,
        sets=sets,
    )
