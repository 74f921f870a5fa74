"""Actor mentions: NER corrected by lexicons, collective parties, roles.

A role or title before a name ("Russian envoy Alexander Lavrentiev") or in
apposition ("Bashar Jaafari, Syria's U.N. envoy") goes to `Mention.role`,
never into the name, and yields a REPRESENTS fact from the person to the party
the role names. A demonym alone is a role word, not a mention of its state;
a capital city is never an actor (it is a venue or a metonym).
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from kg.extract.nlp import SPANS_KEY
from kg.extract.state import State

_POSSESSIVE = re.compile(r"\s*['’]s$")
_PRONOUN_PARTY = {"its", "their", "his", "her"}


def clean_name(text: str) -> str:
    """Surface form as written minus a possessive 's and a leading 'the'."""
    text = _POSSESSIVE.sub("", " ".join(text.split()))
    return re.sub(r"^(?:the|The)\s+", "", text)


def _char_span(span: Span, text: str) -> tuple[int, int]:
    """Doc char offsets of `text` (a cleaned form) inside `span`."""
    pos = span.text.find(text)
    start = span.start_char + max(pos, 0)
    return start, start + len(text)


def is_credit_sentence(state: State, sent: Span) -> bool:
    """Bylines, photo credits and 'Updated on' lines carry no actors."""
    head = sent.text.strip().lower()
    return any(re.match(pat, head) for pat in state.lex.words["credit_patterns"])


def extract_actors(state: State) -> None:
    """Actor mentions from NER and the party ruler, then roles and REPRESENTS."""
    doc = state.doc
    for sent in doc.sents:
        if is_credit_sentence(state, sent):
            state.skipped_sents.add(sent.start)
    taken: set[int] = set()
    for ent in state.ents:
        if ent.sent.start in state.skipped_sents:
            continue
        if _actor_from_ent(state, ent):
            taken.update(range(ent.start, ent.end))
    _parties(state, taken)
    _consistent_groups(state)
    pending = [r for m in list(state.mentions) if m.kind == "person" and (r := _role(state, m.key))]
    _drop_idle_countries(state)
    for key, tokens, pronoun in pending:
        party = (
            _role_party(state, tokens, pronoun, key)
            or _of_party(state, tokens)
            or _prep_party(state, tokens, key)
            or _appositive_party(state, tokens, key)
            or _sentence_state(state, key)
            or _sole_government(state, key)
        )
        if party:
            start, _ = state.mention_tokens[key]
            state.add_fact("REPRESENTS", key, party, state.doc[start].sent)
    speaking = {f.start for f in state.facts if f.type == "REPRESENTS"}
    for mention in list(state.mentions):
        if mention.kind == "person" and mention.key not in speaking:
            body = _owned_body(state, mention.key)
            if body:
                start, _ = state.mention_tokens[mention.key]
                state.add_fact("REPRESENTS", mention.key, body, state.doc[start].sent)


def _actor_from_ent(state: State, ent: Span) -> bool:
    lex = state.lex
    label = ent.label_
    text = clean_name(ent.text)
    if not text or not any(c.isalpha() for c in text):
        return False
    if label in ("NORP", "PERSON") and _plural_people(state, ent, text):
        _emit(state, ent, text, "group")  # "the Houthis", "the Kurds"
        return True
    if label in ("PERSON", "ORG") and is_place_name(state, ent):
        return False  # "the border town of X", "near X": a place NER took for a name
    if label == "GPE":
        country = lex.country_by_name.get(text)
        if country is None:
            return False  # a city or region: a venue or a metonym, never an actor
        mention = _emit(state, ent, text, "country")
        state.country_keys.setdefault(country, mention)
        return True
    if label == "ORG":
        reshaped = _reshaped_org(state, ent, text)
        if reshaped is not None:
            ent, text = reshaped
        if _body_of_states(state, ent, text):
            return True
        if (
            text.lower() in lex.ignore_orgs
            or re.search(r"\d|Resolution", text)
            or any(text.endswith(suffix) for suffix in lex.words["media_suffixes"])
        ):
            return False
        if text in lex.country_by_demonym or text.lower() in lex.set("role_words"):
            return False
        if text.lower() in lex.set("delegate_nouns") | lex.set("title_complements"):
            return False  # "Leaders of Russia, Turkey ..." opening a sentence; "Energy Minister"
        if (
            text not in lex.org_by_alias
            and _affiliation_only(state, ent)
            and sum(clean_name(e.text) == text for e in state.ents) < 2
            and not _defines_acronym(ent)
        ):
            return False
        match = re.search(r"(\w+)['’]s?\s+(?=[A-Z])", text)
        owner = match.group(1).lower() if match else ""
        if match and (owner in lex.set("org_words") or owner.rstrip("s") in lex.set("org_words")):
            # "Revolutionary Guard Corps' Quds Force": the unit itself (not "People's ...")
            inner = text[match.end() :]
            span = ent.doc.char_span(
                ent.start_char + match.end(), ent.end_char, alignment_mode="expand"
            )
            if span is not None:
                _emit(state, span, inner, "organization")
                return True
        _emit(state, ent, text, "organization")
        return True
    if label == "PERSON":
        after = ent.doc[ent.end] if ent.end < len(ent.doc) else None
        if after is not None and after.lower_ in lex.parties["followers"]:
            return False  # "Assad opponents" is a party, read by the ruler
        return _person(state, ent, text)
    if label == "NORP" and _plural_state(state, ent, text):
        mention = _emit(state, ent, text, "country")
        state.country_keys.setdefault(lex.country_by_demonym[text], mention)
        return True
    if label in ("LOC", "NORP") and text in set(lex.words["blocs"].values()):
        _emit(state, ent, text, "group")  # "the West"
        return True
    return False


def _reshaped_org(state: State, ent: Span, text: str) -> tuple[Span, str] | None:
    """NER cuts some bodies short: 'Community' of 'Community of Sant'Egidio'
    (a proper name after 'of' that is no state), 'General of Military
    Operations' without its leading title word 'Director'."""
    doc = ent.doc
    lex = state.lex
    start, end = ent.start, ent.end
    prev = doc[start - 1] if start > ent.sent.start else None
    if (
        prev is not None
        and prev.text[:1].isupper()
        and not prev.ent_type_
        and prev.lower_ in lex.set("role_words")
        and " of " in text
    ):
        start -= 1
    if (
        end + 1 < len(doc)
        and " " not in text
        and doc[end].lower_ == "of"
        and _name_word(doc[end + 1])
    ):
        end += 2
        while end < len(doc) and _name_word(doc[end]):
            end += 1
    if (start, end) == (ent.start, ent.end):
        return None
    span = Span(doc, start, end, label=ent.label_)
    return span, clean_name(span.text)


def _name_word(token: Token) -> bool:
    """A capitalised word no other entity claims ("Sant'Egidio" is tagged NOUN)."""
    return (
        token.text[:1].isupper()
        and token.pos_ in ("PROPN", "NOUN")
        and token.ent_type_ in ("", "ORG", "PERSON")
    )


def _body_of_states(state: State, ent: Span, text: str) -> bool:
    """'the Troika of the United States, Britain and Norway': a body named
    by its member states; the body and the first state are two mentions."""
    match = re.match(
        r"^(?:the )?((?:\w[\w-]* ){0,2}\w[\w-]*) of (?:the )?(.+)$", text, flags=re.IGNORECASE
    )
    if not match or state.lex.country_by_name.get(match.group(2)) is None:
        return False
    doc = ent.doc
    base = ent.start_char + max(ent.text.find(text), 0)
    body = doc.char_span(base + match.start(1), base + match.end(1))
    member = doc.char_span(base + match.start(2), base + match.end(2))
    if body is None or member is None:
        return False
    after = [doc[i] for i in range(ent.end, min(ent.end + 2, len(doc)))]
    listed = [c for c in member.root.conjuncts] + [
        t for t in after[1:] if after and after[0].text in (",", "and")
    ]
    if not any(t.ent_type_ == "GPE" for t in listed):
        return False  # "Revolutionary Armed Forces of Colombia" is one name, not a list
    _emit(state, Span(doc, body.start, body.end, label="ORG"), match.group(1), "organization")
    country = state.lex.country_by_name[match.group(2)]
    key = _emit(state, Span(doc, member.start, member.end, label="GPE"), match.group(2), "country")
    state.country_keys.setdefault(country, key)
    return True


def is_place_name(state: State, ent: Span) -> bool:
    """A name the parse shows to be a place, whatever NER called it: the
    object of 'the <town/city> of', or of 'near/around' (never acting)."""
    root = ent.root
    if root.dep_ != "pobj" or len(ent) > 3:
        return False
    prep = root.head
    if prep.lower_ == "of":
        return prep.head.lemma_.lower() in state.lex.set("place_nouns")
    return prep.lower_ in state.lex.set("place_preps")


def _consistent_groups(state: State) -> None:
    """'Houthis walk out' (headline, no article) is the group 'the Houthis'
    names later; 'Houthi negotiators' names it too: one article, one kind."""
    groups = {m.text for m in state.mentions if m.kind == "group"}
    for mention in state.mentions:
        if mention.kind == "group" or " " in mention.text:
            continue
        if mention.text in groups or (mention.text + "s") in groups:
            mention.kind = "group"


def _plural_state(state: State, ent: Span, text: str) -> bool:
    """'the Russians', 'the Saudis': a plural demonym after 'the' names the
    state's side ("1,600 Syrians" does not)."""
    if text not in state.lex.country_by_demonym or not text.endswith("s") or len(ent) != 1:
        return False
    prev = ent.doc[ent.start - 1] if ent.start > 0 else None
    return prev is not None and prev.lower_ == "the" and ent.root.tag_ in ("NNPS", "NNS", "NNP")


def _plural_people(state: State, ent: Span, text: str) -> bool:
    """'the Houthis', 'the Kurds': a plural people or movement after 'the'
    (a state's demonym is handled as the state)."""
    if len(ent) != 1 or not text.endswith("s") or text in state.lex.country_by_demonym:
        return False
    prev = ent.doc[ent.start - 1] if ent.start > 0 else None
    if prev is None or prev.lower_ != "the":
        return False
    singular = text[:-1]
    return ent.root.tag_ in ("NNPS", "NNS") or any(e.text == singular for e in state.ents)


def is_acting(state: State, token: Token) -> bool | str:
    """Does this mention of a state show it acting (subject, agent, role
    owner, backer...) rather than naming the place or topic ('peace talks on
    Syria', 'the war in Syria')? Only acting states are parties."""
    lex = state.lex
    node = token
    for _ in range(4):
        if node.dep_ in ("conj", "appos") and node.head is not node:
            node = node.head
        elif (
            node.dep_ == "pobj" and node.head.lower_ == "with" and node.head.head.lower_ == "along"
        ):
            node = node.head.head.head  # "Russia along with Turkey"
        else:
            break
    if any(
        c.dep_ == "compound" and c.lemma_.lower() in lex.set("support_nouns")
        for c in token.children
    ):
        return True  # "rebel-backer Turkey"
    dep = node.dep_
    if dep in ("nsubj", "nsubjpass", "csubj"):
        return True
    if dep == "pobj" and node.head.dep_ == "agent" or (dep == "pobj" and node.head.lower_ == "by"):
        return True
    doc = token.doc
    if token.i + 2 < len(doc) and doc[token.i + 1].text == "-" and not token.whitespace_:
        return doc[token.i + 2].lower_ not in ("based",)
    if dep in ("poss", "compound") and node.head.lemma_.lower() in lex.set("role_head"):
        return "role"
    if dep in ("poss", "compound") and node.head.lemma_.lower() in lex.set("actor_possessions"):
        return True
    if dep == "dobj" and node.head.lemma_.lower() in lex.set("actor_object_verbs"):
        return True
    governor = node.head.head.lemma_.lower()
    if (
        dep == "pobj"
        and node.head.lower_ in ("of", "from")
        and governor in lex.set("delegate_nouns")
    ):
        return True  # "the leaders of France, Germany and Russia met"
    if dep == "pobj" and node.head.lower_ == "with" and governor in lex.set("actor_with_words"):
        return True
    if (
        dep == "pobj"
        and node.head.lower_ == "between"
        and governor in lex.set("actor_between_words") | lex.set("broker_verbs")
    ):
        return True  # "a truce between India and Pakistan": the sides of it
    owner = state.mention_at(node.head.head) if dep == "pobj" and node.head.lower_ == "of" else None
    if owner and state.by_key[owner].kind == "person" and state.by_key[owner].role:
        return "role"  # "Prime Minister X of Pakistan"
    if owner and state.by_key[owner].kind == "organization":
        return True  # "the Troika of the United States, Britain and Norway said"
    if (
        dep == "pobj"
        and node.head.lower_ in ("on", "to", "against")
        and governor in lex.set("actor_object_verbs")
    ):
        return True
    return False


def _drop_idle_countries(state: State) -> None:
    """Keep a country's mentions only if the article shows it acting at least once."""
    lex = state.lex
    acting: set[str] = set()
    idle: list[str] = []
    for mention in state.mentions:
        if mention.kind != "country":
            continue
        start, _ = state.mention_tokens[mention.key]
        root = state.doc[start : state.mention_tokens[mention.key][1]].root
        country = lex.country_of_name(mention.text) or mention.text
        how = is_acting(state, root)
        # "Syria's U.N. envoy" when the article names the Syrian government: a role of
        # the government's man, not the state acting on its own
        if how is True or (how == "role" and government_of(state, country) is None):
            acting.add(country)
        idle.append(mention.key)
    acting |= state.role_countries
    drop = {
        k
        for k in idle
        if (lex.country_of_name(state.by_key[k].text) or state.by_key[k].text) not in acting
    }
    for key in drop:  # the states only named as places: the article's theatre
        country = lex.country_of_name(state.by_key[key].text) or state.by_key[key].text
        state.country_counts[country] = state.country_counts.get(country, 0) + 1
    for mention in state.mentions:  # "Yemeni government" names its state's theatre too
        if mention.kind == "group" and (
            country := lex.country_by_demonym.get(mention.text.split()[0])
        ):
            state.country_counts[country] = state.country_counts.get(country, 0) + 1
    if not drop:
        return
    state.mentions = [m for m in state.mentions if m.key not in drop]
    for key in drop:
        del state.by_key[key]
        start, end = state.mention_tokens.pop(key)
        for i in range(start, end):
            if state.token_mention.get(i) == key:
                del state.token_mention[i]
    state.country_keys = {c: k for c, k in state.country_keys.items() if k not in drop}
    for mention in state.mentions:
        country = lex.country_of_name(mention.text) if mention.kind == "country" else None
        if country and country not in state.country_keys:
            state.country_keys[country] = mention.key


def _defines_acronym(ent: Span) -> bool:
    """'... Government of National Accord (GNA)': a name the article defines
    an acronym for is one it goes on to use, not a mere affiliation."""
    doc = ent.doc
    return (
        ent.end + 2 < len(doc)
        and doc[ent.end].text == "("
        and doc[ent.end + 1].is_upper
        and doc[ent.end + 2].text == ")"
    )


def _affiliation_only(state: State, ent: Span) -> bool:
    """An organisation named only inside a person's description ('Naumkin,
    the head of the Moscow-based Institute for ...') is an affiliation."""
    node = ent.root
    for _ in range(4):
        if node.dep_ == "appos" and node.lemma_.lower() in state.lex.set("role_head"):
            return True
        if node.head is node:
            return False
        node = node.head
    return False


def _non_actor_person(state: State, span: Span) -> bool:
    """Analysts, journalists, photographers: quoted or credited, not parties."""
    words = state.lex.set("non_actor_roles")
    root = span.root
    heads = [c for c in root.children if c.dep_ == "appos"] + (
        [root.head] if root.dep_ == "appos" else []
    )
    if any(h.lemma_.lower() in words for h in heads):
        return True
    think_tank = state.lex.set("think_tank_words")
    for head in heads:  # "Alexander Shumilin, head of the Center for the Analysis of ..."
        if head.lemma_.lower() in state.lex.set("role_non_party_heads"):
            if any(t.ent_type_ == "ORG" and t.lower_ in think_tank for t in head.subtree):
                return True
    prev = span.doc[span.start - 1] if span.start > 0 else None
    return prev is not None and prev.lower_ in words


def _person(state: State, ent: Span, text: str) -> bool:
    """A PERSON span minus any title the model glued to the name."""
    lex = state.lex
    start = ent.start
    while start < ent.end - 1 and (
        ent.doc[start].lower_ in lex.set("role_words")
        or ent.doc[start].text in lex.country_by_demonym
    ):
        start += 1
    span = ent.doc[start : ent.end] if start > ent.start else ent
    name = clean_name(span.text)
    if not name[:1].isupper() or name in lex.country_by_demonym or name in lex.city_country:
        return False
    if _non_actor_person(state, span):
        return False
    _emit(state, span, name, "person", ner_label=ent.label_)
    return True


def _emit(state: State, span: Span, text: str, kind: str, ner_label: str | None = None) -> str:
    start, end = _char_span(span, text)
    mention = state.new_mention(
        span, "Actor", text, start, end, kind=kind, ner_label=ner_label or span.label_ or None
    )
    return mention.key


def _family(state: State, span: Span) -> str:
    cores = state.lex.parties["core"]
    for token in span:
        if token.lower_ in cores:
            return cores[token.lower_]
    return "party"


def _parties(state: State, taken: set[int]) -> None:
    """Collective parties from the ruler. A lone singular modifier ("rebel
    boycott", "Regime supporters", "a government push") is not a new surface
    form: it points at the article's fuller mention of the same family."""
    modifiers: list[tuple[Span, str]] = []
    named_cores: set[str] = set()
    for span in state.doc.spans.get(SPANS_KEY, []):  # once per article
        if span.label_ != "PARTY" or span.sent.start in state.skipped_sents:
            continue
        if any(i in taken for i in range(_led_start(state, span), span.end)):
            continue
        if span[-1].lower_ in state.lex.set("delegate_nouns") and any(
            t.lower_ == "military" and t.pos_ == "ADJ" for t in span[:-1]
        ):
            continue  # "military delegations from X": X's, not a party of their own
        family = _family(state, span)
        root = span[-1]
        if (
            len(span) == 1
            and root.tag_ != "NNS"
            and (
                root.dep_ in ("compound", "amod", "nmod")
                or _hyphen_after(root)
                or _noun_after(root)
            )
        ):
            modifiers.append((span, family))
            continue
        if len(span) == 1 and span[0].lower_ in state.lex.parties["needs_context"]:
            owner = _state_owner(state, span[0])
            if span[0].lower_ in named_cores:
                pass  # "the separatists" after "Russian-backed separatists"
            elif owner is not None:
                span = state.doc[owner : span.end]  # "Sudan's army"
            elif not (_acts(state, span[0]) or _backed(state, span[0])):
                continue  # "fighters", "separatists": too vague alone; "the army said" acts
        if _describes_named_org(span):
            continue  # "the main opposition group, the Syrian National Coalition"
        span = _strip_premods(state, span)
        text = clean_name(span.text)
        key = _emit(state, span, text, "group", ner_label="PARTY")
        if span[0].ent_type_ != "PERSON":  # not "Assad opponents": a leader's foes
            named_cores.add(span[-1].lower_)
        if family not in state.party_reps or len(text.split()) > len(
            state.by_key[state.party_reps[family]].text.split()
        ):
            state.party_reps[family] = key
    for span, family in modifiers:
        rep = state.party_reps.get(family)
        if span[-1].pos_ == "ADJ" and family not in state.lex.parties["modifier_families"]:
            continue  # "military aid" is no mention of "the military"
        if rep is None and family not in state.lex.parties["modifier_families"]:
            continue  # "militant Islamist group": an adjective, not a party
        if rep is None:
            rep = _emit(state, span, clean_name(span.text), "group", ner_label="PARTY")
            state.party_reps[family] = rep
        else:
            state.alias_of[span.start] = rep


def _state_owner(state: State, token: Token) -> int | None:
    """'Sudan's army', 'the Myanmar military': the first token of the state owning
    a vague core word."""
    doc = state.doc
    if token.i >= 1 and token.lower_ in state.lex.parties["acting_alone"]:
        ent = state.ent_at(doc[token.i - 1])  # "the Myanmar military"
        if (
            ent is not None
            and ent.end == token.i
            and ent.label_ == "GPE"
            and clean_name(ent.text) in state.lex.country_by_name
        ):
            return ent.start
    if token.i < 2 or doc[token.i - 1].text not in ("'s", "’s"):
        return None
    ent = state.ent_at(doc[token.i - 2])
    if ent is None or ent.label_ != "GPE" or clean_name(ent.text) not in state.lex.country_by_name:
        return None
    return ent.start


def _acts(state: State, token: Token) -> bool:
    """'The army said', 'accused the military of air strikes': a vague core
    such as 'army' names a party when it speaks or acts, or is acted on as
    one ('the army and the rebels agreed' too), never as a generic word."""
    parties = state.lex.parties
    if token.lower_ not in parties["acting_alone"]:
        return False
    node = token
    while node.dep_ == "conj" and node.head is not node:
        node = node.head
    if node.dep_.startswith("nsubj"):
        return True
    return node.dep_ in ("dobj", "pobj") and (
        node.head.lemma_.lower() in parties["acted_on_verbs"]
        or (node.dep_ == "pobj" and node.head.head.lemma_.lower() in parties["acted_on_verbs"])
    )


def _backed(state: State, token: Token) -> bool:
    """'Russian-backed separatists': a vague core named by who backs it."""
    doc = state.doc
    return (
        token.i >= 2
        and doc[token.i - 1].lower_ in state.lex.parties["led_participles"]
        and doc[token.i - 2].text in ("-", "–")
    ) or (
        token.i >= 1
        and "-" in doc[token.i - 1].text[1:]
        and doc[token.i - 1].lower_.rsplit("-", 1)[1] in state.lex.parties["led_participles"]
    )


def _led_start(state: State, span: Span) -> int:
    """First token of a party phrase that no NER name may overlap: in 'African
    Union-led mission' the leader keeps its own mention, the rest is the party."""
    participles = state.lex.parties["led_participles"]
    for token in span:
        if token.lower_ in participles and token.i > span.start:
            return token.i - 1
        if "-" in token.text[1:] and token.lower_.rsplit("-", 1)[1] in participles:
            return token.i
    return span.start


def _noun_after(token: Token) -> bool:
    """'rebel no-show', 'government push': the word modifies what follows."""
    doc = token.doc
    if token.i + 1 >= len(doc):
        return False
    nxt = doc[token.i + 1]
    return nxt.pos_ in ("NOUN", "PROPN") or (nxt.lower_ == "no" and token.i + 2 < len(doc))


def _describes_named_org(span: Span) -> bool:
    root = span.root
    near = [c for c in root.children if c.dep_ == "appos"] + (
        [root.head] if root.dep_ == "appos" else []
    )
    return any(t.ent_type_ == "ORG" for t in near)


def _strip_premods(state: State, span: Span) -> Span:
    """'the main opposition faction' -> 'opposition faction': evaluative
    adjectives are not part of a party's name ('armed' and demonyms are)."""
    drop = state.lex.set("party_droppable")
    start = span.start
    while start < span.end - 1 and (
        span.doc[start].lower_ in drop or span.doc[start].lower_ == "the"
    ):
        start += 1
    return span.doc[start : span.end]


def _hyphen_after(token: Token) -> bool:
    doc = token.doc
    return token.i + 1 < len(doc) and doc[token.i + 1].text in ("-", "–") and not token.whitespace_


# -- roles ------------------------------------------------------------------------------


def _role(state: State, key: str) -> tuple[str, list[Token], Token | None] | None:
    """Set the person's role; return what REPRESENTS needs once the article's
    acting states are known (None when the role speaks for no party)."""
    start, end = state.mention_tokens[key]
    doc = state.doc
    left = _left_role(state, start)
    tokens: list[Token] = list(doc[left:start]) if left is not None else []
    owner_pronoun: Token | None = None
    if not tokens:
        head = _appositive_head(state, doc[start:end].root)
        if head is not None:
            tokens = _appositive_tokens(state, head)
            owner_pronoun = next((c for c in head.children if c.lower_ in _PRONOUN_PARTY), None)
    if not tokens:
        return None
    role = " ".join(t.text for t in tokens).replace(" 's", "'s").replace(" - ", "-")
    role = role.replace(" ’s", "’s")
    mention = state.by_key[key]
    mention.role = role
    heads = [t for t in tokens if t.lower_ in state.lex.set("role_head")]
    if not heads or heads[-1].lower_ in state.lex.set("role_non_party_heads"):
        owner = _named_owner(state, tokens, key) or _headed_body(state, heads)
        if owner is None:
            return None
        return key, [owner], None  # "GNA head X", "Hamas leader X": heads a named party
    for token in tokens:
        country = state.lex.country_by_demonym.get(token.text)
        if country is None and token.ent_type_ == "GPE":
            country = state.lex.country_by_name.get(_ent_text(state, token))
        if country and government_of(state, country) is None:
            state.role_countries.add(country)
    return key, tokens, owner_pronoun


def _demonym_state(state: State, token: Token, country: str) -> str:
    """'Saudi Foreign Minister X' in an article that never names Saudi Arabia:
    the minister still speaks for the state, which the demonym names here."""
    span = state.doc[token.i : token.i + 1]
    key = _emit(state, span, token.text, "country", ner_label="NORP")
    state.country_keys[country] = key
    return key


def _headed_body(state: State, heads: list[Token]) -> Token | None:
    """'X, head of the U.N.-recognised Government of National Accord': the
    named party or body after 'of' (think tanks were filtered as non-actors)."""
    if not heads or heads[-1].lower_ not in ("head", "leader", "chief", "chairman", "chair"):
        return None
    for prep in heads[-1].children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for pobj in prep.children:
                key = state.mention_at(pobj)
                if key and state.by_key[key].kind in ("group", "organization"):
                    return pobj
    return None


def _named_owner(state: State, tokens: list[Token], person: str) -> Token | None:
    """The token of a named party or organisation right before a leading head
    ('GNA head', 'RSF chief'); think tanks and companies are filtered earlier."""
    last = tokens[-1]
    if last.lower_ not in ("head", "chief", "leader", "chairman", "chair"):
        return None
    for token in tokens[:-1]:
        key = state.mention_at(token)
        if key and key != person and state.by_key[key].kind in ("group", "organization"):
            return token
    return None


def _sole_government(state: State, person: str) -> str | None:
    """'President Juan Manuel Santos' in a story whose one named government is
    'the Colombian government': a bare head-of-government title speaks for it."""
    role = (state.by_key[person].role or "").lower().split()
    if not role or role[-1] not in state.lex.set("leader_titles"):
        return None
    if any(w in state.lex.set("role_modifier") - {"prime"} for w in role[:-1]):
        return None  # "former president", "vice president"
    found = {
        m.text: m.key
        for m in state.mentions
        if m.kind == "group"
        and len(m.text.split()) == 2
        and m.text.split()[0] in state.lex.country_by_demonym
        and state.lex.parties["core"].get(m.text.split()[-1].lower()) == "government"
    }
    return next(iter(found.values())) if len(found) == 1 else None


def _of_party(state: State, tokens: list[Token]) -> str | None:
    """'the government of President X', 'the rebels' leader X': the party the
    title hangs off speaks through the person."""
    doc = state.doc
    i = tokens[0].i - 1
    if i >= 1 and doc[i].lower_ == "of":
        key = state.mention_at(doc[i - 1])
        if key and state.by_key[key].kind == "group":
            return key
    return None


_PARTY_KINDS = ("group", "organization", "country")


def _pobj_parties(state: State, token: Token, preps: tuple[str, ...]) -> list[str]:
    return [
        k
        for p in token.children
        if p.dep_ == "prep" and p.lower_ in preps
        for g in p.children
        if (k := state.mention_at(g)) and state.by_key[k].kind in _PARTY_KINDS
    ]


def _prep_party(state: State, tokens: list[Token], person: str) -> str | None:
    """The party a phrase around the title names: 'a spokesman for the junta',
    'the leader of the KNU, X', 'Prime Minister X of Pakistan', 'head of the
    army, General X'. An envoy or mediator 'for' a country is about it, not from it."""
    lex = state.lex
    start, end = state.mention_tokens[person]
    root = state.doc[start:end].root
    heads = [t for t in tokens if t.lower_ in lex.set("role_head")]
    if heads:
        head = heads[-1]
        preps = (
            ("of",)
            if head.lower_ in lex.set("role_negotiating_heads") | lex.set("role_mediating_heads")
            else ("of", "for")
        )
        found = _pobj_parties(state, head, preps)
        if found:
            return found[0]
    found = _pobj_parties(state, root, ("of",))  # "Prime Minister X of Pakistan"
    if found:
        return found[0]
    first = tokens[0].i
    comma = state.doc[first - 1] if first >= 1 else None
    if comma is not None and comma.text == "," and first >= 2:
        owner = state.doc[first - 2]  # "the head of the army, General X"
        key = state.mention_at(owner)
        if (
            key
            and state.by_key[key].kind in _PARTY_KINDS
            and owner.head.lower_ == "of"
            and owner.head.head.lower_ in lex.set("role_head")
        ):
            return key
    return None


def _appositive_party(state: State, tokens: list[Token], person: str) -> str | None:
    """'Major General X, a spokesman for the junta', 'the Qatari Emir, Sheikh
    X': a title before the name that names no party, an appositive that does."""
    start, end = state.mention_tokens[person]
    head = _appositive_head(state, state.doc[start:end].root)
    if head is None or head in tokens:
        return None
    found = _appositive_tokens(state, head)
    return _role_party(state, found, None, person) or _prep_party(state, found, person)


def _owned_body(state: State, person: str) -> str | None:
    """'President X's government sent ...': the person leads that government."""
    start, end = state.mention_tokens[person]
    root = state.doc[start:end].root
    if root.dep_ != "poss":
        return None
    key = state.mention_at(root.head)
    if key and state.by_key[key].kind == "group":
        return key
    return None


def _sentence_state(state: State, person: str) -> str | None:
    """A bare title ('foreign minister Sergey Lavrov') in a sentence that names
    exactly one acting state ("Russia's foreign ministry said ...")."""
    mention = state.by_key[person]
    if not mention.role or not set(mention.role.lower().split()) & state.lex.set("role_head"):
        return None
    lex = state.lex
    if any(w in lex.country_by_demonym or w in lex.org_by_alias for w in mention.role.split()):
        return None  # "Russian Foreign Minister" speaks for Russia even when Russia is unnamed
    start, _ = state.mention_tokens[person]
    sent = state.doc[start].sent
    # only a state acting as subject or owner ("Russia's foreign ministry said"),
    # never a topic ("the conference on Libya")
    found = {
        state.mention_at(t)
        for t in sent
        if state.mention_at(t) and (t.dep_.startswith("nsubj") or t.dep_ == "poss")
    }
    states = {k for k in found if state.by_key[k].kind == "country"}
    names = {state.lex.country_of_name(state.by_key[k].text) for k in states}
    return sorted(states)[0] if len(names) == 1 else None


def _left_role(state: State, start: int) -> int | None:
    """First token of the title run right before a name, None if there is none."""
    lex = state.lex
    doc = state.doc
    sent_start = doc[start].sent.start
    i = start - 1
    ents_by_end = {e.end: e for e in state.sent_ents(doc[start].sent)}
    while i >= sent_start:
        token = doc[i]
        ent = ents_by_end.get(i + 1)
        if ent is not None and ent.label_ in ("ORG", "GPE", "NORP") and i + 1 != start:
            i = ent.start - 1
            continue
        if token.text in ("'s", "’s") and i - 1 >= sent_start:
            i -= 1
            continue
        alias = alias_ending_at(state, i, sent_start)
        if alias is not None:
            i = alias - 1
            continue
        if (
            token.lower_ in lex.set("role_words")
            or token.text in lex.country_by_demonym
            or token.text in lex.org_by_alias
            or token.lower_ in lex.parties["core"]
            or (token.text == "-" and not token.whitespace_)
        ):
            i -= 1
            continue
        break
    first = i + 1
    for j in range(first + 1, start):
        if doc[j].lower_ == "of" and doc[j - 1].lower_ in lex.parties["core"]:
            first = j + 1  # "the government of President X": the title is "President"
    while first < start and doc[first].lower_ in ("the", "of", "for", "'s", "’s", "-"):
        first += 1
    if first >= start:
        return None
    if not any(doc[j].lower_ in lex.set("role_head") for j in range(first, start)):
        return None
    return first


def alias_ending_at(state: State, i: int, floor: int) -> int | None:
    """Start of a multi-word organisation or country name ending at token i
    ('United Nations' when NER missed it)."""
    doc = state.doc
    for width in (4, 3, 2, 1):
        start = i - width + 1
        if start >= floor:
            text = doc[start : i + 1].text
            if text in state.lex.org_by_alias or text in state.lex.country_by_name:
                return start
    return None


def _appositive_head(state: State, root: Token) -> Token | None:
    heads = state.lex.set("role_head")
    if root.dep_ == "appos" and root.head.lemma_.lower() in heads | {"envoy"}:
        return root.head
    if (
        root.dep_ == "appos"
        and root.head.dep_ == "pobj"
        and root.head.head.head.lemma_.lower() in heads
    ):
        return root.head.head.head  # "the UN Special Envoy for Syria, Staffan de Mistura"
    for child in root.children:
        if child.dep_ == "appos" and child.lemma_.lower() in heads:
            return child
    return None


def _appositive_tokens(state: State, head: Token) -> list[Token]:
    """'Syria's U.N. envoy' out of 'Syria's U.N. envoy who represented ...'."""
    keep = [
        t
        for t in head.lefts
        if t.dep_ not in ("det", "punct", "cc") and t.lower_ not in _PRONOUN_PARTY
    ]
    tokens: list[Token] = []
    for left in keep:
        tokens.extend(
            t for t in left.subtree if t.dep_ not in ("det", "punct") or t.text in ("'s", "’s")
        )
    tokens.append(head)
    return sorted(set(tokens), key=lambda t: t.i)


def _ent_text(state: State, token: Token) -> str:
    ent = state.ent_at(token)
    return clean_name(ent.text) if ent is not None else token.text


def government_of(state: State, country: str) -> str | None:
    """The article's '<Demonym> government/regime' party for a state that is
    not itself an actor here (the country at war is named through its regime)."""
    demonyms = [d for d, c in state.lex.country_by_demonym.items() if c == country]
    for mention in state.mentions:
        if (
            mention.kind == "group"
            and state.lex.parties["core"].get(mention.text.split()[-1].lower()) == "government"
        ):
            if any(mention.text.startswith(d + " ") for d in demonyms):
                return mention.key
    return None


def _role_party(
    state: State, tokens: list[Token], pronoun: Token | None, person: str
) -> str | None:
    """The mention the role speaks for: a party phrase, else a country, else an
    organisation, else the state of a demonym, else a possessive pronoun's owner."""
    lex = state.lex
    found: dict[str, str] = {}
    for token in tokens:
        start = alias_ending_at(state, token.i, tokens[0].i)
        if start is not None and state.mention_at(token) is None:
            span = state.doc[start : token.i + 1]
            kind = "organization" if span.text in lex.org_by_alias else "country"
            if kind == "organization":  # a name NER missed: it is mentioned all the same
                _emit(state, span, span.text, kind, ner_label="LEXICON")
    for token in tokens:
        key = state.mention_at(token)
        if key and key != person:
            mention = state.by_key[key]
            found.setdefault(mention.kind or "", key)
            continue
        country = lex.country_by_demonym.get(token.text) or lex.country_by_name.get(
            token.text if token.ent_type_ != "GPE" else _ent_text(state, token)
        )
        if (
            token.text in lex.country_by_demonym
            and tokens[-1].lower_ not in lex.set("state_office_heads")
            and lex.parties["core"].get(tokens[-1].lower_) is None
        ):
            country = None  # "the Libyan commander" leads a force, not the state
        if country:
            country_key = state.country_keys.get(country) or government_of(state, country)
            if (
                country_key is None
                and token.text in lex.country_by_demonym
                and tokens[-1].lower_ in lex.set("state_office_heads")
            ):
                country_key = _demonym_state(state, token, country)
            if country_key:
                found.setdefault("demonym", country_key)
    for kind in ("group", "country", "demonym", "organization"):
        if kind in found:
            return found[kind]
    if pronoun is not None:
        sent = pronoun.sent
        for token in sent:
            key = state.mention_at(token)
            if (
                key
                and state.by_key[key].kind in ("country", "organization", "group")
                and token.i < pronoun.i
            ):
                return key
    return None
