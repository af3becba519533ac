"""Where words stand: the text's positions from the forward index (`search.store.forward`), for snippets, closeness
and phrases; the title's from its postings, for phrases.

A phrase is checked only in the documents that hold all its words, and the work of all the phrases of a query is
bounded (MAX_PHRASE_CHECKS).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..analysis.expressions import marked
from ..errors import QueryError
from . import forward
from .snapshot import ScoringContext

MAX_PHRASE_CHECKS = 30_000  # documents x words the quoted phrases of one query may examine by position (~0.3 s)
MAX_TRANSLATION_PHRASE_CHECKS = 30_000  # and the translations that are phrases, apart


@dataclass
class PhraseBudget:
    """The position checks (documents x words) one query's phrases may still make: made for each query and
    carried with it (the snapshot is shared by every query and holds none of one query's state)."""

    left: int = field(default_factory=lambda: MAX_PHRASE_CHECKS)
    # The translations that are phrases («иметь дело» for "deal") are checked from a budget of their own, never
    # refused: one past it is not looked for. Each is checked once per query (field, terms -> its documents).
    translations_left: int = field(default_factory=lambda: MAX_TRANSLATION_PHRASE_CHECKS)
    translations: dict[tuple[str, tuple[str, ...]], np.ndarray] = field(default_factory=dict)

    def spend(self, documents: int, words: int, shown: str) -> None:
        """Take the checks of a phrase of `words` words in `documents` documents from the budget; `QueryError`
        asking for a rarer word when it does not hold them."""
        self.left -= documents * words
        if self.left < 0:
            raise QueryError(f"The phrase \"{shown}\" is made of words too common to check here ({documents:,} "
                             f"documents hold them all): add a rarer word to it, or drop the quotes.")


def text_positions(ctx: ScoringContext, words: list, docnums: np.ndarray) -> list[dict[int, np.ndarray]]:
    """Where each word (as any of its terms) stands in the text of each of `docnums` that has it, from the
    forward index (`search.store.forward`): sorted positions, each once, by document, for each word."""
    docs, words_at, positions = _word_positions(ctx, words, docnums)
    located: list[dict[int, np.ndarray]] = [{} for _ in words]
    order = np.lexsort((positions, docs, words_at))
    docs, words_at, positions = docs[order], words_at[order], positions[order]
    repeated = np.zeros(len(order), dtype=bool)  # a position two of a word's terms share (стали: стать, сталь)
    repeated[1:] = (docs[1:] == docs[:-1]) & (words_at[1:] == words_at[:-1]) & (positions[1:] == positions[:-1])
    docs, words_at, positions = docs[~repeated], words_at[~repeated], positions[~repeated]
    runs = np.flatnonzero(np.diff(docs) | np.diff(words_at)) + 1
    for start, end in zip(np.concatenate(([0], runs)).tolist(), np.concatenate((runs, [len(docs)])).tolist(),
                          strict=True):
        if end > start:
            located[int(words_at[start])][int(docnums[docs[start]])] = positions[start:end]
    return located


def opening_presence(ctx: ScoringContext, words: list, docnums: np.ndarray, width: int) -> np.ndarray:
    """Whether each word (as any of its terms) stands at each of the first `width` positions of the text of
    each of `docnums`: booleans (documents, words, width), from the forward index."""
    presence = np.zeros((len(docnums), len(words), width), dtype=bool)
    docs, words_at, positions = _word_positions(ctx, words, docnums)
    kept = positions < width
    presence[docs[kept], words_at[kept], positions[kept]] = True
    return presence


def _word_positions(ctx: ScoringContext, words: list, docnums: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every position of every word (as any of its terms) in the text of `docnums`, read from the forward index
    for all the documents at once: (document's index in `docnums`, word's index, position). A term two words
    share counts for both."""
    every, words_of = _hashes_of(words)
    rows, values = [], []
    leaves = np.searchsorted(ctx.leaf_starts, docnums, side="right") - 1
    for row, (docnum, leaf) in enumerate(zip(docnums.tolist(), leaves.tolist(), strict=True)):
        column = ctx.forward_columns[leaf]
        if column is not None:
            rows.append(row)
            values.append(column[docnum - int(ctx.leaf_starts[leaf])])
    found, labels, positions = forward.found_in(values, every)
    docs = np.asarray(rows, dtype=np.int64)[found] if len(found) else found
    if all(len(of) == 1 for of in words_of):
        return docs, np.array([of[0] for of in words_of], dtype=np.int64)[labels], positions
    # Some term belongs to two words: each (term, word) pair gets the term's positions.
    pairs = [(label, word) for label, of in enumerate(words_of) for word in of]
    pair_labels = np.array([label for label, _ in pairs], dtype=np.int64)
    pair_words = np.array([word for _, word in pairs], dtype=np.int64)
    take = [np.flatnonzero(labels == label) for label in pair_labels.tolist()]
    index = np.concatenate(take) if take else np.empty(0, dtype=np.int64)
    owner = np.repeat(pair_words, [len(t) for t in take])
    return docs[index], owner, positions[index]


def _hashes_of(words: list) -> tuple[np.ndarray, list[list[int]]]:
    """The distinct `forward.term_hash` of the words' terms, sorted, with the words (by index) each is a term of."""
    hashes = [forward.term_hashes(terms) for terms in words]
    every = np.unique(np.concatenate(hashes)) if hashes else np.empty(0, dtype=np.uint32)
    words_of: list[list[int]] = [[] for _ in every]
    for word, word_hashes in enumerate(hashes):
        for i in set(np.searchsorted(every, word_hashes).tolist()):
            words_of[i].append(word)
    return every, words_of


def phrase_documents(ctx: ScoringContext, field: str, words: list[tuple[str, ...]], budget: PhraseBudget,
                     shown: str = "") -> np.ndarray:
    """The documents where the words stand one after another in `field` (each word as any of its terms).

    Only documents holding every word are looked at, and their positions are read once per word: the work of
    all the phrases of a query is bounded by its `budget` (documents x words); past it, `QueryError` asks for a
    rarer word.
    """
    candidates = np.zeros(0, dtype=np.int64)
    for i, lemmas in enumerate(words):
        holding = np.unique(np.concatenate([ctx.postings(field, term)[0] for term in lemmas]))
        candidates = holding if i == 0 else np.intersect1d(candidates, holding, assume_unique=True)
        if not len(candidates):
            return candidates
    budget.spend(len(candidates), len(words), shown)
    return _in_order(ctx, field, words, candidates)


def translation_documents(ctx: ScoringContext, field: str, terms: tuple[str, ...], candidates: np.ndarray,
                          budget: PhraseBudget) -> np.ndarray:
    """Those of `candidates` (the documents holding every one of a translation's words in `field`) where the
    words stand one after another («иметь дело», not «дело» in «министр иностранных дел» and «иметь»
    elsewhere), within the query's budget for translations: none for a phrase of words too common to check (it
    is then not looked for)."""
    key = (field, terms)
    if key not in budget.translations and (known := ctx.phrases.get(key)) is not None:
        budget.translations[key] = known
    if key not in budget.translations:
        cost = len(candidates) * len(terms)
        if not len(candidates) or cost > budget.translations_left:
            budget.translations[key] = np.zeros(0, dtype=np.int64)
        else:
            budget.translations_left -= cost
            budget.translations[key] = _in_order(ctx, field, [(term,) for term in terms], candidates)
            ctx.phrases.put(key, budget.translations[key])
    return budget.translations[key]


def outside_expressions(ctx: ScoringContext, field: str, term: str, docnums: np.ndarray,
                        freqs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A translation's documents (`docnums`, all those holding `term` in `field`) and frequencies, not counting
    where the term stands in a fixed expression that takes its sense away («число» in «в том числе»: the index
    marks those places, `search.analysis.expressions`): a document that holds it only there is left out."""
    inside_docs, inside = ctx.postings(field, marked(term))
    if not len(inside_docs) or not len(docnums):
        return docnums, freqs
    at = np.minimum(np.searchsorted(inside_docs, docnums), len(inside_docs) - 1)
    found = inside_docs[at] == docnums
    left = freqs - np.where(found, inside[at], 0).astype(freqs.dtype)
    kept = left > 0
    return docnums[kept], left[kept]


def _in_order(ctx: ScoringContext, field: str, words: list[tuple[str, ...]], candidates: np.ndarray) -> np.ndarray:
    """Those of `candidates` where the words (each as any of its terms) stand one after another in `field`."""
    located: list[dict[int, Any]]
    if field == "text":  # the text's positions are kept by document (search.store.forward), all words read at once
        located = text_positions(ctx, words, candidates)
    else:
        located = [positions_in(ctx, field, lemmas, candidates) for lemmas in words]
    ends = {docnum: set(np.asarray(found).tolist()) for docnum, found in located[0].items()}
    for following in located[1:]:
        ends = {docnum: joined for docnum, found in following.items()
                if docnum in ends and (joined := {p for p in np.asarray(found).tolist() if p - 1 in ends[docnum]})}
        if not ends:
            break
    return np.fromiter(sorted(ends), dtype=np.int64, count=len(ends))


def positions_in(ctx: ScoringContext, field: str, terms, docnums: np.ndarray) -> dict[int, list[int]]:
    """Positions of any of `terms` in each of `docnums`, from the postings' stored values (the title's: the
    text's are in the forward index)."""
    found: dict[int, list[int]] = {}
    decode = ctx.searcher.schema[field].format.decode_positions
    for term in terms:
        ids, values = ctx.position_values(field, term)
        if not len(ids):
            continue
        index = np.searchsorted(ids, docnums)
        for docnum, i in zip(docnums.tolist(), index.tolist(), strict=True):
            if i < len(ids) and ids[i] == docnum:
                found.setdefault(docnum, []).extend(decode(values[i]))
    return found
