"""`flask bootstrap`: what `make run` does before serving: migrate, seed, first admin."""
from __future__ import annotations

import secrets

import click
from flask import Flask
from flask_migrate import upgrade

from extensions import db
from models import Part, StockLocation, User


def register(app: Flask) -> None:
    """Register the bootstrap command."""

    @app.cli.command("bootstrap")
    @click.option("--no-demo", is_flag=True, help="Do not add demo data to an empty database.")
    def bootstrap(no_demo: bool) -> None:
        """Apply migrations, seed demo data into an empty database, create the first admin."""
        upgrade()
        empty = not db.session.execute(db.select(Part.id).limit(1)).first() and \
            not db.session.execute(db.select(StockLocation.id).limit(1)).first()
        if empty and not no_demo and "seed-demo" in app.cli.commands:
            ctx = click.get_current_context()
            ctx.invoke(app.cli.commands["seed-demo"], parts=50, force=False)
        if not db.session.execute(db.select(User.id).limit(1)).first():
            password = secrets.token_urlsafe(12)
            admin = User(username="admin", role="admin")
            admin.set_password(password)
            db.session.add(admin)
            db.session.commit()
            click.echo("=" * 60)
            click.echo("Created the first account. It is shown only this once:")
            click.echo("  username: admin")
            click.echo(f"  password: {password}")
            click.echo("=" * 60)
