"""python -m bench.shard_faults --index DIR [--seconds 120] [--kill-every 20] [--clients 2]: shards killed under load.

Serves the sharded index at DIR by Ray actors (a local Ray on 127.0.0.1), asks it the speed bench's headlines
and short queries from `--clients` threads for `--seconds`, and every `--kill-every` seconds kills one shard
actor's process with SIGKILL (the shards in turn). It counts requests, queries the engine refuses (a phrase of
too common words, as a single index refuses it), errors (any other exception: there should be none), answers
marked partial (a shard named missing), and for each kill the restart time: from the kill to the
first whole answer begun after it while a new process serves the shard. Latency p50 / p95 / max of all answers.
"""

from __future__ import annotations

import argparse
import itertools
import os
import signal
import statistics
import sys
import threading
import time

from search import QueryError, ShardedIndex

from .speed_job import query_sets


def run(root: str, seconds: float, kill_every: float, clients: int) -> dict:
    queries = [q for corpus in ("news-ru-rt", "news-en-reuters") for pair in zip(*query_sets(corpus, 200),
                                                                                 strict=True) for q in pair]
    index = ShardedIndex.open(root, ray=True)
    index.warm_up()
    answers: list[tuple[float, float, bool]] = []  # (begun, seconds, partial)
    errors: list[str] = []
    refused: list[str] = []
    stop = threading.Event()
    source = itertools.cycle(queries)
    lock = threading.Lock()

    def client() -> None:
        while not stop.is_set():
            with lock:
                text = next(source)
            begun = time.monotonic()
            try:
                result = index.search(text)
            except QueryError:  # a query the engine refuses (a phrase of too common words): not a fault
                refused.append(text)
                continue
            except Exception as error:  # noqa: BLE001 - what the bench counts
                errors.append(f"{type(error).__name__}: {error}")
                continue
            answers.append((begun, time.monotonic() - begun, bool(result.missing)))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    kills: list[tuple[float, int, int]] = []  # (when, shard, pid)
    shards = index.processes()
    try:
        for n in itertools.count():
            wake = started + (n + 1) * kill_every
            if wake >= started + seconds:
                break
            time.sleep(max(0.0, wake - time.monotonic()))
            shard = n % len(shards)
            pid = index.processes()[shard]
            if pid:
                kills.append((time.monotonic(), shard, pid))
                os.kill(pid, signal.SIGKILL)
        time.sleep(max(0.0, started + seconds - time.monotonic()))
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    restarts = []
    for when, _shard, _pid in kills:
        whole = [begun + took for begun, took, partial in answers if begun > when and not partial]
        restarts.append(min(whole) - when if whole else float("inf"))
    index.close()
    took = sorted(t for _, t, _ in answers)
    return {"seconds": seconds, "kills": len(kills), "requests": len(answers) + len(errors) + len(refused),
            "refused": len(refused), "errors": len(errors),
            "partial": sum(p for _, _, p in answers), "p50_ms": 1000 * statistics.median(took),
            "p95_ms": 1000 * took[int(0.95 * (len(took) - 1))], "max_ms": 1000 * took[-1],
            "restart_median_s": statistics.median(restarts) if restarts else 0.0,
            "restart_max_s": max(restarts) if restarts else 0.0, "first_errors": errors[:3]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--index", required=True, help="a sharded index (bilingual-search index --shards N)")
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--kill-every", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=2)
    args = parser.parse_args(argv)
    r = run(args.index, args.seconds, args.kill_every, args.clients)
    print("| seconds | kills | requests | refused queries | errors | partial | p50 / p95 / max ms | "
          "restart median / max s |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {r['seconds']:.0f} | {r['kills']} | {r['requests']:,} | {r['refused']} | {r['errors']} | "
          f"{r['partial']} | {r['p50_ms']:.1f} / {r['p95_ms']:.1f} / {r['max_ms']:.0f} | {r['restart_median_s']:.2f} / "
          f"{r['restart_max_s']:.2f} |")
    if r["first_errors"]:
        print("errors:", *r["first_errors"], sep="\n  ", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
