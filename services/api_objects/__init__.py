"""What the InvenTree-compatible API reads: object lists with InvenTree's filters, the numbers shown
beside objects, status codes. Views parse the request into a ListQuery and call `page()`."""
from __future__ import annotations

from extensions import db
from models import Company, StockTracking
from services import barcode_objects
from services.api_objects.lists import SPECS
from services.api_objects.query import EMPTY, NULL, Filter, ListQuery, ListSpec, Page, run

__all__ = ["EMPTY", "MODELS", "NULL", "Filter", "ListQuery", "ListSpec", "Page", "SPECS", "find", "page"]

MODELS = {**barcode_objects.MODELS, "company": Company, "stocktracking": StockTracking}


def page(kind: str, request: ListQuery) -> Page:
    """One page of the list of `kind` (part, stockitem, supplierpart, company, stocktracking)."""
    return run(SPECS[kind], request)


def find(kind: str, pk: int):
    """One object of `kind` by pk, or None."""
    return db.session.get(MODELS[kind], pk)
