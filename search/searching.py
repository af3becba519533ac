"""Run a parsed query: documents with all query words first, then the best partial matches; facets; paging."""

from __future__ import annotations

import time
from collections import Counter

from whoosh import query as q
from whoosh.searching import Searcher

from .highlight import highlight, snippet
from .query import ParsedQuery, parse_query
from .results import Hit, SearchResult


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else (value or "")


def run_search(searcher: Searcher, text: str, page: int = 1, per_page: int = 10,
               lang: str | None = None) -> SearchResult:
    """Search, rank in two tiers (every clause matched, then some), count languages, page, highlight."""
    started = time.perf_counter()
    parsed = parse_query(text)
    lang = lang or parsed.lang
    loose = parsed.loose()
    matched = searcher.docs_for_query(loose)
    lang_column = searcher.reader().column_reader("lang")
    langs = {docnum: _text(lang_column[docnum]) for docnum in matched}
    facets = {"lang": dict(Counter(langs.values()).most_common())}
    total = sum(1 for value in langs.values() if value == lang) if lang else len(langs)
    ranked = _ranked(searcher, parsed, loose, page * per_page, q.Term("lang", lang) if lang else None)
    hits = [_hit(searcher, docnum, score, parsed) for docnum, score in ranked[(page - 1) * per_page:]]
    took_ms = (time.perf_counter() - started) * 1000
    return SearchResult(query=text, page=page, per_page=per_page, total=total, took_ms=took_ms, hits=hits,
                        facets=facets)


def _ranked(searcher: Searcher, parsed: ParsedQuery, loose: q.Query, limit: int,
            lang_filter: q.Query | None) -> list[tuple[int, float]]:
    ranked: list[tuple[int, float]] = []
    if len(parsed.clauses) > 1:
        ranked = [(hit.docnum, hit.score) for hit in searcher.search(parsed.strict(), limit=limit,
                                                                      filter=lang_filter)]
    if len(ranked) < limit:
        seen = {docnum for docnum, _ in ranked}
        for hit in searcher.search(loose, limit=limit + len(seen), filter=lang_filter):
            if hit.docnum not in seen:
                ranked.append((hit.docnum, hit.score))
                if len(ranked) >= limit:
                    break
    return ranked


def _hit(searcher: Searcher, docnum: int, score: float, parsed: ParsedQuery) -> Hit:
    stored = searcher.stored_fields(docnum)
    terms, prefixes = parsed.highlight_terms, parsed.highlight_prefixes
    title = stored.get("title", "")
    return Hit(
        id=stored["id"],
        title=title,
        lang=stored.get("lang", ""),
        score=float(score),
        snippet=snippet(stored.get("text", ""), terms, prefixes),
        title_html=highlight(title, terms, prefixes),
        date=stored.get("date", ""),
        url=stored.get("url", ""),
        path=stored.get("path", ""),
    )
