"""Article text out of HTML with the standard library's parser.

Pages: text blocks are collected with their container (which <article>,
inside <main>, inside a paragraph element); the story is the biggest
<article>, else <main>, else the paragraph elements, else every block.
Furniture (scripts, navigation, share bars, captions...) is dropped by tag,
ARIA role and class/id words listed in formats.yml. Fragments (HTML inside
a .txt/.md body) keep every visible block, and plain line breaks outside
paragraph elements still separate paragraphs there.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from typing import Any

from kg.ingest.data import formats

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_CLOSES_P = frozenset(
    "address article aside blockquote details div dl fieldset figure footer form h1 h2 h3 h4 h5"
    " h6 header hr main menu nav ol p pre section table ul".split()
)
_NEVER_SKIPPED_BY_CLASS = frozenset({"html", "body", "article", "main"})
_WS = re.compile(r"\s+")
_BLOCK_TAG = re.compile(
    r"</?(p|div|br|article|section|main|h[1-6]|li|ul|ol|table|tr|td|blockquote|figure|pre)\b[^>]*>",
    re.I,
)
_INLINE_TAG = re.compile(
    r"</?(span|a|img|strong|em|b|i|u|sup|sub|font|small|script|style)\b[^>]*>", re.I
)


@dataclass
class Block:
    """One paragraph of visible text and where it sat in the page."""

    text: str
    article: int  # number of the innermost <article>, 0 when outside
    in_main: bool
    in_paragraph: bool


@dataclass
class Page:
    """What a page holds: its text blocks and its metadata."""

    blocks: list[Block] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    title: str | None = None
    h1: str | None = None


@dataclass
class _Frame:
    tag: str
    skip: bool
    article: int


@cache
def _settings() -> dict[str, Any]:
    html = formats()["html"]
    return {
        "skip_tags": frozenset(html["skip_tags"]),
        "block_tags": frozenset(html["block_tags"]),
        "paragraph_tags": frozenset(html["paragraph_tags"]),
        "skip_roles": frozenset(html["skip_roles"]),
        "skip_words": frozenset(html["skip_class_words"]),
    }


def html_kind(text: str) -> str | None:
    """ "block" when a plain-text body carries block-level HTML (parse it as a
    fragment), "inline" when it only has inline tags (strip them, keep the
    text's own line breaks), None when it has no markup."""
    if _BLOCK_TAG.search(text):
        return "block"
    return "inline" if _INLINE_TAG.search(text) else None


def _class_words(value: str) -> set[str]:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", value)
    return {w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w}


class _Parser(HTMLParser):
    def __init__(self, fragment: bool, class_rules: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        self.fragment = fragment
        self.class_rules = class_rules
        self.settings = _settings()
        self.stack: list[_Frame] = []
        self.open: Counter[str] = Counter()  # open elements by tag, for O(1) lookups
        self.page = Page()
        self.buffer: list[str] = []
        self.articles = 0
        self.title_parts: list[str] | None = None
        self.h1_parts: list[str] | None = None
        self.ld_json: list[str] | None = None

    # -- context -----------------------------------------------------------------
    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1].skip

    def _has(self, tags: frozenset[str]) -> bool:
        return any(self.open[tag] for tag in tags)

    def _push(self, frame: _Frame) -> None:
        self.stack.append(frame)
        self.open[frame.tag] += 1

    def _pop(self) -> _Frame:
        frame = self.stack.pop()
        self.open[frame.tag] -= 1
        self._close_capture(frame.tag)
        return frame

    def _implied_ends(self, tag: str) -> None:
        """Close what HTML closes implicitly: an open <p> before a block, an
        open <li> before the next item of the same list (else unclosed tags
        pile up and nesting goes wrong)."""
        if tag in _CLOSES_P and self.open["p"]:
            self.handle_endtag("p")
        if tag == "li" and self.open["li"]:
            for frame in reversed(self.stack):
                if frame.tag in ("ul", "ol"):
                    break
                if frame.tag == "li":
                    self.handle_endtag("li")
                    break

    def _flush(self) -> None:
        text = _WS.sub(" ", "".join(self.buffer)).strip()
        self.buffer = []
        if text:
            self.page.blocks.append(
                Block(
                    text=text,
                    article=self.stack[-1].article if self.stack else 0,
                    in_main=self._has(frozenset({"main"})),
                    in_paragraph=self._has(self.settings["paragraph_tags"]),
                )
            )

    def _skips(self, tag: str, attrs: dict[str, str]) -> bool:
        if tag in self.settings["skip_tags"] or "hidden" in attrs:
            return True
        if attrs.get("aria-hidden", "").lower() == "true":
            return True
        if attrs.get("role", "").lower() in self.settings["skip_roles"]:
            return True
        if re.search(r"display\s*:\s*none", attrs.get("style", ""), re.I):
            return True
        if tag in _NEVER_SKIPPED_BY_CLASS or not self.class_rules:
            return False
        words = _class_words(attrs.get("class", "") + " " + attrs.get("id", ""))
        return bool(words & self.settings["skip_words"])

    # -- parser callbacks ---------------------------------------------------------
    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k.lower(): (v or "") for k, v in attrs_list}
        self._metadata(tag, attrs)
        self._implied_ends(tag)
        if tag in self.settings["block_tags"]:
            self._flush()
        if tag in _VOID:
            return
        parent_skip = self._skipping()
        article = self.stack[-1].article if self.stack else 0
        if tag == "article":
            self.articles += 1
            article = self.articles
        self._push(_Frame(tag, parent_skip or self._skips(tag, attrs), article))
        if tag == "title" and self.page.title is None:
            self.title_parts = []
        elif tag == "h1" and self.page.h1 is None:
            self.h1_parts = []
        elif tag == "script" and "ld+json" in attrs.get("type", "").lower():
            self.ld_json = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not self.open[tag]:
            return  # stray end tag: ignore rather than unbalance the stack
        if tag in self.settings["block_tags"]:
            self._flush()
        while self.stack and self._pop().tag != tag:
            pass
        if tag in self.settings["block_tags"]:
            self._flush()

    def _close_capture(self, tag: str) -> None:
        if tag == "title" and self.title_parts is not None:
            self.page.title = _WS.sub(" ", "".join(self.title_parts)).strip() or None
            self.title_parts = None
        elif tag == "h1" and self.h1_parts is not None:
            self.page.h1 = _WS.sub(" ", "".join(self.h1_parts)).strip() or None
            self.h1_parts = None
        elif tag == "script" and self.ld_json is not None:
            _read_ld_json("".join(self.ld_json), self.page.meta)
            self.ld_json = None

    def handle_data(self, data: str) -> None:
        for parts in (self.title_parts, self.h1_parts, self.ld_json):
            if parts is not None:
                parts.append(data)
        if self._skipping():
            return
        if self.fragment and not self._has(self.settings["paragraph_tags"]):
            lines = data.split("\n")
            for index, line in enumerate(lines):
                if index:
                    self._flush()
                self.buffer.append(line)
            return
        self.buffer.append(data)

    def _metadata(self, tag: str, attrs: dict[str, str]) -> None:
        meta = self.page.meta
        if tag == "meta":
            key = (
                attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or ""
            ).lower()
            value = (attrs.get("content") or "").strip()
            if key and value:
                meta.setdefault(key, value)
        elif tag == "link" and "canonical" in attrs.get("rel", "").lower().split():
            if attrs.get("href"):
                meta.setdefault("canonical", attrs["href"].strip())
        elif tag == "time" and attrs.get("datetime"):
            meta.setdefault("time", attrs["datetime"].strip())


def _read_ld_json(text: str, meta: dict[str, str]) -> None:
    """Copy headline/dates/url/publisher from JSON-LD into meta as "ld:<key>"."""
    try:
        data = json.loads(text)
    except ValueError:
        return
    todo: list[Any] = [data]
    while todo:
        item = todo.pop(0)
        if isinstance(item, list):
            todo.extend(item)
        elif isinstance(item, dict):
            for key in ("headline", "datePublished", "dateModified", "url"):
                if isinstance(item.get(key), str):
                    meta.setdefault(f"ld:{key.lower()}", item[key])
            publisher = item.get("publisher")
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                meta.setdefault("ld:publisher", publisher["name"])
            todo.extend(v for k, v in item.items() if k in ("@graph", "mainEntity"))


def parse_html(text: str, *, fragment: bool = False, class_rules: bool = True) -> Page:
    """Parse a page (or a fragment) into blocks and metadata; never raises.
    `class_rules=False` ignores class/id words (the fallback for sites whose
    story container carries a class like "has-sidebar")."""
    parser = _Parser(fragment, class_rules)
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError):  # html.parser on pathological markup
        pass
    parser._flush()
    return parser.page


def _words(blocks: list[Block]) -> int:
    return sum(len(block.text.split()) for block in blocks)


def story_blocks(page: Page) -> list[str]:
    """The blocks that make up the story, preferring <article>, <main>, <p>."""
    minimum = int(formats()["html"]["min_container_words"])
    by_article: dict[int, list[Block]] = {}
    for block in page.blocks:
        if block.article:
            by_article.setdefault(block.article, []).append(block)
    if by_article:
        biggest = max(by_article.values(), key=_words)
        if _words(biggest) >= minimum:
            return [block.text for block in biggest]
    main = [block for block in page.blocks if block.in_main]
    if _words(main) >= minimum:
        return [block.text for block in main]
    paragraphs = [block for block in page.blocks if block.in_paragraph]
    if _words(paragraphs) >= minimum:
        return [block.text for block in paragraphs]
    return [block.text for block in page.blocks]


def page_story(text: str) -> tuple[Page, list[str]]:
    """Parse a page and pick its story; when the class/id rules leave less
    than a container's worth of words, parse again without them."""
    page = parse_html(text)
    blocks = story_blocks(page)
    minimum = int(formats()["html"]["min_container_words"])
    if sum(len(b.split()) for b in blocks) < minimum:
        retry = story_blocks(parse_html(text, class_rules=False))
        if sum(len(b.split()) for b in retry) > sum(len(b.split()) for b in blocks):
            blocks = retry
    return page, blocks


def fragment_lines(text: str) -> list[str]:
    """Visible text of an HTML fragment, one block per line, blank-separated."""
    lines: list[str] = []
    for block in parse_html(text, fragment=True).blocks:
        lines.extend((block.text, ""))
    return lines


class _InlineStripper(HTMLParser):
    """Text without its inline tags; line breaks and spacing kept as written."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def strip_inline_tags(text: str) -> str:
    """Plain text with a few inline tags (links, emphasis) -> plain text."""
    parser = _InlineStripper()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError):
        pass
    return "".join(parser.parts)
