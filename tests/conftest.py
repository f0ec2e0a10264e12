"""Shared fixtures: one database per test (SQLite file or PostgreSQL), clients per role."""
from __future__ import annotations

import os
import shutil
import threading
import time

import pytest
from flask import g, request_started
from sqlalchemy import create_engine, inspect, text
from werkzeug.serving import make_server

from app import create_app
from extensions import db

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
USING_PG = PG_URL.startswith("postgresql")
PASSWORD = "correct horse battery"


def pytest_configure(config):
    """Register the markers and warning filters here, so the project root needs no pytest.ini."""
    config.addinivalue_line("markers", "e2e: browser tests (Playwright driving Debian's Chromium against a live server)")
    config.addinivalue_line("markers", "slow: long-running tests (fault injection, fuzzing); run in CI")
    config.addinivalue_line("filterwarnings", "ignore::DeprecationWarning:flask_login.*")



def _base_config(url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
    }


def _migrate(url: str) -> None:
    """Build the schema the only way the app does: by running the migrations."""
    from flask_migrate import upgrade

    app = create_app(_base_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """A migrated database to copy (SQLite) or to truncate between tests (PostgreSQL)."""
    if USING_PG:
        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        _migrate(PG_URL)
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "template.db"
    _migrate(f"sqlite:///{path}")
    return path


def _truncate_pg(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
        quoted = ", ".join(f'"{name}"' for name in tables)
        conn.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    engine.dispose()


def _wait_for_print_jobs(seconds: float = 60) -> None:
    """Let the printers' sender threads a test started finish (services/printers/jobs.py names them
    print-jobs-N): one still reading while the next test empties the database deadlocks with TRUNCATE
    on PostgreSQL, and one still sending would print into the next test's fake printer."""
    deadline = time.monotonic() + seconds
    for thread in threading.enumerate():
        if thread.name.startswith("print-jobs-"):
            thread.join(max(0.0, deadline - time.monotonic()))


@pytest.fixture
def database_url(database_template, tmp_path):
    """A fresh, migrated, empty database for this test."""
    if USING_PG:
        yield PG_URL
        _wait_for_print_jobs()
        _truncate_pg(PG_URL)
        return
    target = tmp_path / "test.db"
    shutil.copy(database_template, target)
    yield f"sqlite:///{target}"
    _wait_for_print_jobs()


@pytest.fixture
def app_config(database_url, tmp_path):
    """The config the test app is built with; tests may change it before `app` is used. Background
    label jobs keep their files in the test's own folder, not in the repository's instance/."""
    return {**_base_config(database_url), "LABEL_JOBS_FOLDER": str(tmp_path / "label_jobs")}


def _fresh_g(sender, **_extra):
    for key in list(g):
        g.pop(key)


@pytest.fixture
def app(app_config):
    """The app under test, with its own database."""
    application = create_app(app_config)
    # The test keeps an app context open, and Flask reuses it for each request; give every request
    # a fresh `g` as it gets in production (the cached user, the settings cache).
    request_started.connect(_fresh_g, application)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def live_server(app_config):
    """Serve a second app on the test's database, on a free localhost port in a thread, with CSRF
    on as in production; yields (app, base_url)."""
    application = create_app(dict(app_config, WTF_CSRF_ENABLED=True))
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield application, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        with application.app_context():
            db.engine.dispose()


@pytest.fixture
def client(app):
    """A test client with no one logged in."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for `flask` commands."""
    return app.test_cli_runner()


@pytest.fixture
def users(app):
    """One user per role, all with the password PASSWORD."""
    from models import User

    made = {}
    for role in ("viewer", "operator", "admin"):
        user = User(username=role, role=role)
        user.set_password(PASSWORD)
        db.session.add(user)
        made[role] = user
    db.session.commit()
    return made


def login(client, username: str, password: str = PASSWORD):
    """Log a test client in through the real login form."""
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
    return client


@pytest.fixture
def client_for(app, users):
    """Factory: a logged-in test client for a role ('viewer', 'operator', 'admin')."""

    def make(role: str, htmx: bool = False):
        test_client = app.test_client()
        login(test_client, role)
        if htmx:
            test_client.environ_base["HTTP_HX_REQUEST"] = "true"
        return test_client

    return make


@pytest.fixture
def operator_client(client_for):
    """Logged in as an operator."""
    return client_for("operator")


@pytest.fixture
def admin_client(client_for):
    """Logged in as an admin."""
    return client_for("admin")


@pytest.fixture
def viewer_client(client_for):
    """Logged in as a viewer."""
    return client_for("viewer")


@pytest.fixture
def hx_client(client_for):
    """An operator client whose requests carry HX-Request, as htmx sends them."""
    return client_for("operator", htmx=True)
