"""The HTML pages: search, document, OpenSearch description."""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlparse

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for

from search import QueryError, SearchError

from .app_index import get_index
from .i18n import LABELS, labels, local_date, local_number, localized, relative_date
from .links import document_url
from .params import SearchParams, int_param, search_params

pages = Blueprint("pages", __name__)
LANGUAGE_FILTERS = (("all", "all"), ("ru", "ru"), ("en", "en_lang"))
MAX_TOPICS_ON_HIT = 6
RELATED_ON_PAGE = 8
FACET_VALUES_SHOWN = 5  # a facet's chips before "more": two facets of twenty pushed the results off a phone


def _safe_link(url: str) -> str | None:
    """A document's url as a link only when it is http(s): never javascript: or data: from a document."""
    return url if urlparse(url).scheme in ("http", "https") else None


pages.add_app_template_filter(local_date, "local_date")
pages.add_app_template_filter(relative_date, "relative_date")
pages.add_app_template_filter(local_number, "local_number")


def _overview() -> dict | None:
    """What the index holds, for the home page; None when it cannot be read now (the page still searches)."""
    try:
        return get_index().overview()
    except SearchError:
        return None


TIMELINE_HEIGHT = 36  # the tallest bar, in the chart's own units (its width: BAR_STEP a period)
BAR_STEP = 10


def _timeline(t: dict, params: SearchParams, timeline: dict) -> dict | None:
    """The chart of the result's timeline: a bar a period, its height the period's count, each a link that
    narrows the dates to its period; None when no document of the result has a date."""
    buckets = timeline.get("buckets") or []
    if not buckets:
        return None
    tallest = max(bucket["count"] for bucket in buckets) or 1
    bars = []
    for i, bucket in enumerate(buckets):
        height = round(TIMELINE_HEIGHT * bucket["count"] / tallest, 2) if bucket["count"] else 0
        bars.append({"x": i * BAR_STEP + 1, "y": round(TIMELINE_HEIGHT + 2 - height, 2), "height": height,
                     "count": bucket["count"], "label": _period(bucket, timeline["unit"], t),
                     "url": _url(params, since=bucket["since"], until=bucket["until"]) if bucket["count"] else ""})
    return {"bars": bars, "width": len(buckets) * BAR_STEP, "height": TIMELINE_HEIGHT + 2,
            "first": bars[0]["label"], "last": bars[-1]["label"], "undated": timeline.get("undated", 0),
            "unit": timeline["unit"]}


def _period(bucket: dict, unit: str, t: dict) -> str:
    """A period as the page's language names it: 29 мая 2018 / May 29, 2018; май 2018 / May 2018; 2018."""
    if unit == "day":
        return local_date(bucket["since"], t)
    if unit == "month":
        year, month = bucket["period"].split("-")
        return t["month_format"].format(month=t["month_names"].split()[int(month) - 1], year=year)
    return bucket["period"]


def _undated_languages() -> list[str]:
    """The languages whose documents in the index all lack a date (RT's records carry none): a date filter
    empties them, and the page says why."""
    overview = _overview()
    if overview is None:
        return []
    dated = overview["dates"].get("dated", {})
    return [lang for lang, n in overview["languages"].items() if lang in ("ru", "en") and n and not dated.get(lang)]


def _url(params: SearchParams, **changes) -> str:
    """The search page's url for these parameters with `changes` (page 1 unless a page is given)."""
    changes.setdefault("page", 1)
    return url_for("pages.search") + "?" + urlencode(params.query_args(**changes), doseq=True)


def _page_numbers(page: int, pages: int, around: int = 2) -> list[int | None]:
    """1 … 4 5 [6] 7 8 … 20: None stands for a gap."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    numbers: list[int | None] = []
    for n in shown:
        if numbers and n - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(n)
    return numbers


def _document_url(doc_id: str, q: str, cross_language: bool, typos: bool = True) -> str:
    flags = {**({} if cross_language else {"cross_language": 0}), **({} if typos else {"typos": 0})}
    return document_url(doc_id, q=q, **flags)


@pages.get("/")
def search():
    t = labels()
    page = request.args.get("page", "").strip()
    if page.lstrip("-").isdigit() and int(page) < 1:  # page=0 or below: the first page, the query kept
        return redirect(url_for("pages.search") + "?" + urlencode(
            [(k, v) for k, v in request.args.items(multi=True) if k != "page"]))
    params = search_params()
    context = {"t": t, "q": params.q, "lang": params.lang, "cross_language": params.cross_language, "result": None,
               "error": None, "params": params, "controls": True}
    if not params.q:
        overview = _overview()
        if overview:
            lang = "ru" if t is LABELS["ru"] else "en"
            context.update(overview=overview, examples=[{"text": text, "url": url_for("pages.search", q=text)}
                                                        for text in overview["examples"].get(lang, [])])
        return render_template("search.html", **context)
    try:
        result = get_index().search(params.q, **params.search_kwargs())
    except QueryError as error:
        context["error"] = localized(str(error), t)
        return render_template("search.html", **context), 400
    if result.total and result.page > result.pages:  # a page past the last (an old link): the last page
        return redirect(_url(params, page=result.pages))
    first = (result.page - 1) * result.per_page
    hits = [
        {"hit": hit, "number": first + i + 1, "source": hit.site or _file_name(hit), "link": _safe_link(hit.url),
         "doc_url": _document_url(hit.id, params.q, params.cross_language, params.typos),
         "topics": [{"name": topic, "url": _url(params, topic=[*params.topics, topic])}
                    for topic in hit.topics[:MAX_TOPICS_ON_HIT] if topic.lower() not in _lowered(params.topics)],
         "similar": [dict(s, doc_url=_document_url(s["id"], params.q, params.cross_language, params.typos))
                     for s in hit.similar]}
        for i, hit in enumerate(result.hits)
    ]
    pagination = [
        {"number": n, "url": _url(params, page=n) if n else None, "current": n == result.page}
        for n in _page_numbers(result.page, result.pages)
    ] if result.pages > 1 else []
    context.update(
        result=result,
        hits=hits,
        filters=_language_filters(t, params, result.facets.get("lang", {})),
        facets=[facet for facet in (_facet(t["sources"], "source", params, params.sources, result.facets),
                                    _facet(t["topics"], "topic", params, params.topics, result.facets)) if facet],
        timeline=_timeline(t, params, result.timeline),
        dates_url=_url(params, since="", until="") if params.since or params.until else None,
        undated_languages=_undated_languages() if params.since or params.until else [],
        chosen_filters=_chosen_filters(t, params) if not result.total else [],
        pagination=pagination,
        previous_url=_url(params, page=result.page - 1) if result.page > 1 else None,
        next_url=_url(params, page=result.page + 1) if result.page < result.pages else None,
        took=f"{result.took_ms:.0f}",
        # "Showing results for …; search instead for …" (the literal query, exactly) and "Did you mean …?"
        exact_url=_url(params, typos=False) if result.corrections else None,
        suggestion_url=_url(params, q=result.suggestion, typos=True) if result.suggestion else None,
    )
    return render_template("search.html", **context)


def _file_name(hit) -> str:
    """A file's name, for a document that has no source or url: where it came from, at least (not a file of
    JSON Lines records: corpus.jsonl.gz says nothing about the document)."""
    path = hit.path
    return path.rsplit("/", 1)[-1] if path and path != hit.id and not path.endswith(RECORD_FILES) else ""


def _lowered(names) -> set[str]:
    return {name.lower() for name in names}


def _language_filters(t: dict, params: SearchParams, counts: dict[str, int]) -> list[dict]:
    """All, Русский, English with their counts; documents in both languages count under either (as they are
    found under either)."""
    mixed = counts.get("mixed", 0)
    shown = {"all": sum(counts.values()), "ru": counts.get("ru", 0) + mixed, "en": counts.get("en", 0) + mixed}
    return [{"code": code, "label": t[label], "count": shown[code], "current": (params.lang or "all") == code,
             "url": _url(params, lang="" if code == "all" else code)}
            for code, label in LANGUAGE_FILTERS]


def _facet(title: str, name: str, params: SearchParams, chosen: tuple[str, ...], facets: dict) -> dict | None:
    """A facet's values as links that add a value to the filter or take it away, the chosen ones first."""
    counts = facets.get("source" if name == "source" else "topics", {})
    lowered = _lowered(chosen)
    values = [{"name": value, "count": counts.get(value, ""), "current": True,
               "url": _without(params, name, value)} for value in chosen]
    values += [{"name": value, "count": count, "current": False,
                "url": _url(params, **{name: [*chosen, value]})}
               for value, count in counts.items() if value.lower() not in lowered]
    if not values or (len(values) == 1 and not chosen):
        return None  # one source for everything found narrows nothing
    # The chosen values and the few most frequent others; the rest behind "more" (a <details>: no script).
    shown = max(len(chosen), FACET_VALUES_SHOWN)
    return {"title": title, "name": name, "values": values[:shown], "more": values[shown:]}


def _without(params: SearchParams, name: str, value: str) -> str:
    """The search page's url with one value of a source or topic filter taken away."""
    chosen = params.sources if name == "source" else params.topics
    return _url(params, **{name: [v for v in chosen if v != value]})


def _chosen_filters(t: dict, params: SearchParams) -> list[dict]:
    """The filters a search is narrowed by, each with the link that takes it away: what an empty page names."""
    chosen = [{"label": f"{t['source'].lower()} «{v}»", "url": _without(params, "source", v)} for v in params.sources]
    chosen += [{"label": f"{t['topic'].lower()} «{v}»", "url": _without(params, "topic", v)} for v in params.topics]
    if params.since or params.until:
        chosen.append({"label": t["date"].lower(), "url": _url(params, since="", until="")})
    if params.lang:
        chosen.append({"label": t["language"].lower(), "url": _url(params, lang="")})
    return chosen


@pages.get("/doc")
def document_by_id():
    """A document whose id does not fit in a path (see `web.links`): /doc?id=<id>."""
    doc_id = request.args.get("id", "")
    if not doc_id:
        abort(404, description="Parameter id is required: the document's id.")
    return document(doc_id)


@pages.get("/doc/<path:doc_id>")
def document(doc_id: str):
    params = search_params()
    part = int_param("part", 1, 1, 1_000_000)
    view = get_index().view(doc_id, params.q, cross_language=params.cross_language, typos=params.typos, part=part)
    if view is None:
        abort(404, description=f"No document with id {doc_id!r}.")

    def part_url(number: int) -> str:
        args = {key: values for key, values in request.args.lists() if key not in ("id", "part")}
        return document_url(doc_id, **args, part=number)

    q = params.q
    related_hits = get_index().related(doc_id, limit=RELATED_ON_PAGE) or []
    related = [{"hit": hit, "doc_url": _document_url(hit.id, "", True)} for hit in related_hits]
    t = labels()
    other_language = any(hit.lang != view.document.lang for hit in related_hits)
    shown = [name.strip() for name in current_app.config.get("SEARCH_SHOWN_META", "").split(",") if name.strip()]
    meta = [(name.replace("_", " ").capitalize(), view.document.meta[name]) for name in shown
            if view.document.meta.get(name)]
    path = view.document.path
    # A record's file (corpus.jsonl.gz) says nothing about the document; a file that is the document does.
    shown_file = path.rsplit("/", 1)[-1] if path and path != doc_id and not path.endswith(RECORD_FILES) else ""
    return render_template(
        "document.html", t=t, doc=view.document, q=q, title_html=view.title_html, meta=meta, shown_file=shown_file,
        related_title=t["related"] if other_language else t["related_plain"],
        paragraphs=view.paragraphs, link=_safe_link(view.document.url), cross_language=params.cross_language,
        part=view.part, parts=view.parts, previous_part_url=part_url(view.part - 1) if view.part > 1 else "",
        next_part_url=part_url(view.part + 1) if view.part < view.parts else "",
        related=related,
        back_url=_url(params) if q else url_for("pages.search"),
    )


RECORD_FILES = (".jsonl", ".jsonl.gz")  # files of many records, each a document of its own
_HOST = re.compile(r"(?:localhost|[0-9.]+|\[[0-9a-fA-F:]+\]|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)(?::[0-9]{1,5})?")


def _own_root() -> str:
    """The request's own root when its Host is a plain host name or address; a 400 otherwise."""
    if not _HOST.fullmatch(request.host):
        abort(400, description="The Host header is not a host name.")
    return request.url_root


@pages.get("/opensearch.xml")
def opensearch():
    # The address the server was started on, not the request's Host header (which anyone can set).
    root = current_app.config.get("SEARCH_PUBLIC_URL") or _own_root()
    xml = render_template("opensearch.xml", t=labels(), root=root.rstrip("/"))
    return Response(xml, mimetype="application/opensearchdescription+xml")
