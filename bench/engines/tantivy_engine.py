"""Tantivy (tantivy-py) with its Snowball stemmer for the collection's language."""

from __future__ import annotations

from .base import Engine, plain_words


class TantivyEngine(Engine):
    name = "tantivy"
    has_snippets = True

    @classmethod
    def unavailable(cls) -> str | None:
        try:
            import tantivy  # noqa: F401
        except ImportError:
            return "pip install tantivy"
        return None

    def build(self, docs: list[dict]) -> None:
        import tantivy

        language = "russian" if self.lang == "ru" else "english"
        analyzer = (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
                    .filter(tantivy.Filter.remove_long(40))
                    .filter(tantivy.Filter.lowercase())
                    .filter(tantivy.Filter.stemmer(language))
                    .build())
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", stored=True, tokenizer_name="stem")
        builder.add_text_field("text", stored=True, tokenizer_name="stem")
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema, path=str(self.workdir))
        self.index.register_tokenizer("stem", analyzer)
        writer = self.index.writer(heap_size=256_000_000, num_threads=2)
        for d in docs:
            writer.add_document(tantivy.Document(id=d["id"], title=d["title"], text=d["text"]))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def _query(self, query: str):
        # Lower case: upper-case words such as IN, OR, AND are operators to tantivy's parser.
        words = [w.lower() for w in plain_words(query)]
        return self.index.parse_query(" ".join(words), ["title", "text"])

    def search(self, query: str, k: int) -> list[str]:
        if not plain_words(query):
            return []
        hits = self.searcher.search(self._query(query), k).hits
        return [self.searcher.doc(address)["id"][0] for _score, address in hits]

    def search_page(self, query: str, k: int = 10) -> list[tuple[str, str]]:
        import tantivy

        if not plain_words(query):
            return []
        parsed = self._query(query)
        generator = tantivy.SnippetGenerator.create(self.searcher, parsed, self.schema, "text")
        page = []
        for _score, address in self.searcher.search(parsed, k).hits:
            doc = self.searcher.doc(address)
            page.append((doc["id"][0], generator.snippet_from_doc(doc).to_html()))
        return page
