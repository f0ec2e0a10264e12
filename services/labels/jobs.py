"""Long label batches: generated in a background thread, with progress that any worker can read.

State lives in files under the instance folder (not in memory), because the server's worker processes do not
share memory and the browser's progress polls may reach any of them.
"""
from __future__ import annotations

import json
import os
import re
import threading
import time
import uuid
from pathlib import Path

from flask import Flask

JOB_ID = re.compile(r"[0-9a-f]{32}")
KEEP_SECONDS = 3600  # finished PDFs are deleted after an hour


class JobNotFound(LookupError):
    """No such job (or not this user's)."""


def _folder(app: Flask) -> Path:
    folder = Path(app.instance_path) / "label_jobs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write_state(folder: Path, job_id: str, **state) -> None:
    """Replace the state file atomically so a reader never sees half a file."""
    temporary = folder / f"{job_id}.json.tmp"
    temporary.write_text(json.dumps(state))
    os.replace(temporary, folder / f"{job_id}.json")


def _clean(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def start(app: Flask, user_id: int, template_id: int, object_type: str, ids: list[int]) -> str:
    """Start generating a PDF in the background; returns the job id."""
    folder = _folder(app)
    _clean(folder)
    job_id = uuid.uuid4().hex
    base = {"user_id": user_id, "total": len(ids), "object_type": object_type}
    _write_state(folder, job_id, state="running", done=0, error="", **base)

    def work():
        from services.labels.printing import build_pdf, choose_template

        with app.app_context():
            try:
                template = choose_template(object_type, template_id)
                pdf = build_pdf(template, object_type, ids,
                                progress=lambda n: _write_state(folder, job_id, state="running", done=n, error="", **base))
                (folder / f"{job_id}.pdf").write_bytes(pdf)
                _write_state(folder, job_id, state="done", done=len(ids), error="", **base)
            except ValueError as error:  # PrintError, LabelTemplateError: the person's to fix
                _write_state(folder, job_id, state="failed", done=0, error=str(error), **base)
            except Exception:  # anything else is ours: log it, tell the person briefly
                app.logger.exception("label job %s failed", job_id)
                _write_state(folder, job_id, state="failed", done=0, error="Generating the PDF failed; it has been logged.", **base)

    threading.Thread(target=work, name=f"labels-{job_id[:8]}", daemon=True).start()
    return job_id


def status(app: Flask, job_id: str, user_id: int) -> dict:
    """The job's state: state (running|done|failed), done, total, error."""
    if not JOB_ID.fullmatch(job_id):
        raise JobNotFound(job_id)
    path = _folder(app) / f"{job_id}.json"
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError):
        raise JobNotFound(job_id) from None
    if state.get("user_id") != user_id:
        raise JobNotFound(job_id)
    return state


def pdf_path(app: Flask, job_id: str, user_id: int) -> Path:
    """The finished PDF of a job; JobNotFound while it is not ready."""
    if status(app, job_id, user_id)["state"] != "done":
        raise JobNotFound(job_id)
    return _folder(app) / f"{job_id}.pdf"
