"""Login and logout."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, request, session, url_for
from flask_login import login_user, logout_user

from blueprints.forms.auth import LoginForm
from blueprints.shared.access import public
from blueprints.shared.rendering import redirect_to, render, same_site_path
from services import sign_in

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Show the login form and sign the user in, refusing for a while after repeated failures."""
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = sign_in.authenticate(form.username.data, form.password.data, request.remote_addr)
        except sign_in.SignInThrottled as throttled:
            form.password.errors.append(throttled.description)
            response = render("auth/login.html", block="form", form=form, status=429)
            response.headers["Retry-After"] = str(throttled.wait)
            return response
        if user is not None:
            session.clear()  # a fresh session on sign-in: nothing from before carries over
            login_user(user, remember=form.remember.data)
            return redirect_to(same_site_path(request.args.get("next")) or url_for("home.index"))
        form.password.errors.append("Unknown username or wrong password.")
    status = 422 if form.errors else 200
    return render("auth/login.html", block="form", form=form, status=status)


@bp.route("/logout", methods=["POST"])
@public
def logout():
    """Sign out."""
    logout_user()
    flash("You are signed out.")
    return redirect(url_for("auth.login"), 303)
