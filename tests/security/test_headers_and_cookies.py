"""Security headers on every kind of answer, cookie flags, HTTPS-only HSTS, trusted proxies."""
from __future__ import annotations

import pytest

import config
from app import create_app
from tests.conftest import PASSWORD, login


def _csp_directives(header: str) -> dict[str, str]:
    parts = (p.strip().split(" ", 1) for p in header.split(";") if p.strip())
    return {p[0]: (p[1] if len(p) > 1 else "") for p in parts}


@pytest.mark.parametrize("path", ["/login", "/healthz", "/no/such/page", "/static/css/app.css", "/"])
def test_every_answer_carries_the_security_headers(client, path):
    headers = client.get(path).headers
    csp = _csp_directives(headers["Content-Security-Policy"])
    assert csp["script-src"] == "'self'"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert "unsafe-eval" not in headers["Content-Security-Policy"]
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "camera=(self)" in headers["Permissions-Policy"].split(", ")


def test_headers_on_error_pages_for_signed_in_users(client_for):
    response = client_for("viewer").post("/no/such/page")
    assert response.status_code in (404, 405)
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_hsts_only_under_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(client):
    response = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


def test_a_trusted_proxy_sets_scheme_and_client_address(app_config, users):
    proxied = create_app({**app_config, "PROXY_HOPS": 1})
    with proxied.app_context():
        client = proxied.test_client()
        response = client.get("/login", headers={"X-Forwarded-Proto": "https"})
        assert "Strict-Transport-Security" in response.headers
        # The rate limit keys on the address the proxy reports, not the proxy's own.
        for n in range(20):
            client.post("/login", data={"username": f"ghost{n}", "password": "x"},
                        headers={"X-Forwarded-For": "192.0.2.7"})
        blocked = client.post("/login", data={"username": "viewer", "password": PASSWORD},
                              headers={"X-Forwarded-For": "192.0.2.7"})
        assert blocked.status_code == 429
        other = client.post("/login", data={"username": "viewer", "password": PASSWORD},
                            headers={"X-Forwarded-For": "192.0.2.8"})
        assert other.status_code == 303


def test_session_cookie_is_httponly_and_samesite(client, users):
    response = client.post("/login", data={"username": "viewer", "password": PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP on localhost would otherwise lose the session


def test_remember_me_cookie_has_the_same_flags(client, users):
    response = client.post("/login", data={"username": "viewer", "password": PASSWORD, "remember": "y"})
    remember = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]
    assert remember and "HttpOnly" in remember[0] and "SameSite=Lax" in remember[0]


def test_https_setting_makes_cookies_secure(monkeypatch, tmp_path, app_config, users):
    monkeypatch.setenv("HTTPS", "1")
    built = config.Config.from_environment(tmp_path)
    assert built["SESSION_COOKIE_SECURE"] and built["REMEMBER_COOKIE_SECURE"]
    secure_app = create_app({**app_config, "SESSION_COOKIE_SECURE": True, "REMEMBER_COOKIE_SECURE": True})
    with secure_app.app_context():
        client = secure_app.test_client()
        response = client.post("/login", data={"username": "viewer", "password": PASSWORD, "remember": "y"},
                               base_url="https://localhost")
        cookies = response.headers.getlist("Set-Cookie")
        assert cookies and all("Secure" in c and "HttpOnly" in c for c in cookies)
    monkeypatch.setenv("HTTPS", "")
    assert not config.Config.from_environment(tmp_path)["SESSION_COOKIE_SECURE"]


def test_templates_have_no_inline_scripts_or_handlers():
    """CSP forbids inline scripts; a template that had one would silently break in browsers."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = []
    for template in root.rglob("*.html"):
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text, flags=re.I):
            if "src=" not in tag:
                offenders.append(f"{template.name}: {tag}")
        if re.search(r"<[^>]+\son[a-z]+\s*=", text, flags=re.I):
            offenders.append(f"{template.name}: on* handler")
        if "javascript:" in text.lower():
            offenders.append(f"{template.name}: javascript: URL")
    assert offenders == []
