"""The index a Flask app serves: opened on first use, kept in the app's extensions."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from search import Index, ShardedIndex, open_index


def get_index(app: Flask | None = None) -> Index | ShardedIndex:
    """The app's index (one, or in shards: SEARCH_RAY says who serves the shards), opened on first use; a
    rebuilt index is picked up by the index itself."""
    app = app or current_app
    index = app.extensions.get("search_index")
    if index is None:
        ray = app.config.get("SEARCH_RAY") or ""
        index = open_index(Path(app.config["SEARCH_INDEX"]), ray=bool(ray),
                           address=ray if ray not in ("", "local") else None)
        app.extensions["search_index"] = index
    return index
