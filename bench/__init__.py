"""Benchmarks: our engine against the engines users would pick instead, on the collections in ../shared/data/.

    make bench            (python -m bench)       relevance and speed tables, JSON in bench/results.json
"""
