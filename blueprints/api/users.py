"""The API root (server details), tokens for HTTP Basic callers, and the caller's own record."""
from __future__ import annotations

from flask import g, jsonify

from blueprints.api import bp
from blueprints.api.auth import basic_auth_allowed, password_required
from blueprints.api.payload import query_text
from blueprints.shared.access import public
from models import utcnow
from services import tokens
from services.api_objects import roles

SERVER_NAME = "Shelfscan"
SERVER_VERSION = "1.0.0"
# The InvenTree API version we answer as. Clients switch features on by it, so it is the highest
# number that turns on nothing Shelfscan cannot answer (docs/api.md, "On a phone" lists every
# threshold of the InvenTree app). 206: the Python client refuses anything older; 207 would make
# the app show an attachments screen on every object whose upload button can only fail here.
API_VERSION = 206
DEFAULT_TOKEN_NAME = "api"
MAX_NAME_PARAMETER = 1000


@bp.get("/")
@public
def root():
    """Server details; the InvenTree client reads apiVersion from here before it logs in."""
    return jsonify(
        server=SERVER_NAME,
        version=SERVER_VERSION,
        apiVersion=API_VERSION,
        instance=SERVER_NAME,
        schema="/api/schema/",
    )


@bp.get("/user/token/")
@bp.get("/user/me/token/")
@password_required
def token():
    """Create a token for the caller, named by ?name= (each call makes a new one; only hashes are kept)."""
    # The InvenTree app names its token after the device ("inventree-mobile-app-ios-<name>-<model>-
    # <version>"), which can run long: keep the start rather than refuse to sign in.
    name = query_text("name", MAX_NAME_PARAMETER).strip()[:tokens.MAX_NAME_LENGTH].strip() or DEFAULT_TOKEN_NAME
    row, plain = tokens.create(g.api_user, name, expires_at=utcnow() + tokens.LIFETIME)
    return jsonify(token=plain, name=row.name, expiry=row.expires_at.date().isoformat())


@bp.get("/user/me/")
@basic_auth_allowed
def me():
    """The caller, with InvenTree's user fields."""
    user = g.api_user
    return jsonify(
        pk=user.id,
        username=user.username,
        first_name="",
        last_name="",
        email="",
        role=user.role,
        is_active=user.active,
        is_staff=user.role == "admin",
        is_superuser=user.role == "admin",
    )


@bp.get("/user/roles/")
@bp.get("/user/me/roles/")
def user_roles():
    """The caller's roles and permissions in InvenTree's terms (the app builds its screens from them)."""
    user = g.api_user
    return jsonify(user=user.id, username=user.username, is_staff=user.role == "admin",
                   is_superuser=user.role == "admin", roles=roles.inventree_roles(user.role),
                   permissions=roles.inventree_permissions(user.role))
