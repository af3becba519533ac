from hypothesis import given, settings
from hypothesis import strategies as st

from search import analyze
from search.analysis.analyzer import analyze_words
from search.analysis.morphology import script_of
from search.store.analyzers import BilingualTokenizer, bilingual_analyzer


def test_cyrillic_is_lemmatized_and_latin_is_stemmed_in_one_text():
    assert analyze("Лавров встретился с Макеем; Reuters reports improvements") == [
        "лавров", "лавр", "встретиться", "с", "макей", "reuter", "report", "improv"]


def test_inflected_forms_meet_at_one_term():
    assert set(analyze("переговоров")) == set(analyze("переговоры"))
    assert "лавров" in analyze("Лаврову")
    assert analyze("improve") == analyze("improvement")


def test_every_lemma_of_an_ambiguous_word_stands_at_one_position():
    words = analyze_words("стали")
    assert len(words) == 1 and set(words[0].terms) == {"стать", "сталь"}


def test_hyphenated_words_are_found_by_the_whole_and_by_their_parts():
    terms = analyze("Северо-Атлантического по-русски")
    assert {"северо-атлантический", "северо", "атлантический", "по-русски", "русски"} <= set(terms)
    parts = [w for w in analyze_words("Северо-Атлантического") if w.part]
    assert [(p.text, p.pos) for p in parts] == [("Северо", 0), ("Атлантического", 0)]


def test_codes_are_one_term_and_their_letters_and_numbers_are_not_found_alone():
    assert analyze("С-400 Ту-154 МС-21 F-16 B-52 COVID-19 G20 5G ОПЕК+ S&P 500") == [
        "с-400", "ту-154", "мс-21", "мс", "21", "f-16", "b-52", "covid-19", "covid", "19", "g20", "5g", "опек+",
        "s&p", "500"]
    assert analyze("24-yard 1990-91") == ["24-yard", "24", "yard", "1990-91", "1990", "91"]  # not codes
    assert analyze("C++ 2+2") == ["c", "2", "2"]  # a + that is not a sign after a name stays out


def test_offsets_survive_analysis_so_highlighting_lines_up():
    text = "Переговоры о гарантиях"
    for word in analyze_words(text):
        assert text[word.start:word.end] == word.text


def test_lowercase_yo_numbers_and_apostrophes():
    assert analyze("ЁЖИК ещё 2021 NATO’s don't") == ["ежик", "еще", "2021", "nato", "don't"]


def test_stop_words_are_kept_in_the_index_but_flagged():
    words = analyze_words("переговоры о гарантиях")
    assert [w.stop for w in words] == [False, True, False]
    assert "о" in analyze("переговоры о гарантиях")


def test_scripts():
    assert (script_of("НАТО"), script_of("NATO"), script_of("2021"), script_of("Ми-35")) == (
        "cyrl", "latn", "other", "cyrl")


def test_analyzer_pickles_light_for_the_whoosh_schema():
    import pickle

    data = pickle.dumps(bilingual_analyzer())
    assert len(data) < 1000
    assert pickle.loads(data) == bilingual_analyzer()
    assert BilingualTokenizer() == BilingualTokenizer()


def test_the_indexing_fast_path_gives_the_analyzers_terms_and_positions(seed_docs):
    from collections import defaultdict

    from search.analysis.analyzer import term_positions

    for doc in seed_docs.values():
        expected = defaultdict(list)
        for token in bilingual_analyzer()(doc.text, positions=True):
            expected[token.text].append(token.pos)
        assert term_positions(doc.text) == dict(expected)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
       | st.lists(st.sampled_from(["по-русски", "С-400", "COVID-19", "S&P", "ОПЕК+", "Ту-154", "стали", "и", " ",
                                   "-", "&", "F-16", "x-y-z"]), max_size=30).map(" ".join))
def test_term_positions_are_the_words_and_parts_of_iter_words(text):
    from collections import defaultdict

    from search.analysis.analyzer import analyze_word, iter_words, term_positions

    expected = defaultdict(list)
    for pos, _start, _end, word, _part in iter_words(text):
        for term in analyze_word(word)[0]:
            expected[term].append(pos)
    assert term_positions(text) == dict(expected)
