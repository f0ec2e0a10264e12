"""The Shelfscan application factory."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from flask import Flask

import config
from barcodes.registry import build_registry
from blueprints import register_blueprints
from cli import register_commands
from database.connection import engine_options, install_pragmas
from extensions import csrf, db, htmx, login_manager, migrate
from services.barcode_catalog import SqlCatalog

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure a Shelfscan app."""
    app = Flask(__name__, instance_relative_config=True)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(config.Config.from_environment(instance))
    if test_config:
        app.config.update(test_config)
    config.check_decode_limits(app.config)
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"]))
    _configure_logging(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    htmx.init_app(app)

    install_pragmas()
    app.extensions["barcode_registry"] = build_registry(SqlCatalog())
    register_blueprints(app)
    register_commands(app)
    return app


def _configure_logging(app: Flask) -> None:
    """One readable format on stderr, for the app and the web server alike."""
    root = logging.getLogger()
    if not any(getattr(h, "_shelfscan", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        handler._shelfscan = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    app.logger.handlers.clear()
    app.logger.propagate = True
