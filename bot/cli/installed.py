"""Where the `reviewbot` command lives: `make install` puts it in .venv/bin, which is not on PATH."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def where_installed() -> str:
    """Where this command lives: `make install` puts it in .venv/bin, which is not on PATH."""
    here = Path(sys.executable).parent / "reviewbot"
    try:
        shown = here.relative_to(Path.cwd())
    except ValueError:
        shown = here
    on_path = shutil.which("reviewbot")
    if on_path is not None and Path(on_path).resolve() == here.resolve():
        return f"This command is {shown}."
    return (
        f"This command is {shown}; it is not on your PATH: run it by that path, or first "
        f". {here.parent / 'activate'}"
    )
