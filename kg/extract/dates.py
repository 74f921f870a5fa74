"""Dates in news text, resolved against the publication date.

News rarely writes a full date: "Wednesday", "April 18-19", "last week",
"December's ceasefire". The year and the exact day come from the publication
date, so every function here takes it and returns None when it is unknown or
when the expression does not pin a date down: a wrong date is worse than no
date (the evaluator matches meetings by overlapping dates).

Pure functions, no spaCy: `resolve(text, published, future)` is the one the
extractor calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS: dict[str, int] = {}
for _i, _name in enumerate((m.lower() for m in MONTH_NAMES), start=1):
    MONTHS[_name] = _i
    MONTHS[_name[:3]] = _i
MONTHS["sept"] = 9

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH_RE = r"(?P<m>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_RANGE_SEP = r"\s*(?:-|–|—|to|and|through|until|till)\s*"
# "April 18-19", "Feb. 25", "May 3 to 4", "April 30-May 2", "March 23, 2017"
_MD = re.compile(
    _MONTH_RE + r"\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?"
    r"(?:" + _RANGE_SEP + r"(?:(?P<m2>[a-z]{3,9})\.?\s+)?(?P<d2>\d{1,2})(?:st|nd|rd|th)?)?"
    r"(?:,?\s+(?P<y>\d{4}))?\b"
)
# "18-19 April", "3 May 2017"
_DM = re.compile(
    r"(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:" + _RANGE_SEP + r"(?P<d2>\d{1,2})(?:st|nd|rd|th)?)?"
    r"\s+(?:of\s+)?" + _MONTH_RE + r"(?:,?\s+(?P<y>\d{4}))?\b"
)
_ISO = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")
_MONTH_ONLY = re.compile(
    r"^(?:(?:in|since|from|of|early|late|mid|mid-)\s*)*"
    + _MONTH_RE
    + r"(?:'s)?(?:,?\s+(?P<y>\d{4}))?$"
)
_WEEKDAY = re.compile(
    r"^(?:(?P<rel>last|this|next|on|past|coming)\s+)?(?P<w>" + "|".join(WEEKDAYS) + r")(?:'s)?$"
)


@dataclass(frozen=True)
class DateSpan:
    """A resolved date or range. `precision` is "day" or "month"; a month
    span starts on the 1st (the evaluator compares ceasefires by month)."""

    start: str
    end: str | None = None
    precision: str = "day"


def parse_iso(value: str | None) -> date | None:
    """The publication date as a `date`, None when absent or malformed."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def pick_year(month: int, day: int, pub: date, future: bool | None) -> date | None:
    """The year a month/day without year most plausibly means: the next such
    day for future events, the last one for past events, else the closest."""
    candidates = [
        d for y in (pub.year - 1, pub.year, pub.year + 1) if (d := _safe_date(y, month, day))
    ]
    if not candidates:
        return None
    slack = timedelta(days=7)
    if future is True:
        ahead = [d for d in candidates if d >= pub - slack]
        return min(ahead) if ahead else None
    if future is False:
        behind = [d for d in candidates if d <= pub + slack]
        return max(behind) if behind else None
    return min(candidates, key=lambda d: abs((d - pub).days))


def _month_day(text: str, pub: date | None, future: bool | None) -> DateSpan | None:
    match = _MD.search(text) or _DM.search(text)
    if not match:
        return None
    month = MONTHS.get(match.group("m")[:4].rstrip(".")) or MONTHS.get(match.group("m")[:3])
    if month is None:
        return None
    d1 = int(match.group("d1"))
    year_text = match.group("y")
    if year_text:
        first = _safe_date(int(year_text), month, d1)
    elif pub is not None:
        first = pick_year(month, d1, pub, future)
    else:
        return None
    if first is None:
        return None
    end = None
    if match.group("d2"):
        month2 = month
        m2 = match.groupdict().get("m2")
        if m2:
            month2 = MONTHS.get(m2.lower()[:3], 0)
            if not month2:
                return DateSpan(first.isoformat())
        year2 = first.year + (1 if month2 < month else 0)
        last = _safe_date(year2, month2, int(match.group("d2")))
        if last is not None and last > first:
            end = last.isoformat()
    return DateSpan(first.isoformat(), end)


def _weekday(text: str, pub: date, future: bool | None) -> DateSpan | None:
    match = _WEEKDAY.match(text)
    if not match:
        return None
    target = WEEKDAYS.index(match.group("w"))
    rel = match.group("rel")
    if rel in ("next", "coming") or (future and rel not in ("last", "past")):
        delta = (target - pub.weekday()) % 7
        if rel in ("next",) and delta == 0:
            delta = 7
        return DateSpan((pub + timedelta(days=delta)).isoformat())
    delta = (pub.weekday() - target) % 7
    if rel in ("last", "past") and delta == 0:
        delta = 7
    return DateSpan((pub - timedelta(days=delta)).isoformat())


def _month_only(text: str, pub: date | None, future: bool | None) -> DateSpan | None:
    match = _MONTH_ONLY.match(text)
    if not match:
        return None
    month = MONTHS.get(match.group("m")[:3])
    if month is None:
        return None
    if match.group("y"):
        return DateSpan(f"{int(match.group('y')):04d}-{month:02d}-01", precision="month")
    if pub is None:
        return None
    if future is True:
        year = pub.year if month >= pub.month else pub.year + 1
    elif future is False or month != pub.month:
        year = pub.year if month <= pub.month else pub.year - 1
    else:
        year = pub.year
    return DateSpan(f"{year:04d}-{month:02d}-01", precision="month")


def _relative(text: str, pub: date) -> DateSpan | None:
    if text in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return DateSpan(pub.isoformat())
    if text in ("yesterday", "last night"):
        return DateSpan((pub - timedelta(days=1)).isoformat())
    if text == "tomorrow":
        return DateSpan((pub + timedelta(days=1)).isoformat())
    if text == "this month":
        return DateSpan(f"{pub.year:04d}-{pub.month:02d}-01", precision="month")
    if text == "last month":
        first = pub.replace(day=1) - timedelta(days=1)
        return DateSpan(f"{first.year:04d}-{first.month:02d}-01", precision="month")
    if text == "next month":
        nxt = (pub.replace(day=28) + timedelta(days=4)).replace(day=1)
        return DateSpan(nxt.isoformat(), precision="month")
    return None


def normalise(text: str) -> str:
    """Lower case, single spaces, no leading preposition, no trailing 's."""
    text = re.sub(r"\s+", " ", text.strip().lower()).replace("’", "'")
    text = re.sub(r"^(?:on|from|for|by|since|until|at)\s+", "", text)
    text = re.sub(r"'s$", "", text)
    # "Thursday night", "Monday morning": the day is what counts
    return re.sub(
        r"^((?:last |this |next )?\w+day)\s+(?:morning|afternoon|evening|night)$", r"\1", text
    )


def resolve(text: str, published: str | None, future: bool | None = None) -> DateSpan | None:
    """Resolve a date expression (a spaCy DATE entity's text, say) against
    the ISO publication date. `future` says the verb looks ahead (planned,
    will, next): it decides which "Wednesday" or which "April" is meant.
    Returns None when the expression does not fix a day or a month, or when it
    needs a publication date that is unknown."""
    norm = normalise(text)
    iso = _ISO.search(norm)
    if iso:
        day = _safe_date(int(iso.group("y")), int(iso.group("m")), int(iso.group("d")))
        return DateSpan(day.isoformat()) if day else None
    pub = parse_iso(published)
    span = _month_day(norm, pub, future)
    if span is not None:
        return span
    if pub is None:
        month = _MONTH_ONLY.match(norm)
        if month and month.group("y"):
            return _month_only(norm, None, future)
        return None
    return _weekday(norm, pub, future) or _relative(norm, pub) or _month_only(norm, pub, future)


def month_of(text: str, published: str | None, future: bool | None = False) -> str | None:
    """YYYY-MM-01 for the month an expression names (a day-precise date is
    cut to its month): what a ceasefire's date needs."""
    span = resolve(text, published, future)
    if span is None:
        return None
    return span.start[:7] + "-01"
