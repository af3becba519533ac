"""The hits stage: a ranked document as a `Hit`, with its title and snippet marked and the query words it matched
only in the other language explained."""

from __future__ import annotations

import numpy as np

from .expansion import NAME, TRANSLATION, ExpandedQuery
from .highlight import SCAN_CHARS, find_matches, mark, snippet_of
from .morphology import analyze_word
from .names import name_keys
from .ranking import NAMES_FIELD, phrase_postings
from .results import Hit
from .scoring import ScoringContext


def make_hit(ctx: ScoringContext, query: ExpandedQuery, docnum: int, score: float, marked: bool,
             own: list[np.ndarray]) -> Hit:
    """One hit: stored fields, marks over every matched form (unless not `marked`), and, when `own` holds the
    clauses' own scores, how the document matched the words it has only in the other language."""
    stored = ctx.searcher.stored_fields(docnum)
    # A snippet is looked for in the document's first SCAN_CHARS: a 20 MB document costs what a long article does.
    title, text = stored.get("title", ""), stored.get("text", "")[:SCAN_CHARS]
    title_matches, text_matches = [], []
    if marked:
        terms, prefixes = query.highlight_terms, query.highlight_prefixes
        names = query.highlight_names(stored.get("lang", ""))
        title_matches = find_matches(title, terms, prefixes, names)
        text_matches = find_matches(text, terms, prefixes, names)
    return Hit(
        id=stored["id"],
        title=title,
        lang=stored.get("lang", ""),
        score=float(score),
        snippet=snippet_of(text, text_matches) if marked else "",
        title_html=mark(title, title_matches),
        crossed=_crossed(ctx, query, docnum, [(title, title_matches), (text, text_matches)], own)
        if marked and own else [],
        date=stored.get("date", ""),
        url=stored.get("url", ""),
        path=stored.get("path", ""),
    )


def _crossed(ctx: ScoringContext, query: ExpandedQuery, docnum: int,
             matched: list[tuple[str, list[tuple[int, int, str]]]], own: list[np.ndarray]) -> list[dict]:
    """How the document matched the query words it has only in the other language: NATO -> НАТО, shown with the
    document's own spelling of the word it matched (relations, not the dictionary's relate; Лаврова). `matched`
    holds the title and the text with the matches highlighting found in them."""
    found = explain(ctx, query, docnum, own)
    if not found:
        return []
    words = [source[start:end] for source, matches in matched for start, end, _ in matches]
    return [{"from": entry["from"], "to": _form(entry, words), "via": entry["via"]} for entry in found]


def explain(ctx: ScoringContext, query: ExpandedQuery, docnum: int, own: list[np.ndarray]) -> list[dict]:
    """The query words this document matched only through a translation or a name key, e.g. NATO -> НАТО
    (for a name, "to" is the key: the caller looks up the document's spelling). `own[i]` holds clause i's
    scores from its own words."""
    found = []
    for expanded, own_scores in zip(query.clauses, own, strict=True):
        if own_scores[docnum] > 0:
            continue
        for member in expanded.members or (expanded,):
            fields, source = member.clause.fields, member.clause.source
            via = next((t for t in member.of(TRANSLATION)
                        if any(_contains(phrase_postings(ctx, f, t.terms)[0], docnum) for f in fields)), None)
            if via is not None:
                found.append({"from": source, "to": via.shown, "terms": via.terms, "via": "translation"})
                continue
            name = next((n for n in member.of(NAME) if _contains(ctx.postings(NAMES_FIELD, n.terms[0])[0], docnum)),
                        None)
            if name is not None:
                found.append({"from": source, "to": name.shown, "terms": name.terms, "via": "name"})
    return found


def _contains(docnums: np.ndarray, docnum: int) -> bool:
    i = int(np.searchsorted(docnums, docnum))
    return i < len(docnums) and int(docnums[i]) == docnum


def _form(entry: dict, words: list[str]) -> str:
    """The first matched word of the document that carries the entry's term or name key, else the dictionary's."""
    if len(entry["terms"]) == 1:
        term = entry["terms"][0]
        for word in words:
            carries = name_keys(word) if entry["via"] == "name" else analyze_word(word)[0]
            if term in carries:
                return word
    return entry["to"]
