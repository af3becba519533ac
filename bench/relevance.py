"""Relevance: nDCG@10, Recall@100, MRR@10 and MAP (ir-measures, on pytrec_eval) per collection and engine."""

from __future__ import annotations

import time

import ir_measures
from ir_measures import AP, RR, R, nDCG

from .collections import HALVES, Collection, in_half
from .engines import Engine

MEASURES = [nDCG @ 10, R @ 100, RR @ 10, AP]
NAMES = {str(nDCG @ 10): "nDCG@10", str(R @ 100): "R@100", str(RR @ 10): "MRR@10", str(AP): "MAP"}
DEPTH = 1000


def evaluate(run: dict[str, dict[str, float]], qrels: dict[str, dict[str, int]]) -> dict[str, float]:
    scores = ir_measures.calc_aggregate(MEASURES, qrels, run)
    return {NAMES[str(m)]: round(float(v), 4) for m, v in scores.items()}


def run_engine(engine_class: type[Engine], collection: Collection) -> dict:
    """Build the engine's index of the collection and evaluate its ranking of every judged query."""
    engine = engine_class(collection.lang)
    try:
        started = time.perf_counter()
        engine.build(collection.docs)
        build_seconds = time.perf_counter() - started
        run: dict[str, dict[str, float]] = {}
        started = time.perf_counter()
        for query_id, text in collection.queries.items():
            ids = engine.search(text, min(DEPTH, len(collection.docs)))
            run[query_id] = {doc_id: float(len(ids) - rank) for rank, doc_id in enumerate(ids)}
        search_seconds = time.perf_counter() - started
    finally:
        engine.close()
    result = {"engine": engine_class.name, "collection": collection.name, **evaluate(run, collection.qrels),
              "build_s": round(build_seconds, 2), "queries": len(collection.queries),
              "query_ms": round(search_seconds / max(len(collection.queries), 1) * 1000, 2)}
    for half in HALVES:
        judged = {q: judgments for q, judgments in collection.qrels.items() if in_half(q, half)}
        result[f"nDCG@10 {half}"] = evaluate({q: run.get(q, {}) for q in judged}, judged)["nDCG@10"]
    for label, qrels in collection.extra_qrels.items():
        result[f"MAP ({label})"] = evaluate(run, qrels)["MAP"]
    return result
