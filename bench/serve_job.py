"""Our engine as a serving process: open an index, answer the headline and short queries as results pages
(top 10 with snippets), report latency and the process's peak memory as one JSON line.

Each query runs with cross-language search on (the default, the p50/p95 figures) and off (the mono_ figures),
alternating query by query, so that the ratio between the two is not skewed by a noisy moment."""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from search import Index, QueryError

from .engines.ours import OurEngine
from .speed_job import peak_rss_mb, percentile


def main(path: str, queries: str, modes: str = "both") -> int:
    # The queries come from a file: loading the corpus here would count its memory as the server's.
    headlines, short = json.loads(Path(queries).read_text(encoding="utf-8"))
    index = Index.open(path)
    words = OurEngine._query

    def page(query: str, cross_language: bool):
        try:
            return index.search(words(query), per_page=10, cross_language=cross_language)
        except QueryError:
            return None

    row = {}
    for label, queries in (("", headlines), ("short_", short)):
        both = measure_both(page, queries, (True,) if modes == "on" else (True, False))
        for prefix, latencies in (("", both[True]), ("mono_", both.get(False))):
            if latencies is None:
                continue
            if not label:
                row[f"{prefix}p50_ms"] = round(statistics.median(latencies), 2)
                row[f"{prefix}p95_ms"] = round(percentile(latencies, 0.95), 2)
            else:
                row[f"{prefix}short_p50_ms"] = round(statistics.median(latencies), 2)
                row[f"{prefix}short_p95_ms"] = round(percentile(latencies, 0.95), 2)
    row["serve_rss_mb"] = round(peak_rss_mb())
    print(json.dumps(row))
    return 0


def measure_both(page, queries: list[str], modes=(True, False)) -> dict[bool, list[float]]:
    """Latency of every query with cross-language search on and off, warm (a first pass fills the caches)."""
    for query in queries:
        for mode in modes:
            page(query, mode)
    latencies: dict[bool, list[float]] = {mode: [] for mode in modes}
    for i, query in enumerate(queries):
        for mode in (modes if i % 2 else modes[::-1]):
            started = time.perf_counter()
            page(query, mode)
            latencies[mode].append((time.perf_counter() - started) * 1000)
    return latencies


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
