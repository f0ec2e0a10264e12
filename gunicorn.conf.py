"""gunicorn settings for `make run`: bind, workers and logging from the environment."""
import multiprocessing
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
pythonpath = str(HERE)  # the app's packages, for the hooks below as for the app itself
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
threads = 1
timeout = 120  # long label batches stream, but keep a ceiling
accesslog = "-"
errorlog = "-"
access_log_format = '%(t)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms'

HTTPS = os.environ.get("HTTPS", "") in ("1", "true", "yes")


def on_starting(server):
    """`make run HTTPS=1`: serve https with a self-signed certificate made on first use (cli/tls.py),
    so phones on the LAN may use the live camera. Runs before gunicorn opens its sockets."""
    if HTTPS:
        from cli.tls import ensure_certificate

        certfile, keyfile = ensure_certificate(HERE / "instance")
        server.cfg.set("certfile", str(certfile))
        server.cfg.set("keyfile", str(keyfile))


def post_worker_init(worker):
    """Move everything the app loaded at start into the GC's permanent generation: a full collection
    then walks only what requests created, not the whole app, so it no longer stalls a scan."""
    import gc

    gc.freeze()


def post_fork(server, worker):
    """Each worker checkpoints SQLite's WAL on a thread of its own (database/checkpoints.py), before
    it opens a connection, so no request waits for a checkpoint's fsyncs."""
    from database import checkpoints

    checkpoints.enable()
