"""The first screen for the queries people type most: python -m bench.adhoc [--engines ours,tantivy] [--half ...].

One word. From each news corpus in ../shared/data/, the words its titles use most (five titles or more, not
function words) that also begin longer words of the corpus (oil: oilseed, oilman; «санкц…» is what the page
searches while «санкции» is typed), 200 of them drawn with a fixed seed, split into a tune and a held-out half
by a stable hash. Each engine indexes one corpus and is asked each word as typed (ours: as the page asks, the
last word open to completion), and the bench reports the share of its top 10 that hold a form of the word (any
of its index terms, by our analyzer: «санкции» for «санкций», "prices" for "price"). A reader who typed oil
wants oil, not OILSEED.
"""

from __future__ import annotations

import argparse
import bisect
import random
import re
import statistics
import sys
from collections import Counter

from search import analyze, analyze_words

from .collections import HALVES, in_half, news_articles
from .engines import ENGINES

CORPORA = {"news-ru-rt": "ru", "news-en-reuters": "en"}
SEED = 20261207
ONE_WORD_QUERIES = 200
MIN_TITLES = 5
_WORD = re.compile(r"[^\W\d_]{3,}")


def one_word_queries(docs: list[dict]) -> list[str]:
    """Words the corpus's titles use most (MIN_TITLES or more) that are not function words and begin a longer
    word of the corpus: ONE_WORD_QUERIES of them, drawn with a fixed seed, lower-case as people type them."""
    titles: Counter = Counter()
    vocabulary: set[str] = set()
    for doc in docs:
        titles.update({w.lower() for w in _WORD.findall(doc["title"])})
        vocabulary.update(w.lower() for w in _WORD.findall(doc["title"] + " " + doc["text"][:2000]))
    ordered = sorted(vocabulary)
    candidates = []
    for word, count in titles.most_common():
        if count < MIN_TITLES:
            break
        analyzed = analyze_words(word)
        if not analyzed or analyzed[0].stop:
            continue
        at = bisect.bisect_left(ordered, word + "\u0000")
        if at < len(ordered) and ordered[at].startswith(word):
            candidates.append(word)
    candidates.sort()  # titles' words came from sets, whose order changes with each process's string hashing
    random.Random(SEED).shuffle(candidates)
    return sorted(candidates[:ONE_WORD_QUERIES])


class Forms:
    """Whether a document holds a form of a word: their index terms meet (the document's analyzed once)."""

    def __init__(self, docs: list[dict]) -> None:
        self.docs = {d["id"]: d for d in docs}
        self._terms: dict[str, set[str]] = {}

    def holds(self, doc_id: str, word: str) -> bool:
        if doc_id not in self._terms:
            doc = self.docs[doc_id]
            self._terms[doc_id] = set(analyze(doc["title"] + "\n" + doc["text"]))
        return bool(set(analyze(word)) & self._terms[doc_id])


def run(engine_names: list[str]) -> list[dict]:
    """Each engine's share on each corpus, for each half of the queries."""
    rows = []
    for corpus, lang in CORPORA.items():
        docs = news_articles(corpus)
        queries = one_word_queries(docs)
        forms = Forms(docs)
        for engine_class in ENGINES:
            if engine_class.name not in engine_names or engine_class.unavailable():
                continue
            engine = engine_class(lang)
            try:
                engine.build(docs)
                shares = {}
                for word in queries:
                    ids = engine.search(word, 10)
                    shares[word] = sum(forms.holds(i, word) for i in ids) / len(ids) if ids else 0.0
            finally:
                engine.close()
            row: dict = {"corpus": corpus, "engine": engine_class.name}
            for half in HALVES:
                mine = [share for word, share in shares.items() if in_half(f"{corpus}:{word}", half)]
                row[half] = {"queries": len(mine), "share": statistics.fmean(mine) if mine else 0.0,
                             "none_hold": sum(share == 0.0 for share in mine)}
            row["worst"] = sorted(shares, key=shares.__getitem__)[:5]
            rows.append(row)
            print(row, file=sys.stderr)
    return rows


def table(rows: list[dict]) -> str:
    """Share of the top 10 holding a form of the word typed, by half (queries; queries none of whose top 10 do)."""
    lines = ["| corpus | engine | tune | held-out | held-out: none of the 10 | worst words |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {r['corpus']} | {r['engine']} | {r['tune']['share']:.3f} ({r['tune']['queries']}) | "
              f"{r['held-out']['share']:.3f} ({r['held-out']['queries']}) | {r['held-out']['none_hold']} | "
              f"{', '.join(r['worst'])} |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--engines", default="ours,tantivy,bm25s", help="comma-separated engine names")
    args = parser.parse_args(argv)
    print(table(run(args.engines.split(","))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
