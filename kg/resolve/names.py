"""Name normalisation and the keys the resolver blocks on.

Everything here is a pure function of a string (plus the lexicon), cached,
because the resolver calls it once per distinct surface form and a large
corpus repeats the same forms many times. `normalize` follows the evaluation
rules of GRAPH_CONTRACT.md (NFKC, case-fold, accents and punctuation
removed, leading "the" dropped) so that the resolver and `kg eval` agree on
what "the same name" means.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from kg.resolve.lexicon import LEXICON

_APOSTROPHES = re.compile(r"['\u2019\u2018`\u02bc\u02bb\u00b4]")
_INNER_DOT = re.compile(r"(?<=\w)\.(?=\w)")
_NON_WORD = re.compile(r"[^\w\s]|_")
# letters whose case-fold does not equal the case-fold of their upper case
_FOLD_FIX = str.maketrans({"\u0131": "i", "\u0130": "i", "\u017f": "s", "\u1e9e": "ss"})


def _fold(text: str) -> str:
    """NFKC + case-fold + accents removed, repeated to a fixpoint so that the
    result is stable (some characters only settle after a second round)."""
    previous = None
    current = text
    while current != previous:
        previous = current
        current = unicodedata.normalize("NFKC", current).translate(_FOLD_FIX).casefold()
        decomposed = unicodedata.normalize("NFKD", current)
        current = "".join(c for c in decomposed if not unicodedata.combining(c))
    return current


@lru_cache(maxsize=262144)
def normalize(text: str) -> str:
    """The comparison form of a name: "The U.N." -> "un", "al-Assad" -> "al assad".

    Dots inside acronyms vanish (so "U.N." and "UN" agree), apostrophes join
    ("Ra'ad" -> "raad"), other punctuation separates. Never empty for a
    string that has a letter or digit: when stripping leaves nothing, the
    folded text itself is kept.
    """
    folded = _fold(text)
    stripped = _APOSTROPHES.sub("", _INNER_DOT.sub("", folded))
    tokens = _NON_WORD.sub(" ", stripped).split()
    while len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    if tokens:
        return " ".join(tokens)
    return " ".join(folded.split())


def strip_possessive(text: str) -> str:
    """ "Assad's" -> "Assad", "rebels'" -> "rebels" (only at the very end)."""
    stripped = text.strip()
    if len(stripped) > 2 and stripped[-2:].lower() in ("'s", "\u2019s"):
        return stripped[:-2]
    if len(stripped) > 2 and stripped[-2:].lower() in ("s'", "s\u2019"):
        return stripped[:-1]
    return stripped


@lru_cache(maxsize=262144)
def clean_surface(text: str, titles: bool = True) -> str:
    """A surface form as the resolver keeps it: white space collapsed,
    possessive, leading "the" and (for actors) leading titles/honorifics
    removed ("Russian Foreign Minister Sergei Lavrov's" -> "Sergei Lavrov").
    Returns the input (collapsed) when stripping would leave nothing."""
    collapsed = " ".join(text.split()).strip(' ,;:-\u2013\u2014"\u201c\u201d')
    if not collapsed:
        return " ".join(text.split())
    base = strip_possessive(collapsed)
    words = base.split()
    while len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    role = _leading_role(words) if titles else 0
    if role and role < len(words) and _looks_like_name(words[role:]):
        words = words[role:]
    return " ".join(words) if words else base


def _leading_role(words: list[str]) -> int:
    """Number of leading words forming a role: states, demonyms and
    international bodies followed by a title ("Syria's U.N. envoy",
    "Russian Foreign Minister", "Mr"). 0 when no title ends the run."""
    position, end_of_title = 0, 0
    while position < len(words):
        title = _unit(words, position, _is_title)
        if title:
            position += title
            end_of_title = position
            continue
        place = _unit(words, position, _is_place_or_body)
        if not place:
            break
        position += place
    return end_of_title


def _unit(words: list[str], position: int, test) -> int:
    """Length of the longest phrase (up to 5 words) at `position` passing `test`."""
    for size in range(min(5, len(words) - position), 0, -1):
        if test(" ".join(_key_word(w) for w in words[position : position + size])):
            return size
    return 0


def _key_word(word: str) -> str:
    return normalize(word) if any(c.isalnum() for c in word) else ""


def _is_title(phrase: str) -> bool:
    return phrase in LEXICON.titles


def _is_place_or_body(phrase: str) -> bool:
    if LEXICON.state_of(phrase) or phrase in LEXICON.body_by_form:
        return True
    return phrase.endswith("s") and phrase[:-1] in LEXICON.state_by_form


def _looks_like_name(words: list[str]) -> bool:
    first = words[0]
    if not first[:1].isupper():
        return False
    return not any(normalize(w) in LEXICON.org_keywords for w in words)


@lru_cache(maxsize=262144)
def tokens(norm: str) -> tuple[str, ...]:
    return tuple(norm.split())


@lru_cache(maxsize=262144)
def core_tokens(norm: str) -> tuple[str, ...]:
    """Name parts without particles: "bashar al assad" -> ("bashar", "assad")."""
    parts = tuple(t for t in norm.split() if t not in LEXICON.particles)
    return parts or tuple(norm.split())


_SKELETON_RULES: tuple[tuple[str, str], ...] = (
    ("dj", "j"),
    ("kh", "h"),
    ("ph", "f"),
    ("ck", "k"),
    ("x", "ks"),
    ("q", "k"),
    ("c", "k"),
    ("w", "v"),
    ("ou", "u"),
    ("z", "s"),
)


@lru_cache(maxsize=262144)
def skeleton(token: str) -> str:
    """A transliteration key: first letter, then the consonants, with common
    romanisation variants folded ("Sergey"/"Sergei" -> "srg",
    "Lavrentiev"/"Lavrentyev" -> "lvrntv", "Alexander"/"Aleksandr")."""
    word = token.lower()
    if not word:
        return ""
    for old, new in _SKELETON_RULES:
        word = word.replace(old, new)
    collapsed = [word[0]]
    for char in word[1:]:
        if char != collapsed[-1]:  # only letters doubled in the spelling itself
            collapsed.append(char)
    head = collapsed[0]
    return head + "".join(c for c in collapsed[1:] if c not in "aeiouyh")


def is_acronym(surface: str) -> bool:
    """ "ISSG", "U.N.", "G7": two to eight capitals/digits, dots allowed."""
    letters = surface.replace(".", "").replace("-", "")
    if not 2 <= len(letters) <= 8 or " " in surface:
        return False
    return letters.isalnum() and letters.upper() == letters and any(c.isalpha() for c in letters)


def acronym_key(surface: str) -> str:
    return normalize(surface).replace(" ", "")


@lru_cache(maxsize=65536)
def initials(norm: str) -> frozenset[str]:
    """Possible acronyms of a long name: with and without its stop words
    ("international syria support group" -> {"issg"})."""
    words = norm.split()
    if len(words) < 2:
        return frozenset()
    content = [w for w in words if w not in LEXICON.stopwords]
    keys = {"".join(w[0] for w in words), "".join(w[0] for w in content)}
    return frozenset(k for k in keys if len(k) >= 2)


@lru_cache(maxsize=65536)
def spells_acronym(acronym: str, norm: str) -> bool:
    """Does the long name `norm` define the acronym key `acronym` written in
    brackets after it? Its initials, in order or reordered, with at most one
    letter of a longer acronym not among them: an acronym kept from the name
    in another language uses that language's words and order
    ("revolutionary armed forces of colombia" (FARC), "national liberation
    army" (ELN), "kurdistan workers party" (PKK)). A one-word name defines
    nothing ("Syria (ISIS)"), nor a name sharing too few letters
    ("syrian democratic forces" (YPG))."""
    keys = initials(norm)
    if acronym in keys:
        return True
    return len(acronym) >= 3 and any(_shared_letters(acronym, k) >= len(acronym) - 1 for k in keys)


def _shared_letters(acronym: str, initials_key: str) -> int:
    """Letters of the acronym found among the initials, each used once."""
    pool = list(initials_key)
    shared = 0
    for letter in acronym:
        if letter in pool:
            pool.remove(letter)
            shared += 1
    return shared


@lru_cache(maxsize=262144)
def slugify(text: str) -> str:
    """Stable ids: "Bashar al-Jaafari" -> "bashar-al-jaafari"."""
    norm = normalize(text)
    slug = re.sub(r"[^\w]+", "-", norm, flags=re.UNICODE).strip("-_")
    return slug or "x"
