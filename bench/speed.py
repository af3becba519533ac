"""Indexing throughput and query latency of our engine on a JSON Lines corpus (default: the RT news corpus).

    python bench/speed.py [--corpus PATH] [--queries 300] [--procs 2] [--index DIR]

Builds an index of the whole corpus (docs/s, MB/s of title+text, size on disk, peak memory), then searches a
fixed sample of the corpus' own headlines one at a time, warm, with snippets for the top 10 as a results page
needs them, and prints the latency median, p95 and max. Run it on an otherwise idle machine: figures are noisy.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search import Index, QueryError, load_documents  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared/data/news-ru-rt/corpus.jsonl.gz"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--index", help="reuse this index instead of building one")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    docs = list(load_documents(args.corpus))
    megabytes = sum(len(d.title.encode()) + len(d.text.encode()) for d in docs) / 1e6
    workdir = None
    if args.index:
        index = Index.open(args.index)
        print(f"index: {args.index} ({len(index):,} documents)")
    else:
        workdir = Path(tempfile.mkdtemp(prefix="bench-speed-"))
        started = time.perf_counter()
        index = Index.build(workdir / "index", docs, procs=args.procs)
        seconds = time.perf_counter() - started
        size = sum(f.stat().st_size for f in (workdir / "index").rglob("*") if f.is_file())
        print("| corpus | documents | MB | procs | build s | docs/s | MB/s | index MB | peak RSS MB |")
        print("|---|---|---|---|---|---|---|---|---|")
        print(f"| {Path(args.corpus).parent.name} | {len(docs):,} | {megabytes:.1f} | {args.procs} | {seconds:.1f} "
              f"| {len(docs) / seconds:,.0f} | {megabytes / seconds:.2f} | {size / 1e6:.1f} "
              f"| {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} |")

    rng = random.Random(args.seed)
    queries = [d.title for d in rng.sample(docs, min(args.queries, len(docs))) if d.title.strip()]
    source = {d.title: d.id for d in docs}
    print()
    print("| pass | queries | p50 ms | p95 ms | max ms | headline finds its own article first |")
    print("|---|---|---|---|---|---|")
    # First pass: each query's terms are read from disk for the first time. Second pass: a server that has
    # been answering for a while (term postings and lemmas cached).
    for name in ("first (cold term cache)", "second (warm)"):
        latencies, first_hit_is_source = [], 0
        for query in queries:
            started = time.perf_counter()
            try:
                result = index.search(query, per_page=10)
            except QueryError:
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            first_hit_is_source += bool(result.hits) and result.hits[0].id == source.get(query)
        print(f"| {name} | {len(latencies)} headlines, top 10 with snippets | {statistics.median(latencies):.1f} "
              f"| {percentile(latencies, 0.95):.1f} | {max(latencies):.1f} "
              f"| {first_hit_is_source / len(latencies):.1%} |")
    print(f"\nserving process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB "
          "(includes the corpus held in memory by this script)")
    index.close()
    if workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
