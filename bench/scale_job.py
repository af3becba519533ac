"""One scale measurement: python -m bench.scale_job CORPUS FRACTION QUERIES -> one JSON line on stdout.

Builds our index of the scaled corpus (two writer processes, as the CLI does), then serves the headline and
short queries from a fresh process (bench.serve_job): top 10 with snippets, cross-language search on.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from search import Index, make_document

from .collections import megabytes, news_articles
from .scale import scaled
from .speed_job import peak_rss_mb, query_sets


def main(corpus: str, fraction: float, count: int) -> int:
    headlines, short = query_sets(corpus, count)
    docs = scaled(news_articles(corpus), fraction)
    mb = megabytes(docs)
    workdir = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        started = time.perf_counter()
        index = Index.build(workdir / "index", (make_document(d["id"], d["title"], d["text"]) for d in docs),
                            procs=2)
        build_s = time.perf_counter() - started
        index.close()
        size = sum(f.stat().st_size for f in (workdir / "index").rglob("*") if f.is_file())
        queries = workdir / "queries.json"
        queries.write_text(json.dumps([headlines, short], ensure_ascii=False), encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "bench.serve_job", str(workdir / "index"), str(queries), "on"],
                              capture_output=True, text=True, check=True)
        served = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    row = {"corpus": corpus, "fraction": fraction, "docs": len(docs), "mb": round(mb, 1),
           "build_s": round(build_s, 2), "mb_per_s": round(mb / build_s, 3), "index_mb": round(size / 1e6, 1),
           "build_rss_mb": round(peak_rss_mb()), **served}
    print(json.dumps(row, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2]), int(sys.argv[3])))
