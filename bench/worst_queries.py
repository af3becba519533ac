"""The CPU time of the worst query: random queries within the API's limits (up to 1,000 characters, 50 results a
page), built from the corpus's own words with every operator the syntax has and hostile characters, each
searched once through the library; prints the slowest, the 99th percentile and the median.

    python -m bench.worst_queries --index /tmp/rtr --queries 2000
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time

from search import Index, QueryError

from .loadtest import queries as corpus_queries

HOSTILE = ["𗂴Ӽ", "\u202e", "\x00", "\ud800", "ё", "-", "*", '"', "OR", "NOT", "title:", "lang:ru", "\u0301", "’"]
FUNCTION_WORDS = ["и", "в", "на", "с", "его", "не", "что", "the", "of", "and", "to", "a", "in", "is"]


def random_query(rng: random.Random, words: list[str]) -> str:
    """One query of 1 to 60 pieces: words, function words, quoted runs, OR, exclusions, prefixes, fields."""
    pieces = []
    for _ in range(rng.choice([1, 2, 3, 5, 10, 30, 60])):
        kind = rng.random()
        word = rng.choice(words)
        if kind < 0.35:
            pieces.append(word)
        elif kind < 0.5:
            pieces.append(rng.choice(FUNCTION_WORDS))
        elif kind < 0.65:
            run = [rng.choice(words + FUNCTION_WORDS * 3) for _ in range(rng.randint(2, 12))]
            pieces.append('"' + " ".join(run) + '"')
        elif kind < 0.72:
            pieces.append("OR")
        elif kind < 0.78:
            pieces.append("-" + word)
        elif kind < 0.85:
            pieces.append(word[: rng.randint(2, 4)] + "*")
        elif kind < 0.9:
            pieces.append(rng.choice(["title:", "text:"]) + word)
        else:
            pieces.append(rng.choice(HOSTILE) + word)
    return " ".join(pieces)[:1000]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.worst_queries", description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    words = sorted({w for q in corpus_queries(5000) for w in q.split() if w.isalpha()})
    index = Index.open(args.index)
    index.search("warm up")
    timings: list[tuple[float, str, str]] = []
    for _ in range(args.queries):
        query = random_query(rng, words)
        started = time.process_time()
        try:
            outcome = f"{index.search(query, per_page=50).total} hits"
        except QueryError as error:
            outcome = f"400: {error}"
        timings.append((time.process_time() - started, query, outcome))
    timings.sort()
    cpu = [t for t, _, _ in timings]
    rejected = sum(outcome.startswith("400") for _, _, outcome in timings)
    print(f"queries {len(cpu)}, refused with a message {rejected}")
    print(f"CPU per query: median {statistics.median(cpu) * 1000:.1f} ms, p99 {cpu[int(0.99 * len(cpu))] * 1000:.1f} "
          f"ms, worst {cpu[-1] * 1000:.1f} ms")
    for seconds, query, outcome in timings[-3:]:
        print(f"  {seconds * 1000:7.1f} ms  {outcome[:60]!s:60}  {query[:100]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
