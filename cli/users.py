"""`flask create-user`, `reset-password`, `unlock`: accounts from the command line, through the same
services as the admin pages."""
from __future__ import annotations

import secrets

import click
from flask import Flask

from models import ROLES
from services import ratelimit, users


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
        """Set a new password for an account (e.g. a lost admin password); its sessions end and its
        API tokens are revoked."""
        user = users.by_username(username)
        if user is None:
            raise click.ClickException(f"There is no user named {username!r}.")
        made_up = password is None
        password = secrets.token_urlsafe(12) if made_up else password
        try:
            revoked = users.reset_password(user, password)
        except users.UserError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"New password for {user.username!r}" + (f": {password}" if made_up else " set."))
        click.echo(f"Signed out everywhere; API tokens revoked: {revoked}.")

    @app.cli.command("unlock")
    @click.argument("username", required=False)
    @click.option("--address", help="Also forget the failed sign-ins from this client address.")
    def unlock_command(username: str | None, address: str | None) -> None:
        """Lift the sign-in lock of an account (from every address) or of a client address."""
        if username is None and address is None:
            raise click.UsageError("Name an account, or give --address, or both.")
        forgotten = ratelimit.unlock(username, address)
        whom = " and ".join(part for part in (username and repr(username.strip().lower()), address) if part)
        if forgotten:
            click.echo(f"Unlocked {whom}: {forgotten} failed sign-ins forgotten.")
        else:
            click.echo(f"There were no failed sign-ins for {whom}; nothing was locked.")
