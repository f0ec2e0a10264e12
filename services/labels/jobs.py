"""Long label batches: generated in a background thread, with progress that any worker can read.

State lives in files under the instance folder (not in memory), because the server's worker
processes do not share memory and the browser's progress polls may reach any of them. Each job is a
thread and a PDF on disk, so both are capped: running jobs per user and in all (JobsBusy), finished
PDFs kept per user and in all (the oldest go first), and everything after KEEP_SECONDS. A lock file
makes the check and the start one step across workers.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from flask import Flask

from services.labels.printing import PrintOrder, build_pdf, choose_template

JOB_ID = re.compile(r"[0-9a-f]{32}")
KEEP_SECONDS = 3600  # finished PDFs are deleted after an hour
RUNNING_PER_USER = 2
RUNNING_IN_ALL = 4  # per server: each is a thread that renders and draws
KEPT_PER_USER = 5  # finished PDFs; a new job deletes the user's oldest beyond this
KEPT_IN_ALL = 100
STALE_SECONDS = 600  # a "running" job whose state has not changed for this long died with its worker


class JobNotFound(LookupError):
    """No such job (or not this user's)."""


class JobsBusy(Exception):
    """Too many jobs running (this user's or everyone's); the message says which, retry_after when to retry."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def _folder(app: Flask) -> Path:
    folder = Path(app.config["LABEL_JOBS_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write_state(folder: Path, job_id: str, **state) -> None:
    """Replace the state file atomically so a reader never sees half a file."""
    temporary = folder / f"{job_id}.json.tmp"
    temporary.write_text(json.dumps(state))
    os.replace(temporary, folder / f"{job_id}.json")


@contextmanager
def _locked(folder: Path):
    """Hold the jobs folder's lock (all workers of this server share it)."""
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _jobs(folder: Path) -> list[tuple[float, str, dict]]:
    """(modified time, id, state) of every job, oldest first; files that vanish meanwhile are skipped."""
    found = []
    for path in folder.glob("*.json"):
        try:
            modified = path.stat().st_mtime
            found.append((modified, path.stem, json.loads(path.read_text())))
        except (OSError, ValueError):  # deleted or replaced by another worker between listing and reading
            continue
    return sorted(found, key=lambda job: job[0])


def _delete(folder: Path, job_id: str) -> None:
    for name in (f"{job_id}.json", f"{job_id}.pdf", f"{job_id}.json.tmp"):
        (folder / name).unlink(missing_ok=True)


def _clean(folder: Path, now: float) -> list[tuple[float, str, dict]]:
    """Delete expired files and jobs over the caps; returns the jobs that remain."""
    for path in folder.iterdir():
        try:
            expired = path.stat().st_mtime < now - KEEP_SECONDS
        except FileNotFoundError:  # another worker renamed or deleted it after iterdir listed it
            continue
        if expired and path.name != ".lock":
            path.unlink(missing_ok=True)
    jobs = _jobs(folder)
    finished = [job for job in jobs if not _running(job, now)]
    by_user: dict[int, list] = {}
    for job in finished:
        by_user.setdefault(job[2].get("user_id"), []).append(job)
    doomed = {job[1] for kept in by_user.values() for job in kept[:-KEPT_PER_USER]}
    doomed |= {job[1] for job in finished[:max(0, len(finished) - KEPT_IN_ALL)]}
    for job_id in doomed:
        _delete(folder, job_id)
    return [job for job in jobs if job[1] not in doomed]


def _running(job: tuple[float, str, dict], now: float) -> bool:
    """Whether a job is still being made: its state says so, and its process is alive and recent."""
    modified, _, state = job
    return state.get("state") == "running" and modified > now - STALE_SECONDS and _alive(state.get("pid"))


def _alive(pid) -> bool:
    """Whether the process making a job still exists (a worker that was restarted took its jobs along)."""
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, TypeError, ValueError):
        return True  # another user's process, or no pid recorded: trust the time bound alone
    return True


def start(app: Flask, user_id: int, template_id: int, order: PrintOrder) -> str:
    """Start generating a PDF in the background; returns the job id. JobsBusy over the caps."""
    folder = _folder(app)
    job_id = uuid.uuid4().hex
    base = {"user_id": user_id, "total": order.count, "object_type": order.object_type, "pid": os.getpid()}
    with _locked(folder):
        now = time.time()
        running = [job for job in _clean(folder, now) if _running(job, now)]
        mine = sum(1 for job in running if job[2].get("user_id") == user_id)
        if mine >= RUNNING_PER_USER:
            raise JobsBusy(f"You have {mine} label PDFs in the making; start another when one is ready.", 30)
        if len(running) >= RUNNING_IN_ALL:
            raise JobsBusy("The server is making other label PDFs right now; try again in a minute.", 60)
        _write_state(folder, job_id, state="running", done=0, error="", **base)
    threading.Thread(target=_work, args=(app, folder, job_id, template_id, order, base),
                     name=f"labels-{job_id[:8]}", daemon=True).start()
    return job_id


def _work(app: Flask, folder: Path, job_id: str, template_id: int, order: PrintOrder, base: dict) -> None:
    """The job's thread: build the PDF, writing progress, then the outcome."""
    def progress(done: int) -> None:
        _write_state(folder, job_id, state="running", done=done, error="", **base)

    with app.app_context():
        try:
            pdf = build_pdf(choose_template(order.object_type, template_id), order, progress=progress)
            (folder / f"{job_id}.pdf").write_bytes(pdf)
            _write_state(folder, job_id, state="done", done=order.count, error="", **base)
        except ValueError as error:  # PrintError, LabelTemplateError: the person's to fix
            _write_state(folder, job_id, state="failed", done=0, error=str(error), **base)
        except Exception:  # anything else is ours: log it, tell the person briefly
            app.logger.exception("label job %s failed", job_id)
            _write_state(folder, job_id, state="failed", done=0, error="Generating the PDF failed; it has been logged.", **base)


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
    """The finished PDF of a job; JobNotFound while it is not ready (or once it is gone)."""
    path = _folder(app) / f"{job_id}.pdf"
    if status(app, job_id, user_id)["state"] != "done" or not path.exists():
        raise JobNotFound(job_id)
    return path
