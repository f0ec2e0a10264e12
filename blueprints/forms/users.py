"""The admin's account forms: a new user, another role, a new password."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from models import ROLES

ROLE_CHOICES = list(ROLES)


class CreateUserForm(FlaskForm):
    """A new account."""

    username = StringField("Username", validators=[DataRequired(), Length(max=80)])
    role = SelectField("Role", choices=ROLE_CHOICES, default="viewer")
    password = PasswordField("Password", validators=[DataRequired(), Length(min=8, max=200)],
                             description="At least 8 characters; tell the person in person.")


class RoleForm(FlaskForm):
    """Another role for an account."""

    role = SelectField("Role", choices=ROLE_CHOICES)


class PasswordForm(FlaskForm):
    """A new password set by an admin."""

    password = PasswordField("New password", validators=[DataRequired(), Length(min=8, max=200)],
                             description="Signs the user out everywhere and revokes their API tokens.")
