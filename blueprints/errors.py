"""Error pages: readable HTML for people, JSON for the API, never a traceback."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from extensions import db

log = logging.getLogger(__name__)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _render(error: HTTPException):
    """Render an HTTP error as JSON or as the error page."""
    if _wants_json():
        return jsonify(detail=error.description, error=error.description), error.code
    return render_template("error.html", error=error), error.code


def _unexpected(error: Exception):
    """Log an unexpected exception and answer 500 (or 503 when the database is unreachable)."""
    db.session.rollback()
    if isinstance(error, OperationalError):
        log.warning("database unavailable: %s", error.orig)
        return _render(ServiceUnavailable("The database is not available right now; try again in a moment."))
    log.exception("unhandled error on %s %s", request.method, request.path)
    return _render(InternalServerError("Something went wrong on our side; it has been logged."))


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(HTTPException, _render)
    app.register_error_handler(Exception, _unexpected)
