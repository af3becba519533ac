"""A generation's snapshot: its statistics round and its scoring round, which make shards score as one index."""

import numpy as np

from search import Index, analyze, make_document
from search.store.opening import open_snapshot
from search.store.snapshot import Statistics

WORDS = ["переговоры", "нефть", "цены", "санкции", "Лавров", "oil", "prices", "talks", "sanctions", "OPEC"]


def _documents():
    """Documents of different lengths over a few shared words, so that frequencies and lengths differ."""
    rng = np.random.default_rng(24)
    return [make_document(f"d{i:03d}", " ".join(rng.choice(WORDS, 3)), " ".join(rng.choice(WORDS, 5 + 7 * (i % 9))))
            for i in range(90)]


def _by_id(snapshot, field, term):
    docnums, scores = snapshot.term_scores(field, term)
    return {snapshot.searcher.stored_fields(int(n))["id"]: float(s) for n, s in zip(docnums, scores, strict=True)}


def test_shards_scored_with_their_summed_statistics_score_as_one_index(tmp_path):
    docs = _documents()
    for name, part in (("whole", docs), ("a", docs[::3]), ("b", [d for i, d in enumerate(docs) if i % 3])):
        Index.build(tmp_path / name, part).close()
    whole, a, b = (open_snapshot(tmp_path / name) for name in ("whole", "a", "b"))
    terms = [(field, term) for field in ("title", "text") for term in analyze(" ".join(WORDS))]
    summed = a.statistics(terms) + b.statistics(terms)  # the statistics round, on one snapshot at a time
    assert summed == whole.statistics(terms)
    assert summed.documents == 90 and all(summed.frequencies[key] > 0 for key in terms)
    own_differs = False
    for field, term in terms:
        expected = _by_id(whole, field, term)
        scored = {**_by_id(a.scored_with(summed), field, term), **_by_id(b.scored_with(summed), field, term)}
        assert scored == expected, (field, term)  # exactly: lengths are whole numbers, their sums exact
        own = {**_by_id(a, field, term), **_by_id(b, field, term)}  # each shard with its own statistics
        own_differs |= any(not np.isclose(own[k], expected[k], rtol=1e-6) for k in expected)
    assert own_differs  # the global statistics are what make them equal
    for snapshot in (whole, a, b):
        snapshot.searcher.close()


def test_statistics_of_disjoint_parts_add_up():
    a = Statistics(3, {"text": 30.0, "title": 6.0}, {("text", "нефть"): 2})
    b = Statistics(2, {"text": 10.0}, {("text", "нефть"): 1, ("text", "oil"): 2})
    total = a + b
    assert total == Statistics(5, {"text": 40.0, "title": 6.0}, {("text", "нефть"): 3, ("text", "oil"): 2})


def test_a_view_scored_with_statistics_leaves_the_snapshot_as_it_was(tmp_path):
    Index.build(tmp_path, _documents()).close()
    snapshot = open_snapshot(tmp_path)
    before = (snapshot.documents, dict(snapshot.average_length), _by_id(snapshot, "text", "нефть"))
    view = snapshot.scored_with(Statistics(1000, {"text": 50_000.0, "title": 3000.0}, {("text", "нефть"): 10}))
    assert view.documents == 1000 and _by_id(view, "text", "нефть") != before[2]
    assert (snapshot.documents, dict(snapshot.average_length), _by_id(snapshot, "text", "нефть")) == before
    snapshot.searcher.close()


def test_a_view_shares_what_its_snapshot_read_once(tmp_path):
    """The topics' postings are read once per snapshot, not once per query's view (a view's own copy made each
    sharded query read every topic again: 650 ms a query on RT + Reuters)."""
    Index.build(tmp_path, _documents()).close()
    snapshot = open_snapshot(tmp_path)
    first = snapshot.recording().topic_postings()
    assert snapshot.scored_with(snapshot.statistics()).topic_postings() is first
    assert snapshot.topic_postings() is first
    snapshot.searcher.close()
