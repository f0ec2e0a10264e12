"""Double slashes in API paths, as the InvenTree client writes them, routed without a redirect.

The client joins its model URL ('part/') and the pk as f"{url}/{pk}/", so every object it loads is
asked for as /api/part//12/. Werkzeug would answer 308 to the merged path, a second round trip (and
an HTML body) for each object; collapsing the slashes before routing answers the first request.
"""
from __future__ import annotations

import re

from blueprints.api import bp

_SLASHES = re.compile(r"/{2,}")


def collapse_slashes(wsgi_app):
    """Wrap a WSGI app so /api/ paths have runs of slashes collapsed before Flask routes them."""
    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith(bp.url_prefix + "/") and "//" in path:
            environ["PATH_INFO"] = _SLASHES.sub("/", path)
        return wsgi_app(environ, start_response)

    return app


@bp.record_once
def install(state) -> None:
    """Install the wrapper on the app the blueprint is registered on."""
    state.app.wsgi_app = collapse_slashes(state.app.wsgi_app)
