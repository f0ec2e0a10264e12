"""One set of list/detail/create/edit/delete views, configured per model type.

Each area's blueprint describes its model with a `Resource` and calls `register_crud`; the views
only parse the request, call the area's service function and render, so the five areas behave alike.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import wraps
from typing import Any, Callable

from flask import Blueprint, flash, request, url_for
from flask_wtf import FlaskForm

from blueprints.shared.access import requires
from blueprints.shared.listing import ListSpec, paginate
from blueprints.shared.rendering import redirect_to, render
from extensions import db, htmx
from services.errors import DeleteRefused, FieldErrors

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
    prefill: Callable[[], dict] = field(default=lambda: {})  # a new object's fields from the query string
    list_context: Callable[[], dict] = field(default=lambda: {})
    page_context: Callable[[Any], dict] = field(default=lambda page: {})  # more for the rows of one page
    # What the service would refuse in the submitted data (object or None, data) -> {field: message};
    # asked when the form itself is invalid, so every message shows at once.
    check: Callable[[Any, dict], dict[str, str]] = field(default=lambda obj, data: {})


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


class CrudViews:
    """The five views of one area; each method is one endpoint of the area's blueprint."""

    def __init__(self, bp: Blueprint, res: Resource):
        self.bp, self.res = bp, res

    def context(self, **extra) -> dict:
        """What every template of the area gets."""
        return {"resource": self.res, "object_type": self.res.object_type, "bp_name": self.bp.name, **extra}

    def index(self):
        """The list: search, sort, pagination; htmx gets only the results block."""
        page = paginate(self.res.listing, f"{self.bp.name}.index")
        block = None if htmx.history_restore_request else "results"
        extra = {**self.res.list_context(), **self.res.page_context(page)}
        return render(f"{self.bp.name}/index.html", block=block, **self.context(page=page, **extra))

    def detail(self, id: int):
        """One object's page."""
        obj = db.get_or_404(self.res.model, id)
        return render(f"{self.bp.name}/detail.html", **self.context(obj=obj, **self.res.detail_context(obj)))

    def create(self):
        """The new-object form (GET) and its submission (POST)."""
        return self.form_view(None)

    def edit(self, id: int):
        """The edit form (GET) and its submission (POST)."""
        return self.form_view(db.get_or_404(self.res.model, id))

    def form_view(self, obj):
        """Show the form; on a valid POST save through the service, else re-show it with messages (422)."""
        res = self.res
        form = res.form(obj=obj, data=None if obj else res.prefill())
        res.prepare_form(form, obj)
        if form.validate_on_submit():
            try:
                saved = res.save(obj, form_data(form))
            except FieldErrors as exc:
                attach_errors(form, exc.errors)
            else:
                flash(f"Saved {res.label} {saved}.", "success")
                return redirect_to(url_for(f"{self.bp.name}.detail", id=saved.id))
        elif form.is_submitted():
            # A field the form refused has no value to check; the service's word on the rest shows too.
            refused = set(form.errors)
            attach_errors(form, {name: message for name, message in res.check(obj, form_data(form)).items()
                                 if name not in refused})
        status = 422 if request.method == "POST" else 200
        return render(FORM_TEMPLATE, block="form", status=status, **self.context(form=form, obj=obj))

    def delete(self, id: int):
        """Confirmation page (GET); POST deletes or explains why it cannot."""
        obj = db.get_or_404(self.res.model, id)
        if request.method != "POST":
            return render(DELETE_TEMPLATE, **self.context(obj=obj, refused=None))
        label = str(obj)
        try:
            self.res.delete(obj)
        except DeleteRefused as exc:
            return render(DELETE_TEMPLATE, status=409, **self.context(obj=obj, refused=str(exc)))
        flash(f"Deleted {self.res.label} {label}.", "success")
        return redirect_to(url_for(f"{self.bp.name}.index"))


# endpoint, rule, methods, role needed even for GET (forms that change data need an operator)
ROUTES = (
    ("index", "/", ("GET",), None),
    ("detail", "/<id:id>", ("GET",), None),
    ("create", "/new", ("GET", "POST"), "operator"),
    ("edit", "/<id:id>/edit", ("GET", "POST"), "operator"),
    ("delete", "/<id:id>/delete", ("GET", "POST"), "operator"),
)


def register_crud(bp: Blueprint, res: Resource) -> CrudViews:
    """Add index, detail, create, edit and delete views for `res` to `bp`."""
    bp.add_app_template_filter(format_quantity, "qty")
    views = CrudViews(bp, res)
    for endpoint, rule, methods, role in ROUTES:
        method = getattr(views, endpoint)
        # A plain function per endpoint: the access guard reads attributes that bound methods cannot hold.
        view = wraps(method)(lambda method=method, **kwargs: method(**kwargs))
        if role:
            view = requires(role)(view)
        bp.add_url_rule(rule, endpoint, view, methods=list(methods))
    return views
