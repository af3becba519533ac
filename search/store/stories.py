"""One story once: documents that tell the same story in nearly the same words (a newswire's repeat, a story
re-filed with a typo fixed or a new headline) are grouped when the index is written, so that a search shows each
story once, with "and N similar" (the rank stage collapses them; a query pays only an array lookup).

A document has two fingerprints, MinHash signatures (datasketch's, computed with NumPy) of word 3-grams, lower-
cased, ё as е: of its title and the first FINGERPRINT_WORDS words of its text, and of its lead (the title and the
first LEAD_WORDS words: two write-ups of one event under one headline share little else). Two documents are one
story when either pair of signatures is SIMILARITY alike *and* cites the same numbers: weekly reports written from
one template ("FED ADDS RESERVES VIA CUSTOMER REPURCHASES", 1.5 vs 2.5 billion dlrs) differ in little but their
figures, and are different news; RT's video pages whose text is only the same disclaimer differ by their titles.
Candidates come from MinHash LSH; groups are joined transitively.

Each generation keeps the fingerprints and groups in STORIES_FILE, so that an update fingerprints only the
documents it writes.
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..analysis.morphology import fold_yo
from .generations import damaged_file

STORIES_FILE = "stories.npz"
FINGERPRINT_WORDS = 500
LEAD_WORDS = 40
PERMUTATIONS = 64
# Candidates share one of BANDS bands of 4 values: a pair 0.78 alike is one 99.9% of the time (datasketch's
# MinHashLSH picks 8 bands of 8 for SIMILARITY, which missed such a pair 31% of the time: the long and short
# "OPEC WANTS 18 DLR OIL PRICE"). Every candidate is then checked against SIMILARITY and the numbers.
BANDS = 16
MIN_TITLE_WORDS = 3  # a title that can stand for a short text
SIMILARITY = 0.7  # Reuters: 1,331 of 19,043 documents in 653 stories (1,295 in 637 with 8 bands); read in samples
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d")
_SHINGLE_MIX = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D], dtype=np.uint64)


@lru_cache(maxsize=1)
def _permutations() -> np.ndarray:
    """The (a, b) of each permutation h -> a * h + b modulo 2^32, drawn as datasketch 2.0's MinHash draws them
    for its "affine32" scheme and seed 1 (`MinHash._init_permutations`; a test holds the two equal): stored
    signatures stay comparable with those of indexes written when datasketch computed them."""
    draw = np.random.RandomState(1)
    a = draw.randint(0, 1 << 31, PERMUTATIONS, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = draw.randint(0, 1 << 32, PERMUTATIONS, dtype=np.uint32)
    return np.array([a, b])


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
    titled = len(words)
    words += _first_words(text)
    numbered = [i for i, word in enumerate(words) if not word.isalpha() and _NUMBER.search(word)]
    if lead >= len(words):
        # A text shorter than a lead tells little of its own: RT's video pages hold a title and a line that many
        # share (a disclaimer, "subscribe to our Telegram"). Such a document is fingerprinted by its title (and
        # its text when it has none), and is another's copy only when their titles are alike.
        told = words[:titled] if titled >= MIN_TITLE_WORDS else words
        signature, key = _min_hashes(_shingles(told)), _numbers_key(words, numbered)
        return np.array([signature, signature]), np.array([key, key], dtype=np.uint32)
    # The lead's shingles are the first of the whole text's (a lead shorter than the whole has LEAD_WORDS words
    # or more): each is hashed once, and the lead's least values are taken over the first rows.
    return (_min_hashes(_shingles(words), lead - 2),
            np.array([_numbers_key(words, numbered), _numbers_key(words, [i for i in numbered if i < lead])],
                     dtype=np.uint32))


def _first_words(text: str) -> list[str]:
    """The first FINGERPRINT_WORDS words of the text's first FINGERPRINT_WORDS * 20 characters, lower-case, ё as е.
    A shorter stretch is read first: when it holds more words than that, none of the first is cut at its end."""
    for chars in (FINGERPRINT_WORDS * 8, FINGERPRINT_WORDS * 20):
        words = _WORD.findall(fold_yo(text[:chars].lower()))
        if len(words) > FINGERPRINT_WORDS or len(text) <= chars or chars == FINGERPRINT_WORDS * 20:
            return words[:FINGERPRINT_WORDS]
    return []


def _shingles(words: list[str]) -> np.ndarray:
    """The 32-bit hashes of the word 3-grams (of the words themselves when there are fewer than three; one 0 for
    no words), in order."""
    hashes = np.fromiter(map(zlib.crc32, map(str.encode, words)), dtype=np.uint64, count=len(words))
    if len(hashes) >= 3:
        hashes = (hashes[:-2] * _SHINGLE_MIX[0] + hashes[1:-1] * _SHINGLE_MIX[1] + hashes[2:] * _SHINGLE_MIX[2])
        hashes &= np.uint64(0xFFFFFFFF)
    return hashes if len(hashes) else np.zeros(1, dtype=np.uint64)


def _numbers_key(words: list[str], numbered: list[int]) -> int:
    """The key of the numbers these words (`numbered`: where those with a digit stand) cite."""
    return zlib.crc32(" ".join(sorted({words[i] for i in numbered})).encode())


def _min_hashes(shingles: np.ndarray, prefix: int | None = None) -> np.ndarray:
    """datasketch's MinHash of these 32-bit values (its "affine32" scheme: MurmurHash3's finalizer, then
    a * h + b modulo 2^32 for each permutation, the least of each), as NumPy computes it for all at once: the
    MinHash object's per-call work was most of a document's fingerprint (a test holds the two equal). With a
    `prefix`, (2, PERMUTATIONS): the signatures of all the values and of the first `prefix`."""
    a, b = _permutations()
    h = shingles.astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    permuted = h[:, None] * a[None, :] + b[None, :]
    if prefix is None:
        return permuted.min(axis=0)
    return np.array([permuted.min(axis=0), permuted[:prefix].min(axis=0)])


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
    and cite the same numbers. Candidates are the pairs that share a band of their signature (datasketch's
    MinHashLSH banding for SIMILARITY, computed with NumPy for all documents at once: its objects, one a document
    and signature, took 2.7 s of a Reuters build, after the writers had finished); copies alike in every value
    are one story before any pair is looked at."""
    count = len(signatures)
    if count == 0:
        return np.zeros(0, dtype=np.int32)
    firsts, seconds = [np.arange(0)], [np.arange(0)]
    for kind in range(signatures.shape[1]):
        rows = np.concatenate([signatures[:, kind], numbers[:, kind, None]], axis=1)
        unique, copy_of = np.unique(rows, axis=0, return_inverse=True)
        copy_of = copy_of.ravel()
        originals = np.unique(copy_of, return_index=True)[1]  # the first document of each distinct fingerprint
        firsts.append(np.arange(count))
        seconds.append(originals[copy_of])
        for first, second in _candidates(unique[:, :PERMUTATIONS]):
            alike = (unique[first, :PERMUTATIONS] == unique[second, :PERMUTATIONS]).mean(axis=1) >= SIMILARITY
            same = alike & (unique[first, PERMUTATIONS] == unique[second, PERMUTATIONS])
            firsts.append(originals[first[same]])
            seconds.append(originals[second[same]])
    labels = _components(count, np.concatenate(firsts), np.concatenate(seconds))
    sizes = np.bincount(labels, minlength=count)
    groups = np.full(count, -1, dtype=np.int32)
    shared = sizes[labels] > 1
    groups[shared] = np.unique(labels[shared], return_inverse=True)[1].ravel()
    return groups


def _components(count: int, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """For each of `count` nodes, the least node of its connected component in the graph of edges
    (first[i], second[i]): each edge hooks the larger of its two roots under the smaller, then paths are
    halved until every node points at its root, until no edge joins two roots. (Twenty lines of NumPy in place
    of scipy's `connected_components`, 143 MB installed for this one call.)

    >>> _components(5, np.array([0, 3, 4]), np.array([2, 4, 1])).tolist()
    [0, 1, 0, 1, 1]
    """
    parent = np.arange(count)
    while True:
        while True:  # every node to its root
            grand = parent[parent]
            if (grand == parent).all():
                break
            parent = grand
        left, right = parent[first], parent[second]
        apart = left != right
        if not apart.any():
            return parent
        low = np.minimum(left[apart], right[apart])
        np.minimum.at(parent, left[apart], low)
        np.minimum.at(parent, right[apart], low)


def _candidates(signatures: np.ndarray, chunk: int = 1 << 20):
    """Pairs (first, second) of rows that share a band (BANDS equal slices of the values), each pair once, in
    chunks of at most `chunk` pairs."""
    count = len(signatures)
    width = PERMUTATIONS // BANDS
    codes = []
    for band in range(BANDS):
        keys = np.ascontiguousarray(signatures[:, band * width:(band + 1) * width]).view(
            np.dtype((np.void, width * signatures.itemsize))).ravel()
        bucket = np.unique(keys, return_inverse=True)[1].ravel()
        order = np.argsort(bucket, kind="stable")
        starts = np.flatnonzero(np.diff(bucket[order], prepend=-1))
        sizes = np.diff(starts, append=count)
        for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist(), strict=True):
            members = order[start:start + size]
            left, right = np.triu_indices(size, 1)
            codes.append(members[left].astype(np.int64) * count + members[right])
    if codes:
        pairs = np.unique(np.concatenate(codes))
        for at in range(0, len(pairs), chunk):
            part = pairs[at:at + chunk]
            yield part // count, part % count


def story_numbers(generation: Path | None, leaves: list, size: int) -> np.ndarray:
    """The story number of every document number of a searcher (`leaves`: its (reader, offset) pairs), -1 for
    a document alone or an index that keeps no stories. Reads the groups only, not the fingerprints."""
    if generation is None or not (generation / STORIES_FILE).exists():
        return np.full(size, -1, dtype=np.int32)
    ids, groups = _arrays(generation, "ids", "groups")
    return numbers_of(leaves, size, ids, groups)


def numbers_of(leaves: list, size: int, ids: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """The story number of every document number of a searcher, from documents' ids and their groups (-1 for
    a document alone, and for one `ids` does not name)."""
    numbers = np.full(size, -1, dtype=np.int32)
    shared = np.flatnonzero(groups >= 0)
    story_of = dict(zip(ids[shared].tolist(), groups[shared].tolist(), strict=True))
    if story_of:
        for reader, offset in leaves:
            column = reader.column_reader("id")
            for docnum in range(reader.doc_count_all()):
                doc_id = column[docnum]
                story = story_of.get(doc_id.decode("utf-8") if isinstance(doc_id, bytes) else doc_id)
                if story is not None:
                    numbers[offset + docnum] = story
    return numbers


def stories_across(generations: list[Path]) -> tuple[np.ndarray, np.ndarray]:
    """The stories of the documents of several generations (the shards of a collection) grouped together, as
    one index of all of them groups them: (ids, story numbers) of the documents that share a story."""
    kept = [stories for stories in map(read_stories, generations) if stories is not None and stories.ids]
    if not kept:
        return np.array([], dtype=str), np.zeros(0, dtype=np.int32)
    ids = np.array([doc_id for stories in kept for doc_id in stories.ids], dtype=str)
    groups = group(np.concatenate([s.signatures for s in kept]), np.concatenate([s.numbers for s in kept]))
    shared = groups >= 0
    return ids[shared], groups[shared]


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
    ids, signatures, numbers, groups = _arrays(generation, "ids", "signatures", "numbers", "groups")
    return Stories(ids.tolist(), signatures, numbers, groups)


def _arrays(generation: Path, *names: str) -> list[np.ndarray]:
    """Arrays of a generation's stories file, one row per document each; `IndexDamagedError` naming the file when
    it does not hold them (its checksum may match: the manifest rewritten, or the file written so)."""
    try:
        with np.load(generation / STORIES_FILE, allow_pickle=False) as data:
            arrays = [data[name] for name in names]
        if any(a.ndim < 1 or len(a) != len(arrays[0]) for a in arrays):
            raise ValueError("its arrays differ in length")
        if "groups" in names and not np.issubdtype(arrays[names.index("groups")].dtype, np.integer):
            raise ValueError("its groups are not numbers")
    except (OSError, EOFError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as error:
        raise damaged_file(generation, STORIES_FILE, error) from None
    return arrays
