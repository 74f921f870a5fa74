"""The extract stage: Article -> Extraction (mentions, events, facts).

The title and the body are parsed as one document, `title + "\\n\\n" + text`,
so a headline's words count. Offsets in `Mention.start`/`end` index
`Article.text`; a mention found in the title has negative offsets (see
`kg.extract.state`). Every fact carries its supporting sentence.

Public API: `load_nlp`, `extract_article`, `extract_articles`, `EXTRACTOR_VERSION`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ExtractError
from kg.extract.dates import MONTH_NAMES, WEEKDAYS
from kg.extract.entities import extract_actors
from kg.extract.events import extract_events
from kg.extract.lexicon import get_lexicon
from kg.extract.nlp import add_components, load_nlp
from kg.extract.relations import Context, extract_facts
from kg.extract.state import State
from kg.model import Article, Extraction

# Bump whenever rules, lexicons or patterns change: the pipeline's cache key.
EXTRACTOR_VERSION = "extract-0.11.0"

__all__ = ["EXTRACTOR_VERSION", "extract_article", "extract_articles", "load_nlp"]


def _ready(nlp: Language | None) -> Language:
    """The cached pipeline, or the caller's model with kg's rule components
    added (a bare spacy.load() result works too; it is modified in place)."""
    if nlp is None:
        return load_nlp()
    if "kg_ruler" not in nlp.pipe_names:
        add_components(nlp)
    return nlp


def _title(article: Article) -> str:
    """The title with line breaks as spaces: same length, so title offsets hold."""
    return (article.title or "").replace("\r", " ").replace("\n", " ")


def _source_text(article: Article) -> str:
    return f"{_title(article)}\n\n{article.text}"


def _doc_text(article: Article) -> str:
    """What the model parses: a Title Case headline gets its common words in
    lower case ('Putin Stages Syria Peace Talks' -> 'Putin stages Syria peace
    talks'), which the small model tags and parses far better; names keep
    their capitals. Same length, so every offset still indexes the source."""
    return f"{sentence_case(_title(article))}\n\n{article.text}"


def sentence_case(title: str) -> str:
    """Lower-case the common words of a Title Case headline (others untouched)."""
    words = title.split(" ")
    alpha = [w for w in words if w[:1].isalpha()]
    common = get_lexicon().common_words
    if len(alpha) < 3 or sum(w[:1].isupper() for w in alpha) < 0.7 * len(alpha):
        return title
    if not any(w[:1].isupper() and w.lower().strip(".,:;!?'\"") in common for w in alpha[1:]):
        return title
    out = [words[0]]
    keep = {m.lower() for m in MONTH_NAMES} | set(WEEKDAYS)
    for word in words[1:]:
        bare = word.lower().strip(".,:;!?'\"")
        lowered = word.lower()
        acronym = word.isupper() and len(word) > 1  # "US", "UN"
        if bare in common and bare not in keep and not acronym and len(lowered) == len(word):
            out.append(lowered)
        else:
            out.append(word)
    return " ".join(out)


def _from_doc(article: Article, doc: Doc) -> Extraction:
    state = State(
        doc=doc,
        article=article,
        lex=get_lexicon(),
        offset=len(_title(article)) + 2,
        source=_source_text(article),
    )
    try:
        extract_actors(state)
        clusters = extract_events(state)
        extract_facts(Context(state, clusters))
    except (IndexError, KeyError, ValueError) as exc:  # a rule met a parse it cannot read
        raise ExtractError(f"cannot extract {article.id}: {type(exc).__name__}: {exc}") from exc
    return Extraction(
        article=article, mentions=state.mentions, events=state.events, facts=state.facts
    )


def extract_article(article: Article, nlp: Language | None = None) -> Extraction:
    """Extract one article (loads the cached model when `nlp` is None)."""
    nlp = _ready(nlp)
    return _from_doc(article, nlp(_doc_text(article)))


def extract_articles(
    articles: Iterable[Article], nlp: Language | None = None, batch_size: int = 16
) -> Iterator[Extraction]:
    """Extract many articles through `nlp.pipe` (one pass, batched)."""
    nlp = _ready(nlp)
    pairs = ((_doc_text(a), a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield _from_doc(article, doc)
