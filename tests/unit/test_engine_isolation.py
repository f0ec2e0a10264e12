"""The barcode engine stands alone: importing it loads neither Flask nor the app's database or settings."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENGINE_MODULES = ("barcodes.resolver", "barcodes.registry", "barcodes.plugins", "barcodes.normalize",
                  "barcodes.internal", "barcodes.decode", "barcodes.decode_pool", "barcodes.decode_worker",
                  "barcodes.render", "barcodes.parsers")
# sqlalchemy too: the engine reaches the database only through the Catalog it is given.
FORBIDDEN = ("flask", "flask_sqlalchemy", "sqlalchemy", "extensions", "models", "services", "services.settings")


def test_importing_the_engine_loads_no_flask_database_or_settings():
    # A fresh interpreter: this one has imported the whole app already.
    script = (f"import sys\nimport {', '.join(ENGINE_MODULES)}\n"
              f"print(__import__('json').dumps([m for m in {FORBIDDEN!r} if m in sys.modules]))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout)
    assert loaded == [], f"importing the engine loads {loaded}"
