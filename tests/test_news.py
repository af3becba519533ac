"""News records: dates read in the forms news brings them, the fields a record brings kept, and filters by date,
source and topic, sorting by date, and the facets that count them, in the library."""

import datetime as dt
import json
import re
from html import unescape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search import Document, Index, QueryError, load_documents
from search.load.dates import date_bound, epoch_seconds, parse_date

RECORDS = [
    {"id": "r1", "title": "OPEC oil output talks", "text": "OPEC ministers met on oil output quotas.",
     "date": "26-FEB-1987 15:02:20.00", "topics": ["crude", "opec"], "lewissplit": "TRAIN"},
    {"id": "r2", "title": "OPEC oil price rise", "text": "Oil prices rose after OPEC talks on output.",
     "date": "3-MAR-1987 09:10:00.00", "topics": ["crude"], "lewissplit": "TEST"},
    {"id": "rt1", "title": "Нефть дорожает после встречи ОПЕК", "text": "Цены на нефть выросли после встречи ОПЕК.",
     "date": "29 мая 2018", "source": "rt", "summary": "Нефть дорожает.", "keywords": ["нефть", "ОПЕК"],
     "url": "https://russian.rt.comhttps://russian.rt.com/business/article/1-neft"},
    {"id": "rt2", "title": "Нефть и ОПЕК: что дальше", "text": "Аналитики обсуждают решения ОПЕК о добыче нефти.",
     "date": "2018-06-01T10:00:00+03:00", "source": "rt", "keywords": "нефть, аналитика",
     "url": "https://russian.rt.com/business/article/2-opek"},
    {"id": "u1", "title": "Oil notes without a date", "text": "Notes on oil and OPEC, undated.", "rating": 5},
    {"id": "m1", "title": "Oil и нефть: OPEC и ОПЕК в одном тексте",
     "text": "Oil prices and OPEC. Цены на нефть и ОПЕК. Oil and OPEC again. Нефть и ОПЕК снова.",
     "date": "Tue, 29 May 2018 12:00:00 +0000", "source": "wire"},
]


@pytest.fixture(scope="module")
def news_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("news")
    with open(folder / "news.jsonl", "w", encoding="utf-8") as f:
        for record in RECORDS:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return Index.build(folder / "index", load_documents(folder / "news.jsonl", source="reuters"))


def ids(result):
    return [hit.id for hit in result.hits]


@pytest.mark.parametrize("text, expected", [
    ("26-FEB-1987 15:02:20.00", "1987-02-26T15:02:20"),  # Reuters
    ("27-MAR-1987 00:02:59.13RM", "1987-03-27T00:02:59"),  # and a desk's code after it
    ("2018-05-29", "2018-05-29"),
    ("2018-05-29T10:11:12Z", "2018-05-29T10:11:12Z"),
    ("2018-05-29T12:00:00+03:00", "2018-05-29T09:00:00Z"),
    ("Tue, 29 May 2018 10:00:00 +0300", "2018-05-29T07:00:00Z"),  # RFC 2822
    ("29 мая 2018", "2018-05-29"),
    ("29 мая 2018 г., 14:30", "2018-05-29T14:30:00"),
    ("May 29, 2018", "2018-05-29"),
    ("29.05.2018", "2018-05-29"),
    ("вчера", ""),  # relative: the day it was indexed is not its date
    ("2 hours ago", ""),
    ("May 2018", ""),  # not a whole date
    ("", ""),
    ("not a date at all", ""),
])
def test_dates_in_the_forms_news_brings_them(text, expected):
    assert parse_date(text) == expected


def test_date_bounds_cover_the_period_named():
    assert date_bound("2018") == epoch_seconds("2018-01-01")
    assert date_bound("2018", end=True) == epoch_seconds("2018-12-31T23:59:59")
    assert date_bound("2018-02", end=True) == epoch_seconds("2018-02-28T23:59:59")
    assert date_bound("29 мая 2018", end=True) == epoch_seconds("2018-05-29T23:59:59")
    with pytest.raises(ValueError, match="not a date"):
        date_bound("2018-13")
    with pytest.raises(ValueError, match="not a date"):
        date_bound("soon")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_is_a_date_or_nothing_never_an_error(text):
    stored = parse_date(text)
    assert stored == "" or epoch_seconds(stored) > -(2**62)


def test_a_record_keeps_its_fields(news_index):
    rt = news_index.document("rt1")
    assert rt.date == "2018-05-29" and rt.source == "rt" and rt.topics == ("нефть", "ОПЕК")
    assert rt.summary == "Нефть дорожает."
    assert rt.url == "https://russian.rt.com/business/article/1-neft"  # the glued site repaired
    assert news_index.document("rt2").topics == ("нефть", "аналитика")  # a comma-separated string
    reuters = news_index.document("r1")
    assert reuters.date == "1987-02-26T15:02:20" and reuters.topics == ("crude", "opec")
    assert reuters.source == "reuters"  # named by the loader for records that name none
    assert reuters.meta == {"lewissplit": "TRAIN"}
    assert news_index.document("u1").meta == {"rating": "5"}
    assert news_index.document("u1").date == ""


def test_hits_show_site_source_and_topics(news_index):
    hit = next(h for h in news_index.search("нефть ОПЕК").hits if h.id == "rt1")
    assert (hit.site, hit.source, hit.topics, hit.date) == ("russian.rt.com", "rt", ["нефть", "ОПЕК"], "2018-05-29")
    reuters = next(h for h in news_index.search("OPEC").hits if h.id == "r1")
    assert (reuters.site, reuters.source) == ("reuters", "reuters")


def test_filter_by_dates(news_index):
    assert set(ids(news_index.search("oil", since="2018"))) == {"rt1", "rt2", "m1"}
    assert set(ids(news_index.search("oil", until="1987-02"))) == {"r1"}
    assert set(ids(news_index.search("oil", since="1987-03-03", until="1987-03-03"))) == {"r2"}
    assert set(ids(news_index.search("oil", since=dt.date(2018, 5, 30)))) == {"rt2"}
    assert set(ids(news_index.search("oil", since="29 мая 2018", until="29 мая 2018"))) == {"rt1", "m1"}
    with pytest.raises(QueryError, match="since"):
        news_index.search("oil", since="yesterday-ish")
    with pytest.raises(QueryError, match="after until"):
        news_index.search("oil", since="2019", until="2018")


def test_sort_by_date_newest_first_undated_last(news_index):
    result = news_index.search("oil OPEC", sort="date")
    assert ids(result) == ["rt2", "m1", "rt1", "r2", "r1", "u1"]
    assert result.total == len(news_index.search("oil OPEC").hits)
    with pytest.raises(QueryError, match="sort"):
        news_index.search("oil", sort="newest")


def test_filter_by_source_and_topic_with_facets(news_index):
    result = news_index.search("oil")
    assert result.facets["source"] == {"reuters": 3, "rt": 2, "wire": 1}
    assert result.facets["topics"]["crude"] == 2 and result.facets["topics"]["нефть"] == 2
    rt_only = news_index.search("oil", source="RT")
    assert set(ids(rt_only)) == {"rt1", "rt2"}
    assert rt_only.facets["source"] == result.facets["source"]  # a facet counts under the other filters only
    assert set(ids(news_index.search("oil", source=["rt", "wire"]))) == {"rt1", "rt2", "m1"}
    assert set(ids(news_index.search("oil", topic="crude"))) == {"r1", "r2"}
    assert set(ids(news_index.search("oil", topic="crude,opec"))) == {"r1"}  # topics: all of them
    assert set(ids(news_index.search("oil", topic="Нефть", since="2018-06"))) == {"rt2"}
    assert news_index.search("oil", topic="nothing such").total == 0


def test_a_facet_count_is_what_its_click_gives(news_index):
    """Topics are all-of: under the topic crude, a topic's count is what adding it gives (opec 1, нефть none),
    not its count without crude. A source's count is what adding it adds (sources are either-or)."""
    chosen = news_index.search("oil", topic="crude")
    assert chosen.facets["topics"] == {"crude": 2, "opec": 1}
    for topic, count in chosen.facets["topics"].items():
        assert news_index.search("oil", topic=["crude", topic]).total == count
    for lang in ("ru", "en"):
        facets = news_index.search("oil", lang=lang).facets
        for source, count in facets["source"].items():
            assert news_index.search("oil", lang=lang, source=source).total == count
        for topic, count in facets["topics"].items():
            assert news_index.search("oil", lang=lang, topic=topic).total == count


def test_documents_in_both_languages_stay_under_a_language_filter(news_index):
    assert "m1" in ids(news_index.search("oil", lang="en"))
    assert "m1" in ids(news_index.search("нефть", lang="ru"))
    assert ids(news_index.search("oil", lang="mixed")) == ["m1"]


def test_a_document_made_by_hand_with_a_date_and_topics(tmp_path):
    index = Index.build(tmp_path / "ix", [Document("a", "Oil report", "Oil prices.", date="May 29, 2018",
                                                   topics=("oil",), source="desk")])
    hit = index.search("oil").hits[0]
    assert (hit.date, hit.topics, hit.source) == ("2018-05-29", ["oil"], "desk")
    assert index.search("oil", topic="OIL").total == 1
    # A changed topic is a changed document: the update re-indexes it.
    stats = index.update([Document("a", "Oil report", "Oil prices.", date="May 29, 2018", topics=("energy",),
                                   source="desk")])
    assert stats.updated == 1 and index.search("oil", topic="energy").total == 1


@pytest.fixture(scope="module")
def news_client(news_index):
    from web import create_app

    return create_app({"SEARCH_INDEX": str(news_index.root), "TESTING": True}).test_client()


def test_api_filters_sort_and_facets(news_client):
    data = news_client.get("/api/search", query_string={"q": "oil OPEC", "sort": "date"}).get_json()
    assert [h["id"] for h in data["hits"]] == ["rt2", "m1", "rt1", "r2", "r1", "u1"]
    assert data["hits"][0]["date"] == "2018-06-01T07:00:00Z" and data["hits"][0]["site"] == "russian.rt.com"
    assert data["facets"]["source"] == {"reuters": 3, "rt": 2, "wire": 1}
    data = news_client.get("/api/search?q=oil&source=rt&source=wire&since=2018-05-30").get_json()
    assert [h["id"] for h in data["hits"]] == ["rt2"]
    data = news_client.get("/api/search?q=oil&topic=crude&topic=opec").get_json()
    assert [h["id"] for h in data["hits"]] == ["r1"] and data["hits"][0]["topics"] == ["crude", "opec"]
    for query, message in (("since=soon", "since"), ("sort=newest", "sort"), ("since=2019&until=2018", "after")):
        response = news_client.get(f"/api/search?q=oil&{query}")
        error = response.get_json()
        assert response.status_code == 400 and error["ok"] is False and message in error["error"]
    document = news_client.get("/api/documents/r1").get_json()["document"]
    assert document["topics"] == ["crude", "opec"] and document["meta"] == {"lewissplit": "TRAIN"}


def test_page_shows_dates_sources_topics_and_keeps_filters_across_links(news_client, news_index):
    from web import create_app

    html = news_client.get("/?q=oil&sort=date&since=2018", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "1 июня 2018, 07:00 UTC" in html and "29 мая 2018" in html  # dates as the page's language writes them
    # The source names the site and opens the original article; the title opens our document page.
    assert re.search(r'<a class="source" href="https://russian.rt.com/business/article/2-opek" target="_blank" '
                     r'rel="noopener noreferrer" title="Открыть статью на russian.rt.com">russian.rt.com</a>', html)
    assert '<span class="source">wire</span>' in html  # a source without an article's address: no link
    assert ".jsonl" not in html  # nor the records file a document without a source came from
    assert '<option value="date" selected>' in html and 'name="since"' in html
    assert 'data-facet="source"' in html and 'data-value="wire"' in html
    # A facet link adds its filter and keeps the others.
    link = re.search(r'data-facet="source".*?<a href="([^"]+)"[^>]*data-value="rt"', html, re.S).group(1)
    assert "sort=date" in link and "since=2018" in link and "source=rt" in link
    html = news_client.get(unescape(link), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'aria-current="true"' in html and 'type="hidden" name="source" value="rt"' in html
    hits = html.split('<ol class="hits"')[1]
    assert "June 1, 2018" in hits and "wire" not in hits
    page = news_client.get("/doc/r1").get_data(as_text=True)
    assert "February 26, 1987, 15:02" in page and ">crude</a>" in page
    assert "reuters" in page
    # A record's internal fields and the records file it came from stay off the page, unless a deployment names
    # the fields it wants shown.
    assert "lewissplit" not in page and "TRAIN" not in page and ".jsonl" not in page
    named = create_app({"SEARCH_INDEX": str(news_index.root), "TESTING": True, "SEARCH_SHOWN_META": "lewissplit"})
    assert "<dt>Lewissplit</dt><dd>TRAIN</dd>" in named.test_client().get("/doc/r1").get_data(as_text=True)


def test_counts_have_thousands_separators_in_the_page_language():
    from web.i18n import LABELS, local_number

    assert local_number(28058, LABELS["en"]) == "28,058" and local_number(28058, LABELS["ru"]) == "28\u00a0058"


def test_the_same_meeting_reported_in_the_other_language_is_related_first(seed_index):
    rbc, tass = "000_cd43f6f3889422fc.txt", "004_50ced7505d569705.txt"
    related = seed_index.related(rbc)
    assert related[0].id == tass and related[0].lang == "en"
    assert {hit.lang for hit in related[1:]} == {"ru"} and rbc not in [hit.id for hit in related]
    assert seed_index.related(tass)[0].id == rbc
    assert seed_index.related("no such document") is None
    with pytest.raises(QueryError):
        seed_index.related(rbc, limit=0)


def test_related_leaves_out_the_documents_own_story(tmp_path):
    text = "OPEC ministers agreed to cut oil output by one million barrels a day from March, the cartel said."
    docs = [Document("a", "OPEC agrees output cut", text), Document("b", "OPEC agrees output cut", text),
            Document("c", "ОПЕК договорилась о сокращении добычи нефти",
                     "Министры ОПЕК договорились сократить добычу нефти на миллион баррелей в сутки с марта."),
            Document("d", "Gold prices", "Gold prices were steady in London on Monday.")]
    index = Index.build(tmp_path / "ix", docs)
    assert [hit.id for hit in index.related("a")][:1] == ["c"]
    assert "b" not in [hit.id for hit in index.related("a")]  # its copy is the same story, not a related one


def test_related_in_the_api_and_on_the_document_page(client):
    data = client.get("/api/documents/000_cd43f6f3889422fc.txt/related").get_json()
    assert data["ok"] is True and data["related"][0]["id"] == "004_50ced7505d569705.txt"
    assert list(data["related"][0])[:3] == ["id", "title", "title_html"]
    response = client.get("/api/documents/nothing/related")
    assert response.status_code == 404 and response.get_json()["ok"] is False
    html = client.get("/doc/000_cd43f6f3889422fc.txt").get_data(as_text=True)
    related = html.split('class="related"')[1]
    assert related.index("Russia, Belarus agree") < related.index("lang-ru")  # the English report first


def test_topics_offered_follow_the_documents_with_every_word(tmp_path):
    """A document holding one word of `цены на нефть` (a match's «цена победы») counts under its topic, but the
    topics offered first are those of the documents that hold every word; each count is still its click's."""
    docs = [Document(f"s{i}", f"Матч {i}", f"Цена победы в матче {i} оказалась высокой.", topics=("спорт",))
            for i in range(4)]
    docs += [Document("o1", "Нефть дорожает", "Цены на нефть растут.", topics=("нефть", "экономика")),
             Document("o2", "Нефть дешевеет", "Цена нефти упала.", topics=("нефть",))]
    index = Index.build(tmp_path / "ix", docs)
    topics = index.search("цены на нефть").facets["topics"]
    assert list(topics)[:2] == ["нефть", "экономика"] and topics["спорт"] == 4
    for topic, count in topics.items():
        assert index.search("цены на нефть", topic=topic).total == count
    assert list(index.search("цена").facets["topics"])[0] == "спорт"  # one word: the most frequent first


def test_the_timeline_counts_the_result_by_period_each_story_once(tmp_path):
    """The result's documents by day, month or year as their span calls for; its buckets and undated add up to
    the total, a story's copies counting once; a date filter narrows it; the JSON and the sharded index give
    the same."""
    from search import ShardedIndex, make_document

    lead = "OPEC ministers agreed in Vienna to cut crude oil output by one million barrels a day from next month."
    docs = [make_document("a1", "OPEC agrees oil output cut", lead, date="2018-05-29"),
            make_document("a2", "OPEC agrees oil output cut", lead + " Updated.", date="2018-05-30"),  # its copy
            make_document("b", "Oil prices rise", "Oil prices rose on Tuesday.", date="2018-06-02"),
            make_document("c", "Oil notes", "Notes on oil, undated."),
            make_document("d", "Oil in 1987", "Oil prices in 1987 fell.", date="1987-03-02")]
    index = Index.build(tmp_path / "ix", docs)
    whole = index.search("oil")
    assert whole.total == 4  # the OPEC story once
    timeline = whole.timeline
    assert timeline["unit"] == "year" and timeline["undated"] == 1
    assert sum(b["count"] for b in timeline["buckets"]) + timeline["undated"] == whole.total
    assert timeline["buckets"][0] == {"period": "1987", "since": "1987-01-01", "until": "1987-12-31", "count": 1}
    assert timeline["buckets"][-1]["period"] == "2018" and timeline["buckets"][-1]["count"] == 2
    recent = index.search("oil", since="2018")
    assert recent.timeline["unit"] == "day" and recent.timeline["undated"] == 0
    assert [(b["period"], b["count"]) for b in recent.timeline["buckets"] if b["count"]] in (
        [("2018-05-29", 1), ("2018-06-02", 1)], [("2018-05-30", 1), ("2018-06-02", 1)])
    assert sum(b["count"] for b in recent.timeline["buckets"]) == recent.total == 2
    months = index.search("oil", since="2018", collapse=False)
    assert sum(b["count"] for b in months.timeline["buckets"]) == months.total == 3
    assert index.search("oil", until="2017").timeline["buckets"][0]["period"] == "1987-03-02"
    with ShardedIndex.build(tmp_path / "shards", docs, shards=2) as sharded:
        for options in ({}, {"since": "2018"}, {"collapse": False}):
            assert sharded.search("oil", **options).timeline == index.search("oil", **options).timeline
    index.close()


def test_the_results_page_draws_the_timeline_and_a_bar_narrows_to_its_period(tmp_path):
    from web import create_app

    lead = "OPEC ministers agreed in Vienna to cut crude oil output by one million barrels a day from next month."
    docs = [Document("a1", "OPEC agrees oil output cut", lead, date="2018-05-29"),
            Document("a2", "OPEC agrees oil output cut", lead + " Updated.", date="2018-05-30"),
            Document("b", "Oil prices rise", "Oil prices rose on Tuesday.", date="2018-06-02"),
            Document("c", "Oil notes", "Notes on oil, undated."),
            Document("d", "Oil in 1987", "Oil prices in 1987 fell.", date="1987-03-02")]
    Index.build(tmp_path / "ix", docs).close()
    client = create_app({"SEARCH_INDEX": str(tmp_path / "ix"), "TESTING": True}).test_client()
    html = client.get("/?q=oil", headers={"Accept-Language": "en"}).get_data(as_text=True)
    chart = html.split('<figure class="timeline" id="timeline">')[1].split("</figure>")[0]
    bars = re.findall(r'<a href="([^"]+)" data-count="(\d+)"><rect [^>]*><title>([^<]+)</title>', chart)
    undated = int(re.search(r'class="undated" data-count="(\d+)"', chart).group(1))
    assert sum(int(count) for _, count, _ in bars) + undated == 4 == client.get("/api/search?q=oil").get_json()["total"]
    assert [title for _, _, title in bars] == ["1987: 1", "2018: 2"] and "undated: 1" in chart
    link = unescape(bars[-1][0])
    assert "since=2018-01-01" in link and "until=2018-12-31" in link and "q=oil" in link
    narrowed = client.get(link, headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert client.get(link.replace("/?", "/api/search?", 1)).get_json()["total"] == 2  # the bar's count
    days = narrowed.split('<figure class="timeline" id="timeline">')[1].split("</figure>")[0]
    assert re.findall(r"<title>([^<]+)</title>", days) == ["29 мая 2018: 1", "2 июня 2018: 1"] or re.findall(
        r"<title>([^<]+)</title>", days) == ["30 мая 2018: 1", "2 июня 2018: 1"]
    assert "timeline" not in client.get("/?q=undated").get_data(as_text=True).split("<main")[1]  # no dated result
