"""The OpenAPI paths of the endpoints InvenTree clients (the mobile app above all) use beyond barcodes:
object lists, details and edits, stock changes, roles, plugins, status codes, settings, search,
label printing, and the empty answers for what Shelfscan does not have.

Each list's parameters come from its declared filters (services/api_objects), so the document cannot
drift from what the endpoint reads; schemathesis fuzzes every one of them.
"""
from __future__ import annotations

from blueprints.api import absent, forms, labels
from blueprints.api.openapi import (
    NO_NUL,
    NULLABLE_INT,
    NULLABLE_STR,
    PAGE_PARAMS,
    PK,
    PK_PATH,
    SEARCH,
    json_answer,
    obj,
    operation,
    page,
    query,
    ref,
)
from blueprints.api.payload import FALSE_WORDS, MAX_FILTER_TEXT, NULL_WORDS, TRUE_WORDS
from blueprints.api.server_info import STATUS_CLASSES
from services.api_objects import SPECS, locations, server



def _any_case(words) -> dict:
    """A string schema for `words` in any letter case (the API reads them case-insensitively, as
    InvenTree's str2bool does; an enum would call "True" or "N" invalid although they work)."""
    spelled = ("".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in word) for word in sorted(words))
    return {"type": "string", "pattern": f"^(?:{'|'.join(spelled)})$"}


BOOL = _any_case(TRUE_WORDS | FALSE_WORDS | NULL_WORDS | {""})
TEXT = {"type": "string", "maxLength": MAX_FILTER_TEXT, "pattern": NO_NUL}
FILTER_SCHEMAS = {"bool": BOOL, "id": PK, "int": {"type": "integer", "minimum": 0, "maximum": PK["maximum"]},
                  "ref": {"anyOf": [PK, _any_case(NULL_WORDS)]}, "text": TEXT}
FLAG = {"type": "string"}  # read as yes when true, 1, yes... and no otherwise: any text is valid
ORDERING = query("ordering", TEXT, "Fields to order by, comma-separated; '-' for descending")
LIST_ERRORS = (400, 401, 403)
LOOSE = {"type": "object"}
EMPTY_PAGE = obj(["count", "next", "previous", "results"], count={"type": "integer", "const": 0}, next=NULLABLE_STR,
                 previous=NULLABLE_STR, results={"type": "array", "maxItems": 0})


def _list_params(filters: dict, flags: frozenset[str]) -> list:
    return [SEARCH, ORDERING, *PAGE_PARAMS,
            *(query(name, FILTER_SCHEMAS[spec.kind], f"InvenTree's {name} filter") for name, spec in filters.items()),
            *(query(name, FLAG, "Include this detail (true)") for name in sorted(flags))]


def _object_paths(url: str, schema: str, filters: dict, flags: frozenset[str], editable: dict | None) -> dict:
    detail = {"get": operation(f"One {schema}", {"200": json_answer(ref(schema), schema)},
                               params=[PK_PATH, *(query(n, FLAG, "Include this detail") for n in sorted(flags))],
                               errors=(401, 403, 404))}
    if editable is not None:
        body = {"type": "object", "properties": {name: _field_schema(field) for name, field in editable.items()}}
        detail["patch"] = operation(f"Edit a {schema} (the fields named; none: no change)",
                                    {"200": json_answer(ref(schema), schema)}, body=body, body_required=False,
                                    params=[PK_PATH], errors=(400, 401, 403, 404, 413))
    return {url: {"get": operation(f"List {schema} objects", {"200": json_answer(page(schema), "A page")},
                                   params=_list_params(filters, flags), errors=LIST_ERRORS)},
            f"{url}{{pk}}/": detail}


def _field_schema(field) -> dict:
    types = {"string": "string", "url": "string", "boolean": "boolean", "decimal": ["number", "string"],
             "date": "string", "choice": "integer", "related field": "integer"}
    schema = {"type": types[field.type]}
    if field.type in ("string", "url") and field.max_length:
        schema["maxLength"] = field.max_length
    if not field.required:
        schema["type"] = [*([schema["type"]] if isinstance(schema["type"], str) else schema["type"]), "null"]
    return schema


def _objects() -> dict:
    paths = {}
    for url, kind, schema in (("/api/part/", "part", "Part"), ("/api/stock/", "stockitem", "StockItem"),
                              ("/api/company/part/", "supplierpart", "SupplierPart"),
                              ("/api/company/", "company", "Company")):
        paths.update(_object_paths(url, schema, SPECS[kind].filters, SPECS[kind].flags, forms.EDITS.get(kind)))
    paths.update(_object_paths("/api/stock/location/", "StockLocation", locations.FILTERS, locations.FLAGS,
                               forms.EDITS["stocklocation"]))
    paths["/api/stock/track/"] = {"get": operation(
        "A stock item's history", {"200": json_answer(page("StockTracking"), "A page")},
        params=_list_params(SPECS["stocktracking"].filters, SPECS["stocktracking"].flags), errors=LIST_ERRORS)}
    return paths


def _stock_changes() -> dict:
    line = obj(["pk", "quantity"], pk={"anyOf": [PK, {"type": "string", "pattern": "^[0-9]{1,10}$"}]},
               quantity={"type": ["number", "string", "null"]}, status={"type": ["integer", "null"]},
               batch=NULLABLE_STR, packaging=NULLABLE_STR)
    change = {"items": {"type": "array", "minItems": 1, "maxItems": 1000, "items": line},
              "notes": {"type": ["string", "null"], "maxLength": 5000}}
    done = {"201": json_answer(ref("StockChange"), "Done")}
    paths = {"/api/stock/transfer/": {"post": operation(
        "Move stock items to a location (whole, or a quantity split off each)", done,
        body=obj(["items", "location"], location=PK, **change), errors=(400, 401, 403, 413))}}
    for kind, text in (("count", "Count stock items (set their quantity)"), ("add", "Add to stock items"),
                       ("remove", "Remove from stock items")):
        paths[f"/api/stock/{kind}/"] = {"post": operation(text, done, body=obj(["items"], **change),
                                                          errors=(400, 401, 403, 413))}
    receive = obj(["barcode"], barcode={"type": "string", "minLength": 1, "maxLength": 4096, "pattern": r"\S"},
                  location=PK, quantity={"type": ["number", "string", "null"]},
                  print_label={"type": ["boolean", "null"], "description": "Print the new item's label (default: the PRINT_ON_RECEIVE setting)"},
                  printer={"anyOf": [PK, {"type": "null"}], "description": "The printer (default: the default printer)"})
    paths["/api/barcode/receive/"] = {"post": operation(
        "Receive a supplier package by its label", {"201": json_answer(LOOSE, "Received")}, body=receive,
        errors=(400, 401, 403, 413))}
    paths["/api/barcode/po-receive/"] = {"post": operation(
        "Receive a supplier package by its label (InvenTree's name; no orders here)",
        {"200": json_answer(LOOSE, "Received")}, body=receive, errors=(400, 401, 403, 413))}
    return paths


def _server_info() -> dict:
    roles = json_answer(ref("Roles"), "Roles and permissions")
    paths = {"/api/user/roles/": {"get": operation("The caller's InvenTree roles", {"200": roles})},
             "/api/user/me/roles/": {"get": operation("The caller's InvenTree roles", {"200": roles})},
             "/api/plugins/": {"get": operation(
                 "Plugins: barcode plugins and the label printer", {"200": json_answer(page("Plugin"), "A page")},
                 params=_list_params(server.PLUGIN_FILTERS, frozenset()), errors=LIST_ERRORS)},
             "/api/plugins/{key}/": {"get": operation(
                 "One plugin", {"200": json_answer(ref("Plugin"), "Plugin")},
                 params=[{"name": "key", "in": "path", "required": True, "schema": TEXT}], errors=(401, 403, 404))},
             "/api/settings/global/": {"get": operation(
                 "The InvenTree settings answered", {"200": json_answer({"type": "array", "items": ref("Setting")},
                                                                        "Settings")})},
             "/api/settings/global/{key}/": {"get": operation(
                 "One setting", {"200": json_answer(ref("Setting"), "Setting")},
                 params=[{"name": "key", "in": "path", "required": True, "schema": TEXT}], errors=(401, 403, 404))},
             "/api/settings/user/": {"get": operation("Per-user settings (none)",
                                                      {"200": json_answer({"type": "array"}, "Settings")})}}
    for prefix in STATUS_CLASSES:
        paths[f"/api/{prefix}/status/"] = {"get": operation(
            "Status codes", {"200": json_answer(obj(["class", "values"], values=LOOSE), "Codes")})}
    for url in absent.LACKED_LISTS:
        paths[f"/api/{url}"] = {"get": operation(
            "Always empty: Shelfscan has none", {"200": json_answer(EMPTY_PAGE, "An empty page")},
            params=[SEARCH, *PAGE_PARAMS], errors=LIST_ERRORS)}
    paths["/api/part/{pk}/pricing/"] = {"get": operation(
        "A part's prices (none are kept)", {"200": json_answer(obj(["part", "currency"]), "Prices")},
        params=[PK_PATH], errors=(401, 403, 404))}
    return paths


def _search_and_labels() -> dict:
    search_body = {"type": "object", "properties": {
        "search": {"type": "string", "maxLength": MAX_FILTER_TEXT, "pattern": NO_NUL},
        "limit": {"type": "integer", "minimum": 1, "maximum": 1000}, "offset": {"type": "integer", "minimum": 0},
        **{key: {"type": "object", "description": "Filters for this kind, as its list takes them"}
           for key in ("part", "stockitem", "stocklocation", "supplierpart", "company", "partcategory")}}}
    ids = {"name": "ids", "in": "path", "required": True,
           "schema": {"type": "string", "pattern": r"^[0-9]{1,10}(,[0-9]{1,10}){0,99}$"}}
    return {
        "/api/search/": {"post": operation("Search every kind of object at once (the kinds named in the body)",
                                           {"200": json_answer(LOOSE, "Counts and results by kind")},
                                           body=search_body, body_required=False, errors=(400, 401, 403, 413))},
        "/api/label/template/": {"get": operation(
            "Label templates, one per kind of object each fits", {"200": json_answer(page("LabelTemplate"), "A page")},
            params=_list_params(labels.TEMPLATE_FILTERS, frozenset()), errors=LIST_ERRORS)},
        "/api/label/template/{pk}/": {"get": operation(
            "One label template for one kind", {"200": json_answer(ref("LabelTemplate"), "Template")},
            params=[PK_PATH], errors=(401, 403, 404))},
        "/api/label/print/": {"post": operation(
            "Print labels: the PDF's address, complete at once; with a printer, a print job (operators)",
            {"201": json_answer({"anyOf": [ref("PrintResult"), ref("PrintJob")]}, "Printed, or the job")},
            body=obj(["template", "items"], template=PK, plugin=NULLABLE_STR, printer={"anyOf": [PK, {"type": "null"}]},
                     copies={"type": "integer", "minimum": 1, "maximum": labels.MAX_API_LABELS},
                     items={"type": "array", "minItems": 1, "maxItems": labels.MAX_API_LABELS, "items": PK}),
            errors=(400, 401, 403, 413))},
        "/api/label/printer/": {"get": operation(
            "The label printers", {"200": json_answer({"type": "array", "items": ref("Printer")}, "Printers")},
            errors=(401, 403))},
        "/api/label/print/{pk}/": {"get": operation(
            "A print job's status", {"200": json_answer(ref("PrintJob"), "The job")},
            params=[PK_PATH], errors=(401, 403, 404))},
        "/api/label/output/{pk}/{ids}.pdf": {"get": operation(
            "The labels as a PDF", {"200": {"description": "PDF", "content": {"application/pdf": {
                "schema": {"type": "string", "format": "binary"}}}}},
            params=[PK_PATH, ids], errors=(400, 401, 403, 404))},
    }


def schemas() -> dict:
    """The schemas these paths refer to, for openapi.components()."""
    integer, string, boolean = {"type": "integer"}, {"type": "string"}, {"type": "boolean"}
    return {
        "Company": obj(["pk", "name", "is_supplier"], pk=integer, name=string, is_supplier=boolean,
                       is_manufacturer=boolean, is_customer=boolean, active=boolean),
        "StockTracking": obj(["pk", "item", "date", "label"], pk=integer, item=integer, date=string, label=string,
                             tracking_type=integer, notes=string, deltas=LOOSE, user=NULLABLE_INT),
        "Roles": obj(["user", "username", "roles"], user=integer, username=string, roles=LOOSE, permissions=LOOSE),
        "Plugin": obj(["key", "active", "meta", "mixins"], pk=integer, key=string, name=string, active=boolean,
                      meta=LOOSE, mixins=LOOSE),
        "Setting": obj(["key", "value", "type"], pk=integer, key=string, value=string, type=string),
        "StockChange": obj(["success", "items"], success=string, location=PK, items={"type": "array", "items": obj(
            ["pk", "quantity"], pk=integer, quantity={"type": "number"})}),
        "LabelTemplate": obj(["pk", "name", "model_type"], pk=integer, name=string, model_type=string,
                             enabled=boolean),
        "Printer": obj(["pk", "name", "kind", "is_default"], pk=integer, name=string, kind=string, is_default=boolean),
        "PrintJob": obj(["pk", "state", "complete", "message", "printer"], pk=integer, printer=NULLABLE_INT,
                        printer_name=string, template=NULLABLE_INT, model_type=string, items={"type": "array", "items": integer},
                        copies=integer, labels=integer, attempts=integer, test=boolean, user=NULLABLE_INT,
                        created=string, updated=string, message=string, complete=boolean,
                        state={"type": "string", "enum": ["queued", "sending", "printed", "failed"]}),
        "PrintResult": obj(["complete", "output"], pk=NULLABLE_INT, complete=boolean, output=string,
                           errors={"type": ["object", "null"]}),
    }


def paths() -> dict:
    """Every path of this module."""
    return {**_objects(), **_stock_changes(), **_server_info(), **_search_and_labels()}
