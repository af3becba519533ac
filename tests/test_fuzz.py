"""Property-based tests over all of Unicode (every plane, unassigned and private-use code points, lone
surrogates, combining marks, right-to-left text, controls): analysis, query parsing, loading, searching and
indexing never fail with anything but the library's own errors."""

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from search import Document, Index, QueryError, analyze, load_documents
from search.analysis.analyzer import analyze_words
from search.query.parsing import parse_query

ANY_CHARACTER = st.characters(exclude_categories=())  # surrogates (Cs) included
# Characters that stress the analysis: Tangut (no Unicode names), Cyrillic, combining marks, RTL, controls.
HOSTILE = st.sampled_from(["𗂴", "Ӽ", "я", "Ё", "\u0301", "\u200f", "\u202e", "ا", "\x00", "\x1b", "-", "'", "*",
                           '"', ":", "\ud800", "\U000e0001", "\U0010ffff", " ", "ß", "ǅ", "İ"])
CHARACTER = st.one_of(ANY_CHARACTER, HOSTILE)
# Free text, and short words of those characters between spaces (a word's first letter matters to pymorphy3).
TEXT = st.one_of(st.text(CHARACTER, max_size=60),
                 st.lists(st.text(HOSTILE, min_size=1, max_size=3), max_size=8).map(" ".join))
# What a person types: letters of both layouts, the punctuation keys of х ъ ж э б ю ё, operators, quotes.
KEYS = list("qwertyuiop[]asdfghjkl;'zxcvbnm,.`йцукенгшщзхъфывапролджэячсмитьбюёQЙ -*\":")
TYPED = st.lists(st.text(st.sampled_from(KEYS), min_size=1, max_size=12), max_size=6).map(" ".join)
FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(TEXT)
def test_analysis_takes_any_text(text):
    terms = analyze(text)
    words = analyze_words(text)
    assert all(isinstance(t, str) and t for t in terms)
    for word in words:
        assert text[word.start:word.end] == word.text


@FUZZ
@given(TEXT)
def test_parsing_any_query_gives_a_query_or_a_query_error(text):
    try:
        parse_query(text)
    except QueryError as error:
        assert str(error)


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    index = Index.build(tmp_path_factory.mktemp("fuzz"), [
        Document(id="a", title="Переговоры о гарантиях", text="Лавров и Макей обсудили НАТО.", lang="ru"),
        Document(id="b", title="Talks on guarantees", text="Lavrov met Makei; NATO was discussed.", lang="en"),
    ])
    yield index
    index.close()


@FUZZ
@given(TEXT)
@example("\U00017000Ѐ")  # a Tangut letter in a Cyrillic word: pymorphy3 raises on it (found by this test)
@example("Ѐ\U00017000 С-400 ОПЕК+ Hunter")
def test_searching_any_query_answers_or_says_why(small_index, text):
    try:
        result = small_index.search(text, per_page=50)
    except QueryError as error:
        assert str(error)
        return
    json.dumps(result.to_dict(), ensure_ascii=False)  # every hit can be sent as JSON
    for hit in result.hits:
        assert "<script" not in hit.snippet


@FUZZ
@given(st.one_of(TEXT, TYPED))
def test_typed_queries_and_suggestions_answer_whatever_is_typed(small_index, text):
    suggestions = small_index.suggest(text)  # never raises
    json.dumps(suggestions.to_dict(), ensure_ascii=False)
    try:
        result = small_index.search(text)
    except QueryError as error:
        assert str(error)
        return
    # What was searched differs from what was typed only by the corrections the result reports.
    assert result.searched == text or result.corrections
    assert all(c.via in ("typo", "layout", "translit") and c.source and c.target for c in result.corrections)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=4))
def test_loading_and_indexing_any_text_keeps_every_readable_document(tmp_path_factory, records):
    folder = tmp_path_factory.mktemp("docs")
    lines = [json.dumps({"id": f"r{i}", "title": title, "text": text}) for i, (title, text) in enumerate(records)]
    (folder / "c.jsonl").write_text("\n".join(lines), encoding="utf-8")
    for i, (title, text) in enumerate(records):
        (folder / f"f{i}.txt").write_bytes((title + "\n\n" + text).encode("utf-8", "surrogatepass"))
    skipped = []
    docs = list(load_documents(folder, on_skip=lambda p, r: skipped.append((p, r)), on_warning=lambda p, r: None))
    assert all(reason for _, reason in skipped)
    index = Index.build(folder / "ix", docs, procs=1)
    assert len(index) == len({d.id for d in docs})
    for doc in docs[:2]:
        assert index.document(doc.id) is not None
    index.close()
