"""Who and what a parse token stands for: the actor mentions behind a
subject ('who' -> its antecedent, 'it' -> the last acting state, 'the three
powers' -> the last list of three, 'the leaders of A and B' -> A and B), the
event a phrase refers to, and the negation/refusal around a verb. The fact
rules in `relations` build on these."""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extract.refs import Cluster, Ref
from kg.extract.state import State

_REL_PRONOUNS = {"who", "which", "that"}


_PERSON_PRONOUNS = {"he", "she", "him", "her"}


_THING_PRONOUNS = {"it", "they", "them", "its", "their"}


class Context:
    """Token -> event maps and the article's salient meeting, for the rules."""

    def __init__(
        self, state: State, clusters: list[tuple[Cluster, list[tuple[Ref, Span]]]]
    ) -> None:
        self.state = state
        self.event_of: dict[int, str] = {}
        self.sent_meetings: dict[int, list[str]] = {}
        self.sent_ceasefires: dict[int, list[str]] = {}
        self.main_meeting: str | None = None
        self.calls: list[tuple[Ref, str]] = []
        # meetings called off for good (not merely postponed): nobody attends them
        self.scrapped: set[str] = {
            c.event.key for c, _ in clusters if any("scrapped" in r.cues for r in c.refs)
        }
        self.verb_meetings: list[tuple[Ref, str]] = []
        for cluster, refs in clusters:
            key = cluster.event.key
            for ref, sent in refs:
                for i in ref.tokens:
                    self.event_of[i] = key
                bucket = self.sent_meetings if ref.label == "Meeting" else self.sent_ceasefires
                if ref.kind != "call":
                    bucket.setdefault(sent.start, [])
                    if key not in bucket[sent.start]:
                        bucket[sent.start].append(key)
                else:
                    self.calls.append((ref, key))
                if ref.kind != "call" and ref.participants:
                    self.verb_meetings.append((ref, key))
            if (
                cluster.event.label == "Meeting"
                and self.main_meeting is None
                and cluster.refs[0].marker not in ("new", "past", "earlier")
                and cluster.event.kind != "call"
            ):
                self.main_meeting = key
        self.sent_list = list(state.doc.sents)
        self.sent_index = {s.start: i for i, s in enumerate(self.sent_list)}

    def default_meeting(self, sent: Span) -> str | None:
        """The meeting a bare 'the talks'/'stayed away' in this sentence means."""
        here = self.sent_meetings.get(sent.start, [])
        if len(here) == 1:
            return here[0]
        if self.main_meeting in here or not here:
            return self.main_meeting
        return here[0]

    def salient_ceasefire(self, sent: Span) -> str | None:
        """The truce a bare accusation ('accused X of violations') is about:
        one named in this sentence, else the latest named before it."""
        i = self.sent_index.get(sent.start, 0)
        for j in range(i, -1, -1):
            here = self.sent_ceasefires.get(self.sent_list[j].start) if self.sent_list else None
            if here:
                return here[-1] if j < i else here[0]
        return None

    def near_meeting(self, sent: Span) -> bool:
        i = self.sent_index.get(sent.start, 0)
        for j in (i, i + 1):
            if 0 <= j < len(self.sent_list) and self.sent_meetings.get(self.sent_list[j].start):
                return True
        return False


def actors(ctx: Context, token: Token | None, expand: bool = True) -> list[str]:
    """Actor mention keys a token stands for, conjuncts included."""
    if token is None:
        return []
    if (
        token.lower_ in _REL_PRONOUNS
        and token.dep_.startswith("nsubj")
        and token.head.dep_ == "relcl"
    ):
        antecedent = token.head.head
        if antecedent.dep_ == "appos" and actor_one(ctx, antecedent) is None:
            antecedent = antecedent.head
        if (
            antecedent.lower_ in ("those", "ones")
            and antecedent.dep_ == "pobj"
            and antecedent.head.lower_ == "among"
        ):  # "X, Y and Z were among those who attended"
            verb = antecedent.head.head
            return [k for c in verb.children if c.dep_ == "nsubj" for k in actors(ctx, c)]
        # "Kerry and Lavrov, who were chairing" is both; "Turkey, which backs X,
        # and Russia" is Turkey alone: a singular verb keeps the conjuncts out
        return actors(ctx, antecedent, expand and not _singular_verb(token.head))
    numbered = _numbered_group(ctx, token)
    if numbered:
        return numbered
    out: list[str] = []
    if ctx.state.mention_at(token) is None and token.lemma_.lower() in ctx.state.lex.set(
        "delegate_nouns"
    ):
        for child in token.children:  # "the leaders of France, Germany and Russia"
            if child.dep_ == "prep" and child.lower_ in ("of", "from"):
                # "delegations from X and from Y": the conjoined preposition too
                preps = [child, *(c for c in child.children if c.dep_ == "conj")]
                found = [
                    k
                    for pr in preps
                    for p in pr.children
                    if p.dep_ == "pobj"
                    for k in actors(ctx, p, expand)
                ]
                if found and not any(c.dep_ == "appos" for c in token.children):
                    return found
                out = found  # "delegations from X ...: A, B and C" lists more
                break
    for tok in [token, *(_coordinated(token) if expand else ())]:
        key = actor_one(ctx, tok)
        if key and key not in out:
            out.append(key)
    own = ctx.state.mention_at(token)
    own_kind = ctx.state.by_key[own].kind if own and own in ctx.state.by_key else None
    for child in token.children:
        if child.dep_ == "appos" and own_kind != "person":  # "X, head of Y": Y is not X
            for key in actors(ctx, child):
                # "Egypt and Qatar, Egyptian Foreign Minister X told ...": a person is
                # never in apposition to a state; that is a misparse
                if key not in out and not (
                    own_kind in ("country", "organization")
                    and ctx.state.by_key[key].kind == "person"
                ):
                    out.append(key)
    return out


def _leader_named(ctx: Context, token: Token, owner: Token) -> str | None:
    """'the Angolan leader', 'Russia's president': the person the article
    already named with that state's top title ('Angola's President X')."""
    state = ctx.state
    lex = state.lex
    if token.lemma_.lower() not in lex.set("leader_nouns") or token.tag_ == "NNS":
        return None
    country = lex.country_by_demonym.get(owner.text) or lex.country_of_name(owner.text)
    if country is None:
        return None
    found = None
    for mention in state.mentions:
        if mention.kind != "person" or not mention.role:
            continue
        if state.mention_tokens[mention.key][0] > token.i:  # named before, not after
            continue
        words = [w.removesuffix("'s").removesuffix("’s") for w in mention.role.split()]
        titled = any(w.lower() in lex.set("leader_titles") for w in words)
        if titled and any(
            (lex.country_by_demonym.get(w) or lex.country_of_name(w)) == country for w in words
        ):
            found = mention.key
    return found


_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "both": 2}


def _numbered_group(ctx: Context, token: Token) -> list[str]:
    """'the three powers', 'the two sides': the last list of exactly that many
    parties named in this or the four previous sentences."""
    nouns = ctx.state.lex.set("group_reference_nouns")
    size = 0
    if token.lower_ == "both":  # "both of Sudan's warring sides"
        of = [p for c in token.children if c.lower_ == "of" for p in c.children]
        if any(p.lemma_.lower() in nouns for p in of):
            size = 2
    elif token.lemma_.lower() in nouns and token.tag_ == "NNS":
        size = next(
            (
                _NUMBERS.get(c.lower_, int(c.text) if c.text.isdigit() else 0)
                for c in token.children
                if c.dep_ in ("nummod", "det", "predet")
                and (c.lower_ in _NUMBERS or c.text.isdigit())
            ),
            0,
        )
        if size == 0 and any(c.lower_ in ("warring", "rival") for c in token.children):
            size = 2  # "the warring sides"
    if size < 2:
        return []
    i = ctx.sent_index.get(token.sent.start, 0)
    before = [ctx.sent_list[j] for j in range(i, max(i - 5, -1), -1)]
    after = ctx.sent_list[i + 1 : i + 3]  # a lead that names the sides only next
    speakers = {  # "X and Y said that both sides ...": the speakers are not the sides
        t.i
        for a in token.ancestors
        if a.lemma_.lower() in ctx.state.lex.set("speech_verbs")
        for c in a.children
        if c.dep_.startswith("nsubj")
        for t in c.subtree
    }
    for sent in before + after:
        best: list[str] = []
        for tok in sent:
            if tok.i >= token.i and sent.start <= token.i:
                break
            if tok.i in speakers:
                continue
            key = ctx.state.mention_at(tok)
            if not key or ctx.state.by_key[key].kind not in ("country", "organization", "group"):
                continue
            group = [key] + [
                k for c in _coordinated(tok) if (k := ctx.state.mention_at(c)) and k != key
            ]
            if len(dict.fromkeys(group)) == size and tok.dep_ != "conj":
                best = list(dict.fromkeys(group))
                if sent.start > token.i:
                    return best  # looking ahead: the first list named is the one meant
        if best:
            return best
    return []


def _singular_verb(verb: Token) -> bool:
    words = [verb, *(c for c in verb.children if c.dep_ in ("aux", "auxpass"))]
    return any(w.tag_ == "VBZ" or w.lower_ in ("is", "was", "has") for w in words)


def _coordinated(token: Token) -> list[Token]:
    """Conjuncts, plus 'X along with Y' / 'X as well as Y', plus the first
    name of a mis-parsed 'Kerry and Foreign Minister Lavrov' (compound + cc)."""
    out = list(token.conjuncts)
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "along":
            out.extend(
                p
                for w in child.children
                if w.lower_ == "with"
                for p in w.children
                if p.dep_ == "pobj"
            )
        if child.dep_ == "compound" and any(c.dep_ == "cc" for c in child.children):
            out.append(child)
    for tok in list(out):
        out.extend(c for c in tok.conjuncts if c not in out and c is not token)
    return out


def actor_one(ctx: Context, token: Token, depth: int = 0) -> str | None:
    state = ctx.state
    own = _own_party(ctx, token, depth)
    if own:
        return own
    key = state.mention_at(token)
    if key and state.by_key[key].label == "Actor":
        return key
    lower = token.lower_
    if depth > 2:
        return None
    if lower in _REL_PRONOUNS and token.dep_.startswith("nsubj") and token.head.dep_ == "relcl":
        return actor_one(ctx, token.head.head, depth + 1)
    if lower in _PERSON_PRONOUNS | _THING_PRONOUNS:
        return _pronoun(ctx, token)
    if lower in ctx.state.lex.set("org_words"):
        for child in token.children:  # "the Houthi movement" where NER kept "Houthi"
            key = state.mention_at(child) if child.dep_ == "compound" else None
            if key and state.by_key[key].kind in ("organization", "group"):
                return key
    if any(c.lower_ == "the" for c in token.children) and lower in ctx.state.lex.set("org_words"):
        return _definite_org(ctx, token)  # "a meeting of the group" -> "... Support Group"
    if (
        token.dep_ == "appos"
        and token.head.i < token.i
        and lower in ctx.state.lex.set("group_nouns")
    ):
        return actor_one(ctx, token.head, depth + 1)
    if lower in ctx.state.lex.set("group_nouns") or token.lemma_.lower() in ctx.state.lex.set(
        "group_nouns"
    ):
        for sub in token.subtree:
            key = state.mention_at(sub)
            if sub.dep_ == "appos" and key and state.by_key[key].kind == "person":
                return key
        for child in token.children:
            if child.dep_ == "appos":
                found = actor_one(ctx, child, depth + 1)
                if found:
                    return found
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "from"):
                for pobj in child.children:
                    if pobj.dep_ in ("pobj", "compound") or pobj.i > child.i:
                        found = actor_one(ctx, pobj, depth + 1)
                        if found:
                            return found
                    # "a delegation from Damascus meet ...": parse puts the city as compound
                    for sub in pobj.children:
                        if sub.dep_ == "compound":
                            found = actor_one(ctx, sub, depth + 1)
                            if found:
                                return found
        for child in token.children:
            if child.dep_ in ("poss", "compound", "amod"):
                leader = _leader_named(ctx, token, child)
                if leader:
                    return leader
                found = actor_one(ctx, child, depth + 1)
                if found:
                    return found
                country = state.lex.country_by_demonym.get(child.text)
                if country and state.country_keys.get(country):
                    return state.country_keys[country]  # "his French counterpart"
    return None


def _own_party(ctx: Context, token: Token, depth: int) -> str | None:
    """'his group', 'whose government': the party the person speaks for."""
    lower = token.lower_
    if depth > 2:
        return None
    owner = next(
        (c for c in token.children if c.dep_ == "poss" and c.lower_ in ("his", "her", "whose")),
        None,
    )
    if owner is not None and lower in ctx.state.lex.set("own_party_nouns"):
        if owner.lower_ == "whose":  # "Wallstrom, whose government hosted the talks"
            clause = token.head if token.head.dep_ == "relcl" else None
            person = actor_one(ctx, clause.head, depth + 1) if clause is not None else None
        else:
            person = _pronoun(ctx, owner, person=True)  # "his group would not attend"
        if person and ctx.state.by_key[person].kind == "person":
            return _represented(ctx, person)
    return None


def _represented(ctx: Context, person: str | None) -> str | None:
    """The party a person speaks for (their REPRESENTS fact), if any."""
    if person is None:
        return None
    state = ctx.state
    name = state.by_key[person].text
    same = (
        {  # "Pashinyan" is the "Nikol Pashinyan" whose role was read earlier
            m.key
            for m in state.mentions
            if m.kind == "person" and m.text.split()[-1:] == name.split()[-1:]
        }
        | {person}
    )
    return next((f.end for f in state.facts if f.type == "REPRESENTS" and f.start in same), None)


def _definite_org(ctx: Context, token: Token) -> str | None:
    """'the group', 'the coalition': the latest organisation named before
    whose name ends in that word."""
    best = None
    for mention in ctx.state.mentions:
        start, _ = ctx.state.mention_tokens[mention.key]
        if start >= token.i:
            continue
        if mention.kind == "organization" and mention.text.split()[-1].lower() == token.lower_:
            if best is None or start > ctx.state.mention_tokens[best][0]:
                best = mention.key
    return best


def _pronoun(ctx: Context, token: Token, person: bool | None = None) -> str | None:
    """Nearest plausible antecedent before the pronoun: a person for he/she,
    else a subject (or relative-clause head) that is a state or party, or a
    demonym of a named state ('Russian attempts to turn itself ... its');
    in the previous sentence only its subjects count."""
    state = ctx.state
    person = token.lower_ in _PERSON_PRONOUNS if person is None else person
    sent_i = ctx.sent_index.get(token.sent.start, 0)
    sents = [token.sent] + ([ctx.sent_list[sent_i - 1]] if sent_i > 0 else [])
    for sent in sents:
        best = fallback = None
        same = sent.start == token.sent.start
        for tok in sent:
            if same and tok.i >= token.i:
                break
            key = state.mention_at(tok)
            if key is None and not person and same:
                country = state.lex.country_by_demonym.get(tok.text)
                key = state.country_keys.get(country) if country else None
                if key:
                    best = key
                continue
            if not key or state.by_key[key].label != "Actor":
                continue
            kind = state.by_key[key].kind
            subject = tok.dep_.startswith("nsubj")
            if person and kind == "person" and (same or subject):
                best = key
            elif (
                not person
                and kind != "person"
                and (subject or (same and any(c.dep_ == "relcl" for c in tok.children)))
            ):
                best = key
            elif not person and kind != "person" and same:
                fallback = key  # a mis-parsed subject ("The Kremlin rejects ...")
        if best or fallback:
            return best or fallback
    return None


def event_in(
    ctx: Context, token: Token, label: str, depth: int = 3, skip: set[int] | None = None
) -> str | None:
    """The first event of `label` found in the token's subtree (bounded depth)."""
    frontier = [token]
    for _ in range(depth + 1):
        nxt = []
        for tok in frontier:
            if skip and tok.i in skip:
                continue
            key = ctx.event_of.get(tok.i)
            if key and key[0] == ("e" if label == "Meeting" else "c"):
                return key
            nxt.extend(c for c in tok.children if not c.dep_.startswith("nsubj"))
        frontier = nxt
    return None


def subjects(ctx: Context, verb: Token, through_object: bool = False) -> list[str]:
    """Subjects of a verb, climbing xcomp/conj so 'refused to show up' finds
    the refuser, and 'who' finds its antecedent. With `through_object`, 'X set
    a date to reconvene talks' gives X (the clause hangs off X's object)."""
    node = verb
    for _ in range(5):
        for child in node.children:
            if child.dep_ == "nsubj" or (child.dep_ == "nsubjpass" and node is not verb):
                found = actors(ctx, child)  # "X was expected to attend": X
                if found:
                    return found
        if node.dep_ == "xcomp" and node.head.lemma_.lower() not in ctx.state.lex.set(
            "subject_control_verbs"
        ):
            return [k for c in node.head.children if c.dep_ == "dobj" for k in actors(ctx, c)]
        if node.dep_ in ("xcomp", "conj", "advcl", "pcomp", "acl") and node.head is not node:
            if node.dep_ == "acl" and node.head.pos_ in ("NOUN", "PROPN"):
                for child in node.head.children:
                    if child.dep_ == "prep" and child.lower_ == "by":
                        return [k for p in child.children for k in actors(ctx, p)]
                if not (through_object and node.head.dep_ == "dobj"):
                    return []
            node = node.head
        elif node.dep_ == "prep" and node.head is not node:
            node = node.head  # "continue to providing aid"
        elif node.dep_ == "dobj" and through_object:
            node = node.head
        else:
            break
    return []


def agents(ctx: Context, verb: Token) -> list[str]:
    for child in verb.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            return [k for p in child.children if p.dep_ == "pobj" for k in actors(ctx, p)]
    return []


def negated(ctx: Context, verb: Token) -> tuple[bool, bool]:
    """(negated, refused) for a verb and the verbs governing it."""
    lex = ctx.state.lex
    node = verb
    neg = refused = False
    for _ in range(4):
        for child in node.children:
            if child.dep_ == "neg" or child.lower_ in ("n't", "not", "never"):
                neg = True
        if node is not verb and (
            node.lemma_.lower() in lex.set("refusal_verbs")
            or node.lemma_.lower() in lex.set("refusal_nouns")
        ):
            refused = True
        if node.dep_ in ("xcomp", "pcomp", "acl") and node.head is not node:
            node = node.head
            if node.dep_ == "prep":
                node = node.head
        else:
            break
    return neg, refused


def irrealis(ctx: Context, verb: Token) -> bool:
    """Is the act only threatened, weighed or possible ('threatened to
    boycott', 'has not decided whether to attend', 'could attend')? Such a
    verb states no fact. ('would not attend' is a refusal, not a maybe.)"""
    lex = ctx.state.lex
    node = verb
    for _ in range(4):
        for child in node.children:
            if child.dep_ == "mark" and child.lower_ in ("whether", "if"):
                return True
            if child.dep_ == "aux" and child.lower_ in lex.set("modal_maybe"):
                return True
        if node is not verb and node.lemma_.lower() in lex.set("irrealis_verbs"):
            return True
        if node.dep_ in ("xcomp", "ccomp", "pcomp") and node.head is not node:
            node = node.head
        else:
            break
    return False


_PARTICLE_PREPS = ("out", "away", "off", "up", "down", "back")


def _phrase(token: Token) -> str:
    particles = [
        c.lower_
        for c in token.children
        if c.i > token.i
        and (
            c.dep_ in ("prt", "advmod", "dobj")
            or (c.dep_ == "prep" and c.lower_ in _PARTICLE_PREPS)
        )
    ]
    lemma = token.lemma_.lower()
    return " ".join([lemma, *particles[:1]])


def matches(token: Token, words: frozenset[str], forms: frozenset[str] = frozenset()) -> bool:
    lemma = token.lemma_.lower()
    if lemma in words or token.lower_ in forms:
        return True
    phrase = _phrase(token)
    return phrase in words
