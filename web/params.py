"""Reading and checking request parameters, shared by the page and the API."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request

from search import DOCUMENT_LANGS

from .errors import BadParameter

SORTS = ("relevance", "date")
MAX_NAMES = 20  # sources or topics one search may name
MAX_NAME_CHARS = 200
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


@dataclass(frozen=True)
class SearchParams:
    q: str
    page: int
    per_page: int
    lang: str | None
    cross_language: bool = True
    typos: bool = True  # typos=0: search the words exactly as typed
    collapse: bool = True  # collapse=0: every copy of a story as a hit of its own
    since: str = ""  # dates as the library reads them: 2018, 2018-05, 2018-05-29 (checked by the search)
    until: str = ""
    sources: tuple[str, ...] = ()  # source=rt&source=reuters: either
    topics: tuple[str, ...] = ()  # topic=oil&topic=opec: all of them
    sort: str = "relevance"

    def search_kwargs(self) -> dict:
        """The keyword arguments of `Index.search` these parameters ask for."""
        return {"page": self.page, "per_page": self.per_page, "lang": self.lang, "cross_language": self.cross_language,
                "typos": self.typos, "collapse": self.collapse, "since": self.since or None,
                "until": self.until or None, "source": list(self.sources) or None, "topic": list(self.topics) or None,
                "sort": self.sort}

    def query_args(self, **changes) -> dict[str, str | int | list[str]]:
        """These parameters as a query string's arguments (defaults left out), with `changes` made: what a link
        that keeps the search's filters across pages and facets carries."""
        state = {"q": self.q, "lang": self.lang or "", "page": self.page, "cross_language": self.cross_language,
                 "typos": self.typos, "since": self.since, "until": self.until, "source": list(self.sources),
                 "topic": list(self.topics), "sort": self.sort, **changes}
        args: dict[str, str | int | list[str]] = {"q": state["q"]}
        for key in ("lang", "since", "until", "source", "topic"):
            if state[key]:
                args[key] = state[key]
        if state["sort"] != "relevance":
            args["sort"] = state["sort"]
        for key in ("cross_language", "typos"):
            if not state[key]:
                args[key] = 0
        if state["page"] and state["page"] > 1:
            args["page"] = state["page"]
        return args


def int_param(name: str, default: int, low: int, high: int) -> int:
    """A whole-number request parameter from `low` to `high`, `default` when it is missing; `BadParameter`
    otherwise."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(f"{name} must be a whole number, not {raw!r}.") from None
    if not low <= value <= high:
        raise BadParameter(f"{name} must be from {low} to {high}, not {value}.")
    return value


def _flag(name: str, default: bool) -> bool:
    raw = request.args.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise BadParameter(f"{name} must be 1 or 0 (true or false), not {raw!r}.")


def _names(name: str) -> tuple[str, ...]:
    values = [" ".join(v.split()) for v in request.args.getlist(name) if v.strip()]
    if len(values) > MAX_NAMES or any(len(v) > MAX_NAME_CHARS for v in values):
        raise BadParameter(f"{name} takes at most {MAX_NAMES} values of at most {MAX_NAME_CHARS} characters.")
    return tuple(dict.fromkeys(values))


def _text(name: str) -> str:
    value = request.args.get(name, "").strip()
    if len(value) > MAX_NAME_CHARS:
        raise BadParameter(f"{name} must be at most {MAX_NAME_CHARS} characters.")
    return value


def search_params() -> SearchParams:
    """q, page, per_page, lang, cross_language, typos, collapse, since, until, source, topic and sort from the
    query string; BadParameter (HTTP 400) when one is out of range (dates are checked by the search)."""
    max_per_page = current_app.config["SEARCH_MAX_PER_PAGE"]
    lang = request.args.get("lang", "").strip().lower() or None
    if lang == "all":
        lang = None
    if lang is not None and lang not in DOCUMENT_LANGS:
        raise BadParameter(f"lang must be one of all, {', '.join(DOCUMENT_LANGS)}; not {lang!r}.")
    return SearchParams(
        q=request.args.get("q", "").strip(),
        page=int_param("page", 1, 1, 10_000),
        per_page=int_param("per_page", current_app.config["SEARCH_PER_PAGE"], 1, max_per_page),
        lang=lang,
        cross_language=_flag("cross_language", True),
        typos=_flag("typos", True),
        collapse=_flag("collapse", True),
        since=_text("since"),
        until=_text("until"),
        sources=_names("source"),
        topics=_names("topic"),
        sort=_sort(),
    )


def _sort() -> str:
    sort = request.args.get("sort", "").strip().lower() or "relevance"
    if sort not in SORTS:
        raise BadParameter(f"sort must be relevance or date, not {sort[:40]!r}.")
    return sort
