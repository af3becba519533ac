"""The bilingual lexicon the package ships: English stems <-> Russian lemmas, single words and short phrases.

`search/data/lexicon-en-ru.tsv.gz` is generated from Wiktionary by `scripts/build_lexicon.py` (CC BY-SA, see
`search/data/LEXICON-NOTICE.md`); this module loads it once per process and inverts it for Russian -> English.
Both sides are index terms, normalized by the engine's own analyzer, so a translation is looked up like any word.
"""

from __future__ import annotations

import gzip
import threading
from pathlib import Path
from typing import NamedTuple

LEXICON_FILE = Path(__file__).resolve().parent / "data" / "lexicon-en-ru.tsv.gz"
_lock = threading.Lock()
_loaded: Lexicon | None = None


class Translation(NamedTuple):
    """One translation: its index terms (several for a phrase) and the dictionary form to show."""

    terms: tuple[str, ...]
    shown: str


class Lexicon:
    """Translations both ways, best first, keyed by index terms joined with spaces ('secur', 'гарантия').

    Loading keeps plain strings (about 0.25 s); `Translation`s are made for the few words a query looks up.
    """

    def __init__(self, lines) -> None:
        self._english: dict[str, list[str]] = {}
        self._headwords: dict[str, str] = {}
        self._russian: dict[str, list[tuple[int, str]]] = {}
        for line in lines:
            key, headword, targets = line.rstrip("\n").split("\t")
            self._headwords[key] = headword
            self._english[key] = listed = targets.split("|")
            for rank, target in enumerate(listed):
                self._russian.setdefault(target, []).append((rank, key))

    def _lookup(self, key: str, script: str) -> list[Translation]:
        if script == "latn":
            return [Translation(tuple(t.split()), t) for t in self._english.get(key, ())]
        if script == "cyrl":
            # The English words that list this Russian word first come first.
            return [Translation(tuple(k.split()), self._headwords[k]) for _, k in sorted(self._russian.get(key, ()))]
        return []

    def translate(self, terms: tuple[str, ...], script: str) -> list[Translation]:
        """Translations of a word (any of its terms: a Russian word's lemmas) or a phrase, best first.

        >>> [t.shown for t in lexicon().translate(("guarante",), "latn")][:2]
        ['гарантировать', 'гарантия']
        >>> [t.shown for t in lexicon().translate(("переговоры",), "cyrl")][:2]
        ['negotiate', 'treat']
        """
        found: dict[tuple[str, ...], Translation] = {}
        for term in terms:
            for translation in self._lookup(term, script):
                found.setdefault(translation.terms, translation)
        return list(found.values())

    def has_english(self, stem: str) -> bool:
        return stem in self._english


def lexicon() -> Lexicon:
    """The process's one lexicon (about 35,000 English entries; loads in well under a second)."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                with gzip.open(LEXICON_FILE, "rt", encoding="utf-8") as lines:
                    _loaded = Lexicon(lines)
    return _loaded
