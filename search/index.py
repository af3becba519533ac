"""The Whoosh index: schema, build (atomic), update, delete, open, search."""

from __future__ import annotations

import os
import pickle
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED, TEXT, Schema

from . import generations, mapped_files
from .analysis import BilingualPositions, bilingual_analyzer
from .documents import Document
from .errors import IndexNotFoundError, IndexVersionError, QueryError
from .names import NameKeyFrequency, NameKeyTokenizer
from .results import SearchResult
from .scoring import ScoringContext, as_text
from .searching import run_search

mapped_files.install()  # Whoosh would copy every segment file it reads into memory: ~200 MB on RT

FORMAT_VERSION = 2  # 2: the names field (transliteration keys)
DEFAULT_INDEX = Path("index")
WRITER_MEMORY_MB = 256
Progress = Callable[[int, int], None]  # (documents written, bytes of text written)


def _text_field() -> TEXT:
    field = TEXT(analyzer=bilingual_analyzer(), stored=True, phrase=True)
    field.format = BilingualPositions(field_boost=field.format.field_boost)
    return field


def _names_field() -> TEXT:
    field = TEXT(analyzer=NameKeyTokenizer(), phrase=False)
    field.format = NameKeyFrequency(field_boost=field.format.field_boost)
    return field


def make_schema() -> Schema:
    """Title and text analyzed bilingually with positions (for phrases), the script-neutral keys of the names
    in both (for names across scripts); the rest stored as given."""
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        title=_text_field(),
        text=_text_field(),
        names=_names_field(),
        lang=ID(stored=True, sortable=True),
        date=ID(stored=True),
        url=STORED(),
        path=ID(stored=True, sortable=True),
        hash=ID(stored=True, sortable=True),
    )


@dataclass
class WriteStats:
    """What a build or an update did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    bytes: int = 0
    seconds: float = 0.0
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def written(self) -> int:
        return self.added + self.updated


def _derived_title(doc: Document) -> bool:
    """Whether the title is only the text's first sentence (made up for display when a document has none)."""
    title = doc.title.rstrip("…").strip()
    return bool(title) and " ".join(doc.text[: len(title) + 200].split()).startswith(" ".join(title.split()))


def _fields(doc: Document) -> dict[str, str]:
    return {
        "id": doc.id,
        # A title made from the first sentence is shown, but not indexed again with a title's weight.
        "title": "" if _derived_title(doc) else doc.title,
        "_stored_title": doc.title,
        "text": doc.text, "names": doc.title + "\n\n" + doc.text,
        "lang": doc.lang, "date": doc.date, "url": doc.url, "path": doc.path,
        "hash": doc.content_hash,
    }


def _doc_bytes(doc: Document) -> int:
    return len(doc.title.encode("utf-8")) + len(doc.text.encode("utf-8"))


class Index:
    """A bilingual search index on disk. Create one with `Index.build` or `Index.open`."""

    def __init__(self, root: Path, generation: Path) -> None:
        self.root = root
        self._generation = generation
        self._ix = _open_whoosh(root, generation)
        self._local = threading.local()
        self._swap_lock = threading.Lock()
        self.last_write = WriteStats()

    # -- opening and building -------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike = DEFAULT_INDEX) -> Index:
        """Open the index at `path`; raise `IndexNotFoundError` or `IndexVersionError` saying how to rebuild."""
        root = Path(path)
        generation = generations.current_generation(root)
        if generation is None or not generation.is_dir():
            raise IndexNotFoundError(
                f"No index at {root}. Build one with: bilingual-search index PATH --index {root}"
            )
        return cls(root, generation)

    @classmethod
    def build(cls, path: str | os.PathLike, documents: Iterable[Document], progress: Progress | None = None,
              procs: int = 1) -> Index:
        """Build a new index from `documents` and swap it in atomically; the old one serves until then."""
        root = Path(path)
        started = time.perf_counter()
        building = generations.new_generation(root)
        stats = WriteStats()
        try:
            ix = whoosh_index.create_in(str(building), make_schema())
            writer = _writer(ix, procs)
            try:
                seen: set[str] = set()
                for doc in documents:
                    if _duplicate(doc, seen, stats):
                        continue
                    writer.add_document(**_fields(doc))
                    stats.added += 1
                    stats.bytes += _doc_bytes(doc)
                    if progress:
                        progress(stats.written, stats.bytes)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            ix.close()
            generations.write_manifest(building, {"format": FORMAT_VERSION, "created": time.time()})
            final = generations.publish(root, building)
        except BaseException:
            generations.abandon(building)
            raise
        index = cls(root, final)
        stats.seconds = time.perf_counter() - started
        index.last_write = stats
        return index

    # -- changing ---------------------------------------------------------------------------------------------

    def update(self, documents: Iterable[Document], progress: Progress | None = None) -> WriteStats:
        """Add new documents and replace changed ones (by content hash); unchanged ones cost nothing."""
        started = time.perf_counter()
        known = self._hashes()
        stats = WriteStats()
        writer = None
        seen: set[str] = set()
        try:
            for doc in documents:
                if _duplicate(doc, seen, stats):
                    continue
                digest = doc.content_hash
                old = known.get(doc.id)
                if old == digest:
                    stats.unchanged += 1
                    continue
                if writer is None:
                    writer = self._ix.writer(limitmb=WRITER_MEMORY_MB)
                writer.update_document(**_fields(doc))
                known[doc.id] = digest
                if old is None:
                    stats.added += 1
                else:
                    stats.updated += 1
                stats.bytes += _doc_bytes(doc)
                if progress:
                    progress(stats.written + stats.unchanged, stats.bytes)
        except BaseException:
            if writer is not None:
                writer.cancel()
            raise
        if writer is not None:
            writer.commit()
        stats.seconds = time.perf_counter() - started
        self.last_write = stats
        return stats

    def delete(self, ids: Iterable[str]) -> int:
        """Remove documents by id; returns how many were removed."""
        ids = [i for i in ids]
        if not ids:
            return 0
        writer = self._ix.writer()
        try:
            removed = sum(writer.delete_by_term("id", doc_id) for doc_id in ids)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return removed

    # -- reading ----------------------------------------------------------------------------------------------

    def search(self, query: str, page: int = 1, per_page: int = 10, lang: str | None = None,
               highlight: bool = True, cross_language: bool = True) -> SearchResult:
        """Ranked, highlighted results for `query`; raises `QueryError` for a query that cannot be searched.

        `highlight=False` skips snippets and title marks, for callers that only want the ranking.
        `cross_language=False` looks for the query's own words only, without translations and name keys.
        """
        if not isinstance(page, int) or page < 1:
            raise QueryError("page must be a whole number, 1 or more.")
        if not isinstance(per_page, int) or not 1 <= per_page <= 1000:
            raise QueryError("per_page must be a whole number from 1 to 1000.")
        if lang is not None and lang not in ("ru", "en", "mixed"):
            raise QueryError(f"lang must be ru, en or mixed, not {lang!r}.")
        return run_search(self._scoring(), query, page=page, per_page=per_page, lang=lang, highlight=highlight,
                          cross_language=cross_language)

    def document(self, doc_id: str) -> Document | None:
        """The stored document with this id, or None."""
        stored = self._searcher().document(id=doc_id)
        if stored is None:
            return None
        return Document(**{k: stored.get(k, "") for k in ("id", "title", "text", "lang", "date", "url", "path")})

    def ids(self) -> dict[str, str]:
        """Every document id with the path it was read from."""
        return self._by_id("path")

    def _hashes(self) -> dict[str, str]:
        return self._by_id("hash")

    def _by_id(self, column: str) -> dict[str, str]:
        """Every live document's id with the value of one of its sortable columns."""
        reader = self._searcher().reader()
        ids, values = reader.column_reader("id"), reader.column_reader(column)
        return {as_text(ids[n]): as_text(values[n]) for n in reader.all_doc_ids()}

    def __len__(self) -> int:
        return self._searcher().doc_count()

    def stats(self) -> dict:
        """Counts and sizes for `bilingual-search stats`."""
        searcher = self._searcher()
        reader = searcher.reader()
        langs: dict[str, int] = {}
        column = reader.column_reader("lang")
        for n in reader.all_doc_ids():
            lang = as_text(column[n])
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
        """This thread's searcher, reopened when a rebuild swapped generations or an update committed."""
        live = generations.current_generation(self.root)
        if live is not None and live != self._generation and live.is_dir():
            with self._swap_lock:
                if live != self._generation:
                    self._ix = _open_whoosh(self.root, live)
                    self._generation = live
        searcher = getattr(self._local, "searcher", None)
        stale = searcher is None or self._local.generation != self._generation or not searcher.up_to_date()
        if stale:
            # Not Searcher.refresh(): reusing segment readers there misses deletions committed since.
            if searcher is not None:
                searcher.close()
            searcher = self._ix.searcher()
        self._local.searcher, self._local.generation = searcher, self._generation
        return searcher

    def _scoring(self) -> ScoringContext:
        """This thread's scoring arrays, rebuilt whenever its searcher is."""
        searcher = self._searcher()
        context = getattr(self._local, "scoring", None)
        if context is None or context.searcher is not searcher:
            context = ScoringContext(searcher)
            self._local.scoring = context
        return context

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
            self._local.searcher = None
            self._local.scoring = None
        self._ix.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _duplicate(doc: Document, seen: set[str], stats: WriteStats) -> bool:
    """Whether this id came earlier in the same run (Whoosh cannot replace a document it has not committed)."""
    if doc.id in seen:
        stats.skipped.append((doc.path or doc.id, f"duplicate id {doc.id!r}: the first document with it is kept"))
        return True
    seen.add(doc.id)
    return False


def _writer(ix, procs: int):
    if procs > 1:
        return ix.writer(procs=procs, limitmb=WRITER_MEMORY_MB, multisegment=True)
    return ix.writer(limitmb=WRITER_MEMORY_MB)


def _open_whoosh(root: Path, generation: Path):
    manifest = generations.read_manifest(generation)
    rebuild = f"Rebuild it with: bilingual-search index PATH --index {root} --rebuild"
    if manifest.get("format") != FORMAT_VERSION:
        raise IndexVersionError(
            f"The index at {root} was written in format {manifest.get('format')!r}; this version reads format "
            f"{FORMAT_VERSION}. {rebuild}"
        )
    try:
        return whoosh_index.open_dir(str(generation))
    except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, ValueError) as error:
        raise IndexVersionError(f"The index at {root} cannot be read ({error}). {rebuild}") from error
    except whoosh_index.EmptyIndexError as error:
        raise IndexNotFoundError(f"The index at {root} is empty or damaged. {rebuild}") from error
