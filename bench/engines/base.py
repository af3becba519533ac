"""The interface every engine in the bench implements."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

_WORD = re.compile(r"\w+")


def plain_words(text: str) -> list[str]:
    """Query words without any engine's syntax: every engine gets the same words and builds its own query."""
    return _WORD.findall(text)


class Engine:
    """Build an index of documents in one language, then answer queries with ranked document ids."""

    name = "engine"
    has_snippets = False
    ours = False  # our own engine (or a variant of it): compared with the peers, never counted as one
    speed = True  # takes part in the speed runs

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.workdir = Path(tempfile.mkdtemp(prefix=f"bench-{self.name}-"))

    @classmethod
    def unavailable(cls) -> str | None:
        """Why this engine cannot run on this machine, or None."""
        return None

    def build(self, docs: list[dict]) -> None:
        raise NotImplementedError

    def search(self, query: str, k: int) -> list[str]:
        raise NotImplementedError

    def search_typed(self, query: str, k: int) -> tuple[list[str], str]:
        """The ranking of a query as a person typed it into the engine's search box, and the query the engine
        says it searched instead ('' when it searched what was typed: the peers never say)."""
        return self.search(query, k), ""

    def search_page(self, query: str, k: int = 10) -> list[tuple[str, str]]:
        """What a results page needs: (id, snippet) of the top k; the snippet is '' where the engine has none."""
        return [(doc_id, "") for doc_id in self.search(query, k)]

    def first_screen(self, query: str, k: int = 10) -> list[tuple[str, str]]:
        """The documents a reader's first screen shows, in order, each with its snippet: `search_page`, and for
        an engine that shows a story once, each story's copies listed under it ("and 2 similar"); the first k."""
        return self.search_page(query, k)

    def size_bytes(self) -> int:
        return sum(f.stat().st_size for f in self.workdir.rglob("*") if f.is_file())

    def close(self) -> None:
        import shutil

        shutil.rmtree(self.workdir, ignore_errors=True)
