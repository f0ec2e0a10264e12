"""Login and role checks for every route, in one place.

Every endpoint needs a logged-in user unless marked `public`. Safe methods need the viewer role and
unsafe ones the operator role, unless the view says otherwise with `requires(role)`; a blueprint can
raise the floor for all its routes with `MIN_ROLE_BY_BLUEPRINT` (the admin area needs admin). Because
the default is decided here, a forgotten decorator can only make a route stricter, never open.
"""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import Flask, abort, current_app, jsonify, make_response, redirect, request, url_for
from flask_login import current_user

from extensions import htmx, login_manager
from models import ROLE_RANK

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
MIN_ROLE_BY_BLUEPRINT = {"admin": "admin"}
# Endpoints (or whole blueprints) that do their own authentication or none.
PUBLIC_ENDPOINTS = {"static"}
SELF_AUTHENTICATED_BLUEPRINTS = {"api"}


def requires(role: str) -> Callable:
    """Mark a view as needing at least `role` (viewer, operator or admin)."""
    if role not in ROLE_RANK:
        raise ValueError(f"unknown role {role!r}")

    def decorate(view: Callable) -> Callable:
        view.min_role = role  # type: ignore[attr-defined]
        return view

    return decorate


def public(view: Callable) -> Callable:
    """Mark a view as reachable without logging in."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def required_role(endpoint: str, method: str) -> str | None:
    """The role an endpoint needs for a method, or None when it is public."""
    view = current_app.view_functions.get(endpoint)
    if endpoint in PUBLIC_ENDPOINTS or getattr(view, "is_public", False):
        return None
    blueprint = endpoint.rpartition(".")[0]
    role = getattr(view, "min_role", None) or ("viewer" if method in SAFE_METHODS else "operator")
    floor = MIN_ROLE_BY_BLUEPRINT.get(blueprint)
    if floor and ROLE_RANK[floor] > ROLE_RANK[role]:
        role = floor
    return role


def _guard():
    """Refuse the request when the user is not logged in or lacks the role."""
    if request.endpoint is None:
        return None  # no such route: let Flask answer 404
    if request.blueprint in SELF_AUTHENTICATED_BLUEPRINTS:
        return None
    role = required_role(request.endpoint, request.method)
    if role is None:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if ROLE_RANK[current_user.role] < ROLE_RANK[role]:
        abort(403, description=f"This needs the {role} role; you are signed in as {current_user.role}.")
    return None


def _unauthorized():
    """Send anonymous users to the login page (htmx gets HX-Redirect, JSON clients a 401)."""
    target = url_for("auth.login", next=request.full_path if request.method == "GET" else None)
    if htmx:
        response = make_response("", 401)
        response.headers["HX-Redirect"] = target
        return response
    if request.accept_mimetypes.best == "application/json":
        return jsonify(detail="Authentication credentials were not provided."), 401
    return redirect(target)


def _load_user(session_key: str):
    """Load the user of a live server-side session (the key the session or remember cookie holds)."""
    from services import sessions

    return sessions.user_for(session_key)


def init_app(app: Flask) -> None:
    """Install the guard and the Flask-Login callbacks."""
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_unauthorized)
    app.before_request(_guard)


def operator_view(view: Callable) -> Callable:
    """Shorthand for views that change data but are reached by GET (forms)."""
    return wraps(view)(requires("operator")(view))
