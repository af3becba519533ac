"""Our engine as a serving process: open an index, answer the headline and short queries as results pages
(top 10 with snippets), report latency and the process's peak memory as one JSON line."""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

from search import Index, QueryError

from .engines.ours import OurEngine
from .speed_job import measure, peak_rss_mb, percentile


def main(path: str, queries: str) -> int:
    # The queries come from a file: loading the corpus here would count its memory as the server's.
    headlines, short = json.loads(Path(queries).read_text(encoding="utf-8"))
    index = Index.open(path)
    words = OurEngine._query

    def page(query: str):
        try:
            return index.search(words(query), per_page=10)
        except QueryError:
            return None

    long_ms = measure(page, headlines)
    short_ms = measure(page, short)
    print(json.dumps({"p50_ms": round(statistics.median(long_ms), 2), "p95_ms": round(percentile(long_ms, 0.95), 2),
                      "short_p95_ms": round(percentile(short_ms, 0.95), 2), "serve_rss_mb": round(peak_rss_mb())}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
