"""The analyzers and postings formats Whoosh keeps in an index's schema, over the analysis stage's functions.

    BilingualTokenizer  `iter_words` as Whoosh tokens, with positions and character offsets
    MorphologyFilter    each word replaced by its index terms at its position (`analyze_word`), the token tagged
                        with its `script` and whether it is a `stop` word
    BilingualPositions, BilingualFrequency, NameKeyFrequency
                        postings formats filled from the analysis functions directly (indexing is the hot path)

Whoosh pickles these into the schema, so they hold no state (the heavy resources live behind cached functions
in `search.analysis.morphology`) and keep their import paths: moving one is a new index format
(`search.store.schema.FORMAT_VERSION`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.formats import Existence, Frequency, Positions
from whoosh.system import pack_uint

from ..analysis.analyzer import indexed_term_positions, iter_words
from ..analysis.morphology import analyze_word
from ..analysis.names import text_name_keys


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
    are kept by document in the forward index (`search.store.forward`). A block of postings read for scoring then
    holds no pickled positions to load, and writing one encodes none."""

    def word_values(self, value, analyzer, **kwargs):
        boost = self.field_boost
        for term, positions in indexed_term_positions(value).items():
            yield term, len(positions), len(positions) * boost, b""

    def postings_of(self, value: str) -> tuple[list[str], list[int], None]:
        """The terms and frequencies `word_values` yields, as lists (for `TermPoolWriter`)."""
        found = indexed_term_positions(value)
        return list(found), list(map(len, found.values())), None


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



class NameKeyTokenizer(StatelessTokenizer):
    """The name keys of a text as tokens: the analyzer of the index's `names` field."""

    def words(self, value: str) -> Iterator[str]:
        for key, count in text_name_keys(value).items():
            yield from [key] * count


class NameKeyFrequency(Frequency):
    """Whoosh's Frequency postings format, filled from `text_name_keys` directly (indexing is the hot path)."""

    def word_values(self, value, analyzer, **kwargs):
        boost = self.field_boost
        for key, count in text_name_keys(value).items():
            yield key, count, count * boost, pack_uint(count)

    def postings_of(self, value: str) -> tuple[list[str], list[int], list[bytes]]:
        """The keys, counts and encoded counts `word_values` yields, as lists (for `TermPoolWriter`)."""
        counts = text_name_keys(value)
        return list(counts), list(counts.values()), list(map(pack_uint, counts.values()))
