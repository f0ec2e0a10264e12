"""Who is calling the API, and may they: one guard for every /api route, and JSON for every error.

Credentials, in order: `Authorization: Token <token>` (any route); HTTP Basic (only on the routes
that hand out tokens and on /api/user/me/, which the InvenTree client checks before it has a token:
checking a password hash on every call would make each request slow); otherwise the web UI's
session cookie, which must carry X-CSRFToken on unsafe methods because a browser sends the cookie
to any site's forms. A new token takes the password itself (`password_required`): not a session
cookie, which any page could make a browser send with a GET, nor another token, which would let a
stolen token outlive its own revocation. Roles come from the same rules as the pages (blueprints.shared.access.required_role):
reads need viewer, writes operator, unless a view says otherwise.
"""
from __future__ import annotations

from typing import Callable

from flask import current_app, g, jsonify, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from blueprints.api import bp
from blueprints.api.payload import MAX_BODY_BYTES, ApiError
from blueprints.shared.access import ROLE_RANK, SAFE_METHODS, required_role
from extensions import csrf
from services import sign_in, tokens


def basic_auth_allowed(view: Callable) -> Callable:
    """Let a view accept HTTP Basic credentials as well as a token."""
    view.basic_auth = True  # type: ignore[attr-defined]
    return view


def password_required(view: Callable) -> Callable:
    """Let a view be called only with HTTP Basic credentials (a token or a session is a 403)."""
    view.password_required = True  # type: ignore[attr-defined]
    return basic_auth_allowed(view)


PASSWORD_NEEDED = ("A new token needs the password: send HTTP Basic credentials (as the InvenTree apps do), "
                   "or create one under your account at /account.")


def _refuse(message: str) -> ApiError:
    return ApiError(401, {"detail": message})


def _basic_user(view: Callable):
    """The user named by HTTP Basic credentials, or a 401."""
    if not getattr(view, "basic_auth", False):
        raise _refuse("Basic authentication is only accepted by /api/user/token/; send 'Authorization: Token <token>'.")
    credentials = request.authorization
    if credentials is None or not credentials.username or credentials.password is None:
        raise _refuse("Invalid basic header.")
    user = sign_in.authenticate(credentials.username[:80], credentials.password[:200], request.remote_addr)
    if user is None:
        raise _refuse("Invalid username/password.")
    return user


def _caller(view: Callable):
    """(user, how) for this request, or raise a 401 ApiError."""
    header = request.headers.get("Authorization", "").strip()
    if header:
        scheme, _, value = header.partition(" ")
        scheme = scheme.lower()
        if scheme in ("token", "bearer"):
            user = tokens.user_for(value.strip())
            if user is None:
                raise _refuse("Invalid token.")
            return user, "token"
        if scheme == "basic":
            return _basic_user(view), "basic"
        raise _refuse("Unsupported authorization scheme; use 'Token <token>'.")
    if current_user.is_authenticated:
        return current_user._get_current_object(), "session"
    raise _refuse("Authentication credentials were not provided.")


@bp.before_request
def guard():
    """Refuse oversized bodies, unknown callers and roles too low for the route."""
    request.max_content_length = MAX_BODY_BYTES
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise ApiError(413, {"detail": f"Request bodies are limited to {MAX_BODY_BYTES} bytes."})
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None:
        return None  # unknown route or method: Flask answers 404/405 (as JSON, see below)
    role = required_role(request.endpoint, request.method)
    if role is None:
        return None
    user, how = _caller(view)
    g.api_user = user
    g._login_user = user  # what Flask-Login's current_user reads, so shared code sees the caller
    if ROLE_RANK[user.role] < ROLE_RANK[role]:
        message = f"This needs the {role} role; you have the {user.role} role."
        # "error" too: InvenTree's barcode clients (the app's scan handlers) show only that key.
        raise ApiError(403, {"detail": message, "error": message})
    if getattr(view, "password_required", False) and how != "basic":
        raise ApiError(403, {"detail": PASSWORD_NEEDED, "error": PASSWORD_NEEDED})
    if how == "session" and request.method not in SAFE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()  # raises CSRFError, answered below as JSON
    return None


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    """Send an ApiError's body with its status."""
    response = jsonify(error.body)
    response.status_code = error.status
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Token realm="api"'
    return response


@bp.errorhandler(CSRFError)
def csrf_error(error: CSRFError):
    """A session-cookie write without a valid X-CSRFToken header."""
    return jsonify(detail=f"CSRF Failed: {error.description}"), 403


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    """Any other HTTP error raised in an API view, as JSON, keeping headers such as Retry-After."""
    response = jsonify(detail=error.description)
    response.status_code = error.code or 500
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


@bp.after_app_request
def allow_header(response):
    """A 405 must list the allowed methods (RFC 9110); the app-wide JSON error page leaves it out."""
    routing_error = request.routing_exception
    if (response.status_code == 405 and isinstance(routing_error, MethodNotAllowed)
            and request.path.startswith(bp.url_prefix + "/") and "Allow" not in response.headers):
        response.headers["Allow"] = ", ".join(sorted(routing_error.valid_methods or ()))
    return response


@bp.after_request
def json_everywhere(response):
    """Flask's automatic OPTIONS and HEAD answers are not JSON; make every answer say so."""
    if request.method == "OPTIONS" and response.mimetype != "application/json":
        allowed = response.headers.get("Allow", "")
        response.set_data(current_app.json.dumps({"methods": [m.strip() for m in allowed.split(",") if m]}))
        response.mimetype = "application/json"
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("Authorization")
    return response
