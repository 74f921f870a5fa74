"""Meetings and ceasefires: references found per sentence, merged (by
`cluster`) into one Event per real meeting or ceasefire of the article, then
given a status, dates and a readable name; HELD_IN facts tie them to venues.

A reference is a trigger noun ("talks", "third round", "summit", "ceasefire")
or a meeting verb with a place or a date ("met in Washington") or a phone call
("discussed Syria by phone"), with what the parse attaches to it: a venue
(`venues`), a date (`dates`, against the publication date), a round number, a
marker ("next", "latest", "previous") and status cues from the governing verb
("ended" -> held, "was planned for" -> planned, "postponed" -> cancelled;
"pushing for a ceasefire" -> proposed, "fragile ceasefire" -> in force).
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from kg.extract import dates
from kg.extract.cluster import cluster_cues, cluster_refs, merge_anonymous_calls, participant_keys
from kg.extract.refs import FINITE_TAGS, Cluster, Ref, governing_verb, is_future, verb_chain
from kg.extract.state import State
from kg.extract.venues import clause_venue, find_venue

__all__ = ["Cluster", "Ref", "extract_events", "governing_verb"]

_DURATION_WORDS = ("-day", "day", "week", "year", "month", "long", "hour")
_START_VERBS = {"begin", "start", "open", "kick"}
_END_VERBS = {"end", "close", "conclude", "wrap", "finish", "adjourn"}


def _dates_for(state: State, nodes: list[Token], sent: Span) -> list[Span]:
    found = []
    node_ids = {n.i for n in nodes}
    for ent in state.sent_ents(sent):
        if (
            ent.label_ != "DATE"
            or any(w in ent.text.lower() for w in _DURATION_WORDS if w != "day")
            and not any(d in ent.text.lower() for d in dates.WEEKDAYS)
        ):
            continue
        if "-day" in ent.text.lower() or "long" in ent.text.lower():
            continue
        node = ent.root
        for _ in range(4):
            if node.i in node_ids:
                found.append(ent)
                break
            if node.head is node:
                break
            node = node.head
    return found


def _meeting_refs(state: State, sent: Span) -> list[Ref]:
    lex = state.lex
    kinds: dict[str, str] = lex.words["meeting_nouns"]
    refs: list[Ref] = []
    used: set[int] = set()
    phone = bool(state.sent_spans(sent, "PHONE"))
    for token in sent:
        if token.i in used or token.pos_ not in ("NOUN", "PROPN"):
            continue
        lemma = token.lemma_.lower()
        lower = token.lower_
        kind = kinds.get(lower) or kinds.get(lemma)
        if kind is None or kind == "call":
            continue
        if lemma == "round" and not _round_ok(token, kinds):
            continue
        if any(
            c.dep_ == "compound" and c.lower_ in lex.set("non_meeting_compounds")
            for c in token.children
        ):
            continue
        if any(c.lower_ in lex.set("call_compounds") for c in token.children if c.i < token.i):
            kind = "call"  # "a video conference", "a telephone summit"
        nodes = [token]
        inner = _of_trigger(token, kinds)
        if inner is not None:
            nodes.append(inner)
            used.add(inner.i)
            kind = kinds.get(inner.lower_) or kinds.get(inner.lemma_.lower()) or kind
        # "round of talks" -> the outer noun anchors; skip talks under an anchored round
        if token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.i in used:
            continue
        used.add(token.i)
        refs.append(_build_meeting_ref(state, sent, token, nodes, kind))
    if phone:
        refs.extend(_call_refs(state, sent))
    refs.extend(_verb_meeting_refs(state, sent, used))
    return refs


def _round_ok(token: Token, kinds: dict[str, str]) -> bool:
    """'round' is a meeting with an ordinal/marker or 'round of talks'."""
    if _of_trigger(token, kinds) is not None:
        return True
    return any(c.dep_ in ("amod", "nummod") for c in token.children)


def _of_trigger(token: Token, kinds: dict[str, str]) -> Token | None:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and (pobj.lower_ in kinds or pobj.lemma_.lower() in kinds):
                    return pobj
    return None


def _build_meeting_ref(
    state: State, sent: Span, token: Token, nodes: list[Token], kind: str
) -> Ref:
    lex = state.lex
    ref = Ref(label="Meeting", anchor=token, kind=kind, tokens={n.i for n in nodes})
    for node in nodes:
        for child in node.children:
            low = child.lower_
            if child.dep_ in ("amod", "nummod", "advmod", "compound"):
                # "the third round" numbers a round; "first face-to-face talks" does not
                numbered = node.lemma_.lower() in lex.set("round_nouns")
                if low in lex.words["ordinals"] and numbered:
                    ref.round = lex.words["ordinals"][low]
                elif re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)", low) and numbered:
                    ref.round = int(low[:-2])  # "the 12th round"
                if low in lex.set("new_meeting_adjectives") and low != "second":
                    ref.marker = "new"
                elif low in lex.set("past_meeting_adjectives"):
                    ref.marker = "past"
                elif low in lex.set("current_meeting_adjectives") and ref.marker is None:
                    ref.marker = "current"
                if low == "peace":
                    ref.peace = True
    if ref.marker == "past" and token.tag_ != "NNS":
        ref.marker = "earlier"  # "the previous meeting": one earlier meeting
    if ref.marker in (None, "current") and _follows(token):
        ref.marker = "earlier"  # "the meeting followed the first round ..."
    verb = governing_verb(token)
    attach = list(nodes)
    if verb is not None and token.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "pobj"):
        attach.append(verb)
        if token.dep_.startswith("nsubj"):  # "is scheduled to take place in X", "to be held in X"
            attach.extend(c for c in verb.children if c.dep_ == "xcomp")
    for node in nodes:
        for c in node.children:
            if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB":
                attach.extend([c, *c.conjuncts])
                # "a round that X had been expected to open in Doha"
                attach.extend(x for x in c.children if x.dep_ == "xcomp")
        attach.extend(_misattached_schedule(state, node))
    venue = find_venue(state, attach)
    if venue:
        ref.venue_key, ref.venue_name, named = venue
        if named and kind == "talks":
            ref.series_city = ref.venue_name
    if ref.venue_key is None:
        venue = clause_venue(state, sent)
        if venue:
            ref.venue_key, ref.venue_name, _ = venue
            attach.extend(
                t
                for t in sent
                if t.pos_ == "VERB" and t.lemma_.lower() in state.lex.set("schedule_verbs")
            )
    ref.country = (
        state.by_key[ref.venue_key].country if ref.venue_key else _country_place(state, attach)
    )
    _status_cues(state, ref, verb, nodes)
    if ref.marker in (None, "current") and _past_year(state, attach, sent):
        ref.marker = "earlier"  # "in 2016, when talks in Kuwait City collapsed"
    future = (
        None  # "planned for September ... failed to take place": either side of publication
        if "cancelled" in ref.cues
        else True
        if "planned" in ref.cues or ref.marker == "new"
        else (False if "held" in ref.cues else None)
    )
    for ent in _dates_for(state, attach, sent):
        ahead = True if ent.root.head.lower_ in ("until", "till") else future  # "put off until"
        span = dates.resolve(ent.text, state.article.published, ahead)
        if span is not None:
            ref.date = span
            ref.start_only = (
                verb is not None
                and verb.lemma_.lower() in _START_VERBS
                and span.end is None
                and token.dep_.startswith("nsubj")
            )
            ref.end_only = (
                verb is not None
                and verb.lemma_.lower() in _END_VERBS
                and span.end is None
                and verb.i in {a.i for a in list(ent.root.ancestors)[:3]}
            )
            break
    return ref


def _misattached_schedule(state: State, node: Token) -> list[Token]:
    """'talks between A and B, scheduled to open in X on Tuesday': the parse
    hangs the clause on B; a scheduling verb still places and dates the talks."""
    out: list[Token] = []
    for prep in node.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("between", "with", "among"):
            continue
        for pobj in prep.children:
            for party in (pobj, *pobj.conjuncts):
                for c in party.children:
                    if c.dep_ == "acl" and c.lemma_.lower() in state.lex.set("schedule_verbs"):
                        out.append(c)
                        out.extend(x for x in c.children if x.dep_ == "xcomp")
    return out


def _country_place(state: State, nodes: list[Token]) -> str | None:
    """'talks in Sweden': the state a meeting is held in when no city is named."""
    for node in nodes:
        for prep in node.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("in", "at"):
                continue
            for pobj in prep.children:
                ent = state.ent_at(pobj)
                if pobj.dep_ == "pobj" and ent is not None and ent.label_ == "GPE":
                    country = state.lex.country_by_name.get(ent.text.removeprefix("the "))
                    if country:
                        return country
    return None


def _past_year(state: State, nodes: list[Token], sent: Span) -> bool:
    """Is the meeting dated to a year before publication ('talks in 2016', 'in
    2016, when talks collapsed')? Such a meeting is an earlier one."""
    published = state.article.published
    if not published:
        return False
    ids = {n.i for n in nodes}
    for ent in state.sent_ents(sent):
        year = re.fullmatch(r"(?:in |since )?((?:19|20)\d\d)", ent.text.lower())
        if ent.label_ != "DATE" or not year or year.group(1) >= published[:4]:
            continue
        root = ent.root
        linked = root.head.i in ids or any(
            n.dep_ in ("relcl", "advcl") and n.head.i == root.i for n in nodes
        )
        if linked:
            return True
    return False


def _follows(token: Token) -> bool:
    """Is this meeting named as what came before ('followed X', 'since X')?"""
    head = token.head
    if token.dep_ == "dobj" and head.lemma_.lower() in ("follow", "succeed"):
        # only a meeting following a meeting: "the public spat followed X" says nothing
        return any(
            c.dep_ == "nsubj"
            and c.lemma_.lower() in ("meeting", "talk", "talks", "round", "summit")
            for c in head.children
        )
    return token.dep_ == "pobj" and head.lower_ in ("since",) and head.head.pos_ == "VERB"


def _status_cues(state: State, ref: Ref, verb: Token | None, nodes: list[Token]) -> None:
    lex = state.lex
    verbs = verb_chain(verb)
    for node in nodes:
        verbs.extend(c for c in node.children if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB")
    for v in verbs:
        lemma = v.lemma_.lower()
        particles = " ".join([lemma, *(c.lower_ for c in v.children if c.dep_ == "prt")])
        if (
            lemma in lex.set("status_cancelled_verbs")
            or any(" ".join(p) in particles for p in lex.words["cancelled_phrases"])
            or _failed_to_happen(v)
        ):
            ref.cues.add("cancelled")
            if lemma in state.lex.set("scrapped_verbs") or "off" in particles.split():
                ref.cues.add("scrapped")  # called off for good, not put back
        elif is_future(v) or lemma in lex.set("status_planned_verbs"):
            ref.cues.add("planned")
        elif (
            lemma in lex.set("status_held_verbs")
            and v.tag_ in FINITE_TAGS
            and not any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)
        ):
            ref.cues.add("held")
    if ref.marker == "new":
        ref.cues.add("planned")
    anchor = nodes[0]
    node = anchor
    for _ in range(3):  # "agreed after five days of talks": the talks took place
        if node.dep_ == "pobj" and node.head.lower_ in ("after", "following"):
            ref.cues.add("held")
            break
        node = node.head
        if node.pos_ == "VERB":
            break
    if (
        anchor.dep_ == "pobj"
        and anchor.head.lower_ in ("of", "before")
        and (
            anchor.head.head.lower_ in ("ahead", "before", "eve", "run-up")
            or anchor.head.lower_ == "before"
        )
    ):
        ref.cues.add("planned")


def _failed_to_happen(verb: Token) -> bool:
    """'failed to take place', 'did not go ahead', 'never materialised'."""
    lemma = verb.lemma_.lower()
    if lemma == "fail":
        return any(
            c.dep_ == "xcomp"
            and c.lemma_.lower()
            in (
                "take",
                "happen",
                "materialise",
                "materialize",
                "convene",
                "go",
                "open",
                "start",
                "begin",
                "proceed",
            )
            for c in verb.children
        )
    if lemma in ("happen", "materialise", "materialize", "proceed") or (
        lemma in ("take", "go") and any(c.lower_ in ("place", "ahead") for c in verb.children)
    ):
        return any(c.dep_ == "neg" for c in verb.children)
    return False


def _call_refs(state: State, sent: Span) -> list[Ref]:
    """'X and Y discussed Syria by phone': one call, its speakers attend."""
    refs = []
    for span in state.sent_spans(sent, "PHONE"):
        verb = governing_verb(span.root) or (
            span.root.head if span.root.head.pos_ == "VERB" else None
        )
        if verb is None or verb.lemma_.lower() not in state.lex.set("call_verbs"):
            noun = _noun_call_ref(state, sent, span)
            if noun is not None:
                refs.append(noun)
            continue
        ref = Ref(label="Meeting", anchor=verb, kind="call", tokens={t.i for t in span} | {verb.i})
        ref.cues.add("held")
        ref.participants = _subjects_and_with(verb)
        for ent in _dates_for(state, [verb], sent):
            ref.date = dates.resolve(ent.text, state.article.published, False)
        refs.append(ref)
    return refs


def _noun_call_ref(state: State, sent: Span, span: Span) -> Ref | None:
    """'A phone call among the leaders of A, B and C ... was postponed': a call
    named as a thing, with its participants after between/among/with."""
    root = span.root
    if root.pos_ != "NOUN" or root.lemma_.lower() not in ("call", "conversation"):
        return None
    ref = Ref(label="Meeting", anchor=root, kind="call", tokens={t.i for t in span})
    for prep in root.children:
        if prep.dep_ == "prep" and prep.lower_ in ("between", "among", "with"):
            for pobj in prep.children:
                ref.participants.extend([pobj, *pobj.conjuncts])
    verb = governing_verb(root)
    _status_cues(state, ref, verb, [root])
    nodes = [root] + ([verb] if verb is not None else [])
    future = None if "cancelled" in ref.cues else ("planned" in ref.cues or None)
    for ent in _dates_for(state, nodes, sent):
        ahead = True if ent.root.head.lower_ in ("until", "till", "to") else future
        ref.date = dates.resolve(ent.text, state.article.published, ahead)  # "put off until"
        if ref.date is not None:
            break
    return ref if ref.participants or ref.cues else None


def _subjects_and_with(verb: Token) -> list[Token]:
    out: list[Token] = []
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass") or (
            child.dep_ == "dobj" and verb.lemma_.lower() == "meet"
        ):
            out.extend([child, *child.conjuncts])
        if child.dep_ == "prep" and child.lower_ == "with":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    out.extend([pobj, *pobj.conjuncts])
    return out


def _verb_meeting_refs(state: State, sent: Span, used: set[int]) -> list[Ref]:
    """'the U.S. and allies met in Washington in mid-January' is a meeting."""
    refs = []
    for token in sent:
        if token.pos_ != "VERB" or token.lemma_.lower() not in state.lex.set("meeting_verbs"):
            continue
        if token.lemma_.lower() != "meet":
            continue
        venue = find_venue(state, [token])
        # a headline's present tense reports what happened ("Leaders meet in Berlin");
        # "leaders meeting in Berlin on Sunday committed ...": the clause's tense
        headline = token.idx < state.offset and token.tag_ in ("VBP", "VBZ")
        past = token.tag_ == "VBD" or (
            token.tag_ == "VBG"
            and not any(c.dep_ == "aux" for c in token.children)
            and (token.head.tag_ == "VBD" or any(c.tag_ == "VBD" for c in token.children))
        )
        head = token.head
        if (  # "had travelled to Naypyitaw in November to meet X": a trip already made
            token.dep_ in ("advcl", "xcomp")
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
            and (
                head.tag_ == "VBD"
                or head.tag_ == "VBN"
                and any(
                    c.dep_ == "aux" and c.lower_ in ("had", "has", "have") for c in head.children
                )
            )
        ):
            past = True
        future = not past and not headline
        nodes = [token]
        if token.dep_ == "acl" and (clause := governing_verb(token.head)) is not None:
            nodes.append(clause)  # "Major powers meeting in Germany on Thursday aim to ..."
        published = state.article.published
        found = [
            d
            for e in _dates_for(state, nodes, sent)
            if (d := dates.resolve(e.text, published, future))
        ]
        if venue is None and not found:
            continue
        ref = Ref(label="Meeting", anchor=token, kind="meeting", tokens={token.i})
        if venue is not None:
            ref.venue_key, ref.venue_name, _ = venue
        ref.participants = [t for t in _subjects_and_with(token)]
        ref.cues.add("planned" if future else "held")
        ref.date = found[0] if found else None
        refs.append(ref)
    return refs


def _ceasefire_refs(state: State, sent: Span) -> list[Ref]:
    lex = state.lex
    refs = _deal_refs(state, sent)
    for span in state.sent_spans(sent, "CEASEFIRE"):
        head = span.root
        if head.dep_ == "compound" and head.head.lemma_.lower() in (
            "deal",
            "agreement",
            "accord",
            "pact",
            "plan",
        ):
            head = head.head
        family = "de-escalation" if "escalation" in span.text.lower() else "ceasefire"
        ref = Ref(
            label="Ceasefire", anchor=head, family=family, tokens={t.i for t in span} | {head.i}
        )
        mods = [c for t in (head, span.root) for c in t.children]
        for child in mods:
            low = child.lower_
            if low in lex.set("new_meeting_adjectives") and low != "following":
                ref.marker = "new"  # "a new truce", "another ceasefire"
            elif low in lex.set("past_meeting_adjectives"):
                # "previous truces" name none in particular; "a previous ceasefire" one
                ref.marker = "past" if head.tag_ == "NNS" else "earlier"
            if low in lex.set("ceasefire_in_force"):
                ref.cues.add("in_force")
            if low in lex.set("ceasefire_scopes"):
                ref.scope = low
        verbs = verb_chain(governing_verb(head))
        if head.dep_ == "pobj" and head.head.head.pos_ == "NOUN":
            verbs = []  # "a road map for a ceasefire": the noun decides, not the clause
            if head.head.head.lemma_.lower() in lex.set("ceasefire_proposed"):
                ref.cues.add("proposed")
        elif head.dep_ == "pobj" and head.head.head.lemma_.lower() in lex.set("ceasefire_proposed"):
            ref.cues.add("proposed")
            verbs = []
        if any(c.dep_ == "relcl" and is_future(c) for c in head.children):
            ref.cues.add("proposed")
        for verb in verbs + [c for c in head.children if c.dep_ == "relcl"]:
            lemma = verb.lemma_.lower()
            if lemma == "break" and any(c.lower_ == "down" for c in verb.children):
                if not is_future(verb):  # "the truce broke down within days"
                    ref.cues.add("collapsed")
                continue
            if _takes_effect(verb):
                # "the truce took effect"; "would take effect" is agreed, not yet in force
                ref.cues.add("agreed" if is_future(verb) or _scheduled(verb) else "in_force")
                continue
            for name in ("collapsed", "in_force", "agreed", "proposed"):
                if lemma in lex.set(f"ceasefire_{name}"):
                    if name in ("in_force", "collapsed") and is_future(verb):
                        break  # "would respect the truce", "will end": not yet
                    if name == "collapsed" and any(c.dep_ == "dobj" for c in verb.children):
                        break  # "the ceasefire that ended six weeks of fighting"
                    ref.cues.add(name)
                    break
        own = ref.tokens | {head.i}
        # "a truce that took effect on Feb. 27", "the ceasefire agreed on Dec. 30"
        own |= {t.i for c in head.children if c.dep_ in ("relcl", "acl") for t in c.subtree}
        ahead = False
        if head.dep_.startswith("nsubj") and _takes_effect(head.head):
            own |= {c.i for c in head.head.children if c.dep_ == "prep"}  # "took effect on Jan. 12"
            ahead = is_future(head.head) or _scheduled(head.head)  # "will take effect on Friday"
        agreeing = _agreeing_verb(state, head)
        if agreeing is not None:  # "agreed on Thursday to an immediate ceasefire"
            own |= {c.i for c in agreeing.children if c.dep_ in ("prep", "npadvmod")}
        for ent in state.sent_ents(sent):
            if ent.label_ == "DATE" and ent.root.head.i in own:
                month = dates.month_of(ent.text, state.article.published, ahead)
                if month:
                    ref.date = dates.DateSpan(month, precision="month")
                    day = dates.resolve(ent.text, state.article.published, ahead)
                    if day is not None and day.precision == "day":
                        ref.date = day
        refs.append(ref)
    return refs


def _agreeing_verb(state: State, head: Token) -> Token | None:
    """The verb that agrees or signs this truce ('agreed a truce', 'agreed to
    a truce'): its date is the truce's date."""
    verb = head.head if head.dep_ == "dobj" else None
    if head.dep_ == "pobj" and head.head.lower_ == "to":
        verb = head.head.head
    if (
        verb is not None
        and verb.pos_ == "VERB"
        and (verb.lemma_.lower() in state.lex.set("ceasefire_agreed"))
    ):
        return verb
    return None


def _deal_refs(state: State, sent: Span) -> list[Ref]:
    """'the deal', 'the agreement': in an article about a ceasefire, the
    ceasefire itself (only joins one named elsewhere)."""
    found = []
    for token in sent:
        compounds = [c for c in token.children if c.dep_ == "compound"]
        if (
            token.lemma_.lower() in state.lex.set("deal_nouns")
            and token.pos_ == "NOUN"
            and (
                any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)
                or _brokered_deal(state, token)  # "UN-brokered Hodeidah deal"
            )
            and state.span_at(token, "CEASEFIRE") is None
            and all(c.pos_ == "PROPN" and c.ent_type_ != "ORG" for c in compounds)
        ):
            found.append(Ref(label="Ceasefire", anchor=token, tokens={token.i}, generic=True))
    return found


def _scheduled(verb: Token) -> bool:
    """'is due to take effect', 'is set to come into force'."""
    head = verb.head if verb.dep_ == "xcomp" else None
    return head is not None and head.lemma_.lower() in ("due", "set", "expect", "schedule", "be")


def _brokered_deal(state: State, token: Token) -> bool:
    """'a UN-brokered deal': a deal someone brokered (participle after a hyphen)."""
    doc = state.doc
    return any(
        c.lower_.rsplit("-", 1)[-1] == "brokered"
        for c in doc[max(token.sent.start, token.i - 4) : token.i]
    )


def _takes_effect(verb: Token) -> bool:
    lemma = verb.lemma_.lower()
    if lemma == "take":
        return any(c.dep_ == "dobj" and c.lower_ == "effect" for c in verb.children)
    if lemma in ("come", "enter", "go"):
        return any(c.lower_ in ("force", "effect") for c in verb.subtree)
    return False


def _meeting_status(state: State, cluster: Cluster) -> str:
    """The first reference with a clear cue decides (the headline and the lead
    state the news: "talks resumed ... four years after the last round was
    suspended" is held); a meeting announced as new stays planned."""
    cues = cluster_cues(cluster)
    first = cluster.refs[0]
    if first.marker == "new" and "planned" in cues and "cancelled" not in cues:
        return "planned"
    if first.marker in ("past", "earlier"):
        return "held"
    for ref in cluster.refs:
        for status in ("cancelled", "held", "planned"):
            if status in ref.cues:
                return status
    pub = state.article.published
    if pub and cluster.event.start_date:
        return "held" if cluster.event.start_date <= pub else "planned"
    if pub and cluster.month and cluster.month < pub[:7]:
        return "held"  # "a December meeting" in a February article
    return "unknown"


def _ceasefire_status(cluster: Cluster) -> str:
    cues = cluster_cues(cluster)
    for status in ("collapsed", "in_force", "agreed", "proposed"):
        if status in cues:
            return status
    return "unknown"


_KIND_WORDS = {
    "talks": "talks",
    "summit": "summit",
    "conference": "conference",
    "meeting": "meeting",
    "call": "phone call",
}


def _meeting_name(state: State, cluster: Cluster) -> str:
    event = cluster.event
    peace = any(r.peace for r in cluster.refs)
    base = _KIND_WORDS.get(event.kind or "meeting", "meeting")
    if peace and event.kind == "talks":
        base = "peace talks"
    if event.series:
        name = event.series
    elif cluster.venue_name:
        name = f"{base} in {cluster.venue_name}"
    else:
        name = base
    if event.kind == "call":
        people = [state.by_key[k].text for k in participant_keys(state, cluster.refs[0])]
        if len(people) > 1:
            name = f"phone call between {' and '.join(people)}"
        elif people:
            name = f"phone call of {people[0]}"
    if event.round:
        name += f", round {event.round}"
    if event.start_date or event.end_date:
        name += f" ({event.start_date or event.end_date})"
    elif cluster.month:
        name += f" ({_month_name(cluster.month)})"
    elif cluster.refs[0].marker == "earlier":
        name += " (earlier)"
    return name


def _month_name(month: str) -> str:
    """'2015-12' -> 'December 2015'."""
    return f"{dates.MONTH_NAMES[int(month[5:7]) - 1]} {month[:4]}"


def _ceasefire_name(state: State, cluster: Cluster) -> str:
    event = cluster.event
    base = "de-escalation agreement" if cluster.refs[0].family == "de-escalation" else "ceasefire"
    if event.scope:
        base = f"{event.scope} {base}"
    if event.date:
        return f"{_month_name(event.date[:7])} {base}"
    parties = _between(state, cluster)
    if parties:
        return f"{base} between {' and '.join(parties)}"
    country = _main_country(state)
    return f"{base} in {country}" if country else base


def _between(state: State, cluster: Cluster) -> list[str]:
    for ref in cluster.refs:
        for child in ref.anchor.children:
            if child.dep_ == "prep" and child.lower_ == "between":
                names = []
                for pobj in child.children:
                    for tok in [pobj, *pobj.conjuncts]:
                        key = state.mention_at(tok)
                        if key and state.by_key[key].label == "Actor":
                            names.append(state.by_key[key].text)
                if len(names) >= 2:
                    return names
    return []


def _main_country(state: State) -> str | None:
    """The country the article names most (usually where the war is)."""
    counts = state.country_counts
    best = max(counts, key=lambda k: counts[k]) if counts else None
    return best if best and counts[best] >= 2 else None


_DATELINE = re.compile(r"^([A-Z][A-Z.' -]+?)(?:,\s*([A-Z][A-Za-z .]+?))?\s*(?:\(|[-–—]{1,2}\s)")


def _dateline_venue(state: State, meetings: list[Cluster], refs: list[tuple[Ref, Span]]) -> None:
    """'RIMBO, Sweden - ... closing talks in Sweden ... announced at an estate in
    Rimbo ... the final day of the talks': the article's main meeting, when no
    venue was attached to it, is held where the story is filed from if a
    sentence about it names that place again."""
    match = next(
        (m for para in state.article.text.split("\n")[:5] if (m := _DATELINE.match(para.strip()))),
        None,
    )
    main = next(
        (
            c
            for c in meetings
            if c.event.kind != "call" and c.refs[0].marker is None and c.event.venue_key is None
        ),
        None,
    )
    if match is None or main is None:
        return
    city = match.group(1).strip().title()
    country = state.lex.country_of_name(match.group(2) or "")
    if city in state.lex.country_by_name:
        return
    sents = {s.start for r, s in refs if r in main.refs}
    for ent in state.ents:
        if ent.label_ != "GPE" or ent.text != city or ent.start == 0:
            continue
        if state.doc[ent.start - 1].lower_ not in ("in", "at"):
            continue
        pub = state.article.published
        start = main.event.start_date
        held = "held" in cluster_cues(main) or bool(pub and start and start <= pub)
        if ent.sent.start in sents or (country and country == main.country) or held:
            main.event.venue_key = _venue_key(state, ent, city, country)
            main.venue_name = city
            main.venue_sentence = ent.sent
            main.event.name = _meeting_name(state, main)
            return


def _venue_key(state: State, ent: Span, city: str, country: str | None) -> str:
    existing = state.token_mention.get(ent.start)
    if existing and state.by_key[existing].label == "Venue":
        return existing
    return state.new_mention(
        ent,
        "Venue",
        city,
        ent.start_char,
        ent.end_char,
        country=country or state.lex.city_country.get(city),
        ner_label="GPE",
    ).key


def extract_events(state: State) -> list[tuple[Cluster, list[tuple[Ref, Span]]]]:
    """Find, merge and name the article's meetings and ceasefires; add HELD_IN."""
    refs: list[tuple[Ref, Span]] = []
    for sent in state.doc.sents:
        if sent.start in state.skipped_sents:
            continue
        for ref in _meeting_refs(state, sent) + _ceasefire_refs(state, sent):
            refs.append((ref, sent))
    clusters = merge_anonymous_calls(state, cluster_refs(state, refs))
    meetings = [c for c in clusters if c.event.label == "Meeting"]
    ceasefires = [c for c in clusters if c.event.label == "Ceasefire"]
    for i, cluster in enumerate(meetings, start=1):
        event = cluster.event
        event.key = f"e{i}"
        event.status = _meeting_status(state, cluster)
        event.name = _meeting_name(state, cluster)
        if event.series is None and event.kind in ("talks", "meeting") and cluster.venue_name:
            series = f"{cluster.venue_name} talks"
            if any(c.event.series == series for c in meetings):
                event.series = series
    for i, cluster in enumerate(ceasefires, start=1):
        cluster.event.key = f"c{i}"
        cluster.event.status = _ceasefire_status(cluster)
        cluster.event.name = _ceasefire_name(state, cluster)
    _dateline_venue(state, meetings, refs)
    for cluster in meetings:
        if cluster.event.venue_key and cluster.venue_sentence is not None:
            state.add_fact(
                "HELD_IN", cluster.event.key, cluster.event.venue_key, cluster.venue_sentence
            )
    state.events = [c.event for c in meetings + ceasefires]
    return [(c, [(r, s) for r, s in refs if r in c.refs]) for c in meetings + ceasefires]
