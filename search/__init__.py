"""Bilingual Russian + English full-text search: pymorphy3 lemmas, Snowball stems, a Whoosh index.

>>> from search import Index, load_documents
>>> index = Index.build(tmp_path / "index", load_documents("seeds"))   # doctest: +SKIP
>>> index.search("переговоры о гарантиях безопасности").hits[0].title  # doctest: +SKIP
"""

from .analysis import analyze
from .documents import Document, load_documents
from .errors import (
    BuildError,
    DocumentError,
    IndexDamagedError,
    IndexLockedError,
    IndexNotFoundError,
    IndexVersionError,
    QueryError,
    SearchError,
)
from .index import Index, WriteStats
from .results import Hit, SearchResult

__all__ = [
    "BuildError",
    "Document",
    "DocumentError",
    "Hit",
    "Index",
    "IndexDamagedError",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexVersionError",
    "QueryError",
    "SearchError",
    "SearchResult",
    "WriteStats",
    "analyze",
    "load_documents",
]
__version__ = "0.1.0"
