"""A collection kept in shards: one index folder per shard (`shard-0/`, `shard-1/`, ...) under one root, each with
its own write lock and generations as a single index has, and the root's SHARDS file naming the generation of
every shard that readers open together.

A write (build, update, delete) holds the root's write lock from start to end, routes each document to the shard
its id hashes to (`shard_of`), writes every shard it touches (each under its own lock, publishing its own
generation), groups the documents of all shards into stories (copies of one story may fall in different
shards), and only then replaces SHARDS, atomically: a reader opens the generations SHARDS names, so it never
sees one shard's new generation with another's old one. A write that fails or is killed part way leaves SHARDS
as it was; the shards it had already published are set back to the generations SHARDS names before the next
write (each shard keeps its previous generation, so they are still there).
"""

from __future__ import annotations

import json
import os
import queue
import threading
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import BuildError, IndexDamagedError, IndexNotFoundError
from ..load.documents import Document
from . import generations, writing
from .locking import write_lock
from .snapshot import order_key
from .stories import stories_across
from .writing import Progress, WriteStats

SHARDS_FILE = "SHARDS"
STORIES_PREFIX = "stories-"
SHARD_PREFIX = "shard-"
MAX_SHARDS = 256
QUEUED_PER_SHARD = 256  # documents read ahead for each shard's writer
POLL_SECONDS = 0.5


def shard_of(doc_id: str, shards: int) -> int:
    """The shard that holds a document: a hash of its id (its `order_key`), the same on every machine and in
    every process."""
    return order_key(doc_id) % shards


@dataclass(frozen=True)
class Layout:
    """What SHARDS says: the shards' folders and the generation of each that readers open together."""

    root: Path
    generations: tuple[str, ...]
    stories: str | None = None  # the file of the collection's stories, grouped across the shards

    @property
    def shards(self) -> int:
        return len(self.generations)

    def folder(self, shard: int) -> Path:
        return shard_folder(self.root, shard)

    def generation(self, shard: int) -> Path:
        return self.folder(shard) / self.generations[shard]

    def roots(self) -> list[Path]:
        return [self.folder(shard) for shard in range(self.shards)]

    def stories_of(self) -> list[ShardStories | None]:
        """Where each shard reads its documents' stories, grouped across the shards (None: its own)."""
        if self.stories is None:
            return [None] * self.shards
        return [ShardStories(str(self.root / self.stories), shard, self.shards) for shard in range(self.shards)]


@dataclass(frozen=True)
class ShardStories:
    """Where a shard reads which of its documents share a story with others, in any shard: the collection's
    stories file and the shard's place. Small, so a Ray actor restarted on any machine can be given it again
    (the arrays themselves, handed to an actor, live in Ray's object store and may be gone by then)."""

    path: str
    shard: int
    shards: int

    def read(self) -> tuple[np.ndarray, np.ndarray]:
        """The shard's documents that share a story: (ids, story numbers), the collection's numbers."""
        try:
            with np.load(self.path, allow_pickle=False) as data:
                ids, groups = data["ids"], data["groups"]
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
            raise IndexDamagedError(f"{self.path} cannot be read ({type(error).__name__}). "
                                    f"{_rebuild_hint(Path(self.path).parent)}") from None
        mine = np.array([shard_of(doc_id, self.shards) == self.shard for doc_id in ids.tolist()], dtype=bool)
        return ids[mine], groups[mine]


def shard_folder(root: Path, shard: int) -> Path:
    return root / f"{SHARD_PREFIX}{shard}"


def is_sharded(root: Path) -> bool:
    return (Path(root) / SHARDS_FILE).exists()


def read_layout(root: Path) -> Layout:
    """The layout SHARDS names; `IndexNotFoundError` without one, `IndexDamagedError` when it cannot be read or
    names a generation that is not there."""
    root = Path(root)
    pointer = root / SHARDS_FILE
    try:
        data = json.loads(pointer.read_text(encoding="utf-8"))
        names = tuple(str(name) for name in data["generations"])
        stories = data.get("stories")
    except FileNotFoundError:
        raise IndexNotFoundError(f"No sharded index at {root}. Build one with: "
                                 f"bilingual-search index PATH --index {root} --shards N") from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise IndexDamagedError(f"{pointer} cannot be read ({type(error).__name__}). "
                                f"{_rebuild_hint(root)}") from None
    if not 1 <= len(names) <= MAX_SHARDS or not all(
            name.startswith(generations.PREFIX) and "/" not in name and "\\" not in name for name in names):
        raise IndexDamagedError(f"{pointer} does not name one generation per shard. {_rebuild_hint(root)}")
    if stories is not None and (not isinstance(stories, str) or not stories.startswith(STORIES_PREFIX)
                                or "/" in stories or not (root / stories).is_file()):
        raise IndexDamagedError(f"{pointer} names a stories file that is not there ({str(stories)[:40]!r}). "
                                f"{_rebuild_hint(root)}")
    layout = Layout(root, names, stories)
    for shard in range(layout.shards):
        if not layout.generation(shard).is_dir():
            raise IndexDamagedError(f"{pointer} names {layout.folder(shard).name}/{names[shard]}, which is not "
                                    f"there. {_rebuild_hint(root)}")
    return layout


def _rebuild_hint(root: Path) -> str:
    return f"Rebuild it with: bilingual-search index PATH --index {root} --rebuild --shards N"


def _publish(root: Path, names: list[str]) -> Layout:
    """Group the shards' documents into stories across them (STORIES_PREFIX file), then replace SHARDS at once
    (written aside, synced, renamed); the stories files of older layouts but the previous one are removed."""
    ids, groups = stories_across([shard_folder(root, shard) / name for shard, name in enumerate(names)])
    stories = f"{STORIES_PREFIX}{time.time_ns()}.npz"
    partial = root / (stories + ".partial.npz")
    np.savez(partial, ids=ids, groups=groups)
    _fsync(partial)
    os.replace(partial, root / stories)
    try:
        previous = read_layout(root).stories
    except (IndexDamagedError, IndexNotFoundError):
        previous = None
    pointer = root / (SHARDS_FILE + generations.TMP_SUFFIX)
    with open(pointer, "w", encoding="utf-8") as f:
        json.dump({"generations": names, "stories": stories}, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(pointer, root / SHARDS_FILE)
    _fsync(root)
    for old in root.glob(STORIES_PREFIX + "*"):
        if old.name not in (stories, previous):
            old.unlink(missing_ok=True)
    return Layout(root, tuple(names), stories)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _set_back(layout: Layout) -> None:
    """Point every shard's CURRENT at the generation SHARDS names (a write that stopped part way may have moved
    some): the next write then starts from what readers see, and keeps it while it writes."""
    for shard in range(layout.shards):
        folder = layout.folder(shard)
        if generations.current_generation(folder) != layout.generation(shard):
            pointer = folder / (generations.CURRENT + generations.TMP_SUFFIX)
            pointer.write_text(layout.generations[shard], encoding="utf-8")
            os.replace(pointer, folder / generations.CURRENT)


@dataclass
class _Summed:
    """The shards' progress reports added up, for one `Progress` (called from each shard's writer thread)."""

    progress: Progress | None
    done: dict[int, tuple[int, int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def of(self, shard: int) -> Progress | None:
        if self.progress is None:
            return None

        def report(documents: int, size: int) -> None:
            with self.lock:
                self.done[shard] = (documents, size)
                assert self.progress is not None
                self.progress(sum(d for d, _ in self.done.values()), sum(b for _, b in self.done.values()))
        return report


def build(root: Path, documents: Iterable[Document], shards: int, progress: Progress | None = None,
          procs: int = 1, wait: bool = True) -> tuple[Layout, WriteStats]:
    """Build every shard anew from `documents` and publish them together."""
    if not isinstance(shards, int) or not 1 <= shards <= MAX_SHARDS:
        raise BuildError(f"shards must be a whole number from 1 to {MAX_SHARDS}.")
    root = Path(root)
    with write_lock(root, wait):
        if is_sharded(root):
            try:
                _set_back(read_layout(root))
            except (IndexDamagedError, IndexNotFoundError):
                pass  # a rebuild replaces whatever was there
        summed = _Summed(progress)
        results = _routed(documents, shards, lambda shard, docs: writing.build_or_update(
            shard_folder(root, shard), docs, progress=summed.of(shard), procs=procs, rebuild=True))
        return _publish(root, [final.name for final, _ in results]), _sum([stats for _, stats in results], built=True)


def update(root: Path, documents: Iterable[Document], progress: Progress | None = None,
           wait: bool = True) -> tuple[Layout, WriteStats]:
    """Add new documents and replace changed ones, each in the shard its id hashes to; publish them together."""
    root = Path(root)
    with write_lock(root, wait):
        layout = read_layout(root)
        _set_back(layout)
        summed = _Summed(progress)

        def write(shard: int, docs: Iterator[Document]) -> tuple[Path, WriteStats]:
            stats = writing.update(layout.folder(shard), docs, progress=summed.of(shard))
            return generations.current_generation(layout.folder(shard)) or layout.generation(shard), stats

        results = _routed(documents, layout.shards, write)
        return _publish(root, [final.name for final, _ in results]), _sum([stats for _, stats in results])


def delete(root: Path, ids: Iterable[str], wait: bool = True) -> tuple[Layout, int]:
    """Remove documents by id from the shards that hold them; publish them together. Returns how many."""
    root = Path(root)
    with write_lock(root, wait):
        layout = read_layout(root)
        _set_back(layout)
        by_shard: dict[int, list[str]] = {}
        for doc_id in ids:
            by_shard.setdefault(shard_of(doc_id, layout.shards), []).append(doc_id)
        removed = 0
        names = list(layout.generations)
        for shard, shard_ids in sorted(by_shard.items()):
            removed += writing.delete(layout.folder(shard), shard_ids)
            live = generations.current_generation(layout.folder(shard))
            names[shard] = live.name if live is not None else names[shard]
        return _publish(root, names), removed


def _routed(documents: Iterable[Document], shards: int,
            write: Callable[[int, Iterator[Document]], tuple[Path, WriteStats]]) -> list[tuple[Path, WriteStats]]:
    """Run `write(shard, its documents)` for every shard at once, each in a thread fed through a queue of its
    own, the documents routed by `shard_of` their id. Raises the first shard's failure after stopping the others
    (their generations are left unpublished, or set back before the next write)."""
    queues: list[queue.Queue] = [queue.Queue(QUEUED_PER_SHARD) for _ in range(shards)]
    results: list[tuple[Path, WriteStats] | None] = [None] * shards
    failures: list[BaseException] = []
    done, stop = object(), object()

    def documents_of(shard: int) -> Iterator[Document]:
        while (doc := queues[shard].get()) is not done:
            if doc is stop:  # the write failed elsewhere: this shard's generation is abandoned, not published
                raise _Stopped(f"shard {shard}'s write stopped: another part of the write failed")
            yield doc

    def run(shard: int) -> None:
        try:
            results[shard] = write(shard, documents_of(shard))
        except BaseException as error:  # noqa: BLE001 - handed to the routing thread, which raises it
            failures.append(error)

    threads = [threading.Thread(target=run, args=(shard,), name=f"shard-{shard}-writer", daemon=True)
               for shard in range(shards)]
    for thread in threads:
        thread.start()
    routed = False
    try:
        for doc in documents:
            shard = shard_of(doc.id, shards) if isinstance(doc.id, str) else 0
            _put(queues[shard], doc, threads[shard], failures)
        routed = True
    finally:
        for shard, thread in enumerate(threads):
            while thread.is_alive():  # the end, or the stop, for each writer still taking documents
                try:
                    queues[shard].put(done if routed and not failures else stop, timeout=POLL_SECONDS)
                    break
                except queue.Full:
                    continue
        for thread in threads:
            while thread.is_alive():
                thread.join(POLL_SECONDS)
    if failures:
        raise next((f for f in failures if not isinstance(f, _Stopped)), failures[0])
    return [result for result in results if result is not None]


class _Stopped(BuildError):
    """A shard's write stopped because another shard's failed, or reading the documents did."""


def _put(box: queue.Queue, item, thread: threading.Thread, failures: list[BaseException]) -> None:
    """Queue an item for a shard's writer, giving up when any writer has failed (the build stops) or this one
    has ended."""
    while True:
        if failures:
            raise failures[0]
        try:
            box.put(item, timeout=POLL_SECONDS)
            return
        except queue.Full:
            if not thread.is_alive():
                raise BuildError(f"the writer of {thread.name} stopped") from None


def _sum(all_stats: list[WriteStats], built: bool = False) -> WriteStats:
    total = WriteStats(built=built)
    for stats in all_stats:
        total.added += stats.added
        total.updated += stats.updated
        total.unchanged += stats.unchanged
        total.removed += stats.removed
        total.bytes += stats.bytes
        total.seconds = max(total.seconds, stats.seconds)
        total.skipped.extend(stats.skipped)
        total.warnings.extend(stats.warnings)
    return total
