"""Shards of one collection held by Ray actors (`pip install bilingual-search[cluster]`): each actor opens one
shard's snapshot and answers a query's two rounds (`search.rank.shards`); the coordinator runs each round on
every shard at once and merges their answers.

Ray is imported only here, when a cluster is asked for: the library and the single index never need it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from pathlib import Path
from typing import Any

from .errors import SearchError
from .query.correction import TypedQuery
from .query.expansion import ExpandedQuery
from .query.filters import Filters
from .rank.shards import (
    MergedRanking,
    ShardWindow,
    merge,
    needs_extremes,
    rank_across,
    scoring_round,
    statistics_round,
    with_extremes,
)
from .searching import read_query
from .store.opening import open_snapshot
from .store.snapshot import Statistics, order_key
from .store.union import ShardWords

ROUND_TIMEOUT = 30.0  # seconds a round may take on every shard


class ShardServer:
    """One shard's snapshot and what a query asks of it: the body of a Ray actor (`RayShards`), usable as is."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.snapshot = open_snapshot(Path(root))

    def statistics(self, query: ExpandedQuery, filters: Filters, depth: int, cross_language: bool,
                   first: Statistics | None = None) -> Statistics:
        return statistics_round(self.snapshot, query, filters, depth, cross_language, first)

    def score(self, query: ExpandedQuery, filters: Filters, depth: int, statistics: Statistics,
              cross_language: bool) -> ShardWindow:
        return scoring_round(self.snapshot, query, filters, depth, statistics, cross_language)

    def stored(self, docnums: list[int]) -> list[dict[str, Any]]:
        """The stored fields of some of the shard's documents (what a hit shows)."""
        return [dict(self.snapshot.searcher.stored_fields(int(n))) for n in docnums]

    def process(self) -> int:
        import os

        return os.getpid()


def shard_of(doc_id: str, shards: int) -> int:
    """The shard that holds a document: a hash of its id (the order key's), the same on every machine."""
    return order_key(doc_id) % shards


class _ReadsWords:
    """The coordinator's reading of a query: against every shard's words together (`ShardWords`), from the shard
    folders on this machine's disk, so it is read as one index of all their documents reads it."""

    words: ShardWords

    def read(self, text: str, cross_language: bool = True, typos: bool = True,
             prefix: bool = True) -> tuple[TypedQuery, ExpandedQuery]:
        """The query as `Index.search` reads it (typos, keyboard layout, Latin letters, completion of the last
        word, both languages), expanded against the collection's words: what the shards are then asked.
        Raises `QueryError` as `search` does."""
        return read_query(self.words, text, cross_language, typos, prefix)


class LocalShards(_ReadsWords):
    """Shard folders opened in this process, a query's rounds run on one after another (`rank_across`): the
    same answers as `RayShards`, for tests and benchmarks."""

    def __init__(self, roots: list[Path]) -> None:
        self.snapshots = [open_snapshot(Path(root)) for root in roots]
        self.words = ShardWords(self.snapshots)

    def rank(self, query: ExpandedQuery, filters: Filters | None = None, depth: int = 10,
             cross_language: bool = True) -> ClusterRanking:
        ranking = rank_across(self.snapshots, query, filters or Filters(), depth, cross_language)
        documents = [dict(self.snapshots[s].searcher.stored_fields(int(n)))
                     for s, n in zip(ranking.shards.tolist(), ranking.docnums.tolist(), strict=True)]
        return ClusterRanking(ranking, documents)

    def close(self) -> None:
        for snapshot in self.snapshots:
            snapshot.searcher.close()


@dataclass(frozen=True)
class ClusterRanking:
    """A query's ranking over the shards: the merged ranking and the shown documents' stored fields."""

    ranking: MergedRanking
    documents: list[dict[str, Any]]

    @property
    def ids(self) -> list[str]:
        return [d["id"] for d in self.documents]


class RayShards(_ReadsWords):
    """One Ray actor per shard folder, and the query's rounds run on all of them at once. `address` names a
    running cluster (`ray start --head`); without it a local Ray is started on 127.0.0.1 and stopped by
    `close()`. The coordinator reads queries against the shards' words from the same folders (`_ReadsWords`)."""

    def __init__(self, roots: list[Path], address: str | None = None, cpus: int | None = None) -> None:
        try:
            import ray
        except ImportError:
            raise SearchError("shards need Ray: pip install 'bilingual-search[cluster]'") from None
        self._ray = ray
        self._started = not ray.is_initialized()
        if self._started:
            options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                       "configure_logging": False}
            if address:
                ray.init(address=address, **options)
            else:
                ray.init(num_cpus=cpus, _node_ip_address="127.0.0.1", **options)
        actor = ray.remote(num_cpus=0, max_restarts=-1, max_task_retries=1)(ShardServer)
        self.actors: list[Any] = [actor.remote(str(root)) for root in roots]
        self._words = [open_snapshot(Path(root)) for root in roots]
        self.words = ShardWords(self._words)

    def rank(self, query: ExpandedQuery, filters: Filters | None = None, depth: int = 10,
             cross_language: bool = True) -> ClusterRanking:
        """The statistics round and the scoring round on every shard at once, merged; the shown documents'
        stored fields from the shards that hold them."""
        filters = filters or Filters()
        get = self._ray.get
        def round_of(first: Statistics | None) -> Statistics:
            parts = get([a.statistics.remote(query, filters, depth, cross_language, first) for a in self.actors],
                        timeout=ROUND_TIMEOUT)
            return reduce(lambda a, b: a + b, parts)

        statistics = round_of(None)
        if needs_extremes(statistics):
            statistics = with_extremes(statistics, round_of(statistics))
        windows = get([a.score.remote(query, filters, depth, statistics, cross_language) for a in self.actors],
                      timeout=ROUND_TIMEOUT)
        ranking = merge(windows, depth)
        wanted: dict[int, list[int]] = {}
        for shard, docnum in zip(ranking.shards.tolist(), ranking.docnums.tolist(), strict=True):
            wanted.setdefault(shard, []).append(docnum)
        fetched = dict(zip(wanted, get([self.actors[s].stored.remote(d) for s, d in wanted.items()],
                                       timeout=ROUND_TIMEOUT), strict=True))
        position = {shard: 0 for shard in wanted}
        documents = []
        for shard in ranking.shards.tolist():
            documents.append(fetched[shard][position[shard]])
            position[shard] += 1
        return ClusterRanking(ranking, documents)

    def processes(self) -> list[int]:
        return self._ray.get([a.process.remote() for a in self.actors], timeout=ROUND_TIMEOUT)

    def close(self) -> None:
        for actor in self.actors:
            self._ray.kill(actor)
        self.actors = []
        for snapshot in self._words:
            snapshot.searcher.close()
        if self._started:
            self._ray.shutdown()
