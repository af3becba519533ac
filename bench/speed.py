"""Speed: build throughput, index size, peak memory and query latency, each (engine, corpus) in its own
process so that peak memory is that engine's alone."""

from __future__ import annotations

import json
import subprocess
import sys

from .engines import Engine

CORPORA = (("news-ru-rt", "ru"), ("news-en-reuters", "en"))


def run_speed(engines: list[type[Engine]], queries: int, corpora=CORPORA) -> list[dict]:
    rows = []
    for corpus, _lang in corpora:
        for engine in (e for e in engines if e.speed):
            command = [sys.executable, "-m", "bench.speed_job", engine.name, corpus, str(queries)]
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                print(f"speed run {engine.name} on {corpus} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
                continue
            row = json.loads(done.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    return rows
