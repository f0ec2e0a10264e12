"""What scan sessions share: the outcome of one scan, and the session checks every step makes.

Kept apart from sessions.py and count.py so that each can use these without importing the other.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update

from extensions import db
from models import ScanSession, ScanSessionLine, StockItem, StockLocation, utcnow
from services.stock.common import StockError


@dataclass
class Outcome:
    """What one scan did in a session, for the staged list, its colour and its sound."""

    level: str  # accepted | warning | error
    kind: str  # accepted, duplicate, already_here, wrong_type, no_match, offer, confirm_location, counted, ...
    message: str
    line: ScanSessionLine | None = None
    offer: StockItem | None = None  # a part's only stock item, offered instead of the part
    confirm: StockLocation | None = None  # a sub-location to move here once confirmed

    @property
    def done(self) -> bool:
        """Whether the scan staged or changed a line (else it was refused, or only asked a question)."""
        return self.kind in ("accepted", "unexpected", "quantity")


def require_open(scan_session: ScanSession) -> None:
    """StockError unless the session still takes scans."""
    if scan_session.status != "open":
        raise StockError(f"This session is already {scan_session.status}; start a new one from the location's page.")


def line_for_item(scan_session: ScanSession, item_id: int) -> ScanSessionLine | None:
    """The session's line for a stock item, if staged."""
    return next((line for line in scan_session.lines if line.stock_item_id == item_id), None)


def claim(scan_session: ScanSession, from_status: str, to_status: str) -> None:
    """Switch the session's status only if nobody else did first (double submits, two tabs)."""
    values = {"status": to_status}
    if to_status == "committed":
        values["committed_at"] = utcnow()
    done = db.session.execute(update(ScanSession).where(ScanSession.id == scan_session.id, ScanSession.status == from_status)
                              .values(**values).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        db.session.refresh(scan_session)
        raise StockError(f"This session is already {scan_session.status}; nothing was changed.")
    db.session.refresh(scan_session)
