"""The scan log: one row per scan, written in the caller's transaction."""
from __future__ import annotations

import json
from typing import Any

import settings
from barcodes.result import Scan, ScanResult
from extensions import db
from models import ScanLog


def record(
    *,
    source: str,
    user_id: int | None,
    raw: bytes,
    result: ScanResult | None = None,
    action: str = "",
    response: Any = "",
    duration_ms: float = 0.0,
    error: str = "",
) -> ScanLog | None:
    """Add a scan-log row to the session (the caller commits); None when logging is off."""
    if not settings.get("BARCODE_STORE_RESULTS"):
        return None
    scan: Scan | None = result.scan if result else None
    match = result.match if result else None
    row = ScanLog(
        source=source,
        user_id=user_id,
        raw=raw,
        data=scan.text if scan else "",
        symbology=scan.symbology if scan else "",
        aim_id=scan.aim_id if scan else "",
        plugin=(result.plugin or "") if result else "",
        result="error" if error or result is None else result.status,
        object_type=match.object_type if match else "",
        object_id=match.object_id if match else None,
        action=action,
        parsed=json.dumps(result.fields, default=str) if result and result.fields else "",
        response=response if isinstance(response, str) else json.dumps(response, default=str),
        duration_ms=duration_ms,
    )
    db.session.add(row)
    return row
