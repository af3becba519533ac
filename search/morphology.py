"""Word -> index terms: Russian lemmas from pymorphy3, English stems from Snowball, both cached.

The analyzers are built once per process, lazily, and never stored on objects that Whoosh pickles.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import pymorphy3
import snowballstemmer

from .stopwords import ENGLISH, RUSSIAN

CACHE_SIZE = 500_000
_lock = threading.Lock()
_morph: pymorphy3.MorphAnalyzer | None = None


def morph_analyzer() -> pymorphy3.MorphAnalyzer:
    """The process's one pymorphy3 analyzer (its dictionaries take a moment and ~15 MB to load)."""
    global _morph
    if _morph is None:
        with _lock:
            if _morph is None:
                _morph = pymorphy3.MorphAnalyzer(lang="ru")
    return _morph


@lru_cache(maxsize=1)
def _english_stemmer():
    return snowballstemmer.stemmer("english")


def fold_yo(text: str) -> str:
    return text.replace("ё", "е").replace("Ё", "Е")


@lru_cache(maxsize=CACHE_SIZE)
def russian_lemmas(word: str) -> tuple[str, ...]:
    """Every distinct dictionary lemma of a lower-case Russian word; pymorphy3's best guess for unknown words.

    >>> russian_lemmas("стали")
    ('стать', 'сталь')
    >>> russian_lemmas("столтенберга")
    ('столтенберг',)
    """
    parses = morph_analyzer().parse(word)
    known = [p for p in parses if p.is_known]
    chosen = known or parses[:1]
    lemmas = dict.fromkeys(fold_yo(p.normal_form) for p in chosen)
    return tuple(lemmas) or (fold_yo(word),)


@lru_cache(maxsize=CACHE_SIZE)
def english_stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a lower-case English word.

    >>> english_stem("improvement"), english_stem("improve")
    ('improv', 'improv')
    """
    return _english_stemmer().stemWord(word.replace("’", "'"))


def is_stop_word(word: str, script: str) -> bool:
    """Whether a lower-case word (with ё folded) is a function word of its language."""
    if script == "cyrl":
        # The most probable lemma decides: "том" is mostly "тот", but "стали" is not "стать"-the-verb only.
        return word in RUSSIAN or russian_lemmas(word)[0] in RUSSIAN
    return word in ENGLISH
