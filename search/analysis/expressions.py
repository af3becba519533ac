"""Fixed expressions: words that, inside them, do not carry their own sense, as plain data.

«в том числе» is not about a number, «по словам» not about words, "took place" not about a place and "a great deal"
not about a deal. A word found only through a translation (`number` searched in Russian finds «число») does not
count where it stands in one of these (`search.store.positions.outside_expressions`). Each expression is written
as text, the word that loses its sense in brackets; `|` separates the forms a word may take.
"""

from __future__ import annotations

from functools import lru_cache

from .morphology import analyze_word

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

Expression = tuple[tuple[tuple[str, ...], ...], int]  # each word's terms (any of them), the bracketed word's index


def expressions_of(term: str) -> tuple[Expression, ...]:
    """The fixed expressions in which a word with this index term loses its sense.

    >>> [marked for _words, marked in expressions_of("число")]
    [2]
    >>> expressions_of("нефть")
    ()
    """
    return _by_term().get(term, ())


@lru_cache(maxsize=1)
def _by_term() -> dict[str, tuple[Expression, ...]]:
    found: dict[str, list[Expression]] = {}
    for text in (*RUSSIAN, *ENGLISH):
        words, marked = [], -1
        for i, written in enumerate(text.split()):
            if written.startswith("["):
                marked, written = i, written.strip("[]")
            words.append(tuple(dict.fromkeys(t for form in written.split("|") for t in analyze_word(form)[0])))
        for term in words[marked]:
            found.setdefault(term, []).append((tuple(words), marked))
    return {term: tuple(dict.fromkeys(expressions)) for term, expressions in found.items()}
