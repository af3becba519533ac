"""The HTML pages through Flask's test client."""

import re
from html import unescape

import pytest

from tests.test_web_api import hostile_client  # noqa: F401  (a shared fixture)


def test_home_has_an_autofocused_labelled_search_box(client):
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'<label for="q"', html) and "autofocus" in html and 'role="search"' in html
    assert "Search Russian and English text together" in html  # the empty state explains the syntax


def test_labels_follow_the_browsers_language(client):
    html = client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="ru">' in html and "Найти" in html
    html = client.get("/", headers={"Accept-Language": "en-GB,en"}).get_data(as_text=True)
    assert '<html lang="en">' in html and ">Search<" in html
    # The first preference wins, by its primary tag: an exact "en" further down does not beat "ru-RU".
    for header, lang in (("ru-RU,en;q=0.5", "ru"), ("de-DE,en-US;q=0.8,ru;q=0.5", "en"), ("uk,ru;q=0.9", "ru"),
                         ("fr", "en"), ("ru;q=0,en", "en")):
        html = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
        assert f'<html lang="{lang}">' in html, header


def test_results_page(client):
    response = client.get("/", query_string={"q": "переговоры о гарантиях безопасности"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="переговоры о гарантиях безопасности"' in html  # the box keeps the query
    assert "3 results" in html and " ms" in html
    assert "<mark>гарантиям</mark>" in html
    assert 'href="/doc/001_0ee8888d4f2f9c11.txt?q=' in html
    assert 'class="badge lang-ru"' in html
    # The English TASS report comes third (page 2 here), through translation, and says so.
    html = client.get("/", query_string={"q": "переговоры о гарантиях безопасности", "page": 2}).get_data(as_text=True)
    assert "Found through the other language:" in html and "безопасности → security" in html
    assert "<mark>security</mark>" in html


def test_language_filter_with_counts_and_pagination(client):
    html = client.get("/", query_string={"q": "НАТО OR NATO"}).get_data(as_text=True)
    assert re.search(r'data-lang="all">All <span class="count">5</span>', html)
    assert re.search(r'data-lang="ru">Русский <span class="count">4</span>', html)
    assert re.search(r'data-lang="en">English <span class="count">1</span>', html)
    assert 'rel="next"' in html and "page 1 of 3" in html
    page2 = client.get("/", query_string={"q": "НАТО OR NATO", "page": 2}).get_data(as_text=True)
    assert 'rel="prev"' in page2 and '<ol class="hits" start="3">' in page2
    english = client.get("/", query_string={"q": "НАТО OR NATO", "lang": "en"}).get_data(as_text=True)
    assert english.count('class="hit"') == 1 and 'name="lang" value="en"' in english


def test_empty_result_and_malformed_query(client):
    html = client.get("/", query_string={"q": "zzzqqq"}).get_data(as_text=True)
    assert "Nothing found for «zzzqqq»" in html
    response = client.get("/", query_string={"q": "*"})
    assert response.status_code == 400 and "wildcard" in response.get_data(as_text=True)
    response = client.get("/", query_string={"q": "NATO", "page": "x"})
    assert response.status_code == 400 and "page must be a whole number" in response.get_data(as_text=True)


def test_pages_before_the_first_and_past_the_last_lead_to_real_ones(client):
    first = client.get("/", query_string={"q": "НАТО", "page": 0, "lang": "ru"})
    assert first.status_code == 302 and "page=" not in first.location
    assert "lang=ru" in first.location and "q=%D0%9D%D0%90%D0%A2%D0%9E" in first.location
    past = client.get("/", query_string={"q": "НАТО", "page": 800})
    assert past.status_code == 302 and "page=3" in past.location  # 5 results, 2 a page
    last = client.get(past.location).get_data(as_text=True)
    assert '<ol class="hits" start="5">' in last
    nothing = client.get("/", query_string={"q": "zzzqqq", "page": 800})
    assert nothing.status_code == 200 and "Nothing found" in nothing.get_data(as_text=True)


def test_document_page_highlights_and_links_back(client):
    response = client.get("/doc/001_0ee8888d4f2f9c11.txt", query_string={"q": "гарантии безопасности"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count("<mark>") >= 8 and "<mark>гарантий</mark>" in html
    assert 'href="/?q=' in html and "Back to results" in html
    assert client.get("/doc/no-such-doc").status_code == 404
    assert client.get("/doc/../../setup.cfg").status_code == 404
    assert client.get("/doc/001_0ee8888d4f2f9c11.txt", query_string={"q": "*"}).status_code == 200


def test_opensearch_description(client):
    response = client.get("/opensearch.xml")
    assert response.status_code == 200 and response.mimetype == "application/opensearchdescription+xml"
    assert "/?q={searchTerms}" in response.get_data(as_text=True)
    assert 'rel="search"' in client.get("/").get_data(as_text=True)


def test_document_html_and_queries_are_shown_as_text(hostile_client):  # noqa: F811
    query = 'переговоры <script>alert("q")</script>'
    for html in (hostile_client.get("/", query_string={"q": query}).get_data(as_text=True),
                 hostile_client.get("/doc/x<script>", query_string={"q": query}).get_data(as_text=True)):
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html
    doc_page = hostile_client.get("/doc/x<script>").get_data(as_text=True)
    assert 'href="javascript:' not in doc_page and "javascript:alert(3)" in doc_page  # shown, not linked


def test_static_files_are_served(client):
    for name in ("style.css", "search-box.js"):
        with client.get(f"/static/{name}") as response:
            assert response.status_code == 200
    assert client.get("/static/../setup.cfg").status_code == 404


def test_cross_language_on_the_page_and_off_with_the_box(client):
    html = client.get("/", query_string={"q": "Stoltenberg"}).get_data(as_text=True)
    assert "<mark>Столтенберг</mark>" in html and "Stoltenberg → Столтенберг" in html
    assert 'name="cross_language" value="0"' in html and "checked" not in html
    html = client.get("/", query_string={"q": "Stoltenberg", "cross_language": "0"}).get_data(as_text=True)
    assert "Nothing found" in html and 'class="applies"\n             checked' in html
    # The document page marks the Russian form of an English name too.
    html = client.get("/doc/002_e32f487541269c9d.txt", query_string={"q": "Stoltenberg"}).get_data(as_text=True)
    assert "<mark>Столтенберг</mark>" in html
    # Opened with translation off, the document marks nothing across scripts and its search box says so.
    html = client.get("/doc/002_e32f487541269c9d.txt", query_string={"q": "Stoltenberg", "cross_language": "0"})
    html = html.get_data(as_text=True)
    assert "<mark>" not in html and 'class="applies"\n             checked' in html


def test_a_corrected_query_says_so_and_links_the_literal_one(client):
    html = client.get("/", query_string={"q": "перегаворы"}).get_data(as_text=True)
    assert 'id="corrected"' in html and "«<strong>переговоры</strong>»" in html
    assert "typos=0" in html and "«перегаворы»" in html
    literal = client.get("/", query_string={"q": "перегаворы", "typos": 0}).get_data(as_text=True)
    assert 'id="corrected"' not in literal and 'name="typos"' not in literal


def test_did_you_mean_offers_the_frequent_neighbour_of_a_rare_word(tmp_path):
    from search import Document, Index
    from web import create_app

    docs = [Document(id=f"d{i}", title="", text=f"Переговоры номер {i}.", lang="ru") for i in range(60)]
    docs.append(Document(id="slip", title="", text="Перегаворы с опечаткой.", lang="ru"))
    Index.build(tmp_path / "index", docs).close()
    client = create_app({"SEARCH_INDEX": str(tmp_path / "index")}).test_client()
    html = client.get("/", query_string={"q": "перегаворы"}).get_data(as_text=True)
    assert 'id="did-you-mean"' in html and "?q=%D0%BF%D0%B5%D1%80%D0%B5%D0%B3%D0%BE%D0%B2%D0%BE%D1%80%D1%8B" in html
    assert 'id="corrected"' not in html
    data = client.get("/api/search", query_string={"q": "перегаворы"}).get_json()
    assert data["suggestion"] == "переговоры" and data["corrected"] == []
    # The literal word's one document first, then the offered word's (searched along in a short query).
    assert data["hits"][0]["id"] == "slip" and data["total"] == 61


@pytest.mark.parametrize("args, russian", [
    ({"q": "-Путин"}, "только исключённые"),
    ({"q": "foo:bar"}, "Поля 'foo' нет"),
    ({"q": "п*"}, "Перед звёздочкой нужно хотя бы"),
    ({"q": " ".join(f'"а{n} б{n}"' for n in range(12))}, "разных фраз в кавычках"),
    ({"q": "x" * 1001}, "Запрос слишком длинный: 1\u00a0001 символов при пределе 1\u00a0000"),
    ({"q": "нато", "since": "soon"}, "since: 'soon' — не дата"),
    ({"q": "нато", "since": "2019", "until": "2018"}, "Начальная дата позже конечной"),
    ({"q": "нато", "page": "x"}, "page должно быть целым числом"),
    ({"q": "нато", "lang": "de"}, "lang — это"),
    ({"q": "нато", "sort": "new"}, "sort — это relevance или date"),
])
def test_error_messages_follow_the_page_language(client, args, russian):
    response = client.get("/", query_string=args, headers={"Accept-Language": "ru"})
    assert response.status_code == 400 and russian in unescape(response.get_data(as_text=True))
    english = client.get("/", query_string=args, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert russian not in english  # the English page keeps the library's own words


def test_a_missing_document_is_said_in_the_page_language(client):
    html = unescape(client.get("/doc/no-such-doc", headers={"Accept-Language": "ru"}).get_data(as_text=True))
    assert "Документа с id 'no-such-doc' нет." in html


def test_a_huge_document_is_read_in_parts(tmp_path):
    # A 13.5-million-character document made a 28 MB page; each part is about PART_CHARS characters now.
    from search import Document, Index
    from search.analysis.passages import PART_CHARS
    from web import create_app

    paragraph = "Переговоры о нефти продолжились в Вене, министры спорили о квотах. " * 20
    text = "\n\n".join(f"{n}. {paragraph}" for n in range(int(PART_CHARS * 2.5 / len(paragraph))))
    Index.build(tmp_path / "ix", [Document(id="huge", title="Огромный", text=text, lang="ru")]).close()
    client = create_app({"SEARCH_INDEX": str(tmp_path / "ix")}).test_client()
    first = client.get("/doc/huge?q=нефть", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "part 1 of 3" in first and "<mark>нефти</mark>" in first
    assert len(first) < PART_CHARS * 1.5
    next_url = unescape(re.search(r'<a rel="next" href="([^"]+)"', first).group(1))
    assert "part=2" in next_url and "q=" in next_url  # the query's marks follow to the next part
    last = client.get("/doc/huge?q=нефть&part=3", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "part 3 of 3" in last and 'rel="next"' not in last and 'rel="prev"' in last
    shown = "".join(re.findall(r"<p>(.*?)</p>", first + client.get(next_url).get_data(as_text=True) + last))
    assert unescape(re.sub(r"</?mark>", "", shown)).count("Переговоры о нефти") == text.count("Переговоры о нефти")
    refused = client.get("/doc/huge?part=4")
    assert refused.status_code == 400 and "from 1 to 3" in refused.get_data(as_text=True)
    assert client.get("/doc/huge?part=x").status_code == 400


ODD_IDS = ["a//b", "/abs/file.txt", "a/../b", "a/./b", "x/related", "dir/", "related", "100%?#&=.txt"]


def test_every_document_id_opens_from_the_page_and_the_api(tmp_path):
    # Ids holding // or ending in /related could not be fetched: a link now carries them in its query string
    # when a path would lose them.
    from search import Document, Index
    from web import create_app
    from web.links import fits_a_path

    assert [fits_a_path(i) for i in ODD_IDS] == [False, False, False, False, False, False, True, True]
    docs = [Document(id=doc_id, title=f"Переговоры {n}", text=f"Переговоры номер {n} о нефти.", lang="ru")
            for n, doc_id in enumerate([*ODD_IDS, "x"])]
    Index.build(tmp_path / "ix", docs).close()
    client = create_app({"SEARCH_INDEX": str(tmp_path / "ix")}).test_client()
    html = client.get("/?q=переговоры&per_page=20").get_data(as_text=True)
    links = [unescape(link) for link in re.findall(r'<h2><a href="([^"]+)"', html)]
    assert len(links) == len(docs), links
    for link in links:
        page = client.get(link)
        assert page.status_code == 200, link
    for n, doc_id in enumerate(ODD_IDS):
        assert client.get("/api/documents", query_string={"id": doc_id}).get_json()["document"]["id"] == doc_id
        related = client.get("/api/related", query_string={"id": doc_id}).get_json()
        assert related["id"] == doc_id and related["ok"]
        title = f"Переговоры {n}"
        suggested = client.get("/api/suggest", query_string={"q": title}).get_json()["documents"]
        url = next(d["url"] for d in suggested if d["id"] == doc_id)
        assert title in client.get(url).get_data(as_text=True), url
    assert client.get("/api/documents/x/related").get_json()["id"] == "x"  # the path forms still work
    assert client.get("/api/documents/x").get_json()["document"]["id"] == "x"
    assert client.get("/api/documents").status_code == 400 and client.get("/doc").status_code == 404


def _related_heading(client, doc_id):
    import re

    page = client.get(f"/doc/{doc_id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    own = re.search(r'<dt>Language</dt><dd><span class="badge lang-(\w+)"', page).group(1)
    aside = page.split('<aside class="related"', 1)[1]
    langs = set(re.findall(r'<li><span class="badge lang-(\w+)"', aside))
    return bool(langs - {own}), re.search(r'<h2 id="related-title">([^<]+)</h2>', aside).group(1)


def test_the_related_heading_promises_the_other_language_only_when_the_list_holds_it(client, seed_index, tmp_path):
    from search import Index, make_document
    from web import create_app

    crossed = []
    for doc_id in seed_index.ids():
        crossing, heading = _related_heading(client, doc_id)
        assert heading == ("Related, the other language first" if crossing else "Related"), doc_id
        crossed.append(crossing)
    assert any(crossed)
    texts = ["Переговоры о безопасности в Европе продолжатся в Женеве.",
             "Переговоры в Женеве о безопасности Европы завершились.", "Футбольный матч в Москве перенесли."]
    with Index.build(tmp_path / "ru", [make_document(f"d{i}", text[:30], text) for i, text in enumerate(texts)]):
        pass
    russian = create_app({"SEARCH_INDEX": str(tmp_path / "ru"), "TESTING": True}).test_client()
    assert _related_heading(russian, "d0") == (False, "Related")


def test_recent_hits_read_as_days_ago_in_both_languages_the_exact_date_on_hover(tmp_path):
    import datetime as dt

    from search import Index, make_document
    from web import create_app

    today = dt.datetime.now(dt.timezone.utc).date()
    recent, old = (today - dt.timedelta(days=3)).isoformat(), "2018-05-29"
    docs = [make_document("a", "Переговоры в Женеве", "Переговоры в Женеве начались.", date=recent,
                          url="https://example.org/geneva"),
            make_document("b", "Переговоры в Минске", "Переговоры в Минске закончились.", date=old)]
    with Index.build(tmp_path / "ix", docs):
        pass
    client = create_app({"SEARCH_INDEX": str(tmp_path / "ix"), "TESTING": True}).test_client()
    for lang, recent_text, old_text in (("ru", "3 дня назад", "29 мая 2018"), ("en", "3 days ago", "May 29, 2018")):
        html = client.get("/?q=переговоры", headers={"Accept-Language": lang}).get_data(as_text=True)
        assert f'<time datetime="{recent}" title="' in html and f'">{recent_text}</time>' in html, lang
        assert f'<time datetime="{old}" title="{old_text}">{old_text}</time>' in html, lang
        assert 'href="https://example.org/geneva" target="_blank"' in html


def test_the_home_page_says_what_the_index_holds_as_stats_does(tmp_path):
    """The home page's figures are the index's overview (/api/stats), in the page's language, with example
    queries from its own titles that find documents."""
    import re

    from search import Index, make_document
    from web import create_app

    docs = [make_document(f"r{i}", f"Россия и Украина: переговоры {i}", "Россия и Украина провели переговоры.",
                          lang="ru", date=f"2018-05-{10 + i}", source="rt") for i in range(3)]
    docs += [make_document(f"e{i}", f"Bank raises oil prices {i}", "The bank raised its oil prices.", lang="en",
                           source="wire") for i in range(2)]
    with Index.build(tmp_path / "ix", docs) as index:
        overview = index.overview()
    assert overview["documents"] == 5 and overview["languages"] == {"ru": 3, "en": 2}
    assert overview["sources"] == {"rt": 3, "wire": 2}
    assert overview["dates"] == {"first": "2018-05-10", "last": "2018-05-12", "undated": 2,
                                 "dated": {"ru": 3, "en": 0}}
    assert "Россия" in overview["examples"]["ru"] and overview["examples"]["en"]
    client = create_app({"SEARCH_INDEX": str(tmp_path / "ix"), "TESTING": True}).test_client()
    assert client.get("/api/stats").get_json() == {"ok": True, **overview}
    html = client.get("/", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    holds = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html.split('id="overview"')[1].split("</section>")[0]))
    assert "Документов в индексе — 5: на русском 3, на английском 2; с датами от 10 мая 2018 до 12 мая 2018" in holds
    assert "без даты 2" in holds and "Источники: rt 3, wire 2." in holds
    examples = re.findall(r'<a href="(/\?q=[^"]+)">([^<]+)</a>', html.split('id="examples"')[1].split("</p>")[0])
    assert [text for _, text in examples] == overview["examples"]["ru"]
    for url, _ in examples:  # each example finds documents
        assert "<mark>" in client.get(url.replace("&amp;", "&")).get_data(as_text=True)
    english = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "The index holds 5 documents: 3 in Russian, 2 in English" in re.sub(r"\s+", " ", english)


def test_a_date_filter_that_empties_a_language_says_why(tmp_path):
    """RT's records carry no dates: under a date filter the page says that a language's documents have none,
    rather than show its count of 0 without a word."""
    from search import Index, make_document
    from web import create_app

    docs = [make_document("r", "Нефть дорожает", "Цены на нефть выросли.", lang="ru"),
            make_document("e", "Oil prices rise", "Oil prices rose.", lang="en", date="1987-03-02")]
    with Index.build(tmp_path / "ix", docs):
        pass
    client = create_app({"SEARCH_INDEX": str(tmp_path / "ix"), "TESTING": True}).test_client()
    html = client.get("/?q=oil&since=1987", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert ('<p class="message no-dates" data-lang="ru">У документов на русском в этом индексе нет дат, поэтому '
            'фильтр по датам убирает их все.</p>') in html
    html = client.get("/?q=oil&since=1987", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "The Russian documents of this index carry no dates" in html and 'no-dates" data-lang="en"' not in html
    assert "no-dates" not in client.get("/?q=oil").get_data(as_text=True)  # without a date filter: nothing said
