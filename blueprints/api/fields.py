"""Fields of the API's forms, each declared once: how OPTIONS describes it (Django REST framework's
metadata, which the InvenTree app draws its forms from) and how a PATCH or POST value is read.

A field Shelfscan does not have (a part's revision, a stock item's packaging) is still described, so
the app does not show "unsupported field", but `hidden`: the app sends back the empty value it was
given, which is accepted and ignored; any other value is refused rather than silently dropped.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Mapping

from database.ids import parse_id
from services.api_objects import codes
from services.stock.common import StockError, parse_quantity


class FieldProblem(ValueError):
    """A value a field does not accept; the message is for the person filling in the form."""


@dataclass(frozen=True)
class ApiField:
    """One form field."""

    type: str  # string, boolean, decimal, date, choice, related field (DRF's metadata names)
    label: str
    help_text: str = ""
    required: bool = False
    max_length: int | None = None
    attr: str | None = None  # the model attribute a write sets; None: never written
    lacked: bool = False  # Shelfscan has no such thing: hidden, only the value it reports accepted
    reported: Any = ""  # for lacked fields: the value the API shows (False for "assembly", True for "component")
    read_only: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)  # model, api_url, filters, min_value...
    choices: Callable[[], list[dict]] | None = None

    def meta(self) -> dict[str, Any]:
        """The field as DRF's OPTIONS metadata describes it."""
        info = {"type": self.type, "required": self.required, "read_only": self.read_only, "label": self.label,
                "help_text": self.help_text, **self.extra}
        if self.max_length is not None:
            info["max_length"] = self.max_length
        if self.lacked:
            info["hidden"] = True
        if self.choices is not None:
            info["choices"] = self.choices()
        return info

    def read(self, value: Any) -> Any:
        """The typed value of a write, or FieldProblem."""
        if self.lacked:
            if value is not None and value != "" and value != self.reported:
                keep = "leave it empty" if self.reported in ("", None) else f"it stays {str(self.reported).lower()}"
                raise FieldProblem(f"Shelfscan does not record {self.label.lower()}; {keep}.")
            return None
        if value is None or (value == "" and self.type not in TEXT_TYPES):
            if self.required:
                raise FieldProblem("This field may not be null.")
            return "" if self.type in TEXT_TYPES else None  # text columns hold "" for "not set"
        return READERS[self.type](self, value)


def _string(spec: ApiField, value: Any) -> str:
    if not isinstance(value, str):
        raise FieldProblem("Not a valid string.")
    text = value.strip()
    if "\x00" in text:
        raise FieldProblem("Null characters are not allowed.")
    if spec.required and not text:
        raise FieldProblem("This field may not be blank.")
    if spec.max_length is not None and len(text) > spec.max_length:
        raise FieldProblem(f"Ensure this field has no more than {spec.max_length} characters.")
    return text


def _url(spec: ApiField, value: Any) -> str:
    text = _string(spec, value)
    if text and not text.lower().startswith(("http://", "https://")):
        raise FieldProblem("Enter a valid URL.")
    return text


def _boolean(_spec: ApiField, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return value.strip().lower() in ("true", "1")
    raise FieldProblem("Must be a valid boolean.")


def _decimal(_spec: ApiField, value: Any) -> Decimal:
    if isinstance(value, (bool, dict, list)):
        raise FieldProblem("A valid number is required.")
    try:
        return parse_quantity(value)
    except StockError as error:
        raise FieldProblem(str(error)) from None


def _related(_spec: ApiField, value: Any) -> int:
    number = value if isinstance(value, int) and not isinstance(value, bool) else parse_id(value)
    if number is None or parse_id(str(number)) is None:
        raise FieldProblem("Incorrect type. Expected pk value.")
    return number


def _status(_spec: ApiField, value: Any) -> str:
    number = value if isinstance(value, int) and not isinstance(value, bool) else parse_id(value)
    status = codes.status_for_code(number) if number is not None else None
    if status is None:
        raise FieldProblem(f'"{str(value)[:40]}" is not a valid choice.')
    return status


def _date(_spec: ApiField, value: Any) -> dt.date:
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise FieldProblem("Date has wrong format. Use YYYY-MM-DD.")


TEXT_TYPES = ("string", "url")
READERS: dict[str, Callable[[ApiField, Any], Any]] = {
    "string": _string, "url": _url, "boolean": _boolean, "decimal": _decimal, "related field": _related,
    "choice": _status, "date": _date,
}


def status_choices() -> list[dict]:
    """Every stock status as a choice, by the number the app shows it with."""
    return [{"value": code.key, "display_name": code.label} for code in codes.STOCK_STATUS.values()]


def related(label: str, model: str, api_url: str, **kwargs) -> ApiField:
    """A field naming another object by pk, searched at `api_url`."""
    extra = {"model": model, "api_url": api_url, **kwargs.pop("extra", {})}
    return ApiField("related field", label, extra=extra, **kwargs)
