"""Deploy-time configuration read from the environment."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


def _instance_secret(instance_path: Path) -> str:
    """Return the SECRET_KEY kept in instance/, generating it on first use."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Written with 0600 so other local users cannot forge sessions.
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


class Config:
    """Settings that are fixed for the life of a process (runtime settings live in services/settings.py)."""

    SQLALCHEMY_TRACK_MODIFICATIONS = False
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024  # photo uploads; the API narrows this to 1 MB
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a scan dialog left open all day must still post
    HOST = "127.0.0.1"
    PORT = 5000
    PAGE_SIZE = 25
    # How long a worker keeps the runtime settings before reading them again (settings.py).
    SETTINGS_CACHE_SECONDS = 2.0

    @classmethod
    def from_environment(cls, instance_path: Path) -> dict:
        """Build the config mapping from environment variables and the instance folder."""
        db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'shelfscan.db'}"
        config = {k: getattr(cls, k) for k in dir(cls) if k.isupper()}
        https = os.environ.get("HTTPS", "").lower() in ("1", "true", "yes")
        config.update(
            SQLALCHEMY_DATABASE_URI=db_url,
            SECRET_KEY=os.environ.get("SECRET_KEY") or _instance_secret(instance_path),
            HOST=os.environ.get("HOST", cls.HOST),
            PORT=int(os.environ.get("PORT", cls.PORT)),
            SESSION_COOKIE_SECURE=https,
            REMEMBER_COOKIE_SECURE=https,
            PREFERRED_URL_SCHEME="https" if https else "http",
            # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted (0: none).
            PROXY_HOPS=int(os.environ.get("PROXY_HOPS", "0")),
            # Where background label jobs keep their PDFs for an hour (services/labels/jobs.py).
            LABEL_JOBS_FOLDER=os.environ.get("LABEL_JOBS_FOLDER") or str(instance_path / "label_jobs"),
        )
        return config

