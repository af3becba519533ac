"""python -m bench.shards [--shards 2,4] [--queries 500] [--ray]: shards of RT + Reuters ranked as one index.

Builds RT + Reuters (the news corpora's documents, as `bilingual-search index` reads them) once whole and once in
N shards for each N (documents routed by a hash of their id), then asks each query of the speed bench's sets
(headlines, and one to three words cut from them, for each corpus) of the whole index and of the shards
(`search.LocalShards`: the statistics round, the scoring round, the merge), and counts the queries whose top 10
ids, order, scores (to 1e-9, relative), totals and corrections are the same. The shards' query is read by the
coordinator, against every shard's words together (`LocalShards.read`). It also times both, one query at a time:
the whole index's search (without snippets) and the shards' reading and rounds, the rounds one shard after another
in this process, or with --ray each in a Ray actor (a local Ray on 127.0.0.1).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from search import Index, LocalShards, QueryError, RayShards, load_documents, shard_of

from .collections import DATA
from .speed_job import query_sets

CORPORA = [DATA / "news-ru-rt" / "corpus.jsonl.gz", DATA / "news-en-reuters" / "corpus.jsonl.gz"]
DEPTH = 10


def build(root: Path, counts: list[int]) -> int:
    skipped: list[str] = []  # RT's and Reuters' records without text, as the CLI skips them
    docs = [doc for corpus in CORPORA for doc in load_documents(corpus, on_skip=lambda path, why: skipped.append(why))]
    Index.build(root / "whole", docs).close()
    for count in counts:
        for shard in range(count):
            Index.build(root / f"{count}-{shard}", [d for d in docs if shard_of(d.id, count) == shard]).close()
    return len(docs)


def compare(root: Path, count: int, queries: list[str], use_ray: bool) -> dict:
    whole = Index.open(root / "whole")
    folders = [root / f"{count}-{s}" for s in range(count)]
    shards = RayShards(folders) if use_ray else LocalShards(folders)
    same, timed_whole, timed_shards, refused = 0, [], [], 0
    try:
        for text in queries:
            try:
                started = time.perf_counter()
                expected = whole.search(text, per_page=DEPTH, collapse=False, highlight=False)
                timed_whole.append((time.perf_counter() - started) * 1000)
            except QueryError:  # a query the engine refuses (a phrase of too common words) is left out
                refused += 1
                continue
            started = time.perf_counter()
            typed, query = shards.read(text)
            found = shards.rank(query, depth=DEPTH)
            timed_shards.append((time.perf_counter() - started) * 1000)
            scores = np.array([hit.score for hit in expected.hits])
            same += (found.ids == [hit.id for hit in expected.hits] and found.ranking.total == expected.total
                     and list(typed.corrections) == expected.corrections and typed.searched == expected.searched
                     and typed.suggestion == expected.suggestion
                     and bool(np.allclose(found.ranking.scores, scores, rtol=1e-9, atol=0)))
    finally:
        shards.close()
        whole.close()
    asked = len(queries) - refused
    return {"shards": count, "queries": asked, "same": same,
            "whole_p50": statistics.median(timed_whole), "whole_p95": _p95(timed_whole),
            "shards_p50": statistics.median(timed_shards), "shards_p95": _p95(timed_shards)}


def _p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))] if values else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--shards", default="2,4", help="comma-separated shard counts")
    parser.add_argument("--queries", type=int, default=500, help="headlines per corpus (and as many short ones)")
    parser.add_argument("--ray", action="store_true", help="each shard in a Ray actor")
    parser.add_argument("--keep", help="build into this folder (and reuse it if built)")
    args = parser.parse_args(argv)
    counts = [int(c) for c in args.shards.split(",")]
    queries = [q for corpus in ("news-ru-rt", "news-en-reuters") for pair in zip(*query_sets(corpus, args.queries),
                                                                                 strict=True) for q in pair]
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(args.keep or temporary)
        if not (root / "whole").exists():
            print(f"built {build(root, counts):,} documents whole and in {args.shards} shards (records without "
                  "text skipped)", file=sys.stderr)
        print("| shards | queries | same top 10, scores, total | whole p50 / p95 ms | shards p50 / p95 ms |")
        print("|---|---|---|---|---|")
        for count in counts:
            r = compare(root, count, queries, args.ray)
            print(f"| {r['shards']} | {r['queries']} | {r['same']} | {r['whole_p50']:.1f} / {r['whole_p95']:.1f} "
                  f"| {r['shards_p50']:.1f} / {r['shards_p95']:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
