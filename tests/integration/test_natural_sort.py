"""Lists sorted by name sort as people read: 2R before 10R, any case, through an index at any size."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, insert, text

from blueprints import parts
from extensions import db
from models import Company, Part, StockItem, StockLocation, natural_key
from tests.conftest import _base_config
from tests.integration.test_search_index import query_plan
from tests.page_text import html_of


def names_on(client, url: str) -> list[str]:
    """The linked names in a list page's first column, top to bottom."""
    html = html_of(client.get(url))
    return re.findall(r'<td><a href="/[a-z-]+/\d+">([^<]+)</a>', html)


@pytest.mark.parametrize("name, earlier", [
    ("10R", "2R"), ("R10", "r9"), ("Shelf 2", "shelf 1"), ("x100", "x99"), ("A-10", "A-9b"),
    ("9" * 12, "9" * 11), ("Bin 2b", "Bin 2a"),
])
def test_natural_key_orders_numbers_by_value_and_ignores_case(name, earlier):
    assert natural_key(earlier) < natural_key(name)


def test_the_parts_list_sorts_names_naturally_both_ways(viewer_client):
    db.session.add_all([Part(name=n) for n in ("Resistor 10R", "resistor 2R", "Resistor 1R", "Resistor 100R")])
    db.session.commit()
    assert names_on(viewer_client, "/parts/") == ["Resistor 1R", "resistor 2R", "Resistor 10R", "Resistor 100R"]
    assert names_on(viewer_client, "/parts/?sort=-name") == ["Resistor 100R", "Resistor 10R", "resistor 2R", "Resistor 1R"]


def test_locations_companies_and_stock_sort_naturally(viewer_client):
    shelves = [StockLocation(name=f"Shelf {n}") for n in (10, 2, 1)]
    db.session.add_all(shelves + [Company(name=n) for n in ("Supplier 12", "Supplier 3")])
    db.session.add_all([StockItem(part=Part(name=f"Cap {n}"), location=shelves[0], quantity=Decimal(1)) for n in (20, 3)])
    db.session.commit()
    assert names_on(viewer_client, "/locations/") == ["Shelf 1", "Shelf 2", "Shelf 10"]
    assert names_on(viewer_client, "/companies/") == ["Supplier 3", "Supplier 12"]
    assert [n for n in names_on(viewer_client, "/stock-items/?sort=part") if n.startswith("Cap")] == ["Cap 3", "Cap 20"]


def test_a_renamed_part_and_a_bulk_inserted_part_get_their_key(app):
    part = Part(name="Fuse 1")
    db.session.add(part)
    db.session.commit()
    part.name = "Fuse 12"
    db.session.commit()
    db.session.execute(insert(Part), [{"name": "Fuse 3", "description": "", "units": "", "active": True}])
    db.session.commit()
    keys = dict(db.session.execute(db.select(Part.name, Part.name_key)).all())
    assert keys == {"Fuse 12": natural_key("Fuse 12"), "Fuse 3": natural_key("Fuse 3")}


def test_sorting_by_name_walks_the_index(app):
    db.session.execute(insert(Part), [{"name": f"Part {n}", "description": "", "units": "", "active": True}
                                      for n in range(2000)])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE part"))
    query = parts.LISTING.query().order_by(Part.name_key, Part.id).limit(25)
    plan = query_plan(query)
    if db.engine.dialect.name == "sqlite":
        assert "USING INDEX ix_part_name_key" in plan and "TEMP B-TREE" not in plan, plan
    else:
        assert "Index Scan using ix_part_name_key" in plan and "Sort" not in plan, plan


def test_the_migration_gives_existing_rows_their_keys(tmp_path):
    """Rows made before the natural-sort migration get their keys when it runs (always on SQLite here)."""
    from flask_migrate import upgrade

    from app import create_app

    url = f"sqlite:///{tmp_path / 'before.db'}"
    app = create_app(_base_config(url))
    with app.app_context():
        upgrade(revision="a7d3c1e9f2b4")
        db.engine.dispose()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO stock_location (name, description, created_at, updated_at) "
                          "VALUES ('Rack 10', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), "
                          "('rack 9', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
    engine.dispose()
    with app.app_context():
        upgrade()
        keys = dict(db.session.execute(db.select(StockLocation.name, StockLocation.name_key)).all())
        db.session.remove()
        db.engine.dispose()
    assert keys == {"Rack 10": natural_key("Rack 10"), "rack 9": natural_key("rack 9")}
