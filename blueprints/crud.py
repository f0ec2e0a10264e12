"""One set of list/detail/create/edit/delete views, configured per model type.

Each area's blueprint describes its model with a `Resource` and calls `register_crud`; the views
only parse the request, call the area's service function and render, so the five areas behave alike.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable

from flask import Blueprint, flash, request, url_for
from flask_wtf import FlaskForm

from blueprints.access import requires
from blueprints.listing import ListSpec, paginate
from blueprints.rendering import redirect_to, render
from extensions import db, htmx
from services.inventory import DeleteRefused, FieldErrors

FORM_TEMPLATE = "_crud_form.html"
DELETE_TEMPLATE = "_confirm_delete.html"


@dataclass(frozen=True)
class Resource:
    """Everything the shared views need to know about one model type."""

    model: type
    form: type[FlaskForm]
    listing: ListSpec
    save: Callable[[Any, dict], Any]
    delete: Callable[[Any], None]
    label: str  # "part", used in headings and messages
    object_type: str | None = None  # the barcode/label type key, when the model has one
    detail_context: Callable[[Any], dict] = field(default=lambda obj: {})
    prepare_form: Callable[[FlaskForm, Any], None] = field(default=lambda form, obj: None)
    prefill: Callable[[Any], dict] = field(default=lambda args: {})
    list_context: Callable[[], dict] = field(default=lambda: {})


def arg_id(args, name: str) -> int | None:
    """A positive integer query argument such as ?part=12, or None."""
    value = args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def form_data(form: FlaskForm) -> dict[str, Any]:
    """The submitted values keyed by model field name (everything but the CSRF token)."""
    return {name: f.data for name, f in form._fields.items() if name != "csrf_token"}


def attach_errors(form: FlaskForm, errors: dict[str, str]) -> None:
    """Show service-level errors next to their fields (or above the form)."""
    for name, message in errors.items():
        if name in form._fields:
            form[name].errors = list(form[name].errors) + [message]
        else:
            form.form_errors.append(message)


def format_quantity(value) -> str:
    """A decimal without trailing zeros: 5, 2.5, 0.001."""
    if value is None:
        return ""
    return f"{Decimal(value).normalize():f}"


def register_crud(bp: Blueprint, res: Resource) -> None:
    """Add index, detail, create, edit and delete views for `res` to `bp`."""
    template_dir = bp.name
    bp.add_app_template_filter(format_quantity, "qty")

    def context(**extra) -> dict:
        return {"resource": res, "object_type": res.object_type, "bp_name": bp.name, **extra}

    def index():
        """The list: search, sort, pagination; htmx gets only the results block."""
        page = paginate(res.listing, f"{bp.name}.index")
        block = None if htmx.history_restore_request else "results"
        return render(f"{template_dir}/index.html", block=block, **context(page=page, **res.list_context()))

    def detail(id: int):
        """One object's page."""
        obj = db.get_or_404(res.model, id)
        return render(f"{template_dir}/detail.html", **context(obj=obj, **res.detail_context(obj)))

    def form_view(obj):
        form = res.form(obj=obj, data=None if obj else res.prefill(request.args))
        res.prepare_form(form, obj)
        if form.validate_on_submit():
            try:
                saved = res.save(obj, form_data(form))
            except FieldErrors as exc:
                attach_errors(form, exc.errors)
            else:
                flash(f"Saved {res.label} {saved}.", "success")
                return redirect_to(url_for(f"{bp.name}.detail", id=saved.id))
        status = 422 if request.method == "POST" else 200
        return render(FORM_TEMPLATE, block="form", status=status, **context(form=form, obj=obj))

    @requires("operator")
    def create():
        """The new-object form (GET) and its submission (POST)."""
        return form_view(None)

    @requires("operator")
    def edit(id: int):
        """The edit form (GET) and its submission (POST)."""
        return form_view(db.get_or_404(res.model, id))

    @requires("operator")
    def delete(id: int):
        """Confirmation page (GET); POST deletes or explains why it cannot."""
        obj = db.get_or_404(res.model, id)
        if request.method == "POST":
            label = str(obj)
            try:
                res.delete(obj)
            except DeleteRefused as exc:
                db.session.rollback()
                return render(DELETE_TEMPLATE, status=409, **context(obj=obj, refused=str(exc)))
            flash(f"Deleted {res.label} {label}.", "success")
            return redirect_to(url_for(f"{bp.name}.index"))
        return render(DELETE_TEMPLATE, **context(obj=obj, refused=None))

    bp.add_url_rule("/", "index", index)
    bp.add_url_rule("/<int:id>", "detail", detail)
    bp.add_url_rule("/new", "create", create, methods=["GET", "POST"])
    bp.add_url_rule("/<int:id>/edit", "edit", edit, methods=["GET", "POST"])
    bp.add_url_rule("/<int:id>/delete", "delete", delete, methods=["GET", "POST"])
