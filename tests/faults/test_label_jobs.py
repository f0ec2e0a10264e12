"""Thirty label jobs started at once on a real gunicorn with three workers: every answer is a started
job (202) or a clear refusal (429), never a 500, and no more run at once than the caps allow."""
from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from bench.serving import Server, cookie_header, fetch, sign_in
from extensions import db
from models import Part
from services.labels import jobs
from tests.conftest import PASSWORD

pytestmark = pytest.mark.slow
STARTS = 30


@pytest.fixture
def server(app, users, database_url, tmp_path):
    """gunicorn with three workers on the test database, its label jobs in a folder of the test's own."""
    running = Server(database_url, workers=3, log_path=tmp_path / "gunicorn.log",
                     env={"LABEL_JOBS_FOLDER": str(tmp_path / "label_jobs")})
    running.start()
    yield running
    running.stop()


def _running_now(folder: Path) -> int:
    count = 0
    for path in folder.glob("*.json"):
        try:
            count += json.loads(path.read_text())["state"] == "running"
        except (OSError, ValueError):
            continue
    return count


def test_thirty_concurrent_starts_get_202_or_429(app, server, tmp_path):
    part = Part(name="Widget", units="pcs")
    db.session.add(part)
    db.session.commit()
    body = urlencode({"type": "part", "id": [part.id] * 1000}, doseq=True).encode()
    folder = tmp_path / "label_jobs"

    async def burst():
        sessions = []
        for role in ("viewer", "operator", "admin"):
            jar, csrf = await sign_in(server.port, role, PASSWORD)
            sessions.append({"Cookie": cookie_header(jar), "X-CSRFToken": csrf, "HX-Request": "true",
                             "Content-Type": "application/x-www-form-urlencoded"})
        return await asyncio.gather(*(fetch(server.port, "POST", "/labels/jobs/start", sessions[n % 3], body, timeout=120)
                                      for n in range(STARTS)))

    answers = asyncio.run(burst())
    statuses = sorted(answer.status for answer in answers)
    assert set(statuses) <= {202, 429}, (statuses, [a.body[:300] for a in answers if a.status >= 500])
    assert 202 in statuses and 429 in statuses
    assert all(b"label PDFs" in a.body and a.headers.get("retry-after") for a in answers if a.status == 429)
    deadline = time.monotonic() + 300
    while (running := _running_now(folder)) and time.monotonic() < deadline:
        assert running <= jobs.RUNNING_IN_ALL
        time.sleep(0.2)
    assert not running, "the started jobs did not finish"
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()
