"""The user's alias file (e.g. `kg-aliases.yml`): forced merges, forced
separations and preferred canonical names.

    merge:
      - ["Sergey Lavrov", "Lavrov", "S. Lavrov"]
    separate:
      - ["Bashar al-Assad", "Hafez al-Assad"]
    canonical:
      - "Sergey Lavrov"          # or a mapping {"Lavrov": "Sergey Lavrov"}

Names are compared after `names.normalize` (titles, possessives and case do
not matter). A merge group wins over every rule; a separate group is a
cannot-link checked at every later merge. A file that asks for both (two
names of one separate group inside one merge group) is rejected, because no
graph could honour it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from kg.errors import ResolveError
from kg.resolve.names import clean_surface, normalize


@dataclass(frozen=True)
class AliasOverrides:
    """Steering for the resolver. Every name is kept as the user wrote it."""

    merge: tuple[tuple[str, ...], ...] = ()
    separate: tuple[tuple[str, ...], ...] = ()
    canonical: tuple[tuple[str, str], ...] = ()  # (a form of the cluster, its canonical name)

    def __post_init__(self) -> None:
        validate_overrides(self)

    def merge_groups(self, titles: bool = True) -> list[frozenset[str]]:
        """Normalised names of each merge group (`titles`: strip leading
        titles as actor forms are; venues keep theirs)."""
        return [frozenset(override_key(n, titles) for n in group) for group in self.merge]

    def separate_groups(self, titles: bool = True) -> list[tuple[str, ...]]:
        return [tuple(override_key(n, titles) for n in group) for group in self.separate]

    def canonical_names(self, titles: bool = True) -> dict[str, str]:
        """normalised form -> the canonical spelling the user asked for."""
        return {override_key(form, titles): name for form, name in self.canonical}


def override_key(name: str, titles: bool = True) -> str:
    return normalize(clean_surface(name, titles))


def validate_overrides(overrides: AliasOverrides) -> None:
    """Raise ResolveError when a merge group joins two names a separate group
    keeps apart (directly or through overlapping merge groups)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for group in overrides.merge_groups():
        items = sorted(group)
        for item in items[1:]:
            parent[find(item)] = find(items[0])
    for raw, group in zip(overrides.separate, overrides.separate_groups(), strict=True):
        roots = [find(name) for name in group]
        if len(set(roots)) < len(roots):
            raise ResolveError(f"aliases file both merges and separates names in {list(raw)}")


def load_overrides(path: str | Path) -> AliasOverrides:
    """Read an aliases YAML file; any problem is one ResolveError line."""
    source = Path(path)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ResolveError(f"cannot read aliases file {source}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise ResolveError(f"aliases file {source} is not valid YAML{where}") from exc
    return overrides_from_data(data, str(source))


def overrides_from_data(data: object, source: str = "aliases") -> AliasOverrides:
    if data is None:
        return AliasOverrides()
    if not isinstance(data, dict):
        raise ResolveError(f"{source}: expected a mapping with merge/separate/canonical")
    unknown = sorted(set(data) - {"merge", "separate", "canonical"})
    if unknown:
        raise ResolveError(f"{source}: unknown key(s) {', '.join(map(str, unknown))}")
    merge = _groups(data.get("merge"), "merge", source)
    separate = _groups(data.get("separate"), "separate", source)
    canonical = _canonical(data.get("canonical"), source)
    return AliasOverrides(merge=merge, separate=separate, canonical=canonical)


def _groups(value: object, key: str, source: str) -> tuple[tuple[str, ...], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ResolveError(f"{source}: '{key}' must be a list of lists of names")
    groups = []
    for position, group in enumerate(value, start=1):
        if not isinstance(group, list) or len(group) < 2:
            raise ResolveError(f"{source}: {key} entry {position} must list at least two names")
        if not all(isinstance(n, str) and normalize(n) for n in group):
            raise ResolveError(f"{source}: {key} entry {position} has a name that is not text")
        groups.append(tuple(group))
    return tuple(groups)


def _canonical(value: object, source: str) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if isinstance(value, dict):
        pairs = list(value.items())
    elif isinstance(value, list):
        pairs = [(name, name) for name in value]
    else:
        raise ResolveError(f"{source}: 'canonical' must be a list of names or a mapping")
    if not all(isinstance(x, str) and normalize(x) for pair in pairs for x in pair):
        raise ResolveError(f"{source}: 'canonical' has a name that is not text")
    return tuple(pairs)
