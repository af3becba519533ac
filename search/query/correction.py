"""Queries as people type them: each word the index does not know is read as meant before the query is parsed,
as typed in the other keyboard layout, as Russian in Latin letters, or with a typo, and the change is said.

A word is known when the index holds it (as written, by its stem or lemma, or as a name) or a dictionary does: a
known word is never corrected away (names, rare terms). An unknown word takes the cheapest reading that gives
words the index holds: the other layout, a Latin-letter spelling of a Russian word, or the index's nearest form
(one typo from MIN_ONE_TYPO letters, two from MIN_TWO_TYPOS: Meilisearch's rule, but from four letters instead
of five, which measured better). A word the index holds only once or twice, that the dictionary does not know,
and that has a far more frequent neighbour one typo away is searched as typed, with "did you mean" offering the
neighbour. Quoted phrases, field values, wildcards and operators are left as typed.

>>> from search.store.vocabulary import Vocabulary
>>> words = Vocabulary({"переговоры": 40, "sanctions": 12, "привет": 3})
>>> typed = read_as_meant("перегаворы ыфтсешщты ghbdtn", words)
>>> typed.searched, [c.via for c in typed.corrections]
('переговоры sanctions привет', ['typo', 'layout', 'layout'])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import OSA, Levenshtein

from ..analysis.keyboard import likely_slip, other_layout
from ..analysis.lexicon import lexicon
from ..analysis.morphology import analyze_word, fold_yo, morph_analyzer, parses_of, script_of
from ..analysis.stopwords import ENGLISH, RUSSIAN
from ..analysis.transliteration import spellings
from ..language import WORD_PATTERN
from ..store.vocabulary import Candidate, Vocabulary
from .parsing import QueryToken, lex

TYPO, LAYOUT, TRANSLIT = "typo", "layout", "translit"
MIN_ONE_TYPO = 4  # Meilisearch says 5; measured on the tune half, 4 finds more (one typo in a word the index lacks)
MIN_TWO_TYPOS = 9
MIN_SWITCHED_CHARS = 3  # shorter words switch layout or script only along with the rest of the query
TRANSLIT_FUZZY_SPELLINGS = 4
UNLIKELY_SLIP = 0.4  # what a neighbouring key or a spelling confusion saves against any other letter
LAST_WORD_RATIO = 4  # a partial last word one typo from a word held this many times as often as the words it
#                      begins is corrected, not completed (tune half: 4 of 1, 2, 4, never)
CONTEXT_CANDIDATES = 3  # nearest forms of an unknown word that stand for it as another word's context
SUGGEST_MAX_FREQUENCY = 2  # a known word held by at most this many documents may get a "did you mean"
SUGGEST_RATIO = 50  # ... when a neighbour one typo away is held by this many times more documents
TRANSLIT_RATIO = 10  # ... or, for a Latin word, its Russian spelling held this many times as often as the word
#                      and the words it begins (the bench's Latin-letter list, tune half: 5, 10 and 20 give 0.987,
#                      50 0.985)
ALONGSIDE_MAX_WORDS = 4  # queries of up to this many words also search what "did you mean" offers
# A query's correction work is bounded whatever it holds (a pasted paragraph of 140 misspelled words cost 2 s of
# CPU): the first MAX_CORRECTED_WORDS unknown words that need a search for their nearest forms get one, the rest
# are searched as typed (a Latin-letter spelling or a keyboard layout the index holds is a look-up, outside the
# budget); a candidate's context is the MAX_CONTEXT_WORDS query words nearest to the word being corrected.
# Neither changes a query of up to ten words, which is every query of the bench's typed sets but a few questions.
MAX_CORRECTED_WORDS = 10
MAX_CONTEXT_WORDS = 10



_OR = QueryToken("OR", word="OR")  # joins a typed word and the word offered for it


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
    the person may have meant ("did you mean"), with the `suggested` corrections, or "" (its words are searched
    too, after the typed ones: see `parsed`)."""

    typed: str
    searched: str
    corrections: tuple[Correction, ...] = ()
    suggestion: str = ""
    suggested: tuple[Correction, ...] = ()
    # What the parser reads: the query's tokens with the corrections made, and an offered word searched along
    # with the typed one (`typed OR offered`); the tokens of `searched` when there is no correction.
    tokens: tuple[QueryToken, ...] = ()


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
                  knows: Callable[[str], bool] | None = None,
                  documents: Callable[[str], np.ndarray] | None = None) -> TypedQuery:
    """The query with every unknown word read as meant, and what was changed ("did you mean" included).

    `keep_last` leaves the last word as typed when the index lacks it but has words it begins: it is being
    typed.
    `knows(word)` tells whether the index or the dictionaries know a word the vocabulary lacks as written: its
    lemma or stem is an index term ("intercept", which the index holds as "interception"), the bilingual
    lexicon has it, or it is a name the index holds in either script (Stoltenberg, written «Столтенберг»).
    `documents(form)` lists the documents holding a word form: among equally near candidates, one that shares a
    document with the query's other words comes first ("rabbt software": rabbit, not rabat).
    """
    reader = _Reader(vocabulary, knows, documents, text)
    tokens = lex(text)  # the parser's own tokens: a quoted phrase, an operator, a field's value stay as typed
    correctable = [token.plain_word for token in tokens]
    spans = [(token.start, token.end, token.text) for token in tokens]
    last = fold_yo(spans[-1][2].lower()) if spans else ""
    if keep_last and last and not vocabulary.frequency(last) and vocabulary.completions(last, 1):
        # A word being typed is left to be completed, unless its nearest form also completes it ("growt" is
        # read as «growth», and says so) or far outweighs what it begins («армя»: армия); "перегов" stays.
        # Nor is a Latin word whose Russian spelling far outweighs what it begins ("belogo": «белого», not the
        # handle belogolovcev).
        if reader.russian_in_latin(last, 0) is None:
            finished = reader.typo(last)
            if finished is None or not (finished.text.startswith(last)
                                        or _outweighs(vocabulary, finished.text, last)):
                spans = spans[:-1]
    typed_layout = _last_in_other_layout(vocabulary, spans[-1][2]) if keep_last and spans and correctable[
        len(spans) - 1] and last and not vocabulary.frequency(last) and not vocabulary.completions(last, 1) else None
    # Each stretch's readings, then one choice for the query: a word that reads both as the other layout and as
    # Latin letters ("kto": «лещ» or «кто») goes the way the query's unambiguous words go.
    options = {i: reader.span(span) for i, (_, _, span) in enumerate(spans) if correctable[i]}
    layout_only = sum(1 for layout, words in options.values() if layout and not (words and words.cost == 0))
    words_only = sum(1 for layout, words in options.values() if words and words.cost == 0 and not layout)
    prefer = LAYOUT if layout_only > words_only else TRANSLIT
    readings: dict[int, _Reading] = {}
    for i, (layout, words) in options.items():
        if layout and (prefer == LAYOUT or words is None or words.cost > 0):
            readings[i] = layout
        elif words:
            readings[i] = words
    if typed_layout is not None and len(spans) - 1 not in readings:  # a partial word in the other layout, unread
        readings[len(spans) - 1] = typed_layout
    # Short words ("e" for «у», "o" or "po" for «о», «по») switch only along with the query's longer words.
    vias = [c.via for r in readings.values() for c in r.corrections]
    for via in (LAYOUT, TRANSLIT):
        if vias and vias.count(via) * 2 > len(vias):
            for i, (_, _, span) in enumerate(spans):
                if i not in readings and correctable[i]:
                    reading = reader.short_span(span, via)
                    if reading is not None:
                        readings[i] = reading
    replaced = {i: r.text for i, r in readings.items()}
    searched = _replaced(text, spans, replaced)
    corrections = tuple(c for i in sorted(readings) for c in readings[i].corrections)
    suggested, suggestions = reader.suggestions(spans, readings, correctable)
    suggestion = _replaced(text, spans, replaced | suggested) if suggestions else ""
    # In a short query, a word offered as "did you mean" is searched along with what it offers: the literal's few
    # documents come first (a rare word weighs more), the offer's after them. (A long query's rare word is more
    # likely meant, and a frequent stray word costs it more: CACM 0.5093 -> 0.5075 with it.)
    alongside = {i: target for i, target in suggested.items()
                 if not target.startswith("-") and len(spans) <= ALONGSIDE_MAX_WORDS}
    return TypedQuery(text, searched, corrections, suggestion, suggestions,
                      _corrected_tokens(tokens, replaced, alongside))


def _corrected_tokens(tokens: list[QueryToken], replaced: dict[int, str],
                      alongside: dict[int, str]) -> tuple[QueryToken, ...]:
    """The tokens the parser reads: each corrected word as its reading (a word, with the typed minus sign), each
    offered word after the typed one, joined by OR; the rest as typed."""
    out: list[QueryToken] = []
    for i, token in enumerate(tokens):
        if i in alongside:
            out += [token, _OR, *lex(alongside[i])]
        elif i in replaced:
            out += lex(replaced[i])
        else:
            out.append(token)
    return tuple(out)


def _in_dictionary(form: str) -> bool:
    """Whether a dictionary knows a word: pymorphy3's for Russian, the bilingual lexicon's (by stem) for English."""
    script = script_of(form)
    if script == "cyrl":
        return morph_analyzer().word_is_known(form)
    return script == "latn" and lexicon().has_english(analyze_word(form)[0][0])


def _outweighs(vocabulary: Vocabulary, corrected: str, beginning: str) -> bool:
    """Whether the word a partial last word is one typo from is held LAST_WORD_RATIO times as often as all the
    words it begins together ("армя": армия, not армянский)."""
    begun = sum(vocabulary.frequency(form) for form in vocabulary.completions(beginning, 50))
    return vocabulary.frequency(corrected) >= LAST_WORD_RATIO * begun


def slips(typed: str, meant: str) -> float:
    """How unlikely the edits from `meant` to `typed` are, by RapidFuzz's alignment. The slips people make cost
    UNLIKELY_SLIP less than any other edit: a neighbouring key or a spelling confusion for a letter ("южноя" reads
    «южная» before «южной»), two letters swapped, a neighbouring key pressed as well, a doubled letter (or the ь
    of -ться) left out.

    >>> [round(slips(typed, "литва"), 1) for typed in ("лтива", "лива", "литав", "лиитва", "лирва", "литба")]
    [0.6, 1.0, 0.6, 0.6, 0.6, 1.0]
    """
    ops = list(Levenshtein.editops(meant, typed))
    cost, i = 0.0, 0
    while i < len(ops):
        op = ops[i]
        following = ops[i + 1] if i + 1 < len(ops) else None
        if following is not None and _swapped(typed, meant, op, following):
            cost += 1.0 - UNLIKELY_SLIP
            i += 2
            continue
        cost += 1.0 - UNLIKELY_SLIP * _likely(op.tag, typed, op.dest_pos, meant, op.src_pos)
        i += 1
    return cost


def _swapped(typed: str, meant: str, op, following) -> bool:
    """Whether two edits next to each other are two letters typed the other way round (as replace + replace,
    or insert + delete)."""
    s, d = min(op.src_pos, following.src_pos), min(op.dest_pos, following.dest_pos)
    pair, typed_pair = meant[s:s + 2], typed[d:d + 2]
    return (len(pair) == 2 and pair[0] != pair[1] and typed_pair == pair[::-1]
            and max(op.src_pos, following.src_pos) <= s + 2 and max(op.dest_pos, following.dest_pos) <= d + 2)


def _likely(tag: str, typed: str, at_typed: int, meant: str, at_meant: int) -> bool:
    """Whether one edit is a slip people often make (see `slips`)."""
    if tag == "replace":
        return likely_slip(typed[at_typed], meant[at_meant])
    if tag == "insert":  # typed[at_typed] is extra: a key next to (or the same as) a letter beside it
        extra = typed[at_typed]
        return any(extra == near or likely_slip(extra, near)
                   for near in typed[max(0, at_typed - 1):at_typed] + typed[at_typed + 1:at_typed + 2])
    left_out = meant[at_meant]  # "delete": a letter of the word was not typed
    doubled = left_out in meant[max(0, at_meant - 1):at_meant] + meant[at_meant + 1:at_meant + 2]
    return doubled or (left_out == "ь" and meant[at_meant + 1:at_meant + 3] == "ся")


def _nearest_inflection(typed: str, candidate: Candidate, frequency: Callable[[str], int]) -> Candidate:
    """The form of the candidate's word (any of its dictionary lemmas' forms) nearest to what was typed: the
    likelier slip among equally near ones, then the form the index holds more often; the candidate itself when
    none is nearer."""
    forms = sorted({fold_yo(f.word) for p in parses_of(candidate.form)[:2] if p.is_known
                    for f in p.lexeme})
    near = [(OSA.distance(typed, form), slips(typed, form), -frequency(form), form) for form in forms]
    best = min(near, default=None)
    if best is None or best >= (candidate.distance, slips(typed, candidate.form), -candidate.frequency, ""):
        return candidate
    return Candidate(best[3], best[0], -best[2])


def _last_in_other_layout(vocabulary: Vocabulary, span: str) -> _Reading | None:
    """The last word, still being typed, read in the other keyboard layout when it begins words of the index
    there and none as typed ("cfyrw": «санкц…»); None otherwise. The search then completes it, as the
    suggestions under the box already do."""
    sign, body = _signed(span)
    switched = other_layout(body)
    if switched == body or not WORD_PATTERN.fullmatch(switched):
        return None
    if not vocabulary.completions(fold_yo(switched.lower()), 1):
        return None
    return _Reading(sign + switched, 0.0, (Correction(body, switched, LAYOUT),))


def _signed(span: str) -> tuple[str, str]:
    """A stretch of the query as its exclusion sign ("-" or "") and its body."""
    sign = "-" if span.startswith("-") and len(span) > 1 else ""
    return sign, span[len(sign):]


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

    def __init__(self, vocabulary: Vocabulary, knows: Callable[[str], bool] | None,
                 documents: Callable[[str], np.ndarray] | None, text: str) -> None:
        self.vocabulary = vocabulary
        self.knows = knows
        self.documents = documents
        self.words = [w for w in dict.fromkeys(fold_yo(m.lower()) for m in WORD_PATTERN.findall(text))
                      if w not in ENGLISH and w not in RUSSIAN]
        self._documents_of: dict[str, np.ndarray] = {}
        self._typos: dict[str, _Reading | None] = {}
        self._corrected: set[str] = set()  # the unknown words given a reading so far (at most MAX_CORRECTED_WORDS)

    def held(self, word: str) -> bool:
        """Whether the index holds a word (as written, by its lemma or stem, or as a name), or it is a function
        word: a reading made of such words is worth searching."""
        form = fold_yo(word.lower())
        if self.vocabulary.frequency(form) or form in ENGLISH or form in RUSSIAN:
            return True
        return self.knows is not None and self.knows(word)

    def known(self, word: str) -> bool:
        """Whether a word needs no reading: the index or a dictionary knows it, or it is not a word of ours."""
        form = fold_yo(word.lower())
        if self.vocabulary.frequency(form):
            return True
        script = script_of(form)
        if script == "cyrl" and morph_analyzer().word_is_known(form):
            return True
        if script not in ("cyrl", "latn") or form in ENGLISH:
            return True
        return self.knows is not None and self.knows(word)

    def span(self, span: str) -> tuple[_Reading | None, _Reading | None]:
        """The readings of a whitespace-delimited stretch holding an unknown word: as the other layout (when
        that gives known words only), and word by word (Latin letters, typos); None where there is none."""
        sign, body = _signed(span)
        words = list(WORD_PATTERN.finditer(body))
        unknown = [w for w in words if not self.known(w.group())]
        if not unknown or all(len(w.group()) < MIN_SWITCHED_CHARS for w in unknown):
            return None, None
        layout = None
        switched = other_layout(body)
        switched_words = WORD_PATTERN.findall(switched)
        # Keys of х ъ ж э б ю ё never stand inside an English word: a switch must not split words ("c,ji`k").
        splits = len(switched_words) > len(words)
        if switched_words and not splits and all(self.held(w) for w in switched_words) and switched != body:
            layout = _Reading(sign + switched, 0, (Correction(body, switched, LAYOUT),))
        parts: list[str] = []
        corrections: list[Correction] = []
        cost, last = 0.0, 0
        for match in unknown:
            best = self.word(match.group())
            if best is None:
                continue
            parts.append(body[last:match.start()] + best.text)
            last = match.end()
            cost += best.cost
            corrections.extend(best.corrections)
        if len(corrections) < len(unknown):
            cost += len(unknown) - len(corrections)  # a word left unknown counts as a typo would
        by_word = _Reading(sign + "".join(parts) + body[last:], cost, tuple(corrections)) if corrections else None
        return layout, by_word

    def short_span(self, span: str, via: str) -> _Reading | None:
        """A short unknown word read the way the rest of the query was: the other layout, or Latin letters."""
        sign, body = _signed(span)
        words = WORD_PATTERN.findall(body)
        if not words or any(len(w) >= MIN_SWITCHED_CHARS for w in words):
            return None
        if via == LAYOUT and any(self.known(w) for w in words):
            return None
        if via == LAYOUT:
            switched = other_layout(body)
            if all(self.held(w) for w in WORD_PATTERN.findall(switched)):
                return _Reading(sign + switched, 0, (Correction(body, switched, LAYOUT),))
            return None
        reading = self.transliterated(body.lower(), exact_only=True) if len(words) == 1 else None
        return _Reading(sign + _same_case(body, reading.text), 0, reading.corrections) if reading else None

    def within_budget(self, word: str) -> bool:
        """Whether this word may be read as meant: it is one of the query's first MAX_CORRECTED_WORDS unknown
        words."""
        if word not in self._corrected and len(self._corrected) >= MAX_CORRECTED_WORDS:
            return False
        self._corrected.add(word)
        return True

    def word(self, word: str) -> _Reading | None:
        """The cheapest reading of one unknown word: Russian in Latin letters, or a typo."""
        lower = fold_yo(word.lower())
        latin = script_of(lower) == "latn" and self.vocabulary.scripts["cyrl"]
        # A Latin-letter spelling the index holds costs look-ups only, and wins (its cost is 0): no budget for it.
        spelled = self.transliterated(lower, exact_only=True) if latin else None
        if spelled is not None:
            options = [spelled]
        elif not self.within_budget(lower):
            return None
        else:
            tried = [self.transliterated(lower, exact_only=False) if latin else None, self.typo(lower)]
            options = [o for o in tried if o is not None]
        if not options:
            return None
        best = min(options, key=lambda o: o.cost)
        target = _same_case(word, best.text)
        return _Reading(target, best.cost, (Correction(word, target, best.corrections[0].via),))

    def typo(self, word: str) -> _Reading | None:
        """The index's nearest form to a word, worked out once per query (the last word is asked twice: whether
        its nearest form completes it, then as any unknown word)."""
        if not self.within_budget(word):
            return None
        if word not in self._typos:
            self._typos[word] = self._typo(word)
        return self._typos[word]

    def _typo(self, word: str) -> _Reading | None:
        budget = max_typos(word)
        if not budget:
            return None
        # A Russian word is also looked for one edit further: «двррном» is one typo from «дверном», which the
        # index lacks, and two from «дверной», which it holds.
        reach = budget + (script_of(word) == "cyrl")
        best = self.nearest(word, self.vocabulary.similar(word, reach))
        if best is None or best.distance > budget:
            return None
        return _Reading(best.form, best.distance, (Correction(word, best.form, TYPO),))

    def nearest(self, typed: str, candidates: list[Candidate]) -> Candidate | None:
        """The candidate nearest to what was typed, each Russian one as the form of its word that is nearest:
        "сертифыкацию" is «сертификацию» though the index holds only «сертификации» (the same lemma, so the
        same documents); then one that meets the query's other words in a document; then the more frequent."""
        if not candidates:
            return None
        together = self.cooccurring(typed, candidates)
        if script_of(typed) == "cyrl":
            candidates = [_nearest_inflection(typed, c, self.vocabulary.frequency) for c in candidates]
        best = min(range(len(candidates)), key=lambda i: (candidates[i].distance, not together[i],
                                                           slips(typed, candidates[i].form), -candidates[i].frequency))
        return candidates[best]

    def cooccurring(self, typed: str, candidates: list[Candidate]) -> list[bool]:
        """For each candidate, whether a document holds it and one of the query's other words (or, for an
        unknown other word, one of its own nearest forms)."""
        others = self._context_words(typed)
        if self.documents is None or not others or len(candidates) < 2:
            return [False] * len(candidates)
        context = np.unique(np.concatenate([self._documents(w) for w in others]))
        documents = self.documents
        return [bool(np.intersect1d(documents(c.form), context, assume_unique=True).size) for c in candidates]

    def _context_words(self, typed: str) -> list[str]:
        """The query's other words nearest to `typed` (all of them in a query of up to MAX_CONTEXT_WORDS + 1)."""
        others = [w for w in self.words if w != typed]
        if len(others) <= MAX_CONTEXT_WORDS:
            return others
        at = self.words.index(typed) if typed in self.words else 0
        by_distance = sorted(range(len(self.words)), key=lambda i: (abs(i - at), i))
        return [self.words[i] for i in by_distance if self.words[i] != typed][:MAX_CONTEXT_WORDS]

    def _documents(self, word: str) -> np.ndarray:
        if word not in self._documents_of:
            assert self.documents is not None  # asked only when there are documents to look in (cooccurring)
            found = self.documents(word)
            if not found.size:
                near = self.vocabulary.similar(word, max_typos(word))[:CONTEXT_CANDIDATES]
                found = np.unique(np.concatenate([found] + [self.documents(c.form) for c in near]))
            self._documents_of[word] = found
        return self._documents_of[word]

    def transliterated(self, word: str, exact_only: bool) -> _Reading | None:
        """A Latin word read as Russian: a known spelling (the index's most frequent), else the nearest form
        to the likeliest spelling."""
        spelled = [fold_yo(s) for s in spellings(word)]
        known = [s for s in spelled if self.held(s)]
        if known:
            # The likeliest spelling («премий» for "premiy", though «премии» is more frequent), unless the index
            # holds it rarely and another far more often: "druzya" is «друзья» (194), not the typo «друзя» (1).
            likeliest = known[0]
            frequency = self.vocabulary.frequency
            most = max(known, key=frequency)
            if frequency(likeliest) <= SUGGEST_MAX_FREQUENCY and frequency(most) >= SUGGEST_RATIO * max(1, frequency(
                    likeliest)):
                likeliest = most
            return _Reading(likeliest, 0, (Correction(word, likeliest, TRANSLIT),))
        if exact_only or not spelled:
            return None
        # The nearest index form to one of the likeliest spellings (several: a typo is not looked for on the
        # first letter, and "elektricheskiy" may start with е or э).
        candidates = [self.nearest(s, self.vocabulary.similar(s, max_typos(s)))
                      for s in spelled[:TRANSLIT_FUZZY_SPELLINGS]]
        best = min((c for c in candidates if c), key=lambda c: (c.distance, -c.frequency), default=None)
        if best is None:
            return None
        return _Reading(best.form, best.distance + 0.5, (Correction(word, best.form, TRANSLIT),))

    def suggestions(self, spans: list[tuple[int, int, str]], readings: dict[int, _Reading],
                    correctable: list[bool]) -> tuple[dict[int, str], tuple[Correction, ...]]:
        """Rare words the index holds, with a far more frequent neighbour one typo away: "did you mean"."""
        replacements: dict[int, str] = {}
        suggested: list[Correction] = []
        for i, (_, _, span) in enumerate(spans):
            if i in readings or not correctable[i]:
                continue
            sign, body = _signed(span)
            if not WORD_PATTERN.fullmatch(body):
                continue
            form = fold_yo(body.lower())
            frequency = self.vocabulary.frequency(form)
            if frequency > SUGGEST_MAX_FREQUENCY or max_typos(form) < 1:
                continue
            # A word no text holds is offered as Russian in Latin letters too ("afrine": «Африне»), unless a
            # dictionary knows it: "sled" is an English word, to be translated, not «след». Only in a short query,
            # where the offer is also searched: a pasted paragraph's unknown words are not each looked up so
            # (bench.worst_queries: the worst Latin-letter query 465 -> 595 ms when they were).
            if not frequency and len(spans) > ALONGSIDE_MAX_WORDS:
                continue
            if _in_dictionary(form):
                continue
            offer = self.russian_in_latin(form, frequency)
            if offer is None and not frequency:
                continue
            if offer is not None:
                target = _same_case(body, offer)
                replacements[i] = sign + target
                suggested.append(Correction(body, target, TRANSLIT))
                continue
            near = [c for c in self.vocabulary.similar(form, 1) if c.frequency >= SUGGEST_RATIO * frequency]
            if near:
                target = _same_case(body, near[0].form)
                replacements[i] = sign + target
                suggested.append(Correction(body, target, TYPO))
        return replacements, tuple(suggested)

    def russian_in_latin(self, form: str, frequency: int) -> str | None:
        """A rare Latin word's reading as Russian in Latin letters that the index holds TRANSLIT_RATIO times as
        often as the word and the words it begins (one document at least): "ataku" (a Polish quote in one RT
        text) is «атаку» (1,076); "zagitova" (two tweets) «Загитова» (70); "afrine" (no text) «Африне» (33)."""
        if script_of(form) != "latn" or not self.vocabulary.scripts["cyrl"]:
            return None
        held = [(self.vocabulary.frequency(fold_yo(s)), fold_yo(s)) for s in spellings(form)]
        best = max(held, default=(0, ""))
        begun = sum(self.vocabulary.frequency(f) for f in self.vocabulary.completions(form, 50) if f != form)
        return best[1] if best[0] >= TRANSLIT_RATIO * max(1, frequency + begun) else None
