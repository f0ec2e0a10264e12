"""Pieces of the OpenAPI document: security, the shared schemas, and helpers that write operations."""
from __future__ import annotations

from blueprints.api.payload import DEFAULT_LIMIT, MAX_BARCODE_LENGTH, MAX_LIMIT, MAX_PK
from models import OBJECT_TYPES

TOKEN_AUTH = [{"tokenAuth": []}, {"cookieAuth": []}]
BASIC_OR_TOKEN = [{"basicAuth": []}, {"tokenAuth": []}, {"cookieAuth": []}]
BASIC_ONLY = [{"basicAuth": []}]  # a new token needs the password itself (blueprints/api/auth.py)


def ref(name: str) -> dict:
    """A reference to a shared schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def json_answer(schema: dict, description: str) -> dict:
    """A JSON answer with its schema."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error_answers(*codes: int) -> dict:
    """The error answers an operation can give, all JSON."""
    text = {400: "Invalid input", 401: "Missing or bad credentials", 403: "Role too low or CSRF failure",
            404: "No such object", 405: "Method not allowed", 413: "Body over 1 MB",
            429: "Too many failed sign-ins (or, scanning, too many scans a minute); see Retry-After"}
    return {str(code): json_answer(ref("Error"), text[code]) for code in codes}


def operation(summary: str, ok: dict, *, security=TOKEN_AUTH, body: dict | None = None,
               params: list | None = None, errors=(401, 403), body_required: bool = True) -> dict:
    """One operation: its answers (the error ones as JSON), credentials, body and parameters."""
    operation = {"summary": summary, "security": security, "responses": {**ok, **error_answers(*errors)}}
    if body is not None:
        operation["requestBody"] = {"required": body_required, "content": {"application/json": {"schema": body}}}
    if params:
        operation["parameters"] = params
    return operation


def query(name: str, schema: dict, description: str) -> dict:
    """An optional query parameter."""
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


PK_PATH = {"name": "pk", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PK}}
PK = {"type": "integer", "minimum": 1, "maximum": MAX_PK}
PAGE_PARAMS = [
    query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}, f"Page size (default {DEFAULT_LIMIT})"),
    query("offset", {"type": "integer", "minimum": 0, "maximum": 2**62}, "Rows to skip"),
]
# Text query parameters refuse NUL (PostgreSQL text cannot hold it); say so, so fuzzers know.
NO_NUL = r"^[^\x00]*$"
SEARCH = query("search", {"type": "string", "maxLength": 200, "pattern": NO_NUL}, "Case-insensitive text search")
FILTER = {"type": "integer", "minimum": 1, "maximum": MAX_PK}
BARCODE = {"type": "string", "minLength": 1, "maxLength": MAX_BARCODE_LENGTH, "pattern": r"\S"}
NULLABLE_STR = {"type": ["string", "null"]}
NULLABLE_INT = {"type": ["integer", "null"]}
OBJECT_SCHEMAS = {"part": "Part", "stockitem": "StockItem", "stocklocation": "StockLocation", "supplierpart": "SupplierPart"}


def obj(required: list[str], **properties) -> dict:
    """An object schema."""
    return {"type": "object", "required": required, "properties": properties}


def page(item: str) -> dict:
    """A limit/offset page of a shared schema."""
    return obj(["count", "next", "previous", "results"], count={"type": "integer"}, next=NULLABLE_STR,
                previous=NULLABLE_STR, results={"type": "array", "items": ref(item)})


def components() -> dict:
    """Security schemes and the shared schemas."""
    reference = obj(["pk", "api_url", "web_url"], pk={"type": "integer"}, api_url={"type": "string"},
                     web_url={"type": "string"})
    scan_match = obj(["success", "barcode_data", "barcode_hash"], success={"type": "string"},
                      plugin=NULLABLE_STR, barcode_data={"type": "string"}, barcode_hash={"type": "string"},
                      fields={"type": "object"},
                      **{name: {**reference, "properties": {**reference["properties"], "instance": ref(OBJECT_SCHEMAS[name])}}
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
            "ServerInfo": obj(["server", "version", "apiVersion"], server={"type": "string"},
                               version={"type": "string"}, apiVersion={"type": "integer", "minimum": 206}),
            "Token": obj(["token", "name", "expiry"], token={"type": "string"}, name={"type": "string"},
                          expiry=NULLABLE_STR),
            "User": obj(["pk", "username"], pk={"type": "integer"}, username={"type": "string"},
                         role={"type": "string"}, is_staff={"type": "boolean"}),
            "Part": obj(["pk", "name", "IPN"], pk={"type": "integer"}, name={"type": "string"},
                         IPN={"type": "string"}, description={"type": "string"}, active={"type": "boolean"},
                         default_location=NULLABLE_INT, barcode_hash={"type": "string"}),
            "StockItem": obj(["pk", "part", "location", "quantity"], pk={"type": "integer"},
                              part={"type": "integer"}, location=NULLABLE_INT, supplier_part=NULLABLE_INT,
                              quantity={"type": "number"}, serial={"type": "string"}, batch={"type": "string"},
                              status={"type": "integer"}, barcode_hash={"type": "string"}),
            "StockLocation": obj(["pk", "name", "parent"], pk={"type": "integer"}, name={"type": "string"},
                                  description={"type": "string"}, parent=NULLABLE_INT,
                                  pathstring={"type": "string"}, barcode_hash={"type": "string"}),
            "SupplierPart": obj(["pk", "part", "supplier", "SKU", "MPN"], pk={"type": "integer"},
                                 part={"type": "integer"}, supplier={"type": "integer"},
                                 supplier_detail={"type": "object"}, SKU={"type": "string"},
                                 MPN={"type": "string"}, barcode_hash={"type": "string"}),
            "ScanMatch": scan_match,
            "ScanHistory": obj(["pk", "timestamp", "data", "result", "source"], pk={"type": "integer"},
                                timestamp={"type": "string"}, data={"type": "string"}, user=NULLABLE_INT,
                                result={"type": "string"}, source={"type": "string"}, action={"type": "string"},
                                object_type=NULLABLE_STR, object_id=NULLABLE_INT),
        },
    }
