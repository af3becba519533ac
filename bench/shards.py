"""python -m bench.shards [--shards 1,2,4] [--queries 500] [--ray]: shards of RT + Reuters answer as one index.

Builds RT + Reuters (the news corpora's documents, as `bilingual-search index` reads them) once whole (`Index`)
and once in N shards for each N (`ShardedIndex`: documents routed by a hash of their id, stories grouped across
shards), then asks every query of four sets of both and compares the whole results page: the same corrections
and suggestion, the same hits (ids, order, scores to 1e-9 relative, marks, snippets, cross-language lines, "N
similar" and the similar listed), the same total and facets. The sets: the speed bench's headlines and one to
three words cut from them (`--queries` of each per corpus), the ad-hoc bench's one-word queries and the first
letters of each (a word being typed), and the typed-query sets of ../shared/data/typos (clean, typos, the other
keyboard layout, Latin letters); and the related lists of 200 documents. It also times both, one query at a
time: the single index's search and the sharded index's, its shards served in this process one after another,
or with --ray each by a Ray actor (a local Ray on 127.0.0.1); and the statistics rounds in it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from search import Index, QueryError, ShardedIndex, load_documents

from .adhoc import one_words
from .collections import DATA, news_articles
from .speed_job import query_sets

CORPORA = [DATA / "news-ru-rt" / "corpus.jsonl.gz", DATA / "news-en-reuters" / "corpus.jsonl.gz"]
TYPOS = DATA / "typos"
PER_PAGE = 10
RELATED = 200  # documents whose related lists are compared


def build(root: Path, counts: list[int]) -> int:
    skipped: list[str] = []  # RT's and Reuters' records without text, as the CLI skips them
    docs = [doc for corpus in CORPORA for doc in load_documents(corpus, on_skip=lambda path, why: skipped.append(why))]
    if not (root / "whole").exists():
        Index.build(root / "whole", docs).close()
    for count in counts:
        ShardedIndex.build(root / f"shards-{count}", docs, shards=count).close()
    return len(docs)


def queries(per_corpus: int) -> dict[str, list[str]]:
    """The four sets of queries (see the module)."""
    sets: dict[str, list[str]] = {"headline": [], "short": [], "one word": [], "typed": []}
    for corpus in ("news-ru-rt", "news-en-reuters"):
        headlines, short = query_sets(corpus, per_corpus)
        sets["headline"] += headlines
        sets["short"] += short
        words = one_words(news_articles(corpus))
        sets["one word"] += words + sorted({w[: max(3, len(w) // 2)] for w in words})
    typed = []
    for folder in sorted(TYPOS.glob("*-short")):
        for path in sorted(folder.glob("queries*.jsonl")):
            with open(path, encoding="utf-8") as lines:
                typed += [json.loads(line)["text"] for line in lines if line.strip()]
    sets["typed"] = typed[:: max(1, len(typed) // (2 * per_corpus))]  # every variant, as many as the headlines
    return sets


def _page(result) -> dict:
    page = result.to_dict()
    page.pop("took_ms")
    return page


def same_page(found: dict, expected: dict) -> bool:
    """Whether two results pages are the same, scores to 1e-9 (relative)."""
    if len(found["hits"]) != len(expected["hits"]):
        return False
    for mine, theirs in zip(found["hits"], expected["hits"], strict=True):
        if abs(mine["score"] - theirs["score"]) > 1e-9 * max(abs(theirs["score"]), 1e-12):
            return False
    strip = lambda page: {**page, "hits": [{**h, "score": 0} for h in page["hits"]]}  # noqa: E731
    return strip(found) == strip(expected)


def compare(root: Path, count: int, sets: dict[str, list[str]], use_ray: bool) -> list[dict]:
    whole = Index.open(root / "whole")
    sharded = ShardedIndex.open(root / f"shards-{count}", ray=use_ray)
    sharded.warm_up()  # the actors started, the words read
    rows = []
    try:
        for name, texts in sets.items():
            same, timed_whole, timed_shards, refused, differing, timed_statistics = 0, [], [], 0, [], []
            for text in texts:
                try:
                    started = time.perf_counter()
                    expected = whole.search(text, per_page=PER_PAGE)
                    timed_whole.append((time.perf_counter() - started) * 1000)
                except QueryError:  # a query the engine refuses (a phrase of too common words) is left out
                    refused += 1
                    continue
                started = time.perf_counter()
                found = sharded.search(text, per_page=PER_PAGE)
                timed_shards.append((time.perf_counter() - started) * 1000)
                timed_statistics.append(statistics_round_ms(sharded, text))  # of the search just timed
                if same_page(_page(found), _page(expected)):
                    same += 1
                else:
                    differing.append(text)
            rows.append({"shards": count, "set": name, "queries": len(texts) - refused, "same": same,
                         "whole_p50": statistics.median(timed_whole), "whole_p95": _p95(timed_whole),
                         "shards_p50": statistics.median(timed_shards), "shards_p95": _p95(timed_shards),
                         "statistics_p50": statistics.median(timed_statistics), "differing": differing[:5]})
            print(rows[-1], file=sys.stderr, flush=True)
        rows.append(compare_related(whole, sharded, count))
    finally:
        sharded.close()
        whole.close()
    return rows


def statistics_round_ms(sharded: ShardedIndex, text: str) -> float:
    """The statistics rounds of a query's last search (every shard's at once): what the statistics cost a query
    beside its scoring round."""
    return sharded.rounds().get("statistics", 0.0)


def compare_related(whole: Index, sharded: ShardedIndex, count: int) -> dict:
    """The related lists (ids, order, scores to 1e-9) of RELATED documents drawn evenly from the index."""
    ids = sorted(whole.ids())
    drawn = ids[:: max(1, len(ids) // RELATED)][:RELATED]
    same, timed_whole, timed_shards, differing = 0, [], [], []
    for doc_id in drawn:
        started = time.perf_counter()
        expected = whole.related(doc_id) or []
        timed_whole.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        found = sharded.related(doc_id) or []
        timed_shards.append((time.perf_counter() - started) * 1000)
        if [h.id for h in found] == [h.id for h in expected] and all(
                abs(a.score - b.score) <= 1e-9 * max(abs(b.score), 1e-12)
                for a, b in zip(found, expected, strict=True)):
            same += 1
        else:
            differing.append(doc_id)
    row = {"shards": count, "set": "related lists", "queries": len(drawn), "same": same,
           "whole_p50": statistics.median(timed_whole), "whole_p95": _p95(timed_whole),
           "shards_p50": statistics.median(timed_shards), "shards_p95": _p95(timed_shards), "differing": differing[:5]}
    print(row, file=sys.stderr, flush=True)
    return row


def _p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))] if values else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--shards", default="1,2,4", help="comma-separated shard counts")
    parser.add_argument("--queries", type=int, default=500, help="headlines per corpus (and as many short ones)")
    parser.add_argument("--ray", action="store_true", help="each shard served by a Ray actor")
    parser.add_argument("--keep", help="build into this folder (and reuse what it holds)")
    args = parser.parse_args(argv)
    counts = [int(c) for c in args.shards.split(",")]
    sets = queries(args.queries)
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(args.keep or temporary)
        missing = [c for c in counts if not (root / f"shards-{c}").exists()]
        if missing or not (root / "whole").exists():
            print(f"built {build(root, missing):,} documents whole and in {missing} shards (records without "
                  "text skipped)", file=sys.stderr)
        print("| shards | set | queries | same page | whole p50 / p95 ms | shards p50 / p95 ms | statistics p50 ms |")
        print("|---|---|---|---|---|---|---|")
        for count in counts:
            for r in compare(root, count, sets, args.ray):
                stats_ms = f"{r['statistics_p50']:.1f}" if "statistics_p50" in r else ""
                print(f"| {r['shards']} | {r['set']} | {r['queries']:,} | {r['same']:,} | {r['whole_p50']:.1f} / "
                      f"{r['whole_p95']:.1f} | {r['shards_p50']:.1f} / {r['shards_p95']:.1f} | {stats_ms} |",
                      flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
