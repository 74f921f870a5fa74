"""Cross-article resolution of meetings and ceasefires.

Each article already reports one `Event` per real event; here the same
event seen by several articles becomes one cluster. The rules are
conservative: two reports merge only on positive evidence (same round
number, overlapping dates, or same series without any date on either side)
and never across a hard conflict (two rounds, dates that do not overlap,
two venues outside one series, one article). A planned meeting and a held
one at different dates therefore stay apart. Candidate pairs come from
blocks (series, venue, month, scope), merged by descending score under the
conflict checks, like the actor clustering.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from kg.model import MEETING_KINDS, Event, MergeReason
from kg.resolve.lexicon import LEXICON
from kg.resolve.names import normalize, slugify

DATE_TOLERANCE_DAYS = 2
RECENT_TRUCE_DAYS = 120
PLANNED_WINDOW_DAYS = 30
# an undated report joins a dated meeting at its venue when its article
# appeared at most this long after the meeting ended (held or unknown) or
# before it began (planned or unknown)
REPORTED_AFTER_DAYS = 14
ANNOUNCED_BEFORE_DAYS = 30
_MEETING_STATUS_RANK = {"held": 3, "cancelled": 2, "planned": 1, "unknown": 0}
_CEASEFIRE_STATUS_RANK = {"collapsed": 4, "in_force": 3, "agreed": 2, "proposed": 1, "unknown": 0}


@dataclass
class EventItem:
    """One event of one article, with its venue already resolved."""

    index: int
    article: str
    published: str | None
    event: Event
    venue: str | None  # venue node id
    series: str = ""  # normalised series

    def span(self) -> tuple[date, date] | None:
        ev = self.event
        start = _parse(ev.start_date or ev.date)
        if not start:
            return None
        end = _parse(ev.end_date) or start
        return (start, max(start, end))

    def month(self) -> str | None:
        value = self.event.date or self.event.start_date
        return value[:7] if value and _parse(value) else None


@dataclass
class _EventState:
    articles: set[str]
    rounds: set[int]
    spans: list[tuple[date, date]]
    venues: set[str]
    series: set[str]
    months: set[str]


def _parse(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _overlap(a: tuple[date, date], b: tuple[date, date]) -> bool:
    slack = timedelta(days=DATE_TOLERANCE_DAYS)
    return a[0] <= b[1] + slack and b[0] <= a[1] + slack


class EventClusterer:
    """Union-find over event reports with conflict checks at merge time."""

    def __init__(self, label: str, items: list[EventItem]) -> None:
        self.label = label
        self.items = items
        self.parent = list(range(len(items)))
        self.state = [self._initial(i) for i in items]
        self.reasons: list[MergeReason] = []

    @staticmethod
    def _initial(item: EventItem) -> _EventState:
        ev = item.event
        span = item.span()
        return _EventState(
            articles={item.article},
            rounds={ev.round} if ev.round is not None else set(),
            spans=[span] if span else [],
            venues={item.venue} if item.venue else set(),
            series={item.series} if item.series else set(),
            months={item.month()} if item.month() else set(),
        )

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def conflict(
        self, a: int, b: int, same_article_ok: bool = False, dates_ok: bool = False
    ) -> str | None:
        sa, sb = self.state[self.find(a)], self.state[self.find(b)]
        if sa.articles & sb.articles and not same_article_ok:
            return "same-article"
        if len(sa.rounds | sb.rounds) > 1:
            return "different-rounds"
        if sa.series and sb.series and not sa.series & sb.series:
            return "different-series"
        if not dates_ok and any(not _overlap(x, y) for x in sa.spans for y in sb.spans):
            return "different-dates"
        if self.label == "Ceasefire" and len(sa.months | sb.months) > 1:
            return "different-months"
        if sa.venues and sb.venues and sa.venues != sb.venues and not (sa.series & sb.series):
            return "different-venues"
        return None

    def link(
        self,
        a: int,
        b: int,
        rule: str,
        score: float,
        same_article_ok: bool = False,
        dates_ok: bool = False,
    ) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        why = self.conflict(a, b, same_article_ok, dates_ok)
        left, right = self.items[a].event.name, self.items[b].event.name
        if why:
            self.reasons.append(
                MergeReason(self.label, left, right, f"{rule}; blocked: {why}", score, False)
            )
            return
        low, high = min(ra, rb), max(ra, rb)
        self.parent[high] = low
        s, o = self.state[low], self.state[high]
        s.articles |= o.articles
        s.rounds |= o.rounds
        s.spans += o.spans
        if dates_ok and s.spans:  # one meeting over the whole stretch
            s.spans = [(min(x[0] for x in s.spans), max(x[1] for x in s.spans))]
        s.venues |= o.venues
        s.series |= o.series
        s.months |= o.months
        self.reasons.append(MergeReason(self.label, left, right, rule, score, True))

    def near_miss(self, a: int, b: int, rule: str, score: float) -> None:
        left, right = self.items[a].event.name, self.items[b].event.name
        self.reasons.append(MergeReason(self.label, left, right, rule, score, False))

    def clusters(self) -> list[list[EventItem]]:
        groups: dict[int, list[EventItem]] = defaultdict(list)
        for item in self.items:
            groups[self.find(item.index)].append(item)
        return [groups[root] for root in sorted(groups)]


def cluster_meetings(items: list[EventItem]) -> EventClusterer:
    c = EventClusterer("Meeting", items)
    _merge_opening_reports(c)
    _merge_article_duplicates(c)
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for item in items:
        if item.series:
            blocks[("series", item.series)].append(item.index)
        if item.venue:
            blocks[("venue", item.venue)].append(item.index)
    _merge(c, _block_pairs(blocks, items, _meeting_score))
    _attach_undated_report(c)
    return c


def _attach_undated_report(c: EventClusterer) -> None:
    """An undated report ("the conference on Libya that Merkel hosted in
    Berlin") joins the one dated meeting at the same venue whose kind fits
    and whose dates its article's publication date fits: published at most
    REPORTED_AFTER_DAYS after it (held or unknown), or at most
    ANNOUNCED_BEFORE_DAYS before it (planned or unknown). Two such meetings
    (two sessions in one city): it joins neither. No publication date: no
    evidence, so no merge."""
    dated: dict[str, list[int]] = defaultdict(list)
    for item in c.items:
        if item.venue and item.span():
            dated[item.venue].append(item.index)
    for item in c.items:
        published = _parse(item.published)
        if not (published and item.venue) or c.state[c.find(item.index)].spans:
            continue
        fitting = sorted(
            {
                c.find(other)
                for other in dated.get(item.venue, [])
                if c.items[other].article != item.article
                and LEXICON.kinds_compatible(item.event.kind, c.items[other].event.kind)
                and _reported_in_window(item.event.status, published, c.items[other].span())
            }
        )
        fitting = [root for root in fitting if c.conflict(item.index, root) is None]
        if len(fitting) == 1:
            c.link(item.index, fitting[0], "undated-report-of-dated-meeting", 0.6)
        for root in fitting if len(fitting) > 1 else []:
            c.near_miss(item.index, root, "undated-report-of-dated-meeting; ambiguous", 0.6)


def _reported_in_window(status: str, published: date, span: tuple[date, date] | None) -> bool:
    if span is None:
        return False
    after = span[0] <= published <= span[1] + timedelta(days=REPORTED_AFTER_DAYS)
    before = span[0] - timedelta(days=ANNOUNCED_BEFORE_DAYS) <= published <= span[0]
    if status == "held":
        return after
    if status == "planned":
        return before
    return after or before


def _merge_opening_reports(c: EventClusterer) -> None:
    """ "The talks began on May 6." reports no new meeting: it dates the
    start of the one meeting of that kind its article reports at a later
    date ("signed on Saturday at talks brokered by ..."). The bare report
    (no venue, no round, a start verb from the lexicon) joins it when
    exactly one fits (one of the same kind first, then one of a compatible
    kind); the two are one meeting from the earlier date on."""
    by_article: dict[str, list[EventItem]] = defaultdict(list)
    for item in c.items:
        by_article[item.article].append(item)
    for article in sorted(by_article):
        members = by_article[article]
        for item in members:
            span = item.span()
            if not span or item.venue or item.event.round is not None:
                continue
            if not _says_it_began(item.event.sentence):
                continue
            later = [
                other.index
                for other in members
                if other is not item
                and LEXICON.kinds_compatible(item.event.kind, other.event.kind)
                and other.event.kind != "call"
                and (other.span() or span)[0] > span[1]
                and other.event.status in ("held", "unknown", item.event.status)
            ]
            same_kind = [i for i in later if c.items[i].event.kind == item.event.kind]
            if len(same_kind) == 1:  # "the talks began": the talks, not a session
                later = same_kind
            if len(later) == 1:
                c.link(later[0], item.index, "date-the-meeting-began", 0.8, True, True)
            for other in later if len(later) > 1 else []:
                c.near_miss(item.index, other, "date-the-meeting-began; ambiguous", 0.8)


def _says_it_began(sentence: str) -> bool:
    words = f" {' '.join(normalize(sentence).split())} "
    return any(f" {normalize(cue)} " in words for cue in LEXICON.meeting_start_cues)


def _merge_article_duplicates(c: EventClusterer) -> None:
    """The extractor gives one event per real meeting and article; when it
    still reports two vague ones (no round, no date) at the same venue with
    the same status and series ("meeting in Tehran" / "talks in Tehran",
    both planned), they are read as one."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for item in c.items:
        ev = item.event
        if item.venue and ev.round is None and item.span() is None:
            groups[(item.article, item.venue, item.series, ev.status)].append(item.index)
    for key in sorted(groups, key=repr):
        first, *rest = groups[key]
        for other in rest:
            c.link(first, other, "same-article-vague-duplicate", 0.7, same_article_ok=True)


def _meeting_score(a: EventItem, b: EventItem) -> tuple[float, str]:
    ea, eb = a.event, b.event
    if ea.round is not None and ea.round == eb.round:
        return (1.0, "same-round")
    sa, sb = a.span(), b.span()
    if sa and sb:
        return (0.95, "overlapping-dates") if _overlap(sa, sb) else (0.5, "different-dates")
    if ea.round is not None and eb.round is not None:
        return (0.5, "different-rounds")
    if sa or sb or ea.round is not None or eb.round is not None:
        return (0.4, "one-report-undated")
    if ea.status != "planned" or eb.status != "planned":
        # undated "talks in Geneva" that were held are often generic references
        # to a series; without a date or round they stay apart
        return (0.4, "undated-not-planned")
    if not _published_close(a, b):
        return (0.4, "planned-reports-far-apart")
    return (0.65, "same-planned-meeting-undated")


def _published_close(a: EventItem, b: EventItem) -> bool:
    """Two reports of "the next round" are about one meeting only when the
    articles appeared close together (or their dates are unknown)."""
    pa, pb = _parse(a.published), _parse(b.published)
    return not (pa and pb) or abs(pa - pb) <= timedelta(days=PLANNED_WINDOW_DAYS)


def cluster_ceasefires(
    items: list[EventItem], meetings_of: dict[str, set[str]] | None = None
) -> EventClusterer:
    """`meetings_of`: article id -> the resolved Meeting node keys it reports."""
    c = EventClusterer("Ceasefire", items)
    blocks: dict[tuple, list[int]] = defaultdict(list)
    for item in items:
        if item.month():
            blocks[("month", item.month())].append(item.index)
        scope = normalize(item.event.scope) if item.event.scope else ""
        if scope:
            blocks[("scope", scope)].append(item.index)
        if not item.month():
            blocks[("name", normalize(item.event.name))].append(item.index)
    _merge(c, _block_pairs(blocks, items, _ceasefire_score))
    _merge_by_meeting_context(c, meetings_of or {})
    _attach_recent_truce(c)
    return c


def _merge_by_meeting_context(c: EventClusterer, meetings_of: dict[str, set[str]]) -> None:
    """Two undated truce reports are one truce when their articles report the
    same (resolved) meeting and each article reports only this one truce:
    "the fragile ceasefire" the rebels invoked to boycott round 3 is the same
    in every report of round 3. Blocked by meeting node key."""
    per_article = Counter(item.article for item in c.items)
    blocks: dict[str, list[int]] = defaultdict(list)
    for item in c.items:
        if item.month() or per_article[item.article] != 1:
            continue
        for meeting in sorted(meetings_of.get(item.article, ())):
            blocks[meeting].append(item.index)
    pairs: dict[tuple[int, int], tuple[float, str]] = {}
    for key in sorted(blocks):
        members = blocks[key]
        for x, a in enumerate(members):
            for b in members[x + 1 :]:
                pairs.setdefault((a, b), (0.65, "same-meeting-context-undated"))
    _merge(c, pairs)


def _ceasefire_score(a: EventItem, b: EventItem) -> tuple[float, str]:
    ma, mb = a.month(), b.month()
    scope_a = normalize(a.event.scope) if a.event.scope else ""
    scope_b = normalize(b.event.scope) if b.event.scope else ""
    if ma and mb:
        return (0.9, "same-month") if ma == mb else (0.4, "different-months")
    if scope_a and scope_a == scope_b:
        return (0.75, "same-scope")
    if not ma and not mb and normalize(a.event.name) == normalize(b.event.name):
        return (0.7, "same-name-undated")
    return (0.4, "one-report-undated")


def _merge(c: EventClusterer, pairs: dict[tuple[int, int], tuple[float, str]]) -> None:
    for (a, b), (score, rule) in sorted(pairs.items(), key=lambda kv: (-kv[1][0], kv[0])):
        if score >= 0.6:
            c.link(a, b, rule, score)
        else:
            c.near_miss(a, b, rule, score)


def _attach_recent_truce(c: EventClusterer) -> None:
    """An undated truce ("a fragile ceasefire") joins the one dated truce of
    the preceding months when its article's publication date is known and
    no other dated truce fits that window."""
    dated: dict[str, list[int]] = defaultdict(list)
    for item in c.items:
        if item.month():
            dated[item.month()].append(item.index)
    for item in c.items:
        published = _parse(item.published)
        if item.month() or not published or c.state[c.find(item.index)].months:
            continue
        window = [
            i
            for month, members in dated.items()
            for i in members
            if timedelta(0)
            <= published - date.fromisoformat(month + "-01")
            <= timedelta(days=RECENT_TRUCE_DAYS)
        ]
        roots = sorted({c.find(i) for i in window})
        if len(roots) == 1:
            c.link(item.index, roots[0], "only-recent-dated-truce", 0.6)
        for root in roots if len(roots) > 1 else []:
            c.near_miss(item.index, root, "only-recent-dated-truce; ambiguous", 0.6)


# -- node properties ------------------------------------------------------------------


def _most_common(values: list[str], weights: list[int] | None = None) -> str | None:
    counts: Counter[str] = Counter()
    for value, weight in zip(values, weights or [1] * len(values), strict=True):
        if value:
            counts[value] += max(1, weight)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], -len(v), v))


def meeting_properties(members: list[EventItem]) -> dict:
    events = [m.event for m in members]
    starts = sorted(e.start_date for e in events if _parse(e.start_date))
    ends = sorted(e.end_date for e in events if _parse(e.end_date))
    rounds = sorted({e.round for e in events if e.round is not None})
    kinds = Counter(e.kind for e in events if e.kind)
    props = {
        "name": _most_common([e.name for e in events], [e.mentions for e in events]) or "meeting",
        "kind": min(kinds, key=lambda k: (-kinds[k], _kind_rank(k))) if kinds else "meeting",
        "status": max((e.status for e in events), key=lambda s: _MEETING_STATUS_RANK.get(s, 0)),
        "start_date": starts[0] if starts else None,
        "end_date": max([*ends, *starts]) if (ends and starts) else None,
        "round": rounds[0] if rounds else None,
        "series": _most_common([e.series for e in events if e.series]),
    }
    if props["status"] not in _MEETING_STATUS_RANK:
        props["status"] = "unknown"
    return {k: v for k, v in props.items() if v is not None}


def _kind_rank(kind: str) -> int:
    """Ties go to the more specific kind ("talks" before the generic "meeting")."""
    return MEETING_KINDS.index(kind) if kind in MEETING_KINDS else len(MEETING_KINDS)


def meeting_base_id(props: dict, venue: str | None) -> str:
    """ "astana-talks-round-3", "meeting-tehran-2017-04-18", ..."""
    series, rnd, start = props.get("series"), props.get("round"), props.get("start_date")
    if series and rnd is not None:
        return f"{slugify(series)}-round-{rnd}"
    if venue and start:
        return f"meeting-{venue}-{start}"
    if series and start:
        return f"{slugify(series)}-{start}"
    if venue and rnd is not None:
        return f"meeting-{venue}-round-{rnd}"
    if series:
        return slugify(series)
    if venue:
        return f"meeting-{venue}"
    return f"meeting-{slugify(props['name'])}" + (f"-{start}" if start else "")


def ceasefire_properties(members: list[EventItem]) -> dict:
    events = [m.event for m in members]
    dates = Counter(e.date for e in events if _parse(e.date))
    props = {
        "name": _most_common([e.name for e in events], [e.mentions for e in events]) or "ceasefire",
        "status": max((e.status for e in events), key=lambda s: _CEASEFIRE_STATUS_RANK.get(s, 0)),
        "date": min(dates, key=lambda d: (-dates[d], d)) if dates else None,
        "scope": _most_common([e.scope for e in events if e.scope]),
    }
    if props["status"] not in _CEASEFIRE_STATUS_RANK:
        props["status"] = "unknown"
    return {k: v for k, v in props.items() if v is not None}


def ceasefire_base_id(props: dict) -> str:
    """ "ceasefire-2016-12", "ceasefire-aleppo-2016-12", "ceasefire-<name>"."""
    scope = slugify(props["scope"]) if props.get("scope") else ""
    month = props["date"][:7] if props.get("date") else ""
    if month:
        return "-".join(p for p in ("ceasefire", scope, month) if p)
    if scope:
        return f"ceasefire-{scope}"
    name = slugify(props["name"])
    return name if name.startswith("ceasefire") else f"ceasefire-{name}"


def _block_pairs(blocks: dict[tuple, list[int]], items: list, score) -> dict:
    """Scored candidate pairs: only events that share a block and come from
    different articles (one article's events are already one per event)."""
    pairs: dict[tuple[int, int], tuple[float, str]] = {}
    for key in sorted(blocks, key=repr):
        members = blocks[key]
        for x, a in enumerate(members):
            for b in members[x + 1 :]:
                if items[a].article != items[b].article:
                    pairs.setdefault((a, b), score(items[a], items[b]))
    return pairs
