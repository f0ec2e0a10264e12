"""Read endpoints for parts, stock items, locations, supplier parts, companies and stock history,
under InvenTree's URLs, with its filters, orderings and `*_detail` expansions (see
services/api_objects for what each filter means)."""
from __future__ import annotations

from flask import jsonify
from flask.views import MethodView

from blueprints.api import bp, details, edits
from blueprints.api.payload import PK_CONVERTER, ApiError, list_query, paginated, shown_flags
from services import api_objects
from services.api_objects import locations

DEFAULT_FLAGS = details.DEFAULT_FLAGS
ALL_FLAGS = {**{kind: spec.flags for kind, spec in api_objects.SPECS.items()}, "stocklocation": locations.FLAGS}


def detail(kind: str, pk: int):
    """One object, with the expansions asked for; 404 when there is none."""
    row = api_objects.find(kind, pk)
    if row is None:
        raise ApiError(404, {"detail": "No matching object found."})
    # A detail view reads only the expansions; list filters mean nothing here, as in DRF.
    return jsonify(details.one(kind, row, shown_flags(ALL_FLAGS[kind], DEFAULT_FLAGS.get(kind, frozenset()))))


def _list(kind: str):
    """One page of a list with InvenTree's filters."""
    spec = api_objects.SPECS[kind]
    query, flags = list_query(spec.filters, spec.flags, DEFAULT_FLAGS.get(kind, frozenset()))
    page = api_objects.page(kind, query)
    return jsonify(paginated(page.count, details.serialize(kind, page.rows, flags), query.limit, query.offset))


@bp.get("/part/")
def part_list():
    """Parts, searched by name, IPN and description."""
    return _list("part")


@bp.get("/stock/")
def stock_list():
    """Stock items, by part, location (with sub-locations unless ?cascade=false), supplier part..."""
    return _list("stockitem")


@bp.get("/stock/location/")
def location_list():
    """Stock locations: children or the sub-tree of ?parent=, the top level, searched by name and path."""
    query, flags = list_query(locations.FILTERS, locations.FLAGS)
    page, tree, counts = locations.page(query)
    rows = details.serialize("stocklocation", page.rows, flags, tree=tree, counts=counts)
    return jsonify(paginated(page.count, rows, query.limit, query.offset))


@bp.get("/company/part/")
def supplier_part_list():
    """Supplier parts, filtered by part or supplier, searched by SKU, MPN, part and supplier name."""
    return _list("supplierpart")


@bp.get("/company/")
def company_list():
    """Companies: suppliers and manufacturers (Shelfscan has no customers)."""
    return _list("company")


@bp.get("/stock/track/")
def stock_tracking_list():
    """A stock item's history (?item=), newest first with ?ordering=-date."""
    return _list("stocktracking")


class ObjectView(MethodView):
    """One object: GET it with the expansions asked for."""

    def __init__(self, kind: str):
        self.kind = kind

    def get(self, pk: int):
        """The object."""
        return detail(self.kind, pk)


class EditableObjectView(ObjectView):
    """One object the InvenTree app edits: GET it, PATCH the fields its edit screens send."""

    def patch(self, pk: int):
        """Change the fields named in the body; the object as it is now."""
        return edits.update(self.kind, pk)


# One rule per object URL, whatever the method: a second rule for PATCH would make Werkzeug answer
# 405 instead of 404 to a GET whose id is out of range.
for _endpoint, _kind, _path, _view in (
        ("part_detail", "part", "/part/", EditableObjectView), ("stock_detail", "stockitem", "/stock/", EditableObjectView),
        ("location_detail", "stocklocation", "/stock/location/", EditableObjectView),
        ("supplier_part_detail", "supplierpart", "/company/part/", EditableObjectView),
        ("company_detail", "company", "/company/", ObjectView)):
    bp.add_url_rule(f"{_path}<{PK_CONVERTER}:pk>/", view_func=_view.as_view(_endpoint, _kind))
