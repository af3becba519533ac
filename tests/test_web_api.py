"""The JSON API through Flask's test client: routes, the envelope and error shape, bounds, escaping."""

import os

import pytest

from search import Document, Index
from web import create_app

ERROR_KEYS = ["ok", "error", "status"]
SEARCH_KEYS = ["ok", "query", "searched", "corrected", "suggestion", "page", "per_page", "total", "pages", "took_ms",
               "hits", "facets", "timeline", "missing"]


def test_search_envelope_keys_in_order_and_cyrillic_unescaped(client):
    response = client.get("/api/search", query_string={"q": "Лавров", "per_page": 1})
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert list(data) == SEARCH_KEYS
    assert data["ok"] is True and data["total"] == 3 and data["pages"] == 3 and len(data["hits"]) == 1
    assert list(data["hits"][0]) == ["id", "title", "title_html", "snippet", "lang", "score", "date", "url", "path",
                                     "source", "site", "topics", "translated", "similar_count", "similar"]
    assert data["facets"] == {"lang": {"ru": 2, "en": 1}, "source": {}, "topics": {}}
    # The timeline: its buckets and undated add up to the total; each bucket says the dates that filter to it.
    timeline = data["timeline"]
    assert list(timeline) == ["unit", "buckets", "undated"] and timeline["unit"] == "day"
    assert all(list(b) == ["period", "since", "until", "count"] for b in timeline["buckets"])
    assert sum(b["count"] for b in timeline["buckets"]) + timeline["undated"] == data["total"]
    assert data["missing"] == []
    assert "Лавров" in response.get_data(as_text=True)  # not \u041b...


def test_search_paging_and_language_filter(client):
    page2 = client.get("/api/search", query_string={"q": "НАТО OR NATO", "page": 2, "per_page": 2}).get_json()
    assert page2["page"] == 2 and page2["total"] == 5 and len(page2["hits"]) == 2
    english = client.get("/api/search", query_string={"q": "НАТО OR NATO", "lang": "en"}).get_json()
    assert [h["lang"] for h in english["hits"]] == ["en"] and english["total"] == 1


def test_documents_analyze_and_health(client):
    doc = client.get("/api/documents/004_50ced7505d569705.txt").get_json()
    assert doc["ok"] is True and doc["document"]["title"].startswith("Russia, Belarus agree")
    assert list(doc["document"]) == ["id", "title", "text", "lang", "date", "url", "path", "source", "topics",
                                     "summary", "meta"]
    analyzed = client.get("/api/analyze", query_string={"text": "Стали improvements"}).get_json()
    assert analyzed["terms"] == ["стать", "сталь", "improv"]
    assert analyzed["words"][0]["terms"] == ["стать", "сталь"] and analyzed["words"][0]["script"] == "cyrl"
    health = client.get("/api/health").get_json()
    assert {k: health[k] for k in ("ok", "status", "documents")} == {"ok": True, "status": "ok", "documents": 5}
    assert health["generation"].startswith("gen-") and health["process"]["workers"] == 1
    assert health["process"]["pid"] == os.getpid() and health["process"]["memory_mb"] > 10


@pytest.mark.parametrize("url, status", [
    ("/api/search", 400),                                   # no q
    ("/api/search?q=*", 400),                               # malformed query
    ("/api/search?q=" + "x" * 20000, 400),                  # too long
    ("/api/search?q=NATO&per_page=500", 400),               # oversized per_page is refused
    ("/api/search?q=NATO&per_page=0", 400),
    ("/api/search?q=NATO&page=abc", 400),
    ("/api/search?q=NATO&page=-1", 400),
    ("/api/search?q=NATO&lang=de", 400),
    ("/api/analyze", 400),
    ("/api/search?q=NATO&typos=maybe", 400),
    ("/api/suggest?q=NATO&per_page=0", 400),
    ("/api/documents/nope", 404),
    ("/api/documents/../../etc/passwd", 404),
    ("/api/documents/..%2F..%2Fsetup.cfg", 404),
    ("/api/no-such-endpoint", 404),
])
def test_one_error_shape_on_every_endpoint(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    data = response.get_json()
    assert list(data) == ERROR_KEYS and data["ok"] is False and data["status"] == status and data["error"]


def test_method_not_allowed_is_an_error_shape_too(client):
    response = client.post("/api/search?q=NATO")
    assert response.status_code == 405 and response.get_json()["status"] == 405


def test_no_index_is_503_with_the_rebuild_hint(tmp_path):
    client = create_app({"SEARCH_INDEX": str(tmp_path / "none")}).test_client()
    for url in ("/api/search?q=x", "/api/health", "/api/documents/x"):
        response = client.get(url)
        assert response.status_code == 503
        assert "bilingual-search index" in response.get_json()["error"]
    page = client.get("/?q=x")
    assert page.status_code == 503 and "bilingual-search index" in page.get_data(as_text=True)


def test_a_rebuilt_index_is_picked_up_without_a_restart(tmp_path):
    Index.build(tmp_path, [Document(id="a", title="Старый", text="Старый текст.", lang="ru")]).close()
    client = create_app({"SEARCH_INDEX": str(tmp_path)}).test_client()
    assert client.get("/api/search?q=старый").get_json()["total"] == 1
    Index.build(tmp_path, [Document(id="b", title="Новый", text="Новый текст.", lang="ru")]).close()
    assert client.get("/api/search?q=старый").get_json()["total"] == 0
    assert client.get("/api/search?q=новый").get_json()["total"] == 1


def test_environment_settings(monkeypatch, seed_index):
    monkeypatch.setenv("SEARCH_INDEX", str(seed_index.root))
    monkeypatch.setenv("SEARCH_PER_PAGE", "3")
    app = create_app()
    assert app.config["SEARCH_PER_PAGE"] == 3
    assert app.test_client().get("/api/search?q=НАТО").get_json()["per_page"] == 3


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    docs = [Document(id="x<script>", title='<script>alert("t")</script> Переговоры',
                     text='Переговоры <img src=x onerror="alert(1)"> продолжатся. <script>alert(2)</script>',
                     lang="ru", url="javascript:alert(3)")]
    path = tmp_path_factory.mktemp("hostile")
    Index.build(path, docs).close()
    return create_app({"SEARCH_INDEX": str(path)}).test_client()


def test_json_snippets_escape_document_html(hostile_client):
    hit = hostile_client.get("/api/search?q=переговоры").get_json()["hits"][0]
    assert "<img" not in hit["snippet"] and "<script" not in hit["snippet"] and "<script" not in hit["title_html"]
    assert "&lt;img" in hit["snippet"] and "<mark>Переговоры</mark>" in hit["snippet"]


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_cross_language_switch(client):
    crossed = client.get("/api/search", query_string={"q": "Lavrov Makei"}).get_json()
    assert crossed["total"] == 3
    russian = next(h for h in crossed["hits"] if h["lang"] == "ru" and h["translated"])
    assert {"from": "Makei", "to": "Макеем", "via": "name"} in russian["translated"]
    for off in ("0", "false", "no", "off"):
        plain = client.get("/api/search", query_string={"q": "Lavrov Makei", "cross_language": off}).get_json()
        assert plain["total"] == 1 and plain["hits"][0]["translated"] == []
    bad = client.get("/api/search", query_string={"q": "Lavrov", "cross_language": "maybe"})
    assert bad.status_code == 400
    assert bad.get_json()["error"] == "cross_language must be 1 or 0 (true or false), not 'maybe'."


def test_an_index_without_documents_serves_empty_results(tmp_path):
    from search import Index
    from web import create_app

    Index.build(tmp_path, []).close()
    client = create_app({"SEARCH_INDEX": str(tmp_path)}).test_client()
    assert client.get("/api/health").get_json()["documents"] == 0
    assert client.get("/api/search?q=переговоры").get_json()["total"] == 0
    assert client.get("/?q=переговоры").status_code == 200


def test_typed_queries_say_what_was_searched(client):
    data = client.get("/api/search", query_string={"q": "Лавроф"}).get_json()
    assert data["query"] == "Лавроф" and data["searched"] == "Лавров" and data["total"] == 3
    assert data["corrected"] == [{"from": "Лавроф", "to": "Лавров", "via": "typo"}] and data["suggestion"] == ""
    exact = client.get("/api/search", query_string={"q": "Лавроф", "typos": 0}).get_json()
    assert exact["total"] == 0 and exact["corrected"] == [] and exact["searched"] == "Лавроф"
    latin = client.get("/api/search", query_string={"q": "moskva"}).get_json()
    assert latin["corrected"] == [{"from": "moskva", "to": "москва", "via": "translit"}] and latin["total"]


def test_suggest_completes_the_last_word_and_offers_documents(client):
    data = client.get("/api/suggest", query_string={"q": "Lavrov Mak"}).get_json()
    assert list(data) == ["ok", "query", "completions", "documents"]
    assert data["completions"][0] == "Lavrov Makei"
    first = data["documents"][0]
    assert first["id"].startswith("004") and first["url"].startswith("/doc/004")
    assert client.get(first["url"]).status_code == 200
    # The other layout completes too, and a query that cannot be searched still gets an answer.
    assert "нато" in client.get("/api/suggest", query_string={"q": "yf"}).get_json()["completions"]
    empty = client.get("/api/suggest", query_string={"q": "*"}).get_json()
    assert empty["ok"] is True and empty["documents"] == [] and empty["completions"] == []


def test_long_queries_beyond_their_slots_get_a_429_and_short_ones_still_answer(seed_index):
    import threading

    from search import LONG_QUERY_WORDS
    from web import create_app

    app = create_app({"SEARCH_INDEX": str(seed_index.root), "SEARCH_LONG_QUERY_SLOTS": 1})
    client = app.test_client()
    assert client.get("/api/health").status_code == 200
    index = app.extensions["search_index"]
    long_query = " ".join(["переговоры"] * (LONG_QUERY_WORDS + 1))
    answers = []
    long_lane = index._lanes["long"].lock  # hold the long queries' searcher, as a long query running would
    long_lane.acquire()
    try:
        first = threading.Thread(
            target=lambda: answers.append(client.get("/api/search", query_string={"q": long_query})))
        first.start()
        for _ in range(200):  # until the first long query holds the one slot
            refused = client.get("/api/search", query_string={"q": long_query})
            if refused.status_code == 429:
                break
            threading.Event().wait(0.01)
        assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
        assert refused.get_json() == {"ok": False, "error": refused.get_json()["error"], "status": 429}
        assert client.get("/?q=" + long_query).status_code == 429
        assert client.get("/api/search?q=переговоры").status_code == 200  # short queries read through their own
        assert client.get("/api/suggest?q=перегов").status_code == 200
    finally:
        long_lane.release()
    first.join(30)
    assert answers[0].status_code == 200 and answers[0].get_json()["total"] > 0
    assert client.get("/api/search", query_string={"q": long_query}).status_code == 200  # the slot is free again
    index.close()


def test_analyze_takes_its_whole_limit_by_post(client):
    from web.api import MAX_ANALYZE_CHARS

    words = ("переговоры " * (MAX_ANALYZE_CHARS // 11 + 1))[:MAX_ANALYZE_CHARS]
    by_json = client.post("/api/analyze", json={"text": words})
    assert by_json.status_code == 200 and by_json.get_json()["terms"][0] == "переговоры"
    by_form = client.post("/api/analyze", data={"text": "Стали improvements"})
    assert by_form.get_json()["terms"] == ["стать", "сталь", "improv"]
    too_long = client.post("/api/analyze", json={"text": words + "x"})
    assert too_long.status_code == 400 and "10,000" in too_long.get_json()["error"]
    for body in ([1, 2], {"text": 5}):
        bad = client.post("/api/analyze", json=body)
        assert bad.status_code == 400 and "JSON object" in bad.get_json()["error"]
    assert client.post("/api/search?q=x").status_code == 405  # the rest of the API is GET only
