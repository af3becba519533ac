"""python -m bench.shard_scale [--fractions 4,8] [--shards 1,2,4] [--queries 300]: shards of a large collection.

RT's articles repeated `--fractions` times (new ids for each copy: `bench.scale.scaled`), built in each number of
`--shards` (`ShardedIndex`), each served by Ray actors on this machine (a local Ray on 127.0.0.1), and beside
them the same documents as one index served in this process. For each: headline and short query p50 / p95 (top
10 with snippets, one query at a time), the statistics round alone (every shard's at once), the resident memory
of each shard's actor process after the queries, and the round trip of a call to every shard and back over
loopback (what a cluster adds per round, before the network).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from search import Index, ShardedIndex, make_document

from .collections import news_articles
from .scale import scaled
from .shards import statistics_round_ms
from .speed_job import query_sets

ROUND_TRIPS = 200


def _resident_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def _timed(search, texts: list[str]) -> tuple[float, float]:
    took = []
    for text in texts:
        started = time.perf_counter()
        search(text)
        took.append((time.perf_counter() - started) * 1000)
    took.sort()
    return statistics.median(took), took[int(0.95 * (len(took) - 1))]


def measure(root: Path, docs: list[dict], shards: int, headlines: list[str], short: list[str]) -> dict:
    folder = root / f"shards-{shards}"
    started = time.perf_counter()
    ShardedIndex.build(folder, (make_document(d["id"], d["title"], d["text"]) for d in docs), shards=shards).close()
    build_s = time.perf_counter() - started
    with ShardedIndex.open(folder, ray=True) as index:
        index.warm_up()
        spent: list[float] = []

        def search(text: str) -> None:
            index.search(text)
            spent.append(statistics_round_ms(index, text))

        head = _timed(search, headlines)
        brief = _timed(search, short)
        stats_ms = statistics.median(spent)
        trips = []
        for _ in range(ROUND_TRIPS):
            begun = time.perf_counter()
            index.processes()
            trips.append((time.perf_counter() - begun) * 1000)
        memory = [_resident_mb(pid) for pid in index.processes()]
    shutil.rmtree(folder, ignore_errors=True)
    return {"shards": shards, "build_s": build_s, "headline": head, "short": brief, "statistics_ms": stats_ms,
            "round_trip_ms": statistics.median(trips), "shard_mb": memory}


def measure_whole(root: Path, docs: list[dict], headlines: list[str], short: list[str]) -> dict:
    started = time.perf_counter()
    index = Index.build(root / "whole", (make_document(d["id"], d["title"], d["text"]) for d in docs))
    build_s = time.perf_counter() - started
    with index:
        index.warm_up()
        head = _timed(lambda q: index.search(q), headlines)
        brief = _timed(lambda q: index.search(q), short)
    shutil.rmtree(root / "whole", ignore_errors=True)
    return {"shards": 0, "build_s": build_s, "headline": head, "short": brief}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--fractions", default="4,8")
    parser.add_argument("--shards", default="1,2,4")
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args(argv)
    headlines, short = query_sets("news-ru-rt", args.queries)
    articles = news_articles("news-ru-rt")
    print("| RT x | documents | index | build s | headline p50 / p95 ms | short p50 / p95 ms | statistics round "
          "p50 ms | round trip ms | memory per shard MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for fraction in (float(f) for f in args.fractions.split(",")):
        docs = scaled(articles, fraction)
        with tempfile.TemporaryDirectory(prefix="bench-shard-scale-") as temporary:
            rows = [measure_whole(Path(temporary), docs, headlines, short)]
            rows += [measure(Path(temporary), docs, int(n), headlines, short) for n in args.shards.split(",")]
        for r in rows:
            kind = "one index, this process" if not r["shards"] else f"{r['shards']} shards, Ray actors"
            extra = (f"{r['statistics_ms']:.1f} | {r['round_trip_ms']:.2f} | "
                     f"{' / '.join(f'{m:.0f}' for m in r['shard_mb'])}" if r["shards"] else " | | ")
            print(f"| {fraction:g} | {len(docs):,} | {kind} | {r['build_s']:.0f} | {r['headline'][0]:.1f} / "
                  f"{r['headline'][1]:.1f} | {r['short'][0]:.1f} / {r['short'][1]:.1f} | {extra} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
