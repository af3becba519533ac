from hypothesis import given, settings
from hypothesis import strategies as st

from search.analysis.morphology import (
    analyze_word,
    english_stem,
    fold_yo,
    is_code,
    is_stop_word,
    russian_lemmas,
    script_of,
    word_terms,
)


def test_ambiguous_russian_words_keep_every_dictionary_lemma():
    assert set(russian_lemmas("стали")) == {"стать", "сталь"}
    assert "лавров" in russian_lemmas("лаврову")


def test_unknown_words_get_the_predicted_lemma():
    assert russian_lemmas("столтенберга") == ("столтенберг",)
    assert russian_lemmas("макеем") == ("макей",)


def test_lemmas_fold_yo():
    assert all("ё" not in lemma for lemma in russian_lemmas("ещё") + russian_lemmas("приёмы"))


def test_english_stems_join_forms():
    assert english_stem("improve") == english_stem("improvement") == english_stem("improved")
    assert english_stem("nato’s") == english_stem("nato")


def test_stop_words_by_script():
    assert is_stop_word("и", "cyrl") and is_stop_word("которые", "cyrl")
    assert is_stop_word("the", "latn")
    assert not is_stop_word("стали", "cyrl") and not is_stop_word("nato", "latn")


def test_the_two_languages_agree_on_function_words():
    """A preposition, a conjunction or a pronoun is a function word in both languages: «против» as "against",
    «среди» as "among", «однако» as "although", «никто» as "nobody"; a particle that is also a name's
    («Ле Пен») or a noun («правда») is not."""
    for russian, english in (("против", "against"), ("через", "through"), ("между", "between"),
                             ("среди", "among"), ("вокруг", "around"), ("однако", "although"),
                             ("никто", "nobody"), ("каждый", "each")):
        assert is_stop_word(russian, "cyrl") and is_stop_word(english, "latn"), (russian, english)
    for word in ("санкции", "правда", "ле", "пен", "максимум"):
        assert not is_stop_word(word, "cyrl"), word


def _lemmas_from_parses(word: str) -> tuple[str, ...]:
    """The lemmas as pymorphy3's `parse` gives them, reading by reading: what the dictionary's shortcut in
    `russian_lemmas` must equal."""
    from search.analysis.morphology import UNKNOWN_LEMMAS, fold_yo, parses_of

    parses = parses_of(word)
    if not parses:
        return (fold_yo(word),)
    known = [p for p in parses if p.is_known]
    chosen = known or parses[:5]
    lemmas = list(dict.fromkeys(fold_yo(p.normal_form) for p in chosen))
    return tuple(lemmas if known else lemmas[:UNKNOWN_LEMMAS]) or (fold_yo(word),)


SAMPLE_WORDS = ("стали сталь стать еще ещё елка ёлка приемы рт сша лаврову макеем столтенберга переговоры "
                "переговоров мира мир миру том тому белый белые печь печи рада рад рады вести ведя россии "
                "по-русски москва-река пол-оборота нато оон а и в о к с у я").split()


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SAMPLE_WORDS) | st.text("абвгдеёжзийклмнопрстуфхцчшщъыьэюя-", min_size=1, max_size=9))
def test_dictionary_lemmas_are_the_parses_lemmas(word):
    from search.analysis.morphology import fold_yo

    word = fold_yo(word)
    assert russian_lemmas(word) == _lemmas_from_parses(word)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SAMPLE_WORDS) | st.text("абвгдеёжзийклмнопрстуфхцчшщъыьэюя-", min_size=1, max_size=9))
def test_the_dictionarys_likeliest_reading_is_the_parses(word):
    from search.analysis.morphology import dictionary_readings, parses_of

    readings = dictionary_readings(word)
    if readings is not None:
        parses = parses_of(word)
        assert parses[0].is_known and readings[0][1] == parses[0].tag
        assert [form for form, _tag in readings] == [p.normal_form for p in parses]


def _analyzed_as_written(word):
    """What `analyze_word` computed for every word before a capitalized word was looked up in lower case."""
    word = fold_yo(word.lower())
    script = script_of(word)
    if is_code(word):
        return (english_stem(word) if script == "latn" else word,), script, False
    terms, stop = word_terms(word, script)
    return terms, script, stop


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(SAMPLE_WORDS).map(str.capitalize) | st.text(st.characters(codec="utf-8"), max_size=8)
       | st.text("АаЁёЕеİIiΣσςßẞ-&+1FfТт", min_size=1, max_size=8))
def test_a_word_in_any_case_is_analyzed_as_its_lower_case_form(word):  # (indexed text has no lone surrogates)
    assert analyze_word(word) == _analyzed_as_written(word)
    assert analyze_word(word) == analyze_word(fold_yo(word.lower()))
