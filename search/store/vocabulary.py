"""The index's own words: every word form as written (lower-case, ё folded) with the number of documents that
hold it, for correcting typed queries and completing the word being typed.

Each generation of an index keeps them in a file of its own (VOCABULARY_FILE, form and count per line,
gzipped), written by every build, update and delete before the generation is sealed, so it is checksummed and
published with the rest. (A Whoosh field holding the forms cost 60% more build time: a posting per form and
document.) A searcher reads it once (about half a second for RT + Reuters' 265,000 forms) and holds it as a
dict, a sorted list (completions) and buckets by first letter and length (candidates for a correction).
Distances come from RapidFuzz's optimal string alignment (a swap of two neighbours is one edit), in C++.
"""

from __future__ import annotations

import bisect
import gzip
import heapq
import os
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .generations import damaged_file

VOCABULARY_FILE = "vocabulary.tsv.gz"
MAX_CANDIDATES = 8
CACHED_COMPLETIONS_FROM = 1_000  # a prefix with more forms than this (с, по, pre) keeps its completions


def read_counts(generation: Path) -> Counter:
    """A generation's word forms with the number of documents holding each (empty when it has no file)."""
    counts: Counter = Counter()
    try:
        with gzip.open(generation / VOCABULARY_FILE, "rt", encoding="utf-8") as lines:
            for line in lines:
                form, tab, count = line.rstrip("\n").rpartition("\t")
                if not tab:
                    raise ValueError(f"a line without a count: {line[:40]!r}")
                counts[form] = int(count)
    except FileNotFoundError:
        pass
    except (OSError, EOFError, ValueError, zlib.error) as error:  # UnicodeDecodeError is a ValueError
        raise damaged_file(generation, VOCABULARY_FILE, error) from None
    return counts


def write_counts(generation: Path, counts: Counter) -> None:
    """Write (or replace: the file may be a hard link to the live generation's) a generation's vocabulary."""
    partial = generation / (VOCABULARY_FILE + ".partial")
    with gzip.open(partial, "wt", encoding="utf-8", compresslevel=5) as out:
        out.writelines(f"{form}\t{count}\n" for form, count in sorted(counts.items()) if count > 0)
    os.replace(partial, generation / VOCABULARY_FILE)


@dataclass(frozen=True)
class Candidate:
    """A word form of the index near a typed word: `distance` edits away, held by `frequency` documents."""

    form: str
    distance: int
    frequency: int


class Vocabulary:
    """Word forms with their document frequencies; lookups by form, by prefix and by edit distance."""

    def __init__(self, frequencies: dict[str, int]) -> None:
        self.frequencies = frequencies
        self._sorted = sorted(frequencies)
        self._buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        for form in self._sorted:
            self._buckets[form[0], len(form)].append(form)
        self._completions: dict[tuple[str, int], list[str]] = {}  # prefixes of many forms only: bounded
        self.scripts = {"cyrl": any("а" <= f[0] <= "я" for f in frequencies),
                        "latn": any("a" <= f[0] <= "z" for f in frequencies)}

    @classmethod
    def of_generation(cls, generation: Path | None) -> Vocabulary:
        """The vocabulary a generation's file holds (an empty one without)."""
        return cls(dict(read_counts(generation)) if generation is not None else {})

    def __len__(self) -> int:
        return len(self.frequencies)

    def frequency(self, form: str) -> int:
        """How many documents hold this form (lower-case, ё folded); 0 for a form the index lacks."""
        return self.frequencies.get(form, 0)

    def similar(self, word: str, max_distance: int) -> list[Candidate]:
        """Forms within `max_distance` edits of `word` that start with its first letter, nearest and then most
        frequent first. (As in Meilisearch, a typo on the first letter is not looked for.)"""
        if not word or max_distance < 1:
            return []
        pool: list[str] = []
        for length in range(len(word) - max_distance, len(word) + max_distance + 1):
            pool.extend(self._buckets.get((word[0], length), ()))
        found = process.extract(word, pool, scorer=OSA.distance, score_cutoff=max_distance, limit=None)
        candidates = [Candidate(form, int(distance), self.frequencies[form])
                      for form, distance, _ in found if form != word]
        candidates.sort(key=lambda c: (c.distance, -c.frequency))
        return candidates[:MAX_CANDIDATES]

    def completions(self, prefix: str, limit: int = 8) -> list[str]:
        """The most frequent forms that start with `prefix` (the prefix itself included when it is a form)."""
        if not prefix:
            return []
        start = bisect.bisect_left(self._sorted, prefix)
        end = bisect.bisect_left(self._sorted, prefix + "\U0010ffff")
        many = end - start > CACHED_COMPLETIONS_FROM
        if many and (prefix, limit) in self._completions:
            return list(self._completions[prefix, limit])
        best = heapq.nlargest(limit, self._sorted[start:end], key=self.frequencies.__getitem__)
        best = sorted(best, key=lambda f: (-self.frequencies[f], f))
        if many:
            self._completions[prefix, limit] = best
        return list(best)
