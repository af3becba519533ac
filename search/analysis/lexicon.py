"""The bilingual lexicon the package ships: English stems <-> Russian lemmas, single words and short phrases.

`search/data/lexicon-en-ru.tsv.gz` is generated from Wiktionary by `scripts/build_lexicon.py` (CC BY-SA, see
`search/data/LEXICON-NOTICE.md`), both directions in one file; this module loads it once per process.
Both sides are index terms, normalized by the engine's own analyzer, so a translation is looked up like any word.
"""

from __future__ import annotations

import gzip
import threading
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .morphology import LANGUAGE_OF_SCRIPT

LEXICON_FILE = Path(__file__).resolve().parent.parent / "data" / "lexicon-en-ru.tsv.gz"
_lock = threading.Lock()
_loaded: Lexicon | None = None


class Translation(NamedTuple):
    """One translation: its index terms (several for a phrase) and the dictionary form to show."""

    terms: tuple[str, ...]
    shown: str


class Lexicon:
    """Translations both ways, best first, keyed by index terms joined with spaces ('secur', 'гарантия').

    The file holds both directions, a line per term: `en<TAB>stems<TAB>headword<TAB>ru|ru` and
    `ru<TAB>lemmas<TAB><TAB>stems|stems`. It stays in memory as the one block of UTF-8 it is (3 MB), found
    through a sorted array of the keys' hashes: a dict of 85,000 Python strings would cost ten times as much in
    a serving process. `Translation`s are made for the few words a query looks up.
    """

    def __init__(self, data: bytes) -> None:
        self._data = data
        ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n"))
        starts = np.concatenate(([0], ends[:-1] + 1))
        hashes = np.fromiter((hash(data[start:data.index(b"\t", start + 3)]) for start in starts.tolist()),
                             dtype=np.int64, count=len(starts))
        order = np.argsort(hashes, kind="stable")
        self._hashes, self._starts, self._ends = hashes[order], starts[order], ends[order]

    def _line(self, side: str, key: str) -> list[str] | None:
        """The columns after the key of the line for `key` on one side ('en' or 'ru'), or None."""
        wanted = f"{side}\t{key}".encode()
        i = int(np.searchsorted(self._hashes, hash(wanted)))
        while i < len(self._hashes) and self._hashes[i] == hash(wanted):
            line = self._data[self._starts[i]:self._ends[i]]
            if line.startswith(wanted + b"\t"):
                return line[len(wanted) + 1:].decode("utf-8").split("\t")
            i += 1
        return None

    @lru_cache(maxsize=8192)  # noqa: B019 - one Lexicon per process, so the cache does not keep others alive
    def _lookup(self, key: str, script: str) -> tuple[Translation, ...]:
        side = LANGUAGE_OF_SCRIPT.get(script)
        line = self._line(side, key) if side else None
        if line is None:
            return ()
        if side == "en":
            return tuple(Translation(tuple(t.split()), t) for t in line[1].split("|"))
        return tuple(Translation(tuple(k.split()), (self._line("en", k) or [k])[0]) for k in line[1].split("|"))

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

    def meanings(self, translation: Translation, script: str) -> int:
        """How many words of the other language the dictionary gives for a translation (in `script`, its own):
        how many senses share it. "author", the stem of authority, authorize and authorization, stands for 12
        Russian words; "sanction" for 3.

        >>> lexicon().meanings(Translation(("author",), "author"), "latn"), lexicon().meanings(
        ...     Translation(("sanction",), "sanction"), "latn")
        (12, 3)
        """
        return len(self._lookup(" ".join(translation.terms), script))

    def has_english(self, stem: str) -> bool:
        return self._line("en", stem) is not None


def lexicon() -> Lexicon:
    """The process's one lexicon (35,443 English and 50,493 Russian entries; loads in a few tenths of a second)."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                with gzip.open(LEXICON_FILE, "rb") as data:
                    _loaded = Lexicon(data.read())
    return _loaded
