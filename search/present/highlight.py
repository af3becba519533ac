"""Highlighted text: every word form of a text that a query matches, in <mark> (see `search.present.snippets` for the
best passages of a hit).

The text is re-analyzed with the index's own analyzer, so «переговоров» is marked for the query «переговоры»
and "improvement" for "improve". Everything around the marks is HTML-escaped.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from functools import lru_cache
from html import escape

from ..analysis.analyzer import word_parts
from ..analysis.morphology import analyze_word, fold_yo, parses_of
from ..analysis.names import name_keys, same_name, skeleton
from ..analysis.passages import paragraphs
from ..language import WORD_PATTERN, fold, is_cyrillic

HIGHLIGHT_CHARS = 500_000  # how much of a document its page marks; the rest of a huge text is shown plain
SHORT_TEXT = 2_000  # a text this short is matched word by word; a longer one by its distinct forms
# Where the tokenizer (\w+ joined by inner hyphens and apostrophes) starts and ends a word.
_TOKEN_START = r"(?<!\w)(?<!\w[-'’‘&])"
_TOKEN_END = r"(?!\w)(?![-'’‘&]\w)(?!\+(?![\w+]))"


class WordMatcher:
    """Which words a query matches, remembering each word form it has judged (texts repeat their words)."""

    MEMO_LIMIT = 20_000  # word forms judged per query (32 queries' matchers are kept)

    def __init__(self, terms: frozenset[str], prefixes: frozenset[str], names: frozenset[str] = frozenset()) -> None:
        self.terms = terms
        self.prefixes = prefixes
        self.names = names
        self.name_starts = frozenset(key[0] for key in names)
        self.memo: dict[str, str | None] = {}
        # Only words that begin like some form of a query term can match: a cheap filter before analysis.
        self.starts = frozenset().union(*(_form_starts(t) for t in terms), (p[:2] for p in prefixes))

    def could_match(self, word: str) -> bool:
        return ("-" in word or "&" in word or fold(word[:2]) in self.starts
                or bool(self.names) and word[:1].isupper() and skeleton(word)[:1] in self.name_starts)

    def term_of(self, word: str) -> str | None:
        """The query term (or prefix) this word form matches, or None."""
        try:
            return self.memo[word]
        except KeyError:
            pass
        word_terms = analyze_word(word)[0]
        term = None
        if not self.terms.isdisjoint(word_terms):
            term = next(t for t in word_terms if t in self.terms)
        elif self.prefixes:
            folded = fold(word)
            term = next((p for p in self.prefixes
                         if folded.startswith(p) or any(t.startswith(p) for t in word_terms)), None)
        if term is None and self.names and word[:1].isupper():
            # A name written in the other script (Лаврова for Lavrov): matched by its transliteration key.
            term = next((query_key for key in name_keys(word) for query_key in self.names
                         if same_name(query_key, key)), None)
        if len(self.memo) > self.MEMO_LIMIT:
            self.memo.clear()
        self.memo[word] = term
        return term

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, matched term) of every matching word; a hyphenated word whole, or else its parts."""
        if len(text) <= SHORT_TEXT:
            return self._find_each(text, WORD_PATTERN.finditer(text))
        # Judge each distinct word form once, then find the matching ones in the text.
        words = set(WORD_PATTERN.findall(text))
        starts = self.starts  # the cheap filter of could_match, inlined: it runs for every distinct word
        candidates = {w for w in words if fold(w[:2]) in starts or "-" in w or "&" in w}
        if self.names:
            candidates.update(w for w in words - candidates if self.could_match(w))
        judged = {word: self.term_of(word) for word in candidates}
        hyphened = {word for word, term in judged.items() if term is None
                    and any(self.term_of(part) for _, _, part in word_parts(word))}
        found = {word: term for word, term in judged.items() if term is not None}
        if hyphened:
            return self._find_each(text, WORD_PATTERN.finditer(text))
        if not found:
            return []
        pattern = _forms_pattern(frozenset(found))
        return [(m.start(), m.end(), found[m.group()]) for m in pattern.finditer(text)]

    def _find_each(self, text: str, words) -> list[tuple[int, int, str]]:
        """`find` one word at a time: for short texts, and texts with hyphenated words to look inside."""
        matches: list[tuple[int, int, str]] = []
        for match in words:
            word = match.group()
            if not self.could_match(word):
                continue
            term = self.term_of(word)
            if term is not None:
                matches.append((match.start(), match.end(), term))
            else:
                base = match.start()
                for start, end, part in word_parts(word):
                    term = self.term_of(part)
                    if term is not None:
                        matches.append((base + start, base + end, term))
        return matches


@lru_cache(maxsize=4096)
def _forms_pattern(forms: frozenset[str]) -> re.Pattern:
    """The matching forms as one regular expression, bounded as the tokenizer bounds words. Compiling costs
    more than searching a long article, and the hits of one query share their forms: cached."""
    return re.compile(_TOKEN_START + "(?:" + "|".join(
        re.escape(w) for w in sorted(forms, key=len, reverse=True)) + ")" + _TOKEN_END)


@lru_cache(maxsize=50_000)
def _form_starts(term: str) -> frozenset[str]:
    """The first two letters of every form of a term: a Russian lemma's whole paradigm (люди for человек), an
    English stem's own start (Snowball only changes endings)."""
    starts = {term[:2]}
    if is_cyrillic(term):
        for parse in parses_of(term):
            if fold_yo(parse.normal_form) == term:
                starts.update(fold_yo(form.word[:2]) for form in parse.lexeme)
    return frozenset(starts)


@lru_cache(maxsize=32)
def _matcher(terms: frozenset[str], prefixes: frozenset[str], names: frozenset[str]) -> WordMatcher:
    return WordMatcher(terms, prefixes, names)


def find_matches(text: str, terms: AbstractSet[str], prefixes: AbstractSet[str] = frozenset(),
                 names: AbstractSet[str] = frozenset()) -> list[tuple[int, int, str]]:
    """(start, end, what matched: a query term, prefix or name key) of every word in `text` the query matches."""
    return _matcher(frozenset(terms), frozenset(prefixes), frozenset(names)).find(text)


def mark(text: str, matches: list[tuple[int, int, str]], start: int = 0, end: int | None = None) -> str:
    """HTML for text[start:end], escaped, with <mark> around the matches inside it."""
    end = len(text) if end is None else end
    out, cursor = [], start
    for m_start, m_end, _ in matches:
        if m_start < cursor or m_end > end:
            continue
        out.append(escape(text[cursor:m_start], quote=False))
        out.append("<mark>" + escape(text[m_start:m_end], quote=False) + "</mark>")
        cursor = m_end
    out.append(escape(text[cursor:end], quote=False))
    return "".join(out)


def highlight(text: str, terms: AbstractSet[str], prefixes: AbstractSet[str] = frozenset(),
              names: AbstractSet[str] = frozenset()) -> str:
    """The whole text as HTML with every match marked (for titles and document pages).

    >>> highlight("Переговоры <b>о</b> гарантиях", {"гарантия"})
    'Переговоры &lt;b&gt;о&lt;/b&gt; <mark>гарантиях</mark>'
    """
    return mark(text, find_matches(text, terms, prefixes, names))


def highlight_paragraphs(text: str, terms: AbstractSet[str], prefixes: AbstractSet[str] = frozenset(),
                         names: AbstractSet[str] = frozenset()) -> list[str]:
    """The text's paragraphs (see `search.analysis.passages.paragraphs`: a wrapped line joined to the next) as HTML,
    marked within the first HIGHLIGHT_CHARS.

    >>> highlight_paragraphs("Переговоры идут.\\nГарантии <b>безопасности</b>.", {"гарантия"})
    ['Переговоры идут.', '<mark>Гарантии</mark> &lt;b&gt;безопасности&lt;/b&gt;.']
    """
    shown, budget = [], HIGHLIGHT_CHARS
    for paragraph in paragraphs(text):
        shown.append(highlight(paragraph, terms, prefixes, names) if budget > 0 else escape(paragraph, quote=False))
        budget -= len(paragraph)
    return shown
