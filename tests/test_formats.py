from search.load.formats import find_date, parse_html, parse_markdown, parse_plain


def test_html_uses_h1_meta_date_canonical_url_and_drops_chrome():
    page = """<!doctype html><html lang="ru"><head><title>Заголовок — Сайт</title>
    <meta property="article:published_time" content="2022-01-10T12:00:00+03:00">
    <link rel="canonical" href="https://example.org/a/1">
    <style>p { color: red }</style><script>var secret = "не индексировать";</script></head>
    <body><nav><a href="/">Главная</a> <a href="/news">Новости</a></nav>
    <h1>Переговоры о гарантиях безопасности начались в Женеве</h1>
    <p>Делегации России и США провели в Женеве первый раунд переговоров о гарантиях безопасности, который
    продолжался почти восемь часов и завершился без общего заявления.</p>
    <p>Стороны договорились продолжить консультации &amp; обмен мнениями.</p>
    <footer>© Сайт, все права защищены</footer></body></html>"""
    parsed = parse_html(page)
    assert parsed.title == "Переговоры о гарантиях безопасности начались в Женеве"
    assert parsed.date == "2022-01-10T09:00:00Z"  # the page says 12:00 at +03:00
    assert parsed.url == "https://example.org/a/1"
    assert parsed.lang == "ru"
    assert "первый раунд переговоров" in parsed.text
    assert "консультации & обмен" in parsed.text
    for junk in ("secret", "Главная", "все права защищены", "color"):
        assert junk not in parsed.text


def test_html_without_h1_uses_title_tag():
    parsed = parse_html("<html><head><title>Only a title</title></head><body><p>Some body text.</p></body></html>")
    assert parsed.title == "Only a title"
    assert parsed.text == "Some body text."


def test_markdown_front_matter_heading_and_markup():
    text = "---\ntitle: Front title\ndate: 2020-01-02\nurl: https://x.org\n---\n# Heading\n\nSome **bold** and " \
           "[a link](https://y.org) and ![alt text](i.png).\n\n- first item\n1. numbered item\n\n```\ncode\n```\n"
    parsed = parse_markdown(text)
    assert parsed.title == "Front title"
    assert parsed.date == "2020-01-02"
    assert parsed.url == "https://x.org"
    assert "Some bold and a link and alt text." in parsed.text
    assert "first item" in parsed.text and "numbered item" in parsed.text and "```" not in parsed.text


def test_markdown_first_heading_is_the_title():
    parsed = parse_markdown("# Заметка о поиске\n\nТекст заметки.\n\n## Раздел\n\nЕщё текст.")
    assert parsed.title == "Заметка о поиске"
    assert "Раздел" in parsed.text and "Заметка о поиске" not in parsed.text


def test_plain_text_date_is_read_from_the_header(seeds_dir):
    parsed = parse_plain(next(seeds_dir.glob("004_*")).read_text(encoding="utf-8"))
    assert parsed.date == "2018-05-29"


def test_find_date_formats():
    assert find_date("Published May 29, 2018") == "2018-05-29"
    assert find_date("29 мая 2018 г.") == "2018-05-29"
    assert find_date("24.01.2022 17:13") == "2022-01-24"
    assert find_date("2022-13-45 and nothing else") == ""
    assert find_date("no date here") == ""


def test_a_text_that_is_all_page_code_is_skipped_with_its_reason(tmp_path):
    """Found by the fuzz test: a record whose only line reads as page code ("0000…){") was cleaned to nothing,
    yielded empty, and then not indexed, without a word."""
    import json

    from search import load_documents

    (tmp_path / "f0.txt").write_text("0000000000000000000000){", encoding="utf-8")
    (tmp_path / "r.jsonl").write_text(json.dumps({"id": "r0", "text": "0000000000000000000000){"}) + "\n",
                                      encoding="utf-8")
    skipped = []
    docs = list(load_documents(tmp_path, on_skip=lambda path, reason: skipped.append((str(path), reason))))
    assert docs == [] and len(skipped) == 2 and all("page code" in reason for _, reason in skipped)
