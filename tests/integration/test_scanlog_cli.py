"""`flask scans prune` and `flask scans export` as a cron job runs them."""
from __future__ import annotations

import csv

from services import settings
from barcodes.result import Scan, ScanResult
from extensions import db
from services import scanlog


def _add(n: int, status: str = "match") -> None:
    for i in range(n):
        scan = Scan(raw=f"]C1CODE-{i}\x1d".encode(), text=f"CODE-{i}\x1d")
        scanlog.record(source="wedge", user_id=None, raw=scan.raw, result=ScanResult(scan=scan, status=status))
    db.session.commit()


def test_prune_brings_the_log_within_max_num(app, runner):
    settings.set_value("BARCODE_RESULTS_MAX_NUM", 10)
    db.session.commit()
    _add(35)
    result = runner.invoke(args=["scans", "prune"])
    assert result.exit_code == 0, result.output
    assert "Pruned 25 scans; 10 kept." in result.output
    assert scanlog.count() == 10


def test_export_writes_the_filtered_history(app, runner, tmp_path):
    _add(3, "match")
    _add(2, "no_match")
    target = tmp_path / "scans.csv"
    result = runner.invoke(args=["scans", "export", str(target), "--result", "no_match"])
    assert result.exit_code == 0, result.output
    assert "Wrote 2 scans" in result.output
    with target.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["data"] for r in rows] == ["CODE-1\x1d", "CODE-0\x1d"]
    assert bytes.fromhex(rows[0]["raw_hex"]) == b"]C1CODE-1\x1d"


def test_export_refuses_a_bad_filter(app, runner, tmp_path):
    result = runner.invoke(args=["scans", "export", str(tmp_path / "x.csv"), "--since", "last tuesday"])
    assert result.exit_code != 0 and "not a date" in result.output
