"""Command-line registration: every `flask --app app ...` command lives in cli/."""
from __future__ import annotations

from importlib import import_module

from flask import Flask

# Modules in cli/ that expose `register(app)`.
COMMAND_MODULES = (
    "cli.users",
    "cli.bootstrap",
    "cli.demo",
    "cli.tls",
    "cli.ops",
    "cli.barcode",
    "cli.scans",
)


def register_commands(app: Flask) -> None:
    """Attach every command module's commands to the app."""
    for name in COMMAND_MODULES:
        import_module(name).register(app)
