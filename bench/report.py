"""Markdown tables of bench results, with each figure's ratio to the best peer."""

from __future__ import annotations

import json
import os
import platform
import re
import sys
import time
from pathlib import Path

METRICS = ["nDCG@10", "R@100", "MRR@10", "MAP"]
RESULTS = Path(__file__).resolve().parent / "results.json"
MARKDOWN = Path(__file__).resolve().parent / "RESULTS.md"
# Each part of the results and the fields that identify one of its rows: a narrowed run replaces its own rows.
ROW_KEYS = {"relevance": ("engine", "collection"), "speed": ("engine", "corpus"), "scale": ("corpus", "fraction"),
            "typos": ("engine", "collection", "variant"), "names": ("name", "lang"),
            "related": ("measure", "half", "direction")}


def run_facts(command: str, argv: list[str] | None, skipped: dict[str, str] | None = None) -> dict:
    """When, where and how a run was made, for the heading of its section."""
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    return {"date": time.strftime("%Y-%m-%d"), "machine": machine,
            "command": command + " " + " ".join(argv if argv is not None else sys.argv[1:]), "skipped": skipped or {}}


def save_results(report: dict) -> dict:
    """Merge a run's parts into bench/results.json (its rows replace the same rows, the others stay) and write
    bench/RESULTS.md from the whole; returns the merged results."""
    previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    for part, key in ROW_KEYS.items():
        if part in report:
            rows = {tuple(r[k] for k in key): r for r in previous.get(part, [])}
            rows.update({tuple(r[k] for k in key): r for r in report[part]})
            previous[part] = list(rows.values())
            previous[f"{part}_run"] = {k: report[k] for k in ("date", "machine", "command", "skipped")}
    RESULTS.write_text(json.dumps(previous, ensure_ascii=False, indent=1), encoding="utf-8")
    written = MARKDOWN.read_text(encoding="utf-8") if MARKDOWN.exists() else ""
    MARKDOWN.write_text(with_sections_kept(results_markdown(previous), written), encoding="utf-8")
    return previous


def with_sections_kept(generated: str, written: str) -> str:
    r"""The generated markdown, followed by the sections of the file as written that it lacks: those a script
    without a JSON part of its own recorded (the worst queries, the load runs), which a bench run would
    otherwise erase.

    >>> with_sections_kept("# R\n\n## A\nnew a\n", "# R\n\n## A\nold a\n\n## Load\nkept\n")
    '# R\n\n## A\nnew a\n\n## Load\nkept\n'
    """
    have = set(re.findall(r"(?m)^## (.+)$", generated))
    parts = re.split(r"(?m)^(?=## )", written)
    kept = [part.rstrip("\n") for part in parts[1:] if part.split("\n", 1)[0][3:] not in have]
    return generated.rstrip("\n") + "".join("\n\n" + part for part in kept) + "\n"


def names_table(rows: list[dict]) -> str:
    """Each surname's top 10 on the RT + Reuters index: hits in its language, in the other, and of those how many
    do not mention the name; totals first."""
    stray = sum(r["stray"] for r in rows)
    kinds = {"word": "that are also ordinary words", "consonants": "that share their consonants with other names"}
    counts = " and ".join(f"{n} {text}" for kind, text in kinds.items()
                          if (n := sum(1 for r in rows if r.get("kind", "word") == kind)))
    lines = [f"{len(rows)} surnames ({counts}), each searched alone on one index of RT and "
             f"Reuters: **{stray}** hits in the top 10 from the other language that do not mention the name "
             f"({sum(1 for r in rows if r['stray'])} names with any); hits in the name's own language: "
             f"{sum(r['own'] for r in rows)}, in the other language: {sum(r['other'] for r in rows)}.", "",
             "| name | lang | own language | other language | not mentioning the name |", "|---|---|---|---|---|"]
    lines += [f"| {r['name']} | {r['lang']} | {r['own']} | {r['other']} | {r['stray']} |" for r in rows]
    return "\n".join(lines)


def related_table(rows: list[dict]) -> str:
    """The same story in the other language: how often a paragraph's translation is listed first, and how fast
    the list comes."""
    lines = ["| measure | half | direction | documents | value |", "|---|---|---|---|---|"]
    for r in rows:
        value = f"{r['value']:.1%}" if "value" in r else (
            f"p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms (index of {r['index_documents']:,} documents); "
            f"led by the other language: {r.get('led_by_other', 0):.1%}")
        lines.append(f"| {r['measure']} | {r['half']} | {r['direction']} | {r['documents']} | {value} |")
    return "\n".join(lines)


def typos_table(rows: list[dict]) -> str:
    """nDCG@10 of each engine on each typed-query variant, and for ours what it said it searched and how fast."""
    engines = list(dict.fromkeys(r["engine"] for r in sorted(rows, key=lambda r: r["engine"] != "ours")))
    cells = {(r["collection"], r["variant"], r["engine"]): r for r in rows}
    lines = ["| collection | variant | " + " | ".join(engines) + " | ours said | = clean | ours p50 / p95 ms |",
             "|---|---|" + "---|" * len(engines) + "---|---|---|"]
    for collection, variant in dict.fromkeys((r["collection"], r["variant"]) for r in rows):
        scores = " | ".join(f"{cells[collection, variant, e]['nDCG@10']:.3f}" if (collection, variant, e) in cells
                            else "—" for e in engines)
        ours = cells.get((collection, variant, "ours"))
        extra = (f"{ours['said']:.1%} | {ours['said_clean']:.1%} | {ours['p50']:.1f} / {ours['p95']:.1f}"
                 if ours else "— | — | —")
        lines.append(f"| {collection} | {variant} | {scores} | {extra} |")
    return "\n".join(lines)


def relevance_table(rows: list[dict]) -> str:
    """Every measure on all the queries, and nDCG@10 on each half (ranking constants are tuned on the tune half
    only: the held-out column is the one to quote); ours against the best peer on the held-out half."""
    lines = ["| collection | engine | nDCG@10 | tune | held-out | R@100 | MRR@10 | MAP | ours − best peer "
             "(held-out nDCG@10) |", "|---|---|---|---|---|---|---|---|---|"]
    for collection in dict.fromkeys(r["collection"] for r in rows):
        group = [r for r in rows if r["collection"] == collection]
        peers = [r for r in group if not r["engine"].startswith("ours")]
        best = max(peers, key=lambda r: r.get("nDCG@10 held-out", 0), default=None)
        for r in sorted(group, key=lambda r: -r["nDCG@10"]):
            delta = ""
            if r["engine"].startswith("ours") and best:
                delta = f"{r['nDCG@10 held-out'] - best['nDCG@10 held-out']:+.3f} vs {best['engine']}"
            extra = f" (as distributed: {r['MAP (as distributed)']:.4f})" if "MAP (as distributed)" in r else ""
            lines.append(f"| {collection} | {r['engine']} | {r['nDCG@10']:.4f} | {r['nDCG@10 tune']:.4f} | "
                         f"{r['nDCG@10 held-out']:.4f} | {r['R@100']:.4f} | {r['MRR@10']:.4f} | "
                         f"{r['MAP']:.4f}{extra} | {delta} |")
    return "\n".join(lines)


def speed_table(rows: list[dict]) -> str:
    lines = ["| corpus | engine | docs | MB | build s | docs/s | MB/s | index MB | build peak RSS MB | "
             "p50 ms | p95 ms | short p95 ms | snippets | serving RSS MB |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['corpus']} | {r['engine']} | {r['docs']:,} | {r['mb']:.1f} | {r['build_s']:.1f} | "
            f"{r['docs_per_s']:,.0f} | {r['mb_per_s']:.2f} | "
            f"{'in memory' if r['index_mb'] <= 0 else format(r['index_mb'], '.1f')} | {r['build_rss_mb']:.0f} | "
            f"{r['p50_ms']:.2f} | {r['p95_ms']:.2f} | {r['short_p95_ms']:.2f} | {'yes' if r['snippets'] else 'no'} | "
            f"{r['serve_rss_mb']:.0f} |")
    return "\n".join(lines)


def cross_language_table(rows: list[dict]) -> str:
    """What cross-language search costs: our query latency with it on and off, measured in the same process."""
    lines = ["| corpus | p50 ms on / off | p95 ms on / off | short p50 ms on / off | short p95 ms on / off | "
             "p95 ratio |", "|---|---|---|---|---|---|"]
    for r in rows:
        if "mono_p95_ms" not in r:
            continue
        lines.append(
            f"| {r['corpus']} | {r['p50_ms']:.2f} / {r['mono_p50_ms']:.2f} | {r['p95_ms']:.2f} / {r['mono_p95_ms']:.2f}"
            f" | {r['short_p50_ms']:.2f} / {r['mono_short_p50_ms']:.2f} | {r['short_p95_ms']:.2f} / "
            f"{r['mono_short_p95_ms']:.2f} | {r['p95_ms'] / r['mono_p95_ms']:.2f}x |")
    return "\n".join(lines)


def scale_table(rows: list[dict]) -> str:
    lines = ["| corpus | size | docs | MB | build s | MB/s | index MB | p50 ms | p95 ms | short p95 ms | "
             "serving RSS MB |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in sorted(rows, key=lambda r: (r["corpus"], r["fraction"])):
        size = f"{r['fraction']:.0%}" if r["fraction"] <= 1 else f"{r['fraction']:g}x"
        lines.append(f"| {r['corpus']} | {size} | {r['docs']:,} | {r['mb']:.1f} | {r['build_s']:.1f} | "
                     f"{r['mb_per_s']:.2f} | {r['index_mb']:.1f} | {r['p50_ms']:.2f} | {r['p95_ms']:.2f} | "
                     f"{r['short_p95_ms']:.2f} | {r['serve_rss_mb']:.0f} |")
    return "\n".join(lines)


def results_markdown(results: dict) -> str:
    """bench/RESULTS.md: the latest tables, each with when, where and how it was made."""
    parts = ["# Benchmark results", "",
             "Written by `python -m bench` (`make bench`) and `python -m bench.typos --write`; the JSON behind it is",
             "`bench/results.json`. A narrowed run (`--engines`, `--collections`, `--only`) replaces its own rows",
             "and keeps the rest; each section names the last command that wrote to it.", ""]
    for part, title, table in (("relevance", "Relevance", relevance_table),
                               ("typos", "Queries as typed (held-out half)", typos_table),
                               ("names", "Names that are also ordinary words", names_table),
                               ("related", "The same story in the other language", related_table),
                               ("speed", "Speed", speed_table), ("scale", "Scale (ours)", scale_table)):
        if part not in results:
            continue
        run = results.get(f"{part}_run", {})
        parts += [f"## {title}", "",
                  f"{run.get('date', '?')} · {run.get('machine', '?')} · `{run.get('command', '?')}`", ""]
        if run.get("skipped"):
            parts += ["Skipped: " + "; ".join(f"{k} ({v})" for k, v in run["skipped"].items()), ""]
        parts += [table(results[part]), ""]
        if part in ("speed", "scale"):
            parts += ["Serving RSS: the peak resident memory of the process answering the queries (VmHWM). Ours "
                      "serves from a fresh process that opens the index from disk; the peers serve from the process "
                      "that built their index, their peak started afresh once the corpus is let go.", ""]
        if part == "speed" and any("mono_p95_ms" in r for r in results[part]):
            parts += ["Our engine with cross-language search on (the rows above) and off, alternating query by query "
                      "in one serving process:", "", cross_language_table(results[part]), ""]
        if part == "typos":
            parts += ["nDCG@10 of the queries of ../shared/data/typos/ clean, with typos, typed with the other "
                      "keyboard layout and in Latin letters, on the half of each set not used to tune "
                      "search.query.correction (`--half tune`). 'ours said': how often our result said it searched "
                      "another query (showing results for, or did you mean); '= clean': how often that query was "
                      "the clean one (case and ё aside), or, for a typed query that is the clean one (the typo "
                      "sets leave words under five letters alone), how often nothing was said. The peers have no "
                      "typo tolerance.", ""]
        if part == "scale":
            parts += ["Sizes below 100% are a prefix of the corpus, above it the corpus repeated with new ids; the "
                      "queries are the same 1,000 headlines (top 10 with snippets, cross-language on). "
                      "![scale plot](scale.png)", ""]
    return "\n".join(parts)
