"""Word -> index terms: Russian lemmas from pymorphy3, English stems from Snowball, both cached.

The analyzers are built once per process, lazily, and never stored on objects that Whoosh pickles.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

import pymorphy3
import snowballstemmer

from ..language import LANGUAGE_OF_SCRIPT, fold_yo, script_of  # noqa: F401  (this stage's callers' names)
from .stopwords import ENGLISH, RUSSIAN

CACHE_SIZE = 500_000
CLOSED_CLASSES = frozenset({"PREP", "CONJ", "NPRO"})  # pymorphy3's parts of speech that are function words
UNKNOWN_LEMMAS = 3
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


@lru_cache(maxsize=CACHE_SIZE)
def parses_of(word: str) -> list:
    """pymorphy3's readings of a word, likeliest first; none for a word it cannot read (it looks up the Unicode
    name of every letter, and Tangut or unassigned code points have none: it raises ValueError).

    >>> parses_of("\U00017000ѐ"), parses_of("стали")[0].normal_form
    ([], 'стать')
    """
    try:
        return morph_analyzer().parse(word)
    except ValueError:
        return []


def russian_lemmas(word: str) -> tuple[str, ...]:
    """Every distinct dictionary lemma of a lower-case Russian word; pymorphy3's best guess for unknown words.

    >>> russian_lemmas("стали")
    ('стать', 'сталь')
    >>> russian_lemmas("макеем")
    ('макей',)
    """
    readings = dictionary_readings(word)
    if readings is not None:
        return tuple(dict.fromkeys(fold_yo(form) for form, _tag in readings))
    parses = parses_of(word)
    if not parses:  # a word pymorphy3 cannot read is its own term
        return (fold_yo(word),)
    known = [p for p in parses if p.is_known]
    # An unknown word (a surname, a place) gets its few likeliest predicted lemmas: the prediction can differ
    # between forms of one name (Турчинов -> турчин, Турчинова -> турчиновый), the sets still meet.
    if known:
        lemmas = list(dict.fromkeys(fold_yo(p.normal_form) for p in known))
    else:
        lemmas = list(dict.fromkeys(fold_yo(p.normal_form) for p in parses[:5]))[:UNKNOWN_LEMMAS]
    return tuple(lemmas) or (fold_yo(word),)


def dictionary_readings(word: str) -> list[tuple[str, Any]] | None:  # (form, pymorphy3's OpencorporaTag)
    """The (normal form, tag) readings of a lower-case word the dictionary knows, in the order of pymorphy3's
    `parse` (by P(tag | word), most probable first, ties as the dictionary lists them); None for a word it does
    not know, and for a single letter (which pymorphy3 may also read as an initial): ask `parses_of`.

    What `parse` does for such a word, without the readings' objects, the other analyzers' checks, or asking
    the dictionary again whether each reading is known: a cold word's lemmas in 21 us instead of 38 (tests hold
    the lemmas and the likeliest tag equal to those `parses_of` gives, and so they were for every word of the
    test collections)."""
    if len(word) < 2:
        return None
    morph = morph_analyzer()
    dictionary = morph.dictionary
    try:
        found = dictionary.words.similar_items(word, morph.char_substitutes)
    except (ValueError, UnicodeError):
        return None
    if not found:
        return None
    forms, tags = [], []
    for fixed_word, entries in found:
        for para_id, idx in entries:
            forms.append(dictionary.build_normal_form(para_id, idx, fixed_word))
            tags.append(dictionary.build_tag_info(para_id, idx))
    readings = list(zip(forms, tags, strict=True))
    if morph.prob_estimator is not None and len(readings) > 1:
        probability = morph.prob_estimator.p_t_given_w.prob
        odds = [probability(word, tag) for tag in tags]
        if sum(odds):
            readings = [readings[i] for i in sorted(range(len(readings)), key=odds.__getitem__, reverse=True)]
    return readings


@lru_cache(maxsize=CACHE_SIZE)
def english_stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a lower-case English word.

    >>> english_stem("improvement"), english_stem("improve")
    ('improv', 'improv')
    """
    return _english_stemmer().stemWord(word.replace("’", "'"))


def _closed_class(word: str) -> bool:
    """Whether the dictionary's likeliest reading of a Russian word is a preposition, a conjunction, a pronoun
    or a pronominal adjective (против, среди, однако, никто, каждый): the function words that the OpenCorpora
    dictionary under pymorphy3 tags, as English's list holds against, among and nobody. (Not its particles: they
    include name particles, «Ле Пен», «аль-Асад», and words like «правда» and «максимум».)

    >>> [_closed_class(w) for w in ("против", "однако", "никто", "каждый", "санкции", "правда")]
    [True, True, True, True, False, False]
    """
    readings = dictionary_readings(word)
    if not readings:
        return False
    tag = readings[0][1]
    return tag.POS in CLOSED_CLASSES or "Apro" in tag.grammemes


def is_stop_word(word: str, script: str) -> bool:
    """Whether a lower-case word (with ё folded) is a function word of its language."""
    return word_terms(word, script)[1]


def is_code(word: str) -> bool:
    """Whether a word is a code or a name with a sign, searched as written (one term, never lemmatized or
    stemmed): letters then digits joined by a hyphen, words joined by &, a word with a + after it. (A number
    with a unit, 24-yard, or a range, 1990-91, is not one.)

    >>> [is_code(w) for w in ("С-400", "F-16", "COVID-19", "S&P", "ОПЕК+", "по-русски", "G20", "24-yard")]
    [True, True, True, True, True, False, False, False]
    """
    if "&" in word or word.endswith("+"):
        return True
    return "-" in word and word[:1].isalpha() and any(ch.isdigit() for ch in word)


@lru_cache(maxsize=CACHE_SIZE)
def analyze_word(word: str) -> tuple[tuple[str, ...], str, bool]:
    """A word as written -> (index terms, script, is a function word): lower-cased, ё folded, then lemmatized
    (Cyrillic) or stemmed (Latin). One cached call per distinct word form, the hot path of indexing.

    >>> analyze_word("Переговоров"), analyze_word("The")
    ((('переговоры',), 'cyrl', False), (('the',), 'latn', True))
    >>> analyze_word("С-400")
    (('с-400',), 'cyrl', False)
    """
    folded = fold_yo(word.lower())
    if folded != word:  # Встреча opening a sentence is встреча: analyzed once, under its lower-case form
        return analyze_word(folded)
    script = script_of(word)
    if is_code(word):
        # An English code keeps its letters and digits; Snowball only takes off an 's or a plural (V&A's: v&a).
        return (english_stem(word) if script == "latn" else word,), script, False
    terms, stop = word_terms(word, script)
    return terms, script, stop


def word_terms(word: str, script: str) -> tuple[tuple[str, ...], bool]:
    """A lower-case word's index terms and whether it is a function word."""
    if script == "cyrl":
        lemmas = russian_lemmas(word)
        # The most probable lemma decides: "том" is mostly "тот", while "стали" is not a function word.
        return lemmas, word in RUSSIAN or lemmas[0] in RUSSIAN or _closed_class(word)
    if script == "latn":
        return (english_stem(word),), word in ENGLISH
    return (word,), False
