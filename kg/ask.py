"""Prepared questions: named Cypher files with a machine-readable header.

Why files and not strings in code: a user can read, copy into Neo4j Browser
(after `:param name => value`) or add a question without touching Python, and
one file serves both stores. A store that needs its own form gets a sibling
`NAME.<dialect>.cypher` (e.g. `shortest-chain.ladybug.cypher`); the header
always lives in the common `NAME.cypher`.

Header format (leading `//` lines; a line without a known key continues the
previous one):

    // title: Meetings by venue and date
    // answers: every meeting with its venue, dates, status and series
    // param: venue = null  (part of a venue name, any case)
    // param: limit = 10  (how many rows)
    // example: kg ask meetings-by-venue -p venue=Vienna

A parameter's default is `null`, `true`/`false`, an integer, a number, a
"quoted string" or a bare word. A description starting with "required"
makes `run_question` refuse a null value. Every `$name` in the Cypher must be
declared and every declared parameter used, so `kg ask` can always fill them.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import QueryError
from kg.store.base import GraphStore

DEFAULT_QUESTIONS_DIR = Path(__file__).resolve().parent.parent / "cypher" / "questions"
HEADER_KEYS = ("title", "answers", "param", "example")
_HEADER_LINE = re.compile(r"^//\s?(?:(?P<key>[a-z]+):\s*)?(?P<text>.*)$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_]\w*)\s*=\s*(?P<default>\"[^\"]*\"|[^\s(]+)\s*(?:\((?P<help>.*)\))?\s*$"
)
_PARAM_USE = re.compile(r"\$([A-Za-z_]\w*)")


@dataclass
class Question:
    """One prepared question as its header describes it."""

    name: str
    title: str
    answers: str
    params: dict[str, Any] = field(default_factory=dict)  # name -> default
    param_help: dict[str, str] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    example: str = ""
    path: Path = Path()
    variants: dict[str, Path] = field(default_factory=dict)  # dialect -> file


def questions_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder questions are read from: argument, KG_QUESTIONS_DIR, or the repo's."""
    if override is not None:
        return Path(override)
    env = os.environ.get("KG_QUESTIONS_DIR")
    return Path(env) if env else DEFAULT_QUESTIONS_DIR


def list_questions(questions_dir: str | os.PathLike[str] | None = None) -> list[Question]:
    """Every question in the folder, by name. A malformed file raises QueryError."""
    folder = _folder(questions_dir)
    return [_read_question(path) for path in sorted(folder.glob("*.cypher")) if _is_base(path)]


def load_question(
    name: str, dialect: str, questions_dir: str | os.PathLike[str] | None = None
) -> tuple[Question, str]:
    """The question and the Cypher to run on a store of `dialect`: the
    per-store variant when one exists, else the common file."""
    folder = _folder(questions_dir)
    path = folder / f"{name}.cypher"
    if not _is_base(path) or not path.is_file():
        raise QueryError(_unknown_message(name, folder))
    question = _read_question(path)
    source = question.variants.get(dialect, path)
    cypher = _strip_comments(source.read_text(encoding="utf-8"))
    _check_params(question, cypher, source)
    return question, cypher


def parse_params(pairs: list[str], question: Question | None = None) -> dict[str, Any]:
    """["key=value", ...] -> dict. "null" becomes None; given a question,
    a value becomes an int (or float, bool) when the declared default is one."""
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise QueryError(f"parameter {pair!r} is not of the form key=value")
        params[key] = None if value.strip().lower() == "null" else value
    if question is not None:
        params = _coerce(question, params)
    return params


def run_question(
    store: GraphStore,
    name: str,
    params: dict[str, Any] | None = None,
    questions_dir: str | os.PathLike[str] | None = None,
) -> list[dict[str, Any]]:
    """Run a prepared question with its defaults filled in; rows as dicts."""
    question, cypher = load_question(name, store.dialect, questions_dir)
    given = dict(params or {})
    unknown = sorted(set(given) - set(question.params))
    if unknown:
        declared = ", ".join(question.params) or "none"
        raise QueryError(
            f"question {name!r} has no parameter {', '.join(unknown)} (its parameters: {declared})"
        )
    values = {**question.params, **_coerce(question, given)}
    missing = [p for p in question.required if values.get(p) is None]
    if missing:
        raise QueryError(
            f"question {name!r} needs "
            + ", ".join(f"-p {p}=..." for p in missing)
            + (f" (e.g. {question.example})" if question.example else "")
        )
    return store.query(cypher, values)


# -- parsing --------------------------------------------------------------------------


def _folder(override: str | os.PathLike[str] | None) -> Path:
    folder = questions_dir(override)
    if not folder.is_dir():
        raise QueryError(f"no questions folder at {folder}")
    return folder


def _is_base(path: Path) -> bool:
    """NAME.cypher, not NAME.<dialect>.cypher."""
    return "." not in path.name[: -len(".cypher")]


def _unknown_message(name: str, folder: Path) -> str:
    names = [p.name[: -len(".cypher")] for p in sorted(folder.glob("*.cypher")) if _is_base(p)]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    close += [n for n in names if name and name in n and n not in close]
    hint = f"did you mean {', '.join(close)}?" if close else f"known: {', '.join(names)}"
    return f"no prepared question {name!r}; {hint}"


def _read_question(path: Path) -> Question:
    fields = _header(path)
    name = path.name[: -len(".cypher")]
    for key in ("title", "answers"):
        if not fields.get(key):
            raise QueryError(f"{path}: header has no '// {key}:' line")
    params: dict[str, Any] = {}
    helps: dict[str, str] = {}
    required: list[str] = []
    for text in fields.get("param", []):
        match = _PARAM.match(text.strip())
        if match is None:
            raise QueryError(
                f"{path}: cannot read '// param: {text}' (want: name = default (help))"
            )
        pname, help_text = match["name"], (match["help"] or "").strip()
        params[pname] = _literal(match["default"])
        helps[pname] = help_text
        if help_text.lower().startswith("required"):
            required.append(pname)
    variants = {
        variant.name[len(name) + 1 : -len(".cypher")]: variant
        for variant in sorted(path.parent.glob(f"{name}.*.cypher"))
    }
    return Question(
        name=name,
        title=" ".join(fields["title"]),
        answers=" ".join(fields["answers"]),
        params=params,
        param_help=helps,
        required=tuple(required),
        example=" ".join(fields.get("example", [])),
        path=path,
        variants=variants,
    )


def _header(path: Path) -> dict[str, list[str]]:
    """The leading `//` lines as key -> list of values (param repeats)."""
    fields: dict[str, list[str]] = {}
    last: str | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line.startswith("//"):
            break
        match = _HEADER_LINE.match(line)
        key, text = (match["key"], match["text"].strip()) if match else (None, "")
        if key not in HEADER_KEYS:
            key, text = None, line[2:].strip()
        if key is not None:
            fields.setdefault(key, []).append(text)
            last = key
        elif last is not None and text:
            target = fields[last]
            if last == "param":
                target[-1] = f"{target[-1]} {text}"
            else:
                target.append(text)
    return fields


def _literal(text: str) -> Any:
    """A header default: JSON literals, quoted strings, else the bare word."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _strip_comments(text: str) -> str:
    """The Cypher without whole-line `//` comments (the header above all)."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    return "\n".join(lines).strip()


def _check_params(question: Question, cypher: str, source: Path) -> None:
    used = set(_PARAM_USE.findall(cypher))
    declared = set(question.params)
    if used - declared:
        raise QueryError(
            f"{source}: uses undeclared parameter(s) {', '.join(sorted(used - declared))}"
        )
    if declared - used:
        raise QueryError(
            f"{source}: declares unused parameter(s) {', '.join(sorted(declared - used))}"
        )


def _coerce(question: Question, params: dict[str, Any]) -> dict[str, Any]:
    """Strings from the command line take the type of the declared default."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        default = question.params.get(key)
        if isinstance(value, str) and default is not None and not isinstance(default, str):
            out[key] = _convert(question.name, key, value, default)
        else:
            out[key] = value
    return out


def _convert(name: str, key: str, value: str, default: Any) -> Any:
    text = value.strip()
    try:
        if isinstance(default, bool):
            if text.lower() not in ("true", "false"):
                raise ValueError(text)
            return text.lower() == "true"
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
    except ValueError:
        kind = type(default).__name__
        raise QueryError(
            f"question {name!r}: parameter {key} wants a {kind}, got {value!r}"
        ) from None
    return value
