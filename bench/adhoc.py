"""The first screen for the queries people type most: python -m bench.adhoc [--engines ours,tantivy] [--lists ...].

Four lists of queries, made from each news corpus in ../shared/data/ with a fixed seed and split into a tune and
a held-out half by a stable hash. Each engine indexes one corpus and is asked each query as typed (ours: as the
page asks, the last word open to completion, and a story's copies, which the page lists under it as "and 2
similar", take the places a peer's list gives them); the bench reports the share of its top 10 that a reader
asked for, and how many of our snippets show page code:

- one-word: the words the titles use most (five titles or more, not function words) that also begin longer words
  of the corpus (oil: oilseed, oilman; «санкц…» is what the page searches while «санкции» is typed). A hit counts
  when it holds a form of the word (any of its index terms, by our analyzer: «санкции» for «санкций»).
- surname (RT only): surnames that are also a common word's form, named in three documents or more («Волков»,
  «Песков»: pymorphy3's dictionary reads them as a surname and as волк, песок), typed capitalized. A hit counts
  when it names the person (the surname written capitalized inside a sentence, in a form the dictionary reads as
  that surname; a sentence's first word names nobody by its capital: «Машины ведут огонь»);
  the share is taken of min(10, the documents that name the person at all).
- preposition: "A <preposition> B" from the titles («санкции против Турции», "talks with Iran"). A hit counts
  when it holds a form of both A and B; the share is of min(10, the documents that hold both).
- latin (RT only): the titles' frequent words typed in Latin letters the informal way (the typos set's own
  transliteration, ../shared/data/typos/make_typos.py: «переговоры» -> peregovory). A hit counts when it holds a
  form of the Russian word.

Code snippets: our first screens' snippets that show a page's script or style (`location.protocol`, `function(`,
`var x =`, `{…;…}`): the peers show no snippets. A reader who typed oil wants oil, not OILSEED; one who typed
Волков wants the person, not «Ночные волки».
"""

from __future__ import annotations

import argparse
import bisect
import html
import importlib.util
import random
import re
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import pymorphy3

from search import analyze

from .collections import DATA, HALVES, in_half, news_articles
from .engines import ENGINES

CORPORA = {"news-ru-rt": "ru", "news-en-reuters": "en"}
SEED = 20261207
QUERIES = {"one-word": 200, "surname": 100, "preposition": 200, "latin": 200}
MIN_TITLES = 5
MIN_NAMING = 3  # a surname named in this many documents or more
_WORD = re.compile(r"[^\W\d_]{3,}")
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
PREPOSITIONS = {
    "ru": set("в на с о об по к за из от до для при про через между против после без над под перед у среди около"
              .split()),
    "en": set("in on with of for to from about against between after before over under by at into during without "
              "among".split()),
}
CODE = re.compile(r"location\.(protocol|href)|</?script|function\s*\(|\bvar\s+\w+\s*=|\{[^{}]*[:;][^{}]*\}|"
                  r"\w+\.\w+\([^)]*\)\s*;|src\s*=\s*['\"]")


@lru_cache(maxsize=1)
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=500_000)
def dictionary_readings(word: str) -> list[tuple[str, pymorphy3.tagset.OpencorporaTag]]:
    """pymorphy3's (normal form, tag) readings of a lower-case word that its dictionary knows, likeliest first:
    the bench's own reading, apart from the library's."""
    return [(p.normal_form, p.tag) for p in _morph().parse(word) if p.is_known]


@dataclass
class Query:
    text: str  # as typed
    forms: tuple[str, ...]  # the words a hit must hold a form of (all of them), or the surname's lemma
    possible: int  # how many documents could count (a share is of min(10, possible))


class Terms:
    """Each document's index terms (title and text, by our analyzer), and which documents hold a term."""

    def __init__(self, docs: list[dict]) -> None:
        self.of: dict[str, set[str]] = {}
        self.holding: dict[str, set[str]] = defaultdict(set)
        for doc in docs:
            terms = set(analyze(doc["title"] + "\n" + doc["text"]))
            self.of[doc["id"]] = terms
            for term in terms:
                self.holding[term].add(doc["id"])

    def holds(self, doc_id: str, word: str) -> bool:
        return bool(set(analyze(word)) & self.of.get(doc_id, set()))

    def documents(self, word: str) -> set[str]:
        return set().union(*(self.holding.get(term, set()) for term in analyze(word)))


def _drawn(candidates: list, count: int, seed: int = SEED) -> list:
    candidates = sorted(candidates)  # drawn from sets, whose order changes with each process's string hashing
    random.Random(seed).shuffle(candidates)
    return sorted(candidates[:count])


# The bench's own function words, apart from the library's (so that the lists stay put when the library's change):
# Snowball's English stop list, and for Russian the parts of speech pymorphy3's dictionary reads first as
# closed classes.
ENGLISH_FUNCTION_WORDS = frozenset("""
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself
    it its itself they them their theirs themselves what which who whom this that these those am is are was were be
    been being have has had having do does did doing would should could ought a an the and but if or because as
    until while of at by for with about against between into through during before after above below to from up
    down in out on off over under again further then once here there when where why how all any both each few more
    most other some such no nor not only own same so than too very
    """.split())
RUSSIAN_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "INTJ"})


def _content(word: str) -> bool:
    """Not a function word, by the bench's own reading."""
    lower = word.lower().replace("ё", "е")
    if re.search(r"[а-я]", lower):
        readings = dictionary_readings(lower)
        return not readings or (readings[0][1].POS not in RUSSIAN_FUNCTION_POS
                                and "Apro" not in readings[0][1].grammemes)
    return lower not in ENGLISH_FUNCTION_WORDS


def one_word_queries(docs: list[dict], terms: Terms, lang: str, seed: int = SEED) -> list[Query]:
    """Words the corpus's titles use most (MIN_TITLES or more) that are not function words and begin a longer
    word of the corpus, lower-case as people type them."""
    return [Query(w, (w,), len(terms.documents(w))) for w in one_words(docs, seed)]


def one_words(docs: list[dict], seed: int = SEED) -> list[str]:
    """The words of `one_word_queries`."""
    titles: Counter = Counter()
    vocabulary: set[str] = set()
    for doc in docs:
        titles.update({w.lower() for w in _WORD.findall(doc["title"])})
        vocabulary.update(w.lower() for w in _WORD.findall(doc["title"] + " " + doc["text"][:2000]))
    ordered = sorted(vocabulary)
    candidates = []
    for word, count in titles.most_common():
        if count < MIN_TITLES:
            break
        at = bisect.bisect_left(ordered, word + "\u0000")
        if _content(word) and at < len(ordered) and ordered[at].startswith(word):
            candidates.append(word)
    return _drawn(candidates, QUERIES["one-word"], seed)


def _surname_lemmas(token: str) -> tuple[set[str], set[str]]:
    """(lemmas of a Russian token's surname readings, lemmas of its other readings)."""
    readings = dictionary_readings(token.lower().replace("ё", "е")) or []
    surname = {f.replace("ё", "е") for f, tag in readings if "Surn" in tag.grammemes}
    other = {f.replace("ё", "е") for f, tag in readings if not {"Surn", "Name", "Patr"} & tag.grammemes}
    return surname, other


# A word that opens a sentence, a line, a quotation or a reply: its capital says nothing of a name.
_OPENING = re.compile(r"(?:^|[.!?…:;\n«\"“(—–-])\s*$")


def naming(docs: list[dict], lang: str) -> dict[str, set[str]]:
    """Surname -> the documents that name the person: a capitalized word inside a sentence that the dictionary
    reads as that surname (RT; none for English). A sentence's first word is left out: «Машины ведут огонь»,
    «Голов с 6 метров» and «Страховым компаниям» name nobody, though the dictionary reads each as a surname."""
    named: dict[str, set[str]] = defaultdict(set)
    if lang != "ru":
        return named
    for doc in docs:
        text = doc["title"] + "\n" + doc["text"]
        inside = {m.group() for m in _TOKEN.finditer(text) if m.group()[:1].isupper() and not m.group().isupper()
                  and not _OPENING.search(text, max(0, m.start() - 4), m.start())}
        for token in inside:
            for lemma in _surname_lemmas(token)[0]:
                named[lemma].add(doc["id"])
    return named


def surname_queries(docs: list[dict], terms: Terms, lang: str, named: dict[str, set[str]],
                    seed: int = SEED) -> list[Query]:
    candidates = []
    # Reuters' 1987 wire names few people whose surname is also a common word: of the capitalized words that
    # "said he" or "said she" follows in two documents or more, Baker, Trump and Gray (the corpus writes "baker"
    # once): too few to report. The list is RT's.
    if lang != "ru":
        return []
    candidates = []
    for lemma, holders in named.items():
        # A surname whose masculine nominative is also another word's form with another lemma (волков: волк).
        surname, other = _surname_lemmas(lemma)
        if len(holders) >= MIN_NAMING and lemma in surname and other - {lemma}:
            candidates.append(lemma)
    return [Query(s.capitalize(), (s,), len(named[s])) for s in _drawn(candidates, QUERIES["surname"], seed)]


def preposition_queries(docs: list[dict], terms: Terms, lang: str, seed: int = SEED) -> list[Query]:
    """"A <preposition> B" as the titles write them (lower-case; a Russian title's capitals kept)."""
    triples = set()
    for doc in docs:
        title = re.sub(r"<[^>]*>", " ", doc["title"])  # Reuters' tickers: <AIL>
        tokens = re.findall(r"\w+(?:-\w+)*", title if lang == "ru" else title.lower())
        for a, p, b in zip(tokens, tokens[1:], tokens[2:], strict=False):
            if p.lower() in PREPOSITIONS[lang] and _noun_like(a) and _noun_like(b, lang):
                triples.add((a, p.lower(), b))
    queries = []
    drawn = sorted(triples)  # a set's order changes with each process's string hashing
    random.Random(seed).shuffle(drawn)  # drawn in the seed's order (sorted, the list was the alphabet's first 200)
    for a, p, b in drawn:
        both = terms.documents(a) & terms.documents(b)
        if len(both) >= 2:  # a pair only one document holds tells little
            queries.append(Query(f"{a} {p} {b}", (a, b), len(both)))
        if len(queries) == QUERIES["preposition"]:
            break
    return sorted(queries, key=lambda query: query.text)


def _noun_like(word: str, lang: str = "") -> bool:
    """A content word of letters; in Russian, not an adjective or participle (which goes on to its noun:
    «в контрольном матче»)."""
    if len(word) < 3 or not word.replace("-", "").isalpha() or not _content(word):
        return False
    readings = dictionary_readings(word.lower()) if lang == "ru" else None
    return not readings or readings[0][1].POS not in ("ADJF", "PRTF", "NUMR")


def latin_queries(docs: list[dict], terms: Terms, lang: str, seed: int = SEED) -> list[Query]:
    if lang != "ru":
        return []
    spec = importlib.util.spec_from_file_location("make_typos", DATA / "typos" / "make_typos.py")
    assert spec and spec.loader
    make_typos = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_typos)
    titles: Counter = Counter()
    for doc in docs:
        titles.update({w.lower() for w in _WORD.findall(doc["title"])})
    words = [w for w, n in titles.items() if n >= MIN_TITLES and len(w) > 3 and _content(w)]
    return [Query(make_typos.translit(w), (w,), len(terms.documents(w))) for w in _drawn(words, QUERIES["latin"], seed)]


def counts(query: Query, ids: list[str], terms: Terms, named: dict[str, set[str]], kind: str) -> float:
    """The share of a top 10 that a reader asked for, of min(10, the documents that could count)."""
    if kind == "surname":
        hits = sum(i in named[query.forms[0]] for i in ids)
    else:
        hits = sum(all(terms.holds(i, form) for form in query.forms) for i in ids)
    possible = min(10, query.possible)
    return min(1.0, hits / possible) if possible else 1.0


def lists(docs: list[dict], terms: Terms, lang: str, named: dict[str, set[str]],
          seed: int = SEED) -> dict[str, list[Query]]:
    """The four lists, drawn with `seed` (another seed: lists of the same kinds nobody tuned on)."""
    made: dict[str, Callable[[], list[Query]]] = {
        "one-word": lambda: one_word_queries(docs, terms, lang, seed),
        "surname": lambda: surname_queries(docs, terms, lang, named, seed),
        "preposition": lambda: preposition_queries(docs, terms, lang, seed),
        "latin": lambda: latin_queries(docs, terms, lang, seed),
    }
    return {kind: made[kind]() for kind in made}


def shows_code(snippet: str) -> bool:
    return bool(CODE.search(html.unescape(re.sub(r"</?mark>", "", snippet))))


def run(engine_names: list[str], kinds: list[str], seed: int = SEED) -> list[dict]:
    """Each engine's share on each corpus and list, for each half of the queries."""
    rows = []
    for corpus, lang in CORPORA.items():
        docs = news_articles(corpus)
        terms = Terms(docs)
        named = naming(docs, lang)
        made = {kind: queries for kind, queries in lists(docs, terms, lang, named, seed).items()
                if kind in kinds and queries}
        for engine_class in ENGINES:
            if engine_class.name not in engine_names or engine_class.unavailable():
                continue
            engine = engine_class(lang)
            try:
                engine.build(docs)
                for kind, queries in made.items():
                    shares, code = {}, 0
                    for query in queries:
                        if engine.has_snippets:
                            page = engine.first_screen(query.text, 10)
                            code += sum(shows_code(snippet) for _, snippet in page)
                            ids = [doc_id for doc_id, _ in page]
                        else:
                            ids = engine.search(query.text, 10)
                        shares[query.text] = counts(query, ids, terms, named, kind)
                    rows.append(_row(corpus, engine_class.name, kind, shares, code if engine.has_snippets else None))
                    print(rows[-1], file=sys.stderr)
            finally:
                engine.close()
    return rows


def _row(corpus: str, engine: str, kind: str, shares: dict[str, float], code: int | None) -> dict:
    row: dict = {"corpus": corpus, "engine": engine, "list": kind, "code_snippets": code}
    for half in HALVES:
        # The one-word list keeps the halves it was first reported with.
        mine = [share for text, share in shares.items()
                if in_half(f"{corpus}:{text}" if kind == "one-word" else f"{corpus}:{kind}:{text}", half)]
        row[half] = {"queries": len(mine), "share": statistics.fmean(mine) if mine else 0.0,
                     "none_hold": sum(share == 0.0 for share in mine)}
    row["worst"] = sorted(shares, key=shares.__getitem__)[:5]
    return row


def table(rows: list[dict]) -> str:
    """Share of the top 10 a reader asked for, by half (queries; queries none of whose top 10 do)."""
    lines = ["| corpus | list | engine | tune | held-out | held-out: none of the 10 | code snippets | worst |",
             "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r['corpus']} | {r['list']} | {r['engine']} | {r['tune']['share']:.3f} ({r['tune']['queries']}) | "
              f"{r['held-out']['share']:.3f} ({r['held-out']['queries']}) | {r['held-out']['none_hold']} | "
              f"{'—' if r['code_snippets'] is None else r['code_snippets']} | {', '.join(r['worst'])} |"
              for r in sorted(rows, key=lambda r: (r["corpus"], r["list"]))]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--engines", default="ours,tantivy,bm25s", help="comma-separated engine names")
    parser.add_argument("--lists", default=",".join(QUERIES), help="comma-separated lists: " + ", ".join(QUERIES))
    parser.add_argument("--seed", type=int, default=SEED,
                        help=f"draw the lists with this seed (default {SEED}, the reported lists; another gives lists "
                             "of the same kinds that nothing was tuned on)")
    args = parser.parse_args(argv)
    print(table(run(args.engines.split(","), args.lists.split(","), args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
