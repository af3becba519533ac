from search.morphology import english_stem, is_stop_word, russian_lemmas


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
