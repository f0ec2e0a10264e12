"""Login and logout."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, has_request_context, redirect, request, session, url_for
from flask_login import login_user, logout_user
from werkzeug.exceptions import TooManyRequests
from werkzeug.security import check_password_hash

from blueprints.forms.auth import LoginForm
from blueprints.shared.access import public
from blueprints.shared.rendering import redirect_to, render
from extensions import db
from models import User
from services import ratelimit

bp = Blueprint("auth", __name__)

# A fixed hash to check against when the user does not exist, so timing does not reveal usernames.
_DUMMY_HASH = "scrypt:32768:8:1$aaaaaaaaaaaaaaaa$" + "0" * 128


def _safe_next(target: str | None) -> str:
    """Only follow local redirect targets."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


class SignInThrottled(TooManyRequests):
    """Too many failed sign-ins for this username or address; says how long to wait."""

    def __init__(self, wait: int):
        super().__init__(f"Too many failed sign-ins; try again in {_minutes(wait)}.", retry_after=wait)
        self.wait = wait


def authenticate(username: str, password: str) -> User | None:
    """The active user with this username and password, or None; raises SignInThrottled when locked.

    Every password check goes through here (the login form and the API's Basic auth alike), so the
    rate limit cannot be side-stepped by guessing through another door.
    """
    keys = ratelimit.login_keys(username, request.remote_addr if has_request_context() else None)
    wait = ratelimit.retry_after(keys)
    if wait:
        # The same answer whether or not the user exists, and the password is not even checked.
        raise SignInThrottled(wait)
    user = _check_password(username, password)
    if user is None:
        ratelimit.record_failure(keys)
    else:
        ratelimit.clear(keys["user"])
    return user


def _check_password(username: str, password: str) -> User | None:
    """The active user with this username and password, or None, in the same time either way."""
    user = db.session.execute(db.select(User).filter_by(username=username.strip())).scalar_one_or_none()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Show the login form and sign the user in, refusing for a while after repeated failures."""
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data, form.password.data)
        except SignInThrottled as throttled:
            form.password.errors.append(throttled.description)
            response = render("auth/login.html", block="form", form=form, status=429)
            response.headers["Retry-After"] = str(throttled.wait)
            return response
        if user is not None:
            session.clear()  # a fresh session on sign-in: nothing from before carries over
            login_user(user, remember=form.remember.data)
            return redirect_to(_safe_next(request.args.get("next")))
        form.password.errors.append("Unknown username or wrong password.")
    status = 422 if form.errors else 200
    return render("auth/login.html", block="form", form=form, status=status)


def _minutes(seconds: int) -> str:
    """'1 minute' or 'N minutes', rounded up."""
    minutes = max(1, -(-seconds // 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


@bp.route("/logout", methods=["POST"])
@public
def logout():
    """Sign out."""
    logout_user()
    flash("You are signed out.")
    return redirect(url_for("auth.login"), 303)
