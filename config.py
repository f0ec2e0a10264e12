"""Deploy-time configuration read from the environment."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Bounded:
    """A deploy-time number with its type and bounds, read from the environment variable of its name."""

    default: int | float
    low: int | float
    high: int | float

    def read(self, key: str, raw: object) -> int | float:
        """`raw` (an environment string or a test config's number) as this number, or ValueError."""
        kind = type(self.default)
        try:
            if isinstance(raw, bool) or (kind is int and isinstance(raw, float) and not raw.is_integer()):
                raise TypeError(raw)
            value = kind(raw.strip() if isinstance(raw, str) else raw)
        except (TypeError, ValueError):
            raise ValueError(f"{key} must be a {'whole ' if kind is int else ''}number, not {raw!r}") from None
        if not self.low <= value <= self.high:  # NaN fails this too
            raise ValueError(f"{key} must be between {self.low} and {self.high}, not {raw!r}")
        return value


# Decoding images (docs/barcodes.md#images): each image is decoded in a decoder process of a small
# pool per server process (barcodes/decode_pool.py), within these budgets.
DECODE_LIMITS = {
    "DECODE_PROCESSES": Bounded(2, 1, 16),  # decoder processes per server process
    "DECODE_QUEUE": Bounded(4, 0, 64),  # images that may wait for a decoder; more are answered "busy"
    "DECODE_MEMORY_MB": Bounded(400, 200, 4096),  # address-space limit of each decoder process
    "DECODE_CAMERA_SECONDS": Bounded(1.0, 0.2, 10.0),  # a camera frame is answered within this
    "DECODE_PHOTO_SECONDS": Bounded(1.5, 0.5, 30.0),  # a photo is answered within this; passes stop in time
    "DECODE_PASS_MEGAPIXELS": Bounded(12.0, 1.0, 40.0),  # the largest image one pass decodes
}


def check_decode_limits(config: dict) -> None:
    """Put every decode limit into `config` typed and within its bounds (ValueError otherwise)."""
    for key, limit in DECODE_LIMITS.items():
        config[key] = limit.read(key, config.get(key, limit.default))


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
            # The address people reach Shelfscan at (https://stock.example.org); the API's page links
            # start with it. Empty: those links are relative paths.
            PUBLIC_URL=os.environ.get("PUBLIC_URL", "").strip(),
            # Where background label jobs keep their PDFs for an hour (services/labels/jobs.py).
            LABEL_JOBS_FOLDER=os.environ.get("LABEL_JOBS_FOLDER") or str(instance_path / "label_jobs"),
        )
        config.update({key: os.environ[key] for key in DECODE_LIMITS if key in os.environ})
        return config

