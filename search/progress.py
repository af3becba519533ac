"""What `bilingual-search index` shows while it works: a tqdm bar on stderr.

While the files are read: the bytes read against their total (a .gz file's stored bytes), the percent, the time
left, and the documents written with their rate. Then the phase the write is in ("committing": the writer
processes finish and their segments are merged; "finishing": the vocabulary, stories, checksums and the swap),
with its time so far, ticking. Silent when stderr is not a terminal (a log file gets the summary only).
"""

from __future__ import annotations

import sys
import threading
import time

from tqdm import tqdm

TICK_SECONDS = 0.5  # how often a phase's elapsed time is redrawn while nothing else moves


class Progress:
    """The progress of one write: call `read(n)` with the bytes read so far, call it with (documents, bytes of
    text) as documents are written (a `search.store.writing.Progress`), `phase(name)` when the writing moves on, and
    `done()` at the end."""

    def __init__(self, total_bytes: int, stream=sys.stderr, enabled: bool | None = None) -> None:
        self.stream = stream
        self.enabled = stream.isatty() if enabled is None else enabled
        self.started = time.perf_counter()
        self.bar = tqdm(total=total_bytes or None, desc="reading", unit="B", unit_scale=True, file=stream,
                        disable=not self.enabled, dynamic_ncols=True, leave=False)
        self._ticking: threading.Event | None = None

    def read(self, nbytes: float) -> None:
        if nbytes > self.bar.n:
            self.bar.update(nbytes - self.bar.n)

    def __call__(self, documents: int, nbytes: int) -> None:
        rate = documents / max(time.perf_counter() - self.started, 1e-9)
        self.bar.set_postfix_str(f"{documents:,} documents, {rate:,.0f}/s", refresh=False)

    def phase(self, name: str) -> None:
        """A new phase: the reading bar closes full, and a line with the phase's elapsed time ticks."""
        self._stop_ticking()
        if self.bar.total:
            self.read(self.bar.total)
        self.bar.close()
        self.bar = tqdm(total=None, desc=name, bar_format="{desc}… {elapsed}", file=self.stream,
                        disable=not self.enabled, leave=False)
        if self.enabled:
            self._ticking = threading.Event()
            threading.Thread(target=self._tick, args=(self.bar, self._ticking), daemon=True).start()

    def done(self) -> None:
        self._stop_ticking()
        self.bar.close()

    def _tick(self, bar: tqdm, stop: threading.Event) -> None:
        while not stop.wait(TICK_SECONDS):
            bar.refresh()

    def _stop_ticking(self) -> None:
        if self._ticking is not None:
            self._ticking.set()
            self._ticking = None
