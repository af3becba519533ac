"""An index on disk for reading: open, search, fetch documents, stats; writes go through `search.store.writing`."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .analysis.passages import text_parts
from .errors import IndexDamagedError, IndexVersionError, QueryError, SearchError
from .load.documents import Document
from .overview import overview_of, overview_part, written_at
from .present.highlight import highlight, highlight_paragraphs
from .present.results import DocumentView, Hit, SearchResult
from .query.expansion import ExpandedQuery
from .query.filters import SORTS, Filters
from .query.parsing import MAX_QUERY_CHARS
from .related import related_hits
from .searching import read_query, run_search
from .store import generations, writing
from .store.opening import READ_DAMAGE, check_generation, open_generation
from .store.schema import stored_document
from .store.snapshot import DocumentTable, ScoringContext, column_by_id
from .store.vocabulary import Vocabulary
from .store.writing import Progress, WriteStats
from .suggesting import Suggestions, suggest

DEFAULT_INDEX = Path("index")
MAX_RELATED = 50
DEFAULT_PROCS = 2  # measured on RT: 2 processes 1.9x one; more contend for the one writer that merges
# Queries of more words than this (a pasted paragraph, a flood of misspelled words: up to 1,000 characters) read
# through a searcher of their own, so that they queue behind each other and never in front of the short queries
# people type: eight clients sending 1,000-character misspelled queries took a plain `oil` from 7 to 1,800 ms
# (p95) when every query took turns on one searcher. Ten: the most words whose correction is not capped
# (search.query.correction.MAX_CORRECTED_WORDS); a pasted headline is rarely longer.
LONG_QUERY_WORDS = 10
# While short queries run, a long one waits for them between its reads of postings and between its hits: the
# two searchers still share one interpreter lock, and a short query that took turns with a long one for it ran
# at half speed (a plain query's p95 2.3-2.8x quiet under a flood of long ones). It waits no longer in all than
# it has worked, so it takes at most twice its time (a budget of 1 s regardless made a load of 32 clients' long
# queries queue for seconds: p99 9 s), and never more than this.
GIVE_WAY_SECONDS = 1.0
__all__ = ["DEFAULT_INDEX", "LONG_QUERY_WORDS", "Index", "WriteStats", "is_long_query"]


class _Lane:
    """A searcher with its scoring arrays and caches, used by one thread at a time: Whoosh's readers share file
    positions and are not safe to use from two threads at once."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.searcher = None
        self.generation: Path | None = None
        self.scoring: ScoringContext | None = None
        self.started = 0.0  # when the query reading through it began (time.monotonic)
        self.waited = 0.0  # seconds it has given way to others since (see Index._give_way)

    def close(self) -> None:
        with self.lock:
            if self.searcher is not None:
                self.searcher.close()
            self.searcher = self.scoring = None


def is_long_query(text: object) -> bool:
    """Whether a query reads through the searcher of long queries (more than LONG_QUERY_WORDS words): a server
    limits how many of its threads such queries may hold (web: SEARCH_LONG_QUERY_SLOTS)."""
    return isinstance(text, str) and len(text.split()) > LONG_QUERY_WORDS


def _lane_of(text: object) -> str:
    return "long" if is_long_query(text) else "short"


def document_view(doc: Document, part: int, read: Callable[[], ExpandedQuery] | None = None) -> DocumentView:
    """A document as HTML for reading, one part of its text, every form the query `read` reads matches marked
    (see `Index.view`; a query that cannot be parsed leaves it unmarked)."""
    query = None
    if read is not None:
        try:
            query = read()
        except QueryError:
            pass
    parts = text_parts(doc.text)
    if not isinstance(part, int) or not 1 <= part <= len(parts):
        raise QueryError(f"part must be a whole number from 1 to {len(parts)}: the document has "
                         f"{len(parts)} part{'s' if len(parts) > 1 else ''}.")
    start, end = parts[part - 1]
    terms, prefixes, names = set(), set(), set()
    if query is not None:
        terms, prefixes, names = query.highlight_terms, query.highlight_prefixes, query.highlight_names(doc.lang)
    return DocumentView(document=doc, title_html=highlight(doc.title, terms, prefixes, names),
                        paragraphs=highlight_paragraphs(doc.text[start:end], terms, prefixes, names),
                        part=part, parts=len(parts))


class Index:
    """A bilingual search index on disk. Create one with `Index.build` or `Index.open`."""

    def __init__(self, root: Path, generation: Path) -> None:
        self.root = root
        self._generation = generation
        self._ix = open_generation(root, generation)
        self._switching = threading.Lock()  # held while the live generation is looked up and opened
        self._lanes = {"short": _Lane(), "long": _Lane()}
        self._thread = threading.local()  # the lane the current thread reads through
        self._sharing = threading.Lock()  # held while what the lanes share is read
        self._shared_data: tuple[Path | None, Vocabulary, DocumentTable] | None = None
        self._damaged: dict[Path, str] = {}  # generations found changed since they were published: what is wrong
        self._short_queries = 0  # reading, or waiting to read, through the short queries' searcher
        self._no_short_queries = threading.Condition()
        self.last_write = WriteStats()
        self._overview: tuple[Path | None, dict] | None = None

    # -- opening and building -------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike = DEFAULT_INDEX) -> Index:
        """Open the index at `path` after checking its files; raise `IndexNotFoundError`, `IndexVersionError` or
        `IndexDamagedError` saying how to rebuild."""
        root = Path(path)
        generation = generations.live_generation(root)
        if generation is None:
            raise generations.missing_index(root)
        return cls(root, generation)

    @classmethod
    def build(cls, path: str | os.PathLike, documents: Iterable[Document], progress: Progress | None = None,
              procs: int | None = None, wait: bool = True) -> Index:
        """Build a new index from `documents` and swap it in atomically; the old one serves until then.

        Holds the index's write lock throughout: another writer waits (or, with `wait=False`, this one raises
        `IndexLockedError`). Fails with `BuildError` rather than publish an index missing a document.
        `procs` writer processes analyze the documents (default: one per core, at most DEFAULT_PROCS), started
        from a fork server, so it is safe from a threaded server; fewer than PARALLEL_MIN_DOCUMENTS documents
        are written in this process.
        """
        return cls.build_or_update(path, documents, progress=progress, procs=procs, wait=wait, rebuild=True)

    @classmethod
    def build_or_update(cls, path: str | os.PathLike, documents: Iterable[Document],
                        progress: Progress | None = None, procs: int | None = None, wait: bool = True,
                        rebuild: bool = False, rebuild_if_unreadable: bool = False) -> Index:
        """Update the index at `path` with `documents`, or build it when there is none yet (or `rebuild`); what
        `bilingual-search index` does. `index.last_write.built` tells which.

        The choice is made holding the write lock, so two callers on a folder with no index yet end with both
        one's documents: the first builds, the second updates. An index that exists but cannot be opened
        (damaged, an older version's, generations without a CURRENT) raises `IndexDamagedError` or
        `IndexVersionError` before a document is read, unless `rebuild_if_unreadable`.
        """
        procs = min(DEFAULT_PROCS, os.cpu_count() or 1) if procs is None else procs
        root = Path(path)
        final, stats = writing.build_or_update(root, documents, progress=progress, procs=procs, wait=wait,
                                               rebuild=rebuild, rebuild_if_unreadable=rebuild_if_unreadable)
        index = cls(root, final)
        index.last_write = stats
        return index

    @classmethod
    def restore(cls, backup: str | os.PathLike, path: str | os.PathLike = DEFAULT_INDEX, wait: bool = True) -> Index:
        """Make a backup (a copy of an index folder) live at `path`, checked against its checksums and copied
        into a new generation: files a server has open are never overwritten, so it picks the restore up like a
        rebuild. Restoring with `cp` over a live index instead can crash a server reading it (SIGBUS)."""
        writing.restore(Path(backup), Path(path), wait=wait)
        return cls.open(path)

    # -- changing ---------------------------------------------------------------------------------------------

    def update(self, documents: Iterable[Document], progress: Progress | None = None,
               wait: bool = True) -> WriteStats:
        """Add new documents and replace changed ones (by content hash); unchanged ones cost nothing. The live
        index is untouched until the update is complete; a failure changes nothing."""
        stats = writing.update(self.root, documents, progress=progress, wait=wait)
        self.last_write = stats
        return stats

    def delete(self, ids: Iterable[str], wait: bool = True) -> int:
        """Remove documents by id; returns how many were removed."""
        return writing.delete(self.root, ids, wait=wait)

    # -- reading ----------------------------------------------------------------------------------------------

    def search(self, query: str, page: int = 1, per_page: int = 10, lang: str | None = None,
               highlight: bool = True, cross_language: bool = True, typos: bool = True,
               prefix: bool = True, collapse: bool = True, since=None, until=None, source=None, topic=None,
               sort: str = "relevance") -> SearchResult:
        """Ranked, highlighted results for `query`; raises `QueryError` for a query that cannot be searched.

        `highlight=False` skips snippets and title marks, for callers that only want the ranking.
        `cross_language=False` looks for the query's own words only, without translations and name keys.
        `typos=False` searches the words exactly as typed: no typo, keyboard layout or Latin-letter corrections
        (quoted words never get them). `prefix=False` does not let the last word stand for the longer words it
        begins (as a search box does while a word is being typed). `collapse=False` lists every copy of a story
        instead of the best-ranked one with the others as its `similar` (see `search.store.stories`).

        Filters: `lang` ("ru", "en" or "mixed"; documents in both languages are kept under ru and en too);
        `since` and `until` (inclusive; a date, a datetime or text: "2018", "2018-05", "2018-05-29",
        "29 мая 2018"; undated documents drop out); `source` and `topic` (one name, a list, or text with
        commas; sources either-or, topics all-of, case aside). `sort="date"` lists the newest first (those
        with every word of a short query, or scoring near the best for a long one, ahead of the rest);
        `sort="relevance"` is the default. `facets` counts languages, sources and topics.
        """
        if not isinstance(page, int) or page < 1:
            raise QueryError("page must be a whole number, 1 or more.")
        if not isinstance(per_page, int) or not 1 <= per_page <= 1000:
            raise QueryError("per_page must be a whole number from 1 to 1000.")
        if sort not in SORTS:
            raise QueryError(f"sort must be {' or '.join(SORTS)}, not {sort!r}.")
        filters = Filters.of(lang, since, until, source, topic)
        with self._reading(_lane_of(query)):
            return run_search(self._scoring(), query, page=page, per_page=per_page, filters=filters,
                              highlight=highlight, cross_language=cross_language, typos=typos, prefix=prefix,
                              collapse=collapse, sort=sort)

    def read(self, query: str, cross_language: bool = True, typos: bool = True, prefix: bool = True):
        """The query as `search` reads it (corrections, completion of the last word, translations and name
        keys), expanded against this index: an `ExpandedQuery`, what shards of a collection are asked
        (`search.cluster`). Raises `QueryError` as `search` does."""
        with self._reading(_lane_of(query)):
            return read_query(self._scoring(), query, cross_language, typos, prefix)[1]

    def warm_up(self) -> None:
        """Open the searchers and read the scoring arrays and the vocabulary now, as the first query would (about
        a second on RT + Reuters): a server does it before its first request."""
        for lane in self._lanes:
            with self._reading(lane):
                self._scoring().vocabulary()

    def suggest(self, text: str, limit: int = 5) -> Suggestions:
        """What a search box offers while `text` is typed: completions of its last word from the index's words,
        and the titles of the best documents so far (`Suggestions`). Never raises `QueryError`."""
        if not isinstance(text, str) or len(text) > MAX_QUERY_CHARS:
            return Suggestions(query=text if isinstance(text, str) else "")
        with self._reading(_lane_of(text)):
            return suggest(self._scoring(), text, limit)

    @contextlib.contextmanager
    def _reading(self, lane: str = "short") -> Iterator[None]:
        """Read through one lane's searcher (holding its lock); report what damaged files make Whoosh raise as
        `IndexDamagedError`."""
        reading = self._lanes[lane]
        short = lane == "short" and getattr(self._thread, "lane", None) is None  # counted once, not nested reads
        if short:
            with self._no_short_queries:
                self._short_queries += 1
        try:
            with reading.lock:
                outer = getattr(self._thread, "lane", None)
                if outer is None:
                    reading.started, reading.waited = time.monotonic(), 0.0
                self._thread.lane = outer or reading  # a nested read stays in the lane it is in
                try:
                    yield
                finally:
                    self._thread.lane = outer
        except READ_DAMAGE as error:
            raise IndexDamagedError(f"The index at {self.root} cannot be read ({type(error).__name__}). "
                                    f"{generations.rebuild_hint(self.root)}") from error
        except SearchError:
            raise
        except Exception as error:  # noqa: BLE001 - re-raised unless the checksums name damage
            # Files changed in place after they were published (a copy over a live index) read as garbage, and
            # Whoosh may raise anything on them: their checksums tell such damage from a bug.
            damage = self._checksum_damage()
            if damage is None:
                raise
            raise damage from error
        finally:
            if short:
                with self._no_short_queries:
                    self._short_queries -= 1
                    if not self._short_queries:
                        self._no_short_queries.notify_all()

    def _give_way(self) -> None:
        """Let the short queries running or waiting finish before the long query goes on: for no longer in all
        than the long query has worked so far (so it takes at most twice its time), nor GIVE_WAY_SECONDS."""
        lane = self._lanes["long"]
        if not self._short_queries:
            return
        now = time.monotonic()
        allowed = min(GIVE_WAY_SECONDS, now - lane.started - lane.waited) - lane.waited
        if allowed <= 0:
            return
        with self._no_short_queries:
            self._no_short_queries.wait_for(lambda: not self._short_queries, allowed)
        lane.waited += time.monotonic() - now

    def _checksum_damage(self) -> IndexDamagedError | None:
        """The damage a check of every checksum finds in the generation being read (remembered, so that its
        next reads fail at once), or None when it is whole."""
        generation = self._generation
        try:
            check_generation(self.root, generation)
        except (IndexDamagedError, IndexVersionError) as error:
            self._damaged[generation] = str(error)
            return IndexDamagedError(str(error))
        return None

    def document(self, doc_id: str) -> Document | None:
        """The stored document with this id, or None."""
        with self._reading():
            stored = self._searcher().document(id=doc_id)
        if stored is None:
            return None
        return stored_document(stored)

    def view(self, doc_id: str, query: str = "", cross_language: bool = True, typos: bool = True,
             part: int = 1) -> DocumentView | None:
        """The stored document with this id as HTML for reading, with every form `query` matches marked (the
        query read as `search` reads it: «перегаворы» marks «переговоры»); None when there is no such
        document. A query that cannot be parsed leaves the document unmarked. A long text is shown in parts of
        about PART_CHARS characters: `part` says which (`QueryError` for one the text does not have)."""
        doc = self.document(doc_id)
        if doc is None:
            return None

        def read() -> ExpandedQuery:
            with self._reading(_lane_of(query)):
                return read_query(self._scoring(), query, cross_language, typos)[1]
        return document_view(doc, part, read if query else None)

    def related(self, doc_id: str, limit: int = 10) -> list[Hit] | None:
        """The documents closest to the one with this id, as hits without snippets, best first: the same story
        in the other language first (its translated terms and names), then the closest in its own; None when
        there is no such document. See `search.related`."""
        if not isinstance(limit, int) or not 1 <= limit <= MAX_RELATED:
            raise QueryError(f"limit must be a whole number from 1 to {MAX_RELATED}.")
        with self._reading():
            return related_hits(self._scoring(), doc_id, limit)

    def ids(self) -> dict[str, str]:
        """Every document id with the file it was read from on this machine (its `origin`)."""
        return self._by_id("origin")

    def _by_id(self, column: str) -> dict[str, str]:
        """Every live document's id with the value of one of its sortable columns."""
        with self._reading():
            return column_by_id(self._searcher().reader(), column)

    def check(self, checksums: bool = True) -> dict:
        """Check the live generation's files against its manifest (sizes, and CRC-32s unless `checksums=False`);
        returns {"generation", "documents", "files", "bytes"} or raises `IndexDamagedError` naming the damage."""
        live = generations.current_generation(self.root)
        if live is None or not live.is_dir():
            raise IndexDamagedError(f"The index at {self.root} has no live generation. "
                                    f"{generations.rebuild_hint(self.root)}")
        manifest = check_generation(self.root, live, checksums=checksums)
        files = manifest["files"]
        return {"generation": live.name, "documents": manifest.get("documents"), "files": len(files),
                "bytes": sum(f["size"] for f in files.values())}

    @property
    def generation(self) -> str:
        """The name of the generation this index last read (a new one is opened by the next read after a write)."""
        return self._generation.name

    def __len__(self) -> int:
        with self._reading():
            return self._searcher().doc_count()

    def overview(self) -> dict:
        """What the index holds, for a home page (`search.overview`): documents by language and source, the dates
        they span and the undated, when it was last written, and example queries from its titles in each
        language. Read once per generation (about a second on RT + Reuters)."""
        with self._reading():
            ctx = self._scoring()
            if self._overview is None or self._overview[0] != ctx.generation:
                manifest = generations.read_manifest(ctx.generation) if ctx.generation else {}
                self._overview = (ctx.generation, overview_of([overview_part(ctx)], ctx.vocabulary(),
                                                              written_at(manifest.get("created"))))
            return self._overview[1]

    def stats(self) -> dict:
        """Counts and sizes for `bilingual-search stats`."""
        with self._reading():
            return self._stats()

    def _stats(self) -> dict:
        searcher = self._searcher()
        reader = searcher.reader()
        langs: dict[str, int] = {}
        for lang in self._by_id("lang").values():
            langs[lang] = langs.get(lang, 0) + 1
        size = sum(f.stat().st_size for f in self._generation.iterdir() if f.is_file())
        manifest = generations.read_manifest(self._generation)
        return {
            "path": str(self.root),
            "generation": self._generation.name,
            "documents": searcher.doc_count(),
            "languages": dict(sorted(langs.items())),
            "terms": {name: len(list(reader.lexicon(name))) for name in ("title", "text")},
            "segments": len(self._ix._segments()) if hasattr(self._ix, "_segments") else None,
            "size_bytes": size,
            "format": manifest.get("format"),
            "created": manifest.get("created"),
        }

    def _searcher(self):
        """The current lane's searcher of this index, reopened when a write published a new generation.

        A searcher per lane, not per thread: a searcher per thread kept a copy of every cache per thread (8
        threads: 86 MB -> 1.8 GB resident on RT + Reuters in a minute of load). Searching is bound by the
        interpreter lock anyway, so taking turns costs little throughput; short queries take turns with short
        ones only (see LONG_QUERY_WORDS).
        """
        lane = self._current_lane()
        ix, generation = self._live()
        if generation in self._damaged:
            raise IndexDamagedError(self._damaged[generation])
        searcher = lane.searcher
        if searcher is None or lane.generation != generation or not searcher.up_to_date():
            # Not Searcher.refresh(): reusing segment readers there misses deletions committed since.
            if searcher is not None:
                searcher.close()
            searcher = ix.searcher()
            lane.searcher, lane.generation, lane.scoring = searcher, generation, None
        return searcher

    def _current_lane(self) -> _Lane:
        return getattr(self._thread, "lane", None) or self._lanes["short"]

    def _live(self):
        """The Whoosh index of the live generation, opened anew when a write published one. Its files are checked
        by size only: the writer checksummed them just before publishing (reading them all again cost the first
        request after each write up to 1.5 s on RT + Reuters); `check()` reads every byte on demand."""
        with self._switching:
            live = generations.current_generation(self.root)
            if live is not None and live != self._generation and live.is_dir():
                self._ix = open_generation(self.root, live, checksums=False)
                self._generation = live
            return self._ix, self._generation

    def _scoring(self) -> ScoringContext:
        """The scoring arrays of the current lane's searcher, rebuilt whenever it is."""
        searcher = self._searcher()
        lane = self._current_lane()
        if lane.scoring is None or lane.scoring.searcher is not searcher:
            vocabulary, table = self._shared(lane.generation, searcher)
            lane.scoring = ScoringContext(searcher, generation=lane.generation, vocabulary=vocabulary, table=table)
            if lane is self._lanes["long"]:
                lane.scoring.give_way = self._give_way
        return lane.scoring

    def _shared(self, generation: Path | None, searcher) -> tuple[Vocabulary, DocumentTable]:
        """The generation's word forms and per-document arrays, read once for both lanes (RT + Reuters: 265,000
        forms, and columns that took a second to read)."""
        with self._sharing:
            if self._shared_data is None or self._shared_data[0] != generation:
                self._shared_data = (generation, Vocabulary.of_generation(generation),
                                     DocumentTable(searcher, generation))
            return self._shared_data[1], self._shared_data[2]

    def close(self) -> None:
        for lane in self._lanes.values():
            lane.close()
        with self._switching:
            self._ix.close()

    def __del__(self) -> None:
        # An Index dropped without close() (an app discarded, a test's index) closes its segment files, as a
        # file object does, instead of leaving them to the interpreter with a ResourceWarning.
        with contextlib.suppress(Exception):
            self.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
