"""What each granian worker process serves: the Flask app behind the bridge (server/bridge.py)."""
from __future__ import annotations

import gc

from database import checkpoints
from server import settings
from server.bridge import Bridge


def app() -> Bridge:
    """Load the app in this worker process (the setup that gunicorn's post_fork hooks did before issue 15)."""
    # Checkpoints on a thread of this process, before the app opens a connection (database/checkpoints.py).
    checkpoints.enable()
    from app import create_app

    flask_app = create_app()
    # Everything loaded so far goes to the GC's permanent generation: a full collection then walks
    # only what requests created, not the whole app, so it no longer stalls a scan.
    gc.freeze()
    return Bridge(flask_app, threads=settings.threads(), max_body=flask_app.config.get("MAX_CONTENT_LENGTH"))
