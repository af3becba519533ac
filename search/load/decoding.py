"""Turn the bytes of a file into text: UTF-8 (with or without BOM), UTF-16, cp1251 or KOI8-R.

Legacy Russian encodings are told apart by letter case: Russian prose is mostly lower-case, and cp1251 bytes
read as KOI8-R (or the other way round) come out mostly upper-case, because the two code pages put the
lower-case alphabet where the other keeps the upper-case one.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from ..errors import DocumentError
from ..language import is_cyrillic

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_RUSSIAN_LEGACY = ("cp1251", "koi8_r")
MAX_STRAY_BYTES = 3  # invalid bytes still read as UTF-8, however short the text
STRAY_SHARE = 0.01  # ... or this share of its non-ASCII bytes
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def decode_bytes(data: bytes) -> str:
    """Decode a file's bytes to text, or raise `DocumentError` saying why it is not text.

    >>> decode_bytes("привет".encode("koi8_r"))
    'привет'
    """
    return decode_with_note(data)[0]


def decode_with_note(data: bytes) -> tuple[str, str]:
    """`decode_bytes`, plus a note ("" when there is none) when bytes had to be replaced.

    >>> text, note = decode_with_note("Переговоры ".encode() + bytes([255]) + " в Женеве продолжатся".encode())
    >>> text.split()[:3], note
    (['Переговоры', '\ufffd', 'в'], 'read as UTF-8 with 1 invalid byte replaced')
    """
    if not data.strip():
        raise DocumentError("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _checked(data.decode(encoding, errors="replace")), ""
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _checked(data.decode(utf16, errors="replace")), ""
    if b"\x00" in data:
        raise DocumentError("binary file (contains NUL bytes)")
    try:
        return _checked(data.decode("utf-8")), ""
    except UnicodeDecodeError:
        pass
    invalid = _invalid_utf8_bytes(data)
    if invalid <= MAX_STRAY_BYTES or invalid <= STRAY_SHARE * sum(b >= 0x80 for b in data):
        # UTF-8 but for a few stray bytes (a cut, a bad copy): re-guessing the whole file would garble all of it.
        text = _checked(data.decode("utf-8", errors="replace"))
        return text, f"read as UTF-8 with {invalid:,} invalid byte{'s' if invalid != 1 else ''} replaced"
    russian = _best_russian_legacy(data)
    if russian is not None:
        return _checked(russian), ""
    guess = charset_normalizer.from_bytes(data).best()
    if guess is None:
        raise DocumentError("undecodable: not UTF-8, UTF-16, cp1251, KOI8-R or another known encoding")
    return _checked(str(guess)), ""


def _invalid_utf8_bytes(data: bytes) -> int:
    """How many bytes of `data` are not part of a valid UTF-8 sequence (each becomes one escape)."""
    return len(_ESCAPED_BYTE.findall(data.decode("utf-8", errors="surrogateescape")))


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as NUL bytes on every other position (for Latin and Cyrillic text)."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    # Cyrillic UTF-16 has 0x04 instead of 0x00 as the high byte.
    if sample[1::2].count(4) > 0.3 * half:
        return "utf-16-le"
    if sample[0::2].count(4) > 0.3 * half:
        return "utf-16-be"
    return None


def _best_russian_legacy(data: bytes) -> str | None:
    """Decode as cp1251 or KOI8-R, whichever gives mostly lower-case Cyrillic; None if neither is Russian."""
    best, best_score = None, 0.0
    for encoding in _RUSSIAN_LEGACY:
        text = data.decode(encoding, errors="replace")
        cyrillic = [c for c in text if is_cyrillic(c)]
        letters = sum(c.isalpha() for c in text)
        if not cyrillic or len(cyrillic) < 0.3 * letters:
            continue
        score = sum(c.islower() for c in cyrillic) / len(cyrillic)
        if score > best_score:
            best, best_score = text, score
    return best


def _checked(text: str) -> str:
    """Reject text that decoded but is mostly control characters or replacement marks."""
    sample = text[:20000]
    if not sample.strip():
        raise DocumentError("empty file")
    bad = sum(1 for c in sample if c == "\ufffd" or (c < " " and c not in "\t\r\n\f"))
    if bad > 0.05 * len(sample):
        raise DocumentError("binary or undecodable content")
    return text
