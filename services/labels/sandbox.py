"""Template rendering in Jinja's immutable sandbox: a template sees plain values and helpers only.

This module renders in the process that imports it and has no budget of its own: the app renders
through `services.labels.render_process`, which runs this code in a child process with CPU and
memory limits, so a template that loops for ever or fills memory stops there, not in a web worker.
"""
from __future__ import annotations

from functools import lru_cache

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment, safe_range
from markupsafe import Markup

from services.labels.symbols import SYMBOLOGIES

MAX_OUTPUT = 20_000  # characters of markup one label may produce
MAX_EXPONENT = 1000  # `**` beyond this makes numbers no label prints, only work


class LabelTemplateError(ValueError):
    """A template that does not compile, render or lay out; the message is for its author."""


def _mm(value, name: str) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise LabelTemplateError(f"barcode(): {name} must be a number of millimetres, got {value!r}") from None
    return f"{number:g}mm"


def barcode(symbology: str = "qr", data=None, left=0, top=0, size=None, width=None, height=None,
            *, _code: str = "") -> Markup:
    """Markup for a barcode box: `{{ barcode('qr', left=2, top=2, size=25) }}` (data: the object's code)."""
    if symbology not in SYMBOLOGIES:
        raise LabelTemplateError(f"barcode(): unknown symbology {symbology!r}; use one of {', '.join(SYMBOLOGIES)}")
    width = width if width is not None else size
    height = height if height is not None else size
    if width is None or height is None:
        raise LabelTemplateError("barcode(): give size=, or width= and height= (millimetres)")
    style = (f"left:{_mm(left, 'left')};top:{_mm(top, 'top')};"
             f"width:{_mm(width, 'width')};height:{_mm(height, 'height')}")
    value = _code if data is None else str(data)
    return Markup('<img data-symbology="{}" data-value="{}" style="{}" alt="{}">').format(
        symbology, value, style, value)


class LabelEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, refusing powers so large that computing them is the whole point."""

    # Intercepting `**` also stops the compiler from folding `2 ** 99999999` while it compiles.
    intercepted_binops = frozenset({"**"})

    def call_binop(self, context, operator, left, right):
        """`**` with a sensible exponent only; every other operator as usual."""
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise LabelTemplateError(f"** with an exponent above {MAX_EXPONENT} is not allowed on labels")
        return super().call_binop(context, operator, left, right)


def _environment() -> LabelEnvironment:
    env = LabelEnvironment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.clear()  # no range/dict/lipsum/cycler beyond what we hand over
    env.globals["range"] = safe_range  # capped at 100000 items
    return env


_ENV = _environment()


@lru_cache(maxsize=64)
def compile_body(body: str):
    """The compiled template for a body; LabelTemplateError with the line on a syntax error."""
    try:
        return _ENV.from_string(body)
    except TemplateError as error:
        raise LabelTemplateError(_describe(error)) from None


def render_here(body: str, values: dict[str, str]) -> str:
    """The label markup for one object's values, rendered in this process; LabelTemplateError for any fault."""
    template = compile_body(body)
    code = values.get("code", "")

    def bound_barcode(symbology="qr", data=None, left=0, top=0, size=None, width=None, height=None):
        return barcode(symbology, data, left, top, size, width, height, _code=code)

    try:
        # Streamed, so a loop that writes without end stops at the cap instead of filling memory.
        parts, length = [], 0
        for part in template.generate(values, barcode=bound_barcode):
            length += len(part)
            if length > MAX_OUTPUT:
                raise LabelTemplateError(f"the template produced more than {MAX_OUTPUT} characters for one label")
            parts.append(part)
    except LabelTemplateError:
        raise
    except TemplateError as error:  # includes the sandbox's SecurityError
        raise LabelTemplateError(_describe(error)) from None
    except (ArithmeticError, TypeError, ValueError, LookupError, OverflowError, RecursionError) as error:
        raise LabelTemplateError(f"{type(error).__name__}: {error}") from None
    return "".join(parts)


def _describe(error: TemplateError) -> str:
    line = getattr(error, "lineno", None)
    where = f"line {line}: " if line else ""
    return f"{where}{error.message or type(error).__name__}"
