"""Large prints reach the app: on a real gunicorn, 700 ids in a query string are refused before the
app sees them (414), so the print preview, PDF, ZPL and background job take them in a POST body;
the app's own cap (5000 labels) still answers with its message."""
from __future__ import annotations

import asyncio
from urllib.parse import urlencode

import pytest

from bench.serving import Server, cookie_header, fetch, sign_in
from extensions import db
from models import Part
from services.labels.printing import MAX_LABELS
from tests.conftest import PASSWORD

pytestmark = pytest.mark.slow


@pytest.fixture
def server(app, users, database_url, tmp_path):
    running = Server(database_url, workers=2, log_path=tmp_path / "gunicorn.log",
                     env={"LABEL_JOBS_FOLDER": str(tmp_path / "label_jobs")})
    running.start()
    yield running
    running.stop()


def test_700_ids_print_through_a_post_body(app, server):
    made = [Part(name=f"Bulk {n}") for n in range(700)]
    db.session.add_all(made)
    db.session.commit()
    ids = [part.id for part in made]
    query = urlencode({"type": "part", "id": ids}, doseq=True)

    async def requests():
        jar, csrf = await sign_in(server.port, "viewer", PASSWORD)
        form = {"Cookie": cookie_header(jar), "Content-Type": "application/x-www-form-urlencoded"}
        body = urlencode({"type": "part", "id": ids, "csrf_token": csrf}, doseq=True).encode()
        too_many = urlencode({"type": "part", "id": ids, "copies": 8, "csrf_token": csrf}, doseq=True).encode()
        return {
            "get": await fetch(server.port, "GET", f"/labels/print.pdf?{query}", form),
            "preview": await fetch(server.port, "POST", "/labels/print", form, body, timeout=120),
            "pdf": await fetch(server.port, "POST", "/labels/print.pdf", form, body, timeout=120),
            "zpl": await fetch(server.port, "POST", "/labels/print.zpl", form, body, timeout=120),
            "job": await fetch(server.port, "POST", "/labels/jobs/start", {**form, "HX-Request": "true"}, body),
            "cap": await fetch(server.port, "POST", "/labels/print.pdf", form, too_many),
        }

    answers = asyncio.run(requests())
    assert answers["get"].status == 414  # why the body: the server refuses the URL before the app runs
    preview = answers["preview"]
    assert preview.status == 200 and b"Print 700 part labels" in preview.body
    assert b'method="post"' in preview.body  # its buttons post the 700 ids on
    assert answers["pdf"].status == 200 and answers["pdf"].body.startswith(b"%PDF")
    assert answers["zpl"].status == 200 and answers["zpl"].body.count(b"^XA") == 700
    assert answers["job"].status == 202 and b"Making the PDF" in answers["job"].body
    assert answers["cap"].status == 400 and f"At most {MAX_LABELS} labels".encode() in answers["cap"].body
