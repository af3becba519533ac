"""Queries as people type them: each word the index does not know is read as meant before the query is parsed,
as typed in the other keyboard layout, as Russian in Latin letters, or with a typo, and the change is said.

A word is known when the index holds it or the Russian dictionary does: a known word is never corrected away
(names, rare terms). An unknown word takes the first of these that gives known words: the other layout, a
Latin-letter spelling of a Russian word, the index's nearest form (one typo from MIN_ONE_TYPO letters, two from
MIN_TWO_TYPOS, as Meilisearch counts them). A word the index holds only once or twice, that the dictionary does
not know, and that has a far more frequent neighbour one typo away is searched as typed, with "did you mean"
offering the neighbour. Quoted phrases, field values, wildcards and operators are left as typed.

>>> from search.vocabulary import Vocabulary
>>> words = Vocabulary({"переговоры": 40, "sanctions": 12, "привет": 3})
>>> typed = read_as_meant("перегаворы ыфтсешщты ghbdtn", words)
>>> typed.searched, [c.via for c in typed.corrections]
('переговоры sanctions привет', ['typo', 'layout', 'layout'])
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .analysis import WORD_PATTERN
from .keyboard import other_layout
from .morphology import fold_yo, morph_analyzer, script_of
from .stopwords import ENGLISH
from .transliteration import spellings
from .vocabulary import Vocabulary

TYPO, LAYOUT, TRANSLIT = "typo", "layout", "translit"
MIN_ONE_TYPO = 5
MIN_TWO_TYPOS = 9
MIN_SWITCHED_CHARS = 3  # shorter words switch layout or script only along with the rest of the query
SUGGEST_MAX_FREQUENCY = 2  # a known word held by at most this many documents may get a "did you mean"
SUGGEST_RATIO = 50  # ... when a neighbour one typo away is held by this many times more documents

_SPAN = re.compile(r'"[^"]*"?|\S+')
_OPERATORS = frozenset({"OR", "AND", "NOT", "||", "&&"})
_FIELD = re.compile(r"^-?[A-Za-z]+:")


@dataclass(frozen=True)
class Correction:
    """One typed word and what it was searched as: `via` is "typo", "layout" or "translit"."""

    source: str
    target: str
    via: str

    def to_dict(self) -> dict[str, str]:
        return {"from": self.source, "to": self.target, "via": self.via}


@dataclass(frozen=True)
class TypedQuery:
    """A query as typed and as searched: `corrections` turned `typed` into `searched`; `suggestion` is a query
    the person may have meant ("did you mean"), with the `suggested` corrections, or ""."""

    typed: str
    searched: str
    corrections: tuple[Correction, ...] = ()
    suggestion: str = ""
    suggested: tuple[Correction, ...] = ()


@dataclass(frozen=True)
class _Reading:
    """A way to read a stretch of the query: its replacement text, its cost (0 for known words as they are),
    and the corrections it makes."""

    text: str
    cost: float
    corrections: tuple[Correction, ...]


def max_typos(word: str) -> int:
    """How many typos a word of this length may hold: 0, 1 from MIN_ONE_TYPO letters, 2 from MIN_TWO_TYPOS."""
    return 0 if len(word) < MIN_ONE_TYPO else 1 if len(word) < MIN_TWO_TYPOS else 2


def read_as_meant(text: str, vocabulary: Vocabulary, keep_last: bool = False,
                  known_name: Callable[[str], bool] | None = None) -> TypedQuery:
    """The query with every unknown word read as meant, and what was changed ("did you mean" included).

    `keep_last` leaves the last word as typed when the index has words it begins: it is being typed.
    `known_name(word)` tells whether a capitalized word is a name the index holds in either script
    (Stoltenberg, which only the Russian documents write, as «Столтенберг»): such a word is known.
    """
    reader = _Reader(vocabulary, known_name)
    spans = [(m.start(), m.end(), m.group()) for m in _SPAN.finditer(text)]
    if keep_last and spans and vocabulary.completions(fold_yo(spans[-1][2].lower()), 1):
        spans = spans[:-1]
    readings: dict[int, _Reading] = {}
    for i, (_, _, span) in enumerate(spans):
        if _correctable(span):
            reading = reader.span(span, whole_query=False)
            if reading is not None:
                readings[i] = reading
    # Short words ("e" for «у», "o" for «о») switch only when the query's longer words did.
    vias = [c.via for r in readings.values() for c in r.corrections]
    for via in (LAYOUT, TRANSLIT):
        if vias and vias.count(via) * 2 >= len(vias):
            for i, (_, _, span) in enumerate(spans):
                if i not in readings and _correctable(span):
                    reading = reader.short_span(span, via)
                    if reading is not None:
                        readings[i] = reading
    replaced = {i: r.text for i, r in readings.items()}
    searched = _replaced(text, spans, replaced)
    corrections = tuple(c for i in sorted(readings) for c in readings[i].corrections)
    suggested, suggestions = reader.suggestions(spans, readings)
    suggestion = _replaced(text, spans, replaced | suggested) if suggestions else ""
    return TypedQuery(text, searched, corrections, suggestion, suggestions)


def _correctable(span: str) -> bool:
    return not (span.startswith('"') or span in _OPERATORS or _FIELD.match(span) or span.endswith("*"))


def _replaced(text: str, spans: list[tuple[int, int, str]], replacements: dict[int, str]) -> str:
    parts, last = [], 0
    for i, (start, end, _) in enumerate(spans):
        if i in replacements:
            parts.append(text[last:start] + replacements[i])
            last = end
    return "".join(parts) + text[last:]


def _same_case(typed: str, form: str) -> str:
    return form[:1].upper() + form[1:] if typed[:1].isupper() else form


class _Reader:
    """The decisions for one query, against one vocabulary."""

    def __init__(self, vocabulary: Vocabulary, known_name: Callable[[str], bool] | None) -> None:
        self.vocabulary = vocabulary
        self.known_name = known_name

    def known(self, word: str) -> bool:
        form = fold_yo(word.lower())
        if self.vocabulary.frequency(form):
            return True
        if word[:1].isupper() and self.known_name is not None and self.known_name(word):
            return True
        script = script_of(form)
        if script == "cyrl":
            return morph_analyzer().word_is_known(form)
        return script != "latn" or form in ENGLISH

    def span(self, span: str, whole_query: bool) -> _Reading | None:
        """The best reading of a whitespace-delimited stretch holding an unknown word, or None."""
        sign = "-" if span.startswith("-") and len(span) > 1 else ""
        body = span[len(sign):]
        words = list(WORD_PATTERN.finditer(body))
        unknown = [w for w in words if not self.known(w.group())]
        if not unknown or all(len(w.group()) < MIN_SWITCHED_CHARS for w in unknown):
            return None
        switched = other_layout(body)
        switched_words = WORD_PATTERN.findall(switched)
        if switched_words and all(self.known(w) for w in switched_words) and switched != body:
            return _Reading(sign + switched, 0, (Correction(body, switched, LAYOUT),))
        parts, cost, corrections, last = [], 0.0, [], 0
        for match in unknown:
            best = self.word(match.group())
            if best is None:
                continue
            parts.append(body[last:match.start()] + best.text)
            last = match.end()
            cost += best.cost
            corrections.extend(best.corrections)
        if not corrections:
            return None
        return _Reading(sign + "".join(parts) + body[last:], cost, tuple(corrections))

    def short_span(self, span: str, via: str) -> _Reading | None:
        """A short unknown word read the way the rest of the query was: the other layout, or Latin letters."""
        sign = "-" if span.startswith("-") and len(span) > 1 else ""
        body = span[len(sign):]
        words = WORD_PATTERN.findall(body)
        if not words or any(self.known(w) for w in words):
            return None
        if via == LAYOUT:
            switched = other_layout(body)
            if all(self.known(w) for w in WORD_PATTERN.findall(switched)):
                return _Reading(sign + switched, 0, (Correction(body, switched, LAYOUT),))
            return None
        reading = self.transliterated(body.lower(), exact_only=True) if len(words) == 1 else None
        return _Reading(sign + _same_case(body, reading.text), 0, reading.corrections) if reading else None

    def word(self, word: str) -> _Reading | None:
        """The cheapest reading of one unknown word: Russian in Latin letters, or a typo."""
        lower = fold_yo(word.lower())
        options = []
        if script_of(lower) == "latn" and self.vocabulary.scripts["cyrl"]:
            options.append(self.transliterated(lower, exact_only=False))
        options.append(self.typo(lower))
        options = [o for o in options if o is not None]
        if not options:
            return None
        best = min(options, key=lambda o: o.cost)
        target = _same_case(word, best.text)
        return _Reading(target, best.cost, (Correction(word, target, best.corrections[0].via),))

    def typo(self, word: str) -> _Reading | None:
        candidates = self.vocabulary.similar(word, max_typos(word))
        if not candidates:
            return None
        best = candidates[0]
        return _Reading(best.form, best.distance, (Correction(word, best.form, TYPO),))

    def transliterated(self, word: str, exact_only: bool) -> _Reading | None:
        """A Latin word read as Russian: a known spelling (the index's most frequent), else the nearest form
        to the likeliest spelling."""
        spelled = [fold_yo(s) for s in spellings(word)]
        known = [s for s in spelled if self.known(s)]
        if known:
            best = max(known, key=lambda s: (self.vocabulary.frequency(s), -spelled.index(s)))
            return _Reading(best, 0, (Correction(word, best, TRANSLIT),))
        if exact_only or not spelled:
            return None
        candidates = self.vocabulary.similar(spelled[0], max_typos(spelled[0]))
        if not candidates:
            return None
        return _Reading(candidates[0].form, candidates[0].distance + 0.5,
                        (Correction(word, candidates[0].form, TRANSLIT),))

    def suggestions(self, spans: list[tuple[int, int, str]],
                    readings: dict[int, _Reading]) -> tuple[dict[int, str], tuple[Correction, ...]]:
        """Rare words the index holds, with a far more frequent neighbour one typo away: "did you mean"."""
        replacements: dict[int, str] = {}
        suggested: list[Correction] = []
        for i, (_, _, span) in enumerate(spans):
            if i in readings or not _correctable(span):
                continue
            sign = "-" if span.startswith("-") and len(span) > 1 else ""
            body = span[len(sign):]
            if not WORD_PATTERN.fullmatch(body):
                continue
            form = fold_yo(body.lower())
            frequency = self.vocabulary.frequency(form)
            if not 0 < frequency <= SUGGEST_MAX_FREQUENCY or max_typos(form) < 1:
                continue
            if script_of(form) == "cyrl" and morph_analyzer().word_is_known(form):
                continue
            near = [c for c in self.vocabulary.similar(form, 1) if c.frequency >= SUGGEST_RATIO * frequency]
            if near:
                target = _same_case(body, near[0].form)
                replacements[i] = sign + target
                suggested.append(Correction(body, target, TYPO))
        return replacements, tuple(suggested)
