"""Sign in and sign out."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user

from blueprints.forms.auth import LoginForm
from blueprints.shared.access import public
from blueprints.shared.rendering import redirect_to, render, same_site_path
from services import sessions, sign_in

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Show the login form and sign the user in, refusing for a while after repeated failures."""
    form = LoginForm()
    if form.validate_on_submit():
        device = sign_in.device_for(request.cookies.get(sign_in.DEVICE_COOKIE), form.username.data)
        try:
            user = sign_in.authenticate(form.username.data, form.password.data, request.remote_addr, device)
        except sign_in.SignInThrottled as throttled:
            form.password.errors.append(throttled.description)
            response = render("auth/login.html", block="form", form=form, status=429)
            response.headers["Retry-After"] = str(throttled.wait)
            return response
        if user is not None:
            return _signed_in(user, remember=form.remember.data)
        form.password.errors.append("Unknown username or wrong password.")
    status = 422 if form.errors else 200
    return render("auth/login.html", block="form", form=form, status=status)


def _signed_in(user, remember: bool):
    """Start a fresh server-side session, then go where `next=` says if that is on this site."""
    session.clear()  # nothing from before the sign-in carries over
    sessions.start(user, remember)
    login_user(user, remember=remember, duration=sessions.lifetime(True) if remember else None)
    response = redirect_to(same_site_path(request.args.get("next")) or url_for("home.index"))
    # This browser has now proved the password: its own later typos never lock it out (ratelimit.py).
    response.set_cookie(sign_in.DEVICE_COOKIE, sign_in.device_cookie(user), max_age=sign_in.DEVICE_DAYS * 86400,
                        path=url_for("auth.login"), httponly=True, samesite="Strict",
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


@bp.route("/logout", methods=["POST"])
@public
def logout():
    """Sign out: the session ends on the server, so no copy of its cookies works any more."""
    key = current_user.get_id() if current_user.is_authenticated else None
    logout_user()
    sessions.end(key)
    flash("You are signed out.")
    return redirect(url_for("auth.login"), 303)
