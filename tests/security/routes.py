"""Real values for the arguments of any route in app.url_map, for the sweeps over every route."""
from __future__ import annotations

from werkzeug.routing import AnyConverter

# Arguments that are not ids: a value that names something real in the sweeps' seed data.
ARGUMENT_VALUES = {"object_type": "part", "filename": "css/app.css", "name": "internal", "job_id": "x"}


def argument_value(rule, name: str):
    """A value for one URL argument: the rule's default, the first of an <any(...)>, or 1 (an id)."""
    if rule.defaults and name in rule.defaults:
        return rule.defaults[name]
    converter = rule._converters[name]
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return ARGUMENT_VALUES.get(name, 1)
