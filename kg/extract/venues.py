"""Where a meeting happens: a city attached to a meeting word by the parse
('talks in Astana', 'the Astana talks', 'Moscow-hosted talks', 'the Kazakh
capital of Astana'). A city found this way becomes a Venue mention; a city
anywhere else (a dateline, a metonym, a place of fighting) is no mention."""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extract.entities import clean_name
from kg.extract.state import State


def is_city_token(state: State, token: Token) -> bool:
    if token.ent_type_ != "GPE":
        return False
    ent = state.ent_at(token)
    return ent is not None and clean_name(ent.text) not in state.lex.country_by_name


def _venue_mention(state: State, span: Span, text: str, country: str | None) -> str:
    existing = state.token_mention.get(span.start)
    if existing and state.by_key[existing].label == "Venue":
        return existing
    start = span.start_char + max(span.text.find(text), 0)
    mention = state.new_mention(
        span, "Venue", text, start, start + len(text), country=country, ner_label=span.label_
    )
    return mention.key


def city_venue(state: State, token: Token) -> tuple[str, str] | None:
    """(mention key, canonical name) for a city token or a 'Kazakh capital'."""
    lex = state.lex
    if is_city_token(state, token):
        ent = state.ent_at(token)
        assert ent is not None
        name = clean_name(ent.text)
        if name.isupper() and len(name) > 3:
            name = name.title()
        key = _venue_mention(state, ent, name, lex.city_country.get(name))
        return key, name
    if _state_named_city(state, token):
        ent = state.ent_at(token)
        assert ent is not None
        name = clean_name(ent.text)
        capital = lex.capital_by_country.get(name, "")
        # "in Kuwait" is the city the article may also call "Kuwait City"
        canonical = capital if capital.startswith(name) else name
        return _venue_mention(state, ent, name, name), canonical
    if _country_venue(state, token):
        ent = state.ent_at(token)
        assert ent is not None
        name = lex.country_of_name(clean_name(ent.text)) or clean_name(ent.text)
        return _venue_mention(state, ent, clean_name(ent.text), name), name
    desc = state.span_at(token, "VENUE_DESC")
    if desc is not None:
        country = lex.country_by_demonym.get(desc[0].text)
        if desc.root.lower_ == "capital":  # another name of the capital city: a mention
            _venue_mention(state, desc, clean_name(desc.text), country)
        # "the Kazakh capital of Astana": the named city is the venue
        for child in desc.root.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    city = city_venue(state, pobj) if pobj.dep_ == "pobj" else None
                    if city is None and pobj.dep_ == "pobj":
                        city = _named_place(state, pobj, country)
                    if city:
                        return city
        key = _venue_mention(state, desc, clean_name(desc.text), country)
        capital = (
            lex.capital_by_country.get(country or "") if desc.root.lower_ == "capital" else None
        )
        return key, capital or clean_name(desc.text)
    if token.lower_ in state.lex.set("venue_descriptors"):
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and is_city_token(state, pobj):
                        return city_venue(state, pobj)
    return None


def _named_place(state: State, token: Token, country: str | None) -> tuple[str, str] | None:
    """'the Chinese city of Kunming' when NER did not call Kunming a place:
    the descriptor vouches for it, so the proper name is the venue."""
    ent = state.ent_at(token)
    if ent is None or ent.label_ not in ("PERSON", "ORG", "GPE", "LOC", "FAC"):
        return None
    if state.token_mention.get(token.i) is not None:
        return None  # an actor after all
    name = clean_name(ent.text)
    if not name or not name[0].isupper():
        return None
    return _venue_mention(state, ent, name, country), name


def _state_named_city(state: State, token: Token) -> bool:
    """'would resume in Kuwait': a state that shares its name with its city
    (Kuwait, Singapore, Djibouti) is the city when a meeting is held 'in' it."""
    ent = state.ent_at(token)
    return (
        ent is not None
        and ent.label_ == "GPE"
        and clean_name(ent.text) in state.lex.city_states
        and token.dep_ == "pobj"
        and token.head.lower_ in ("in", "at")
    )


def _country_venue(state: State, token: Token) -> bool:
    """'leaders met in Qatar': a state is the venue of a meeting held 'in' it
    only when the article names none of its cities (else the city is)."""
    ent = state.ent_at(token)
    if ent is None or ent.label_ != "GPE" or token.dep_ != "pobj" or token.head.lower_ != "in":
        return False
    country = state.lex.country_of_name(clean_name(ent.text))
    governor = token.head.head.lemma_.lower()
    lex = state.lex
    if country is None or not (
        governor in lex.set("meeting_verbs") or governor in lex.words["meeting_nouns"]
    ):
        return False
    return not any(
        e.label_ == "GPE" and lex.city_country.get(clean_name(e.text)) == country
        for e in state.ents
    )


def find_venue(state: State, nodes: list[Token]) -> tuple[str, str, bool] | None:
    """Venue attached to any of `nodes`: compound ('Astana talks'), hyphen
    ('Moscow-hosted talks'), or 'in/at <city>'. The bool is True when the city
    names the talks (a series name)."""
    for node in nodes:
        for child in node.children:
            if child.dep_ in ("compound", "nmod", "amod", "npadvmod") and child.i < node.i:
                found = city_venue(state, child)
                if found and not _hyphen_based(child):
                    return (*found, child.dep_ in ("compound", "nmod") and not hyphen_after(child))
                for sub in child.children:
                    if sub.i < child.i and hyphen_after(sub) and child.lemma_ in ("host", "hold"):
                        found = city_venue(state, sub)
                        if found:
                            return (*found, False)
            if child.lower_ in ("hosted", "held") and child.i < node.i:
                for sub in child.children:
                    found = city_venue(state, sub) if sub.i < child.i else None
                    if found:
                        return (*found, False)
    for node in nodes:
        for prep in _preps(node):
            if prep.lower_ not in ("in", "at"):
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                found = city_venue(state, pobj) or next(
                    (
                        v
                        for c in pobj.children
                        if c.dep_ == "compound" and (v := city_venue(state, c))
                    ),
                    None,
                )
                if found:
                    return (*found, False)
    return None


def clause_venue(state: State, sent: Span) -> tuple[str, str, bool] | None:
    """'..., led by the UN and set for March 23 in Geneva': a scheduling verb
    hung elsewhere in the sentence still places the sentence's meeting."""
    verbs = [
        t for t in sent if t.pos_ == "VERB" and t.lemma_.lower() in state.lex.set("schedule_verbs")
    ]
    return find_venue(state, verbs) if verbs else None


def _preps(node: Token) -> list[Token]:
    """Preps on a node, and on the objects of its other preps ('planned for
    April 18-19 in Tehran' hangs 'in Tehran' under 'April')."""
    out = []
    for child in node.children:
        if child.dep_ == "agent":  # "talks mediated by X in Rome": the parse hangs 'in' on X
            out.extend(c for p in child.children for c in p.children if c.dep_ == "prep")
        if child.dep_ != "prep":
            continue
        out.append(child)
        if child.lower_ not in ("in", "at"):
            for pobj in child.children:
                out.extend(c for c in pobj.children if c.dep_ == "prep")
    if node.pos_ == "VERB":  # "met Prime Minister X in Addis Ababa"
        for obj in node.children:
            if obj.dep_ == "dobj":
                out.extend(c for c in obj.children if c.dep_ == "prep" and c.lower_ in ("in", "at"))
    return out


def hyphen_after(token: Token) -> bool:
    doc = token.doc
    return token.i + 1 < len(doc) and doc[token.i + 1].text in ("-", "–") and not token.whitespace_


def _hyphen_based(token: Token) -> bool:
    """'Moscow-based institute': a place of business, not a venue."""
    doc = token.doc
    return (
        token.i + 2 < len(doc)
        and doc[token.i + 1].text == "-"
        and doc[token.i + 2].lower_ == "based"
    )
