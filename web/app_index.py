"""The index a Flask app serves: opened on first use, kept in the app's extensions."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from search import Index


def get_index(app: Flask | None = None) -> Index:
    """The app's index, opened on first use; a rebuilt index is picked up by `Index` itself."""
    app = app or current_app
    index = app.extensions.get("search_index")
    if index is None:
        index = Index.open(Path(app.config["SEARCH_INDEX"]))
        app.extensions["search_index"] = index
    return index
