"""The expand stage: what else each parsed clause may stand for, each as a value with its weight and what to
show for it.

    completion   the last word still being typed, as the index's most frequent words it begins («перегов»)
    translation  the word (or a pair of words, or a quoted phrase) in the other language, from the lexicon
    name         the script-neutral key of a name, to meet it in the other script (Lavrov / Лаврова)

The rank stage (`search.rank.ranking`) scores the expansions, the hits stage (`search.present.hits`) explains them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import islice, product

from ..analysis.lexicon import Translation, lexicon
from ..analysis.morphology import LANGUAGE_OF_SCRIPT, analyze_word, fold_yo, is_code, parses_of
from ..analysis.names import NAME_TAGS, PERSON_TAGS, code_spellings, name_keys
from ..analysis.stopwords import ENGLISH, RUSSIAN
from ..store.positions import PhraseBudget
from ..store.vocabulary import Vocabulary
from .parsing import TEXT_FIELDS, Clause, Either, ParsedQuery, Phrase, Word, prefixes_of

COMPLETION, TRANSLATION, NAME = "completion", "translation", "name"
MAX_TRANSLATIONS = 10
MAX_PHRASE_KEYS = 16
MAX_COMPLETIONS = 8  # index words that the last word typed so far may stand for
CONTEXT_POOL = 60  # the most frequent forms it begins that the query's other words choose from (bench.typing_speed
#                    on RT + Reuters, suggestions p95: 200 forms took it from 12.6 to 38.2 ms)
MIN_COMPLETION_CHARS = 2
COMPLETE_WHOLE_WORDS_UP_TO = 4  # clauses: a longer query (pasted, or a question) completes only a partial word
_STOP = RUSSIAN | ENGLISH


@dataclass(frozen=True)
class Expansion:
    """Another way to find a clause: `terms` all present (several for a translated phrase), weighted, with
    what to show for it ("НАТО" for NATO; a name's key, for which the hits stage finds the document's
    spelling)."""

    via: str
    terms: tuple[str, ...]
    shown: str
    weight: float = 1.0


@dataclass(frozen=True)
class Expanded:
    """A parsed clause with its expansions (an `a OR b` clause: its members', each expanded)."""

    clause: Clause
    expansions: tuple[Expansion, ...] = ()
    members: tuple[Expanded, ...] = ()

    def of(self, via: str) -> tuple[Expansion, ...]:
        return tuple(e for e in self.expansions if e.via == via)

    @property
    def terms(self) -> frozenset[str]:
        """The index terms to highlight: the clause's own and its translations' (completions are marked as the
        beginning typed: see `prefixes`)."""
        own = self.clause.terms.union(*(e.terms for e in self.of(TRANSLATION)))
        return own.union(*(m.terms for m in self.members))

    @property
    def found_by(self) -> frozenset[str]:
        """Every index term that finds the clause: its own, its translations' and its completions'."""
        return self.terms.union(*(e.terms for e in self.of(COMPLETION)), *(m.found_by for m in self.members))

    @property
    def prefixes(self) -> frozenset[str]:
        """The beginnings to highlight: `word*` prefixes, and a word being typed that has completions."""
        typed = {fold_yo(self.clause.source.lower())} if self.of(COMPLETION) else set()
        return prefixes_of(self.clause).union(typed, *(m.prefixes for m in self.members))

    def name_keys(self, lang: str) -> frozenset[str]:
        """The name keys to mark in a document in `lang`: only those of words written in another script."""
        other_script = LANGUAGE_OF_SCRIPT.get(self.clause.script) != lang
        found = frozenset(k for e in self.of(NAME) for k in e.terms) if other_script else frozenset()
        return found.union(*(m.name_keys(lang) for m in self.members))


@dataclass(frozen=True)
class ExpandedQuery:
    """A parsed query with every clause expanded: what ranking and hits work from."""

    parsed: ParsedQuery
    clauses: tuple[Expanded, ...]
    excluded: tuple[Expanded, ...]
    # What this query's phrases may still check by position; kept when the query is re-weighted (replace).
    budget: PhraseBudget = field(default_factory=PhraseBudget, compare=False)

    @cached_property
    def highlight_terms(self) -> set[str]:
        """The index terms to mark in every hit (worked out once per query)."""
        return set().union(*(c.terms for c in self.clauses))

    @cached_property
    def words_terms(self) -> tuple[frozenset[str], ...]:
        """Each clause's terms that find it, for telling which query words a passage holds."""
        return tuple(c.found_by for c in self.clauses)

    @cached_property
    def highlight_prefixes(self) -> set[str]:
        return set().union(*(c.prefixes for c in self.clauses))

    def highlight_names(self, lang: str) -> set[str]:
        return set().union(*(c.name_keys(lang) for c in self.clauses))

    @property
    def proximity_words(self) -> list[int]:
        """Indexes of the plain-word clauses, whose closeness in a document raises its rank."""
        return [i for i, c in enumerate(self.clauses) if isinstance(c.clause, Word)]

    @property
    def proximity_lemmas(self) -> list[tuple[str, ...]]:
        """The lemmas of the plain-word clauses, in the order of `proximity_words`."""
        return [c.clause.lemmas for c in self.clauses if isinstance(c.clause, Word)]


def expand(parsed: ParsedQuery, cross_language: bool = True, vocabulary: Vocabulary | None = None,
           complete_last: bool = False, mostly_a_name: Callable[[str], bool] | None = None,
           associate: Callable[[list[str]], dict[str, float]] | None = None) -> ExpandedQuery:
    """Every clause with its expansions: translations and name keys (unless `cross_language` is off), and for
    the last word, when `complete_last`, the `vocabulary`'s words it begins. `mostly_a_name(word)` tells
    whether the index holds a capitalized English word mostly as a name (Hunter), for a word the query alone
    cannot tell."""
    # One word alone has no other words to tell its senses apart: the lexicon's own shape weighs them.
    alone = len(parsed.clauses) == 1
    clauses = [_expand(c, cross_language, cross_language and _used_as_name(c, mostly_a_name), alone)
               for c in parsed.clauses]
    if cross_language:
        clauses = _translate_word_pairs(clauses)
    if complete_last and vocabulary is not None and clauses:
        clauses[-1] = _complete(clauses[-1], vocabulary, whole_words=len(clauses) <= COMPLETE_WHOLE_WORDS_UP_TO,
                                associate=associate)
    excluded = tuple(_expand(c, cross_language) for c in parsed.excluded)
    return ExpandedQuery(parsed, tuple(clauses), excluded)


def _expand(clause: Clause, cross_language: bool, as_name: bool = False, alone: bool = False) -> Expanded:
    if isinstance(clause, Either):
        return Expanded(clause, members=tuple(_expand(m, cross_language) for m in clause.members))
    if not cross_language:
        return Expanded(clause)
    if isinstance(clause, Word):
        translations = _useful(lexicon().translate(clause.lemmas, clause.script))
        if as_name:
            # A Russian person's name is transliterated, never translated (Соколов is not "falcon", Новиков not
            # "Newman"); an English name keeps only translations that are names too (Warsaw: варшава).
            translations = [t for t in translations if clause.script == "latn" and _a_name(t.shown)]
        translations += _code_translations(clause)
        names: tuple[Expansion, ...] = ()
        if _name_like(clause, translations) and clause.fields == TEXT_FIELDS:  # the names field has no title:
            names = tuple(Expansion(NAME, (key,), key) for key in name_keys(clause.source))
        return Expanded(clause, _translations(translations, clause.script if alone else "") + names)
    if isinstance(clause, Phrase):
        return Expanded(clause, _translations(_useful(_phrase_translations(clause)), clause.script if alone else ""))
    return Expanded(clause)


def _code_translations(word: Word) -> list[Translation]:
    """A code as the other script writes it (С-400: S-400; МС-21: MC-21), looked for like a translation."""
    if len(word.lemmas) != 1 or not is_code(word.lemmas[0]):
        return []
    return [Translation(analyze_word(spelling)[0], spelling.upper()) for spelling in code_spellings(word.lemmas[0])]


def _translations(found: list[Translation], script: str = "") -> tuple[Expansion, ...]:
    """The translations of a word in `script` ('' for a word of a longer query, whose other words weigh its
    translations: see `search.rank.ranking.prefer_cooccurring`); a Russian word's English ones each weighted
    by how few senses the English word has: one that stands for many Russian words is less likely the one
    meant (P(word | translation) taken as uniform over its senses): «санкции» is "sanction" (3 senses) far more
    than "author" (12: authority, authorize), relative to the word's most specific translation. (Measured on
    the XQuAD ru->en questions, weighing every word so cost 0.011 nDCG@10: a question's common words have many
    senses, and its other words already choose. English words' Russian translations are not weighed so: the
    lexicon's Russian side is the English entries inverted, and a Russian word lists only the few English
    entries that give it: торговать has one sense there, "deal", and сделка four.)"""
    if script != "cyrl" or not found:
        return tuple(Expansion(TRANSLATION, t.terms, t.shown) for t in found)
    senses = [max(1, lexicon().meanings(t, "latn")) for t in found]
    fewest = min(senses)
    return tuple(Expansion(TRANSLATION, t.terms, t.shown, fewest / n) for t, n in zip(found, senses, strict=True))


def _useful(translations: list[Translation]) -> list[Translation]:
    return [t for t in translations if not all(term in _STOP for term in t.terms)][:MAX_TRANSLATIONS]


def _used_as_name(word: Clause, mostly_a_name: Callable[[str], bool] | None) -> bool:
    """Whether a query word stands for a person's name rather than the ordinary word it may also be: a Russian
    word that pymorphy3 reads as a surname, first name or patronymic (capitalized: any of its readings;
    lower-case: its likeliest); a capitalized English word that the index holds mostly as a name (Hunter in
    the news, not Oil). (Where it stands in the query tells little: English capitalizes Parliament and
    Warsaw as well, and treating every capitalized word inside an English question as a name cost
    XQuAD en->ru 0.877 -> 0.818.)"""
    if not isinstance(word, Word) or not word.source[:1].isalpha() or word.stop:
        return False
    source = word.source
    if word.script == "cyrl":
        parses = parses_of(fold_yo(source.lower()))
        readings = parses if source[:1].isupper() else parses[:1]
        return any(PERSON_TAGS & p.tag.grammemes for p in readings)
    if word.script != "latn" or not source[:1].isupper() or source.isupper():
        return False
    return mostly_a_name is not None and mostly_a_name(source)


def _a_name(russian: str) -> bool:
    """Whether pymorphy3 reads a Russian word as a name of any kind (варшава, not охотник)."""
    return any(NAME_TAGS & p.tag.grammemes for p in parses_of(russian)[:1])


def _name_like(word: Word, translations: list[Translation]) -> bool:
    """A capitalized query word, or one the lexicon does not know (lavrov, makei): worth a name lookup."""
    return bool(word.source) and (word.source[:1].isupper() or not translations)


def _phrase_translations(phrase: Phrase) -> list[Translation]:
    """A quoted phrase translates as a phrase when the lexicon has it («вести переговоры» -> negotiate)."""
    # Never list every combination: a phrase of n words with three lemmas each has 3**n of them.
    keys = [" ".join(combo) for combo in islice(product(*phrase.words), MAX_PHRASE_KEYS)]
    return lexicon().translate(tuple(keys), phrase.script)


def _translate_word_pairs(clauses: list[Expanded]) -> list[Expanded]:
    """Two query words that the lexicon knows as one phrase (ценные бумаги -> securities, вести переговоры ->
    negotiate) also translate as that phrase: its translation joins the first word's, sharing its weight."""
    clauses = list(clauses)
    for i in range(len(clauses) - 1):
        first, second = clauses[i].clause, clauses[i + 1].clause
        if isinstance(first, Word) and isinstance(second, Word) and first.script == second.script \
                and first.fields == second.fields:
            keys = tuple(" ".join(pair) for pair in product(first.lemmas, second.lemmas))
            phrase = _useful(lexicon().translate(keys, first.script))
            if phrase:
                own = clauses[i].of(TRANSLATION)
                kept = (_translations(phrase) + own)[:MAX_TRANSLATIONS]
                rest = tuple(e for e in clauses[i].expansions if e.via != TRANSLATION)
                clauses[i] = replace(clauses[i], expansions=kept + rest)
    return clauses


def _complete(expanded: Expanded, vocabulary: Vocabulary, whole_words: bool,
              associate: Callable[[list[str]], dict[str, float]] | None = None) -> Expanded:
    """The last word also stands for the index's most frequent words it begins («перегов» -> переговоры); a word
    the index holds whole only when `whole_words` (a short query: measured on CACM's long queries, completing
    their last word cost 0.0014 nDCG@10). With `associate` (how strongly each form goes with the query's other
    words), the CONTEXT_POOL most frequent forms are read and those that go with them are the likeliest: «Лавров
    Мак» is Макей, as the suggestions say."""
    word = expanded.clause
    if not isinstance(word, Word) or word.stop or len(word.source) < MIN_COMPLETION_CHARS:
        return expanded
    stem = fold_yo(word.source.lower())
    if not whole_words and vocabulary.frequency(stem):
        return expanded
    forms = [f for f in vocabulary.completions(stem, CONTEXT_POOL if associate else 2 * MAX_COMPLETIONS) if f != stem]
    completions = []
    seen = set(word.lemmas)
    # The likeliest word meant: the typed word itself, when the index holds it at least as often as any word it
    # begins (oil, not oilseed), else the most frequent of those; with the other words, the one that goes with
    # them most.
    likelihood: Callable[[str], float] = vocabulary.frequency
    # A word typed whole that the index holds more often than any word it begins stays that word, whatever the
    # other words go with ("agree on credit" is credit, not creditors).
    typed_is_likeliest = vocabulary.frequency(stem) >= max((vocabulary.frequency(f) for f in forms), default=0)
    met = associate([stem, *forms]) if associate and not typed_is_likeliest else {}
    if any(met.values()):
        forms = sorted((f for f in forms if met[f]), key=lambda f: -met[f])
        likelihood = met.__getitem__
    likeliest = max([likelihood(stem), *(likelihood(f) for f in forms)]) or 1
    for form in forms:
        terms, _script, stop = analyze_word(form)
        if stop:  # «по» does not stand for «под» or «после»: function words are not looked for
            continue
        terms = tuple(t for t in terms if t not in seen)
        seen.update(terms)
        if terms:
            # How likely this is the word being typed: its frequency against the likeliest's («санкц»: санкции
            # far more than санкционировал; below 1 for every completion of a word typed whole, oil).
            completions.append(Expansion(COMPLETION, terms, form, likelihood(form) / likeliest))
        if len(completions) == MAX_COMPLETIONS:
            break
    kept = expanded.expansions
    likeliest_form = max(forms, key=vocabulary.frequency, default="")
    if completions and (not vocabulary.frequency(stem) or not typed_is_likeliest
                        and not set(analyze_word(likeliest_form)[0]) & set(word.lemmas)):
        # A beginning that no text holds whole, or of a more frequent other word, is not a name of the other
        # script: «Яров» (Яровая being typed) is not Blue Arrow, whose key it shares, nor «Лав» (Лавров) the law.
        # (Typed whole, a name whose other forms are more frequent still crosses: «Путин», though «Путина» is
        # the more frequent form.)
        kept = tuple(e for e in kept if e.via != NAME)
    return replace(expanded, expansions=tuple(completions) + kept)
