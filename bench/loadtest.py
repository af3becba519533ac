"""`make loadtest` (python -m bench.loadtest): a served index under concurrent load, on loopback only.

Starts `bilingual-search serve` on a free loopback port, sends distinct queries from the news corpora's headlines
and words (and hostile ones) from N client threads for a bounded time and count, optionally runs a full rebuild
of the index in the middle, and prints throughput, p50/p95/p99 latency, errors by kind, the documents before and
after, and the server's resident memory at the start and the end.

    python -m bench.loadtest --index /tmp/rtr --concurrency 8 --seconds 120 --rebuild PATH [PATH ...]
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import random
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter, deque
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
CORPORA = [DATA / "news-ru-rt" / "corpus.jsonl.gz", DATA / "news-en-reuters" / "corpus.jsonl.gz"]
HOSTILE = ['"и в" ' * 20, '"' + "его " * 20 + '"', "*", "-путин", "𗂴Ӽ", "a" * 999, "lang:xx", "title:", '"""',
           "перегов* OR нефт* OR oil*", "\x00\x1b[2J"]


def queries(limit: int, seed: int = 7) -> list[str]:
    """Distinct queries: headlines, their first words, two-word pairs, and a few hostile ones."""
    found: list[str] = []
    for corpus in CORPORA:
        if not corpus.exists():
            continue
        with gzip.open(corpus, "rt", encoding="utf-8") as lines:
            for line in lines:
                title = (json.loads(line).get("title") or "").strip()
                words = title.split()
                if len(words) >= 2:
                    found += [title[:200], " ".join(words[:2]), words[0], " ".join(words[-2:])]
    rng = random.Random(seed)
    unique = list(dict.fromkeys(found))
    rng.shuffle(unique)
    chosen = unique[: max(0, limit - len(HOSTILE))] + HOSTILE
    rng.shuffle(chosen)
    return chosen


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident memory of a server in MB (VmRSS: all of it; RssAnon: its own; RssFile: mapped files): of the
    process and its worker processes (`serve --workers`), added up (pages the workers share count in each)."""
    total = 0.0
    for each in (pid, *_children(pid)):
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith(field + ":"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def documents(port: int) -> int | str:
    """The served index's document count, or what went wrong asking for it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", "/api/health")
        return json.loads(connection.getresponse().read())["documents"]
    except (OSError, http.client.HTTPException, ValueError, KeyError) as error:
        return f"health failed: {type(error).__name__}"
    finally:
        connection.close()


def run(args: argparse.Namespace) -> dict:
    workers = [] if args.workers is None else ["--workers", str(args.workers)]
    shards = [] if args.shards is None else ["--shards", str(args.shards)]
    server = subprocess.Popen([sys.executable, "-m", "search", "serve", "--index", args.index, "--port", "0",
                               "--host", "127.0.0.1", *workers, *shards], stderr=subprocess.PIPE, text=True)
    try:
        return measure(args, server)
    finally:
        server.terminate()
        server.wait(30)
        server.stderr.close()


def measure(args: argparse.Namespace, server: subprocess.Popen) -> dict:
    line = server.stderr.readline()
    while line and "Serving" not in line and not line.startswith("bilingual-search:"):
        line = server.stderr.readline()  # what Ray says as it starts, for a sharded index served by Ray
    if "Serving" not in line:
        raise SystemExit(f"the server did not start: {line}")
    # Keep reading what the server logs (waitress warns of its queue depth under load): a full pipe would
    # block the server's event loop on its next warning.
    server_log: deque[str] = deque(maxlen=20)
    threading.Thread(target=lambda: server_log.extend(server.stderr), daemon=True).start()
    port = int(line.split("http://127.0.0.1:", 1)[1].split("/", 1)[0])
    pending = queries(args.queries)
    lock = threading.Lock()
    latencies: list[float] = []
    errors: Counter = Counter()
    statuses: Counter = Counter()
    deadline = time.monotonic() + args.seconds
    start_rss = rss_mb(server.pid)
    before = documents(port)

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                if not pending:
                    return
                query = pending.pop()
            path = "/api/search?" + urllib.parse.urlencode({"q": query, "per_page": 10})
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] += 1
                if status not in (200, 400, 429):  # 429: a long query over its slots, refused by design
                    errors[status] += 1

    threads = [threading.Thread(target=client) for _ in range(args.concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    rebuild = None
    if args.rebuild:
        time.sleep(min(args.seconds / 3, 30))
        rebuild = subprocess.run([sys.executable, "-m", "search", "index", *args.rebuild, "--index", args.index,
                                  "--rebuild"], capture_output=True, text=True)
    for thread in threads:
        thread.join()
    took = time.monotonic() - started
    after = documents(port)
    end_rss = rss_mb(server.pid)
    end_anon, end_file = rss_mb(server.pid, "RssAnon"), rss_mb(server.pid, "RssFile")
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1) if latencies else 0.0

    return {
        "workers": args.workers or "one per core", "concurrency": args.concurrency, "requests": len(latencies),
        "seconds": round(took, 1),
        "throughput_rps": round(len(latencies) / took, 1), "p50_ms": pct(0.50), "p95_ms": pct(0.95),
        "p99_ms": pct(0.99), "max_ms": round(latencies[-1], 1) if latencies else 0.0,
        "statuses": {str(k): v for k, v in statuses.items()}, "refused_429": statuses.get(429, 0),
        "errors": {str(k): v for k, v in errors.items()},
        "documents_before": before, "documents_after": after,
        "rebuild": None if rebuild is None else ("ok" if rebuild.returncode == 0 else rebuild.stderr.strip()),
        "rss_mb_start": round(start_rss, 1), "rss_mb_end": round(end_rss, 1),
        "rss_mb_end_own": round(end_anon, 1), "rss_mb_end_mapped_files": round(end_file, 1),
        "server_log_last": server_log[-1].strip() if server_log else "",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.loadtest", description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True, help="the index to serve (loopback only)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, help="the server's worker processes (default: serve's, one per core)")
    parser.add_argument("--shards", type=int, help="serve a sharded index's N shards by Ray actors (serve --shards)")
    parser.add_argument("--seconds", type=float, default=60, help="stop after this long (at most 600)")
    parser.add_argument("--queries", type=int, default=10_000, help="distinct queries to send, at most")
    parser.add_argument("--rebuild", nargs="*", metavar="PATH", help="rebuild the index from these mid-run")
    args = parser.parse_args(argv)
    args.seconds = min(args.seconds, 600)
    result = run(args)
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    return 0 if not result["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
