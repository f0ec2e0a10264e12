"""Labels: the template list, the admins' template editor (editor.py), printing with previews, PDF,
ZPL and progress for long batches (printing.py), and the stock report and pick list (reports.py)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("labels", __name__, url_prefix="/labels")

# The route modules, imported for the views they add to `bp`.
from blueprints.labels import editor, printers, printing, reports  # noqa: E402,F401
