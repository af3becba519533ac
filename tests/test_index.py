import json
import os
import signal
import subprocess
import sys
import threading

import pytest

from search import Document, Index, IndexNotFoundError, IndexVersionError, load_documents
from search.store import generations


def _doc(doc_id, title, text, path=""):
    return Document(id=doc_id, title=title, text=text, lang="ru", path=path)


def test_build_open_and_count(tmp_path, seeds_dir):
    Index.build(tmp_path / "ix", load_documents(seeds_dir)).close()
    with Index.open(tmp_path / "ix") as index:
        assert len(index) == 5
        assert index.document("000_cd43f6f3889422fc.txt").title.startswith("Россия и Белоруссия")
        assert index.document("no-such-id") is None
        stats = index.stats()
        assert stats["documents"] == 5 and stats["languages"] == {"en": 1, "ru": 4} and stats["size_bytes"] > 0


def test_open_missing_index_says_how_to_build(tmp_path):
    with pytest.raises(IndexNotFoundError, match="bilingual-search index"):
        Index.open(tmp_path / "nothing")


def test_open_index_of_another_format_says_how_to_rebuild(tmp_path):
    Index.build(tmp_path, [_doc("a", "Заголовок", "Текст")]).close()
    live = generations.current_generation(tmp_path)
    (live / generations.MANIFEST).write_text(json.dumps({"format": 0}), encoding="utf-8")
    with pytest.raises(IndexVersionError, match="--rebuild"):
        Index.open(tmp_path)


def test_update_adds_new_replaces_changed_and_skips_unchanged(tmp_path):
    index = Index.build(tmp_path, [_doc("a", "Первый", "Переговоры в Женеве."), _doc("b", "Второй", "Текст.")])
    stats = index.update([_doc("a", "Первый", "Переговоры в Женеве."), _doc("b", "Второй", "Новый текст про Вену."),
                          _doc("c", "Третий", "Ещё документ.")])
    assert (stats.added, stats.updated, stats.unchanged) == (1, 1, 1)
    assert len(index) == 3
    assert index.search("Вена").hits[0].id == "b"
    again = index.update([_doc("a", "Первый", "Переговоры в Женеве.")])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 1)
    assert index.delete(["a", "missing"]) == 1
    assert len(index) == 2 and index.search("Женева").total == 0
    index.close()


def test_a_rebuild_is_picked_up_by_an_open_index(tmp_path):
    index = Index.build(tmp_path, [_doc("a", "Старый", "Старый текст.")])
    assert index.search("старый").total == 1
    Index.build(tmp_path, [_doc("b", "Новый", "Новый текст.")]).close()
    assert index.search("старый").total == 0 and index.search("новый").total == 1
    index.close()


def test_searches_keep_working_during_a_rebuild(tmp_path):
    index = Index.build(tmp_path, [_doc("old", "Старый", "Переговоры в Женеве.")])
    started, searched = threading.Event(), threading.Semaphore(0)

    def slow_documents():
        """The new documents, one for each search made meanwhile: the build runs while the searches do."""
        started.set()
        for i in range(40):
            searched.acquire(timeout=30)
            yield _doc(f"new{i}", f"Новый {i}", f"Переговоры в Вене, раунд {i}.")

    builder = threading.Thread(target=lambda: Index.build(tmp_path, slow_documents()).close())
    builder.start()
    started.wait()
    during = []
    while builder.is_alive():
        during.append(index.search("переговоры").total)
        searched.release()
    builder.join()
    assert during and set(during) <= {1, 40}
    assert during[0] == 1
    assert index.search("переговоры").total == 40
    index.close()


def test_an_interrupted_build_leaves_the_previous_index_intact(tmp_path):
    Index.build(tmp_path, [_doc("a", "Заголовок", "Переговоры.")]).close()

    def interrupted():
        yield _doc("b", "Другой", "Текст.")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Index.build(tmp_path, interrupted())
    assert not list(tmp_path.glob("*.tmp"))
    with Index.open(tmp_path) as index:
        assert [h.id for h in index.search("переговоры").hits] == ["a"]


KILLED_BUILD = """
import sys, time
from search import Document, Index
def docs():
    for i in range(100000):
        if i == 50:
            print("building", flush=True)
        yield Document(id=str(i), title="Новый", text="Переговоры в Вене и Женеве. " * 20, lang="ru")
Index.build(sys.argv[1], docs())
"""


def test_a_killed_build_leaves_the_previous_index_intact(tmp_path):
    Index.build(tmp_path, [_doc("a", "Заголовок", "Переговоры в Минске.")]).close()
    process = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(tmp_path)], stdout=subprocess.PIPE,
                               text=True)
    assert process.stdout.readline().strip() == "building"  # 50 documents into the build, its folder written
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    process.stdout.close()
    assert list(tmp_path.glob("*.tmp")), "the killed build should have left its temporary folder"
    with Index.open(tmp_path) as index:
        assert [h.id for h in index.search("переговоры").hits] == ["a"]
    # The next build clears what the killed one left behind.
    Index.build(tmp_path, [_doc("b", "Другой", "Текст.")]).close()
    assert not list(tmp_path.glob("*.tmp"))


def test_old_generations_are_cleaned_up(tmp_path):
    for i in range(4):
        Index.build(tmp_path, [_doc(str(i), "Заголовок", "Текст.")]).close()
    assert len([p for p in tmp_path.iterdir() if p.name.startswith("gen-")]) == 2


def test_duplicate_ids_in_one_run_keep_the_first_and_report_the_rest(tmp_path):
    with Index.build(tmp_path, [_doc("a", "Первый", "Один."), _doc("a", "Второй", "Два.")]) as index:
        assert len(index) == 1 and index.document("a").title == "Первый"
        assert "duplicate id" in index.last_write.skipped[0][1]
        stats = index.update([_doc("a", "Третий", "Три."), _doc("a", "Четвертый", "Четыре.")])
        assert (stats.updated, len(stats.skipped), len(index)) == (1, 1, 1)
        assert index.document("a").title == "Третий"


def test_threads_share_one_searcher_and_get_the_answers_one_thread_gets(seed_index):
    from concurrent.futures import ThreadPoolExecutor

    long = "Глава МИД России Сергей Лавров на встрече со своим белорусским коллегой Владимиром Макеем заявил"
    queries = ["переговоры", "Lavrov Makei", '"гарантии безопасности"', "НАТО -Путин", "Stoltenberg", "перегов*",
               long, "перегаворы " * 12] * 8
    alone = [[(h.id, round(h.score, 4), h.snippet) for h in seed_index.search(q).hits] for q in queries]
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda q: [(h.id, round(h.score, 4), h.snippet) for h in seed_index.search(q).hits],
                                 queries))
    assert together == alone
    # One searcher for every thread's short queries and one for long ones, not one per thread.
    assert {name: lane.searcher is not None for name, lane in seed_index._lanes.items()} == {"short": True,
                                                                                          "long": True}
    short, long_ = seed_index._lanes["short"].scoring, seed_index._lanes["long"].scoring
    assert short.vocabulary() is long_.vocabulary() and short.table is long_.table  # read once, for both


def test_a_document_view_marks_every_matched_form(seed_index):
    view = seed_index.view("000_cd43f6f3889422fc.txt", "Лавров НАТО")
    assert "<mark>НАТО</mark>" in view.title_html
    assert any("<mark>Лавров</mark>" in p for p in view.paragraphs)
    assert seed_index.view("no-such-id", "НАТО") is None
    plain = seed_index.view("000_cd43f6f3889422fc.txt", "*")  # a query that cannot be searched marks nothing
    assert "<mark>" not in plain.title_html and plain.document.id == "000_cd43f6f3889422fc.txt"


def test_a_document_made_by_hand_gets_its_language(tmp_path):
    docs = [Document(id="ru", title="Переговоры", text="Стороны обсудили гарантии безопасности."),
            Document(id="en", title="Talks", text="The sides discussed security guarantees.")]
    with Index.build(tmp_path, docs) as index:
        assert [h.id for h in index.search("переговоры", lang="ru").hits] == ["ru"]
        assert index.search("security").facets["lang"] == {"en": 1, "ru": 1}  # the Russian one by translation
        assert index.document("en").lang == "en" and index.document("ru").lang == "ru"


def test_a_long_query_gives_way_to_short_ones_for_no_longer_than_it_works(seed_index, monkeypatch):
    import threading

    from search import index as index_module

    monkeypatch.setattr(index_module, "GIVE_WAY_SECONDS", 0.3)
    long = " ".join(["переговоры о гарантиях безопасности Лавров Макей НАТО"] * 3)
    expected = [(h.id, round(h.score, 4)) for h in seed_index.search(long).hits]
    short_lane = seed_index._lanes["short"].lock
    short_lane.acquire()  # a short query that cannot finish yet: it waits for its searcher
    shorts = []
    waiting = threading.Thread(target=lambda: shorts.append(seed_index.search("переговоры").total))
    waiting.start()
    try:
        for _ in range(500):
            if seed_index._short_queries:
                break
            threading.Event().wait(0.01)
        assert seed_index._short_queries == 1
        # The long query waits for it at its reads, but no longer than it has worked itself (nor 0.3 s), then
        # answers as it would alone, while the short one still waits.
        assert [(h.id, round(h.score, 4)) for h in seed_index.search(long).hits] == expected
        lane = seed_index._lanes["long"]
        assert 0 < lane.waited <= 0.3 and waiting.is_alive()
    finally:
        short_lane.release()
    waiting.join(30)
    assert shorts and shorts[0] > 0 and seed_index._short_queries == 0
