"""One story once: documents that tell the same story in nearly the same words (a newswire's repeat, a story
re-filed with a typo fixed or a new headline) are grouped when the index is written, so that a search shows each
story once, with "and N similar" (the rank stage collapses them; a query pays only an array lookup).

A document has two fingerprints, MinHash signatures (datasketch) of word 3-grams, lower-cased, ё as е: of its
title and the first FINGERPRINT_WORDS words of its text, and of its lead (the title and the first LEAD_WORDS
words: two write-ups of one event under one headline share little else). Two documents are one story when either
pair of signatures is SIMILARITY alike *and* cites the same numbers: weekly reports written from one template
("FED ADDS RESERVES VIA CUSTOMER REPURCHASES", 1.5 vs 2.5 billion dlrs) differ in little but their figures, and
are different news; RT's video pages whose text is only the same disclaimer differ by their titles. Candidates
come from MinHash LSH; groups are joined transitively.

Each generation keeps the fingerprints and groups in STORIES_FILE, so that an update fingerprints only the
documents it writes.
"""

from __future__ import annotations

import os
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .morphology import fold_yo

STORIES_FILE = "stories.npz"
FINGERPRINT_WORDS = 500
LEAD_WORDS = 40
PERMUTATIONS = 64
SIMILARITY = 0.7  # Reuters: 1,295 of 19,043 documents in 637 stories (268 pairs the same text); read in samples
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d")
_SHINGLE_MIX = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D], dtype=np.uint64)


@lru_cache(maxsize=1)
def _permutations():
    from datasketch import MinHash  # imported on first use: only writing an index needs it

    template = MinHash(num_perm=PERMUTATIONS, seed=1)
    return template.permutations, template.scheme


def fingerprint(title: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """A document's two MinHash signatures, (2, PERMUTATIONS) unsigned 32-bit values, of its whole text and of
    its lead (the title and LEAD_WORDS words), and the keys of the numbers each cites.

    >>> a, numbers_a = fingerprint("OPEC wants 18 dlr oil", "OPEC believes oil prices should be set at 18 dlrs")
    >>> b, numbers_b = fingerprint("OPEC WANTS 18 DLR OIL", "OPEC believes oil prices should be set at 18 dlrs")
    >>> bool((a == b).all() and (numbers_a == numbers_b).all()), a.shape
    (True, (2, 64))
    """
    words = _WORD.findall(fold_yo(title.lower()))
    lead = len(words) + LEAD_WORDS
    words += _WORD.findall(fold_yo(text[: FINGERPRINT_WORDS * 20].lower()))[:FINGERPRINT_WORDS]
    signatures, numbers = zip(_signature(words), _signature(words[:lead]), strict=True)
    return np.array(signatures, dtype=np.uint32), np.array(numbers, dtype=np.uint32)


def _signature(words: list[str]) -> tuple[np.ndarray, int]:
    hashes = np.fromiter(map(zlib.crc32, map(str.encode, words)), dtype=np.uint64, count=len(words))
    if len(hashes) >= 3:
        hashes = (hashes[:-2] * _SHINGLE_MIX[0] + hashes[1:-1] * _SHINGLE_MIX[1] + hashes[2:] * _SHINGLE_MIX[2])
        hashes &= np.uint64(0xFFFFFFFF)
    numbers = zlib.crc32(" ".join(sorted({w for w in words if _NUMBER.search(w)})).encode())
    return _min_hashes(np.unique(hashes) if len(hashes) else np.zeros(1, dtype=np.uint64)), numbers


def _min_hashes(shingles: np.ndarray) -> np.ndarray:
    """datasketch's MinHash of these 32-bit values (its "affine32" scheme: MurmurHash3's finalizer, then
    a * h + b modulo 2^32 for each permutation, the least of each), as NumPy computes it for all at once: the
    MinHash object's per-call work was most of a document's fingerprint (a test holds the two equal)."""
    (a, b), scheme = _permutations()
    if scheme != "affine32":  # another datasketch's default: its own object, however it computes
        from datasketch import MinHash

        signature = MinHash(num_perm=PERMUTATIONS, permutations=(a, b), scheme=scheme, hashfunc=int)
        signature.update_batch(shingles.tolist())
        return signature.hashvalues.astype(np.uint32)
    h = shingles.astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return (h[:, None] * a[None, :] + b[None, :]).min(axis=0)


@dataclass
class Stories:
    """Every document's fingerprint, and its story: `groups[i]` numbers the story of `ids[i]` when other
    documents share it, -1 when it stands alone."""

    ids: list[str]
    signatures: np.ndarray  # (documents, 2, PERMUTATIONS) uint32: of the whole text, of the lead
    numbers: np.ndarray  # (documents, 2) uint32
    groups: np.ndarray  # (documents,) int32

    @classmethod
    def of(cls, fingerprints: dict[str, tuple[np.ndarray, np.ndarray]]) -> Stories:
        ids = list(fingerprints)
        signatures = np.array([fingerprints[i][0] for i in ids], dtype=np.uint32).reshape(len(ids), 2, PERMUTATIONS)
        numbers = np.array([fingerprints[i][1] for i in ids], dtype=np.uint32).reshape(len(ids), 2)
        return cls(ids, signatures, numbers, group(signatures, numbers))

    def fingerprints(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        return {doc_id: (self.signatures[i], self.numbers[i]) for i, doc_id in enumerate(self.ids)}


def group(signatures: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """Story numbers (-1 for a document alone) of documents whose whole texts or whose leads are SIMILARITY alike
    and cite the same numbers."""
    from datasketch import MinHash, MinHashLSH

    count = len(signatures)
    parent = np.arange(count)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    permutations, scheme = _permutations()
    for kind in range(signatures.shape[1] if count else 0):
        lsh = MinHashLSH(threshold=SIMILARITY, num_perm=PERMUTATIONS)
        for i in range(count):
            signature = MinHash(num_perm=PERMUTATIONS, hashvalues=signatures[i, kind].astype(np.uint64),
                                permutations=permutations, scheme=scheme)
            for other in lsh.query(signature):
                alike = float(np.mean(signatures[other, kind] == signatures[i, kind]))
                if alike >= SIMILARITY and numbers[other, kind] == numbers[i, kind]:
                    parent[root(i)] = root(other)
            lsh.insert(i, signature)
    roots = np.array([root(i) for i in range(count)], dtype=np.int64)
    sizes = np.bincount(roots, minlength=count)
    groups = np.full(count, -1, dtype=np.int32)
    shared = sizes[roots] > 1
    groups[shared] = np.unique(roots[shared], return_inverse=True)[1]
    return groups


def story_numbers(generation: Path | None, leaves: list, size: int) -> np.ndarray:
    """The story number of every document number of a searcher (`leaves`: its (reader, offset) pairs), -1 for
    a document alone or an index that keeps no stories. Reads the groups only, not the fingerprints."""
    numbers = np.full(size, -1, dtype=np.int32)
    if generation is None or not (generation / STORIES_FILE).exists():
        return numbers
    with np.load(generation / STORIES_FILE, allow_pickle=False) as data:
        groups = data["groups"]
        shared = np.flatnonzero(groups >= 0)
        story_of = dict(zip(data["ids"][shared].tolist(), groups[shared].tolist(), strict=True))
    if story_of:
        for reader, offset in leaves:
            ids = reader.column_reader("id")
            for docnum in range(reader.doc_count_all()):
                doc_id = ids[docnum]
                story = story_of.get(doc_id.decode("utf-8") if isinstance(doc_id, bytes) else doc_id)
                if story is not None:
                    numbers[offset + docnum] = story
    return numbers


def write_stories(generation: Path, stories: Stories) -> None:
    """Save a generation's stories (written aside and renamed: a clone's hard-linked file is never changed)."""
    partial = generation / (STORIES_FILE + ".partial.npz")
    np.savez(partial, ids=np.array(stories.ids, dtype=str), signatures=stories.signatures, numbers=stories.numbers,
             groups=stories.groups)
    os.replace(partial, generation / STORIES_FILE)


def read_stories(generation: Path | None) -> Stories | None:
    """A generation's stories; None for an index written before they were kept."""
    if generation is None or not (generation / STORIES_FILE).exists():
        return None
    with np.load(generation / STORIES_FILE, allow_pickle=False) as data:
        return Stories(data["ids"].tolist(), data["signatures"], data["numbers"], data["groups"])
