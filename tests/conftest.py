"""Shared fixtures: the repository's seed documents and one real index of them, built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from search import Index, load_documents

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
