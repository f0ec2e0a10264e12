"""`flask scans prune` and `flask scans export FILE.csv`: the scan history for cron jobs."""
from __future__ import annotations

import csv
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup

from services import scanlog


def _export(path: Path, scan_filter: scanlog.ScanFilter) -> int:
    """Write the matching rows to `path` (newest first); returns how many."""
    from blueprints.admin.scans import csv_cell

    written = 0
    with path.open("w", newline="", encoding="utf-8", errors="surrogateescape") as fh:
        writer = csv.writer(fh)
        writer.writerow(scanlog.CSV_COLUMNS)
        for row in scanlog.export_rows(scan_filter):
            writer.writerow([csv_cell(value) for value in row])
            written += 1
    return written


def register(app: Flask) -> None:
    """Register the `scans` command group."""
    group = AppGroup("scans", help="Scan history: prune and export.")

    @group.command("prune")
    def prune_command() -> None:
        """Delete scans beyond BARCODE_RESULTS_MAX_NUM and older than BARCODE_RESULTS_MAX_DAYS."""
        deleted = scanlog.prune_all()
        click.echo(f"Pruned {deleted} scan{'s' if deleted != 1 else ''}; {scanlog.count()} kept.")

    @group.command("export")
    @click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
    @click.option("--result", default="", help="match, no_match or error")
    @click.option("--source", default="", help="wedge, dialog, camera, photo, api or action")
    @click.option("--plugin", default="", help="plugin name")
    @click.option("--since", default="", help="first day, YYYY-MM-DD (UTC)")
    @click.option("--until", default="", help="last day, YYYY-MM-DD (UTC)")
    @click.option("--search", "q", default="", help="text contained in the data")
    def export_command(file: Path, **filters: str) -> None:
        """Write the scan history (optionally filtered) to FILE as CSV, newest first."""
        scan_filter = scanlog.parse_filter(filters)
        if scan_filter.problems:
            raise click.ClickException(" ".join(scan_filter.problems))
        written = _export(file, scan_filter)
        click.echo(f"Wrote {written} scan{'s' if written != 1 else ''} to {file}.")

    app.cli.add_command(group)
