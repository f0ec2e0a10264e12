"""Security headers on every response, and trust in the reverse proxy's forwarded headers."""
from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

# No 'unsafe-inline' anywhere: scripts come only from /static, and htmx is told not to inject styles.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    # The scan dialog may use this site's camera; nothing else may use any sensor.
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000"
# The one script that may compile WebAssembly: the camera's on-device decoder, a dedicated worker, which
# takes the CSP of its own response. 'wasm-unsafe-eval' allows WebAssembly compilation only (not eval);
# pages keep plain script-src 'self', so nothing they load can compile code. Workers (this one and the
# service worker, /sw.js) need no directive of their own: worker-src falls back to script-src 'self'.
WASM_WORKERS = {"js/decode-worker.js"}
CSP_WASM_WORKER = CSP.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")


def _headers(response):
    """Add CSP, nosniff, referrer and permissions policies, no-store; HSTS only on HTTPS."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    # HSTS over plain HTTP is ignored by browsers and would be a lie; send it only under HTTPS.
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    # Pages, fragments and downloads hold data: no browser or proxy may store them (a shared phone's
    # Back button after sign-out shows nothing). Static files, and answers that chose their own caching
    # (barcode images, the scan chart), keep theirs; send_file's default "no-cache" would allow storing.
    if request.endpoint != "static" and response.headers.get("Cache-Control", "no-cache") == "no-cache":
        response.headers["Cache-Control"] = "no-store"
    return response


def _wasm_worker_csp(response):
    """Give the decoder worker its CSP with 'wasm-unsafe-eval' (runs before _headers fills in the rest)."""
    if request.endpoint == "static" and (request.view_args or {}).get("filename") in WASM_WORKERS:
        response.headers["Content-Security-Policy"] = CSP_WASM_WORKER
    return response


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, minus building a signer for requests that carry no cookie
    (API calls with a token, health checks): Flask builds one on every request otherwise."""

    def open_session(self, app: Flask, request) -> SecureCookieSession | None:
        """An empty session when there is no cookie; else Flask's usual checked one."""
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    """Register the header hook; trust PROXY_HOPS proxies for the client address and scheme."""
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops:
        # Only the given number of proxies may set these, so a client cannot fake its address
        # (which the login rate limit keys on) or pretend to be on HTTPS.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    app.session_interface = CookieSessions()
    app.after_request(_headers)
    app.after_request(_wasm_worker_csp)  # after_request hooks run last-registered first
