"""Speed of the search box while a query is typed (python -m bench.typing_speed --index DIR): every keystroke of
the last word of the typed-query sets' clean queries, as the page sends it: a results page (top 10 with
snippets, the last word completed) and a suggestions request. Prints p50 / p95 / max in ms.

    python -m bench.typing_speed --index /tmp/rtr [--queries 200] [--collections rt-short,reuters-short]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

from search import Index, QueryError

from .collections import _jsonl
from .speed_job import percentile
from .typos import TYPOS

MIN_PREFIX = 2


def keystrokes(query: str) -> list[str]:
    """The query as it stands after each keystroke of its last word (from MIN_PREFIX letters on)."""
    head, _, last = query.rpartition(" ")
    head = head + " " if head else ""
    return [head + last[:n] for n in range(MIN_PREFIX, len(last) + 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.typing_speed", description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--queries", type=int, default=200, help="clean queries per collection (default 200)")
    parser.add_argument("--collections", default="rt-short,reuters-short")
    args = parser.parse_args(argv)
    typed = []
    for name in args.collections.split(","):
        queries = [q["text"] for q in _jsonl(TYPOS / name / "queries.jsonl")]
        typed += [k for q in random.Random(7).sample(queries, min(args.queries, len(queries))) for k in keystrokes(q)]
    with Index.open(args.index) as index:
        documents = len(index)
        started = time.perf_counter()
        index.search("warm up")
        first_ms = (time.perf_counter() - started) * 1000
        timings: dict[str, list[float]] = {"results page": [], "suggestions": []}
        for text in typed:
            started = time.perf_counter()
            try:
                index.search(text, per_page=10)
            except QueryError:
                pass
            timings["results page"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            index.suggest(text)
            timings["suggestions"].append((time.perf_counter() - started) * 1000)
    print(f"{len(typed)} keystrokes on {args.index} ({documents:,} documents); the first query, with the vocabulary "
          f"read: {first_ms:.0f} ms")
    print("| request | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|")
    for name, values in timings.items():
        print(f"| {name} | {statistics.median(values):.1f} | {percentile(values, 0.95):.1f} | {max(values):.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
