"""Our engine: the library as an app would embed it."""

from __future__ import annotations

from search import Index, QueryError, make_document

from .base import Engine, plain_words

OPERATORS = {"OR", "AND", "NOT"}


class OurEngine(Engine):
    name = "ours"
    has_snippets = True
    ours = True
    cross_language = True

    def __init__(self, lang: str, procs: int = 2) -> None:
        super().__init__(lang)
        self.procs = procs
        self.index: Index | None = None

    def build(self, docs: list[dict]) -> None:
        documents = (make_document(d["id"], d["title"], d["text"]) for d in docs)
        self.index = Index.build(self.workdir / "index", documents, procs=self.procs)

    @staticmethod
    def _query(query: str) -> str:
        # Plain words: uppercase OR/AND/NOT in a headline ("GOLD OR SILVER") are words here, not operators.
        return " ".join(w.lower() if w in OPERATORS else w for w in plain_words(query))

    def search(self, query: str, k: int) -> list[str]:
        # Every copy of a story, as the peers list them: the judged document is not hidden behind its twin.
        try:
            result = self.index.search(self._query(query), per_page=k, highlight=False,
                                       cross_language=self.cross_language, collapse=False)
        except QueryError:
            return []
        return [hit.id for hit in result.hits]

    def search_typed(self, query: str, k: int) -> tuple[list[str], str]:
        # The text as typed: a query typed in the other layout holds the keys of х ж э б ю as [ ; ' , .
        try:
            result = self.index.search(query, per_page=k, highlight=False, cross_language=self.cross_language,
                                       collapse=False)
        except QueryError:
            return [], ""
        said = result.suggestion or (result.searched if result.corrections else "")
        return [hit.id for hit in result.hits], said

    def search_page(self, query: str, k: int = 10) -> list[tuple[str, str]]:
        try:
            result = self.index.search(self._query(query), per_page=k, cross_language=self.cross_language)
        except QueryError:
            return []
        return [(hit.id, hit.snippet) for hit in result.hits]

    def first_screen(self, query: str, k: int = 10) -> list[tuple[str, str]]:
        # A story shows once, its copies listed under it: they take the places they would take in a peer's list.
        try:
            result = self.index.search(self._query(query), per_page=k, cross_language=self.cross_language)
        except QueryError:
            return []
        shown = [(hit.id, hit.snippet) for hit in result.hits]
        return [row for hit, first in zip(result.hits, shown, strict=True)
                for row in [first, *((copy["id"], "") for copy in hit.similar)]][:k]

    def close(self) -> None:
        if self.index is not None:
            self.index.close()
        super().close()


class OurMonolingualEngine(OurEngine):
    """Ours with cross-language search off: the before/after of translation on every collection. Its speed is
    measured inside the "ours" speed run (the same index, both ways), so it has no speed run of its own."""

    name = "ours-mono"
    cross_language = False
    speed = False
