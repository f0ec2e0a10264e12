"""Shelfscan's stock statuses and history actions as InvenTree's numeric codes.

InvenTree clients (the mobile app above all) show a status by looking its number up in
/api/stock/status/, and choose colours from it. Shelfscan's "missing" (counted and not found) has no
InvenTree code: it is a custom state there, key 71 with label "Missing", which behaves as LOST (its
logical_key 70) for clients that group states.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    """One InvenTree status code: its number, constant name, label and colour class."""

    key: int
    name: str
    label: str
    color: str
    logical_key: int | None = None  # set for custom states: the built-in code they behave as


STOCK_STATUS: dict[str, Code] = {
    "ok": Code(10, "OK", "OK", "success"),
    "attention": Code(50, "ATTENTION", "Attention needed", "warning"),
    "damaged": Code(55, "DAMAGED", "Damaged", "warning"),
    "destroyed": Code(60, "DESTROYED", "Destroyed", "danger"),
    "lost": Code(70, "LOST", "Lost", "dark"),
    "quarantined": Code(75, "QUARANTINED", "Quarantined", "info"),
    "missing": Code(71, "MISSING", "Missing", "warning", logical_key=70),
}
# InvenTree's "available" statuses: stock in one of these (and more than zero of it) is in stock.
AVAILABLE_STATUSES = ("ok", "attention", "damaged")

# Our stock-tracking actions as InvenTree's StockHistoryCode numbers.
HISTORY: dict[str, Code] = {
    "created": Code(1, "CREATED", "Stock item created", ""),
    "edited": Code(5, "EDITED", "Edited stock item", ""),
    "counted": Code(10, "STOCK_COUNT", "Stock counted", ""),
    "added": Code(11, "STOCK_ADD", "Stock manually added", ""),
    "removed": Code(12, "STOCK_REMOVE", "Stock manually removed", ""),
    "moved": Code(20, "STOCK_MOVE", "Location changed", ""),
    "undone": Code(20, "STOCK_MOVE", "Move undone", ""),
    "split": Code(42, "SPLIT_CHILD_ITEM", "Split child item", ""),
    "received": Code(70, "RECEIVED", "Received", ""),
}


def custom_key(status: str) -> int | None:
    """The custom-state number of a status that has one (what `status_custom_key` carries)."""
    code = STOCK_STATUS.get(status)
    return code.key if code is not None and code.logical_key is not None else None


def display_code(status: str) -> int:
    """The number a client shows the status by: its custom key, else its built-in code."""
    return STOCK_STATUS.get(status, STOCK_STATUS["ok"]).key


def status_for_code(number: int) -> str | None:
    """The status a display number (a ?status= filter, a form's choice) stands for, or None."""
    return next((status for status, code in STOCK_STATUS.items() if code.key == number), None)


def status_values() -> dict[str, dict]:
    """/api/stock/status/'s `values`: every state by constant name."""
    return {code.name: _code_dict(code) for code in STOCK_STATUS.values()}


def history_values() -> dict[str, dict]:
    """/api/stock/track/status/'s `values`."""
    return {code.name: _code_dict(code) for code in HISTORY.values()}


def _code_dict(code: Code) -> dict:
    entry = {"key": code.key, "name": code.name, "label": code.label, "color": code.color}
    if code.logical_key is not None:
        entry.update(logical_key=code.logical_key, custom=True)
    return entry
