"""Schemathesis fuzzes every operation in /api/schema/ against a live server: no failures allowed."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from extensions import db
from models import User
from tests.api_fixtures import make_inventory, token_for

# InvenTree's POST endpoints answer 400 to well-formed requests by design: a scan that matches
# nothing, a barcode already linked elsewhere, a label that names no supplier part, a body pk that
# does not exist (Django REST framework's "Invalid pk"). So do PATCHes: an IPN another part has, a
# location moved into its own child. Everything else keeps schemathesis' defaults.
CONFIG = """
[[operations]]
include-method = "POST"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404"]

[[operations]]
include-method = "PATCH"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404"]
"""
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "15"))


def test_schemathesis_finds_no_failures(live_server, make_user, tmp_path: Path):
    application, base_url = live_server
    make_user("fuzzer", "admin")
    with application.app_context():
        make_inventory()
        token = token_for(db.session.execute(db.select(User).filter_by(username="fuzzer")).scalar_one())
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG)
    st = Path(sys.executable).with_name("st")
    command = [
        str(st), "--no-color", "--config-file", str(config), "run", f"{base_url}/api/schema/", "--url", base_url,
        "--checks", "all", "--max-examples", str(MAX_EXAMPLES), "--workers", "1", "--seed", "1",
        "--phases", "examples,coverage,fuzzing,stateful", "--max-time", "120", "--request-timeout", "10",
        "--header", f"Authorization: Token {token}",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "SCHEMATHESIS_HOOKS": ""})
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
