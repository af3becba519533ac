"""A query over the shards of one collection, ranked as one index of all their documents ranks it (docs/scaling.md).

Two rounds over the shards, then a merge:

1. **Statistics.** Each shard runs the query on a recording view of its snapshot (`ScoringContext.recording`),
   which notes every count the ranking reads of the collection: documents and field lengths, each term's
   document frequency, the documents of a word's translations together, how often a translation meets the
   other words. Their sum (`Statistics.__add__`) is what one index would read. A word being typed also reads
   the best score of its completions and the least of its own, which depend on those counts: for such a query
   a second round on views scored with the first round's sum gives them (`needs_extremes`).
2. **Scoring.** Each shard scores its documents with those statistics (`ScoringContext.scored_with`), filters
   them, and gives its first `depth + RERANK_WINDOW` in the order before closeness, with their closeness added.
3. **Merge.** The first `depth + RERANK_WINDOW` of all of those, in the same order, are the single index's
   window (each shard's share of it is among that shard's first), and the same resort by final score gives the
   single index's ranking; ties by `search.store.snapshot.order_key`, which every shard agrees on.

The query must be expanded once, the same for every shard (its completions and corrections read against the
collection's words). Facets add up (every value's count from each shard, chosen from once added). Stories
(one story once) are not merged here yet.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import reduce

import numpy as np

from ..query.expansion import ExpandedQuery
from ..query.filters import Filters, add_facets, choose_facets
from ..store.positions import PhraseBudget
from ..store.snapshot import ScoringContext, Statistics
from .ranking import RERANK_WINDOW, candidates, window


@dataclass(frozen=True)
class ShardWindow:
    """One shard's answer to the scoring round: its first documents in the order before closeness."""

    docnums: np.ndarray
    scores: np.ndarray  # before closeness
    complete: np.ndarray
    final: np.ndarray  # with closeness
    keys: np.ndarray  # order keys
    total: int
    facets: dict[str, dict[str, int]]  # every value's count (`Filters.apply(every_value=True)`)


@dataclass(frozen=True)
class MergedRanking:
    """The collection's ranking through `depth`: (shard, document number in it) and score, best first."""

    shards: np.ndarray
    docnums: np.ndarray
    scores: np.ndarray
    total: int
    facets: dict[str, dict[str, int]]


def statistics_round(shard: ScoringContext, query: ExpandedQuery, filters: Filters, depth: int,
                     cross_language: bool = True, first: Statistics | None = None) -> Statistics:
    """A shard's part of the query's statistics: every count its ranking reads, with its own values; given the
    `first` round's sum, with the collection's counts (for the extremes of scores, which depend on them)."""
    view = (shard if first is None else shard.scored_with(first)).recording()
    window(view, candidates(view, _fresh(query), filters, cross_language, collapse=False), depth)
    return view.recorded()


def scoring_round(shard: ScoringContext, query: ExpandedQuery, filters: Filters, depth: int,
                  statistics: Statistics, cross_language: bool = True) -> ShardWindow:
    """A shard's first documents, scored with the collection's statistics."""
    view = shard.scored_with(statistics)
    found = candidates(view, _fresh(query), filters, cross_language, collapse=False, every_value=True)
    ordered, complete, final = window(view, found, depth)
    head = ordered[: len(final)]
    return ShardWindow(head, found.total_score[head], complete[: len(head)], final, view.order_keys[head],
                       len(found.docnums), found.facets)


def merge(windows: list[ShardWindow], depth: int) -> MergedRanking:
    """The shards' windows merged into the collection's ranking (see the module's docstring)."""
    shards = np.concatenate([np.full(len(w.docnums), i, dtype=np.int64) for i, w in enumerate(windows)])
    docnums, scores, complete, final, keys = (np.concatenate([getattr(w, name) for w in windows])
                                              for name in ("docnums", "scores", "complete", "final", "keys"))
    head = np.lexsort((keys, -scores, ~complete))[: depth + RERANK_WINDOW]
    order = head[np.lexsort((keys[head], -final[head], ~complete[head]))][:depth]
    return MergedRanking(shards[order], docnums[order], final[order], sum(w.total for w in windows),
                         choose_facets(add_facets([w.facets for w in windows])))


def needs_extremes(statistics: Statistics) -> bool:
    """Whether a query's ranking reads the extremes of scores (a word being typed: its best completion's score
    against the least of the word's own), which need a second statistics round."""
    return any(isinstance(key, tuple) and key[:1] in (("max",), ("min",)) for key in statistics.frequencies)


def with_extremes(statistics: Statistics, extremes: Statistics) -> Statistics:
    """The first round's counts with the second round's extremes, computed with the collection's counts."""
    found = {key: value for key, value in extremes.frequencies.items()
             if isinstance(key, tuple) and key[:1] in (("max",), ("min",))}
    return Statistics(statistics.documents, statistics.length_totals, {**statistics.frequencies, **found})


def rank_across(shards: list[ScoringContext], query: ExpandedQuery, filters: Filters, depth: int,
                cross_language: bool = True) -> MergedRanking:
    """The rounds and the merge, one shard after another (a cluster runs each round on every shard at once)."""
    def round_of(first: Statistics | None) -> Statistics:
        return reduce(lambda a, b: a + b,
                      (statistics_round(s, query, filters, depth, cross_language, first) for s in shards))

    statistics = round_of(None)
    if needs_extremes(statistics):
        statistics = with_extremes(statistics, round_of(statistics))
    return merge([scoring_round(s, query, filters, depth, statistics, cross_language) for s in shards], depth)


def _fresh(query: ExpandedQuery) -> ExpandedQuery:
    """The query with a budget of its own for this shard and round (the budget is spent as phrases are checked)."""
    return replace(query, budget=PhraseBudget())
