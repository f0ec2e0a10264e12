"""InvenTree endpoints for what Shelfscan does not have, answered quietly: empty lists, no prices.

The InvenTree app asks for these from screens it shows regardless of roles (a part's BOM and variant
counts, a company's purchase orders, notifications every minute). An empty answer lets it show
"none" where a 404 would make it show an error. Their detail URLs stay unknown (404): nothing exists.
"""
from __future__ import annotations

from flask import jsonify

from blueprints.api import bp
from blueprints.api.payload import PK_CONVERTER, ApiError, page_bounds, paginated, query_text
from services import api_objects

LACKED_LISTS = (
    "part/category/", "part/test-template/", "stock/test/", "bom/", "build/", "build/line/", "build/item/",
    "order/po/", "order/po-line/", "order/po-extra-line/", "order/so/", "order/so-line/",
    "order/so-extra-line/", "order/so/shipment/", "order/so-allocation/", "order/ro/",
    "company/part/manufacturer/", "attachment/", "parameter/", "project-code/", "notifications/",
)
PRICE_FIELDS = ("overall_min", "overall_max", "override_min", "override_max", "bom_cost_min", "bom_cost_max",
                "purchase_cost_min", "purchase_cost_max", "internal_cost_min", "internal_cost_max",
                "supplier_price_min", "supplier_price_max", "variant_cost_min", "variant_cost_max",
                "sale_price_min", "sale_price_max", "sale_history_min", "sale_history_max")


def _empty_list():
    """An empty page: nothing of this kind exists in Shelfscan."""
    limit, offset = page_bounds()
    query_text("search", 200)  # still refused when malformed, as on every list
    return jsonify(paginated(0, [], limit, offset))


for _path in LACKED_LISTS:
    bp.add_url_rule(f"/{_path}", endpoint=f"lacked_{_path.strip('/').replace('/', '_').replace('-', '_')}",
                    view_func=_empty_list, methods=["GET"])


@bp.get(f"/part/<{PK_CONVERTER}:pk>/pricing/")
def part_pricing(pk: int):
    """A part's prices: Shelfscan keeps none, so every range is empty (the app shows 'no pricing')."""
    if api_objects.find("part", pk) is None:
        raise ApiError(404, {"detail": "No matching object found."})
    return jsonify({"part": pk, "currency": "", "updated": None, **{name: None for name in PRICE_FIELDS}})
