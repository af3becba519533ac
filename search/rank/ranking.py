"""The rank stage: an expanded query's scores over the index, and its documents in order.

Each clause scores by its own words (and the completions of a word being typed, a little lower), and by its
translations and name keys: the better of the two counts. Documents with every clause come first for short
queries; near the top, consecutive query words standing close together early in a text, and an opening that
restates the query, raise a document (`search.rank.closeness`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ..analysis.morphology import LANGUAGE_OF_SCRIPT
from ..analysis.names import name_keys
from ..query.expansion import COMPLETION, NAME, TRANSLATION, Expanded, ExpandedQuery, Expansion
from ..query.filters import FacetCounts, Filters, choose_facets, timeline_of
from ..query.parsing import Word
from ..store.positions import PhraseBudget, outside_expressions, translation_documents
from ..store.snapshot import FIELD_WEIGHTS, LANG_CODES, ScoringContext
from .closeness import Closeness

COMPLETION_WEIGHT = 0.8  # a completed last word ranks below the same word typed whole
TRANSLATION_WEIGHT = 0.8  # below 1: a document in the query's own language ranks first when it matches as well
NAME_WEIGHT = 0.8
COOCCURRENCE_FLOOR = 0.5  # the weight a translation keeps that never meets the rest of the query
RERANK_WINDOW = 50  # candidates beyond the page that the closeness of their words may reorder
ALL_WORDS_MAX_CLAUSES = 4  # queries up to this many words rank documents with all of them first
DATE_SORT_MIN_SHARE = 0.5  # sorted by date, a long query's documents scoring this share of the best come first


@dataclass(frozen=True)
class Ranking:
    """The documents a query matches, best first (as far as the page needs), with what the hits stage uses:
    `own[i]`, clause i's scores from its own words, and the query as ranked (translations re-weighted)."""

    query: ExpandedQuery
    docnums: np.ndarray  # best first, through the end of the requested page
    scores: np.ndarray
    total: int
    facets: dict[str, dict[str, int]]
    own: list[np.ndarray]
    similar: dict[int, list[int]] = field(default_factory=dict)  # a shown document's others of its story
    timeline: dict[str, Any] = field(default_factory=dict)  # `search.query.filters.timeline_of`


@dataclass(frozen=True)
class Candidates:
    """A query's documents on one snapshot, filtered, with their scores: what ranking orders (and what a shard
    of a collection gives to be merged with the others': `search.rank.shards`)."""

    query: ExpandedQuery  # as scored (translations re-weighted)
    own: list[np.ndarray]  # each clause's scores from its own words
    scores: list[np.ndarray]  # each clause's scores, own words or translations
    total_score: np.ndarray
    docnums: np.ndarray  # the candidates, in index order
    complete: np.ndarray  # whether each holds every clause (all True for a long query: ranked by score)
    facets: FacetCounts  # every value's count (`choose_facets` chooses what a result shows)


def candidates(ctx: ScoringContext, query: ExpandedQuery, filters: Filters, cross_language: bool = True,
               collapse: bool = True, copies_apart: bool = False, facets: bool = True) -> Candidates:
    """Score and filter a query's documents, and count the facets (unless not `facets`; each story once with
    `collapse`; on a shard of a collection, `copies_apart`: see `Filters.apply`)."""
    query, own, scores = clause_scores(ctx, query, cross_language)
    total_score = np.sum(scores, axis=0)
    matched = np.sum([s > 0 for s in scores], axis=0)
    found = (matched > 0) & ctx.live
    for clause in query.excluded:
        # An excluded word is excluded in both languages: -Путин drops the English reports on Putin too.
        found &= own_scores(ctx, clause, query.budget) == 0
        if cross_language:
            found &= translated_scores(ctx, clause, budget=query.budget) == 0
    # The topics offered follow the documents with every word (see `search.query.filters`): a long query's
    # documents rarely hold all of its words, so there every candidate counts.
    holds_all = matched == len(query.clauses) if 1 < len(query.clauses) <= ALL_WORDS_MAX_CLAUSES else None
    found, counted = filters.apply(ctx, found, one_per_story=collapse, first=holds_all, copies_apart=copies_apart,
                                   count=facets)
    docnums = np.flatnonzero(found)
    complete = matched[docnums] == len(query.clauses)
    if len(query.clauses) > ALL_WORDS_MAX_CLAUSES:
        # A long query (a pasted headline or question) is ranked by score alone: measured, requiring all of
        # its words first loses relevant documents that miss one incidental word.
        complete[:] = True
    return Candidates(query, own, scores, total_score, docnums, complete, counted)


def window(ctx: ScoringContext, found: Candidates, depth: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The candidates in order before closeness (all clauses first, then by score; ties by a key every index and
    shard agrees on: `search.store.snapshot.order_key`), and of the first `depth + RERANK_WINDOW`, the score
    with closeness: (ordered documents, their completeness, the window's final scores)."""
    docnums, complete = found.docnums, found.complete
    order = np.lexsort((ctx.order_keys[docnums], -found.total_score[docnums], ~complete))
    ordered = docnums[order]
    head = ordered[: depth + RERANK_WINDOW]
    return ordered, complete[order], found.total_score[head] + _closeness(ctx, found.query, found.scores, head)


def rank(ctx: ScoringContext, query: ExpandedQuery, filters: Filters, depth: int,
         cross_language: bool = True, collapse: bool = True, sort: str = "relevance") -> Ranking:
    """Score, filter, count facets, and order the first `depth` documents (two tiers, then closeness; or, with
    `sort="date"`, newest first: see `by_date`); with `collapse`, each story once (see `search.store.stories`): its
    best-ranked document, the others as its similar."""
    found = candidates(ctx, query, filters, cross_language, collapse)
    query, own, facets, timeline = found.query, found.own, choose_facets(found.facets), timeline_of(found.facets)
    docnums, complete, total_score = found.docnums, found.complete, found.total_score
    if sort == "date":
        ranked, ranked_scores = by_date(ctx, docnums, total_score[docnums], complete, len(query.clauses))
        total, similar = len(docnums), dict[int, list[int]]()
        if collapse and (ctx.stories[docnums] >= 0).any():
            ranked, ranked_scores, total, similar = one_story_once(ctx.stories, ranked, ranked_scores, depth)
        return Ranking(query, ranked[:depth], ranked_scores[:depth], total, facets,
                       own if cross_language else [], similar, timeline)
    ordered, ordered_complete, final = window(ctx, found, depth)
    head = ordered[: len(final)]
    resort = np.lexsort((ctx.order_keys[head], -final, ~ordered_complete[: len(head)]))
    ranked, ranked_scores, total, similar = head[resort], final[resort], len(docnums), dict[int, list[int]]()
    if collapse and (ctx.stories[docnums] >= 0).any():
        rest = ordered[len(head):]
        ranked, ranked_scores, total, similar = one_story_once(
            ctx.stories, np.concatenate([ranked, rest]), np.concatenate([ranked_scores, total_score[rest]]), depth)
    return Ranking(query, ranked[:depth], ranked_scores[:depth], total, facets,
                   own if cross_language else [], similar, timeline)


def clause_scores(ctx: ScoringContext, query: ExpandedQuery,
                  cross_language: bool) -> tuple[ExpandedQuery, list[np.ndarray], list[np.ndarray]]:
    """Each clause's dense scores: from its own words, and (with `cross_language`) the better of those and its
    translations' and name keys'; with the query as scored (translations re-weighted)."""
    alone = len(query.clauses) == 1
    own = scores = [own_scores(ctx, clause, query.budget, alone) for clause in query.clauses]
    if cross_language:
        query, scores = cross_language_scores(ctx, query, own)
    return query, own, scores


def by_date(ctx: ScoringContext, docnums: np.ndarray, scores: np.ndarray, complete: np.ndarray,
            clauses: int) -> tuple[np.ndarray, np.ndarray]:
    """The documents newest first, those that answer the query first: a short query's documents with every
    word, a long query's scoring at least DATE_SORT_MIN_SHARE of the best (the newest document that shares one
    incidental word with a pasted headline is not what a reader sorting by date wants); then the rest, newest
    first too; undated documents last in each, by score."""
    answering = complete.copy()
    if clauses > ALL_WORDS_MAX_CLAUSES and len(scores):
        answering = scores >= DATE_SORT_MIN_SHARE * scores.max()
    order = np.lexsort((ctx.order_keys[docnums], -scores, -ctx.dates[docnums], ~answering))
    return docnums[order], scores[order]


def one_story_once(stories: np.ndarray, ranked: np.ndarray, scores: np.ndarray,
                   depth: int) -> tuple[np.ndarray, np.ndarray, int, dict[int, list[int]]]:
    """The ranking with each story's first document only: (documents, scores, how many stories, and for each of
    the first `depth` documents that has them, the other documents of its story in the ranking, best first)."""
    groups = stories[ranked]
    grouped = np.flatnonzero(groups >= 0)
    first = np.ones(len(ranked), dtype=bool)
    first[grouped] = False
    first[grouped[np.unique(groups[grouped], return_index=True)[1]]] = True
    kept = np.flatnonzero(first)
    similar = {}
    for i in kept[:depth]:
        if groups[i] >= 0:
            others = ranked[groups == groups[i]]
            similar[int(ranked[i])] = [int(d) for d in others if d != ranked[i]]
    return ranked[kept], scores[kept], len(kept), similar


def own_scores(ctx: ScoringContext, expanded: Expanded, budget: PhraseBudget, alone: bool = False) -> np.ndarray:
    """A clause's scores from its own words, and for a word being typed, from its completions, together as one
    word, each form weighted by how likely it is the one meant (a rare completion is not a better match for
    being rare). When the word typed is the whole query, or the likeliest of the words it may be (the index
    holds it more often than any word it begins), it is that word: its completions rank below every document
    that holds it («oil» is oil, not OILSEED; "bio" is the two texts that say bio, then biotechnology); else
    («Lavrov Mak»: Makei) they rank with it."""
    scores = expanded.clause.scores(ctx, budget)
    completions = expanded.of(COMPLETION)
    if completions and isinstance(expanded.clause, Word) and expanded.clause.person:
        # A person's name completes to the documents that name them, or a person its completions name: «Свинин»
        # is not «свинина», and «Яров», being typed, is Ирина Яровая, whom 19 texts name (none names a Яров).
        named = tuple(key for e in completions for key in name_keys(e.shown[:1].upper() + e.shown[1:]))
        return expanded.clause.only_naming(ctx, _completed_scores(ctx, expanded, scores, completions, alone), named)
    if completions:
        return _completed_scores(ctx, expanded, scores, completions, alone)
    return scores


def _completed_scores(ctx: ScoringContext, expanded: Expanded, scores: np.ndarray,
                      completions: tuple[Expansion, ...], alone: bool = False) -> np.ndarray:
    """A clause's scores with its completions' (see `own_scores`)."""
    completed = COMPLETION_WEIGHT * _weighted_word(ctx, expanded.clause.fields, completions)
    whole = scores > 0
    # Over the whole collection (`ScoringContext.count`): the best completion's score, the least whole word's.
    top = ctx.count(("max", "completed", expanded), float(completed.max()) if len(completed) else 0.0)
    lowest = ctx.count(("min", "whole", expanded), float(scores[whole].min()) if whole.any() else math.inf)
    if (alone or max(e.weight for e in completions) < 1.0) and lowest < math.inf and top > 0:
        completed *= min(1.0, COMPLETION_WEIGHT * lowest / top)
        return np.where(whole, scores, completed)
    return np.maximum(scores, completed)


def _weighted_word(ctx: ScoringContext, fields: tuple[str, ...], expansions: tuple[Expansion, ...]) -> np.ndarray:
    """Dense BM25 of several forms counted as one word: their weighted frequencies add up, and their document
    frequency is that of their union."""
    total = np.zeros(ctx.size, dtype=np.float32)
    for name in fields:
        tf = np.zeros(ctx.size, dtype=np.float32)
        for expansion in expansions:
            for term in expansion.terms:
                docnums, freqs = ctx.postings(name, term)
                tf[docnums] += expansion.weight * freqs
        rows = np.flatnonzero(tf)
        if len(rows):
            union = ("union", name, tuple(sorted({term for e in expansions for term in e.terms})))
            total[rows] += FIELD_WEIGHTS[name] * ctx.bm25(name, rows, tf[rows], ctx.count(union, len(rows)))
    return total


def _closeness(ctx: ScoringContext, query: ExpandedQuery, scores: list[np.ndarray], window: np.ndarray) -> np.ndarray:
    """Bonus for the query's plain words standing close together early in the text, and for an opening that
    restates the query (see `search.rank.closeness`), for the top of the ranking."""
    indexes = query.proximity_words
    if len(indexes) < 2:
        return np.zeros(len(window), dtype=np.float32)
    closeness = Closeness.read(ctx, window, query.proximity_lemmas)
    return closeness.proximity_bonus([scores[i] for i in indexes]) + closeness.lead_bonus(ctx)


# -- across the languages -------------------------------------------------------------------------------------

def cross_language_scores(ctx: ScoringContext, query: ExpandedQuery,
                          own: list[np.ndarray]) -> tuple[ExpandedQuery, list[np.ndarray]]:
    """Each clause's score with its translations and names: the better of the word itself and its translated
    forms, after weighting the translations by how well they fit the rest of the query (the query returned is
    the one with those weights)."""
    present = [scores > 0 for scores in own]
    alone = len(query.clauses) == 1
    translated = [translated_scores(ctx, clause, mask, query.budget, alone)
                  for clause, mask in zip(query.clauses, present, strict=True)]
    reweighed = prefer_cooccurring(ctx, query, [a | (b > 0) for a, b in zip(present, translated, strict=True)])
    for i, (old, new) in enumerate(zip(query.clauses, reweighed.clauses, strict=True)):
        if new is not old:
            translated[i] = translated_scores(ctx, new, present[i], query.budget, alone)
    return reweighed, [np.maximum(a, b) for a, b in zip(own, translated, strict=True)]


def prefer_cooccurring(ctx: ScoringContext, query: ExpandedQuery, matches: list[np.ndarray]) -> ExpandedQuery:
    """The query with each clause's translations weighted by the share of their documents that also match
    other clauses.

    `matches[i]` marks the documents that match clause i in any way. A translation whose documents never
    contain the rest of the query keeps COOCCURRENCE_FLOOR of the weight; the best-fitting one keeps all of it.
    (Measured on the XQuAD cross-language sets, 240 paragraphs: neutral, ±0.003 nDCG@10; it is there for short
    queries over large mixed collections, where one wrong sense can flood the results.)
    """
    if len(query.clauses) < 2:
        return query
    clauses = list(query.clauses)
    everyone = np.sum(matches, axis=0, dtype=np.int32)
    for i, expanded in enumerate(query.clauses):
        translations = expanded.of(TRANSLATION)
        if len(translations) < 2:
            continue
        others = everyone - matches[i]
        shares = []
        for translation in translations:
            docnums = _phrase_documents(ctx, expanded.clause.fields, translation.terms, query.budget)
            # The mean over the whole collection (`ScoringContext.count`): a sum and a count.
            key = (query.clauses, i, translation.terms)
            met = ctx.count(("met", *key), float(others[docnums].sum()))
            held = ctx.count(("held", *key), len(docnums))
            shares.append(met / held if held else 0.0)
        best = max(shares)
        if best > 0:
            weighed = iter(replace(t, weight=t.weight * (COOCCURRENCE_FLOOR + (1 - COOCCURRENCE_FLOOR) * share / best))
                           for t, share in zip(translations, shares, strict=True))
            expansions = tuple(next(weighed) if e.via == TRANSLATION else e for e in expanded.expansions)
            clauses[i] = replace(expanded, expansions=expansions)
    return replace(query, clauses=tuple(clauses))


def translated_scores(ctx: ScoringContext, expanded: Expanded, own: np.ndarray | None = None,
                      budget: PhraseBudget | None = None, alone: bool = False) -> np.ndarray:
    """Dense scores of a clause's translations and name keys, to be set against the word's own score.

    The translations of one word count as one word (Pirkola's structured query): their term frequencies add up,
    weighted, and their document frequency is that of their union, so a word with ten senses weighs no more
    than a word with one.
    """
    if expanded.members:
        return np.sum([translated_scores(ctx, member, own, budget, alone) for member in expanded.members], axis=0)
    total = np.zeros(ctx.size, dtype=np.float32)
    translations = expanded.of(TRANSLATION)
    fields = expanded.clause.fields
    if translations:
        for field in fields:
            tf = np.zeros(ctx.size, dtype=np.float32)
            present = np.zeros(ctx.size, dtype=bool)
            for translation in translations:
                docnums, freqs = phrase_postings(ctx, field, translation.terms, budget)
                tf[docnums] += translation.weight * freqs
                present[docnums] = True
            rows = np.flatnonzero(present)
            # Read whether or not this snapshot has rows: the word's own documents count in the union everywhere.
            df = ctx.count(("translated", field, expanded.clause, tuple(t.terms for t in translations),
                            own is None), _union_df(rows, own))
            if len(rows):
                total[rows] += FIELD_WEIGHTS[field] * ctx.bm25(field, rows, tf[rows], df)
        total *= TRANSLATION_WEIGHT
    names = expanded.of(NAME)
    # A name searched `alone`, where the collection also holds it as written: a look-alike of the other script
    # (Maki for «Макей») counts less than the name's own spelling (`name_sureness`). In a longer query, or
    # where the collection does not hold the word (a question against a collection of the other language),
    # every spelling the name may have counts alike: the weight in every query cost XQuAD en->ru 0.0014, and in
    # every query whose collection holds the word as written, 0.0008 (held-out nDCG@10).
    written = ctx.count(("written", expanded.clause, own is None),
                        int(np.count_nonzero(own)) if own is not None else 0) if names and alone else 0
    for name in names:
        docnums, freqs = ctx.name_postings(name.terms[0])
        df = ctx.count(("named", expanded.clause, name.terms, own is None), _union_df(docnums, own))
        if len(docnums):
            # The names field holds a few keys per document: lengths are normalized as the text's.
            scores = NAME_WEIGHT * ctx.bm25("text", docnums, freqs, df)
            if written:
                scores *= ctx.name_sureness(name.terms[0], docnums)
            total[docnums] = np.maximum(total[docnums], scores)
    own_language = LANGUAGE_OF_SCRIPT.get(expanded.clause.script)
    if own_language:
        total[ctx.langs == LANG_CODES.index(own_language)] = 0
    return total


def _union_df(docnums: np.ndarray, own: np.ndarray | None) -> int:
    """How many documents hold the word or its translation: `docnums` and the documents `own` marks."""
    if own is None:
        return len(docnums)
    return len(docnums) + int(np.count_nonzero(own)) - int(np.count_nonzero(own[docnums]))


def phrase_postings(ctx: ScoringContext, field: str, terms: tuple[str, ...],
                    budget: PhraseBudget | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A translation's documents and frequency in one field; a phrase's, where all its words occur (the rarest
    word's count), and with a query's `budget`, where they stand one after another («иметь дело» is not found
    by «дел» in «министр иностранных дел»); a word's, with a `budget` (as the query's), not where it stands in a
    fixed expression («число» in «в том числе»)."""
    docnums, freqs = ctx.postings(field, terms[0])
    if len(terms) == 1 and budget is not None:
        return outside_expressions(ctx, field, terms[0], docnums, freqs)
    for term in terms[1:]:
        other_docs, other_freqs = ctx.postings(field, term)
        docnums, left, right = np.intersect1d(docnums, other_docs, assume_unique=True, return_indices=True)
        freqs = np.minimum(freqs[left], other_freqs[right])
    if len(terms) > 1 and budget is not None:
        kept = np.isin(docnums, translation_documents(ctx, field, terms, docnums, budget), assume_unique=True)
        docnums, freqs = docnums[kept], freqs[kept]
    return docnums, freqs


def _phrase_documents(ctx: ScoringContext, fields: tuple[str, ...], terms: tuple[str, ...],
                      budget: PhraseBudget) -> np.ndarray:
    return np.unique(np.concatenate([phrase_postings(ctx, field, terms, budget)[0] for field in fields]))
