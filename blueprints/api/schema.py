"""The OpenAPI 3 document at /api/schema/: every API route, its body, answers and credentials."""
from __future__ import annotations

from typing import Any

from flask import jsonify

from blueprints.api import bp, stock_changes
from blueprints.api.payload import DEFAULT_LIMIT, MAX_BARCODE_LENGTH, MAX_LIMIT, MAX_PK
from blueprints.api.users import API_VERSION, SERVER_NAME, SERVER_VERSION
from blueprints.shared.access import public
from models import OBJECT_TYPES

TOKEN_AUTH = [{"tokenAuth": []}, {"cookieAuth": []}]
BASIC_OR_TOKEN = [{"basicAuth": []}, {"tokenAuth": []}, {"cookieAuth": []}]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    """The error answers an operation can give, all JSON."""
    text = {400: "Invalid input", 401: "Missing or bad credentials", 403: "Role too low or CSRF failure",
            404: "No such object", 405: "Method not allowed", 413: "Body over 1 MB",
            429: "Too many failed sign-ins (or, scanning, too many scans a minute); see Retry-After"}
    return {str(code): _json(_ref("Error"), text[code]) for code in codes}


def _operation(summary: str, ok: dict, *, security=TOKEN_AUTH, body: dict | None = None,
               params: list | None = None, errors=(401, 403)) -> dict:
    operation = {"summary": summary, "security": security, "responses": {**ok, **_errors(*errors)}}
    if body is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if params:
        operation["parameters"] = params
    return operation


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


PK_PATH = {"name": "pk", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PK}}
PK = {"type": "integer", "minimum": 1, "maximum": MAX_PK}
PAGE_PARAMS = [
    _query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}, f"Page size (default {DEFAULT_LIMIT})"),
    _query("offset", {"type": "integer", "minimum": 0, "maximum": 2**62}, "Rows to skip"),
]
# Text query parameters refuse NUL (PostgreSQL text cannot hold it); say so, so fuzzers know.
NO_NUL = r"^[^\x00]*$"
SEARCH = _query("search", {"type": "string", "maxLength": 200, "pattern": NO_NUL}, "Case-insensitive text search")
FILTER = {"type": "integer", "minimum": 1, "maximum": MAX_PK}
BARCODE = {"type": "string", "minLength": 1, "maxLength": MAX_BARCODE_LENGTH, "pattern": r"\S"}
NULLABLE_STR = {"type": ["string", "null"]}
NULLABLE_INT = {"type": ["integer", "null"]}
OBJECT_SCHEMAS = {"part": "Part", "stockitem": "StockItem", "stocklocation": "StockLocation", "supplierpart": "SupplierPart"}


def _obj(required: list[str], **properties) -> dict:
    return {"type": "object", "required": required, "properties": properties}


def _page(item: str) -> dict:
    return _obj(["count", "next", "previous", "results"], count={"type": "integer"}, next=NULLABLE_STR,
                previous=NULLABLE_STR, results={"type": "array", "items": _ref(item)})


def _components() -> dict:
    reference = _obj(["pk", "api_url", "web_url"], pk={"type": "integer"}, api_url={"type": "string"},
                     web_url={"type": "string"})
    scan_match = _obj(["success", "barcode_data", "barcode_hash"], success={"type": "string"},
                      plugin=NULLABLE_STR, barcode_data={"type": "string"}, barcode_hash={"type": "string"},
                      fields={"type": "object"},
                      **{name: {**reference, "properties": {**reference["properties"], "instance": _ref(OBJECT_SCHEMAS[name])}}
                         for name in OBJECT_TYPES})
    return {
        "securitySchemes": {
            "tokenAuth": {"type": "apiKey", "in": "header", "name": "Authorization",
                          "description": "'Token <token>' (or 'Bearer <token>'), from /api/user/token/"},
            "basicAuth": {"type": "http", "scheme": "basic"},
            "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "session",
                           "description": "The web UI's session; unsafe methods also need X-CSRFToken"},
        },
        "schemas": {
            "Error": {"type": "object", "description": "'detail', 'error', or field name -> messages"},
            "ServerInfo": _obj(["server", "version", "apiVersion"], server={"type": "string"},
                               version={"type": "string"}, apiVersion={"type": "integer", "minimum": 206}),
            "Token": _obj(["token", "name", "expiry"], token={"type": "string"}, name={"type": "string"},
                          expiry=NULLABLE_STR),
            "User": _obj(["pk", "username"], pk={"type": "integer"}, username={"type": "string"},
                         role={"type": "string"}, is_staff={"type": "boolean"}),
            "Part": _obj(["pk", "name", "IPN"], pk={"type": "integer"}, name={"type": "string"},
                         IPN={"type": "string"}, description={"type": "string"}, active={"type": "boolean"},
                         default_location=NULLABLE_INT, barcode_hash={"type": "string"}),
            "StockItem": _obj(["pk", "part", "location", "quantity"], pk={"type": "integer"},
                              part={"type": "integer"}, location=NULLABLE_INT, supplier_part=NULLABLE_INT,
                              quantity={"type": "number"}, serial={"type": "string"}, batch={"type": "string"},
                              status={"type": "integer"}, barcode_hash={"type": "string"}),
            "StockLocation": _obj(["pk", "name", "parent"], pk={"type": "integer"}, name={"type": "string"},
                                  description={"type": "string"}, parent=NULLABLE_INT,
                                  pathstring={"type": "string"}, barcode_hash={"type": "string"}),
            "SupplierPart": _obj(["pk", "part", "supplier", "SKU", "MPN"], pk={"type": "integer"},
                                 part={"type": "integer"}, supplier={"type": "integer"},
                                 supplier_detail={"type": "object"}, SKU={"type": "string"},
                                 MPN={"type": "string"}, barcode_hash={"type": "string"}),
            "ScanMatch": scan_match,
            "ScanHistory": _obj(["pk", "timestamp", "data", "result", "source"], pk={"type": "integer"},
                                timestamp={"type": "string"}, data={"type": "string"}, user=NULLABLE_INT,
                                result={"type": "string"}, source={"type": "string"}, action={"type": "string"},
                                object_type=NULLABLE_STR, object_id=NULLABLE_INT),
        },
    }


def _target_body(extra: dict, required: list[str]) -> dict:
    """A body naming exactly one object by its type key."""
    return {
        "type": "object",
        "properties": {**extra, **{name: PK for name in OBJECT_TYPES}},
        "required": required,
        "oneOf": [{"required": [name]} for name in OBJECT_TYPES],
    }


def _object_paths(prefix: str, object_type: str, filters: dict[str, str]) -> dict:
    name = OBJECT_SCHEMAS[object_type]
    params = [SEARCH, *PAGE_PARAMS, *(_query(key, FILTER, text) for key, text in filters.items())]
    return {
        f"/api/{prefix}": {"get": _operation(f"List {name} objects", {"200": _json(_page(name), "A page")},
                                             params=params, errors=(400, 401, 403))},
        f"/api/{prefix}{{pk}}/": {"get": _operation(f"One {name}", {"200": _json(_ref(name), name)},
                                                    params=[PK_PATH], errors=(401, 403, 404))},
    }


def _barcode_paths() -> dict:
    scan_body = _obj(["barcode"], barcode=BARCODE)
    return {
        "/api/barcode/": {"post": _operation(
            "Scan: what does this barcode name? (no match answers 400)",
            {"200": _json(_ref("ScanMatch"), "Match")}, body=scan_body, errors=(400, 401, 403, 413, 429))},
        "/api/barcode/link/": {"post": _operation(
            "Link a barcode to one object", {"200": _json({"type": "object"}, "Linked")},
            body=_target_body({"barcode": BARCODE}, ["barcode"]), errors=(400, 401, 403, 404, 413))},
        "/api/barcode/unlink/": {"post": _operation(
            "Unlink an object's barcodes (or the one given)", {"200": _json({"type": "object"}, "Unlinked")},
            body=_target_body({"barcode": BARCODE}, []), errors=(400, 401, 403, 404, 413))},
        "/api/barcode/generate/": {"post": _operation(
            "The internal barcode of one object",
            {"200": _json(_obj(["barcode"], barcode={"type": "string"}), "Barcode text")},
            body=_obj(["model", "pk"], model={"type": "string", "enum": list(OBJECT_TYPES)}, pk=PK),
            errors=(400, 401, 403, 404, 413))},
        "/api/barcode/history/": {"get": _operation(
            "Scan history, newest first (admin)", {"200": _json(_page("ScanHistory"), "A page")},
            params=[*PAGE_PARAMS, _query("user", FILTER, "User pk"),
                    _query("result", {"type": "string", "enum": ["match", "no_match", "error"]}, "Result"),
                    _query("source", {"type": "string", "maxLength": 16, "pattern": NO_NUL}, "Source, e.g. api")],
            errors=(400, 401, 403))},
        "/api/barcode/history/{pk}/": {"delete": _operation(
            "Delete one history row (admin)", {"204": {"description": "Deleted"}},
            params=[PK_PATH], errors=(401, 403, 404))},
    }


def _user_paths() -> dict:
    token_op = _operation("Create an API token (HTTP Basic)", {"200": _json(_ref("Token"), "The new token")},
                          security=BASIC_OR_TOKEN, errors=(400, 401, 403, 429),
                          params=[_query("name", {"type": "string", "maxLength": 100, "pattern": NO_NUL}, "Token name")])
    return {
        "/api/": {"get": {"summary": "Server details", "security": [],
                          "responses": {"200": _json(_ref("ServerInfo"), "Server details")}}},
        "/api/schema/": {"get": {"summary": "This document", "security": [],
                                 "responses": {"200": _json({"type": "object"}, "OpenAPI 3 document")}}},
        "/api/user/token/": {"get": token_op},
        "/api/user/me/token/": {"get": token_op},
        "/api/user/me/": {"get": _operation("The caller", {"200": _json(_ref("User"), "User")},
                                            security=BASIC_OR_TOKEN, errors=(401, 403, 429))},
    }


def document() -> dict[str, Any]:
    """The whole OpenAPI document."""
    paths = {**_user_paths(), **_barcode_paths()}
    paths.update(_object_paths("part/", "part", {}))
    paths.update(_object_paths("stock/", "stockitem", {"part": "Part pk", "location": "Location pk",
                                                        "supplier_part": "Supplier part pk"}))
    paths.update(_object_paths("stock/location/", "stocklocation", {"parent": "Parent location pk"}))
    paths.update(_object_paths("company/part/", "supplierpart", {"part": "Part pk", "supplier": "Company pk"}))
    paths.update(stock_changes.OPENAPI_PATHS)
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
