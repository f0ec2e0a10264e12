"""Whether the database answers: what /healthz and a load balancer ask."""
from __future__ import annotations

from sqlalchemy import text

from extensions import db


def database_answers() -> bool:
    """True when a trivial query succeeds; any failure is rolled back and means False."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means unhealthy
        db.session.rollback()
        return False
    return True
