"""Name keys: one key for a name in either script and in any case form, and not for everything else."""

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.analysis.names import (
    _CAPITALIZED,
    is_name_like,
    name_keys,
    name_weight,
    opening_words,
    same_name,
    skeleton,
    spelled_key,
    text_name_keys,
)


@pytest.mark.parametrize("english, russian", [
    ("Lavrov", "Лавров"), ("Lavrov", "Лаврова"), ("Stoltenberg", "Столтенберга"), ("Makei", "Макеем"),
    ("Peskov", "Пескову"), ("NATO", "НАТО"), ("Washington", "Вашингтоне"), ("Jared", "Джаред"),
    ("Panthers", "Пэнтерс"), ("Luke", "Люк"), ("Thomas", "Томас"), ("Reuters", "Рейтер"), ("Belarus", "Белоруссии"),
    ("Zelensky", "Зеленский"), ("Microsoft", "Майкрософт"),
])
def test_a_name_keys_alike_in_both_scripts(english, russian):
    assert name_keys(english) and _same(english, russian) and _same(russian, english)


def _same(one: str, other: str) -> bool:
    return any(same_name(a, b) for a in name_keys(one) for b in name_keys(other))


@pytest.mark.parametrize("one, other", [("zzzqqq", "Sky"), ("Lavrov", "Lavrentiev"), ("Makei", "Mike"),
                                        ("Peskov", "Pskov"), ("Путин", "Patten"), ("Путин", "Paton"),
                                        ("Putin", "Патон"), ("Путин", "Pitney"), ("Орлов", "Harlow"),
                                        ("Комаров", "Comair"), ("Макей", "MACAO")])
def test_different_names_key_apart(one, other):
    assert not _same(one, other) and not _same(other, one)


@pytest.mark.parametrize("english, russian", [
    ("Jackson", "Джексон"), ("Hunter", "Хантера"), ("Peter", "Питер"), ("Trump", "Трамп"), ("Biden", "Байден"),
    ("Reagan", "Рейган"), ("Thatcher", "Тэтчер"), ("Yeltsin", "Ельцин"), ("Kyiv", "Киев"), ("Turner", "Тёрнер"),
    ("Mike", "Майк"), ("Hillary", "Хиллари"), ("Navalny", "Навальный"), ("Seoul", "Сеул"), ("Putin", "Путина"),
    ("Hussein", "Хусейн"), ("Khodorkovsky", "Ходорковского"), ("Orlov", "Орлов"), ("Komarov", "Комаров"),
    ("Boeing", "Боинг"), ("Paul", "Пол"), ("Goodyear", "Гудьир"), ("Ryan", "Райан"), ("Taylor", "Тейлор"),
    ("Macao", "Макао"), ("Sihanouk", "Сианук"), ("Houston", "Хьюстон"), ("Paine", "Пейн"),
])
def test_the_vowels_the_other_script_writes_for_a_name_keep_it_one_name(english, russian):
    assert _same(english, russian) and _same(russian, english)


@pytest.mark.parametrize("russian, sure, loose", [
    ("Макей", ["Makei", "Makey"], ["Maki", "Mackay", "Miki"]), ("Путин", ["Putin"], []),
    ("Зеленский", ["Zelensky", "Zelenskiy"], []), ("Юрий", ["Yuri", "Yuriy"], []), ("Трамп", [], ["Trump"]),
])
def test_a_name_across_the_scripts_is_surer_where_its_vowels_are_the_ones_the_other_script_writes_first(
        russian, sure, loose):
    for english in sure + loose:
        assert _same(russian, english)
        weight = name_weight(spelled_key(russian), spelled_key(english))
        assert weight == name_weight(spelled_key(english), spelled_key(russian))
        assert (weight == 1.0) == (english in sure), english


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
    # Each spelling keeps its vowels' script: Лаврова, Лавров on one key, Lavrov on another that meets it.
    assert keys[name_keys("Лавров")[0]] == 2 and keys[name_keys("Lavrov")[0]] == 1
    assert keys[name_keys("Макей")[0]] == 1 and keys[name_keys("Makei")[0]] == 1
    assert name_keys("NATO")[0] in keys
    assert not set(keys) & set(name_keys("Защита") + name_keys("However"))


# The scans as first written, lookbehinds first: the faster ones must find the same words.
_CAPITALIZED_BEFORE = re.compile(r"(?<!\w)(?<!\w[-'’‘])[^\W\d_a-zа-яё]\w*(?:[-'’‘]\w+)*")
_OPENING_BEFORE = re.compile(r"(?:^|[.!?…:\n\"«»])\s{0,3}(" + _CAPITALIZED_BEFORE.pattern + ")")


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(codec=None), max_size=60)
       | st.text("ЛаЛ Mb'’-‘_1.!?…:\n\"«»\t é&+Ǆ", max_size=80))
def test_capitalized_and_opening_words_are_those_the_first_scans_found(text):
    assert _CAPITALIZED.findall(text) == _CAPITALIZED_BEFORE.findall(text)
    assert Counter(opening_words(text)) == Counter(_OPENING_BEFORE.findall(text))
