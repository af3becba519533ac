"""The one result shape, rendered three ways: CLI text, JSON and HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..query.correction import Correction


@dataclass(frozen=True)
class Hit:
    """One matching document: plain `title`, and `title_html` and `snippet` HTML-escaped with <mark> on matches."""

    id: str
    title: str
    lang: str
    score: float
    snippet: str
    title_html: str
    date: str = ""  # ISO 8601: 2018-05-29, or 1987-02-26T15:02:20 with the time (a Z when it is UTC)
    url: str = ""
    path: str = ""
    source: str = ""  # where it was published, as the document names it ("rt", "reuters"), or its url's site
    site: str = ""  # what a source line shows: the url's site (russian.rt.com), else the source
    topics: list[str] = field(default_factory=list)  # its keywords or topics, as the document gives them
    # Query words found only in the other language: {"from": "NATO", "to": "НАТО", "via": "translation" | "name"}
    crossed: list[dict[str, str]] = field(default_factory=list)
    # The other documents of the same story (a repeat, a re-filed copy: see `search.store.stories`), shown once here:
    # how many, and the first few as {"id", "title", "lang", "date", "url", "source"}, best ranked first.
    similar_count: int = 0
    similar: list[dict[str, str]] = field(default_factory=list)

    @property
    def crossed_text(self) -> str:
        """The cross-language matches as one line: 'NATO → НАТО, security → безопасность'."""
        return ", ".join(f"{c['from']} → {c['to']}" for c in self.crossed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "title_html": self.title_html,
            "snippet": self.snippet,
            "lang": self.lang,
            "score": round(self.score, 4),
            "date": self.date,
            "url": self.url,
            "path": self.path,
            "source": self.source,
            "site": self.site,
            "topics": self.topics,
            "translated": self.crossed,
            "similar_count": self.similar_count,
            "similar": self.similar,
        }


@dataclass(frozen=True)
class DocumentView:
    """A document as HTML for reading: its title and the paragraphs of one part of its text escaped, every form
    the query matches in <mark>."""

    document: Any
    title_html: str
    paragraphs: list[str]  # of the part shown
    part: int = 1  # a long text is read in parts (see search.analysis.passages.PART_CHARS): which one, of how many
    parts: int = 1


@dataclass(frozen=True)
class SearchResult:
    """A page of ranked hits with the counts a results page needs."""

    query: str
    page: int
    per_page: int
    total: int
    took_ms: float
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # The query as searched, after `corrections` (typos, the other layout, Latin letters) made it from `query`;
    # `suggestion` is a query the person may have meant ("did you mean"), searched only when asked.
    searched: str = ""
    corrections: list[Correction] = field(default_factory=list)
    suggestion: str = ""
    # The shards of a sharded index left out of this answer ({"shard", "reason"}): the hits, total and facets
    # are then those of the other shards only. Empty for a whole answer.
    missing: list[dict[str, str]] = field(default_factory=list)
    # The result's documents by day, month or year, each story once: {"unit", "buckets": [{"period", "since",
    # "until", "count"}], "undated"} (`search.query.filters.timeline_of`): the buckets and undated add up to `total`.
    timeline: dict[str, Any] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return (self.total + self.per_page - 1) // self.per_page

    def to_dict(self) -> dict[str, Any]:
        """The JSON API's success envelope, keys in their documented order."""
        return {
            "ok": True,
            "query": self.query,
            "searched": self.searched or self.query,
            "corrected": [c.to_dict() for c in self.corrections],
            "suggestion": self.suggestion,
            "page": self.page,
            "per_page": self.per_page,
            "total": self.total,
            "pages": self.pages,
            "took_ms": round(self.took_ms, 2),
            "hits": [hit.to_dict() for hit in self.hits],
            "facets": self.facets,
            "timeline": self.timeline,
            "missing": self.missing,
        }
