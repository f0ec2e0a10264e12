"""The OpenAPI 3 document at /api/schema/: every API route, its body, answers and credentials."""
from __future__ import annotations

from typing import Any

from flask import jsonify

from blueprints.api import bp, schema_app
from blueprints.api.openapi import (
    BARCODE,
    BASIC_ONLY,
    BASIC_OR_TOKEN,
    FILTER,
    NO_NUL,
    PAGE_PARAMS,
    PK,
    PK_PATH,
    TOKEN_AUTH,
    components,
    json_answer,
    obj,
    operation,
    page,
    query,
    ref,
)
from blueprints.api.users import API_VERSION, SERVER_NAME, SERVER_VERSION
from blueprints.shared.access import public
from models import OBJECT_TYPES
from services import scanlog


def _target_body(extra: dict, required: list[str]) -> dict:
    """A body naming exactly one object by its type key."""
    return {
        "type": "object",
        "properties": {**extra, **{name: PK for name in OBJECT_TYPES}},
        "required": required,
        "oneOf": [{"required": [name]} for name in OBJECT_TYPES],
    }


def _barcode_paths() -> dict:
    scan_body = obj(["barcode"], barcode=BARCODE)
    return {
        "/api/barcode/": {"post": operation(
            "Scan: what does this barcode name? (no match answers 400)",
            {"200": json_answer(ref("ScanMatch"), "Match")}, body=scan_body, errors=(400, 401, 403, 413, 429))},
        "/api/barcode/link/": {"post": operation(
            "Link a barcode to one object", {"200": json_answer({"type": "object"}, "Linked")},
            body=_target_body({"barcode": BARCODE}, ["barcode"]), errors=(400, 401, 403, 404, 413))},
        "/api/barcode/unlink/": {"post": operation(
            "Unlink an object's barcodes (or the one given)", {"200": json_answer({"type": "object"}, "Unlinked")},
            body=_target_body({"barcode": BARCODE}, []), errors=(400, 401, 403, 404, 413))},
        "/api/barcode/generate/": {"post": operation(
            "The internal barcode of one object",
            {"200": json_answer(obj(["barcode"], barcode={"type": "string"}), "Barcode text")},
            body=obj(["model", "pk"], model={"type": "string", "enum": list(OBJECT_TYPES)}, pk=PK),
            errors=(400, 401, 403, 404, 413))},
        "/api/barcode/history/": {"get": operation(
            "Scan history, newest first (admin)", {"200": json_answer(page("ScanHistory"), "A page")},
            params=[*PAGE_PARAMS, query("user", FILTER, "User pk"),
                    query("result", {"type": "string", "enum": list(scanlog.RESULTS)}, "Result"),
                    query("source", {"type": "string", "maxLength": 16, "pattern": NO_NUL}, "Source, e.g. api")],
            errors=(400, 401, 403))},
        "/api/barcode/history/{pk}/": {"delete": operation(
            "Delete one history row (admin)", {"204": {"description": "Deleted"}},
            params=[PK_PATH], errors=(401, 403, 404))},
    }


def _user_paths() -> dict:
    token_op = operation("Create an API token (HTTP Basic only)", {"200": json_answer(ref("Token"), "The new token")},
                          security=BASIC_ONLY, errors=(400, 401, 403, 429),
                          params=[query("name", {"type": "string", "maxLength": 1000, "pattern": NO_NUL},
                                        "Token name (kept to its first 100 characters)")])
    return {
        "/api/": {"get": {"summary": "Server details", "security": [],
                          "responses": {"200": json_answer(ref("ServerInfo"), "Server details")}}},
        "/api/schema/": {"get": {"summary": "This document", "security": [],
                                 "responses": {"200": json_answer({"type": "object"}, "OpenAPI 3 document")}}},
        "/api/user/token/": {"get": token_op},
        "/api/user/me/token/": {"get": token_op},
        "/api/user/me/": {"get": operation("The caller", {"200": json_answer(ref("User"), "User")},
                                            security=BASIC_OR_TOKEN, errors=(401, 403, 429))},
    }


def _components() -> dict:
    shared = components()
    shared["schemas"].update(schema_app.schemas())
    return shared


def document() -> dict[str, Any]:
    """The whole OpenAPI document."""
    paths = {**_user_paths(), **_barcode_paths(), **schema_app.paths()}
    return {
        "openapi": "3.1.0",
        "info": {"title": f"{SERVER_NAME} API", "version": f"{SERVER_VERSION} (InvenTree API {API_VERSION})",
                 "description": "InvenTree-compatible barcode and object endpoints. All answers are JSON."},
        "servers": [{"url": "/"}],
        "security": TOKEN_AUTH,
        "paths": paths,
        "components": _components(),
    }


@bp.get("/schema/")
@public
def schema():
    """The OpenAPI document."""
    return jsonify(document())
