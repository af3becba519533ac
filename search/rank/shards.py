"""A query over the shards of one collection, ranked as one index of all their documents ranks it (docs/scaling.md).

Two rounds over the shards, then a merge:

1. **Statistics.** Each shard scores the query on a recording view of its snapshot (`ScoringContext.recording`),
   without facets or closeness, which notes every count the ranking reads of the collection: documents and
   field lengths, each term's document frequency, the documents of a word's translations together, how often a
   translation meets the other words, the idf of the words the closeness weighs. Their sum
   (`Statistics.__add__`) is what one index would read. A word being typed also reads the best score of its
   completions and the least of its own, which depend on those counts: for such a query a second round on
   views scored with the first round's sum gives them (`needs_extremes`).
2. **Scoring.** Each shard scores its documents with those statistics (`ScoringContext.scored_with`), filters
   them, and gives its first `depth + RERANK_WINDOW` in the order before closeness, with their closeness added.
3. **Merge.** The first `depth + RERANK_WINDOW` of all of those, in the same order, are the single index's
   window (each shard's share of it is among that shard's first), and the same resort by final score gives the
   single index's ranking; ties by `search.store.snapshot.order_key`, which every shard agrees on.

The query must be expanded once, the same for every shard (its completions and corrections read against the
collection's words). Facets add up (every value's count from each shard, chosen from once added); each story
is kept once across the shards (`merge` with `collapse`), with the collection's story numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import reduce
from typing import Any

import numpy as np

from ..query.expansion import ExpandedQuery
from ..query.filters import FacetCounts, Filters, add_facets, choose_facets, timeline_of
from ..store.positions import PhraseBudget
from ..store.snapshot import ScoringContext, Statistics
from .ranking import RERANK_WINDOW, Candidates, candidates, window


@dataclass(frozen=True)
class ShardWindow:
    """One shard's answer to the scoring round: its first documents in the order before closeness (the first
    `depth + RERANK_WINDOW` with their closeness added, then `beyond` more), and what counts each story once."""

    docnums: np.ndarray
    scores: np.ndarray  # before closeness
    complete: np.ndarray
    final: np.ndarray  # with closeness, for the first len(final) of them
    keys: np.ndarray  # order keys
    groups: np.ndarray  # story numbers (the collection's), -1 alone
    total: int  # candidates
    exhausted: bool  # whether these are all of its candidates
    facets: FacetCounts
    alone: int  # candidates in no story with others
    copies: Copies  # every candidate that shares a story
    dates: np.ndarray | None = None  # sorted by date: the documents' dates (`complete` then says "answering")
    best: float = 0.0  # the best score of its candidates


@dataclass(frozen=True)
class Copies:
    """A shard's candidates that share a story with others: where they rank, to count and list each story once."""

    docnums: np.ndarray
    groups: np.ndarray
    scores: np.ndarray
    complete: np.ndarray  # sorted by date: whether each answers the query (`search.rank.ranking.by_date`)
    keys: np.ndarray
    dates: np.ndarray | None = None


@dataclass(frozen=True)
class MergedRanking:
    """The collection's ranking through `depth`: (shard, document number in it) and score, best first; with
    `collapse`, each story once, `similar[i]` the (shard, document number) of the others of the i-th's story."""

    shards: np.ndarray
    docnums: np.ndarray
    scores: np.ndarray
    total: int
    facets: dict[str, dict[str, int]]
    similar: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    timeline: dict[str, Any] = field(default_factory=dict)


def statistics_round(shard: ScoringContext, query: ExpandedQuery, filters: Filters, depth: int,
                     cross_language: bool = True, first: Statistics | None = None) -> Statistics:
    """A shard's part of the query's statistics: every count its ranking reads, with its own values; given the
    `first` round's sum, with the collection's counts (for the extremes of scores, which depend on them)."""
    view = (shard if first is None else shard.scored_with(first)).recording()
    found = candidates(view, _fresh(query), filters, cross_language, collapse=False, facets=False)
    # The window's closeness reads one count more: the idf of the query's words in the text, for the lead bonus
    # (`search.rank.closeness`). Noted here, without reading the window's positions.
    for terms in found.query.proximity_lemmas:
        for term in terms:
            view.count(("text", term), len(view.postings("text", term)[0]))
    return view.recorded()


def scoring_round(shard: ScoringContext, query: ExpandedQuery, filters: Filters, depth: int,
                  statistics: Statistics, cross_language: bool = True, collapse: bool = False,
                  beyond: int = 0) -> ShardWindow:
    """A shard's first documents, scored with the collection's statistics, and `beyond` more after them."""
    return scored_round(shard, query, filters, depth, statistics, cross_language, collapse, beyond)[0]


def scored_round(shard: ScoringContext, query: ExpandedQuery, filters: Filters, depth: int,
                 statistics: Statistics, cross_language: bool = True, collapse: bool = False,
                 beyond: int = 0) -> tuple[ShardWindow, Candidates]:
    """`scoring_round`, and the candidates it scored (the query as scored, each clause's own scores: what the
    shard's hits are then made with)."""
    view = shard.scored_with(statistics)
    found = candidates(view, _fresh(query), filters, cross_language, collapse=collapse, copies_apart=True)
    ordered, complete, final = window(view, found, depth)
    rows = ordered[: len(final) + beyond]
    grouped = found.docnums[view.stories[found.docnums] >= 0]
    in_found = np.searchsorted(found.docnums, grouped)
    copies = Copies(grouped, view.stories[grouped], found.total_score[grouped], found.complete[in_found],
                    view.order_keys[grouped])
    return ShardWindow(rows, found.total_score[rows], complete[: len(rows)], final, view.order_keys[rows],
                       view.stories[rows], len(found.docnums), len(rows) == len(ordered), found.facets,
                       len(found.docnums) - len(grouped), copies, best=_best(found)), found


def dated_round(shard: ScoringContext, query: ExpandedQuery, filters: Filters, depth: int, statistics: Statistics,
                cross_language: bool = True, collapse: bool = False, threshold: float | None = None,
                beyond: int = 0) -> tuple[ShardWindow, Candidates]:
    """A shard's first `depth + beyond` documents sorted by date as `search.rank.ranking.by_date` sorts them:
    those that answer the query first (every word of a short query; a long query's scoring at least
    `threshold`, a share of the collection's best score), newest first, then by score and order key; and the
    candidates it scored."""
    view = shard.scored_with(statistics)
    found = candidates(view, _fresh(query), filters, cross_language, collapse=collapse, copies_apart=True)
    docnums = found.docnums
    scores = found.total_score[docnums]
    answering = found.complete if threshold is None else scores >= threshold
    dates = view.dates[docnums]
    order = np.lexsort((view.order_keys[docnums], -scores, -dates, ~answering))[: depth + beyond]
    rows = docnums[order]
    grouped = view.stories[docnums] >= 0
    copies = Copies(docnums[grouped], view.stories[docnums[grouped]], scores[grouped], answering[grouped],
                    view.order_keys[docnums[grouped]], dates[grouped])
    return ShardWindow(rows, scores[order], answering[order], np.zeros(0), view.order_keys[rows],
                       view.stories[rows], len(docnums), len(rows) == len(docnums), found.facets,
                       int(len(docnums) - grouped.sum()), copies, dates=dates[order], best=_best(found)), found


def _best(found) -> float:
    return float(found.total_score[found.docnums].max()) if len(found.docnums) else 0.0


def merge_by_date(windows: list[ShardWindow], depth: int, collapse: bool = False) -> MergedRanking | None:
    """The shards' `dated_round` answers merged into the collection's date order; with `collapse`, each story
    once. None when they do not reach far enough for `depth` stories."""
    shards = np.concatenate([np.full(len(w.docnums), i, dtype=np.int64) for i, w in enumerate(windows)])
    docnums, scores, answering, keys, groups, dates = (
        np.concatenate([getattr(w, name) for w in windows])
        for name in ("docnums", "scores", "complete", "keys", "groups", "dates"))
    order = np.lexsort((keys, -scores, -dates, ~answering))
    added = add_facets([w.facets for w in windows])
    facets, timeline = choose_facets(added), timeline_of(added)
    position, ends = _reach(order, shards, windows)
    known = order[: min(ends) + 1] if ends else order
    if not collapse or not any(len(w.copies.docnums) for w in windows):
        kept = known[:depth]
        if len(kept) < depth and ends:
            return None
        return MergedRanking(shards[kept], docnums[kept], scores[kept], sum(w.total for w in windows), facets,
                             timeline=timeline)
    taken = _each_story_once(known, groups, depth)
    if len(taken) < depth and ends:
        return None
    chosen = np.array(taken, dtype=np.int64)
    total = sum(w.alone for w in windows) + len(np.unique(np.concatenate([w.copies.groups for w in windows])))
    wanted = {int(groups[row]) for row in taken if groups[row] >= 0}
    members: dict[int, list[tuple[tuple, tuple[int, int]]]] = {}
    for shard, w in enumerate(windows):
        c = w.copies
        assert c.dates is not None
        mine = np.flatnonzero(np.isin(c.groups, list(wanted)))  # the copies of the shown stories only
        for docnum, story, score, answers, key, date in zip(c.docnums[mine].tolist(), c.groups[mine].tolist(),
                                                            c.scores[mine].tolist(), c.complete[mine].tolist(),
                                                            c.keys[mine].tolist(), c.dates[mine].tolist(),
                                                            strict=True):
            if story in wanted:
                members.setdefault(story, []).append(((not answers, -date, -score, key), (shard, docnum)))
    similar = {}
    for i, row in enumerate(taken):
        if groups[row] >= 0:
            me = (int(shards[row]), int(docnums[row]))
            similar[i] = [member for _, member in sorted(members[int(groups[row])]) if member != me]
    return MergedRanking(shards[chosen], docnums[chosen], scores[chosen], total, facets, similar, timeline)


def merge(windows: list[ShardWindow], depth: int, collapse: bool = False) -> MergedRanking | None:
    """The shards' windows merged into the collection's ranking (see the module's docstring); with `collapse`,
    each story once, as `search.rank.ranking.one_story_once` keeps it. None when the windows do not reach far
    enough for `depth` stories: ask again with more `beyond`."""
    head_size = depth + RERANK_WINDOW
    shards = np.concatenate([np.full(len(w.docnums), i, dtype=np.int64) for i, w in enumerate(windows)])
    docnums, scores, complete, keys, groups = (np.concatenate([getattr(w, name) for w in windows])
                                               for name in ("docnums", "scores", "complete", "keys", "groups"))
    final = np.concatenate([np.concatenate([w.final, np.full(len(w.docnums) - len(w.final), np.nan)])
                            for w in windows])
    order = np.lexsort((keys, -scores, ~complete))
    head = order[:head_size]
    resorted = head[np.lexsort((keys[head], -final[head], ~complete[head]))]
    added = add_facets([w.facets for w in windows])
    facets, timeline = choose_facets(added), timeline_of(added)
    if not collapse or not any(len(w.copies.docnums) for w in windows):
        kept = resorted[:depth]
        return MergedRanking(shards[kept], docnums[kept], final[kept], sum(w.total for w in windows), facets,
                             timeline=timeline)
    rest = order[head_size:]
    # The rest is known in order as far as the shortest answer of a shard that has more candidates reaches.
    position, ends = _reach(order, shards, windows)
    known = rest[position[rest] <= min(ends)] if ends else rest
    ranked = np.concatenate([resorted, known])
    ranked_scores = np.concatenate([final[resorted], scores[known]])
    taken = _each_story_once(ranked, groups, depth)
    if len(taken) < depth and ends:  # the ranking goes on past what the shards gave
        return None
    chosen = np.array(taken, dtype=np.int64)
    place = {row: i for i, row in enumerate(ranked.tolist())}
    stories = np.unique(np.concatenate([w.copies.groups for w in windows]))
    total = sum(w.alone for w in windows) + len(stories)
    similar = _similar(windows, shards, docnums, chosen, groups, set(resorted.tolist()), place)
    chosen_scores = ranked_scores[[place[row] for row in taken]]
    return MergedRanking(shards[chosen], docnums[chosen], chosen_scores, total, facets, similar, timeline)


def _reach(order: np.ndarray, shards: np.ndarray, windows: list[ShardWindow]) -> tuple[np.ndarray, list[int]]:
    """Each row's place in the merged `order`, and where each shard that has more candidates than it gave ends
    in it: the merged order is known as far as the first of those ends."""
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    return position, [int(position[shards == i].max()) for i, w in enumerate(windows)
                      if not w.exhausted and len(w.docnums)]


def _each_story_once(rows: np.ndarray, groups: np.ndarray, depth: int) -> list[int]:
    """The first `depth` of `rows` (in their order) that are each the first of their story (-1: alone)."""
    taken: list[int] = []
    seen: set[int] = set()
    for row in rows.tolist():
        story = int(groups[row])
        if story < 0 or story not in seen:
            taken.append(row)
            seen.add(story)
            if len(taken) == depth:
                break
    return taken


def _similar(windows: list[ShardWindow], shards: np.ndarray, docnums: np.ndarray, chosen: np.ndarray,
             groups: np.ndarray, head: set[int], place: dict[int, int]) -> dict[int, list[tuple[int, int]]]:
    """For each chosen document of a story, the story's other documents in every shard, in the ranking's order:
    those in the head as resorted, then the rest by tier, score and order key."""
    row_of = {(int(s), int(d)): row for row, (s, d) in enumerate(zip(shards.tolist(), docnums.tolist(), strict=True))}
    wanted = {int(groups[row]) for row in chosen.tolist() if groups[row] >= 0}
    members: dict[int, list[tuple[tuple, tuple[int, int]]]] = {}
    for shard, w in enumerate(windows):
        c = w.copies
        mine = np.flatnonzero(np.isin(c.groups, list(wanted)))  # the copies of the shown stories only
        for docnum, story, score, complete, key in zip(c.docnums[mine].tolist(), c.groups[mine].tolist(),
                                                       c.scores[mine].tolist(), c.complete[mine].tolist(),
                                                       c.keys[mine].tolist(), strict=True):
            if story in wanted:
                row = row_of.get((shard, docnum))
                rank = (0, place[row], 0, 0) if row is not None and row in head else (1, not complete, -score, key)
                members.setdefault(story, []).append((rank, (shard, docnum)))
    similar = {}
    for i, row in enumerate(chosen.tolist()):
        story = int(groups[row])
        if story >= 0:
            me = (int(shards[row]), int(docnums[row]))
            similar[i] = [member for _, member in sorted(members[story]) if member != me]
    return similar


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
    merged = merge([scoring_round(s, query, filters, depth, statistics, cross_language) for s in shards], depth)
    assert merged is not None  # without collapse the windows always reach
    return merged


def _fresh(query: ExpandedQuery) -> ExpandedQuery:
    """The query with a budget of its own for this shard and round (the budget is spent as phrases are checked)."""
    return replace(query, budget=PhraseBudget())
