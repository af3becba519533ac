"""The shipped bilingual lexicon: both directions, phrases, and that it is what the build script makes."""

import gzip
import importlib.util
from pathlib import Path

import pytest

from search.analysis.lexicon import LEXICON_FILE, lexicon

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO.parent / "shared" / "data" / "lexicon-wiktionary-en-ru" / "en-ru-enwiktionary.dsl.dz"


def shown(translations):
    return [t.shown for t in translations]


def test_english_to_russian_by_stem():
    # Any form of the English word meets the entry: the keys are Snowball stems.
    assert "гарантия" in shown(lexicon().translate(("guarante",), "latn"))
    assert shown(lexicon().translate(("nato",), "latn")) == ["нато"]
    assert "отношение" in shown(lexicon().translate(("relat",), "latn"))


def test_russian_to_english_by_lemma_inverted():
    assert "negotiate" in shown(lexicon().translate(("переговоры",), "cyrl"))
    assert "Belarus" in shown(lexicon().translate(("белоруссия",), "cyrl"))
    # A word's several lemmas pool their translations, without duplicates.
    both = lexicon().translate(("сталь", "стать"), "cyrl")
    assert "steel" in shown(both) and len(shown(both)) == len(set(t.terms for t in both))


def test_phrases_are_kept_as_phrases():
    negotiate = lexicon().translate(("negoti",), "latn")
    assert ("вести", "переговоры") in [t.terms for t in negotiate]
    assert shown(lexicon().translate(("ценный бумага",), "cyrl"))[0] == "secure"  # securities


def test_unknown_words_and_other_scripts_translate_to_nothing():
    assert lexicon().translate(("zzzqqq",), "latn") == []
    assert lexicon().translate(("2021",), "other") == []


def test_the_notice_travels_with_the_file():
    notice = (LEXICON_FILE.parent / "LEXICON-NOTICE.md").read_text(encoding="utf-8")
    assert "CC BY-SA" in notice and "Wiktionary" in notice


@pytest.mark.skipif(not SOURCE.exists(), reason=f"the Wiktionary source is not at {SOURCE}")
def test_shipped_file_is_what_the_script_builds(tmp_path):
    spec = importlib.util.spec_from_file_location("build_lexicon", REPO / "scripts" / "build_lexicon.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    output = tmp_path / "lexicon.tsv.gz"
    assert script.main([str(SOURCE), str(output)]) == 0
    assert gzip.decompress(output.read_bytes()) == gzip.decompress(LEXICON_FILE.read_bytes())
