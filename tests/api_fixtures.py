"""Data the API tests share: a small inventory and tokens, made through the models and services."""
from __future__ import annotations

from decimal import Decimal

from extensions import db
from models import Company, Part, StockItem, StockLocation, SupplierPart, User
from services import tokens


def make_inventory() -> dict[str, int]:
    """A location tree, a part with a supplier part from LCSC, and a stock item; returns their ids."""
    shelf_root = StockLocation(name="Building A", description="Main store")
    shelf = StockLocation(name="Shelf 2", description="Resistors", parent=shelf_root)
    part = Part(name="10k resistor", ipn="R-10K", description="0603 1%", units="pcs")
    lcsc = Company(name="LCSC", is_supplier=True, website="https://lcsc.com")
    supplier_part = SupplierPart(part=part, supplier=lcsc, sku="C25804", mpn="0603WAF1002T5E",
                                 manufacturer_name="UNI-ROYAL", pack_quantity=Decimal(100))
    item = StockItem(part=part, location=shelf, supplier_part=supplier_part, quantity=Decimal("250"), batch="B7")
    other = Part(name="Capacitor 100nF", ipn="C-100N", description="0402 X7R")
    db.session.add_all([shelf_root, shelf, part, lcsc, supplier_part, item, other])
    db.session.commit()
    return {"root": shelf_root.id, "location": shelf.id, "part": part.id, "other_part": other.id,
            "company": lcsc.id, "supplierpart": supplier_part.id, "stockitem": item.id}


def token_for(user: User, name: str = "tests") -> str:
    """A fresh API token for a user (committed)."""
    _, plain = tokens.create(user, name)
    db.session.commit()
    return plain


def auth(token: str) -> dict[str, str]:
    """The header that carries a token."""
    return {"Authorization": f"Token {token}"}
