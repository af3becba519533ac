"""Errors raised by the search library.

    SearchError
     +-- QueryError(SearchError, ValueError)          a query that cannot be searched
     +-- IndexNotFoundError(SearchError, FileNotFoundError)   no index at the path
     +-- IndexVersionError(SearchError, RuntimeError)  an index written by an incompatible version
     +-- IndexDamagedError(SearchError, RuntimeError)  index files that fail their checksums or cannot be read
     +-- IndexLockedError(SearchError, RuntimeError)  another process is writing the index (when not waiting)
     +-- BuildError(SearchError, RuntimeError)        a build or update that failed; the previous index is kept
     +-- DocumentError(SearchError, ValueError)       a file or record that cannot be read as a document

Every message says what went wrong and, where there is one, what to do about it.
"""


class SearchError(Exception):
    """Base class of every error the library raises on purpose."""


class QueryError(SearchError, ValueError):
    """The query text cannot be turned into a search."""


class IndexNotFoundError(SearchError, FileNotFoundError):
    """There is no index at the given path."""


class IndexVersionError(SearchError, RuntimeError):
    """The index on disk was written in a format this version cannot read."""


class IndexDamagedError(SearchError, RuntimeError):
    """The index's files are damaged: a checksum does not match, a file is missing or cannot be decoded."""


class IndexLockedError(SearchError, RuntimeError):
    """Another process holds the index's write lock, and the caller asked not to wait."""


class BuildError(SearchError, RuntimeError):
    """A build or an update could not finish; nothing was changed."""


class DocumentError(SearchError, ValueError):
    """A file or a record cannot be read as a document (binary, empty, too large, undecodable)."""
