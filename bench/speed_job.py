"""One speed measurement: python -m bench.speed_job ENGINE CORPUS QUERIES -> one JSON line on stdout.

Builds the engine's index of the whole corpus (titles and text), then runs the headline queries one at a time,
warm (a first pass fills caches, the second is measured), each as a results page: top 10 with snippets where the
engine has them. Short queries are one to three words cut from the same headlines.
"""

from __future__ import annotations

import gc
import json
import random
import resource
import statistics
import subprocess
import sys
import time

from .collections import HEADLINE_SEED, megabytes, news_articles
from .engines import ENGINES


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, which starts afresh when a program is exec'd: on Linux,
    getrusage's ru_maxrss keeps the peak of the process that forked this one, so a serving process started by
    the job that built its index reported the build's peak as its own (ours: "serving 592 MB" on RT was the
    build's 592 MB)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss() -> None:
    """Start this process's peak resident memory afresh (Linux 4.0+), for the memory of what comes next."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        pass


def query_sets(corpus: str, count: int) -> tuple[list[str], list[str]]:
    titles = [a["title"].strip() for a in news_articles(corpus) if a["title"].strip()]
    rng = random.Random(HEADLINE_SEED)
    headlines = rng.sample(titles, min(count, len(titles)))
    short = []
    for title in headlines:
        words = [w for w in title.split() if any(c.isalnum() for c in w)]
        n = rng.randint(1, 3)
        start = rng.randint(0, max(0, len(words) - n))
        short.append(" ".join(words[start:start + n]) or title)
    return headlines, short


def measure(search_page, queries: list[str]) -> list[float]:
    for query in queries:  # warm-up pass
        search_page(query)
    latencies = []
    for query in queries:
        started = time.perf_counter()
        search_page(query)
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def main(engine_name: str, corpus: str, count: int) -> int:
    engine_class = next(e for e in ENGINES if e.name == engine_name)
    lang = "ru" if "-ru-" in corpus else "en"
    docs = news_articles(corpus)
    mb = megabytes(docs)
    headlines, short = query_sets(corpus, count)
    engine = engine_class(lang)
    started = time.perf_counter()
    engine.build(docs)
    build_s = time.perf_counter() - started
    build_rss = peak_rss_mb()
    size = engine.size_bytes()
    row = {"corpus": corpus, "engine": engine_name, "docs": len(docs), "mb": round(mb, 1),
           "build_s": round(build_s, 2), "docs_per_s": round(len(docs) / build_s, 1),
           "mb_per_s": round(mb / build_s, 3), "index_mb": round(size / 1e6, 1),
           "build_rss_mb": round(build_rss), "snippets": engine_class.has_snippets}
    if engine_name == "ours":
        # Serve from a fresh process, as the web app would: its memory is the serving process's.
        engine.index.close()
        queries = engine.workdir / "queries.json"
        queries.write_text(json.dumps([headlines, short], ensure_ascii=False), encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "bench.serve_job", str(engine.workdir / "index"),
                               str(queries)], capture_output=True, text=True, check=True)
        row.update(json.loads(done.stdout.strip().splitlines()[-1]))
        engine.index = None
    else:
        # The peers serve from the process that built their index: the corpus is let go and the peak started
        # afresh, so that their serving memory is the index's and the engine's, as ours is.
        del docs
        gc.collect()
        reset_peak_rss()
        long_ms = measure(lambda q: engine.search_page(q, 10), headlines)
        short_ms = measure(lambda q: engine.search_page(q, 10), short)
        row.update(p50_ms=round(statistics.median(long_ms), 2), p95_ms=round(percentile(long_ms, 0.95), 2),
                   short_p95_ms=round(percentile(short_ms, 0.95), 2), serve_rss_mb=round(peak_rss_mb()))
    engine.close()
    print(json.dumps(row, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
