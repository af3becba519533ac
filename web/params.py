"""Reading and checking request parameters, shared by the page and the API."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, request

from .errors import BadParameter

LANGUAGES = ("ru", "en", "mixed")
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


def _int(name: str, default: int, low: int, high: int) -> int:
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


def search_params() -> SearchParams:
    """q, page, per_page, lang, cross_language, typos and collapse from the query string; BadParameter (HTTP 400)
    when one is out of range."""
    max_per_page = current_app.config["SEARCH_MAX_PER_PAGE"]
    lang = request.args.get("lang", "").strip().lower() or None
    if lang == "all":
        lang = None
    if lang is not None and lang not in LANGUAGES:
        raise BadParameter(f"lang must be one of all, {', '.join(LANGUAGES)}; not {lang!r}.")
    return SearchParams(
        q=request.args.get("q", "").strip(),
        page=_int("page", 1, 1, 10_000),
        per_page=_int("per_page", current_app.config["SEARCH_PER_PAGE"], 1, max_per_page),
        lang=lang,
        cross_language=_flag("cross_language", True),
        typos=_flag("typos", True),
        collapse=_flag("collapse", True),
    )
