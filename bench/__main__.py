"""python -m bench [--only relevance|speed|scale] [--engines ours,...] [--collections ...] [--other-sample]
[--queries N] [--fractions]:
tables, bench/results.json, bench/RESULTS.md (and bench/scale.png)."""

from __future__ import annotations

import argparse
import json
import sys

from .collections import cross_language_collections, other_sample_collections, relevance_collections
from .engines import ENGINES
from .relevance import run_engine
from .report import MARKDOWN, RESULTS, relevance_table, run_facts, save_results, scale_table, speed_table
from .scale import FRACTIONS, plot, run_scale
from .speed import run_speed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", choices=("relevance", "speed", "scale"))
    parser.add_argument("--engines", help="comma-separated engine names (default: all)")
    parser.add_argument("--collections", help="comma-separated collection names (default: all)")
    parser.add_argument("--other-sample", action="store_true",
                        help="relevance on the headline tasks' second sample of titles only (never tuned on)")
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
    report = run_facts("python -m bench", argv, skipped)
    if args.only in (None, "relevance"):
        rows = []
        collections = (other_sample_collections() if args.other_sample
                       else relevance_collections() + cross_language_collections())
        for collection in collections:
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
    previous = save_results(report)
    if "scale" in report:
        plot(previous["scale"])
    print(f"\nwritten {RESULTS} and {MARKDOWN}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
