"""A Shelfscan role as InvenTree's roles and permissions, for clients that draw their screens from them.

The InvenTree app hides a screen when its role is null and disables the buttons whose permission is
missing; a role it does not find counts as allowed. So every role the app looks at is listed here,
and each lists only what Shelfscan's API lets that user do: viewers read; operators also change
stock, parts, locations and supplier parts (count, move, edit, link barcodes). Nobody may "add" or
"delete" through the API, so the app offers neither. Orders, builds and returns do not exist here:
those roles are null and the app hides them.
"""
from __future__ import annotations

from models import ROLE_RANK

LACKED_ROLES = ("build", "purchase_order", "sales_order", "return_order")
OBJECT_ROLES = ("part", "part_category", "stock", "stock_location")
# Permission names by model, for API versions that ask for them (InvenTree 207+).
MODELS = {"part": "part", "partcategory": "part_category", "stockitem": "stock", "stocklocation": "stock",
          "supplierpart": "part", "company": None, "manufacturerpart": None}


def _rights(role: str, area: str) -> list[str]:
    if area == "part_category":  # no categories exist to change
        return ["view"]
    return ["view", "change"] if ROLE_RANK[role] >= ROLE_RANK["operator"] else ["view"]


def inventree_roles(role: str) -> dict[str, list[str] | None]:
    """InvenTree's `roles` for a user of this Shelfscan role."""
    roles: dict[str, list[str] | None] = {area: _rights(role, area) for area in OBJECT_ROLES}
    roles.update({area: None for area in LACKED_ROLES})
    roles["admin"] = ["view", "delete"] if role == "admin" else None  # the scan history
    return roles


def inventree_permissions(role: str) -> dict[str, list[str]]:
    """InvenTree's per-model `permissions`: companies can be read, never changed through the API."""
    return {model: _rights(role, area) if area else ["view"] for model, area in MODELS.items()}
