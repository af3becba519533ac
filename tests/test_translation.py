"""Cross-language search on real indexes: translations, names across scripts, explanations, and the switch."""

import pytest

from search import Index
from search.load.documents import make_document
from search.query.expansion import TRANSLATION, expand
from search.query.parsing import parse_query
from search.rank.ranking import prefer_cooccurring, translated_scores

RBC_MEETING = "000_cd43f6f3889422fc.txt"      # Lavrov and Makei agree to coordinate on NATO (RBC, Russian)
RBC_PESKOV = "001_0ee8888d4f2f9c11.txt"       # Putin's instruction on security guarantees (RBC)
RBC_STOLTENBERG = "002_e32f487541269c9d.txt"  # Russia-NATO council, Stoltenberg (RBC)
TASS = "004_50ced7505d569705.txt"             # Russia, Belarus agree to seek improvement with NATO (TASS, English)


def ids(result):
    return [hit.id for hit in result.hits]


def test_lavrov_makei_finds_the_russian_and_the_english_report_first(seed_index):
    assert set(ids(seed_index.search("Lavrov Makei"))[:2]) == {RBC_MEETING, TASS}


def test_stoltenberg_finds_the_russian_article_that_quotes_him(seed_index):
    result = seed_index.search("Stoltenberg")
    assert RBC_STOLTENBERG in ids(result)
    hit = next(h for h in result.hits if h.id == RBC_STOLTENBERG)
    assert "<mark>Столтенберг</mark>" in hit.snippet
    assert hit.crossed == [{"from": "Stoltenberg", "to": "Столтенберг", "via": "name"}]


def test_a_russian_query_brings_the_english_report_into_the_top_three(seed_index):
    result = seed_index.search("Россия Белоруссия НАТО отношения")
    assert TASS in ids(result)[:3]
    tass = next(h for h in result.hits if h.id == TASS)
    assert "НАТО → NATO" in tass.crossed_text and "отношения → relations" in tass.crossed_text
    assert "<mark>Belarus</mark>" in tass.snippet or "<mark>Belarus</mark>" in tass.title_html


def test_translated_forms_are_marked_in_the_snippet(seed_index):
    tass = next(h for h in seed_index.search("переговоры о гарантиях безопасности").hits if h.id == TASS)
    assert "<mark>security</mark>" in tass.snippet
    assert {"from": "безопасности", "to": "security", "via": "translation"} in tass.crossed


def test_cross_language_off(seed_index):
    assert ids(seed_index.search("Lavrov Makei", cross_language=False)) == [TASS]
    assert seed_index.search("Stoltenberg", cross_language=False).total == 0
    plain = seed_index.search("Лавров", cross_language=False)
    assert TASS not in ids(plain) and all(hit.crossed == [] for hit in plain.hits)


def test_hits_in_the_query_language_carry_no_explanation(seed_index):
    result = seed_index.search("Lavrov Makei")
    assert next(h for h in result.hits if h.id == TASS).crossed == []
    assert next(h for h in result.hits if h.id == RBC_MEETING).crossed_text == "Lavrov → Лавров, Makei → Макеем"


def test_field_and_exclusion_rules_hold_across_languages(seed_index):
    assert seed_index.search("title:Stoltenberg").total == 0  # nobody has him in a title, in either script
    assert RBC_PESKOV not in ids(seed_index.search("Lavrov -Путин"))


@pytest.fixture(scope="module")
def twin_index(tmp_path_factory):
    """The same short news item in Russian and in English, and unrelated filler."""
    docs = [
        make_document("ru", "", "Лавров встретился с Макеем в Минске и обсудил отношения с НАТО."),
        make_document("en", "", "Lavrov met Makei in Minsk and discussed relations with NATO."),
        *(make_document(f"filler{i}", "", f"Погода в городе номер {i}: дождь и ветер.") for i in range(6)),
    ]
    index = Index.build(tmp_path_factory.mktemp("twins"), docs)
    yield index
    index.close()


def test_the_query_language_ranks_first_when_both_match_as_well(twin_index):
    assert ids(twin_index.search("Лавров Макей отношения НАТО")) == ["ru", "en"]
    assert ids(twin_index.search("Lavrov Makei relations NATO")) == ["en", "ru"]


@pytest.fixture(scope="module")
def sports_index(tmp_path_factory):
    """'point' is «очко» in sport and «точка», «полуостров» elsewhere: the other query words tell which."""
    docs = [
        make_document("sport", "", "Защита команды: 308 очков за сезон."),  # as long as the next one
        make_document("geo", "", "Точка на карте: защита природы побережья."),
        *(make_document(f"map{i}", "", f"Точка номер {i} на карте, полуостров у моря.") for i in range(4)),
        *(make_document(f"filler{i}", "", f"Погода в городе номер {i}: дождь и ветер.") for i in range(10)),
    ]
    index = Index.build(tmp_path_factory.mktemp("sports"), docs)
    yield index
    index.close()


def test_translations_that_meet_the_other_query_words_weigh_more(sports_index):
    query = expand(parse_query("defense points"))
    ctx = sports_index._scoring()
    matches = [c.clause.scores(ctx, query.budget) > 0 for c in query.clauses]
    matches = [m | (translated_scores(ctx, c) > 0) for m, c in zip(matches, query.clauses, strict=True)]
    reweighed = prefer_cooccurring(ctx, query, matches)
    weight = {t.shown: t.weight for t in reweighed.clauses[1].of(TRANSLATION)}
    assert weight["очко"] == 1.0 and weight["точка"] < 1.0 and weight["полуостров"] < 1.0
    assert ids(sports_index.search("defense points"))[0] == "sport"


def test_a_word_with_many_translations_weighs_like_one_word(sports_index):
    # "point" has a dozen translations; two of them in one text still count as one query word, not two.
    assert len(expand(parse_query("points")).clauses[0].of(TRANSLATION)) >= 5
    two_senses = next(h for h in sports_index.search("points").hits if h.id == "map0")  # точка and полуостров
    one_word = next(h for h in sports_index.search("peninsula").hits if h.id == "map0")  # полуостров alone
    assert two_senses.score < 1.5 * one_word.score


def _translated(query: str, **kwargs) -> dict[str, list[str]]:
    return {c.clause.source: [e.shown for e in c.of(TRANSLATION)] for c in expand(parse_query(query), **kwargs).clauses}


def test_a_surname_crosses_languages_by_its_name_not_by_the_word_it_comes_from():
    assert _translated("Соколов") == {"Соколов": []}          # not "falcon"
    assert _translated("Песков заявил")["Песков"] == []       # not "sand"
    assert _translated("Новиков") == {"Новиков": []}          # not "Newman" either
    assert "Moscow" in _translated("Москва")["Москва"]       # a place keeps its translation
    # An English capital tells little (Oil prices, the Parliament): a name is what the index holds as one.
    assert "охотник" in _translated("Bob Hunter")["Hunter"]
    assert _translated("Bob Hunter", mostly_a_name=lambda word: True)["Hunter"] == []
    assert _translated("Warsaw", mostly_a_name=lambda word: True)["Warsaw"] == ["варшава"]  # a place


def test_a_surname_brings_no_english_hit_through_its_common_word(tmp_path):
    docs = [make_document("falcon", "FALCON CABLE SETS INITIAL DISTRIBUTION", "Falcon Cable said the falcon ..."),
            make_document("sokolov", "Соколов назначен министром", "Александр Соколов стал министром."),
            make_document("sokolov-en", "Sokolov appointed minister", "Alexander Sokolov became minister.")]
    with Index.build(tmp_path / "ix", docs) as index:
        assert set(ids(index.search("Соколов", prefix=False))) == {"sokolov", "sokolov-en"}


def test_a_code_is_found_as_the_other_script_writes_it(tmp_path):
    docs = [make_document("ru", "Турция получила С-400", "Эрдоган подтвердил поставку С-400."),
            make_document("en", "Turkey receives S-400", "Erdogan confirmed the S-400 delivery."),
            make_document("mc", "MC-21 flies", "The MC-21 airliner made its first flight.")]
    with Index.build(tmp_path / "ix", docs) as index:
        assert set(ids(index.search("С-400", prefix=False))) == {"ru", "en"}
        assert set(ids(index.search("S-400", prefix=False))) == {"ru", "en"}
        assert ids(index.search("МС-21", prefix=False)) == ["mc"]
        en = next(h for h in index.search("С-400", prefix=False).hits if h.id == "en")
        assert "<mark>S-400</mark>" in en.snippet


def test_a_translation_is_weighed_by_how_many_senses_it_has_and_a_phrase_must_stand_together(tmp_path):
    """«санкции» in English is "sanction" before "author" (the stem of authority and authorize, which stands for
    12 Russian words); "deal" in Russian is «имеем дело» where the two words stand together, not «дел» in
    «министр иностранных дел» with «имеет» further on."""
    docs = [make_document("auth", "Authorities approve budget", "The authorities authorized the budget.", lang="en"),
            make_document("sanc", "New sanctions on trade", "The sanctions hit trade in chips.", lang="en"),
            make_document("ministry", "Визит министра",
                          "Министр иностранных дел прибыл в Париж. Он имеет большой опыт.", lang="ru"),
            make_document("together", "Кризис", "Сегодня мы имеем дело с новым кризисом.", lang="ru")]
    docs += [make_document(f"x{i}", f"Weather {i}", "Warm by day, cool at night.", lang="en") for i in range(10)]
    index = Index.build(tmp_path, docs)
    assert ids(index.search("санкции", lang="en"))[0] == "sanc"
    assert ids(index.search("deal", lang="ru")) == ["together"]
    index.close()


def test_a_translation_does_not_count_inside_a_fixed_expression(tmp_path):
    """"number" in Russian is «число», but not in «в том числе»; "price" is «цена», but not in «любой ценой»;
    «место» in English is "place", but not in "took place". The word searched in its own language still finds them."""
    docs = [make_document("idiom", "Визит", "Делегация, в том числе министры, любой ценой добилась встречи.",
                          lang="ru"),
            make_document("count", "Перепись", "Число жителей выросло, в том числе в сёлах.", lang="ru"),
            make_document("cost", "Рынок", "Цена на нефть выросла.", lang="ru"),
            make_document("held", "Talks", "The talks took place in Vienna.", lang="en"),
            make_document("site", "Site", "The place of the crash was found.", lang="en")]
    docs += [make_document(f"x{i}", f"Погода {i}", "Днём тепло, ночью прохладно.", lang="ru") for i in range(10)]
    index = Index.build(tmp_path, docs)
    assert ids(index.search("number", lang="ru")) == ["count"]
    assert ids(index.search("price", lang="ru")) == ["cost"]
    assert ids(index.search("место", lang="en")) == ["site"]
    assert set(ids(index.search("число", lang="ru"))) == {"idiom", "count"}
    index.close()
