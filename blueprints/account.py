"""A person's own account: change the password, see and revoke API tokens, end other sessions.

Every signed-in role may use these (its own account only), so the writes are `requires("viewer")`.
"""
from __future__ import annotations

from flask import Blueprint, flash, request, url_for
from flask_login import current_user, login_user

from blueprints.forms.account import ChangePasswordForm, NewTokenForm
from blueprints.shared.access import requires
from blueprints.shared.rendering import redirect_to, render
from services import account, sessions, sign_in

bp = Blueprint("account", __name__, url_prefix="/account")
PAGE = "account/index.html"


def _page(status: int = 200, password_form=None, token_form=None, new_token: str = "", problem: str = ""):
    return render(PAGE, status=status, password_form=password_form or ChangePasswordForm(),
                  token_form=token_form or NewTokenForm(), new_token=new_token, problem=problem,
                  **account.overview(current_user))


def _refused(form, field, error: Exception, **forms):
    """The page again with the reason under `field`: 429 when throttled, else 422."""
    field.errors = [*field.errors, getattr(error, "description", None) or str(error)]
    return _page(429 if isinstance(error, sign_in.SignInThrottled) else 422, **forms)


@bp.get("")
def index():
    """The account page."""
    return _page()


@bp.post("/password")
@requires("viewer")
def change_password():
    """Change one's own password; other sessions end and every API token is revoked."""
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _page(422, password_form=form)
    try:
        changed = account.change_password(current_user, current_user.get_id(), form.current.data, form.new.data,
                                          request.remote_addr)
    except (account.AccountError, sign_in.SignInThrottled) as error:
        return _refused(form, form.current, error, password_form=form)
    login_user(changed.user, remember=changed.remember, duration=sessions.lifetime(True) if changed.remember else None)
    flash(f"Your password is changed. You are signed out everywhere else; API tokens revoked: {changed.tokens_revoked}.")
    return redirect_to(url_for(".index"))


@bp.post("/tokens")
@requires("viewer")
def create_token():
    """Make an API token after the password; the page shows it this once."""
    form = NewTokenForm()
    if not form.validate_on_submit():
        return _page(422, token_form=form)
    try:
        _, plain = account.create_token(current_user, form.name.data, form.password.data, request.remote_addr)
    except (account.AccountError, sign_in.SignInThrottled) as error:
        return _refused(form, form.password, error, token_form=form)
    return _page(201, new_token=plain)


@bp.post("/tokens/<id:token_id>/revoke")
@requires("viewer")
def revoke_token(token_id: int):
    """Revoke one of one's own API tokens."""
    try:
        token = account.revoke_token(current_user, token_id)
    except account.AccountError as error:
        return _page(404, problem=str(error))
    flash(f"The token {token.name!r} is revoked.")
    return redirect_to(url_for(".index"))


@bp.post("/sessions/end-others")
@requires("viewer")
def end_other_sessions():
    """Sign out on every other device."""
    ended = account.end_other_sessions(current_user, current_user.get_id())
    flash(f"Signed out on {ended} other device(s)." if ended else "You were not signed in anywhere else.")
    return redirect_to(url_for(".index"))
