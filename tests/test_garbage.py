"""The garbage collector during writes: no full collections while one runs, the process's settings back after."""

from __future__ import annotations

import gc
import threading

import pytest

from search import Index, make_document
from search.errors import DocumentError
from search.store.garbage import NEVER, young_collections_only


def test_full_collections_wait_for_the_write_and_the_thresholds_come_back():
    before = gc.get_threshold()
    with young_collections_only():
        assert gc.get_threshold() == (before[0], before[1], NEVER)
        with young_collections_only():  # a write inside another (or in another thread) keeps them off
            assert gc.get_threshold()[2] == NEVER
        assert gc.get_threshold()[2] == NEVER
    assert gc.get_threshold() == before


def test_writes_in_two_threads_leave_the_thresholds_as_they_were():
    before = gc.get_threshold()
    inside, leave = threading.Barrier(3), threading.Event()

    def write() -> None:
        with young_collections_only():
            inside.wait()
            leave.wait()

    threads = [threading.Thread(target=write) for _ in range(2)]
    for thread in threads:
        thread.start()
    inside.wait()
    assert gc.get_threshold()[2] == NEVER
    leave.set()
    for thread in threads:
        thread.join()
    assert gc.get_threshold() == before


def test_a_build_an_update_and_a_failed_build_restore_the_thresholds(tmp_path):
    before = gc.get_threshold()
    docs = [make_document(f"d{i}", f"Заголовок {i}", f"Текст номер {i} о переговорах.") for i in range(3)]
    with Index.build(tmp_path / "ix", docs) as index:
        assert gc.get_threshold() == before
        index.update([make_document("d3", "Новый", "Ещё текст")])
        assert gc.get_threshold() == before
    with pytest.raises(DocumentError):
        Index.build(tmp_path / "bad", [docs[0], "not a document"])
    assert gc.get_threshold() == before


def test_a_serving_process_collects_young_objects_and_cycles_in_rounds():
    import weakref

    from search import ServingCollector

    before = gc.get_threshold()
    generation = ["gen-1"]
    collector = ServingCollector(generation=lambda: generation[0], interval=3600)
    collector.start()
    try:
        assert gc.get_threshold()[2] == NEVER and gc.get_freeze_count() > 0
        frozen = gc.get_freeze_count()

        class Node:
            pass

        cycle = Node()
        cycle.self = cycle
        gone = weakref.ref(cycle)
        del cycle
        collector.collect()  # a round collects the cycles made since the last one, then freezes the rest
        assert gone() is None
        assert gc.get_freeze_count() >= frozen
        old = Node()
        old.self = old
        kept = weakref.ref(old)
        collector.collect()  # alive at a round: frozen, as a searcher's objects are ...
        del old
        collector.collect()
        assert kept() is not None  # ... and a frozen cycle is not looked at ...
        generation[0] = "gen-2"
        collector.collect()  # ... until the generation changes: then everything is, and the replaced one goes
        assert kept() is None
    finally:
        collector.stop()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
