"""Queries as people type them (python -m bench.typos): nDCG@10 of each engine on the sets in
../shared/data/typos/, the same queries clean, with typos, in the wrong keyboard layout and in Latin letters.

Each engine builds one index per collection and answers every variant of its queries, so the variants are
compared on the same index. Queries are split in two halves by a hash of their id: `tune` is for choosing the
constants of search.query.correction, `held-out` (the default) is what gets reported. Prints one table (collection x
variant, a column per engine); for our engine also how often what it said it searched ("showing results for" or
"did you mean") is exactly the clean query (case and ё aside), and the p50/p95 time per query.

    python -m bench.typos [--engines ours,tantivy] [--collections rt-short,xquad-ru] [--half held-out|tune|all]
                          [--write]

`--write` (held-out half only) puts the table in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from .collections import DATA, _jsonl, _qrels, in_half, news_articles
from .engines import ENGINES
from .relevance import DEPTH, evaluate
from .report import run_facts, save_results, typos_table

TYPOS = DATA / "typos"
VARIANTS = ("clean", "typo", "layout", "translit")
HALVES = ("held-out", "tune", "all")


def documents(name: str) -> tuple[str, list[dict], dict[str, dict[str, int]]]:
    """(language, documents, judgments) of a typos collection, as its README describes them."""
    if name == "rt-short":
        docs = [dict(a, title="") for a in news_articles("news-ru-rt")]
        return "ru", docs, _qrels(TYPOS / name / "qrels.tsv")
    if name == "reuters-short":
        docs = [dict(a, title="") for a in news_articles("news-en-reuters") if a["title"].strip()]
        return "en", docs, _qrels(TYPOS / name / "qrels.tsv")
    folder = DATA / name  # xquad-ru, xquad-en: the collection's own corpus and judgments
    docs = [{"id": d["id"], "title": d.get("title") or "", "text": d.get("text") or ""}
            for d in _jsonl(folder / "corpus.jsonl")]
    return name.rsplit("-", 1)[1], docs, _qrels(folder / "qrels.tsv")


def variants(name: str, qrels: dict, half: str = "all") -> dict[str, dict[str, str]]:
    """Each variant's judged queries (id -> text) in one half, for the variants this collection has."""
    found = {}
    for variant in VARIANTS:
        path = TYPOS / name / ("queries.jsonl" if variant == "clean" else f"queries-{variant}.jsonl")
        if path.exists():
            found[variant] = {q["id"]: q["text"] for q in _jsonl(path) if q["id"] in qrels and in_half(q["id"], half)}
    return found


def _same(said: str, clean: str) -> bool:
    def fold(text: str) -> str:
        return " ".join(text.lower().replace("ё", "е").split())
    return fold(said) == fold(clean)


def run(engine_class, name: str, half: str) -> dict[str, dict[str, float]]:
    """Per variant of one collection (one index build): nDCG@10, and for an engine that says what it searched,
    the share of queries where it said something, and where what it searched is the clean query (said, or
    typed clean and left alone); p50/p95 ms per query."""
    lang, docs, qrels = documents(name)
    engine = engine_class(lang)
    try:
        engine.build(docs)
        found = variants(name, qrels, half)
        clean = found["clean"]
        rows = {}
        for variant, queries in found.items():
            run_, said_any, said_clean, times = {}, 0, 0, []
            for query_id, text in queries.items():
                started = time.perf_counter()
                ids, said = engine.search_typed(text, min(DEPTH, len(docs)))
                times.append((time.perf_counter() - started) * 1000)
                run_[query_id] = {doc_id: float(len(ids) - rank) for rank, doc_id in enumerate(ids)}
                said_any += bool(said)
                # Right when it named the clean query, or said nothing of a typed query that is the clean one
                # (a typo set leaves words under five letters as they are).
                said_clean += _same(said, clean[query_id]) if said else _same(text, clean[query_id])
            times.sort()
            judged = {query_id: qrels[query_id] for query_id in queries}
            rows[variant] = {"nDCG@10": evaluate(run_, judged)["nDCG@10"], "said": said_any / len(queries),
                             "said_clean": said_clean / len(queries), "p50": statistics.median(times),
                             "p95": times[int(0.95 * (len(times) - 1))]}
        return rows
    finally:
        engine.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.typos", description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="ours", help="comma-separated engine names (default: ours)")
    parser.add_argument("--collections", default="rt-short,reuters-short,xquad-ru,xquad-en")
    parser.add_argument("--half", choices=HALVES, default="held-out",
                        help="the queries to score: held-out (reported), tune (for choosing constants) or all")
    parser.add_argument("--write", action="store_true", help="put the table in bench/RESULTS.md (held-out only)")
    args = parser.parse_args(argv)
    if args.write and args.half != "held-out":
        parser.error("--write reports the held-out half only")
    engines = [e for e in ENGINES if e.name in args.engines.split(",")]
    rows, skipped = [], {}
    for engine_class in engines:
        reason = engine_class.unavailable() if hasattr(engine_class, "unavailable") else None
        if reason:
            skipped[engine_class.name] = reason
            print(f"{engine_class.name}: skipped ({reason})", file=sys.stderr)
            continue
        for name in args.collections.split(","):
            for variant, row in run(engine_class, name, args.half).items():
                rows.append({"engine": engine_class.name, "collection": name, "variant": variant, **row})
            print(f"{engine_class.name} {name} done", file=sys.stderr, flush=True)
    print(f"nDCG@10 on the {args.half} half")
    print(typos_table(rows))
    if args.write:
        save_results({**run_facts("python -m bench.typos", argv, skipped), "typos": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
