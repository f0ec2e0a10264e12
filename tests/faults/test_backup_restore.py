"""`flask backup` / `flask restore`: a sound copy of a live SQLite database, and a careful way back."""
from __future__ import annotations

import sqlite3

import pytest

from extensions import db
from models import StockLocation
from tests.conftest import USING_PG, _migrate


@pytest.fixture
def app_config(app_config, tmp_path):
    """These commands are about SQLite files: use one even when the suite runs on PostgreSQL."""
    if not USING_PG:
        return app_config
    url = f"sqlite:///{tmp_path / 'own.db'}"
    _migrate(url)
    return {**app_config, "SQLALCHEMY_DATABASE_URI": url}


def _add_location(name: str) -> None:
    db.session.add(StockLocation(name=name))
    db.session.commit()


def _location_names() -> list[str]:
    return sorted(db.session.execute(db.select(StockLocation.name)).scalars())


def test_backup_then_restore_brings_back_the_old_content(app, runner, tmp_path):
    _add_location("Shelf A")
    target = tmp_path / "backups" / "shelfscan.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert "integrity ok" in result.output
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    _add_location("Shelf B")
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    assert _location_names() == ["Shelf A"]


def test_backup_refuses_to_overwrite_a_file(app, runner, tmp_path):
    target = tmp_path / "exists.db"
    target.write_text("keep me")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code != 0
    assert "exists already" in result.output
    assert target.read_text() == "keep me"


def test_restore_asks_first_and_stops_without_a_yes(app, runner, tmp_path):
    _add_location("Shelf A")
    target = tmp_path / "b.db"
    runner.invoke(args=["backup", str(target)])
    _add_location("Shelf B")
    result = runner.invoke(args=["restore", str(target)], input="n\n")
    assert result.exit_code != 0
    assert "Replace everything" in result.output
    db.session.remove()
    assert _location_names() == ["Shelf A", "Shelf B"]


def test_restore_refuses_a_file_that_is_not_a_sound_backup(app, runner, tmp_path):
    _add_location("Shelf A")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 3\x00" + b"\xff" * 3000)
    result = runner.invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code != 0
    assert "not a sound SQLite database" in result.output
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    result = runner.invoke(args=["restore", str(foreign), "--yes"])
    assert result.exit_code != 0 and "not a Shelfscan backup" in result.output
    missing = runner.invoke(args=["restore", str(tmp_path / "nope.db"), "--yes"])
    assert missing.exit_code != 0 and "does not exist" in missing.output
    db.session.remove()
    assert _location_names() == ["Shelf A"]


def test_backup_of_a_database_being_written_is_consistent(app, runner, tmp_path):
    """Writers keep going while the copy is made; the copy is sound and holds whole rows only."""
    import threading

    url = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    stop = threading.Event()

    def writer():
        conn = sqlite3.connect(url, timeout=10)
        n = 0
        while not stop.is_set() and n < 5000:
            with conn:
                conn.execute("INSERT INTO stock_location (name, description, created_at, updated_at) "
                             "VALUES (?, '', '2026-01-01', '2026-01-01')", (f"loc {n}",))
            n += 1
        conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        target = tmp_path / "live.db"
        result = runner.invoke(args=["backup", str(target)])
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
