"""PATCH on parts, stock items, locations and supplier parts (routed in objects.py): what the
InvenTree app's edit screens send, including `{"parent": "5"}` when a location is scanned into another.

Fields are read as forms.py declares them; unknown and read-only fields are ignored, as Django REST
framework ignores them; a field Shelfscan lacks is accepted only with the value the API shows for it.
"""
from __future__ import annotations

from flask import g, jsonify

from blueprints.api import details
from blueprints.api.fields import FieldProblem
from blueprints.api.forms import EDITS
from blueprints.api.payload import ApiError, json_body
from services import api_objects
from services.api_objects import edits
from services.errors import FieldErrors

def _changes(kind: str, data: dict) -> dict:
    """Model attribute -> typed value for each writable field in the body; a 400 naming every bad field."""
    changes, errors = {}, {}
    for name, value in data.items():
        spec = EDITS[kind].get(name)
        if spec is None or spec.read_only:
            continue
        try:
            typed = spec.read(value)
        except FieldProblem as problem:
            errors[name] = [str(problem)]
            continue
        if spec.attr is not None:
            changes[spec.attr] = typed
    if errors:
        raise ApiError(400, errors)
    return changes


def _refused(kind: str, error: FieldErrors) -> ApiError:
    """The service's field errors under the API's field names (the form's own for the rest)."""
    names = {spec.attr: name for name, spec in EDITS[kind].items() if spec.attr}
    body: dict[str, list[str]] = {}
    for attr, message in error.errors.items():
        body.setdefault(names.get(attr, "non_field_errors"), []).append(message)
    return ApiError(400, body)


def update(kind: str, pk: int):
    """Change the fields the body names; answer the object as it is now."""
    obj = api_objects.find(kind, pk)
    if obj is None:
        raise ApiError(404, {"detail": "No matching object found."})
    changes = _changes(kind, json_body())
    try:
        obj = edits.update(kind, obj, changes, user_id=g.api_user.id)
    except FieldErrors as error:
        raise _refused(kind, error) from None
    return jsonify(details.one(kind, obj))
