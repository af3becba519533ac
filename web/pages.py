"""The HTML pages: search, document, OpenSearch description."""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlparse

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for

from search import QueryError

from . import get_index
from .i18n import labels
from .params import search_params

pages = Blueprint("pages", __name__)
LANGUAGE_FILTERS = (("all", "all"), ("ru", "ru"), ("en", "en_lang"))


def _source(hit) -> str:
    if hit.url:
        return urlparse(hit.url).netloc or hit.url
    return hit.path.rsplit("/", 1)[-1] if hit.path else ""


def _safe_link(url: str) -> str | None:
    """A document's url as a link only when it is http(s): never javascript: or data: from a document."""
    return url if urlparse(url).scheme in ("http", "https") else None


def _page_url(q: str, lang: str | None, page: int = 1, cross_language: bool = True, typos: bool = True) -> str:
    args: dict[str, str | int] = {"q": q}
    if lang:
        args["lang"] = lang
    if page > 1:
        args["page"] = page
    if not cross_language:
        args["cross_language"] = 0
    if not typos:
        args["typos"] = 0
    return url_for("pages.search") + "?" + urlencode(args)


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
    return url_for("pages.document", doc_id=doc_id, q=q, **flags)


@pages.get("/")
def search():
    t = labels()
    page = request.args.get("page", "").strip()
    if page.lstrip("-").isdigit() and int(page) < 1:  # page=0 or below: the first page, the query kept
        return redirect(url_for("pages.search", **{k: v for k, v in request.args.items() if k != "page"}))
    params = search_params()
    context = {"t": t, "q": params.q, "lang": params.lang, "cross_language": params.cross_language, "result": None,
               "error": None}
    if not params.q:
        return render_template("search.html", **context)
    try:
        result = get_index().search(params.q, page=params.page, per_page=params.per_page, lang=params.lang,
                                    cross_language=params.cross_language, typos=params.typos)
    except QueryError as error:
        context["error"] = str(error)
        return render_template("search.html", **context), 400
    if result.total and result.page > result.pages:  # a page past the last (an old link): the last page
        return redirect(_page_url(params.q, params.lang, result.pages, params.cross_language, params.typos))
    facets = result.facets.get("lang", {})
    filters = [
        {"code": code, "label": t[label], "count": sum(facets.values()) if code == "all" else facets.get(code, 0),
         "url": _page_url(params.q, None if code == "all" else code, cross_language=params.cross_language,
                          typos=params.typos),
         "current": (params.lang or "all") == code}
        for code, label in LANGUAGE_FILTERS
    ]
    first = (result.page - 1) * result.per_page
    hits = [
        {"hit": hit, "number": first + i + 1, "source": _source(hit),
         "doc_url": _document_url(hit.id, params.q, params.cross_language, params.typos),
         "similar": [dict(s, doc_url=_document_url(s["id"], params.q, params.cross_language, params.typos))
                     for s in hit.similar]}
        for i, hit in enumerate(result.hits)
    ]
    pagination = [
        {"number": n, "url": _page_url(params.q, params.lang, n, params.cross_language, params.typos) if n else None,
         "current": n == result.page}
        for n in _page_numbers(result.page, result.pages)
    ] if result.pages > 1 else []
    context.update(
        result=result,
        hits=hits,
        filters=filters,
        pagination=pagination,
        previous_url=_page_url(params.q, params.lang, result.page - 1, params.cross_language, params.typos)
        if result.page > 1 else None,
        next_url=_page_url(params.q, params.lang, result.page + 1, params.cross_language, params.typos)
        if result.page < result.pages else None,
        took=f"{result.took_ms:.0f}",
        # "Showing results for …; search instead for …" (the literal query, exactly) and "Did you mean …?"
        exact_url=_page_url(params.q, params.lang, cross_language=params.cross_language, typos=False)
        if result.corrections else None,
        suggestion_url=_page_url(result.suggestion, params.lang, cross_language=params.cross_language)
        if result.suggestion else None,
    )
    return render_template("search.html", **context)


@pages.get("/doc/<path:doc_id>")
def document(doc_id: str):
    params = search_params()
    view = get_index().view(doc_id, params.q, cross_language=params.cross_language, typos=params.typos)
    if view is None:
        abort(404, description=f"No document with id {doc_id!r}.")
    q = params.q
    return render_template(
        "document.html", t=labels(), doc=view.document, q=q, title_html=view.title_html,
        paragraphs=view.paragraphs, link=_safe_link(view.document.url), cross_language=params.cross_language,
        back_url=_page_url(q, None, cross_language=params.cross_language) if q else url_for("pages.search"),
    )


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
