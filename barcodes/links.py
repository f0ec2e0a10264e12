"""Custom barcodes: link any external barcode to one object; the data hash is unique across types."""
from __future__ import annotations

import hashlib

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from barcodes import objects
from barcodes.internal import parse_internal, parse_inventree
from barcodes.normalize import GS, RS, EOT, normalize
from barcodes.result import Scan
from database.connection import take_sqlite_write_lock
from extensions import db
from models import Barcode
from database.prepared import Prepared

_SEPARATORS = str.maketrans("", "", GS + RS + EOT)


class LinkError(ValueError):
    """A barcode that cannot be linked, with a message for people."""


def hash_key(scan: Scan) -> str:
    """The text the hash is taken of: canonical text without GS/RS/EOT, so a keyboard-wedge scan
    that lost the separators equals the camera scan that kept them."""
    return scan.text.translate(_SEPARATORS)


def barcode_hash(scan: Scan) -> str:
    """SHA-256 hex of the scan's hash key: the unique key of linked barcodes."""
    return hashlib.sha256(hash_key(scan).encode("utf-8", "surrogatepass")).hexdigest()


def _as_scan(raw_or_scan: str | bytes | Scan) -> Scan:
    if isinstance(raw_or_scan, Scan):
        return raw_or_scan
    return normalize(raw_or_scan)  # ScanInputError is a ValueError with a readable message


_TARGET_BY_HASH = Prepared(select(Barcode.__table__.c.object_type, Barcode.__table__.c.object_id).where(
    Barcode.__table__.c.data_hash == bindparam("data_hash")))


def find(scan: Scan):
    """What a scan is linked to, as a row of (object_type, object_id), or None.

    One unique-index lookup, in Core: every scan that is not an internal code comes here.
    """
    return _TARGET_BY_HASH.first({"data_hash": barcode_hash(scan)})


def _describe(target) -> str:
    kind = objects.KINDS.get(target.object_type)
    label = kind.label.lower() if kind else target.object_type
    match = objects.find_match(target.object_type, target.object_id)
    return f"{label} {target.object_id} {match.title if match else '(deleted)'}"


def link(raw_or_scan: str | bytes | Scan, object_type: str, object_id: int, user_id: int | None = None) -> Barcode:
    """Link a barcode to an object inside the caller's transaction (caller commits); LinkError if not possible."""
    scan = _as_scan(raw_or_scan)
    if parse_internal(scan.text) or parse_inventree(scan.text):
        raise LinkError("Internal barcodes cannot be linked: they already name their object.")
    if objects.get_object(object_type, object_id) is None:
        raise LinkError(f"Unknown object: {object_type} {object_id}.")
    existing = find(scan)
    if existing is not None:
        raise LinkError(f"This barcode is already linked to {_describe(existing)}.")
    row = Barcode(data_hash=barcode_hash(scan), data=scan.text, object_type=object_type,
                  object_id=object_id, created_by_id=user_id)
    _begin_for_sqlite()
    try:
        # A savepoint, so a lost race rolls back only this insert, not the caller's other work.
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        winner = find(scan)
        where = _describe(winner) if winner is not None else "another object"
        raise LinkError(f"This barcode is already linked to {where}.") from None
    return row


def _begin_for_sqlite() -> None:
    """Take SQLite's write lock before this transaction reads what it will change."""
    take_sqlite_write_lock()


def unlink(object_type: str, object_id: int, data: str | bytes | Scan | None = None) -> int:
    """Remove an object's linked barcodes (only the one for `data` when given); returns how many."""
    query = db.delete(Barcode).where(Barcode.object_type == object_type, Barcode.object_id == object_id)
    if data is not None:
        query = query.where(Barcode.data_hash == barcode_hash(_as_scan(data)))
    return db.session.execute(query).rowcount or 0


def linked(object_type: str, object_id: int) -> list[Barcode]:
    """The barcodes linked to one object, oldest first."""
    return list(db.session.execute(
        db.select(Barcode).where(Barcode.object_type == object_type, Barcode.object_id == object_id)
        .order_by(Barcode.id)
    ).scalars())
