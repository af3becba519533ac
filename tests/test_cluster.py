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


def test_a_shard_actor_killed_while_queries_run_answers_partial_then_whole(tmp_path, seed_docs):
    """kill -9 of a shard actor's process while queries run: Ray starts it again; meanwhile every search
    answers within the time limit, whole or partial with the shard named (never an error, never a smaller
    total without a word); then whole again, as before."""
    import signal
    import threading

    from conftest import sentence_documents

    from search import ShardedIndex

    ShardedIndex.build(tmp_path / "ix", sentence_documents(seed_docs), shards=2).close()
    index = ShardedIndex.open(tmp_path / "ix", ray=True, timeout=3.0)
    try:
        index.warm_up()
        queries = ["НАТО", "безопасность", "Lavrov Makei", "переговоры", "security guarantees"]

        def page(text):
            result = index.search(text)
            return result, (result.total, [h.id for h in result.hits], result.facets)

        expected = {text: page(text)[1] for text in queries}
        answers, errors, stop = [], [], threading.Event()

        def ask():
            while not stop.is_set():
                for text in queries:
                    started = time.monotonic()
                    try:
                        result, seen = page(text)
                    except Exception as error:  # noqa: BLE001 - what the test counts
                        errors.append(repr(error))
                        continue
                    answers.append((started, time.monotonic() - started, text, result.missing, seen))

        asker = threading.Thread(target=ask)
        asker.start()
        time.sleep(1.0)
        victim = index._shards.processes()[1]
        killed = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        whole_again = None
        deadline = killed + 60
        while time.monotonic() < deadline and whole_again is None:
            time.sleep(0.2)
            whole_again = next((a[0] + a[1] for a in answers if a[0] > killed and not a[3]), None)
        stop.set()
        asker.join(30)
        assert not errors, errors[:3]
        after = [a for a in answers if a[0] > killed]
        assert after and whole_again is not None, "answers should be whole again once Ray restarted the shard"
        for _, took, text, missing, seen in answers:
            assert took < 3.0 + 5.0, (text, took)  # the limit, and the coordinator's own work on a busy machine
            if missing:
                assert [m["shard"] for m in missing] == ["shard-1"] and missing[0]["reason"]
            else:
                assert seen == expected[text], text
        assert index._shards.processes()[1] not in (0, victim)  # a new process serves the shard
        print(f"restart: {whole_again - killed:.2f} s; answers {len(answers)}, partial "
              f"{sum(bool(a[3]) for a in answers)}")
    finally:
        index.close()


def test_searches_from_many_threads_run_at_once_on_ray_and_see_one_generation(tmp_path, seed_docs):
    """Ray-served shards answer several threads' searches at once, each the answer it gets alone; a write
    published meanwhile is picked up between operations, never in the middle of one."""
    from concurrent.futures import ThreadPoolExecutor

    from conftest import sentence_documents

    from search import ShardedIndex, make_document

    ShardedIndex.build(tmp_path / "ix", sentence_documents(seed_docs), shards=2).close()
    with ShardedIndex.open(tmp_path / "ix", ray=True, timeout=30.0) as index:
        index.warm_up()
        queries = ["НАТО", "безопасность", "Lavrov Makei", "переговоры", "security guarantees", "Столтенберг"] * 5

        def seen(text):
            result = index.search(text)
            return result.total, [h.id for h in result.hits], [h.snippet for h in result.hits], result.missing

        alone = {text: seen(text) for text in set(queries)}
        with ThreadPoolExecutor(6) as pool:
            assert list(pool.map(seen, queries)) == [alone[text] for text in queries]
            later = pool.map(seen, queries)
            with ShardedIndex.open(tmp_path / "ix") as writer:
                writer.update([make_document("new", "НАТО и безопасность", "Новость о НАТО и безопасности.")])
            for text, answer in zip(queries, later, strict=True):
                assert not answer[3] and answer[0] in (alone[text][0], alone[text][0] + 1), text
        assert index.search("НАТО").total == alone["НАТО"][0] + 1
