"""Speed: build throughput, index size, peak memory and query latency, each (engine, corpus) in its own
process so that peak memory is that engine's alone."""

from __future__ import annotations

import json
import subprocess
import sys

from .engines import Engine

CORPORA = (("news-ru-rt", "ru"), ("news-en-reuters", "en"))


def run_speed(engines: list[type[Engine]], queries: int, corpora=CORPORA) -> list[dict]:
    jobs = [("bench.speed_job", engine.name, corpus, str(queries))
            for corpus, _lang in corpora for engine in engines if engine.speed]
    return [row for job in jobs if (row := run_job(*job)) is not None]


def run_job(module: str, *args: str) -> dict | None:
    """Run one measurement in its own process; its last line of output is the JSON row (None if it failed)."""
    done = subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True)
    if done.returncode != 0:
        print(f"{module} {' '.join(args)} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
        return None
    row = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    return row
