"""The CPU time of the worst query, and what floods of costly queries do to everyone else's.

Random queries within the API's limits (up to 1,000 characters, 50 results a page), built from the corpus's own
words with every operator the syntax has and hostile characters, and the same as people mistype them: words
misspelled, the whole query in the other keyboard layout, Russian in Latin letters (the noise model of
shared/data/typos/make_typos.py), up to 1,000 characters of them. Each is searched once through the library and
asked for suggestions once (what /api/search and /api/suggest do), in a process that collects garbage as `serve`
does (search.ServingCollector); prints the median, 99th percentile and worst CPU time by kind. `--flood` then
serves the index on loopback and times a plain query (`oil`, «нефть», ...) alone and while 8 clients send
1,000-character misspelled queries without pause (but for a second after a 429, as its Retry-After asks).

    python -m bench.worst_queries --index /tmp/rtr --queries 2000 --flood 60
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

from search import Index, QueryError, ServingCollector

from .loadtest import DATA, rss_mb
from .loadtest import queries as corpus_queries

PLAIN = ["oil", "нефть", "Путин", "bank", "санкции", "Reuters", "gold", "Лавров"]
KINDS = ("random", "misspelled", "layout", "latin")


def _typing_model():
    """The typed-query noise model the relevance sets were made with (stdlib only)."""
    spec = importlib.util.spec_from_file_location("make_typos", DATA / "typos" / "make_typos.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

HOSTILE = ["𗂴Ӽ", "\u202e", "\x00", "\ud800", "ё", "-", "*", '"', "OR", "NOT", "title:", "lang:ru", "\u0301", "’"]
FUNCTION_WORDS = ["и", "в", "на", "с", "его", "не", "что", "the", "of", "and", "to", "a", "in", "is"]


def random_query(rng: random.Random, words: list[str]) -> str:
    """One query of 1 to 60 pieces: words, function words, quoted runs, OR, exclusions, prefixes, fields."""
    pieces = []
    for _ in range(rng.choice([1, 2, 3, 5, 10, 30, 60])):
        kind = rng.random()
        word = rng.choice(words)
        if kind < 0.35:
            pieces.append(word)
        elif kind < 0.5:
            pieces.append(rng.choice(FUNCTION_WORDS))
        elif kind < 0.65:
            run = [rng.choice(words + FUNCTION_WORDS * 3) for _ in range(rng.randint(2, 12))]
            pieces.append('"' + " ".join(run) + '"')
        elif kind < 0.72:
            pieces.append("OR")
        elif kind < 0.78:
            pieces.append("-" + word)
        elif kind < 0.85:
            pieces.append(word[: rng.randint(2, 4)] + "*")
        elif kind < 0.9:
            pieces.append(rng.choice(["title:", "text:"]) + word)
        else:
            pieces.append(rng.choice(HOSTILE) + word)
    return " ".join(pieces)[:1000]


def typed_query(rng: random.Random, words: list[str], kind: str, model) -> str:
    """Words as people mistype them, from one word to 1,000 characters: each misspelled, the whole query in the
    other layout, or Russian in Latin letters."""
    count = rng.choice([1, 2, 3, 5, 10, 30, 60, 150])
    text = " ".join(rng.choice(words) for _ in range(count))[:1000]
    if kind == "misspelled":
        return " ".join(model.with_typo(w, rng) if len(w) > 3 else w for w in text.split())[:1000]
    if kind == "layout":
        return model.swap_layout(text)[:1000]
    return model.translit(text)[:1000]


def make_query(rng: random.Random, words: list[str], kind: str, model) -> str:
    return random_query(rng, words) if kind == "random" else typed_query(rng, words, kind, model)


def cpu_times(index: Index, rng: random.Random, words: list[str], count: int, model) -> list[tuple]:
    """(CPU seconds, kind, call, query, outcome) of each query searched and suggested once."""
    timings = []
    for n in range(count):
        kind = KINDS[n % len(KINDS)]
        query = make_query(rng, words, kind, model)
        started = time.process_time()
        try:
            outcome = f"{index.search(query, per_page=50).total} hits"
        except QueryError as error:
            outcome = f"400: {error}"
        timings.append((time.process_time() - started, kind, "search", query, outcome))
        started = time.process_time()
        outcome = f"{len(index.suggest(query).completions)} completions"
        timings.append((time.process_time() - started, kind, "suggest", query, outcome))
    return timings


def report_cpu(timings: list[tuple]) -> float:
    """Print the CPU time by kind and call; returns the worst."""
    print(f"{'kind':<11} {'call':<8} {'queries':>7} {'refused':>7} {'median ms':>9} {'p99 ms':>8} {'worst ms':>8}")
    for kind in KINDS:
        for call in ("search", "suggest"):
            rows = sorted(t for t in timings if t[1] == kind and t[2] == call)
            if not rows:
                continue
            cpu = [t[0] * 1000 for t in rows]
            refused = sum(t[4].startswith("400") for t in rows)
            print(f"{kind:<11} {call:<8} {len(cpu):>7} {refused:>7} {statistics.median(cpu):>9.1f} "
                  f"{cpu[int(0.99 * len(cpu))]:>8.1f} {cpu[-1]:>8.1f}")
    worst = sorted(timings)[-3:]
    for seconds, kind, call, query, outcome in worst:
        print(f"  worst: {seconds * 1000:7.1f} ms  {kind} {call}: {outcome[:40]!s:40}  {query[:80]!r}")
    return worst[-1][0] if worst else 0.0


def flood(index_path: str, seconds: float, flooders: int, rng: random.Random, words: list[str], model) -> dict:
    """A plain query's latency over HTTP, quiet and while `flooders` clients send 1,000-character misspelled
    queries to /api/search and /api/suggest without pause (for a second after a 429, as its Retry-After asks)."""
    server = subprocess.Popen([sys.executable, "-m", "search", "serve", "--index", index_path, "--port", "0",
                               "--host", "127.0.0.1"], stderr=subprocess.PIPE, text=True)
    try:
        line = server.stderr.readline()
        if "Serving" not in line:
            raise SystemExit(f"the server did not start: {line}")
        threading.Thread(target=lambda: [None for _ in server.stderr], daemon=True).start()
        port = int(line.split("http://127.0.0.1:", 1)[1].split("/", 1)[0])
        quiet = _plain_latencies(port, seconds / 2)
        stop = threading.Event()
        short = [w for w in words if 4 <= len(w) <= 8]  # as the issue found it: ~140 misspelled short words
        costly = [" ".join(model.with_typo(w, rng) for w in rng.sample(short, 150))[:1000] for _ in range(200)]
        sent: list[float] = []
        threads = [threading.Thread(target=_flooder, args=(port, costly, stop, sent, n)) for n in range(flooders)]
        for thread in threads:
            thread.start()
        time.sleep(1)
        loaded = _plain_latencies(port, seconds / 2)
        stop.set()
        for thread in threads:
            thread.join()
        memory = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(30)
        server.stderr.close()
    return {"quiet": quiet, "flooded": loaded, "flood_requests": len(sent),
            "flood_median_ms": statistics.median(sent) if sent else 0.0, "rss_mb": memory}


def _get(connection: http.client.HTTPConnection, path: str) -> int:
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response.status


def _plain_latencies(port: int, seconds: float) -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    n = 0
    while time.monotonic() < deadline:
        path = "/api/search?" + urllib.parse.urlencode({"q": PLAIN[n % len(PLAIN)], "page": 1 + n // len(PLAIN) % 3})
        started = time.perf_counter()
        status = _get(connection, path)
        latencies.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit(f"a plain query answered {status}")
        n += 1
        time.sleep(0.05)
    connection.close()
    return sorted(latencies)


def _flooder(port: int, costly: list[str], stop: threading.Event, sent: list[float], n: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    while not stop.is_set():
        query = costly[n % len(costly)]
        endpoint = "/api/suggest?" if n % 2 else "/api/search?"
        started = time.perf_counter()
        status = _get(connection, endpoint + urllib.parse.urlencode({"q": query}))
        sent.append((time.perf_counter() - started) * 1000)
        n += 7
        if status == 429:  # refused at once, as the server limits long queries: back off as asked (Retry-After)
            stop.wait(1)
    connection.close()


def _pct(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(p * len(values)))] if values else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.worst_queries", description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--queries", type=int, default=2000, help="queries of each kind, split evenly")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--flood", type=float, default=0, metavar="SECONDS",
                        help="then time a plain query quiet and under a flood, for this long in all (at most 600)")
    parser.add_argument("--flooders", type=int, default=8)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    model = _typing_model()
    words = sorted({w for q in corpus_queries(5000) for w in q.split() if w.isalpha()})
    index = Index.open(args.index)
    index.warm_up()
    index.search("warm up")
    collector = ServingCollector(generation=lambda: index.generation)  # as `serve` collects garbage
    collector.start()
    try:
        report_cpu(cpu_times(index, rng, words, args.queries, model))
    finally:
        collector.stop()
    index.close()
    if args.flood:
        result = flood(args.index, min(args.flood, 600), args.flooders, rng, words, model)
        quiet, flooded = result["quiet"], result["flooded"]
        print(f"plain queries over HTTP, quiet: {len(quiet)}, p50 {_pct(quiet, .5):.1f} ms, "
              f"p95 {_pct(quiet, .95):.1f} ms")
        print(f"  under {args.flooders} flooding clients: {len(flooded)}, p50 {_pct(flooded, .5):.1f} ms, "
              f"p95 {_pct(flooded, .95):.1f} ms ({_pct(flooded, .95) / max(_pct(quiet, .95), 1e-9):.2f}x quiet); "
              f"the flood: {result['flood_requests']} requests, median {result['flood_median_ms']:.0f} ms; "
              f"server {result['rss_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
