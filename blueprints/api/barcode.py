"""InvenTree's barcode endpoints: scan, link, unlink, generate, and the scan history."""
from __future__ import annotations

import json
from time import perf_counter

from flask import Response, g, jsonify, request
from sqlalchemy import func

from barcodes import internal, normalize
from barcodes.result import ScanResult
from blueprints.api import bp, serializers
from blueprints.api.payload import (
    MAX_PK,
    PK_CONVERTER,
    ApiError,
    barcode_field,
    invalid,
    json_body,
    page_bounds,
    paginated,
    pk_value,
    query_int,
    query_text,
)
from blueprints.shared.access import requires
from extensions import db
from models import OBJECT_TYPES, ScanLog
from services import barcode_linking, scan_limit, scanlog, scanning, settings
from services.barcode_engine import resolve_scan, scan_options
from services.barcode_objects import get_object

HISTORY_RESULTS = scanlog.RESULTS


def _require_barcodes_enabled() -> None:
    if not settings.get("BARCODE_ENABLE"):
        raise ApiError(403, {"detail": "Barcode support is switched off in the settings."})


def _target(data: dict) -> tuple[str, int]:
    """The one object a link/unlink body names, as (type, pk); 400 unless exactly one type is given."""
    given = [name for name in OBJECT_TYPES if name in data]
    if len(given) != 1:
        raise ApiError(400, {"error": f"Give exactly one of: {', '.join(OBJECT_TYPES)}."})
    object_type = given[0]
    pk = pk_value(data[object_type], object_type)
    if get_object(object_type, pk) is None:
        raise ApiError(404, {object_type: [f'Invalid pk "{pk}" - object does not exist.']})
    return object_type, pk


def _logged_answer(raw: str, result: ScanResult, action: str, body: dict, started: float, status: int = 200):
    """The JSON answer, recorded in the scan log as sent (encoded once) and committed."""
    response = jsonify(body)
    response.status_code = status
    scanning.log_answered(source="api", user_id=g.api_user.id, raw=normalize.to_bytes(raw), result=result,
                          action=action, response=response.get_data(as_text=True).rstrip("\n"),
                          duration_ms=(perf_counter() - started) * 1000)
    return response


def scan_answer(raw: str, result: ScanResult) -> tuple[dict, int]:
    """The InvenTree-shaped answer to a scan: the object under its type key, or an error."""
    base = {"plugin": result.plugin, "barcode_data": raw, "barcode_hash": result.barcode_hash}
    if result.fields:
        base["fields"] = json.loads(json.dumps(result.fields, default=str))
    match = result.linked or result.match  # a linked code names what it was linked to
    instance = serializers.find_serialized(match.object_type, match.object_id) if match else None
    if instance is None:
        message = "No match found for barcode data" if result.status != "error" else (result.message or "Error")
        return {"error": message, **base}, 400
    detail = serializers.reference(match.object_type, match.object_id)
    detail["instance"] = instance
    return {match.object_type: detail, "success": "Match found for barcode data", **base}, 200


@bp.post("/barcode/")
@requires("viewer")
def scan():
    """Look up what a barcode names (viewers may scan: it changes nothing but the history)."""
    _require_barcodes_enabled()
    raw = barcode_field(json_body())
    try:
        scan_limit.check(g.api_user.id)
    except scan_limit.ScanRateLimited as limited:  # refused before any work, and not logged
        response = jsonify({"detail": str(limited)})
        response.status_code = 429
        response.headers["Retry-After"] = str(limited.retry_after)
        return response
    started = perf_counter()
    result = resolve_scan(raw, source="api")
    body, status = scan_answer(raw, result)
    return _logged_answer(raw, result, "navigate", body, started, status)


def _json(text: str, status: int) -> Response:
    """A JSON answer from text already encoded (the scan log keeps the same text)."""
    return Response(text + "\n", status=status, mimetype="application/json")


def _json_text(body: dict) -> str:
    """A body encoded as jsonify encodes it, without its final newline."""
    return jsonify(body).get_data(as_text=True).rstrip("\n")


@bp.post("/barcode/link/")
def link():
    """Link a barcode to one object; 400 when it is already in use or is an internal code."""
    _require_barcodes_enabled()
    data = json_body()
    raw = barcode_field(data)
    object_type, pk = _target(data)

    def answer(outcome: barcode_linking.LinkOutcome) -> str:
        if outcome.error:
            return _json_text({"error": outcome.error, "barcode_data": raw})
        return _json_text({"success": "Assigned barcode to object", object_type: {"pk": pk},
                           "barcode_data": outcome.barcode.data, "barcode_hash": outcome.barcode.data_hash})

    outcome = barcode_linking.link(raw, object_type, pk, user_id=g.api_user.id, source="api", answer=answer)
    return _json(outcome.answer, 400 if outcome.error else 200)


@bp.post("/barcode/unlink/")
def unlink():
    """Remove an object's linked barcodes (or only the one given as `barcode`)."""
    _require_barcodes_enabled()
    data = json_body()
    raw = barcode_field(data, required=False)
    object_type, pk = _target(data)

    def answer(outcome: barcode_linking.LinkOutcome) -> str:
        return _json_text({"success": "Barcode unassigned", object_type: {"pk": pk}, "removed": outcome.removed})

    try:
        outcome = barcode_linking.unlink(object_type, pk, raw, user_id=g.api_user.id, source="api", answer=answer)
    except ValueError as error:  # input the engine cannot normalise
        raise ApiError(400, {"barcode": [str(error)]}) from None
    if outcome.error:
        return jsonify(error=outcome.error, barcode_data=raw), 400
    return _json(outcome.answer, 200)


@bp.post("/barcode/generate/")
@requires("viewer")
def generate():
    """The internal barcode text of one object, as its labels print it."""
    data = json_body()
    model = data.get("model")
    if not isinstance(model, str) or model not in OBJECT_TYPES:
        raise invalid("model", f"Must be one of: {', '.join(OBJECT_TYPES)}.")
    pk = pk_value(data.get("pk"), "pk")
    if get_object(model, pk) is None:
        raise ApiError(404, {"pk": [f'Invalid pk "{pk}" - object does not exist.']})
    return jsonify(barcode=internal.internal_code(model, pk, scan_options().prefix))


def _history_row(row: ScanLog) -> dict:
    """One scan-log row as the history endpoint lists it."""
    try:
        response = json.loads(row.response) if row.response else None
    except ValueError:
        response = row.response
    return {
        "pk": row.id, "timestamp": row.created_at.isoformat(), "data": row.data,
        "user": row.user_id, "user_detail": {"pk": row.user.id, "username": row.user.username} if row.user else None,
        "source": row.source, "result": row.result, "plugin": row.plugin or None,
        "object_type": row.object_type or None, "object_id": row.object_id, "action": row.action,
        "response": response, "duration_ms": row.duration_ms,
    }


@bp.get("/barcode/history/")
@requires("admin")
def history():
    """The scan history, newest first, filtered by user, result and source."""
    query = db.select(ScanLog)
    user = query_int("user", None, minimum=1, maximum=MAX_PK)
    if user is not None:
        query = query.where(ScanLog.user_id == user)
    result = request.args.get("result")
    if result is not None:
        if result not in HISTORY_RESULTS:
            raise invalid("result", f"Must be one of: {', '.join(HISTORY_RESULTS)}.")
        query = query.where(ScanLog.result == result)
    source = query_text("source", 16)
    if source:
        query = query.where(ScanLog.source == source)
    limit, offset = page_bounds()
    count = db.session.execute(db.select(func.count()).select_from(query.subquery())).scalar_one()
    rows = db.session.execute(query.order_by(ScanLog.id.desc()).limit(limit).offset(offset)).scalars()
    return jsonify(paginated(count, [_history_row(row) for row in rows], limit, offset))


@bp.delete(f"/barcode/history/<{PK_CONVERTER}:pk>/")
@requires("admin")
def history_delete(pk: int):
    """Delete one scan-log row."""
    if not scanlog.delete_one(pk):
        raise ApiError(404, {"detail": "No matching scan found."})
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response
