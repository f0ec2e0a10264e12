"""What people do to their own account: change the password, make and revoke their API tokens, end
their other sessions. Each asks for the current password where it hands out something that lasts
(a new password, a token), through the sign-in throttle like every password check."""
from __future__ import annotations

from dataclasses import dataclass

from extensions import db
from models import ApiToken, User, utcnow
from services import sessions, sign_in, tokens, users


class AccountError(ValueError):
    """A change to one's own account that cannot be made, with the reason."""


@dataclass(frozen=True)
class PasswordChanged:
    """A changed password: the account (signed in afresh here) and how much ended with the old one."""

    user: User
    remember: bool
    tokens_revoked: int


def _confirm_password(user: User, password: str, address: str | None) -> User:
    """The account, once `password` is its current one; raises AccountError or SignInThrottled."""
    confirmed = sign_in.authenticate(user.username, password, address)
    if confirmed is None or confirmed.id != user.id:
        raise AccountError("That is not your current password.")
    return confirmed


def change_password(user: User, session_key: str, current: str, new: str, address: str | None) -> PasswordChanged:
    """Set a new password: every session ends and every token is revoked, then this browser gets a
    fresh session (with the lifetime it had) so its owner stays signed in."""
    if new == current:
        raise AccountError("The new password is the same as the current one.")
    try:
        users.check_new_password(new)
    except users.UserError as error:
        raise AccountError(str(error)) from None
    account = _confirm_password(user, current, address)
    remember = sessions.remembered(session_key)
    revoked = users.reset_password(account, new)
    sessions.start(account, remember)
    return PasswordChanged(account, remember, revoked)


def create_token(user: User, name: str, password: str, address: str | None) -> tuple[ApiToken, str]:
    """A new API token for the account, after its password; returns the row and the plain token."""
    account = _confirm_password(user, password, address)
    try:
        return tokens.create(account, name, expires_at=utcnow() + tokens.LIFETIME)
    except tokens.TokenError as error:
        raise AccountError(str(error)) from None


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of the account's own tokens."""
    try:
        return users.revoke_token(db.session.get(User, user.id), token_id)
    except users.UserError as error:
        raise AccountError(str(error)) from None


def end_other_sessions(user: User, session_key: str) -> int:
    """Sign the account out everywhere but this browser; returns how many sessions ended."""
    ended = sessions.end_all(user.id, keep=session_key)
    db.session.commit()
    return ended


def overview(user: User) -> dict:
    """What the account page shows: the tokens, newest first, the number of other sessions, the time."""
    return {"tokens": tokens.tokens_for(user.id), "other_sessions": max(sessions.count(user.id) - 1, 0),
            "now": utcnow()}
