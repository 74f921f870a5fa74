"""One reader per input format, all producing `Draft`s, and `finish` which
turns a draft into an `Article` the same way for every format.

Readers only find where title, body and metadata live; clean-up, dates from
the text, title choice and word counts happen once, in `finish`, so every
format gets the same treatment.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import yaml

from kg.errors import IngestError
from kg.ingest import clean
from kg.ingest.data import formats
from kg.ingest.dates import find_dateline, parse_date
from kg.ingest.html import (
    fragment_lines,
    html_kind,
    page_story,
    strip_inline_tags,
)
from kg.model import Article

_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_YAML_KEY = re.compile(r"^[\w.-]+[ \t]*:")
_MAX_TITLE_WORDS = 30
_MAX_DEPTH, _MAX_ITEMS = 4, 50
_DERIVED_TITLE_WORDS = 14


@dataclass
class Draft:
    """Where a reader found things; `markup` is "text", "markdown" or "html"."""

    body: str
    markup: str = "text"
    title: str | None = None
    url: str | None = None
    published: str | None = None
    source: str | None = None
    author: str | None = None
    label: str = ""  # "record 3" / "line 7" for multi-record files
    # plain text and Markdown without a metadata title start with their title;
    # a JSON text field or an HTML story is all body
    title_in_body: bool = True


# -- metadata helpers ------------------------------------------------------------------


def _scalar(value: Any, depth: int = 0) -> str | None:
    """A metadata value as one clean line: lists give their first item,
    folded YAML scalars lose their line breaks, mappings their "name".
    Nesting is followed only a few levels (YAML aliases can nest deeply)."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(value, list):
        return next((s for s in (_scalar(v, depth + 1) for v in value[:_MAX_ITEMS]) if s), None)
    if isinstance(value, dict):
        return _scalar(value.get("name") or value.get("title"), depth + 1)
    if value is None or isinstance(value, bool):
        return None
    text = re.sub(r"\s+", " ", str(value)).strip()
    return text or None


def _first(mapping: dict[str, Any], keys: list[str]) -> Any:
    lowered = {str(k).lower(): v for k, v in mapping.items()}
    for key in keys:
        value = lowered.get(key.lower())
        if value not in (None, "", [], {}):
            return value
    return None


def _first_date(mapping: dict[str, Any], keys: list[str]) -> str | None:
    lowered = {str(k).lower(): v for k, v in mapping.items()}
    for key in keys:
        iso = parse_date(lowered.get(key.lower()))
        if iso:
            return iso
    return None


def _url(value: Any) -> str | None:
    text = _scalar(value)
    return text if text and re.match(r"^[a-z][a-z0-9+.-]*://\S+$", text, re.I) else None


def domain(url: str | None) -> str | None:
    """ "https://www.example.com/x" -> "example.com"."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def _fields(mapping: dict[str, Any], keys: dict[str, list[str]]) -> dict[str, Any]:
    return {
        "title": _scalar(_first(mapping, keys["title"])),
        "url": _url(_first(mapping, keys["url"])),
        "published": _first_date(mapping, keys["date"]),
        "source": _scalar(_first(mapping, keys["source"])),
        "author": _scalar(_first(mapping, keys.get("author", []))),
    }


# -- text and markdown -----------------------------------------------------------------


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """YAML front matter (--- ... ---) off the top of a text file."""
    match = _FRONT_MATTER.match(text)
    if not match or not _YAML_KEY.match(match.group(1).lstrip()):
        return {}, text  # a rule line opening a plain text, not front matter
    try:
        data = yaml.safe_load(match.group(1))
    except RecursionError as exc:
        raise IngestError("malformed YAML front matter: nested too deeply") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise IngestError(f"malformed YAML front matter: {problem}{where}") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise IngestError(f"malformed YAML front matter: a {type(data).__name__}, not a mapping")
    return data, text[match.end() :]


def read_text(text: str, markup: str) -> Draft:
    """.txt / .md: optional front matter, then the body (which may hold HTML)."""
    meta, body = split_front_matter(text)
    return Draft(body=body, markup=markup, **_fields(meta, formats()["front_matter"]))


# -- HTML ------------------------------------------------------------------------------


def _page_title(title: str | None, site: str | None) -> str | None:
    """<title> without its " | Site name" suffix: cut at the last " | ", or at
    the last " - " when what follows is the site's name."""
    if not title:
        return None
    head, bar, _tail = title.rpartition(" | ")
    if bar and head.strip():
        return head.strip()
    match = re.match(r"^(.*\S)\s+[–—-]\s+(.+)$", title)
    if match and site and match.group(2).strip().casefold() == site.casefold():
        return match.group(1)
    return title


def read_html(text: str) -> Draft:
    """.html: story blocks plus title/date/url/source from meta tags."""
    page, blocks = page_story(text)
    fields = _fields(page.meta, formats()["html"])
    title = fields["title"] or page.h1 or _page_title(page.title, fields["source"])
    if not blocks:
        raise IngestError("no article text found in HTML")
    body = "\n\n".join(blocks)
    fields["title"] = _scalar(title)
    return Draft(body=body, markup="html", title_in_body=False, **fields)


# -- JSON ------------------------------------------------------------------------------


def _body_value(value: Any, depth: int = 0) -> str | None:
    """Article text from a string, a list of paragraphs or {"text": ...}."""
    if depth > _MAX_DEPTH:
        return None
    if isinstance(value, list):
        parts = [_body_value(item, depth + 1) for item in value]
        return "\n\n".join(p for p in parts if p) or None
    if isinstance(value, dict):
        inner = value.get("text") or value.get("body") or value.get("content")
        return _body_value(inner, depth + 1)
    if isinstance(value, str) and value.strip():
        return value
    return None


def record_draft(record: Any, label: str) -> Draft:
    """One JSON object -> Draft; raises IngestError naming what is missing."""
    if not isinstance(record, dict):
        raise IngestError(f"{label}: not a JSON object (found {_json_type(record)})")
    keys = formats()["json"]
    body = _body_value(_first(record, keys["text"]))
    if body is None:
        fields = ", ".join(keys["text"][:3])
        raise IngestError(f"{label}: no article text (none of the fields {fields}, ...)")
    return Draft(body=body, label=label, title_in_body=False, **_fields(record, keys))


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


def json_records(text: str) -> list[tuple[str, Any]]:
    """.json: an object, a list of objects, or an object holding such a list."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise IngestError(f"invalid JSON: {exc}") from exc
    except RecursionError as exc:
        raise IngestError("invalid JSON: nested too deeply") from exc
    if isinstance(data, dict):
        collection = _first(data, formats()["json"]["collections"])
        if isinstance(collection, list) and _first(data, formats()["json"]["text"]) is None:
            data = collection
        else:
            return [("record 1", data)]
    if not isinstance(data, list):
        raise IngestError(f"JSON is not an object or a list of objects (found {_json_type(data)})")
    return [(f"record {n}", item) for n, item in enumerate(data, start=1)]


def jsonl_records(text: str) -> tuple[list[tuple[str, Any]], list[str]]:
    """.jsonl: one object per line; broken lines are reported, the rest kept."""
    records: list[tuple[str, Any]] = []
    problems: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            records.append((f"line {number}", json.loads(line)))
        except ValueError as exc:
            problems.append(f"line {number}: invalid JSON ({exc})")
        except RecursionError:
            problems.append(f"line {number}: invalid JSON (nested too deeply)")
    return records, problems


# -- the common finish -----------------------------------------------------------------


def _body_lines(draft: Draft) -> list[str]:
    if draft.markup == "html":
        lines = draft.body.split("\n")
    elif html_kind(draft.body) == "block":
        lines = fragment_lines(draft.body)
    elif html_kind(draft.body) == "inline":
        lines = strip_inline_tags(draft.body).split("\n")
    else:
        lines = clean.unescape_entities(draft.body).split("\n")
    if draft.markup == "markdown":
        lines = clean.strip_markdown(lines)
    return clean.normalise("\n".join(lines)).split("\n")


def _derived_title(text: str) -> str:
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    words = first.split()
    return " ".join(words[:_DERIVED_TITLE_WORDS]) + (
        "…" if len(words) > _DERIVED_TITLE_WORDS else ""
    )


def _choose_title(draft: Draft, paras: list[str]) -> tuple[str, list[str]]:
    """Metadata title, else the first line of a plain text when it reads like
    a headline, else the start of the first sentence (text left whole)."""
    if draft.title:
        title = draft.title
        if draft.markup == "markdown":
            title = clean.strip_markdown([title])[0]
        title = clean.normalise(clean.unescape_entities(title)).replace("\n", " ")
        if paras and clean.dedupe_key(paras[0]) == clean.dedupe_key(title):
            paras = paras[1:]
        return title, paras
    if draft.title_in_body and len(paras) > 1 and len(paras[0].split()) <= _MAX_TITLE_WORDS:
        return paras[0], paras[1:]
    return (_derived_title(paras[0]) if paras else ""), paras


def _first_line_paragraph(lines: list[str]) -> list[str]:
    """The first non-empty line stands alone (a plain-text title line)."""
    for index, line in enumerate(lines):
        if line:
            return [*lines[: index + 1], "", *lines[index + 1 :]]
    return lines


def finish(draft: Draft, *, article_id: str, path: str, sha256: str) -> Article:
    """Clean a draft into an Article; raises IngestError when no text is left."""
    lines = _body_lines(draft)
    published, date_lines = find_dateline(lines)
    lines = clean.clean_lines(lines, drop=date_lines)
    if not draft.title and draft.title_in_body:
        lines = _first_line_paragraph(lines)
    paras = clean.paragraphs(lines)
    title, paras = _choose_title(draft, paras)
    paras = clean.drop_signoff(paras)
    text = "\n\n".join(paras)
    if not text:
        where = " in HTML" if draft.markup == "html" else ""
        prefix = f"{draft.label}: " if draft.label else ""
        raise IngestError(f"{prefix}no article text found{where}")
    return Article(
        id=article_id,
        title=title,
        path=path,
        sha256=sha256,
        text=text,
        url=draft.url,
        published=draft.published or published,
        source=draft.source or domain(draft.url) or draft.author,
        word_count=len(text.split()),
    )
