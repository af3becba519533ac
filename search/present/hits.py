"""The hits stage: a ranked document as a `Hit`, with its title and snippet marked and the query words it matched
only in the other language explained."""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape

import numpy as np

from ..analysis.morphology import analyze_word
from ..analysis.names import name_keys, name_spelling, same_name
from ..analysis.passages import PassageTable
from ..load.documents import site_of
from ..query.expansion import NAME, TRANSLATION, ExpandedQuery
from ..rank.ranking import phrase_postings
from ..store.positions import text_positions
from ..store.schema import stored_topics
from ..store.snapshot import ScoringContext
from .highlight import find_matches, mark
from .results import Hit
from .snippets import opening, snippet, snippet_at

_SNIPPET_MARK = re.compile(r"<mark>(.*?)</mark>")
NAME_SPELLING_CHARS = 100_000  # where a name matched only by its key is looked for in the text (a page part)


MAX_SIMILAR_LISTED = 10


def make_hits(ctx: ScoringContext, query: ExpandedQuery, docnums: np.ndarray, scores: np.ndarray, marked: bool,
              own: list[np.ndarray], similar: dict[int, list[int]] | None = None) -> list[Hit]:
    """The hits of a page: `make_hit` for each document, the query terms' positions in them read at once, with
    the other documents of its story (`similar`, see `search.rank.ranking.one_story_once`)."""
    located = word_positions(ctx, query.words_terms, docnums) if marked else {}
    explained = explain(ctx, query, docnums.tolist(), own) if marked and own else {}
    similar = similar or {}
    hits = []
    for docnum, score in zip(docnums.tolist(), scores.tolist(), strict=True):
        if ctx.give_way is not None:
            ctx.give_way()
        hit = make_hit(ctx, query, docnum, score, marked, explained.get(docnum, []), located.get(docnum, {}))
        if docnum in similar:
            hit = replace(hit, similar=_listed(ctx, similar[docnum]), similar_count=len(similar[docnum]))
        hits.append(hit)
    return hits


def _listed(ctx: ScoringContext, docnums: list[int]) -> list[dict[str, str]]:
    """The first MAX_SIMILAR_LISTED of a story's other documents as a results page lists them."""
    return similar_entries([ctx.searcher.stored_fields(docnum) for docnum in docnums[:MAX_SIMILAR_LISTED]])


def similar_entries(stored: list[dict]) -> list[dict[str, str]]:
    """A story's other documents (their stored fields) as a hit lists them."""
    return [{key: fields.get(key) or "" for key in ("id", "title", "lang", "date", "url", "source")}
            for fields in stored]


def make_hit(ctx: ScoringContext, query: ExpandedQuery | None, docnum: int, score: float, marked: bool,
             explained: list[dict], located: dict[int, np.ndarray]) -> Hit:
    """One hit: stored fields, marks over every matched form (unless not `marked`), and how the document
    matched the words it has only in the other language (`explained`, as `explain` found them). `located` holds
    where the query's terms stand in the text, for its snippet. Without a query (a related document) nothing
    is marked."""
    stored = ctx.searcher.stored_fields(docnum)
    title, text = stored.get("title", ""), stored.get("text", "")
    title_matches: list[tuple[int, int, str]] = []
    snippet_html = ""
    if marked and query is not None:
        terms, prefixes = query.highlight_terms, query.highlight_prefixes
        names = query.highlight_names(stored.get("lang", ""))
        title_matches = find_matches(title, terms, prefixes, names)
        snippet_html = _snippet(text, stored.get("passages"), located, terms, prefixes, names)
    return Hit(
        id=stored["id"],
        title=title,
        lang=stored.get("lang", ""),
        score=float(score),
        snippet=snippet_html,
        title_html=mark(title, title_matches),
        crossed=_crossed(explained, title, title_matches, snippet_html, text) if marked else [],
        date=stored.get("date", ""),
        url=stored.get("url", ""),
        path=stored.get("path", ""),
        source=stored.get("source") or "",
        site=site_of(stored.get("url") or "") or stored.get("source") or "",
        topics=list(stored_topics(stored)),
    )


def word_positions(ctx: ScoringContext, words: tuple[frozenset[str], ...],
                   docnums: np.ndarray) -> dict[int, dict[int, np.ndarray]]:
    """Where each query word (by the terms that find it) stands in the text of each document: docnum -> word's
    index -> word positions, from the forward index."""
    located: dict[int, dict[int, np.ndarray]] = {}
    order = np.sort(np.asarray(docnums, dtype=np.int64))
    for index, found in enumerate(text_positions(ctx, [sorted(terms) for terms in words], order)):
        for docnum, positions in found.items():
            located.setdefault(docnum, {})[index] = positions
    return located


def _snippet(text: str, table: bytes | None, located: dict[int, np.ndarray], terms: set[str],
             prefixes: set[str], names: set[str]) -> str:
    """The snippet from the passages where the query's terms stand; the text read whole only when the document
    may match through what has no positions (a name key, a `word*` prefix)."""
    if table and located:
        found = snippet_at(text, PassageTable.from_bytes(table), located, terms, prefixes, names)
        if found is not None:
            return found
    if prefixes or names or not table:
        return snippet(text, terms, prefixes, names)  # the first SCAN_CHARS, read whole
    return opening(text)


def _crossed(explained: list[dict], title: str, title_matches: list[tuple[int, int, str]],
             snippet: str, text: str) -> list[dict]:
    """How the document matched the query words it has only in the other language: NATO -> НАТО, shown with the
    document's own spelling of the word it matched (relations, not the dictionary's relate; Лаврова), as the
    title or the snippet marks it."""
    if not explained:
        return []
    words = [title[start:end] for start, end, _ in title_matches]
    words += [unescape(word) for word in _SNIPPET_MARK.findall(snippet)]
    return [{"from": entry["from"], "to": _form(entry, words, title + "\n" + text[:NAME_SPELLING_CHARS]),
             "via": entry["via"]} for entry in explained]


def explain(ctx: ScoringContext, query: ExpandedQuery, docnums: list[int],
            own: list[np.ndarray]) -> dict[int, list[dict]]:
    """For each of a page's documents, the query words it matched only through a translation or a name key,
    e.g. NATO -> НАТО (for a name, "to" is the key: the caller looks up the document's spelling). `own[i]`
    holds clause i's scores from its own words. Each translation's documents are looked up once for the page."""
    found: dict[int, list[dict]] = {docnum: [] for docnum in docnums}
    for expanded, own_scores in zip(query.clauses, own, strict=True):
        lacking = np.array([d for d in docnums if not own_scores[d] > 0], dtype=np.int64)
        if not len(lacking):
            continue
        for member in expanded.members or (expanded,):
            fields, source = member.clause.fields, member.clause.source
            pending = lacking
            for via in member.of(TRANSLATION):
                holding = np.zeros(len(pending), dtype=bool)
                for field in fields:
                    holding |= _held(pending, phrase_postings(ctx, field, via.terms, query.budget)[0])
                for docnum in pending[holding].tolist():
                    found[docnum].append({"from": source, "to": via.shown, "terms": via.terms, "via": "translation"})
                pending = pending[~holding]
            for name in member.of(NAME):
                holding = _held(pending, ctx.name_postings(name.terms[0])[0])
                for docnum in pending[holding].tolist():
                    found[docnum].append({"from": source, "to": name.shown, "terms": name.terms, "via": "name"})
                pending = pending[~holding]
    return found


def _held(docnums: np.ndarray, postings: np.ndarray) -> np.ndarray:
    """Which of a few documents a sorted postings list holds."""
    if not len(postings):
        return np.zeros(len(docnums), dtype=bool)
    return postings[np.minimum(np.searchsorted(postings, docnums), len(postings) - 1)] == docnums


def _form(entry: dict, words: list[str], text: str) -> str:
    """The first matched word of the document that carries the entry's term or name key, else the dictionary's
    word; for a name, else the document's own spelling of it in `text` (a key is never shown to a reader:
    "Skripal → Скрипаля", not "skrVpVl|li.a"), else the word typed."""
    if len(entry["terms"]) == 1:
        term = entry["terms"][0]
        for word in words:
            if entry["via"] == "name":
                if any(same_name(term, key) for key in name_keys(word)):
                    return word
            elif term in analyze_word(word)[0]:
                return word
        if entry["via"] == "name":
            return name_spelling(term, text) or entry["from"]
    return entry["to"]
