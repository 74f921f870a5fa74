"""Dates against the publication date: absolute, relative, ranges, and None
whenever the text or a missing publication date leaves the day open."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.extract.dates import DateSpan, month_of, parse_iso, pick_year, resolve

PUB = "2017-03-15"  # a Wednesday


@pytest.mark.parametrize(
    ("text", "future", "expected"),
    [
        ("Wednesday", None, DateSpan("2017-03-15")),
        ("on Tuesday", None, DateSpan("2017-03-14")),
        ("last Wednesday", None, DateSpan("2017-03-08")),
        ("Tuesday", True, DateSpan("2017-03-21")),
        ("next Wednesday", None, DateSpan("2017-03-22")),
        ("yesterday", None, DateSpan("2017-03-14")),
        ("today", None, DateSpan("2017-03-15")),
        ("tomorrow", None, DateSpan("2017-03-16")),
        ("Tuesday night", None, DateSpan("2017-03-14")),
        ("last Monday morning", None, DateSpan("2017-03-13")),
    ],
)
def test_weekdays_and_relative_days(text: str, future: bool | None, expected: DateSpan) -> None:
    assert resolve(text, PUB, future) == expected


@pytest.mark.parametrize(
    ("text", "future", "start", "end"),
    [
        ("April 18-19", True, "2017-04-18", "2017-04-19"),
        ("May 3-4", True, "2017-05-03", "2017-05-04"),
        ("May 3", True, "2017-05-03", None),
        ("March 23", True, "2017-03-23", None),
        ("from March 23", True, "2017-03-23", None),
        ("Jan. 30", None, "2017-01-30", None),
        ("Feb. 25", False, "2017-02-25", None),
        ("April 30-May 2", True, "2017-04-30", "2017-05-02"),
        ("18-19 April", None, "2017-04-18", "2017-04-19"),
        ("3 May 2016", None, "2016-05-03", None),
        ("March 23, 2016", None, "2016-03-23", None),
        ("2016-02-10", None, "2016-02-10", None),
    ],
)
def test_month_day_and_ranges(text: str, future: bool | None, start: str, end: str | None) -> None:
    span = resolve(text, PUB, future)
    assert span is not None
    assert (span.start, span.end, span.precision) == (start, end, "day")


def test_year_follows_the_direction_of_the_verb() -> None:
    # a planned February meeting written in March is next year's
    assert resolve("Feb. 25", PUB, True) == DateSpan("2018-02-25")
    # a past December is last year's
    assert resolve("Dec. 30", PUB, False) == DateSpan("2016-12-30")
    # undecided: the closest one
    assert resolve("Dec. 30", PUB, None) == DateSpan("2016-12-30")


@pytest.mark.parametrize(
    ("text", "future", "expected"),
    [
        ("this month", None, "2017-03-01"),
        ("last month", None, "2017-02-01"),
        ("next month", None, "2017-04-01"),
        ("in January", None, "2017-01-01"),
        ("December", False, "2016-12-01"),
        ("December's", False, "2016-12-01"),
        ("June", True, "2017-06-01"),
        ("March 2016", None, "2016-03-01"),
    ],
)
def test_months_have_month_precision(text: str, future: bool | None, expected: str) -> None:
    span = resolve(text, PUB, future)
    assert span == DateSpan(expected, precision="month")


def test_month_of_cuts_a_day_to_its_month() -> None:
    assert month_of("Dec. 30", PUB) == "2016-12-01"
    assert month_of("December", PUB) == "2016-12-01"
    assert month_of("last week", PUB) is None


@pytest.mark.parametrize(
    "text", ["last week", "this week", "two-day", "the coming months", "soon", "recently", "1,600"]
)
def test_expressions_that_fix_no_day_give_none(text: str) -> None:
    assert resolve(text, PUB, None) is None


@pytest.mark.parametrize(
    "text", ["Wednesday", "April 18-19", "yesterday", "this month", "in January"]
)
def test_unknown_publication_date_gives_none(text: str) -> None:
    assert resolve(text, None, True) is None
    assert resolve(text, "not a date", True) is None


def test_full_dates_need_no_publication_date() -> None:
    assert resolve("March 23, 2016", None) == DateSpan("2016-03-23")
    assert resolve("2016-02-10", None) == DateSpan("2016-02-10")


def test_impossible_days_give_none() -> None:
    assert resolve("February 30", PUB, None) is None
    assert resolve("2016-02-31", None) is None


def test_parse_iso_and_pick_year() -> None:
    assert parse_iso("2016-02-10T12:09:52") == date(2016, 2, 10)
    assert parse_iso("") is None
    assert pick_year(2, 29, date(2017, 3, 1), None) == date(2016, 2, 29)


@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)),
    st.integers(min_value=0, max_value=6),
    st.sampled_from([True, False, None]),
)
def test_weekday_lies_within_a_week_of_publication(
    pub: date, weekday: int, future: bool | None
) -> None:
    names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    span = resolve(names[weekday], pub.isoformat(), future)
    assert span is not None
    day = date.fromisoformat(span.start)
    assert day.weekday() == weekday
    assert abs((day - pub).days) <= 6
    if future:
        assert day >= pub
    else:
        assert day <= pub


@given(st.text(max_size=40), st.sampled_from([True, False, None]))
def test_resolve_never_raises_and_returns_iso(text: str, future: bool | None) -> None:
    span = resolve(text, PUB, future)
    if span is not None:
        date.fromisoformat(span.start)
        assert span.end is None or date.fromisoformat(span.end) > date.fromisoformat(span.start)
        assert span.precision in ("day", "month")
