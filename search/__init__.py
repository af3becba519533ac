"""Bilingual Russian + English full-text search: pymorphy3 lemmas, Snowball stems, a Whoosh index.

>>> from search import Index, load_documents
>>> index = Index.build(tmp_path / "index", load_documents("seeds"))   # doctest: +SKIP
>>> index.search("переговоры о гарантиях безопасности").hits[0].title  # doctest: +SKIP
"""

from .analysis.analyzer import AnalyzedWord, analyze, analyze_words
from .analysis.names import name_keys, same_name
from .cluster import LocalShards, RayShards, shard_of
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
from .index import LONG_QUERY_WORDS, Index, WriteStats, is_long_query
from .language import DOCUMENT_LANGS
from .load.documents import Document, load_documents, make_document
from .present.results import DocumentView, Hit, SearchResult
from .query.correction import Correction
from .query.parsing import MAX_QUERY_CHARS
from .sharded import ShardedIndex, open_index
from .store.garbage import ServingCollector
from .suggesting import Suggestions


def warm_up() -> None:
    """Load the morphology dictionaries and the bilingual lexicon now (a server does it before its first
    request), instead of on first use."""
    from .analysis.lexicon import lexicon
    from .analysis.morphology import morph_analyzer

    morph_analyzer()
    lexicon()


__all__ = [
    "DOCUMENT_LANGS",
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
    "LocalShards",
    "RayShards",
    "SearchResult",
    "ServingCollector",
    "ShardedIndex",
    "Suggestions",
    "WriteStats",
    "analyze",
    "analyze_words",
    "is_long_query",
    "load_documents",
    "make_document",
    "name_keys",
    "open_index",
    "same_name",
    "shard_of",
    "warm_up",
]
__version__ = "0.1.0"
