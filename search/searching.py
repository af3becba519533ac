"""Run a query: read it as meant, parse, expand, rank, make the page's hits. Each stage is its own module:

    search.query.correction  typed text -> the text meant (typos, the other layout, Latin letters), and what changed
    search.query.parsing       text -> clauses (Word, Phrase, Prefix, Either)
    search.query.expansion   clauses -> their completions, translations and name keys
    search.rank.ranking     scores, tiers, proximity, facets -> documents in order
    search.present.hits        documents -> hits with marks and explanations
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

import numpy as np

from .analysis.lexicon import lexicon
from .analysis.morphology import analyze_word, fold_yo, morph_analyzer
from .analysis.names import name_keys
from .present.hits import make_hits
from .present.results import SearchResult
from .query.correction import TypedQuery, read_as_meant
from .query.expansion import ExpandedQuery, expand
from .query.filters import Filters
from .query.parsing import MAX_SEARCHED_CHARS, ParsedQuery, check_length, parse_query, parse_tokens
from .rank.ranking import rank
from .store.snapshot import ScoringContext, WordCounts

NAME_SHARE = 0.5


def run_search(ctx: ScoringContext, text: str, page: int = 1, per_page: int = 10,
               filters: Filters | None = None, highlight: bool = True, cross_language: bool = True,
               typos: bool = True, prefix: bool = True, collapse: bool = True,
               sort: str = "relevance") -> SearchResult:
    """Read the query as meant, search, filter, rank in two tiers (every clause matched, then some) or by date,
    each story once (unless not `collapse`), count facets, page, highlight."""
    started = time.perf_counter()
    typed, query = read_query(ctx, text, cross_language, typos, prefix)
    filters = filters or Filters()
    if not filters.lang and query.parsed.lang:  # lang: in the query
        filters = replace(filters, lang=query.parsed.lang)
    ranking = rank(ctx, query, filters, page * per_page, cross_language, collapse, sort)
    start = (page - 1) * per_page
    hits = make_hits(ctx, ranking.query, ranking.docnums[start:], ranking.scores[start:], highlight, ranking.own,
                     ranking.similar)
    took_ms = (time.perf_counter() - started) * 1000
    return SearchResult(query=text, page=page, per_page=per_page, total=ranking.total, took_ms=took_ms, hits=hits,
                        facets=ranking.facets, searched=typed.searched, corrections=list(typed.corrections),
                        suggestion=typed.suggestion, timeline=ranking.timeline)


def read_query(ctx: WordCounts, text: str, cross_language: bool = True, typos: bool = True,
               prefix: bool = True) -> tuple[TypedQuery, ExpandedQuery]:
    """The query as typed, read as meant (unless `typos` is off), parsed, and expanded: across the languages
    (unless `cross_language` is off) and, for a last word still being typed (when `prefix` is on), to the
    index's words it begins."""
    check_length(text)  # as typed: a correction may lengthen it
    completing = prefix and _last_word_open(text)
    if typos:
        typed = read_as_meant(text, ctx.vocabulary(), keep_last=completing, knows=lambda word: _knows(ctx, word),
                              documents=lambda form: _documents_of(ctx, form))
        check_length(" ".join(token.text for token in typed.tokens), MAX_SEARCHED_CHARS)
        parsed = parse_tokens(typed.searched, typed.tokens)
    else:
        typed = TypedQuery(text, text)
        parsed = parse_query(text)
    return typed, expand_parsed(ctx, parsed, cross_language, completing)


def expand_parsed(ctx: WordCounts, parsed: ParsedQuery, cross_language: bool = True,
                  completing: bool = False) -> ExpandedQuery:
    """A parsed query expanded against this index: across the languages (unless `cross_language` is off), a
    word the index holds mostly as a name crossing by its name key only, and the last word (when `completing`)
    to the index's words it begins."""
    # (The results' completions are weighed by frequency. Weighing them by `met_with`, as the suggestions are
    # ordered, put Siemens' turbines first for «санкции против Тур», a reader typing Турции.)
    return expand(parsed, cross_language, ctx.vocabulary() if completing else None, completing,
                  mostly_a_name=lambda word: _mostly_a_name(ctx, word))


MET_SMOOTHING = 2  # documents added to a form's own, against a form in one or two documents ranking first


def met_with(ctx: WordCounts, words: list[str], forms: list[str]) -> dict[str, float]:
    """For each form, how strongly it goes with all of `words` (each by its terms, a capitalized one by its name
    key too): the share of its documents that hold them too (a form in one or two documents not taken at its
    word: MET_SMOOTHING), times the log of how many do. Макей goes with Лавров in most of his documents;
    «максимальный» meets him more often, in a twentieth of its own, as chance does: «Лавров Мак» is Макей. And
    "oil pri" completes to price (oil in a third of its thousands of documents) first.
    0 for a form that never meets them."""
    together: np.ndarray | None = None
    for word in words:
        if analyze_word(word)[2]:
            continue
        names = [ctx.name_postings(key)[0] for key in name_keys(word)] if word[:1].isupper() else []
        docs = np.unique(np.concatenate([_documents_of(ctx, word), *names]))
        together = docs if together is None else np.intersect1d(together, docs, assume_unique=True)
    met = dict.fromkeys(forms, 0.0)
    if together is None or not len(together):
        return met
    by_terms: dict[tuple[str, ...], float] = {}  # a word's inflections share their lemmas' documents
    for form in forms:
        terms = analyze_word(form)[0]
        if terms not in by_terms:
            docs = _documents_of(ctx, form)
            shared = len(np.intersect1d(docs, together, assume_unique=True))
            by_terms[terms] = shared / (len(docs) + MET_SMOOTHING) * math.log1p(shared) if len(docs) else 0.0
        met[form] = by_terms[terms]
    return met


def _mostly_a_name(ctx: WordCounts, word: str) -> bool:
    """Whether the index holds a word as a name (capitalized inside a sentence) in at least NAME_SHARE of the
    documents that hold it at all: Hunter is a name in the news, oil is not."""
    keys = name_keys(word)
    if not keys:
        return False
    as_name = len(ctx.name_postings(keys[0])[0])
    holding = len(np.unique(np.concatenate([ctx.postings(field, term)[0] for field in ("title", "text")
                                            for term in analyze_word(word)[0]])))
    return holding > 0 and as_name >= NAME_SHARE * holding


def _documents_of(ctx: WordCounts, form: str) -> np.ndarray:
    """The documents holding a word form's terms (its lemmas or stem) in the title or the text."""
    terms = analyze_word(form)[0]
    return np.unique(np.concatenate([ctx.postings(field, term)[0] for field in ("title", "text") for term in terms]))


def _knows(ctx: WordCounts, word: str) -> bool:
    """Whether the index knows a word its vocabulary lacks as written: an English word by its stem or the
    bilingual lexicon, a capitalized word as a name in either script."""
    terms, script, _stop = analyze_word(word)
    # An English word by its stem; a Russian one by its lemmas when the dictionary knows it (pymorphy3's guessed
    # lemmas of an unknown word are often real ones: «успешноы» -> успешный).
    if script == "latn" and lexicon().has_english(terms[0]):
        return True
    if script == "latn" or (script == "cyrl" and morph_analyzer().word_is_known(fold_yo(word.lower()))):
        # Live documents only: a segment keeps the terms of the documents an update replaced (RT's player code
        # put "sankcii" there; once the code was dropped, «санкции» typed in Latin letters was still "known").
        if any(len(ctx.postings(field, term)[0]) for field in ("text", "title") for term in terms):
            return True
    return word[:1].isupper() and any(len(ctx.name_postings(key)[0]) for key in name_keys(word))


def _last_word_open(text: str) -> bool:
    """Whether the query ends in a plain word still being typed (no space, quote or wildcard after it), and not
    one written in capitals: an abbreviation is typed whole (ПРО is missile defence, not «проблема»)."""
    last = text.split()[-1] if text.split() else ""
    return (bool(last) and text[-1:].isalnum() and not last.startswith(('"', "-")) and ":" not in last
            and not (len(last) > 1 and last.isupper()))
