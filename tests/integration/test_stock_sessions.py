"""Scan-in sessions and single moves over HTTP: staging, commit, undo, conflicts and bad input."""
from __future__ import annotations

import pytest

from extensions import db
from models import ScanLog, ScanSession, StockItem, StockLocation, StockTracking
from tests.conftest import login
from tests.integration.test_stock_data import code, make_store


@pytest.fixture
def shop(app):
    return make_store()


def _start(client, location, kind="move") -> int:
    response = client.post(f"/stock/locations/{location.id}/sessions", data={"kind": kind})
    assert response.status_code == 303
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def _scan(client, session_id, text):
    return client.post(f"/stock/sessions/{session_id}/scan", data={"barcode": text}, headers={"HX-Request": "true"})


def _location_of(item_id):
    db.session.expire_all()
    return db.session.get(StockItem, item_id).location_id


def test_scan_into_location_moves_the_item_and_records_it(operator_client, shop, users):
    item = shop.items[0]
    page = operator_client.get(f"/stock/items/{item.id}/move")
    assert page.status_code == 200 and "Scan into location" in page.get_data(as_text=True)
    response = operator_client.post(f"/stock/items/{item.id}/move", data={"barcode": code(shop.shelf_b)})
    assert response.status_code == 200
    assert "Moved" in response.get_data(as_text=True) and "Store / Shelf B" in response.get_data(as_text=True)
    assert _location_of(item.id) == shop.shelf_b.id
    entry = db.session.execute(db.select(StockTracking).filter_by(stock_item_id=item.id)).scalar_one()
    assert (entry.action, entry.from_location_id, entry.to_location_id) == ("moved", shop.shelf_a.id, shop.shelf_b.id)
    assert entry.user_id == users["operator"].id
    log = db.session.get(ScanLog, entry.scan_log_id)
    assert (log.action, log.source, log.result, log.object_type) == ("move", "page", "done", "stocklocation")
    assert log.duration_ms > 0


@pytest.mark.parametrize("scanned, message", [
    ("garbage-123", "No match"),
    ("part", "not a location"),
])
def test_scan_into_location_refuses_what_is_not_a_location(operator_client, shop, scanned, message):
    item = shop.items[0]
    text = code(shop.resistor) if scanned == "part" else scanned
    response = operator_client.post(f"/stock/items/{item.id}/move", data={"barcode": text}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _location_of(item.id) == shop.shelf_a.id
    assert db.session.scalar(db.select(db.func.count()).select_from(StockTracking)) == 0


def test_session_stages_accepted_duplicate_wrong_type_and_already_here(operator_client, shop):
    session_id = _start(operator_client, shop.shelf_b)
    first = _scan(operator_client, session_id, code(shop.items[0]))
    assert first.status_code == 200
    body = first.get_data(as_text=True)
    assert 'data-outcome="accepted"' in body and 'hx-swap-oob="true"' in body and "Move 1 item here" in body
    duplicate = _scan(operator_client, session_id, code(shop.items[0])).get_data(as_text=True)
    assert "already in the list" in duplicate and 'data-outcome="warning"' in duplicate
    wrong = _scan(operator_client, session_id, code(shop.lm358))
    assert wrong.status_code == 422 and "a supplier part" in wrong.get_data(as_text=True)
    here = _scan(operator_client, session_id, code(shop.items[-1])).get_data(as_text=True)
    assert "already in Store / Shelf B" in here
    garbage = _scan(operator_client, session_id, "no such thing \x07")
    assert garbage.status_code == 422
    refused = _scan(operator_client, session_id, "no such thing \x00")  # refused before the engine: not logged
    assert refused.status_code == 422 and "NUL character" in refused.get_data(as_text=True)
    session = db.session.get(ScanSession, session_id)
    assert [line.stock_item_id for line in session.lines] == [shop.items[0].id]
    assert _location_of(shop.items[0].id) == shop.shelf_a.id  # nothing moves before the commit
    rows = db.session.execute(db.select(ScanLog.action, ScanLog.source, ScanLog.result).order_by(ScanLog.id)).all()
    assert [tuple(row) for row in rows] == [("scan-in", "page", "done")] + [("scan-in", "page", "refused")] * 3 + [
        ("scan-in", "page", "no_match")]


def test_commit_moves_everything_at_once_and_undo_puts_it_back(operator_client, shop):
    session_id = _start(operator_client, shop.shelf_b)
    for item in shop.items[:3]:
        _scan(operator_client, session_id, code(item))
    response = operator_client.post(f"/stock/sessions/{session_id}/commit", headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"] == f"/stock/sessions/{session_id}"
    assert all(_location_of(item.id) == shop.shelf_b.id for item in shop.items[:3])
    page = operator_client.get(f"/stock/sessions/{session_id}").get_data(as_text=True)
    assert "Moved 3 here" in page and "data-undo" in page
    again = operator_client.post(f"/stock/sessions/{session_id}/commit", headers={"HX-Request": "true"})
    assert again.status_code == 422 and "already committed" in again.get_data(as_text=True)
    undo = operator_client.post(f"/stock/sessions/{session_id}/undo", headers={"HX-Request": "true"})
    assert undo.status_code == 200
    assert all(_location_of(item.id) == shop.shelf_a.id for item in shop.items[:3])
    actions = db.session.execute(db.select(StockTracking.action).order_by(StockTracking.id)).scalars().all()
    assert actions == ["moved"] * 3 + ["undone"] * 3
    assert db.session.get(ScanSession, session_id).status == "undone"
    assert "undo" in db.session.execute(db.select(ScanLog.action)).scalars().all()


def test_commit_and_undo_rows_in_the_scan_history_say_what_happened(operator_client, shop):
    session_id = _start(operator_client, shop.shelf_b)
    for item in shop.items[:2]:
        _scan(operator_client, session_id, code(item))
    operator_client.post(f"/stock/sessions/{session_id}/commit", headers={"HX-Request": "true"})
    operator_client.post(f"/stock/sessions/{session_id}/undo", headers={"HX-Request": "true"})
    rows = db.session.execute(db.select(ScanLog).order_by(ScanLog.id)).scalars().all()
    assert [(row.action, row.source, row.result) for row in rows] == [
        ("scan-in", "page", "done"), ("scan-in", "page", "done"), ("commit", "button", "done"), ("undo", "button", "done")]
    assert all(row.duration_ms > 0 for row in rows)
    assert "Moved 2 items into Store / Shelf B" in rows[2].response and rows[2].object_id == shop.shelf_b.id
    assert "2 back where they were" in rows[3].response


def test_commit_sees_another_users_move_and_changes_nothing(app, client_for, shop):
    mine, theirs = client_for("operator"), client_for("admin")
    session_id = _start(mine, shop.shelf_b)
    for item in shop.items[:2]:
        _scan(mine, session_id, code(item))
    theirs.post(f"/stock/items/{shop.items[1].id}/move", data={"barcode": code(shop.bin_1)})
    response = mine.post(f"/stock/sessions/{session_id}/commit", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "moved by admin" in body and "Store / Shelf A / Bin 1" in body and "Nothing was moved" in body
    assert _location_of(shop.items[0].id) == shop.shelf_a.id
    assert _location_of(shop.items[1].id) == shop.bin_1.id
    assert db.session.get(ScanSession, session_id).status == "open"


def test_a_part_with_one_stock_item_offers_it(operator_client, shop):
    session_id = _start(operator_client, shop.shelf_a)
    offer = _scan(operator_client, session_id, code(shop.opamp)).get_data(as_text=True)
    only = shop.items[-1]
    assert "not a stock item" in offer and f'name="item" value="{only.id}"' in offer
    staged = operator_client.post(f"/stock/sessions/{session_id}/stage", data={"item": only.id},
                                  headers={"HX-Request": "true"})
    assert 'data-outcome="accepted"' in staged.get_data(as_text=True)
    several = _scan(operator_client, session_id, code(shop.resistor)).get_data(as_text=True)
    assert "10 stock items" in several


def test_a_scanned_location_moves_under_after_confirmation_but_never_into_its_child(operator_client, shop):
    session_id = _start(operator_client, shop.shelf_b)
    ask = _scan(operator_client, session_id, code(shop.bin_1)).get_data(as_text=True)
    assert "Move it, with everything in it" in ask and f'name="location" value="{shop.bin_1.id}"' in ask
    operator_client.post(f"/stock/sessions/{session_id}/stage", data={"location": shop.bin_1.id})
    operator_client.post(f"/stock/sessions/{session_id}/commit")
    db.session.expire_all()
    assert db.session.get(StockLocation, shop.bin_1.id).parent_id == shop.shelf_b.id

    inner = _start(operator_client, shop.bin_1)
    cycle = _scan(operator_client, inner, code(shop.store))
    assert cycle.status_code == 422 and "its own child" in cycle.get_data(as_text=True)
    refused = operator_client.post(f"/stock/sessions/{inner}/stage", data={"location": shop.store.id},
                                   headers={"HX-Request": "true"})
    assert refused.status_code == 422
    assert db.session.get(ScanSession, inner).lines == []


def test_remove_cancel_and_double_start(operator_client, shop):
    session_id = _start(operator_client, shop.shelf_b)
    assert _start(operator_client, shop.shelf_b) == session_id  # a second click reopens the same session
    _scan(operator_client, session_id, code(shop.items[0]))
    line = db.session.get(ScanSession, session_id).lines[0]
    removed = operator_client.post(f"/stock/sessions/{session_id}/lines/{line.id}/remove", headers={"HX-Request": "true"})
    assert "Staged: 0" in removed.get_data(as_text=True)
    empty = operator_client.post(f"/stock/sessions/{session_id}/commit", headers={"HX-Request": "true"})
    assert empty.status_code == 422 and "Nothing is staged" in empty.get_data(as_text=True)
    operator_client.post(f"/stock/sessions/{session_id}/cancel")
    late = _scan(operator_client, session_id, code(shop.items[1]))
    assert late.status_code == 422 and "already cancelled" in late.get_data(as_text=True)


def test_sessions_need_an_operator_and_their_owner(app, client_for, shop, users):
    viewer = client_for("viewer")
    assert viewer.post(f"/stock/locations/{shop.shelf_b.id}/sessions", data={"kind": "move"}).status_code == 403
    session_id = _start(client_for("operator"), shop.shelf_b)
    assert viewer.get(f"/stock/sessions/{session_id}").status_code == 403
    from models import User
    from tests.conftest import PASSWORD

    other = User(username="other", role="operator")
    other.set_password(PASSWORD)
    db.session.add(other)
    db.session.commit()
    stranger = login(app.test_client(), "other")
    assert stranger.get(f"/stock/sessions/{session_id}").status_code == 403


def test_camera_frames_stage_a_label_once_and_refuse_non_images(operator_client, shop):
    import io

    from PIL import Image

    from barcodes.render import draw_barcode

    session_id = _start(operator_client, shop.shelf_b)
    url = f"/stock/sessions/{session_id}/scan-image"
    label = draw_barcode(code(shop.items[0]), "qr", "png", size=8)
    blank = io.BytesIO()
    Image.new("RGB", (320, 240), "white").save(blank, "PNG")

    def send(data: bytes, recent: str = ""):
        return operator_client.post(url, data={"image": (io.BytesIO(data), "frame.png"), "recent": recent},
                                    headers={"HX-Request": "true"}, content_type="multipart/form-data")

    assert send(blank.getvalue()).status_code == 204
    staged = send(label)
    assert staged.status_code == 200 and 'data-kind="accepted"' in staged.get_data(as_text=True)
    seen = staged.headers["X-Scan-Text"]
    assert send(label, recent=seen).status_code == 204  # still in view: not staged twice
    junk = send(b"not an image at all")
    assert junk.status_code == 422 and 'data-outcome="error"' in junk.get_data(as_text=True)
    assert len(db.session.get(ScanSession, session_id).lines) == 1
