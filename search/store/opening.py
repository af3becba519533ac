"""Opening a generation for reading or writing: its format, its files' checksums, then Whoosh.

Readers open segment files as plain files, not memory maps. Whoosh maps a whole segment and then touches most
of it, so a serving process counted the index in its resident memory (RT + Reuters: 215 of 421 MB after 1,500
queries), and a file overwritten in place under the mapping killed it with SIGBUS. Reads through the page cache
measured 5-8% slower over the same 1,500 queries (35.2 vs 33.4 s), for 227 MB instead of 421.
"""

from __future__ import annotations

import pickle
import struct
import zlib
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from ..errors import IndexDamagedError, IndexNotFoundError, IndexVersionError
from . import generations
from .schema import FORMAT_VERSION
from .snapshot import ScoringContext

# What Whoosh raises on files that are truncated or whose bytes were changed: while opening, anything; while
# searching a generation that passed its checks, only what reading bytes can raise (not a bug's TypeError).
READ_DAMAGE = (EOFError, zlib.error, struct.error, pickle.UnpicklingError)
DAMAGE = (EOFError, zlib.error, IndexError, KeyError, OSError, ValueError, pickle.UnpicklingError, AttributeError,
          ImportError, TypeError, AssertionError, MemoryError, OverflowError, UnicodeDecodeError)


def check_generation(root: Path, generation: Path, checksums: bool = True) -> dict:
    """The generation's manifest, once its format is this version's and its files are whole."""
    manifest = generations.read_manifest(generation)
    if not manifest:
        raise IndexDamagedError(f"The index at {root} has no readable {generations.MANIFEST} in {generation.name} "
                                f"(missing, or not a JSON object). {generations.rebuild_hint(root)}")
    if manifest.get("format") != FORMAT_VERSION:
        raise IndexVersionError(
            f"The index at {root} was written in format {manifest.get('format')!r}; this version reads format "
            f"{FORMAT_VERSION}. {generations.rebuild_hint(root)}")
    return generations.verify(generation, root, checksums=checksums)


def open_generation(root: Path, generation: Path, checksums: bool = True):
    """The Whoosh index of a checked generation; damage raises `IndexDamagedError` with the rebuild command."""
    check_generation(root, generation, checksums)
    try:
        ix = FileStorage(str(generation), supports_mmap=False, readonly=True).open_index()
        ix.doc_count_all()  # reads the table of contents and every segment's header
        return ix
    except whoosh_index.EmptyIndexError as error:
        raise IndexNotFoundError(f"The index at {root} is empty. {generations.rebuild_hint(root)}") from error
    except DAMAGE as error:
        raise IndexDamagedError(f"The index at {root} cannot be read ({type(error).__name__}). "
                                f"{generations.rebuild_hint(root)}") from error


def open_snapshot(root: Path, generation: Path | None = None) -> ScoringContext:
    """A read-only snapshot of a generation at `root`, the live one unless named (what one shard of a sharded
    index serves a query's rounds from: the generation the collection's SHARDS file names); `IndexNotFoundError`
    when there is none. Close its searcher (`snapshot.searcher.close()`) when done."""
    live = generation if generation is not None else generations.live_generation(root)
    if live is None:
        raise generations.missing_index(root)
    return ScoringContext(open_generation(root, live).searcher(), generation=live)
