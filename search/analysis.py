"""The one analyzer used for indexing and querying: text -> positioned index terms.

    BilingualTokenizer  splits words (inner hyphens and apostrophes kept), tags each with its script, and adds
                        the parts of a hyphenated word at the word's own position
    LowercaseFilter     (Whoosh's own)
    YoFilter            folds ё to е
    MorphologyFilter    Cyrillic -> every pymorphy3 lemma, Latin -> Snowball stem, all at the same position;
                        marks function words as `stop` (they stay in the index so phrases still match)

Whoosh pickles this analyzer into the index schema, so the classes here hold no state: the heavy resources
live behind cached functions in `search.morphology`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from whoosh.analysis import Filter, LowercaseFilter, Token, Tokenizer

from .morphology import english_stem, fold_yo, is_stop_word, russian_lemmas

WORD_PATTERN = re.compile(r"\w+(?:[-'’‘]\w+)*")
_HYPHEN_PART = re.compile(r"\w+")
_APOSTROPHES = re.compile(r"['’‘]\w+")


def script_of(word: str) -> str:
    """'cyrl', 'latn' or 'other' (digits and other scripts), by the majority of the word's letters.

    >>> script_of("НАТО"), script_of("Reuters"), script_of("2021")
    ('cyrl', 'latn', 'other')
    """
    cyrillic = latin = 0
    for ch in word:
        if "\u0400" <= ch <= "\u04ff":
            cyrillic += 1
        elif ch.isascii() and ch.isalpha():
            latin += 1
    if not cyrillic and not latin:
        return "other"
    return "cyrl" if cyrillic >= latin else "latn"


class BilingualTokenizer(Tokenizer):
    """Split text into words with positions and character offsets; hyphenated words also yield their parts.

    >>> [(t.text, t.pos, t.part) for t in BilingualTokenizer()("по-русски", positions=True)]
    [('по-русски', 0, False), ('по', 0, True), ('русски', 0, True)]
    """

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for match in WORD_PATTERN.finditer(value):
            word = match.group()
            start = match.start()
            yield self._set(token, word, pos, start_char + start, start_char + match.end(), False, keeporiginal)
            if "-" in word:
                for part in _HYPHEN_PART.finditer(word):
                    yield self._set(token, part.group(), pos, start_char + start + part.start(),
                                    start_char + start + part.end(), True, keeporiginal)
            pos += 1

    @staticmethod
    def _set(token: Token, text: str, pos: int, start: int, end: int, part: bool, keeporiginal: bool) -> Token:
        token.text = text
        token.pos = pos
        token.startchar = start
        token.endchar = end
        token.part = part
        token.script = script_of(text)
        token.stop = False
        token.boost = 1.0
        token.stopped = False
        if keeporiginal:
            token.original = text
        return token


class YoFilter(Filter):
    """Fold ё to е, so that «ещё» and «еще» are one word.

    >>> [t.text for t in YoFilter()(BilingualTokenizer()("ещё"))]
    ['еще']
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = fold_yo(token.text)
            yield token


class MorphologyFilter(Filter):
    """Replace each word by its index terms at the same position: Russian lemmas or an English stem.

    >>> [t.text for t in MorphologyFilter()(BilingualTokenizer()("стали"))]
    ['стать', 'сталь']
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            word, script = token.text, token.script
            token.stop = is_stop_word(word, script)
            if script == "cyrl":
                for lemma in russian_lemmas(word):
                    token.text = lemma
                    yield token
            elif script == "latn":
                token.text = english_stem(word)
                yield token
            else:
                yield token


def bilingual_analyzer():
    """The analyzer every text field uses, for indexing and for queries alike."""
    return BilingualTokenizer() | LowercaseFilter() | YoFilter() | MorphologyFilter()


_ANALYZER = bilingual_analyzer()


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
    words: list[AnalyzedWord] = []
    current: tuple | None = None
    terms: list[str] = []
    script, stop = "other", False
    for token in _ANALYZER(text, positions=True, chars=True):
        key = (token.pos, token.startchar, token.endchar, token.part)
        if key != current:
            if current is not None:
                words.append(_word(text, current, terms, script, stop))
            current, terms = key, []
        terms.append(token.text)
        script, stop = token.script, token.stop
    if current is not None:
        words.append(_word(text, current, terms, script, stop))
    return words


def _word(text: str, key: tuple, terms: list[str], script: str, stop: bool) -> AnalyzedWord:
    pos, start, end, part = key
    return AnalyzedWord(text[start:end], pos, start, end, tuple(dict.fromkeys(terms)), script, stop, part)


def analyze(text: str) -> list[str]:
    """The index terms of a text, in order: what the index stores and what a query looks up.

    >>> analyze("Лавров встретился с Макеем; NATO’s improvement")
    ['лавров', 'лавр', 'встретиться', 'с', 'макей', 'nato', 'improv']
    """
    return [token.text for token in _ANALYZER(text)]
