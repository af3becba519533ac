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
    >>> [a.tolist() for a in found_together(value, term_hashes(["макей", "лавров", "путин"]))]
    [[0, 1, 1], [3, 0, 7]]
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
from whoosh.columns import VarBytesColumn
from whoosh.fields import TEXT

from .analysis import indexed_term_positions

_HEADER = 8


@lru_cache(maxsize=100_000)
def term_hash(term: str) -> int:
    return zlib.crc32(term.encode("utf-8"))


def term_hashes(terms: Iterable[str]) -> np.ndarray:
    return np.fromiter((term_hash(term) for term in terms), dtype=np.uint32)


def encode(term_positions: dict[str, list[int]]) -> bytes:
    """A text's terms with their positions (as `search.analysis.term_positions` gives them) as a column value.
    (Two terms of one text with the same hash, one in tens of millions, both stay: a lookup finds one of them.)"""
    n = len(term_positions)
    lists = list(term_positions.values())
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=n)
    flat = np.fromiter(itertools.chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum()))
    hashes = np.array([zlib.crc32(term.encode("utf-8")) for term in term_positions], dtype=np.uint32)  # term_hash
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
    located: list[np.ndarray | None] = [None] * len(hashes)
    for i, positions in found(value, hashes):
        located[i] = positions
    return located


def found(value: bytes, hashes: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """(index in `hashes`, positions) of each of `hashes` the document has."""
    n = int.from_bytes(value[4:8], "little") if len(value) >= _HEADER else 0
    if not n:
        return []
    doc_hashes = np.frombuffer(value, dtype="<u4", count=n, offset=_HEADER)
    index = np.minimum(np.searchsorted(doc_hashes, hashes), n - 1)
    hit = np.flatnonzero(doc_hashes[index] == hashes)
    if not len(hit):
        return []
    starts = np.frombuffer(value, dtype="<u4", count=n + 1, offset=_HEADER + 4 * n)
    every = np.frombuffer(value, dtype="<u2" if value[0] == 2 else "<u4", offset=_HEADER + 4 * (2 * n + 1))
    return [(i, every[starts[term]:starts[term + 1]]) for i, term in zip(hit.tolist(), index[hit].tolist(),
                                                                            strict=True)]


def found_together(value: bytes, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(index in `hashes`, position) of every position of the terms the document has, as two arrays."""
    n = int.from_bytes(value[4:8], "little") if len(value) >= _HEADER else 0
    if not n:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    doc_hashes = np.frombuffer(value, dtype="<u4", count=n, offset=_HEADER)
    index = np.minimum(np.searchsorted(doc_hashes, hashes), n - 1)
    hit = np.flatnonzero(doc_hashes[index] == hashes)
    starts = np.frombuffer(value, dtype="<u4", count=n + 1, offset=_HEADER + 4 * n).astype(np.int64)
    every = np.frombuffer(value, dtype="<u2" if value[0] == 2 else "<u4", offset=_HEADER + 4 * (2 * n + 1))
    terms = index[hit]
    lengths = starts[terms + 1] - starts[terms]
    # Each found term's run of positions, gathered at once: run k starts at starts[terms[k]].
    offsets = np.repeat(starts[terms] - (np.cumsum(lengths) - lengths), lengths) + np.arange(int(lengths.sum()))
    return np.repeat(hit, lengths), every[offsets].astype(np.int64)


class ForwardText(TEXT):
    """A TEXT field whose column holds each document's forward index (see the module)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.column_type = VarBytesColumn()

    def to_column_value(self, value) -> bytes:
        return encode(indexed_term_positions(value)) if isinstance(value, str) else b""

    def from_column_value(self, value: bytes) -> bytes:
        return value
