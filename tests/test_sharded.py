"""A collection in shards with the interface of `Index` (`search.ShardedIndex`): built by routing each document to
its shard, written under one lock and published together, and searched as one index of the same documents: the
same corrections, hits (ids, order, scores, marks, snippets, cross-language lines), totals and facets."""

import json
import threading

import pytest
from conftest import sentence_documents as sentences_of
from test_shards import QUERIES, TYPED

from search import Index, IndexLockedError, QueryError, ShardedIndex, load_documents, make_document, shard_of
from search.store import sharding


@pytest.fixture(scope="module")
def sentence_documents(seed_docs):
    return sentences_of(seed_docs)


@pytest.fixture(scope="module")
def collection(sentence_documents, tmp_path_factory):
    """The sentence documents as one index and as a 3-shard index."""
    root = tmp_path_factory.mktemp("sharded")
    whole = Index.build(root / "whole", sentence_documents)
    sharded = ShardedIndex.build(root / "sharded", sentence_documents, shards=3)
    yield whole, sharded
    whole.close()
    sharded.close()


def _page(result):
    page = result.to_dict()
    page.pop("took_ms")
    for hit in page["hits"]:
        hit["score"] = round(hit["score"], 9)
    return page


def test_a_sharded_index_answers_as_one_index(collection):
    whole, sharded = collection
    for text in QUERIES + TYPED + ["Россия и НАТО обсудили восстановление работы миссий в Москве и Брюсселе"]:
        for options in ({}, {"lang": "en"}, {"page": 2, "per_page": 3}, {"cross_language": False},
                        {"collapse": False}, {"collapse": False, "per_page": 4, "page": 3}, {"sort": "date"},
                        {"sort": "date", "collapse": False}, {"sort": "date", "per_page": 2, "page": 2}):
            expected = whole.search(text, **options)
            assert _page(sharded.search(text, **options)) == _page(expected), (text, options)
    shown = sharded.search("НАТО")
    assert shown.total > 5 and shown.facets["lang"] and any(hit.similar_count for hit in shown.hits)


def test_documents_go_to_the_shard_their_id_hashes_to(collection, sentence_documents):
    whole, sharded = collection
    stats = sharded.stats()
    assert stats["documents"] == len(whole) == len(sentence_documents)
    assert [s["documents"] for s in stats["shards"]] == [
        sum(shard_of(d.id, 3) == i for d in sentence_documents) for i in range(3)]
    assert stats["languages"] == whole.stats()["languages"]
    doc = sentence_documents[7]
    assert sharded.document(doc.id) == whole.document(doc.id)
    assert sharded.document("no such id") is None


def test_an_update_and_a_delete_are_published_across_shards_together(tmp_path, sentence_documents):
    docs = sentence_documents[:40]
    index = ShardedIndex.build(tmp_path / "ix", docs, shards=2)
    try:
        before = json.loads((tmp_path / "ix" / sharding.SHARDS_FILE).read_text())["generations"]
        new = [make_document(f"new-{i}", f"Новость {i}", f"уникальноеслово номер {i}", lang="ru") for i in range(6)]
        stats = index.update(new)
        assert stats.added == 6
        after = json.loads((tmp_path / "ix" / sharding.SHARDS_FILE).read_text())["generations"]
        assert all(a != b for a, b in zip(after, before, strict=True))  # both shards took new documents
        assert index.search("уникальноеслово").total == 6 and len(index) == 46
        assert index.delete(["new-0", "new-1", "absent"]) == 2
        assert index.search("уникальноеслово").total == 4 and len(index) == 44
    finally:
        index.close()


def test_a_failed_write_keeps_what_readers_see(tmp_path, sentence_documents):
    """A source that fails part way: no shard's new generation reaches readers, and the next write starts from
    what they saw."""
    docs = sentence_documents[:40]
    ShardedIndex.build(tmp_path / "ix", docs, shards=2).close()
    layout = sharding.read_layout(tmp_path / "ix")

    def failing():
        yield from (make_document(f"x{i}", "Заголовок", f"текст номер {i}") for i in range(30))
        raise OSError("the disk went away")

    with ShardedIndex.open(tmp_path / "ix") as index, pytest.raises(OSError, match="went away"):
        index.update(failing())
    assert sharding.read_layout(tmp_path / "ix") == layout
    with ShardedIndex.open(tmp_path / "ix") as index:
        assert len(index) == 40 and index.search("текст номер").total == 0
        index.update([make_document("y", "Заголовок", "другой текст")])
        assert len(index) == 41


def test_a_second_writer_waits_or_is_told(tmp_path, sentence_documents):
    ShardedIndex.build(tmp_path / "ix", sentence_documents[:10], shards=2).close()
    started, release = threading.Event(), threading.Event()

    def slow():
        started.set()
        release.wait(10)
        yield make_document("slow", "Медленно", "медленный документ")

    def update():
        with ShardedIndex.open(tmp_path / "ix") as index:
            index.update(slow())

    writer = threading.Thread(target=update)
    writer.start()
    started.wait(10)
    try:
        with pytest.raises(IndexLockedError):
            sharding.delete(tmp_path / "ix", ["slow"], wait=False)
    finally:
        release.set()
        writer.join(10)
    with ShardedIndex.open(tmp_path / "ix") as index:
        assert index.document("slow") is not None


def test_a_write_killed_between_two_shards_publishing_is_set_back(tmp_path, sentence_documents):
    """A writer killed after one shard published its generation and before SHARDS named it: readers keep the
    layout SHARDS names, and the next write starts from it (the shard's CURRENT set back)."""
    from search.store import generations, writing

    docs = sentence_documents[:40]
    ShardedIndex.build(tmp_path / "ix", docs, shards=2).close()
    layout = sharding.read_layout(tmp_path / "ix")
    stray = make_document("stray", "Заблудший", "заблудший документ")
    writing.update(layout.folder(shard_of("stray", 2)), [stray])  # what the killed write had published
    assert generations.current_generation(layout.folder(shard_of("stray", 2))) != layout.generation(
        shard_of("stray", 2))
    with ShardedIndex.open(tmp_path / "ix") as index:
        assert index.search("заблудший").total == 0 and len(index) == 40
        index.update([make_document("next", "Следующий", "следующий документ")])
        assert index.search("заблудший").total == 0 and index.search("следующий").total == 1
        assert len(index) == 41


def test_small_pages_with_each_story_once_are_the_single_index_pages(collection):
    whole, sharded = collection
    for text in QUERIES:
        for per_page in (1, 2):
            for page in (1, 2, 3):
                expected = whole.search(text, page=page, per_page=per_page)
                assert _page(sharded.search(text, page=page, per_page=per_page)) == _page(expected), text


def _window(groups, exhausted, shard_total=None):
    """A shard's answer whose documents are all copies of the given stories, best first."""
    import numpy as np

    from search.query.filters import FacetCounts
    from search.rank.shards import Copies, ShardWindow

    n = len(groups)
    docnums = np.arange(n)
    scores = np.linspace(10, 5, n)
    keys = np.arange(n, dtype=np.uint64) * 7 + 1
    groups = np.array(groups, dtype=np.int32)
    complete = np.ones(n, dtype=bool)
    return ShardWindow(docnums, scores, complete, scores[:52].copy(), keys, groups, shard_total or n, exhausted,
                       FacetCounts({}), 0, Copies(docnums, groups, scores, complete, keys))


def test_copies_that_crowd_the_shards_answers_make_the_merge_ask_further_down():
    """Each story once: when the shards' first documents are all copies of one story, the merge cannot tell the
    second story from what it was given, and says so (None: `_Shards.rank` asks again with more)."""
    from search.rank.shards import merge

    assert merge([_window([7] * 52, False, 200), _window([7] * 52, False, 200)], 2, collapse=True) is None
    merged = merge([_window([7] * 52, True), _window([7] * 51 + [8], True)], 2, collapse=True)
    assert merged is not None and merged.total == 2 and len(merged.docnums) == 2
    assert len(merged.similar[0]) == 102 and merged.similar[1] == []


def test_the_cli_builds_updates_and_searches_shards(tmp_path, seeds_dir):
    import subprocess
    import sys

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "search", *map(str, args)], capture_output=True, text=True)

    ix = tmp_path / "ix"
    built = cli("index", seeds_dir, "--index", ix, "--shards", "2")
    assert built.returncode == 0 and "Index built" in built.stdout and ": 5 documents." in built.stdout
    stats = cli("stats", "--index", ix, "--json")
    assert json.loads(stats.stdout)["documents"] == 5 and len(json.loads(stats.stdout)["shards"]) == 2
    again = cli("index", seeds_dir, "--index", ix)  # updated in its shards
    assert again.returncode == 0 and "unchanged 5" in again.stdout
    found = cli("search", "--index", ix, "--json", "переговоры")
    with Index.build(tmp_path / "one", load_documents(seeds_dir)) as one:
        expected = one.search("переговоры").to_dict()
    page = json.loads(found.stdout)
    assert [h["id"] for h in page["hits"]] == [h["id"] for h in expected["hits"]] and page["total"] == 2
    other = cli("index", seeds_dir, "--index", ix, "--shards", "3")
    assert other.returncode == 1 and other.stderr.strip() == (
        f"bilingual-search: error: The index at {ix} has 2 shards. To build it in 3: "
        f"bilingual-search index PATH --index {ix} --rebuild --shards 3")
    assert cli("index", seeds_dir, "--index", ix, "--shards", "3", "--rebuild").returncode == 0
    assert len(json.loads(cli("stats", "--index", ix, "--json").stdout)["shards"]) == 3


def test_suggestions_and_the_reading_view_are_the_single_index(collection):
    whole, sharded = collection
    for text in ["НАТО", "безопасн", "Лавров Мак", "secur", "ghbdtn", "Stoltenb", "гаранти", "", "пере"]:
        assert sharded.suggest(text).to_dict() == whole.suggest(text).to_dict(), text
    doc_id = whole.search("гарантий безопасности").hits[0].id
    for query in ("", "гарантий безопасности", "secruity", "\"unclosed"):
        mine, theirs = sharded.view(doc_id, query), whole.view(doc_id, query)
        assert (mine.title_html, mine.paragraphs, mine.parts) == (theirs.title_html, theirs.paragraphs, theirs.parts)
    assert "<mark>" in sharded.view(doc_id, "гарантий безопасности").paragraphs[0] + "".join(
        sharded.view(doc_id, "гарантий безопасности").paragraphs)
    assert sharded.view("no such id") is None
    with pytest.raises(QueryError, match="part"):
        sharded.view(doc_id, part=99)


def test_related_lists_are_the_single_index_lists(collection, sentence_documents):
    whole, sharded = collection
    compared = 0
    for doc in sentence_documents[::7]:
        for limit in (3, 10):
            expected = [(h.id, round(h.score, 9), h.title) for h in whole.related(doc.id, limit)]
            assert [(h.id, round(h.score, 9), h.title) for h in sharded.related(doc.id, limit)] == expected, doc.id
            compared += bool(expected)
    assert compared > 25 and sharded.related("no such id") is None
    with pytest.raises(QueryError, match="limit"):
        sharded.related(sentence_documents[0].id, limit=0)


def test_the_web_app_serves_a_sharded_index_as_it_serves_one(collection):
    """The same app over the sharded index (served in this process) and over the single one: the JSON pages,
    suggestions and related lists equal, the search and document pages alike, the health naming the shards."""
    from urllib.parse import quote

    from web import create_app

    whole, sharded = collection
    clients = [create_app({"SEARCH_INDEX": str(index.root), "TESTING": True}).test_client()
               for index in (whole, sharded)]

    def both(url):
        answers = [client.get(url) for client in clients]
        assert [a.status_code for a in answers] == [200, 200], url
        return answers

    for text in ("НАТО", "безопасн", "Lavrov Makei", "secruity", "Россия Белоруссия НАТО отношения"):
        for extra in ("", "&lang=ru", "&sort=date", "&page=2"):
            mine, theirs = (a.get_json() for a in both(f"/api/search?q={quote(text)}{extra}"))
            mine.pop("took_ms")
            theirs.pop("took_ms")
            assert mine == theirs, (text, extra)
        mine, theirs = (a.get_json() for a in both(f"/api/suggest?q={quote(text)}"))
        assert mine == theirs
        page = both(f"/?q={quote(text)}")[1].get_data(as_text=True)
        assert "<mark>" in page or "no results" in page.lower() or "ничего" in page.lower()
    doc_id = whole.search("НАТО").hits[0].id
    mine, theirs = (a.get_json() for a in both(f"/api/documents/{quote(doc_id)}/related"))
    assert mine == theirs and mine["related"]
    page = both(f"/doc/{quote(doc_id)}?q=НАТО")[1].get_data(as_text=True)
    assert "<mark>НАТО</mark>" in page
    health = both("/api/health")[1].get_json()
    assert health["shards"] == 3 and health["documents"] == len(whole) and "+" in health["generation"]


def test_a_shard_whose_files_are_damaged_is_left_out_and_named(tmp_path, sentence_documents):
    """Every answer says which shard is missing and why; the other shards' results are given, never a
    traceback; the page and the health say so too."""
    from web import create_app

    with ShardedIndex.build(tmp_path / "ix", sentence_documents, shards=2) as index:
        whole_total = index.search("НАТО").total
    layout = sharding.read_layout(tmp_path / "ix")
    segment = max((f for f in layout.generation(1).iterdir() if f.suffix == ".seg"), key=lambda f: f.stat().st_size)
    data = bytearray(segment.read_bytes())
    data[len(data) // 2: len(data) // 2 + 64] = bytes(64)
    segment.write_bytes(bytes(data))  # the same size, another checksum
    with ShardedIndex.open(tmp_path / "ix") as index:
        result = index.search("НАТО")
        assert [m["shard"] for m in result.missing] == ["shard-1"] and "damaged" in result.missing[0]["reason"]
        assert 0 < result.total < whole_total and all(shard_of(h.id, 2) == 0 for h in result.hits)
        assert index.stats()["missing"][0]["shard"] == "shard-1"
        assert index.check(checksums=True)["missing"][0]["shard"] == "shard-1"
    client = create_app({"SEARCH_INDEX": str(tmp_path / "ix"), "TESTING": True}).test_client()
    page = client.get("/api/search?q=%D0%9D%D0%90%D0%A2%D0%9E")
    assert page.status_code == 200 and page.get_json()["missing"][0]["shard"] == "shard-1"
    html = client.get("/?q=%D0%9D%D0%90%D0%A2%D0%9E").get_data(as_text=True)
    assert 'id="partial"' in html and "shard-1" in html
    health = client.get("/api/health").get_json()
    assert health["status"] == "partial" and health["missing"][0]["shard"] == "shard-1"


def test_the_overview_adds_up_over_the_shards(collection):
    whole, sharded = collection
    mine, theirs = sharded.overview(), whole.overview()
    assert {**mine, "updated": ""} == {**theirs, "updated": ""} and mine["examples"]["ru"]


def test_with_every_shard_out_of_reach_a_search_answers_empty_and_names_them(tmp_path, sentence_documents):
    with ShardedIndex.build(tmp_path / "ix", sentence_documents[:30], shards=2):
        pass
    layout = sharding.read_layout(tmp_path / "ix")
    for shard in range(2):
        segment = next(f for f in layout.generation(shard).iterdir() if f.suffix == ".seg")
        data = bytearray(segment.read_bytes())
        data[len(data) // 2] ^= 0xFF
        segment.write_bytes(bytes(data))
    with ShardedIndex.open(tmp_path / "ix") as index:
        for sort in ("relevance", "date"):
            result = index.search("НАТО", sort=sort)
            assert result.total == 0 and not result.hits and [m["shard"] for m in result.missing] == [
                "shard-0", "shard-1"]


def test_a_sharded_rebuild_killed_midway_leaves_the_old_shards_and_the_next_write_works(tmp_path):
    """kill -9 of `index --shards 2 --rebuild` while its writers work: readers still see the old shards whole,
    and the next write (which sets the shards back first) succeeds."""
    import os
    import signal
    import subprocess
    import sys
    import time

    corpus = tmp_path / "c.jsonl"
    with open(corpus, "w", encoding="utf-8") as f:
        for i in range(6000):
            f.write(json.dumps({"id": f"c{i}", "title": f"Статья {i}", "text": f"переговоры номер {i} " * 40},
                               ensure_ascii=False) + "\n")
    old = [make_document(f"o{i}", f"Старая {i}", "старый текст о переговорах") for i in range(3)]
    ShardedIndex.build(tmp_path / "ix", old, shards=2).close()
    before = sharding.read_layout(tmp_path / "ix")
    writer = subprocess.Popen([sys.executable, "-m", "search", "index", str(corpus), "--index", str(tmp_path / "ix"),
                               "--shards", "2", "--rebuild"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    deadline = time.time() + 60
    building = lambda: any(p.name.endswith(".tmp") for i in range(2)  # noqa: E731
                           for p in sharding.shard_folder(tmp_path / "ix", i).glob("gen-*"))
    while not building() and time.time() < deadline:
        time.sleep(0.05)
    assert writer.poll() is None and building(), "the rebuild should be writing"
    time.sleep(0.5)
    os.killpg(writer.pid, signal.SIGKILL)
    writer.wait(30)
    assert sharding.read_layout(tmp_path / "ix") == before
    with ShardedIndex.open(tmp_path / "ix") as index:
        assert len(index) == 3 and index.search("старый").total == 3
        index.update([make_document("n", "Новая", "новый текст")])
        assert len(index) == 4


def test_a_full_disk_during_a_sharded_update_changes_nothing_and_the_next_write_recovers(tmp_path, small_disk):
    """A 4 MB disk fills while `index` adds 300 large documents to a collection in 2 shards: the command fails with
    one line naming the cause, the SHARDS file and what readers see stay as they were, no shard keeps a
    half-written generation, and the next write that fits succeeds."""
    import subprocess
    import sys

    root = small_disk / "ix"
    ShardedIndex.build(root, [make_document(f"o{i}", f"Старая {i}", "старый текст") for i in range(4)],
                       shards=2).close()
    before = sharding.read_layout(root)
    big = tmp_path / "big.jsonl"
    with open(big, "w", encoding="utf-8") as f:
        for i in range(300):
            text = " ".join(f"w{i}x{j}" for j in range(1000))
            f.write(json.dumps({"id": f"big{i}", "title": f"Большой {i}", "text": text}, ensure_ascii=False) + "\n")
    cli = [sys.executable, "-m", "search", "index"]
    full = subprocess.run([*cli, str(big), "--index", str(root)], capture_output=True, text=True)
    assert full.returncode == 1, full.stdout + full.stderr
    assert "No space left on device" in full.stderr and "Traceback" not in full.stderr
    assert len([line for line in full.stderr.splitlines() if "No space" in line]) == 1, full.stderr
    assert sharding.read_layout(root) == before
    assert not [p for i in range(2) for p in sharding.shard_folder(root, i).glob("gen-*.tmp")]
    with ShardedIndex.open(root) as index:
        assert len(index) == 4 and index.search("старый").total == 4
    small = tmp_path / "small.jsonl"
    small.write_text(json.dumps({"id": "s", "title": "Маленький", "text": "Помещается."}) + "\n", encoding="utf-8")
    fits = subprocess.run([*cli, str(small), "--index", str(root)], capture_output=True, text=True)
    assert fits.returncode == 0, fits.stderr
    with ShardedIndex.open(root) as index:
        assert len(index) == 5 and index.search("маленький").total == 1
