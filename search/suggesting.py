"""Suggestions while a query is typed: completions of the word being typed from the index's own words, and the
documents the query finds so far (their titles open them)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .analysis.keyboard import other_layout
from .analysis.morphology import analyze_word, fold_yo
from .analysis.names import name_keys
from .errors import QueryError
from .language import WORD_PATTERN
from .present.results import Hit
from .query.expansion import CONTEXT_POOL, MIN_COMPLETION_CHARS
from .searching import met_with, run_search
from .store.snapshot import ScoringContext, WordCounts

MAX_SUGGESTIONS = 10
LOOKED_AT_PER_SUGGESTION = 4  # forms read for each completion offered: several are often one word's inflections


@dataclass(frozen=True)
class Suggestions:
    """What to offer under the search box: `completions` are whole queries (the typed text with its last word
    completed, most frequent words first), `hits` the best documents for the text so far."""

    query: str
    completions: list[str] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": True, "query": self.query, "completions": self.completions,
                "documents": [{"id": h.id, "title": h.title, "lang": h.lang} for h in self.hits]}


def suggest(ctx: ScoringContext, text: str, limit: int = 5) -> Suggestions:
    """Completions of the last word of `text` (also as typed with the other keyboard layout: "ghbd" -> привет)
    and the titles of the top `limit` documents; a query that cannot be searched suggests no documents."""
    return suggest_with(ctx, lambda query, n: run_search(ctx, query, per_page=n, highlight=False).hits, text, limit)


def suggest_with(words: WordCounts, find: Callable[[str, int], list[Hit]], text: str, limit: int = 5) -> Suggestions:
    """`suggest` with the index's words and its search apart: the shards of a collection suggest with their
    words together and a search across them."""
    limit = max(1, min(limit, MAX_SUGGESTIONS))
    completions = _completions(words, text, limit)
    try:
        hits = find(_likeliest(words, text, completions), limit) if text.strip() else []
    except QueryError:
        hits = []
    return Suggestions(query=text, completions=completions, hits=hits)


def _likeliest(ctx: WordCounts, text: str, completions: list[str]) -> str:
    """The query the documents shown are found for: the first completion, when one of the completions is more
    used than the word as typed, which is then likelier a beginning: «Лав» shows Лавров's documents, not LOWE'S
    (whose name Лав's name key meets), and «Лавров Мак» those of Лавров Макей, as the first suggestion says;
    else the text as typed: oil, not oilseed; seym, which names the Сейм in sixty texts, not Seymour. (The word
    as typed counts with the texts its name key finds in the other script.)"""
    if not completions or not text[-1:].isalnum():
        return text
    frequency = ctx.vocabulary().frequency
    last = text.split()[-1]
    typed = frequency(fold_yo(last.lower())) + sum(len(ctx.name_postings(key)[0]) for key in name_keys(last))
    if any(frequency(fold_yo(c.split()[-1].lower())) > typed for c in completions):
        return completions[0]
    return text


def _completions(ctx: WordCounts, text: str, limit: int) -> list[str]:
    words = text.split()
    if not words or not text[-1:].isalnum():
        return []
    last = words[-1]
    head = text[: len(text) - len(last)]
    vocabulary = ctx.vocabulary()
    for typed in dict.fromkeys((last, other_layout(last))):
        stem = fold_yo(typed.lower())
        if len(stem) < MIN_COMPLETION_CHARS or not stem.isalnum():
            continue
        pool = vocabulary.completions(stem, (CONTEXT_POOL if head.strip() else LOOKED_AT_PER_SUGGESTION * limit) + 1)
        forms = _one_per_word(pool, stem, vocabulary.frequency(stem) > 0)
        if head.strip():
            # Those that meet the query's other words first (see `met_with`), the more used before the rarer:
            # «санкции против Тур» is Турции, in thousands of texts, before турбин, in a few, with санкции.
            met = met_with(ctx, WORD_PATTERN.findall(head), forms)
            forms = sorted((f for f in forms if met[f]), key=lambda f: -met[f] * math.log1p(vocabulary.frequency(f)))
            forms += [f for f in met if not met[f]]
        forms = forms[:limit]
        if forms:
            if len(typed) > 1 and typed.isupper():  # ОП: ОПЕК, as it was being typed
                return [head + form.upper() for form in forms]
            upper = typed[:1].isupper()
            return [head + (form[:1].upper() + form[1:] if upper else form) for form in forms]
    return []


def _one_per_word(forms: list[str], typed: str, typed_is_a_word: bool) -> list[str]:
    """The most frequent form of each word among `forms` (most frequent first): «санкции», not санкции,
    санкций, санкциями; nor another form of the word typed when it is one the index holds.

    >>> _one_per_word(["санкции", "санкций", "санкционный", "санкциями"], "санкц", False)
    ['санкции', 'санкционный']
    """
    seen: set[str] = set(analyze_word(typed)[0]) if typed_is_a_word else set()
    kept = []
    for form in forms:
        terms = set(analyze_word(form)[0])
        if form == typed or terms & seen:
            continue
        seen |= terms
        kept.append(form)
    return kept
