"""The forms of a person's own account page: a new password, a new API token."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from services.tokens import MAX_NAME_LENGTH
from services.users import MIN_PASSWORD


class ChangePasswordForm(FlaskForm):
    """The current password, and the new one twice."""

    current = PasswordField("Current password", validators=[DataRequired(), Length(max=200)])
    new = PasswordField("New password", validators=[DataRequired(), Length(min=MIN_PASSWORD, max=200)],
                        description=f"At least {MIN_PASSWORD} characters. Changing it signs you out on every other "
                                    "device and revokes all your API tokens.")
    confirm = PasswordField("New password again", validators=[DataRequired(), EqualTo("new", "The two new passwords differ.")])


class NewTokenForm(FlaskForm):
    """A name for the token, and the password that proves it is you."""

    name = StringField("Token name", validators=[DataRequired(), Length(max=MAX_NAME_LENGTH)],
                       description="Where it will be used, e.g. \"stock room phone\".")
    password = PasswordField("Your password", validators=[DataRequired(), Length(max=200)])
