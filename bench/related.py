"""The same story in the other language (python -m bench.related [--index DIR] [--write]): accuracy and speed.

Accuracy: one index of the xquad-ru and xquad-en paragraphs together (480 documents; paragraph i in Russian is
paragraph i in English), titles left out (they are the English Wikipedia page's name in both). For each
paragraph, is its translation the first document of the other language that `Index.related` lists (target:
90%), and the first of all?
Reported on each half of the paragraphs (`bench.collections.in_half` of the paragraph id) and on all.
Speed: `Index.related` on documents drawn at random from `--index` (RT + Reuters), warm; target under 100 ms.
There, how many lists an other-language document leads: RT (2017-2018) and Reuters (1987) hold no story told in
both, so each is a neighbouring topic put first.

    python -m bench.related --index /tmp/rtr [--write]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from search import Document, Index

from .collections import DATA, HALVES, in_half
from .report import related_table, run_facts, save_results

LANGS = ("ru", "en")
MEASURES = ("xquad translation first of its language", "xquad translation first of all")
RELATED = 10
SPEED_SAMPLE = 300
SEED = 11


def xquad_pairs() -> list[Document]:
    """Both languages' paragraphs as documents with ids "ru/p0000" and "en/p0000", titles blank."""
    docs = []
    for lang in LANGS:
        with open(DATA / f"xquad-{lang}" / "corpus.jsonl", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                docs.append(Document(f"{lang}/{record['id']}", "", record["text"], lang=lang))
    return docs


def accuracy(index: Index, docs: list[Document]) -> list[dict]:
    """For each half and direction: paragraphs whose translation is the first related document of the other
    language."""
    found: dict[tuple[str, str, str], list[bool]] = {}
    for doc in docs:
        lang, paragraph = doc.id.split("/")
        other = "en" if lang == "ru" else "ru"
        related = index.related(doc.id, RELATED)
        first_other = next((hit.id for hit in related if hit.lang == other), None)
        for half in (*HALVES, "all"):
            if in_half(paragraph, half):
                direction = f"{lang}→{other}"
                found.setdefault((MEASURES[0], half, direction), []).append(first_other == f"{other}/{paragraph}")
                found.setdefault((MEASURES[1], half, direction), []).append(
                    bool(related) and related[0].id == f"{other}/{paragraph}")
    return [{"measure": measure, "half": half, "direction": direction, "documents": len(hits),
             "value": round(sum(hits) / len(hits), 4)} for (measure, half, direction), hits in sorted(found.items())]


def speed(index: Index, sample: int) -> dict:
    """Milliseconds per `related` call on random documents of the index, after one call to warm it."""
    ids = sorted(index.ids())
    chosen = random.Random(SEED).sample(ids, min(sample, len(ids)))
    index.related(chosen[0], RELATED)
    times, led_by_other = [], 0
    for doc_id in chosen:
        started = time.perf_counter()
        related = index.related(doc_id, RELATED)
        times.append((time.perf_counter() - started) * 1000)
        lang = index.document(doc_id).lang
        led_by_other += bool(related) and related[0].lang != lang and lang in LANGS
    times.sort()
    return {"measure": "speed", "half": "", "direction": "", "documents": len(times),
            "p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
            "index_documents": len(ids), "led_by_other": round(led_by_other / len(times), 4)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.related", description=__doc__.splitlines()[0])
    parser.add_argument("--index", help="an index of RT and Reuters together, for the speed (left out without it)")
    parser.add_argument("--sample", type=int, default=SPEED_SAMPLE, help="documents timed (default: 300)")
    parser.add_argument("--write", action="store_true", help="put the figures in bench/RESULTS.md")
    args = parser.parse_args(argv)
    docs = xquad_pairs()
    with tempfile.TemporaryDirectory() as folder, Index.build(Path(folder) / "xquad", docs) as index:
        rows = accuracy(index, docs)
    if args.index:
        with Index.open(args.index) as index:
            rows.append(speed(index, args.sample))
    print(related_table(rows))
    if args.write:
        save_results({**run_facts("python -m bench.related", argv, {}), "related": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
