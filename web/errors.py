"""One error shape for the API, a readable page for people; never a traceback."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from search import IndexDamagedError, IndexNotFoundError, IndexVersionError, QueryError

from .i18n import labels, localized


class BadParameter(ValueError):
    """A request parameter that is missing or out of range (HTTP 400)."""


def error_response(message: str, status: int):
    """{"ok": false, "error": ..., "status": N} for the API; an error page otherwise."""
    if request.path.startswith("/api/") or request.path == "/api":
        response = jsonify({"ok": False, "error": message, "status": status})
        response.status_code = status
        return response
    t = labels()
    return render_template("error.html", message=localized(message, t), status=status, t=t), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(QueryError)
    @app.errorhandler(BadParameter)
    def bad_request(error):
        return error_response(str(error), 400)

    @app.errorhandler(IndexNotFoundError)
    @app.errorhandler(IndexVersionError)
    @app.errorhandler(IndexDamagedError)
    def no_index(error):
        return error_response(str(error), 503)

    @app.errorhandler(HTTPException)
    def http_error(error):
        return error_response(error.description or error.name, error.code or 500)

    @app.errorhandler(Exception)
    def unexpected(error):
        app.logger.exception("unexpected error on %s", request.path)
        return error_response("Internal error: the server could not complete the request.", 500)
