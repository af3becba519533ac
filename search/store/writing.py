"""Every write to an index: a build, an update, a delete. Each holds the write lock from start to finish and
writes a new generation, published only when it is complete and holds what was reported; on any failure the
live generation is left as it was and the unfinished one removed.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index

from ..analysis.analyzer import word_forms
from ..errors import BuildError, IndexDamagedError, IndexNotFoundError, IndexVersionError
from ..load.documents import Document
from . import generations
from .garbage import young_collections_only
from .locking import log, write_lock
from .opening import check_generation
from .parallel import CheckedMpWriter
from .postings_writer import TermPoolWriter
from .schema import FORMAT_VERSION, IndexCodec, checked, document_bytes, fields_of, make_schema, unindexable
from .snapshot import column_by_id
from .stories import Stories, fingerprint, read_stories, write_stories
from .vocabulary import read_counts, write_counts

# The memory a writer's postings may take before they are written to a sorted run on disk and merged at the end
# (`search.store.postings_writer`: about 16 bytes a posting, a title's positions besides). Half of RT in one writer:
# 2.1 million postings, 54 MB (the process grew by 225-235 MB in all, 601 MB with Whoosh's own pool); a collection
# several times larger spills, and the memory stays bounded.
WRITER_MEMORY_MB = 256
PARALLEL_MIN_DOCUMENTS = 500  # fewer are written in the calling process: starting writer processes costs ~1 s
# (documents written, bytes of text written); a progress that also has a `phase(name)` method is told when the
# writing moves on to "committing" (the writer processes finish, segments are merged) and "finishing" (the
# vocabulary, the stories, checksums and the swap).
Progress = Callable[[int, int], None]


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
    warnings: list[tuple[str, str]] = field(default_factory=list)
    built: bool = False  # a whole new index, not an update of the live one

    @property
    def written(self) -> int:
        return self.added + self.updated


def update(root: Path, documents: Iterable[Document], progress: Progress | None = None,
           wait: bool = True) -> WriteStats:
    """Add new documents and replace changed ones (by content hash) in a new generation made from the live one."""
    with write_lock(root, wait):
        return _update(root, documents, progress, _checked_live(root))


def build_or_update(root: Path, documents: Iterable[Document], progress: Progress | None = None, procs: int = 1,
                    wait: bool = True, rebuild: bool = False,
                    rebuild_if_unreadable: bool = False) -> tuple[Path, WriteStats]:
    """Update the index at `root`, or build it when there is none yet (or `rebuild`: a build whatever is there);
    returns the live generation and what was done (`stats.built` tells which).

    The choice is made holding the write lock: two runs on a folder with no index yet would otherwise both
    build, and the second would replace the first's documents. An index that exists but cannot be read (damaged,
    an older format, generations without a CURRENT naming one) raises, unless `rebuild_if_unreadable`; it is
    checked before a document is read, so a refusal consumes nothing.
    """
    with write_lock(root, wait):
        live = None
        if not rebuild:
            try:
                live = _checked_live_if_any(root)
            except (IndexDamagedError, IndexVersionError) as error:
                if not rebuild_if_unreadable:
                    raise
                log.warning("rebuilding: %s", error)
        if live is None:
            return _build(root, documents, progress, procs)
        stats = _update(root, documents, progress, live)
        return generations.current_generation(root) or live, stats


def _checked_live(root: Path) -> Path:
    """The live generation once its format and checksums are checked; `IndexNotFoundError` when there is no
    index at all."""
    live = _checked_live_if_any(root)
    if live is None:
        raise generations.missing_index(root)
    return live


def _checked_live_if_any(root: Path) -> Path | None:
    """The live generation once its format and checksums are checked; None when there is no index yet."""
    live = generations.live_generation(root)
    if live is not None:
        check_generation(root, live)
    return live


def _build(root: Path, documents: Iterable[Document], progress: Progress | None, procs: int) -> tuple[Path, WriteStats]:
    started = time.perf_counter()
    stats = WriteStats(built=True)
    with young_collections_only():
        building = generations.new_generation(root)
        try:
            ix = whoosh_index.create_in(str(building), make_schema())
            documents = iter(documents)
            head = list(itertools.islice(documents, PARALLEL_MIN_DOCUMENTS))  # a few: not worth processes
            writer = _writer(ix, procs if len(head) == PARALLEL_MIN_DOCUMENTS else 1)
            vocabulary: Counter = Counter()
            fingerprints: dict = {}
            try:
                seen: set[str] = set()
                for doc in itertools.chain(head, documents):
                    if _skipped(doc, seen, stats):
                        continue
                    fields = fields_of(doc)
                    vocabulary.update(word_forms(fields["names"]))
                    fingerprints[doc.id] = fingerprint(doc.title, doc.text)
                    writer.add_document(**fields)
                    stats.added += 1
                    stats.bytes += document_bytes(doc)
                    if progress:
                        progress(stats.written, stats.bytes)
            except BaseException:
                writer.cancel()
                raise
            _phase(progress, "committing")
            writer.commit()
            _phase(progress, "finishing")
            write_counts(building, vocabulary)
            write_stories(building, Stories.of(fingerprints))
            _seal(root, ix, building, len(seen))
            final = generations.publish(root, building)
        except BaseException:
            generations.abandon(building)
            raise
    stats.seconds = time.perf_counter() - started
    return final, stats


def _phase(progress: Progress | None, name: str) -> None:
    tell = getattr(progress, "phase", None)
    if tell is not None:
        tell(name)


def _update(root: Path, documents: Iterable[Document], progress: Progress | None, live: Path) -> WriteStats:
    started = time.perf_counter()
    stats = WriteStats()
    with young_collections_only(), _next_generation(root, live) as (ix, building, live):
        known = _hashes(ix)
        vocabulary = read_counts(live)
        fingerprints = _fingerprints(ix, live)
        writer = None
        seen: set[str] = set()
        before = ix.searcher()  # the documents as they were, to take a replaced one's words out of the vocabulary
        try:
            for doc in documents:
                if _skipped(doc, seen, stats):
                    continue
                digest = doc.content_hash
                old = known.get(doc.id)
                if old == digest:
                    stats.unchanged += 1
                    continue
                if writer is None:
                    writer = TermPoolWriter(ix, limitmb=WRITER_MEMORY_MB, codec=IndexCodec())
                if old is not None:
                    vocabulary.subtract(_stored_forms(before, doc.id))
                fields = fields_of(doc)
                vocabulary.update(word_forms(fields["names"]))
                fingerprints[doc.id] = fingerprint(doc.title, doc.text)
                writer.update_document(**fields)
                known[doc.id] = digest
                if old is None:
                    stats.added += 1
                else:
                    stats.updated += 1
                stats.bytes += document_bytes(doc)
                if progress:
                    progress(stats.written + stats.unchanged, stats.bytes)
        except BaseException:
            if writer is not None:
                writer.cancel()
            raise
        finally:
            before.close()
        if writer is not None:
            _phase(progress, "committing")
            writer.commit()
            _phase(progress, "finishing")
            write_counts(building, vocabulary)
            write_stories(building, Stories.of(fingerprints))
            _seal(root, ix, building, len(known), cloned_from=live)
            generations.publish(root, building)
    stats.seconds = time.perf_counter() - started
    return stats


def delete(root: Path, ids: Iterable[str], wait: bool = True) -> int:
    """Remove documents by id in a new generation; returns how many were removed."""
    ids = list(ids)
    if not ids:
        return 0
    with write_lock(root, wait), _next_generation(root, _checked_live(root)) as (ix, building, live):
        before = ix.doc_count()
        vocabulary = read_counts(live)
        with ix.searcher() as searcher:
            for doc_id in set(ids):
                vocabulary.subtract(_stored_forms(searcher, doc_id))
        writer = TermPoolWriter(ix, codec=IndexCodec())
        try:
            removed = sum(writer.delete_by_term("id", doc_id) for doc_id in ids)
        except BaseException:
            writer.cancel()
            raise
        if removed:
            writer.commit()
            write_counts(building, vocabulary)
            gone = set(ids)
            kept = {doc_id: f for doc_id, f in _fingerprints(ix, live).items() if doc_id not in gone}
            write_stories(building, Stories.of(kept))
            _seal(root, ix, building, before - removed, cloned_from=live)
            generations.publish(root, building)
        else:
            writer.cancel()
    return removed


def restore(backup: str | Path, root: str | Path, wait: bool = True) -> dict:
    """Make a backup of an index (a copy of its folder) the live index at `root`: its live generation is checked
    against its checksums, copied into a new generation and published. Live files are never overwritten, so a
    server reading them keeps running and picks up the restored index like a rebuild."""
    backup, root = Path(backup), Path(root)
    # A backup is an index folder, or one generation of it (one that lost its CURRENT, say).
    source = backup if (backup / generations.MANIFEST).is_file() else generations.current_generation(backup)
    if source is None or not source.is_dir():
        raise IndexNotFoundError(f"No index at {backup} to restore.")
    manifest = check_generation(backup, source)
    with write_lock(root, wait):
        building = generations.new_generation(root)
        try:
            generations.copy(source, building)
            generations.verify(building, root)
            final = generations.publish(root, building)
        except BaseException:
            generations.abandon(building)
            raise
    return {"generation": final.name, "documents": manifest.get("documents")}


class _next_generation:
    """A new generation cloned from the live one, opened for writing; removed unless it was published."""

    def __init__(self, root: Path, live: Path) -> None:
        self.root = root
        self.live = live  # checked by the caller, under the write lock

    def __enter__(self):
        live = self.live
        self.building = generations.new_generation(self.root)
        try:
            generations.clone(live, self.building)
            self.ix = whoosh_index.open_dir(str(self.building))
        except BaseException:
            generations.abandon(self.building)
            raise
        return self.ix, self.building, self.live

    def __exit__(self, *exc) -> None:
        self.ix.close()
        if self.building.exists():
            generations.abandon(self.building)


def _seal(root: Path, ix, building: Path, expected: int, cloned_from: Path | None = None) -> None:
    """Check the new generation holds exactly the documents reported, then record its files' checksums."""
    with ix.searcher() as searcher:
        held = searcher.doc_count()
    ix.close()
    if held != expected:
        raise BuildError(f"the new index holds {held:,} documents, not the {expected:,} written; nothing was "
                         f"changed at {root}")
    generations.seal(building, {"format": FORMAT_VERSION, "created": time.time(), "documents": held},
                     cloned_from=cloned_from)


def _stored_forms(searcher, doc_id: str) -> set[str]:
    """The word forms of a document the index holds (none for an id it does not), as the vocabulary counted them."""
    stored = searcher.document(id=doc_id)
    return word_forms(stored.get("title", "") + "\n\n" + stored.get("text", "")) if stored else set()


def _fingerprints(ix, live: Path) -> dict:
    """Every live document's fingerprint (see `search.store.stories`): as the live generation kept them, or taken
    from the stored documents of an index written before generations kept them."""
    stories = read_stories(live)
    if stories is not None:
        return stories.fingerprints()
    with ix.searcher() as searcher:
        return {stored["id"]: fingerprint(stored.get("title", ""), stored.get("text", ""))
                for stored in searcher.all_stored_fields()}


def _hashes(ix) -> dict[str, str]:
    """Every live document's id with its content hash."""
    with ix.searcher() as searcher:
        return column_by_id(searcher.reader(), "hash")


def _skipped(doc: Document, seen: set[str], stats: WriteStats) -> bool:
    """Whether this document is left out of the write, with its reason in `stats.skipped`: one with no id or
    nothing to search, or one whose id came earlier in the same run (Whoosh cannot replace a
    document it has not committed). One such document never fails the whole write."""
    reason = unindexable(checked(doc))
    if reason:
        stats.skipped.append((doc.path or doc.id or doc.title[:60], reason))
        return True
    if doc.id in seen:
        stats.skipped.append((doc.path or doc.id, f"duplicate id {doc.id!r}: the first document with it is kept"))
        return True
    seen.add(doc.id)
    return False


def _writer(ix, procs: int):
    if procs > 1:
        return CheckedMpWriter(ix, procs=procs, limitmb=WRITER_MEMORY_MB, multisegment=True, codec=IndexCodec())
    return TermPoolWriter(ix, limitmb=WRITER_MEMORY_MB, codec=IndexCodec())
