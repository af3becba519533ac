"""Queries as people type them (python -m bench.typos): nDCG@10 of each engine on the sets in
../shared/data/typos/, the same queries clean, with typos, in the wrong keyboard layout and in Latin letters.

Each engine builds one index per collection and answers every variant of its queries, so the variants are
compared on the same index. Prints one table (collection x variant, a column per engine).

    python -m bench.typos [--engines ours,tantivy] [--collections rt-short,xquad-ru]
"""

from __future__ import annotations

import argparse
import sys

from .collections import DATA, _jsonl, _qrels, news_articles
from .engines import ENGINES
from .relevance import DEPTH, evaluate

TYPOS = DATA / "typos"
VARIANTS = ("clean", "typo", "layout", "translit")


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


def variants(name: str, qrels: dict) -> dict[str, dict[str, str]]:
    """Each variant's judged queries (id -> text), for the variants this collection has."""
    found = {}
    for variant in VARIANTS:
        path = TYPOS / name / ("queries.jsonl" if variant == "clean" else f"queries-{variant}.jsonl")
        if path.exists():
            found[variant] = {q["id"]: q["text"] for q in _jsonl(path) if q["id"] in qrels}
    return found


def run(engine_class, name: str) -> dict[str, float]:
    """nDCG@10 of one engine on every variant of one collection (one index build)."""
    lang, docs, qrels = documents(name)
    engine = engine_class(lang)
    try:
        engine.build(docs)
        scores = {}
        for variant, queries in variants(name, qrels).items():
            run_ = {}
            for query_id, text in queries.items():
                ids = engine.search(text, min(DEPTH, len(docs)))
                run_[query_id] = {doc_id: float(len(ids) - rank) for rank, doc_id in enumerate(ids)}
            scores[variant] = evaluate(run_, qrels)["nDCG@10"]
        return scores
    finally:
        engine.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.typos", description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="ours", help="comma-separated engine names (default: ours)")
    parser.add_argument("--collections", default="rt-short,reuters-short,xquad-ru,xquad-en")
    args = parser.parse_args(argv)
    engines = [e for e in ENGINES if e.name in args.engines.split(",")]
    names = args.collections.split(",")
    table: dict[tuple[str, str], dict[str, float]] = {}
    for engine_class in engines:
        reason = engine_class.unavailable() if hasattr(engine_class, "unavailable") else None
        if reason:
            print(f"{engine_class.name}: skipped ({reason})", file=sys.stderr)
            continue
        for name in names:
            for variant, score in run(engine_class, name).items():
                table.setdefault((name, variant), {})[engine_class.name] = score
            print(f"{engine_class.name} {name} done", file=sys.stderr, flush=True)
    columns = [e.name for e in engines]
    print("| collection | variant | " + " | ".join(columns) + " |")
    print("|---|---|" + "---|" * len(columns))
    for (name, variant), scores in table.items():
        print(f"| {name} | {variant} | " + " | ".join(f"{scores.get(c, float('nan')):.3f}" for c in columns) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
