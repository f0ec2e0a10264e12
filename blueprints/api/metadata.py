"""OPTIONS on the API's form endpoints, answered as Django REST framework's metadata: the InvenTree
app draws its forms from `actions.POST` (or `PUT`), and a form without actions tells it the user may
not submit it ("permission denied"), exactly as DRF leaves out the actions a user lacks the role for.

Other OPTIONS requests keep Flask's answer (the allowed methods, as JSON: see auth.json_everywhere).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import g, jsonify, request

from blueprints.api import bp, forms
from blueprints.shared.access import ROLE_RANK, required_role


@dataclass(frozen=True)
class Form:
    """What OPTIONS describes at one URL: the write it describes and that write's fields."""

    name: str
    method: str  # POST or PUT (DRF's name for the detail views' update)
    write_endpoint: str  # the view the form is submitted to (its role decides whether actions show)
    fields: Callable[[], dict]


def _edit(name: str, endpoint: str, kind: str) -> Form:
    return Form(name, "PUT", f"api.{endpoint}", lambda: {n: f.meta() for n, f in forms.EDITS[kind].items()})


FORMS: dict[str, Form] = {
    "/api/stock/transfer/": Form("Stock Transfer", "POST", "api.stock_transfer", lambda: forms.adjustment(True)),
    "/api/stock/count/": Form("Stock Count", "POST", "api.stock_count", lambda: forms.adjustment(False)),
    "/api/stock/add/": Form("Stock Add", "POST", "api.stock_add", lambda: forms.adjustment(False)),
    "/api/stock/remove/": Form("Stock Remove", "POST", "api.stock_remove", lambda: forms.adjustment(False)),
    "/api/part/<id:pk>/": _edit("Part Detail", "part_detail", "part"),
    "/api/stock/<id:pk>/": _edit("Stock Detail", "stock_detail", "stockitem"),
    "/api/stock/location/<id:pk>/": _edit("Stock Location Detail", "location_detail", "stocklocation"),
    "/api/company/part/<id:pk>/": _edit("Supplier Part Detail", "supplier_part_detail", "supplierpart"),
}


def describe(rule: str, form: Form) -> None:
    """Add a form to describe at `rule` (for modules with forms of their own, such as labels)."""
    FORMS[rule] = form


@bp.before_request
def form_metadata():
    """Answer OPTIONS on a form's URL with its metadata (the caller is already authenticated)."""
    if request.method != "OPTIONS" or request.url_rule is None:
        return None
    form = FORMS.get(request.url_rule.rule)
    if form is None:
        return None
    body = {"name": form.name, "description": "", "renders": ["application/json"],
            "parses": ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]}
    needed = required_role(form.write_endpoint, "POST" if form.method == "POST" else "PATCH")
    if needed is None or ROLE_RANK[g.api_user.role] >= ROLE_RANK[needed]:
        body["actions"] = {form.method: form.fields()}
    return jsonify(body)
