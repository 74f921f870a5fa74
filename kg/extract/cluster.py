"""One event per real meeting or ceasefire inside an article.

A reference that names nothing new (a bare 'the talks') is the salient
meeting: the one the same sentence or a recent same-word reference spoke of,
else the article's main one. A different venue, date or round, or a 'next' /
'new' marker, opens a distinct meeting; 'previous rounds' open none."""

from __future__ import annotations

from datetime import date, timedelta

from spacy.tokens import Span

from kg.extract.refs import Cluster, Ref
from kg.extract.state import State
from kg.model import Event

_MEETING_SPAN_DAYS = 10


def _compatible(cluster: Cluster, ref: Ref) -> bool:
    event = cluster.event
    if event.label != ref.label:
        return False
    if ref.label == "Ceasefire":
        first = cluster.refs[0]
        if first.family != ref.family:
            return False
        if ref.marker == "new" and first.marker != "new":
            return False  # "a new truce" is not the one before; the headline's new one is
        if (ref.marker == "earlier") != (first.marker == "earlier"):
            return False  # "violating a previous ceasefire"
        exclusive = {"unilateral", "bilateral"}
        if ref.scope in exclusive and cluster.event.scope in exclusive:
            if ref.scope != cluster.event.scope:
                return False  # a party's own unilateral truce is not the bilateral one
        held = cluster_cues(cluster)
        if ("collapsed" in held and "proposed" in ref.cues) or (
            "proposed" in held and "collapsed" in ref.cues
        ):
            return False  # a truce that fell apart is not the one now proposed
        return not (cluster.month and ref.date and ref.date.start[:7] != cluster.month)
    if (event.kind == "call") != (ref.kind == "call"):
        return False
    if ref.kind == "call":
        return False
    if ref.venue_name and cluster.venue_name and ref.venue_name != cluster.venue_name:
        return False
    if ref.country and cluster.country and ref.country != cluster.country:
        return False  # "talks in Sweden" are not the ones in Geneva
    if ref.round and event.round and ref.round != event.round:
        return False
    if ref.date and cluster.month and ref.date.start[:7] != cluster.month:
        if not (ref.start_only and _began_before(event, ref.date.start)):
            return False
    if ref.date and ref.date.precision == "day" and not _within(event, ref.date.start):
        if not (ref.start_only and _began_before(event, ref.date.start)):
            return False
    first = cluster.refs[0]
    if ref.marker == "past" or first.marker == "past":
        return ref.marker == first.marker
    if ref.marker == "new" and "held" in cluster_cues(cluster):
        return False
    if (ref.marker == "earlier") != (first.marker == "earlier"):
        return False
    return True


def _began_before(event: Event, day: str) -> bool:
    """'The talks began on May 6' and the talks dated May 20: one round of
    talks can run for weeks before the day the article reports."""
    if event.start_date is None:
        return False
    gap = (date.fromisoformat(event.start_date) - date.fromisoformat(day)).days
    return 0 < gap <= 31


def _within(event: Event, day: str) -> bool:
    """Could a meeting with these known dates include `day`? A lone start or
    end date stands for a meeting of up to ten days."""
    if event.start_date is None and event.end_date is None:
        return True
    span = timedelta(days=_MEETING_SPAN_DAYS)
    start = (
        date.fromisoformat(event.start_date)
        if event.start_date
        else date.fromisoformat(event.end_date or "") - span
    )
    end = date.fromisoformat(event.end_date) if event.end_date else start + span
    return start <= date.fromisoformat(day) <= end


def cluster_cues(cluster: Cluster) -> set[str]:
    out: set[str] = set()
    for ref in cluster.refs:
        out |= ref.cues
    return out


def _distinct(ref: Ref) -> bool:
    """A reference that names something of its own (venue, date, round, next)."""
    return bool(ref.venue_name or ref.date or ref.round or ref.marker in ("new", "past", "earlier"))


def _kind_fits(cluster: Cluster, ref: Ref) -> bool:
    """A bare 'talks' does not fold into a meeting that was never called talks
    (an envoys' meeting is not the peace talks it discusses)."""
    if ref.label != "Meeting" or ref.kind != "talks":
        return True
    return any(r.kind == "talks" for r in cluster.refs) or cluster.event.kind in (
        "talks",
        "summit",
        "conference",
    )


def cluster_refs(state: State, refs: list[tuple[Ref, Span]]) -> list[Cluster]:
    clusters: list[Cluster] = []
    main: dict[str, Cluster] = {}
    recent: dict[str, Cluster] = {}
    by_head: dict[str, tuple[Cluster, int]] = {}
    deferred: list[tuple[Ref, Span]] = []
    sent_no = {s.start: i for i, s in enumerate(state.doc.sents)}
    for ref, sent in refs:
        label = ref.label
        target: Cluster | None = None
        if ref.marker == "past":
            state.past_tokens.update(ref.tokens)
            continue  # "attended previous rounds": not one identifiable meeting
        if (
            ref.marker == "new"
            and not (ref.venue_name or ref.date or ref.round)
            and ref.label == "Meeting"
        ):
            if ref.kind != "call" and not ref.participants:
                planned = _latest_planned(clusters, ref)
                if planned is not None:  # "would not attend further talks": the one announced
                    _absorb(state, planned, ref, sent)
                    continue
                if "planned" not in ref.cues or ref.kind not in ("talks", "summit", "conference"):
                    continue  # "the next round" with nothing known: not an event of its own
                # "they will meet again for a new round": a coming meeting of its own
        head = ref.anchor.lemma_.lower()
        here = sent_no.get(sent.start, 0)
        if ref.kind == "call":
            pass
        elif not _distinct(ref) or label == "Ceasefire":
            candidates = (
                [recent.get(label)]
                if recent.get(label) and recent[label].last_sent == sent.start
                else []
            )
            last = by_head.get(head)
            if last is not None and here - last[1] <= 4 and label == "Meeting":
                candidates.append(last[0])
            candidates.append(main.get(label))
            candidates += [
                c for c in reversed(clusters) if c.event.label == label and label == "Meeting"
            ]
            if label == "Ceasefire":
                candidates += [c for c in clusters if c.event.label == label]
            for cand in candidates:
                if cand is not None and _compatible(cand, ref) and _kind_fits(cand, ref):
                    if (
                        cand is main.get(label)
                        or cand.last_sent == sent.start
                        or cand is (by_head.get(head) or [None])[0]
                    ):
                        target = cand
                        break
                    if (
                        label == "Meeting"
                        and ref.kind == "talks"
                        and any(r.kind == "talks" for r in cand.refs)
                    ):
                        target = cand
                        break
            if target is None and main.get(label) is not None and label == "Meeting":
                continue  # a bare mention that fits no meeting of the article
            if target is None and ref.generic:
                deferred.append((ref, sent))  # "the deal" before the truce is named
                continue
        else:
            ordered = [main.get(label)] + [
                c for c in reversed(clusters) if c is not main.get(label)
            ]
            for cand in ordered:
                if (
                    cand is not None
                    and _compatible(cand, ref)
                    and not _side_trip(cand, ref)
                    and (
                        _kind_fits(cand, ref)
                        or bool(ref.venue_name and ref.venue_name == cand.venue_name)
                    )
                    and (
                        cand.venue_name
                        or ref.venue_name is None
                        or cand is main.get(label)
                        or bool(cand.event.start_date and not ref.date)
                    )
                ):
                    target = cand
                    break
        if target is None:
            target = Cluster(
                event=Event(
                    key="",
                    label=label,
                    name="",
                    sentence=state.sentence(sent),
                    mentions=0,
                    kind=ref.kind,
                ),
                refs=[],
            )
            clusters.append(target)
            if (
                label not in main
                and (
                    ref.marker not in ("new", "past", "earlier")
                    or (label == "Ceasefire" and ref.marker == "new")  # "agree new truce"
                )
                and ref.kind != "call"
            ):
                main[label] = target
        _absorb(state, target, ref, sent)
        if ref.kind != "call":
            recent[label] = target
            by_head[head] = (target, here)
    truce = main.get("Ceasefire")
    for ref, sent in deferred:  # a headline's 'UN-brokered deal' is the truce named later
        if truce is not None and _compatible(truce, ref):
            _absorb(state, truce, ref, sent)
    return clusters


def _side_trip(cand: Cluster, ref: Ref) -> bool:
    """'X had travelled to the capital in November to meet Y': a dated trip
    of its own, not a date for the article's talks held elsewhere."""
    anchor = ref.anchor
    return (
        anchor.pos_ == "VERB"
        and anchor.dep_ in ("advcl", "xcomp")
        and ref.venue_name is None
        and ref.date is not None
        and cand.venue_name is not None
        and cand.event.start_date is None
        and not cand.month
    )


def _latest_planned(clusters: list[Cluster], ref: Ref) -> Cluster | None:
    """The article's last meeting announced as coming (a 'next'/'new' one, or
    one with a planned cue), which a bare 'further talks' refers back to."""
    for cluster in reversed(clusters):
        if cluster.event.label != "Meeting" or cluster.event.kind == "call":
            continue
        cues = cluster_cues(cluster)
        if "held" in cues and "planned" not in cues:
            continue
        if cluster.refs[0].marker == "new" or "planned" in cues:
            return cluster if _kind_fits(cluster, ref) else None
    return None


_KIND_RANK = {"meeting": 1, "talks": 2, "conference": 3, "summit": 4, "call": 5}


def _absorb(state: State, cluster: Cluster, ref: Ref, sent: Span) -> None:
    event = cluster.event
    cluster.refs.append(ref)
    event.mentions += 1
    cluster.last_sent = sent.start
    if ref.kind and _KIND_RANK.get(ref.kind, 0) > _KIND_RANK.get(event.kind or "", 0):
        event.kind = ref.kind  # "the Sochi summit" is a summit even if also called talks
    if ref.venue_key and (
        event.venue_key is None
        or (  # "in Kuwait" then "in Kuwait City": the venue by its full name
            ref.venue_name == cluster.venue_name
            and state.by_key[event.venue_key].text != cluster.venue_name
            and state.by_key[ref.venue_key].text == ref.venue_name
        )
    ):
        event.venue_key = ref.venue_key
        cluster.venue_name = ref.venue_name
        cluster.venue_sentence = sent
    if ref.round and event.round is None:
        event.round = ref.round
    if ref.country and cluster.country is None:
        cluster.country = ref.country
    if ref.series_city and event.series is None:
        event.series = f"{ref.series_city} talks"
    if ref.scope and event.scope is None:
        event.scope = ref.scope
    if ref.date is not None:
        if ref.label == "Ceasefire":
            if event.date is None or (ref.date.precision == "day" and len(event.date) == 10):
                event.date = ref.date.start
            cluster.month = ref.date.start[:7]
        elif ref.date.precision == "day" and ref.start_only and event.start_date:
            if ref.date.start < event.start_date:
                event.end_date = event.end_date or event.start_date
                event.start_date = ref.date.start
        elif ref.date.precision == "day" and ref.end_only:
            if event.end_date is None:
                event.end_date = ref.date.start
            cluster.month = cluster.month or ref.date.start[:7]
        elif ref.date.precision == "day" and event.start_date is None:
            event.start_date = ref.date.start
            event.end_date = ref.date.end or event.end_date
            cluster.month = ref.date.start[:7]
        elif cluster.month is None:
            cluster.month = ref.date.start[:7]


def participant_keys(state: State, ref: Ref) -> list[str]:
    keys: list[str] = []
    for token in ref.participants:
        key = state.mention_at(token) or next(
            (
                state.mention_at(c)
                for c in token.children
                if c.dep_ == "appos" and state.mention_at(c)
            ),
            None,
        )
        if key and state.by_key[key].label == "Actor" and key not in keys:
            keys.append(key)
    return keys


def merge_anonymous_calls(state: State, clusters: list[Cluster]) -> list[Cluster]:
    """'Leaders discussed ... by phone' (headline) is the call the body names."""
    calls = [c for c in clusters if c.event.kind == "call"]
    named = [c for c in calls if participant_keys(state, c.refs[0])]
    if not named:
        return clusters
    out = []
    for cluster in clusters:
        if cluster.event.kind == "call" and cluster not in named:
            target = named[0]
            target.refs.extend(cluster.refs)
            target.event.mentions += cluster.event.mentions
            continue
        out.append(cluster)
    return out
