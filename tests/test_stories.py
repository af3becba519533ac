"""One story once: near-duplicate documents grouped at indexing, collapsed in results, listed as similar."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search import Document, Index

OPEC = ("OPEC WANTS 18 DLR OIL PRICE - OAPEC OFFICIAL",
        "OPEC believes world oil prices should be set around a fixed average price of 18 dlrs a barrel, OAPEC "
        "Assistant General Secretary Abdelaziz Al-Wattari said today. In a speech to a European Community "
        "seminar in Luxembourg released here, Al-Wattari said OPEC believes the world energy trade should be kept "
        "without restrictions and should be built around a fixed average price. He said an 18 dlr price was "
        "optimal as it allowed investment in the oil industry outside OPEC to continue.")
# The same event written up again under the same headline: the same lead, a different body.
OPEC_AGAIN = (OPEC[0], OPEC[1].split(" He said")[0].replace(" today", "")
              + " Al-Wattari noted that total OPEC output was below the organization's agreed ceiling for all "
                "member countries in February, although this had meant sacrifices, and that lasting stability "
                "requires a wider scope of international cooperation.")
FED = "The Federal Reserve entered the U.S. Government securities market to arrange {} billion dlrs of customer " \
      "repurchase agreements, a Fed spokesman said. Dealers said federal funds were trading at {} pct."
DISCLAIMER = "* «Исламское государство» (ИГ) — террористическая группировка, запрещённая в России."


def docs(*extra: Document) -> list[Document]:
    return [
        Document(id="opec", title=OPEC[0], text=OPEC[1], lang="en"),
        Document(id="opec-refiled", title=OPEC[0], text=OPEC[1].replace("Luxembourg", "Luxemburg"), lang="en"),
        Document(id="opec-again", title=OPEC_AGAIN[0], text=OPEC_AGAIN[1], lang="en"),
        Document(id="fed-1", title="FED ADDS RESERVES VIA CUSTOMER REPURCHASES", text=FED.format("1.5", "6-1/8"),
                 lang="en"),
        Document(id="fed-2", title="FED ADDS RESERVES VIA CUSTOMER REPURCHASES", text=FED.format("2.5", "6-1/4"),
                 lang="en"),
        Document(id="mosul", title="Беженцы из Мосула рассказали об операции коалиции", text=DISCLAIMER, lang="ru"),
        Document(id="deir", title="Жители Дейр эз-Зора рассказали об осаде города", text=DISCLAIMER, lang="ru"),
        Document(id="gold", title="GOLD PRICES FALL IN LONDON", text="Gold fell two dlrs an ounce in London on "
                 "profit taking, dealers said, while oil prices held near 18 dlrs a barrel.", lang="en"),
        *extra,
    ]


@pytest.fixture
def index(tmp_path):
    with Index.build(tmp_path / "index", docs()) as index:
        yield index


def test_copies_of_a_story_show_once_with_the_others_as_similar(index):
    result = index.search("OPEC oil price")
    first = result.hits[0]
    assert first.id.startswith("opec") and [h.id for h in result.hits][1:] == ["gold"]
    assert first.similar_count == 2
    assert {s["id"] for s in first.similar} == {"opec", "opec-refiled", "opec-again"} - {first.id}
    assert all(s["title"] == OPEC[0] and s["lang"] == "en" for s in first.similar)
    assert sum(h.id.startswith("opec") for h in result.hits) == 1
    assert result.total == 2  # stories, not copies: paging and counts agree with what is shown


def test_every_copy_when_asked(index):
    result = index.search("OPEC oil price", collapse=False)
    assert {h.id for h in result.hits} >= {"opec", "opec-refiled", "opec-again"}
    assert result.total == 4 and all(h.similar_count == 0 for h in result.hits)


def test_reports_from_one_template_with_other_figures_are_different_news(index):
    result = index.search("Federal Reserve customer repurchase")
    assert sorted(h.id for h in result.hits) == ["fed-1", "fed-2"]
    assert all(h.similar_count == 0 for h in result.hits)


def test_a_copy_with_a_tenth_of_its_words_changed_is_one_story():
    """Two texts of 120 words, 9 changed here and there (their fingerprints 0.69 and 0.7+ alike): one story. With
    datasketch's 8 bands of 8 values such a pair was no candidate about a third of the time (the long and short
    "OPEC WANTS 18 DLR OIL PRICE" stayed two hits)."""
    import random

    from search.store.stories import fingerprint, group

    words = ("oil opec price barrel output quota minister saudi kuwait market crude production meeting vienna gulf "
             "cut export")
    rng = random.Random(0)
    base = [rng.choice(words.split()) + rng.choice(words.split()) for _ in range(120)]
    other = list(base)
    for i in rng.sample(range(120), 9):
        other[i] = "changed" + "abcdefghij"[i % 10] + "xyzw"[i // 30]
    first = fingerprint("OPEC WANTS 18 DLR OIL PRICE", " ".join(base))
    second = fingerprint("OPEC WANTS 18 DLR OIL PRICE", " ".join(other))
    groups = group(np.array([first[0], second[0]]), np.array([first[1], second[1]]))
    assert groups[0] == groups[1] >= 0


def test_pages_with_only_the_same_disclaimer_are_different_stories(index):
    result = index.search("террористическая группировка")
    assert sorted(h.id for h in result.hits) == ["deir", "mosul"]


def test_update_and_delete_keep_the_stories(index):
    copy = Document(id="opec-late", title=OPEC[0], text=OPEC[1] + " Reuters", lang="en")
    index.update([copy])
    first = index.search("OPEC oil price").hits[0]
    assert first.similar_count == 3
    index.delete(["opec", "opec-refiled", "opec-again"])
    hit = index.search("OPEC oil price").hits[0]
    assert hit.id == "opec-late" and hit.similar_count == 0


def test_collapsing_keeps_paging_whole(index):
    seen = []
    for page in (1, 2, 3):
        result = index.search("OPEC OR gold OR Federal", page=page, per_page=1)
        seen += [h.id for h in result.hits]
    assert result.total == 4 and len(seen) == 3 and len(set(seen)) == 3
    assert sum(i.startswith("opec") for i in seen) <= 1


def test_cli_and_json_show_the_similar(tmp_path, index, capsys):
    from search.cli import main

    assert main(["search", "--index", str(index.root), "OPEC oil price"]) == 0
    out = capsys.readouterr().out
    assert "and 2 similar:" in out and OPEC[0] in out
    assert main(["search", "--index", str(index.root), "--all-copies", "--json", "OPEC oil price"]) == 0
    assert '"similar_count": 0' in capsys.readouterr().out


def test_api_and_page(index):
    from web import create_app

    client = create_app({"SEARCH_INDEX": str(index.root), "TESTING": True}).test_client()
    data = client.get("/api/search?q=OPEC+oil+price").get_json()
    assert data["total"] == 2 and data["hits"][0]["similar_count"] == 2
    assert sum(data["facets"]["lang"].values()) == 2  # facets count a story once, as the total does
    assert list(data["hits"][0]["similar"][0]) == ["id", "title", "lang", "date", "url", "source"]
    assert client.get("/api/search?q=OPEC+oil+price&collapse=0").get_json()["total"] == 4
    assert client.get("/api/search?q=OPEC&collapse=maybe").status_code == 400
    page = client.get("/?q=OPEC+oil+price", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<details class="similar">' in page and "and 2 similar" in page and "/doc/opec" in page


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=600, unique=True))
def test_the_signature_is_datasketchs_minhash(values):
    from datasketch import MinHash

    from search.store.stories import PERMUTATIONS, _min_hashes, _permutations

    expected = MinHash(num_perm=PERMUTATIONS, seed=1, hashfunc=int)
    assert expected.scheme == "affine32" and (expected.permutations == _permutations()).all()
    expected.update_batch(values)
    shingles = np.array(sorted(values), dtype=np.uint64)
    assert (_min_hashes(shingles) == expected.hashvalues.astype(np.uint32)).all()


def _datasketch_groups(signatures: np.ndarray, numbers: np.ndarray) -> set[frozenset[int]]:
    """The stories as datasketch's MinHashLSH finds them, pair by pair: what `group` must equal."""
    from datasketch import MinHash, MinHashLSH

    from search.store.stories import BANDS, PERMUTATIONS, SIMILARITY, _permutations

    permutations, scheme = _permutations(), "affine32"
    parent = list(range(len(signatures)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for kind in range(signatures.shape[1]):
        lsh = MinHashLSH(threshold=SIMILARITY, num_perm=PERMUTATIONS, params=(BANDS, PERMUTATIONS // BANDS))
        for i in range(len(signatures)):
            signature = MinHash(num_perm=PERMUTATIONS, hashvalues=signatures[i, kind].astype(np.uint64),
                                permutations=permutations, scheme=scheme)
            for other in lsh.query(signature):
                if np.mean(signatures[other, kind] == signatures[i, kind]) >= SIMILARITY \
                        and numbers[other, kind] == numbers[i, kind]:
                    parent[root(i)] = root(other)
            lsh.insert(i, signature)
    stories: dict[int, set[int]] = {}
    for i in range(len(signatures)):
        stories.setdefault(root(i), set()).add(i)
    return {frozenset(members) for members in stories.values() if len(members) > 1}


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 120), st.integers(2, 5), st.floats(0.0, 0.6), st.integers(0, 2**32 - 1))
def test_stories_are_the_groups_datasketchs_lsh_finds(count, alphabet, changed, seed):
    """Near-copies planted among random signatures (values from a small alphabet, so that bands collide often):
    the vectorised banding joins exactly the documents datasketch's LSH, queried one by one, joins."""
    from search.store.stories import PERMUTATIONS, group

    random = np.random.default_rng(seed)
    signatures = random.integers(0, alphabet, size=(count, 2, PERMUTATIONS)).astype(np.uint32)
    copies = random.integers(0, count, size=count // 2)
    for target, source in zip(random.permutation(count)[:len(copies)], copies, strict=True):
        signatures[target] = signatures[source]
        signatures[target][random.random(signatures[target].shape) < changed] += 1
    numbers = random.integers(0, 2, size=(count, 2)).astype(np.uint32)
    groups = group(signatures, numbers)
    found = {frozenset(np.flatnonzero(groups == g).tolist()) for g in set(groups.tolist()) - {-1}}
    assert found == _datasketch_groups(signatures, numbers)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text("абвгдеёжзийклмнопрстуфхцчшщъыьэюяabcxyzΣσς0123456789_-", min_size=1, max_size=14),
                min_size=0, max_size=900), st.text(" \n,.—«»", min_size=1, max_size=3))
def test_the_first_words_are_those_of_the_whole_stretch(words, separator):
    """Reading a shorter stretch of the text first finds the same first words as reading the whole stretch."""
    import re

    from search.analysis.morphology import fold_yo
    from search.store.stories import FINGERPRINT_WORDS, _first_words

    text = separator.join(words)
    expected = re.findall(r"\w+", fold_yo(text[: FINGERPRINT_WORDS * 20].lower()))[:FINGERPRINT_WORDS]
    assert _first_words(text) == expected
