"""Stock Whoosh as a competent user sets it up: LanguageAnalyzer('ru') or StemmingAnalyzer(), OR-grouped."""

from __future__ import annotations

from whoosh import index as whoosh_index
from whoosh.analysis import LanguageAnalyzer, StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.qparser import MultifieldParser, OrGroup

from .base import Engine, plain_words


class StockWhooshEngine(Engine):
    name = "whoosh"
    has_snippets = True

    def build(self, docs: list[dict]) -> None:
        analyzer = LanguageAnalyzer("ru") if self.lang == "ru" else StemmingAnalyzer()
        schema = Schema(id=ID(stored=True, unique=True), title=TEXT(analyzer=analyzer, stored=True),
                        text=TEXT(analyzer=analyzer, stored=True))
        ix = whoosh_index.create_in(str(self.workdir), schema)
        writer = ix.writer(limitmb=256)
        for d in docs:
            writer.add_document(id=d["id"], title=d["title"], text=d["text"])
        writer.commit()
        self.ix = ix
        self.searcher = ix.searcher()
        self.parser = MultifieldParser(["title", "text"], schema, group=OrGroup)

    def _parse(self, query: str):
        return self.parser.parse(" ".join(f"'{w}'" for w in plain_words(query)))

    def search(self, query: str, k: int) -> list[str]:
        return [hit["id"] for hit in self.searcher.search(self._parse(query), limit=k)]

    def search_page(self, query: str, k: int = 10) -> list[tuple[str, str]]:
        results = self.searcher.search(self._parse(query), limit=k)
        results.fragmenter = ContextFragmenter()
        results.formatter = HtmlFormatter(tagname="mark")
        return [(hit["id"], hit.highlights("text")) for hit in results]

    def close(self) -> None:
        self.searcher.close()
        self.ix.close()
        super().close()
