"""The web server's settings, from the environment: where it listens, how many processes and
threads, its timeouts, and TLS for `make run HTTPS=1`. See docs/operations.md#the-web-server."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER_TIMEOUT_S = 10  # request headers (and the wait for the next request on a kept-alive connection)
DEFAULT_THREADS = 8  # per process: requests that wait (on the database, on a decode) wait here
WORKERS_KILL_TIMEOUT_S = 30  # on stop, how long a worker may finish what it serves
ACCESS_LOG_FORMAT = '[%(time)s] %(addr)s "%(method)s %(path)s %(protocol)s" %(status)d %(dt_ms).1fms'


def _flag(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes")


def threads(environ: dict[str, str] = os.environ) -> int:
    """Threads each worker process runs the app on (WEB_THREADS)."""
    return max(1, int(environ.get("WEB_THREADS", DEFAULT_THREADS)))


def granian_options(environ: dict[str, str] = os.environ) -> dict:
    """Keyword arguments for granian.Granian, from HOST, PORT, WEB_CONCURRENCY, HTTPS, PROXY_HOPS and
    TLS_CERT/TLS_KEY."""
    from granian.constants import HTTPModes, Interfaces, SSLProtocols
    from granian.http import HTTP1Settings

    options = {
        "target": "server.worker:app",
        "factory": True,
        "working_dir": ROOT,
        "address": environ.get("HOST", "127.0.0.1"),
        "port": int(environ.get("PORT", "5000")),
        "interface": Interfaces.ASGINL,  # ASGI without lifespan events: see server/bridge.py
        "workers": max(1, int(environ.get("WEB_CONCURRENCY", os.cpu_count() or 1))),
        "http": HTTPModes.http1,  # the timeouts above are HTTP/1's; HTTP/2: a proxy in front
        "websockets": False,
        "http1_settings": HTTP1Settings(header_read_timeout=HEADER_TIMEOUT_S * 1000),
        "log_access": True,
        "log_access_format": ACCESS_LOG_FORMAT,
        "respawn_failed_workers": True,
        "workers_kill_timeout": WORKERS_KILL_TIMEOUT_S,
    }
    # Behind a reverse proxy (PROXY_HOPS) the proxy speaks TLS to the clients and plain HTTP to us;
    # HTTPS=1 then only marks the cookies Secure (config.py).
    if _flag(environ.get("HTTPS")) and int(environ.get("PROXY_HOPS") or 0) == 0:
        options.update(ssl_protocol_min=SSLProtocols.tls12)  # still admits the older phones a shop floor keeps
        options["ssl_cert"], options["ssl_key"] = certificate(environ)
    return options


def certificate(environ: dict[str, str] = os.environ) -> tuple[Path, Path]:
    """TLS_CERT and TLS_KEY (PEM; the key unencrypted, PKCS#8) when given, else the self-signed
    certificate made on first use in instance/ (cli/tls.py), so phones on the LAN may use the camera."""
    if environ.get("TLS_CERT") or environ.get("TLS_KEY"):
        return Path(environ["TLS_CERT"]), Path(environ["TLS_KEY"])
    from cli.tls import ensure_certificate

    return ensure_certificate(ROOT / "instance")
