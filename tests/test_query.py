import random

import pytest

from search import QueryError
from search.query.parsing import MAX_QUERY_CHARS, parse_query


def test_words_phrases_exclusions_and_filters():
    parsed = parse_query('"гарантии безопасности" Лавров -Путин lang:ru')
    assert len(parsed.clauses) == 2 and len(parsed.excluded) == 1 and parsed.lang == "ru"
    assert {"гарантия", "безопасность", "лавров"} <= parsed.highlight_terms


def test_stop_words_leave_the_bag_of_words_but_stay_in_phrases():
    assert len(parse_query("переговоры о гарантиях").clauses) == 2
    assert "о" in parse_query('"переговоры о гарантиях"').highlight_terms
    # A query of stop words only still searches for them.
    assert len(parse_query("to be or not").clauses) == 4


def test_or_joins_neighbours_into_one_clause():
    assert len(parse_query("NATO OR НАТО Лавров").clauses) == 2


def test_field_prefixes():
    assert parse_query("title:Лавров").clauses[0].fields == ("title",)
    assert parse_query("Лавров").clauses[0].fields == ("title", "text")
    assert parse_query('title:"гарантии безопасности"').clauses[0].fields == ("title",)
    # An unknown prefix is just text, so URLs and times do not break the query.
    assert len(parse_query("http://example.org 11:30").clauses) >= 3


def test_prefix_queries_need_two_letters():
    assert parse_query("перегов*").highlight_prefixes == {"перегов"}
    for bad in ("*", "а*", "**"):
        with pytest.raises(QueryError, match="wildcard"):
            parse_query(bad)


@pytest.mark.parametrize("text, message", [
    ("", "Nothing to search"),
    ("   ", "Nothing to search"),
    ("OR", "Nothing to search"),
    ('""', "Nothing to search"),
    ("-Путин", "not only words to exclude"),
    ("lang:de NATO", "lang: takes one of"),
    ("x" * (MAX_QUERY_CHARS + 1), "too long"),
])
def test_unsearchable_queries_say_why(text, message):
    with pytest.raises(QueryError, match=message):
        parse_query(text)


@pytest.mark.parametrize("text, clauses, excluded", [
    ('"гарантии безопасности', [("Phrase", "гарантии безопасности")], []),  # an unclosed quote closes at the end
    ("Лавров -", [("Word", "Лавров")], []),  # a lone minus excludes nothing
    ("NATO OR", [("Word", "NATO")], []),  # an OR with one side is the word
    ("AND NATO", [("Word", "NATO")], []),
    ("NOT Путин Лавров", [("Word", "Лавров")], ["Путин"]),
    ("((NATO))", [("Word", "NATO")], []),  # parentheses are not grammar
    ("title:", [("Word", "title")], []),  # a field with no word is the word
    ("-title:x NATO", [("Word", "NATO")], ["x"]),
    ("NATO:", [("Word", "NATO")], []),
    ("a OR OR b", [("Either", "a OR b")], []),
])
def test_malformed_queries_are_read_sensibly(text, clauses, excluded):
    parsed = parse_query(text)
    assert [(type(c).__name__, c.source) for c in parsed.clauses] == clauses
    assert [c.source for c in parsed.excluded] == excluded


def test_random_garbage_never_raises_anything_but_query_error():
    alphabet = 'аб вгNATO"*-:()OR AND NOT lang:ru title:ё\'’«»\\/%$#@!?.,;\t\n\x00'
    rng = random.Random(20261128)
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        try:
            parse_query(text)
        except QueryError:
            pass


def test_an_unknown_field_says_so_and_links_stay_words():
    with pytest.raises(QueryError, match="no field 'foo'.*title:"):
        parse_query("foo:bar")
    with pytest.raises(QueryError, match="no field 'date'"):
        parse_query("переговоры date:2024-03-01")
    assert parse_query("http://rt.com").clauses
    assert [c.source for c in parse_query('"date:2024"').clauses] == ["date 2024"]
