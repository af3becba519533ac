"""Where the query's words stand in a text, for the top of the ranking: words close together early on, and an
opening that restates the query (a news article's lead, a paper's title line).

Both read the words' positions from the forward index (`search.forward`) for the few dozen documents the rank
stage may still reorder, and both look at the beginning of a text only: deep in a long article two
common words meet by chance, and one query word in the opening says little, while three say the text is about
the query.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .scoring import ScoringContext, idf

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


@dataclass(frozen=True)
class Closeness:
    """The positions of the query's words (each as any of its terms) in some documents of the index."""

    docnums: np.ndarray
    words: list[tuple[str, ...]]
    positions: list[dict[int, np.ndarray]]

    @classmethod
    def read(cls, ctx: ScoringContext, docnums: np.ndarray, words: list[tuple[str, ...]]) -> Closeness:
        """The words' positions in the opening of each document, as far as either bonus looks."""
        return cls(docnums, words, ctx.text_positions(words, docnums, below=max(PROXIMITY_SPAN + PROXIMITY_SLOP,
                                                                               LEAD_WORDS)))

    def proximity_bonus(self, word_scores: list[np.ndarray], slop: int = PROXIMITY_SLOP,
                        weight: float = PROXIMITY_WEIGHT, span: int = PROXIMITY_SPAN) -> np.ndarray:
        """For each pair of consecutive query words within `slop` positions of each other in the first `span`
        words, `weight` times the pair's mean score."""
        bonus = np.zeros(len(self.docnums), dtype=np.float32)
        for i in range(len(self.words) - 1):
            first, second = self.positions[i], self.positions[i + 1]
            for row, docnum in enumerate(self.docnums.tolist()):
                if docnum not in first or docnum not in second:
                    continue
                a, b = first[docnum], second[docnum]
                a, b = a[a < span], b[b < span + slop]
                if len(a) and len(b) and _within(a, b, slop):
                    bonus[row] += weight * (word_scores[i][docnum] + word_scores[i + 1][docnum]) / 2
        return bonus

    def lead_bonus(self, ctx: ScoringContext, lead: int = LEAD_WORDS, min_words: int = LEAD_MIN_WORDS,
                   weight: float = LEAD_WEIGHT) -> np.ndarray:
        """For a document with at least `min_words` query words in its first `lead` words, `weight` times the
        idf of each, saturating with how often it stands there (as BM25 does, k1 = 1.2)."""
        bonus = np.zeros(len(self.docnums), dtype=np.float32)
        count = np.zeros(len(self.docnums), dtype=np.int32)
        if len(self.words) < min_words:
            return bonus
        for terms, positions in zip(self.words, self.positions, strict=True):
            word_idf = idf(ctx.documents, max(len(ctx.postings("text", term)[0]) for term in terms))
            for row, docnum in enumerate(self.docnums.tolist()):
                tf = int(np.count_nonzero(positions[docnum] < lead)) if docnum in positions else 0
                if tf:
                    bonus[row] += weight * word_idf * tf * 2.2 / (tf + 1.2)
                    count[row] += 1
        return bonus * (count >= min_words)


def _within(a: np.ndarray, b: np.ndarray, slop: int) -> bool:
    """Whether a position of `a` is within `slop` of one of `b` (both sorted)."""
    index = np.searchsorted(b, a)
    left = np.abs(a - b[np.clip(index - 1, 0, len(b) - 1)])
    right = np.abs(a - b[np.clip(index, 0, len(b) - 1)])
    return bool(min(left.min(), right.min()) <= slop)
