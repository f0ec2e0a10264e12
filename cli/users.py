"""`flask create-user`: accounts from the command line, through the same service as the admin pages."""
from __future__ import annotations

import secrets

import click
from flask import Flask

from models import ROLES
from services import users


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
            user = users.create(username, role, password)
        except users.UserError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"Created {user.role} {user.username!r}.")

    @app.cli.command("reset-password")
    @click.argument("username")
    @click.option("--password", help="The new password; without it one is made up and printed.")
    def reset_password_command(username: str, password: str | None) -> None:
        """Set a new password for an account (e.g. a lost admin password); its sessions end."""
        user = users.by_username(username)
        if user is None:
            raise click.ClickException(f"There is no user named {username!r}.")
        made_up = password is None
        password = secrets.token_urlsafe(12) if made_up else password
        try:
            users.reset_password(user, password)
        except users.UserError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"New password for {user.username!r}" + (f": {password}" if made_up else " set."))
