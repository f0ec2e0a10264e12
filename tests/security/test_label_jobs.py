"""Background label jobs start only with a POST and the CSRF token, and are capped per user and in all."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from extensions import db
from models import Part, User
from services.labels import jobs, render_process
from tests.conftest import PASSWORD, login


@pytest.fixture
def part(app):
    made = Part(name="Widget", units="pcs")
    db.session.add(made)
    db.session.commit()
    return made


def _job_files(app) -> list[Path]:
    folder = Path(app.config["LABEL_JOBS_FOLDER"])
    return sorted(folder.glob("*.json")) if folder.exists() else []


def _batch(part, count: int = 60) -> dict:
    return {"type": "part", "id": [part.id] * count}


def _csrf(client) -> str:
    return re.search(r'"X-CSRFToken": "([^"]+)"', client.get("/labels/").get_data(as_text=True))[1]


def test_a_job_starts_only_with_a_post_and_the_csrf_token(app, client_for, part):
    viewer = client_for("viewer")
    query = f"type=part&template=1&{'&'.join(f'id={part.id}' for _ in range(60))}"
    link = viewer.get(f"/labels/jobs/start?{query}")  # what a cross-site link or <img> would send
    assert link.status_code in (404, 405) and not _job_files(app)
    app.config["WTF_CSRF_ENABLED"] = True
    forged = viewer.post("/labels/jobs/start", data=_batch(part))  # a cross-site form has no token
    assert forged.status_code == 400 and "CSRF" in forged.get_data(as_text=True) and not _job_files(app)
    started = viewer.post("/labels/jobs/start", data={**_batch(part), "csrf_token": _csrf(viewer)})
    assert started.status_code == 303 and "/labels/jobs/" in started.headers["Location"]  # the job's own page
    assert len(_job_files(app)) == 1


def _users(count: int) -> list:
    made = []
    for n in range(count):
        user = User(username=f"printer{n}", role="viewer")
        user.set_password(PASSWORD)
        db.session.add(user)
        made.append(user)
    db.session.commit()
    return made


def test_running_jobs_are_capped_per_user_and_in_all(app, client_for, part):
    viewer = client_for("viewer", htmx=True)
    others = []
    for user in _users(2):
        other = login(app.test_client(), user.username)
        other.environ_base["HTTP_HX_REQUEST"] = "true"
        others.append(other)
    # While this test holds the render lock, every started job waits in its first batch: still running.
    with render_process._lock:
        assert [viewer.post("/labels/jobs/start", data=_batch(part)).status_code for _ in range(2)] == [202, 202]
        mine = viewer.post("/labels/jobs/start", data=_batch(part))
        assert mine.status_code == 429 and mine.headers["Retry-After"]
        assert "You have 2 label PDFs in the making" in mine.get_data(as_text=True)
        assert others[0].post("/labels/jobs/start", data=_batch(part)).status_code == 202
        assert others[0].post("/labels/jobs/start", data=_batch(part)).status_code == 202
        busy = others[1].post("/labels/jobs/start", data=_batch(part))
        assert busy.status_code == 429 and "The server is making other label PDFs" in busy.get_data(as_text=True)
        assert len(_job_files(app)) == jobs.RUNNING_IN_ALL
    _wait_until_done(app)
    assert others[1].post("/labels/jobs/start", data=_batch(part)).status_code == 202


def _wait_until_done(app, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while any('"running"' in path.read_text() for path in _job_files(app)):
        assert time.monotonic() < deadline, "label jobs did not finish"
        time.sleep(0.2)


def test_finished_pdfs_are_capped_per_user(app, client_for, part):
    viewer = client_for("viewer", htmx=True)
    for _ in range(jobs.KEPT_PER_USER + 2):
        assert viewer.post("/labels/jobs/start", data=_batch(part)).status_code == 202
        _wait_until_done(app)
    folder = Path(app.config["LABEL_JOBS_FOLDER"])
    assert len(list(folder.glob("*.pdf"))) == jobs.KEPT_PER_USER + 1  # the kept ones and the newest


def test_cleaning_tolerates_files_that_other_workers_rename_or_delete(app, tmp_path):
    """The state file is written as NAME.json.tmp and renamed: cleaning may list it and find it gone."""
    import threading

    folder = tmp_path / "race"
    folder.mkdir()
    stop = threading.Event()

    def writer():
        n = 0
        while not stop.is_set():
            try:
                jobs._write_state(folder, f"{n % 50:032x}", state="done", user_id=1)
            except FileNotFoundError:  # the cleaner deleted the .tmp before the rename: fine here
                pass
            n += 1

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        for _ in range(3000):
            jobs._clean(folder, time.time() + 2 * jobs.KEEP_SECONDS)  # everything counts as expired
    finally:
        stop.set()
        thread.join()
