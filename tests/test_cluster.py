"""Shards held by Ray actors (a local Ray on 127.0.0.1): each round runs on every shard's actor, in processes of
their own, and the merged ranking is the single index's."""

import os
import time

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


def _descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for task in os.listdir(f"/proc/{parent}/task"):
            try:
                with open(f"/proc/{parent}/task/{task}/children") as f:
                    children = {int(c) for c in f.read().split()}
            except FileNotFoundError:
                continue
            todo.extend(children - found)
            found |= children
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="reads /proc")
def test_serve_shards_on_a_local_ray_answers_as_one_index_and_stops_whole(tmp_path, seed_docs):
    """`serve --shards 2`: a local Ray on loopback, one actor a shard; pages equal to the single index's; an
    update published while serving is seen; SIGTERM stops the server, its actors and its Ray."""
    import json
    import signal
    import subprocess
    import sys
    import urllib.request
    from urllib.parse import quote

    from conftest import sentence_documents

    from search import Index, ShardedIndex, make_document

    docs = sentence_documents(seed_docs)
    whole = Index.build(tmp_path / "whole", docs)
    ShardedIndex.build(tmp_path / "ix", docs, shards=2).close()
    process = subprocess.Popen([sys.executable, "-m", "search", "serve", "--index", str(tmp_path / "ix"),
                                "--shards", "2", "--port", "0"], stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        while "Serving" not in line:
            line = process.stderr.readline()
            assert line, "the server ended before serving"
        assert "its shards on Ray" in line
        url = line.split(" on ", 1)[1].split("/ ", 1)[0]

        def get(path):
            with urllib.request.urlopen(url + path, timeout=30) as response:
                return json.loads(response.read())

        assert get("/api/health")["shards"] == 2
        for text in ("НАТО", "безопасн", "Lavrov Makei", "secruity"):
            page = get(f"/api/search?q={quote(text)}")
            expected = whole.search(text).to_dict()
            for answer in (page, expected):
                answer.pop("took_ms")
                for hit in answer["hits"]:
                    hit["score"] = round(hit["score"], 6)
            assert page == json.loads(json.dumps(expected)), text
        with ShardedIndex.open(tmp_path / "ix") as writer:
            writer.update([make_document("late", "Поздняя новость", "уникальнопозднее слово")])
        assert get(f"/api/search?q={quote('уникальнопозднее')}")["total"] == 1
        ray_processes = _descendants(process.pid)
        assert len(ray_processes) >= 3  # Ray's own processes and the two actors
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
        process.stderr.close()
        whole.close()
    for _ in range(100):
        if not any(_alive(pid) for pid in ray_processes):
            break
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in ray_processes)
