"""Clean-up of decoded text: characters, markup leftovers, page furniture.

Extraction works sentence by sentence, so the output keeps one paragraph per
line with a blank line between paragraphs, and everything that is not the
story (widgets, ad markers, captions, share bars, repeated lines) is gone.
The rules are whole-line patterns from boilerplate.yml; this module only
applies them, in a fixed order.
"""

from __future__ import annotations

import html
import re
import unicodedata

from kg.ingest.data import boilerplate

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_ENTITY = re.compile(r"&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.I)
_TERMINAL = tuple(".!?:;\"'”’»)…")
_WRAPPED_MIN, _WRAPPED_MAX = 40, 100


def normalise(text: str) -> str:
    """NFC, Unix newlines, no invisible or control characters, plain spaces."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub(" ", text.translate(_INVISIBLE))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def unescape_entities(text: str) -> str:
    """Decode HTML entities left in plain text ("&amp;", "&#8217;")."""
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


# -- markdown --------------------------------------------------------------------------

_MD_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # inline links
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])"), r"\2"),  # italics
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
    (re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$"), r"\1"),  # ATX headings
    (re.compile(r"^(>\s?)+"), ""),  # block quotes
)
_MD_DROP = re.compile(r"^(\s*([-*_=]\s*){3,}|```.*|~~~.*|\[[^\]]+\]:\s*\S+.*)$")


def strip_markdown(lines: list[str]) -> list[str]:
    """Markdown syntax off each line; rules, fences and link definitions dropped."""
    out: list[str] = []
    for line in lines:
        if _MD_DROP.match(line):
            out.append("")
            continue
        for regex, replacement in _MD_RULES:
            line = regex.sub(replacement, line)
        out.append(line)
    return out


# -- furniture -------------------------------------------------------------------------


def _words(line: str) -> int:
    return len(line.split())


def _is_boilerplate(line: str) -> bool:
    words = _words(line)
    rules = boilerplate()
    return any(rule.matches(line, words) for rule in rules["boilerplate"] + rules["captions"])


def _is_credit_only(line: str) -> bool:
    words = _words(line)
    return any(rule.matches(line, words) for rule in boilerplate()["credit_only"])


def dedupe_key(line: str) -> str:
    """What makes two lines (or texts) "the same": case, punctuation and
    spacing ignored."""
    return re.sub(r"\W+", " ", line.casefold()).strip()


def clean_lines(lines: list[str], drop: set[int] | None = None) -> list[str]:
    """Bullets, boilerplate, captions and repeats off; "" keeps paragraph breaks.

    `drop` holds indexes of lines already known to be furniture (date lines).
    A caption line right before its credit ("Photographer: ...") goes with it.
    A line seen before is dropped: pages repeat captions and pull quotes.
    """
    rules = boilerplate()
    bullets = rules["bullets"]
    caption_max = int(rules["caption_before_credit_max_words"])
    out: list[str] = []
    seen: set[str] = set()
    for index, raw in enumerate(lines):
        line = bullets.sub("", raw).strip()
        if line != raw.strip():
            out.append("")  # a list item is a paragraph of its own
        if not line or (drop and index in drop):
            out.append("")
            continue
        if _is_credit_only(line):
            _drop_caption_before(out, caption_max)
            out.append("")
            continue
        key = dedupe_key(line)
        if not key or key in seen or _is_boilerplate(line):
            out.append("")
            continue
        seen.add(key)
        out.append(line)
    return out


def _drop_caption_before(out: list[str], max_words: int) -> None:
    """Blank the last kept line when it is short, unless it is the first line
    of the text (the title of a plain-text file)."""
    kept = [index for index, line in enumerate(out) if line]
    if len(kept) >= 2 and _words(out[kept[-1]]) <= max_words:
        out[kept[-1]] = ""


# -- paragraphs ------------------------------------------------------------------------


def _hard_wrapped(block: list[str]) -> bool:
    """A block of 3+ lines of similar width is one paragraph wrapped by hand."""
    return len(block) >= 3 and all(_WRAPPED_MIN <= len(line) <= _WRAPPED_MAX for line in block[:-1])


def paragraphs(lines: list[str]) -> list[str]:
    """Lines -> paragraphs. Blank lines separate paragraphs; inside a block, a
    line is its own paragraph unless the block is hard-wrapped or the line
    continues a sentence (previous line unfinished, this one lower-case)."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    result: list[str] = []
    for block in blocks:
        if not block:
            continue
        if _hard_wrapped(block):
            result.append(" ".join(block))
            continue
        current = block[0]
        for line in block[1:]:
            if not current.endswith(_TERMINAL) and line[:1].islower():
                current = f"{current} {line}"
            else:
                result.append(current)
                current = line
        result.append(current)
    return result


def drop_signoff(paras: list[str]) -> list[str]:
    """Drop a closing publication or desk name ("The Evening Chronicle"): a last
    paragraph of a few capitalised words without sentence punctuation."""
    limit = int(boilerplate()["signoff_max_words"])
    last = paras[-1] if paras else ""
    title_case = all(word[:1].isupper() for word in last.split())
    if len(paras) >= 3 and _words(last) <= limit and title_case and not last.endswith(_TERMINAL):
        return paras[:-1]
    return paras
