"""Proper names across the two scripts: a script-neutral key, so Lavrov, Лавров and Лаврова meet.

The key is a consonant skeleton with the vowels marked but not told apart: Cyrillic is romanized, English
spelling habits are folded (th -> t, ph -> f, c -> k or s, w -> v, j/dzh/zh -> j, a silent final e dropped), h
is dropped, each run of vowels becomes one V, doubled letters collapse. Russian names are keyed by their likeliest
lemma, so inflected forms (Столтенберга, Макеем) key like the nominative. The skeleton is lossy on purpose:
transcription between the languages is phonetic (Panthers / Пэнтерс), not letter for letter. The index keeps
it with the spelling's vowels (`spelled_key`), and a name meets only the keys whose vowels the other script could
write for its own (`same_name`): Путин meets Putin, not Patten or Paton, whose skeleton it shares.

A short alias list (a data file, ALIASES_FILE) covers names whose two spellings share no skeleton
(Germany / Германия).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from ..language import RUSSIAN_LOWER, fold_yo
from .lexicon import lexicon
from .morphology import analyze_word, dictionary_readings, parses_of, script_of
from .transliteration import spellings

MIN_KEY_CHARS = 3
LOOSE_NAME_WEIGHT = 0.5  # a name across the scripts whose vowels agree only loosely (see `name_weight`)
NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr"})
PERSON_TAGS = frozenset({"Surn", "Name", "Patr"})
ALIASES_FILE = Path(__file__).resolve().parent.parent / "data" / "name-aliases.tsv"

_ROMAN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "u", "я": "a",
})
_FOLDS = [
    (re.compile(r"shch|sch"), "sh"), (re.compile(r"tch"), "ch"), (re.compile(r"dzh|dj|zh|j"), "J"),
    (re.compile(r"g(?=[eiy])"), "J"), (re.compile(r"ph"), "f"), (re.compile(r"th"), "t"), (re.compile(r"ck"), "k"),
    (re.compile(r"kh|gh"), "h"), (re.compile(r"qu"), "kv"), (re.compile(r"q"), "k"), (re.compile(r"x"), "ks"),
    (re.compile(r"c(?=[eiy])"), "s"), (re.compile(r"c(?!h)"), "k"), (re.compile(r"w"), "v"),
    (re.compile(r"z"), "s"), (re.compile(r"sh"), "S"), (re.compile(r"ch"), "C"),
]
_VOWELS = re.compile(r"[aeiouy]+")
_CYRILLIC_LETTER = re.compile(f"[{RUSSIAN_LOWER}]")
_REPEATS = re.compile(r"(.)\1+")
# A word that starts with a capital letter, whole, as the tokenizer would cut it (only these can be names): a
# capital not after a letter or digit, nor after one and a hyphen or apostrophe. The capital comes first and the
# lookbehinds after it, so that the regex engine skips to the next capital in C (twice as fast on RT's texts).
_CAPITALIZED = re.compile(rf"[^\W\d_a-z{RUSSIAN_LOWER}](?<!\w.)(?<!\w[-'’‘].)\w*(?:[-'’‘]\w+)*")
# One that opens a sentence: after a sentence's end or opening mark and up to three spaces, or at the start.
_AFTER_MARK = re.compile(r"[.!?…:\n\"«»]\s{0,3}(" + _CAPITALIZED.pattern + ")")
_AT_START = re.compile(r"\s{0,3}(" + _CAPITALIZED.pattern + ")")


@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    """ALIASES_FILE's names: Russian lemma -> the English form whose key both are indexed under.

    >>> aliases()["германия"]
    'germany'
    """
    with open(ALIASES_FILE, encoding="utf-8") as f:
        rows = (line.rstrip("\n").split("\t") for line in f if line.strip() and not line.startswith("#"))
        return {russian: english for russian, english in rows}


@lru_cache(maxsize=100_000)
def skeleton(word: str) -> str:
    """The script-neutral key of one spelling of a name ('' when too short to tell names apart).

    >>> skeleton("Stoltenberg"), skeleton("Столтенберг"), skeleton("Makei"), skeleton("Макей")
    ('stVltVnbVrg', 'stVltVnbVrg', 'mVkV', 'mVkV')
    >>> skeleton("Jared"), skeleton("Джаред"), skeleton("Panthers"), skeleton("Пэнтерс"), skeleton("Luke")
    ('JVrVd', 'JVrVd', 'pVntVrs', 'pVntVrs', 'lVk')
    >>> skeleton("Harlow") == skeleton("Орлов"), skeleton("Hussein") == skeleton("Хусейн")
    (False, True)
    >>> skeleton("Khodorkovsky") == skeleton("Ходорковский"), skeleton("Thomas") == skeleton("Томас")
    (True, True)
    """
    return _spelled(word)[0]


@lru_cache(maxsize=100_000)
def _spelled(word: str) -> tuple[str, tuple[str, ...]]:
    """A spelling's skeleton, and its vowel runs in order (as the skeleton's V's stand for them)."""
    text = word.lower().replace("'s", "").replace("’s", "")
    if len(text) > 3 and re.fullmatch(r"[a-z]+[^aeiouy]e", text):
        text = text[:-1]  # Luke, Blake, Rome: the e is not spoken, and Russian does not write it
    text = re.sub(r"[^a-z]", "", text.translate(_ROMAN))
    for pattern, replacement in _FOLDS:
        text = pattern.sub(replacement, text)
    # h is dropped (Russian writes it as х, г or not at all), but not a first h: Russian writes a name's first H as
    # Х or Г, hardly ever as nothing (Хусейн, Гарри), so Harlow is not Орлов.
    text = text[:1] + text[1:].replace("h", "")
    key = _REPEATS.sub(r"\1", _VOWELS.sub("V", text))
    if len(key) < MIN_KEY_CHARS or key == "V" * len(key):
        return "", ()
    return key, tuple(_VOWELS.findall(text))


def spelled_key(word: str) -> str:
    """The key of one spelling of a name as the index holds it: its skeleton, its script (c or l) and its
    vowels, which tell apart names that share a skeleton (see `same_name`).

    >>> spelled_key("Путин"), spelled_key("Patten"), spelled_key("Putin")
    ('pVtVn|cu.i', 'pVtVn|la.e', 'pVtVn|lu.i')
    """
    skeleton_key, vowels = _spelled(word)
    if not skeleton_key:
        return ""
    return f"{skeleton_key}|{'c' if _CYRILLIC_LETTER.search(word.lower()) else 'l'}{'.'.join(vowels)}"


# The Cyrillic vowels (romanized: а a, е/ё/э e, и/й i, о o, у/ю u, ы y, я a) that English writes with each
# vowel letter in names, generously: Jackson Джексон, Hunter Хантер, Peter Питер, Mike Майк, Turner Тёрнер.
_CYRILLIC_FOR_LATIN = {"a": "aeio", "e": "eia", "i": "iaey", "o": "oau", "u": "uaeo", "y": "iye"}


def same_name(query_key: str, index_key: str) -> bool:
    """Whether two spelled keys can be one name: the same skeleton, and, across the scripts, each vowel one
    that the other script writes for it (Путин is Putin, not Patten or Paton); in one script, the same vowels.

    >>> same_name("pVtVn|cu.i", "pVtVn|lu.i"), same_name("pVtVn|cu.i", "pVtVn|la.e")
    (True, False)
    """
    query_skeleton, _, query_vowels = query_key.partition("|")
    index_skeleton, _, index_vowels = index_key.partition("|")
    if query_skeleton != index_skeleton:
        return False
    if query_vowels[:1] == index_vowels[:1]:
        return query_vowels == index_vowels
    latin, cyrillic = (query_vowels, index_vowels) if query_vowels[:1] == "l" else (index_vowels, query_vowels)
    return all(_same_vowels(latin_run, cyrillic_run)
               for latin_run, cyrillic_run in zip(latin[1:].split("."), cyrillic[1:].split("."), strict=False))


def name_weight(query_key: str, index_key: str) -> float:
    """How surely an index spelling of a name `same_name` accepts is the query's: 1 in one script, and across
    the scripts where each vowel is the one the other script writes first (Макей: Makei, Makey; Путин: Putin);
    LOOSE_NAME_WEIGHT where only a looser reading joins them (Макей: Maki, Mackay; Трамп: Trump; Джексон:
    Jackson), so that a reader's own-script name comes before a look-alike of another language.

    >>> name_weight(spelled_key("Макей"), spelled_key("Makey")), name_weight(spelled_key("Макей"), spelled_key("Maki"))
    (1.0, 0.5)
    """
    query_vowels = query_key.partition("|")[2]
    index_vowels = index_key.partition("|")[2]
    if query_vowels[:1] == index_vowels[:1]:
        return 1.0
    return 1.0 if _plain_vowels(query_vowels[1:]) == _plain_vowels(index_vowels[1:]) else LOOSE_NAME_WEIGHT


def _plain_vowels(vowels: str) -> str:
    """A key's vowels as both scripts agree to write them: the Cyrillic key's are romanized letter for letter
    (е e, й i, ы y, я a, ю u), and English writes й, ы and ий as y or i, and я, ю as ya, yu (Юрий: Yuri,
    Зеленский: Zelensky, Мария: Maria)."""
    return _REPEATS.sub(r"\1", re.sub(r"i(?=[aeou])", "", vowels.replace("y", "i")))


def _same_vowels(latin: str, cyrillic: str) -> bool:
    """Whether the other script could write a run of vowels so: each vowel of the shorter run has one in the
    longer that stands for it (Sean Шон, Boeing Боинг, Mike Майк), so that MACAO's "ao" is not Макей's «ей».

    >>> _same_vowels("ei", "ei"), _same_vowels("ea", "o"), _same_vowels("ao", "ei")
    (True, True, False)
    """
    if len(latin) <= len(cyrillic):
        return all(any(c in _CYRILLIC_FOR_LATIN.get(letter, "") for c in cyrillic) for letter in latin)
    return all(any(c in _CYRILLIC_FOR_LATIN.get(letter, "") for letter in latin) for c in cyrillic)


@lru_cache(maxsize=200_000)
def name_keys(word: str) -> tuple[str, ...]:
    """The keys of a name as written (see `spelled_key`): for Russian, of its likeliest lemma (Лаврова ->
    лавров), or capitalized, of its reading as a person's name where it has one (Песков -> песков, not the
    likelier песок: the sands' genitive plural); of the word for English.

    >>> name_keys("Лаврова"), name_keys("Lavrov"), name_keys("Рейтер")
    (('lVvrVv|ca.o',), ('lVvrVv|la.o',), ('rVtVrs|leu.e',))
    >>> name_keys("Песков") == name_keys("Пескова") != name_keys("песков")
    True
    """
    terms, script, _stop = analyze_word(word)
    if script == "cyrl":
        person = person_lemmas(word) if word[:1].isupper() else ()
        lemma = person[0] if person else terms[0]
        spellings = [aliases().get(lemma, lemma)]
    elif script == "latn":
        spellings = [word]
    else:
        return ()
    return tuple(dict.fromkeys(k for k in map(spelled_key, spellings) if k))


_LOOK_ALIKE = ("авекмнорстух", "abekmhopctyx")  # letters that look the same in both scripts (МС-21 / MC-21)
_TO_LATIN_LOOK = str.maketrans(*_LOOK_ALIKE)
_TO_CYRILLIC_LOOK = str.maketrans(_LOOK_ALIKE[1], _LOOK_ALIKE[0])
_CODE_LETTERS = re.compile(r"[^\W\d_]+")
_LATIN_LETTER = re.compile(r"[a-z]")


@lru_cache(maxsize=10_000)
def code_spellings(code: str) -> tuple[str, ...]:
    """A lower-case code (see `search.analysis.morphology.is_code`) as the other script writes it: its letters read
    aloud (С-400 is S-400, Су-35 Su-35) or as the letters they look like (МС-21 is MC-21); the digits kept.

    >>> code_spellings("с-400"), code_spellings("мс-21"), code_spellings("su-35")
    (('s-400', 'c-400'), ('ms-21', 'mc-21'), ('су-35',))
    """
    script = script_of(code)
    if script == "cyrl":
        spoken = _CODE_LETTERS.sub(lambda m: m.group().translate(_ROMAN), code)
        looking = code.translate(_TO_LATIN_LOOK)
    elif script == "latn":
        spoken = _CODE_LETTERS.sub(lambda m: (spellings(m.group()) or [m.group()])[0], code)
        looking = code.translate(_TO_CYRILLIC_LOOK)
    else:
        return ()
    left_over = _LATIN_LETTER if script == "latn" else _CYRILLIC_LETTER  # a spelling wholly in the other script
    return tuple(s for s in dict.fromkeys((spoken, looking)) if s != code and not left_over.search(s))


def person_lemmas(word: str) -> tuple[str, ...]:
    """The lemmas of a Russian word's readings as a person's surname, first name or patronymic (none when the
    dictionary has no such reading): what a capitalized query word stands for when it is also a common word's
    form («Волков»: the surname, not волк; «Песков»: not песок).

    >>> person_lemmas("Волков"), person_lemmas("Волкова"), person_lemmas("Пески"), person_lemmas("Султанов")
    (('волков',), ('волков',), (), ('султанов',))
    >>> person_lemmas("Морозов")
    ('морозов',)
    """
    written = fold_yo(word.lower())
    readings = dictionary_readings(written) or []
    # A surname reading first: «Султанов» is the surname, not the first name Султан's genitive plural.
    surnames = tuple(dict.fromkeys(fold_yo(form) for form, tag in readings if "Surn" in tag.grammemes))
    if written in surnames:
        # Typed as a surname is named, in the nominative: «Морозов» is Морозов, not the Мороз family's genitive
        # plural (whose lemma, мороз, is the frost's).
        return (written,)
    return surnames or tuple(dict.fromkeys(fold_yo(form) for form, tag in readings if PERSON_TAGS & tag.grammemes))


@lru_cache(maxsize=200_000)
def _common_word(word: str) -> bool:
    """Whether a capitalized word is an ordinary word that happens to open a sentence (Защита, However)."""
    terms, script, stop = analyze_word(word)
    if stop:
        return True
    if script == "cyrl":
        readings = dictionary_readings(word.lower())
        if readings is not None:  # the likeliest reading is the dictionary's
            return not (NAME_TAGS & readings[0][1].grammemes)
        parses = parses_of(word.lower())
        return bool(parses) and parses[0].is_known and not (NAME_TAGS & parses[0].tag.grammemes)
    return lexicon().has_english(terms[0])  # the lexicon knows the common English words


def is_name_like(word: str, sentence_start: bool) -> bool:
    """A capitalized word that is not a function word, and not an ordinary word opening a sentence."""
    if not word[:1].isupper() or len(word) < 2 or analyze_word(word)[2]:
        return False
    # An acronym (NATO, ООН) is a name wherever it stands.
    return not sentence_start or word.isupper() or not _common_word(word)


def name_spelling(key: str, text: str) -> str:
    """How a text spells the name a key stands for: its first capitalized word that is that name ('' when none
    is).

    >>> name_spelling(name_keys("Skripal")[0], "Британия выслала дипломатов: отравлен Сергей Скрипаль.")
    'Скрипаль'
    """
    for word in dict.fromkeys(_CAPITALIZED.findall(text)):
        if any(same_name(key, found) for found in name_keys(word)):
            return word
    return ""


def text_name_keys(text: str) -> Counter:
    """How often each name key occurs in a text: what the index's `names` field holds.

    >>> sorted(text_name_keys("Лавров встретился с Макеем. Встреча прошла в Минске.").items())
    [('lVvrVv|ca.o', 1), ('mVkV|ca.ei', 1), ('mVnsk|ci', 1)]
    """
    # Count the capitalized words, and apart those that open a sentence, in C; judge each distinct word once.
    everywhere = Counter(_CAPITALIZED.findall(text))
    openers = Counter(opening_words(text))
    counts: dict[str, int] = {}
    for word, total in everywhere.items():
        opening = openers.get(word, 0)
        if opening < total:
            for key in _keys_inside(word):
                counts[key] = counts.get(key, 0) + total - opening
        if opening:
            for key in _keys_opening(word):
                counts[key] = counts.get(key, 0) + opening
    return Counter(counts)


def opening_words(text: str) -> list[str]:
    """The capitalized words that open a sentence (see `_AFTER_MARK`), in order.

    >>> opening_words("Лавров встретился с Макеем. Встреча прошла в Минске. «Да», сказал он")
    ['Лавров', 'Встреча', 'Да']
    """
    found = _AFTER_MARK.findall(text)
    first = _AT_START.match(text)
    # A line break before the first word is a mark too: the word is then found already.
    if first is not None and "\n" not in text[:first.start(1)]:
        found.insert(0, first.group(1))
    return found


@lru_cache(maxsize=200_000)
def _keys_inside(word: str) -> tuple[str, ...]:
    """The name keys of a capitalized word inside a sentence."""
    return _keys_of(word, False)


@lru_cache(maxsize=200_000)
def _keys_opening(word: str) -> tuple[str, ...]:
    """The name keys of a capitalized word that opens a sentence."""
    return _keys_of(word, True)


def _keys_of(word: str, sentence_start: bool) -> tuple[str, ...]:
    if script_of(word) == "other" or not is_name_like(word, sentence_start):
        return ()
    return name_keys(word)
