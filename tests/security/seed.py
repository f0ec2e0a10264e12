"""One object of every kind (each id 1) for the security sweeps, holding whatever text it is given."""
from __future__ import annotations

from decimal import Decimal

from extensions import db
from models import Barcode, Company, Part, ScanLog, StockItem, StockLocation, SupplierPart


def seed_one_of_everything(user, text: str = "Sample", url: str | None = None) -> dict:
    """Create a location, part, company, supplier part, stock item, linked barcode and scan-log row."""
    location = StockLocation(name=f"{text} shelf", description=f"{text} location description")
    part = Part(name=f"{text} part", ipn=f"{text}-IPN"[:100], description=f"{text} part description",
                units=text[:20], default_location=location)
    company = Company(name=f"{text} supplier"[:100], description=f"{text} company description",
                      website=url or "https://example.com/", is_manufacturer=True)
    db.session.add_all([location, part, company])
    db.session.flush()
    supplier_part = SupplierPart(part=part, supplier=company, sku=f"{text}-SKU"[:100], mpn=f"{text}-MPN"[:100],
                                 manufacturer_name=f"{text} maker"[:100], link=url or "https://example.com/p")
    db.session.add(supplier_part)
    db.session.flush()
    item = StockItem(part=part, location=location, supplier_part=supplier_part, quantity=Decimal(3),
                     batch=f"{text} batch"[:100], notes=f"{text} notes", serial=None)
    db.session.add(item)
    db.session.flush()
    barcode = Barcode(data_hash=f"sweep-{id(item)}", data=f"{text} linked code", object_type="stockitem",
                      object_id=item.id, created_by_id=user.id)
    log = ScanLog(source="dialog", user_id=user.id, raw=f"{text} scanned".encode(), data=f"{text} scanned",
                  result="no_match", response=f"{text} response")
    db.session.add_all([barcode, log])
    db.session.commit()
    return {"location": location, "part": part, "company": company, "supplier_part": supplier_part,
            "item": item, "barcode": barcode, "log": log}
