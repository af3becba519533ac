"""The evaluation collections in ../shared/data/ as (documents, queries, qrels), read in place, never copied."""

from __future__ import annotations

import gzip
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
HEADLINE_QUERIES = 1000
HEADLINE_SEED = 20261122


@dataclass
class Collection:
    """Documents (id, title, text), queries (id -> text), judgments (query id -> {doc id: relevance})."""

    name: str
    lang: str  # "ru" or "en": how the peers are configured
    docs: list[dict]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]
    extra_qrels: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)

    @property
    def megabytes(self) -> float:
        return sum(len(d["title"].encode()) + len(d["text"].encode()) for d in self.docs) / 1e6


def _jsonl(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _qrels(path: Path) -> dict[str, dict[str, int]]:
    qrels: dict[str, dict[str, int]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            query, doc, rel = line.split("\t")
            qrels.setdefault(query, {})[doc] = int(rel)
    return qrels


def test_collection(name: str, lang: str) -> Collection:
    folder = DATA / name
    docs = [{"id": d["id"], "title": d.get("title") or "", "text": d.get("text") or ""}
            for d in _jsonl(folder / "corpus.jsonl")]
    queries = {q["id"]: q["text"] for q in _jsonl(folder / "queries.jsonl")}
    qrels = _qrels(folder / "qrels.tsv")
    extra = {}
    distributed = folder / "qrels_as_distributed_unpadded.tsv"
    if distributed.exists():
        extra["as distributed"] = _qrels(distributed)
    return Collection(name, lang, docs, {q: t for q, t in queries.items() if q in qrels}, qrels, extra)


def headline_task(name: str, lang: str, limit: int = HEADLINE_QUERIES) -> Collection:
    """Title -> article: the corpus is the articles' text without titles; each title's one relevant document is
    its own article. A fixed sample of `limit` titles (unique titles only, so each has one right answer)."""
    articles = [a for a in _jsonl(DATA / name / "corpus.jsonl.gz") if (a.get("text") or "").strip()]
    docs = [{"id": str(a["id"]), "title": "", "text": a["text"]} for a in articles]
    counts: dict[str, int] = {}
    for a in articles:
        title = (a.get("title") or "").strip()
        counts[title] = counts.get(title, 0) + 1
    candidates = [a for a in articles if (a.get("title") or "").strip() and counts[a["title"].strip()] == 1]
    sample = random.Random(HEADLINE_SEED).sample(candidates, min(limit, len(candidates)))
    queries = {str(a["id"]): a["title"].strip() for a in sample}
    qrels = {str(a["id"]): {str(a["id"]): 1} for a in sample}
    return Collection(f"{name} headline→article", lang, docs, queries, qrels)


def relevance_collections() -> list[Collection]:
    return [
        test_collection("xquad-ru", "ru"),
        test_collection("xquad-en", "en"),
        test_collection("cacm", "en"),
        headline_task("news-ru-rt", "ru"),
        headline_task("news-en-reuters", "en"),
    ]


def cross_language_collections() -> list[Collection]:
    return [test_collection("xquad-clir-qen-dru", "ru"), test_collection("xquad-clir-qru-den", "en")]
