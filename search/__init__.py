"""Bilingual Russian + English full-text search: pymorphy3 lemmas, Snowball stems, a Whoosh index.

>>> from search import Index, load_documents
>>> index = Index.build(tmp_path / "index", load_documents("seeds"))   # doctest: +SKIP
>>> index.search("переговоры о гарантиях безопасности").hits[0].title  # doctest: +SKIP
"""

from .analysis import AnalyzedWord, analyze, analyze_words
from .correction import Correction
from .documents import Document, load_documents, make_document
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
from .garbage import ServingCollector
from .index import LONG_QUERY_WORDS, Index, WriteStats, is_long_query
from .names import name_keys, same_name
from .query import MAX_QUERY_CHARS
from .results import DocumentView, Hit, SearchResult
from .suggesting import Suggestions


def warm_up() -> None:
    """Load the morphology dictionaries and the bilingual lexicon now (a server does it before its first
    request), instead of on first use."""
    from .lexicon import lexicon
    from .morphology import morph_analyzer

    morph_analyzer()
    lexicon()


__all__ = [
    "LONG_QUERY_WORDS",
    "MAX_QUERY_CHARS",
    "AnalyzedWord",
    "BuildError",
    "Correction",
    "Document",
    "DocumentError",
    "DocumentView",
    "Hit",
    "Index",
    "IndexDamagedError",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexVersionError",
    "QueryError",
    "SearchError",
    "SearchResult",
    "ServingCollector",
    "Suggestions",
    "WriteStats",
    "analyze",
    "analyze_words",
    "is_long_query",
    "load_documents",
    "make_document",
    "name_keys",
    "same_name",
    "warm_up",
]
__version__ = "0.1.0"
