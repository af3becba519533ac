"""Snippets: the one or two passages of a text that hold the most distinct query words, as HTML with <mark>.

A hit's passages are chosen from the word positions its postings already hold (`snippet_at`, with the passage
table stored at indexing): only the passages shown are read and marked, however long the document. A text
without a table (or matched only through a name key or a `word*` prefix, which have no positions) is scanned
whole (`snippet`, `snippet_of`).
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet

import numpy as np

from ..analysis.passages import SCAN_CHARS, PassageTable, split_passages
from .highlight import find_matches, mark

SNIPPET_CHARS = 320
FALLBACK_CHARS = 200
MIN_SECOND_PASSAGE = 40  # characters left in the budget for a second passage to be worth adding
_SPACES = re.compile(r"\s+")

Match = tuple[int, int, str]


def snippet(text: str, terms: AbstractSet[str], prefixes: AbstractSet[str] = frozenset(),
            names: AbstractSet[str] = frozenset(),
            max_chars: int = SNIPPET_CHARS) -> str:
    """The best passages of a text, found by reading it whole.

    >>> snippet("Nothing here. Lavrov met Makei in Minsk. More text.", {"lavrov", "makei"})
    '<mark>Lavrov</mark> met <mark>Makei</mark> in Minsk.'
    """
    text = text[:SCAN_CHARS]
    return snippet_of(text, find_matches(text, terms, prefixes, names), max_chars)


def snippet_of(text: str, matches: list[Match], max_chars: int = SNIPPET_CHARS) -> str:
    """`snippet` for matches already found in the text (by `find_matches`)."""
    spans = split_passages(text)
    found: dict[int, tuple[set[str], int]] = {}
    starts = np.array([start for start, _ in spans], dtype=np.int64)
    for start, end, term in matches:
        index = int(np.searchsorted(starts, start, side="right")) - 1
        if index >= 0 and end <= spans[index][1]:
            distinct, count = found.get(index, (set(), 0))
            found[index] = (distinct | {term}, count + 1)
    if not found:
        return opening(text)
    chosen = _choose(found, spans, max_chars)
    return _pieces(text, [(spans[i], [m for m in matches if spans[i][0] <= m[0] and m[1] <= spans[i][1]])
                          for i in chosen], max_chars)


def snippet_at(text: str, table: PassageTable, located: dict[int, np.ndarray], terms: AbstractSet[str],
               prefixes: AbstractSet[str] = frozenset(), names: AbstractSet[str] = frozenset(),
               max_chars: int = SNIPPET_CHARS) -> str | None:
    """The best passages, chosen by where the query's words stand (`located`: each word's positions in the
    text, by the word's index), then marked with `terms`, `prefixes`, `names` as `find_matches` marks; None
    when no word stands in a passage."""
    found = _words_by_passage(table, located)
    if not found:
        return None
    spans = table.spans()
    chosen = _choose(found, spans, max_chars)
    return _pieces(text, [(spans[i], _shifted(find_matches(text[spans[i][0]:spans[i][1]], terms, prefixes, names),
                                              spans[i][0])) for i in chosen], max_chars)


def _words_by_passage(table: PassageTable, located: dict[int, np.ndarray]) -> dict[int, tuple[set, int]]:
    """Each passage where query words stand: (the words, by index, and how many times they stand there)."""
    if not located:
        return {}
    words = list(located)
    positions = np.concatenate([located[word] for word in words])
    labels = np.repeat(np.arange(len(words)), [len(located[word]) for word in words])
    passages = table.locate(positions)
    kept = passages >= 0
    passages, labels = passages[kept], labels[kept]
    totals = np.bincount(passages)
    found: dict[int, tuple[set, int]] = {}
    for pair in np.unique(passages * len(words) + labels).tolist():
        index, word = divmod(pair, len(words))
        if index not in found:
            found[index] = (set(), int(totals[index]))
        found[index][0].add(words[word])
    return found


def opening(text: str) -> str:
    """The text's first FALLBACK_CHARS (at a word boundary), for a hit whose text has no match to show."""
    start, end, _, cut = _window(text, 0, len(text), 0, FALLBACK_CHARS)
    return _one_line(mark(text, [], start, end) + ("…" if cut else ""))


def _choose(found: dict[int, tuple[set, int]], spans: list[tuple[int, int]], max_chars: int) -> list[int]:
    """The passage with the most distinct query words (then the most matches, then the earliest), and a second
    one when it brings a word the first lacks and fits in what is left of `max_chars`."""
    ranked = sorted(found, key=lambda i: (len(found[i][0]), found[i][1], -i), reverse=True)
    best = ranked[0]
    chosen = [best]
    budget = max_chars - (spans[best][1] - spans[best][0])
    for index in ranked[1:]:
        if budget <= MIN_SECOND_PASSAGE:
            break
        if found[index][0] - found[best][0] and spans[index][1] - spans[index][0] <= budget:
            chosen.append(index)
            break
    return sorted(chosen)


def _pieces(text: str, passages: list[tuple[tuple[int, int], list[Match]]], max_chars: int) -> str:
    """The passages (each with its matches) as one line of HTML, each cut around its first match to its share
    of `max_chars`, "…" wherever text is left out."""
    pieces = []
    limit = max_chars // len(passages)
    for (start, end), matches in passages:
        w_start, w_end, cut_left, cut_right = _window(text, start, end, matches[0][0] if matches else start, limit)
        pieces.append(("…" if cut_left else "") + mark(text, matches, w_start, w_end) + ("…" if cut_right else ""))
    html = pieces[0]
    for piece in pieces[1:]:
        html += (" " if html.endswith("…") or piece.startswith("…") else " … ") + piece
    return _one_line(html)


def _shifted(matches: list[Match], offset: int) -> list[Match]:
    return [(start + offset, end + offset, term) for start, end, term in matches]


def _window(text: str, start: int, end: int, around: int, limit: int) -> tuple[int, int, bool, bool]:
    """Cut a passage longer than `limit` to a window around offset `around`, at word boundaries."""
    if end - start <= limit:
        return start, end, False, False
    w_start = max(start, around - limit // 3)
    w_end = min(end, w_start + limit)
    w_start = max(start, w_end - limit)
    if w_start > start:
        space = text.find(" ", w_start)
        w_start = space + 1 if 0 <= space < around else w_start
    if w_end < end:
        space = text.rfind(" ", w_start, w_end)
        w_end = space if space > around else w_end
    return w_start, w_end, w_start > start, w_end < end


def _one_line(html: str) -> str:
    return _SPACES.sub(" ", html).strip()
