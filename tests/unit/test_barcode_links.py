"""Linking external barcodes: uniqueness across types, wedge/camera equality, the race."""
from __future__ import annotations

import threading
import time

import pytest

from barcodes import links
from barcodes.internal import internal_code
from barcodes.links import LinkError, barcode_hash, link, linked, unlink
from barcodes.normalize import normalize
from barcodes.resolver import resolve
from extensions import db
from models import Barcode, Part, StockLocation

CAMERA = "[)>\x1e06\x1dP296-LM358BIDDFRCT-ND\x1d1PLM358BIDDFR\x1dQ10\x1e\x04"
WEDGE = "[)>06P296-LM358BIDDFRCT-ND1PLM358BIDDFRQ10"


@pytest.fixture
def things(app):
    """Two parts and a location to link barcodes to."""
    first, second = Part(name="Resistor 10k"), Part(name="Capacitor 100n")
    shelf = StockLocation(name="Drawer 3")
    db.session.add_all([first, second, shelf])
    db.session.commit()
    return first, second, shelf


def test_link_then_scan_finds_the_object_and_unlink_forgets_it(things):
    first, _second, _shelf = things
    row = link("4006381333931", "part", first.id, user_id=None)
    db.session.commit()
    assert row.data == "4006381333931" and linked("part", first.id) == [row]
    assert resolve("4006381333931").match.object_id == first.id
    assert unlink("part", first.id) == 1
    db.session.commit()
    assert resolve("4006381333931").status == "no_match"


def test_one_barcode_can_never_name_two_objects_of_any_type(things):
    first, _second, shelf = things
    link("BOX-0001", "part", first.id)
    db.session.commit()
    with pytest.raises(LinkError, match=f"already linked to part {first.id} Resistor 10k"):
        link("BOX-0001", "stocklocation", shelf.id)


def test_a_wedge_scan_without_separators_equals_the_camera_scan(things):
    first, _second, _shelf = things
    assert barcode_hash(normalize(CAMERA)) == barcode_hash(normalize(WEDGE))
    link(CAMERA, "part", first.id)
    db.session.commit()
    assert resolve(WEDGE).matches[0].object_id == first.id
    with pytest.raises(LinkError):
        link(WEDGE, "part", first.id)


def test_internal_codes_and_unknown_objects_cannot_be_linked(things):
    first, _second, _shelf = things
    for code in (internal_code("part", first.id), '{"part": 3}', "INV-SL3"):
        with pytest.raises(LinkError, match="Internal barcodes cannot be linked"):
            link(code, "part", first.id)
    with pytest.raises(LinkError, match="Unknown object"):
        link("SOMETHING", "part", 999999)
    with pytest.raises(LinkError, match="Unknown object"):
        link("SOMETHING", "bogus", 1)
    with pytest.raises(ValueError, match="empty"):
        link("   ", "part", first.id)


def test_link_rolls_back_with_the_callers_transaction(things):
    first, _second, _shelf = things
    link("ROLLBACK-ME", "part", first.id)
    db.session.rollback()
    assert db.session.execute(db.select(Barcode)).first() is None


def test_unlink_one_barcode_by_its_data(things):
    first, _second, _shelf = things
    link("A-1", "part", first.id)
    link("A-2", "part", first.id)
    assert unlink("part", first.id, data="A-1") == 1
    assert [b.data for b in linked("part", first.id)] == ["A-2"]


def test_two_concurrent_links_of_one_barcode_exactly_one_wins(app, things):
    """Two real sessions in two threads race to link the same barcode to different parts."""
    first, second, _shelf = things
    targets = {"a": first.id, "b": second.id}
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def attempt(key: str) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                link(CAMERA, "part", targets[key])
                time.sleep(0.3)  # hold the uncommitted row while the other writer tries
                db.session.commit()
                outcomes[key] = "won"
            except LinkError as exc:
                db.session.rollback()
                outcomes[key] = f"lost: {exc}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(key,)) for key in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(o.split(":")[0] for o in outcomes.values()) == ["lost", "won"], outcomes
    loser = next(o for o in outcomes.values() if o.startswith("lost"))
    assert "already linked to part" in loser
    rows = db.session.execute(db.select(Barcode)).scalars().all()
    assert len(rows) == 1
    winner = next(k for k, o in outcomes.items() if o == "won")
    assert rows[0].object_id == targets[winner]
