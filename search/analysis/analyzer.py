"""The one analysis used for indexing and querying: text -> positioned index terms.

`iter_words` splits words (inner hyphens and apostrophes kept) with positions and offsets, and adds the parts of
a hyphenated word at the word's own position; `analyze_word` (`search.analysis.morphology`) lower-cases and
folds ё, then routes by script: Cyrillic -> every pymorphy3 lemma, Latin -> Snowball stem, all at the word's
position, with the word's script and whether it is a function word (function words stay in the index so
phrases still match). The store wraps these in the analyzer Whoosh keeps in its schema
(`search.store.analyzers`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..language import WORD_PATTERN
from .expressions import inside_expressions
from .morphology import CACHE_SIZE, analyze_word, fold_yo, is_code

HYPHEN_PART = re.compile(r"\w+")
_APOSTROPHES = re.compile(r"['’‘]\w+")


def iter_words(text: str) -> Iterator[tuple[int, int, int, str, bool]]:
    """(position, start, end, word, is a part) for each word; a hyphenated word's parts share its position. The
    parts of a code (С-400, Ту-154, COVID-19, S&P) are only those that could stand for it (see `word_parts`).

    >>> list(iter_words("по-русски"))
    [(0, 0, 9, 'по-русски', False), (0, 0, 2, 'по', True), (0, 3, 9, 'русски', True)]
    >>> [w[3] for w in iter_words("Ту-154 F-16 COVID-19 ОПЕК+")]
    ['Ту-154', 'F-16', 'COVID-19', 'COVID', '19', 'ОПЕК+']
    """
    for pos, match in enumerate(WORD_PATTERN.finditer(text)):
        word, start = match.group(), match.start()
        yield pos, start, match.end(), word, False
        for part_start, part_end, part in word_parts(word):
            yield pos, start + part_start, start + part_end, part, True


def word_parts(word: str) -> list[tuple[int, int, str]]:
    """(start, end, part) of the parts a joined word is also found by (all of them together): every part of a
    hyphenated word; the parts of a code that are not a single letter or a function word (Ту of Ту-154 is «тот»
    to the dictionary), when two are left (COVID-19: covid and 19; F-16 only whole).

    >>> word_parts("по-русски"), word_parts("С-400"), word_parts("COVID-19")
    ([(0, 2, 'по'), (3, 9, 'русски')], [], [(0, 5, 'COVID'), (6, 8, '19')])
    """
    if "-" not in word and "&" not in word:
        return []
    parts = [(part.start(), part.end(), part.group()) for part in HYPHEN_PART.finditer(word)]
    if not is_code(word):
        return parts
    kept = [p for p in parts if p[2].isdigit() or (len(p[2]) > 1 and not analyze_word(p[2])[2])]
    return kept if len(kept) > 1 else []


def term_positions(text: str) -> dict[str, list[int]]:
    """Each index term of a text with its positions: what the analyzer yields, without a Token per word.

    >>> term_positions("Стали сталью")
    {'стать': [0], 'сталь': [0, 1]}
    """
    # iter_words' words and parts, without their offsets: this runs for every word indexed. Each distinct word is
    # analyzed once, with all its positions: a term that several words give (a lemma of many forms) is sorted.
    return _term_positions(WORD_PATTERN.findall(text))[0]


def _term_positions(words: list[str]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """`term_positions` of a text's words (in order), and each distinct word as written with its positions."""
    occurrences: dict[str, list[int]] = {}
    for pos, word in enumerate(words):
        where = occurrences.get(word)
        if where is None:
            occurrences[word] = [pos]
        else:
            where.append(pos)
    positions: dict[str, list[int]] = {}
    merged = []
    terms_of = _TERMS_OF_WORD.get
    for word, where in occurrences.items():
        terms = terms_of(word)
        if terms is None:
            terms = _remember_terms(word)
        for term in terms:
            held = positions.get(term)
            if held is None:
                positions[term] = where  # shared by the word's terms: never changed in place
            else:
                positions[term] = held + where
                merged.append(term)
    for term in merged:
        positions[term].sort()
    return positions, occurrences


# A word as written -> its index terms and its parts' (see `word_parts`): read for every distinct word of every
# text indexed, where a plain dict's read is cheaper than a call of the LRU cache behind it (term_positions 7% less
# time on RT, 22% on Reuters). Emptied when full, so that its memory stays bounded.
_TERMS_OF_WORD: dict[str, tuple[str, ...]] = {}


def _remember_terms(word: str) -> tuple[str, ...]:
    terms = analyze_word(word)[0]
    if "-" in word or "&" in word:
        terms = (*terms, *(term for _start, _end, part in word_parts(word) for term in analyze_word(part)[0]))
    if len(_TERMS_OF_WORD) >= CACHE_SIZE:
        _TERMS_OF_WORD.clear()
    _TERMS_OF_WORD[word] = terms
    return terms


_last_indexed: tuple[str | None, dict[str, list[int]]] = (None, {})


def indexed_term_positions(text: str) -> dict[str, list[int]]:
    """What the index holds for a text: `term_positions`, and where a word stands inside a fixed expression, its
    terms marked (`search.analysis.expressions.inside_expressions`: «числе» in «в том числе» is also ~число).
    Computed once when a writer asks twice in a row for the same text object: the text field's postings and then
    its column (see `search.store.forward`) come from one analysis."""
    global _last_indexed
    last = _last_indexed  # one read: another thread's text replaces it whole, and then is not ours
    if last[0] is text:
        return last[1]
    words = WORD_PATTERN.findall(text)
    found, occurrences = _term_positions(words)
    found.update(inside_expressions(words, occurrences))
    _last_indexed = (text, found)
    return found


MIN_FORM_CHARS = 2
MAX_FORM_CHARS = 40


def word_forms(text: str) -> set[str]:
    """The distinct word forms of a text as the vocabulary keeps them: lower-case, ё folded, no numbers.

    >>> sorted(word_forms("Лавров и Лаврова: 2021, ёлка"))
    ['елка', 'лавров', 'лаврова']
    """
    # Lower-case and fold the text once, then keep each distinct form: this runs for every document indexed.
    forms = set(WORD_PATTERN.findall(fold_yo(text.lower())))
    return {f for f in forms if MIN_FORM_CHARS <= len(f) <= MAX_FORM_CHARS and not f.isdigit()}


@dataclass(frozen=True)
class AnalyzedWord:
    """One word of a text with the terms it is indexed under."""

    text: str
    pos: int
    start: int
    end: int
    terms: tuple[str, ...]
    script: str
    stop: bool
    part: bool


def analyze_words(text: str) -> list[AnalyzedWord]:
    """Every word of a text (hyphen parts included) with offsets, position and index terms."""
    words = []
    for pos, start, end, word, part in iter_words(text):
        terms, script, stop = analyze_word(word)
        words.append(AnalyzedWord(word, pos, start, end, terms, script, stop, part))
    return words


def analyze(text: str) -> list[str]:
    """The index terms of a text, in order: what the index stores and what a query looks up.

    >>> analyze("Лавров встретился с Макеем; NATO’s improvement")
    ['лавров', 'лавр', 'встретиться', 'с', 'макей', 'nato', 'improv']
    """
    return [term for _, _, _, word, _ in iter_words(text) for term in analyze_word(word)[0]]
