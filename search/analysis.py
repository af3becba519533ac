"""The one analyzer used for indexing and querying: text -> positioned index terms.

    BilingualTokenizer  splits words (inner hyphens and apostrophes kept) with positions and offsets, and adds
                        the parts of a hyphenated word at the word's own position
    MorphologyFilter    lower-cases and folds ё, then routes by script: Cyrillic -> every pymorphy3 lemma,
                        Latin -> Snowball stem, all at the word's position; tags the token with its `script`
                        and marks function words as `stop` (they stay in the index so phrases still match)

Whoosh pickles this analyzer into the index schema, so the classes here hold no state: the heavy resources
live behind cached functions in `search.morphology`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.formats import Existence, Positions

from .morphology import CACHE_SIZE, analyze_word, fold_yo, is_code

# A word: letters and digits, with inner hyphens, apostrophes and ampersands (S&P), and a + right after it
# (ОПЕК+; not the first + of C++ or 2+2).
WORD_PATTERN = re.compile(r"\w+(?:[-'’‘&]\w+)*(?:\+(?![\w+]))?")
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
        for pos, start, end, word, part in iter_words(value):
            yield self._set(token, word, start_pos + pos, start_char + start, start_char + end, part, keeporiginal)

    @staticmethod
    def _set(token: Token, text: str, pos: int, start: int, end: int, part: bool, keeporiginal: bool) -> Token:
        token.text = text
        token.pos = pos
        token.startchar = start
        token.endchar = end
        token.part = part
        token.boost = 1.0
        token.stopped = False
        if keeporiginal:
            token.original = text
        return token


class MorphologyFilter(Filter):
    """Replace each word by its index terms at the same position: Russian lemmas or an English stem.

    Lower-cases and folds ё on the way (one cached call per word form is the hot path of indexing), and
    leaves the facts on the token: `script` ('cyrl', 'latn', 'other') and `stop` (a function word).

    >>> [t.text for t in MorphologyFilter()(BilingualTokenizer()("Стали"))]
    ['стать', 'сталь']
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            terms, token.script, token.stop = analyze_word(token.text)
            for term in terms:
                token.text = term
                yield token


def term_positions(text: str) -> dict[str, list[int]]:
    """Each index term of a text with its positions: what the analyzer yields, without a Token per word.

    >>> term_positions("Стали сталью")
    {'стать': [0], 'сталь': [0, 1]}
    """
    # iter_words' words and parts, without their offsets: this runs for every word indexed. Each distinct word is
    # analyzed once, with all its positions: a term that several words give (a lemma of many forms) is sorted.
    occurrences: dict[str, list[int]] = {}
    for pos, word in enumerate(WORD_PATTERN.findall(text)):
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
    return positions


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
    """`term_positions` of a text, computed once when a writer asks twice in a row for the same text object:
    the text field's postings and then its column (see `search.forward`) come from one analysis."""
    global _last_indexed
    last = _last_indexed  # one read: another thread's text replaces it whole, and then is not ours
    if last[0] is text:
        return last[1]
    found = term_positions(text)
    _last_indexed = (text, found)
    return found


class BilingualPositions(Positions):
    """Whoosh's Positions postings format, filled by `term_positions` instead of a Token stream.

    Indexing is the hot path: this skips a generator and a Token update per word, for the same terms and
    positions the analyzer gives (a test holds the two to that).
    """

    def word_values(self, value, analyzer, **kwargs):
        boost = self.field_boost
        for term, positions in indexed_term_positions(value).items():
            yield term, len(positions), len(positions) * boost, self.encode(positions)

    def postings_of(self, value: str) -> tuple[list[str], list[int], list[bytes]]:
        """The terms, frequencies and encoded positions `word_values` yields, as lists (for `TermPoolWriter`)."""
        found = indexed_term_positions(value)
        return list(found), list(map(len, found.values())), list(map(self.encode, found.values()))


class BilingualFrequency(Existence):
    """Postings with each term's frequency (as its weight) and nothing else: the text field's, whose positions
    are kept by document in the forward index (`search.forward`). A block of postings read for scoring then
    holds no pickled positions to load, and writing one encodes none."""

    def word_values(self, value, analyzer, **kwargs):
        boost = self.field_boost
        for term, positions in indexed_term_positions(value).items():
            yield term, len(positions), len(positions) * boost, b""

    def postings_of(self, value: str) -> tuple[list[str], list[int], None]:
        """The terms and frequencies `word_values` yields, as lists (for `TermPoolWriter`)."""
        found = indexed_term_positions(value)
        return list(found), list(map(len, found.values())), None


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


class StatelessTokenizer(Tokenizer):
    """A tokenizer that holds nothing and yields plain tokens of `words(value)`: the analyzer of a field filled
    by a function (Whoosh pickles it into the schema and compares it by class)."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def words(self, value: str) -> Iterable[str]:
        raise NotImplementedError

    def __call__(self, value: str, **kwargs) -> Iterator[Token]:
        token = Token(**kwargs)
        for text in self.words(value):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            yield token


def bilingual_analyzer():
    """The analyzer every text field uses, for indexing and for queries alike."""
    return BilingualTokenizer() | MorphologyFilter()


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
    return [token.text for token in _ANALYZER(text)]
