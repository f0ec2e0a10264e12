"""Error pages: readable HTML for people, JSON for the API, never a traceback."""
from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, make_response, render_template, request
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from werkzeug.exceptions import Conflict, HTTPException, InternalServerError, ServiceUnavailable

from extensions import db, htmx

log = logging.getLogger(__name__)

UNAVAILABLE = "The database is not available right now; nothing was saved. Try again in a moment."
CONFLICT = "Someone else changed this at the same moment; nothing was saved. Reload and try again."
RETRY_AFTER_SECONDS = 5

# The full error page needs the signed-in user, which needs the database; this one needs nothing.
_STANDALONE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ error.code }} {{ error.name }} · Shelfscan</title>
<link rel="stylesheet" href="{{ url_for('static', filename='css/app.css') }}"></head>
<body><main id="main"><h1>{{ error.code }} · {{ error.name }}</h1>
<p class="error-message" role="alert">{{ error.description }}</p>
<p><a href="{{ request.full_path }}">Try again</a></p></main></body></html>"""
_FRAGMENT = '<p class="error-message" role="alert">{{ error.description }}</p>'


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _render(error: HTTPException):
    """Render an HTTP error as JSON or as the error page."""
    if _wants_json():
        return jsonify(detail=error.description, error=error.description), error.code
    try:
        return render_template("error.html", error=error), error.code
    except (OperationalError, InterfaceError):
        # The page's navbar needs the user and the user needs the database, which just went away.
        _rollback()
        return _render_without_database(error)


def _render_without_database(error: HTTPException):
    """Render an error as JSON, an htmx fragment or a bare page, without touching the database."""
    if _wants_json():
        response = make_response(jsonify(detail=error.description, error=error.description), error.code)
    else:
        # The app's Jinja environment directly: Flask's render_* would run the context processors,
        # and Flask-Login's loads the user from the database.
        template = current_app.jinja_env.from_string(_FRAGMENT if htmx else _STANDALONE)
        response = make_response(template.render(error=error, request=request), error.code)
    if error.code == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _database_unreachable(error: Exception) -> bool:
    """Whether an exception means the database cannot be used now (down, locked, connection lost)."""
    if isinstance(error, (OperationalError, InterfaceError)):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def _rollback() -> None:
    """Roll back the request's transaction; a dead connection must not turn a 503 into a 500."""
    try:
        db.session.rollback()
    except Exception:  # the connection may be gone; the pool replaces it on next use
        log.debug("rollback failed after a database error", exc_info=True)


def _unexpected(error: Exception):
    """Log an unexpected exception and answer 500, 503 (database unreachable) or 409 (lost a race)."""
    _rollback()
    if _database_unreachable(error):
        log.warning("database unavailable on %s %s: %s", request.method, request.path, getattr(error, "orig", error))
        return _render_without_database(ServiceUnavailable(UNAVAILABLE))
    if isinstance(error, IntegrityError):
        # A uniqueness race that a service did not catch itself: the other request won.
        log.warning("integrity conflict on %s %s: %s", request.method, request.path, error.orig)
        return _render(Conflict(CONFLICT))
    log.exception("unhandled error on %s %s", request.method, request.path)
    return _render(InternalServerError("Something went wrong on our side; it has been logged."))


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(HTTPException, _render)
    app.register_error_handler(Exception, _unexpected)
