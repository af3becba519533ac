"""The JSON API: /api/search, /api/suggest, /api/documents/<id> (or ?id=), /api/documents/<id>/related (or
/api/related?id=), /api/analyze, /api/health."""

from __future__ import annotations

import os

from flask import Blueprint, abort, current_app, jsonify, request

from search import QueryError, analyze_words
from search import analyze as analyze_text

from .app_index import get_index
from .links import document_url
from .params import search_params
from .workers import resident_mb

api = Blueprint("api", __name__)
MAX_ANALYZE_CHARS = 10_000
MAX_SUGGESTIONS = 8


@api.get("/search")
def search():
    params = search_params()
    if not params.q:
        raise QueryError("Parameter q is required: the text to search for.")
    result = get_index().search(params.q, **params.search_kwargs())
    return jsonify(result.to_dict())


@api.get("/suggest")
def suggest():
    """Completions of the word being typed and the best documents so far, each with the page that opens it."""
    params = search_params()
    data = get_index().suggest(params.q, limit=min(params.per_page, MAX_SUGGESTIONS)).to_dict()
    for document in data["documents"]:
        document["url"] = document_url(document["id"], q=params.q)
    return jsonify(data)


@api.get("/documents")
def document_by_id():
    """A document by an id in the query string, whatever it holds (see `web.links`): /api/documents?id=<id>."""
    return document(_id_parameter())


@api.get("/related")
def related_by_id():
    """The related documents of an id in the query string: /api/related?id=<id>."""
    return related(_id_parameter())


def _id_parameter() -> str:
    doc_id = request.args.get("id", "")
    if not doc_id:
        raise QueryError("Parameter id is required: the document's id.")
    return doc_id


@api.get("/documents/<path:doc_id>")
def document(doc_id: str):
    doc = get_index().document(doc_id)
    if doc is None:
        abort(404, description=f"No document with id {doc_id!r}.")
    return jsonify({"ok": True, "document": doc.to_dict()})


@api.get("/documents/<path:doc_id>/related")
def related(doc_id: str):
    """The documents closest to one, the other language's first (see `Index.related`), as hits without
    snippets; `per_page` of them (10 unless asked)."""
    hits = get_index().related(doc_id, limit=search_params().per_page)
    if hits is None:
        abort(404, description=f"No document with id {doc_id!r}.")
    return jsonify({"ok": True, "id": doc_id, "related": [hit.to_dict() for hit in hits]})


@api.route("/analyze", methods=["GET", "POST"])
def analyze():
    """The terms and each word's lemmas of `text`: in the query string (GET; an address holds about 2,700
    Cyrillic letters, percent-encoded, within the server's 16 KB of headers), or up to MAX_ANALYZE_CHARS
    characters in a POST's JSON body {"text": ...} or form field."""
    text = _analyze_text()
    if not text.strip():
        raise QueryError("Parameter text is required: the text to analyze.")
    if len(text) > MAX_ANALYZE_CHARS:
        raise QueryError(f"text is too long ({len(text):,} characters; the limit is {MAX_ANALYZE_CHARS:,}).")
    words = [
        {"word": w.text, "terms": list(w.terms), "script": w.script, "stop": w.stop, "part": w.part,
         "start": w.start, "end": w.end}
        for w in analyze_words(text)
    ]
    return jsonify({"ok": True, "text": text, "terms": analyze_text(text), "words": words})


@api.get("/stats")
def stats():
    """What the index holds (`Index.overview`): documents by language and source, the dates they span, when it
    was last written, example queries from its titles; what the home page shows."""
    return jsonify({"ok": True, **get_index().overview()})


@api.get("/health")
def health():
    """200 with the document count while the index can serve; 503 in the error shape saying what is wrong
    (no index, an older format, a missing or truncated file) otherwise."""
    index = get_index()
    report = index.check(checksums=False)
    index.warm_up()  # reads what a search reads first (the vocabulary, the stories): once, then cached
    missing = report.get("missing", [])
    return jsonify({"ok": True, "status": "partial" if missing else "ok", "documents": len(index),
                    "generation": index.generation, "shards": report.get("shards", 1),
                    **({"missing": missing} if missing else {}),
                    "process": {"pid": os.getpid(), "memory_mb": round(resident_mb(), 1),
                                "workers": current_app.config.get("SEARCH_WORKERS", 1)}})


def _analyze_text() -> str:
    if request.method == "GET":
        return request.args.get("text", "")
    if request.is_json:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("text", ""), str):
            raise QueryError('The body must be a JSON object {"text": "..."}.')
        return body.get("text", "")
    return request.form.get("text", "")
