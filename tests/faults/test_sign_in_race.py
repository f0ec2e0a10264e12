"""Thirty password guesses at once, on the real server (`python -m server`) with several workers,
get exactly as many password checks as the limit allows: the throttle counts an attempt before it
checks the password, under one lock, so parallel guesses cannot all slip past the count together."""
from __future__ import annotations

import asyncio
import base64

import pytest

from bench.serving import Server, fetch
from extensions import db
from models import LoginFailure
from tests.conftest import PASSWORD

pytestmark = pytest.mark.slow
GUESSES = 30
LIMIT = 5  # failed sign-ins per account and address in 15 minutes (services/ratelimit.py)


@pytest.fixture
def server(users, database_url, tmp_path):
    """The real server with four worker processes on the test database."""
    running = Server(database_url, workers=4, log_path=tmp_path / "server.log")
    running.start()
    yield running
    running.stop()


def _basic(password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"operator:{password}".encode()).decode()}


def test_parallel_guesses_get_no_more_checks_than_the_limit(app, server):
    async def guess_all():
        return await asyncio.gather(*(fetch(server.port, "GET", "/api/user/token/", _basic(f"guess-{n}"), timeout=120)
                                      for n in range(GUESSES)))

    statuses = [answer.status for answer in asyncio.run(guess_all())]
    checked = statuses.count(401)  # the password was checked and was wrong
    assert set(statuses) <= {401, 429}, statuses
    assert checked == LIMIT, statuses
    db.session.remove()
    assert db.session.scalar(db.select(db.func.count()).select_from(LoginFailure)
                             .where(LoginFailure.key.like("pair:%"))) == checked
    # The owner's right password from that address waits like everyone there; an unlock lets them in.
    assert asyncio.run(fetch(server.port, "GET", "/api/user/token/", _basic(PASSWORD))).status == 429
