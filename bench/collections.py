"""The evaluation collections in ../shared/data/ as (documents, queries, qrels), read in place, never copied."""

from __future__ import annotations

import gzip
import json
import random
import zlib
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
HEADLINE_QUERIES = 1000
HEADLINE_SEED = 20261122
OTHER_SEED = 7
HALVES = ("tune", "held-out")


def in_half(query_id: str, half: str) -> bool:
    """Whether a query belongs to a half: a stable hash of its id. Constants are tuned on the "tune" half and
    reported on the "held-out" one ("all": both)."""
    tuning = zlib.crc32(query_id.encode("utf-8")) % 2 == 0
    return half == "all" or tuning == (half == "tune")


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
        return megabytes(self.docs)


def megabytes(docs: list[dict]) -> float:
    """MB of input text (title and text, UTF-8): what throughput is measured against."""
    return sum(len(d["title"].encode()) + len(d["text"].encode()) for d in docs) / 1e6


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


def headline_task(name: str, lang: str, limit: int = HEADLINE_QUERIES, other: bool = False) -> Collection:
    """Title -> article: the corpus is the articles' text without titles; each title's one relevant document is
    its own article. A fixed sample of `limit` titles (unique titles only, so each has one right answer); with
    `other`, another sample that shares no title with it, never used to tune anything."""
    articles = news_articles(name)
    docs = [dict(a, title="") for a in articles]
    counts: dict[str, int] = {}
    for a in articles:
        title = a["title"].strip()
        counts[title] = counts.get(title, 0) + 1
    candidates = [a for a in articles if a["title"].strip() and counts[a["title"].strip()] == 1]
    sample = random.Random(HEADLINE_SEED).sample(candidates, min(limit, len(candidates)))
    if other:
        taken = {a["id"] for a in sample}
        rest = [a for a in candidates if a["id"] not in taken]
        sample = random.Random(OTHER_SEED).sample(rest, min(limit, len(rest)))
    queries = {a["id"]: a["title"].strip() for a in sample}
    qrels = {a["id"]: {a["id"]: 1} for a in sample}
    return Collection(f"{name} headline→article{' (other sample)' if other else ''}", lang, docs, queries, qrels)


def news_articles(corpus: str) -> list[dict]:
    """The articles of a news corpus that have text, as {"id", "title", "text"} (title "" where it has none)."""
    return [{"id": str(a["id"]), "title": a.get("title") or "", "text": a["text"]}
            for a in _jsonl(DATA / corpus / "corpus.jsonl.gz") if (a.get("text") or "").strip()]


def relevance_collections() -> list[Collection]:
    return [
        test_collection("xquad-ru", "ru"),
        test_collection("xquad-en", "en"),
        test_collection("cacm", "en"),
        headline_task("news-ru-rt", "ru"),
        headline_task("news-en-reuters", "en"),
    ]


def other_sample_collections() -> list[Collection]:
    """The headline tasks on a second sample of titles (`python -m bench --other-sample`)."""
    return [headline_task("news-ru-rt", "ru", other=True), headline_task("news-en-reuters", "en", other=True)]


def cross_language_collections() -> list[Collection]:
    return [test_collection("xquad-clir-qen-dru", "ru"), test_collection("xquad-clir-qru-den", "en")]
