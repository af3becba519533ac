"""Name keys: one key for a name in either script and in any case form, and not for everything else."""

import pytest

from search.names import is_name_like, name_keys, skeleton, text_name_keys


@pytest.mark.parametrize("english, russian", [
    ("Lavrov", "Лавров"), ("Lavrov", "Лаврова"), ("Stoltenberg", "Столтенберга"), ("Makei", "Макеем"),
    ("Peskov", "Пескову"), ("NATO", "НАТО"), ("Washington", "Вашингтоне"), ("Jared", "Джаред"),
    ("Panthers", "Пэнтерс"), ("Luke", "Люк"), ("Thomas", "Томас"), ("Reuters", "Рейтер"), ("Belarus", "Белоруссии"),
    ("Zelensky", "Зеленский"), ("Microsoft", "Майкрософт"),
])
def test_a_name_keys_alike_in_both_scripts(english, russian):
    assert name_keys(english) and set(name_keys(english)) & set(name_keys(russian))


@pytest.mark.parametrize("one, other", [("zzzqqq", "Sky"), ("Lavrov", "Lavrentiev"), ("Makei", "Mike"),
                                        ("Peskov", "Pskov")])
def test_different_names_key_apart(one, other):
    assert not set(name_keys(one)) & set(name_keys(other))


def test_too_short_keys_are_not_made():
    assert skeleton("Ли") == "" and skeleton("Ai") == "" and skeleton("") == ""


def test_name_like_words():
    assert is_name_like("Лавров", sentence_start=False)
    assert is_name_like("Лавров", sentence_start=True)   # a surname, even opening a sentence
    assert not is_name_like("Защита", sentence_start=True)  # an ordinary word opening a sentence
    assert not is_name_like("However", sentence_start=True)
    assert is_name_like("Makei", sentence_start=True)    # no dictionary knows it
    assert not is_name_like("The", sentence_start=False) and not is_name_like("лавров", sentence_start=False)
    assert is_name_like("NATO", sentence_start=True)


def test_text_name_keys_count_the_names_of_a_text():
    keys = text_name_keys("Защита Лаврова. Лавров встретился с Макеем, а Lavrov met Makei. However, NATO…")
    assert keys[name_keys("Лавров")[0]] == 3 and keys[name_keys("Makei")[0]] == 2
    assert name_keys("NATO")[0] in keys
    assert not set(keys) & set(name_keys("Защита") + name_keys("However"))
