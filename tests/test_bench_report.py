"""bench/report.py: a bench run rewrites its own tables in bench/RESULTS.md and keeps every other section."""

from bench.report import with_sections_kept


def test_a_bench_run_keeps_the_sections_it_does_not_write():
    written = "# Results\n\n## Relevance\nold table\n\n## Worst queries\nkept figures\n\n## Load\nkept too\n"
    generated = "# Results\n\n## Relevance\nnew table\n"
    assert with_sections_kept(generated, written) == (
        "# Results\n\n## Relevance\nnew table\n\n## Worst queries\nkept figures\n\n## Load\nkept too\n")
    assert with_sections_kept(generated, "") == generated
