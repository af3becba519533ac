"""Shards of one collection ranked as one index of all their documents: the statistics round, the scoring round
and the merge (`search.rank.shards`), against the single index, document for document and score for score."""

import numpy as np
import pytest

from search.analysis.morphology import analyze_word
from search.query.filters import Filters
from search.query.parsing import parse_query
from search.rank.ranking import rank
from search.rank.shards import rank_across
from search.searching import expand_parsed
from search.store.opening import open_snapshot

QUERIES = ["НАТО", "Lavrov Makei", "Россия Белоруссия НАТО отношения", "security guarantees", "переговоры",
           "Столтенберг", "\"гарантий безопасности\"", "NATO -Stoltenberg", "Лавров Макей договорились",
           "Putin", "безопасность OR security", "title:НАТО", "relations with NATO improvement"]


def _same_as_one_index(whole, shards, query, text: str):
    """Assert that the shards rank `query` as the whole index does (ids, order, scores to 1e-9, total); return
    the ids and the merged ranking."""
    expected = rank(whole, query, Filters(), 20, collapse=False)
    merged = rank_across(shards, query, Filters(), 20)
    ids = [shards[s].searcher.stored_fields(int(n))["id"] for s, n in zip(merged.shards, merged.docnums, strict=True)]
    assert ids == [whole.searcher.stored_fields(int(n))["id"] for n in expected.docnums], text
    assert np.allclose(merged.scores, expected.scores, rtol=1e-9, atol=0), text
    assert merged.total == expected.total, text
    assert merged.facets == expected.facets, text  # the same values, counts and order
    return ids, merged


@pytest.mark.parametrize("count", [2, 3])
def test_shards_rank_as_one_index(sharded_sentences, count):
    root, documents = sharded_sentences
    whole = open_snapshot(root / "whole")
    shards = [open_snapshot(root / f"{count}-{shard}") for shard in range(count)]
    assert documents > 60 and sum(s.documents for s in shards) == whole.documents == documents
    try:
        differs, found = False, 0
        for text in QUERIES:
            query = expand_parsed(whole, parse_query(text), cross_language=True)
            ids, merged = _same_as_one_index(whole, shards, query, text)
            found += len(ids) >= 5
            # Each shard on its own statistics would not: the rounds are what make them equal.
            alone = [rank(s, query, Filters(), 20, collapse=False) for s in shards]
            own = {shards[i].searcher.stored_fields(int(n))["id"]: float(score)
                   for i, r in enumerate(alone) for n, score in zip(r.docnums, r.scores, strict=True)}
            differs |= any(not np.isclose(own.get(i, 0.0), float(s)) for i, s in zip(ids, merged.scores,
                                                                                      strict=True))
        assert differs and found >= len(QUERIES) - 2
    finally:
        for snapshot in (whole, *shards):
            snapshot.searcher.close()


def test_a_filter_and_a_language_apply_on_every_shard(sharded_sentences):
    root, _ = sharded_sentences
    whole = open_snapshot(root / "whole")
    shards = [open_snapshot(root / f"2-{shard}") for shard in range(2)]
    try:
        for text, filters in (("НАТО", Filters.of(lang="en")), ("security", Filters.of(lang="ru"))):
            query = expand_parsed(whole, parse_query(text), cross_language=True)
            expected = rank(whole, query, filters, 10, collapse=False)
            merged = rank_across(shards, query, filters, 10)
            assert merged.total == expected.total > 0
            assert merged.facets == expected.facets and merged.facets["lang"]
            assert np.allclose(merged.scores, expected.scores, rtol=1e-9, atol=0)
    finally:
        for snapshot in (whole, *shards):
            snapshot.searcher.close()


@pytest.mark.parametrize("count", [2, 3])
def test_a_word_being_typed_ranks_across_shards_as_in_one_index(sharded_sentences, count):
    """A last word being typed reads the best score of its completions and the least of its own word, which
    depend on the collection's counts: a second statistics round gives them (`needs_extremes`)."""
    from search.rank.shards import needs_extremes, statistics_round
    from search.searching import read_query

    root, _ = sharded_sentences
    whole = open_snapshot(root / "whole")
    shards = [open_snapshot(root / f"{count}-{shard}") for shard in range(count)]
    try:
        extremes = 0
        for text in ("безопасн", "Лавров Мак", "НАТО отнош", "гаранти", "Stoltenb", "security guar", "переговор"):
            _typed, query = read_query(whole, text)
            _same_as_one_index(whole, shards, query, text)
            extremes += needs_extremes(statistics_round(shards[0], query, Filters(), 20))
        assert extremes >= 3  # the second round was needed, and gave the single index's ranking
    finally:
        for snapshot in (whole, *shards):
            snapshot.searcher.close()


TYPED = ["перегаворы", "Столтенберк", "ytnj", "Lavrov Mak", "bezopasnost", "безопасн", "НАТО отнош", "Stoltenb",
         "secruity guarantees", "Лавров Макей договорлись", "ujdjhbn", "переговор", "Putin", "garantii"]


@pytest.mark.parametrize("count", [2, 3])
def test_the_coordinator_reads_a_query_as_one_index_does(sharded_sentences, count):
    """Typos, the other keyboard layout, Latin letters and the word being typed, read against every shard's words
    together (`LocalShards.read`): the same corrections and suggestion as the whole index, and the same ranking."""
    from search import LocalShards
    from search.searching import read_query

    root, _ = sharded_sentences
    whole = open_snapshot(root / "whole")
    shards = LocalShards([root / f"{count}-{shard}" for shard in range(count)])
    try:
        corrected = 0
        for text in TYPED:
            typed, query = read_query(whole, text)
            coordinator_typed, coordinator_query = shards.read(text)
            assert (coordinator_typed.searched, coordinator_typed.corrections, coordinator_typed.suggestion) == (
                typed.searched, typed.corrections, typed.suggestion), text
            corrected += bool(typed.corrections or typed.suggestion)
            _same_as_one_index(whole, shards.snapshots, coordinator_query, text)
        assert corrected >= 5
        # A word whose terms only the last shard holds, typed with two letters swapped: the first shard's words
        # alone cannot correct it; the shards' words together correct it as the whole index does.
        first, last = (shards.snapshots[i].vocabulary().frequencies for i in (0, -1))
        only_last = sorted(f for f in last if f not in first and len(f) >= 9 and f.isalpha() and not any(
            len(shards.snapshots[0].postings(field, term)[0]) for field in ("title", "text")
            for term in analyze_word(f)[0]))
        tried = 0
        for form in only_last:
            typo = form[:4] + form[5] + form[4] + form[6:]
            if typo in first or typo in last or read_query(whole, typo)[0].searched != form:
                continue
            tried += 1
            assert read_query(shards.snapshots[0], typo)[0].searched != form
            assert shards.read(typo)[0].searched == form
        assert tried >= 3
    finally:
        shards.close()
        whole.searcher.close()


def test_the_statistics_round_notes_every_count_the_ranking_reads(sharded_sentences):
    """Scored without facets or closeness, a shard's statistics round notes every count a whole ranking on it
    reads (the closeness's idf included), with the same values."""
    from search.rank.ranking import candidates, window
    from search.rank.shards import statistics_round
    from search.searching import read_query

    root, _ = sharded_sentences
    shard = open_snapshot(root / "2-0")
    try:
        for text in QUERIES + TYPED + ["Россия и НАТО обсудили восстановление работы миссий в Москве"]:
            query = read_query(shard, text)[1]
            ranked = shard.recording()
            window(ranked, candidates(ranked, query, Filters(), True, collapse=False), 20)
            everything = ranked.recorded()
            noted = statistics_round(shard, query, Filters(), 20)
            assert (noted.documents, noted.length_totals) == (everything.documents, everything.length_totals)
            assert everything.frequencies.items() <= noted.frequencies.items(), text
    finally:
        shard.searcher.close()
