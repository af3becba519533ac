"""Related documents: the same story in the other language, and the closest in its own.

A document's most telling words (by tf-idf over its title and opening, names and codes included, as written)
become a long query of plain word clauses (no query text is written and read again), and the search's own
machinery finds the rest: the words' translations and the names' keys across scripts reach the other language,
as for a query typed there. The other language's best come first.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .analysis.analyzer import analyze_words
from .present.hits import make_hit
from .present.results import Hit
from .query.expansion import ExpandedQuery
from .query.parsing import words_query
from .rank.ranking import clause_scores, one_story_once
from .searching import expand_parsed
from .store.snapshot import LANG_CODES, ScoringContext, idf

HEAD_CHARS = 3000  # the opening a document is known by (a news story says what it is about first)
# 12, 16 and 24 measured on the tune half of the xquad pairs: 16 finds every translation, 24 costs 40% more time.
TELLING_WORDS = 16
TITLE_WEIGHT = 2.0
MIN_WORD_CHARS = 3
OTHER_LANGUAGE = {"ru": "en", "en": "ru"}
# Where the other language's best stands against the own's best (measured: a paragraph's translation in the
# xquad pairs, tune half, 0.82 at the 5th percentile, 1.96 at the median; RT and Reuters, which hold no
# translations of each other, 0.23-0.30 at the median, 0.45-0.65 at the 95th): above it, the same story told in
# the other language, listed first; below it, a document on a neighbouring topic, listed by its score.
OTHER_FIRST_SHARE = 0.6


def telling_words(ctx: ScoringContext, title: str, text: str, limit: int = TELLING_WORDS) -> list[str]:
    """The words of a document that tell it apart, best first: each word's terms weighted by how often the
    opening uses them (the title twice over) and how rare they are in the index; each word as first written."""
    weights = opening_words(title, text)
    frequencies = {term: ctx.searcher.doc_frequency("text", term) for terms in weights for term in terms}
    return most_telling(weights, frequencies, ctx.documents, limit)


def opening_words(title: str, text: str) -> dict[tuple[str, ...], tuple[float, str]]:
    """The words of a document's title and opening: their terms, with how often they are used there (the title
    twice over) and the word as first written."""
    weights: dict[tuple[str, ...], tuple[float, str]] = {}
    for source, weight in ((title, TITLE_WEIGHT), (text[:HEAD_CHARS], 1.0)):
        for word in analyze_words(source):
            if word.stop or word.part or len(word.text) < MIN_WORD_CHARS or word.text.isdigit():
                continue
            used, shown = weights.get(word.terms, (0.0, word.text))
            weights[word.terms] = (used + weight, shown)
    return weights


def most_telling(weights: dict[tuple[str, ...], tuple[float, str]], frequencies: dict[str, int], documents: int,
                 limit: int = TELLING_WORDS) -> list[str]:
    """The `limit` words of `opening_words` that tell the document apart, by tf-idf (`frequencies`: each term's
    document frequency in the text field, of `documents`)."""
    scored = []
    for terms, (tf, shown) in weights.items():
        df = max(frequencies[term] for term in terms)
        if df <= 1 and tf < 2:
            continue  # a word no other document has, said once: a typo or a rare form, it finds nothing
        scored.append((tf * idf(documents, df), shown))
    scored.sort(key=lambda pair: -pair[0])
    return [word for _, word in scored[:limit]]


def related_documents(ctx: ScoringContext, docnum: int, limit: int) -> list[tuple[int, float]]:
    """Up to `limit` documents closest to one (itself and its story's copies aside), best first: those in the
    other language that score at least OTHER_FIRST_SHARE of its own language's best come first (up to half the
    list), then the rest by score. Scored as one long query is, by its words' and their translations' BM25,
    each story once."""
    stored = ctx.searcher.stored_fields(docnum)
    words = telling_words(ctx, stored.get("title") or "", stored.get("text") or "")
    if not words:
        return []
    query = expand_parsed(ctx, words_query(words), cross_language=True)
    lang = stored.get("lang") or ""
    kinds = related_candidates(ctx, query, docnum, lang, ctx.stories[docnum], limit)
    ranked = arrange(*kinds, limit)
    return [(docnum, score) for docnum, score, _key in ranked]


def related_scores(ctx: ScoringContext, query: ExpandedQuery, docnum: int | None) -> np.ndarray:
    """Every document's score for a document's related query (its words and their translations' BM25), the
    document itself and the deleted at 0."""
    scores = np.sum(clause_scores(ctx, query, cross_language=True)[2], axis=0)
    scores[~ctx.live] = 0
    if docnum is not None:
        scores[docnum] = 0
    return scores


Related = list[tuple[Any, float, int]]  # (document, score, order key), best first, each story once


def related_candidates(ctx: ScoringContext, query: ExpandedQuery, docnum: int | None, lang: str, story: int,
                       limit: int | None) -> tuple[Related, Related]:
    """The `limit` best documents (all, with None) for a related query in the other language and in the
    document's own (all in the first when the document is in neither), each story once and not the document's
    own story."""
    scores = related_scores(ctx, query, docnum)
    if lang not in OTHER_LANGUAGE:  # a document in both languages: the closest in either
        return _best(ctx, scores, scores > 0, story, limit), []
    own_code = LANG_CODES.index(lang)
    return (_best(ctx, scores, (scores > 0) & (ctx.langs != own_code), story, limit),
            _best(ctx, scores, (scores > 0) & (ctx.langs == own_code), story, limit))


def arrange(other: Related, own: Related, limit: int) -> Related:
    """The related list: the other language's that score at least OTHER_FIRST_SHARE of the own language's best
    first (up to half the list), then the rest by score (ties by order key)."""
    floor = OTHER_FIRST_SHARE * (own[0][1] if own else 0.0)
    first = [entry for entry in other if entry[1] >= floor][: (limit + 1) // 2]
    rest = sorted((entry for entry in other + own if entry not in first), key=lambda entry: (-entry[1], entry[2]))
    return (first + rest)[:limit]


def _best(ctx: ScoringContext, scores: np.ndarray, candidates: np.ndarray, story: int, limit: int | None) -> Related:
    """The `limit` best-scored candidates, each story once (`search.rank.ranking.one_story_once`) and not the
    document's own story."""
    if story >= 0:
        candidates = candidates & (ctx.stories != story)
    docnums = np.flatnonzero(candidates)
    order = docnums[np.lexsort((ctx.order_keys[docnums], -scores[docnums]))]
    kept, kept_scores, _total, _similar = one_story_once(ctx.stories, order, scores[order], 0)
    return [(d, s, int(ctx.order_keys[d])) for d, s in zip(kept[:limit].tolist(),
                                                           kept_scores[:limit].astype(float).tolist(), strict=True)]


def related_hits(ctx: ScoringContext, doc_id: str, limit: int) -> list[Hit] | None:
    """The related documents of the document with this id as hits (no snippets), or None when there is none."""
    docnum = ctx.searcher.document_number(id=doc_id)
    if docnum is None or not ctx.live[docnum]:
        return None
    return [make_hit(ctx, None, other, score, False, [], {}) for other, score in related_documents(ctx, docnum, limit)]
