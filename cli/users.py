"""`flask create-user`: accounts from the command line."""
from __future__ import annotations

import click
from flask import Flask

from extensions import db
from models import ROLES, User


def create_user(username: str, role: str, password: str) -> User:
    """Create a user; raises ValueError when the name is taken or invalid."""
    username = username.strip()
    if not username or len(username) > 80:
        raise ValueError("the username must be 1 to 80 characters")
    if role not in ROLES:
        raise ValueError(f"the role must be one of {', '.join(ROLES)}")
    if len(password) < 8:
        raise ValueError("the password must be at least 8 characters")
    if db.session.execute(db.select(User.id).filter_by(username=username)).first():
        raise ValueError(f"a user named {username!r} already exists")
    user = User(username=username, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def register(app: Flask) -> None:
    """Register the user commands."""

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True)
    @click.option("--password", help="Prompted for when not given.")
    def create_user_command(username: str, role: str, password: str | None) -> None:
        """Create a user account."""
        if password is None:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            user = create_user(username, role, password)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"Created {user.role} {user.username!r}.")
