"""The barcode plugin registry (placeholder until the engine lands)."""
from __future__ import annotations


def build_registry(app):
    """Build the app's ordered plugin registry."""
    return None
