"""SQLite FTS5 with the porter unicode61 tokenizer (Porter stems English only; Russian is only case-folded)."""

from __future__ import annotations

import sqlite3

from .base import Engine, plain_words


class Fts5Engine(Engine):
    name = "fts5"
    has_snippets = True

    def build(self, docs: list[dict]) -> None:
        self.db = sqlite3.connect(str(self.workdir / "fts.db"))
        self.db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, text, "
                        "tokenize='porter unicode61')")
        self.db.executemany("INSERT INTO docs(id, title, text) VALUES (?, ?, ?)",
                            ((d["id"], d["title"], d["text"]) for d in docs))
        self.db.commit()

    def _match(self, query: str) -> str:
        return " OR ".join('"' + w.replace('"', "") + '"' for w in plain_words(query))

    def search(self, query: str, k: int) -> list[str]:
        match = self._match(query)
        if not match:
            return []
        rows = self.db.execute("SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (match, k))
        return [row[0] for row in rows]

    def search_page(self, query: str, k: int = 10) -> list[tuple[str, str]]:
        match = self._match(query)
        if not match:
            return []
        rows = self.db.execute("SELECT id, snippet(docs, 2, '<mark>', '</mark>', '…', 32) FROM docs "
                               "WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (match, k))
        return [(row[0], row[1]) for row in rows]

    def close(self) -> None:
        self.db.close()
        super().close()
