"""Search engines under test, one module each, all with the same small interface (see base.Engine)."""

from .base import Engine, plain_words
from .bm25s_engine import Bm25sEngine
from .fts5 import Fts5Engine
from .ours import OurEngine, OurMonolingualEngine
from .postgres import PostgresEngine
from .tantivy_engine import TantivyEngine
from .whoosh_stock import StockWhooshEngine

ENGINES: list[type[Engine]] = [OurEngine, OurMonolingualEngine, StockWhooshEngine, TantivyEngine, Fts5Engine,
                               PostgresEngine, Bm25sEngine]

__all__ = ["ENGINES", "Engine", "plain_words"]
