"""Shards held by Ray actors (a local Ray on 127.0.0.1): each round runs on every shard's actor, in processes of
their own, and the merged ranking is the single index's."""

import os

import numpy as np
import pytest

from search.query.filters import Filters
from search.query.parsing import parse_query
from search.rank.ranking import rank
from search.searching import expand_parsed
from search.store.opening import open_snapshot

ray = pytest.importorskip("ray", reason="the cluster extra: pip install 'bilingual-search[cluster]'")

QUERIES = ["НАТО", "Lavrov Makei", "Россия Белоруссия НАТО отношения", "security guarantees", "Столтенберг",
           "\"гарантий безопасности\"", "NATO -Stoltenberg", "relations with NATO improvement"]


@pytest.fixture(scope="module")
def cluster(sharded_sentences):
    from search.cluster import RayShards

    root, _ = sharded_sentences
    shards = RayShards([root / "2-0", root / "2-1"], cpus=2)
    yield root, shards
    shards.close()


def test_ray_actors_rank_the_shards_as_one_index(cluster):
    root, shards = cluster
    whole = open_snapshot(root / "whole")
    try:
        processes = shards.processes()
        assert len(set(processes)) == 2 and os.getpid() not in processes  # each shard in an actor's process
        for text in QUERIES:
            expected = rank(whole, expand_parsed(whole, parse_query(text), cross_language=True), Filters(), 10,
                            collapse=False)
            found = shards.rank(shards.read(text, typos=False, prefix=False)[1], depth=10)
            assert found.ids == [whole.searcher.stored_fields(int(n))["id"] for n in expected.docnums], text
            assert np.allclose(found.ranking.scores, expected.scores, rtol=1e-9, atol=0), text
            assert found.ranking.total == expected.total, text
        assert len(found.ids) >= 5 and all(d["title"] for d in found.documents)
    finally:
        whole.searcher.close()
