"""Python's garbage collector during a write, and in a serving process: young objects only.

A write fills caches that live as long as its process: every distinct word's analysis, its name keys, its stem
(in a writer process of an RT build, a million objects and more). Python's full collections go through all of
them, again and again as they grow: adding half of RT's articles in one writer took 5.2-6.2 ms an article with
them and 4.5-5.0 ms without (three runs each); RT's whole build through two writer processes, 7% less time
(three paired runs). A write makes no reference cycles of its own to reclaim (the same 14 objects of its set-up
found with the collector off after 200 or 3,000 RT articles and 10,000 Reuters records), so while one runs only
the young generations are collected, and the thresholds the process had come back after it.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Callable, Iterator

NEVER = 1 << 30  # collections of the middle generation before a full one: none during a write
_lock = threading.Lock()
_writes = 0
_saved: tuple[int, ...] = ()


@contextlib.contextmanager
def young_collections_only() -> Iterator[None]:
    """No full collections while the block runs (nor while another thread's runs): young ones as before."""
    global _writes, _saved
    with _lock:
        if _writes == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(_saved[0], _saved[1], NEVER)
        _writes += 1
    try:
        yield
    finally:
        with _lock:
            _writes -= 1
            if _writes == 0:
                gc.set_threshold(*_saved)


# How often a serving process collects reference cycles (see ServingCollector). A round stops every thread for
# as long as it takes to look at the objects made since the last one: RT + Reuters under random queries made
# 7.4 million in 300 s (a 2.8 s round); rounds every 10 s took at most 140 ms.
COLLECT_SECONDS = 10.0


class ServingCollector:
    """Garbage collection for a process that serves an index: no full collection in the middle of a request.

    A serving process fills caches as it sees words (their analyses, pymorphy3's parses, name keys: 1.5 million
    objects on RT + Reuters after 800 random queries), and Python's full collections went through all of them:
    13 of them in those 800 queries, up to 0.77 s each, landing on whichever request was running (the worst
    queries of bench.worst_queries were such pauses, not their own work). `start()` collects once and freezes
    what is alive (gc.freeze: a full collection skips it; reference counting still frees it), then lets only
    the young generations be collected automatically; every `interval` seconds a thread collects the cycles
    made since and freezes the rest again. When `generation()` (the index's live generation) has changed since
    the last round, everything is unfrozen first, so that a replaced searcher's cycles are collected too: that
    round looks at every object (3.3 s with the caches of 8,000 queries), once per write, as Python's own full
    collections did every few thousand queries.
    """

    def __init__(self, generation: Callable[[], object] = lambda: None, interval: float = COLLECT_SECONDS) -> None:
        self.generation = generation
        self.interval = interval
        self._seen = generation()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._saved = gc.get_threshold()

    def start(self) -> None:
        """Collect, freeze, and collect young objects only from now on, with a round every `interval` seconds."""
        gc.collect()
        gc.freeze()
        self._saved = gc.get_threshold()
        gc.set_threshold(self._saved[0], self._saved[1], NEVER)
        self._thread = threading.Thread(target=self._run, name="garbage-collector", daemon=True)
        self._thread.start()

    def collect(self) -> None:
        """One round: unfreeze when the generation changed, collect, freeze what is left."""
        seen = self.generation()
        if seen != self._seen:
            gc.unfreeze()
            self._seen = seen
        gc.collect()
        gc.freeze()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.collect()

    def stop(self) -> None:
        """End the rounds and give the collector back its usual ways (what is frozen is unfrozen)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        gc.unfreeze()
        gc.set_threshold(*self._saved)
