"""`flask bootstrap`: what `make run` does before serving: migrate, seed, first admin."""
from __future__ import annotations

import secrets

import click
from flask import Flask
from flask_migrate import upgrade

from services import demo_data, users


def register(app: Flask) -> None:
    """Register the bootstrap command."""

    @app.cli.command("bootstrap")
    @click.option("--no-demo", is_flag=True, help="Do not add demo data to an empty database.")
    def bootstrap(no_demo: bool) -> None:
        """Apply migrations, seed demo data into an empty database, create the first admin."""
        upgrade()
        parts, locations, _companies = demo_data.inventory_counts()
        if not parts and not locations and not no_demo:
            ctx = click.get_current_context()
            ctx.invoke(app.cli.commands["seed-demo"], parts=50, force=False)
        if not users.any_exist():
            password = secrets.token_urlsafe(12)
            users.create("admin", "admin", password)
            click.echo("=" * 60)
            click.echo("Created the first account. It is shown only this once:")
            click.echo("  username: admin")
            click.echo(f"  password: {password}")
            click.echo("=" * 60)
