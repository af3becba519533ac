"""Run a parsed query: documents with all query words first, then the best partial matches; facets; paging."""

from __future__ import annotations

import time

import numpy as np

from .correction import TypedQuery, read_as_meant
from .highlight import SCAN_CHARS, find_matches, mark, snippet_of
from .lexicon import lexicon
from .morphology import analyze_word, fold_yo, morph_analyzer
from .names import name_keys
from .query import ParsedQuery
from .results import Hit, SearchResult
from .scoring import LANG_CODES, ScoringContext, clause_scores, proximity_bonus
from .translation import NAMES_FIELD, cross_language_scores, explain, parse, translated_scores
from .vocabulary import FORMS_FIELD

PROXIMITY_SLOP = 3
PROXIMITY_WEIGHT = 0.3  # tuned on xquad, CACM and the RT headline task: more helps CACM, hurts headlines
PROXIMITY_WINDOW = 50  # candidates beyond the page that proximity may reorder
ALL_WORDS_MAX_CLAUSES = 4  # queries up to this many words rank documents with all of them first
MAX_COMPLETIONS = 8  # index words that the last word typed so far may stand for
MIN_COMPLETION_CHARS = 2


def run_search(ctx: ScoringContext, text: str, page: int = 1, per_page: int = 10,
               lang: str | None = None, highlight: bool = True, cross_language: bool = True,
               typos: bool = True, prefix: bool = True) -> SearchResult:
    """Read the query as meant, search, rank in two tiers (every clause matched, then some), count languages,
    page, highlight."""
    started = time.perf_counter()
    typed, parsed = read_query(ctx, text, cross_language, typos, prefix)
    ctx.phrase_checks = 0
    lang = lang or parsed.lang
    own = scores = [clause_scores(ctx, clause) for clause in parsed.clauses]
    if cross_language:
        scores = cross_language_scores(ctx, parsed, own)
    total_score = np.sum(scores, axis=0)
    matched = np.sum([s > 0 for s in scores], axis=0)
    candidates = (matched > 0) & ctx.live
    for clause in parsed.excluded:
        # An excluded word is excluded in both languages: -Путин drops the English reports on Putin too.
        candidates &= clause_scores(ctx, clause) == 0
        if cross_language:
            candidates &= translated_scores(ctx, clause) == 0
    facets = _language_counts(ctx, candidates)
    if lang:
        candidates &= ctx.langs == LANG_CODES.index(lang)
    docnums = np.flatnonzero(candidates)
    complete = matched[docnums] == len(parsed.clauses)
    if len(parsed.clauses) > ALL_WORDS_MAX_CLAUSES:
        # A long query (a pasted headline or question) is ranked by score alone: measured, requiring all of
        # its words first loses relevant documents that miss one incidental word.
        complete[:] = True
    order = np.lexsort((-total_score[docnums], ~complete))  # all clauses first, then by score
    ranked = docnums[order]
    window = ranked[: page * per_page + PROXIMITY_WINDOW]
    window_complete = complete[order][: len(window)]
    final = total_score[window] + _proximity(ctx, parsed, scores, window)
    resort = np.lexsort((-final, ~window_complete))
    window, final = window[resort], final[resort]
    start = (page - 1) * per_page
    # The terms to mark are the same for every hit: work them out once.
    marks = (parsed.highlight_terms, parsed.highlight_prefixes)
    hits = [_hit(ctx, parsed, int(docnum), float(score), marks, highlight, own if cross_language else None)
            for docnum, score in zip(window[start:start + per_page], final[start:start + per_page], strict=True)]
    took_ms = (time.perf_counter() - started) * 1000
    return SearchResult(query=text, page=page, per_page=per_page, total=len(docnums), took_ms=took_ms, hits=hits,
                        facets=facets, searched=typed.searched, corrections=list(typed.corrections),
                        suggestion=typed.suggestion)


def read_query(ctx: ScoringContext, text: str, cross_language: bool = True, typos: bool = True,
               prefix: bool = True) -> tuple[TypedQuery, ParsedQuery]:
    """The query as typed, read as meant (unless `typos` is off), parsed, expanded across the languages (unless
    `cross_language` is off), with its last word completed (when `prefix` is on and the word is still open)."""
    completing = prefix and _last_word_open(text)
    if typos:
        typed = read_as_meant(text, ctx.vocabulary(), keep_last=completing, knows=lambda word: _knows(ctx, word),
                              documents=lambda form: ctx.postings(FORMS_FIELD, form)[0])
    else:
        typed = TypedQuery(text, text)
    parsed = parse(typed.searched, cross_language)
    if completing:
        _complete_last_word(ctx, parsed)
    return typed, parsed


def _knows(ctx: ScoringContext, word: str) -> bool:
    """Whether the index knows a word its vocabulary lacks as written: an English word by its stem or the
    bilingual lexicon, a capitalized word as a name in either script."""
    terms, script, _stop = analyze_word(word)
    # An English word by its stem; a Russian one by its lemmas when the dictionary knows it (pymorphy3's guessed
    # lemmas of an unknown word are often real ones: «успешноы» -> успешный).
    if script == "latn" and lexicon().has_english(terms[0]):
        return True
    if script == "latn" or (script == "cyrl" and morph_analyzer().word_is_known(fold_yo(word.lower()))):
        if any(ctx.has_term(field, term) for field in ("text", "title") for term in terms):
            return True
    return word[:1].isupper() and any(ctx.has_term(NAMES_FIELD, key) for key in name_keys(word))


def _last_word_open(text: str) -> bool:
    """Whether the query ends in a plain word still being typed (no space, quote or wildcard after it)."""
    last = text.split()[-1] if text.split() else ""
    return bool(last) and text[-1:].isalnum() and not last.startswith(('"', "-")) and ":" not in last


def _complete_last_word(ctx: ScoringContext, parsed: ParsedQuery) -> None:
    """Let the last word also stand for the index's most frequent words it begins («перегов» -> переговоры)."""
    clause = parsed.clauses[-1]
    if clause.kind != "word" or clause.stop or len(clause.source) < MIN_COMPLETION_CHARS:
        return
    stem = fold_yo(clause.source.lower())
    forms = [f for f in ctx.vocabulary().completions(stem, MAX_COMPLETIONS + 1) if f != stem][:MAX_COMPLETIONS]
    terms = dict.fromkeys(term for form in forms for term in analyze_word(form)[0])
    clause.completions = tuple(t for t in terms if t not in clause.lemmas)


def _language_counts(ctx: ScoringContext, candidates: np.ndarray) -> dict[str, dict[str, int]]:
    counts = np.bincount(ctx.langs[candidates], minlength=len(LANG_CODES))
    pairs = [(LANG_CODES[code], int(n)) for code, n in enumerate(counts) if n and LANG_CODES[code]]
    return {"lang": dict(sorted(pairs, key=lambda pair: -pair[1]))}


def _proximity(ctx: ScoringContext, parsed: ParsedQuery, scores: list[np.ndarray], window: np.ndarray) -> np.ndarray:
    """Bonus for consecutive query words standing close together in the text, for the top of the ranking."""
    indexes = parsed.proximity_words
    if len(indexes) < 2:
        return np.zeros(len(window), dtype=np.float32)
    words = [parsed.clauses[i].lemmas for i in indexes]
    return proximity_bonus(ctx, window, words, [scores[i] for i in indexes], PROXIMITY_SLOP, PROXIMITY_WEIGHT)


def _hit(ctx: ScoringContext, parsed: ParsedQuery, docnum: int, score: float, marks: tuple[set[str], ...],
         marked: bool, own: list[np.ndarray] | None) -> Hit:
    stored = ctx.searcher.stored_fields(docnum)
    # A snippet is looked for in the document's first SCAN_CHARS: a 20 MB document costs what a long article does.
    title, text = stored.get("title", ""), stored.get("text", "")[:SCAN_CHARS]
    title_matches, text_matches = [], []
    if marked:
        terms, prefixes = marks
        names = parsed.highlight_names(stored.get("lang", ""))
        title_matches = find_matches(title, terms, prefixes, names)
        text_matches = find_matches(text, terms, prefixes, names)
    return Hit(
        id=stored["id"],
        title=title,
        lang=stored.get("lang", ""),
        score=float(score),
        snippet=snippet_of(text, text_matches) if marked else "",
        title_html=mark(title, title_matches),
        crossed=_crossed(ctx, parsed, docnum, [(title, title_matches), (text, text_matches)], own)
        if marked and own else [],
        date=stored.get("date", ""),
        url=stored.get("url", ""),
        path=stored.get("path", ""),
    )


def _crossed(ctx: ScoringContext, parsed: ParsedQuery, docnum: int,
             matched: list[tuple[str, list[tuple[int, int, str]]]], own: list[np.ndarray]) -> list[dict]:
    """How the document matched the query words it has only in the other language: NATO -> НАТО, shown with the
    document's own spelling of the word it matched (relations, not the dictionary's relate; Лаврова). `matched`
    holds the title and the text with the matches highlighting found in them."""
    found = explain(ctx, parsed, docnum, own)
    if not found:
        return []
    words = [source[start:end] for source, matches in matched for start, end, _ in matches]
    return [{"from": entry["from"], "to": _form(entry, words), "via": entry["via"]} for entry in found]


def _form(entry: dict, words: list[str]) -> str:
    """The first matched word of the document that carries the entry's term or name key, else the dictionary's."""
    if len(entry["terms"]) == 1:
        term = entry["terms"][0]
        for word in words:
            carries = name_keys(word) if entry["via"] == "name" else analyze_word(word)[0]
            if term in carries:
                return word
    return entry["to"]
