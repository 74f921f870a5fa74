"""Publication dates: any value a file may hold -> ISO "YYYY-MM-DD" or None.

Dates come from metadata (YAML timestamps, JSON epochs, HTML meta strings) or
from a dateline near the top of the text. Ambiguous numeric forms such as
"03/04/2017" are refused rather than guessed: a wrong date is worse than none
for the meeting-date reasoning downstream.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

from kg.ingest.data import formats

_YEARS = range(1900, 2101)


@cache
def _month_lookup() -> dict[str, int]:
    return {name: int(num) for num, names in formats()["months"].items() for name in names}


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """(regex, order of its groups). Month names come from formats.yml."""
    months = "|".join(sorted(_month_lookup(), key=len, reverse=True))
    month = rf"(?P<mon>{months})\.?"
    day = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
    year = r"(?P<y>\d{4})"
    flags = re.IGNORECASE
    return (
        (re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?![\d])", flags), "iso"),
        (re.compile(r"\b(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})\b", flags), "iso"),
        (re.compile(rf"\b{day}\s+(?:of\s+)?{month},?\s+{year}\b", flags), "named"),
        (re.compile(rf"\b{month}\s+{day},?\s+{year}\b", flags), "named"),
        (re.compile(r"\b(?P<a>\d{1,2})[./](?P<b>\d{1,2})[./](?P<y>\d{4})\b", flags), "numeric"),
    )


def _build(year: int, month: int, day: int) -> str | None:
    if year not in _YEARS:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _from_match(match: re.Match[str], kind: str) -> str | None:
    groups = match.groupdict()
    year, day = int(groups["y"]), int(groups.get("d") or 0)
    if kind == "iso":
        return _build(year, int(groups["m"]), day)
    if kind == "named":
        return _build(year, _month_lookup()[groups["mon"].lower()], day)
    first, second = int(groups["a"]), int(groups["b"])
    if first > 12 >= second:  # 14/03/2017: day first
        return _build(year, second, first)
    if second > 12 >= first:  # 03/14/2017: month first
        return _build(year, first, second)
    return None  # 03/04/2017 could be either


def find_date(text: str) -> tuple[str, re.Match[str]] | None:
    """The earliest date written in `text`, with the match that spelled it."""
    best: tuple[str, re.Match[str]] | None = None
    for regex, kind in _patterns():
        for match in regex.finditer(text):
            iso = _from_match(match, kind)
            if iso is None:
                continue
            if best is None or match.start() < best[1].start():
                best = (iso, match)
            break
    return best


def parse_date(value: Any) -> str | None:
    """Any metadata value -> ISO date, or None when it is not a date."""
    if isinstance(value, bool) or value is None:  # YAML `published: true`
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 1e11 else value  # epoch milliseconds
        try:
            stamp = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
        return stamp.date().isoformat() if stamp.year in _YEARS and seconds > 1e8 else None
    if isinstance(value, str):
        found = find_date(value)
        return found[0] if found else None
    if isinstance(value, list):
        for item in value:
            iso = parse_date(item)
            if iso:
                return iso
    return None


@cache
def _label_regexes() -> dict[str, re.Pattern[str]]:
    labels = formats()["dateline_labels"]
    return {
        key: re.compile(rf"^\W*{rx}(\s+(on|at))?\s*:?", re.IGNORECASE) for key, rx in labels.items()
    }


def _leftover_words(line: str, match: re.Match[str]) -> int:
    """Words on a date line besides the date, its label, time and weekday."""
    rest = line[: match.start()] + " " + line[match.end() :]
    for regex in _label_regexes().values():
        rest = regex.sub(" ", rest.strip())
    rest = re.sub(
        r"\b\d{1,2}[:.]\d{2}(\s*[ap]\.?m\.?)?\b|\b(gmt|utc|[a-z]{2,4}t)\b", " ", rest, flags=re.I
    )
    weekdays = set(formats()["weekdays"])
    return sum(1 for w in re.findall(r"[^\W\d_]+", rest) if w.lower() not in weekdays)


def find_dateline(lines: list[str]) -> tuple[str | None, set[int]]:
    """The publication date from the top of a text, and the indexes of the
    lines that hold nothing but that kind of date (so clean-up drops them).

    A "Published"/"Posted" label wins over an "Updated" one; a line that is
    only a date counts as published.
    """
    limit = int(formats()["dateline_lines"])
    found: dict[str, str] = {}
    date_only: set[int] = set()
    seen = 0
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        seen += 1
        if seen > limit:
            break
        hit = find_date(line)
        if hit is None:
            continue
        iso, match = hit
        label = next((k for k, rx in _label_regexes().items() if rx.match(line)), None)
        leftover = _leftover_words(line, match)
        if label is None and leftover > 0:
            continue  # a date inside a sentence says when something happened
        found.setdefault(label or "published", iso)
        if leftover <= 3:
            date_only.add(index)
    return found.get("published") or found.get("updated"), date_only
