"""Facts between actors and events, read off the dependency parse.

Each rule looks at one trigger (a verb, a participle after a hyphen, or a
noun such as "no-show" or "supporters"), finds its subject/agent/object with
the parse (conjuncts expanded, "who" resolved to its antecedent), and lets
negation and modality decide the relation: a refused or negated attendance is
BOYCOTTED, never ATTENDED; an accusation makes VIOLATED `alleged`.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extract.coref import (
    Context,
    actor_one,
    actors,
    agents,
    event_in,
    irrealis,
    matches,
    negated,
    subjects,
)
from kg.extract.entities import alias_ending_at
from kg.extract.refs import governing_verb, is_future, verb_chain
from kg.extract.state import State
from kg.model import Mention

__all__ = ["Context", "extract_facts"]


def extract_facts(ctx: Context) -> None:
    state = ctx.state
    lex = state.lex
    for sent in state.doc.sents:
        if sent.start in state.skipped_sents:
            continue
        for token in sent:
            if token.pos_ in ("VERB", "AUX"):
                _verb_rules(ctx, token, sent)
            if token.text in lex.set("mediate_hyphen") or token.lower_ in lex.set("mediate_hyphen"):
                _hyphen_rule(ctx, token, sent)
            elif "-" in token.text[1:-1] and token.lower_.rsplit("-", 1)[1] in lex.set(
                "mediate_hyphen"
            ):
                _hyphen_rule(ctx, token, sent)  # "U.N.-sponsored" as one token
            _noun_rules(ctx, token, sent)
            if token.lower_ == "whose":
                _whose_body(ctx, token, sent)
        _discussed(ctx, sent)
        _signed_truce(ctx, sent)
        _inverted_attendance(ctx, sent)
        if sent.start_char < state.offset:
            _headline_verb_as_noun(ctx, sent)
    _call_facts(ctx)
    _mutual_accusations(ctx)
    _role_attendance(ctx)
    _envoys_bodies(ctx)
    _nobody_attends_cancelled(state, ctx.scrapped)


def _verb_rules(ctx: Context, verb: Token, sent: Span) -> None:
    state = ctx.state
    lex = state.lex
    if irrealis(ctx, verb):
        return
    neg, refused = negated(ctx, verb)
    lemma = verb.lemma_.lower()
    attend = (
        matches(verb, lex.set("attend_verbs"), lex.set("attend_verbs_forms"))
        or lemma == "meet"
        or (lemma in lex.set("hold_verbs") and event_in(ctx, verb, "Meeting", depth=2) is not None)
    )
    boycott = matches(verb, lex.set("boycott_verbs"), lex.set("boycott_verbs_forms")) and not any(
        c.dep_ == "dobj" and ctx.event_of.get(c.i) is None for c in verb.children
    )  # "withdrew 5,400 troops" is no boycott; "skipped the talks" is
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
        verb.tag_ == "VBN"
        and verb.dep_ in ("acl", "amod")
        and any(c.dep_ == "agent" for c in verb.children)
    )
    if (attend or boycott) and any(t.i in state.past_tokens for t in verb.subtree if t.i > verb.i):
        attend = boycott = False  # "attended previous rounds": no identifiable meeting
    if attend or boycott:
        target = event_in(ctx, verb, "Meeting", depth=4)
        if target is None and (
            boycott
            or lemma in ("attend", "join", "show", "participate")
            or refused
            or neg
            or _sends_delegation(ctx, verb)
        ):
            target = ctx.default_meeting(sent)
        if lemma in (
            "speak",
            "address",
            "negotiate",
            "represent",
            "come",
            "go",
            "arrive",
            "sit",
            "meet",
        ) and (event_in(ctx, verb, "Meeting", depth=4) is None):
            target = (
                ctx.default_meeting(sent)
                if lemma == "meet" and ctx.sent_meetings.get(sent.start)
                else None
            )
        who = agents(ctx, verb) if passive else subjects(ctx, verb)
        if lemma in lex.set("hold_verbs"):  # only "X and Y resumed talks", never a climbed subject
            who = [k for c in verb.children if c.dep_ == "nsubj" for k in actors(ctx, c)]
        if target:
            if boycott and not neg:
                for key in who:
                    state.add_fact("BOYCOTTED", key, target, sent)
            elif attend and (neg or refused):
                for key in who:
                    state.add_fact("BOYCOTTED", key, target, sent)
            elif attend and not passive:
                for key in who:
                    state.add_fact("ATTENDED", key, target, sent)
    if lemma == "represent" and not neg:
        for child in verb.children:
            if child.dep_ == "dobj":
                for party in actors(ctx, child):
                    for key in subjects(ctx, verb):
                        state.add_fact("REPRESENTS", key, party, sent)
            if child.dep_ == "nsubjpass":  # "the movement was represented by its negotiator X"
                meeting = event_in(ctx, verb, "Meeting", depth=3) or (
                    ctx.default_meeting(sent) if ctx.near_meeting(sent) else None
                )
                negotiator = _negotiator_agent(ctx, verb)
                if meeting is None and negotiator:
                    meeting = ctx.main_meeting
                for party in actors(ctx, child):
                    for key in agents(ctx, verb):
                        if (
                            state.by_key[key].kind == "person"
                            and state.by_key[party].kind != "person"
                        ):
                            state.add_fact("REPRESENTS", key, party, sent)
                            if meeting:  # "Russia was represented by X" at the talks
                                state.add_fact("ATTENDED", key, meeting, sent)
                                if negotiator:
                                    state.add_fact("ATTENDED", party, meeting, sent)
    if neg:
        return
    if lemma in ("lead", "head", "command") and _led_delegation(ctx, verb, sent, passive):
        pass  # "the government delegation, led by X": X is a delegate, not a mediator
    elif matches(verb, lex.set("mediate_verbs"), lex.set("mediate_verbs_forms")):
        meeting = (_passive_subject_event(ctx, verb, "Meeting") if passive else None) or event_in(
            ctx, verb, "Meeting", skip=_subject_tokens(verb)
        )
        if meeting is None and lemma == "invite":
            meeting = _meeting_at_venue(ctx, verb)
        if meeting is None and verb.dep_ in ("advcl", "acl", "conj") and verb.tag_ == "VBN":
            here = ctx.sent_meetings.get(sent.start, [])
            meeting = here[0] if len(here) == 1 else None
        if meeting:
            who = _doers(ctx, verb, passive) or (
                subjects(ctx, verb, through_object=True) if verb.dep_ == "acl" else []
            )
            if passive and verb.dep_ != "acl":
                meeting = _passive_subject_event(ctx, verb, "Meeting") or meeting
            for key in who:
                state.add_fact("MEDIATED", key, meeting, sent)
    if matches(verb, lex.set("broker_verbs"), lex.set("broker_verbs_forms")):
        ceasefire = (
            _passive_subject_event(ctx, verb, "Ceasefire") if passive else None
        ) or event_in(ctx, verb, "Ceasefire", depth=2, skip=_subject_tokens(verb))
        ceasefire = ceasefire or _antecedent_truce(ctx, verb, sent)
        if (
            ceasefire is None
            and verb.dep_ == "conj"
            and any(c.dep_ == "agent" for c in verb.children)
        ):  # "a truce agreed by A and B and brokered by C"
            ceasefire = _passive_subject_event(ctx, verb, "Ceasefire")
        if ceasefire:
            who = _doers(ctx, verb, passive)
            for key in who:
                state.add_fact("BROKERED", key, ceasefire, sent)
    if lemma in lex.set("unilateral_truce_verbs"):
        _unilateral_truce(ctx, verb, sent)
    if matches(verb, lex.set("violate_verbs"), lex.set("violate_verbs_forms")) or (
        lemma == "fail" and _violation_xcomp(verb)
    ):
        ceasefire = event_in(ctx, verb, "Ceasefire", depth=3)
        if ceasefire:
            alleged = _under_accusation(ctx, verb)
            for key in _accused(ctx, verb) or subjects(ctx, verb):
                state.add_fact("VIOLATED", key, ceasefire, sent, alleged=alleged)
    if lemma in lex.set("accuse_verbs"):
        _accusation(ctx, verb, sent)
    if lemma in lex.set("support_verbs"):
        _support_verb(ctx, verb, sent, passive)


def _antecedent_truce(ctx: Context, verb: Token, sent: Span) -> str | None:
    """The truce a relative clause or participle is about when the parse
    hides it: 'the 2017 agreement, which both sides signed', 'under a deal
    negotiated by Kuwait' (a deal noun in a sentence naming one truce)."""
    if verb.dep_ not in ("relcl", "acl") or verb.head is verb:
        return None
    head = verb.head
    found = event_in(ctx, head, "Ceasefire", depth=0)
    if (
        found
        or verb.dep_ == "relcl"
        and not any(
            c.lower_ in ("which", "that") and c.dep_ in ("dobj", "nsubjpass") for c in verb.children
        )
    ):
        return found
    here = ctx.sent_ceasefires.get(sent.start, [])
    if head.lemma_.lower() in ctx.state.lex.set("deal_nouns") and len(here) == 1:
        return here[0]
    return None


def _unilateral_truce(ctx: Context, verb: Token, sent: Span) -> None:
    """'The FARC declared/observed a unilateral ceasefire': a one-sided truce
    is agreed by the one who keeps it."""
    for child in verb.children:
        if child.dep_ not in ("dobj", "nsubjpass"):
            continue
        ceasefire = event_in(ctx, child, "Ceasefire", depth=0)
        if ceasefire and any(
            t.lower_ in ("unilateral", "one-sided") for t in child.subtree if t.i < child.i
        ):
            who = agents(ctx, verb) if child.dep_ == "nsubjpass" else subjects(ctx, verb)
            for key in who:
                ctx.state.add_fact("BROKERED", key, ceasefire, sent)


def _negotiator_agent(ctx: Context, verb: Token) -> bool:
    """'was represented by its chief negotiator, X': a negotiating role."""
    heads = ctx.state.lex.set("role_negotiating_heads")
    return any(
        t.lemma_.lower() in heads
        for c in verb.children
        if c.dep_ == "agent"
        for p in c.children
        for t in p.subtree
    )


def _same_actor(state: State, a: str, b: str) -> bool:
    """Two mentions of one actor in an article ('United States' and 'U.S.')."""
    if a == b:
        return True
    left, right = state.by_key[a], state.by_key[b]
    lex = state.lex
    canon = {
        m.key: lex.country_of_name(m.text) or lex.org_by_alias.get(m.text) or m.text
        for m in (left, right)
    }
    return canon[a] == canon[b]


def _sends_delegation(ctx: Context, verb: Token) -> bool:
    """'The government sent a delegation (to the talks)'."""
    return verb.lemma_.lower() == "send" and any(
        c.dep_ == "dobj" and c.lemma_.lower() in ctx.state.lex.set("delegation_nouns")
        for c in verb.children
    )


def _led_delegation(ctx: Context, verb: Token, sent: Span, passive: bool) -> bool:
    """'The government delegation, led by Foreign Minister X, attended ...',
    'the rebel team is headed by X', 'X heads the delegation': the leader of a
    delegation speaks for its party and takes part in the talks it attends;
    the leader of a named group ('the RSF, led by X') speaks for it."""
    state = ctx.state
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subject is not None:
        team, leaders = subject, agents(ctx, verb)
    elif (
        verb.tag_ == "VBN"
        and verb.dep_ in ("acl", "relcl", "advcl")
        and not any(c.dep_ == "nsubj" for c in verb.children)
    ):
        team, leaders = verb.head, agents(ctx, verb)
    else:
        team = next((c for c in verb.children if c.dep_ == "dobj"), None)
        leaders = subjects(ctx, verb)
    if team is None:
        return False
    own = state.mention_at(team)
    named = own is not None and state.by_key[own].kind in ("group", "organization")
    if team.lemma_.lower() not in state.lex.set("delegation_nouns") and not named:
        return False
    party = actor_one(ctx, team)
    if party is None and team.dep_ == "dobj" and team.head.lemma_.lower() == "send":
        party = next(iter(subjects(ctx, team.head)), None)  # "X sent a delegation led by Y"
    meeting = None
    if team.lemma_.lower() in state.lex.set("delegation_nouns"):
        meeting = event_in(ctx, team.head, "Meeting", depth=3) if team.dep_ == "nsubj" else None
        meeting = meeting or ctx.default_meeting(sent)
    # the team of a mediator mediates: "X, who has led the U.S. team in Jeddah"
    mediated = [
        f.end
        for f in state.facts
        if f.type == "MEDIATED" and party and _same_actor(state, f.start, party)
    ]
    for key in leaders:
        if state.by_key[key].kind != "person":
            continue
        if party and state.by_key[party].kind != "person":
            state.add_fact("REPRESENTS", key, party, sent)
        if mediated:
            state.add_fact("MEDIATED", key, mediated[0], sent)
        elif meeting:
            state.add_fact("ATTENDED", key, meeting, sent)
    return True


def _doers(ctx: Context, verb: Token, passive: bool) -> list[str]:
    """Who does what a verb says: the by-agent of a passive or a participle
    ('talks led by the UN'), else the subject; nobody for an agentless passive."""
    if any(c.dep_ == "agent" for c in verb.children):
        return agents(ctx, verb)
    if passive or (verb.tag_ == "VBN" and verb.dep_ in ("acl", "advcl", "amod")):
        return []
    return subjects(ctx, verb)


def _subject_tokens(verb: Token) -> set[int]:
    return {t.i for c in verb.children if c.dep_ in ("nsubj",) for t in c.subtree}


def _meeting_at_venue(ctx: Context, verb: Token) -> str | None:
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("to", "in", "at"):
            for pobj in child.children:
                for event in ctx.state.events:
                    if event.venue_key and ctx.state.by_key[event.venue_key].text == pobj.text:
                        return event.key
    return None


def _passive_subject_event(ctx: Context, verb: Token, label: str) -> str | None:
    """The event a passive verb is about: its subject, or the noun a
    participle hangs on ('a truce brokered by Egypt', 'a truce agreed by A
    and brokered by B')."""
    while verb.dep_ == "conj" and verb.head.pos_ == "VERB" and verb.head is not verb:
        verb = verb.head
    if verb.dep_ in ("acl", "amod", "relcl") and verb.head is not verb:
        found = event_in(ctx, verb.head, label, depth=0)  # "the session, which was chaired by"
        if found:
            return found
    for child in verb.children:
        if child.dep_ == "nsubjpass":
            return event_in(ctx, child, label, depth=1)
    return None


def _violation_xcomp(verb: Token) -> bool:
    return any(
        c.dep_ == "xcomp"
        and c.lemma_.lower() in ("uphold", "respect", "observe", "honour", "honor")
        for c in verb.children
    )


def _under_accusation(ctx: Context, verb: Token) -> bool:
    """A violation someone accuses or says happened is alleged; only the
    narrator's own statement is not."""
    lex = ctx.state.lex
    node = verb
    for _ in range(5):
        lemma = node.lemma_.lower()
        if lemma in lex.set("accuse_verbs") or node.lower_ == "alleged":
            return True
        if node is not verb and lemma in lex.set("speech_verbs"):
            return True
        if node.head is node:
            break
        node = node.head
    return False


def _accused(ctx: Context, verb: Token) -> list[str]:
    node = verb
    for _ in range(5):
        if node.lemma_.lower() in ctx.state.lex.set("accuse_verbs"):
            return [k for c in node.children if c.dep_ == "dobj" for k in actors(ctx, c)]
        if node.head is node:
            break
        node = node.head
    return []


def _accusation(ctx: Context, verb: Token, sent: Span) -> None:
    """'accusing Russia of failing to uphold the ceasefire', 'accused the army
    of air strikes', 'accusing each other of attacks' -> alleged VIOLATED of
    the truce in the sentence, or the one the article last named."""
    lex = ctx.state.lex
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if any(c.lower_ in ("other", "another") for c in objects):
        accused = subjects(ctx, verb)  # "X and Y accused each other"
    else:
        accused = [k for c in objects for k in actors(ctx, c)]
    preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("of", "for")]
    preps += [g for c in objects for g in c.children if g.dep_ == "prep" and g.lower_ == "of"]
    cues = lex.set("violate_verbs") | lex.set("violation_cue_nouns") | {"uphold", "respect"}
    for child in preps:
        words = {t.lemma_.lower() for t in child.subtree} | {t.lower_ for t in child.subtree}
        if not words & (cues | {"observe"}):
            continue
        ceasefire = event_in(ctx, child, "Ceasefire", depth=4) or ctx.salient_ceasefire(sent)
        if ceasefire:
            for key in accused:
                ctx.state.add_fact("VIOLATED", key, ceasefire, sent, alleged=True)


def _in_breach(ctx: Context, token: Token, sent: Span) -> None:
    """'X shelled the town in breach of the truce': X violated it (alleged
    when someone only says so)."""
    verb = token.head.head
    ceasefire = event_in(ctx, token, "Ceasefire", depth=3) or ctx.salient_ceasefire(sent)
    if ceasefire is None:
        return
    accused = _under_accusation(ctx, token)
    # "X accused Y of air strikes in breach of the truce": Y, never the accuser
    charged = any(
        a.lemma_.lower() in ctx.state.lex.set("accuse_verbs") for a in [verb, *verb.ancestors][:5]
    )
    who = _accused(ctx, verb) if charged else subjects(ctx, verb)
    if not who and not charged:  # "the shelling by the rebels was in breach of ..."
        for child in verb.children:
            if child.dep_ == "nsubj":
                who = [
                    k
                    for p in child.children
                    if p.dep_ == "prep" and p.lower_ == "by"
                    for g in p.children
                    for k in actors(ctx, g)
                ]
    for key in who:
        ctx.state.add_fact("VIOLATED", key, ceasefire, sent, alleged=accused)


def _support_verb(ctx: Context, verb: Token, sent: Span, passive: bool) -> None:
    """'Russia has backed Assad's government', 'backed by Saudi Arabia and
    Turkey, the opposition groups ...', 'militias directed by Iran',
    'providing military aid to Assad', 'a campaign to shore up Assad'."""
    state = ctx.state
    clause = verb
    while clause.dep_ == "conj" and clause.head is not clause:
        clause = clause.head  # "Advised by X, and backed by Y, the groups ..."
    backed: list[str] = []
    if passive or (verb.tag_ == "VBN" and clause.dep_ in ("acl", "amod", "advcl")):
        backers = agents(ctx, verb)
        for child in verb.children:
            if child.dep_ == "nsubjpass":
                backed += actors(ctx, child)
        if not backed and clause.dep_ in ("acl", "amod"):
            backed = actors(ctx, clause.head, expand=False)
        if not backed and clause.dep_ == "advcl":
            backed = [k for c in clause.head.children if c.dep_ == "nsubj" for k in actors(ctx, c)]
    else:
        backers = subjects(ctx, verb)
        if not backers and verb.dep_ in ("acl", "xcomp") and verb.head.pos_ == "NOUN":
            # "its military campaign to shore up Assad": the campaign's owner
            backers = [k for c in verb.head.children if c.dep_ == "poss" for k in actors(ctx, c)]
        for child in verb.children:
            if child.dep_ == "dobj":
                backed += actors(ctx, child) or [
                    k
                    for c in child.children
                    if c.dep_ in ("compound", "poss", "amod")
                    for k in actors(ctx, c)
                ]
                if child.lemma_.lower() in state.lex.set("support_aid_nouns"):
                    backed += _to_object(ctx, verb)
        if event_in(ctx, verb, "Meeting", depth=1):
            return
    for backer in backers:
        for party in backed:
            state.add_fact("SUPPORTS", backer, party, sent)


def _to_object(ctx: Context, verb: Token) -> list[str]:
    return [
        k
        for c in verb.children
        if c.dep_ in ("prep", "dative") and c.lower_ == "to"
        for p in c.children
        for k in actors(ctx, p)
    ]


def _hyphen_rule(ctx: Context, part: Token, sent: Span) -> None:
    """'Russian-led peace efforts', 'UN-led talks', 'Western-backed rebels',
    'Moscow-hosted talks', 'U.N.-brokered truce'."""
    doc = ctx.state.doc
    state = ctx.state
    glued = "-" in part.text[1:-1]
    if glued:
        who = _glued_prefix_actor(ctx, part)
    else:
        if part.i < 2 or doc[part.i - 1].text not in ("-", "–") or doc[part.i - 2].whitespace_:
            return
        who = _prefix_actor(ctx, doc[part.i - 2])
    if not who:
        return
    noun = part.head if part.dep_ in ("amod", "compound", "acl") else part
    while noun.dep_ == "compound" and noun.head is not noun:
        noun = noun.head
    lemma = part.lower_.rsplit("-", 1)[-1]
    meeting = event_in(ctx, noun, "Meeting", depth=2)
    weak = noun.lemma_.lower() in state.lex.set("weak_meeting_nouns")
    ceasefire = event_in(ctx, noun, "Ceasefire", depth=1)
    if ceasefire and lemma in ("brokered", "backed", "sponsored", "led", "mediated"):
        state.add_fact("BROKERED", who, ceasefire, sent)
    elif meeting or (weak and ctx.default_meeting(sent)):
        if lemma != "based":
            state.add_fact("MEDIATED", who, meeting or ctx.default_meeting(sent) or "", sent)
    elif lemma in state.lex.set("support_hyphen"):
        for party in actors(ctx, noun, expand=False):
            state.add_fact("SUPPORTS", who, party, sent)


def _glued_prefix_actor(ctx: Context, token: Token) -> str | None:
    """The actor before the hyphen of a one-token 'U.N.-sponsored'."""
    state = ctx.state
    prefix = token.text.rsplit("-", 1)[0]
    country = state.lex.country_of_name(prefix)
    if country:
        return state.country_keys.get(country)
    if prefix in state.lex.org_by_alias:
        span = state.doc[token.i : token.i + 1]
        start = token.idx
        key = state.new_mention(
            span,
            "Actor",
            prefix,
            start,
            start + len(prefix),
            kind="organization",
            ner_label="LEXICON",
        ).key
        state.token_mention.pop(token.i, None)  # the token as a whole stays the participle
        return key
    return None


def _prefix_actor(ctx: Context, prefix: Token) -> str | None:
    state = ctx.state
    lex = state.lex
    key = actor_one(ctx, prefix)
    if key:
        return key
    country = lex.country_by_demonym.get(prefix.text)
    if country:
        return state.country_keys.get(country)
    bloc = lex.words["blocs"].get(prefix.text)
    if bloc:  # "Western-backed": the article's "West"
        return next((m.key for m in state.mentions if m.text == bloc), None)
    start = alias_ending_at(state, prefix.i, prefix.sent.start)
    if start is not None and start < prefix.i:  # "United Nations-sponsored"
        span = state.doc[start : prefix.i + 1]
        if span.text in lex.org_by_alias:
            return state.new_mention(
                span,
                "Actor",
                span.text,
                span.start_char,
                span.end_char,
                kind="organization",
                ner_label="LEXICON",
            ).key
    if prefix.text in lex.org_by_alias:
        span = state.doc[prefix.i : prefix.i + 1]
        mention = state.new_mention(
            span,
            "Actor",
            prefix.text,
            prefix.idx,
            prefix.idx + len(prefix.text),
            kind="organization",
            ner_label="LEXICON",
        )
        return mention.key
    return None


def _noun_rules(ctx: Context, token: Token, sent: Span) -> None:
    state = ctx.state
    lex = state.lex
    lemma = token.lemma_.lower()
    doc = state.doc
    no_show = (
        lemma == "show"
        and token.i >= 2
        and doc[token.i - 1].text == "-"
        and doc[token.i - 2].lower_ == "no"
    )
    if token.pos_ in ("NOUN", "PROPN") and (lemma in lex.set("refusal_nouns") or no_show):
        owners = _noun_owners(ctx, token)
        if no_show:
            owners += [
                k
                for c in doc[token.i - 2].children
                if c.dep_ in ("poss", "compound", "amod")
                for k in actors(ctx, c)
            ]
            if not owners and token.i >= 3:
                owners = actors(ctx, doc[token.i - 3], expand=False)
        if lemma in ("refusal", "absence") and not any(
            t.lemma_.lower() in lex.set("attend_verbs") or t.lower_ in ("join", "attend")
            for t in token.subtree
        ):
            return
        target = event_in(ctx, token, "Meeting", depth=4) or ctx.default_meeting(sent)
        for key in owners:
            if target:
                state.add_fact("BOYCOTTED", key, target, sent)
    if lemma in lex.set("support_nouns") or (
        lemma in ("backer",) or token.lower_.endswith("backer")
    ):
        _support_noun(ctx, token, sent)
    if lemma in lex.set("support_act_nouns") and token.pos_ == "NOUN":
        _support_for(ctx, token, sent)
    if token.lower_ in lex.parties["guarantor_nouns"] and token.pos_ == "NOUN":
        _guarantor_rule(ctx, token, sent)
    if lemma in lex.set("violate_nouns"):
        # "violations of the truce by X": 'by' may hang off the truce instead
        inner = [
            g for p in token.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children
        ]
        for child in [*token.children, *(c for g in inner for c in g.children)]:
            if child.dep_ == "prep" and child.lower_ == "by":
                ceasefire = event_in(ctx, token, "Ceasefire", depth=3) or ctx.salient_ceasefire(
                    sent
                )
                alleged = any(
                    c.lower_ in ("alleged", "reported", "suspected") for c in token.children
                )
                for pobj in child.children:
                    for key in actors(ctx, pobj):
                        if ceasefire:
                            state.add_fact(
                                "VIOLATED",
                                key,
                                ceasefire,
                                sent,
                                alleged=alleged or _under_accusation(ctx, token),
                            )
        if token.dep_ == "pobj" and token.head.lower_ == "in" and token.head.head is not token:
            _in_breach(ctx, token, sent)
    if lemma in lex.set("auspices_nouns") and token.dep_ == "pobj" and token.head.lower_ == "under":
        _under_auspices(ctx, token, sent)
    if ctx.event_of.get(token.i, "").startswith("e") and token.pos_ in ("NOUN", "PROPN"):
        for child in token.children:
            if (
                child.dep_ == "prep"
                and child.lower_ == "of"
                and token.lemma_.lower() in ("meeting", "summit")
            ):
                for pobj in child.children:  # "a meeting of the ISSG": its members met
                    for key in actors(ctx, pobj):
                        if state.by_key[key].kind != "person":
                            state.add_fact("ATTENDED", key, ctx.event_of[token.i], sent)
            if child.dep_ == "prep" and child.lower_ in ("between", "with", "among"):
                # "talks ... with Cuba, Norway as guarantors": they mediate
                rel = (
                    "MEDIATED"
                    if child.lower_ == "with"
                    and (_as_guarantor(ctx, token) or _hosted_object(ctx, token))
                    else "ATTENDED"
                )  # "hosted the conference with X": a co-host
                for pobj in child.children:
                    for key in actors(ctx, pobj):
                        state.add_fact(rel, key, ctx.event_of[token.i], sent)
        for child in token.children:
            if child.dep_ == "poss":
                for key in actors(ctx, child):
                    if state.by_key[key].kind == "person":
                        state.add_fact("ATTENDED", key, ctx.event_of[token.i], sent)


def _under_auspices(ctx: Context, token: Token, sent: Span) -> None:
    """'... meet in Geneva under U.N. auspices', 'under the mediation of X'."""
    state = ctx.state
    meeting = ctx.default_meeting(sent) if ctx.sent_meetings.get(sent.start) else None
    if meeting is None:
        return
    owners = [
        k
        for c in token.children
        if c.dep_ in ("compound", "poss", "amod") and c.i < token.i
        for k in actors(ctx, c)
    ]
    owners += [
        k
        for c in token.children
        if c.dep_ == "prep" and c.lower_ == "of"
        for p in c.children
        for k in actors(ctx, p)
    ]
    for key in owners:
        state.add_fact("MEDIATED", key, meeting, sent)


def _guarantor_rule(ctx: Context, token: Token, sent: Span) -> None:
    """'Cuba and Norway are guarantors of the process' -> MEDIATED;
    'Russia and Turkey, the guarantors of the truce' -> BROKERED."""
    state = ctx.state
    target: tuple[str, str] | None = None
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            ceasefire = event_in(ctx, child, "Ceasefire", depth=2)
            meeting = event_in(ctx, child, "Meeting", depth=2)
            weak = any(
                t.lemma_.lower() in state.lex.set("weak_meeting_nouns") for t in child.children
            )
            if ceasefire:
                target = ("BROKERED", ceasefire)
            elif meeting or (weak and ctx.main_meeting):
                target = ("MEDIATED", meeting or ctx.main_meeting or "")
    if target is None and token.dep_ == "pobj" and token.head.lower_ == "as":
        meeting = event_in(ctx, token.head.head, "Meeting", depth=2) or ctx.default_meeting(sent)
        target = ("MEDIATED", meeting) if meeting else None
    if target is None:
        return
    who: list[str] = []
    if token.dep_ == "pobj" and token.head.lower_ == "as":
        verb = token.head.head  # "Cuba and Norway act as guarantors of the process"
        if verb.pos_ in ("VERB", "AUX") and not any(
            c.dep_ == "prep" and c.lower_ == "with"
            for t in (verb, *verb.children)
            for c in t.children
        ):
            who = subjects(ctx, verb)
    elif token.dep_ == "attr":
        who = [k for c in token.head.children if c.dep_ == "nsubj" for k in actors(ctx, c)]
    elif token.dep_ == "appos":
        who = actors(ctx, token.head)
    who += [k for c in token.children if c.dep_ == "appos" for k in actors(ctx, c)]
    for key in who:
        state.add_fact(target[0], key, target[1], sent)


def _hosted_object(ctx: Context, meeting: Token) -> bool:
    """Is the meeting noun what a mediating verb acts on ('hosted the conference')?"""
    lex = ctx.state.lex
    return meeting.dep_ == "dobj" and matches(
        meeting.head, lex.set("mediate_verbs"), lex.set("mediate_verbs_forms")
    )


def _as_guarantor(ctx: Context, meeting: Token) -> bool:
    """Is an 'as guarantors/mediators' phrase hung on the meeting noun or its verb?"""
    nouns = ctx.state.lex.parties["guarantor_nouns"]
    return any(
        c.dep_ == "prep" and c.lower_ == "as" and any(p.lower_ in nouns for p in c.children)
        for t in (meeting, meeting.head)
        for c in t.children
    )


def _noun_owners(ctx: Context, token: Token) -> list[str]:
    out: list[str] = []
    for child in token.children:
        if child.dep_ in ("poss", "compound", "amod") and child.i < token.i:
            out.extend(actors(ctx, child))
        if child.dep_ == "prep" and child.lower_ == "by":
            for pobj in child.children:
                out.extend(actors(ctx, pobj))
    return out


def _support_noun(ctx: Context, token: Token, sent: Span) -> None:
    """'Regime supporters Russia and Iran', 'rebel-backer Turkey',
    'fellow Assad supporter Iran'."""
    state = ctx.state
    doc = state.doc
    backed: list[str] = []
    for child in token.children:
        if child.dep_ in ("compound", "poss", "amod", "nmod") and child.i < token.i:
            backed.extend(actors(ctx, child, expand=False))
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                backed.extend(actors(ctx, pobj))
    if not backed and token.i >= 2 and doc[token.i - 1].text == "-":
        backed = actors(ctx, doc[token.i - 2], expand=False)
    backers: list[str] = []
    for child in token.children:
        if child.dep_ == "appos":
            backers.extend(actors(ctx, child))
    if not backers and token.dep_ in ("compound", "appos", "nmod") and token.head.i > token.i:
        backers = actors(ctx, token.head, expand=False)  # "supporter Iran as well as Turkey"
    if not backers and token.dep_ == "appos":
        backers = actors(ctx, token.head)
    if not backers and token.i + 1 < sent.end:  # "the government's ally France" (misparsed)
        backers = actors(ctx, doc[token.i + 1], expand=False)
    for backer in backers:
        for party in backed:
            state.add_fact("SUPPORTS", backer, party, sent)


def _support_for(ctx: Context, token: Token, sent: Span) -> None:
    """'Iran's support for the rebels', 'Turkish backing for the opposition':
    the owner of the support backs whoever it is for."""
    backers = [
        k
        for c in token.children
        if c.dep_ in ("poss", "compound", "amod") and c.i < token.i
        for k in actors(ctx, c, expand=False)
    ]
    backed = [
        k
        for c in token.children
        if c.dep_ == "prep" and c.lower_ == "for"
        for p in c.children
        for k in actors(ctx, p)
    ]
    for backer in backers:
        for party in backed:
            if backer != party:
                ctx.state.add_fact("SUPPORTS", backer, party, sent)


def _discussed(ctx: Context, sent: Span) -> None:
    """A ceasefire whose own verb is one of talking about it ('pushing for a
    ceasefire ... ahead of a meeting') is on that meeting's agenda; a modal
    proposal ('should be handled in talks') is not yet."""
    meetings = ctx.sent_meetings.get(sent.start, [])
    ceasefires = ctx.sent_ceasefires.get(sent.start, [])
    if not meetings or not ceasefires:
        return
    lex = ctx.state.lex
    modal = {"should", "could", "might", "may", "must"}
    for ceasefire in ceasefires:
        anchors = [t for t in sent if ctx.event_of.get(t.i) == ceasefire]
        verbs = [v for t in anchors for v in verb_chain(governing_verb(t)) if v is not None]
        if not any(
            v.lemma_.lower() in lex.set("discuss_verbs")
            and not any(c.dep_ in ("aux", "auxpass") and c.lower_ in modal for c in v.children)
            for v in verbs
        ):
            continue
        for meeting in meetings:
            ctx.state.add_fact("DISCUSSED_AT", ceasefire, meeting, sent)


def _whose_body(ctx: Context, whose: Token, sent: Span) -> None:
    """'Khalifa Haftar, whose Libyan National Army (LNA) ...': the person
    leads, and speaks for, the force or body that is theirs (read off the
    surface: the parse of such clauses is often wrong)."""
    state = ctx.state
    doc = state.doc
    if whose.i < 2 or doc[whose.i - 1].text != ",":
        return
    person = state.mention_at(doc[whose.i - 1 - 1])
    if person is None or state.by_key[person].kind != "person":
        return
    for token in doc[whose.i + 1 : min(whose.i + 8, sent.end)]:
        body = state.mention_at(token)
        if body and state.by_key[body].kind in ("organization", "group"):
            if state.by_key[body].text.lower() not in state.lex.set("own_party_nouns"):
                state.add_fact("REPRESENTS", person, body, sent)  # not "whose government"
            return
        if token.pos_ not in ("PROPN", "ADJ", "NOUN", "DET"):
            return


def _signed_truce(ctx: Context, sent: Span) -> None:
    """'The ceasefire between A and B was signed ... at talks brokered by C':
    A and B agreed it, the talks had it on their agenda, and whoever mediated
    the talks brokered it too."""
    state = ctx.state
    lex = state.lex
    for ceasefire in ctx.sent_ceasefires.get(sent.start, []):
        for anchor in (t for t in sent if ctx.event_of.get(t.i) == ceasefire):
            verb = governing_verb(anchor)
            if verb is None or verb.lemma_.lower() not in lex.set("ceasefire_agreed"):
                continue
            if negated(ctx, verb)[0] or irrealis(ctx, verb) or is_future(verb):
                continue
            # "agreed to a ceasefire ..., closing a week of consultations" (the truce
            # itself agreed, not "a road map for a ceasefire")
            direct = anchor.head.i == verb.i or (
                anchor.head.dep_ == "prep" and anchor.head.head.i == verb.i
            )
            for meeting in ctx.sent_meetings.get(sent.start, []) if direct else []:
                if not any(e.key == meeting and e.status == "cancelled" for e in state.events):
                    state.add_fact("DISCUSSED_AT", ceasefire, meeting, sent)
            # "a truce between A and B", or "brokered a truce between A and B" (misattached)
            hosts = [anchor, verb] if anchor.head.i == verb.i else [anchor]
            for child in (c for h in hosts for c in h.children):
                if child.dep_ == "prep" and child.lower_ == "between":
                    for pobj in child.children:
                        for key in actors(ctx, pobj):
                            state.add_fact("BROKERED", key, ceasefire, sent)
            for prep in verb.children:
                if prep.dep_ != "prep" or prep.lower_ not in ("at", "during"):
                    continue
                meeting = event_in(ctx, prep, "Meeting", depth=4)
                if meeting is None:
                    continue
                state.add_fact("DISCUSSED_AT", ceasefire, meeting, sent)
                for key in subjects(ctx, verb):  # who signed it at the talks took part
                    state.add_fact("ATTENDED", key, meeting, sent)
                here = state.sentence(sent)
                for fact in list(state.facts):
                    if fact.type == "MEDIATED" and fact.end == meeting and fact.sentence == here:
                        state.add_fact("BROKERED", fact.start, ceasefire, sent)


def _headline_verb_as_noun(ctx: Context, sent: Span) -> None:
    """'China brokers truce between ...': a terse headline the model reads
    as the noun 'brokers'; an actor, a broker/mediate verb form, then the event."""
    state = ctx.state
    lex = state.lex
    for token in sent:
        if token.pos_ != "NOUN" or token.i == sent.start or token.i + 1 >= sent.end:
            continue
        owner = state.mention_at(state.doc[token.i - 1])
        if owner is None or state.by_key[owner].label != "Actor":
            continue
        event = ctx.event_of.get(token.i + 1)
        if event is None:
            continue
        low = token.lower_
        if event[0] == "c" and low in lex.set("broker_verbs_forms"):
            state.add_fact("BROKERED", owner, event, sent)
        elif event[0] == "e" and low in lex.set("mediate_verbs_forms"):
            state.add_fact("MEDIATED", owner, event, sent)


def _inverted_attendance(ctx: Context, sent: Span) -> None:
    """'Attending were delegations from A, B and C': the subject is the verb,
    the attendees stand after 'were'."""
    for token in sent:
        if (
            token.lower_ in ctx.state.lex.set("inverted_attend_words")
            and token.dep_ in ("nsubj", "csubj", "advmod", "acomp")
            and token.head.lemma_ == "be"
            and token.i < token.head.i
        ):
            target = ctx.default_meeting(sent)
            if target is None:
                return
            for attr in token.head.children:
                if attr.dep_ in ("attr", "nsubj") and attr is not token:
                    for key in actors(ctx, attr):
                        ctx.state.add_fact("ATTENDED", key, target, sent)


def _mutual_accusations(ctx: Context) -> None:
    """'each side accusing the other of breaking the truce', 'both sides
    traded accusations of breaches': every party to the truce (who agreed or
    signed it, not a third party who brokered it) allegedly violated it;
    'A and B traded accusations of breaches': A and B."""
    state = ctx.state
    lex = state.lex
    cues = lex.set("violate_verbs") | lex.set("violation_cue_nouns")
    for sent in state.doc.sents:
        if sent.start in state.skipped_sents:
            continue
        found, named = _mutual_cue(ctx, sent)
        if not found:
            continue
        if not any(t.lemma_.lower() in cues or t.lower_ in cues for t in sent):
            if not ctx.sent_ceasefires.get(sent.start):
                continue
        ceasefire = ctx.salient_ceasefire(sent)
        if ceasefire is None:
            continue
        if named == ["generic"]:
            named = _truce_sides(ctx, ceasefire)
        for key in named if len(named) >= 2 else []:
            state.add_fact("VIOLATED", key, ceasefire, sent, alleged=True)


def _mutual_cue(ctx: Context, sent: Span) -> tuple[bool, list[str]]:
    """An accusation between sides ('each other', 'traded accusations'), and
    the sides when the clause names them (["generic"] for 'each side',
    'both sides': the truce's own parties)."""
    lex = ctx.state.lex
    for token in sent:
        lemma = token.lemma_.lower()
        verb = None
        if lemma in lex.set("accuse_verbs") and token.pos_ == "VERB":
            objects = [c for c in token.children if c.dep_ == "dobj"]
            if any(c.lower_ in ("other", "another") for c in objects):
                verb = token
        if lemma in lex.set("mutual_accusation_nouns") and token.dep_ == "dobj":
            if token.head.lemma_.lower() in lex.set("mutual_accusation_verbs"):
                verb = token.head
        if verb is None:
            continue
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None or subject.lemma_.lower() in lex.set("generic_side_words"):
            return True, ["generic"]
        return True, subjects(ctx, verb)
    return False, []


def _truce_sides(ctx: Context, ceasefire: str) -> list[str]:
    """Who agreed a truce as a party to it: its brokers, less those whose
    verb makes them a third party ('brokered by Qatar', 'Qatar mediated')."""
    state = ctx.state
    third = state.lex.set("third_party_broker_verbs")
    mediators = {f.start for f in state.facts if f.type == "MEDIATED"}
    sides: list[str] = []
    for fact in state.facts:
        if fact.type != "BROKERED" or fact.end != ceasefire or fact.start in mediators:
            continue
        node = state.doc[state.mention_tokens[fact.start][0]]
        by = False
        for _ in range(4):
            if node.pos_ in ("VERB", "AUX") or node.head is node or node.lower_ == "between":
                break  # "a truce between A and B": A and B are its sides
            by = by or node.dep_ == "agent" or node.lower_ == "by"
            node = node.head
        lemma = node.lemma_.lower()
        if lemma in third or node.lower_ in third:
            continue
        if by and lemma in state.lex.set("third_party_agent_verbs"):
            continue  # "the deal was negotiated by Saudi Arabia"
        if not any(_same_actor(state, fact.start, k) for k in sides):
            sides.append(fact.start)
    return sides if len(sides) >= 2 else []


def _call_facts(ctx: Context) -> None:
    for ref, key in ctx.calls + ctx.verb_meetings:
        for token in ref.participants:
            for actor in actors(ctx, token):
                ctx.state.add_fact("ATTENDED", actor, key, ref.anchor.sent)


def _nobody_attends_cancelled(state: State, scrapped: set[str]) -> None:
    """A meeting called off took place for no one: 'cancelled a meeting with
    Taliban leaders' names who would have come, not who attended (a meeting
    merely postponed keeps its participants)."""
    cancelled = {e.key for e in state.events if e.status == "cancelled" and e.key in scrapped}
    if cancelled:
        state.facts = [f for f in state.facts if not (f.type == "ATTENDED" and f.end in cancelled)]


def _envoys_bodies(ctx: Context) -> None:
    """'chaired by the OSCE's special representative X': the body X speaks
    for mediates through its envoy."""
    state = ctx.state
    speaks_for = {
        f.start: f.end
        for f in state.facts
        if f.type == "REPRESENTS" and state.by_key[f.end].kind == "organization"
    }
    for fact in list(state.facts):
        body = speaks_for.get(fact.start)
        if fact.type == "MEDIATED" and body and state.by_key[fact.start].kind == "person":
            start, _ = state.mention_tokens[fact.start]
            state.add_fact("MEDIATED", body, fact.end, state.doc[start].sent)


def _org_role(state: State, mention: Mention) -> bool:
    """'UN Special Envoy': an international body's envoy mediates, he is not a
    delegate; proximity to the talks says nothing about attendance."""
    return any(
        f.type == "REPRESENTS"
        and f.start == mention.key
        and state.by_key[f.end].kind == "organization"
        for f in state.facts
    )


def _role_attendance(ctx: Context) -> None:
    """A negotiator or envoy named next to the talks took part in them; a
    mediator named with them mediated them."""
    state = ctx.state
    lex = state.lex
    for mention in state.mentions:
        if mention.kind != "person" or not mention.role:
            continue
        words = set(mention.role.lower().split())
        start, end = state.mention_tokens[mention.key]
        sent = state.doc[start].sent
        root = state.doc[start:end].root
        if root.dep_ == "appos":  # "Ukraine's envoy to the group, former president X"
            words.add(root.head.lemma_.lower())
        if words & lex.set("role_mediating_heads"):
            root = state.doc[start : state.mention_tokens[mention.key][1]].root
            head = root.head if root.dep_ == "appos" else None
            meeting = event_in(ctx, head, "Meeting", depth=3) if head is not None else None
            if meeting:
                state.add_fact("MEDIATED", mention.key, meeting, sent)
        elif (
            words & lex.set("role_negotiating_heads")
            and (ctx.near_meeting(sent) or words & {"negotiator", "delegate"})
            and not _org_role(state, mention)
        ):
            # a party's negotiator in a story about talks took part in them
            meeting = ctx.default_meeting(sent)
            if meeting and not any(
                f.start == mention.key and f.type == "BOYCOTTED" for f in state.facts
            ):
                state.add_fact("ATTENDED", mention.key, meeting, sent)
