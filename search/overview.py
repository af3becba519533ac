"""What an index holds, for a home page: documents by language and source, the dates they span (and how many
of each language carry one), when it was last written, and a few example queries drawn from its own titles
(`Index.overview`).

A snapshot gives its part (`overview_part`: counts, and each title term's document frequency); the parts of a
collection's shards add up (`overview_of`), so a sharded index gives what one index of the same documents
gives. Example queries are the nouns and names its titles use most (Russian by pymorphy3's reading of the
lemma, English by the bilingual lexicon's knowing the stem), each shown as the form the index holds most.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from .analysis.lexicon import lexicon
from .analysis.morphology import analyze_word, morph_analyzer
from .language import LANGUAGE_OF_SCRIPT, LANGUAGES, script_of
from .load.dates import NO_DATE
from .store.snapshot import LANG_CODES, ScoringContext
from .store.vocabulary import Vocabulary

EXAMPLES = 6  # example queries per language
MAX_SOURCES = 10
MIN_EXAMPLE_CHARS = 4
NOUNS = {"NOUN"}  # pymorphy3's part of speech of a Russian example's lemma
NAMES = {"Geox", "Name", "Surn", "Orgn"}  # written with a capital (an abbreviation, "Abbr", in capitals)
WRITTEN_SHARE = 0.5  # a Russian example's lemma is written as such in at least this share of its titles' count


def overview_part(ctx: ScoringContext) -> dict[str, Any]:
    """One snapshot's counts: live documents by language and source, its first and last date and undated
    documents, and each title term's document frequency."""
    live = ctx.live
    langs = np.bincount(ctx.langs[live], minlength=len(LANG_CODES))
    codes = ctx.sources[live]
    sources = np.bincount(codes[codes >= 0], minlength=len(ctx.source_names))
    dates = ctx.dates[live]
    dated = dates[dates != NO_DATE]
    dated_langs = np.bincount(ctx.langs[live][dates != NO_DATE], minlength=len(LANG_CODES))
    reader = ctx.searcher.reader()
    titles = {}
    for term in reader.lexicon("title"):
        text = term.decode("utf-8") if isinstance(term, bytes) else term
        if len(text) >= MIN_EXAMPLE_CHARS and text.isalpha():
            titles[text] = reader.doc_frequency("title", term)
    return {"documents": int(live.sum()),
            "languages": {LANG_CODES[code]: int(n) for code, n in enumerate(langs) if n and LANG_CODES[code]},
            "sources": {ctx.source_names[i]: int(n) for i, n in enumerate(sources) if n},
            "first": int(dated.min()) if len(dated) else None, "last": int(dated.max()) if len(dated) else None,
            "undated": int(len(dates) - len(dated)), "titles": titles,
            "dated": {LANG_CODES[code]: int(n) for code, n in enumerate(dated_langs) if LANG_CODES[code]}}


def overview_of(parts: list[dict[str, Any]], vocabulary: Vocabulary, updated: str, examples: int = EXAMPLES) -> dict:
    """The parts of a collection added up, with example queries (see the module)."""
    languages: dict[str, int] = {}
    sources: dict[str, int] = {}
    titles: dict[str, int] = {}
    dated: dict[str, int] = {}
    for part in parts:
        for into, counts in ((languages, part["languages"]), (sources, part["sources"]), (titles, part["titles"]),
                             (dated, part["dated"])):
            for name, n in counts.items():
                into[name] = into.get(name, 0) + n
    firsts = [p["first"] for p in parts if p["first"] is not None]
    lasts = [p["last"] for p in parts if p["last"] is not None]
    return {
        "documents": sum(p["documents"] for p in parts),
        "languages": dict(sorted(languages.items(), key=lambda pair: -pair[1])),
        "sources": dict(sorted(sources.items(), key=lambda pair: (-pair[1], pair[0]))[:MAX_SOURCES]),
        "dates": {"first": _day(min(firsts)) if firsts else "", "last": _day(max(lasts)) if lasts else "",
                  "undated": sum(p["undated"] for p in parts),
                  "dated": {lang: dated.get(lang, 0) for lang in languages}},
        "updated": updated,
        "examples": {lang: _examples(titles, vocabulary, lang, examples) for lang in LANGUAGES},
    }


def written_at(created: Any) -> str:
    """A generation's creation time (its manifest's epoch seconds) as ISO 8601 in UTC: 2026-12-07T23:40:00Z."""
    if not isinstance(created, int | float):
        return ""
    return dt.datetime.fromtimestamp(created, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _day(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date().isoformat()


def _examples(titles: dict[str, int], vocabulary: Vocabulary, lang: str, count: int) -> list[str]:
    """The `count` nouns and names of one language that the most titles use, as the index writes them."""
    chosen: list[str] = []
    for term in sorted(titles, key=lambda t: (-titles[t], t)):
        if LANGUAGE_OF_SCRIPT.get(script_of(term)) != lang:
            continue
        form = (_russian_example(term, vocabulary, titles[term]) if lang == "ru"
                else _english_example(term, vocabulary))
        if form and form not in chosen:
            chosen.append(form)
            if len(chosen) == count:
                break
    return chosen


def _russian_example(lemma: str, vocabulary: Vocabulary, titles: int) -> str | None:
    """A Russian title term (a lemma) when it is a noun or a name that the texts write as such: «мочь» (the
    lemma of «может») and «миро» (of «миром») are nouns to the dictionary, but the texts hardly write them."""
    parsed = morph_analyzer().parse(lemma)
    if not parsed or parsed[0].tag.POS not in NOUNS or analyze_word(lemma)[2]:
        return None
    if vocabulary.frequency(lemma) < WRITTEN_SHARE * titles:
        return None
    grammemes = set(parsed[0].tag.grammemes)
    if "Abbr" in grammemes:
        return lemma.upper()
    return lemma.capitalize() if NAMES & grammemes else lemma


def _english_example(stem: str, vocabulary: Vocabulary) -> str | None:
    """An English title term (a stem) that the lexicon knows as a word, as the index holds it most."""
    if not lexicon().has_english(stem):
        return None
    return _most_held(stem, stem, vocabulary)


def _most_held(term: str, beginning: str, vocabulary: Vocabulary) -> str | None:
    """The form of `term` the most documents hold: the term itself or a word it begins (a stem's words)."""
    forms = [f for f in [beginning, *vocabulary.completions(beginning, 30)] if vocabulary.frequency(f)
             and term in analyze_word(f)[0] and not analyze_word(f)[2]]
    return max(forms, key=lambda f: (vocabulary.frequency(f), f), default=None)
