"""python -m bench [--only relevance|speed|scale] [--engines ours,...] [--collections ...] [--queries N] [--fractions]:
tables, bench/results.json, bench/RESULTS.md (and bench/scale.png)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

from .collections import cross_language_collections, relevance_collections
from .engines import ENGINES
from .relevance import run_engine
from .report import relevance_table, results_markdown, scale_table, speed_table
from .scale import FRACTIONS, plot, run_scale
from .speed import run_speed

RESULTS = Path(__file__).resolve().parent / "results.json"
MARKDOWN = Path(__file__).resolve().parent / "RESULTS.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", choices=("relevance", "speed", "scale"))
    parser.add_argument("--engines", help="comma-separated engine names (default: all)")
    parser.add_argument("--collections", help="comma-separated collection names (default: all)")
    parser.add_argument("--queries", type=int, default=1000, help="headline queries for the speed runs")
    parser.add_argument("--fractions", help="comma-separated corpus sizes for the scale runs (default: "
                        + ",".join(f"{f:g}" for f in FRACTIONS) + ")")
    args = parser.parse_args(argv)
    chosen = [e for e in ENGINES if not args.engines or e.name in args.engines.split(",")]
    available = []
    skipped = {}
    for engine in chosen:
        reason = engine.unavailable()
        if reason:
            skipped[engine.name] = reason
            print(f"skipped {engine.name}: {reason}", file=sys.stderr)
        else:
            available.append(engine)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    report: dict = {"date": time.strftime("%Y-%m-%d"), "machine": machine,
                    "command": "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:]),
                    "skipped": skipped}
    if args.only in (None, "relevance"):
        rows = []
        for collection in relevance_collections() + cross_language_collections():
            if args.collections and not any(n in collection.name for n in args.collections.split(",")):
                continue
            for engine in available:
                row = run_engine(engine, collection)
                rows.append(row)
                print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
        report["relevance"] = rows
        print(relevance_table(rows))
    if args.only in (None, "speed"):
        rows = run_speed(available, args.queries)
        report["speed"] = rows
        print(speed_table(rows))
    if args.only in (None, "scale") and any(e.name == "ours" for e in available):
        fractions = tuple(float(f) for f in args.fractions.split(",")) if args.fractions else FRACTIONS
        rows = run_scale(args.queries, fractions=fractions)
        report["scale"] = rows
        print(scale_table(rows))
    previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    for part, key in (("relevance", ("engine", "collection")), ("speed", ("engine", "corpus")),
                      ("scale", ("corpus", "fraction"))):
        if part in report:
            # A narrowed run replaces its own rows and keeps the others.
            rows = {tuple(r[k] for k in key): r for r in previous.get(part, [])}
            rows.update({tuple(r[k] for k in key): r for r in report[part]})
            previous[part] = list(rows.values())
            previous[f"{part}_run"] = {k: report[k] for k in ("date", "machine", "command", "skipped")}
    if "scale" in report:
        plot(previous["scale"])
    RESULTS.write_text(json.dumps(previous, ensure_ascii=False, indent=1), encoding="utf-8")
    MARKDOWN.write_text(results_markdown(previous), encoding="utf-8")
    print(f"\nwritten {RESULTS} and {MARKDOWN}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
