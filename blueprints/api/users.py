"""The API root (server details), tokens for HTTP Basic callers, and the caller's own record."""
from __future__ import annotations

from flask import g, jsonify

from blueprints.api import bp
from blueprints.api.auth import basic_auth_allowed, password_required
from blueprints.api.payload import query_text
from blueprints.shared.access import public
from models import utcnow
from services import tokens

SERVER_NAME = "Shelfscan"
SERVER_VERSION = "1.0.0"
# The InvenTree API version whose barcode and object endpoints we answer like. The python client
# 0.25.0 refuses servers below 206 and, below 490, fetches its token from /api/user/token/ (newer
# servers use /api/user/me/token/; both are served here).
API_VERSION = 400
DEFAULT_TOKEN_NAME = "api"


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
    name = query_text("name", tokens.MAX_NAME_LENGTH).strip() or DEFAULT_TOKEN_NAME
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
