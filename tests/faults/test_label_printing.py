"""Label printing on the real web server with three workers: thirty jobs started at once get a started
job (202) or a clear refusal (429), never a 500, and no more run at once than the caps allow; and
selections travel in a POST body: 700 ids print (a URL that long is refused by proxies such as
nginx, whose request line is 8 KB by default), and a selection whose URL our own server refuses
(414) reaches the app as a POST and gets its message about the 5000-label cap."""
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
from services.labels.printing import MAX_LABELS
from tests.conftest import PASSWORD

pytestmark = pytest.mark.slow
STARTS = 30


@pytest.fixture
def server(app, users, database_url, tmp_path):
    """The web server with three workers on the test database, its label jobs in a folder of the test's own."""
    running = Server(database_url, workers=3, log_path=tmp_path / "server.log",
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
    assert "Traceback" not in (tmp_path / "server.log").read_text()


def test_700_ids_print_through_a_post_body(app, server):
    made = [Part(name=f"Bulk {n}") for n in range(700)]
    db.session.add_all(made)
    db.session.commit()
    ids = [part.id for part in made]
    huge = ids * 18  # 12,600 ids: a URL of some 120 KB

    async def requests():
        jar, csrf = await sign_in(server.port, "viewer", PASSWORD)
        form = {"Cookie": cookie_header(jar), "Content-Type": "application/x-www-form-urlencoded"}
        body = urlencode({"type": "part", "id": ids, "csrf_token": csrf}, doseq=True).encode()
        too_many = urlencode({"type": "part", "id": huge, "csrf_token": csrf}, doseq=True).encode()
        return {
            "get": await fetch(server.port, "GET", f"/labels/print.pdf?{urlencode({'type': 'part', 'id': huge}, doseq=True)}", form),
            "preview": await fetch(server.port, "POST", "/labels/print", form, body, timeout=120),
            "pdf": await fetch(server.port, "POST", "/labels/print.pdf", form, body, timeout=120),
            "zpl": await fetch(server.port, "POST", "/labels/print.zpl", form, body, timeout=120),
            "job": await fetch(server.port, "POST", "/labels/jobs/start", {**form, "HX-Request": "true"}, body),
            "cap": await fetch(server.port, "POST", "/labels/print.pdf", form, too_many),
        }

    answers = asyncio.run(requests())
    assert answers["get"].status == 414  # refused before the app runs: nobody would learn why
    preview = answers["preview"]
    assert preview.status == 200 and b"Print 700 part labels" in preview.body
    assert b'method="post"' in preview.body  # its buttons post the 700 ids on
    assert answers["pdf"].status == 200 and answers["pdf"].body.startswith(b"%PDF")
    assert answers["zpl"].status == 200 and answers["zpl"].body.count(b"^XA") == 700
    assert answers["job"].status == 202 and b"Making the PDF" in answers["job"].body
    assert answers["cap"].status == 400 and f"At most {MAX_LABELS} labels at once, not 12600".encode() in answers["cap"].body
