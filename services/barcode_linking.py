"""Linking external barcodes to objects and unlinking them: the writes behind barcodes/links.py.

`link` and `unlink` own their transaction: they make the change, write its scan-log row and commit,
or roll back and say why not. `add_link` works inside the caller's larger transaction (receiving
stock links the bag's label to the new item) and leaves the commit to the caller.
"""
from __future__ import annotations

from dataclasses import dataclass
from time import perf_counter
from typing import Callable

from sqlalchemy.exc import IntegrityError

from barcodes.links import LinkError, barcode_hash, check_linkable
from barcodes.normalize import ScanInputError, normalize, to_bytes
from barcodes.objects import KINDS
from barcodes.result import Scan, ScanResult
from database.connection import take_sqlite_write_lock
from extensions import db
from models import Barcode
from services import scanlog
from services.barcode_catalog import SqlCatalog
from services.barcode_engine import scan_options
from services.barcode_objects import get_object

NOT_LINKED = "That barcode is not linked to this object."
_CATALOG = SqlCatalog()


@dataclass
class LinkOutcome:
    """What a link or unlink did, for the caller to answer with."""

    barcode: Barcode | None = None  # the link made
    removed: int = 0  # links removed
    error: str = ""  # why nothing was done, for people
    answer: str = ""  # what the caller's `answer` made of this outcome; also the scan-log row's response
    unreadable: bool = False  # the input was no scan at all (empty, too long), rather than refused


# Turns an outcome into the text the caller will send back (an API's JSON body), so the scan-log
# row holds exactly what was answered.
Answer = Callable[[LinkOutcome], str]


def linked(object_type: str, object_id: int) -> list[Barcode]:
    """The barcodes linked to one object, oldest first."""
    return list(db.session.execute(
        db.select(Barcode).where(Barcode.object_type == object_type, Barcode.object_id == object_id)
        .order_by(Barcode.id)
    ).scalars())


def get_link(barcode_id: int) -> Barcode | None:
    """One linked barcode by its id, or None."""
    return db.session.get(Barcode, barcode_id)


def target_of(scan: Scan) -> tuple[str, int] | None:
    """The (type, id) a scan is linked to, or None."""
    return _CATALOG.linked_target(barcode_hash(scan))


def _describe(target: tuple[str, int]) -> str:
    """'part 12 LM358' for messages about where a barcode is linked."""
    object_type, object_id = target
    kind = KINDS.get(object_type)
    label = kind.label.lower() if kind else object_type
    match = _CATALOG.find_match(object_type, object_id)
    return f"{label} {object_id} {match.title if match else '(deleted)'}"


def add_link(scan: Scan, object_type: str, object_id: int, *, user_id: int | None) -> Barcode:
    """Link a scan to an object inside the caller's transaction (the caller commits or rolls back);
    LinkError with the reason when it cannot be linked."""
    check_linkable(scan, scan_options().prefix)
    if get_object(object_type, object_id) is None:
        raise LinkError(f"Unknown object: {object_type} {object_id}.")
    existing = target_of(scan)
    if existing is not None:
        raise LinkError(f"This barcode is already linked to {_describe(existing)}.")
    row = Barcode(data_hash=barcode_hash(scan), data=scan.text, object_type=object_type,
                  object_id=object_id, created_by_id=user_id)
    take_sqlite_write_lock()  # before the savepoint: see take_sqlite_write_lock
    try:
        # A savepoint, so a lost race rolls back only this insert, not the caller's other work.
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        winner = target_of(scan)
        where = _describe(winner) if winner is not None else "another object"
        raise LinkError(f"This barcode is already linked to {where}.") from None
    return row


def link(raw: str, object_type: str, object_id: int, *, user_id: int | None, source: str,
         answer: Answer | None = None) -> LinkOutcome:
    """Link a scanned or typed barcode to an object, log it and commit; a barcode that cannot be
    linked is rolled back and logged as an error, its reason in the outcome."""
    started = perf_counter()
    outcome = LinkOutcome()
    scan = Scan(raw=to_bytes(raw), text=raw)  # what the log shows if the input is no scan at all
    try:
        scan = normalize(raw, scan_options().gs_substitute)
        outcome.barcode = add_link(scan, object_type, object_id, user_id=user_id)
    except (ScanInputError, LinkError) as error:
        db.session.rollback()
        outcome.error = str(error)
        outcome.unreadable = isinstance(error, ScanInputError)
    _log("link", outcome, scan, object_type, object_id, user_id=user_id, source=source, answer=answer, started=started)
    db.session.commit()
    return outcome


def unlink(object_type: str, object_id: int, data: str | None = None, *, user_id: int | None, source: str,
           answer: Answer | None = None) -> LinkOutcome:
    """Remove an object's linked barcodes (only the one for `data` when given), log it and commit.
    ScanInputError for `data` that is no scan; NOT_LINKED (nothing written) when `data` is not linked here."""
    started = perf_counter()
    scan = normalize(data, scan_options().gs_substitute) if data is not None else Scan(raw=b"", text="")
    query = db.delete(Barcode).where(Barcode.object_type == object_type, Barcode.object_id == object_id)
    if data is not None:
        query = query.where(Barcode.data_hash == barcode_hash(scan))
    outcome = LinkOutcome(removed=db.session.execute(query).rowcount or 0)
    if data is not None and not outcome.removed:
        db.session.rollback()
        outcome.error = NOT_LINKED
        return outcome
    _log("unlink", outcome, scan, object_type, object_id, user_id=user_id, source=source, answer=answer,
         started=started)
    db.session.commit()
    return outcome


def _log(action: str, outcome: LinkOutcome, scan: Scan, object_type: str, object_id: int, *, user_id: int | None,
         source: str, answer: Answer | None, started: float) -> None:
    """The scan-log row of a link or unlink: the object it concerned, done or refused (error: no scan
    at all), and the caller's answer (or, without one, what happened in words)."""
    match = _CATALOG.find_match(object_type, object_id)
    result = ScanResult(scan=scan, status="error" if outcome.error else "match", matches=[match] if match else [],
                        format="linked", message=outcome.error,
                        barcode_hash=outcome.barcode.data_hash if outcome.barcode else "")
    outcome.answer = answer(outcome) if answer else ""
    said = outcome.answer or outcome.error or _done_message(action, outcome, match)
    scanlog.record(source=source, user_id=user_id, raw=scan.raw, result=result, action=action, response=said,
                   duration_ms=(perf_counter() - started) * 1000,
                   outcome="error" if outcome.unreadable else ("refused" if outcome.error else "done"))


def _done_message(action: str, outcome: LinkOutcome, match) -> str:
    """'Linked to part 12 LM358.' and the like, for the history of a link made on a page."""
    target = f"{match.object_type} {match.object_id} {match.title}" if match else "a deleted object"
    if action == "link":
        return f"Linked to {target}."
    return f"Unlinked {outcome.removed} barcode{'s' if outcome.removed != 1 else ''} from {target}."
