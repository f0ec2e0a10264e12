"""Accounts: create, change role, reset password, deactivate; see and revoke API tokens."""
from __future__ import annotations

from flask import flash, url_for
from flask_login import current_user

from blueprints.admin import bp
from blueprints.forms.users import CreateUserForm, PasswordForm, RoleForm
from blueprints.shared.rendering import redirect_to, render
from extensions import db
from models import User, utcnow
from services import users as user_service


@bp.route("/users", methods=["GET", "POST"])
def users():
    """Every account, and a form to add one."""
    form = CreateUserForm()
    if form.validate_on_submit():
        try:
            user = user_service.create(form.username.data, form.role.data, form.password.data)
        except user_service.UserError as exc:
            form.username.errors = [*form.username.errors, str(exc)]
        else:
            flash(f"Created {user.role} {user.username}.")
            return redirect_to(url_for("admin.user_detail", user_id=user.id))
    return render("admin/users.html", block="create_form", form=form, users=user_service.all_users(),
                  status=422 if form.errors else 200)


def _detail(user: User, role_form=None, password_form=None, status: int = 200, problem: str = ""):
    role_form = role_form or RoleForm(role=user.role)
    return render("admin/user_detail.html", user=user, role_form=role_form,
                  password_form=password_form or PasswordForm(), tokens=user_service.tokens(user),
                  now=utcnow(), problem=problem, status=status)


@bp.route("/users/<id:user_id>")
def user_detail(user_id: int):
    """One account with its role, password, state and API tokens."""
    return _detail(db.get_or_404(User, user_id, description="There is no such user."))


def _apply(user: User, change, done: str, **forms):
    """Run a service change (it commits); go back on success, re-render with the reason otherwise."""
    try:
        change()
    except user_service.UserError as exc:
        return _detail(user, status=422, problem=str(exc), **forms)
    flash(done)
    return redirect_to(url_for("admin.user_detail", user_id=user.id))


@bp.route("/users/<id:user_id>/role", methods=["POST"])
def user_role(user_id: int):
    """Change a user's role."""
    user = db.get_or_404(User, user_id, description="There is no such user.")
    form = RoleForm()
    if not form.validate_on_submit():
        return _detail(user, role_form=form, status=422)
    return _apply(user, lambda: user_service.change_role(user, form.role.data),
                  f"{user.username} is now {form.role.data}.", role_form=form)


@bp.route("/users/<id:user_id>/password", methods=["POST"])
def user_password(user_id: int):
    """Set a new password for a user."""
    user = db.get_or_404(User, user_id, description="There is no such user.")
    form = PasswordForm()
    if not form.validate_on_submit():
        return _detail(user, password_form=form, status=422)
    return _apply(user, lambda: user_service.reset_password(user, form.password.data),
                  f"New password set for {user.username}; they are signed out everywhere and their API tokens are revoked.", password_form=form)


@bp.route("/users/<id:user_id>/deactivate", methods=["POST"])
def user_deactivate(user_id: int):
    """Deactivate an account: it can no longer sign in and its API tokens are revoked."""
    user = db.get_or_404(User, user_id, description="There is no such user.")
    return _apply(user, lambda: user_service.set_active(user, False, acting=current_user),
                  f"{user.username} is deactivated.")


@bp.route("/users/<id:user_id>/activate", methods=["POST"])
def user_activate(user_id: int):
    """Let a deactivated account sign in again."""
    user = db.get_or_404(User, user_id, description="There is no such user.")
    return _apply(user, lambda: user_service.set_active(user, True), f"{user.username} is active again.")


@bp.route("/users/<id:user_id>/tokens/<id:token_id>/revoke", methods=["POST"])
def token_revoke(user_id: int, token_id: int):
    """Revoke one of a user's API tokens."""
    user = db.get_or_404(User, user_id, description="There is no such user.")
    return _apply(user, lambda: user_service.revoke_token(user, token_id), "The token is revoked.")
