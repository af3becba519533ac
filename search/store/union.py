"""The shards of one collection read as one index for what reading a query needs (`WordCounts`): the word forms
of all of them with their counts added, and a term's or a name's documents from every shard, each shard's
document numbers shifted past the ones before it. A query read through it is read as one index of all their
documents reads it: the same corrections, completions and names, since those depend only on which documents
hold which words (docs/scaling.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np

from .snapshot import ScoringContext
from .vocabulary import Vocabulary


class ShardWords:
    """Snapshots of every shard of a collection, read as one for a query's words (see the module)."""

    def __init__(self, shards: list[ScoringContext]) -> None:
        self.shards = shards
        self.offsets = np.concatenate([[0], np.cumsum([shard.size for shard in shards])])[:-1].astype(np.int64)
        self._vocabulary: Vocabulary | None = None

    def vocabulary(self) -> Vocabulary:
        """The shards' word forms, each held by as many documents as it is in all of them together."""
        if self._vocabulary is None:
            counts: Counter = Counter()
            for shard in self.shards:
                counts.update(shard.vocabulary().frequencies)
            self._vocabulary = Vocabulary(dict(counts))
        return self._vocabulary

    def postings(self, field: str, term: str) -> tuple[np.ndarray, np.ndarray]:
        return self._joined(lambda shard: shard.postings(field, term))

    def name_postings(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        return self._joined(lambda shard: shard.name_postings(key))

    def _joined(self, read: Callable[[ScoringContext], tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
        docnums, freqs = zip(*(read(shard) for shard in self.shards), strict=True)
        return (np.concatenate([d.astype(np.int64) + offset for d, offset in zip(docnums, self.offsets, strict=True)]),
                np.concatenate(freqs))
