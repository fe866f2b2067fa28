"""Pydantic's validation errors reworded for the person editing the partnership file.

Each error becomes a message and a fix in plain words: a misspelt setting gets "did you mean ...?"
with the settings allowed in that section, a wrong choice lists the choices, and a label (which may
hold a name typed by mistake) is described without being repeated.
"""

from __future__ import annotations

import re
import types
from collections.abc import Mapping
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from bot.config.partnership import Config
from bot.config.problems import EXAMPLE_FILE, Loc, choose


def _field_names_at(loc: Loc) -> list[str]:
    """The settings allowed in the section at ``loc`` (for "did you mean" on a misspelt key)."""
    annotation: Any = Config
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            if field is None:
                return []
            annotation = field.annotation
        elif get_origin(annotation) is list and isinstance(part, int):
            annotation = get_args(annotation)[0]
        elif get_origin(annotation) is dict:
            annotation = get_args(annotation)[1]
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated[...] and Optional[...] down to the type that holds the settings."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            options = [a for a in get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


_GENERIC: Mapping[str, tuple[str, str]] = {
    "bool_type": ("must be true or false", "write true or false"),
    "bool_parsing": ("must be true or false", "write true or false"),
    "int_type": ("must be a whole number", "write a number such as 5, without quotes"),
    "int_parsing": ("must be a whole number", "write a number such as 5, without quotes"),
    "int_from_float": ("must be a whole number", "write a number such as 5, without a decimal point"),
    "greater_than": ("must be a positive whole number", "use 1 or more"),
    "date_type": ("is not a date", "write dates as YYYY-MM-DD, e.g. 2026-12-24"),
    "date_parsing": ("is not a date", "write dates as YYYY-MM-DD, e.g. 2026-12-24"),
    "date_from_datetime_parsing": ("is not a date", "write dates as YYYY-MM-DD, e.g. 2026-12-24"),
    "date_from_datetime_inexact": ("is not a date", "write dates as YYYY-MM-DD, e.g. 2026-12-24"),
    "list_type": ("must be a list", "write a list as [a, b] or as one '- item' line per entry"),
    "dict_type": ("must be a section of 'name: value' settings", "indent the settings under this key"),
    "model_type": ("must be a section of 'name: value' settings", "indent the settings under this key"),
    "string_type": ("must be text", "put the value in quotes"),
    "string_too_short": ("must not be empty", "write a value after the colon"),
}


def describe(error: ErrorDetails) -> tuple[str, str]:
    """A pydantic error as (message, fix) in words a business manager can act on."""
    kind, loc = error["type"], tuple(error["loc"])
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if "fix" in ctx:
        return str(ctx["message"]), str(ctx["fix"])
    if not loc:
        return (
            "the file must be a section of settings",
            f"start the file with 'partnerships:' as in {EXAMPLE_FILE}",
        )
    if kind == "missing":
        return f"the required setting '{loc[-1]}' is missing", f"add '{loc[-1]}:' here (see {EXAMPLE_FILE})"
    if kind == "extra_forbidden":
        return f"'{loc[-1]}' is not a setting here", choose(loc[-1], _field_names_at(loc[:-1]))
    if kind in ("enum", "literal_error"):
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"{_shown(error.get('input'))} is not one of the choices here", choose(
            error.get("input"), options
        )
    if kind == "too_short":
        minimum = ctx.get("min_length", 1)
        return f"needs at least {minimum} entr{'y' if minimum == 1 else 'ies'}", "add the missing entries"
    if kind in _GENERIC:
        message, fix = _GENERIC[kind]
        # A label may hold a name typed by mistake: say what is wrong with it without repeating it.
        shown = "this value" if loc and loc[-1] == "label" else _shown(error.get("input"))
        return f"{shown} {message}", fix
    return str(error["msg"]), f"compare this part with {EXAMPLE_FILE}"
