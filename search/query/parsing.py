"""Query text -> clauses: words as all their lemmas, inflected phrases, OR, -word, title:, lang:, word*.

Each kind of clause is its own frozen type (`Word`, `Phrase`, `Prefix`, `Either`) that knows its terms and
scores itself over an index; what else a clause may stand for (completions, translations, names) is the
expand stage's (`search.query.expansion`).

The parser never raises anything but `QueryError`: unbalanced quotes close at the end, lone operators are
ignored, and what cannot be searched at all gets a message saying why.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..analysis.analyzer import AnalyzedWord, analyze_words
from ..analysis.morphology import dictionary_readings, fold_yo
from ..analysis.names import name_keys, person_lemmas
from ..errors import QueryError
from ..language import DOCUMENT_LANGS
from ..store.positions import PhraseBudget, phrase_documents
from ..store.snapshot import FIELD_WEIGHTS, ScoringContext

TEXT_FIELDS = ("title", "text")
FIELD_ALIASES = {"title": "title", "text": "text", "body": "text"}
URL_SCHEMES = ("http", "https", "ftp", "mailto", "www")
MAX_QUERY_CHARS = 1000
# The query as searched may be longer than as typed (a letter left out put back in every word, "did you mean"
# alongside): the limit is on what was typed (`check_length`), the parser takes twice it.
MAX_SEARCHED_CHARS = 2 * MAX_QUERY_CHARS
MAX_CLAUSES = 64
MAX_PHRASES = 8  # distinct quoted phrases: each costs a walk over positions
MAX_PHRASE_WORDS = 24
MIN_PREFIX_CHARS = 2

_TOKEN = re.compile(r'(?P<neg>-)?(?:(?P<field>[A-Za-z]+):)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')
_OPERATORS = frozenset({"OR", "||", "AND", "&&", "NOT"})
_QUOTES = re.compile(r"[“”„″]")


@dataclass(frozen=True)
class QueryToken:
    """One token of the query's grammar as typed: a word or a quoted phrase, with its minus sign and its field
    (`title:`), and where it stands in the text. The one lexer: the parser and the correction of typed words
    both read the query through it.

    >>> [(t.text, t.neg, t.field, t.phrase, t.word) for t in lex('-title:Путин "о мире"')]
    [('-title:Путин', True, 'title', None, 'Путин'), ('"о мире"', False, None, 'о мире', None)]
    >>> [t.operator for t in lex("NATO OR -OR")]
    [None, 'OR', None]
    """

    text: str
    start: int = 0
    end: int = 0
    neg: bool = False
    field: str | None = None
    phrase: str | None = None
    word: str | None = None

    @property
    def operator(self) -> str | None:
        """OR, ||, AND, && or NOT when the token is one (a bare word, no sign, no field); else None."""
        plain = self.word is not None and not self.neg and self.field is None
        return self.word if plain and self.word in _OPERATORS else None

    @property
    def plain_word(self) -> bool:
        """Whether the token is a word as typed, to be read as meant: not a phrase, an operator, a field's
        value or a `word*` (a minus sign is allowed: an excluded word is corrected too)."""
        return (self.word is not None and self.field is None and self.operator is None
                and not self.word.endswith("*"))


def lex(text: str) -> list[QueryToken]:
    """The tokens of a query (typographic quotes read as plain ones)."""
    normalized = _QUOTES.sub('"', text)  # one character for one: the tokens' places hold in `text`
    return [QueryToken(match.group(0), match.start(), match.end(), bool(match.group("neg")), match.group("field"),
                       match.group("phrase"), match.group("word"))
            for match in _TOKEN.finditer(normalized)]


@dataclass(frozen=True)
class Word:
    """A query word: found by any of its `lemmas` (every lemma of an ambiguous form), or by all the terms of its
    hyphen `parts` together (Северо-Атлантический: северо + атлантический)."""

    source: str
    lemmas: tuple[str, ...]
    parts: tuple[tuple[str, ...], ...] = ()
    fields: tuple[str, ...] = TEXT_FIELDS
    script: str = ""
    stop: bool = False
    person: str = ""  # a person's name key: only documents that name the person count (see `_person`)

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(self.lemmas).union(*self.parts)

    def scores(self, ctx: ScoringContext, budget: PhraseBudget) -> np.ndarray:
        """Dense BM25 scores over the index, zero where a document lacks the word (or, for a `person`, does
        not name them: «Ночных волков» holds the lemma волков, not Волков)."""
        scores = ctx.word(self.fields, self.lemmas)
        if self.parts:
            parts = [ctx.word(self.fields, part) for part in self.parts]
            together = np.sum(parts, axis=0) * np.all(np.asarray(parts) > 0, axis=0)
            scores = np.maximum(scores, together)
        return self.only_naming(ctx, scores)

    def only_naming(self, ctx: ScoringContext, scores: np.ndarray, also: tuple[str, ...] = ()) -> np.ndarray:
        """The scores of the documents that name the `person`, or a person whose name key is `also` (all of them
        for another word)."""
        if not self.person:
            return scores
        naming = np.zeros(len(scores), dtype=bool)
        for key in (self.person, *also):
            naming[ctx.name_postings(key)[0]] = True
        return np.where(naming, scores, 0)


@dataclass(frozen=True)
class Phrase:
    """A quoted phrase: its `words` one after another, each as any of its terms («гарантий безопасности»)."""

    source: str
    words: tuple[tuple[str, ...], ...]
    fields: tuple[str, ...] = TEXT_FIELDS
    script: str = ""
    stop: bool = False

    @property
    def terms(self) -> frozenset[str]:
        return frozenset().union(*self.words)

    def scores(self, ctx: ScoringContext, budget: PhraseBudget) -> np.ndarray:
        """The words' scores where they stand in order (positions decide, within the query's budget)."""
        words = np.sum([ctx.word(self.fields, lemmas) for lemmas in self.words], axis=0)
        mask = np.zeros(ctx.size, dtype=bool)
        for field in self.fields:
            mask[phrase_documents(ctx, field, list(self.words), budget, self.source)] = True
        return words * mask


@dataclass(frozen=True)
class Prefix:
    """`word*`: any index term that starts with `prefix`."""

    prefix: str
    fields: tuple[str, ...] = TEXT_FIELDS
    script: str = ""
    stop: bool = False

    @property
    def source(self) -> str:
        return self.prefix + "*"

    @property
    def terms(self) -> frozenset[str]:
        return frozenset()

    def scores(self, ctx: ScoringContext, budget: PhraseBudget) -> np.ndarray:
        total = np.zeros(ctx.size, dtype=np.float32)
        for field in self.fields:
            total += FIELD_WEIGHTS[field] * ctx.any_of(field, ctx.expand_prefix(field, self.prefix))
        return total


@dataclass(frozen=True)
class Either:
    """`a OR b`: a document matches either side; its score is their sum."""

    members: tuple[Clause, ...]
    fields: tuple[str, ...] = TEXT_FIELDS
    script: str = ""
    stop: bool = False

    @property
    def source(self) -> str:
        return " OR ".join(m.source for m in self.members)

    @property
    def terms(self) -> frozenset[str]:
        return frozenset().union(*(m.terms for m in self.members))

    def scores(self, ctx: ScoringContext, budget: PhraseBudget) -> np.ndarray:
        return np.sum([member.scores(ctx, budget) for member in self.members], axis=0)


Clause = Word | Phrase | Prefix | Either


def prefixes_of(clause: Clause) -> frozenset[str]:
    """The `word*` prefixes a clause holds, for highlighting."""
    if isinstance(clause, Prefix):
        return frozenset({clause.prefix})
    if isinstance(clause, Either):
        return frozenset().union(*(prefixes_of(m) for m in clause.members))
    return frozenset()


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed query: clauses to match, clauses to exclude, an optional language filter."""

    text: str
    clauses: tuple[Clause, ...]
    excluded: tuple[Clause, ...]
    lang: str | None = None

    @property
    def highlight_terms(self) -> set[str]:
        return set().union(*(c.terms for c in self.clauses))

    @property
    def highlight_prefixes(self) -> set[str]:
        return set().union(*(prefixes_of(c) for c in self.clauses))


def _fields(fieldname: str | None) -> tuple[str, ...]:
    return (fieldname,) if fieldname else TEXT_FIELDS


def _word_clauses(text: str, fieldname: str | None) -> list[Clause]:
    """A query word (which may analyze into several words, e.g. «Лавров—Макей») as one clause per word."""
    fields = _fields(fieldname)
    words = analyze_words(text)
    clauses: list[Clause] = []
    for word in words:
        if word.part:
            continue
        parts = tuple(w.terms for w in words if w.part and w.pos == word.pos)
        person = _person(word)
        lemmas = person_lemmas(word.text) if person else _abbreviation_lemmas(word) or word.terms
        # A function word written in capitals is an abbreviation: ПРО (missile defence), not «про»; WHO, US.
        stop = word.stop and not (len(word.text) > 1 and word.text.isupper())
        clauses.append(Word(word.text, lemmas, parts, fields, word.script, stop, person))
    return clauses


def _abbreviation_lemmas(word: AnalyzedWord) -> tuple[str, ...]:
    """The lemmas of a Russian word typed in capitals that the dictionary reads both as an abbreviation and as
    another word's form: its abbreviation readings only (ОПЕК is the cartel, not опека's genitive plural; РАН the
    academy, not раны); none for any other word.

    >>> [_abbreviation_lemmas(w) for w in analyze_words("ОПЕК РАН опек САНКЦИИ НАТО")]
    [('опек',), ('ран',), (), (), ()]
    """
    if word.script != "cyrl" or len(word.text) < 2 or not word.text.isupper() or len(word.terms) < 2:
        return ()
    readings = dictionary_readings(fold_yo(word.text.lower())) or []
    abbreviations = tuple(dict.fromkeys(fold_yo(form) for form, tag in readings if "Abbr" in tag.grammemes))
    return abbreviations if abbreviations and set(abbreviations) != set(word.terms) else ()


def _person(word: AnalyzedWord) -> str:
    """The name key of a capitalized Russian query word that the dictionary reads both as a person's name and
    as another word's form with another lemma ('' for any other word): «Волков» is the surname, not the wolves'
    genitive plural; «Песков» not the sands'; its documents are those that name the person (the names field),
    by the name's lemma. Only the -ов/-ин surnames and their like differ so, which a phone's capital on a first
    word could hardly mean as a genitive plural; lower-case «волков» keeps both readings."""
    if word.script != "cyrl" or not word.text[:1].isupper() or word.part:
        return ""
    person = person_lemmas(word.text)
    keys = name_keys(word.text)
    if not person or set(person) == set(word.terms) or not keys:
        return ""
    return keys[0]


def _phrase_clause(text: str, fieldname: str | None) -> Clause | None:
    """A quoted phrase: its words in order, each in any inflected form («гарантий безопасности»)."""
    words = [w for w in analyze_words(text) if not w.part]
    if not words:
        return None
    if len(words) > MAX_PHRASE_WORDS:
        raise QueryError(f"A quoted phrase can have at most {MAX_PHRASE_WORDS} words, not {len(words)}.")
    if len(words) == 1:
        return replace(_word_clauses(text, fieldname)[0], stop=False)  # a quoted function word is searched
    return Phrase(" ".join(w.text for w in words), tuple(w.terms for w in words), _fields(fieldname),
                  words[0].script)


def _prefix_clause(word: str, fieldname: str | None) -> Prefix:
    stem = fold_yo(word.rstrip("*").lower())
    stem = re.sub(r"^\W+", "", stem)
    if len(stem) < MIN_PREFIX_CHARS or not re.fullmatch(r"[\w'’-]+", stem):
        raise QueryError(f"A wildcard needs at least {MIN_PREFIX_CHARS} letters before the '*', as in 'перегов*'.")
    return Prefix(stem, _fields(fieldname))


def check_length(text: object, max_chars: int = MAX_QUERY_CHARS) -> None:
    """Raise `QueryError` for a query that is not text or longer than `max_chars`."""
    if not isinstance(text, str):
        raise QueryError("The query must be text.")
    if len(text) > max_chars:
        raise QueryError(f"The query is too long ({len(text):,} characters; the limit is {max_chars:,}).")


def words_query(words: list[str]) -> ParsedQuery:
    """A query of plain words, each a clause of its own: no operator is read in them (a document's word "OR"
    is a word, not a join), as the related documents of one are searched.

    >>> [type(c).__name__ for c in words_query(["Oregon", "OR", "Портленд"]).clauses]
    ['Word', 'Word', 'Word']
    """
    clauses = tuple(clause for word in words for clause in _word_clauses(word, None))
    return ParsedQuery(" ".join(words), clauses, ())


def parse_query(text: str, max_chars: int = MAX_QUERY_CHARS) -> ParsedQuery:
    """Parse query text; raise `QueryError` with a message when nothing searchable is left.

    >>> parsed = parse_query('"гарантии безопасности" Лавров -Путин lang:ru')
    >>> len(parsed.clauses), len(parsed.excluded), parsed.lang
    (2, 1, 'ru')
    """
    check_length(text, max_chars)
    return parse_tokens(text, lex(text))


def parse_tokens(text: str, tokens: Sequence[QueryToken]) -> ParsedQuery:
    """The query the tokens make (`text`: the query they were read from, kept as the parsed query's text);
    `QueryError` with a message when nothing searchable is left."""
    clauses: list[Clause] = []
    excluded: list[Clause] = []
    lang = None
    join_next = negate_next = False
    for token in tokens:
        neg, fieldname, phrase, word = token.neg, token.field, token.phrase, token.word
        operator = token.operator
        if operator in ("OR", "||"):
            join_next = bool(clauses)
            continue
        if operator in ("AND", "&&"):
            continue
        if operator == "NOT":
            negate_next = True
            continue
        target = fieldname.lower() if fieldname else None
        if target == "lang":
            value = (phrase if phrase is not None else word or "").strip().lower()
            if value not in DOCUMENT_LANGS:
                raise QueryError(f"lang: takes one of {', '.join(DOCUMENT_LANGS)}, not {value!r}.")
            lang = value
            continue
        if target is not None and target not in FIELD_ALIASES:
            if target not in URL_SCHEMES:
                raise QueryError(f"There is no field {fieldname!r}: use title:, text: or lang:, or put "
                                 f"\"{fieldname}:…\" in quotes to search for the words.")
            # A link ("http://…"): read the whole thing as text.
            word, target = token.text.lstrip("-"), None
        name = FIELD_ALIASES.get(target) if target else None
        new = _clauses_for(phrase, word, name)
        if not new:
            continue
        if neg or negate_next:
            excluded.extend(new)
            negate_next = join_next = False
            continue
        if join_next and clauses:
            previous = clauses.pop()
            new = [_either(previous, new)]
        clauses.extend(new)
        join_next = False
    content = _distinct([c for c in clauses if not c.stop] or clauses, only=Phrase)[:MAX_CLAUSES]
    excluded = _distinct(excluded)[:MAX_CLAUSES]
    phrases = sum(_phrase_count(c) for c in content + excluded)
    if phrases > MAX_PHRASES:
        raise QueryError(f"A query can hold at most {MAX_PHRASES} different quoted phrases, not {phrases}.")
    if not content:
        if excluded:
            raise QueryError("A query needs at least one word to look for, not only words to exclude.")
        raise QueryError("Nothing to search for: type a word or a phrase.")
    return ParsedQuery(text=text, clauses=tuple(content), excluded=tuple(excluded), lang=lang)


def _distinct(clauses: list[Clause], only: type | None = None) -> list[Clause]:
    """The clauses without repeats (of type `only`, when given). A repeated phrase costs a position walk each
    time; a repeated word stays, as its weight: measured on CACM, whose long queries repeat their key words,
    dropping repeated words took nDCG@10 from 0.510 to 0.463."""
    seen: set[Clause] = set()
    kept = []
    for clause in clauses:
        if only is not None and not isinstance(clause, only):
            kept.append(clause)
        elif _looks_for(clause) not in seen:
            seen.add(_looks_for(clause))
            kept.append(clause)
    return kept


def _looks_for(clause: Clause) -> Clause:
    """The clause without its source text: two clauses equal so match the same documents."""
    if isinstance(clause, Either):
        return replace(clause, members=tuple(_looks_for(m) for m in clause.members))
    return replace(clause, source="") if isinstance(clause, Word | Phrase) else clause


def _phrase_count(clause: Clause) -> int:
    if isinstance(clause, Either):
        return sum(_phrase_count(m) for m in clause.members)
    return int(isinstance(clause, Phrase))


def _clauses_for(phrase: str | None, word: str | None, fieldname: str | None) -> list[Clause]:
    if phrase is not None:
        clause = _phrase_clause(phrase, fieldname)
        return [clause] if clause else []
    if not word:
        return []
    if word.endswith("*") and word.strip("*"):
        return [_prefix_clause(word, fieldname)]
    if not word.strip("*"):
        raise QueryError(f"A wildcard needs at least {MIN_PREFIX_CHARS} letters before the '*', as in 'перегов*'.")
    return _word_clauses(word, fieldname)


def _either(previous: Clause, new: list[Clause]) -> Either:
    """`a OR b`: one clause matching either side."""
    return Either((previous, *new))
