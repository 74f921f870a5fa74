"""Raw bytes -> text, or a one-line reason why the bytes are not text.

Order matters: known binary signatures first (best reason for the user),
then byte-order marks, then NUL bytes (binary unless the file is UTF-16),
then strict UTF-8, then "mostly UTF-8" (a truncated or lightly damaged file
is still an article), then Western single-byte text, then charset-normalizer
for everything else. Decoding never raises anything but `IngestError`.
"""

from __future__ import annotations

import codecs
import re
from functools import cache

from charset_normalizer import from_bytes

from kg.errors import IngestError
from kg.ingest.data import formats

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Above this share of control characters, decoded "text" is really binary.
_MAX_CONTROL_SHARE = 0.02
# Latin letters outside ASCII above this share suggest a non-Western text
# that a Western code page would turn into accented gibberish.
_MAX_WESTERN_ACCENT_SHARE = 0.3
_SNIFF_BYTES = 64
# C0/C1 control characters other than white space, and U+FFFD
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")


@cache
def _signatures() -> tuple[tuple[int, bytes, str], ...]:
    return tuple(
        (int(item.get("offset", 0)), bytes.fromhex(str(item["hex"])), str(item["kind"]))
        for item in formats()["binary_signatures"]
    )


def sniff_binary(head: bytes) -> str | None:
    """The name of a known binary format whose signature `head` starts with."""
    for offset, magic, kind in _signatures():
        if head[offset : offset + len(magic)] == magic:
            return kind
    return None


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM has a NUL in (almost) every other byte."""
    sample = data[:4096]
    half = max(1, len(sample) // 2)
    even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    if odd > 0.4 and even < 0.05:
        encoding = "utf-16-le"
    elif even > 0.4 and odd < 0.05:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data[: len(data) - len(data) % 2].decode(encoding)
    except UnicodeDecodeError:
        return None


def _mostly_utf8(data: bytes) -> bool:
    """True for UTF-8 cut mid-character or with a few damaged bytes."""
    for cut in (1, 2, 3):
        try:
            data[:-cut].decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    good = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    return good > 0 and bad <= max(1, good // 20)


def _western(data: bytes) -> str | None:
    """cp1252 (a superset of printable Latin-1) when it reads like Western text."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [ch for ch in text if ch.isalpha()]
    accented = sum(1 for ch in letters if ord(ch) > 127)
    if not letters or accented / len(letters) > _MAX_WESTERN_ACCENT_SHARE:
        return None
    return text


def decode_bytes(data: bytes) -> str:
    """Decode a whole file's bytes, or raise IngestError naming why not."""
    kind = sniff_binary(data[:_SNIFF_BYTES])
    if kind:
        raise IngestError(f"binary file ({kind})")
    text = _decode(data)
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise IngestError("binary file (mostly non-text bytes)")
    return text


def _decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise IngestError("binary file (contains NUL bytes)")
        return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return data.decode("utf-8", errors="replace")
    text = _western(data)
    if text is not None:
        return text
    best = from_bytes(data).best()
    if best is not None:
        return str(best)
    text = data.decode("latin-1")
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise IngestError("binary file (not text in any known encoding)")
    return text
