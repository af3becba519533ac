from search.load.boilerplate import extract_main_content, first_sentence_title


def _content(path):
    return extract_main_content(path.read_text(encoding="utf-8").splitlines())


def test_seed_headlines_are_found_not_the_site_navigation(seeds_dir):
    titles = {p.name[:3]: _content(p).title for p in seeds_dir.iterdir()}
    assert titles["000"] == "Россия и Белоруссия договорились согласовывать взаимодействие с НАТО"
    assert titles["001"] == "Кремль объяснил поручение Путина держать в «известном напряжении» Запад"
    assert titles["002"] == "Россия и НАТО обсудили восстановление работы миссий в Москве и Брюсселе"
    assert titles["004"] == "Russia, Belarus agree to seek improvement in relations with NATO"
    # 003 has no headline line: a section label followed by a "most read" list is not one.
    assert titles["003"] == ""


def test_tickers_feeds_and_ads_are_not_main_content(seeds_dir):
    for path in seeds_dir.iterdir():
        body = "\n".join(_content(path).paragraphs)
        for junk in ("Курс доллара", "USD ЦБ", "Лента новостей", "Перейти к основному контенту", "Most read",
                     "ADVERTISEMENT", "Currency converter", "Экс-политзаключенный", "Купить со скидкой"):
            assert junk not in body, (path.name, junk)


def test_article_prose_is_kept(seeds_dir):
    body = "\n".join(_content(next(seeds_dir.glob("001_*"))).paragraphs)
    assert "начать переговоры о создании системы гарантий безопасности" in body
    # A paragraph after an interruption (a "read also" link and a photo credit) still belongs to the article.
    assert "Накануне Путин, выступая на расширенном заседании коллегии МИД России" in body
    assert "приостанавливает работу полпредства при альянсе" in body


def test_a_clean_text_is_kept_whole_with_its_first_line_as_title():
    lines = ["A note on indexing", "", "Short line one.", "Another short line here."]
    content = extract_main_content(lines)
    assert content.title == "A note on indexing"
    assert content.paragraphs == ["Short line one.", "Another short line here."]


def test_a_generic_page_loses_its_menu_and_footer():
    page = ["Home", "About us", "Contacts", "Weather: +5", "Council approves the new budget",
            "The city council approved the budget for next year on Tuesday, after a debate that lasted for "
            "most of the day and ended with a narrow vote.",
            "The mayor said that the money would go to schools and to the repair of the old bridge.",
            "Share", "Tweet", "© 2024 City News", "Privacy policy"]
    content = extract_main_content(page)
    assert content.title == "Council approves the new budget"
    assert len(content.paragraphs) == 2
    assert "Privacy policy" not in content.paragraphs


def test_first_sentence_title_is_cut_at_a_word_boundary():
    assert first_sentence_title("Stocks rose. Bonds fell.") == "Stocks rose"
    long = "word " * 60
    title = first_sentence_title(long)
    assert len(title) <= 121 and title.endswith("…") and " wor…" not in title


def test_a_style_block_in_a_text_is_page_code():
    from search.load.boilerplate import without_code

    style = ("body{min-height:500px}.playbuzz-bp-full-screen{z-index: 2147483647; left: 0; top: 0; background: #fff;"
             " width: 100%; height: 100%; position: fixed !important}")
    assert without_code("Десять цитат Стивена Хокинга.\n" + style) == "Десять цитат Стивена Хокинга."
    assert without_code("Кейс: {a: 1} и {b: 2}.") == "Кейс: {a: 1} и {b: 2}."  # short prose with braces stays
