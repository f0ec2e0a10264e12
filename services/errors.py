"""Exceptions services raise when a change is refused; each carries a message for people."""
from __future__ import annotations


class FieldErrors(Exception):
    """A change refused because of specific form fields: {field: message} ("__all__" for the form)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class DeleteRefused(Exception):
    """A delete refused; the message says what to move or delete first."""
