"""Linking external barcodes: uniqueness across types, wedge/camera equality, the race, transactions."""
from __future__ import annotations

import threading
import time

import pytest

from barcodes.internal import internal_code
from barcodes.links import LinkError, barcode_hash
from barcodes.normalize import ScanInputError, normalize
from extensions import db
from models import Barcode, Part, ScanLog, StockLocation
from services import settings
from services.barcode_engine import resolve_scan
from services.barcode_linking import NOT_LINKED, add_link, link, linked, unlink

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


def _linked(raw: str, object_type: str, object_id: int) -> str:
    """Link with the committing service; returns its error ('' when linked)."""
    return link(raw, object_type, object_id, user_id=None, source="dialog").error


def _log() -> list[tuple[str, str, int | None]]:
    return [(row.action, row.result, row.object_id)
            for row in db.session.execute(db.select(ScanLog).order_by(ScanLog.id)).scalars()]


def test_link_then_scan_finds_the_object_and_unlink_forgets_it(things):
    first, _second, _shelf = things
    outcome = link("4006381333931", "part", first.id, user_id=None, source="dialog")
    db.session.rollback()  # nothing left for the caller to commit: the service did
    assert outcome.barcode.data == "4006381333931" and linked("part", first.id) == [outcome.barcode]
    assert resolve_scan("4006381333931", source="dialog").match.object_id == first.id
    assert unlink("part", first.id, user_id=None, source="dialog").removed == 1
    db.session.rollback()
    assert resolve_scan("4006381333931", source="dialog").status == "no_match"
    assert _log() == [("link", "done", first.id), ("unlink", "done", first.id)]


def test_one_barcode_can_never_name_two_objects_of_any_type(things):
    first, _second, shelf = things
    assert _linked("BOX-0001", "part", first.id) == ""
    assert f"already linked to part {first.id} Resistor 10k" in _linked("BOX-0001", "stocklocation", shelf.id)
    assert _log()[-1] == ("link", "refused", shelf.id)  # the refusal is in the history too


def test_a_wedge_scan_without_separators_equals_the_camera_scan(things):
    first, _second, _shelf = things
    assert barcode_hash(normalize(CAMERA)) == barcode_hash(normalize(WEDGE))
    assert _linked(CAMERA, "part", first.id) == ""
    assert resolve_scan(WEDGE, source="dialog").matches[0].object_id == first.id
    assert "already linked" in _linked(WEDGE, "part", first.id)


def test_internal_codes_and_unknown_objects_cannot_be_linked(things):
    first, _second, _shelf = things
    for code in (internal_code("part", first.id), '{"part": 3}', "INV-SL3"):
        assert "Internal barcodes cannot be linked" in _linked(code, "part", first.id)
    assert "Unknown object" in _linked("SOMETHING", "part", 999999)
    assert "Unknown object" in _linked("SOMETHING", "bogus", 1)
    assert "empty" in _linked("   ", "part", first.id)
    assert db.session.execute(db.select(Barcode)).first() is None


def test_internal_codes_with_the_configured_prefix_cannot_be_linked(things):
    first, _second, _shelf = things
    settings.set_value("BARCODE_PREFIX", "AB")
    db.session.commit()
    assert "Internal barcodes" in _linked(internal_code("part", first.id, "AB"), "part", first.id)
    assert _linked(internal_code("part", first.id, "SS"), "part", first.id) == ""  # no longer ours


def test_the_configured_gs_substitute_links_what_the_scanner_sends(things):
    first, _second, _shelf = things
    settings.set_value("BARCODE_GS_SUBSTITUTE", "~")
    db.session.commit()
    outcome = link(CAMERA.replace("\x1d", "~"), "part", first.id, user_id=None, source="dialog")
    assert outcome.barcode.data == normalize(CAMERA).text


def test_add_link_rolls_back_with_the_callers_transaction(things):
    first, _second, _shelf = things
    add_link(normalize("ROLLBACK-ME"), "part", first.id, user_id=None)
    db.session.rollback()
    assert db.session.execute(db.select(Barcode)).first() is None
    with pytest.raises(LinkError, match="Unknown object"):
        add_link(normalize("X"), "part", 999999, user_id=None)


def test_a_refused_link_rolls_back_and_logs_the_refusal(things):
    first, second, _shelf = things
    assert _linked("TAKEN", "part", first.id) == ""
    outcome = link("TAKEN", "part", second.id, user_id=None, source="api",
                   answer=lambda done: f"answered: {done.error}")
    assert outcome.answer.startswith("answered: This barcode is already linked")
    row = db.session.execute(db.select(ScanLog).order_by(ScanLog.id.desc())).scalars().first()
    assert (row.action, row.result, row.source, row.response) == ("link", "refused", "api", outcome.answer)


def test_unlink_one_barcode_by_its_data(things):
    first, _second, _shelf = things
    assert _linked("A-1", "part", first.id) == "" and _linked("A-2", "part", first.id) == ""
    assert unlink("part", first.id, "A-1", user_id=None, source="dialog").removed == 1
    assert [b.data for b in linked("part", first.id)] == ["A-2"]
    again = unlink("part", first.id, "A-1", user_id=None, source="dialog")
    assert (again.removed, again.error) == (0, NOT_LINKED)
    with pytest.raises(ScanInputError):
        unlink("part", first.id, "  ", user_id=None, source="dialog")


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
                add_link(normalize(CAMERA), "part", targets[key], user_id=None)
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
