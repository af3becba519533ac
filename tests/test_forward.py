"""The forward index (each text's terms with their positions, by document) agrees with the analyzer and the
postings."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from search import Document, Index
from search.analysis.analyzer import term_positions
from search.store.forward import encode, lookup, term_hashes
from search.store.positions import opening_presence, text_positions


def _analyzed_positions(ctx, terms, docnums):
    """What the analyzer says of each document's stored text: its positions of any of the terms, sorted, each
    position once; and the postings hold the same documents for each term."""
    found = {}
    for docnum in docnums.tolist():
        analyzed = term_positions(ctx.searcher.stored_fields(docnum)["text"])
        positions = sorted({p for term in terms for p in analyzed.get(term, [])})
        if positions:
            found[docnum] = positions
        for term in terms:
            assert (term in analyzed) == (docnum in ctx.postings("text", term)[0].tolist())
    return found


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=600))
def test_every_term_of_any_text_is_found_at_its_positions(text):
    found = term_positions(text)
    value = encode(found)
    terms = sorted(found)
    located = lookup(value, term_hashes(terms))
    assert [list(p) for p in located] == [found[t] for t in terms]
    assert lookup(value, term_hashes(["несуществующее-слово", "zzzqqq"])) == [None, None]


def test_positions_past_two_bytes_are_kept():
    words = {"начало": [0], "конец": [70_000, 70_001]}
    assert [p.tolist() for p in lookup(encode(words), term_hashes(["конец", "начало"]))] == [[70_000, 70_001], [0]]


def test_an_empty_text_has_no_positions():
    assert lookup(encode({}), term_hashes(["слово"])) == [None]
    assert lookup(b"", term_hashes(["слово"])) == [None]


def test_the_index_column_agrees_with_the_analyzer(seed_index):
    ctx = seed_index._scoring()
    docnums = np.flatnonzero(ctx.live)
    words = [("лавров",), ("макей", "макеев"), ("nato", "нато"), ("заявить",), ("и",), ("the",)]
    for word, found in zip(words, text_positions(ctx, words, docnums), strict=True):
        expected = _analyzed_positions(ctx, word, docnums)
        assert {d: p.tolist() for d, p in found.items()} == expected, word
        assert expected or word == ("the",), word
    presence = opening_presence(ctx, words, docnums, 30)
    for w, word in enumerate(words):
        expected = _analyzed_positions(ctx, word, docnums)
        for row, docnum in enumerate(docnums.tolist()):
            assert np.flatnonzero(presence[row, w]).tolist() == [p for p in expected.get(docnum, []) if p < 30]


def test_updates_and_deletes_keep_the_column_with_its_documents(tmp_path):
    """Whoosh merges segments on an update and renumbers documents: each keeps its own terms."""
    path = tmp_path / "ix"
    texts = {f"d{i}": " ".join(["Лавров встретился с Макеем"] * (i % 3 + 1) + [f"слово{i}"] * i) for i in range(12)}
    Index.build(path, [Document(id=k, title=k, text=v, lang="ru") for k, v in texts.items()], procs=1)
    index = Index.open(path)
    for round_ in range(4):
        index.update([Document(id=f"new{round_}-{i}", title="x", text=f"Макей ответил {round_} Лаврову {i}",
                               lang="ru") for i in range(3)])
        index.delete([f"d{round_}"])
    ctx = index._scoring()
    docnums = np.flatnonzero(ctx.live)
    for word in (("лавров",), ("макей",), ("ответить",)):
        expected = _analyzed_positions(ctx, word, docnums)
        assert len(expected) >= 9
        assert {d: p.tolist() for d, p in text_positions(ctx, [word], docnums)[0].items()} == expected
    index.close()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=120), min_size=1, max_size=6), st.data())
def test_a_damaged_value_is_refused_not_read_as_billions_of_positions(values, data):
    """Bytes changed in place after they were written (a copy over a live index) are garbage counts and offsets:
    one request read them as billions of positions (24 GB) until the kernel killed the process. Any bytes now
    give positions no more than the bytes could hold, or ValueError (the index then checks its checksums)."""
    from search.store.forward import found_in

    good = encode({"лавров": [0, 7], "макей": [3, 70000]})
    if data.draw(st.booleans()):  # a real value with some of its bytes changed
        changed = bytearray(good)
        for at in data.draw(st.lists(st.integers(0, len(good) - 1), min_size=1, max_size=4)):
            changed[at] = data.draw(st.integers(0, 255))
        values = [*values, bytes(changed)]
    try:
        docs, labels, positions = found_in(values, term_hashes(["лавров", "макей", "путин"]))
    except ValueError:
        return
    assert len(positions) <= sum(len(v) for v in values) // 2


def test_a_value_claiming_more_terms_than_it_holds_is_refused():
    from search.store.forward import found_in

    value = bytearray(encode({"лавров": [0, 7]}))
    value[4:8] = (2**31).to_bytes(4, "little")
    try:
        found_in([bytes(value)], term_hashes(["лавров"]))
    except ValueError as error:
        assert "damaged" in str(error)
    else:
        raise AssertionError("a damaged value was read")
