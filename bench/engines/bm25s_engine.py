"""bm25s with PyStemmer (Snowball) and its stop words for the collection's language."""

from __future__ import annotations

from .base import Engine, plain_words


class Bm25sEngine(Engine):
    name = "bm25s"

    @classmethod
    def unavailable(cls) -> str | None:
        try:
            import bm25s  # noqa: F401
            import Stemmer  # noqa: F401
        except ImportError:
            return "pip install bm25s PyStemmer"
        return None

    def build(self, docs: list[dict]) -> None:
        import bm25s
        import Stemmer

        self.stemmer = Stemmer.Stemmer("russian" if self.lang == "ru" else "english")
        self.stopwords = "ru" if self.lang == "ru" else "en"
        self.ids = [d["id"] for d in docs]
        corpus = [f"{d['title']}\n{d['text']}" for d in docs]
        tokens = bm25s.tokenize(corpus, stopwords=self.stopwords, stemmer=self.stemmer, show_progress=False)
        self.retriever = bm25s.BM25()
        self.retriever.index(tokens, show_progress=False)

    def size_bytes(self) -> int:
        return -1  # the index lives in memory only

    def search(self, query: str, k: int) -> list[str]:
        import bm25s

        text = " ".join(plain_words(query))
        tokens = bm25s.tokenize([text], stopwords=self.stopwords, stemmer=self.stemmer, show_progress=False)
        if not tokens.ids or not tokens.ids[0]:
            return []
        k = min(k, len(self.ids))
        results, scores = self.retriever.retrieve(tokens, k=k, show_progress=False, n_threads=1)
        return [self.ids[i] for i, s in zip(results[0], scores[0], strict=True) if s > 0]
