"""Contract: the InvenTree app's edit screens, notes editor and label printing on Shelfscan's objects.

The app draws each form from OPTIONS (lib/api_form.dart launchApiForm: extractFields, then every
field it lists must have a definition or it shows "unsupported field type"), then PATCHes every
field of the form with the object's values (InvenTreeModel.editForm, APIFormWidgetState._save).
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from extensions import db
from models import Part, StockItem, StockLocation, StockTracking, SupplierPart
from tests.inventree_app import app_server, json_of  # noqa: F401 (a fixture)

# The fields each edit form lists (lib/inventree/*.dart formFields, minus what the screen removes)
PART_FORM = ("name", "description", "IPN", "revision", "keywords", "link", "category", "default_location",
             "units", "active", "assembly", "component", "purchaseable", "salable", "trackable", "is_template",
             "virtual")
STOCK_FORM = ("status", "batch", "purchase_price", "purchase_price_currency", "packaging", "link")  # _editStockItem
LOCATION_FORM = ("name", "description", "parent", "structural")
SUPPLIER_PART_FORM = ("supplier", "SKU", "link", "note", "packaging", "pack_quantity", "active")  # API >= 189
FORM_TYPES = {"string", "url", "boolean", "decimal", "choice", "related field", "date"}  # api_form.dart constructField


@pytest.fixture
def phone(app_server):
    return app_server.phone("operator")


def _edit(phone, url: str, form: tuple[str, ...], params: dict | None = None, **changes):
    """editForm: GET the object (the screen has it), OPTIONS its URL, PATCH every field of the form."""
    current = json_of(phone.get(url, params, cite="the detail screen's reload()"), phone)
    options = json_of(phone.options(url, cite="lib/api_form.dart launchApiForm"), phone)
    fields = options["actions"]["PUT"]
    for name in form:
        assert fields[name]["type"] in FORM_TYPES, name
    body = {name: changes.get(name, current.get(name)) for name in form}
    return phone.patch(url, body, cite="lib/api_form.dart APIFormWidgetState._save (PATCH)"), fields


def test_edit_a_part(app_server, phone):
    pk = app_server.store["opamp"]
    response, fields = _edit(phone, f"part/{pk}/", PART_FORM, {"category_detail": "true"},
                             name="LM358 dual op-amp", units="pcs", IPN="IC-0358")
    part = json_of(response, phone)
    assert (part["name"], part["units"], part["IPN"]) == ("LM358 dual op-amp", "pcs", "IC-0358")
    assert fields["name"]["required"] and fields["name"]["max_length"] == 100
    assert fields["revision"]["hidden"] and fields["assembly"]["hidden"] and fields["category"]["hidden"]
    assert fields["default_location"]["api_url"] == "/api/stock/location/"
    clash, _ = _edit(phone, f"part/{pk}/", PART_FORM, IPN="R-10K")
    assert json_of(clash, phone, 400) == {"IPN": ["Another part already has this IPN."]}
    lacked, _ = _edit(phone, f"part/{pk}/", PART_FORM, assembly=True)
    assert "assembly" in json_of(lacked, phone, 400)
    assert app_server.query(lambda: db.session.get(Part, pk).ipn) == "IC-0358"


def test_edit_a_stock_item_and_its_notes(app_server, phone):
    pk = app_server.store["items"][0]
    response, fields = _edit(phone, f"stock/{pk}/", STOCK_FORM, {"part_detail": "true"}, status=55, batch="B0-2")
    item = json_of(response, phone)
    assert (item["status"], item["batch"]) == (55, "B0-2")
    assert fields["packaging"]["hidden"] and fields["purchase_price"]["hidden"]
    assert {"value": 71, "display_name": "Missing"} in fields["status"]["choices"]
    edited = app_server.query(lambda: [(t.action, t.notes) for t in db.session.execute(
        db.select(StockTracking).filter_by(stock_item_id=pk)).scalars()])
    assert edited == [("edited", "Changed: batch, status")]
    # lib/widget/notes_widget.dart: editForm with fields {"notes": {"multiline": true}}
    notes = phone.patch(f"stock/{pk}/", {"notes": "Top shelf, **left**"}, cite="lib/widget/notes_widget.dart")
    assert json_of(notes, phone)["notes"] == "Top shelf, **left**"
    bad = phone.patch(f"stock/{pk}/", {"status": 999, "batch": "x" * 101}, cite="api_form.dart _save")
    assert set(json_of(bad, phone, 400)) == {"status", "batch"}


def test_a_missing_item_keeps_its_status_through_an_edit(app_server, phone):
    pk = app_server.store["items"][1]
    app_server.query(lambda: (setattr(db.session.get(StockItem, pk), "status", "missing"), db.session.commit()))
    item = json_of(phone.get(f"stock/{pk}/", cite="stock_detail.dart reload"), phone)
    assert (item["status"], item["status_custom_key"], item["status_text"]) == (71, 71, "Missing")
    response, _ = _edit(phone, f"stock/{pk}/", STOCK_FORM, batch="found?")
    assert json_of(response, phone)["status"] == 71
    assert app_server.query(lambda: db.session.get(StockItem, pk).status) == "missing"


def test_part_notes_are_read_only_here(app_server, phone):
    pk = app_server.store["resistor"]
    fields = json_of(phone.options(f"part/{pk}/", cite="notes_widget.dart editForm"), phone)["actions"]["PUT"]
    assert fields["notes"]["read_only"] is True  # the form shows it and _save leaves it out
    assert json_of(phone.patch(f"part/{pk}/", {}, cite="notes_widget.dart (nothing to send)"), phone)["pk"] == pk


def test_edit_a_location(app_server, phone):
    ids = app_server.store
    response, fields = _edit(phone, f"stock/location/{ids['bin_1']}/", LOCATION_FORM, name="Bin 1 (blue)",
                             parent=ids["shelf_b"])
    assert json_of(response, phone)["pathstring"] == "Store / Shelf B / Bin 1 (blue)"
    assert fields["parent"]["model"] == "stocklocation" and fields["structural"]["hidden"]
    blank, _ = _edit(phone, f"stock/location/{ids['bin_1']}/", LOCATION_FORM, name="")
    assert "name" in json_of(blank, phone, 400)
    assert app_server.query(lambda: db.session.get(StockLocation, ids["bin_1"]).name) == "Bin 1 (blue)"


def test_edit_a_supplier_part(app_server, phone):
    pk = app_server.store["lm358"]
    params = {"manufacturer_detail": "true", "supplier_detail": "true", "part_detail": "true"}
    response, fields = _edit(phone, f"company/part/{pk}/", SUPPLIER_PART_FORM, params, SKU="296-LM358-ND",
                             pack_quantity="10", link="https://www.digikey.com/lm358")
    part = json_of(response, phone)
    assert (part["SKU"], part["pack_quantity"], part["link"]) == ("296-LM358-ND", "10", "https://www.digikey.com/lm358")
    assert fields["supplier"]["api_url"] == "/api/company/" and fields["active"]["hidden"]
    supplier = json_of(phone.get(f"/api/company/{part['supplier']}/", cite="api_form.dart loadInitialData"), phone)
    assert supplier["name"] == "DigiKey"
    choices = phone.get("/api/company/", {"is_supplier": "True", "search": "dig", "offset": "0", "limit": "25"},
                        cite="lib/api_form.dart _constructRelatedField asyncItems")
    assert [row["name"] for row in json_of(choices, phone)["results"]] == ["DigiKey"]
    zero, _ = _edit(phone, f"company/part/{pk}/", SUPPLIER_PART_FORM, pack_quantity="0")
    assert "pack_quantity" in json_of(zero, phone, 400)
    assert app_server.query(lambda: db.session.get(SupplierPart, pk).pack_quantity) == Decimal(10)


def test_a_viewer_gets_no_edit_form_and_cannot_patch(app_server):
    viewer = app_server.phone("viewer")
    pk = app_server.store["opamp"]
    assert "actions" not in json_of(viewer.options(f"part/{pk}/", cite="launchApiForm"), viewer)
    assert viewer.patch(f"part/{pk}/", {"name": "x"}, cite="editForm").status_code == 403


def test_print_a_label(app_server):
    """stock_detail.dart "Print label" (API >= 201, shown whatever the roles) -> labels.dart
    selectAndPrintLabel: OPTIONS label/print/, the template and plugin pickers, POST, download."""
    viewer = app_server.phone("viewer")
    item = app_server.store["items"][0]
    form = json_of(viewer.options("label/print/", cite="lib/labels.dart selectAndPrintLabel"), viewer)
    fields = form["actions"]["POST"]
    assert fields["template"]["api_url"] == "/api/label/template/" and fields["plugin"]["pk_field"] == "key"
    templates = json_of(viewer.get("/api/label/template/", {"enabled": "true", "model_type": "stockitem",
                                                            "items": str(item), "search": "", "offset": "0",
                                                            "limit": "25"},
                                   cite="api_form.dart _constructRelatedField (template)"), viewer)["results"]
    assert templates and all(row["model_type"] == "stockitem" for row in templates)
    plugins = json_of(viewer.get("/api/plugins/", {"enabled": "true", "mixin": "labels", "search": "",
                                                   "offset": "0", "limit": "25"},
                                 cite="api_form.dart _constructRelatedField (plugin)"), viewer)["results"]
    assert [row["key"] for row in plugins] == ["shelfscan-labels"]
    json_of(viewer.options("label/print/", {"plugin": "shelfscan-labels"}, cite="labels.dart onPluginChanged"), viewer)
    body = {"template": templates[0]["pk"], "plugin": "shelfscan-labels", "items": [item]}
    printed = json_of(viewer.post("label/print/", body, cite="lib/api_form.dart _submit (label/print/)"), viewer, 201)
    assert printed["complete"] is True and printed["errors"] is None and printed["output"].endswith(".pdf")
    pdf = viewer.get(printed["output"], cite="lib/labels.dart handlePrintingSuccess -> api.dart downloadFile")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    # The next print starts from the saved defaults: loadInitialData with the field's filters
    again = viewer.get(f"/api/label/template/{templates[0]['pk']}/", {"enabled": "true", "model_type": "stockitem",
                                                                      "items": str(item)},
                       cite="api_form.dart loadInitialData (default template)")
    assert json_of(again, viewer)["pk"] == templates[0]["pk"]
    assert json_of(viewer.get("/api/plugins/shelfscan-labels/", {"enabled": "true", "mixin": "labels"},
                              cite="loadInitialData (default plugin)"), viewer)["key"] == "shelfscan-labels"


def test_add_company_answers_as_a_missing_permission(app_server):
    """company_list.dart shows "Add company" below API 207 (no per-model permissions): its form has
    no actions here, so the app says "permission denied" instead of drawing it."""
    phone = app_server.phone("admin")
    form = json_of(phone.options("company/", cite="lib/widget/company/company_list.dart _addCompany"), phone)
    assert "actions" not in form
