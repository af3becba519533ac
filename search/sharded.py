"""A collection in shards with the interface of `Index`: build, update, delete, search, document, stats.

Its folder holds one index folder per shard and a SHARDS file naming the generation of each that readers open
together (`search.store.sharding`). Its searches run as docs/scaling.md says, on shards served in this process
(`LocalShards`) or by Ray actors (`RayShards`, with `ray=True` or a cluster's `address`), and give what one
index of the same documents gives: the same corrections, ids, order, scores, totals, facets and hits.

Stories (one story once) are grouped across the shards at each write.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from .cluster import SHARD_SECONDS, LocalShards, RayShards, _Shards
from .errors import IndexDamagedError, QueryError, SearchError
from .index import DEFAULT_PROCS, MAX_RELATED, Index, document_view
from .load.documents import Document
from .overview import overview_of, written_at
from .present.results import DocumentView, Hit, SearchResult
from .query.expansion import ExpandedQuery
from .query.filters import SORTS, Filters
from .query.parsing import MAX_QUERY_CHARS
from .store import generations, sharding
from .store.opening import check_generation
from .store.writing import Progress, WriteStats
from .suggesting import Suggestions, suggest_with

__all__ = ["ShardedIndex", "is_sharded", "open_index", "write_sharded"]
is_sharded = sharding.is_sharded
STARTING_SECONDS = 60.0


def _said(missing: list[dict[str, str]]) -> str:
    return "; ".join(f"{m['shard']}: {m['reason']}" for m in missing)


def open_index(path: str | os.PathLike, ray: bool = False, address: str | None = None) -> Index | ShardedIndex:
    """The index at `path`, one or in shards, whichever it holds."""
    if sharding.is_sharded(Path(path)):
        return ShardedIndex.open(path, ray, address)
    return Index.open(path)


def write_sharded(path: str | os.PathLike, documents: Iterable[Document], shards: int | None,
                  progress: Progress | None = None, procs: int | None = None, wait: bool = True,
                  rebuild: bool = False) -> ShardedIndex:
    """What `bilingual-search index --shards N` does: update the sharded index at `path` in its shards, or build
    it in `shards` shards when there is none yet (or `rebuild`). `SearchError` for a number of shards other than
    the index's without `rebuild`, and for a folder that holds one index."""
    root = Path(path)
    if sharding.is_sharded(root) and not rebuild:
        layout = sharding.read_layout(root)
        if shards is not None and shards != layout.shards:
            raise SearchError(f"The index at {root} has {layout.shards} shards. To build it in {shards}: "
                              f"bilingual-search index PATH --index {root} --rebuild --shards {shards}")
        index = ShardedIndex.open(root)
        index.update(documents, progress=progress, wait=wait)
        return index
    if not sharding.is_sharded(root) and not rebuild and generations.published(root):
        raise SearchError(f"The index at {root} is one index, not shards. To build it in shards: "
                          f"bilingual-search index PATH --index {root} --rebuild --shards {shards or 'N'}")
    if shards is None:
        shards = sharding.read_layout(root).shards
    return ShardedIndex.build(root, documents, shards, progress=progress, procs=procs, wait=wait)


class _Sharing:
    """Many operations at once, or one change alone (a readers-writer lock; an operation in progress may start
    another inside it)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._operations = 0
        self._changing = False

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        with self._changed:
            self._changed.wait_for(lambda: not self._changing)
            self._operations += 1
        try:
            yield
        finally:
            with self._changed:
                self._operations -= 1
                self._changed.notify_all()

    @contextlib.contextmanager
    def changing(self) -> Iterator[None]:
        with self._changed:
            self._changed.wait_for(lambda: not self._changing and not self._operations)
            self._changing = True
        try:
            yield
        finally:
            with self._changed:
                self._changing = False
                self._changed.notify_all()


class ShardedIndex:
    """A sharded index on disk. Create one with `ShardedIndex.build` or `ShardedIndex.open`."""

    def __init__(self, root: Path, ray: bool = False, address: str | None = None,
                 timeout: float = SHARD_SECONDS) -> None:
        self.root = Path(root)
        self.timeout = timeout  # seconds an operation waits for the shards before it answers without some
        self._ray, self._address = ray or address is not None, address
        # Searchers in this process are read by one thread at a time (as an Index lane): every operation on
        # shards served here, and the coordinator's reading of a query's words, hold this lock.
        self._lock = threading.RLock()
        self._sharing = _Sharing()  # operations at once, or a change of generations alone
        self._thread = threading.local()
        self.layout = sharding.read_layout(self.root)
        self._shards: _Shards = self._serve(self.layout)
        self.last_write = WriteStats()
        self._overview: tuple[sharding.Layout, dict] | None = None

    def _serve(self, layout: sharding.Layout) -> _Shards:
        shards: _Shards
        if self._ray:
            shards = RayShards(layout.roots(), list(layout.generations), layout.stories_of(), address=self._address)
        else:
            shards = LocalShards(layout.roots(), list(layout.generations), layout.stories_of())
        shards.seconds = self.timeout
        return shards

    @classmethod
    def open(cls, path: str | os.PathLike, ray: bool = False, address: str | None = None,
             timeout: float = SHARD_SECONDS) -> ShardedIndex:
        """Open the sharded index at `path` (`IndexNotFoundError` without one, `IndexDamagedError` when SHARDS
        cannot be read); with `ray` or `address`, its shards are served by Ray actors. A search (a related
        list, a document) waits `timeout` seconds for the shards, then answers without those that have not
        answered, naming them (`SearchResult.missing`)."""
        return cls(Path(path), ray, address, timeout)

    @staticmethod
    def shards_at(path: str | os.PathLike) -> int:
        """How many shards the sharded index at `path` has (`IndexNotFoundError` when it holds none)."""
        return sharding.read_layout(Path(path)).shards

    @classmethod
    def build(cls, path: str | os.PathLike, documents: Iterable[Document], shards: int,
              progress: Progress | None = None, procs: int | None = None, wait: bool = True, ray: bool = False,
              address: str | None = None) -> ShardedIndex:
        """Build `shards` shards from `documents` (each to the shard its id hashes to) and publish them together;
        the old shards serve until then. Holds the collection's write lock throughout (another writer waits, or
        with `wait=False` this one raises `IndexLockedError`). `procs` writer processes per shard."""
        procs = min(DEFAULT_PROCS, os.cpu_count() or 1) if procs is None else procs
        _, stats = sharding.build(Path(path), documents, shards, progress=progress, procs=procs, wait=wait)
        index = cls(Path(path), ray, address)
        index.last_write = stats
        return index

    def update(self, documents: Iterable[Document], progress: Progress | None = None,
               wait: bool = True) -> WriteStats:
        """Add new documents and replace changed ones, each in its shard; the shards are published together."""
        _, stats = sharding.update(self.root, documents, progress=progress, wait=wait)
        self.last_write = stats
        return stats

    def delete(self, ids: Iterable[str], wait: bool = True) -> int:
        """Remove documents by id; returns how many were removed."""
        return sharding.delete(self.root, ids, wait=wait)[1]

    @contextlib.contextmanager
    def _serving(self) -> Iterator[_Shards]:
        """The shards to run an operation on: those of the layout SHARDS names now (served anew, while no
        operation runs, when a write has published another). Operations on Ray actors run at once from many
        threads; those on shards in this process, one at a time."""
        nested = getattr(self._thread, "serving", None)
        if nested is not None:  # an operation inside another (the titles of a suggestion)
            yield nested
            return
        if sharding.read_layout(self.root) != self.layout:
            with self._sharing.changing():
                self._current()
        with self._sharing.reading():
            shards = self._shards
            self._thread.serving = shards
            try:
                with contextlib.nullcontext() if shards.concurrent else self._lock:
                    yield shards
            finally:
                self._thread.serving = None

    def _current(self) -> _Shards:
        """The shards of the layout SHARDS names now, served anew when a write has published another."""
        layout = sharding.read_layout(self.root)
        if layout != self.layout:
            if layout.shards == self.layout.shards:
                self._shards.reopen(list(layout.generations), layout.stories_of())
            else:  # rebuilt in another number of shards: the old servers go first (and a Ray they started)
                self._shards.close()
                self._shards = self._serve(layout)
            self.layout = layout
        return self._shards

    def search(self, query: str, page: int = 1, per_page: int = 10, lang: str | None = None,
               highlight: bool = True, cross_language: bool = True, typos: bool = True,
               prefix: bool = True, collapse: bool = True, since=None, until=None, source=None, topic=None,
               sort: str = "relevance") -> SearchResult:
        """`Index.search` across the shards, with the same arguments and result."""
        if not isinstance(page, int) or page < 1:
            raise QueryError("page must be a whole number, 1 or more.")
        if not isinstance(per_page, int) or not 1 <= per_page <= 1000:
            raise QueryError("per_page must be a whole number from 1 to 1000.")
        if sort not in SORTS:
            raise QueryError(f"sort must be {' or '.join(SORTS)}, not {sort!r}.")
        filters = Filters.of(lang, since, until, source, topic)
        started = time.perf_counter()
        with self._serving() as shards:
            with self._lock:  # the coordinator's snapshots of the shards' words
                typed, expanded = shards.read(query, cross_language, typos, prefix)
            if not filters.lang and expanded.parsed.lang:  # lang: in the query
                filters = replace(filters, lang=expanded.parsed.lang)
            ranked = shards.rank(expanded, filters, page * per_page, cross_language, collapse, sort, fetch=False)
            hits = shards.hits(expanded, ranked, (page - 1) * per_page, highlight, cross_language)
            missing = self._missing(shards)
        return SearchResult(query=query, page=page, per_page=per_page, total=ranked.ranking.total,
                            took_ms=(time.perf_counter() - started) * 1000, hits=hits,
                            facets=ranked.ranking.facets, searched=typed.searched,
                            corrections=list(typed.corrections), suggestion=typed.suggestion, missing=missing,
                            timeline=ranked.ranking.timeline)

    def rounds(self) -> dict[str, float]:
        """The milliseconds each kind of round ("statistics", "score", "hits", ...) took, on every shard at
        once, in the last search (or related list) this thread ran: where a sharded search spends its time."""
        return self._shards.spent()

    def _missing(self, shards: _Shards) -> list[dict[str, str]]:
        """The shards left out of the last operation, each named with why."""
        return [{"shard": self.layout.folder(shard).name, "reason": why} for shard, why in sorted(shards.gone.items())]

    def ids(self) -> dict[str, str]:
        """Every document id with the file it was read from on this machine (its `origin`); `SearchError` when
        a shard does not answer (a prune must not take its documents for gone)."""
        with self._serving() as shards:
            shards.begin(self.timeout)
            answers = shards._on_all("origins")
            if shards.gone:
                raise SearchError("Cannot list the documents: " + _said(self._missing(shards)))
            found: dict[str, str] = {}
            for origins in answers.values():
                found.update(origins)
            return found

    def document(self, doc_id: str) -> Document | None:
        """The stored document with this id, or None (also when its shard does not answer: `SearchError` then
        says so, as a missing document is not the same as one out of reach)."""
        with self._serving() as shards:
            found = shards.document(doc_id)
            if shards.gone:
                raise SearchError(f"The document {doc_id!r} cannot be read now: " + _said(self._missing(shards)))
            return found

    def view(self, doc_id: str, query: str = "", cross_language: bool = True, typos: bool = True,
             part: int = 1) -> DocumentView | None:
        """`Index.view`: the document as HTML for reading, every form the query matches marked."""
        doc = self.document(doc_id)
        if doc is None:
            return None

        def read() -> ExpandedQuery:
            with self._serving() as shards, self._lock:
                return shards.read(query, cross_language, typos)[1]
        return document_view(doc, part, read if query else None)

    def suggest(self, text: str, limit: int = 5) -> Suggestions:
        """`Index.suggest`: completions from every shard's words together, and the best documents' titles."""
        if not isinstance(text, str) or len(text) > MAX_QUERY_CHARS:
            return Suggestions(query=text if isinstance(text, str) else "")
        with self._serving() as shards, self._lock:
            return suggest_with(shards.words, lambda query, n: self.search(query, per_page=n, highlight=False).hits,
                                text, limit)

    def related(self, doc_id: str, limit: int = 10) -> list[Hit] | None:
        """`Index.related`: the documents closest to this one, the same story in the other language first."""
        if not isinstance(limit, int) or not 1 <= limit <= MAX_RELATED:
            raise QueryError(f"limit must be a whole number from 1 to {MAX_RELATED}.")
        with self._serving() as shards, self._lock:  # it reads the shards' words in the coordinator too
            hits = shards.related(doc_id, limit)
            if hits is None and shards.gone:
                raise SearchError(f"The document {doc_id!r} cannot be read now: " + _said(self._missing(shards)))
            return hits

    def processes(self) -> list[int]:
        """The process id serving each shard (0 for one that does not answer now): a Ray actor's, or this
        process's."""
        with self._serving() as shards:
            shards.begin()
            answers = shards._on_all("process")
            return [answers.get(shard, 0) for shard in range(shards.count)]

    def warm_up(self) -> None:
        """Read every shard's words now, as the first query would, and wait for every shard's server to be up
        (a Ray actor's process starting: a minute at most)."""
        with self._serving() as shards:
            with self._lock:
                shards.words.vocabulary()
            shards.begin(STARTING_SECONDS)
            shards._on_all("documents")

    def overview(self) -> dict:
        """`Index.overview` over the shards that answer: their counts added up, examples from all their titles."""
        with self._serving() as shards:
            if self._overview is None or self._overview[0] != self.layout:
                shards.begin(self.timeout)
                parts = shards._on_all("overview")
                with self._lock:
                    vocabulary = shards.words.vocabulary()
                updated = max((written_at(generations.read_manifest(self.layout.generation(i)).get("created"))
                               for i in range(self.layout.shards)), default="")
                found = overview_of(list(parts.values()), vocabulary, updated)
                if shards.gone:
                    return {**found, "missing": self._missing(shards)}
                self._overview = (self.layout, found)
            return self._overview[1]

    def check(self, checksums: bool = True) -> dict:
        """`Index.check` for every shard's generation that SHARDS names: the shards whose files are whole
        counted, each damaged one (found now, or when it was opened) named in "missing" with the damage;
        `IndexDamagedError` when none is whole."""
        layout = sharding.read_layout(self.root)
        reports, missing = [], []
        with self._serving() as shards:
            broken = dict(shards.broken) if layout == self.layout else {}  # found when they were opened
        for i in range(layout.shards):
            try:
                if i in broken:
                    raise IndexDamagedError(broken[i])
                reports.append(check_generation(layout.folder(i), layout.generation(i), checksums=checksums))
            except SearchError as error:
                missing.append({"shard": layout.folder(i).name, "reason": str(error)})
        if not reports:
            raise IndexDamagedError(f"No shard of the index at {self.root} can be read: " + _said(missing))
        return {"generation": "+".join(layout.generations),
                "documents": sum(report.get("documents") or 0 for report in reports),
                "files": sum(len(report["files"]) for report in reports),
                "bytes": sum(f["size"] for report in reports for f in report["files"].values()),
                "shards": layout.shards, "missing": missing}

    @property
    def generation(self) -> str:
        """What a server reports as the index's generation: the shards' generations together."""
        return "+".join(self.layout.generations)

    def stats(self) -> dict:
        """Counts for `bilingual-search stats`: documents and languages over the shards, and each shard's."""
        with self._serving() as shards:
            shards.begin(self.timeout)
            documents = shards._on_all("documents")
            langs: dict[str, int] = {}
            for counts in shards._on_all("languages").values():
                for lang, n in counts.items():
                    langs[lang] = langs.get(lang, 0) + n
            missing = self._missing(shards)
        return {"path": str(self.root), "documents": sum(documents.values()),
                "languages": dict(sorted(langs.items())),
                "shards": [{"folder": self.layout.folder(i).name, "generation": self.layout.generations[i],
                            "documents": documents.get(i)} for i in range(self.layout.shards)],
                "missing": missing}

    def __len__(self) -> int:
        """The documents of the shards that answer."""
        with self._serving() as shards:
            shards.begin(self.timeout)
            return sum(shards._on_all("documents").values())

    def close(self) -> None:
        self._shards.close()

    def __del__(self) -> None:
        # As `Index`: one dropped without close() closes its shards' files.
        with contextlib.suppress(Exception):
            self.close()

    def __enter__(self) -> ShardedIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
