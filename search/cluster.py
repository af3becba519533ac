"""Shards of one collection, each served by a `ShardServer`: in this process (`LocalShards`) or in Ray actors
(`RayShards`, `pip install bilingual-search[cluster]`). The coordinator reads the query against every shard's
words together, runs each round (`search.rank.shards`) on every shard, merges their answers, and asks the shards
that hold the shown documents for their hits.

Ray is imported only here, when a cluster is asked for: the library and the single index never need it.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from dataclasses import dataclass, field, replace
from functools import reduce
from pathlib import Path
from typing import Any

import numpy as np

from .errors import SearchError
from .load.documents import Document
from .overview import overview_part
from .present.hits import MAX_SIMILAR_LISTED, make_hit, make_hits, similar_entries
from .present.results import Hit
from .query.correction import TypedQuery
from .query.expansion import ExpandedQuery
from .query.filters import FacetCounts, Filters, choose_facets, timeline_of
from .query.parsing import words_query
from .rank.ranking import ALL_WORDS_MAX_CLAUSES, DATE_SORT_MIN_SHARE, Candidates, clause_scores
from .rank.shards import (
    MergedRanking,
    ShardWindow,
    dated_round,
    merge,
    merge_by_date,
    needs_extremes,
    scored_round,
    statistics_round,
    with_extremes,
)
from .related import arrange, most_telling, opening_words, related_candidates
from .searching import expand_parsed, read_query
from .store.opening import open_snapshot
from .store.positions import PhraseBudget
from .store.schema import stored_document
from .store.sharding import ShardStories, shard_of
from .store.snapshot import ScoringContext, Statistics, column_by_id
from .store.stories import numbers_of
from .store.union import ShardWords

# Seconds an operation (a search with its rounds, a related list) waits for the shards; one that has not answered
# by then is left out and named (a restarting shard's process answers again in about two seconds here).
SHARD_SECONDS = 5.0
START_SECONDS = 120.0  # how long new shard actors may take to start before the first operation (see RayShards)
KEPT_SCORINGS = 8  # operations a shard keeps the scoring of, for their hits (one at a time per coordinator)
LOOPBACK_ONLY = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"
__all__ = ["ClusterRanking", "LocalShards", "RayShards", "ShardServer", "shard_of"]


class ShardUnavailable(SearchError):
    """A shard that cannot answer: its files cannot be read, it is restarting, or it did not answer in time."""


def _each_story_once(entries: list[tuple[int, int, float, int, int]], exhausted: dict[int, bool],
                     limit: int) -> list[tuple[tuple[int, int], float, int]] | None:
    """The shards' best related documents of one kind, (shard, document number, score, order key, story),
    merged best first with each story once, the first `limit` as ((shard, document number), score, order key);
    None when a shard that has more ends before `limit` stories are known."""
    entries.sort(key=lambda entry: (-entry[2], entry[3]))
    last = {shard: i for i, (shard, *_rest) in enumerate(entries)}
    known = min((last.get(shard, -1) for shard, done in exhausted.items() if not done), default=len(entries))
    kept, seen = [], set()
    for shard, docnum, score, key, story in entries[: known + 1]:
        if story < 0 or story not in seen:
            seen.add(story)
            kept.append(((shard, docnum), score, key))
            if len(kept) == limit:
                return kept
    return kept if known >= len(entries) else None


class ShardServer:
    """One shard's snapshot and what a query asks of it: the body of a Ray actor (`RayShards`), usable as is."""

    def __init__(self, root: str, generation: str | None = None,
                 stories: ShardStories | None = None) -> None:
        """`stories`: where to read which of the shard's documents share a story with others, in any shard
        (`search.store.sharding.Layout.stories_of`); without it, the shard's own stories."""
        self.root = root
        self.scored: dict[str, tuple[ExpandedQuery, list[np.ndarray]]] = {}  # see _keep
        self.broken = ""  # why the shard cannot be read, when it cannot: every question then says so
        try:
            self.snapshot = self._opened(generation, stories)
        except SearchError as error:  # damaged or missing files: reported, not restarted over and over
            self.broken = str(error)
        except Exception as error:  # noqa: BLE001 - an actor whose start fails would be restarted without end
            self.broken = f"the shard could not be opened ({type(error).__name__}: {error})"

    def _opened(self, generation: str | None, stories: ShardStories | None) -> ScoringContext:
        snapshot = open_snapshot(Path(self.root), Path(self.root) / generation if generation else None)
        if stories is not None:
            snapshot.stories = numbers_of(snapshot.leaves, snapshot.size, *stories.read())
        return snapshot

    def reopen(self, generation: str | None, stories: ShardStories | None = None) -> None:
        """Serve another generation of the shard (a write published it) from now on."""
        old = None if self.broken else self.snapshot
        try:
            self.snapshot, self.broken = self._opened(generation, stories), ""
        except SearchError as error:
            self.broken = str(error)
        if old is not None:
            old.searcher.close()

    def __getattribute__(self, name: str) -> Any:
        # Every question but these is refused, saying why, by a shard whose files cannot be read.
        if name in _ASKED and object.__getattribute__(self, "broken"):
            raise ShardUnavailable(object.__getattribute__(self, "broken"))
        return object.__getattribute__(self, name)

    def statistics(self, query: ExpandedQuery, filters: Filters, depth: int, cross_language: bool,
                   first: Statistics | None = None) -> Statistics:
        return statistics_round(self.snapshot, query, filters, depth, cross_language, first)

    def score(self, query: ExpandedQuery, filters: Filters, depth: int, statistics: Statistics,
              cross_language: bool, collapse: bool = False, beyond: int = 0, token: str = "") -> ShardWindow:
        window, found = scored_round(self.snapshot, query, filters, depth, statistics, cross_language, collapse,
                                     beyond)
        self._keep(token, found)
        return window

    def dated(self, query: ExpandedQuery, filters: Filters, depth: int, statistics: Statistics,
              cross_language: bool, collapse: bool, threshold: float | None, beyond: int,
              token: str = "") -> ShardWindow:
        window, found = dated_round(self.snapshot, query, filters, depth, statistics, cross_language, collapse,
                                    threshold, beyond)
        self._keep(token, found)
        return window

    def _keep(self, token: str, found: Candidates) -> None:
        """The query as scored and its clauses' own scores, for the hits the same operation asks next."""
        if token:
            self.scored[token] = (found.query, found.own)
            while len(self.scored) > KEPT_SCORINGS:
                self.scored.pop(next(iter(self.scored)))

    def hits(self, query: ExpandedQuery, statistics: Statistics, docnums: list[int], scores: list[float],
             highlight: bool, cross_language: bool, token: str = "") -> list[Hit]:
        """Hits of some of the shard's documents, as the single index makes them: marks, snippets, and what
        matched through the other language (the query as scored with the collection's statistics: kept from
        the operation's scoring round, `token`, or scored again)."""
        view = self.snapshot.scored_with(statistics)
        kept = self.scored.pop(token, None) if token else None
        if kept is not None:
            scored, own = kept
        else:
            scored, own, _ = clause_scores(view, replace(query, budget=PhraseBudget()), cross_language)
        return make_hits(view, scored, np.asarray(docnums, dtype=np.int64), np.asarray(scores, dtype=np.float64),
                         highlight, own if cross_language else [])

    def related(self, query: ExpandedQuery, statistics: Statistics, doc_id: str | None, lang: str, story: int,
                first: int) -> list[tuple[list[tuple[int, float, int, int]], bool]]:
        """For the related query of a document (held here when `doc_id` names it), the shard's best in the
        other language and in the document's own (`search.related.related_candidates`), scored with the
        collection's statistics: each kind's first `first` as (document number, score, order key, story), and
        whether that is all of them."""
        view = self.snapshot.scored_with(statistics)
        docnum = view.searcher.document_number(id=doc_id) if doc_id is not None else None
        answers = []
        for kind in related_candidates(view, replace(query, budget=PhraseBudget()), docnum, lang, story, None):
            answers.append(([(d, score, key, int(view.stories[d])) for d, score, key in kind[:first]],
                            len(kind) <= first))
        return answers

    def text_frequencies(self, terms: list[str]) -> dict[str, int]:
        """Each term's document frequency in the text field (what a document's telling words are weighed by)."""
        return {term: self.snapshot.searcher.doc_frequency("text", term) for term in terms}

    def plain_hits(self, docnums: list[int], scores: list[float]) -> list[Hit]:
        """Hits without marks or snippets (a related list's)."""
        return [make_hit(self.snapshot, None, docnum, score, False, [], {})
                for docnum, score in zip(docnums, scores, strict=True)]

    def stored(self, docnums: list[int]) -> list[dict[str, Any]]:
        """The stored fields of some of the shard's documents."""
        return [dict(self.snapshot.searcher.stored_fields(int(n))) for n in docnums]

    def document(self, doc_id: str) -> dict[str, Any] | None:
        stored = self.snapshot.searcher.document(id=doc_id)
        return dict(stored) if stored is not None else None

    def story(self, doc_id: str) -> int:
        """The story number of a document the shard holds (-1 alone or absent)."""
        docnum = self.snapshot.searcher.document_number(id=doc_id)
        return int(self.snapshot.stories[docnum]) if docnum is not None else -1

    def languages(self) -> dict[str, int]:
        """How many live documents of each language the shard holds."""
        langs: dict[str, int] = {}
        for lang in column_by_id(self.snapshot.searcher.reader(), "lang").values():
            langs[lang] = langs.get(lang, 0) + 1
        return langs

    def documents(self) -> int:
        return self.snapshot.searcher.doc_count()

    def overview(self) -> dict[str, Any]:
        """The shard's part of the collection's overview (`search.overview.overview_part`)."""
        return overview_part(self.snapshot)

    def origins(self) -> dict[str, str]:
        """Every live document's id with the file it was read from."""
        return column_by_id(self.snapshot.searcher.reader(), "origin")

    def process(self) -> int:
        return os.getpid()

    def close(self) -> None:
        if not self.broken:
            self.snapshot.searcher.close()


_ASKED = frozenset({"statistics", "score", "dated", "hits", "related", "text_frequencies", "plain_hits", "stored",
                    "document", "story", "languages", "documents", "origins", "overview"})  # "process" answers even so


@dataclass(frozen=True)
class ClusterRanking:
    """A query's ranking over the shards: the merged ranking, the shown documents' stored fields, and the
    collection's statistics it was scored with (what the hits are made with)."""

    ranking: MergedRanking
    documents: list[dict[str, Any]]
    statistics: Statistics

    @property
    def ids(self) -> list[str]:
        return [d["id"] for d in self.documents]


@dataclass
class _Operation:
    """One operation's state on the shards: those left out (and why), its deadline, and the token that names its
    scoring on them."""

    gone: dict[int, str]
    deadline: float
    token: str
    spent: dict[str, float] = field(default_factory=dict)  # milliseconds each kind of round took in all


class _Shards:
    """What both kinds of shards do with their servers: read a query against their words together, run the
    rounds on every shard, merge, fetch hits. `_on` runs one method on some shards (each with its arguments).

    A shard that fails (its files damaged, its process killed and restarting, or no answer by the deadline set
    with `begin`) is left out of the rest of the operation and named in `gone`, with why: the answer is then
    partial, and says so, rather than late or smaller without a word."""

    words: ShardWords
    count: int
    concurrent = False  # whether operations may run at once from several threads (their rounds in Ray actors)
    _operation: threading.local

    @property
    def gone(self) -> dict[int, str]:
        """The shards left out of this thread's operation, with why."""
        return self._current_operation().gone

    def _current_operation(self) -> _Operation:
        operation = getattr(self._operation, "current", None)
        if operation is None:
            self.begin()
            operation = self._operation.current
        return operation

    broken: dict[int, str]  # shards whose files cannot be read, found when they were opened

    seconds: float = SHARD_SECONDS  # what an operation may take

    def begin(self, seconds: float | None = None) -> None:
        """Start an operation (`rank` and the `hits` after it, `related`, `document`): every shard counted in
        again but those whose files cannot be read, `seconds` (`self.seconds`) for it all."""
        if not hasattr(self, "_operation"):
            self._operation = threading.local()
        self._operation.current = _Operation(dict(self.broken),
                                             time.monotonic() + (self.seconds if seconds is None else seconds),
                                             uuid.uuid4().hex)

    def _on(self, method: str, calls: dict[int, tuple]) -> dict[int, Any]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def reopen(self, generations: list[str], stories: list[ShardStories | None] | None = None) -> None:
        """Serve other generations of the shards (a write published them together), the same servers on."""
        grouped: list[ShardStories | None] = list(stories) if stories else [None] * self.count
        self.begin()
        self._on("reopen", {shard: (generations[shard], grouped[shard]) for shard in range(self.count)})
        self._reopen_words(generations)

    def _reopen_words(self, generations: list[str]) -> None:
        raise NotImplementedError

    def _on_all(self, method: str, *args: Any) -> dict[int, Any]:
        """`method` on every shard still in, with the same arguments: the answers of those that gave one."""
        return self._on(method, dict.fromkeys(range(self.count), args))

    def _timed(self, method: str, started: float) -> None:
        spent = self._current_operation().spent
        spent[method] = spent.get(method, 0.0) + (time.perf_counter() - started) * 1000

    def spent(self) -> dict[str, float]:
        """The milliseconds each kind of round ("statistics", "score", "hits", ...) took in this thread's last
        operation, on every shard at once: where a sharded search spends its time."""
        return dict(self._current_operation().spent)

    def _left_out(self, shard: int, why: str) -> None:
        self._current_operation().gone.setdefault(shard, why)

    def read(self, text: str, cross_language: bool = True, typos: bool = True,
             prefix: bool = True) -> tuple[TypedQuery, ExpandedQuery]:
        """The query as `Index.search` reads it (typos, keyboard layout, Latin letters, completion of the last
        word, both languages), against every shard's words together (`ShardWords`, from the shard folders on
        this machine's disk): what the shards are then asked. Raises `QueryError` as `search` does."""
        return read_query(self.words, text, cross_language, typos, prefix)

    def rank(self, query: ExpandedQuery, filters: Filters | None = None, depth: int = 10,
             cross_language: bool = True, collapse: bool = False, sort: str = "relevance",
             fetch: bool = True) -> ClusterRanking:
        """The statistics round (twice for a word being typed) and the scoring round on every shard, merged
        (with `collapse`, each story once: asked again, further down, in the rare case that copies of stories
        take up what the shards gave); with `sort="date"`, newest first as `search.rank.ranking.by_date` sorts
        (a long query asks first for the best score, which says which documents answer it). The shown
        documents' stored fields come from the shards that hold them."""
        self.begin()
        filters = filters or Filters()

        def round_of(first: Statistics | None) -> Statistics:
            parts = self._on_all("statistics", query, filters, depth, cross_language, first)
            return reduce(lambda a, b: a + b, parts.values(), Statistics.empty())

        statistics = round_of(None)
        if needs_extremes(statistics):
            statistics = with_extremes(statistics, round_of(statistics))
        beyond = depth if collapse else 0
        if sort == "date":
            threshold = None
            if len(query.clauses) > ALL_WORDS_MAX_CLAUSES:
                bests = self._on_all("dated", query, filters, 0, statistics, cross_language, False, None, 0)
                threshold = DATE_SORT_MIN_SHARE * max((w.best for w in bests.values()), default=0.0)
            while (ranking := self._merged(merge_by_date, self._on_all(
                    "dated", query, filters, depth, statistics, cross_language, collapse, threshold, beyond,
                    self._current_operation().token), depth, collapse)) is None:
                beyond = max(4 * beyond, depth)
        else:
            while (ranking := self._merged(merge, self._on_all(
                    "score", query, filters, depth, statistics, cross_language, collapse, beyond,
                    self._current_operation().token),
                    depth, collapse)) is None:
                beyond *= 4
        if not fetch:
            return ClusterRanking(ranking, [], statistics)
        documents = self._gathered("stored", ranking, 0, lambda docnums, scores: (docnums,))
        return ClusterRanking(_shown(ranking, documents), [d for d in documents if d is not None], statistics)

    def _merged(self, merging, windows: dict[int, ShardWindow], depth: int, collapse: bool) -> MergedRanking | None:
        """A merge of the windows of the shards that answered, its shard numbers the collection's (nothing found
        when none answered: `gone` names them all)."""
        answered = sorted(windows)
        if not answered:
            empty = np.zeros(0, dtype=np.int64)
            return MergedRanking(empty, empty, np.zeros(0), 0, choose_facets(FacetCounts({})),
                                 timeline=timeline_of(FacetCounts({})))
        merged = merging([windows[shard] for shard in answered], depth, collapse)
        if merged is None:
            return None
        number = np.array(answered, dtype=np.int64)
        return replace(merged, shards=number[merged.shards] if len(merged.shards) else merged.shards,
                       similar={i: [(answered[s], d) for s, d in others] for i, others in merged.similar.items()})

    def hits(self, query: ExpandedQuery, ranked: ClusterRanking, start: int = 0, highlight: bool = True,
             cross_language: bool = True) -> list[Hit]:
        """The hits of the ranking from `start` on, each made by the shard that holds it, with the first of the
        other documents of its story (`similar`) from the shards that hold them."""
        ranking = ranked.ranking
        hits = self._gathered("hits", ranking, start, lambda docnums, scores: (
            query, ranked.statistics, docnums, scores, highlight, cross_language, self._current_operation().token))
        listed = {i: others[:MAX_SIMILAR_LISTED] for i, others in ranking.similar.items() if i >= start and others}
        wanted: dict[int, list[int]] = {}
        for others in listed.values():
            for shard, docnum in others:
                wanted.setdefault(shard, []).append(docnum)
        fields = self._on("stored", {shard: (docnums,) for shard, docnums in wanted.items()})
        stored = {(shard, docnum): found for shard, docnums in wanted.items() if shard in fields
                  for docnum, found in zip(docnums, fields[shard], strict=True)}
        for i, others in listed.items():
            if hits[i - start] is not None:
                entries = similar_entries([stored[member] for member in others if member in stored])
                hits[i - start] = replace(hits[i - start], similar_count=len(ranking.similar[i]), similar=entries)
        return [hit for hit in hits if hit is not None]

    def _gathered(self, method: str, ranking: MergedRanking, start: int, arguments) -> list:
        """`method` asked of each shard for its documents in the ranking from `start`, answers in rank order
        (None for a document whose shard did not answer)."""
        shards, docnums, scores = (a[start:].tolist() for a in (ranking.shards, ranking.docnums, ranking.scores))
        wanted: dict[int, tuple[list[int], list[float]]] = {}
        for shard, docnum, score in zip(shards, docnums, scores, strict=True):
            mine = wanted.setdefault(shard, ([], []))
            mine[0].append(docnum)
            mine[1].append(score)
        answers = self._on(method, {shard: arguments(*mine) for shard, mine in wanted.items()})
        position = dict.fromkeys(wanted, 0)
        gathered = []
        for shard in shards:
            gathered.append(answers[shard][position[shard]] if shard in answers else None)
            position[shard] += 1
        return gathered

    def related(self, doc_id: str, limit: int = 10) -> list[Hit] | None:
        """The documents closest to the one with this id, as `Index.related` lists them (`search.related`): its
        telling words weighed with the collection's frequencies, read against every shard's words, scored on
        every shard with the collection's statistics, merged each story once; None when there is no such
        document (or its shard does not answer: `gone` says so)."""
        self.begin()
        home = shard_of(doc_id, self.count)
        stored = self._on("document", {home: (doc_id,)}).get(home)
        if stored is None:
            return None
        weights = opening_words(stored.get("title") or "", stored.get("text") or "")
        terms = sorted({term for terms in weights for term in terms})
        frequencies: dict[str, int] = {}
        for found in self._on_all("text_frequencies", terms).values():
            for term, count in found.items():
                frequencies[term] = frequencies.get(term, 0) + count
        words = most_telling(weights, frequencies, sum(self._on_all("documents").values()))
        if not words:
            return []
        query = expand_parsed(self.words, words_query(words), cross_language=True)
        statistics = reduce(lambda a, b: a + b, self._on_all("statistics", query, Filters(), limit, True,
                                                             None).values(), Statistics.empty())
        story = int(self._on("story", {home: (doc_id,)}).get(home, -1))
        first = 2 * limit
        while True:
            answers = self._on_all("related", query, statistics, doc_id, stored.get("lang") or "", story, first)
            kinds = [_each_story_once([(shard, *entry) for shard, answer in answers.items()
                                       for entry in answer[kind][0]],
                                      {shard: answer[kind][1] for shard, answer in answers.items()}, limit)
                     for kind in range(2)]
            if all(kind is not None for kind in kinds):
                break
            first *= 4
        other, own = (kind or [] for kind in kinds)
        ranked = arrange(other, own, limit)
        hits = self._gathered("plain_hits", MergedRanking(
            np.array([shard for (shard, _), _, _ in ranked], dtype=np.int64),
            np.array([docnum for (_, docnum), _, _ in ranked], dtype=np.int64),
            np.array([score for _, score, _ in ranked]), len(ranked), {}), 0,
            lambda docnums, scores: (docnums, scores))
        return [hit for hit in hits if hit is not None]

    def document(self, doc_id: str) -> Document | None:
        """The stored document with this id, from the shard its id hashes to (None when it does not answer:
        `gone` says so)."""
        self.begin()
        stored = self._on("document", {shard_of(doc_id, self.count): (doc_id,)})
        found = next(iter(stored.values()), None)
        return stored_document(found) if found is not None else None


def _shown(ranking: MergedRanking, documents: list) -> MergedRanking:
    """The ranking without the documents whose shard did not answer for their fields."""
    if all(d is not None for d in documents):
        return ranking
    keep = np.array([d is not None for d in documents], dtype=bool)
    return replace(ranking, shards=ranking.shards[keep], docnums=ranking.docnums[keep], scores=ranking.scores[keep],
                   similar={})


class LocalShards(_Shards):
    """Shard folders served in this process, a query's rounds run on one shard after another: the same answers
    as `RayShards`, for tests, benchmarks and a sharded index on one machine without Ray. `generations` names
    the generation of each shard to open (the live one of each by default)."""

    def __init__(self, roots: list[Path], generations: list[str] | None = None,
                 stories: list[ShardStories | None] | None = None) -> None:
        names: list[str | None] = list(generations) if generations else [None] * len(roots)
        grouped: list[ShardStories | None] = list(stories) if stories else [None] * len(roots)
        self.servers = [ShardServer(str(root), name, story) for root, name, story in zip(roots, names, grouped,
                                                                                         strict=True)]
        self.count = len(self.servers)
        self._reopen_words([])
        self.begin()

    def _on(self, method: str, calls: dict[int, tuple]) -> dict[int, Any]:
        started = time.perf_counter()
        answers = {}
        for shard, args in calls.items():
            if shard in self.gone:
                continue
            try:
                answers[shard] = getattr(self.servers[shard], method)(*args)
            except SearchError as error:  # its files cannot be read
                self._left_out(shard, str(error))
        self._timed(method, started)
        return answers

    def _reopen_words(self, generations: list[str]) -> None:
        self.broken = {i: server.broken for i, server in enumerate(self.servers) if server.broken}
        self.snapshots = [server.snapshot for server in self.servers if not server.broken]
        self.words = ShardWords(self.snapshots)

    def close(self) -> None:
        for server in self.servers:
            server.close()


class RayShards(_Shards):
    """One Ray actor per shard folder, and each round run on all of them at once. `address` names a running
    cluster (`ray start --head`); without it a local Ray is started on 127.0.0.1 and stopped by `close()`. The
    coordinator reads queries against the shards' words from the same folders on its own disk. Operations may
    run at once from several threads (each actor answers one call at a time)."""

    concurrent = True

    def __init__(self, roots: list[Path], generations: list[str] | None = None,
                 stories: list[ShardStories | None] | None = None, address: str | None = None,
                 cpus: int | None = None) -> None:
        if address is None:
            # A Ray of our own listens on loopback only: Ray binds a node to the machine's reachable address unless
            # told, before it is imported, that this is no cluster (its switch for laptops: macOS and Windows).
            os.environ.setdefault(LOOPBACK_ONLY, "0")
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
        names: list[str | None] = list(generations) if generations else [None] * len(roots)
        actor = ray.remote(num_cpus=0, max_restarts=-1, max_task_retries=1)(ShardServer)
        grouped: list[ShardStories | None] = list(stories) if stories else [None] * len(roots)
        self.actors: list[Any] = [actor.remote(str(root), name, story)
                                  for root, name, story in zip(roots, names, grouped, strict=True)]
        # Started (its process, the imports, the shard opened) before the first operation's few seconds count: on
        # a busy machine that took longer than SHARD_SECONDS, and the first searches found every shard missing.
        ray.wait([shard.process.remote() for shard in self.actors], num_returns=len(self.actors),
                 timeout=START_SECONDS)
        self.count = len(self.actors)
        self.roots = [Path(root) for root in roots]
        self._words: list[ScoringContext] = []
        self._reopen_words(names)
        self.begin()

    def _reopen_words(self, generations: list) -> None:
        """The coordinator's own snapshots of the shards, for their words (a damaged shard's left out)."""
        old, self._words, self.broken = self._words, [], {}
        for shard, (root, name) in enumerate(zip(self.roots, generations, strict=True)):
            try:
                self._words.append(open_snapshot(root, root / name if name else None))
            except SearchError as error:
                self.broken[shard] = str(error)
        self.words = ShardWords(self._words)
        for snapshot in old:
            snapshot.searcher.close()

    def _on(self, method: str, calls: dict[int, tuple]) -> dict[int, Any]:
        """`method` on the shards' actors at once, waiting until the operation's deadline: a shard whose actor
        has died (Ray restarts it), refuses (its files cannot be read) or has not answered by then is left out."""
        ray = self._ray
        started = time.perf_counter()
        pending = {shard: getattr(self.actors[shard], method).remote(*args) for shard, args in calls.items()
                   if shard not in self.gone}
        if not pending:
            return {}
        ready, _ = ray.wait(list(pending.values()), num_returns=len(pending),
                            timeout=max(0.0, self._current_operation().deadline - time.monotonic()))
        answered = set(ready)
        answers = {}
        for shard, ref in pending.items():
            if ref not in answered:
                self._left_out(shard, f"it did not answer within {SHARD_SECONDS:g} s")
                continue
            try:
                answers[shard] = ray.get(ref)
            except ray.exceptions.RayTaskError as error:
                if not isinstance(error.cause, SearchError):
                    raise
                self._left_out(shard, str(error.cause))
            except ray.exceptions.RayActorError:
                self._left_out(shard, "its process ended; Ray is starting it again")
        self._timed(method, started)
        return answers

    def processes(self) -> list[int]:
        """Each shard actor's process id (for tests and the fault bench)."""
        self.begin()
        answers = self._on_all("process")
        return [answers.get(shard, 0) for shard in range(self.count)]

    def close(self) -> None:
        for actor in self.actors:
            self._ray.kill(actor)
        self.actors = []
        for snapshot in self._words:
            snapshot.searcher.close()
        if self._started:
            self._ray.shutdown()
