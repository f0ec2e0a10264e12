"""Text from people, checked once per request before any view, form or password check runs.

A NUL is refused everywhere (PostgreSQL text cannot hold one, and no name or search needs it); other
control characters (C0, DEL, C1) everywhere except tab, line feed and carriage return, which text
areas need, and except in the fields a view marks with `scanned_fields`: scanners send GS, RS and EOT
as part of the data. The API checks its own query and JSON values (blueprints/api/payload.py); only
its HTTP Basic credentials are checked here, so a NUL never reaches the sign-in rate limit.

A malformed request body (a bad chunk size, a client gone mid-upload) is a 400 too: `BodyErrors`
turns whatever the server raises while the body is read into Werkzeug's BadRequest.
"""
from __future__ import annotations

import unicodedata
from typing import Callable

from flask import Flask, current_app, make_response, request
from markupsafe import Markup
from werkzeug.exceptions import BadRequest, HTTPException

from extensions import htmx

ALLOWED_CONTROLS = frozenset("\t\n\r")


def scanned_fields(*names: str) -> Callable:
    """Mark form or query fields of a view as scanned data, which may hold any control but NUL."""
    def decorate(view: Callable) -> Callable:
        view.scanned_fields = frozenset(names)  # type: ignore[attr-defined]
        return view

    return decorate


class TextRefused(BadRequest):
    """A field holding a character no text input may hold."""


def problem(text: str, scanned: bool = False) -> str | None:
    """Why `text` cannot be accepted, or None."""
    if "\x00" in text:
        return "contains a NUL character"
    if scanned:
        return None
    for ch in text:
        if ch not in ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc":
            return f"contains a control character (U+{ord(ch):04X})"
    return None


def _first_problem() -> str | None:
    """What is wrong with this request's text, or None."""
    credentials = request.authorization  # before it reaches the rate limit or a password hash
    if credentials is not None and credentials.type == "basic":
        for field, value in (("username", credentials.username), ("password", credentials.password)):
            if value and (reason := problem(value)):
                return f"The {field} {reason}."
    if request.blueprint == "api" or request.endpoint is None:
        return None
    scanned = getattr(current_app.view_functions.get(request.endpoint), "scanned_fields", frozenset())
    for source in (request.args, request.form):
        for name, value in source.items(multi=True):
            if reason := problem(name) or problem(value, scanned=name in scanned):
                return f"The field {name[:40]!r} {reason}; remove it and try again."
    return None


def check_request():
    """Refuse a request whose text holds a forbidden character: a 400, or for htmx the message
    above the page (status 422, so it is swapped in and the form keeps what was typed)."""
    reason = _first_problem()
    if reason is None:
        return None
    if htmx and request.blueprint != "api":
        response = make_response(Markup('<p class="flash error" role="alert">{}</p>').format(reason), 422)
        response.headers["HX-Retarget"] = "#main"
        response.headers["HX-Reswap"] = "afterbegin"
        return response
    raise TextRefused(reason)


class BodyErrors:
    """WSGI middleware: reading a malformed body raises BadRequest (a 400), whatever the server raised."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        """Wrap wsgi.input, then run the app."""
        if "wsgi.input" in environ:
            environ["wsgi.input"] = _CheckedStream(environ["wsgi.input"])
        return self.wsgi_app(environ, start_response)


class _CheckedStream:
    """A request body whose read errors are BadRequest."""

    def __init__(self, stream):
        self._stream = stream

    def _read(self, method: str, *args):
        try:
            return getattr(self._stream, method)(*args)
        except HTTPException:
            raise
        except Exception as error:  # gunicorn's InvalidChunkSize, the dev server's OSError, ...
            raise BadRequest(f"The request body could not be read ({type(error).__name__}).") from error

    def read(self, *args):
        """Read, as the server's stream does."""
        return self._read("read", *args)

    def readline(self, *args):
        """Read a line, as the server's stream does."""
        return self._read("readline", *args)

    def readlines(self, *args):
        """Read lines, as the server's stream does."""
        return self._read("readlines", *args)

    def __iter__(self):
        return iter(self.readline, b"")

    def __getattr__(self, name):
        return getattr(self._stream, name)


def init_app(app: Flask) -> None:
    """Check every request's text, and turn unreadable bodies into a 400."""
    app.wsgi_app = BodyErrors(app.wsgi_app)
    app.before_request(check_request)
