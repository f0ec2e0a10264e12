"""What server-side sessions and the sign-in throttle cost: CPU per signed-in request for loading the
user (a session-key lookup joined with the user, against the former lookup by user id), a whole
signed-in page, and a sign-in attempt's throttle bookkeeping (count under the lock, record, forget).

Run: .venv/bin/python bench/sessions.py [--calls 5000] [--sessions 10000]
Prints numbers; asserts nothing. The database is a temporary SQLite file built by the migrations.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import bindparam, select  # noqa: E402

from bench.history import build_app  # noqa: E402
from database.prepared import Prepared  # noqa: E402
from extensions import db  # noqa: E402

PASSWORD = "bench password 123"


def cpu_us(calls: int, work) -> float:
    """CPU microseconds per call of `work` (process time: the machine may be busy)."""
    started = time.process_time()
    for _ in range(calls):
        work()
    return (time.process_time() - started) / calls * 1e6


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=5000, help="calls per measurement")
    parser.add_argument("--sessions", type=int, default=10000, help="other sessions in the table")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(Path(folder) / "bench.db")
        with app.app_context():
            from models import User
            from services import ratelimit, sessions, users

            user = users.create("bench", "operator", PASSWORD)
            for _ in range(options.sessions):
                sessions.start(user, remember=False)
            key = sessions.start(user, remember=True)
            by_id = Prepared(select(*users.USER_COLUMNS).where(User.__table__.c.id == bindparam("user_id")))
            former = cpu_us(options.calls, lambda: users.detached(by_id.first({"user_id": user.id})))
            now = cpu_us(options.calls, lambda: sessions.user_for(key))
            keys = ratelimit.login_keys("bench", "192.0.2.1")

            def attempt():
                _, reserved = ratelimit.reserve(keys)
                ratelimit.succeeded(reserved, keys["pair"])

            throttle = cpu_us(max(options.calls // 10, 100), attempt)
            password = cpu_us(20, lambda: user.check_password(PASSWORD))
            db.session.remove()
        client = app.test_client()
        client.post("/login", data={"username": "bench", "password": PASSWORD})
        page = cpu_us(max(options.calls // 10, 100), lambda: client.get("/account"))
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"user per request, by id (before):          {former:8.1f} µs CPU")
    print(f"user per request, by session key (now):    {now:8.1f} µs CPU  ({options.sessions + 1} sessions stored)")
    print(f"a signed-in page (/account, test client):  {page:8.1f} µs CPU")
    print(f"throttle bookkeeping per sign-in attempt:  {throttle:8.1f} µs CPU")
    print(f"the password check itself (scrypt):        {password:8.1f} µs CPU")


if __name__ == "__main__":
    main()
