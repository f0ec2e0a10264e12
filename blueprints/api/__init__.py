"""The REST API under /api: InvenTree-compatible barcode, user and object endpoints.

The blueprint authenticates every request itself (see `auth`): the app-wide access guard skips it
(SELF_AUTHENTICATED_BLUEPRINTS) and Flask-WTF's CSRF check is off for it because token and Basic
auth cannot be forged by another site; session-cookie calls get their CSRF check in `auth`.
"""
from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from flask import Blueprint

from extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)

# Route modules, imported for their side effect of adding routes to `bp`.
ROUTE_MODULES = ("auth", "paths", "users", "barcode", "objects", "schema")
# Route modules owned by other work (stock transfer and receiving by scan); imported when present so
# each can land on its own without editing this list.
OPTIONAL_ROUTE_MODULES = ("stock_actions",)

for _name in ROUTE_MODULES:
    import_module(f"{__name__}.{_name}")
for _name in OPTIONAL_ROUTE_MODULES:
    if find_spec(f"{__name__}.{_name}") is not None:
        import_module(f"{__name__}.{_name}")
