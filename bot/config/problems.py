"""How a mistake in the partnership file is put to the person editing it: where, what, and the fix.

The person editing the file is usually a business manager, not a developer, so every mistake is a
:class:`Problem` with its line and a fix in plain words, and :class:`ConfigError` carries all of them
at once. The helpers here (a location such as ``partnerships[0].people[2]``, "did you mean ...?")
are shared by the field checks, the checks across settings and the loader.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic_core import PydanticCustomError

#: Where a setting is in the file, as pydantic reports it: ``("partnerships", 0, "people", 2)``.
Loc = tuple[str | int, ...]

EXAMPLE_FILE = "bot/examples/partnership.example.yaml"


@dataclass(frozen=True)
class Problem:
    """One mistake in the partnership file: where it is, what is wrong, and what to do."""

    file: str
    line: int | None
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.message.rstrip('.')}. Fix: {self.fix}"


class ConfigError(Exception):
    """The partnership file cannot be used; ``problems`` lists every mistake found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(format_problems(problems))
        self.problems = problems


def format_problems(problems: Sequence[Problem]) -> str:
    """One line per problem: ``path:LINE: message. Fix: ...``."""
    return "\n".join(str(p) for p in problems)


def invalid(kind: str, message: str, fix: str) -> PydanticCustomError:
    """A validation error whose message and fix reach the person editing the file verbatim.

    The text travels in the context rather than the template so braces in it ("{seq}") are safe.
    """
    return PydanticCustomError(kind, "{message}", {"message": message, "fix": fix})


def choose(value: object, options: Sequence[str]) -> str:
    """A fix that suggests the closest option, or lists them all."""
    close = difflib.get_close_matches(str(value), list(options), n=1)
    listed = ", ".join(options) if options else "(none defined)"
    return f"did you mean '{close[0]}'? (choices: {listed})" if close else f"use one of: {listed}"


def where(loc: Loc) -> str:
    """``("partnerships", 0, "people")`` as people read it: ``partnerships[0].people``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out
