"""The working state of one article's extraction, shared by the rule modules.

Offsets: the extractor parses `title + "\\n\\n" + text` as one document so the
title's words count too. `Mention.start`/`end` are offsets into `Article.text`;
a mention found in the title gets NEGATIVE offsets, `start - (len(title) + 2)`,
so `article.title[m.start + len(title) + 2 : m.end + len(title) + 2]` is its text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.extract.lexicon import Lexicon
from kg.extract.nlp import SPANS_KEY
from kg.model import Article, Event, Fact, Mention


@dataclass
class State:
    """Everything the rules of one article read and write."""

    doc: Doc
    article: Article
    lex: Lexicon
    offset: int  # len(title) + 2: subtract from doc offsets to index Article.text
    source: str = ""  # the text as written (the parsed title may be sentence-cased)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    token_mention: dict[int, str] = field(default_factory=dict)  # token i -> mention key
    mention_tokens: dict[str, tuple[int, int]] = field(default_factory=dict)
    by_key: dict[str, Mention] = field(default_factory=dict)
    country_keys: dict[str, str] = field(default_factory=dict)  # "Russia" -> first key
    party_reps: dict[str, str] = field(default_factory=dict)  # family -> key
    alias_of: dict[int, str] = field(default_factory=dict)  # token i -> key it refers to
    skipped_sents: set[int] = field(default_factory=set)  # sentence start tokens
    fact_keys: set[tuple[str, str, str]] = field(default_factory=set)
    past_tokens: set[int] = field(default_factory=set)  # "previous rounds": no event
    role_countries: set[str] = field(default_factory=set)  # states a role speaks for
    country_counts: dict[str, int] = field(default_factory=dict)  # every naming, idle or not
    _count: int = 0
    _ents: list[Span] | None = None
    _ent_at: dict[int, Span] = field(default_factory=dict)
    _sent_ents: dict[int, list[Span]] = field(default_factory=dict)
    _sent_spans: dict[int, list[Span]] = field(default_factory=dict)
    _span_at: dict[int, list[Span]] = field(default_factory=dict)

    # -- cached views of the doc: `doc.ents` and `sent.ents` rebuild a list on every
    # access, which makes per-token look-ups quadratic on long articles

    @property
    def ents(self) -> list[Span]:
        if self._ents is None:
            self._ents = list(self.doc.ents)
            for ent in self._ents:
                self._sent_ents.setdefault(ent.sent.start, []).append(ent)
                for i in range(ent.start, ent.end):
                    self._ent_at[i] = ent
            for span in self.doc.spans.get(SPANS_KEY, []):
                self._sent_spans.setdefault(span.sent.start, []).append(span)
                for i in range(span.start, span.end):
                    self._span_at.setdefault(i, []).append(span)
        return self._ents

    def ent_at(self, token: Token) -> Span | None:
        """The entity span covering a token."""
        _ = self.ents
        return self._ent_at.get(token.i)

    def sent_ents(self, sent: Span) -> list[Span]:
        _ = self.ents
        return self._sent_ents.get(sent.start, [])

    def sent_spans(self, sent: Span, label: str) -> list[Span]:
        """The rule spans (PARTY, CEASEFIRE, PHONE, VENUE_DESC) of a sentence."""
        _ = self.ents
        return [s for s in self._sent_spans.get(sent.start, []) if s.label_ == label]

    def span_at(self, token: Token, label: str) -> Span | None:
        _ = self.ents
        return next((s for s in self._span_at.get(token.i, []) if s.label_ == label), None)

    def new_mention(
        self,
        span: Span,
        label: str,
        text: str,
        char_start: int,
        char_end: int,
        **extra: object,
    ) -> Mention:
        """Register a mention covering `span`'s tokens; offsets are doc chars."""
        self._count += 1
        key = f"m{self._count}"
        written = self.source[char_start:char_end] if self.source else text
        mention = Mention(
            key=key,
            label=label,
            text=written if written.lower() == text.lower() else text,
            start=char_start - self.offset,
            end=char_end - self.offset,
            sentence=self.sentence(span.sent),
            **extra,  # type: ignore[arg-type]
        )
        self.mentions.append(mention)
        self.by_key[key] = mention
        self.mention_tokens[key] = (span.start, span.end)
        for i in range(span.start, span.end):
            self.token_mention.setdefault(i, key)
        return mention

    def add_fact(
        self, type_: str, start: str | None, end: str | None, sent: Span, alleged: bool = False
    ) -> None:
        """Record a fact once per (type, start, end); self-loops are dropped."""
        if not start or not end or start == end:
            return
        triple = (type_, start, end)
        if triple in self.fact_keys:
            return
        self.fact_keys.add(triple)
        self.facts.append(
            Fact(type=type_, start=start, end=end, sentence=self.sentence(sent), alleged=alleged)
        )

    def sentence(self, sent: Span) -> str:
        """The sentence as written, for evidence."""
        if self.source:
            return " ".join(self.source[sent.start_char : sent.end_char].split())
        return sentence_text(sent)

    def mention_at(self, token: Token) -> str | None:
        """The actor/venue mention key a token belongs to (or stands for)."""
        return self.alias_of.get(token.i) or self.token_mention.get(token.i)


def sentence_text(sent: Span) -> str:
    """The sentence as evidence: stripped, inner line breaks collapsed."""
    return " ".join(sent.text.split())
