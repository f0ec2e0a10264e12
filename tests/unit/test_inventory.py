"""Inventory rules without HTTP: uniqueness, GTINs, the location tree, deletes, stock history."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extensions import db
from models import Barcode, Company, Part, StockItem, StockLocation, StockTracking, SupplierPart
from services import inventory
from services.errors import DeleteRefused, FieldErrors


def location(name, parent=None):
    """Create a location through the service."""
    return inventory.save_location(None, {"name": name, "description": "", "parent_id": parent.id if parent else None})


def part(name="LM358", ipn=None, **extra):
    """Create a part through the service."""
    return inventory.save_part(None, {"name": name, "ipn": ipn, "description": "", "units": "pcs", "gtin": "",
                                      "active": True, "default_location_id": None, **extra})


def stock(p, loc=None, quantity="10", serial="", **extra):
    """Create a stock item through the service."""
    data = {"part_id": p.id, "location_id": loc.id if loc else None, "quantity": Decimal(quantity),
            "serial": serial, "batch": "", "expiry_date": None, "status": "ok", "notes": "", **extra}
    return inventory.save_stock_item(None, data)


@pytest.mark.parametrize("code", ["4006381333931", "96385074", "036000291452", "10614141000415", "5901234123457"])
def test_valid_gtins_pass(code):
    assert inventory.gtin_is_valid(code)


@pytest.mark.parametrize("code", ["4006381333932", "96385075", "036000291453", "1234567", "abcdefgh", "40063813339310",
                                  "123456789012345", ""])
def test_bad_gtins_fail(code):
    assert not inventory.gtin_is_valid(code)


def test_part_gtin_with_wrong_check_digit_is_a_field_error(app):
    with pytest.raises(FieldErrors) as exc:
        part(gtin="4006381333932")
    assert "gtin" in exc.value.errors
    assert db.session.scalar(db.select(db.func.count()).select_from(Part)) == 0


def test_duplicate_ipn_is_a_field_error_and_blank_ipns_may_repeat(app):
    part("LM358", "IC-1")
    with pytest.raises(FieldErrors) as exc:
        part("Other", "IC-1")
    assert exc.value.errors == {"ipn": "Another part already has this IPN."}
    first, second = part("A", "  "), part("B", "")
    assert first.ipn is None and second.ipn is None


def test_editing_a_part_keeps_its_own_ipn(app):
    p = part("LM358", "IC-1")
    inventory.save_part(p, {"name": "LM358 op-amp", "ipn": "IC-1"})
    assert db.session.get(Part, p.id).name == "LM358 op-amp"


def test_a_unique_violation_that_slips_past_the_check_becomes_a_field_error(app):
    part("LM358", "IC-1")
    db.session.add(Part(name="racer", ipn="IC-1"))  # as if another request inserted it after our check
    with pytest.raises(FieldErrors) as exc:
        inventory._commit(Part())
    assert "ipn" in exc.value.errors
    assert db.session.scalar(db.select(db.func.count()).select_from(Part)) == 1


def test_location_path_and_descendants(app):
    building = location("Building A")
    room = location("Lab", building)
    shelf = location("Shelf 2", room)
    assert shelf.path == "Building A / Lab / Shelf 2"
    assert inventory.location_paths()[shelf.id] == "Building A / Lab / Shelf 2"
    assert inventory.descendant_ids(building) == {room.id, shelf.id}


@pytest.mark.parametrize("depth", [1, 2, 3, 5])
def test_a_location_cannot_move_inside_its_own_subtree(app, depth):
    root = location("root")
    chain = [root]
    for n in range(depth):
        chain.append(location(f"level {n + 1}", chain[-1]))
    with pytest.raises(FieldErrors) as exc:
        inventory.save_location(root, {"name": "root", "parent_id": chain[-1].id})
    assert "parent_id" in exc.value.errors
    assert db.session.get(StockLocation, root.id).parent_id is None


def test_a_location_cannot_be_its_own_parent(app):
    loc = location("Bin")
    with pytest.raises(FieldErrors):
        inventory.save_location(loc, {"name": "Bin", "parent_id": loc.id})


def test_moving_a_location_to_another_branch_is_fine(app):
    a, b = location("A"), location("B")
    child = location("child", a)
    inventory.save_location(child, {"name": "child", "parent_id": b.id})
    assert db.session.get(StockLocation, child.id).path == "B / child"


def test_deleting_a_location_with_stock_or_children_is_refused(app):
    room = location("Room")
    shelf = location("Shelf", room)
    p = part()
    stock(p, shelf)
    with pytest.raises(DeleteRefused, match="1 sub-location"):
        inventory.delete_location(room)
    with pytest.raises(DeleteRefused, match="1 stock item"):
        inventory.delete_location(shelf)
    assert db.session.get(StockLocation, shelf.id) is not None


def test_deleting_a_part_with_stock_or_supplier_parts_is_refused(app):
    p = part()
    stock(p)
    with pytest.raises(DeleteRefused, match="1 stock item"):
        inventory.delete_part(p)
    q = part("NE555")
    company = inventory.save_company(None, {"name": "DigiKey", "is_supplier": True})
    inventory.save_supplier_part(None, {"part_id": q.id, "supplier_id": company.id, "sku": "X-1", "pack_quantity": Decimal(1)})
    with pytest.raises(DeleteRefused, match="1 supplier part"):
        inventory.delete_part(q)
    with pytest.raises(DeleteRefused, match="supplier part"):
        inventory.delete_company(company)


def test_deleting_an_object_removes_its_linked_barcodes(app):
    p = part()
    db.session.add(Barcode(data_hash="h" * 64, data="4006381333931", object_type="part", object_id=p.id))
    db.session.commit()
    inventory.delete_part(p)
    assert db.session.scalar(db.select(db.func.count()).select_from(Barcode)) == 0


def test_stock_item_history_records_created_and_edited(app):
    shelf, bin_ = location("Shelf"), location("Bin")
    item = stock(part(), shelf, "10")
    data = {"part_id": item.part_id, "location_id": bin_.id, "quantity": Decimal("7.5"), "serial": "",
            "batch": "L1", "expiry_date": None, "status": "ok", "notes": ""}
    inventory.save_stock_item(item, data, user_id=None)
    inventory.save_stock_item(item, data)  # nothing changed: no new entry
    entries = db.session.scalars(db.select(StockTracking).order_by(StockTracking.id)).all()
    assert [e.action for e in entries] == ["created", "edited"]
    edited = entries[1]
    assert (edited.from_location_id, edited.to_location_id) == (shelf.id, bin_.id)
    assert (edited.quantity_before, edited.quantity_after) == (Decimal(10), Decimal("7.5"))
    assert "batch" in edited.notes and "quantity" in edited.notes


def test_negative_quantity_and_duplicate_serial_are_refused(app):
    p = part()
    with pytest.raises(FieldErrors) as exc:
        stock(p, quantity="-1")
    assert "quantity" in exc.value.errors
    stock(p, quantity="1", serial="SN1")
    with pytest.raises(FieldErrors) as exc:
        stock(p, quantity="1", serial="SN1")
    assert "serial" in exc.value.errors
    stock(part("other"), quantity="1", serial="SN1")  # the same serial on another part is fine
    assert db.session.scalar(db.select(db.func.count()).select_from(StockItem)) == 2


def test_stock_totals_per_location(app):
    shelf, bin_ = location("Shelf"), location("Bin", None)
    p = part()
    stock(p, shelf, "10")
    stock(p, shelf, "2.5")
    stock(p, bin_, "4")
    stock(p, None, "1")
    total, per_location = inventory.part_stock_by_location(p)
    assert total == Decimal("17.5")
    assert [(loc.name if loc else None, qty) for loc, qty in per_location] == [
        (None, Decimal(1)), ("Bin", Decimal(4)), ("Shelf", Decimal("12.5"))]


def test_duplicate_sku_per_supplier_and_company_name(app):
    p = part()
    dk = inventory.save_company(None, {"name": "DigiKey", "is_supplier": True})
    mouser = inventory.save_company(None, {"name": "Mouser", "is_supplier": True})
    base = {"part_id": p.id, "sku": "SKU-1", "pack_quantity": Decimal(1)}
    inventory.save_supplier_part(None, {**base, "supplier_id": dk.id})
    inventory.save_supplier_part(None, {**base, "supplier_id": mouser.id})
    with pytest.raises(FieldErrors) as exc:
        inventory.save_supplier_part(None, {**base, "supplier_id": dk.id})
    assert "sku" in exc.value.errors
    with pytest.raises(FieldErrors) as exc:
        inventory.save_company(None, {"name": "DigiKey"})
    assert "name" in exc.value.errors
    assert db.session.scalar(db.select(db.func.count()).select_from(SupplierPart)) == 2
    assert db.session.scalar(db.select(db.func.count()).select_from(Company)) == 2
