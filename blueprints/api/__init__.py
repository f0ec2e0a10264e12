"""The REST API under /api: InvenTree-compatible barcode, user and object endpoints.

The blueprint authenticates every request itself (see `auth`): the app-wide access guard skips it
(SELF_AUTHENTICATED_BLUEPRINTS) and Flask-WTF's CSRF check is off for it because token and Basic
auth cannot be forged by another site; session-cookie calls get their CSRF check in `auth`.
"""
from __future__ import annotations

from flask import Blueprint

from extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)

# The route modules, imported for the routes they add to `bp`.
# auth first: its guard must run before metadata's OPTIONS answers (before_request runs in order).
from blueprints.api import auth  # noqa: E402,F401,I001
from blueprints.api import (  # noqa: E402,F401
    absent, barcode, edits, labels, metadata, objects, paths, receiving, schema, search, server_info, stock_changes,
    users,
)
