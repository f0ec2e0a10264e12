"""`flask seed-demo`: the demo workshop, large runs, and the refusal to run twice."""
from __future__ import annotations

from extensions import db
from models import Company, Part, StockItem, StockLocation, StockTracking, SupplierPart


def count(model) -> int:
    """Rows in a table."""
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_seed_demo_builds_a_workshop(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert count(Part) == 50
    assert {c.name for c in db.session.scalars(db.select(Company))} == {"DigiKey", "Mouser", "LCSC", "TME"}
    bins = db.session.scalars(db.select(StockLocation).filter_by(description="Bin")).all()
    assert bins and all(len(b.ancestors()) == 3 for b in bins)  # building / room / shelf / bin
    assert count(StockItem) >= 50 and count(StockTracking) == count(StockItem)
    assert db.session.scalar(db.select(db.func.count()).select_from(StockItem).where(StockItem.serial.is_not(None))) >= 3
    ipns = db.session.scalars(db.select(Part.ipn)).all()
    assert all(ipns)


def test_seed_demo_has_the_supplier_parts_of_the_barcode_examples(runner):
    runner.invoke(args=["seed-demo"])
    expected = {("DigiKey", "296-LM358BIDDFRCT-ND", "LM358BIDDFR"), ("Mouser", "595-MC34063ADR", "MC34063ADR"),
                ("LCSC", "C312270", "ST-1-102-A01-T000-RS"), ("TME", "WBP-302", "WBP-302")}
    found = {(sp.supplier.name, sp.sku, sp.mpn) for sp in db.session.scalars(db.select(SupplierPart))}
    assert expected <= found
    tme = db.session.scalars(db.select(SupplierPart).filter_by(sku="WBP-302")).one()
    assert tme.manufacturer_name == "WISHERENTERPRISE"


def test_seed_demo_refuses_to_run_twice_unless_forced(runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code != 0 and "--force" in again.output
    assert count(Part) == 50
    forced = runner.invoke(args=["seed-demo", "--force", "--parts", "60"])
    assert forced.exit_code == 0, forced.output
    assert count(Part) == 60 and count(Company) == 4


def test_seed_demo_with_many_parts_shows_progress(runner):
    result = runner.invoke(args=["seed-demo", "--parts", "12000"])
    assert result.exit_code == 0, result.output
    assert "Adding parts" in result.output
    assert count(Part) == 12000
    assert len(set(db.session.scalars(db.select(Part.ipn)))) == 12000


def test_seed_demo_with_few_parts_still_has_locations_and_suppliers(runner):
    assert runner.invoke(args=["seed-demo", "--parts", "4"]).exit_code == 0
    assert count(Part) == 4 and count(SupplierPart) == 4 and count(StockLocation) > 10
