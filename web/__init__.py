"""The web UI and JSON API: a thin Flask layer over the `search` library.

    create_app(config) -> Flask app with two blueprints: pages (HTML) and api (JSON).
"""

from __future__ import annotations

import os
import threading
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, abort, g, request
from flask.json.provider import DefaultJSONProvider

from search import MAX_QUERY_CHARS, is_long_query

DEFAULTS: dict[str, Any] = {
    "SEARCH_INDEX": "index",
    "SEARCH_PER_PAGE": 10,
    "SEARCH_MAX_PER_PAGE": 50,
    "SEARCH_PUBLIC_URL": "",  # the address in /opensearch.xml; `serve` sets it; else the request's, if plain
    # Requests with a long query (search.is_long_query) that may run or wait at once; more get a 429 at once, so
    # that a flood of them never holds every worker thread while short queries queue behind it. `serve` sets
    # half its threads.
    "SEARCH_LONG_QUERY_SLOTS": 4,
    "SEARCH_WORKERS": 1,  # worker processes serving this index (`serve --workers`), shown by /api/health
    # A sharded index (`bilingual-search index --shards N`) is served by Ray actors, one a shard, when this names a
    # running cluster ("auto" or host:port) or is "local" (a Ray started by the app on 127.0.0.1); by this
    # process itself when empty.
    "SEARCH_RAY": "",
    # The fields of a document's `meta` that its page shows (comma-separated names): none unless named, as a
    # collection's records carry internal fields (Reuters' lewissplit, cgisplit) that say nothing to a reader.
    "SEARCH_SHOWN_META": "",
}
BUSY_MESSAGE = "The server is busy with other long queries; try again in a moment, or with fewer words."
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def _from_environment() -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for key, value in os.environ.items():
        if key in DEFAULTS:
            settings[key] = type(DEFAULTS[key])(value)
    return settings


class ReadableJSON(DefaultJSONProvider):
    """Flask's JSON, with the API's keys in their documented order and Cyrillic readable."""

    sort_keys = False
    ensure_ascii = False


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The app. Settings come from `config`, else from SEARCH_* environment variables, else the defaults."""
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    app.config.update(_from_environment())
    app.config.update(config or {})
    app.json = ReadableJSON(app)
    app.extensions["search_index"] = None

    from .api import api
    from .errors import register_error_handlers
    from .pages import pages

    app.jinja_env.globals["max_query_chars"] = MAX_QUERY_CHARS  # the search box's maxlength
    app.register_blueprint(pages)
    app.register_blueprint(api, url_prefix="/api")
    register_error_handlers(app)

    long_queries = threading.BoundedSemaphore(max(1, int(app.config["SEARCH_LONG_QUERY_SLOTS"])))

    @app.before_request
    def limit_long_queries():
        if is_long_query(request.args.get("q", "")):
            if not long_queries.acquire(blocking=False):
                abort(429, description=BUSY_MESSAGE)
            g.long_query_slot = True

    @app.teardown_request
    def release_long_query_slot(_error):
        if g.pop("long_query_slot", False):
            long_queries.release()

    @app.before_request
    def refuse_options():
        # Flask answers OPTIONS itself with 200 and an empty body: there is no CORS to negotiate here.
        if request.method == "OPTIONS":
            abort(405, description="Method not allowed: this server answers GET (and HEAD).")

    @app.after_request
    def add_security_headers(response):
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        if response.status_code == 429:
            response.headers.setdefault("Retry-After", "1")
        return response

    @app.after_request
    def relative_redirects(response):
        # Werkzeug's own redirects (merging '//api//health' into '/api/health') name the request's Host header,
        # which anyone can set: a redirect stays on this site, whatever the Host says.
        location = response.headers.get("Location")
        if location:
            parts = urlsplit(location)
            if parts.scheme or parts.netloc:
                path = "/" + parts.path.lstrip("/")
                response.headers["Location"] = urlunsplit(("", "", path, parts.query, parts.fragment))
        return response

    return app


from .app_index import get_index  # noqa: E402  (the public name, defined apart: pages and api import it)

__all__ = ["create_app", "get_index"]
