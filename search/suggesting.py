"""Suggestions while a query is typed: completions of the word being typed from the index's own words, and the
documents the query finds so far (their titles open them)."""

from __future__ import annotations

import math
import re
from collections import Counter
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
TITLES_READ = 20  # the titles of the best documents read for the phrases they share (see `_title_phrases`)
MAX_PHRASES = 2  # phrases offered before the completions
PHRASE_WORDS = 2  # words a phrase goes on past the query's: «санкции против» -> «санкции против России»
_SEGMENT = re.compile(r"[^,.:;!?«»\"“”()\[\]—–]+")  # a title's stretches between punctuation


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
        hits = find(_likeliest(words, text, completions), max(limit, TITLES_READ)) if text.strip() else []
    except QueryError:
        hits = []
    phrases = _title_phrases(text, [hit.title for hit in hits])
    offered = list(dict.fromkeys(phrases + completions))[:limit]
    return Suggestions(query=text, completions=offered, hits=hits[:limit])


def _title_phrases(text: str, titles: list[str]) -> list[str]:
    """Phrases that the best documents' titles share and that go on from the query: «санкции про» -> «санкции
    против России» where two titles or more say so (the query's words in any form, its last word's beginning),
    up to PHRASE_WORDS words further, ending on a word that is not a function word; the most shared first.

    >>> _title_phrases("санкции про", ["ЕС продлил санкции против России", "Новые санкции против России: итоги"])
    ['санкции против России']
    """
    typed = WORD_PATTERN.findall(text)
    if not typed or not text[-1:].isalnum():
        return []
    whole = [set(analyze_word(word)[0]) for word in typed[:-1]]
    last = fold_yo(typed[-1].lower())
    shared: Counter = Counter()
    spelled: dict[str, str] = {}
    for title in titles:
        found = set()
        for segment in _SEGMENT.findall(title):
            # A wire's title in capitals (TRUMP AND INTERSTATE) is offered as words are typed: in lower case.
            words = WORD_PATTERN.findall(segment.lower() if segment.isupper() else segment)
            for start in range(len(words) - len(typed) + 1):
                if not _goes_on(words[start:start + len(typed)], whole, last):
                    continue
                for more in range(1, PHRASE_WORDS + 1):
                    end = start + len(typed) + more
                    if end > len(words) or analyze_word(words[end - 1])[2]:
                        continue
                    phrase = words[start:end]
                    key = " ".join(fold_yo(w.lower()) for w in phrase)
                    if key not in found:
                        found.add(key)
                        # The words typed as typed, the last one as the title goes on with it.
                        begun = phrase[len(typed) - 1]
                        begun = begun[:1].upper() + begun[1:] if typed[-1][:1].isupper() else begun
                        spelled.setdefault(key, " ".join([*typed[:-1], begun, *phrase[len(typed):]]))
        shared.update(found)
    return [spelled[key] for key, count in shared.most_common() if count >= 2][:MAX_PHRASES]


def _goes_on(words: list[str], whole: list[set[str]], last: str) -> bool:
    """Whether a title's words are the query's: each of its whole words in some form, then the last one begun."""
    return (fold_yo(words[-1].lower()).startswith(last)  # the cheap test first: most places fail it
            and all(set(analyze_word(word)[0]) & terms for word, terms in zip(words, whole, strict=False)))


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
