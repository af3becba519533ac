"""Links to a document: by path (`/doc/<id>`) when the id survives in one, else by query (`/doc?id=<id>`).

An id is looked up in the index, never used as a file path, but it is also a piece of a URL: an empty segment
(`a//b`) is merged by servers and proxies, `.` and `..` segments are resolved away by browsers, a leading `/`
is not a path parameter, and `x/related` is the related documents of `x` in the API. Such ids travel in the
query string, which keeps any text.
"""

from __future__ import annotations

from flask import url_for

_LOST_SEGMENTS = frozenset({"", ".", ".."})


def fits_a_path(doc_id: str) -> bool:
    """Whether a document id comes back whole from `/doc/<id>` and `/api/documents/<id>`.

    >>> [fits_a_path(i) for i in ("seeds/000.txt", "a//b", "/abs", "a/../b", "x/related", "dir/")]
    [True, False, False, False, False, False]
    """
    segments = doc_id.split("/")
    return not _LOST_SEGMENTS.intersection(segments) and (len(segments) == 1 or segments[-1] != "related")


def document_url(doc_id: str, **args) -> str:
    """The page of a document, with `args` in its query string."""
    if fits_a_path(doc_id):
        return url_for("pages.document", doc_id=doc_id, **args)
    return url_for("pages.document_by_id", id=doc_id, **args)
