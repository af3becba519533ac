"""Cross-language query expansion: each query word is also looked for through its translations and, when it
looks like a name, through its transliteration key.

    expand(parsed)             attach translations (from the shipped lexicon) and name keys to the clauses
    prefer_cooccurring(ctx, …) weight each word's translations by how often they meet the other words' matches
                               in the index: "point" in a question about a football defence is «очко», not «полуостров»
    explain(ctx, …)            which words a document matched only through translation or transliteration
"""

from __future__ import annotations

from itertools import islice, product

import numpy as np

from .lexicon import Translation, lexicon
from .morphology import LANGUAGE_OF_SCRIPT
from .names import name_keys
from .query import TEXT_FIELDS, Clause, ParsedQuery, parse_query
from .scoring import FIELD_WEIGHTS, LANG_CODES
from .stopwords import ENGLISH, RUSSIAN

TRANSLATION_WEIGHT = 0.8  # below 1: a document in the query's own language ranks first when it matches as well
NAME_WEIGHT = 0.8
NAMES_FIELD = "names"
MAX_TRANSLATIONS = 10
MAX_PHRASE_KEYS = 16
COOCCURRENCE_FLOOR = 0.5  # the weight a translation keeps that never meets the rest of the query
_STOP = RUSSIAN | ENGLISH


def parse(text: str, cross_language: bool = True) -> ParsedQuery:
    """Parse a query and, unless told not to, expand it across the languages."""
    parsed = parse_query(text)
    if cross_language:
        expand(parsed)
    return parsed


def expand(parsed: ParsedQuery) -> None:
    """Attach translations and name keys to every clause of a query (members of `a OR b` included)."""
    for clause in parsed.clauses + parsed.excluded:
        _expand(clause)
    _translate_word_pairs(parsed.clauses)


def _translate_word_pairs(clauses: list[Clause]) -> None:
    """Two query words that the lexicon knows as one phrase (ценные бумаги -> securities, вести переговоры ->
    negotiate) also translate as that phrase: its translation joins the first word's, sharing its weight."""
    for first, second in zip(clauses, clauses[1:], strict=False):
        if first.kind == second.kind == "word" and first.script == second.script and first.fields == second.fields:
            keys = tuple(" ".join(pair) for pair in product(first.lemmas, second.lemmas))
            phrase = _useful(lexicon().translate(keys, first.script))
            if phrase:
                first.translations = (phrase + first.translations)[:MAX_TRANSLATIONS]
                first.translation_weights = [1.0] * len(first.translations)


def _expand(clause: Clause) -> None:
    if clause.kind == "any":
        for member in clause.members:
            _expand(member)
    elif clause.kind == "word":
        clause.translations = _useful(lexicon().translate(clause.lemmas, clause.script))
        if _name_like(clause) and clause.fields == TEXT_FIELDS:  # the names field does not know title: from text:
            clause.names = name_keys(clause.source)
    elif clause.kind == "phrase":
        clause.translations = _useful(_phrase_translations(clause))
    clause.translation_weights = [1.0] * len(clause.translations)


def _useful(translations: list[Translation]) -> list[Translation]:
    return [t for t in translations if not all(term in _STOP for term in t.terms)][:MAX_TRANSLATIONS]


def _name_like(clause: Clause) -> bool:
    """A capitalized query word, or one the lexicon does not know (lavrov, makei): worth a name lookup."""
    return bool(clause.source) and (clause.source[:1].isupper() or not clause.translations)


def _phrase_translations(clause: Clause) -> list[Translation]:
    """A quoted phrase translates as a phrase when the lexicon has it («вести переговоры» -> negotiate)."""
    # Never list every combination: a phrase of n words with three lemmas each has 3**n of them.
    keys = [" ".join(combo) for combo in islice(product(*clause.words), MAX_PHRASE_KEYS)]
    return lexicon().translate(tuple(keys), clause.script)


def cross_language_scores(ctx, parsed: ParsedQuery, own: list[np.ndarray]) -> list[np.ndarray]:
    """Each clause's score with its translations and names (from `expand`): the better of the word itself and
    its translated forms, after weighting the translations by how well they fit the rest of the query."""
    present = [scores > 0 for scores in own]
    translated = [translated_scores(ctx, clause, mask) for clause, mask in zip(parsed.clauses, present, strict=True)]
    for i in prefer_cooccurring(ctx, parsed, [a | (b > 0) for a, b in zip(present, translated, strict=True)]):
        translated[i] = translated_scores(ctx, parsed.clauses[i], present[i])
    return [np.maximum(a, b) for a, b in zip(own, translated, strict=True)]


def prefer_cooccurring(ctx, parsed: ParsedQuery, matches: list[np.ndarray]) -> list[int]:
    """Re-weight each clause's translations by the share of their documents that also match other clauses.

    `matches[i]` marks the documents that match clause i in any way. A translation whose documents never
    contain the rest of the query keeps COOCCURRENCE_FLOOR of the weight; the best-fitting one keeps all of it.
    (Measured on the XQuAD cross-language sets, 240 paragraphs: neutral, ±0.003 nDCG@10; it is there for short
    queries over large mixed collections, where one wrong sense can flood the results.)
    Returns the indexes of the clauses whose weights it changed.
    """
    if len(parsed.clauses) < 2:
        return []
    changed = []
    everyone = np.sum(matches, axis=0, dtype=np.int32)
    for i, clause in enumerate(parsed.clauses):
        if len(clause.translations) < 2:
            continue
        others = everyone - matches[i]
        shares = []
        for translation in clause.translations:
            docnums = _phrase_documents(ctx, clause.fields, translation.terms)
            shares.append(float(others[docnums].mean()) if len(docnums) else 0.0)
        best = max(shares)
        if best > 0:
            clause.translation_weights = [
                COOCCURRENCE_FLOOR + (1 - COOCCURRENCE_FLOOR) * share / best for share in shares]
            changed.append(i)
    return changed


def translated_scores(ctx, clause: Clause, own: np.ndarray | None = None) -> np.ndarray:
    """Dense scores of a clause's translations and name keys, to be set against the word's own score.

    The translations of one word count as one word (Pirkola's structured query): their term frequencies add up,
    weighted, and their document frequency is that of their union, so a word with ten senses weighs no more
    than a word with one.
    """
    total = np.zeros(ctx.size, dtype=np.float32)
    if clause.kind == "any":
        return np.sum([translated_scores(ctx, member, own) for member in clause.members], axis=0)
    if clause.translations:
        for field in clause.fields:
            tf = np.zeros(ctx.size, dtype=np.float32)
            present = np.zeros(ctx.size, dtype=bool)
            for translation, weight in zip(clause.translations, clause.translation_weights, strict=True):
                docnums, freqs = _phrase_postings(ctx, field, translation.terms)
                tf[docnums] += weight * freqs
                present[docnums] = True
            rows = np.flatnonzero(present)
            if len(rows):
                total[rows] += FIELD_WEIGHTS[field] * ctx.bm25(field, rows, tf[rows], _union_df(rows, own))
        total *= TRANSLATION_WEIGHT
    for key in clause.names:
        docnums, freqs = ctx.postings(NAMES_FIELD, key)
        if len(docnums):
            # The names field holds a few keys per document: lengths are normalized as the text's.
            scores = NAME_WEIGHT * ctx.bm25("text", docnums, freqs, _union_df(docnums, own))
            total[docnums] = np.maximum(total[docnums], scores)
    own_language = LANGUAGE_OF_SCRIPT.get(clause.script)
    if own_language:
        total[ctx.langs == LANG_CODES.index(own_language)] = 0
    return total


def _union_df(docnums: np.ndarray, own: np.ndarray | None) -> int:
    """How many documents hold the word or its translation: `docnums` and the documents `own` marks."""
    if own is None:
        return len(docnums)
    return len(docnums) + int(np.count_nonzero(own)) - int(np.count_nonzero(own[docnums]))


def _phrase_postings(ctx, field: str, terms: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """A translation's documents and frequency in one field; a phrase's, where all its words occur (the rarest
    word's count)."""
    docnums, freqs = ctx.postings(field, terms[0])
    for term in terms[1:]:
        other_docs, other_freqs = ctx.postings(field, term)
        docnums, left, right = np.intersect1d(docnums, other_docs, assume_unique=True, return_indices=True)
        freqs = np.minimum(freqs[left], other_freqs[right])
    return docnums, freqs


def _phrase_documents(ctx, fields: tuple[str, ...], terms: tuple[str, ...]) -> np.ndarray:
    return np.unique(np.concatenate([_phrase_postings(ctx, field, terms)[0] for field in fields]))


def _contains(docnums: np.ndarray, docnum: int) -> bool:
    i = int(np.searchsorted(docnums, docnum))
    return i < len(docnums) and int(docnums[i]) == docnum


def explain(ctx, parsed: ParsedQuery, docnum: int, own: list[np.ndarray]) -> list[dict[str, str]]:
    """The query words this document matched only through a translation or a name key, e.g. NATO -> НАТО
    (for a name, "to" is the key: the caller looks up the document's spelling). `own[i]` holds clause i's
    scores from its own words."""
    found = []
    for clause, own_scores in zip(parsed.clauses, own, strict=True):
        if own_scores[docnum] > 0:
            continue
        for member in clause.members or [clause]:
            via = next((t for t in member.translations
                        if any(_contains(_phrase_postings(ctx, f, t.terms)[0], docnum) for f in member.fields)), None)
            if via is not None:
                found.append({"from": member.source, "to": via.shown, "terms": via.terms, "via": "translation"})
                continue
            key = next((k for k in member.names if _contains(ctx.postings(NAMES_FIELD, k)[0], docnum)), None)
            if key is not None:
                found.append({"from": member.source, "to": key, "terms": (key,), "via": "name"})
    return found
