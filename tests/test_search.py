"""End-to-end searches on a real index of the seeds."""

import random

import numpy as np
import pytest

from search import Document, Index, QueryError

RBC_MEETING = "000_cd43f6f3889422fc.txt"      # Lavrov and Makei agree to coordinate on NATO (RBC)
RBC_PESKOV = "001_0ee8888d4f2f9c11.txt"       # Putin's instruction on security guarantees (RBC)
RBC_STOLTENBERG = "002_e32f487541269c9d.txt"  # Russia-NATO council, Stoltenberg (RBC)
ZERKALO = "003_284303bb47a663dd.txt"          # Belarus has no official contacts with NATO (Zerkalo)
TASS = "004_50ced7505d569705.txt"             # Russia, Belarus agree to seek improvement with NATO (TASS)


def ids(result):
    return [hit.id for hit in result.hits]


@pytest.mark.parametrize("query, expected", [
    ("переговоры", {RBC_PESKOV, RBC_STOLTENBERG}),       # «переговоры» finds «переговоров» too
    ("переговоров", {RBC_PESKOV, RBC_STOLTENBERG}),
    ("Лавров", {RBC_MEETING, RBC_PESKOV}),              # and «Лаврову», «Лаврова»
    ("Лаврову", {RBC_MEETING, RBC_PESKOV}),
    ("improve", {TASS}),                                # "improvement" in the title, "improve" in the text
    ("Столтенберга", {RBC_STOLTENBERG, RBC_PESKOV}),
    ("Макей", {RBC_MEETING}),
    ("Belarusian counterpart", {TASS}),
])
def test_words_match_their_inflected_forms(seed_index, query, expected):
    # Monolingual matching: names and words found through the other language are test_translation's.
    assert set(ids(seed_index.search(query, cross_language=False))) == expected


def test_security_guarantee_talks_rank_the_peskov_article_first(seed_index):
    result = seed_index.search("переговоры о гарантиях безопасности")
    assert ids(result)[0] == RBC_PESKOV
    assert "<mark>переговоры</mark>" in result.hits[0].snippet
    assert "<mark>гарантиям</mark> <mark>безопасности</mark>" in result.hits[0].snippet


def test_inflected_phrase(seed_index):
    result = seed_index.search('"гарантии безопасности"')
    assert set(ids(result)) == {RBC_PESKOV, RBC_STOLTENBERG}
    assert all("<mark>гаранти" in hit.snippet for hit in result.hits)
    assert seed_index.search('"безопасности гарантии"').total == 0


def test_phrase_with_a_stop_word_inside(seed_index):
    # The stop word counts inside a phrase: only one article has «переговоры по гарантиям безопасности».
    assert ids(seed_index.search('"переговоры по гарантии безопасности"')) == [RBC_PESKOV]
    assert set(ids(seed_index.search('"о гарантиях безопасности"'))) == {RBC_PESKOV, RBC_STOLTENBERG}
    assert seed_index.search('"переговоры о гарантиях безопасности"').total == 0


def test_all_words_rank_above_some(seed_index):
    result = seed_index.search("Лавров Макей", cross_language=False)
    assert ids(result)[0] == RBC_MEETING
    # Only one document has both; the one with just "Лавров" still comes, below it.
    assert ids(result) == [RBC_MEETING, RBC_PESKOV]
    # Across the languages, TASS has both (Lavrov, Makei): it joins the first tier, below the Russian report.
    assert ids(seed_index.search("Лавров Макей")) == [RBC_MEETING, TASS, RBC_PESKOV]


def test_a_query_nobody_matches_in_full_returns_partial_matches(seed_index):
    result = seed_index.search("Столтенберг Макей космос")
    assert set(ids(result)) == {RBC_MEETING, RBC_PESKOV, RBC_STOLTENBERG, TASS}


def test_ticker_and_feed_words_do_not_match(seed_index):
    assert seed_index.search("курс доллара").total == 0
    assert seed_index.search("Орешника").total == 0
    assert seed_index.search("Most read").total == 0


def test_exclusion_or_title_and_lang(seed_index):
    assert ids(seed_index.search("Лавров -Путин", cross_language=False)) == [RBC_MEETING]
    assert ids(seed_index.search("Лавров -Путин")) == [RBC_MEETING, TASS]
    assert RBC_PESKOV in ids(seed_index.search("Lavrov"))
    assert RBC_PESKOV not in ids(seed_index.search("Lavrov -Путин"))  # excluded in both languages
    assert RBC_PESKOV not in ids(seed_index.search("Lavrov -Putin"))
    assert set(ids(seed_index.search("Макей OR Столтенберг"))) == {RBC_MEETING, RBC_STOLTENBERG, RBC_PESKOV, TASS}
    assert ids(seed_index.search("title:Брюсселе")) == [RBC_STOLTENBERG]
    assert seed_index.search("title:Лавров").total == 0
    assert ids(seed_index.search("NATO lang:en")) == [TASS]
    assert ids(seed_index.search("перегов*")) and set(ids(seed_index.search("перегов*"))) == {RBC_PESKOV,
                                                                                             RBC_STOLTENBERG}


def test_russian_and_english_in_one_ranked_list_with_a_lang_filter(seed_index):
    result = seed_index.search("НАТО OR NATO")
    assert result.total == 5 and TASS in ids(result)
    assert result.facets["lang"] == {"ru": 4, "en": 1}
    only_en = seed_index.search("НАТО OR NATO", lang="en")
    assert ids(only_en) == [TASS] and only_en.total == 1
    assert only_en.facets["lang"] == {"ru": 4, "en": 1}  # facets count every language, for the filter's links


def test_hyphenated_words_by_whole_and_parts(seed_index):
    assert ZERKALO in ids(seed_index.search("Беларусь-НАТО"))
    assert ZERKALO in ids(seed_index.search("де-факто"))
    assert ZERKALO in ids(seed_index.search("факто"))


def test_titles_are_highlighted_too(seed_index):
    hit = seed_index.search("Белоруссия НАТО").hits[0]
    assert hit.id == RBC_MEETING
    assert hit.title_html == ("Россия и <mark>Белоруссия</mark> договорились согласовывать взаимодействие "
                              "с <mark>НАТО</mark>")


def test_paging(seed_index):
    first = seed_index.search("НАТО OR NATO", per_page=2)
    second = seed_index.search("НАТО OR NATO", per_page=2, page=2)
    third = seed_index.search("НАТО OR NATO", per_page=2, page=3)
    beyond = seed_index.search("НАТО OR NATO", per_page=2, page=9)
    assert (first.pages, len(first.hits), len(second.hits), len(third.hits), beyond.hits) == (3, 2, 2, 1, [])
    assert len(set(ids(first) + ids(second) + ids(third))) == 5


def test_hit_fields(seed_index):
    hit = seed_index.search("Makei").hits[0]
    assert (hit.id, hit.lang, hit.date) == (TASS, "en", "2018-05-29")
    assert hit.path.endswith(TASS) and hit.score > 0 and hit.title.startswith("Russia, Belarus")


@pytest.mark.parametrize("kwargs", [{"page": 0}, {"per_page": 0}, {"per_page": 5000}, {"lang": "de"}])
def test_bad_parameters_raise_query_error(seed_index, kwargs):
    with pytest.raises(QueryError):
        seed_index.search("НАТО", **kwargs)


def test_malformed_queries_get_results_or_a_query_error(seed_index):
    for text in ['"гарантии безопасности', "Лавров -", "NATO OR", "OR OR", "-", "*", "**", "x" * 20000,
                 "lang:", "title:", '"', "()", "NOT", "a*", "перегов* OR", "-NATO -НАТО"]:
        try:
            seed_index.search(text)
        except QueryError as error:
            assert str(error)
    assert seed_index.search('"гарантии безопасности').total == 2  # an unclosed quote closes at the end


def test_random_queries_never_raise_anything_but_query_error(seed_index):
    alphabet = 'ана то Лав NATO"*-:() OR NOT lang:ru title:ё\'’«»\\%$#?.,\t'
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        try:
            seed_index.search(text)
        except QueryError:
            pass


def test_result_to_dict_shape(seed_index):
    data = seed_index.search("Лавров", per_page=1).to_dict()
    assert list(data) == ["ok", "query", "searched", "corrected", "suggestion", "page", "per_page", "total", "pages",
                          "took_ms", "hits", "facets", "timeline", "missing"]
    assert data["ok"] is True and data["total"] == 3 and data["pages"] == 3
    assert list(data["hits"][0]) == ["id", "title", "title_html", "snippet", "lang", "score", "date", "url", "path",
                                     "source", "site", "topics", "translated", "similar_count", "similar"]


def test_query_words_close_together_rank_higher(tmp_path):
    from search import Document, Index

    filler = " ".join(["обычный текст без смысла"] * 30)
    docs = [
        Document(id="far", title="Заметка", text=f"Переговоры начались. {filler} Вопрос безопасности остался.",
                 lang="ru"),
        Document(id="near", title="Заметка", text=f"Переговоры о безопасности начались. {filler} Вопрос остался.",
                 lang="ru"),
    ]
    with Index.build(tmp_path, docs) as index:
        assert [h.id for h in index.search("переговоры безопасность").hits] == ["near", "far"]


def test_closeness_counts_early_in_the_text_only(tmp_path):
    # Deep in a long article two common words meet by chance; early on, their closeness tells what it is about.
    filler = " ".join(["обычный текст без смысла"] * 60)
    docs = [
        Document(id="deep", title="Заметка", text=f"Переговоры начались. {filler} Переговоры о безопасности.",
                 lang="ru"),
        Document(id="early", title="Заметка", text=f"Переговоры о безопасности начались. {filler} Переговоры.",
                 lang="ru"),
    ]
    with Index.build(tmp_path, docs) as index:
        result = index.search("переговоры безопасность")
        assert [h.id for h in result.hits] == ["early", "deep"]
        assert result.hits[0].score > result.hits[1].score


def test_an_opening_that_restates_the_query_ranks_first(tmp_path):
    filler = " ".join(["обычный текст без особого смысла"] * 6)
    lead = "Парламент Финляндии одобрил закон о продаже алкоголя в магазинах."
    docs = [  # the same words, as close together, as often: only where they stand differs
        Document(id="later", title="Заметка", text=f"{filler} {lead} {filler}", lang="ru"),
        Document(id="lead", title="Заметка", text=f"{lead} {filler} {filler}", lang="ru"),
    ]
    with Index.build(tmp_path, docs) as index:
        # (Two texts of the same words are one story; both are listed here, to compare their ranks.)
        result = index.search("Финский парламент принял закон: алкоголь в магазинах", collapse=False)
        assert [h.id for h in result.hits] == ["lead", "later"]
        assert result.hits[0].score > result.hits[1].score


def test_one_query_word_in_the_opening_earns_nothing_by_itself(tmp_path):
    from search.rank.closeness import Closeness

    filler = " ".join(["обычный текст без особого смысла"] * 12)
    docs = [Document(id="a", title="Заметка", text=f"Парламент собрался. {filler} Закон и алкоголь.", lang="ru")]
    with Index.build(tmp_path, docs) as index:
        ctx = index._scoring()
        words = [("парламент",), ("закон",), ("алкоголь",)]
        closeness = Closeness.read(ctx, np.array([0]), words)
        assert closeness.lead_bonus(ctx).tolist() == [0.0]
        assert closeness.lead_bonus(ctx, lead=200)[0] > 0


def test_build_reports_progress(tmp_path, seeds_dir):
    from search import Index, load_documents

    calls = []
    Index.build(tmp_path, load_documents(seeds_dir), progress=lambda n, b: calls.append((n, b))).close()
    assert [n for n, _ in calls] == [1, 2, 3, 4, 5] and calls[-1][1] > 5000


def test_ranking_only_without_highlighting(seed_index):
    plain = seed_index.search("переговоры о гарантиях безопасности", highlight=False)
    marked = seed_index.search("переговоры о гарантиях безопасности")
    assert [h.id for h in plain.hits] == [h.id for h in marked.hits]
    assert all(h.snippet == "" and "<mark>" not in h.title_html for h in plain.hits)


def test_a_long_phrase_of_ambiguous_words_costs_little(tmp_path):
    """2**24 lemma combinations of «стали» x 24 were once listed before being cut: minutes and gigabytes."""
    index = Index.build(tmp_path, [Document(id="a", title="Стали", text="Стали стали стали.", lang="ru")])
    result = index.search('"' + " ".join(["стали"] * 24) + '"')
    assert result.total == 0
    with pytest.raises(QueryError, match="at most 24 words"):
        index.search('"' + " ".join(["стали"] * 25) + '"')
    index.close()


def test_phrase_work_has_a_budget_per_query(tmp_path, monkeypatch):
    docs = [Document(id=f"d{i}", title=f"Новость {i}", text="Переговоры и встречи в Женеве и в Минске.", lang="ru")
            for i in range(60)]
    index = Index.build(tmp_path, docs)
    assert index.search('"и в"').total == 60
    assert index.search(" ".join(['"и в"'] * 64)).total == 60  # a repeated phrase is checked once
    monkeypatch.setattr("search.store.positions.MAX_PHRASE_CHECKS", 200)
    with pytest.raises(QueryError, match="too common"):
        index.search('"и в" "в женеве" "в минске"')
    assert index.search('"в женеве"').total == 60  # the budget is per query: the next one starts afresh
    index.close()


def test_snippets_of_a_huge_document_look_at_a_window(tmp_path):
    text = "Начало статьи про переговоры. " + "слово " * 2_000_000 + "Конец: переговоры."
    index = Index.build(tmp_path, [Document(id="big", title="Большой", text=text, lang="ru")])
    hit = index.search("переговоры").hits[0]
    assert "<mark>переговоры</mark>" in hit.snippet and len(hit.snippet) < 1000
    index.close()


def test_codes_are_found_and_marked_as_one_term(tmp_path):
    docs = [
        Document(id="s400", title="Эрдоган о С-400", text="Турция получит С-400 со временем, сказал Эрдоган.",
                 lang="ru"),
        Document(id="hutton", title="E.F. HUTTON DENIES RUMOURED SOLVENCY PROBLEMS",
                 text="E.F. Hutton said its 16 units are sound.", lang="en"),
        Document(id="f16", title="Greece orders F-16 jets", text="Greece will buy 40 F-16 fighters.", lang="en"),
        Document(id="opeka", title="Опека над детьми", text="Органы опеки проверили семью.", lang="ru"),
        Document(id="opec", title="ОПЕК+ сократит добычу", text="Страны ОПЕК+ договорились.", lang="ru"),
    ]
    with Index.build(tmp_path / "ix", docs) as index:
        assert [h.id for h in index.search("F-16", prefix=False).hits] == ["f16"]
        assert [h.id for h in index.search("ОПЕК+", prefix=False).hits] == ["opec"]
        hit = index.search("Эрдоган С-400", prefix=False).hits[0]
        assert hit.id == "s400" and "<mark>С-400</mark>" in hit.snippet and "<mark>со</mark>" not in hit.snippet
        assert hit.title_html == "<mark>Эрдоган</mark> о <mark>С-400</mark>"


def test_a_query_its_corrections_lengthen_past_the_limit_is_still_searched(seed_index):
    # «перегворы» read as «переговоры» gains a letter: 1,000 characters typed became 1,100 searched, and the
    # parser refused them as too long although the person typed within the limit.
    typed = ("перегворы " * 100)[:1000]
    result = seed_index.search(typed)
    assert result.total > 0 and len(result.searched) > 1000
    with pytest.raises(QueryError, match="1,001 characters; the limit is 1,000"):
        seed_index.search("a" * 1001)


def test_a_word_typed_whole_ranks_above_the_longer_words_it_begins(tmp_path):
    """`oil` is oil: OILSEED and OILMAN stories, rarer and so weightier as completions, come after every story
    that holds the word itself."""
    docs = [Document(id=f"seed{i}", title=f"OILSEED OUTPUT {i}", text="Oilseed crops rose this year.", lang="en")
            for i in range(5)]
    docs += [Document(id="oilman", title="OILMAN BUYS STAKE", text="An oilman bought shares.", lang="en")]
    docs += [Document(id=f"oil{i}", title=f"Prices report {i}",
                      text="Crude oil prices rose. " + "The market was calm and traders waited. " * (3 * i), lang="en")
             for i in range(6)]
    docs += [Document(id=f"x{i}", title=f"Markets {i}", text="Stocks fell in quiet trade.", lang="en")
             for i in range(20)]
    index = Index.build(tmp_path, docs)
    ids = [hit.id for hit in index.search("oil", per_page=12).hits]
    assert ids[:6] == sorted(ids[:6], key=lambda i: int(i[3:])) and all(i.startswith("oil") and i != "oilman"
                                                                          for i in ids[:6])
    assert set(ids[6:]) == {"oilman", *(f"seed{i}" for i in range(5))}  # still found, after
    assert [hit.id for hit in index.search("oil", prefix=False).hits][:6] == ids[:6]
    index.close()


def test_a_word_typed_alone_ranks_above_its_completions_even_when_they_are_more_used(tmp_path):
    """"bio" alone is bio: the two stories that say it come first, though biotechnology, which it begins, is in
    many more; after another word («Лавров Мак») a likelier completion still ranks with the word."""
    docs = [Document(id=f"tech{i}", title=f"BIOTECHNOLOGY FIRM {i} GAINS", text="Biotechnology shares rose.",
                     lang="en") for i in range(12)]
    docs += [Document(id="bio1", title="ENS BIO LOGICALS YEAR NET", text="Bio Logicals reported a profit.", lang="en"),
             Document(id="bio2", title="Quarterly report", text="The bio unit grew. " + "Sales were flat. " * 30,
                      lang="en")]
    index = Index.build(tmp_path, docs)
    assert {hit.id for hit in index.search("bio").hits[:2]} == {"bio1", "bio2"}
    assert len(index.search("bio").hits) == 10  # the completions still follow
    index.close()


def test_a_preposition_between_two_words_does_not_outweigh_them(tmp_path):
    """«санкции против Турции»: «против» is a function word, as "against" is: a story about sanctions against
    Turkey leads, not one that says «против» ten times and names Turkey once in passing; quoted, the phrase
    still finds its words in order; ПРО written in capitals is the abbreviation, not the preposition «про»."""
    docs = [Document(id="turkey", title="США обсуждают меры", text="Конгресс готовит санкции против Турции.",
                     lang="ru"),
            Document(id="iran", title="Депутаты выступили против",
                     text="Санкции введены. " + "Депутаты выступили против. " * 10 + "Турция промолчала.",
                     lang="ru"),
            Document(id="putin-abm", title="Заявление президента", text="Путин высказался о системе ПРО в Европе.",
                     lang="ru"),
            Document(id="putin", title="Путин провёл встречу", text="Путин, Путин и снова Путин о погоде.",
                     lang="ru")]
    docs += [Document(id=f"x{i}", title=f"Погода {i}", text="Днём тепло, ночью прохладно.", lang="ru")
             for i in range(10)]
    index = Index.build(tmp_path, docs)
    assert [hit.id for hit in index.search("санкции против Турции").hits][:2] == ["turkey", "iran"]
    assert [hit.id for hit in index.search('"санкции против Турции"').hits] == ["turkey"]
    assert index.search("Путин о ПРО").hits[0].id == "putin-abm"
    index.close()


def test_a_capitalized_surname_finds_the_person_not_the_common_word(tmp_path):
    """«Волков» is the surname: the biker club «Ночные волки» (whose genitive plural «волков» is the surname's
    form) and the wolves are not on its screen, nor the frost for «Морозов»; lower-case «волков» keeps both
    readings."""
    docs = [Document(id="bikers", title="«Ночные волки» проехали по Крыму",
                     text="Байкеры клуба «Ночных волков» проехали по Крыму. Волки на эмблеме.", lang="ru"),
            Document(id="forest", title="В лесу стало больше волков", text="Стая волков вышла к деревне.", lang="ru"),
            Document(id="fighter", title="Боец выиграл турнир",
                     text="Россиянин Александр Волков нокаутировал соперника.", lang="ru"),
            Document(id="skier", title="Биатлонисты выиграли гонку", text="Гонку выиграли Волкова и Юрлова.",
                     lang="ru"),
            Document(id="sands", title="Зыбучие пески", text="Туристы застряли в зыбучих песках.", lang="ru"),
            Document(id="pork", title="Цены на мясо", text="Свинина подорожала. Свинину везут из Бразилии.", lang="ru"),
            Document(id="coach", title="Тренеры о решении МОК",
                     text="Тренер Александр Свинин прокомментировал решение.", lang="ru"),
            Document(id="sultan", title="Бой в Грозном", text="Боец Султан Алиев выиграл бой.", lang="ru"),
            Document(id="sultanov", title="Заявление депутата", text="Депутат Тимур Султанов выступил.", lang="ru"),
            Document(id="peskov", title="В Кремле ответили на вопросы",
                     text="Пресс-секретарь президента Дмитрий Песков ответил журналистам.", lang="ru"),
            Document(id="frost", title="Москвичей ждут морозы", text="Морозы ударят в выходные.", lang="ru"),
            Document(id="skater", title="Фигуристы лидируют", text="Тарасова и Морозов лидируют.", lang="ru"),
            Document(id="yarovaya", title="Закон принят", text="Законопроект депутата Ирины Яровой приняли.",
                     lang="ru"),
            Document(id="field", title="Посевная", text="Весной засеяли яровой клин.", lang="ru")]
    docs += [Document(id=f"x{i}", title=f"Погода {i}", text="Днём тепло, ночью прохладно.", lang="ru")
             for i in range(10)]
    index = Index.build(tmp_path, docs)
    assert {hit.id for hit in index.search("Волков").hits} == {"fighter", "skier"}
    assert {hit.id for hit in index.search("Волков ").hits} == {"fighter", "skier"}  # typed whole
    assert [hit.id for hit in index.search("Песков").hits] == ["peskov"]
    # Typed as the last word, «Свинин» is not completed to the pork it begins: its documents name the person.
    assert [hit.id for hit in index.search("Свинин").hits] == ["coach"]
    # A surname before a first name: «Султанов» is not the name Султан's genitive plural.
    assert [hit.id for hit in index.search("Султанов ").hits] == ["sultanov"]
    # Typed in the nominative, «Морозов» is the surname, not the genitive plural of the surname Мороз (frost).
    assert [hit.id for hit in index.search("Морозов ").hits] == ["skater"]
    # Being typed, a surname no text names is the beginning of a person's name that texts do: «Яров» (Яровая).
    assert [hit.id for hit in index.search("Яров").hits] == ["yarovaya"]
    assert {"bikers", "forest", "fighter"} <= {hit.id for hit in index.search("волков", prefix=False).hits}
    index.close()


def test_a_word_in_capitals_that_is_an_abbreviation_is_not_the_common_word_it_also_spells(tmp_path):
    """«ОПЕК» is the cartel, not the genitive plural of «опека» (guardianship), which put a zoo's animals under
    care at #3 for ОПЕК on RT; lower-case «опек» keeps both readings, and a word in capitals that is no
    abbreviation (САНКЦИИ, caps lock on) is the word."""
    docs = [Document(id="opec", title="Нефть дорожает", text="Страны ОПЕК сократили добычу нефти.", lang="ru"),
            Document(id="care", title="Зоопарк", text="Люди стали брать животных под опеку.", lang="ru"),
            Document(id="sanctions", title="Решение ЕС", text="Евросоюз продлил санкции.", lang="ru")]
    docs += [Document(id=f"x{i}", title=f"Погода {i}", text="Днём тепло, ночью прохладно.", lang="ru")
             for i in range(10)]
    index = Index.build(tmp_path, docs)
    assert [hit.id for hit in index.search("ОПЕК").hits] == ["opec"]
    assert {hit.id for hit in index.search("опек", prefix=False).hits} == {"opec", "care"}
    assert [hit.id for hit in index.search("САНКЦИИ").hits] == ["sanctions"]
    index.close()


def test_a_word_being_typed_does_not_cross_as_a_name_when_it_begins_a_more_frequent_word(tmp_path):
    """«Яров», Яровая being typed, found Blue Arrow (the key VrVv) on RT + Reuters; «Лав», Лавров being typed,
    the law. A beginning that no text holds whole, or that begins a more frequent other word, does not cross as
    a name; typed whole, «Лавров» still finds Lavrov."""
    docs = [Document(id=f"yarovaya{i}", title=f"Закон {i}", text="Вице-спикер Ирина Яровая внесла законопроект.",
                     lang="ru") for i in range(3)]
    docs += [Document(id=f"lavrov{i}", title=f"Визит {i}", text="Сергей Лавров провёл переговоры.", lang="ru")
             for i in range(4)]
    docs += [Document(id="love", title="Концерт", text="Кортни Лав дала концерт.", lang="ru"),
             Document(id="arrow", title="Blue Arrow buys", text="Blue Arrow PLC agreed to buy a firm.", lang="en"),
             Document(id="law", title="New law", text="The Law Society said so.", lang="en"),
             Document(id="lavrov-en", title="Moscow talks", text="Sergei Lavrov met the envoy.", lang="en")]
    docs += [Document(id=f"x{i}", title=f"Weather {i}", text="Sunny and warm in the afternoon.", lang="en")
             for i in range(10)]
    index = Index.build(tmp_path, docs)
    assert "arrow" not in {hit.id for hit in index.search("Яров").hits}
    assert "law" not in {hit.id for hit in index.search("Лав").hits}
    assert "lavrov-en" in {hit.id for hit in index.search("Лавров").hits}
    index.close()


def test_a_name_comes_before_a_look_alike_of_the_other_language(tmp_path):
    """«Макей» in a mixed index: the texts naming Макей first, then those naming Maki or Mackay, whose key it
    shares (the sugar port and a Japanese official of 1987 Reuters wires), however short they are."""
    topics = ["визовый режим", "транзит грузов", "торговлю зерном"]
    docs = [Document(id=f"makei{i}", title=f"Переговоры в Минске {i}", text=f"Министры обсудили {topic}. Глава МИД "
                     f"Белоруссии Владимир Макей провёл переговоры." + f" Стороны обсудили {topic}." * (i + 3),
                     lang="ru") for i, topic in enumerate(topics)]
    docs += [Document(id="maki", title="Japan farm market", text="Hideo Maki spoke.", lang="en"),
             Document(id="mackay", title="Rain in Australia", text="Rain fell on Mackay.", lang="en")]
    docs += [Document(id=f"x{i}", title=f"Weather {i}", text="Sunny and warm in the afternoon.", lang="en")
             for i in range(10)]
    index = Index.build(tmp_path, docs)
    ranked = [hit.id for hit in index.search("Макей").hits]
    assert sorted(ranked[:3]) == ["makei0", "makei1", "makei2"], ranked
    assert {"maki", "mackay"} <= set(ranked[3:])  # still found: a reader may mean them
    index.close()


def test_a_partial_word_finds_the_likeliest_word_it_begins_first(tmp_path):
    """«санкц» typed so far: санкции, which the index holds most often, not the rare «санкционировал», whose
    rarity made it the weightiest completion."""
    docs = [Document(id=f"s{i}", title=f"Новости {i}", text="Евросоюз продлил санкции против России. " * (1 + i % 3),
                     lang="ru") for i in range(12)]
    docs += [Document(id="rare", title="Парламент санкционировал модернизацию", text="Решение принято.", lang="ru")]
    docs += [Document(id=f"x{i}", title=f"Погода {i}", text="Днём тепло, ночью прохладно.", lang="ru")
             for i in range(20)]
    index = Index.build(tmp_path, docs)
    hits = index.search("санкц").hits
    assert hits[0].id.startswith("s") and "rare" in [h.id for h in index.search("санкц", per_page=13).hits]
    index.close()


def test_documents_that_score_the_same_come_in_one_order_whatever_the_build_order(tmp_path):
    """Ties are broken by a key of the document's id, not by where the build put it: two indexes of the same
    documents written in opposite orders list them alike (what shards of one collection must agree on)."""
    from search import Document

    docs = [Document(f"d{i}", "Нефть", "Цены на нефть выросли.", lang="ru", date=f"2018-05-{1 + i % 2:02d}")
            for i in range(8)]
    one = Index.build(tmp_path / "one", docs)
    other = Index.build(tmp_path / "other", list(reversed(docs)))
    for query, sort in (("нефть", "relevance"), ("нефть", "date"), ("oil", "relevance")):
        first = [h.id for h in one.search(query, sort=sort, collapse=False).hits]
        assert len(first) == 8 and first == [h.id for h in other.search(query, sort=sort, collapse=False).hits]
    one.close()
    other.close()
