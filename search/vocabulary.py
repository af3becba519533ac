"""The index's own words: every word form as written (lower-case, ё folded) with the number of documents that
hold it, for correcting typed queries and completing the word being typed.

Read from the index's `forms` field once per searcher (about a second for RT + Reuters' 265,000 forms), held as
a dict, a sorted list (completions) and buckets by first letter and length (candidates for a correction).
Distances come from RapidFuzz's optimal string alignment (a swap of two neighbours is one edit), in C++.
"""

from __future__ import annotations

import bisect
import heapq
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

FORMS_FIELD = "forms"
MAX_CANDIDATES = 8


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
        self.scripts = {"cyrl": any("а" <= f[0] <= "я" for f in frequencies),
                        "latn": any("a" <= f[0] <= "z" for f in frequencies)}

    @classmethod
    def of_readers(cls, readers) -> Vocabulary:
        """The vocabulary of an index's segment readers (their document frequencies added up)."""
        frequencies: dict[str, int] = defaultdict(int)
        for reader in readers:
            if FORMS_FIELD not in reader.schema:
                continue
            for term, info in reader.iter_field(FORMS_FIELD):
                form = term.decode("utf-8") if isinstance(term, bytes) else term
                frequencies[form] += info.doc_frequency()
        return cls(dict(frequencies))

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
        best = heapq.nlargest(limit, self._sorted[start:end], key=self.frequencies.__getitem__)
        return sorted(best, key=lambda f: (-self.frequencies[f], f))
