"""The database goes away (PostgreSQL unreachable, SQLite locked by another writer past the busy
timeout): scans answer 503 with a clear message, nothing is half-written, and the app recovers by
itself when the database is back."""
from __future__ import annotations

from contextlib import contextmanager

import pytest

from extensions import db
from models import ScanLog
from tests.conftest import PG_URL, USING_PG
from tests.faults.outage import relay_for, relayed_url, sqlite_write_lock

pytestmark = pytest.mark.slow
SCAN = {"barcode": "NO-SUCH-THING-4711", "source": "dialog"}
MESSAGE = "The database is not available right now"


@pytest.fixture
def relay():
    """On PostgreSQL, a cuttable TCP relay between the app and the server."""
    if not USING_PG:
        yield None
        return
    relay = relay_for(PG_URL)
    relay.restore()
    yield relay
    relay.cut()


@pytest.fixture
def app_config(app_config, relay):
    """Send the app's database traffic through the relay on PostgreSQL."""
    if relay is None:
        return app_config
    return {**app_config, "SQLALCHEMY_DATABASE_URI": relayed_url(PG_URL, relay)}


@pytest.fixture
def outage(app, relay):
    """A context manager during which the database cannot be written."""

    @contextmanager
    def database_gone():
        if relay is not None:
            relay.cut()
            try:
                yield
            finally:
                relay.restore()
        else:
            with sqlite_write_lock(db.engine.url.database):
                yield

    return database_gone


def _scan_log_count() -> int:
    db.session.rollback()
    return db.session.scalar(db.select(db.func.count()).select_from(ScanLog))


def test_scans_answer_503_and_the_app_recovers(app, client_for, outage):
    page = client_for("operator")
    fragment = client_for("operator", htmx=True)
    before = page.post("/scan", data=SCAN)
    assert before.status_code < 500
    assert _scan_log_count() == 1

    with outage():
        down = page.post("/scan", data=SCAN)
        assert down.status_code == 503
        assert MESSAGE in down.get_data(as_text=True)
        assert down.headers["Retry-After"].isdigit()
        hx_down = fragment.post("/scan", data=SCAN)
        assert hx_down.status_code == 503
        body = hx_down.get_data(as_text=True)
        assert MESSAGE in body and "<html" not in body  # a fragment the scan dialog can show

    after = page.post("/scan", data=SCAN)
    assert after.status_code == before.status_code
    assert fragment.post("/scan", data=SCAN).status_code < 500
    assert _scan_log_count() == 3  # the refused scans left nothing behind


def test_health_check_follows_the_database(app, client, outage, relay):
    assert client.get("/healthz").status_code == 200
    if relay is not None:
        with outage():
            down = client.get("/healthz")
            assert down.status_code == 503 and down.get_json()["database"] is False
    else:
        # SQLite in WAL mode keeps serving reads while another writer holds the lock.
        with outage():
            assert client.get("/healthz").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_sign_in_during_an_outage_is_a_503_not_a_500(app, client, users, outage):
    with outage():
        response = client.post("/login", data={"username": "viewer", "password": "wrong password"})
        assert response.status_code == 503
        assert MESSAGE in response.get_data(as_text=True)
