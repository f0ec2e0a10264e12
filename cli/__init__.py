"""The `flask --app app ...` commands. Each module registers its own; they call services as views do."""
from __future__ import annotations

from flask import Flask

from cli import barcode, bootstrap, demo, ops, scans, tls, users


def register_commands(app: Flask) -> None:
    """Attach every command module's commands to the app."""
    for module in (users, bootstrap, demo, tls, ops, barcode, scans):
        module.register(app)
