"""Loads ingest's data files (kg/ingest/patterns/*.yml) once.

Clean-up rules, metadata field names and file signatures live in YAML so that
they can grow without code changes and so that no rule is hidden in a literal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from kg.errors import IngestError


@dataclass(frozen=True)
class LineRule:
    """One whole-line pattern, only tried on lines of at most `max_words` words."""

    regex: re.Pattern[str]
    max_words: int

    def matches(self, line: str, words: int) -> bool:
        return words <= self.max_words and self.regex.fullmatch(line) is not None


def _load(name: str) -> dict[str, Any]:
    try:
        text = resources.files("kg.ingest").joinpath("patterns").joinpath(name).read_text("utf-8")
        data = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as exc:  # a broken install, not a bad input file
        raise IngestError(f"cannot load ingest pattern file {name}: {exc}") from exc
    if not isinstance(data, dict):
        raise IngestError(f"ingest pattern file {name} is not a mapping")
    return data


@cache
def boilerplate() -> dict[str, Any]:
    """boilerplate.yml with its patterns compiled into `LineRule`s."""
    data = _load("boilerplate.yml")
    default = int(data.get("default_max_words", 20))
    compiled: dict[str, Any] = dict(data)
    for key in ("boilerplate", "captions", "credit_only"):
        compiled[key] = tuple(
            LineRule(
                re.compile(item["pattern"], re.IGNORECASE), int(item.get("max_words", default))
            )
            for item in data.get(key, [])
        )
    compiled["bullets"] = re.compile(data["bullets"])
    return compiled


@cache
def formats() -> dict[str, Any]:
    """formats.yml as loaded (field-name lists, signatures, months)."""
    return _load("formats.yml")
