"""Build search/data/lexicon-en-ru.tsv.gz, the bilingual lexicon the package ships, from the Wiktionary
English->Russian DSL extraction in ../shared/data/lexicon-wiktionary-en-ru/.

    python scripts/build_lexicon.py [SOURCE.dsl.dz] [OUTPUT.tsv.gz]

Each DSL entry is one sense of an English headword: its part of speech, then either Russian translations
([m1]...[/m]) or a cross-reference (SEE: <<other>>), which is followed one step. Both sides are normalized with the
engine's own analyzer, so the lexicon meets the index's terms: English words as Snowball stems, Russian words as
their lemma. Multi-word entries stay phrases (security -> служба безопасность, ценные бумаги).

Output: a line per English term (or phrase), `en<TAB>stems<TAB>headword<TAB>russian|russian|...` (the headword
is what an explanation shows), the Russian side ordered by how many senses give it, then by the order the
dictionary lists them; then the same inverted, a line per Russian term, `ru<TAB>lemmas<TAB><TAB>stems|stems|...`,
the English words that list it earliest first. Both directions are written out, so that loading the lexicon is
reading one block of text rather than building a dictionary. The licence of the source travels with it in
search/data/LEXICON-NOTICE.md.
"""

from __future__ import annotations

import gzip
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.analysis.analyzer import analyze_words  # noqa: E402
from search.analysis.morphology import fold_yo  # noqa: E402

SOURCE = ROOT.parent / "shared" / "data" / "lexicon-wiktionary-en-ru" / "en-ru-enwiktionary.dsl.dz"
OUTPUT = ROOT / "search" / "data" / "lexicon-en-ru.tsv.gz"
MAX_WORDS = 3  # longer entries are idioms and whole sentences, not what a query translates through
MAX_TRANSLATIONS = 12

_MARKUP = re.compile(r"\[(?:p|c[^\]]*|i|b|/?m\d?|/?[a-z]+)\][^\[]*?\[/(?:p|c|i|b)\]|\[/?[a-z0-9 ]+\]")
_TRANSCRIPTION = re.compile(r"/[^/]*/")
_NOTES = re.compile(r"\([^)]*\)|\\\[[^\]]*\\\]|\{[^}]*\}")
_STRESS = str.maketrans("", "", "\u0301\u0300")
_CYRILLIC_PHRASE = re.compile(r"[а-яё][а-яё\- ]*", re.IGNORECASE)


def read_entries(path: Path) -> list[tuple[str, str, list[str], str | None]]:
    """(headword, part of speech, Russian translations, cross-reference) for every sense."""
    text = gzip.open(path, "rb").read().decode("utf-16-le").lstrip("\ufeff")
    entries = []
    headword, pos, translations, see = None, "", [], None
    for line in text.splitlines() + [""]:
        if line.startswith("#"):
            continue
        if line and not line[0].isspace():
            if headword is not None:
                entries.append((headword, pos, translations, see))
            headword, pos, translations, see = line.strip(), "", [], None
            continue
        body = line.strip()
        if not body or headword is None:
            continue
        if body.startswith("[b]"):
            found = re.search(r"\[p\]<([^>]*)>\[/p\]", body)
            pos = found.group(1) if found else ""
        elif body.startswith("SEE:"):
            found = re.search(r"<<([^>]+)>>", body)
            see = found.group(1).strip() if found else None
        elif "[m" in body:
            translations.extend(_translations(body))
    return entries


def _translations(line: str) -> list[str]:
    line = _MARKUP.sub(" ", line)
    line = _TRANSCRIPTION.sub(" ", line)
    line = _NOTES.sub(" ", line).translate(_STRESS)
    found = []
    for piece in re.split(r"[,;]", line):
        piece = " ".join(piece.split())
        if piece and _CYRILLIC_PHRASE.fullmatch(piece) and len(piece.split()) <= MAX_WORDS:
            found.append(piece)
    return found


def english_key(headword: str) -> str | None:
    words = [w for w in analyze_words(headword) if not w.part]
    if not words or len(words) > MAX_WORDS or any(w.script != "latn" for w in words):
        return None
    if len(words) > 1 and all(w.stop for w in words):
        return None
    return " ".join(w.terms[0] for w in words)


def russian_key(phrase: str) -> str | None:
    words = [w for w in analyze_words(phrase) if not w.part]
    if not words or any(w.script != "cyrl" for w in words):
        return None
    # The dictionary gives the base form: keep it when it is one of its own lemmas (сталь, not стать).
    lemmas = []
    for word in words:
        base = fold_yo(word.text.lower())
        lemmas.append(base if base in word.terms else word.terms[0])
    return " ".join(lemmas)


def build(source: Path = SOURCE) -> dict[str, tuple[str, list[str]]]:
    entries = read_entries(source)
    senses: dict[str, list[list[str]]] = defaultdict(list)
    for headword, _pos, translations, _see in entries:
        if translations:
            senses[headword].append(translations)
    for headword, _pos, translations, see in entries:
        if not translations and see and see in senses:
            senses[headword].extend(senses[see])
    lexicon: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    shown: dict[str, str] = {}
    for headword, sense_list in senses.items():
        key = english_key(headword)
        if key is None:
            continue
        # Of the headwords with one stem (organization, organize) show the shortest, then the plain-case one.
        shown[key] = min(shown.get(key, headword), headword, key=lambda w: (len(w), not w.islower(), w))
        for translations in sense_list:
            for order, translation in enumerate(dict.fromkeys(translations)):
                target = russian_key(translation)
                if target is None:
                    continue
                count, first = lexicon[key].get(target, (0, 10**6))
                lexicon[key][target] = (count + 1, min(first, order + 100 * count))
    return {
        key: (shown[key], [t for t, _ in sorted(targets.items(), key=lambda kv: (-kv[1][0], kv[1][1]))][
            :MAX_TRANSLATIONS])
        for key, targets in sorted(lexicon.items())
    }


def inverted(lexicon: dict[str, tuple[str, list[str]]]) -> dict[str, list[str]]:
    """Russian term -> the English terms that translate into it, those that list it earliest first."""
    ranked: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for key, (_shown, targets) in lexicon.items():
        for rank, target in enumerate(targets):
            ranked[target].append((rank, key))
    return {target: [key for _, key in sorted(pairs)] for target, pairs in sorted(ranked.items())}


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else SOURCE
    output = Path(argv[1]) if len(argv) > 1 else OUTPUT
    lexicon = build(source)
    output.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(output, "wb", mtime=0) as raw:
        raw.write("".join(f"en\t{en}\t{word}\t{'|'.join(ru)}\n" for en, (word, ru) in lexicon.items()).encode())
        raw.write("".join(f"ru\t{ru}\t\t{'|'.join(en)}\n" for ru, en in inverted(lexicon).items()).encode())
    pairs = sum(len(ru) for _, ru in lexicon.values())
    print(f"{len(lexicon):,} English terms, {pairs:,} translations -> {output} ({output.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
