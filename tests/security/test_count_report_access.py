"""A count report is its owner's (and admins'): the CSV download keeps the same rule as the session page."""
from __future__ import annotations

import pytest

from extensions import db
from models import User
from tests.conftest import PASSWORD, login
from tests.integration.test_stock_data import code, make_store
from tests.integration.test_stock_sessions import _scan, _start


@pytest.fixture
def counted(app, client_for):
    """An operator's count of a shelf with one scan in it; returns its report URL."""
    shop = make_store(item_count=2)
    owner = client_for("operator")
    session_id = _start(owner, shop.shelf_a, kind="count")
    _scan(owner, session_id, code(shop.items[0]))
    return f"/stock/sessions/{session_id}/report.csv", owner


def _other_operator(app):
    user = User(username="second-operator", role="operator")
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    return login(app.test_client(), "second-operator")


def test_another_users_count_report_is_refused_like_the_session_page(app, client_for, counted):
    url, owner = counted
    assert owner.get(url).status_code == 200
    assert client_for("admin").get(url).status_code == 200
    for stranger in (client_for("viewer"), _other_operator(app)):
        page = stranger.get(url.removesuffix("/report.csv"))
        report = stranger.get(url)
        assert page.status_code in (403, 404)
        assert report.status_code == page.status_code, report.get_data(as_text=True)[:200]
        assert report.mimetype != "text/csv" and "attachment" not in report.headers.get("Content-Disposition", "")
