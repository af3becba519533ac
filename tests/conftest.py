"""Shared fixtures: the repository's seed documents and one real index of them, built once per session."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

# A local Ray (tests/test_cluster.py, tests/test_sharded.py) on loopback only: Ray reads this when imported.
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")

import pytest

from search import Index, load_documents, make_document

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_docs():
    return {doc.id: doc for doc in load_documents(SEEDS)}


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Index:
    """A real Whoosh index of the five seeds; tests must not change it."""
    index = Index.build(tmp_path_factory.mktemp("seed-index"), load_documents(SEEDS))
    yield index
    index.close()


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A private copy of the seeds folder, for tests that add, change or remove files."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="session")
def app(seed_index):
    """The real Flask app over the session's seed index, with 2 results a page so that paging shows."""
    from web import create_app

    return create_app({"SEARCH_INDEX": str(seed_index.root), "SEARCH_PER_PAGE": 2, "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


def sentence_documents(seed_docs) -> list:
    """The seed documents' sentences, alone and with the next ones, as documents: many documents of both languages
    that share words, names and translations, of different lengths."""
    docs = []
    for doc in seed_docs.values():
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", doc.text) if len(s.split()) > 3]
        for i in range(len(sentences)):  # each sentence, and each with the next one or two
            for length in (1, 2 + i % 2):
                # Dated but a quarter, some on one day: the date sort has ties and undated documents to order.
                date = f"2021-{1 + i % 12:02d}-{1 + (i * length) % 5:02d}" if i % 4 else ""
                docs.append(make_document(f"{doc.id}:{i}:{length}", sentences[0][:80] if i % 3 else doc.title,
                                          " ".join(sentences[i:i + length]), lang=doc.lang, date=date))
    return docs


def shard_of(doc_id: str, shards: int) -> int:
    return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=4).digest(), "little") % shards


@pytest.fixture(scope="session")
def sharded_sentences(seed_docs, tmp_path_factory):
    """`sentence_documents` as one index (whole/) and as 2 and 3 shards by a hash of the id (2-0/, 2-1/, 3-0/...):
    (the folder, how many documents)."""
    docs = sentence_documents(seed_docs)
    root = tmp_path_factory.mktemp("shards")
    Index.build(root / "whole", docs).close()
    for count in (2, 3):
        for shard in range(count):
            Index.build(root / f"{count}-{shard}", [d for d in docs if shard_of(d.id, count) == shard]).close()
    return root, len(docs)


@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB tmpfs: a real full disk (ENOSPC). Mounting needs root, as in CI; elsewhere the test is skipped."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("mounting a small tmpfs needs root")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)
