"""Queries as typed: typos, the other keyboard layout and Latin letters, read against a real vocabulary and a
real index of the seeds."""

from __future__ import annotations

import pytest

from search import Document, Index, IndexDamagedError
from search.query.correction import LAYOUT, TRANSLIT, TYPO, max_typos, read_as_meant
from search.store.vocabulary import Vocabulary

WORDS = Vocabulary({"переговоры": 40, "переговорах": 9, "санкции": 30, "sanctions": 12, "нато": 25, "лавров": 8,
                    "volcker": 5, "slide": 9, "привет": 3, "москва": 7, "гарантиях": 4, "безопасности": 20,
                    "переговоров": 11, "стоун": 1, "стоит": 90})


def searched(text: str, **kwargs) -> str:
    return read_as_meant(text, WORDS, **kwargs).searched


@pytest.mark.parametrize(("typed", "meant", "via"), [
    ("перегаворы", "переговоры", TYPO),       # a spelling confusion
    ("санкцыи", "санкции", TYPO),
    ("Лавроф", "Лавров", TYPO),               # the capital stays
    ("volscker", "volcker", TYPO),             # a letter pressed as well
    ("ghbdtn", "привет", LAYOUT),
    ("yfnj", "нато", LAYOUT),
    ("ыфтсешщты", "sanctions", LAYOUT),
    ("moskva", "москва", TRANSLIT),
    ("garantiyakh", "гарантиях", TRANSLIT),
])
def test_an_unknown_word_is_read_as_meant(typed, meant, via):
    typed_query = read_as_meant(typed, WORDS)
    assert typed_query.searched == meant
    assert [c.to_dict() for c in typed_query.corrections] == [{"from": typed, "to": meant, "via": via}]


def test_a_whole_query_in_the_other_layout_switches_its_punctuation_keys_and_short_words_too():
    # «переговоры о гарантиях безопасности»: б is the comma key, о a one-letter word
    assert searched("gthtujdjhs j ufhfynbz[ ,tpjgfcyjcnb") == "переговоры о гарантиях безопасности"


def test_latin_letters_switch_short_words_along_with_the_rest():
    assert searched("peregovory o garantiyakh") == "переговоры о гарантиях"


def test_known_words_are_never_corrected_away():
    for text in ("переговоры", "стоун", "Volcker", "тенденция", "the"):  # in the index or the dictionary
        assert read_as_meant(text, WORDS).corrections == ()


def test_quoted_words_fields_wildcards_and_operators_stay_as_typed():
    for text in ('"перегаворы"', "title:перегаворы", "перегав*"):
        assert searched(text) == text
    assert searched("перегаворы OR санкцыи") == "переговоры OR санкции"
    assert searched("-перегаворы") == "-переговоры"


def test_typo_budget_by_word_length():
    assert [max_typos("a" * n) for n in (3, 4, 5, 8, 9, 12)] == [0, 1, 1, 1, 2, 2]
    assert searched("стн") == "стн"  # three letters: no typo allowed
    assert searched("стун") == "стоун"


def test_a_rare_word_with_a_far_more_frequent_neighbour_gets_did_you_mean_not_a_replacement():
    words = Vocabulary({"переговоры": 400, "перегаворы": 1})
    typed = read_as_meant("перегаворы", words)
    assert typed.searched == "перегаворы" and typed.corrections == ()
    assert typed.suggestion == "переговоры"


def test_a_rare_latin_word_that_is_far_more_often_russian_in_latin_letters_gets_did_you_mean():
    """"ataku": one RT text quotes it in Polish, a thousand hold «атаку»; it is searched along with «атаку». An
    English word ("sled") and a Latin word the index holds often stay as typed."""
    words = Vocabulary({"атаку": 1076, "ataku": 1, "сани": 60, "sled": 1, "след": 400, "nato": 90, "нато": 900})
    typed = read_as_meant("ataku", words)
    assert typed.searched == "ataku" and typed.corrections == () and typed.suggestion == "атаку"
    assert [c.via for c in typed.suggested] == [TRANSLIT]
    assert read_as_meant("sled", words).suggestion == "" and read_as_meant("nato", words).suggestion == ""


def test_a_latin_word_few_texts_hold_is_read_as_the_russian_it_spells_when_far_more_texts_hold_that():
    """An RT index holds English only in quoted tweets: "zagitova" (two tweets) is Загитова (70), "afrine" (no text:
    a tweet has #Afrin) «Африне», "druzya" «друзья» (194), not the typo «друзя» (1), and "belogo", being typed,
    «белого», not the Twitter handle belogolovcev it begins. An English word ("more", 119 against «море» 302;
    "forme", which English stems as "form") stays as typed."""
    words = Vocabulary({"загитова": 70, "zagitova": 2, "африне": 33, "форме": 408, "former": 13, "друзья": 194,
                        "друзя": 1, "белого": 573, "belogolovcev": 1, "more": 119, "море": 302})
    assert read_as_meant("zagitova", words).suggestion == "загитова"
    afrin = {"afrin"}.__contains__  # a tweet's #Afrin: the index holds the stem of "afrine", a known word
    assert read_as_meant("afrine", words, knows=lambda w: afrin(w[:5])).suggestion == "африне"
    assert read_as_meant("druzya", words).searched == "друзья"
    assert read_as_meant("belogo", words, keep_last=True).searched == "белого"
    assert read_as_meant("more", words).suggestion == "" and read_as_meant("more", words).searched == "more"
    assert read_as_meant("forme", words, knows=lambda w: w[:4] == "form").suggestion == ""


def test_the_last_word_being_typed_is_left_for_completion():
    assert searched("лавров перегов", keep_last=True) == "лавров перегов"
    assert searched("лавров перегаворы", keep_last=True) == "лавров переговоры"  # begins no index word


# -- through the index ----------------------------------------------------------------------------------------

def test_typos_layout_and_latin_letters_find_what_the_clean_query_finds(seed_index):
    for typed, clean in (("перегаворы", "переговоры"), ("Лавроф", "Лавров"), ("yfnj", "НАТО"),
                         ("moskva", "Москва"), ("Stoltenbreg", "Столтенберг")):
        result = seed_index.search(typed)
        expected = seed_index.search(clean)
        assert result.hits and [h.id for h in result.hits] == [h.id for h in expected.hits], typed
        assert result.corrections and result.searched.lower() == clean.lower()
        assert "<mark>" in result.hits[0].snippet + result.hits[0].title_html


def test_exact_when_asked(seed_index):
    assert seed_index.search("перегаворы", typos=False).total == 0
    assert seed_index.search('"перегаворы"').total == 0
    result = seed_index.search("перегаворы", typos=False)
    assert result.corrections == [] and result.searched == "перегаворы"


def test_a_clean_query_is_searched_as_typed(seed_index):
    result = seed_index.search("переговоры о гарантиях безопасности")
    assert result.corrections == [] and result.suggestion == ""
    assert result.to_dict()["corrected"] == []


def test_the_last_word_is_also_a_prefix(seed_index):
    typed = seed_index.search("перегов")
    assert typed.total and typed.total == seed_index.search("переговоры").total
    assert "<mark>переговоры</mark>" in " ".join(h.snippet for h in typed.hits).lower()
    assert seed_index.search("перегов", prefix=False).total == 0
    makei = seed_index.search("Lavrov Mak")
    assert makei.hits[0].id.startswith("004") and "<mark>Makei</mark>" in makei.hits[0].snippet
    # a word the query finished (a space after it) is not a prefix
    assert seed_index.search("перегов ").total == 0


def test_an_exact_word_ranks_above_a_completion(tmp_path):
    docs = [Document(id="exact", title="", text="Встреча министров в Минске.", lang="ru"),
            Document(id="completed", title="", text="Встречались министерства.", lang="ru")]
    with Index.build(tmp_path / "index", docs) as index:
        assert [h.id for h in index.search("министр").hits][:1] == ["exact"]


def test_the_vocabulary_follows_updates_and_deletes(tmp_path):
    docs = [Document(id="a", title="", text="Переговоры в Женеве.", lang="ru")]
    with Index.build(tmp_path / "index", docs) as index:
        assert index.search("жиневе").searched == "женеве"
        index.update([Document(id="b", title="", text="Санкции против Ирана.", lang="ru")])
        assert index.search("санкцыи").searched == "санкции"
        index.delete(["b"])
        assert index.search("санкцыи").corrections == [] and index.search("санкцыи").total == 0


def test_the_vocabulary_is_a_checksummed_file_of_each_generation(tmp_path):
    from search.store import generations
    from search.store.vocabulary import VOCABULARY_FILE, read_counts

    root = tmp_path / "index"
    docs = [Document(id="a", title="Переговоры", text="Переговоры в Женеве.", lang="ru"),
            Document(id="b", title="", text="Переговоры в Вене.", lang="ru")]
    with Index.build(root, docs) as index:
        live = generations.current_generation(root)
        assert (live / VOCABULARY_FILE).is_file()
        assert read_counts(live) == {"переговоры": 2, "женеве": 1, "вене": 1}  # documents, not occurrences
        index.update([Document(id="b", title="", text="Встреча в Минске.", lang="ru")])  # b replaced
        assert read_counts(generations.current_generation(root)) == {
            "переговоры": 1, "женеве": 1, "встреча": 1, "минске": 1}
        assert read_counts(live) == {"переговоры": 2, "женеве": 1, "вене": 1}  # the old generation untouched
        assert index.check()["files"] >= 2  # the vocabulary is among the checked files
        (generations.current_generation(root) / VOCABULARY_FILE).write_bytes(b"damaged")
        with pytest.raises(IndexDamagedError, match=VOCABULARY_FILE):
            index.check()


def test_an_empty_index_warms_up_and_corrects_nothing(tmp_path):
    with Index.build(tmp_path / "index", []) as index:
        index.warm_up()
        result = index.search("перегаворы ghbdtn")
        assert result.total == 0 and result.corrections == []
        assert index.suggest("пере").completions == []


def test_equally_near_forms_go_to_the_likelier_slip_then_the_more_frequent_form():
    words = Vocabulary({"литва": 30, "лива": 2, "мигранты": 40, "мигранте": 1, "чиновники": 25, "чиновник": 30})
    # Two letters swapped are one slip, a letter left out is any letter: «лтива» is литва, not лива.
    assert read_as_meant("лтива", words).searched == "литва"
    assert read_as_meant("литав", words).searched == "литва"
    # и for ы and и for е are equally likely slips: the form the index holds more often wins.
    assert read_as_meant("мигранти", words).searched == "мигранты"


def test_a_partial_last_word_far_outweighed_by_its_correction_is_corrected():
    words = Vocabulary({"армия": 400, "армянский": 20, "армяне": 10, "переговоры": 40, "переговорный": 3})
    assert read_as_meant("армя", words, keep_last=True).searched == "армия"
    assert read_as_meant("перегов", words, keep_last=True).searched == "перегов"  # still being typed
    assert read_as_meant("армя", Vocabulary({"армия": 40, "армянский": 20}), keep_last=True).searched == "армя"


def test_did_you_mean_is_offered_for_a_rare_word_no_dictionary_knows():
    words = Vocabulary({"dismisses": 1, "dismissed": 80, "discusseed": 1, "discussed": 90})
    assert read_as_meant("dismisses", words).suggestion == ""  # an English word, if a rare one here
    offered = read_as_meant("discusseed", words)
    assert offered.suggestion == "discussed" and offered.searched == "discusseed"
    assert [t.text for t in offered.tokens] == ["discusseed", "OR", "discussed"]  # searched with what it offers


def test_a_rare_word_finds_its_own_documents_first_then_those_of_the_word_offered(tmp_path):
    docs = [Document(id="typo", title="", text="Officials discusseed the budget.", lang="en")]
    docs += [Document(id=f"d{i}", title="", text=f"Ministers discussed plan number {i}.", lang="en")
             for i in range(60)]
    with Index.build(tmp_path / "ix", docs) as index:
        result = index.search("discusseed", prefix=False)
        assert result.suggestion == "discussed" and result.searched == "discusseed"
        assert result.hits[0].id == "typo" and result.total == 61


def test_a_paragraph_of_misspelled_words_corrects_only_the_first_ten():
    # 140 misspelled words cost 2 s of CPU when each was corrected against the documents of all the others.
    from search.query.correction import MAX_CORRECTED_WORDS

    typed = " ".join(["перегаворы", "санкцыи", "Лавроф"] * 50)
    query = read_as_meant(typed, WORDS)
    assert {c.target for c in query.corrections} == {"переговоры", "санкции", "Лавров"}
    many = " ".join(f"перегаворы{'ы' * n}" for n in range(1, 3)) + " " + " ".join(
        f"санкц{chr(0x430 + n)}и" for n in range(30))
    corrected = read_as_meant(many, Vocabulary({**WORDS.frequencies,
                                                **{f"санкц{chr(0x430 + n)}я": 3 for n in range(30)}}))
    assert 0 < len(corrected.corrections) <= MAX_CORRECTED_WORDS


def test_a_latin_spelling_only_replaced_documents_held_is_read_as_russian(tmp_path):
    """An update that drops the only text holding "sankcii" leaves the term in Whoosh's segment (deleted
    documents keep theirs until a merge): the word typed in Latin letters is read as «санкции» all the same."""
    from search import Document, Index

    docs = [Document(id=f"d{i}", title=f"Санкции {i}", text="Евросоюз продлил санкции против России.", lang="ru")
            for i in range(5)]
    code = Document(id="code", title="Видео", text="Смотрите видео: putin-sankcii-ssha.", lang="ru")
    index = Index.build(tmp_path, [*docs, code])
    index.update([Document(id="code", title="Видео", text="Смотрите видео о переговорах.", lang="ru")])
    result = index.search("sankcii")
    assert result.searched == "санкции" and result.total == 5
    index.close()


def test_a_partial_word_typed_in_the_other_layout_is_searched_as_its_suggestions_are(tmp_path):
    """"cfyrw" is «санкц» typed with the English layout on: the box's suggestions offered «санкции» while the
    results said nothing was found; now the results read it so too, and complete it."""
    from search import Document, Index

    docs = [Document(id=f"d{i}", title=f"Новости {i}", text="Евросоюз продлил санкции против России.", lang="ru")
            for i in range(5)]
    index = Index.build(tmp_path, docs)
    result = index.search("cfyrw")
    assert (result.searched, result.total) == ("санкц", 5)
    assert [c.to_dict() for c in result.corrections] == [{"from": "cfyrw", "to": "санкц", "via": "layout"}]
    assert index.suggest("cfyrw").completions == ["санкции"]
    assert index.search("cfyrw", prefix=False).total == 0  # a finished word is not a beginning
    index.close()
