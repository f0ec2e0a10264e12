"""List search through the search indexes: every searched field, kept in sync, short queries, capped counts."""
from __future__ import annotations

import pytest
from sqlalchemy import insert, inspect, text

from blueprints import companies, locations, parts, stock_items, supplier_parts
from blueprints.shared.listing import COUNT_CAP
from extensions import db
from models import Company, Part, StockItem, StockLocation, SupplierPart
from services.search import SEARCHED

LISTINGS = {"/parts/": parts.LISTING, "/stock-items/": stock_items.LISTING,
            "/supplier-parts/": supplier_parts.LISTING, "/companies/": companies.LISTING,
            "/locations/": locations.LISTING}


def found(client, url: str) -> str:
    """The "N found" line of a list page."""
    html = client.get(url).get_data(as_text=True)
    return html.split('class="list-meta">')[1].split('<p class="hint">')[1].split("found")[0].strip()


def make_objects() -> dict:
    """One object of each listed kind, every searched field holding its own marker text."""
    part = Part(name="Widget Zorblax", ipn="IPN-Quuxel")
    supplier = Company(name="Acme Froodle", description="sells Glimber", website="https://snarfo.example")
    objects = {
        "part": part,
        "stock_item": StockItem(part=part, quantity=1, serial="SER-Wibbit", batch="LOT-Plonkus"),
        "supplier_part": SupplierPart(part=part, supplier=supplier, sku="SKU-Drazzle", mpn="MPN-Fennix",
                                      manufacturer_name="Grobnik Works"),
        "company": supplier,
        "stock_location": StockLocation(name="Shelf Yarrow", description="near the Kestrel door"),
    }
    db.session.add_all(objects.values())
    db.session.commit()
    return objects


# (list, a substring of one field in another case, the field)
FIELD_SEARCHES = [
    ("/parts/", "ZORBL", "part.name"), ("/parts/", "quux", "part.ipn"),
    ("/stock-items/", "wIBBi", "stock_item.serial"), ("/stock-items/", "plonk", "stock_item.batch"),
    ("/stock-items/", "orblax", "part.name"), ("/stock-items/", "n-quu", "part.ipn"),
    ("/supplier-parts/", "drazz", "supplier_part.sku"), ("/supplier-parts/", "FENNI", "supplier_part.mpn"),
    ("/supplier-parts/", "bnik%20wo", "supplier_part.manufacturer_name"), ("/supplier-parts/", "zorb", "part.name"),
    ("/companies/", "froodl", "company.name"), ("/companies/", "glimb", "company.description"),
    ("/companies/", "snarfo.ex", "company.website"),
    ("/locations/", "yarro", "stock_location.name"), ("/locations/", "kestr", "stock_location.description"),
]


@pytest.mark.parametrize(("url", "q", "field"), FIELD_SEARCHES)
def test_search_finds_a_substring_of_every_searched_field(operator_client, url, q, field):
    make_objects()
    assert found(operator_client, f"{url}?q={q}") == "1", field
    assert found(operator_client, f"{url}?q={q}zzz") == "0", field


def test_every_searched_column_has_a_search_index():
    """A list searching a column the search migration does not index would silently scan again."""
    for url, spec in LISTINGS.items():
        for col in spec.search:
            assert col.key in SEARCHED.get(col.table.name, ()), (url, col)


def test_search_follows_updates_and_deletes(operator_client):
    objects = make_objects()
    objects["part"].name = "Gadget Vintrosk"
    objects["stock_item"].batch = "LOT-Hummer"
    db.session.commit()
    assert found(operator_client, "/parts/?q=zorblax") == "0"
    assert found(operator_client, "/parts/?q=vintros") == "1"
    assert found(operator_client, "/parts/?q=quuxel") == "1"  # the column left alone is still found
    assert found(operator_client, "/stock-items/?q=vintrosk") == "1"  # through the renamed part
    assert found(operator_client, "/stock-items/?q=plonkus") == "0"
    assert found(operator_client, "/stock-items/?q=hummer") == "1"
    db.session.execute(text("UPDATE stock_location SET description = 'by the Ostler gate'"))  # plain SQL too
    db.session.commit()
    assert found(operator_client, "/locations/?q=kestrel") == "0"
    assert found(operator_client, "/locations/?q=ostler") == "1"
    db.session.delete(objects["stock_item"])
    db.session.delete(objects["supplier_part"])
    db.session.commit()
    assert found(operator_client, "/stock-items/?q=wibbit") == "0"
    assert found(operator_client, "/supplier-parts/?q=drazzle") == "0"
    db.session.delete(objects["part"])
    db.session.commit()
    assert found(operator_client, "/parts/?q=vintros") == "0"
    # A new row reusing a deleted row's text is found once, not twice.
    db.session.add(Part(name="Gadget Vintrosk", ipn="IPN-2"))
    db.session.commit()
    assert found(operator_client, "/parts/?q=vintros") == "1"


def test_short_searches_find_a_substring_like_longer_ones(operator_client):
    """One or two characters find values containing them anywhere, in any case (not just the start)."""
    db.session.add_all([StockLocation(name=name) for name in
                        ("L1-S1", "L1-S2", "Shelf l1", "Rack A1", "Bin A12", "S2 top", "Drawer 7")])
    db.session.add_all([Part(name="Resistor 10k", ipn="R-1"), Part(name="Capacitor", ipn="C-1"),
                        Part(name="Fuse", ipn="F-R1")])
    db.session.commit()
    assert found(operator_client, "/locations/?q=L1") == "3"
    assert found(operator_client, "/locations/?q=S2") == "2"
    assert found(operator_client, "/locations/?q=a1") == "2"
    assert found(operator_client, "/locations/?q=7") == "1"
    assert found(operator_client, "/locations/?q=L1-") == "2"  # three characters: the trigram index
    assert found(operator_client, "/parts/?q=r") == "3"  # Resistor, Capacitor's r, F-R1
    assert found(operator_client, "/parts/?q=-1") == "2"
    assert found(operator_client, "/parts/?q=%25") == "0"  # a wildcard is taken literally
    assert found(operator_client, "/parts/?q=%22") == "0"  # so is a quote (FTS query syntax)


def test_short_searches_follow_updates_and_deletes(operator_client):
    location = StockLocation(name="Shelf Q9")
    db.session.add(location)
    db.session.commit()
    assert found(operator_client, "/locations/?q=q9") == "1"
    location.name = "Shelf Z8"
    db.session.commit()
    assert found(operator_client, "/locations/?q=q9") == "0" and found(operator_client, "/locations/?q=Z8") == "1"
    db.session.delete(location)
    db.session.commit()
    assert found(operator_client, "/locations/?q=Z8") == "0"


def query_plan(query) -> str:
    """The database's plan for a query, as text (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL)."""
    compiled = query.compile(db.engine)
    conn = db.session.connection()
    if db.engine.dialect.name == "sqlite":
        params = tuple(compiled.params[name] for name in compiled.positiontup)
        return "\n".join(row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), params))
    return "\n".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params))


@pytest.mark.parametrize("q", ["Q", "Q7"])
def test_short_searches_are_served_by_an_index(app, q):
    """The plan of a list search for one or two characters reads the short-term index, not the table."""
    db.session.execute(insert(StockLocation), [{"name": f"Bin {n:04d}", "description": ""} for n in range(3000)])
    db.session.add_all([StockLocation(name=name) for name in ("Shelf Q7", "Q7-1", "Rack AQ7")])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE stock_location"))
    plan = query_plan(locations.LISTING.filtered(q))
    if db.engine.dialect.name == "sqlite":
        assert "SCAN stock_location_search_short VIRTUAL TABLE" in plan, plan
        assert not [line for line in plan.splitlines() if line.strip().startswith("SCAN stock_location") and
                    "VIRTUAL TABLE" not in line], plan
    else:
        assert "Bitmap Index Scan on ix_stock_location_name_short_search" in plan, plan
        assert "Seq Scan" not in plan, plan


def test_search_as_you_type_offers_substring_matches(operator_client):
    make_objects()
    html = operator_client.get("/parts/options?q=orblax").get_data(as_text=True)
    assert "Widget Zorblax" in html
    assert "Widget Zorblax" not in operator_client.get("/parts/options?q=nothing").get_data(as_text=True)


def add_parts(count: int, name: str = "Part") -> None:
    """Bulk-add `count` parts named '<name> 00000' ... (IPNs made unique per name)."""
    db.session.execute(insert(Part), [{"name": f"{name} {n:05d}", "ipn": f"{name}-{n:05d}", "description": "",
                                        "units": "", "active": True} for n in range(count)])
    db.session.commit()


def test_a_count_above_the_cap_shows_a_plus_and_paging_stops_there(operator_client):
    add_parts(COUNT_CAP + 5)
    html = operator_client.get("/parts/").get_data(as_text=True)
    assert "10,000+ found" in html and "Page 1 of 400+" in html
    assert 'rel="next"' in html and 'rel="last"' not in html  # there is no known last page
    last = operator_client.get("/parts/?page=99999").get_data(as_text=True)
    assert "Page 400 of 400+" in last and "Part 09999" in last and "Part 10000" not in last
    assert "Only the first 10000 rows in this order are paged" in last
    descending = operator_client.get("/parts/?sort=-name").get_data(as_text=True)
    assert "Part 10004" in descending  # the other end is one sort away


def test_a_search_matching_more_than_the_cap_pages_in_order(operator_client):
    add_parts(COUNT_CAP + 5)
    add_parts(3, name="Other")
    html = operator_client.get("/parts/?q=PART&page=2").get_data(as_text=True)
    assert "10,000+ found" in html and "Part 00025" in html and "Part 00024" not in html
    assert "Other" not in html
    assert found(operator_client, "/parts/?q=other") == "3"
    assert found(operator_client, "/parts/?q=art%200000") == "10"  # Part 00000 ... Part 00009


def test_an_exact_count_below_the_cap_is_kept(operator_client):
    add_parts(1234)
    assert found(operator_client, "/parts/") == "1,234"
    assert found(operator_client, "/parts/?q=art%2001") == "234"  # Part 01000 ... Part 01233
    assert found(operator_client, "/parts/?q=art%2000") == "1,000"  # more than the few-matches shortcut


def test_the_search_machinery_exists_after_migrating(app):
    """The FTS tables and their triggers (SQLite) or the trigram indexes (PostgreSQL) are all there.

    A later SQLite batch migration of one of these tables drops its triggers; this test says so.
    """
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as conn:
            names = {row[0] for row in conn.execute(text("SELECT name FROM sqlite_master"))}
        for table, columns in SEARCHED.items():
            assert f"{table}_search" in names
            assert {f"{table}_search_{t}" for t in ("insert", "update", "delete")} <= names, table
            assert {f"ix_{table}_{c}_search" for c in columns} <= names, table
            assert {f"{table}_search_short", f"{table}_search_short_source"} <= names, table
            assert {f"{table}_search_short_{t}" for t in ("insert", "update_old", "update_new", "delete")} <= names
    else:
        inspector = inspect(db.engine)
        for table, columns in SEARCHED.items():
            indexes = {ix["name"] for ix in inspector.get_indexes(table)}
            assert {f"ix_{table}_{c}_search" for c in columns} <= indexes, table
            assert {f"ix_{table}_{c}_short_search" for c in columns} <= indexes, table
