"""Shards of one collection ranked as one index of all their documents: the statistics round, the scoring round
and the merge (`search.rank.shards`), against the single index, document for document and score for score."""

import hashlib
import re

import numpy as np
import pytest

from search import Index, make_document
from search.query.filters import Filters
from search.query.parsing import parse_query
from search.rank.ranking import rank
from search.rank.shards import rank_across
from search.searching import expand_parsed
from search.store.opening import open_snapshot

QUERIES = ["НАТО", "Lavrov Makei", "Россия Белоруссия НАТО отношения", "security guarantees", "переговоры",
           "Столтенберг", "\"гарантий безопасности\"", "NATO -Stoltenberg", "Лавров Макей договорились",
           "Putin", "безопасность OR security", "title:НАТО", "relations with NATO improvement"]


def _paragraph_documents(seed_docs) -> list:
    """The seed documents' sentences, alone and with the next ones, as documents: many documents of both languages
    that share words, names and translations, of different lengths."""
    docs = []
    for doc in seed_docs.values():
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", doc.text) if len(s.split()) > 3]
        for i in range(len(sentences)):  # each sentence, and each with the next one or two
            for length in (1, 2 + i % 2):
                docs.append(make_document(f"{doc.id}:{i}:{length}", sentences[0][:80] if i % 3 else doc.title,
                                          " ".join(sentences[i:i + length]), lang=doc.lang))
    return docs


def _shard_of(doc_id: str, shards: int) -> int:
    return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=4).digest(), "little") % shards


@pytest.fixture(scope="module")
def collection(seed_docs, tmp_path_factory):
    docs = _paragraph_documents(seed_docs)
    root = tmp_path_factory.mktemp("shards")
    Index.build(root / "whole", docs).close()
    for count in (2, 3):
        for shard in range(count):
            Index.build(root / f"{count}-{shard}", [d for d in docs if _shard_of(d.id, count) == shard]).close()
    return root, len(docs)


@pytest.mark.parametrize("count", [2, 3])
def test_shards_rank_as_one_index(collection, count):
    root, documents = collection
    whole = open_snapshot(root / "whole")
    shards = [open_snapshot(root / f"{count}-{shard}") for shard in range(count)]
    assert documents > 60 and sum(s.documents for s in shards) == whole.documents == documents
    try:
        differs, found = False, 0
        for text in QUERIES:
            query = expand_parsed(whole, parse_query(text), cross_language=True)
            expected = rank(whole, query, Filters(), 20, collapse=False)
            merged = rank_across(shards, query, Filters(), 20)
            ids = [shards[s].searcher.stored_fields(int(n))["id"] for s, n in zip(merged.shards, merged.docnums,
                                                                               strict=True)]
            assert ids == [whole.searcher.stored_fields(int(n))["id"] for n in expected.docnums], text
            assert np.allclose(merged.scores, expected.scores, rtol=1e-9, atol=0), text
            assert merged.total == expected.total, text
            found += len(ids) >= 5
            # Each shard on its own statistics would not: the rounds are what make them equal.
            alone = [rank(s, query, Filters(), 20, collapse=False) for s in shards]
            own = {shards[i].searcher.stored_fields(int(n))["id"]: float(score)
                   for i, r in enumerate(alone) for n, score in zip(r.docnums, r.scores, strict=True)}
            differs |= any(not np.isclose(own.get(i, 0.0), float(s)) for i, s in zip(ids, merged.scores,
                                                                                      strict=True))
        assert differs and found >= len(QUERIES) - 2
    finally:
        for snapshot in (whole, *shards):
            snapshot.searcher.close()


def test_a_filter_and_a_language_apply_on_every_shard(collection):
    root, _ = collection
    whole = open_snapshot(root / "whole")
    shards = [open_snapshot(root / f"2-{shard}") for shard in range(2)]
    try:
        for text, filters in (("НАТО", Filters.of(lang="en")), ("security", Filters.of(lang="ru"))):
            query = expand_parsed(whole, parse_query(text), cross_language=True)
            expected = rank(whole, query, filters, 10, collapse=False)
            merged = rank_across(shards, query, filters, 10)
            assert merged.total == expected.total > 0
            assert np.allclose(merged.scores, expected.scores, rtol=1e-9, atol=0)
    finally:
        for snapshot in (whole, *shards):
            snapshot.searcher.close()
