"""Blueprint registration and the app-wide request guards."""
from __future__ import annotations

from importlib import import_module

from flask import Flask

# One module per area; each exposes `bp`. Order does not matter.
BLUEPRINT_MODULES = (
    "blueprints.auth",
    "blueprints.home",
    "blueprints.parts",
    "blueprints.locations",
    "blueprints.stock_items",
    "blueprints.companies",
    "blueprints.supplier_parts",
    "blueprints.scan",
    "blueprints.admin",
    "blueprints.stock_actions",
    "blueprints.barcode_images",
    "blueprints.barcode_links",
    "blueprints.labels",
    "blueprints.api",
    "blueprints.app_shell",
)


# Navbar sections: (endpoint, label, role needed).
NAV_SECTIONS = (
    ("parts.index", "Parts", "viewer"),
    ("locations.index", "Locations", "viewer"),
    ("stock_items.index", "Stock", "viewer"),
    ("companies.index", "Companies", "viewer"),
    ("labels.index", "Labels", "viewer"),
    ("admin.index", "Admin", "admin"),
)


def register_blueprints(app: Flask) -> None:
    """Register every blueprint, the access guard, security headers and error pages."""
    from blueprints.shared import access, args, errors, security

    args.init_app(app)  # the `id` converter, before any route is added
    for name in BLUEPRINT_MODULES:
        app.register_blueprint(import_module(name).bp)
    access.init_app(app)
    security.init_app(app)
    errors.init_app(app)

    @app.context_processor
    def navigation():
        """Expose the navbar sections this user may open."""
        from flask_login import current_user

        def nav_sections():
            return [(endpoint, label) for endpoint, label, role in NAV_SECTIONS
                    if current_user.is_authenticated and current_user.has_role(role)]

        return {"nav_sections": nav_sections}
