"""Fixed expressions: words that, inside them, do not carry their own sense, as plain data.

«в том числе» is not about a number, «по словам» not about words, "took place" not about a place and "a great deal"
not about a deal. The index marks where a word stands inside one (`inside_expressions`: «числе» in «в том числе»
is also indexed as ~число), and a word found only through a translation (`number` searched in Russian finds
«число») does not count there (`search.store.positions.outside_expressions`): a postings read, no position
check at query time. Each expression is written as text, with the forms its words take in it, the word that
loses its sense in brackets; `|` separates a word's forms.
"""

from __future__ import annotations

from functools import lru_cache

from .morphology import analyze_word, fold_yo

RUSSIAN = (
    "на самом [деле]", "на [деле]", "[дело] в том", "иностранных [дел]", "в том [числе]", "в [случае]",
    "в любом [случае]", "в этом [случае]", "в таком [случае]", "в противном [случае]", "любой [ценой]",
    "в первую [очередь]", "в свою [очередь]", "в [целом]", "в [частности]", "в конце [концов]",
    "по крайней [мере]", "по [мере]", "к [сожалению]", "на [днях]", "в [виде]", "в [виду]", "в [связи] с|со",
    "в [ходе]", "в [рамках]", "в [течение]", "в [качестве]", "в [адрес]", "в [пользу]",
    "по [словам]", "с [точки] зрения", "за [счет]", "в конечном [счете]", "в [лице]", "на [фоне]",
    "во [время]", "в то же [время]", "в последнее [время]", "тем [временем]",
)

ENGLISH = (
    "a great [deal]", "a good [deal]", "in [fact]", "of [course]", "take|takes|took|taken|taking [place]",
    "in [order] to", "in [order] that", "as [well]", "in [terms] of", "in [case]", "in any [case]",
    "in that [case]", "in [charge]", "in [line] with", "at the same [time]", "for the [time] being",
    "on [behalf] of", "in [spite] of", "by the [way]", "at [least]", "at [most]", "at [first]",
    "in [favour|favor] of", "as a [matter] of", "no [matter]", "in the [wake] of", "on the other [hand]",
)

MARK = "~"  # before a term: the term's word where it stands inside a fixed expression (~число)


def marked(term: str) -> str:
    """The index term that holds where a word with this term stands inside a fixed expression.

    >>> marked("число")
    '~число'
    """
    return MARK + term


def inside_expressions(words: list[str], occurrences: dict[str, list[int]]) -> dict[str, list[int]]:
    """For a text's words (in order) and each distinct word's positions, the marked terms (`marked`) of the
    words that stand inside a fixed expression, with those positions.

    >>> words = "Все, в том числе министры, по словам Лаврова, пришли. Число гостей".split()
    >>> occurrences = {}
    >>> for i, w in enumerate(words):
    ...     occurrences.setdefault(w, []).append(i)
    >>> sorted(inside_expressions(words, occurrences).items())
    [('~слово', [6]), ('~число', [3])]
    """
    by_form = _by_form()
    found: dict[str, list[int]] = {}
    for written in sorted(by_form.keys() & occurrences.keys()):  # sorted: the same index bytes every build
        for position in occurrences[written]:
            for expression, at, terms in by_form[written]:
                first = position - at
                if first < 0 or first + len(expression) > len(words):
                    continue
                if all(_folded(words[first + k]) in forms for k, forms in enumerate(expression) if k != at):
                    for term in terms:
                        found.setdefault(marked(term), []).append(position)
                    break
    for positions in found.values():
        positions.sort()
    return found


def _folded(word: str) -> str:
    return fold_yo(word.lower())


@lru_cache(maxsize=1)
def _by_form() -> dict[str, list[tuple[tuple[frozenset[str], ...], int, tuple[str, ...]]]]:
    """Each form a bracketed word is written in (and capitalized, opening a sentence) -> the expressions it is
    bracketed in: each word's forms, the bracketed word's place, and its index terms."""
    found: dict[str, list] = {}
    for text in (*RUSSIAN, *ENGLISH):
        words, at = [], -1
        for i, written in enumerate(text.split()):
            if written.startswith("["):
                at, written = i, written.strip("[]")
            words.append(frozenset(_folded(form) for form in written.split("|")))
        for form in words[at]:
            entry = (tuple(words), at, analyze_word(form)[0])
            for spelling in (form, form.capitalize(), form.upper()):
                found.setdefault(spelling, []).append(entry)
    return found
