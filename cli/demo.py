"""`flask seed-demo`: fill an empty database with the demo workshop (services/demo_data.py)."""
from __future__ import annotations

import click
from flask import Flask

from services import demo_data


def register(app: Flask) -> None:
    """Register the seed-demo command."""

    @app.cli.command("seed-demo")
    @click.option("--parts", default=50, show_default=True, type=click.IntRange(0, 10_000_000),
                  help="How many parts; beyond the ~50 curated ones they are generated.")
    @click.option("--force", is_flag=True, help="Delete the existing inventory first and seed again.")
    def seed_demo_command(parts: int, force: bool) -> None:
        """Add demo data: a small electronics workshop (refuses a non-empty database without --force)."""
        def progress(numbers):
            return click.progressbar(numbers, label="Adding parts", length=len(numbers))

        try:
            added = demo_data.seed_demo(parts, force, progress=progress)
        except demo_data.DemoDataRefused as refused:
            raise click.ClickException(str(refused)) from None
        suppliers = ", ".join(name for name, _, _ in demo_data.SUPPLIERS)
        click.echo(f"Demo data ready: {added} parts, suppliers {suppliers}.")
