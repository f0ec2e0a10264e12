"""Print jobs: labels sent to a printer by a thread of its own, never in the request.

A job is a row (queued -> sending -> printed | failed, with the reason or the printer's answer), so
any worker process can show its status and admins can list them. A printer's jobs are sent by one
sender thread in the process that took the request, one after another in the order they were queued
(a raw-TCP printer takes one connection at a time, and labels come out in the order asked for); at
most SENDING_AT_ONCE printers are sent to at once. A waiting job holds no thread and no database
connection. A job left queued or sending by a worker that died is failed ("interrupted") once it is
STALE_MINUTES old, and can be retried; the sender keeps its own queue fresh. Jobs are kept KEEP_DAYS
days, at most KEEP_ROWS.
"""
from __future__ import annotations

import datetime as dt
import threading
from collections import deque

from flask import Flask, current_app
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError

from extensions import db
from models import LabelTemplate, PrintJob, Printer, utcnow
from services.labels.context import sample_context
from services.labels.printing import PrintError, PrintOrder, label_boxes, order_boxes
from services.labels.sandbox import LabelTemplateError
from services.printers import registry
from services.printers.deliver import Batch, check_media, deliver
from services.printers.transport import PrinterError

KEEP_DAYS = 14
KEEP_ROWS = 10_000
STALE_MINUTES = 15
SENDING_AT_ONCE = 4
MAX_PRINTER_LABELS = 2000  # one job; a printer at 5 labels a second is busy for 7 minutes

_slots = threading.BoundedSemaphore(SENDING_AT_ONCE)
_waiting: dict[tuple[Flask, int], deque[int]] = {}  # (app, printer id) -> its queued job ids, while its sender runs
_waiting_lock = threading.Lock()


class JobRefused(ValueError):
    """A print that cannot start (no printer, nothing to print, media mismatch); the message says why."""


def _printer(printer_id: int | None) -> Printer:
    printer = registry.get(printer_id) if printer_id else registry.default_printer()
    if printer is None:
        raise JobRefused("Choose a printer." if printer_id is None else f"Printer {printer_id} does not exist.")
    return printer


def submit(user_id: int | None, printer_id: int | None, order: PrintOrder, template_id: int | None = None) -> PrintJob:
    """Queue the order for a printer (the default when None) and start sending; JobRefused if it cannot print."""
    printer = _printer(printer_id)
    try:
        template = registry.template_for(printer, order.object_type, template_id)
        order.check(template)
        check_media(printer, template)
    except (PrintError, PrinterError) as error:
        raise JobRefused(str(error)) from None
    if order.count > MAX_PRINTER_LABELS:
        raise JobRefused(f"At most {MAX_PRINTER_LABELS} labels per print job, not {order.count}; print in smaller batches.")
    return _queue(PrintJob(user_id=user_id, printer_id=printer.id, printer_name=printer.name, template_id=template.id,
                           object_type=order.object_type, object_ids=list(order.ids), copies=order.copies,
                           start=order.start, labels=order.count))


def print_received(item_id: int, user_id: int | None, printer_id: int | None = None) -> PrintJob:
    """Queue the label of a just-received stock item (printer_id None: the default printer); JobRefused if it cannot."""
    return submit(user_id, printer_id, PrintOrder("stockitem", (item_id,)))


def test_print(user_id: int, printer_id: int) -> PrintJob:
    """Queue a test label (made-up values on the printer's part template) for a printer."""
    printer = _printer(printer_id)
    template = registry.template_for(printer, "part")
    return _queue(PrintJob(user_id=user_id, printer_id=printer.id, printer_name=printer.name, template_id=template.id,
                           object_type="part", object_ids=[], labels=1, is_test=True))


def _queue(job: PrintJob) -> PrintJob:
    prune()
    db.session.add(job)
    db.session.commit()
    _start(job.printer_id, job.id)
    return job


def _start(printer_id: int | None, job_id: int) -> None:
    """Queue the job behind the printer's others, starting the printer's sender when it has none."""
    # A deleted printer is 0: its sender fails the job at once. The app is in the key because tests
    # run several apps, on different databases, in one process.
    key = (current_app._get_current_object(), printer_id or 0)
    with _waiting_lock:
        if key in _waiting:
            _waiting[key].append(job_id)
            return
        _waiting[key] = deque([job_id])
    sender = threading.Thread(target=_sender, args=key, name=f"print-jobs-{key[1]}", daemon=True)
    try:
        sender.start()
    except RuntimeError:  # no thread to be had: forget the queue, or later jobs would wait for no sender
        with _waiting_lock:
            del _waiting[key]
        raise


def _next_job(key: tuple[Flask, int]) -> int | None:
    """The printer's next job id, or None when its queue is empty (the sender then ends)."""
    with _waiting_lock:
        if _waiting[key]:
            return _waiting[key].popleft()
        del _waiting[key]
        return None


def _still_waiting(key: tuple[Flask, int]) -> list[int]:
    with _waiting_lock:
        return list(_waiting.get(key, ()))


def _keep_fresh(job_ids: list[int]) -> None:
    """Mark jobs still queued behind this one as alive: a long queue is not an interrupted one (a job
    queued for STALE_MINUTES is taken for one whose worker died), and one job is at most minutes."""
    if job_ids:
        db.session.execute(db.update(PrintJob).where(PrintJob.id.in_(job_ids), PrintJob.state == "queued")
                           .values(updated_at=utcnow()))
        db.session.commit()


def retry(job: PrintJob) -> PrintJob:
    """Send a failed job again; JobRefused unless it failed."""
    if _state(job) != "failed":
        raise JobRefused("Only a failed print job can be retried.")
    job.state, job.message, job.updated_at = "queued", "", utcnow()
    db.session.commit()
    _start(job.printer_id, job.id)
    return job


def _set(job: PrintJob, state: str, message: str = "") -> None:
    """Record a job's state; a job deleted meanwhile (pruned, or its database emptied) is let go."""
    try:
        job.state, job.message, job.updated_at = state, message, utcnow()
        db.session.commit()
    except (ObjectDeletedError, StaleDataError):
        db.session.rollback()


def _sender(app: Flask, printer_id: int) -> None:
    """A printer's sender thread: its jobs one after another, each holding a sending slot."""
    with app.app_context():
        while (job_id := _next_job((app, printer_id))) is not None:
            try:
                with _slots:
                    _keep_fresh(_still_waiting((app, printer_id)))
                    _send(app, job_id)
            except Exception:  # a database error: the job stays queued (and is failed as stale later),
                app.logger.exception("print job %s failed", job_id)  # the printer's next jobs still go
            finally:
                db.session.remove()


def _send(app: Flask, job_id: int) -> None:
    """Make the job's labels, send them and record the outcome."""
    job = db.session.get(PrintJob, job_id)
    if job is None:  # pruned while it waited
        return
    job.attempts += 1
    _set(job, "sending")
    try:
        answer = deliver(*_prepared(job))
    except (PrinterError, PrintError, LabelTemplateError) as error:
        _set(job, "failed", str(error))
    except Exception:  # ours, not the printer's: logged, and said briefly
        db.session.rollback()
        job = db.session.get(PrintJob, job_id)
        if job is not None:  # else the job was deleted meanwhile (pruned): nothing to report to
            app.logger.exception("print job %s failed", job_id)
            _set(job, "failed", "Printing failed on the server; it has been logged.")
    else:
        _set(job, "printed", answer)


def _prepared(job: PrintJob) -> tuple[Printer, Batch]:
    """The printer and the laid-out labels, detached, with the reading transaction ended: sending
    takes seconds, and a transaction held that long would hold a pooled connection and its locks."""
    printer = db.session.get(Printer, job.printer_id) if job.printer_id else None
    if printer is None:
        raise PrintError("The printer was deleted.")
    batch = _batch(job)
    db.session.expunge(printer)
    db.session.expunge(batch.template)
    db.session.rollback()
    return printer, batch


def _batch(job: PrintJob) -> Batch:
    template = db.session.get(LabelTemplate, job.template_id) if job.template_id else None
    if template is None:
        raise PrintError("The label template was deleted.")
    if job.is_test:
        return Batch(template, [label_boxes(template, sample_context("part"))], title="Shelfscan test print")
    order = PrintOrder(job.object_type, tuple(job.object_ids), job.copies, job.start)
    return Batch(template, list(order_boxes(template, order)), job.copies, job.start,
                 title=f"Shelfscan: {job.labels} {job.object_type} labels")


def _state(job: PrintJob) -> str:
    """The job's state, with queued or sending jobs of a worker that died counted as failed."""
    updated = job.updated_at if job.updated_at.tzinfo else job.updated_at.replace(tzinfo=dt.timezone.utc)
    if job.state in ("queued", "sending") and updated < utcnow() - dt.timedelta(minutes=STALE_MINUTES):
        return "failed"
    return job.state


def describe(job: PrintJob) -> dict:
    """A job as pages and the API show it."""
    state = _state(job)
    message = job.message
    if state != job.state:
        message = "Interrupted: the server restarted while sending; retry to print."
    return {"pk": job.id, "printer": job.printer_id, "printer_name": job.printer_name, "template": job.template_id,
            "model_type": job.object_type, "items": job.object_ids, "copies": job.copies, "labels": job.labels,
            "state": state, "message": message, "attempts": job.attempts, "test": job.is_test,
            "user": job.user_id, "created": job.created_at.isoformat(), "updated": job.updated_at.isoformat(),
            "complete": state in ("printed", "failed")}


def get(job_id: int, user_id: int, is_admin: bool) -> PrintJob | None:
    """A job its owner (or an admin) may see, fresh from the database; None otherwise."""
    db.session.expire_all()
    job = db.session.get(PrintJob, job_id)
    return job if job is not None and (is_admin or job.user_id == user_id) else None


def recent(limit: int = 200) -> list[PrintJob]:
    """The newest jobs, for admins."""
    return list(db.session.execute(db.select(PrintJob).order_by(PrintJob.id.desc()).limit(limit)).scalars())


def prune() -> None:
    """Forget jobs older than KEEP_DAYS and beyond the newest KEEP_ROWS (in the caller's transaction)."""
    db.session.execute(db.delete(PrintJob).where(PrintJob.created_at < utcnow() - dt.timedelta(days=KEEP_DAYS)))
    cutoff = db.session.execute(db.select(PrintJob.id).order_by(PrintJob.id.desc()).offset(KEEP_ROWS).limit(1)).scalar()
    if cutoff is not None:
        db.session.execute(db.delete(PrintJob).where(PrintJob.id <= cutoff))
