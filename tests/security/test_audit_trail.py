"""The lowest role cannot wipe the audit trail: lookups are pruned apart from the rows of changes, and
each user's lookups are rate-limited (429 with a message in the scan dialog and the API)."""
from __future__ import annotations

import datetime as dt

import pytest

from extensions import db
from models import Barcode, Part, ScanLog, utcnow
from services import scan_limit, scanlog, settings


@pytest.fixture
def part(app):
    made = Part(name="Audited part", units="pcs")
    db.session.add(made)
    db.session.commit()
    return made


def _actions() -> list[str]:
    db.session.expire_all()
    return db.session.scalars(db.select(ScanLog.action).order_by(ScanLog.id)).all()


def test_viewer_lookups_do_not_push_an_operators_unlink_out_of_the_history(client_for, part):
    settings.save({"BARCODE_RESULTS_MAX_NUM": 10, "BARCODE_SCAN_RATE_LIMIT": 1000})
    operator = client_for("operator", htmx=True)
    assert operator.post(f"/barcodes/part/{part.id}/link", data={"barcode": "AUDIT-1"}).status_code == 200
    barcode = db.session.execute(db.select(Barcode).filter_by(data="AUDIT-1")).scalar_one()
    assert operator.post(f"/barcodes/part/{part.id}/unlink/{barcode.id}").status_code == 200
    viewer = client_for("viewer", htmx=True)
    for n in range(3 * scanlog.PRUNE_EVERY):  # enough lookups to prune three times
        assert viewer.post("/scan", data={"barcode": f"LOOKUP-{n}"}).status_code == 200
    actions = _actions()
    assert actions[:2] == ["link", "unlink"], actions[:5]  # the changes stay
    assert actions.count("navigate") <= scanlog.PRUNE_EVERY + 10  # lookups are bounded by count


def _row(action: str, days_old: float) -> int:
    row = ScanLog(source="dialog", raw=b"x", result="match", action=action,
                  created_at=utcnow() - dt.timedelta(days=days_old))
    db.session.add(row)
    db.session.commit()
    return row.id


def test_changes_are_kept_by_their_own_longer_bound(app):
    settings.save({"BARCODE_RESULTS_MAX_DAYS": 30, "BARCODE_CHANGES_MAX_DAYS": 400})
    gone = [_row("navigate", 500), _row("move", 500), _row("navigate", 40)]
    kept = [_row("unlink", 300), _row("receive", 40), _row("navigate", 20), _row("count", 1)]
    assert scanlog.prune_all() == 3
    assert sorted(db.session.scalars(db.select(ScanLog.id)).all()) == sorted(kept)
    assert not set(gone) & set(db.session.scalars(db.select(ScanLog.id)).all())


def test_a_users_lookups_beyond_the_rate_limit_get_a_clear_429(app, client_for, users, part):
    settings.save({"BARCODE_SCAN_RATE_LIMIT": 5})
    viewer = client_for("viewer", htmx=True)
    for n in range(5):
        assert viewer.post("/scan", data={"barcode": f"FAST-{n}"}).status_code == 200
    refused = viewer.post("/scan", data={"barcode": "FAST-5"})
    assert refused.status_code == 429 and refused.headers["X-Scan-Result"] == "limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "Too many scans: at most 5 a minute" in refused.get_data(as_text=True)
    assert viewer.post("/scan/image", data={}).status_code == 429  # photos and camera frames too

    from services import tokens

    _, token = tokens.create(users["viewer"], "limit")
    db.session.commit()
    api = app.test_client().post("/api/barcode/", json={"barcode": "FAST-6"}, headers={"Authorization": f"Token {token}"})
    assert api.status_code == 429 and "at most 5 a minute" in api.get_json()["detail"] and api.headers["Retry-After"]
    assert _actions().count("navigate") == 5  # refused scans are not recorded (they would fill the history)

    assert client_for("operator", htmx=True).post("/scan", data={"barcode": "OTHER"}).status_code == 200
    later = utcnow() + dt.timedelta(seconds=scan_limit.WINDOW_SECONDS + 1)
    scan_limit.check(users["viewer"].id, now=later)  # a minute on, the viewer may scan again


def test_the_scan_dialog_shows_the_limit_message_in_place(client_for):
    settings.save({"BARCODE_SCAN_RATE_LIMIT": 1})
    viewer = client_for("viewer", htmx=True)
    viewer.post("/scan", data={"barcode": "ONE"})
    fragment = viewer.post("/scan", data={"barcode": "TWO"}).get_data(as_text=True)
    assert '<p class="scan-error" role="alert"><bdi>Too many scans' in fragment and "<html" not in fragment


def test_the_rate_limit_is_a_bounded_setting():
    spec = settings.SPECS["BARCODE_SCAN_RATE_LIMIT"]
    assert (spec.type, spec.minimum, spec.maximum) == (int, 1, 1_000_000)
    with pytest.raises(settings.SettingError):
        spec.coerce("0")
