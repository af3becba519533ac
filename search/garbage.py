"""Python's garbage collector during a write: young objects only.

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
from collections.abc import Iterator

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
