"""The forward index: each text's index terms with the positions they stand at, kept by document.

Snippets and closeness ask where the query's words stand in a few documents (a page's ten, the fifty closeness
may reorder). Whoosh's postings hold the positions by term: finding a common word in ten documents meant reading
and unpickling its whole list, block by block, and the lists of a busy server's queries did not fit a cache.
Here each document's text keeps its own terms, as 32-bit hashes, with their positions: written in the text
field's column as the text is indexed (from the same `term_positions` as its postings, computed once), read a
document at a time.

A document's value, little-endian:

    width      1 byte   2 or 4: the bytes of each position
    (padding)  3 bytes
    n          uint32   distinct terms
    hashes     n x uint32: `term_hash` of each term, ascending (a term is found by bisection)
    starts     n + 1 x uint32: where each term's positions start among the positions, and where they end
    positions  each term's positions, ascending, one term after another

    >>> value = encode({"лавров": [0, 7], "лавр": [0], "макей": [3]})
    >>> [None if p is None else p.tolist() for p in lookup(value, term_hashes(["макей", "лавров", "путин"]))]
    [[3], [0, 7], None]
    >>> [a.tolist() for a in found_in([value, b"", value], term_hashes(["макей", "лавров", "путин"]))]
    [[0, 0, 0, 2, 2, 2], [0, 1, 1, 0, 1, 1], [3, 0, 7, 3, 0, 7]]
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
from whoosh.columns import VarBytesColumn
from whoosh.fields import TEXT

from ..analysis.analyzer import indexed_term_positions

_HEADER = 8


def _hash(term: str) -> int:
    return zlib.crc32(term.encode("utf-8"))


term_hash = lru_cache(maxsize=100_000)(_hash)  # a query's terms come again and again; a text's, once


def term_hashes(terms: Iterable[str]) -> np.ndarray:
    return np.fromiter((term_hash(term) for term in terms), dtype=np.uint32)


def encode(term_positions: dict[str, list[int]]) -> bytes:
    """A text's terms with their positions (as `search.analysis.analyzer.term_positions` gives them) as a column value.
    (Two terms of one text with the same hash, one in tens of millions, both stay: a lookup finds one of them.)"""
    n = len(term_positions)
    lists = list(term_positions.values())
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=n)
    flat = np.fromiter(itertools.chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum()))
    hashes = np.array([_hash(term) for term in term_positions], dtype=np.uint32)
    order = np.argsort(hashes, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    flat = flat[np.argsort(rank[np.repeat(np.arange(n), counts)], kind="stable")]  # each term's run, by hash
    starts = np.zeros(n + 1, dtype="<u4")
    np.cumsum(counts[order], out=starts[1:])
    width = 2 if not len(flat) or flat.max() < 1 << 16 else 4
    header = bytes((width, 0, 0, 0)) + n.to_bytes(4, "little")
    return b"".join((header, hashes[order].astype("<u4").tobytes(), starts.tobytes(),
                     flat.astype("<u2" if width == 2 else "<u4").tobytes()))


def lookup(value: bytes, hashes: np.ndarray) -> list[np.ndarray | None]:
    """For each of `hashes`, the positions of the document's term with that hash (None where it has none, and
    for a document without a value: an empty text)."""
    _, labels, positions = found_in([value], hashes)
    return [positions[labels == i] if (labels == i).any() else None for i in range(len(hashes))]


def found_in(values: list[bytes], hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every position of the terms (by hash) that some documents have, found for all of them at once: three
    arrays, the value's index in `values`, the hash's index in `hashes`, and the position (a term's positions
    in order, one term after another).

    Each document's hashes are sorted, so with the document's index above them (index << 32 | hash) all the
    documents' hashes are one sorted array: one bisection finds every (document, hash) pair.
    """
    counts = [int.from_bytes(v[4:8], "little") if len(v) >= _HEADER else 0 for v in values]
    kept = [i for i, n in enumerate(counts) if n]
    if not kept or not len(hashes):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    values = [values[i] for i in kept]
    n = np.array([counts[i] for i in kept], dtype=np.int64)
    sizes = n.tolist()
    widths, room = _check_layout(values, n)  # before any count read from a value sizes an array
    doc_hashes = np.frombuffer(b"".join(v[_HEADER:_HEADER + 4 * k] for v, k in zip(values, sizes, strict=True)),
                               dtype="<u4").astype(np.uint64)
    keys = (np.repeat(np.arange(len(values), dtype=np.uint64), n) << np.uint64(32)) | doc_hashes
    if (np.diff(keys.astype(np.int64)) < 0).any():  # each value's hashes ascending
        raise ValueError("a text's forward index is damaged")
    wanted = ((np.arange(len(values), dtype=np.uint64)[:, None] << np.uint64(32))
              | hashes.astype(np.uint64)[None, :]).ravel()
    index = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    hit = np.flatnonzero(keys[index] == wanted)
    doc, label = np.divmod(hit, len(hashes))
    term = index[hit] - (np.cumsum(n) - n)[doc]  # the term's index within its document
    starts = np.frombuffer(b"".join(v[_HEADER + 4 * k:_HEADER + 8 * k + 4] for v, k in zip(values, sizes, strict=True)),
                           dtype="<u4").astype(np.int64)
    first_start = np.cumsum(n + 1) - (n + 1)  # each document's starts begin here
    _check_starts(starts, first_start, n, widths, room)
    begin, end = starts[first_start[doc] + term], starts[first_start[doc] + term + 1]
    totals = starts[first_start + n]  # each document's number of positions
    every = _all_positions(values, sizes)
    lengths = end - begin
    begin += (np.cumsum(totals) - totals)[doc]
    # Each found term's run of positions, gathered at once: run k starts at begin[k].
    offsets = np.repeat(begin - (np.cumsum(lengths) - lengths), lengths) + np.arange(int(lengths.sum()))
    return (np.asarray(kept, dtype=np.int64)[np.repeat(doc, lengths)], np.repeat(label, lengths),
            every[offsets].astype(np.int64))


def _check_layout(values: list[bytes], n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`ValueError` unless every value's width and length are as the module lays them out; the values' widths and
    the lengths their positions must take. A value changed in place after it was written
    (the file copied over, a bad disk) would otherwise have its garbage read as counts and offsets, and one
    request ask for billions of positions (24 GB, till the kernel killed the process)."""
    widths, room = [], []
    for value, count in zip(values, n.tolist(), strict=True):  # a page's few dozen values: plain Python is quicker
        left = len(value) - (_HEADER + 8 * count + 4)
        if value[0] not in (2, 4) or left < 0:
            raise ValueError("a text's forward index is damaged")
        widths.append(value[0])
        room.append(left)
    return np.array(widths, dtype=np.int64), np.array(room, dtype=np.int64)


def _check_starts(starts: np.ndarray, first_start: np.ndarray, n: np.ndarray, widths: np.ndarray,
                  room: np.ndarray) -> None:
    """`ValueError` unless each value's starts go from 0, in order, to the end of its positions."""
    steps = np.diff(starts)
    steps[first_start[1:] - 1] = 0  # from one value's last start to the next value's first
    if (starts[first_start] != 0).any() or (steps < 0).any() or (starts[first_start + n] * widths != room).any():
        raise ValueError("a text's forward index is damaged")


def _all_positions(values: list[bytes], sizes: list[int]) -> np.ndarray:
    """Every document's positions, one document after another."""
    tails = [v[_HEADER + 4 * (2 * k + 1):] for v, k in zip(values, sizes, strict=True)]
    widths = {v[0] for v in values}
    if len(widths) == 1:
        return np.frombuffer(b"".join(tails), dtype="<u2" if widths == {2} else "<u4")
    return np.concatenate([np.frombuffer(t, dtype="<u2" if v[0] == 2 else "<u4").astype(np.uint32)
                           for v, t in zip(values, tails, strict=True)])


class ForwardText(TEXT):
    """A TEXT field whose column holds each document's forward index (see the module)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.column_type = VarBytesColumn()

    def to_column_value(self, value) -> bytes:
        return encode(indexed_term_positions(value)) if isinstance(value, str) else b""

    def from_column_value(self, value: bytes) -> bytes:
        return value
