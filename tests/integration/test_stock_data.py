"""Shared stock data for the stock-action tests (no tests in here): a small store with items."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from barcodes.internal import internal_code
from extensions import db
from models import Company, Part, StockItem, StockLocation, SupplierPart

DIGIKEY = ("[)>\x1e06\x1dP296-LM358BIDDFRCT-ND\x1d1PLM358BIDDFR\x1dK\x1d1K72991337\x1d10K85781337\x1d11K1"
           "\x1d4LPH\x1dQ10\x1d11ZPICK\x1e\x04")
MOUSER = "[)>\x1e06\x1dKP0-1337\x1d14K011\x1d1PMC34063ADR\x1dQ3\x1d11K073121337\x1d4LMX\x1d1VTI\x1e\x04"


@dataclass
class Store:
    """Locations store > shelf_a > bin_1, store > shelf_b; parts and stock items on shelf_a and shelf_b."""

    store: StockLocation
    shelf_a: StockLocation
    shelf_b: StockLocation
    bin_1: StockLocation
    resistor: Part
    opamp: Part
    items: list[StockItem]
    lm358: SupplierPart


def make_store(item_count: int = 10) -> Store:
    """Create the store, commit, and return it."""
    store = StockLocation(name="Store")
    shelf_a = StockLocation(name="Shelf A", parent=store)
    shelf_b = StockLocation(name="Shelf B", parent=store)
    bin_1 = StockLocation(name="Bin 1", parent=shelf_a)
    resistor = Part(name="Resistor 10k", ipn="R-10K")
    opamp = Part(name="LM358", ipn="IC-LM358", default_location=shelf_b)
    digikey = Company(name="DigiKey", is_supplier=True)
    lm358 = SupplierPart(part=opamp, supplier=digikey, sku="296-LM358BIDDFRCT-ND", mpn="LM358BIDDFR")
    items = [StockItem(part=resistor, location=shelf_a, quantity=Decimal(100 + n), batch=f"B{n}")
             for n in range(item_count)]
    items.append(StockItem(part=opamp, location=shelf_b, quantity=Decimal(5)))
    db.session.add_all([store, shelf_a, shelf_b, bin_1, resistor, opamp, digikey, lm358, *items])
    db.session.commit()
    return Store(store, shelf_a, shelf_b, bin_1, resistor, opamp, items, lm358)


def code(obj) -> str:
    """The internal barcode of a model object."""
    kind = {StockItem: "stockitem", StockLocation: "stocklocation", Part: "part", SupplierPart: "supplierpart"}
    return internal_code(kind[type(obj)], obj.id)
