"""Where the query's words stand in a text, for the top of the ranking: words close together early on, and an
opening that restates the query (a news article's lead, a paper's title line).

Both read the words' positions from the forward index (`search.store.forward`) for the few dozen documents the rank
stage may still reorder, and both look at the beginning of a text only: deep in a long article two
common words meet by chance, and one query word in the opening says little, while three say the text is about
the query.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..store.positions import opening_presence
from ..store.snapshot import ScoringContext, idf

# Tuned on the tune halves of the bench's collections (RT and Reuters headlines, CACM, XQuAD ru and en); the
# held-out halves are what bench/RESULTS.md reports.
PROXIMITY_SLOP = 3
PROXIMITY_WEIGHT = 0.3  # more helps CACM, hurts headlines
# Closeness counts in the first 200 words: counted everywhere, it rewarded long RT articles (1,100 words on
# average) where two common headline words meet by chance ("президента США"): RT's headline task 0.681 with
# it, 0.698 without, 0.721 in the first 200 words (100 and 400 measured too); the short texts of the other
# collections (90-140 words) moved by at most 0.001.
PROXIMITY_SPAN = 200
# A lead restating the query: at least LEAD_MIN_WORDS of the query's words in the first LEAD_WORDS words, each
# adding LEAD_WEIGHT of its idf (saturating with its count there). One or two words in the opening are chance
# (a question's incidental word in the first sentence of a Wikipedia paragraph: XQuAD lost 0.004 when two
# counted); three are a headline restated. Tune halves: RT 0.720 -> 0.732, Reuters 0.734 -> 0.742, CACM and
# XQuAD within +0.004 / -0.0002 (20 and 35 words, weights 0.1-0.3, 2 or 3 words, measured).
LEAD_WORDS = 20
LEAD_MIN_WORDS = 3
LEAD_WEIGHT = 0.3


WIDTH = max(PROXIMITY_SPAN + PROXIMITY_SLOP, LEAD_WORDS)  # how far into a text either bonus looks


@dataclass(frozen=True)
class Closeness:
    """Where the query's words (each as any of its terms) stand in the opening of some documents of the index:
    `presence[row, word, position]` for the first WIDTH positions."""

    docnums: np.ndarray
    words: list[tuple[str, ...]]
    presence: np.ndarray

    @classmethod
    def read(cls, ctx: ScoringContext, docnums: np.ndarray, words: list[tuple[str, ...]]) -> Closeness:
        return cls(docnums, words, opening_presence(ctx, words, docnums, WIDTH))

    def proximity_bonus(self, word_scores: list[np.ndarray], slop: int = PROXIMITY_SLOP,
                        weight: float = PROXIMITY_WEIGHT, span: int = PROXIMITY_SPAN) -> np.ndarray:
        """For each pair of consecutive query words within `slop` positions of each other in the first `span`
        words, `weight` times the pair's mean score."""
        if len(self.words) < 2 or not len(self.docnums):
            return np.zeros(len(self.docnums), dtype=np.float32)
        span = min(span, WIDTH - slop)
        following = self.presence[:, 1:, : span + slop]
        near = following.copy()  # near[..., p]: the next word stands within `slop` of p
        for shift in range(1, slop + 1):
            near[..., shift:] |= following[..., :-shift]
            near[..., :-shift] |= following[..., shift:]
        pairs = (self.presence[:, :-1, :span] & near[..., :span]).any(axis=2)  # (documents, pairs)
        scores = np.stack([word_scores[i][self.docnums] for i in range(len(self.words))], axis=1)
        return (weight * pairs * (scores[:, :-1] + scores[:, 1:]) / 2).sum(axis=1).astype(np.float32)

    def lead_bonus(self, ctx: ScoringContext, lead: int = LEAD_WORDS, min_words: int = LEAD_MIN_WORDS,
                   weight: float = LEAD_WEIGHT) -> np.ndarray:
        """For a document with at least `min_words` query words in its first `lead` words (up to WIDTH),
        `weight` times the idf of each, saturating with how often it stands there (as BM25 does, k1 = 1.2)."""
        if len(self.words) < min_words:
            return np.zeros(len(self.docnums), dtype=np.float32)
        tf = self.presence[:, :, :lead].sum(axis=2)  # (documents, words)
        idfs = np.array([idf(ctx.documents, max(ctx.count(("text", term), len(ctx.postings("text", term)[0]))
                                                for term in terms))
                         for terms in self.words], dtype=np.float64)
        bonus = (weight * idfs * tf * 2.2 / (tf + 1.2)).sum(axis=1)
        return (bonus * ((tf > 0).sum(axis=1) >= min_words)).astype(np.float32)
