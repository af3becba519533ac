"""Scale: our build time, index size and query latency from a quarter of each news corpus to four times it (the
corpus repeated with new ids), each size built and served in its own processes; a table and bench/scale.png."""

from __future__ import annotations

import sys
from pathlib import Path

from .speed import CORPORA, run_job

FRACTIONS = (0.25, 0.5, 1.0, 2.0, 4.0)
PLOT = Path(__file__).resolve().parent / "scale.png"


def scaled(docs: list[dict], fraction: float) -> list[dict]:
    """The first `fraction` of the documents, or (above 1) the whole corpus repeated, each copy with new ids.

    >>> [d["id"] for d in scaled([{"id": "a"}, {"id": "b"}], 2.0)]
    ['a', 'b', 'a~1', 'b~1']
    >>> [d["id"] for d in scaled([{"id": "a"}, {"id": "b"}], 0.5)]
    ['a']
    """
    if fraction <= 1:
        return docs[: max(1, round(len(docs) * fraction))]
    copies = round(fraction)
    return [dict(d, id=f"{d['id']}~{k}" if k else d["id"]) for k in range(copies) for d in docs]


def run_scale(queries: int, corpora=CORPORA, fractions=FRACTIONS) -> list[dict]:
    jobs = [("bench.scale_job", corpus, str(fraction), str(queries))
            for corpus, _lang in corpora for fraction in fractions]
    return [row for job in jobs if (row := run_job(*job)) is not None]


def plot(rows: list[dict], path: Path = PLOT) -> Path | None:
    """Build seconds, index MB and p95 ms against the number of documents, one line per corpus."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install -e '.[bench]'): no plot", file=sys.stderr)
        return None
    panels = (("build_s", "build time, s"), ("index_mb", "index size, MB"), ("p95_ms", "query p95 with snippets, ms"))
    figure, axes = plt.subplots(1, len(panels), figsize=(13, 4), constrained_layout=True)
    for corpus in dict.fromkeys(r["corpus"] for r in rows):
        group = sorted((r for r in rows if r["corpus"] == corpus), key=lambda r: r["docs"])
        for axis, (key, label) in zip(axes, panels, strict=True):
            axis.plot([r["docs"] for r in group], [r[key] for r in group], marker="o", label=corpus)
            axis.set_xlabel("documents")
            axis.set_title(label)
            axis.grid(alpha=0.3)
    axes[0].legend()
    figure.suptitle("bilingual-search from 25% to 4x of the news corpora")
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
