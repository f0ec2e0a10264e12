"""Text people typed or scanned, shown so that it cannot disguise itself or the page around it.

Two dangers: characters that draw nothing (a zero-width space makes `ad\u200bmin` look like `admin`)
and characters that reorder what follows (U+202E turns `exe.txt` into `txt.exe`, or a whole table
row around it). So:

- every `{{ ... }}` that prints a plain string (not Markup) goes through `mark` (services/text.py,
  where the rules are), installed as the
  Jinja environment's `finalize`: the hidden characters become a visible `[U+202E]`. Being plain
  text, that is safe in any context: text, attributes, <title>, <option>, messages built in Python.
  Form fields that WTForms renders are Markup and keep the raw text, so editing saves it unchanged.
- the `user_text` filter, used wherever a name stands in a page's text, marks the same way and puts
  it in <bdi>, so its own direction (Hebrew, Arabic) cannot move the text next to it.
- the scan history marks more (`hidden`): also joiners, variation selectors and direction marks,
  since there two different scans must never look the same (blueprints/shared/display.py).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Flask
from markupsafe import Markup

from services.text import mark


def user_text(value: Any) -> Markup:
    """HTML for a name or other text people entered: marked, escaped, isolated in <bdi> (Markup is
    isolated as it is: it was made safe where it was built)."""
    if hasattr(value, "__html__"):
        return Markup("<bdi>{}</bdi>").format(value)
    return Markup("<bdi>{}</bdi>").format(mark("" if value is None else str(value)))


def finalize(value: Any) -> Any:
    """Jinja's finalize: what a template prints as text (strings, and objects such as a Part by their
    str) is marked; Markup, numbers and None are left alone."""
    if value is None or hasattr(value, "__html__") or isinstance(value, (int, float, Decimal)):
        return value
    return mark(str(value))


def init_app(app: Flask) -> None:
    """Mark every printed string and offer the `user_text` filter (before any template compiles)."""
    app.jinja_env.finalize = finalize
    app.jinja_env.filters["user_text"] = user_text
